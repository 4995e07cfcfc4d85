//! Value sets: which values of one field make a condition hold.
//!
//! In: a [`Condition`] of [`FieldTest`]s and the [`Schema`] that types its
//! field. Out: a [`FieldSet`] — the set of present values for which the
//! condition holds, plus whether it holds when the field is missing — or
//! `None` when the condition tests several fields or uses a test whose value
//! set is not tracked (`contains`, `starts_with`, `ends_with`).
//!
//! The lints that reason about conditions (overlapping conditions, range
//! gaps, dead rules) and the budget's mutual-exclusion analysis are all set
//! operations on these values.

use crate::check::compare::{Point as Line, comparison_range};
use crate::check::{Condition, FieldTest, Test, TextTest};
use crate::schema::{FieldId, FieldType, Schema};
use crate::syntax::ast::CmpOp;
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// A point on an ordered line that [`Ranges`] can hold: a line point
/// (`check::compare`) in a total order.
pub(crate) trait Point: Line + Ord {}

impl<T: Line + Ord> Point for T {}

/// A position on the real line: a number, or the point just below (`-1`)
/// or just above (`+1`) it, so that `< 5` and `<= 5` end at different keys.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Key(f64, i8);

impl Key {
    /// The key exactly at `value` (`-0.0` is the same as `0.0`).
    pub(crate) fn at(value: f64) -> Key {
        Key(value + 0.0, 0)
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Key) -> Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

impl Line for Key {
    const MIN: Key = Key(f64::NEG_INFINITY, 0);
    const MAX: Key = Key(f64::INFINITY, 0);
    fn next(self) -> Key {
        if self == Key::MAX { self } else { Key(self.0, (self.1 + 1).min(1)) }
    }
    fn prev(self) -> Key {
        if self == Key::MIN { self } else { Key(self.0, (self.1 - 1).max(-1)) }
    }
}

/// A union of closed intervals, sorted, disjoint and not touching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ranges<T: Point>(Vec<(T, T)>);

impl<T: Point> Ranges<T> {
    /// `lo..=hi`, empty when `lo > hi`.
    pub(crate) fn span(lo: T, hi: T) -> Ranges<T> {
        Ranges(if lo <= hi { vec![(lo, hi)] } else { Vec::new() })
    }

    /// Every point.
    pub(crate) fn full() -> Ranges<T> {
        Ranges::span(T::MIN, T::MAX)
    }

    /// No point.
    pub(crate) fn empty() -> Ranges<T> {
        Ranges(Vec::new())
    }

    /// The intervals, in order.
    pub(crate) fn intervals(&self) -> &[(T, T)] {
        &self.0
    }

    /// Whether no point is in the set.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `p` is in the set.
    pub(crate) fn contains(&self, p: T) -> bool {
        self.0.iter().any(|&(lo, hi)| lo <= p && p <= hi)
    }

