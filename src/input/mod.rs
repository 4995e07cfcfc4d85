//! Leads from JSON objects and CSV records.
//!
//! In: a JSON value ([`Lead::from_json_checked`] rejects unknown keys, the
//! lenient [`Lead::from_json`] ignores them), or a CSV header row and then
//! records as string fields ([`CsvLayout`], [`LeadReader`]; the caller
//! splits the CSV — the library does not depend on a CSV parser). Out:
//! [`Lead`]s laid out by the schema, or [`InputError`]s that name the key or
//! column, the value and what was expected.
//!
//! JSON: an object whose keys are field names and behaviour names; the
//! counts may also sit in a `"behaviours"` (or `"behaviors"`) object, unless
//! the schema has a field of that name. `null` is a missing value: a field
//! set to `null` is missing, a count set to `null` is 0, an event list set
//! to `null` is no events and a `"behaviours": null` object holds no counts.
//! Fields take the JSON type of their schema type (string, integer, number,
//! bool, enum value as a string); a string is also accepted for a non-string
//! field and parsed as a CSV cell would be. Counts are non-negative integers.
//!
//! CSV: a column per field or behaviour, named in the header; columns may
//! come in any order, and a field with no column is always missing (a
//! behaviour with none counts 0). An empty cell is a missing value or a
//! count of 0.

use crate::diag::codes;
use crate::diag::suggest::closest;
use crate::diag::{Diagnostic, FileId};
use crate::lead::{Batch, Lead, ValueError};
use crate::schema::{BehaviourId, FieldId, Schema};
use cell::parse_count;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

#[cfg(feature = "arrow")]
pub mod arrow;
pub(crate) mod cell;
mod header;
mod json;
mod records;

pub use header::{Matched, loosen};
pub use json::{JsonObject, cell_text};

/// A problem with one lead's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// The text is not valid JSON.
    InvalidJson {
        /// The column (from 1) where the parser stopped.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The JSON value is not an object.
    NotAnObject,
    /// A JSON key written twice in one object.
    DuplicateKey {
        /// The key.
        key: String,
        /// The object it is repeated in, when not the lead itself
        /// (`behaviours`).
        within: Option<String>,
    },
    /// A behaviour given both at the top level and in the `behaviours`
    /// object.
    GivenTwice {
        /// The behaviour.
        key: String,
        /// The nested object's key.
        nested: String,
    },
    /// Keys or columns that are neither a field nor a behaviour, each with
    /// the closest known name when one is close.
    UnknownNames(Vec<(String, Option<String>)>),
    /// A column named twice in a CSV header.
    DuplicateColumn(String),
    /// Two header columns that fill the same field or behaviour.
    SameTarget {
        /// The first column.
        first: String,
        /// The second.
        second: String,
        /// The field or behaviour both fill.
        target: String,
    },
    /// A value that does not fit its field or count; `field` is the key or
    /// column name.
    Value(ValueError),
    /// A CSV record with another number of cells than the header.
    RecordLength {
        /// Cells in the header.
        expected: usize,
        /// Cells in the record.
        found: usize,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::InvalidJson { column, message } => {
                write!(f, "invalid JSON at column {column}: {message}")
            }
            InputError::NotAnObject => f.write_str("a lead must be a JSON object"),
            InputError::DuplicateKey { key, within: None } => {
                write!(f, "the key `{key}` appears twice; keep one")
            }
            InputError::DuplicateKey { key, within: Some(object) } => {
                write!(f, "the key `{key}` appears twice in `{object}`; keep one")
            }
            InputError::GivenTwice { key, nested } => {
                write!(f, "`{key}` is given both at the top level and in `{nested}`; keep one")
            }
            InputError::UnknownNames(names) => {
                let list: Vec<String> = names
                    .iter()
                    .map(|(n, s)| match s {
                        Some(s) => format!("`{n}` (did you mean `{s}`?)"),
                        None => format!("`{n}`"),
                    })
                    .collect();
                write!(f, "unknown field or behaviour {}", list.join(", "))
            }
            InputError::DuplicateColumn(name) => write!(f, "the column `{name}` appears twice"),
            InputError::SameTarget { first, second, target } => write!(
                f,
                "the columns `{first}` and `{second}` both fill `{target}`; drop one, or map one \
                 elsewhere with `--map`"
            ),
            InputError::Value(e) => e.fmt(f),
            InputError::RecordLength { expected, found } => {
                write!(f, "a record has {found} cells but the header has {expected}")
            }
        }
    }
}

