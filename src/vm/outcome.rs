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
