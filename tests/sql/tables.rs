//! Leads as tables any engine can load: the leads table (an `id`, one typed
//! column per field and counted behaviour) and the long events table, as
//! column types and JSON rows.
//!
//! In: a schema and leads. Out: [`Table`]s, which each engine's runner
//! (`duckdb_run.py`, `spark_run.py`) creates in its own way. A `DOUBLE`
//! cell may be the string `"NaN"`; a timestamp is microseconds since 1970.

use leadc::lead::{Lead, Value};
use leadc::schema::{BehaviourId, FieldId, FieldType, Schema};
use serde_json::{Value as Json, json};

/// A table to create: its name, columns and rows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Table {
    /// Its name.
    pub name: String,
    /// Each column's name and type: `BIGINT`, `DOUBLE`, `BOOLEAN`,
    /// `VARCHAR`, `TIMESTAMP` (UTC) or `TIMESTAMPTZ`.
    pub columns: Vec<(String, &'static str)>,
    /// The rows, a value per column.
    pub rows: Vec<Vec<Json>>,
}

/// The SQL type of a field's column.
fn column_type(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::Int => "BIGINT",
        FieldType::Number => "DOUBLE",
        FieldType::Bool => "BOOLEAN",
        FieldType::String | FieldType::Enum(_) => "VARCHAR",
    }
}

/// The leads table of `schema`, empty: `id`, the fields, the counted
/// behaviours.
pub fn leads(schema: &Schema) -> Table {
    let mut columns = vec![("id".to_string(), "BIGINT")];
    for f in schema.fields() {
        columns.push((f.name.clone(), column_type(&f.ty)));
    }
    for (i, b) in schema.behaviours().iter().enumerate() {
        if !schema.is_event(BehaviourId(i as u32)) {
            columns.push((b.clone(), "BIGINT"));
        }
    }
    Table { name: "leads".into(), columns, rows: Vec::new() }
}

/// The events table, empty, its `at` with or without a time zone.
pub fn events(with_zone: bool) -> Table {
    let at = if with_zone { "TIMESTAMPTZ" } else { "TIMESTAMP" };
    let columns =
        vec![("lead_id".to_string(), "BIGINT"), ("behaviour".to_string(), "VARCHAR"), ("at".to_string(), at)];
    Table { name: "events".into(), columns, rows: Vec::new() }
}

/// A field's value as leadc would have read it from a cell; `variant`
/// picks among equivalent spellings (a missing value as `NULL`, a blank
/// string or a NaN; an enum value padded with white space).
pub fn value_cell(ty: &FieldType, value: &Value, variant: usize) -> Json {
    match (ty, value) {
        (FieldType::String | FieldType::Enum(_), Value::Missing) => {
            [Json::Null, json!(""), json!("  "), json!("\u{3000}\t")][variant % 4].clone()
        }
        (FieldType::Number, Value::Missing) => [Json::Null, json!("NaN")][variant % 2].clone(),
        (_, Value::Missing) => Json::Null,
        (_, Value::Int(v)) => json!(v),
        (_, Value::Number(v)) => json!(v),
        (_, Value::Bool(b)) => json!(b),
        (_, Value::Text(t)) => json!(t),
        (FieldType::Enum(values), Value::Enum(i)) => {
            let name = values.get(*i as usize).map_or("bogus", String::as_str);
            let padded = [name.to_string(), format!(" {name}"), format!("{name}\u{A0}\n")];
            json!(padded[variant % 3])
        }
        (_, Value::Enum(_)) => Json::Null,
    }
}

/// The leads-table row of a lead: its id, each field, each counted
/// behaviour (a count of 0 sometimes as `NULL`).
pub fn lead_row(schema: &Schema, id: i64, lead: &Lead, variant: usize) -> Vec<Json> {
    let mut row = vec![json!(id)];
    for (i, f) in schema.fields().iter().enumerate() {
        row.push(value_cell(&f.ty, lead.value(FieldId(i as u32)), variant + i));
    }
    for i in 0..schema.behaviours().len() {
        let b = BehaviourId(i as u32);
        if !schema.is_event(b) {
            let count = lead.count(b);
            row.push(if count == 0 && (variant + i) % 2 == 1 { Json::Null } else { json!(count) });
        }
    }
    row
}

/// The events-table rows of a lead's event behaviours; now and then with
/// a fraction of a second, which leadc drops.
pub fn event_rows(schema: &Schema, id: i64, lead: &Lead) -> Vec<Vec<Json>> {
    let mut rows = Vec::new();
    for (i, name) in schema.behaviours().iter().enumerate() {
        let b = BehaviourId(i as u32);
        if schema.is_event(b) {
            for (j, t) in lead.events(b).iter().enumerate() {
                let fraction = if j % 3 == 2 { 250_000 } else { 0 };
                rows.push(vec![json!(id), json!(name), json!(t * 1_000_000 + fraction)]);
            }
        }
    }
    rows
}
