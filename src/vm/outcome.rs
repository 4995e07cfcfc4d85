//! What scoring a lead produces.
//!
//! In: filled by the VM (and by the reference evaluator) for one lead. Out:
//! an [`Outcome`] — score, points, qualification, segment, tier and
//! per-category totals — and, on request, an [`Explanation`] of every rule.
//! Both are plain results: a [`crate::program::Scorer`] reuses their
//! buffers (and keeps the evaluator's working memory itself) so that scoring
//! does not allocate.

use serde::Serialize;

/// The result of scoring one lead.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Outcome {
    /// segment digit × 1000 + points of met must-haves + points.
    pub score: i64,
    /// The sum of capped category totals, clamped to 0..=99 in the digit
    /// layout, else to 0..=100.
    pub points: i64,
    /// Every must-have met (true when there are none).
    pub qualified: bool,
    /// How many must-haves are met.
    pub requires_met: u32,
    /// The segment digit: 1–9 from the first matching arm, 0 when none.
    pub segment: u8,
    /// The index of the first tier whose condition holds, if any.
    pub tier: Option<usize>,
    /// Per category, in program order: its total before and after its cap.
    pub categories: Vec<CategoryTotal>,
}

/// A category's total for one lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CategoryTotal {
    /// The sum of its rules' points.
    pub raw: i64,
    /// `raw` limited to the category's `max` (when it has one).
    pub capped: i64,
}

impl CategoryTotal {
    /// Whether the category's cap cut the total.
    pub fn was_capped(&self) -> bool {
        self.raw != self.capped
    }
}

/// Why a lead scored what it did, rule by rule.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Explanation {
    /// Per must-have, in program order: whether it was met.
    pub requires: Vec<bool>,
    /// The index of the segment arm that matched, if any.
    pub segment_arm: Option<usize>,
    /// Per rule, in program order (categories in order, rules in order).
    pub rules: Vec<RuleTrace>,
    /// Per rule, in program order: for a rule on an event behaviour, how
    /// its events were counted and decayed; `None` for other rules.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub times: Vec<Option<TimeTrace>>,
}

/// How a rule on an event behaviour counted its events, as of an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct TimeTrace {
    /// Events at or before the as-of instant and inside the window: the
    /// count the threshold is tested against.
    pub counted: u32,
    /// Events after the as-of instant, ignored.
    pub future: u32,
    /// Events at or before the as-of instant but outside the window.
    pub outside_window: u32,
    /// Age in seconds of the newest counted event (`None` when none).
    pub newest_age: Option<i64>,
    /// Age in seconds of the oldest counted event (`None` when none).
    pub oldest_age: Option<i64>,
    /// Points before decay: `n` once, or `n × counted` for `each` (0 when
    /// the rule did not fire). [`RuleTrace::uncapped`] is after decay.
    pub undecayed: i64,
}

/// What one rule did for one lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RuleTrace {
    /// Whether its condition held (or its behaviour count reached the
    /// threshold).
    pub fired: bool,
    /// Points before the rule's own `each max` cap (0 when not fired).
    pub uncapped: i64,
    /// Points it gave its category, after its own cap.
    pub points: i64,
}

/// The results of scoring a batch (`crate::lead::Batch`), one column per
/// part of an [`Outcome`], one row per lead. A
/// [`Scorer`](crate::program::Scorer) fills it and reuses its buffers: keep
/// one for every batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcomes {
    pub(crate) rows: usize,
    pub(crate) score: Vec<i64>,
    pub(crate) points: Vec<i64>,
    pub(crate) qualified: Vec<bool>,
    pub(crate) requires_met: Vec<u32>,
    pub(crate) segment: Vec<u8>,
    /// A tier's index, or [`Outcomes::NO_TIER`].
    pub(crate) tier: Vec<u32>,
    /// Category `c`'s raw totals are `raw[c × rows..(c + 1) × rows]`.
    pub(crate) raw: Vec<i64>,
    /// The capped totals, laid out as `raw`.
    pub(crate) capped: Vec<i64>,
}

impl Outcomes {
    /// The tier column's value for a lead in no tier.
    pub const NO_TIER: u32 = u32::MAX;

    /// Makes room for `rows` leads of `categories` categories, keeping the
    /// buffers (every value is then written by the evaluator).
    pub(crate) fn resize(&mut self, rows: usize, categories: usize) {
        self.rows = rows;
        self.score.resize(rows, 0);
        self.points.resize(rows, 0);
        self.qualified.resize(rows, false);
        self.requires_met.resize(rows, 0);
        self.segment.resize(rows, 0);
        self.tier.resize(rows, Outcomes::NO_TIER);
        self.raw.resize(rows * categories, 0);
        self.capped.resize(rows * categories, 0);
    }

    /// How many leads it holds.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether it holds no lead.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Per lead: [`Outcome::score`].
    pub fn score(&self) -> &[i64] {
        &self.score
    }

    /// Per lead: [`Outcome::points`].
    pub fn points(&self) -> &[i64] {
        &self.points
    }

    /// Per lead: [`Outcome::qualified`].
    pub fn qualified(&self) -> &[bool] {
        &self.qualified
    }

    /// Per lead: [`Outcome::requires_met`].
    pub fn requires_met(&self) -> &[u32] {
        &self.requires_met
    }

    /// Per lead: [`Outcome::segment`].
    pub fn segment(&self) -> &[u8] {
        &self.segment
    }

    /// Per lead: the index of its tier, or [`Outcomes::NO_TIER`].
    pub fn tier(&self) -> &[u32] {
        &self.tier
    }

    /// Per lead: category `category`'s total after its cap (empty for a
    /// category the program does not have).
    pub fn category(&self, category: usize) -> &[i64] {
        self.capped.get(category * self.rows..(category + 1) * self.rows).unwrap_or(&[])
    }

    /// Per lead: category `category`'s total before its cap.
    pub fn category_raw(&self, category: usize) -> &[i64] {
        self.raw.get(category * self.rows..(category + 1) * self.rows).unwrap_or(&[])
    }

    /// Lead `row`'s outcome, gathered from the columns (it allocates: for
    /// tests and for reading a few leads).
    pub fn outcome(&self, row: usize) -> Outcome {
        let categories = self.raw.len().checked_div(self.rows).unwrap_or(0);
        let at = |column: &[i64], c: usize| column.get(c * self.rows + row).copied().unwrap_or(0);
        Outcome {
            score: self.score.get(row).copied().unwrap_or(0),
            points: self.points.get(row).copied().unwrap_or(0),
            qualified: self.qualified.get(row).copied().unwrap_or(false),
            requires_met: self.requires_met.get(row).copied().unwrap_or(0),
            segment: self.segment.get(row).copied().unwrap_or(0),
            tier: self.tier.get(row).filter(|&&t| t != Outcomes::NO_TIER).map(|&t| t as usize),
            categories: (0..categories)
                .map(|c| CategoryTotal { raw: at(&self.raw, c), capped: at(&self.capped, c) })
                .collect(),
        }
    }
}