    /// The points in either set.
    pub(crate) fn union(&self, other: &Ranges<T>) -> Ranges<T> {
        let mut all: Vec<(T, T)> = self.0.iter().chain(&other.0).copied().collect();
        all.sort();
        let mut out: Vec<(T, T)> = Vec::with_capacity(all.len());
        for (lo, hi) in all {
            match out.last_mut() {
                Some(last) if lo <= last.1.next() || last.1 == T::MAX => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        Ranges(out)
    }

    /// The points in both sets.
    pub(crate) fn intersect(&self, other: &Ranges<T>) -> Ranges<T> {
        let mut out = Vec::new();
        for &(a, b) in &self.0 {
            for &(c, d) in &other.0 {
                let (lo, hi) = (a.max(c), b.min(d));
                if lo <= hi {
                    out.push((lo, hi));
                }
            }
        }
        Ranges(out).union(&Ranges::empty())
    }

    /// The points not in the set.
    pub(crate) fn complement(&self) -> Ranges<T> {
        let mut out = Vec::new();
        let mut from = Some(T::MIN);
        for &(lo, hi) in &self.0 {
            if let Some(start) = from
                && lo > start
            {
                out.push((start, lo.prev()));
            }
            from = if hi == T::MAX { None } else { Some(hi.next()) };
        }
        if let Some(start) = from {
            out.push((start, T::MAX));
        }
        Ranges(out)
    }

    /// Whether every point of `self` is in `other`.
    pub(crate) fn is_subset(&self, other: &Ranges<T>) -> bool {
        self.intersect(&other.complement()).is_empty()
    }
}

/// The present values of a field for which a condition holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Values {
    /// Of an int field.
    Int(Ranges<i64>),
    /// Of a number field.
    Number(Ranges<Key>),
    /// Of an enum field (value indexes) or a bool field (0 false, 1 true).
    Finite {
        /// The members.
        members: BTreeSet<u32>,
        /// How many values the field has.
        size: u32,
    },
    /// Of a string field: these strings, or every string but these.
    Text {
        /// The strings listed.
        values: BTreeSet<String>,
        /// Every string except `values`.
        cofinite: bool,
    },
}

impl Values {
    /// Every value of a field of type `ty`.
    fn full(ty: &FieldType) -> Values {
        match ty {
            FieldType::Int => Values::Int(Ranges::full()),
            FieldType::Number => Values::Number(Ranges::full()),
            FieldType::Bool => Values::Finite { members: [0, 1].into(), size: 2 },
            FieldType::Enum(v) => {
                let size = u32::try_from(v.len()).unwrap_or(u32::MAX);
                Values::Finite { members: (0..size).collect(), size }
            }
            FieldType::String => Values::Text { values: BTreeSet::new(), cofinite: true },
        }
    }

    /// Whether no value is in the set.
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Values::Int(r) => r.is_empty(),
            Values::Number(r) => r.is_empty(),
            Values::Finite { members, .. } => members.is_empty(),
            Values::Text { values, cofinite } => !cofinite && values.is_empty(),
        }
    }

    /// The values not in the set.
    fn complement(&self) -> Values {
        match self {
            Values::Int(r) => Values::Int(r.complement()),
            Values::Number(r) => Values::Number(r.complement()),
            Values::Finite { members, size } => {
                Values::Finite { members: (0..*size).filter(|v| !members.contains(v)).collect(), size: *size }
            }
            Values::Text { values, cofinite } => Values::Text { values: values.clone(), cofinite: !cofinite },
        }
    }

    /// The values in both sets, `None` when they are of different fields' types.
    pub(crate) fn intersect(&self, other: &Values) -> Option<Values> {
        Some(match (self, other) {
            (Values::Int(a), Values::Int(b)) => Values::Int(a.intersect(b)),
            (Values::Number(a), Values::Number(b)) => Values::Number(a.intersect(b)),
            (Values::Finite { members: a, size }, Values::Finite { members: b, .. }) => {
                Values::Finite { members: a.intersection(b).copied().collect(), size: *size }
            }
            (Values::Text { values: a, cofinite: ca }, Values::Text { values: b, cofinite: cb }) => {
                let values = match (ca, cb) {
                    (false, false) => a.intersection(b).cloned().collect(),
                    (false, true) => a.difference(b).cloned().collect(),
                    (true, false) => b.difference(a).cloned().collect(),
                    (true, true) => a.union(b).cloned().collect(),
                };
                Values::Text { values, cofinite: *ca && *cb }
            }
            _ => return None,
        })
    }

    /// The values in either set.
    fn union(&self, other: &Values) -> Option<Values> {
        self.complement().intersect(&other.complement()).map(|v| v.complement())
    }
}

/// Where a single-field condition holds: a set of present values, and
/// whether it holds when the field is missing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldSet {
    /// The field tested.
    pub field: FieldId,
    /// The present values for which the condition holds.
    pub present: Values,
    /// Whether the condition holds when the field is missing.
    pub missing: bool,
}

