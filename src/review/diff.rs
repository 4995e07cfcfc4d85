//! What a change to a program does to a set of leads.
//!
//! In: the same leads (or history) read and scored by two programs — an old
//! and a new version — as two [`History`]s and the two programs'
//! [`Model`]s. Out: a [`Diff`]: how many leads move from each tier to each
//! other (the transition matrix), the first leads that change tier with
//! the rules that moved them, the quantiles of points and rank before and
//! after, each category's mean total before and after, and with known
//! outcomes each program's AUC and top-decile conversion. Leads are paired
//! by their input line; a lead only one program could read is counted,
//! not compared.
//!
//! ```
//! use leadc::review::{Diff, History, Model, Row};
//! let model = Model { tiers: vec!["hot".into()], ..Model::default() };
//! let mut old = History::default();
//! let mut new = History::default();
//! for (line, (before, after)) in [(None, Some(0)), (Some(0), Some(0))].into_iter().enumerate() {
//!     old.rows.push(Row { tier: before, ..Row::bare(line as u64 + 2, 10, false) });
//!     new.rows.push(Row { tier: after, ..Row::bare(line as u64 + 2, 40, false) });
//! }
//! let diff = Diff::new((&model, &old), (&model, &new), 10);
//! assert_eq!(diff.leads, 2);
//! assert_eq!(diff.transitions, vec![vec![1, 0], vec![1, 0]]); // old hot → hot; old none → hot
//! assert_eq!(diff.changed, 1);
//! ```

use super::stats::{auc, deciles};
use super::{History, Model, Row};
use serde::Serialize;
use std::collections::BTreeMap;

/// The effect of changing a program, on one set of leads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// Leads scored by both programs.
    pub leads: usize,
    /// Leads only one program could read (bad data for its schema).
    pub unpaired: usize,
    /// The old program's tiers, then `-` (no tier).
    pub old_tiers: Vec<String>,
    /// The new program's tiers, then `-` (no tier).
    pub new_tiers: Vec<String>,
    /// `transitions[i][j]`: leads in old tier `i` and new tier `j`; the
    /// last row and column are "no tier". Sums to `leads`.
    pub transitions: Vec<Vec<usize>>,
    /// Leads whose tier changed (names compared, so a renamed tier counts).
    pub changed: usize,
    /// Leads whose score changed.
    pub rescored: usize,
    /// The first leads that changed tier, in input order.
    pub moves: Vec<Move>,
    /// Quantiles of points, old and new.
    pub points: Vec<Quantile>,
    /// Quantiles of the rank (the score without the segment digit).
    pub rank: Vec<Quantile>,
    /// Leads per ten points of `points` (0–9, 10–19, ..., 90–100), old and new.
    pub points_bins: Vec<Bin>,
    /// Every category of either program, old order then new ones.
    pub categories: Vec<CategoryShift>,
    /// With known outcomes: each program's ranking quality.
    pub outcomes: Option<OutcomeShift>,
}

/// A lead that changed tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Move {
    /// Its input line.
    pub line: u64,
    /// Its id (or line number).
    pub id: String,
    /// Old tier.
    pub from: String,
    /// New tier.
    pub to: String,
    /// Old and new score.
    pub scores: (i64, i64),
    /// Rule texts that fired under the old program and not (as written)
    /// under the new one.
    pub lost: Vec<String>,
    /// Rule texts that fire under the new program and did not under the old.
    pub gained: Vec<String>,
}

/// One quantile of a distribution, before and after.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quantile {
    /// 0 (the minimum) to 1 (the maximum).
    pub q: f64,
    /// The old program's value.
    pub old: i64,
    /// The new program's value.
    pub new: i64,
}

/// Leads in one bin of points, before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bin {
    /// The bin's lowest points.
    pub lo: i64,
    /// Leads in it under the old program.
    pub old: usize,
    /// Under the new program.
    pub new: usize,
}

/// A category's mean total before and after (`None`: the program has no
/// category of that name).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryShift {
    /// Its name.
    pub name: String,
    /// Mean total under the old program.
    pub old_mean: Option<f64>,
    /// Mean total under the new program.
    pub new_mean: Option<f64>,
    /// Leads whose total in it changed (0 when only one program has it).
    pub changed: usize,
}

/// Ranking quality before and after, on leads with known outcomes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeShift {
    /// Converters among the paired leads.
    pub converters: usize,
    /// The old program's AUC of rank (None when every lead converted or none).
    pub old_auc: Option<f64>,
    /// The new program's.
    pub new_auc: Option<f64>,
    /// Conversion rate of the old program's top-ranked tenth.
    pub old_top_decile: Option<f64>,
    /// The new program's.
    pub new_top_decile: Option<f64>,
    /// The old program's cumulative gains: (share of leads called, share
    /// of converters found) after each rank decile.
    pub old_gains: Vec<(f64, f64)>,
    /// The new program's.
    pub new_gains: Vec<(f64, f64)>,
}

const QUANTILES: [f64; 7] = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0];

