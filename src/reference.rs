//! The reference evaluator: a direct, deliberately simple interpreter of a
//! [`Scorecard`], written from `docs/language.md` ("How a lead is scored")
//! step by step.
//!
//! In: a checked [`Scorecard`] and one [`Lead`] laid out by its schema.
//! Out: the lead's [`Outcome`] and the [`Explanation`] of every must-have,
//! the segment arm and every rule.
//!
//! It exists to be obviously right, not fast: it allocates, walks the tree
//! on every call and shares no code with the bytecode lowering or the VM, so
//! that the differential tests (`tests/engine/differential.rs`) compare two
//! independent readings of the specification. Each step below is numbered
//! as in the specification.

use crate::check::{
    BehaviourRule, Category, Condition, Decay, FieldTest, OutcomeTest, OutcomeValue, Rule, RuleKind,
    Scorecard, Segment, Test, TextTest,
};
use crate::lead::{Lead, Value};
use crate::syntax::ast::CmpOp;
use crate::vm::outcome::{CategoryTotal, Explanation, Outcome, RuleTrace, TimeTrace};

/// Scores one lead by the specification.
///
/// ```
/// use leadc::check::{Category, Condition, FieldTest, Rule, RuleKind, Scorecard, Test};
/// use leadc::lead::{Lead, Value};
/// use leadc::schema::{FieldType, Schema};
/// use leadc::diag::span::Span;
/// use leadc::syntax::ast::CmpOp;
/// use std::sync::Arc;
///
/// let schema = Arc::new(Schema::builder().field("age", FieldType::Int).build().unwrap());
/// let age = schema.field_id("age").unwrap();
/// let adult = Condition::Test(FieldTest { field: age, test: Test::Int(CmpOp::Ge, 18), span: Span::new(0, 0) });
/// let scorecard = Scorecard {
///     schema: schema.clone(),
///     requires: vec![],
///     segment: None,
///     categories: vec![Category {
///         name: "fit".into(),
///         max: Some(25),
///         rules: vec![Rule { kind: RuleKind::Fit(adult), points: 30, span: Span::new(0, 0) }],
///         span: Span::new(0, 0),
///     }],
///     tiers: vec![],
///     lint_directives: vec![],
/// };
/// let mut lead = Lead::new(&schema);
/// lead.set(age, Value::Int(40));
/// let (outcome, explanation) = leadc::reference::evaluate(&scorecard, &lead);
/// assert_eq!(outcome.points, 25); // 30, capped by the category's max 25
/// assert!(explanation.rules[0].fired);
/// ```
pub fn evaluate(scorecard: &Scorecard, lead: &Lead) -> (Outcome, Explanation) {
    evaluate_at(scorecard, lead, None)
}

/// Scores one lead by the specification as of instant `as_of` (seconds
/// since the Unix epoch), or *timeless* when `None` — docs/language.md,
/// "Time": every event counts, as if it had just happened.
pub fn evaluate_at(scorecard: &Scorecard, lead: &Lead, as_of: Option<i64>) -> (Outcome, Explanation) {
    // 1. Must-haves.
    let requires: Vec<bool> =
        scorecard.requires.iter().map(|r| field_condition(&r.condition, lead)).collect();
    let requires_met = requires.iter().filter(|met| **met).count() as u32;
    let qualified = requires.iter().all(|met| *met);
    let requires_points = scorecard
        .requires
        .iter()
        .zip(&requires)
        .filter(|(_, met)| **met)
        .fold(0i64, |sum, (r, _)| sum.saturating_add(r.points));

    // 2. Segment digit.
    let segment_arm = scorecard.segment.as_ref().and_then(|s| segment_arm(s, lead));
    let segment = match (&scorecard.segment, segment_arm) {
        (Some(s), Some(arm)) => s.arms.get(arm).map_or(0, |a| a.digit),
        _ => 0,
    };

    // 3. Rules, and 4. categories.
    let mut rules = Vec::new();
    let mut times = Vec::new();
    let mut categories = Vec::new();
    for category in &scorecard.categories {
        let traced: Vec<(RuleTrace, Option<TimeTrace>)> =
            category.rules.iter().map(|r| rule(scorecard, r, lead, as_of)).collect();
        let traces: Vec<RuleTrace> = traced.iter().map(|(t, _)| *t).collect();
        categories.push(category_total(category, &traces));
        rules.extend(traces);
        times.extend(traced.into_iter().map(|(_, time)| time));
    }
    // The time of every rule is explained when any rule counts events.
    if times.iter().all(Option::is_none) {
        times.clear();
    }

    // 5. Points.
    let sum = categories.iter().fold(0i64, |sum, c| sum.saturating_add(c.capped));
    let points = sum.clamp(0, scorecard.points_ceiling());

    // 6. Score.
    let score = (i64::from(segment) * 1000).saturating_add(requires_points).saturating_add(points);

    let mut outcome = Outcome { score, points, qualified, requires_met, segment, tier: None, categories };

    // 7. Tier.
    outcome.tier =
        scorecard.tiers.iter().position(|t| t.when.as_ref().is_none_or(|c| outcome_condition(c, &outcome)));

    (outcome, Explanation { requires, segment_arm, rules, times })
}

