//! Reading history records into scored rows.
//!
//! In: a compiled [`Program`], the names of the outcome and id columns, the
//! accepted outcome values ([`Outcomes`]), and records — CSV cells under a
//! header ([`Reader::csv`], [`Reader::csv_with_layout`]) or NDJSON objects
//! ([`Reader::ndjson`]). Out: for each record an [`Entry`]: a scored
//! [`Row`], an open lead, or a located [`RowError`] (bad outcome, bad field
//! value, bad count, wrong number of cells, invalid JSON) — never nothing,
//! so rows in = rows analysed + open + row errors. Tokenising CSV and
//! reading files is the caller's.

use super::{Class, Entry, Outcomes, Row, RowError};
use crate::diag::suggest::closest;
use crate::input::{CsvLayout, InputError, JsonObject, UnknownColumns};
use crate::lead::Lead;
use crate::program::{Program, Scorer};
use std::borrow::Cow;

/// Scores history records one at a time, reusing its buffers.
pub struct Reader<'p> {
    program: &'p Program,
    /// `None` for a file of leads without outcomes (every row counts as
    /// not converted).
    outcome_column: Option<String>,
    outcomes: Outcomes,
    id_column: Option<String>,
    layout: Layout,
    lead: Lead,
    scorer: Scorer<'p>,
    when: When,
}

/// The instant each history lead is scored as of, for timed rules.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AsOf {
    /// Every event counts fully, as if it had just happened
    /// ([`crate::time::TIMELESS`]).
    #[default]
    Timeless,
    /// One instant for the whole history (seconds since the Unix epoch).
    At(i64),
    /// Each lead's own instant, in this column (or JSON key): when it was
    /// scored, or when its outcome was decided.
    Column(String),
}

/// [`AsOf`], with a CSV column found.
#[derive(Debug, Clone, PartialEq, Eq)]
enum When {
    At(i64),
    Cell(usize, String),
    Key(String),
}

/// Where a record's values are.
enum Layout {
    /// CSV: positions of the outcome and id columns, and of each field and
    /// behaviour present in the header.
    Csv {
        width: usize,
        outcome: Option<usize>,
        id: Option<usize>,
        /// Which column fills which field or count.
        columns: CsvLayout,
    },
    /// NDJSON: values by key.
    Json,
}

