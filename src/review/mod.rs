//! The review: scores compared with what actually converted (method step 7).
//!
//! In: a [`Model`] of the program (its rules, tiers and which fields and
//! behaviours they use, from [`Model::from_scorecard`]) and a [`History`] of
//! scored leads with their known outcome ([`Row`]s, plus the rows that could
//! not be read, as [`RowError`]s, and the leads still open; a [`Reader`]
//! turns history records into [`Entry`]s, scoring them with the compiled
//! program and reading outcomes by [`Outcomes`]). [`blind_rules`] names the
//! rules a history without some columns cannot judge. Out: a [`Report`] — plain data, also
//! serialisable as JSON — rendered as a terminal summary ([`render_text`])
//! or one self-contained HTML page ([`render_html`]). [`Diff`] compares two
//! programs' scores of the same leads (`leadc diff`).
//!
//! Every figure is computed on the *rank*: the score without the segment's
//! thousands digit (must-have blocks + points), which is what orders leads
//! for sales within a segment. Without a segment block, rank = score.
//!
//! ```
//! use leadc::review::{analyse, History, Model, Options, Row};
//! let model = Model::default();
//! let mut history = History::default();
//! for (i, (points, converted)) in [(80, true), (20, false), (60, true), (40, false)].into_iter().enumerate() {
//!     history.rows.push(Row::bare(i as u64 + 2, points, converted));
//! }
//! let report = analyse(&model, &history, &Options::default());
//! assert!(report.verdict.pass);
//! assert_eq!(report.auc, Some(1.0));
//! ```

mod blind;
mod diff;
mod diff_html;
mod files;
mod history;
mod html;
mod model;
mod outcomes;
mod read;
mod report;
mod rules;
mod signals;
mod stats;
pub use stats::{auc, auc_of};
mod svg;
mod table;
mod text;

pub use blind::{Blind, BlindRule, blind_rules};
pub use diff::{Bin, CategoryShift, Diff, Move, OutcomeShift, Quantile};
pub use diff_html::render_diff_html;
pub use files::{read_csv, read_ndjson};
pub use history::{
    Entry, History, OUTCOME_FALSE, OUTCOME_TRUE, Row, RowError, TALLY_VALUES, Tally, ValueCount,
    parse_converted,
};
pub use html::render_html;
pub use model::{BehaviourMeta, FieldMeta, Model, RuleMeta};
pub use outcomes::{Class, Outcomes};
pub use read::{AsOf, Reader};
pub use report::*;
pub use text::render_text;

/// How many rows a rule, value or threshold side must cover, at least,
/// before its conversion rate is judged. Below it, rates are shown but
/// nothing is flagged.
pub const MIN_SUPPORT: usize = 30;

/// A rule "has no lift" when the leads it fires for convert at most this
/// many times as often as the leads it does not fire for. (Compared with
/// the others rather than with the overall rate, so that a rule firing for
/// most leads is judged fairly.)
pub const NO_LIFT: f64 = 1.1;

/// A rule, value or range has "strong lift" when the leads it selects
/// convert at least this many times the overall rate.
pub const STRONG_LIFT: f64 = 1.5;

/// A value or range is a strong *negative* signal when its leads convert
/// at most this many times the overall rate (a candidate penalty).
pub const WEAK_LIFT: f64 = 1.0 / STRONG_LIFT;

/// Rules worth at least this many points (their cap, for `each` rules)
/// are "high points": they should show lift.
pub const HIGH_POINTS: i64 = 10;

/// Rules worth at most this many points (zero and penalties included)
/// are "low points": strong lift says they are worth more.
pub const LOW_POINTS: i64 = 3;

/// The two-proportion z statistic a difference in conversion rate must
/// reach to be flagged (3.29 ≈ p < 0.001, two-sided), so that a review of
/// many fields does not flag noise.
pub const MIN_Z: f64 = 3.29;

/// The number of histogram bins of the score distribution.
pub const HISTOGRAM_BINS: usize = 20;

/// Choices of the analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// How many lowest-ranked converters and highest-ranked non-converters
    /// to list.
    pub cases: usize,
    /// How many row errors to list (all are counted).
    pub errors_shown: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { cases: 10, errors_shown: 20 }
    }
}

/// Computes the whole report.
pub fn analyse(model: &Model, history: &History, options: &Options) -> Report {
    let rows = &history.rows;
    let summary = stats::summary(history);
    Report {
        verdict: stats::verdict(rows),
        auc: stats::auc(rows),
        tiers: stats::tiers(model, rows),
        deciles: stats::deciles(rows),
        histogram: stats::histogram(rows, HISTOGRAM_BINS),
        study: Study {
            low_converters: stats::cases(model, rows, true, options.cases),
            high_non_converters: stats::cases(model, rows, false, options.cases),
        },
        rules: rules::analyse(model, rows, summary.conversion_rate),
        signals: signals::analyse(model, rows),
        errors: history.errors.iter().take(options.errors_shown).cloned().collect(),
        summary,
    }
}
