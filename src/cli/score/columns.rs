//! Matching input columns to the schema, for the CLI.
//!
//! In: the CSV header and the `--keep` list. Out: [`Columns`] — the
//! library's [`CsvLayout`] (which column fills which field or count) plus
//! the columns copied to the output, and what the header lacks (reported
//! once, before any row is read).

use leadc::input::{CsvLayout, InputError, UnknownColumns};
use leadc::lead::Lead;
use leadc::schema::Schema;

/// How a CSV file's columns map onto a schema and the output.
#[derive(Debug)]
pub struct Columns {
    layout: CsvLayout,
    /// Number of columns in the header.
    pub width: usize,
    /// The columns copied to the output, in `--keep` order.
    pub keep: Vec<usize>,
    /// Schema fields with no column: missing on every lead.
    pub missing_fields: Vec<String>,
    /// Behaviours with no column: a count of 0 on every lead.
    pub missing_behaviours: Vec<String>,
}

impl Columns {
    /// Maps `header` onto `schema`; an error names a `--keep` column the
    /// header lacks, or a column named twice.
    pub fn new(schema: &Schema, header: &[String], keep: &[String]) -> Result<Columns, String> {
        let layout =
            CsvLayout::new(schema, header, UnknownColumns::Ignore).map_err(|e| format!("the header: {e}"))?;
        let (missing_fields, missing_behaviours) =
            layout.missing().iter().cloned().partition(|name| schema.field_id(name).is_some());
        let mut kept = Vec::with_capacity(keep.len());
        for name in keep {
            let col = header.iter().position(|h| h == name).ok_or_else(|| {
                let hint = leadc::suggest::closest(name, header.iter().map(String::as_str))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                format!("`--keep {name}`: the input has no column `{name}`{hint}")
            })?;
            kept.push(col);
        }
        Ok(Columns { layout, width: header.len(), keep: kept, missing_fields, missing_behaviours })
    }

    /// Fills `lead` from one record's cells; pushes every problem found.
    pub fn fill(&self, schema: &Schema, lead: &mut Lead, cells: &[&str], problems: &mut Vec<String>) {
        let mut found = Vec::new();
        self.layout.fill_reporting(schema, lead, cells.iter().copied(), &mut found);
        problems.extend(found.iter().map(InputError::in_column));
    }
}
