//! The space of outcomes a tier condition can test.
//!
//! In: a [`Scorecard`], its [`BudgetReport`] and tier conditions. Out: the
//! range each outcome value can reach (`points` 0..=72, `requires_met`
//! 0..=3, ...) and each tier condition as a union of boxes — one range per
//! value — so that the tier lints can ask "can this hold at all?" and "does
//! an earlier tier hold whenever this one does?".
//!
//! Values are treated as independent, which over-approximates what can
//! happen: a box found empty is truly impossible, and a box found inside
//! another is truly implied by it.

use super::budget::{BudgetReport, Reach};
use super::values::{Ranges, int_compare};
use crate::check::{Condition, OutcomeTest, OutcomeValue, Scorecard};
use std::collections::BTreeMap;

/// Past this many boxes a condition is not analysed.
const MAX_BOXES: usize = 256;

/// One value a tier condition can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Var {
    /// `qualified`, as 0 or 1.
    Qualified,
    /// An outcome number.
    Value(OutcomeKey),
}

/// [`OutcomeValue`] with an order, for use as a map key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum OutcomeKey {
    /// `points`
    Points,
    /// `score`
    Score,
    /// `requires_met`
    RequiresMet,
    /// `segment`
    Segment,
    /// A category's capped total.
    Category(usize),
}

impl OutcomeKey {
    fn of(v: OutcomeValue) -> OutcomeKey {
        match v {
            OutcomeValue::Points => OutcomeKey::Points,
            OutcomeValue::Score => OutcomeKey::Score,
            OutcomeValue::RequiresMet => OutcomeKey::RequiresMet,
            OutcomeValue::Segment => OutcomeKey::Segment,
            OutcomeValue::Category(i) => OutcomeKey::Category(i),
        }
    }
}

/// A conjunction: each listed value within its range, others unconstrained.
pub(crate) type Region = BTreeMap<Var, Ranges<i64>>;

/// The reachable range of every outcome value.
#[derive(Debug, Clone)]
pub(crate) struct Space {
    ranges: BTreeMap<Var, Ranges<i64>>,
}

impl Space {
    /// The ranges reachable under `scorecard`'s rules and budget.
    pub(crate) fn new(scorecard: &Scorecard, budget: &BudgetReport) -> Space {
        let mut ranges = BTreeMap::new();
        let qualified = if scorecard.requires.is_empty() { Ranges::span(1, 1) } else { Ranges::span(0, 1) };
        ranges.insert(Var::Qualified, qualified);
        ranges.insert(Var::Value(OutcomeKey::Points), Ranges::span(0, budget.reachable_points));
        let n = i64::try_from(scorecard.requires.len()).unwrap_or(i64::MAX);
        ranges.insert(Var::Value(OutcomeKey::RequiresMet), Ranges::span(0, n));
        let digits = scorecard.segment.iter().flat_map(|s| &s.arms).map(|a| i64::from(a.digit));
        let segment = digits.fold(Ranges::span(0, 0), |r, d| r.union(&Ranges::span(d, d)));
        let top_digit = segment.intervals().last().map_or(0, |i| i.1);
        ranges.insert(Var::Value(OutcomeKey::Segment), segment);
        let requires = scorecard.requires.iter().map(|r| r.points);
        let low: i64 = requires.clone().filter(|p| *p < 0).sum();
        let high: i64 = requires.filter(|p| *p > 0).sum();
        let score_high =
            top_digit.saturating_mul(1000).saturating_add(high).saturating_add(budget.reachable_points);
        ranges.insert(Var::Value(OutcomeKey::Score), Ranges::span(low, score_high));
        for (i, c) in budget.categories.iter().enumerate() {
            let least = match c.least {
                Reach::Points(p) => p.min(0),
                Reach::Unbounded => i64::MIN,
            };
            let most = match (c.max, c.reach) {
                (None, Reach::Unbounded) => i64::MAX,
                _ => c.effective,
            };
            ranges.insert(Var::Value(OutcomeKey::Category(i)), Ranges::span(least, most));
        }
        Space { ranges }
    }

