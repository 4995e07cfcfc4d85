//! From fitted weights to whole points within the program's budget.
//!
//! In: the [`Rules`] table, one log-odds weight per fitted rule (the
//! others keep their points). Out: whole points per rule (and caps for
//! `each max` rules, the same number of occurrences as before): the
//! weights times one scale, chosen so that the program's *reach* — the
//! points a lead can get, each category's positive rules summed up to
//! its `max` — is what it was (or as near as the maxima let it be), then
//! rounded. Every category keeps its `max`, so the budget the team set
//! stays; points are proportional to each rule's log-odds.

use super::design::Rules;

/// The reach of a program whose rules give `points(r)` at most
/// `max_units` times each.
fn reach(rules: &Rules, points: impl Fn(usize) -> f64) -> f64 {
    let mut totals = vec![0f64; rules.maxima.len()];
    for (r, rule) in rules.rules.iter().enumerate() {
        let most = points(r) * rule.max_units;
        if most > 0.0 {
            totals[rule.category] += most;
        }
    }
    totals.iter().zip(&rules.maxima).map(|(&t, max)| max.map_or(t, |m| t.min(m as f64))).sum()
}

/// The program's reach as written.
pub fn written_reach(rules: &Rules) -> f64 {
    reach(rules, |r| rules.rules[r].points as f64)
}

/// Whole points for every rule: `weights[r]` (log-odds per unit) scaled
/// to the written reach and rounded for the rules with a weight; the
/// written points for the others.
pub fn points(rules: &Rules, weights: &[Option<f64>]) -> Vec<i64> {
    let scaled = |s: f64| {
        move |r: usize| match weights[r] {
            Some(w) => s * w,
            None => rules.rules[r].points as f64,
        }
    };
    let target = written_reach(rules);
    // The reach grows with the scale until every capped category is
    // full; aim for the written reach, or the most the maxima allow.
    let mut hi = 1.0;
    while reach(rules, scaled(hi)) < target
        && hi < 1e12
        && reach(rules, scaled(hi * 2.0)) > reach(rules, scaled(hi))
    {
        hi *= 2.0;
    }
    let goal = target.min(reach(rules, scaled(hi)));
    let mut lo = 0.0;
    for _ in 0..100 {
        let mid = (lo + hi) / 2.0;
        if reach(rules, scaled(mid)) < goal { lo = mid } else { hi = mid }
    }
    (0..rules.rules.len()).map(|r| scaled(hi)(r).round() as i64).collect()
}

/// The cap of an `each max` rule given `points` instead of its written
/// points: the same number of occurrences, never 0 (a 0-point rule keeps
/// its cap, which then limits nothing).
pub fn cap(written_points: i64, written_cap: i64, points: i64) -> i64 {
    if points == 0 || written_points == 0 {
        return written_cap;
    }
    let occurrences = written_cap as f64 / written_points as f64;
    let cap = (points as f64 * occurrences).round() as i64;
    if cap == 0 { points.signum() } else { cap }
}

#[cfg(test)]
mod tests {
    use super::super::design::RuleData;
    use super::*;

    fn rule(category: usize, points: i64, max_units: f64) -> RuleData {
        RuleData { category, points, cap: None, max_units, units: vec![], fired: 0, informative: true }
    }

    #[test]
    fn points_fill_the_written_reach_in_proportion_to_the_weights() {
        let rules = Rules {
            rules: vec![rule(0, 10, 1.0), rule(0, 10, 1.0), rule(1, 5, 3.0), rule(1, -5, 1.0)],
            maxima: vec![Some(25), None],
            blocks: vec![],
            outcome: vec![],
            ceiling: 100,
        };
        // Written: min(25, 20) + 15 = 35.
        assert_eq!(written_reach(&rules), 35.0);
        let new = points(&rules, &[Some(2.0), Some(1.0), Some(0.5), Some(-1.0)]);
        // Scale s: min(25, 3s) + 1.5s = 35 → s = 35 / 4.5 ≈ 7.78.
        assert_eq!(new, [16, 8, 4, -8]);
        // A rule without a weight keeps its points.
        let kept = points(&rules, &[None, Some(1.0), Some(0.5), Some(-1.0)]);
        assert_eq!(kept[0], 10);
    }

    #[test]
    fn full_categories_stop_the_scale() {
        let rules = Rules {
            rules: vec![rule(0, 10, 1.0), rule(0, 10, 1.0)],
            maxima: vec![Some(15)],
            blocks: vec![],
            outcome: vec![],
            ceiling: 100,
        };
        // Written reach 15; any scale past 7.5 per unit weight is capped.
        let new = points(&rules, &[Some(1.0), Some(1.0)]);
        assert_eq!(new, [8, 8]);
    }

    #[test]
    fn caps_keep_their_occurrences() {
        assert_eq!(cap(1, 5, 3), 15);
        assert_eq!(cap(3, 9, 2), 6);
        assert_eq!(cap(2, 5, 1), 3);
        assert_eq!(cap(-5, -15, -2), -6);
        assert_eq!(cap(2, 4, 0), 4);
    }
}
