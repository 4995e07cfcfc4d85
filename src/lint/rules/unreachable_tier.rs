//! `unreachable-tier` (L0011): a tier whose condition can never hold.
//!
//! In: each tier condition, against the reachable range of every outcome
//! value (`points` up to the reachable budget, never above the scale,
//! `requires_met` up to the number of must-haves, ...). Out: a finding per
//! tier no lead can reach, e.g. `points >= 120` on a 0..=99 scale, or
//! `points >= 80` when the budgets reach 72. Routing to a tier nobody
//! reaches sends those leads to the next tier without anyone noticing.

use crate::check::render;
use crate::check::{Condition, OutcomeTest, Scorecard, Tier};
use crate::lint::outcomes::{self, Space, show};
use crate::lint::{Finding, Lint, LintContext, LintLevel};

/// See the module documentation.
#[derive(Debug)]
pub struct UnreachableTier;

impl Lint for UnreachableTier {
    fn name(&self) -> &'static str {
        "unreachable-tier"
    }
    fn code(&self) -> &'static str {
        "L0011"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Warn
    }
    fn summary(&self) -> &'static str {
        "a tier's condition can never hold"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let space = cx.outcomes();
        cx.scorecard
            .tiers
            .iter()
            .filter_map(|t| {
                let when = t.when.as_ref()?;
                space.regions(Some(when)).filter(Vec::is_empty).map(|_| finding(cx.scorecard, space, t, when))
            })
            .collect()
    }
}

fn finding(sc: &Scorecard, space: &Space, tier: &Tier, when: &Condition<OutcomeTest>) -> Finding {
    // Blame a part the whole condition needs (one of its `and`ed parts)
    // that no outcome satisfies on its own; a test inside an `or` is not
    // needed, so it is never blamed alone.
    let mut needed = Vec::new();
    conjuncts(when, &mut needed);
    let culprit = needed.into_iter().find(|c| space.regions(Some(c)).is_some_and(|r| r.is_empty()));
    let label = format!("`{}` cannot hold", render::tier_condition(sc, when));
    match culprit {
        Some(Condition::Test(t)) => {
            let (var, _) = outcomes::test(t);
            let range = show(&space.range(var));
            let what = match t {
                OutcomeTest::Qualified => "qualified".to_string(),
                OutcomeTest::Compare(v, ..) => render::outcome_value(sc, *v).to_string(),
            };
            Finding::new(
                format!(
                    "tier `{}` can never be reached: `{}` never holds, as `{what}` ranges over {range}",
                    tier.name,
                    render::outcome_test(sc, t)
                ),
                tier.span,
                label,
            )
            .help(format!("change the test to fit {range}, or remove the tier"))
        }
        Some(part) => Finding::new(
            format!(
                "tier `{}` can never be reached: `{}` never holds",
                tier.name,
                render::tier_condition(sc, part)
            ),
            tier.span,
            label,
        )
        .help("change that part so that some outcome satisfies it, or remove the tier"),
        None => Finding::new(
            format!("tier `{}` can never be reached: its tests contradict each other", tier.name),
            tier.span,
            label,
        )
        .help("fix the condition so that some outcome satisfies it, or remove the tier"),
    }
}

/// The parts `c` needs: the members of its `and`s, recursively.
fn conjuncts<'a>(c: &'a Condition<OutcomeTest>, out: &mut Vec<&'a Condition<OutcomeTest>>) {
    match c {
        Condition::All(cs) => cs.iter().for_each(|c| conjuncts(c, out)),
        other => out.push(other),
    }
}
