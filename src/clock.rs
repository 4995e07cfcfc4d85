//! The arithmetic of time clauses: one timed behaviour rule scored as of
//! an instant.
//!
//! In: a [`TimedStep`] (a behaviour rule with its window and decay), the
//! lead's event timestamps for its behaviour, and the as-of instant
//! (seconds since the Unix epoch, UTC). Out: the rule's [`RuleTrace`] and
//! [`TimeTrace`]. `docs/language.md`, "Time", is the specification; this
//! module is its only implementation, shared by the evaluator and tests.
//!
//! Allocation-free: one pass over the timestamps.

use crate::check::Decay;
use crate::compile::opcode::TimedStep;
use crate::outcome::{RuleTrace, TimeTrace};

/// The as-of instant of [`crate::program::Program::evaluate_into`] and
/// `explain_into`: *timeless*. Every event counts, as if it had just
/// happened: no event is in the future, windows hold every event, and every
/// age is 0 (decay factor 1).
pub const TIMELESS: i64 = i64::MAX;

/// The weight of an event of age `age` seconds (at least 0) under a decay:
/// 1 for none; `2^(-age / h)` for a half-life `h`; `max(0, 1 - age / l)`
/// for linear `l`; 1 while `age <= e`, then 0, for `expire e`.
pub fn factor(decay: Decay, age: i64) -> f64 {
    let age = age.max(0) as f64;
    match decay {
        Decay::None => 1.0,
        Decay::HalfLife(h) => (-age / h.max(1) as f64).exp2(),
        Decay::Linear(l) => (1.0 - age / l.max(1) as f64).max(0.0),
        Decay::Expire(e) => {
            if age <= e as f64 {
                1.0
            } else {
                0.0
            }
        }
    }
}

/// Rounds half away from zero to an integer, saturating at the `i64`
/// bounds.
pub fn round(x: f64) -> i64 {
    x.round() as i64
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
    let mut weights = 0.0f64;
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
                weights += factor(decay, age(t));
            }
            newest = newest.max(t);
            oldest = oldest.min(t);
        }
    }
    if decay == Decay::None {
        weights = f64::from(time.counted);
    }
    if time.counted > 0 {
        time.newest_age = Some(age(newest));
        time.oldest_age = Some(age(oldest));
    }
    let fired = time.counted >= step.min;
    if !fired {
        return (RuleTrace { fired, uncapped: 0, points: 0 }, time);
    }
    let points = step.points as f64;
    let (undecayed, uncapped) = if step.each {
        (step.points.saturating_mul(i64::from(time.counted)), round(points * weights))
    } else {
        let age = time.newest_age.unwrap_or(0);
        (step.points, round(points * factor(timed.clock.decay, age)))
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
    fn factors_follow_the_documented_formulas() {
        assert_eq!(factor(Decay::None, 10 * DAY), 1.0);
        assert_eq!(factor(Decay::HalfLife(DAY), 2 * DAY), 0.25);
        assert_eq!(factor(Decay::Linear(10 * DAY), 4 * DAY), 0.6);
        assert_eq!(factor(Decay::Linear(10 * DAY), 11 * DAY), 0.0);
        assert_eq!(factor(Decay::Expire(DAY), DAY), 1.0);
        assert_eq!(factor(Decay::Expire(DAY), DAY + 1), 0.0);
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!((round(2.5), round(-2.5), round(2.49), round(f64::INFINITY)), (3, -3, 2, i64::MAX));
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
        // Once: 10 × factor(age of the newest, 1d) = 5.
        let (trace, _) = score(&rule(10, false, 0, 1, clock), &events[1..], as_of);
        assert_eq!(trace.points, 5);
        // Negative points: -3 × 1.75 = -5.25 -> -5; limited from below at -4.
        let (trace, _) = score(&rule(-3, true, -4, 1, clock), &events, as_of);
        assert_eq!((trace.uncapped, trace.points), (-5, -4));
    }
}
