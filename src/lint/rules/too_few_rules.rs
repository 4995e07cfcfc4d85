//! `too-few-rules` (L0005): a system of only a handful of rules.
//!
//! In: the scorecard's rules. Out: a finding when there are fewer than
//! [`LintSettings::min_rules`](crate::lint::LintSettings) fit and behaviour
//! rules, and one per dimension (fit, behaviour) with some but fewer than
//! [`LintSettings::min_rules_per_dimension`](crate::lint::LintSettings)
//! positive rules. The method calls 3–4-rule systems a classic mistake: a
//! few rules cannot tell leads apart.

use super::{positive_counts, program_span};
use crate::lint::budget::{Dimension, Reach};
use crate::lint::{Finding, Lint, LintContext, LintLevel};

/// See the module documentation.
#[derive(Debug)]
pub struct TooFewRules;

impl Lint for TooFewRules {
    fn name(&self) -> &'static str {
        "too-few-rules"
    }
    fn code(&self) -> &'static str {
        "L0005"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Warn
    }
    fn summary(&self) -> &'static str {
        "fewer than 8 scoring rules, or fewer than 3 for fit or for behaviour"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let s = cx.settings;
        let total = cx.scorecard.rules().count();
        let span = program_span(cx.scorecard);
        let mut out = Vec::new();
        if total < s.min_rules {
            out.push(
                Finding::new(
                    format!("only {total} scoring rule(s): a system this small cannot tell leads apart"),
                    span,
                    format!("{total} fit and behaviour rules in all"),
                )
                .help(format!(
                    "add at least {} more rules: traits of your best customers (`fit`) and what leads do (`behaviour`)",
                    s.min_rules - total
                )),
            );
        }
        let (fit, behaviour) = positive_counts(cx.scorecard);
        for (count, dim, kind, example) in [
            (fit, "fit", Dimension::Fit, "`fit title = \"VP\" : 10`"),
            (behaviour, "behaviour", Dimension::Behaviour, "`behaviour web_visit : 1 each max 10`"),
        ] {
            if count > 0 && count < s.min_rules_per_dimension {
                let first = cx
                    .budget
                    .categories
                    .iter()
                    .find(|c| c.rules.iter().any(|r| r.dimension == kind && r.max != Reach::Points(0)));
                out.push(
                    Finding::new(
                        format!(
                            "only {count} {dim} rule(s) add points; at least {} are needed",
                            s.min_rules_per_dimension
                        ),
                        first.map_or(span, |c| c.span),
                        format!("{count} {dim} rule(s)"),
                    )
                    .help(format!(
                        "add {} more {dim} rule(s), e.g. {example}",
                        s.min_rules_per_dimension - count
                    )),
                );
            }
        }
        out
    }
}