/// The index of the first arm whose test holds for the segment's field; none
/// when the field is missing.
fn segment_arm(segment: &Segment, lead: &Lead) -> Option<usize> {
    let value = lead.value(segment.field);
    if *value == Value::Missing {
        return None;
    }
    segment.arms.iter().position(|arm| test(&arm.test, value))
}

/// What one rule gives its category.
fn rule(
    scorecard: &Scorecard,
    rule: &Rule,
    lead: &Lead,
    as_of: Option<i64>,
) -> (RuleTrace, Option<TimeTrace>) {
    match &rule.kind {
        RuleKind::Fit(condition) => {
            if field_condition(condition, lead) {
                (RuleTrace { fired: true, uncapped: rule.points, points: rule.points }, None)
            } else {
                (RuleTrace::default(), None)
            }
        }
        RuleKind::Behaviour(b) if scorecard.schema.is_event(b.behaviour) => {
            let (trace, time) = timed_behaviour(b, rule.points, lead.events(b.behaviour), as_of);
            (trace, Some(time))
        }
        RuleKind::Behaviour(b) => (behaviour(b, rule.points, lead.count(b.behaviour)), None),
    }
}

/// A behaviour rule on timestamped events, by "Time" steps 1–4.
fn timed_behaviour(b: &BehaviourRule, n: i64, events: &[i64], as_of: Option<i64>) -> (RuleTrace, TimeTrace) {
    // Timeless: every event counts, at age 0.
    let age = |t: i64| as_of.map_or(0, |now| now.saturating_sub(t));
    // 1. Events after as_of, and outside the window (as_of - D, as_of], are ignored.
    let future = |t: i64| as_of.is_some_and(|now| t > now);
    let outside = |t: i64| match (as_of, b.clock.window) {
        (Some(now), Some(d)) => t <= now.saturating_sub(d),
        _ => false,
    };
    let counted: Vec<i64> = events.iter().copied().filter(|&t| !future(t) && !outside(t)).collect();
    let mut time = TimeTrace {
        counted: counted.len() as u32,
        future: events.iter().filter(|&&t| future(t)).count() as u32,
        outside_window: events.iter().filter(|&&t| !future(t) && outside(t)).count() as u32,
        newest_age: counted.iter().max().map(|&t| age(t)),
        oldest_age: counted.iter().min().map(|&t| age(t)),
        undecayed: 0,
    };
    // 2. The threshold tests the undecayed count.
    if time.counted < b.min_count.max(1) {
        return (RuleTrace::default(), time);
    }
    // 3. Points: once by the newest event's weight, `each` by the sum of
    // weights, each weight an exact fraction over the decay's denominator.
    let weight = |t: i64| decay_weight(b.clock.decay, age(t));
    let denominator = decay_weight(b.clock.decay, 0).1;
    let (undecayed, uncapped) = if b.per_occurrence {
        let sum = counted.iter().fold(0i128, |sum, &t| sum.saturating_add(weight(t).0));
        (n.saturating_mul(i64::from(time.counted)), round_half_away(n, sum, denominator))
    } else {
        let newest = counted.iter().max().copied().unwrap_or(0);
        (n, round_half_away(n, weight(newest).0, denominator))
    };
    time.undecayed = undecayed;
    // 4. `each max m` limits the rounded total.
    let points = match b.cap {
        Some(m) if b.per_occurrence && n > 0 => uncapped.min(m),
        Some(m) if b.per_occurrence && n < 0 => uncapped.max(m),
        _ => uncapped,
    };
    (RuleTrace { fired: true, uncapped, points }, time)
}

/// The weight of an event of age `a` seconds: the "Time" table, as a
/// fraction (numerator, denominator) with the same denominator at every age.
/// Exact but for the half-life, which is `2^(-a / d)` in floating point
/// truncated to a multiple of `2^-64`.
fn decay_weight(decay: Decay, a: i64) -> (i128, i128) {
    match decay {
        Decay::None => (1, 1),
        Decay::HalfLife(d) => {
            let w = (-(a as f64) / d.max(1) as f64).exp2();
            ((w * 18_446_744_073_709_551_616.0).floor() as i128, 1 << 64)
        }
        Decay::Linear(d) => {
            let d = i128::from(d.max(1));
            ((d - i128::from(a)).max(0), d)
        }
        Decay::Expire(d) => (i128::from(a <= d), 1),
    }
}

/// `n × p / q` (`p >= 0`, `q >= 1`) rounded half away from zero (`2.5 →
/// 3`, `-2.5 → -3`), exactly, saturating at the `i64` bounds.
fn round_half_away(n: i64, p: i128, q: i128) -> i64 {
    let saturated = if n < 0 { i64::MIN } else { i64::MAX };
    let Some(x) = i128::from(n).checked_mul(p) else { return saturated };
    let (magnitude, q) = (x.unsigned_abs(), q.max(1).unsigned_abs());
    // floor(|x| / q + 1/2), the half rounding up: away from zero.
    let rounded = magnitude / q + u128::from(2 * (magnitude % q) >= q);
    let Ok(rounded) = i128::try_from(rounded) else { return saturated };
    i64::try_from(if x < 0 { -rounded } else { rounded }).unwrap_or(saturated)
}

