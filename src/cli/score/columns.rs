//! Matching input columns to the schema, for the CLI.
//!
//! In: the CSV header, the `--keep` list and the `--map` pairs. Out:
//! [`Columns`] — the library's [`CsvLayout`] (which column fills which
//! field or count) plus the columns copied to the output, and what the
//! header lacks, as the notes and warnings `score` and `review`
//! print once, before any row is read.

use crate::cli::Exit;
use leadc::input::{CsvLayout, InputError, Matched, UnknownColumns};
use leadc::intake::chunk::Splitter;
use leadc::lead::Lead;
use leadc::schema::Schema;
use std::io::{self, Read};

/// How a CSV file's columns map onto a schema and the output.
#[derive(Debug)]
pub struct Columns {
    layout: CsvLayout,
    /// Number of columns in the header.
    pub width: usize,
    /// The header's column names.
    names: Vec<String>,
    /// The columns copied to the output, in `--keep` order.
    pub keep: Vec<usize>,
    /// Schema fields with no column: missing on every lead.
    pub missing_fields: Vec<String>,
    /// Behaviours with no column: a count of 0 on every lead.
    pub missing_behaviours: Vec<String>,
}

impl Columns {
    /// Maps `header` onto `schema` (with `--map` pairs taking precedence
    /// over the schema's `[columns]`); an error names a `--keep` column the
    /// header lacks, or a column named twice, and says where the names come
    /// from (`the header`, `the file's columns`).
    pub fn new(
        schema: &Schema,
        header: &[String],
        keep: &[String],
        map: &[(String, String)],
        names_from: &str,
    ) -> Result<Columns, String> {
        let layout = CsvLayout::with_mapping(schema, header, UnknownColumns::Ignore, map)
            .map_err(|e| format!("{names_from}: {e}"))?;
        let (missing_fields, missing_behaviours) =
            layout.missing().iter().cloned().partition(|name| schema.field_id(name).is_some());
        let mut kept = Vec::with_capacity(keep.len());
        for name in keep {
            let col = header.iter().position(|h| h == name).ok_or_else(|| {
                let hint = leadc::diag::suggest::closest(name, header.iter().map(String::as_str))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                format!("`--keep {name}`: the input has no column `{name}`{hint}")
            })?;
            kept.push(col);
        }
        Ok(Columns {
            layout,
            width: header.len(),
            names: header.to_vec(),
            keep: kept,
            missing_fields,
            missing_behaviours,
        })
    }

    /// The columns matched other than by their exact name.
    pub fn matches(&self) -> &[(String, String, Matched)] {
        self.layout.matches()
    }

    /// Which column fills which field or count.
    pub fn layout(&self) -> &CsvLayout {
        &self.layout
    }

    /// The notes on columns read by a mapping or loosely, one line per way.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        for (how, said) in [(Matched::Mapped, "as mapped"), (Matched::Loosely, "ignoring case and spacing")] {
            let pairs: Vec<String> = self
                .matches()
                .iter()
                .filter(|m| m.2 == how)
                .map(|(column, name, _)| format!("`{column}` as `{name}`"))
                .collect();
            if !pairs.is_empty() {
                notes.push(format!("note: reading {} ({said})", shortened(&pairs)));
            }
        }
        notes
    }

    /// What `input`'s header lacks: one problem for the fields no column
    /// fills, one for the behaviours (a warning, or under `--strict` an
    /// error; [`MISSING_HELP`] says how to fix either).
    pub fn missing_problems(&self, input: &str) -> Vec<String> {
        let mut problems = Vec::new();
        if !self.missing_fields.is_empty() {
            problems.push(format!(
                "`{input}` has no column for the field(s) {}: they are missing on every lead",
                backticked(&self.missing_fields)
            ));
        }
        if !self.missing_behaviours.is_empty() {
            problems.push(format!(
                "`{input}` has no column for the behaviour(s) {}: their count is 0 on every lead",
                backticked(&self.missing_behaviours)
            ));
        }
        problems
    }

    /// The header name of the column at `index` (empty past the header).
    pub fn name(&self, index: usize) -> &str {
        self.names.get(index).map_or("", String::as_str)
    }

    /// Names the cell at `index` for a message: ``column `title` ``, or
    /// `cell 24` past the header's end.
    pub fn describe(&self, index: usize) -> String {
        match self.names.get(index) {
            Some(name) => format!("column `{name}`"),
            None => format!("cell {} (the header has {} columns)", index + 1, self.width),
        }
    }

    /// Fills `lead` from one record's cells; pushes every problem found.
    pub fn fill(&self, schema: &Schema, lead: &mut Lead, cells: &[&str], problems: &mut Vec<String>) {
        self.fill_counting(schema, lead, cells, problems, &mut Vec::new());
    }

    /// As [`Columns::fill`], also pushing each problem's column (empty for
    /// the whole row) and kind, for the run's summary.
    pub fn fill_counting(
        &self,
        schema: &Schema,
        lead: &mut Lead,
        cells: &[&str],
        problems: &mut Vec<String>,
        causes: &mut Vec<(String, &'static str)>,
    ) {
        let mut found = Vec::new();
        self.layout.fill_reporting(schema, lead, cells.iter().copied(), &mut found);
        report(&found, problems, causes);
    }
}

