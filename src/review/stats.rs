//! The score-level statistics of a review.
//!
//! In: the analysed [`Row`]s. Out: the summary counts, the pass/fail
//! verdict, the ROC AUC, conversion per tier and per decile with the
//! cumulative gains, the rank histogram and the cases to study — each a
//! plain function of the rows.

use super::report::{Bin, Case, Decile, GroupRate, Summary, Verdict};
use super::{History, Model, Row};

/// `part / whole`, 0 when `whole` is 0.
pub fn rate(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

/// The two-proportion z statistic of `c1` of `n1` against `c2` of `n2`
/// (pooled variance); 0 when either group is empty or the rates are 0 or 1
/// throughout.
pub fn z_score(c1: usize, n1: usize, c2: usize, n2: usize) -> f64 {
    if n1 == 0 || n2 == 0 {
        return 0.0;
    }
    let pooled = rate(c1 + c2, n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    if se == 0.0 { 0.0 } else { (rate(c1, n1) - rate(c2, n2)) / se }
}

/// Counts of the history.
pub fn summary(history: &History) -> Summary {
    let rows = &history.rows;
    let converters = rows.iter().filter(|r| r.converted).count();
    Summary {
        records: history.records(),
        rows: rows.len(),
        row_errors: history.errors.len(),
        converters,
        non_converters: rows.len() - converters,
        empty_outcomes: rows.iter().filter(|r| r.empty_outcome).count(),
        unlisted: history.unlisted.sorted(),
        open: history.open.sorted(),
        conversion_rate: rate(converters, rows.len()),
    }
}

fn mean(rows: &[Row], converted: bool, value: impl Fn(&Row) -> i64) -> f64 {
    let (sum, n) = rows
        .iter()
        .filter(|r| r.converted == converted)
        .fold((0f64, 0usize), |(s, n), r| (s + value(r) as f64, n + 1));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

/// Average score, rank and points of each group; PASS when converters
/// average a strictly higher rank.
pub fn verdict(rows: &[Row]) -> Verdict {
    let both = rows.iter().any(|r| r.converted) && rows.iter().any(|r| !r.converted);
    let converters_rank = mean(rows, true, Row::rank);
    let non_converters_rank = mean(rows, false, Row::rank);
    Verdict {
        converters_score: mean(rows, true, |r| r.score),
        non_converters_score: mean(rows, false, |r| r.score),
        converters_rank,
        non_converters_rank,
        converters_points: mean(rows, true, |r| r.points),
        non_converters_points: mean(rows, false, |r| r.points),
        pass: both && converters_rank > non_converters_rank,
    }
}

/// The ROC AUC of the rank by the Mann–Whitney U statistic: ranks are
/// numbered from 1 in ascending order, tied ranks share their average, and
/// AUC = (sum of converters' ranks − n₁(n₁+1)/2) / (n₁ n₀).
pub fn auc(rows: &[Row]) -> Option<f64> {
    let mut scored: Vec<(f64, bool)> = rows.iter().map(|r| (r.rank() as f64, r.converted)).collect();
    auc_of(&mut scored)
}

/// The ROC AUC of `(score, converted)` pairs, as the review computes the
/// AUC of its ranks (the pairs are sorted in place; tied scores share
/// their average rank); `None` without both outcomes.
///
/// ```
/// use leadc::review::auc_of;
/// let mut scored = [(3.0, true), (1.0, false), (2.0, true), (2.0, false)];
/// assert_eq!(auc_of(&mut scored), Some(0.875));
/// assert_eq!(auc_of(&mut [(1.0, true)]), None);
/// ```
pub fn auc_of(scored: &mut [(f64, bool)]) -> Option<f64> {
    let positives = scored.iter().filter(|(_, c)| *c).count();
    let negatives = scored.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    scored.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut rank_sum = 0f64;
    let mut start = 0;
    while start < scored.len() {
        let rank = scored[start].0;
        let end = start + scored[start..].iter().take_while(|(r, _)| *r == rank).count();
        // Positions start+1 ..= end share their average.
        let average = (start + 1 + end) as f64 / 2.0;
        let tied_positives = scored[start..end].iter().filter(|(_, c)| *c).count();
        rank_sum += average * tied_positives as f64;
        start = end;
    }
    let (p, n) = (positives as f64, negatives as f64);
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * n))
}

/// Conversion per tier in program order, then `-` for leads with no tier
/// (only when there are some).
pub fn tiers(model: &Model, rows: &[Row]) -> Vec<GroupRate> {
    // Per tier index, then one slot for "no tier": (leads, converters).
    let none = model.tiers.len();
    let mut counts = vec![(0usize, 0usize); none + 1];
    for row in rows {
        let slot = row.tier.filter(|t| *t < none).unwrap_or(none);
        if let Some(count) = counts.get_mut(slot) {
            count.0 += 1;
            count.1 += usize::from(row.converted);
        }
    }
    let names = model.tiers.iter().cloned().chain(std::iter::once("-".to_string()));
    names
        .zip(counts)
        .enumerate()
        .filter(|(i, (_, (leads, _)))| *i < none || *leads > 0)
        .map(|(_, (name, (leads, converters)))| GroupRate {
            name,
            leads,
            converters,
            rate: rate(converters, leads),
        })
        .collect()
}

/// Row indexes by rank, highest first (`descending`) or lowest first;
/// ties keep input order. Sorts compact keys, not rows.
fn by_rank(rows: &[Row], descending: bool) -> Vec<usize> {
    let mut keys: Vec<(i64, usize)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (if descending { r.rank().saturating_neg() } else { r.rank() }, i))
        .collect();
    keys.sort_unstable();
    keys.into_iter().map(|(_, i)| i).collect()
}

