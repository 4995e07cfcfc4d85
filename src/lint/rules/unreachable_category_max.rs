//! `unreachable-category-max` (L0006): a category whose rules together
//! cannot reach its `max`.
//!
//! In: each capped category's reach from the budget report (rules on one
//! field that exclude each other count once). Out: a finding per category
//! whose reach is below its max. The budget promised to the category is
//! then partly fictional: no lead can earn it.

use crate::lint::budget::Reach;
use crate::lint::{Finding, Lint, LintContext, LintLevel};

/// See the module documentation.
#[derive(Debug)]
pub struct UnreachableCategoryMax;

impl Lint for UnreachableCategoryMax {
    fn name(&self) -> &'static str {
        "unreachable-category-max"
    }
    fn code(&self) -> &'static str {
        "L0006"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Warn
    }
    fn summary(&self) -> &'static str {
        "a category's rules together cannot reach its max"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        for c in &cx.budget.categories {
            let (Some(max), Reach::Points(reach)) = (c.max, c.reach) else { continue };
            if reach >= max {
                continue;
            }
            let mut f = Finding::new(
                format!(
                    "category `{}` can never reach its max of {max}: its rules reach at most {reach}",
                    c.name
                ),
                c.span,
                format!("max {max}, reachable {reach}"),
            );
            for n in &c.notes {
                f = f.note(n.clone());
            }
            out.push(f.help(format!(
                "lower `{}` max to {reach}, or add rules worth {} more points",
                c.name,
                max - reach
            )));
        }
        out
    }
}
