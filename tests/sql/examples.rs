//! The bundled examples: `leadc sql` run on DuckDB over the example CSV
//! files equals `leadc score --explain` on them, byte for byte once both
//! are written as CSV (rows in id order).

use crate::engines::{self, Engine};
use leadc::schema::{BehaviourId, FieldType, Schema};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn leadc(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_leadc")).args(args).output().unwrap();
    assert!(out.status.success(), "leadc {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A CSV file as a table, the schema's columns typed (and `id`).
fn csv_table(schema: &Schema, path: &str) -> engines::CsvTable {
    let mut columns = vec![("id".to_string(), "BIGINT")];
    for f in schema.fields() {
        let ty = match f.ty {
            FieldType::Int => "BIGINT",
            FieldType::Number => "DOUBLE",
            FieldType::Bool => "BOOLEAN",
            FieldType::String | FieldType::Enum(_) => "VARCHAR",
        };
        columns.push((f.name.clone(), ty));
    }
    for (i, b) in schema.behaviours().iter().enumerate() {
        if !schema.is_event(BehaviourId(i as u32)) {
            columns.push((b.clone(), "BIGINT"));
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path).display().to_string();
    // (An absolute `path` stays as it is.)
    engines::CsvTable { name: "leads".into(), path, columns }
}

/// A result as `leadc score` writes CSV.
fn as_csv(out: &engines::Output) -> String {
    let mut text = out.columns.join(",") + "\n";
    let mut rows: Vec<&Vec<Value>> = out.rows.iter().collect();
    rows.sort_by_key(|r| r[0].as_i64());
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|v| match v {
                Value::Null => String::new(),
                Value::String(s) if s.contains([',', '"', '\n']) => format!("\"{}\"", s.replace('"', "\"\"")),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text
}

#[test]
fn the_saas_example_scores_on_duckdb_as_leadc_score_does() {
    saas_example(Engine::DuckDb, "duckdb");
}

#[test]
#[ignore = "needs PySpark and Java 17; .ci/run runs it"]
fn the_saas_example_scores_on_spark_as_leadc_score_does() {
    saas_example(Engine::Spark, "spark");
}

fn saas_example(engine: Engine, dialect: &str) {
    let program = "examples/saas/saas.lead";
    let schema =
        Schema::from_toml(&std::fs::read_to_string("examples/saas/saas.schema.toml").unwrap()).unwrap();
    let sql = ["sql", program, "--dialect", dialect, "--keep", "id,email", "--explain"];
    let query = leadc(&sql);
    // The same query taking an instant it does not need as a parameter.
    let with_param = leadc(&[&sql[..], &["--as-of-param"]].concat());
    // The bundled leads and history, 20,000 generated leads, and the
    // bundled leads again through the parameter query.
    let dir = tempfile::tempdir().unwrap();
    let generated = dir.path().join("leads_20k.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&generated).unwrap());
    crate::saas_leads::write_leads(&mut file, 20_000, 7).unwrap();
    std::io::Write::flush(&mut file).unwrap();
    let generated = generated.to_str().unwrap();
    let files =
        ["examples/saas/leads.csv", "examples/saas/history.csv", generated, "examples/saas/leads.csv"];
    let mut cases = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let (query, params) = match i {
            3 => (with_param.clone(), Some(serde_json::json!({"as_of": "2026-11-30T00:00:00Z"}))),
            _ => (query.clone(), None),
        };
        let csv = vec![csv_table(&schema, file)];
        cases.push(engines::Case { tables: Vec::new(), csv, setup: Vec::new(), query, params });
    }
    for (result, file) in engines::run(engine, &cases).iter().zip(files) {
        let scored = leadc(&["score", program, file, "--keep", "id,email", "--explain", "-q"]);
        same_rows(result, &scored, &format!("{file}: SQL on {engine:?} vs leadc score"));
    }
}

/// The query's result, as CSV, is `scored` line for line.
fn same_rows(result: &Result<engines::Output, String>, scored: &str, what: &str) {
    let sql = as_csv(result.as_ref().unwrap());
    assert_eq!(sql.lines().count(), scored.lines().count(), "{what}");
    for (a, b) in sql.lines().zip(scored.lines()) {
        assert_eq!(a, b, "{what}");
    }
}

#[test]
fn mixed_case_text_scores_on_duckdb_as_written_when_the_schema_ignores_case() {
    mixed_case(Engine::DuckDb, "duckdb");
}

#[test]
#[ignore = "needs PySpark and Java 17; .ci/run runs it"]
fn mixed_case_text_scores_on_spark_as_written_when_the_schema_ignores_case() {
    mixed_case(Engine::Spark, "spark");
}

/// The saas leads in mixed case, through a schema that ignores case: the
/// query lowercases the text and scores it as `leadc score` scores the
/// example's own leads.
fn mixed_case(engine: Engine, dialect: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (schema_path, leads) = crate::mixed_case::write(dir.path());
    let schema = Schema::from_toml(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
    let program = "examples/saas/saas.lead";
    let schema_arg = schema_path.to_str().unwrap();
    let sql =
        ["sql", program, "--schema", schema_arg, "--dialect", dialect, "--keep", "id,email", "--explain"];
    let query = leadc(&sql);
    assert!(query.contains("LOWER("), "the text is lowercased:\n{query}");
    let csv = vec![csv_table(&schema, leads.to_str().unwrap())];
    let case = engines::Case { tables: Vec::new(), csv, setup: Vec::new(), query, params: None };
    let result = engines::run(engine, &[case]).remove(0);
    let scored =
        leadc(&["score", program, "examples/saas/leads.csv", "--keep", "id,email", "--explain", "-q"]);
    same_rows(&result, &scored, &format!("SQL on {engine:?} vs leadc score"));
}