/// Rows by rank (highest first, ties in input order) cut into ten groups:
/// decile `d` (from 1) holds positions `(d-1)·n/10 .. d·n/10`. Empty
/// deciles (fewer than ten rows) are left out.
pub fn deciles(rows: &[Row]) -> Vec<Decile> {
    let order = by_rank(rows, true);
    let n = rows.len();
    let total_converters = rows.iter().filter(|r| r.converted).count();
    let mut out = Vec::new();
    let mut cumulative_converters = 0;
    for d in 0..10 {
        let slice = &order[d * n / 10..(d + 1) * n / 10];
        let Some((&first, &last)) = slice.first().zip(slice.last()) else { continue };
        let converters = slice.iter().filter(|&&i| rows[i].converted).count();
        cumulative_converters += converters;
        let cumulative_leads = rate((d + 1) * n / 10, n);
        let gain = rate(cumulative_converters, total_converters);
        out.push(Decile {
            decile: d + 1,
            leads: slice.len(),
            converters,
            rate: rate(converters, slice.len()),
            min_rank: rows[last].rank(),
            max_rank: rows[first].rank(),
            cumulative_leads,
            gain,
            cumulative_lift: if cumulative_leads == 0.0 { 0.0 } else { gain / cumulative_leads },
        });
    }
    out
}

/// The rank range cut into at most `bins` bins of equal whole width.
pub fn histogram(rows: &[Row], bins: usize) -> Vec<Bin> {
    let (Some(lo), Some(hi)) = (rows.iter().map(Row::rank).min(), rows.iter().map(Row::rank).max()) else {
        return Vec::new();
    };
    let span = hi.saturating_sub(lo).saturating_add(1);
    let width = span.saturating_add(bins.max(1) as i64 - 1) / bins.max(1) as i64;
    let count = (span.saturating_add(width - 1) / width) as usize;
    let mut out: Vec<Bin> = (0..count)
        .map(|i| {
            let start = lo.saturating_add(i as i64 * width);
            Bin { lo: start, hi: start.saturating_add(width - 1).min(hi), converters: 0, non_converters: 0 }
        })
        .collect();
    for row in rows {
        let index = (row.rank().saturating_sub(lo) / width) as usize;
        if let Some(bin) = out.get_mut(index) {
            if row.converted {
                bin.converters += 1;
            } else {
                bin.non_converters += 1;
            }
        }
    }
    out
}

/// The `n` lowest-ranked converters (`converted`) or the `n` highest-ranked
/// non-converters; ties in input order.
pub fn cases(model: &Model, rows: &[Row], converted: bool, n: usize) -> Vec<Case> {
    by_rank(rows, !converted)
        .into_iter()
        .map(|i| &rows[i])
        .filter(|r| r.converted == converted)
        .take(n)
        .map(|r| Case {
            id: r.id.clone(),
            line: r.line,
            score: r.score,
            points: r.points,
            tier: model.tier_name(r.tier),
            fired: model.fired_texts(&r.fired),
            fired_lines: model.rules.iter().zip(&r.fired).filter(|(_, f)| **f).map(|(m, _)| m.line).collect(),
        })
        .collect()
}
