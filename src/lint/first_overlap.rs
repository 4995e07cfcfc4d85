//! The first earlier rule each rule overlaps: the search behind
//! `overlapping-conditions`.
//!
//! In: a category's single-field fit rules in order, each as its sign and
//! [`FieldSet`]. Out: for each rule, the index of the first earlier rule of
//! the same sign on the same field whose set meets its own, or `None` —
//! exactly what comparing each rule with every earlier one in order finds,
//! without doing so (that was quadratic in the rules of a category: 10,000
//! rules took seconds).
//!
//! Rules are grouped by field and sign, and each group is read in order,
//! keeping for every value seen the first rule that holds it: for intervals
//! of ints and numbers, a segment tree over the intervals' ends
//! ([`Cover`]); for enum members, bools and listed strings, a map; for
//! "missing", one index. A rule's answer is the least first rule over its
//! own values, looked up before it adds itself. Strings listed with `!=`
//! or `not in` (every string but these) are answered from the same maps:
//! see [`Texts`].

use crate::lint::values::{FieldSet, Key, Point, Values};
use crate::schema::FieldId;
use std::collections::{BTreeSet, HashMap};

/// For each of `sets` (sign, set), the first earlier one of the same sign
/// whose set meets it.
pub(crate) fn first_overlaps(sets: &[(bool, &FieldSet)]) -> Vec<Option<usize>> {
    let mut groups: HashMap<(bool, FieldId), Vec<usize>> = HashMap::new();
    for (j, (sign, set)) in sets.iter().enumerate() {
        groups.entry((*sign, set.field)).or_default().push(j);
    }
    let mut out = vec![None; sets.len()];
    for members in groups.values() {
        let group: Vec<&FieldSet> = members.iter().filter_map(|&j| sets.get(j).map(|s| s.1)).collect();
        for (k, first) in first_in_group(&group).into_iter().enumerate() {
            if let (Some(slot), Some(i)) = (members.get(k).and_then(|&j| out.get_mut(j)), first) {
                *slot = members.get(i).copied();
            }
        }
    }
    out
}

/// [`first_overlaps`] within one field and sign.
fn first_in_group(group: &[&FieldSet]) -> Vec<Option<usize>> {
    let mut ints = Cover::new(group.iter().flat_map(|s| match &s.present {
        Values::Int(r) => r.intervals().iter().flat_map(|&(lo, hi)| [lo, hi]).collect(),
        _ => Vec::new(),
    }));
    let mut numbers = Cover::new(group.iter().flat_map(|s| match &s.present {
        Values::Number(r) => r.intervals().iter().flat_map(|&(lo, hi)| [lo, hi]).collect(),
        _ => Vec::<Key>::new(),
    }));
    let mut members: HashMap<u32, usize> = HashMap::new();
    let mut texts = Texts::new(group);
    let mut first_missing = None;
    let mut out = Vec::with_capacity(group.len());
    for (j, set) in group.iter().enumerate() {
        let mut best = None;
        if set.missing {
            best = least(best, first_missing);
            first_missing.get_or_insert(j);
        }
        match &set.present {
            Values::Int(r) => best = least(best, ints.meet(r.intervals(), j)),
            Values::Number(r) => best = least(best, numbers.meet(r.intervals(), j)),
            Values::Finite { members: m, .. } => {
                for v in m {
                    best = least(best, Some(*members.entry(*v).or_insert(j)).filter(|&i| i < j));
                }
            }
            Values::Text { values, cofinite } => best = least(best, texts.meet(values, *cofinite, j)),
        }
        out.push(best);
    }
    out
}

fn least(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        _ => a.or(b),
    }
}

/// Which rule first covered each point of a line, over the points that
/// are ends of the group's intervals: two closed intervals meet exactly
/// when they share one of those points (the greater of their starts). A
/// segment tree of range "cover if not yet covered" and range "least
/// first cover"; rules arrive in order, so the least index is the first.
struct Cover<T> {
    points: Vec<T>,
    /// Per node: the least index covering any point below it.
    least: Vec<usize>,
    /// Per node: the least index covering all of its points.
    whole: Vec<usize>,
}

const NONE: usize = usize::MAX;

