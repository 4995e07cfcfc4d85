//! `budget-scale` (L0007): category budgets that do not add up to the
//! points scale.
//!
//! In: the budget report. Out: a finding per uncapped category whose rules
//! can add points (nothing limits what it adds, so it can push `points`
//! against the clamp meant for the must-have digit), and one when the
//! capped budgets add up to less than the scale (the top of the scale is
//! unused) or to more than the scale plus
//! [`LintSettings::scale_slack`](crate::lint::LintSettings) (points are
//! clamped, so some budget never counts). The method: budget first, on a
//! 1–100 scale (0..=99 with the digit layout).

use super::reach_text;
use crate::lint::budget::Reach;
use crate::lint::{Finding, Lint, LintContext, LintLevel};

/// See the module documentation.
#[derive(Debug)]
pub struct BudgetScale;

impl Lint for BudgetScale {
    fn name(&self) -> &'static str {
        "budget-scale"
    }
    fn code(&self) -> &'static str {
        "L0007"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Warn
    }
    fn summary(&self) -> &'static str {
        "capped category budgets do not add up to the points scale, or an uncapped category adds points"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let b = &cx.budget;
        let scale = b.scale;
        let mut out = Vec::new();
        for c in b.categories.iter().filter(|c| c.max.is_none() && c.reach != Reach::Points(0)) {
            let suggest = c.reach.or(scale).min(scale);
            out.push(
                Finding::new(
                    format!(
                        "category `{}` has no max, yet its rules can add {} points",
                        c.name,
                        reach_text(c.reach)
                    ),
                    c.span,
                    "uncapped, with rules that add points",
                )
                .note(format!(
                    "points are clamped to 0..={scale}; an uncapped category can fill the scale on its own"
                ))
                .help(format!(
                    "give it a budget, e.g. `category {} max {suggest}`, and count it in the total",
                    c.name
                )),
            );
        }
        let capped: Vec<_> = b.categories.iter().filter(|c| c.max.is_some()).collect();
        let Some(first) = capped.first() else { return out };
        let layout = if b.digit_layout { " (the digit layout keeps points to 0..=99)" } else { "" };
        let sum = b.budget;
        let (message, label, help) = if sum < scale {
            let largest = capped.iter().max_by_key(|c| c.max).unwrap_or(first);
            (
                format!("the category budgets add up to {sum} points, short of the scale of {scale}{layout}"),
                format!("max {}", largest.max.unwrap_or(0)),
                format!(
                    "raise the maxes by {} points, e.g. `{}` max from {} to {}",
                    scale - sum,
                    largest.name,
                    largest.max.unwrap_or(0),
                    largest.max.unwrap_or(0) + scale - sum
                ),
            )
        } else if sum > scale + cx.settings.scale_slack {
            let largest = capped.iter().max_by_key(|c| c.max).unwrap_or(first);
            let over = sum - scale;
            (
                format!(
                    "the category budgets add up to {sum} points, more than the scale of {scale}{layout}: {over} points can never count"
                ),
                format!("max {}", largest.max.unwrap_or(0)),
                format!(
                    "lower the maxes by {over} points, e.g. `{}` max from {} to {}",
                    largest.name,
                    largest.max.unwrap_or(0),
                    (largest.max.unwrap_or(0) - over).max(0)
                ),
            )
        } else {
            return out;
        };
        let largest = capped.iter().max_by_key(|c| c.max).unwrap_or(first);
        let mut f = Finding::new(message, largest.span, label);
        for c in capped.iter().filter(|c| c.span != largest.span) {
            f = f.related(c.span, format!("max {}", c.max.unwrap_or(0)));
        }
        out.push(f.help(help));
        out
    }
}
