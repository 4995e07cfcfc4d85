//! `unbalanced-dimensions` (L0002): fit and behaviour budgets far apart.
//!
//! In: the budget report's fit/behaviour split of the reachable budget.
//! Out: one finding when the fit share is further from 50% than the
//! tolerance ([`LintSettings::dimension_tolerance`](crate::lint::LintSettings)).
//! The method gives fit 50 and behaviour 50 before handing points to rules;
//! a lopsided split is "scoring by whim".

use super::{donor_and_receiver, max_text};
use crate::lint::budget::{CategoryBudget, num};
use crate::lint::{Finding, Lint, LintContext, LintLevel};

/// See the module documentation.
#[derive(Debug)]
pub struct UnbalancedDimensions;

impl Lint for UnbalancedDimensions {
    fn name(&self) -> &'static str {
        "unbalanced-dimensions"
    }
    fn code(&self) -> &'static str {
        "L0002"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Warn
    }
    fn summary(&self) -> &'static str {
        "fit and behaviour budgets differ by more than the tolerance around 50/50"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let s = cx.budget.dimensions;
        let tolerance = cx.settings.dimension_tolerance;
        if s.first <= 0.0 || s.second <= 0.0 || (s.first_share - 50.0).abs() <= tolerance {
            return Vec::new();
        }
        let fit_heavy = s.first > s.second;
        let (heavy, light) = if fit_heavy { ("fit", "behaviour") } else { ("behaviour", "fit") };
        let fit = |c: &CategoryBudget| c.fit;
        let behaviour = |c: &CategoryBudget| c.critical + c.other_behaviour;
        let pair = if fit_heavy {
            donor_and_receiver(&cx.budget.categories, fit, behaviour)
        } else {
            donor_and_receiver(&cx.budget.categories, behaviour, fit)
        };
        let Some((from, to)) = pair else { return Vec::new() };
        let mv = ((s.first - s.second).abs() / 2.0).round() as i64;
        let message = format!(
            "fit and behaviour are out of balance: fit can reach {} points ({:.1}%), behaviour {} ({:.1}%)",
            num(s.first),
            s.first_share,
            num(s.second),
            s.second_share()
        );
        let finding = if from.span == to.span {
            Finding::new(
                message,
                from.span,
                format!("the largest {heavy} budget and the largest {light} budget, {}", max_text(from)),
            )
        } else {
            Finding::new(message, from.span, format!("the largest {heavy} budget, {}", max_text(from)))
                .related(to.span, format!("the largest {light} budget, {}", max_text(to)))
        };
        vec![
            finding
                .note(format!(
                    "the method splits the budget 50/50; this lint allows {tolerance} points either way"
                ))
                .help(move_help(from, to, mv, heavy, light)),
        ]
    }
}

/// "move 20 points from fit to behaviour: lower `a` max from 45 to 25 and raise `b` ...";
/// when one category holds both sides, move points between its rules.
pub(crate) fn move_help(
    from: &CategoryBudget,
    to: &CategoryBudget,
    mv: i64,
    heavy: &str,
    light: &str,
) -> String {
    if from.span == to.span {
        return format!(
            "move {mv} points from {heavy} to {light} inside `{}`, which holds both: lower its {heavy} rules' points and raise its {light} rules', or split it into a {heavy} and a {light} category",
            from.name
        );
    }
    let lower = match from.max {
        Some(m) => format!("lower `{}` max from {m} to {}", from.name, (m - mv).max(0)),
        None => format!("take {mv} points from the rules of `{}`", from.name),
    };
    let raise = match to.max {
        Some(m) => format!("raise `{}` max from {m} to {} (with rules to reach it)", to.name, m + mv),
        None => format!("give `{}` {mv} more points", to.name),
    };
    format!("move {mv} points from {heavy} to {light}: {lower} and {raise}")
}