impl<T: Point> Cover<T> {
    fn new(points: impl Iterator<Item = T>) -> Self {
        let mut points: Vec<T> = points.collect();
        points.sort();
        points.dedup();
        let nodes = 4 * points.len().max(1);
        Cover { points, least: vec![NONE; nodes], whole: vec![NONE; nodes] }
    }

    /// The first rule covering a point of `intervals`, then covers them
    /// with rule `j`.
    fn meet(&mut self, intervals: &[(T, T)], j: usize) -> Option<usize> {
        let spans: Vec<(usize, usize)> = intervals.iter().filter_map(|&(lo, hi)| self.span(lo, hi)).collect();
        let first = spans.iter().map(|&(l, r)| self.query(1, 0, self.last(), l, r)).min().unwrap_or(NONE);
        for &(l, r) in &spans {
            self.cover(1, 0, self.last(), l, r, j);
        }
        (first != NONE).then_some(first)
    }

    fn last(&self) -> usize {
        self.points.len().saturating_sub(1)
    }

    fn span(&self, lo: T, hi: T) -> Option<(usize, usize)> {
        Some((self.points.binary_search(&lo).ok()?, self.points.binary_search(&hi).ok()?))
    }

    fn query(&self, node: usize, from: usize, to: usize, l: usize, r: usize) -> usize {
        if r < from || to < l {
            return NONE;
        }
        if l <= from && to <= r {
            return self.least.get(node).copied().unwrap_or(NONE);
        }
        let mid = from + (to - from) / 2;
        let below = self.query(2 * node, from, mid, l, r).min(self.query(2 * node + 1, mid + 1, to, l, r));
        below.min(self.whole.get(node).copied().unwrap_or(NONE))
    }

    fn cover(&mut self, node: usize, from: usize, to: usize, l: usize, r: usize, j: usize) {
        if r < from || to < l {
            return;
        }
        if l <= from && to <= r {
            for tree in [&mut self.least, &mut self.whole] {
                if let Some(v) = tree.get_mut(node) {
                    *v = (*v).min(j);
                }
            }
            return;
        }
        let mid = from + (to - from) / 2;
        self.cover(2 * node, from, mid, l, r, j);
        self.cover(2 * node + 1, mid + 1, to, l, r, j);
        let child = |i: usize| self.least.get(i).copied().unwrap_or(NONE);
        let least =
            child(2 * node).min(child(2 * node + 1)).min(self.whole.get(node).copied().unwrap_or(NONE));
        if let Some(v) = self.least.get_mut(node) {
            *v = least;
        }
    }
}

/// String sets: a list of strings (`= "a"`, `in [...]`), or every string
/// but a list (`!= "a"`, `not in [...]`, "cofinite").
///
/// - list meets list when they share a string: the first rule listing
///   each string;
/// - every-but meets every-but always: the first cofinite rule;
/// - list L meets every-but E when some string of L is not in E. For a
///   cofinite rule: the least first rule over strings not in E, found by
///   walking the strings in the order their first rule came, stopping at
///   the first not in E (at most `|E| + 1` steps). For a list rule: per
///   string s, the first cofinite rule not excluding s — the first gap in
///   the (sorted) positions of the cofinite rules that exclude s, computed
///   once for the whole group.
struct Texts<'a> {
    first: HashMap<&'a str, usize>,
    /// Strings by their first rule, in order.
    by_first: Vec<(usize, &'a str)>,
    /// The group's cofinite rules, in order.
    cofinite: Vec<usize>,
    /// Per string: the first position in `cofinite` whose rule does not
    /// exclude it (strings no cofinite rule excludes have 0).
    gap: HashMap<&'a str, usize>,
}