impl FieldSet {
    /// Whether no lead can satisfy the condition.
    pub(crate) fn is_empty(&self) -> bool {
        self.present.is_empty() && !self.missing
    }

    /// Where both hold; `None` when the fields differ.
    pub(crate) fn intersect(&self, other: &FieldSet) -> Option<FieldSet> {
        if self.field != other.field {
            return None;
        }
        let present = self.present.intersect(&other.present)?;
        Some(FieldSet { field: self.field, present, missing: self.missing && other.missing })
    }
}

/// The value set of a condition that tests one field only with tracked
/// tests; `None` otherwise.
pub(crate) fn field_set(condition: &Condition<FieldTest>, schema: &Schema) -> Option<FieldSet> {
    let field = single_field(condition)?;
    let ty = &schema.field(field)?.ty;
    let (present, missing) = eval(condition, ty)?;
    Some(FieldSet { field, present, missing })
}

/// The one field every test of `condition` is on.
fn single_field(condition: &Condition<FieldTest>) -> Option<FieldId> {
    let mut fields = BTreeSet::new();
    collect_fields(condition, &mut fields);
    if fields.len() == 1 { fields.pop_first() } else { None }
}

/// Every field `condition` tests.
pub(crate) fn collect_fields(condition: &Condition<FieldTest>, out: &mut BTreeSet<FieldId>) {
    match condition {
        Condition::Test(t) => {
            out.insert(t.field);
        }
        Condition::Not(c) => collect_fields(c, out),
        Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| collect_fields(c, out)),
    }
}

fn eval(condition: &Condition<FieldTest>, ty: &FieldType) -> Option<(Values, bool)> {
    match condition {
        Condition::Test(t) => test_set(&t.test, ty),
        Condition::Not(c) => eval(c, ty).map(|(v, m)| (v.complement(), !m)),
        Condition::All(cs) => cs.iter().try_fold((Values::full(ty), true), |(v, m), c| {
            let (cv, cm) = eval(c, ty)?;
            Some((v.intersect(&cv)?, m && cm))
        }),
        Condition::Any(cs) => cs.iter().try_fold((Values::full(ty).complement(), false), |(v, m), c| {
            let (cv, cm) = eval(c, ty)?;
            Some((v.union(&cv)?, m || cm))
        }),
    }
}

/// The values for which one test holds, and whether it holds when missing.
fn test_set(test: &Test, ty: &FieldType) -> Option<(Values, bool)> {
    let present = match test {
        Test::Present => Values::full(ty),
        Test::Missing => return Some((Values::full(ty).complement(), true)),
        Test::Bool(b) => Values::Finite { members: [u32::from(*b)].into(), size: 2 },
        Test::Int(op, k) => Values::Int(compare(*op, *k)),
        Test::Number(op, k) => Values::Number(compare(*op, Key::at(*k))),
        Test::IntRange { lo, hi, negated } => Values::Int(negate(Ranges::span(*lo, *hi), *negated)),
        Test::NumberRange { lo, hi, negated } => {
            Values::Number(negate(Ranges::span(Key::at(*lo), Key::at(*hi)), *negated))
        }
        Test::Text(TextTest::Eq, s) => Values::Text { values: [s.clone()].into(), cofinite: false },
        Test::Text(TextTest::Ne, s) => Values::Text { values: [s.clone()].into(), cofinite: true },
        Test::Text(..) => return None,
        Test::TextIn { values, negated } => {
            Values::Text { values: values.iter().cloned().collect(), cofinite: *negated }
        }
        Test::EnumIn { values, negated } => {
            let Values::Finite { size, .. } = Values::full(ty) else { return None };
            let set = Values::Finite { members: values.iter().copied().collect(), size };
            if *negated { set.complement() } else { set }
        }
    };
    Some((present, false))
}

/// The integers `p` with `p op k`.
pub(crate) fn int_compare(op: CmpOp, k: i64) -> Ranges<i64> {
    compare(op, k)
}

