//! The arithmetic of time clauses: one timed behaviour rule scored as of
//! an instant.
//!
//! In: a [`TimedStep`] (a behaviour rule with its window and decay), the
//! lead's event timestamps for its behaviour, and the as-of instant
//! (seconds since the Unix epoch, UTC). Out: the rule's [`RuleTrace`] and
//! [`TimeTrace`]. `docs/language.md`, "Time", is the specification; this
//! module is its only implementation, shared by the evaluator and tests.
//!
//! Allocation-free: one pass over the timestamps. The weights of a rule's
//! events are added as exact fractions over one denominator, so the events'
//! order cannot change the points, and `n × Σw` is rounded exactly.

use crate::check::Decay;
use crate::compile::opcode::TimedStep;
use crate::vm::outcome::{RuleTrace, TimeTrace};

pub use crate::time::TIMELESS;

/// The fixed-point scale of a half-life weight: `2^64` is a weight of 1.
pub const HALF_LIFE_ONE: u128 = 1 << 64;

/// The weight of an event of age `age` seconds (at least 0) under a decay,
/// as a fraction `numerator / denominator` (`docs/language.md`, "Time"):
/// 1 for none; `max(0, l - age) / l` for linear `l`; 1 while `age <= e`,
/// then 0, for `expire e` — all exact — and for a half-life `h`,
/// `2^(-age / h)` computed in floating point, then truncated to a multiple
/// of `2^-64` (numerator `floor(2^64 × weight)`, denominator `2^64`). A
/// rule's events share its denominator, so their numerators add up.
pub fn weight(decay: Decay, age: i64) -> (u128, u128) {
    let age = age.max(0);
    match decay {
        Decay::None => (1, 1),
        Decay::HalfLife(h) => {
            let w = (-(age as f64) / h.max(1) as f64).exp2();
            // w is in [0, 1]: w × 2^64 is exact and fits; `as` truncates.
            ((w * HALF_LIFE_ONE as f64) as u128, HALF_LIFE_ONE)
        }
        Decay::Linear(l) => {
            let l = l.max(1);
            (l.saturating_sub(age).max(0) as u128, l as u128)
        }
        Decay::Expire(e) => (u128::from(age <= e), 1),
    }
}

/// `points × numerator / denominator` rounded half away from zero, exactly,
/// saturating at the `i64` bounds (`denominator` is at least 1).
pub fn round_product(points: i64, numerator: u128, denominator: u128) -> i64 {
    let denominator = denominator.max(1);
    let magnitude = match u128::from(points.unsigned_abs()).checked_mul(numerator) {
        Some(product) => {
            let (quotient, remainder) = (product / denominator, product % denominator);
            // Half away from zero: up when the remainder is at least half.
            if remainder >= denominator - remainder { quotient.saturating_add(1) } else { quotient }
        }
        // Past u128: over a denominator of at most 2^64, past i64 too.
        None => u128::MAX,
    };
    if points < 0 {
        i64::try_from(magnitude).map_or(i64::MIN, |m| -m)
    } else {
        i64::try_from(magnitude).unwrap_or(i64::MAX)
    }
}

