//! Tier cuts after a fit: the `points >=` threshold that keeps each tier's
//! share of leads.
//!
//! In: the program's tiers, each lead's points as written and as fitted.
//! Out: per tier whose condition tests `points >= k` (or `points > k`), a
//! [`TierCut`] — the share of leads at or above `k` and their conversion,
//! before and after the fit, and the cut that keeps the share the fitted
//! points would otherwise change. The fit rescales points, so a tier's
//! cut written for the old points may route a different number of leads.

use crate::check::{Condition, OutcomeTest, OutcomeValue, Tier};
use crate::syntax::ast::CmpOp;
use serde::Serialize;

/// A tier's `points` cut before and after the fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierCut {
    /// The tier.
    pub tier: String,
    /// Its cut as written: `points >= cut`.
    pub cut: i64,
    /// The share of leads with written points at or above the cut.
    pub share_before: f64,
    /// Their conversion rate.
    pub rate_before: f64,
    /// The share with fitted points at or above the same cut.
    pub share_after: f64,
    /// The cut on fitted points whose share is nearest `share_before`.
    pub proposed: i64,
    /// Its share of leads.
    pub share_proposed: f64,
    /// Their conversion rate.
    pub rate_proposed: f64,
}

/// The `k` of the condition's one `points >= k` (`points > k - 1`) test.
fn cut(condition: &Condition<OutcomeTest>) -> Option<i64> {
    let mut found = Vec::new();
    fn walk(c: &Condition<OutcomeTest>, found: &mut Vec<i64>) {
        match c {
            Condition::Test(OutcomeTest::Compare(OutcomeValue::Points, CmpOp::Ge, k)) => found.push(*k),
            Condition::Test(OutcomeTest::Compare(OutcomeValue::Points, CmpOp::Gt, k)) => {
                found.push(k.saturating_add(1))
            }
            Condition::All(parts) => parts.iter().for_each(|p| walk(p, found)),
            _ => {}
        }
    }
    walk(condition, &mut found);
    match found.as_slice() {
        [k] => Some(*k),
        _ => None,
    }
}

/// The cuts of `tiers`, from each lead's written and fitted points and
/// outcome.
pub fn cuts(tiers: &[Tier], before: &[i64], after: &[i64], converted: &[bool], ceiling: i64) -> Vec<TierCut> {
    let n = before.len().max(1) as f64;
    let above = |points: &[i64], k: i64| {
        let (mut count, mut won) = (0usize, 0usize);
        for (&p, &c) in points.iter().zip(converted) {
            if p >= k {
                count += 1;
                won += usize::from(c);
            }
        }
        (count as f64 / n, if count == 0 { 0.0 } else { won as f64 / count as f64 })
    };
    tiers
        .iter()
        .filter_map(|tier| {
            let k = cut(tier.when.as_ref()?)?;
            let (share_before, rate_before) = above(before, k);
            let (share_after, _) = above(after, k);
            let proposed = (0..=ceiling)
                .min_by(|&a, &b| {
                    let gap = |c: i64| (above(after, c).0 - share_before).abs();
                    gap(a).total_cmp(&gap(b)).then((a - k).abs().cmp(&(b - k).abs()))
                })
                .unwrap_or(k);
            let (share_proposed, rate_proposed) = above(after, proposed);
            Some(TierCut {
                tier: tier.name.clone(),
                cut: k,
                share_before,
                rate_before,
                share_after,
                proposed,
                share_proposed,
                rate_proposed,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proposed_cut_keeps_the_share() {
        let when = Condition::All(vec![
            Condition::Test(OutcomeTest::Qualified),
            Condition::Test(OutcomeTest::Compare(OutcomeValue::Points, CmpOp::Ge, 60)),
        ]);
        let tier = Tier { name: "hot".into(), when: Some(when), span: crate::diag::span::Span::new(0, 0) };
        let before = [70, 65, 50, 40, 20, 10, 61, 30];
        let after = [45, 50, 30, 20, 10, 5, 44, 25];
        let converted = [true, true, false, false, false, false, true, false];
        let cut = &cuts(&[tier], &before, &after, &converted, 100)[0];
        assert_eq!((cut.cut, cut.share_before, cut.share_after), (60, 3.0 / 8.0, 0.0));
        assert_eq!((cut.proposed, cut.share_proposed, cut.rate_proposed), (44, 3.0 / 8.0, 1.0));
    }
}
