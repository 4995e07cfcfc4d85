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

/// One rule on an event behaviour: the columns it needs from the events
/// stage, which names them `"count N"` and `"weight N"` (`"newest N"`, the
/// newest counted event's age, for a decayed rule scored once; `N` from 1).
pub(super) struct TimedRule<'a> {
    /// The rule.
    pub rule: &'a BehaviourRule,
    /// The behaviour's name.
    pub behaviour: &'a str,
    /// Its number among the program's timed rules, from 1.
    pub number: usize,
}

impl TimedRule<'_> {
    /// The filter of the rule's counted events: its behaviour, not in the
    /// future, inside its window.
    fn counted(&self, d: Dialect) -> String {
        let mut filter = format!(
            "{} = {} AND {age} >= 0",
            d.ident("behaviour"),
            d.string(self.behaviour),
            age = d.ident("age")
        );
        if let Some(window) = self.rule.clock.window {
            filter.push_str(&format!(" AND {} < {window}", d.ident("age")));
        }
        filter
    }

    /// The name of the rule's second aggregate.
    fn weight_name(&self) -> String {
        let kind = if self.rule.per_occurrence { "weight" } else { "newest" };
        format!("{kind} {}", self.number)
    }

    /// The events stage's aggregates for this rule.
    pub fn aggregates(&self, d: Dialect) -> Vec<String> {
        let filter = self.counted(d);
        let age = d.ident("age");
        let mut columns = vec![format!(
            "count(*) FILTER (WHERE {filter}) AS {}",
            d.ident(&format!("count {}", self.number))
        )];
        let b = self.rule;
        let weight = d.ident(&self.weight_name());
        let aggregate = match (b.per_occurrence, b.clock.decay) {
            (_, Decay::None) => None,
            // Once: the newest counted event's age decides.
            (false, _) => Some(format!("min({age})")),
            (true, Decay::Expire(e)) => Some(format!("count(*) FILTER (WHERE {filter} AND {age} <= {e})")),
            (true, Decay::Linear(l)) => Some(format!("sum(GREATEST({l} - {age}, 0))")),
            (true, Decay::HalfLife(h)) => Some(format!("sum({})", half_life(d, &age, h))),
        };
        if let Some(aggregate) = aggregate {
            // `count(*) FILTER` already carries its filter.
            let aggregate = if aggregate.starts_with("count") {
                aggregate
            } else {
                format!("{aggregate} FILTER (WHERE {filter})")
            };
            columns.push(format!("{aggregate} AS {weight}"));
        }
        columns
    }

    /// The counted events, 0 for a lead without any (`e` is the events
    /// stage's alias).
    pub fn count(&self, d: Dialect) -> String {
        format!("COALESCE(e.{}, 0)", d.ident(&format!("count {}", self.number)))
    }

    /// The rule's points before its `each max` cap, when it fires.
    pub fn uncapped(&self, d: Dialect, n: i64) -> String {
        let b = self.rule;
        let count = self.count(d);
        let weight = format!("e.{}", d.ident(&self.weight_name()));
        match (b.per_occurrence, b.clock.decay) {
            (false, Decay::None) => n.to_string(),
            (true, Decay::None) => format!("{n} * {count}"),
            (false, Decay::Expire(e)) => format!("CASE WHEN {weight} <= {e} THEN {n} ELSE 0 END"),
            (true, Decay::Expire(_)) => format!("{n} * {weight}"),
            (false, Decay::Linear(l)) => exact_round(d, n, &format!("GREATEST({l} - {weight}, 0)"), l),
            (true, Decay::Linear(l)) => exact_round(d, n, &weight, l),
            (false, Decay::HalfLife(h)) => double_round(d, &format!("{n} * {}", half_life(d, &weight, h))),
            (true, Decay::HalfLife(_)) => double_round(d, &format!("{n} * {weight}")),
        }
    }
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
fn double_round(d: Dialect, x: &str) -> String {
    let _ = d;
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
