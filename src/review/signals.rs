//! Signals the program does not use: candidate new rules.
//!
//! In: the [`Model`] (which fields and behaviours its rules and must-haves
//! use) and the [`Row`]s. Out: per field or behaviour examined, the one
//! condition that best separates converters (largest |z|), as a [`Signal`]
//! marked `candidate` when it is strong and significant.
//!
//! Examined:
//! - every field no rule or must-have tests (a field only the segment block
//!   tests counts as unused: the digit gives no points): for string, enum and bool
//!   fields each value (and "missing") with at least [`MIN_SUPPORT`] leads;
//!   for int and number fields the best single threshold (`>= t` or `< t`);
//!   both directions count (strong lift: a new rule; weak lift: a penalty);
//! - every behaviour no rule counts: the best `>= k`, both directions;
//! - the string, enum and bool fields the program does test: only the
//!   values none of its tests covers, and only for strong lift — leads with
//!   uncovered values already score less, so a weak rate there is the
//!   existing rules working, not a missing penalty.

use super::report::{GroupRate, Signal, SignalKind};
use super::stats::{rate, z_score};
use super::{FieldMeta, MIN_SUPPORT, MIN_Z, Model, Row, STRONG_LIFT, WEAK_LIFT};
use crate::lead::Value;
use crate::schema::FieldType;
use std::cmp::Ordering;
use std::collections::HashMap;

/// One signal per field or behaviour examined that has a condition with
/// enough support on both sides, fields first, in schema order.
pub fn analyse(model: &Model, rows: &[Row]) -> Vec<Signal> {
    let totals = Totals::of(rows);
    let mut out = Vec::new();
    for (index, field) in model.fields.iter().enumerate() {
        let found = match field.ty {
            FieldType::Int | FieldType::Number if !field.used() => {
                best_threshold(field, index, rows, &totals)
            }
            FieldType::Int | FieldType::Number => None,
            _ => best_value(field, index, rows, &totals),
        };
        out.extend(found);
    }
    for (index, behaviour) in model.behaviours.iter().enumerate().filter(|(_, b)| !b.used) {
        let counts = rows.iter().map(|r| (f64::from(r.counts.get(index).copied().unwrap_or(0)), r.converted));
        let best = Splits::new(counts.collect())
            .candidates()
            .filter(|s| s.at >= 1.0 && s.upper && s.judge(&totals).supported(&totals))
            .max_by(|a, b| stronger(&a.judge(&totals), &b.judge(&totals)));
        if let Some(split) = best {
            let condition = format!("{} >= {}", behaviour.name, split.at);
            let groups = sides(&split, &condition, &format!("{} < {}", behaviour.name, split.at), &totals);
            let mut signal =
                split.judge(&totals).signal(SignalKind::Behaviour, &behaviour.name, false, condition, true);
            signal.groups = groups;
            out.push(signal);
        }
    }
    out
}

/// Which of two groups separates converters better: the larger |z|; on a
/// tie (two sides of one threshold), the one converting better, which a
/// rule would give points to.
fn stronger(a: &Judged, b: &Judged) -> Ordering {
    let (za, zb) = (a.z.abs(), b.z.abs());
    if (za - zb).abs() <= 1e-9 * za.max(zb).max(1.0) { a.z.total_cmp(&b.z) } else { za.total_cmp(&zb) }
}

/// Rows and converters overall.
struct Totals {
    rows: usize,
    converters: usize,
}

impl Totals {
    fn of(rows: &[Row]) -> Totals {
        Totals { rows: rows.len(), converters: rows.iter().filter(|r| r.converted).count() }
    }
}

/// A selected group of leads judged against the rest.
struct Judged {
    support: usize,
    converters: usize,
    rate: f64,
    rate_others: f64,
    lift: f64,
    z: f64,
}

impl Judged {
    fn new(support: usize, converters: usize, totals: &Totals) -> Judged {
        let others = totals.rows - support;
        let other_converters = totals.converters - converters;
        let overall = rate(totals.converters, totals.rows);
        let rate_selected = rate(converters, support);
        Judged {
            support,
            converters,
            rate: rate_selected,
            rate_others: rate(other_converters, others),
            lift: if overall == 0.0 { 0.0 } else { rate_selected / overall },
            z: z_score(converters, support, other_converters, others),
        }
    }

    fn supported(&self, totals: &Totals) -> bool {
        self.support >= MIN_SUPPORT && totals.rows - self.support >= MIN_SUPPORT
    }

    fn signal(self, kind: SignalKind, name: &str, used: bool, condition: String, both_ways: bool) -> Signal {
        let strong = self.lift >= STRONG_LIFT && self.z >= MIN_Z;
        let weak = both_ways && self.lift <= WEAK_LIFT && self.z <= -MIN_Z;
        Signal {
            kind,
            name: name.to_string(),
            used,
            condition,
            support: self.support,
            converters: self.converters,
            rate: self.rate,
            rate_others: self.rate_others,
            lift: self.lift,
            z: self.z,
            candidate: strong || weak,
            groups: Vec::new(),
        }
    }
}

