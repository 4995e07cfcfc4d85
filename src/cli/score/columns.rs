//! Matching input columns to the schema.
//!
//! In: the CSV header (or, for NDJSON, nothing) and the `--keep` list. Out:
//! [`Columns`], which says which column fills which field or behaviour
//! count, which columns are copied to the output, and what the header lacks
//! (reported once, before any row is read).

use leadc::lead::Lead;
use leadc::schema::{BehaviourId, FieldId, Schema};

/// How a CSV file's columns map onto a schema.
#[derive(Debug)]
pub struct Columns {
    /// Number of columns in the header.
    pub width: usize,
    /// (column, field) for every schema field present in the header.
    pub fields: Vec<(usize, FieldId)>,
    /// (column, behaviour) for every behaviour present in the header.
    pub behaviours: Vec<(usize, BehaviourId)>,
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
        for (i, name) in header.iter().enumerate() {
            if header[..i].contains(name) {
                return Err(format!("the column `{name}` appears twice in the header"));
            }
        }
        let position = |name: &str| header.iter().position(|h| h == name);
        let mut columns = Columns {
            width: header.len(),
            fields: Vec::new(),
            behaviours: Vec::new(),
            keep: Vec::new(),
            missing_fields: Vec::new(),
            missing_behaviours: Vec::new(),
        };
        for (i, field) in schema.fields().iter().enumerate() {
            match position(&field.name) {
                Some(col) => columns.fields.push((col, FieldId(i as u32))),
                None => columns.missing_fields.push(field.name.clone()),
            }
        }
        for (i, name) in schema.behaviours().iter().enumerate() {
            match position(name) {
                Some(col) => columns.behaviours.push((col, BehaviourId(i as u32))),
                None => columns.missing_behaviours.push(name.clone()),
            }
        }
        for name in keep {
            let col = position(name).ok_or_else(|| {
                let hint = leadc::suggest::closest(name, header.iter().map(String::as_str))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                format!("`--keep {name}`: the input has no column `{name}`{hint}")
            })?;
            columns.keep.push(col);
        }
        Ok(columns)
    }

    /// Fills `lead` from one record's cells; returns every problem found,
    /// as `column `name`: ...` messages.
    pub fn fill(&self, schema: &Schema, lead: &mut Lead, cells: &[&str], problems: &mut Vec<String>) {
        for &(col, field) in &self.fields {
            let cell = cells.get(col).copied().unwrap_or("");
            if let Err(e) = lead.set_text(schema, field, cell) {
                problems.push(format!("column `{}`: `{}` is not {}", e.field, e.value, e.expected));
            }
        }
        for &(col, behaviour) in &self.behaviours {
            let cell = cells.get(col).copied().unwrap_or("").trim();
            let count = if cell.is_empty() { Ok(0) } else { cell.parse::<u32>() };
            match count {
                Ok(n) => lead.set_count(behaviour, n),
                Err(_) => {
                    let name = schema.behaviour(behaviour).unwrap_or("?");
                    problems.push(format!(
                        "column `{name}`: `{cell}` is not a count (a whole number, 0 or more)"
                    ));
                    lead.set_count(behaviour, 0);
                }
            }
        }
    }
}