impl Diff {
    /// Compares the rows of `old` and `new` (each a program's model and the
    /// leads it scored), keeping the first `show` moves.
    pub fn new(old: (&Model, &History), new: (&Model, &History), show: usize) -> Diff {
        let pairs = pair(&old.1.rows, &new.1.rows);
        let unpaired = old.1.rows.len() + new.1.rows.len() - 2 * pairs.len();
        let tier_index = |model: &Model, t: Option<usize>| {
            t.filter(|t| *t < model.tiers.len()).unwrap_or(model.tiers.len())
        };
        let mut transitions = vec![vec![0; new.0.tiers.len() + 1]; old.0.tiers.len() + 1];
        let (mut changed, mut rescored, mut moves) = (0, 0, Vec::new());
        for (a, b) in &pairs {
            transitions[tier_index(old.0, a.tier)][tier_index(new.0, b.tier)] += 1;
            rescored += usize::from(a.score != b.score);
            let (from, to) = (old.0.tier_name(a.tier), new.0.tier_name(b.tier));
            if from == to {
                continue;
            }
            changed += 1;
            if moves.len() < show {
                moves.push(movement(old.0, new.0, a, b, from, to));
            }
        }
        let names = |model: &Model| model.tiers.iter().cloned().chain(["-".to_string()]).collect();
        Diff {
            leads: pairs.len(),
            unpaired,
            old_tiers: names(old.0),
            new_tiers: names(new.0),
            transitions,
            changed,
            rescored,
            moves,
            points: quantiles(&pairs, |r| r.points),
            rank: quantiles(&pairs, Row::rank),
            points_bins: bins(&pairs),
            categories: categories(old.0, new.0, &pairs),
            outcomes: outcome_shift(&pairs),
        }
    }
}

/// The rows of both programs for the same input line, in input order.
fn pair<'a>(old: &'a [Row], new: &'a [Row]) -> Vec<(&'a Row, &'a Row)> {
    let by_line: BTreeMap<u64, &Row> = new.iter().map(|r| (r.line, r)).collect();
    old.iter().filter_map(|a| by_line.get(&a.line).map(|b| (a, *b))).collect()
}

fn movement(old: &Model, new: &Model, a: &Row, b: &Row, from: String, to: String) -> Move {
    let before = old.fired_texts(&a.fired);
    let after = new.fired_texts(&b.fired);
    Move {
        line: a.line,
        id: a.id.clone(),
        from,
        to,
        scores: (a.score, b.score),
        lost: before.iter().filter(|t| !after.contains(t)).cloned().collect(),
        gained: after.iter().filter(|t| !before.contains(t)).cloned().collect(),
    }
}

fn quantiles(pairs: &[(&Row, &Row)], value: impl Fn(&Row) -> i64) -> Vec<Quantile> {
    if pairs.is_empty() {
        return Vec::new();
    }
    let mut old: Vec<i64> = pairs.iter().map(|(a, _)| value(a)).collect();
    let mut new: Vec<i64> = pairs.iter().map(|(_, b)| value(b)).collect();
    old.sort_unstable();
    new.sort_unstable();
    // The nearest-rank quantile: the value at position round(q × (n − 1)).
    let at = |values: &[i64], q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    QUANTILES.iter().map(|&q| Quantile { q, old: at(&old, q), new: at(&new, q) }).collect()
}

fn bins(pairs: &[(&Row, &Row)]) -> Vec<Bin> {
    let mut bins: Vec<Bin> = (0..10).map(|i| Bin { lo: i * 10, old: 0, new: 0 }).collect();
    let at = |points: i64| (points.clamp(0, 99) / 10) as usize;
    for (a, b) in pairs {
        bins[at(a.points)].old += 1;
        bins[at(b.points)].new += 1;
    }
    bins
}

fn categories(old: &Model, new: &Model, pairs: &[(&Row, &Row)]) -> Vec<CategoryShift> {
    let mut names: Vec<&String> = old.categories.iter().collect();
    names.extend(new.categories.iter().filter(|n| !old.categories.contains(n)));
    let n = pairs.len().max(1) as f64;
    names
        .into_iter()
        .map(|name| {
            let i = old.categories.iter().position(|c| c == name);
            let j = new.categories.iter().position(|c| c == name);
            let total = |row: &Row, k: usize| row.categories.get(k).copied().unwrap_or(0);
            let mean = |k: Option<usize>, side: usize| {
                k.map(|k| {
                    pairs.iter().map(|p| total(if side == 0 { p.0 } else { p.1 }, k) as f64).sum::<f64>() / n
                })
            };
            let changed = match (i, j) {
                (Some(i), Some(j)) => pairs.iter().filter(|(a, b)| total(a, i) != total(b, j)).count(),
                _ => 0,
            };
            CategoryShift { name: name.clone(), old_mean: mean(i, 0), new_mean: mean(j, 1), changed }
        })
        .collect()
}

