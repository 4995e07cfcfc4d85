//! Leads as DuckDB tables: the leads table (an `id`, one typed column per
//! field and counted behaviour) and the long events table, written as SQL
//! statements with exact literals.
//!
//! In: a schema and, per lead, its id and the SQL literal of each cell.
//! Out: `CREATE TABLE` and `INSERT` statements.

use leadc::lead::{Lead, Value};
use leadc::schema::{BehaviourId, FieldId, FieldType, Schema};

/// The SQL type of a field's column.
fn column_type(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::Int => "BIGINT",
        FieldType::Number => "DOUBLE",
        FieldType::Bool => "BOOLEAN",
        FieldType::String | FieldType::Enum(_) => "VARCHAR",
    }
}

/// A string literal.
pub fn string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The leads table's columns: `id`, the fields, the counted behaviours.
pub fn create_leads(schema: &Schema) -> String {
    let mut columns = vec!["\"id\" BIGINT".to_string()];
    for f in schema.fields() {
        columns.push(format!("\"{}\" {}", f.name, column_type(&f.ty)));
    }
    for (i, b) in schema.behaviours().iter().enumerate() {
        if !schema.is_event(BehaviourId(i as u32)) {
            columns.push(format!("\"{b}\" BIGINT"));
        }
    }
    format!("CREATE TABLE leads ({})", columns.join(", "))
}

/// The events table.
pub fn create_events(timestamp_type: &str) -> String {
    format!("CREATE TABLE events (\"lead_id\" BIGINT, \"behaviour\" VARCHAR, \"at\" {timestamp_type})")
}

/// One `INSERT` of many rows, each a list of literals.
pub fn insert(table: &str, rows: &[Vec<String>]) -> Option<String> {
    if rows.is_empty() {
        return None;
    }
    let rows: Vec<String> = rows.iter().map(|r| format!("({})", r.join(", "))).collect();
    Some(format!("INSERT INTO {table} VALUES {}", rows.join(",\n")))
}

/// The literal of a field's value as leadc would have read it from a
/// cell; `variant` picks among equivalent spellings (a missing value as
/// `NULL`, a blank string or a NaN; an enum value padded with blanks).
pub fn value_literal(ty: &FieldType, value: &Value, variant: usize) -> String {
    match (ty, value) {
        (FieldType::String | FieldType::Enum(_), Value::Missing) => {
            ["NULL", "''", "'  '", "'\u{3000}\t'"][variant % 4].to_string()
        }
        (FieldType::Number, Value::Missing) => ["NULL", "CAST('NaN' AS DOUBLE)"][variant % 2].to_string(),
        (_, Value::Missing) => "NULL".into(),
        (_, Value::Int(v)) => format!(
            "CAST({} AS BIGINT)",
            if *v == i64::MIN { format!("{} - 1", i64::MIN + 1) } else { v.to_string() }
        ),
        (_, Value::Number(v)) => format!("CAST({v:e} AS DOUBLE)"),
        (_, Value::Bool(b)) => b.to_string(),
        (_, Value::Text(t)) => string(t),
        (FieldType::Enum(values), Value::Enum(i)) => {
            let name = values.get(*i as usize).map_or("bogus", String::as_str);
            let padded = [name.to_string(), format!(" {name}"), format!("{name}\u{A0}\n")];
            string(&padded[variant % 3])
        }
        (_, Value::Enum(_)) => "NULL".into(),
    }
}

/// The leads-table row of a lead: its id, each field, each counted
/// behaviour (a count of 0 sometimes as `NULL`).
pub fn lead_row(schema: &Schema, id: i64, lead: &Lead, variant: usize) -> Vec<String> {
    let mut row = vec![id.to_string()];
    for (i, f) in schema.fields().iter().enumerate() {
        row.push(value_literal(&f.ty, lead.value(FieldId(i as u32)), variant + i));
    }
    for i in 0..schema.behaviours().len() {
        let b = BehaviourId(i as u32);
        if !schema.is_event(b) {
            let count = lead.count(b);
            row.push(if count == 0 && (variant + i) % 2 == 1 { "NULL".into() } else { count.to_string() });
        }
    }
    row
}

/// The events-table rows of a lead's event behaviours, for an `at` column
/// with a time zone (`TIMESTAMPTZ`) or without (`TIMESTAMP`, UTC).
pub fn event_rows(schema: &Schema, id: i64, lead: &Lead, with_zone: bool) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for (i, name) in schema.behaviours().iter().enumerate() {
        let b = BehaviourId(i as u32);
        if schema.is_event(b) {
            for (j, t) in lead.events(b).iter().enumerate() {
                let mut at = if with_zone {
                    format!("to_timestamp({t})")
                } else {
                    format!("make_timestamp(CAST({t} AS BIGINT) * 1000000)")
                };
                // Now and then a fraction of a second, which leadc drops.
                if j % 3 == 2 {
                    at.push_str(" + INTERVAL 250 MILLISECOND");
                }
                rows.push(vec![id.to_string(), string(name), at]);
            }
        }
    }
    rows
}