/// The points `p` with `p op k`.
fn compare<T: Point>(op: CmpOp, k: T) -> Ranges<T> {
    match comparison_range(op, k) {
        Some((lo, hi, negated)) => negate(Ranges::span(lo, hi), negated),
        None => Ranges::empty(),
    }
}

fn negate<T: Point>(r: Ranges<T>, negated: bool) -> Ranges<T> {
    if negated { r.complement() } else { r }
}

/// The largest total weight of the sets holding one value: for every value
/// of the field, sum the weights of the sets it is in, and take the most (0
/// when no set holds any value). Weights are meant to be non-negative; sets
/// of another kind than the first (there are none within one field) are
/// weighed on their own.
///
/// Runs in `O(n log n)` for `n` intervals, members and listed strings in
/// all: a sweep over interval ends, a tally per enum member, and per listed
/// string its listing sets' weights. (Trying each candidate value against
/// every set, as this once did, made checking a program quadratic in its
/// rules on one field.)
pub(crate) fn best_weight(sets: &[(&Values, i64)]) -> i64 {
    let ints = sets.iter().filter_map(|&(v, w)| match v {
        Values::Int(r) => Some((r.intervals(), w)),
        _ => None,
    });
    let numbers = sets.iter().filter_map(|&(v, w)| match v {
        Values::Number(r) => Some((r.intervals(), w)),
        _ => None,
    });
    let mut members: std::collections::HashMap<u32, i64> = std::collections::HashMap::new();
    for &(v, w) in sets {
        if let Values::Finite { members: m, .. } = v {
            for &member in m {
                let total = members.entry(member).or_insert(0);
                *total = total.saturating_add(w);
            }
        }
    }
    let finite = members.values().copied().max().unwrap_or(0);
    best_interval_weight(ints).max(best_interval_weight(numbers)).max(finite).max(best_text_weight(sets))
}