impl std::error::Error for InputError {}

impl From<ValueError> for InputError {
    fn from(e: ValueError) -> Self {
        InputError::Value(e)
    }
}

impl InputError {
    /// The message for a CSV cell: `column `age`: `forty` is not an integer`.
    pub fn in_column(&self) -> String {
        match self {
            InputError::Value(e) => format!("column `{}`: `{}` is not {}", e.field, e.value, e.expected),
            other => other.to_string(),
        }
    }

    /// The column (or key) the problem is in, if one, and what kind of
    /// problem it is, in a few words: for a run's summary of its errors.
    pub fn summary_key(&self) -> (Option<&str>, &'static str) {
        match self {
            InputError::Value(e) => (Some(&e.field), e.kind()),
            InputError::RecordLength { .. } => (None, "wrong number of cells"),
            InputError::InvalidJson { .. } => (None, "invalid JSON"),
            InputError::NotAnObject => (None, "not a JSON object"),
            InputError::DuplicateKey { key, .. } | InputError::GivenTwice { key, .. } => {
                (Some(key), "given twice")
            }
            InputError::UnknownNames(_) => (None, "unknown key"),
            InputError::DuplicateColumn(_) | InputError::SameTarget { .. } => (None, "header"),
        }
    }

    /// Converts to a diagnostic about the input file `file` (located by
    /// key or column name in the message).
    pub fn to_diagnostic(&self, _file: FileId) -> Diagnostic {
        let d = Diagnostic::error(codes::BAD_LEAD, self.to_string());
        match self {
            InputError::UnknownNames(_) => d.with_help("use the names of the schema's fields and behaviours"),
            _ => d,
        }
    }
}

fn unknown_name(schema: &Schema, name: &str) -> (String, Option<String>) {
    let names =
        schema.fields().iter().map(|f| f.name.as_str()).chain(schema.behaviours().iter().map(String::as_str));
    (name.to_string(), closest(name, names).map(str::to_string))
}

impl Lead {
    /// A lead from a JSON object (see the module docs for the shape),
    /// rejecting keys that are neither fields nor behaviours — all of them
    /// listed, each with the closest known name. [`Lead::from_json`] is the
    /// lenient form that ignores them (NDJSON rows carrying an `id`).
    ///
    /// ```
    /// use leadc::lead::{Lead, Value};
    /// use leadc::schema::{FieldType, Schema};
    /// let schema = Schema::builder().field("age", FieldType::Int).behaviour("demo").build().unwrap();
    /// let json = serde_json::json!({"age": 40, "behaviours": {"demo": 2}});
    /// let lead = Lead::from_json_checked(&schema, &json).unwrap();
    /// assert_eq!(lead.value(schema.field_id("age").unwrap()), &Value::Int(40));
    /// let err = Lead::from_json_checked(&schema, &serde_json::json!({"agee": 1})).unwrap_err();
    /// assert_eq!(err.to_string(), "unknown field or behaviour `agee` (did you mean `age`?)");
    /// ```
    pub fn from_json_checked(schema: &Schema, json: &Json) -> Result<Lead, InputError> {
        let mut lead = Lead::new(schema);
        lead.fill_json(schema, json, UnknownColumns::Error)?;
        Ok(lead)
    }

    /// A lead from a JSON object (see the module docs for the shape),
    /// ignoring keys that are neither fields nor behaviours (an `id`, an
    /// `email`), as extra CSV columns are.
    ///
    /// ```
    /// use leadc::lead::{Lead, Value};
    /// use leadc::schema::{FieldType, Schema};
    /// let schema = Schema::builder().field("age", FieldType::Int).behaviour("demo").build().unwrap();
    /// let json = serde_json::json!({"id": 7, "age": 42, "behaviours": {"demo": 2}});
    /// let lead = Lead::from_json(&schema, &json).unwrap();
    /// assert_eq!(lead.value(schema.field_id("age").unwrap()), &Value::Int(42));
    /// assert_eq!(lead.count(schema.behaviour_id("demo").unwrap()), 2);
    /// assert!(Lead::from_json(&schema, &serde_json::json!({"age": "old"})).is_err());
    /// ```
    pub fn from_json(schema: &Schema, json: &Json) -> Result<Lead, InputError> {
        let mut lead = Lead::new(schema);
        lead.fill_json(schema, json, UnknownColumns::Ignore)?;
        Ok(lead)
    }