/// Pushes each problem found, and its column (empty for the whole row)
/// and kind.
pub fn report(found: &[InputError], problems: &mut Vec<String>, causes: &mut Vec<(String, &'static str)>) {
    problems.extend(found.iter().map(InputError::in_column));
    causes.extend(found.iter().map(|e| {
        let (column, kind) = e.summary_key();
        (column.unwrap_or("").to_string(), kind)
    }));
}

/// How to give a field or behaviour its column.
pub const MISSING_HELP: &str =
    "help: name the column in the schema's `[columns]` table, or pass `--map \"COLUMN=NAME\"`";

/// The first few items of a list, then how many more.
fn shortened(items: &[String]) -> String {
    const SHOWN: usize = 6;
    let mut text = items.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    text
}

fn backticked(names: &[String]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// Reads the CSV header: the first record that is not a blank line, as
/// column names. A header that cannot be trusted stops the run (exit 3):
/// every row would be read under the wrong names.
pub fn read_header<R: Read>(splitter: &mut Splitter<R>, name: &str) -> Result<Vec<String>, (String, Exit)> {
    let record = match splitter.csv_header() {
        Ok(Some(record)) => record,
        Ok(None) => return Err((format!("`{name}` is empty: no header row"), Exit::DataErrors)),
        Err(e) if e.kind() == io::ErrorKind::InvalidData => {
            return Err((format!("`{name}`: {e}"), Exit::DataErrors));
        }
        Err(e) => return Err((format!("cannot read `{name}`: {e}"), Exit::Io)),
    };
    let line = record.line;
    if let Some(quote) = record.unterminated {
        let message = super::worker::unterminated_message(quote);
        return Err((format!("{name}:{line}: the header row: {message}"), Exit::DataErrors));
    }
    if record.cells().next().is_some_and(|first| first.starts_with(b"PAR1")) {
        let message = format!(
            "`{name}` is a Parquet file, not CSV: pass its path, named `*.parquet` or with \
             `--input-format parquet` (Parquet is read from its footer, so not from stdin)"
        );
        return Err((message, Exit::Usage));
    }
    let mut names = Vec::with_capacity(record.len());
    for (i, cell) in record.cells().enumerate() {
        if cell.contains(&0) {
            let message = format!(
                "{name}:{line}: the header holds a NUL byte (column {}): this does not look like \
                 CSV text; is it a binary file, or UTF-16 text without a byte order mark?",
                i + 1
            );
            return Err((message, Exit::DataErrors));
        }
        let Ok(text) = std::str::from_utf8(cell) else {
            let message = format!(
                "{name}:{line}: header column {} is not valid UTF-8; is the file in another \
                 encoding (such as Windows-1252)? save it as UTF-8",
                i + 1
            );
            return Err((message, Exit::DataErrors));
        };
        names.push(text.trim().to_string());
    }
    Ok(names)
}

/// Parses one `--map COLUMN=NAME` argument.
pub fn parse_map(text: &str) -> Result<(String, String), String> {
    match text.rsplit_once('=') {
        Some((column, name)) if !column.trim().is_empty() && !name.trim().is_empty() => {
            Ok((column.trim().to_string(), name.trim().to_string()))
        }
        _ => Err(format!("expected `COLUMN=NAME`, such as `Company Size=employees`, not `{text}`")),
    }
}

/// Checks that every `--map` names a field or behaviour of `schema`.
pub fn check_map(schema: &Schema, map: &[(String, String)]) -> Result<(), String> {
    for (column, name) in map {
        if schema.has_name(name) {
            continue;
        }
        let names = schema
            .fields()
            .iter()
            .map(|f| f.name.as_str())
            .chain(schema.behaviours().iter().map(String::as_str));
        let hint = leadc::diag::suggest::closest(name, names)
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        return Err(format!("`--map {column}={name}`: the schema has no field or behaviour `{name}`{hint}"));
    }
    Ok(())
}