/// Scores one timed rule over `events` as of `as_of`.
pub fn score(timed: &TimedStep, events: &[i64], as_of: i64) -> (RuleTrace, TimeTrace) {
    let step = &timed.step;
    let mut time = TimeTrace::default();
    // Events in the window: as_of - window < t <= as_of.
    let timeless = as_of == TIMELESS;
    let window = if timeless { None } else { timed.clock.window };
    let start = window.map_or(i64::MIN, |w| as_of.saturating_sub(w));
    let age = |t: i64| if timeless { 0 } else { as_of.saturating_sub(t) };
    // Only `each` rules sum weights; a once-rule weighs its newest event.
    let decay = if step.each { timed.clock.decay } else { Decay::None };
    // Σ w as numerators over the decay's one denominator: integer addition,
    // so the order of the events does not matter.
    let mut weights = 0u128;
    let mut newest = i64::MIN;
    let mut oldest = i64::MAX;
    for &t in events {
        if t > as_of {
            time.future += 1;
        } else if t <= start {
            time.outside_window += 1;
        } else {
            time.counted += 1;
            if decay != Decay::None {
                weights = weights.saturating_add(weight(decay, age(t)).0);
            }
            newest = newest.max(t);
            oldest = oldest.min(t);
        }
    }
    if decay == Decay::None {
        weights = u128::from(time.counted);
    }
    if time.counted > 0 {
        time.newest_age = Some(age(newest));
        time.oldest_age = Some(age(oldest));
    }
    let fired = time.counted >= step.min;
    if !fired {
        return (RuleTrace { fired, uncapped: 0, points: 0 }, time);
    }
    let (undecayed, uncapped) = if step.each {
        let denominator = weight(decay, 0).1;
        (
            step.points.saturating_mul(i64::from(time.counted)),
            round_product(step.points, weights, denominator),
        )
    } else {
        let (numerator, denominator) = weight(timed.clock.decay, time.newest_age.unwrap_or(0));
        (step.points, round_product(step.points, numerator, denominator))
    };
    time.undecayed = undecayed;
    let given = if step.each { limited(uncapped, step.points, step.limit) } else { uncapped };
    (RuleTrace { fired, uncapped, points: given }, time)
}

