//! Each rule against the outcomes.
//!
//! In: the [`Model`]'s rules and the [`Row`]s (which rules fired for each).
//! Out: per rule, how often it fired, the conversion rate when it fired and
//! when not, its lift over the overall rate, and a [`RuleFlag`] when its
//! points disagree with its lift (thresholds: [`HIGH_POINTS`],
//! [`LOW_POINTS`], [`NO_LIFT`], [`STRONG_LIFT`], [`MIN_SUPPORT`], [`MIN_Z`]).

use super::report::{RuleFlag, RuleStat};
use super::stats::{rate, z_score};
use super::{HIGH_POINTS, LOW_POINTS, MIN_SUPPORT, MIN_Z, Model, NO_LIFT, Row, STRONG_LIFT};

/// One [`RuleStat`] per rule, in program order.
pub fn analyse(model: &Model, rows: &[Row], overall: f64) -> Vec<RuleStat> {
    let total_converters = rows.iter().filter(|r| r.converted).count();
    // One pass over the rows: per rule, (fires, converters among them).
    let mut counts = vec![(0usize, 0usize); model.rules.len()];
    for row in rows {
        for (count, fired) in counts.iter_mut().zip(&row.fired) {
            if *fired {
                count.0 += 1;
                count.1 += usize::from(row.converted);
            }
        }
    }
    model
        .rules
        .iter()
        .zip(counts)
        .map(|(rule, (fires, fired_converters))| {
            let rest = rows.len() - fires;
            let rest_converters = total_converters - fired_converters;
            let rate_fired = rate(fired_converters, fires);
            let lift = if overall == 0.0 { 0.0 } else { rate_fired / overall };
            let z = z_score(fired_converters, fires, rest_converters, rest);
            let mut stat = RuleStat {
                text: rule.text.clone(),
                line: rule.line,
                category: rule.category.clone(),
                points: rule.points,
                max_points: rule.max_points,
                fires,
                rate_fired,
                rate_not_fired: rate(rest_converters, rest),
                lift,
                z,
                flag: None,
            };
            stat.flag = flag(&stat, rest);
            stat
        })
        .collect()
}

/// What disagrees, if anything: judged only when the rule fired for, and
/// did not fire for, at least [`MIN_SUPPORT`] leads each.
fn flag(stat: &RuleStat, not_fired: usize) -> Option<RuleFlag> {
    if stat.fires < MIN_SUPPORT || not_fired < MIN_SUPPORT {
        return None;
    }
    if stat.max_points >= HIGH_POINTS && stat.rate_fired <= NO_LIFT * stat.rate_not_fired {
        Some(RuleFlag::HighPointsNoLift)
    } else if stat.max_points <= LOW_POINTS && stat.lift >= STRONG_LIFT && stat.z >= MIN_Z {
        Some(RuleFlag::LowPointsStrongLift)
    } else {
        None
    }
}
