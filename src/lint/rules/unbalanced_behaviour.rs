//! `unbalanced-behaviour` (L0003): critical and other behaviour budgets far
//! apart.
//!
//! In: the budget report's critical/other split of the behaviour budget.
//! Out: one finding when no behaviour is starred, or when the critical share
//! is further from 50% than [`LintSettings::behaviour_tolerance`](crate::lint::LintSettings).
//! The method splits behaviour into critical conversions (trial, demo
//! request: starred) and general interest, e.g. 25 + 25.

use super::unbalanced_dimensions::move_help;
use super::{donor_and_receiver, largest};
use crate::lint::budget::{CategoryBudget, num};
use crate::lint::{Finding, Lint, LintContext, LintLevel};

/// See the module documentation.
#[derive(Debug)]
pub struct UnbalancedBehaviour;

impl Lint for UnbalancedBehaviour {
    fn name(&self) -> &'static str {
        "unbalanced-behaviour"
    }
    fn code(&self) -> &'static str {
        "L0003"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Warn
    }
    fn summary(&self) -> &'static str {
        "critical (starred) and other behaviour budgets are out of balance"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let s = cx.budget.behaviour;
        let tolerance = cx.settings.behaviour_tolerance;
        let critical = |c: &CategoryBudget| c.critical;
        let other = |c: &CategoryBudget| c.other_behaviour;
        let categories = &cx.budget.categories;
        if s.first <= 0.0 {
            let Some(at) = largest(categories, other) else { return Vec::new() };
            let half = (s.second / 2.0).round();
            return vec![
                Finding::new(
                    format!("no behaviour is starred critical: all {} behaviour points are general interest", num(s.second)),
                    at.span,
                    "no `*behaviour` here or in any other category",
                )
                .note("critical conversion behaviours (free trial, demo request) should be starred and budgeted apart")
                .help(format!(
                    "star the conversion behaviours (`*behaviour demo_request : 20`) and give them their own budget, e.g. `category critical max {}`",
                    num(half)
                )),
            ];
        }
        if s.second <= 0.0 || (s.first_share - 50.0).abs() <= tolerance {
            return Vec::new();
        }
        let critical_heavy = s.first > s.second;
        let (heavy, light) = if critical_heavy {
            ("critical behaviour", "other behaviour")
        } else {
            ("other behaviour", "critical behaviour")
        };
        let pair = if critical_heavy {
            donor_and_receiver(categories, critical, other)
        } else {
            donor_and_receiver(categories, other, critical)
        };
        let Some((from, to)) = pair else { return Vec::new() };
        let mv = ((s.first - s.second).abs() / 2.0).round() as i64;
        let message = format!(
            "behaviour is out of balance: critical behaviour can reach {} points ({:.1}%), other behaviour {} ({:.1}%)",
            num(s.first),
            s.first_share,
            num(s.second),
            s.second_share()
        );
        let finding = if from.span == to.span {
            Finding::new(
                message,
                from.span,
                format!("the largest {heavy} budget and the largest {light} budget"),
            )
        } else {
            Finding::new(message, from.span, format!("the largest {heavy} budget"))
                .related(to.span, format!("the largest {light} budget"))
        };
        vec![
            finding
            .note(format!("the method splits behaviour about 50/50 between critical and other; this lint allows {tolerance} points either way"))
            .help(move_help(from, to, mv, heavy, light)),
        ]
    }
}