/// A per-occurrence total limited by the rule's cap, towards zero.
fn limited(total: i64, points: i64, limit: i64) -> i64 {
    match points {
        p if p > 0 => total.min(limit),
        p if p < 0 => total.max(limit),
        _ => total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Clock;
    use crate::compile::opcode::BehaviourStep;
    use crate::time::DAY;

    fn rule(points: i64, each: bool, limit: i64, min: u32, clock: Clock) -> TimedStep {
        TimedStep { step: BehaviourStep { rule: 0, cat: 0, behaviour: 0, min, points, each, limit }, clock }
    }

    #[test]
    fn weights_follow_the_documented_formulas() {
        let one = HALF_LIFE_ONE;
        assert_eq!(weight(Decay::None, 10 * DAY), (1, 1));
        assert_eq!(weight(Decay::HalfLife(DAY), 2 * DAY), (one / 4, one));
        assert_eq!(weight(Decay::HalfLife(DAY), 0), (one, one));
        // 2^-0.5 = 0.7071067811865476 in f64, truncated to 64 fraction bits.
        assert_eq!(weight(Decay::HalfLife(2 * DAY), DAY), ((0.5f64.sqrt() * 2f64.powi(64)) as u128, one));
        assert_eq!(weight(Decay::Linear(10 * DAY), 4 * DAY), (6 * DAY as u128, 10 * DAY as u128));
        assert_eq!(weight(Decay::Linear(10 * DAY), 11 * DAY), (0, 10 * DAY as u128));
        assert_eq!(weight(Decay::Expire(DAY), DAY), (1, 1));
        assert_eq!(weight(Decay::Expire(DAY), DAY + 1), (0, 1));
    }

    #[test]
    fn rounding_is_exact_and_half_away_from_zero() {
        assert_eq!((round_product(5, 1, 2), round_product(-5, 1, 2)), (3, -3));
        assert_eq!((round_product(1, 249, 100), round_product(1, 251, 100)), (2, 3));
        // 3/6 is exactly a half (never 0.4999...); 3/7 is below.
        assert_eq!(round_product(3, 1, 6), 1);
        assert_eq!(round_product(3, 1, 7), 0);
        assert_eq!(round_product(0, u128::MAX, 1), 0);
        assert_eq!((round_product(2, u128::MAX, 1), round_product(-2, u128::MAX, 1)), (i64::MAX, i64::MIN));
        assert_eq!(round_product(i64::MIN, 1, 1), i64::MIN);
    }

    /// The examples: `3 each decay linear 10d` over events 3, 6.5,
    /// 7.5 and 8 days old is 3 × 1.5 = 4.5 -> 5 in every order (summing the
    /// float weights in the given order gave 4 newest-first and 5
    /// oldest-first); `5 decay linear 10d` on a 9-day-old event is 5 × 0.1
    /// = 0.5 -> 1 (the float 5 × (1 - 0.9) is 0.4999... -> 0).
    #[test]
    fn linear_ties_are_exact_in_any_order() {
        let clock = Clock { window: None, decay: Decay::Linear(10 * DAY) };
        let as_of = 1_000 * DAY;
        let ages = [3 * DAY, 6 * DAY + DAY / 2, 7 * DAY + DAY / 2, 8 * DAY];
        let newest_first: Vec<i64> = ages.iter().map(|a| as_of - a).collect();
        let oldest_first: Vec<i64> = newest_first.iter().rev().copied().collect();
        for events in [newest_first, oldest_first] {
            let (trace, _) = score(&rule(3, true, i64::MAX, 1, clock), &events, as_of);
            assert_eq!(trace.points, 5, "{events:?}");
        }
        let (trace, _) = score(&rule(5, false, 0, 1, clock), &[as_of - 9 * DAY], as_of);
        assert_eq!(trace.points, 1);
        let (trace, _) = score(&rule(-5, false, 0, 1, clock), &[as_of - 9 * DAY], as_of);
        assert_eq!(trace.points, -1);
    }

    #[test]
    fn half_life_ties_on_whole_half_lives_are_exact() {
        let clock = Clock { window: None, decay: Decay::HalfLife(DAY) };
        let as_of = 1_000 * DAY;
        // 5 × 2^-1 = 2.5 -> 3, once and `each`.
        let (trace, _) = score(&rule(5, false, 0, 1, clock), &[as_of - DAY], as_of);
        assert_eq!(trace.points, 3);
        // 2 × (0.5 + 0.25) = 1.5 -> 2.
        let (trace, _) = score(&rule(2, true, i64::MAX, 1, clock), &[as_of - DAY, as_of - 2 * DAY], as_of);
        assert_eq!(trace.points, 2);
    }

    #[test]
    fn window_bounds_future_events_and_thresholds() {
        let clock = Clock { window: Some(DAY), decay: Decay::None };
        let as_of = 100 * DAY;
        // as_of - 1d is outside (open end); as_of itself is inside; +1 is future.
        let events = [as_of - DAY, as_of - DAY + 1, as_of, as_of, as_of + 1];
        let (trace, time) = score(&rule(2, true, i64::MAX, 1, clock), &events, as_of);
        assert_eq!((time.counted, time.future, time.outside_window), (3, 1, 1));
        assert_eq!((trace.uncapped, trace.points), (6, 6));
        let (trace, _) = score(&rule(5, false, 0, 4, clock), &events, as_of);
        assert!(!trace.fired, "the threshold counts only the 3 events in the window");
    }

    #[test]
    fn timeless_counts_every_event_undecayed() {
        let clock = Clock { window: Some(DAY), decay: Decay::HalfLife(DAY) };
        let (trace, time) = score(&rule(2, true, i64::MAX, 1, clock), &[0, 5 * DAY, i64::MAX - 1], TIMELESS);
        assert_eq!((time.counted, time.future, trace.points), (3, 0, 6));
    }

    #[test]
    fn decayed_sums_round_once_then_cap() {
        let clock = Clock { window: None, decay: Decay::HalfLife(DAY) };
        let as_of = 10 * DAY;
        // 3 × (1 + 0.5 + 0.25) = 5.25 -> 5; capped at 4.
        let events = [as_of, as_of - DAY, as_of - 2 * DAY];
        let (trace, time) = score(&rule(3, true, 4, 1, clock), &events, as_of);
        assert_eq!((time.undecayed, trace.uncapped, trace.points), (9, 5, 4));
        // Once: 10 × the weight of the newest event (1d old) = 5.
        let (trace, _) = score(&rule(10, false, 0, 1, clock), &events[1..], as_of);
        assert_eq!(trace.points, 5);
        // Negative points: -3 × 1.75 = -5.25 -> -5; limited from below at -4.
        let (trace, _) = score(&rule(-3, true, -4, 1, clock), &events, as_of);
        assert_eq!((trace.uncapped, trace.points), (-5, -4));
    }
}
