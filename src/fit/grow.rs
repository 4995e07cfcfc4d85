//! Candidate rules for `leadc fit --grow`: the tests the history suggests.
//!
//! In: the schema and the history's rows (their field values and
//! behaviour counts). Out: [`Candidate`]s — for each bool field the field
//! itself, for each enum and string field its values with enough leads
//! (the 20 most common strings), for each int and number field `>=` at
//! its deciles, for each behaviour `>= k` for k in 1, 2, 3, 5 — each with
//! its indicator on every row, and without the ones that select exactly
//! the leads an existing rule (or an earlier candidate) does.

use crate::check::Test;
use crate::check::render;
use crate::lead::Value;
use crate::review::Row;
use crate::schema::{FieldId, FieldType, Schema};
use crate::syntax::ast::CmpOp;
use std::collections::{BTreeMap, HashSet};

/// The fewest leads a candidate must select, and must leave out.
const MIN_LEADS: usize = 20;
/// The most values of one string field tried.
const MAX_STRINGS: usize = 20;
/// Behaviour counts tried: `>= k`.
const COUNTS: [u32; 4] = [1, 2, 3, 5];

/// A rule the history suggests.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The rule without its points: `fit employees >= 120`,
    /// `behaviour webinar_attended >= 2`.
    pub head: String,
    /// 1 on the rows it fires for, else 0.
    pub values: Vec<f64>,
}

/// The candidates over `rows`, none selecting the same leads as one of
/// `taken` (indicators of the existing rules).
pub fn candidates(schema: &Schema, rows: &[Row], taken: &[Vec<f64>]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (i, field) in schema.fields().iter().enumerate() {
        let id = FieldId(i as u32);
        let column: Vec<&Value> = rows.iter().map(|r| r.values.get(i).unwrap_or(&Value::Missing)).collect();
        for test in field_tests(&field.ty, &column) {
            let values = column.iter().map(|v| f64::from(u8::from(holds(&test, v)))).collect();
            out.push(Candidate { head: format!("fit {}", render::test_text(schema, id, &test)), values });
        }
    }
    for (b, name) in schema.behaviours().iter().enumerate() {
        for k in COUNTS {
            let values =
                rows.iter().map(|r| f64::from(u8::from(r.counts.get(b).is_some_and(|&c| c >= k)))).collect();
            let head = match k {
                1 => format!("behaviour {name}"),
                k => format!("behaviour {name} >= {k}"),
            };
            out.push(Candidate { head, values });
        }
    }
    let mut seen: HashSet<Vec<bool>> = taken.iter().map(|t| t.iter().map(|&x| x != 0.0).collect()).collect();
    out.retain(|c| {
        let on = c.values.iter().filter(|&&x| x != 0.0).count();
        let pattern: Vec<bool> = c.values.iter().map(|&x| x != 0.0).collect();
        on >= MIN_LEADS && rows.len() - on >= MIN_LEADS && seen.insert(pattern)
    });
    out
}

/// Whether a candidate's test holds of a value (a missing value, or one
/// of another type, fails it).
fn holds(test: &Test, value: &Value) -> bool {
    match (test, value) {
        (Test::Bool(want), Value::Bool(have)) => want == have,
        (Test::EnumIn { values, negated }, Value::Enum(v)) => values.contains(v) != *negated,
        (Test::Text(crate::check::TextTest::Eq, t), Value::Text(v)) => t == v,
        (Test::Int(CmpOp::Ge, k), Value::Int(v)) => v >= k,
        (Test::Number(CmpOp::Ge, k), Value::Number(v)) => v >= k,
        _ => false,
    }
}

/// The tests tried on one field, given its values.
fn field_tests(ty: &FieldType, column: &[&Value]) -> Vec<Test> {
    match ty {
        FieldType::Bool => vec![Test::Bool(true)],
        FieldType::Enum(values) => {
            (0..values.len() as u32).map(|v| Test::EnumIn { values: vec![v], negated: false }).collect()
        }
        FieldType::String => {
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for v in column {
                if let Value::Text(t) = v {
                    *counts.entry(t.as_str()).or_default() += 1;
                }
            }
            let mut common: Vec<(&str, usize)> = counts.into_iter().collect();
            common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            common
                .into_iter()
                .take(MAX_STRINGS)
                .map(|(t, _)| Test::Text(crate::check::TextTest::Eq, t.to_string()))
                .collect()
        }
        FieldType::Int => {
            let mut values: Vec<i64> =
                column.iter().filter_map(|v| if let Value::Int(x) = v { Some(*x) } else { None }).collect();
            deciles(&mut values).into_iter().map(|k| Test::Int(CmpOp::Ge, k)).collect()
        }
        FieldType::Number => {
            let mut values: Vec<i64> = column
                .iter()
                .filter_map(|v| match v {
                    // Cut points are whole numbers, as people write them.
                    Value::Number(x) if x.is_finite() => Some(x.round() as i64),
                    _ => None,
                })
                .collect();
            deciles(&mut values).into_iter().map(|k| Test::Number(CmpOp::Ge, k as f64)).collect()
        }
    }
}

/// The distinct values at the 10th, 20th, ..., 90th percentiles, rounded
/// to two significant digits (`>= 1234` is written `>= 1200`).
fn deciles(values: &mut [i64]) -> Vec<i64> {
    if values.is_empty() {
        return Vec::new();
    }
    values.sort_unstable();
    let mut cuts: Vec<i64> = (1..10).map(|d| round2(values[values.len() * d / 10])).collect();
    cuts.dedup();
    cuts
}

