//! The rules of a program as features of its history.
//!
//! In: a checked [`Scorecard`] and the review's [`Row`]s (each with the
//! points every rule gave). Out: a [`Rules`] table — per rule, its
//! category, points, cap and *units* on every row (the points it gave
//! divided by its points: 1 or 0 for a `fit` or a once-only behaviour
//! rule, the occurrences it counted for an `each` rule, fractions under
//! `decay`) — and the regression [`Design`] over the rules the history
//! can judge, with the must-have blocks as one more, unpenalised, feature.

use super::logistic::{Design, Feature, Sign};
use crate::check::{RuleKind, Scorecard};
use crate::review::Row;

/// One rule as the fit sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleData {
    /// Its category's index.
    pub category: usize,
    /// Its points as written.
    pub points: i64,
    /// Its `each max` cap, if any.
    pub cap: Option<i64>,
    /// The most units it can give: its cap over its points, else 1.
    pub max_units: f64,
    /// Its units on each row.
    pub units: Vec<f64>,
    /// On how many rows it fired.
    pub fired: usize,
    /// Whether the history varies on it (it fires on some rows, not all,
    /// or counts differently): else it says nothing about its points.
    pub informative: bool,
}

/// Every rule of the program over the history.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// Per rule, in program order.
    pub rules: Vec<RuleData>,
    /// Per category, its `max`.
    pub maxima: Vec<Option<i64>>,
    /// Per row, the must-have blocks it met (its rank less its points).
    pub blocks: Vec<f64>,
    /// Per row, whether it converted.
    pub outcome: Vec<bool>,
    /// The highest `points` value (99 in the digit layout, else 100).
    pub ceiling: i64,
}

impl Rules {
    /// The rules of `card` over `rows`.
    pub fn new(card: &Scorecard, rows: &[Row]) -> Rules {
        let rules = card
            .rules()
            .enumerate()
            .map(|(r, (category, rule))| {
                let cap = match &rule.kind {
                    RuleKind::Behaviour(b) if b.per_occurrence => b.cap,
                    _ => None,
                };
                let units: Vec<f64> = rows
                    .iter()
                    .map(|row| {
                        let given = row.rule_points.get(r).copied().unwrap_or(0);
                        match rule.points {
                            0 => f64::from(u8::from(row.fired.get(r).copied().unwrap_or(false))),
                            p => given as f64 / p as f64,
                        }
                    })
                    .collect();
                let fired = rows.iter().filter(|row| row.fired.get(r).copied().unwrap_or(false)).count();
                let informative = units.iter().any(|&u| u != units[0]);
                let max_units = match (cap, rule.points) {
                    (Some(c), p) if p != 0 => c as f64 / p as f64,
                    _ => 1.0,
                };
                RuleData { category, points: rule.points, cap, max_units, units, fired, informative }
            })
            .collect();
        Rules {
            rules,
            maxima: card.categories.iter().map(|c| c.max).collect(),
            blocks: rows.iter().map(|r| (r.rank() - r.points) as f64).collect(),
            outcome: rows.iter().map(|r| r.converted).collect(),
            ceiling: card.points_ceiling(),
        }
    }

    /// The regression design over the informative rules (returned with
    /// the index of the rule each feature is), their weights kept on the
    /// side of zero the rule's points are (either side with
    /// `allow_flip`), plus the must-have blocks when they vary.
    pub fn design(&self, allow_flip: bool) -> (Design, Vec<usize>) {
        let mut features = Vec::new();
        let mut which = Vec::new();
        for (r, rule) in self.rules.iter().enumerate().filter(|(_, rule)| rule.informative) {
            let sign = match (allow_flip, rule.points.signum()) {
                (false, 1) => Sign::NonNegative,
                (false, -1) => Sign::NonPositive,
                _ => Sign::Free,
            };
            features.push(Feature { values: rule.units.clone(), sign, penalised: true });
            which.push(r);
        }
        if self.blocks.iter().any(|&b| b != self.blocks[0]) {
            let values = self.blocks.iter().map(|b| b / 100.0).collect();
            features.push(Feature { values, sign: Sign::Free, penalised: false });
        }
        (Design { features, outcome: self.outcome.clone() }, which)
    }

    /// Row `i`'s rank under the points `points` (one per rule, as the
    /// program would total them): its must-have blocks plus its category
    /// totals, each limited by its `max`, summed and kept in
    /// `0..=ceiling`.
    pub fn rank(&self, i: usize, points: &[i64]) -> f64 {
        self.blocks[i] + self.points(i, points)
    }

    /// Row `i`'s `points` outcome under the points `points`: its category
    /// totals, each limited by its `max`, summed and kept in `0..=ceiling`.
    pub fn points(&self, i: usize, points: &[i64]) -> f64 {
        let mut totals = vec![0f64; self.maxima.len()];
        for (rule, &p) in self.rules.iter().zip(points) {
            totals[rule.category] += p as f64 * rule.units[i];
        }
        let sum: f64 =
            totals.iter().zip(&self.maxima).map(|(&t, max)| max.map_or(t, |m| t.min(m as f64))).sum();
        sum.clamp(0.0, self.ceiling as f64)
    }
}
