//! The history under review: scored leads with their known outcome.
//!
//! In: one scored lead per history record (its score, points, tier, which
//! rules fired, its field values and behaviour counts) and the text of its
//! outcome column. Out: an [`Entry`] per record — a [`Row`], an open lead
//! (outcome not known yet), or a [`RowError`] for a record that could not be
//! read — which [`History::push`] files: every record read ends up counted
//! in exactly one of the three.

use crate::lead::{Lead, Value};
use crate::vm::outcome::{Explanation, Outcome};
use serde::Serialize;
use std::fmt;

/// Outcome texts meaning "converted" (compared ignoring case).
pub const OUTCOME_TRUE: [&str; 6] = ["true", "1", "yes", "y", "converted", "won"];

/// Outcome texts meaning "did not convert" (compared ignoring case). An
/// empty outcome also means "did not convert": CRM exports leave the column
/// blank for open and lost leads. The summary counts empty outcomes apart.
pub const OUTCOME_FALSE: [&str; 6] = ["false", "0", "no", "n", "not_converted", "lost"];

/// Reads an outcome cell: `Some(true)` converted, `Some(false)` not
/// (empty included), `None` not an outcome.
///
/// ```
/// use leadc::review::parse_converted;
/// assert_eq!(parse_converted(" Won "), Some(true));
/// assert_eq!(parse_converted(""), Some(false));
/// assert_eq!(parse_converted("maybe"), None);
/// ```
pub fn parse_converted(text: &str) -> Option<bool> {
    let text = text.trim();
    if text.is_empty() || OUTCOME_FALSE.iter().any(|f| f.eq_ignore_ascii_case(text)) {
        Some(false)
    } else if OUTCOME_TRUE.iter().any(|t| t.eq_ignore_ascii_case(text)) {
        Some(true)
    } else {
        None
    }
}

/// One scored lead of the history.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// The input line the record starts on (1-based).
    pub line: u64,
    /// The lead's id (the `--id` column), or its line number as text.
    pub id: String,
    /// Whether the lead converted.
    pub converted: bool,
    /// Whether its outcome cell was empty (counted as not converted).
    pub empty_outcome: bool,
    /// Its full score.
    pub score: i64,
    /// Its points.
    pub points: i64,
    /// Its segment digit.
    pub segment: u8,
    /// The index of its tier, if any.
    pub tier: Option<usize>,
    /// Per rule of the program, in order: whether it fired.
    pub fired: Vec<bool>,
    /// Per rule of the program, in order: the points it gave its category
    /// (after its own `each max` cap; 0 when it did not fire).
    pub rule_points: Vec<i64>,
    /// Per category of the program, in order: its total after its cap.
    pub categories: Vec<i64>,
    /// Its field values, by field index.
    pub values: Vec<Value>,
    /// Its behaviour counts, by behaviour index.
    pub counts: Vec<u32>,
}

impl Row {
    /// The score without the segment digit: must-have blocks + points.
    pub fn rank(&self) -> i64 {
        self.score.saturating_sub(i64::from(self.segment) * 1000)
    }

    /// The row of a lead scored with its explanation; `converted` is
    /// what its outcome cell `outcome_cell` says.
    pub fn scored(
        line: u64,
        id: String,
        outcome_cell: &str,
        converted: bool,
        lead: &Lead,
        outcome: &Outcome,
        why: &Explanation,
    ) -> Row {
        Row {
            line,
            id,
            converted,
            empty_outcome: outcome_cell.trim().is_empty(),
            score: outcome.score,
            points: outcome.points,
            segment: outcome.segment,
            tier: outcome.tier,
            fired: why.rules.iter().map(|r| r.fired).collect(),
            rule_points: why.rules.iter().map(|r| r.points).collect(),
            categories: outcome.categories.iter().map(|c| c.capped).collect(),
            values: lead.values().to_vec(),
            counts: lead.counts().to_vec(),
        }
    }

    /// A row with only points (= score) and an outcome, for examples and
    /// tests.
    pub fn bare(line: u64, points: i64, converted: bool) -> Row {
        Row { line, id: line.to_string(), converted, score: points, points, ..Row::default() }
    }
}

/// A history record that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The input line the record starts on (1-based).
    pub line: u64,
    /// The lead's id, when it could be read.
    pub id: Option<String>,
    /// What was wrong, lowercase, user input in backticks.
    pub message: String,
}

impl RowError {
    /// An unrecognised outcome value.
    pub fn bad_outcome(line: u64, id: Option<String>, column: &str, value: &str) -> RowError {
        let message = format!(
            "column `{column}`: `{value}` is not an outcome (expected one of {}, or one of {}, or empty)",
            OUTCOME_TRUE.join("/"),
            OUTCOME_FALSE.join("/")
        );
        RowError { line, id, message }
    }
}

