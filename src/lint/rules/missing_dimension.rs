//! `missing-dimension` (L0001): a program that scores only fit or only
//! behaviour.
//!
//! In: the count of positive fit and behaviour rules. Out: one finding when
//! one dimension has none. The method scores both who a lead is and what
//! the lead does; either alone is one of its classic mistakes.

use super::{positive_counts, program_span};
use crate::lint::{Finding, Lint, LintContext, LintLevel};

/// See the module documentation.
#[derive(Debug)]
pub struct MissingDimension;

impl Lint for MissingDimension {
    fn name(&self) -> &'static str {
        "missing-dimension"
    }
    fn code(&self) -> &'static str {
        "L0001"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Warn
    }
    fn summary(&self) -> &'static str {
        "the program has no fit rules or no behaviour rules that add points"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let (fit, behaviour) = positive_counts(cx.scorecard);
        let half = cx.scorecard.points_ceiling().saturating_add(1) / 2;
        let (has, missing, example) = match (fit, behaviour) {
            (0, 0) | (1.., 1..) => return Vec::new(),
            (0, _) => (
                "behaviour",
                "fit",
                format!("`category good_fit max {half}` with rules like `fit industry = \"Software\" : 10`"),
            ),
            (_, 0) => (
                "fit",
                "behaviour",
                format!(
                    "`category interest max {half}` with rules like `behaviour email_open : 1 each max 5`"
                ),
            ),
        };
        let count = fit.max(behaviour);
        vec![
            Finding::new(
                format!(
                    "the program scores only {has}: its {count} rules that add points are all {has} rules"
                ),
                program_span(cx.scorecard),
                format!("no {missing} rule adds points in any category"),
            )
            .note("a lead's score should weigh both who the lead is (fit) and what it does (behaviour)")
            .help(format!("add {missing} rules and give them half the budget, e.g. {example}")),
        ]
    }
}
