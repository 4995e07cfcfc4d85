//! `shadowed-tier` (L0012): a tier that an earlier tier always takes first.
//!
//! In: the tier conditions as regions of the outcome space. Out: a finding
//! per tier every one of whose leads already matches an earlier tier, e.g.
//! `tier hot when points >= 60` after `tier warm when points >= 30`: tiers
//! are tried in order, so `hot` is never chosen.

use crate::check::Tier;
use crate::lint::outcomes::Region;
use crate::lint::{Finding, Lint, LintContext, LintLevel};

/// Past this many region comparisons for one tier, it is not analysed.
const MAX_COMPARISONS: usize = 100_000;

/// See the module documentation.
#[derive(Debug)]
pub struct ShadowedTier;

impl Lint for ShadowedTier {
    fn name(&self) -> &'static str {
        "shadowed-tier"
    }
    fn code(&self) -> &'static str {
        "L0012"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Warn
    }
    fn summary(&self) -> &'static str {
        "an earlier tier holds whenever this one does, so it is never chosen"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let space = cx.outcomes();
        let tiers: Vec<(&Tier, Option<Vec<Region>>)> =
            cx.scorecard.tiers.iter().map(|t| (t, space.regions(t.when.as_ref()))).collect();
        let mut out = Vec::new();
        for (j, (tier, regions)) in tiers.iter().enumerate() {
            let Some(regions) = regions.as_ref().filter(|r| !r.is_empty()) else { continue };
            let earlier: usize = tiers[..j].iter().filter_map(|t| t.1.as_ref()).map(Vec::len).sum();
            if regions.len().saturating_mul(earlier) > MAX_COMPARISONS {
                continue;
            }
            let covering = |r: &Region| {
                tiers[..j].iter().find(|(_, earlier)| {
                    earlier.as_ref().is_some_and(|e| e.iter().any(|q| space.inside(r, q)))
                })
            };
            let Some(first) = regions.first().and_then(covering) else { continue };
            if regions.iter().all(|r| covering(r).is_some()) {
                out.push(finding(tier, first.0));
            }
        }
        out
    }
}

fn finding(tier: &Tier, earlier: &Tier) -> Finding {
    let f = Finding::new(
        format!(
            "tier `{}` is never chosen: every lead it matches matches tier `{}` first",
            tier.name, earlier.name
        ),
        tier.span,
        "never chosen",
    )
    .related(earlier.span, "tried first, and holds whenever the later tier does");
    if earlier.when.is_none() {
        f.help(format!("tier `{}` has no condition and always holds: make it the last tier", earlier.name))
    } else {
        f.note("tiers are tried in order; the first whose condition holds names the lead")
            .help(format!("move `tier {}` above `tier {}`", tier.name, earlier.name))
    }
}