    /// Clears this lead and fills it from a JSON object, reusing buffers;
    /// `unknown` says whether keys outside the schema are an error. The
    /// same reading as [`Lead::fill_json_object`], which takes the text
    /// as written (NDJSON lines).
    pub fn fill_json(
        &mut self,
        schema: &Schema,
        json: &Json,
        unknown: UnknownColumns,
    ) -> Result<(), InputError> {
        let text = json.to_string();
        self.fill_json_object(schema, &JsonObject::parse(&text)?, unknown)
    }
}

/// What a CSV column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// A field's values.
    Field(FieldId),
    /// A behaviour's counts.
    Behaviour(BehaviourId),
    /// Nothing the program reads (allowed with [`UnknownColumns::Ignore`]).
    Ignored,
}

/// What to do with header columns that are not in the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownColumns {
    /// Reject the header, listing them.
    Error,
    /// Skip them (e.g. an `id` or `email` column kept for the output).
    Ignore,
}

/// How the columns of a CSV file map to a schema, built once from the
/// header row.
///
/// ```
/// use leadc::input::{CsvLayout, UnknownColumns};
/// use leadc::lead::{Lead, Value};
/// use leadc::schema::{FieldType, Schema};
/// let schema = Schema::builder().field("age", FieldType::Int).behaviour("demo").build().unwrap();
/// let layout = CsvLayout::new(&schema, ["demo", "age"], UnknownColumns::Error).unwrap();
/// let mut lead = Lead::new(&schema);
/// layout.fill(&schema, &mut lead, ["2", "40"]).unwrap();
/// assert_eq!(lead.value(schema.field_id("age").unwrap()), &Value::Int(40));
/// let err = layout.fill(&schema, &mut lead, ["2", "forty"]).unwrap_err();
/// assert_eq!(err.to_string(), "field `age`: `forty` is not an integer");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvLayout {
    columns: Vec<(Column, String)>,
    missing: Vec<String>,
    matches: Vec<(String, String, Matched)>,
}

impl CsvLayout {
    /// Maps each header cell to a field or behaviour: by its exact name,
    /// by the schema's `[columns]` table, or loosely (see [`Matched`]).
    pub fn new<S: AsRef<str>>(
        schema: &Schema,
        header: impl IntoIterator<Item = S>,
        unknown_columns: UnknownColumns,
    ) -> Result<CsvLayout, InputError> {
        Self::with_mapping(schema, header, unknown_columns, &[])
    }

    /// As [`CsvLayout::new`], with `mapping` (input column → field or
    /// behaviour name) taking precedence over the schema's `[columns]`.
    ///
    /// ```
    /// use leadc::input::{CsvLayout, Matched, UnknownColumns};
    /// use leadc::schema::{FieldType, Schema};
    /// let schema = Schema::builder().field("employees", FieldType::Int).behaviour("demo_request").build().unwrap();
    /// let mapping = [("Company Size".to_string(), "employees".to_string())];
    /// let header = ["Company Size", "Demo Request"];
    /// let layout = CsvLayout::with_mapping(&schema, header, UnknownColumns::Error, &mapping).unwrap();
    /// assert!(layout.missing().is_empty());
    /// assert_eq!(layout.matches()[1], ("Demo Request".to_string(), "demo_request".to_string(), Matched::Loosely));
    /// ```
    pub fn with_mapping<S: AsRef<str>>(
        schema: &Schema,
        header: impl IntoIterator<Item = S>,
        unknown_columns: UnknownColumns,
        mapping: &[(String, String)],
    ) -> Result<CsvLayout, InputError> {
        let matcher = header::Matcher::new(schema, mapping);
        let mut columns: Vec<(Column, String)> = Vec::new();
        let mut unknown_names = Vec::new();
        let mut filled: HashMap<&str, usize> = HashMap::new();
        let mut matches = Vec::new();
        for cell in header {
            let name = cell.as_ref().trim();
            let column = match matcher.find(name) {
                Some((column, target, how)) => {
                    if let Some(&first) = filled.get(target) {
                        let first = columns.get(first).map_or("", |(_, n)| n.as_str());
                        return Err(if first == name {
                            InputError::DuplicateColumn(name.to_string())
                        } else {
                            InputError::SameTarget {
                                first: first.into(),
                                second: name.into(),
                                target: target.into(),
                            }
                        });
                    }
                    filled.insert(target, columns.len());
                    if how != Matched::Exactly {
                        matches.push((name.to_string(), target.to_string(), how));
                    }
                    column
                }
                None => {
                    if unknown_columns == UnknownColumns::Error {
                        unknown_names.push(unknown_name(schema, name));
                    }
                    Column::Ignored
                }
            };
            columns.push((column, name.to_string()));
        }
        if !unknown_names.is_empty() {
            return Err(InputError::UnknownNames(unknown_names));
        }
        let missing = schema
            .fields()
            .iter()
            .map(|f| &f.name)
            .chain(schema.behaviours())
            .filter(|n| !filled.contains_key(n.as_str()))
            .cloned()
            .collect();
        Ok(CsvLayout { columns, missing, matches })
    }