impl RowError {
    /// Any other problem with a record (a bad field value, a bad line).
    pub fn new(line: u64, id: Option<String>, message: impl Into<String>) -> RowError {
        RowError { line, id, message: message.into() }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "line {} (id `{id}`): {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// What one history record became.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A scored lead with a known outcome.
    Row(Row),
    /// A scored lead counted as not converted by elimination (its outcome
    /// value, trimmed, is in neither `--won` nor `--open`, and `--lost` was
    /// not given).
    Unlisted(Row, String),
    /// A lead whose outcome is not known yet: its `--open` value, trimmed.
    Open(String),
    /// A record that could not be used.
    Error(RowError),
}

/// How many distinct values a [`Tally`] names; rows with further values
/// are counted, not named.
pub const TALLY_VALUES: usize = 50;

/// Rows counted by their outcome value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Tally {
    /// All the rows counted.
    pub rows: usize,
    /// The first [`TALLY_VALUES`] distinct values (exact text, trimmed)
    /// with their rows, most rows first once the history is read.
    pub values: Vec<ValueCount>,
}

/// One outcome value and how many rows held it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueCount {
    /// The value, trimmed.
    pub value: String,
    /// The rows that held it.
    pub rows: usize,
}

impl Tally {
    /// Counts one row holding `value`.
    pub fn add(&mut self, value: &str) {
        self.rows += 1;
        if let Some(v) = self.values.iter_mut().find(|v| v.value == value) {
            v.rows += 1;
        } else if self.values.len() < TALLY_VALUES {
            self.values.push(ValueCount { value: value.to_string(), rows: 1 });
        }
    }

    /// The rows whose value is not named (past [`TALLY_VALUES`]).
    pub fn unnamed(&self) -> usize {
        self.rows - self.values.iter().map(|v| v.rows).sum::<usize>()
    }

    /// The values, most rows first (ties in the order first seen).
    pub fn sorted(&self) -> Tally {
        let mut values = self.values.clone();
        values.sort_by_key(|v| std::cmp::Reverse(v.rows));
        Tally { rows: self.rows, values }
    }
}

/// Every record of a history file: the usable rows, the open leads and the
/// errors.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    /// The rows analysed, in input order.
    pub rows: Vec<Row>,
    /// The rows that could not be used, in input order.
    pub errors: Vec<RowError>,
    /// The leads whose outcome is not known yet (`--open`): counted, not
    /// analysed.
    pub open: Tally,
    /// Of the rows, those counted as not converted by elimination
    /// ([`Entry::Unlisted`]).
    pub unlisted: Tally,
}

impl History {
    /// How many records were read: rows analysed + open leads + rows in
    /// error.
    pub fn records(&self) -> usize {
        self.rows.len() + self.open.rows + self.errors.len()
    }

    /// Files one record's entry.
    pub fn push(&mut self, entry: Entry) {
        match entry {
            Entry::Row(row) => self.rows.push(row),
            Entry::Unlisted(row, value) => {
                self.unlisted.add(&value);
                self.rows.push(row);
            }
            Entry::Open(value) => self.open.add(&value),
            Entry::Error(e) => self.errors.push(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_ignore_case_and_blanks() {
        for t in ["TRUE", "1", "Yes", "y", "Converted", "WON"] {
            assert_eq!(parse_converted(t), Some(true), "{t}");
        }
        for f in ["false", "0", "NO", "n", "Lost", "  ", ""] {
            assert_eq!(parse_converted(f), Some(false), "{f:?}");
        }
        for bad in ["2", "tru", "converted!", "-"] {
            assert_eq!(parse_converted(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_entry_is_counted_and_a_tally_names_its_first_values() {
        let mut h = History::default();
        h.push(Entry::Row(Row::bare(2, 5, true)));
        h.push(Entry::Unlisted(Row::bare(3, 1, false), "Negotiation".into()));
        h.push(Entry::Open("Open".into()));
        h.push(Entry::Error(RowError::new(5, None, "bad")));
        assert_eq!((h.records(), h.rows.len(), h.open.rows, h.unlisted.rows), (4, 2, 1, 1));
        let mut t = Tally::default();
        for i in 0..TALLY_VALUES + 2 {
            t.add(&format!("v{i}"));
        }
        t.add("v7");
        assert_eq!((t.rows, t.values.len(), t.unnamed()), (TALLY_VALUES + 3, TALLY_VALUES, 2));
        assert_eq!(t.sorted().values[0], ValueCount { value: "v7".into(), rows: 2 });
    }

    #[test]
    fn bad_outcome_message_names_the_column_and_value() {
        let e = RowError::bad_outcome(7, Some("42".into()), "converted", "maybe");
        let text = e.to_string();
        assert!(
            text.starts_with("line 7 (id `42`): column `converted`: `maybe` is not an outcome"),
            "{text}"
        );
    }
}