fn outcome_shift(pairs: &[(&Row, &Row)]) -> Option<OutcomeShift> {
    let converters = pairs.iter().filter(|(a, _)| a.converted).count();
    if converters == 0 {
        return None;
    }
    // Only what the rank statistics read: the rank's parts and the outcome.
    let bare = |r: &Row, converted: bool| Row {
        line: r.line,
        converted,
        score: r.score,
        segment: r.segment,
        ..Row::default()
    };
    let old: Vec<Row> = pairs.iter().map(|(a, _)| bare(a, a.converted)).collect();
    let new: Vec<Row> = pairs.iter().map(|(a, b)| bare(b, a.converted)).collect();
    let (old_deciles, new_deciles) = (deciles(&old), deciles(&new));
    let gains = |d: &[super::Decile]| d.iter().map(|d| (d.cumulative_leads, d.gain)).collect();
    Some(OutcomeShift {
        converters,
        old_auc: auc(&old),
        new_auc: auc(&new),
        old_top_decile: old_deciles.first().map(|d| d.rate),
        new_top_decile: new_deciles.first().map(|d| d.rate),
        old_gains: gains(&old_deciles),
        new_gains: gains(&new_deciles),
    })
}

impl Diff {
    /// The comparison as terminal text: the transition matrix, the moves,
    /// the quantiles, the categories and, with outcomes, ranking quality.
    pub fn render_text(&self) -> String {
        let mut s = String::new();
        let percent = |n: usize| if self.leads == 0 { 0.0 } else { 100.0 * n as f64 / self.leads as f64 };
        s.push_str(&format!(
            "{} leads scored by both programs: {} change tier ({:.1}%), {} change score\n",
            self.leads,
            self.changed,
            percent(self.changed),
            self.rescored
        ));
        if self.unpaired > 0 {
            s.push_str(&format!("{} leads only one program could read are left out\n", self.unpaired));
        }
        self.matrix(&mut s);
        self.moves_text(&mut s);
        for (title, rows) in
            [("points", &self.points), ("rank (score without the segment digit)", &self.rank)]
        {
            s.push_str(&format!("\n{title}\n"));
            let mut table = vec![vec!["".to_string(), "old".to_string(), "new".to_string()]];
            for q in rows.iter() {
                let name = match q.q {
                    0.0 => "min".to_string(),
                    1.0 => "max".to_string(),
                    0.5 => "median".to_string(),
                    q => format!("p{}", (q * 100.0).round()),
                };
                table.push(vec![name, q.old.to_string(), q.new.to_string()]);
            }
            s.push_str(&columns(&table));
        }
        s.push('\n');
        let mut table =
            vec![vec!["category".into(), "old mean".into(), "new mean".into(), "leads changed".into()]];
        let mean = |m: Option<f64>| m.map_or("-".to_string(), |m| format!("{m:.1}"));
        for c in &self.categories {
            table.push(vec![c.name.clone(), mean(c.old_mean), mean(c.new_mean), c.changed.to_string()]);
        }
        s.push_str(&columns(&table));
        if let Some(o) = &self.outcomes {
            let auc = |a: Option<f64>| a.map_or("-".to_string(), |a| format!("{a:.3}"));
            let rate = |r: Option<f64>| r.map_or("-".to_string(), |r| format!("{:.1}%", 100.0 * r));
            s.push_str(&format!(
                "\noutcomes ({} converters): AUC {} → {}; conversion in the top tenth {} → {}\n",
                o.converters,
                auc(o.old_auc),
                auc(o.new_auc),
                rate(o.old_top_decile),
                rate(o.new_top_decile)
            ));
        }
        s
    }

    fn matrix(&self, s: &mut String) {
        s.push_str("\ntiers: rows old, columns new\n");
        let mut table = vec![std::iter::once(String::new()).chain(self.new_tiers.iter().cloned()).collect()];
        for (i, row) in self.transitions.iter().enumerate() {
            let name = self.old_tiers.get(i).cloned().unwrap_or_default();
            table.push(std::iter::once(name).chain(row.iter().map(|n| n.to_string())).collect());
        }
        s.push_str(&columns(&table));
    }

    fn moves_text(&self, s: &mut String) {
        if self.moves.is_empty() {
            return;
        }
        let first = if self.moves.len() < self.changed {
            format!(" (first {})", self.moves.len())
        } else {
            String::new()
        };
        s.push_str(&format!("\nleads that change tier{first}\n"));
        for m in &self.moves {
            s.push_str(&format!(
                "  line {} (id {}): {} → {}, score {} → {}\n",
                m.line, m.id, m.from, m.to, m.scores.0, m.scores.1
            ));
            for t in &m.lost {
                s.push_str(&format!("      - {t}\n"));
            }
            for t in &m.gained {
                s.push_str(&format!("      + {t}\n"));
            }
        }
    }
}

/// `rows` as columns: the first left-aligned, the others right-aligned,
/// two spaces apart, indented two.
fn columns(rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..rows.iter().map(Vec::len).max().unwrap_or(0))
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|t| t.chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::from(" ");
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            line.push(' ');
            if c == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str(&" ".repeat(pad + 1));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