    /// The reachable range of `var`.
    pub(crate) fn range(&self, var: Var) -> Ranges<i64> {
        self.ranges.get(&var).cloned().unwrap_or_else(Ranges::full)
    }

    /// The range of `var` within `region`.
    pub(crate) fn within(&self, region: &Region, var: Var) -> Ranges<i64> {
        region.get(&var).cloned().unwrap_or_else(|| self.range(var))
    }

    /// Where `condition` holds, as reachable regions; `None` when it is too
    /// complex to analyse. An empty list means it can never hold.
    pub(crate) fn regions(&self, condition: Option<&Condition<OutcomeTest>>) -> Option<Vec<Region>> {
        match condition {
            None => Some(vec![Region::new()]),
            Some(c) => self.dnf(c, false),
        }
    }

    fn dnf(&self, c: &Condition<OutcomeTest>, negated: bool) -> Option<Vec<Region>> {
        match (c, negated) {
            (Condition::Test(t), _) => {
                let (var, set) = test(t);
                let set = if negated { set.complement() } else { set };
                let mut region = Region::new();
                region.insert(var, self.range(var).intersect(&set));
                Some(if is_empty(&region) { Vec::new() } else { vec![region] })
            }
            (Condition::Not(inner), _) => self.dnf(inner, !negated),
            (Condition::All(cs), false) | (Condition::Any(cs), true) => {
                cs.iter().try_fold(vec![Region::new()], |acc, child| {
                    let child = self.dnf(child, negated)?;
                    let product: Vec<Region> = acc
                        .iter()
                        .flat_map(|a| child.iter().map(move |b| meet(a, b)))
                        .filter(|r| !is_empty(r))
                        .collect();
                    (product.len() <= MAX_BOXES).then_some(product)
                })
            }
            (Condition::Any(cs), false) | (Condition::All(cs), true) => {
                cs.iter().try_fold(Vec::new(), |mut acc, child| {
                    acc.extend(self.dnf(child, negated)?);
                    (acc.len() <= MAX_BOXES).then_some(acc)
                })
            }
        }
    }

    /// Whether every lead in `inner` is also in `outer`.
    pub(crate) fn inside(&self, inner: &Region, outer: &Region) -> bool {
        outer.iter().all(|(var, range)| self.within(inner, *var).is_subset(range))
    }
}

/// The value a tier test constrains and the range it allows.
pub(crate) fn test(t: &OutcomeTest) -> (Var, Ranges<i64>) {
    match t {
        OutcomeTest::Qualified => (Var::Qualified, Ranges::span(1, 1)),
        OutcomeTest::Compare(v, op, k) => (Var::Value(OutcomeKey::of(*v)), int_compare(*op, *k)),
    }
}

fn meet(a: &Region, b: &Region) -> Region {
    let mut out = a.clone();
    for (var, range) in b {
        let met = match out.get(var) {
            Some(r) => r.intersect(range),
            None => range.clone(),
        };
        out.insert(*var, met);
    }
    out
}

fn is_empty(r: &Region) -> bool {
    r.values().any(Ranges::is_empty)
}

/// A range as users read it: `0..=99`, `0, 2..=3`.
pub(crate) fn show(r: &Ranges<i64>) -> String {
    if r.is_empty() {
        return "nothing".to_string();
    }
    let bound = |x: i64| match x {
        i64::MIN => "-inf".to_string(),
        i64::MAX => "inf".to_string(),
        x => x.to_string(),
    };
    let parts: Vec<String> = r
        .intervals()
        .iter()
        .map(|&(lo, hi)| if lo == hi { bound(lo) } else { format!("{}..={}", bound(lo), bound(hi)) })
        .collect();
    parts.join(", ")
}