fn round2(x: i64) -> i64 {
    let magnitude = x.unsigned_abs();
    if magnitude < 100 {
        return x;
    }
    let step = 10i64.pow(magnitude.ilog10() - 1);
    (x as f64 / step as f64).round() as i64 * step
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_points_are_round_deciles() {
        let mut v: Vec<i64> = (1..=1000).collect();
        assert_eq!(deciles(&mut v), [100, 200, 300, 400, 500, 600, 700, 800, 900]);
        assert_eq!(round2(1234), 1200);
        assert_eq!(round2(-5678), -5700);
        assert_eq!(round2(42), 42);
        assert!(deciles(&mut []).is_empty());
    }
}

/// A rule `--grow` added, and what it did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Added {
    /// The rule without its points.
    pub head: String,
    /// On how many history leads it fires.
    pub fired: usize,
    /// The cross-validated AUC of the fitted model before it was added.
    pub auc_before: f64,
    /// ... and with it.
    pub auc_after: f64,
    /// Its category.
    pub category: String,
    /// Its fitted points.
    pub points: i64,
}

/// The smallest cross-validated AUC gain worth a rule.
const MIN_GAIN: f64 = 0.002;
/// Candidates tried by cross-validation at each step (the best by the
/// score test at the current fit).
const SHORTLIST: usize = 6;

/// The mean held-out AUC of the fitted linear predictor: each fold ranked
/// by a fit on the others (`assignment` gives each row's fold), with each
/// fold's model. Each fit starts from `starts` (the models of a design
/// without feature `added`, which starts at 0) when given.
pub fn cv_auc(
    design: &super::logistic::Design,
    (assignment, folds, lambda): (&[usize], usize, f64),
    starts: Option<(&[super::logistic::Weights], usize)>,
) -> (f64, Vec<super::logistic::Weights>) {
    let mut total = 0.0;
    let mut models = Vec::with_capacity(folds);
    for f in 0..folds {
        let (train, test): (Vec<usize>, Vec<usize>) =
            (0..assignment.len()).partition(|&i| assignment[i] != f);
        let start = starts.and_then(|(models, added)| {
            let mut start = models.get(f)?.clone();
            start.weights.insert(added.min(start.weights.len()), 0.0);
            Some(start)
        });
        let model = super::logistic::fit_from(design, &train, lambda, start.as_ref());
        let mut scored: Vec<(f64, bool)> =
            test.iter().map(|&i| (model.eta(design, i), design.outcome[i])).collect();
        total += crate::review::auc_of(&mut scored).unwrap_or(0.5);
        models.push(model);
    }
    (total / folds as f64, models)
}

/// The score statistic of adding `x` to the model whose fitted
/// probabilities are `p`: how far the loss's slope along `x` is from 0,
/// in standard errors.
fn score_test(x: &[f64], p: &[f64], y: &[bool]) -> f64 {
    let (mut slope, mut information) = (0.0, 0.0);
    for ((&x, &p), &y) in x.iter().zip(p).zip(y) {
        slope += x * (f64::from(u8::from(y)) - p);
        information += x * x * p * (1.0 - p);
    }
    if information <= 0.0 { 0.0 } else { slope.abs() / information.sqrt() }
}

/// Adds up to `most` of `candidates` to `design` (each at the end of the
/// rule features, before the must-have blocks, `rules_before` of them),
/// one at a time, the one that raises the cross-validated AUC most, while
/// it rises by at least `MIN_GAIN` (0.002); returns the ones added, in
/// order, and each fold's model of the grown design.
pub fn grow(
    design: &mut super::logistic::Design,
    rule_features: usize,
    candidates: Vec<Candidate>,
    (assignment, folds, lambda): (&[usize], usize, f64),
    most: usize,
) -> (Vec<(Candidate, Added)>, Vec<super::logistic::Weights>) {
    use super::logistic::{Feature, Sign, fit};
    let all: Vec<usize> = (0..design.outcome.len()).collect();
    let mut left = candidates;
    let mut added = Vec::new();
    let cv = (assignment, folds, lambda);
    let (mut current, mut models) = cv_auc(design, cv, None);
    while added.len() < most && !left.is_empty() {
        let model = fit(design, &all, lambda);
        let p: Vec<f64> = all.iter().map(|&i| 1.0 / (1.0 + (-model.eta(design, i)).exp())).collect();
        let mut ranked: Vec<(f64, usize)> =
            left.iter().enumerate().map(|(k, c)| (score_test(&c.values, &p, &design.outcome), k)).collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        let at = rule_features + added.len();
        let mut best: Option<(f64, usize, Vec<super::logistic::Weights>)> = None;
        for &(_, k) in ranked.iter().take(SHORTLIST) {
            let mut trial = design.clone();
            let feature = Feature { values: left[k].values.clone(), sign: Sign::Free, penalised: true };
            trial.features.insert(at, feature);
            let (auc, trial_models) = cv_auc(&trial, cv, Some((&models, at)));
            if best.as_ref().is_none_or(|(b, _, _)| auc > *b) {
                best = Some((auc, k, trial_models));
            }
        }
        let Some((auc, k, trial_models)) = best.filter(|(auc, _, _)| *auc >= current + MIN_GAIN) else {
            break;
        };
        models = trial_models;
        let candidate = left.swap_remove(k);
        design
            .features
            .insert(at, Feature { values: candidate.values.clone(), sign: Sign::Free, penalised: true });
        let fired = candidate.values.iter().filter(|&&x| x != 0.0).count();
        let head = candidate.head.clone();
        let (category, points) = (String::new(), 0);
        added.push((candidate, Added { head, fired, auc_before: current, auc_after: auc, category, points }));
        current = auc;
    }
    (added, models)
}
