//! `dominant-rule` (L0004): one rule worth most of its category, or a
//! handful of rules reaching the top tier on their own.
//!
//! In: the budget report (each rule's share of its category's reach) and
//! the first tier with a `points` threshold. Out: a finding per rule whose
//! share exceeds [`LintSettings::dominant_share`](crate::lint::LintSettings),
//! and one when [`LintSettings::dominant_handful`](crate::lint::LintSettings)
//! rules or fewer reach that threshold. A score one trait or one click can
//! make is a score by whim: the method spreads a category's budget over
//! several rules.

use crate::check::RuleKind;
use crate::diag::span::Span;
use crate::lint::budget::{CategoryBudget, Reach, RuleBudget};
use crate::lint::outcomes::{OutcomeKey, Var};
use crate::lint::values;
use crate::lint::{Finding, Lint, LintContext, LintLevel};

/// See the module documentation.
#[derive(Debug)]
pub struct DominantRule;

impl Lint for DominantRule {
    fn name(&self) -> &'static str {
        "dominant-rule"
    }
    fn code(&self) -> &'static str {
        "L0004"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Warn
    }
    fn summary(&self) -> &'static str {
        "one rule is worth most of its category, or a few rules reach the top tier alone"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        for c in &cx.budget.categories {
            for r in &c.rules {
                if r.max != Reach::Points(0) && r.share > cx.settings.dominant_share {
                    out.push(dominant(c, r, cx.settings.dominant_share));
                }
            }
        }
        out.extend(handful(cx));
        out
    }
}

fn dominant(c: &CategoryBudget, r: &RuleBudget, limit: f64) -> Finding {
    let rest = c.reach.or(c.effective) - r.max.or(c.effective);
    let (message, help) = match r.max {
        Reach::Unbounded => (
            format!("`{}` has no cap and can fill `{}` on its own", r.rule, c.name),
            format!("cap it, e.g. `each max {}`", ((c.effective as f64) * limit / 100.0).floor() as i64),
        ),
        Reach::Points(p) => {
            let fix = if rest > 0 {
                format!(
                    "lower it to {} or add other rules to `{}`",
                    (rest as f64 * limit / (100.0 - limit)).floor() as i64,
                    c.name
                )
            } else {
                format!("add other rules to `{}` so that it is not the only way to score there", c.name)
            };
            (
                format!(
                    "`{}` is worth {p} of the {} points `{}` can reach ({:.1}%)",
                    r.rule,
                    c.reach.or(c.effective),
                    c.name,
                    r.share
                ),
                fix,
            )
        }
    };
    Finding::new(message, r.span, format!("more than {limit}% of its category"))
        .related(c.span, format!("category `{}`", c.name))
        .help(help)
}

/// A good set of at most `n` rules, picked greedily by what each adds: their
/// spans and the points they make together (each category still capped,
/// rules that exclude each other never picked together).
fn best_few(cx: &LintContext<'_>, n: usize) -> (Vec<(Span, String)>, i64) {
    let cats = &cx.budget.categories;
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut total = 0;
    for _ in 0..n {
        let best = cats
            .iter()
            .enumerate()
            .flat_map(|(ci, c)| c.rules.iter().enumerate().map(move |(ri, r)| (ci, ri, c, r)))
            .filter(|(ci, ri, ..)| !taken.contains(&(*ci, *ri)))
            .filter(|(ci, ri, ..)| taken.iter().all(|t| !exclusive(cx, *t, (*ci, *ri))))
            .map(|(ci, ri, c, r)| {
                let held: i64 =
                    taken.iter().filter(|t| t.0 == ci).map(|t| cats[ci].rules[t.1].max.or(c.effective)).sum();
                let cap = c.max.unwrap_or(cx.scorecard.points_ceiling());
                let gain = (held + r.max.or(cap)).min(cap) - held.min(cap);
                (gain, ci, ri)
            })
            .filter(|(gain, ..)| *gain > 0)
            .max_by_key(|(gain, ci, ri)| (*gain, std::cmp::Reverse((*ci, *ri))));
        let Some((gain, ci, ri)) = best else { break };
        taken.push((ci, ri));
        total += gain;
    }
    let rules =
        taken.iter().map(|&(ci, ri)| (cats[ci].rules[ri].span, cats[ci].rules[ri].rule.clone())).collect();
    (rules, total)
}

/// Whether two rules (category, rule index) can never fire for one lead:
/// fit rules on one field whose value sets do not meet.
fn exclusive(cx: &LintContext<'_>, a: (usize, usize), b: (usize, usize)) -> bool {
    let set = |(ci, ri): (usize, usize)| {
        let rule = cx.scorecard.categories.get(ci)?.rules.get(ri)?;
        match &rule.kind {
            RuleKind::Fit(c) => values::field_set(c, &cx.scorecard.schema),
            RuleKind::Behaviour(_) => None,
        }
    };
    match (set(a), set(b)) {
        (Some(x), Some(y)) => x.intersect(&y).is_some_and(|both| both.is_empty()),
        _ => false,
    }
}

fn handful(cx: &LintContext<'_>) -> Option<Finding> {
    let space = cx.outcomes();
    let points = Var::Value(OutcomeKey::Points);
    let (tier, threshold) = cx.scorecard.tiers.iter().find_map(|t| {
        let regions = space.regions(t.when.as_ref())?;
        let lows =
            regions.iter().filter_map(|r| r.get(&points).and_then(|p| p.intervals().first().map(|i| i.0)));
        let low = lows.min().filter(|low| *low > 0 && regions.iter().all(|r| r.contains_key(&points)))?;
        Some((t, low))
    })?;
    let (rules, total) = best_few(cx, cx.settings.dominant_handful);
    if total < threshold || rules.is_empty() {
        return None;
    }
    let names: Vec<String> = rules.iter().map(|r| format!("`{}`", r.1)).collect();
    let mut f = Finding::new(
        format!(
            "{} rule(s) reach tier `{}` on their own: {} make {total} points, and the tier needs {threshold}",
            rules.len(),
            tier.name,
            names.join(" and ")
        ),
        tier.span,
        format!("needs {threshold} points"),
    );
    for (span, _) in &rules {
        f = f.related(*span, "one of the rules");
    }
    Some(f.help(format!(
        "lower these rules so that more than {} are needed, or raise the tier's threshold above {total}",
        cx.settings.dominant_handful
    )))
}