    /// The columns matched other than by their exact name: (column,
    /// field or behaviour, how), in header order.
    pub fn matches(&self) -> &[(String, String, Matched)] {
        &self.matches
    }

    /// The columns, in header order, with their names.
    pub fn columns(&self) -> &[(Column, String)] {
        &self.columns
    }

    /// Fields and behaviours with no column: always missing, or counted 0.
    pub fn missing(&self) -> &[String] {
        &self.missing
    }

    /// Clears `lead` and fills it from one record's cells, in header order;
    /// the first problem is the error.
    pub fn fill<'a>(
        &self,
        schema: &Schema,
        lead: &mut Lead,
        record: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), InputError> {
        let mut problems = Vec::new();
        self.fill_reporting(schema, lead, record, &mut problems);
        problems.into_iter().next().map_or(Ok(()), Err)
    }

    /// Like [`CsvLayout::fill`], but reads every cell and pushes every
    /// problem onto `problems` (a cell that does not fit leaves its field
    /// missing, its count 0), so a report can name all of a row's problems.
    pub fn fill_reporting<'a>(
        &self,
        schema: &Schema,
        lead: &mut Lead,
        record: impl IntoIterator<Item = &'a str>,
        problems: &mut Vec<InputError>,
    ) {
        lead.clear();
        self.fill_cells(schema, lead, record, problems);
    }

    /// As [`CsvLayout::fill_reporting`], into a new last row of `batch`
    /// (of `schema`): the row is pushed whatever its problems, so row `r`
    /// of the batch is always the `r`-th record given.
    pub fn push_reporting<'a>(
        &self,
        schema: &Schema,
        batch: &mut Batch,
        record: impl IntoIterator<Item = &'a str>,
        problems: &mut Vec<InputError>,
    ) {
        // One record through the column-by-column reader, so that there is
        // one definition of what a record fills.
        let cells: Vec<&str> = record.into_iter().collect();
        let mut found = Vec::new();
        self.push_records(schema, batch, &cells, &[cells.len()], &mut found);
        problems.extend(found.into_iter().map(|(_, e)| e));
    }

    fn fill_cells<'a>(
        &self,
        schema: &Schema,
        lead: &mut Lead,
        record: impl IntoIterator<Item = &'a str>,
        problems: &mut Vec<InputError>,
    ) {
        let mut found = 0;
        for cell in record {
            found += 1;
            let Some((column, name)) = self.columns.get(found - 1) else { continue };
            let result = match *column {
                Column::Field(f) => lead.set_text(schema, f, cell).map_err(|mut e| {
                    e.field.clone_from(name);
                    InputError::Value(e)
                }),
                Column::Behaviour(b) if schema.is_event(b) => {
                    lead.set_events_text(schema, b, cell).map_err(InputError::Value)
                }
                Column::Behaviour(b) => {
                    parse_count(schema.intake(), name, cell).map(|n| lead.set_count(b, n))
                }
                Column::Ignored => Ok(()),
            };
            if let Err(e) = result {
                problems.push(e);
            }
        }
        if found != self.columns.len() {
            problems.insert(0, self.length_error(found));
        }
    }

    fn length_error(&self, found: usize) -> InputError {
        InputError::RecordLength { expected: self.columns.len(), found }
    }
}