/// `behaviour B [>= k] : n [each [max m]]` with count `c`.
fn behaviour(b: &BehaviourRule, n: i64, c: u32) -> RuleTrace {
    if c < b.min_count {
        return RuleTrace::default();
    }
    if !b.per_occurrence {
        return RuleTrace { fired: true, uncapped: n, points: n };
    }
    let uncapped = n.saturating_mul(i64::from(c));
    let points = match b.cap {
        None => uncapped,
        Some(m) if n > 0 => uncapped.min(m),
        Some(m) if n < 0 => uncapped.max(m),
        // n = 0: n × c is 0 and a cap never moves it.
        Some(_) => uncapped,
    };
    RuleTrace { fired: true, uncapped, points }
}

/// A category's raw and capped totals from its rules' traces.
fn category_total(category: &Category, traces: &[RuleTrace]) -> CategoryTotal {
    let raw = traces.iter().fold(0i64, |sum, t| sum.saturating_add(t.points));
    let capped = match category.max {
        Some(max) => raw.min(max),
        None => raw,
    };
    CategoryTotal { raw, capped }
}

/// Whether a condition on the lead's fields holds.
fn field_condition(condition: &Condition<FieldTest>, lead: &Lead) -> bool {
    match condition {
        Condition::Test(t) => test(&t.test, lead.value(t.field)),
        Condition::Not(inner) => !field_condition(inner, lead),
        Condition::All(parts) => parts.iter().all(|p| field_condition(p, lead)),
        Condition::Any(parts) => parts.iter().any(|p| field_condition(p, lead)),
    }
}

/// Whether a test holds of a field's value. A missing value fails every test
/// but `is missing`; a value of the wrong type for the test fails it too.
fn test(test: &Test, value: &Value) -> bool {
    match (test, value) {
        (Test::Missing, v) => *v == Value::Missing,
        (Test::Present, v) => *v != Value::Missing,
        (_, Value::Missing) => false,
        (Test::Bool(want), Value::Bool(have)) => want == have,
        (Test::Int(op, k), Value::Int(v)) => compare(*op, v, k),
        (Test::Number(op, k), Value::Number(v)) => compare(*op, v, k),
        (Test::IntRange { lo, hi, negated }, Value::Int(v)) => (lo <= v && v <= hi) != *negated,
        (Test::NumberRange { lo, hi, negated }, Value::Number(v)) => (lo <= v && v <= hi) != *negated,
        (Test::Text(op, text), Value::Text(v)) => text_test(*op, v, text),
        (Test::TextIn { values, negated }, Value::Text(v)) => values.contains(v) != *negated,
        (Test::EnumIn { values, negated }, Value::Enum(v)) => values.contains(v) != *negated,
        _ => false,
    }
}

/// `value op constant`.
fn compare<T: PartialOrd>(op: CmpOp, value: &T, constant: &T) -> bool {
    match op {
        CmpOp::Eq => value == constant,
        CmpOp::Ne => value != constant,
        CmpOp::Lt => value < constant,
        CmpOp::Le => value <= constant,
        CmpOp::Gt => value > constant,
        CmpOp::Ge => value >= constant,
    }
}

/// A string field's value tested against a text, case-sensitively.
fn text_test(op: TextTest, value: &str, text: &str) -> bool {
    match op {
        TextTest::Eq => value == text,
        TextTest::Ne => value != text,
        TextTest::Contains => value.contains(text),
        TextTest::StartsWith => value.starts_with(text),
        TextTest::EndsWith => value.ends_with(text),
    }
}

/// Whether a tier condition holds of an outcome.
fn outcome_condition(condition: &Condition<OutcomeTest>, outcome: &Outcome) -> bool {
    match condition {
        Condition::Test(OutcomeTest::Qualified) => outcome.qualified,
        Condition::Test(OutcomeTest::Compare(value, op, k)) => {
            compare(*op, &outcome_value(*value, outcome), k)
        }
        Condition::Not(inner) => !outcome_condition(inner, outcome),
        Condition::All(parts) => parts.iter().all(|p| outcome_condition(p, outcome)),
        Condition::Any(parts) => parts.iter().any(|p| outcome_condition(p, outcome)),
    }
}

/// The number a tier condition compares. An unknown category is 0.
fn outcome_value(value: OutcomeValue, outcome: &Outcome) -> i64 {
    match value {
        OutcomeValue::Points => outcome.points,
        OutcomeValue::Score => outcome.score,
        OutcomeValue::RequiresMet => i64::from(outcome.requires_met),
        OutcomeValue::Segment => i64::from(outcome.segment),
        OutcomeValue::Category(i) => outcome.categories.get(i).map_or(0, |c| c.capped),
    }
}