impl<'p> Reader<'p> {
    /// A reader of CSV records under `header`, its columns matched to the
    /// schema as by [`CsvLayout::new`]; an error names an outcome or id
    /// column the header lacks (with a "did you mean").
    pub fn csv(
        program: &'p Program,
        header: &[String],
        outcome: &str,
        id: Option<&str>,
    ) -> Result<Reader<'p>, String> {
        let columns = CsvLayout::new(program.schema(), header, UnknownColumns::Ignore)
            .map_err(|e| format!("the history's header: {e}"))?;
        Reader::csv_with_layout(program, header, columns, outcome, id)
    }

    /// As [`Reader::csv`], with the header's columns already matched to the
    /// schema (say, with a mapping: [`CsvLayout::with_mapping`]).
    pub fn csv_with_layout(
        program: &'p Program,
        header: &[String],
        columns: CsvLayout,
        outcome: &str,
        id: Option<&str>,
    ) -> Result<Reader<'p>, String> {
        let find = |name: &str, flag: &str| {
            header.iter().position(|h| h == name).ok_or_else(|| {
                let hint = closest(name, header.iter().map(String::as_str))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                format!("`{flag} {name}`: the history has no column `{name}`{hint}")
            })
        };
        let outcome_at = find(outcome, "--outcome")?;
        let id_at = id.map(|id| find(id, "--id")).transpose()?;
        let layout = Layout::Csv { width: header.len(), outcome: Some(outcome_at), id: id_at, columns };
        Ok(Reader::with_layout(program, Some(outcome), id, layout))
    }

    /// A reader of a CSV file of leads without outcomes (for comparing two
    /// programs on the same leads): every row is not converted.
    pub fn csv_leads(
        program: &'p Program,
        header: &[String],
        columns: CsvLayout,
        id: Option<&str>,
    ) -> Result<Reader<'p>, String> {
        let id_at = match id {
            Some(id) => Some(header.iter().position(|h| h == id).ok_or_else(|| {
                let hint = closest(id, header.iter().map(String::as_str))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                format!("`--id {id}`: the file has no column `{id}`{hint}")
            })?),
            None => None,
        };
        let layout = Layout::Csv { width: header.len(), outcome: None, id: id_at, columns };
        Ok(Reader::with_layout(program, None, id, layout))
    }

    /// A reader of an NDJSON file of leads without outcomes.
    pub fn ndjson_leads(program: &'p Program, id: Option<&str>) -> Reader<'p> {
        Reader::with_layout(program, None, id, Layout::Json)
    }

    /// A reader of NDJSON objects.
    pub fn ndjson(program: &'p Program, outcome: &str, id: Option<&str>) -> Reader<'p> {
        Reader::with_layout(program, Some(outcome), id, Layout::Json)
    }

    /// The reader with these outcome values accepted instead of the
    /// built-in words.
    pub fn with_outcomes(self, outcomes: Outcomes) -> Reader<'p> {
        Reader { outcomes, ..self }
    }

    fn with_layout(
        program: &'p Program,
        outcome: Option<&str>,
        id: Option<&str>,
        layout: Layout,
    ) -> Reader<'p> {
        Reader {
            program,
            outcome_column: outcome.map(str::to_string),
            outcomes: Outcomes::default(),
            id_column: id.map(str::to_string),
            layout,
            lead: program.new_lead(),
            scorer: program.scorer(),
            when: When::At(crate::time::TIMELESS),
        }
    }

    /// The reader with timed rules scored as of `as_of`; `header` finds an
    /// [`AsOf::Column`] in a CSV file (an error names a column it lacks).
    pub fn with_as_of(self, as_of: AsOf, header: &[String]) -> Result<Reader<'p>, String> {
        let when = match (as_of, &self.layout) {
            (AsOf::Timeless, _) => When::At(crate::time::TIMELESS),
            (AsOf::At(t), _) => When::At(t),
            (AsOf::Column(name), Layout::Json) => When::Key(name),
            (AsOf::Column(name), Layout::Csv { .. }) => match header.iter().position(|h| *h == name) {
                Some(i) => When::Cell(i, name),
                None => {
                    let hint = closest(&name, header.iter().map(String::as_str))
                        .map(|c| format!(" (did you mean `{c}`?)"))
                        .unwrap_or_default();
                    return Err(format!("`--as-of-column {name}`: the history has no column `{name}`{hint}"));
                }
            },
        };
        Ok(Reader { when, ..self })
    }

    /// The instant of a record whose as-of cell is `cell` (`None`: no
    /// column is read).
    fn instant(&self, line: u64, id: &Option<String>, cell: Option<&str>) -> Result<i64, RowError> {
        let (name, cell) = match (&self.when, cell) {
            (When::At(t), _) => return Ok(*t),
            (When::Cell(_, name) | When::Key(name), cell) => (name, cell.unwrap_or("")),
        };
        crate::time::parse_instant(cell.trim()).map_err(|e| {
            let message = match cell.trim().is_empty() {
                true => format!("column `{name}` (the as-of instant) is empty"),
                false => format!("column `{name}`: `{cell}` is not an as-of instant: {e}"),
            };
            RowError::new(line, id.clone(), message)
        })
    }

    /// Scores one CSV record starting on input line `line`.
    pub fn record(&mut self, line: u64, cells: &[&str]) -> Entry {
        let Layout::Csv { width, outcome, id, columns } = &self.layout else {
            return Entry::Error(RowError::new(line, None, "a CSV record given to an NDJSON reader"));
        };
        let id = id.map(|i| cells.get(i).copied().unwrap_or("").to_string());
        if cells.len() != *width {
            let message = format!("expected {width} fields, found {}", cells.len());
            return Entry::Error(RowError::new(line, id, message));
        }
        let outcome_cell = outcome.and_then(|i| cells.get(i).copied()).unwrap_or("");
        let class = match self.class(line, &id, outcome_cell) {
            Ok(Class::Open) => return Entry::Open(outcome_cell.trim().to_string()),
            Ok(class) => class,
            Err(e) => return Entry::Error(e),
        };
        let as_of_cell = match &self.when {
            When::Cell(i, _) => cells.get(*i).copied(),
            _ => None,
        };
        let as_of = match self.instant(line, &id, as_of_cell) {
            Ok(t) => t,
            Err(e) => return Entry::Error(e),
        };
        let mut found = Vec::new();
        columns.fill_reporting(self.program.schema(), &mut self.lead, cells.iter().copied(), &mut found);
        let problems = found.iter().map(InputError::in_column).collect();
        self.finish(line, id, outcome_cell, (class, as_of), problems)
    }

    /// Scores one NDJSON line starting on input line `line`.
    pub fn json_line(&mut self, line: u64, text: &str) -> Entry {
        let object = match JsonObject::read(text) {
            Ok(object) => object,
            Err(e) => return Entry::Error(RowError::new(line, None, e.to_string())),
        };
        let text_of = |key: &str| object.text(key).map(Cow::into_owned).unwrap_or_default();
        let id = self.id_column.as_deref().map(text_of);
        let outcome_cell = self.outcome_column.as_deref().map(text_of).unwrap_or_default();
        let class = match self.class(line, &id, &outcome_cell) {
            Ok(Class::Open) => return Entry::Open(outcome_cell.trim().to_string()),
            Ok(class) => class,
            Err(e) => return Entry::Error(e),
        };
        let as_of_cell = match &self.when {
            When::Key(key) => Some(text_of(key)),
            _ => None,
        };
        let as_of = match self.instant(line, &id, as_of_cell.as_deref()) {
            Ok(t) => t,
            Err(e) => return Entry::Error(e),
        };
        // The same reading of values as `leadc score` (`Lead::fill_json_object`).
        let problems =
            match self.lead.fill_json_object(self.program.schema(), &object, UnknownColumns::Ignore) {
                Ok(()) => Vec::new(),
                Err(e) => vec![e.to_string()],
            };
        self.finish(line, id, &outcome_cell, (class, as_of), problems)
    }

    fn class(&self, line: u64, id: &Option<String>, cell: &str) -> Result<Class, RowError> {
        let Some(column) = &self.outcome_column else { return Ok(Class::NotConverted) };
        self.outcomes.classify(cell).ok_or_else(|| self.outcomes.unknown(line, id.clone(), column, cell))
    }

    fn finish(
        &mut self,
        line: u64,
        id: Option<String>,
        outcome_cell: &str,
        (class, as_of): (Class, i64),
        problems: Vec<String>,
    ) -> Entry {
        if !problems.is_empty() {
            return Entry::Error(RowError::new(line, id, problems.join("; ")));
        }
        let (outcome, explanation) = self.scorer.explain_at(&self.lead, as_of);
        let id = id.unwrap_or_else(|| line.to_string());
        let converted = class == Class::Converted;
        let row = Row::scored(line, id, outcome_cell, converted, &self.lead, outcome, explanation);
        match class {
            Class::Unlisted => Entry::Unlisted(row, outcome_cell.trim().to_string()),
            _ => Entry::Row(row),
        }
    }
}
