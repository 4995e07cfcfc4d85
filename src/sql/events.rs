//! Behaviour rules as SQL: counts from the leads table, timestamped events
//! from a long events table.
//!
//! In: a behaviour rule (and, for an event behaviour, its index among the
//! program's timed rules). Out: the aggregates the events stage computes
//! per lead for the rule, and the expressions of the rule's points and of
//! whether it fired — docs/language.md, "Time", steps 1 to 4, in SQL.
//!
//! Exact but for `decay half_life`: counts, windows, `expire` and `decay
//! linear` are integer arithmetic (a linear rule's `n × Σ (D - a) / D` is
//! rounded half away from zero from its exact numerator, in a wide integer
//! type). A half-life weight `2^(-a / H)` is the engine's `pow` in double
//! precision, and the rule's `n × Σ w` a double sum rounded half away from
//! zero; docs/sql.md says where that can differ from leadc by a point.

use super::dialect::Dialect;
use crate::check::{BehaviourRule, Decay};

/// One rule on an event behaviour, and the names of the columns the
/// events stage computes for it: its counted events, and (for a decayed
/// rule) their summed weight, or for a rule scored once the newest counted
/// event's age.
pub(super) struct TimedRule<'a> {
    /// The rule.
    pub rule: &'a BehaviourRule,
    /// Its points.
    pub points: i64,
    /// The behaviour's name.
    pub behaviour: &'a str,
    /// The quoted name of the counted events' column.
    pub count: String,
    /// The quoted name of the weight's (or newest age's) column.
    pub weight: String,
}

impl TimedRule<'_> {
    /// The filter of the rule's counted events: its behaviour, not in the
    /// future, inside its window.
    fn counted(&self, d: Dialect) -> String {
        let age = d.ident("age");
        let mut filter = format!("{} = {} AND {age} >= 0", d.ident("behaviour"), d.string(self.behaviour));
        if let Some(window) = self.rule.clock.window {
            filter.push_str(&format!(" AND {age} < {window}"));
        }
        filter
    }

    /// The events stage's aggregates for this rule.
    pub fn aggregates(&self, d: Dialect) -> Vec<String> {
        let filter = self.counted(d);
        let age = d.ident("age");
        let mut columns = vec![format!("count(*) FILTER (WHERE {filter}) AS {}", self.count)];
        let b = self.rule;
        let aggregate = match (b.per_occurrence, b.clock.decay) {
            (_, Decay::None) => None,
            // Once: the newest counted event's age decides.
            (false, _) => Some(format!("min({age}) FILTER (WHERE {filter})")),
            (true, Decay::Expire(e)) => Some(format!("count(*) FILTER (WHERE {filter} AND {age} <= {e})")),
            (true, Decay::Linear(l)) => {
                Some(format!("sum(GREATEST({l} - {age}, 0)) FILTER (WHERE {filter})"))
            }
            (true, Decay::HalfLife(h)) => {
                Some(format!("sum({}) FILTER (WHERE {filter})", half_life(d, &age, h)))
            }
        };
        if let Some(aggregate) = aggregate {
            columns.push(format!("{aggregate} AS {}", self.weight));
        }
        columns
    }

    /// The counted events, 0 for a lead without any (`e` is the events
    /// stage's alias).
    pub fn count(&self) -> String {
        format!("COALESCE(e.{}, 0)", self.count)
    }

    /// The rule's points before its `each max` cap, when it fires.
    pub fn uncapped(&self, d: Dialect) -> String {
        let (b, n) = (self.rule, self.points);
        let count = self.count();
        let weight = format!("e.{}", self.weight);
        match (b.per_occurrence, b.clock.decay) {
            (false, Decay::None) => n.to_string(),
            (true, Decay::None) => times(n, &count),
            (false, Decay::Expire(e)) => format!("CASE WHEN {weight} <= {e} THEN {n} ELSE 0 END"),
            (true, Decay::Expire(_)) => times(n, &weight),
            (false, Decay::Linear(l)) => exact_round(d, n, &format!("GREATEST({l} - {weight}, 0)"), l),
            (true, Decay::Linear(l)) => exact_round(d, n, &weight, l),
            (false, Decay::HalfLife(h)) => double_round(&times(n, &half_life(d, &weight, h))),
            (true, Decay::HalfLife(_)) => double_round(&times(n, &weight)),
        }
    }
}

/// `n * x`, or `x` when `n` is 1.
pub(super) fn times(n: i64, x: &str) -> String {
    if n == 1 { x.to_string() } else { format!("{n} * {x}") }
}

/// `2^(-age / h)` in double precision, as leadc computes it: the age and
/// the half-life as doubles, divided.
fn half_life(d: Dialect, age: &str, h: i64) -> String {
    d.exp2(&format!("CAST(-{age} AS {}) / {}", d.double_type(), d.double(h as f64)))
}

/// `round(n × p / q)` half away from zero, exactly, for `p >= 0` and
/// `q >= 1`: `sign(n) × floor((2 |n| p + q) / 2q)`, in the dialect's wide
/// integer type, then clamped to 64 bits.
fn exact_round(d: Dialect, n: i64, p: &str, q: i64) -> String {
    if n == 0 {
        return "0".into();
    }
    let wide = d.wide_type();
    let numerator = format!("CAST({} AS {wide}) * CAST({p} AS {wide}) + {q}", 2 * i128::from(n).abs());
    let quotient = d.int_div(&numerator, &(2 * i128::from(q)).to_string());
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}CAST(LEAST({quotient}, {}) AS BIGINT)", i64::MAX)
}

/// A double rounded half away from zero to a `BIGINT`.
fn double_round(x: &str) -> String {
    format!("CAST(SIGN({x}) * FLOOR(ABS({x}) + 0.5E0) AS BIGINT)")
}

/// A behaviour rule's points: `uncapped` limited by its `each max` cap,
/// when `count >= min`; else 0.
pub(super) fn behaviour_points(b: &BehaviourRule, n: i64, count: &str, min: u32, uncapped: &str) -> String {
    let capped = match b.cap {
        Some(m) if b.per_occurrence && n > 0 => format!("LEAST({uncapped}, {m})"),
        Some(m) if b.per_occurrence && n < 0 => format!("GREATEST({uncapped}, {m})"),
        _ => uncapped.to_string(),
    };
    if min == 0 {
        return capped;
    }
    format!("CASE WHEN {count} >= {min} THEN {capped} ELSE 0 END")
}