/// [`best_weight`] of interval sets: the most is reached at some interval's
/// left end `x`, where it is the weight of the intervals starting at or
/// before `x` less that of those ending before `x` (a set's intervals are
/// disjoint, so a set counts once).
fn best_interval_weight<'a, T: Point + 'a>(sets: impl Iterator<Item = (&'a [(T, T)], i64)>) -> i64 {
    let mut starts: Vec<(T, i64)> = Vec::new();
    let mut ends: Vec<(T, i64)> = Vec::new();
    for (intervals, w) in sets {
        for &(lo, hi) in intervals {
            starts.push((lo, w));
            ends.push((hi, w));
        }
    }
    starts.sort_by_key(|s| s.0);
    ends.sort_by_key(|e| e.0);
    let (mut best, mut started, mut ended, mut e) = (0i64, 0i64, 0i64, 0usize);
    let mut i = 0;
    while let Some(&(x, _)) = starts.get(i) {
        while let Some(&(_, w)) = starts.get(i).filter(|s| s.0 == x) {
            started = started.saturating_add(w);
            i += 1;
        }
        while let Some(&(_, w)) = ends.get(e).filter(|end| end.0 < x) {
            ended = ended.saturating_add(w);
            e += 1;
        }
        best = best.max(started.saturating_sub(ended));
    }
    best
}

/// [`best_weight`] of string sets: a listed string is in the sets listing
/// it and in the "every string but" sets not listing it; a string listed
/// nowhere is in every "every string but" set only.
fn best_text_weight(sets: &[(&Values, i64)]) -> i64 {
    let mut cofinite_total = 0i64;
    let mut any = false;
    // Per listed string: the weight of the sets it is in less that of the
    // "every string but" sets that exclude it.
    let mut listed: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
    for &(v, w) in sets {
        let Values::Text { values, cofinite } = v else { continue };
        any = true;
        if *cofinite {
            cofinite_total = cofinite_total.saturating_add(w);
        }
        let w = if *cofinite { w.saturating_neg() } else { w };
        for value in values {
            let total = listed.entry(value.as_str()).or_insert(0);
            *total = total.saturating_add(w);
        }
    }
    if !any {
        return 0;
    }
    listed.values().map(|&w| w.saturating_add(cofinite_total)).fold(cofinite_total, i64::max)
}

/// The values in a set as users read them: `500..999`, `>= 1000`, `"VP"`.
pub(crate) fn show(values: &Values, ty: &FieldType) -> String {
    match values {
        Values::Int(r) => join(r.intervals().iter().map(|&(lo, hi)| match (lo, hi) {
            (i64::MIN, i64::MAX) => "any value".to_string(),
            (i64::MIN, h) => format!("<= {h}"),
            (l, i64::MAX) => format!(">= {l}"),
            (l, h) if l == h => l.to_string(),
            (l, h) => format!("{l}..{h}"),
        })),
        Values::Number(r) => join(r.intervals().iter().map(|&(lo, hi)| {
            let low = match lo.1 {
                _ if lo == Key::MIN => None,
                0 => Some(format!(">= {}", lo.0)),
                _ => Some(format!("> {}", lo.0)),
            };
            let high = match hi.1 {
                _ if hi == Key::MAX => None,
                0 => Some(format!("<= {}", hi.0)),
                _ => Some(format!("< {}", hi.0)),
            };
            match (low, high) {
                (None, None) => "any value".to_string(),
                _ if lo == hi => lo.0.to_string(),
                (Some(l), None) => l,
                (None, Some(h)) => h,
                (Some(l), Some(h)) => format!("{l} and {h}"),
            }
        })),
        Values::Finite { members, .. } => join(members.iter().map(|&m| match ty {
            FieldType::Enum(names) => names.get(m as usize).map_or("?".to_string(), |n| format!("{n:?}")),
            _ => (m == 1).to_string(),
        })),
        Values::Text { values, cofinite: false } => join(values.iter().map(|v| format!("{v:?}"))),
        Values::Text { values, cofinite: true } if values.is_empty() => "any value".to_string(),
        Values::Text { values, cofinite: true } => {
            format!("any value but {}", join(values.iter().map(|v| format!("{v:?}"))))
        }
    }
}

fn join(parts: impl Iterator<Item = String>) -> String {
    parts.collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    /// The old, quadratic [`best_weight`]: every candidate value (the left
    /// end of an interval, an enum member, a listed string or one listed
    /// nowhere) against every set.
    /// A few values that between them meet every combination of the sets'
    /// memberships: for a union of sets, the sum of weights of the sets holding
    /// a value is largest at one of these (the left end of an interval, an enum
    /// value, a listed string or one listed nowhere).
    fn witnesses(sets: &[&Values]) -> Vec<Values> {
        let mut out = Vec::new();
        for set in sets {
            match set {
                Values::Int(r) => {
                    out.extend(r.intervals().iter().map(|&(lo, _)| Values::Int(Ranges::span(lo, lo))))
                }
                Values::Number(r) => {
                    out.extend(r.intervals().iter().map(|&(lo, _)| Values::Number(Ranges::span(lo, lo))));
                }
                Values::Finite { members, size } => {
                    out.extend(members.iter().map(|&m| Values::Finite { members: [m].into(), size: *size }))
                }
                Values::Text { values, .. } => {
                    out.extend(
                        values.iter().map(|v| Values::Text { values: [v.clone()].into(), cofinite: false }),
                    );
                    // A string no set lists: the set of all strings but every listed one.
                    let listed = sets.iter().flat_map(|s| match s {
                        Values::Text { values, .. } => values.iter().cloned().collect::<Vec<_>>(),
                        _ => Vec::new(),
                    });
                    out.push(Values::Text { values: listed.collect(), cofinite: true });
                }
            }
        }
        out
    }

    fn best_by_witnesses(sets: &[(&Values, i64)]) -> i64 {
        let only: Vec<&Values> = sets.iter().map(|s| s.0).collect();
        witnesses(&only)
            .iter()
            .map(|w| {
                sets.iter()
                    .filter(|s| s.0.intersect(w).is_some_and(|v| !v.is_empty()))
                    .map(|s| s.1)
                    .sum::<i64>()
            })
            .fold(0, i64::max)
    }

    fn int_values() -> impl Strategy<Value = Values> {
        proptest::collection::vec((-5i64..5, 0i64..4), 0..3).prop_map(|spans| {
            Values::Int(
                spans.iter().fold(Ranges::empty(), |r, &(lo, len)| r.union(&Ranges::span(lo, lo + len))),
            )
        })
    }

    fn number_values() -> impl Strategy<Value = Values> {
        proptest::collection::vec((-3i8..3, -1i8..=1, 0i8..3, -1i8..=1), 0..3).prop_map(|spans| {
            let key =
                |v: i8, side: i8| if side == 0 { Key::at(f64::from(v)) } else { Key(f64::from(v), side) };
            Values::Number(spans.iter().fold(Ranges::empty(), |r, &(lo, ls, len, hs)| {
                r.union(&Ranges::span(key(lo, ls.max(0)), key(lo + len, hs.min(0))))
            }))
        })
    }

    fn finite_values() -> impl Strategy<Value = Values> {
        proptest::collection::btree_set(0u32..5, 0..4).prop_map(|members| Values::Finite { members, size: 5 })
    }

    fn text_values() -> impl Strategy<Value = Values> {
        (proptest::collection::btree_set("[abc]", 0..3), any::<bool>())
            .prop_map(|(values, cofinite)| Values::Text { values, cofinite })
    }

    proptest! {
        /// The sweep finds what trying every candidate value finds, for sets
        /// of every kind.
        #[test]
        fn best_weight_agrees_with_trying_every_witness(
            kind in 0u8..4,
            sets in proptest::collection::vec((0u8..255, 1i64..20), 0..8),
            ints in proptest::collection::vec(int_values(), 8),
            numbers in proptest::collection::vec(number_values(), 8),
            finite in proptest::collection::vec(finite_values(), 8),
            texts in proptest::collection::vec(text_values(), 8),
        ) {
            let pool = match kind { 0 => &ints, 1 => &numbers, 2 => &finite, _ => &texts };
            let sets: Vec<(&Values, i64)> =
                sets.iter().enumerate().map(|(i, &(_, w))| (&pool[i % pool.len()], w)).collect();
            prop_assert_eq!(best_weight(&sets), best_by_witnesses(&sets));
        }
    }

    #[test]
    fn int_ranges() {
        let a = Ranges::span(1i64, 49);
        let b = Ranges::span(100i64, 999);
        let u = a.union(&b);
        assert_eq!(u.intervals(), &[(1, 49), (100, 999)]);
        assert_eq!(u.complement().intervals(), &[(i64::MIN, 0), (50, 99), (1000, i64::MAX)]);
        assert!(a.intersect(&b).is_empty());
        assert_eq!(Ranges::span(1i64, 50).union(&Ranges::span(51, 60)).intervals(), &[(1, 60)]);
        assert!(Ranges::span(5i64, 7).is_subset(&Ranges::span(0, 10)));
        assert!(Ranges::<i64>::full().complement().is_empty());
    }

    #[test]
    fn number_keys_separate_strict_and_loose() {
        let lt = compare(CmpOp::Lt, Key::at(5.0));
        let ge = compare(CmpOp::Ge, Key::at(5.0));
        assert!(lt.intersect(&ge).is_empty());
        assert_eq!(lt.union(&ge), Ranges::full());
        let le = compare(CmpOp::Le, Key::at(5.0));
        assert!(!le.intersect(&ge).is_empty());
    }

    #[test]
    fn text_sets() {
        let a = Values::Text { values: ["a".into(), "b".into()].into(), cofinite: false };
        let not_a = Values::Text { values: ["a".into()].into(), cofinite: true };
        let both = a.intersect(&not_a).unwrap();
        assert_eq!(both, Values::Text { values: ["b".into()].into(), cofinite: false });
        assert!(!a.union(&not_a).unwrap().is_empty());
    }
}