/// A [`CsvLayout`] with its schema and a reused lead: reads record after
/// record into the same buffers.
#[derive(Debug, Clone)]
pub struct LeadReader {
    schema: Arc<Schema>,
    layout: CsvLayout,
    lead: Lead,
}

impl LeadReader {
    /// A reader for CSV files with this header.
    pub fn new<S: AsRef<str>>(
        schema: Arc<Schema>,
        header: impl IntoIterator<Item = S>,
        unknown_columns: UnknownColumns,
    ) -> Result<LeadReader, InputError> {
        let layout = CsvLayout::new(&schema, header, unknown_columns)?;
        let lead = Lead::new(&schema);
        Ok(LeadReader { schema, layout, lead })
    }

    /// The column layout.
    pub fn layout(&self) -> &CsvLayout {
        &self.layout
    }

    /// Reads one record; the lead stays valid until the next call.
    pub fn read<'a>(&mut self, record: impl IntoIterator<Item = &'a str>) -> Result<&Lead, InputError> {
        self.layout.fill(&self.schema, &mut self.lead, record)?;
        Ok(&self.lead)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::lead::Value;
    use crate::schema::FieldType;
    use serde_json::json;

    fn schema() -> Schema {
        Schema::builder()
            .field("s", FieldType::String)
            .field("i", FieldType::Int)
            .field("n", FieldType::Number)
            .field("b", FieldType::Bool)
            .field("e", FieldType::Enum(vec!["a".into()]))
            .behaviour("visit")
            .event("click")
            .build()
            .unwrap()
    }

    #[test]
    fn a_null_count_is_zero_in_both_places() {
        let s = schema();
        let visit = s.behaviour_id("visit").unwrap();
        for json in [
            json!({"visit": null}),
            json!({"behaviours": {"visit": null}}),
            json!({"behaviors": {"visit": null}}),
        ] {
            let lead = Lead::from_json_checked(&s, &json).unwrap();
            assert_eq!(lead.count(visit), 0, "{json}");
        }
        // The count is 0, not whatever an earlier lead left in the reused buffer.
        let mut lead = Lead::from_json(&s, &json!({"visit": 4})).unwrap();
        lead.fill_json(&s, &json!({"behaviours": {"visit": null}}), UnknownColumns::Error).unwrap();
        assert_eq!(lead.count(visit), 0);
    }

    #[test]
    fn a_null_behaviours_object_holds_no_counts() {
        let s = schema();
        let lead = Lead::from_json_checked(&s, &json!({"behaviours": null, "i": 3})).unwrap();
        assert!(lead.counts().iter().all(|&c| c == 0));
        assert_eq!(lead.value(s.field_id("i").unwrap()), &Value::Int(3));
        // Anything else that is not an object is still an error.
        let err = Lead::from_json_checked(&s, &json!({"behaviours": 3})).unwrap_err();
        assert_eq!(err.to_string(), "field `behaviours`: `3` is not an object of behaviour counts");
    }

    #[test]
    fn a_null_field_is_missing_whatever_its_type() {
        let s = schema();
        let lead =
            Lead::from_json_checked(&s, &json!({"s": null, "i": null, "n": null, "b": null, "e": null}))
                .unwrap();
        assert!(lead.values().iter().all(|v| *v == Value::Missing), "{:?}", lead.values());
    }

    #[test]
    fn a_null_event_list_is_no_events() {
        let s = schema();
        let click = s.behaviour_id("click").unwrap();
        let lead = Lead::from_json_checked(&s, &json!({"behaviours": {"click": null}})).unwrap();
        assert_eq!((lead.count(click), lead.events(click)), (0, &[][..]));
    }

    #[test]
    fn counts_that_are_not_whole_numbers_are_still_rejected() {
        let s = schema();
        for bad in [json!(-1), json!(2.5), json!("x"), json!(true), json!([1]), json!(4_294_967_296u64)] {
            let err = Lead::from_json_checked(&s, &json!({"visit": bad})).unwrap_err();
            assert!(err.to_string().contains("is not a count"), "{bad}: {err}");
        }
    }
}