impl<'a> Texts<'a> {
    fn new(group: &[&'a FieldSet]) -> Self {
        let mut cofinite = Vec::new();
        let mut excluded: HashMap<&'a str, Vec<usize>> = HashMap::new();
        for (j, set) in group.iter().enumerate() {
            if let Values::Text { values, cofinite: true } = &set.present {
                for s in values {
                    excluded.entry(s.as_str()).or_default().push(cofinite.len());
                }
                cofinite.push(j);
            }
        }
        let gap = excluded
            .into_iter()
            .map(|(s, at)| (s, at.iter().enumerate().find(|&(k, &p)| k != p).map_or(at.len(), |(k, _)| k)))
            .collect();
        Texts { first: HashMap::new(), by_first: Vec::new(), cofinite, gap }
    }

    /// The first rule before `j` whose strings meet these, then records
    /// rule `j`'s.
    fn meet(&mut self, values: &'a BTreeSet<String>, cofinite: bool, j: usize) -> Option<usize> {
        let earlier = |i: &usize| *i < j;
        if cofinite {
            let first_cofinite = self.cofinite.first().copied().filter(earlier);
            let listed = self.by_first.iter().find(|(_, s)| !values.contains(*s)).map(|&(i, _)| i);
            return least(first_cofinite, listed);
        }
        let mut best = None;
        for s in values {
            let gap = self.gap.get(s.as_str()).copied().unwrap_or(0);
            best = least(best, self.cofinite.get(gap).copied().filter(earlier));
            match self.first.get(s.as_str()) {
                Some(&i) => best = least(best, Some(i)),
                None => {
                    self.first.insert(s, j);
                    self.by_first.push((j, s));
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::check::compare::Point as _;
    use crate::lint::values::Ranges;
    use proptest::prelude::*;

    /// The definition: each rule against every earlier one, in order.
    fn naive(sets: &[(bool, &FieldSet)]) -> Vec<Option<usize>> {
        (0..sets.len())
            .map(|j| {
                let (sign, b) = sets[j];
                (0..j).find(|&i| sets[i].0 == sign && sets[i].1.intersect(b).is_some_and(|s| !s.is_empty()))
            })
            .collect()
    }

    fn ranges<T: Point>(spans: Vec<(T, T)>) -> Ranges<T> {
        spans.into_iter().fold(Ranges::empty(), |acc, (a, b)| acc.union(&Ranges::span(a.min(b), a.max(b))))
    }

    /// Sets of four fields, one of each kind, over few values so that
    /// they overlap often; strings are listed or excluded.
    fn set() -> impl Strategy<Value = (bool, FieldSet)> {
        let point = || prop_oneof![-20i64..20, Just(i64::MIN), Just(i64::MAX)];
        let int = prop::collection::vec((point(), point()), 0..3).prop_map(|s| (0, Values::Int(ranges(s))));
        let key = || {
            (-10i32..10, -1i8..=1).prop_map(|(v, side)| match side {
                -1 => Key::at(f64::from(v)).prev(),
                1 => Key::at(f64::from(v)).next(),
                _ => Key::at(f64::from(v)),
            })
        };
        let number = prop::collection::vec((key(), key()), 0..3).prop_map(|s| (1, Values::Number(ranges(s))));
        let finite = prop::collection::btree_set(0u32..5, 0..4)
            .prop_map(|m| (2, Values::Finite { members: m, size: 5 }));
        let word = prop::sample::select(vec!["a", "b", "c", "d", "e"]).prop_map(String::from);
        let text = (prop::collection::btree_set(word, 0..3), prop::bool::weighted(0.3))
            .prop_map(|(values, cofinite)| (3, Values::Text { values, cofinite }));
        (prop_oneof![int, number, finite, text], any::<bool>(), prop::bool::weighted(0.2)).prop_map(
            |((field, present), sign, missing)| (sign, FieldSet { field: FieldId(field), present, missing }),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn finds_what_comparing_every_pair_finds(sets in prop::collection::vec(set(), 0..40)) {
            let sets: Vec<(bool, &FieldSet)> = sets.iter().map(|(sign, s)| (*sign, s)).collect();
            prop_assert_eq!(first_overlaps(&sets), naive(&sets));
        }
    }

    #[test]
    fn many_disjoint_and_many_nested_intervals() {
        let int = |lo, hi| FieldSet {
            field: FieldId(0),
            present: Values::Int(Ranges::span(lo, hi)),
            missing: false,
        };
        let mut sets: Vec<FieldSet> = (0..2000).map(|i| int(6 * i, 6 * i + 5)).collect();
        sets.push(int(100, 100));
        sets.push(int(i64::MIN, i64::MAX));
        let keyed: Vec<(bool, &FieldSet)> = sets.iter().map(|s| (true, s)).collect();
        let got = first_overlaps(&keyed);
        assert!(got[..2000].iter().all(Option::is_none));
        assert_eq!(got[2000..], [Some(16), Some(0)]);
    }
}