/// The best value of a string, enum or bool field (uncovered values only
/// when the field is used).
fn best_value(field: &FieldMeta, index: usize, rows: &[Row], totals: &Totals) -> Option<Signal> {
    let used = field.used();
    // Grouped by value first (no text per row); covered values skipped.
    let mut groups: HashMap<Key, (usize, usize, &Value)> = HashMap::new();
    for row in rows {
        let value = row.values.get(index).unwrap_or(&Value::Missing);
        let Some(key) = Key::of(value) else { continue };
        let group = groups.entry(key).or_insert((0, 0, value));
        group.0 += 1;
        group.1 += usize::from(row.converted);
    }
    // In key order, so that ties are broken the same way on every run.
    let mut groups: Vec<(Key, (usize, usize, &Value))> = groups.into_iter().collect();
    groups.sort_unstable_by_key(|(key, _)| *key);
    let judged: Vec<(String, Judged)> = groups
        .into_iter()
        .map(|(_, group)| group)
        .filter(|(_, _, value)| !(used && field.covers(value)))
        .filter_map(|(n, c, value)| Some((condition_for(field, value)?, Judged::new(n, c, totals))))
        .filter(|(_, j)| j.supported(totals))
        .collect();
    let mut breakdown: Vec<GroupRate> =
        judged.iter().map(|(condition, j)| group(condition.clone(), j.support, j.converters)).collect();
    breakdown.sort_by(|a, b| b.rate.total_cmp(&a.rate));
    let (condition, best) =
        judged.into_iter().filter(|(_, j)| !used || j.z > 0.0).max_by(|(_, a), (_, b)| stronger(a, b))?;
    let mut signal = best.signal(SignalKind::Field, &field.name, used, condition, !used);
    signal.groups = breakdown;
    Some(signal)
}

/// A string, enum or bool value (or missing), orderable for grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Key<'a> {
    Missing,
    Text(&'a str),
    Enum(u32),
    Bool(bool),
}

impl<'a> Key<'a> {
    fn of(value: &'a Value) -> Option<Key<'a>> {
        Some(match value {
            Value::Missing => Key::Missing,
            Value::Text(t) => Key::Text(t),
            Value::Enum(i) => Key::Enum(*i),
            Value::Bool(b) => Key::Bool(*b),
            Value::Int(_) | Value::Number(_) => return None,
        })
    }
}

/// How a rule would select leads with this value.
fn condition_for(field: &FieldMeta, value: &Value) -> Option<String> {
    let name = &field.name;
    Some(match (value, &field.ty) {
        (Value::Missing, _) => format!("{name} is missing"),
        (Value::Text(t), _) => format!("{name} = {}", quote(t)),
        (Value::Enum(i), FieldType::Enum(values)) => format!("{name} = {}", quote(values.get(*i as usize)?)),
        (Value::Bool(true), _) => name.clone(),
        (Value::Bool(false), _) => format!("not {name}"),
        _ => return None,
    })
}

fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The best `>= t` or `< t` of an unused int or number field.
fn best_threshold(field: &FieldMeta, index: usize, rows: &[Row], totals: &Totals) -> Option<Signal> {
    let present: Vec<(f64, bool)> = rows
        .iter()
        .filter_map(|r| match r.values.get(index) {
            Some(Value::Int(i)) => Some((*i as f64, r.converted)),
            Some(Value::Number(n)) => Some((*n, r.converted)),
            _ => None,
        })
        .collect();
    let with_value = Totals { rows: present.len(), converters: present.iter().filter(|(_, c)| *c).count() };
    let best = Splits::new(present)
        .candidates()
        .filter(|s| s.judge(totals).supported(totals))
        .max_by(|a, b| stronger(&a.judge(totals), &b.judge(totals)))?;
    let (op, other) = if best.upper { (">=", "<") } else { ("<", ">=") };
    let condition = format!("{} {op} {}", field.name, best.at);
    let mut groups = sides(&best, &condition, &format!("{} {other} {}", field.name, best.at), &with_value);
    let missing = totals.rows - with_value.rows;
    if missing > 0 {
        let converters = totals.converters - with_value.converters;
        groups.push(group(format!("{} is missing", field.name), missing, converters));
    }
    groups.sort_by(|a, b| b.rate.total_cmp(&a.rate));
    let mut signal = best.judge(totals).signal(SignalKind::Field, &field.name, false, condition, true);
    signal.groups = groups;
    Some(signal)
}

fn group(name: String, leads: usize, converters: usize) -> GroupRate {
    GroupRate { name, leads, converters, rate: rate(converters, leads) }
}

/// The selected side of a split and the other side, within `population`
/// (the leads the split was made among).
fn sides(split: &Split, selected: &str, other: &str, population: &Totals) -> Vec<GroupRate> {
    vec![
        group(selected.to_string(), split.support, split.converters),
        group(other.to_string(), population.rows - split.support, population.converters - split.converters),
    ]
}

/// Values with outcomes, sorted, for threshold splits.
struct Splits {
    sorted: Vec<(f64, bool)>,
}

/// `value >= at` (`upper`) or `value < at`, with its counts.
#[derive(Clone, Copy)]
struct Split {
    at: f64,
    upper: bool,
    support: usize,
    converters: usize,
}

impl Split {
    fn judge(&self, totals: &Totals) -> Judged {
        Judged::new(self.support, self.converters, totals)
    }
}

impl Splits {
    fn new(mut sorted: Vec<(f64, bool)>) -> Splits {
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        Splits { sorted }
    }

    /// Both splits at every distinct value but the lowest.
    fn candidates(&self) -> impl Iterator<Item = Split> + '_ {
        let total = self.sorted.len();
        let total_converters = self.sorted.iter().filter(|(_, c)| *c).count();
        let mut below = 0;
        let mut below_converters = 0;
        self.sorted.iter().enumerate().flat_map(move |(i, &(value, converted))| {
            let boundary = i > 0 && self.sorted.get(i - 1).is_some_and(|(prev, _)| *prev < value);
            let splits = boundary.then(|| {
                [
                    Split {
                        at: value,
                        upper: true,
                        support: total - below,
                        converters: total_converters - below_converters,
                    },
                    Split { at: value, upper: false, support: below, converters: below_converters },
                ]
            });
            below += 1;
            below_converters += usize::from(converted);
            splits.into_iter().flatten()
        })
    }
}
