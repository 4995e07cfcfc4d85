//! Generated programs × generated leads: the query `leadc sql` writes, run
//! on DuckDB, against the VM.
//!
//! In: cases from `tests/gen` (every construct of the language but time),
//! each lead written into a DuckDB table in one of several equivalent
//! spellings (a missing value as `NULL`, a blank string or a NaN; an enum
//! value padded with white space; a count of 0 as `NULL`), and now and then
//! an enum value the schema does not have. Out: a failure naming the
//! program, the lead and the column when any output column differs from
//! the VM's outcome, explanation (`fired`) or bad-data verdict.
//!
//! `LEADC_SQL_CASES=N` runs N programs (default 300, 12 leads each).

use crate::engines::{self, Engine};
use crate::generate;
use crate::tables;
use leadc::diag::Sources;
use leadc::lead::{Lead, Value};
use leadc::load::{SchemaSource, check_source};
use leadc::program::Program;
use leadc::schema::{FieldId, FieldType, Schema};
use leadc::sql::{Dialect, Options, fields_read, to_sql};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Value as Json, json};

/// `n` values of `strategy`, the same on every run.
pub fn sample<S: Strategy>(strategy: S, n: usize, seed: u8) -> Vec<S::Value> {
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    (0..n).map(|_| strategy.new_tree(&mut runner).unwrap().current()).collect()
}

/// A lead of a case as both sides see it.
pub struct Row {
    /// Its id in the leads table.
    pub id: i64,
    /// The lead the VM scores (as leadc would read the table's cells).
    pub lead: Lead,
    /// Whether the row has bad data (the VM does not score it).
    pub bad: bool,
}

/// The lead a generated lead's cells read as, and whether they are bad:
/// a blank string is missing; an enum index past the schema's values is
/// written as an unknown value (bad data); another misfit is missing.
fn as_read(
    schema: &Schema,
    read_by_query: &[FieldId],
    lead: &generate::GenLead,
) -> (generate::GenLead, bool) {
    let mut read = lead.clone();
    let mut bad = false;
    for (f, (value, field)) in read.values.iter_mut().zip(schema.fields()).enumerate() {
        let fits = matches!(
            (&field.ty, &*value),
            (_, Value::Missing)
                | (FieldType::Int, Value::Int(_))
                | (FieldType::Number, Value::Number(_))
                | (FieldType::Bool, Value::Bool(_))
                | (FieldType::String, Value::Text(_))
        ) || matches!((&field.ty, &*value), (FieldType::Enum(v), Value::Enum(i)) if (*i as usize) < v.len());
        match (&field.ty, &*value) {
            (FieldType::String, Value::Text(t)) if t.trim().is_empty() => *value = Value::Missing,
            // Only the columns the query reads are checked.
            (FieldType::Enum(_), Value::Enum(_)) if !fits => {
                bad |= read_by_query.contains(&FieldId(f as u32))
            }
            _ if !fits => *value = Value::Missing,
            _ => {}
        }
    }
    (read, bad)
}

/// The expected output row of a lead: the columns `leadc score` writes.
pub fn expected(program: &Program, lead: &Lead, as_of: Option<i64>, explain: bool) -> Vec<(String, Json)> {
    let (outcome, why) = match as_of {
        Some(t) => program.explain_at(lead, t),
        None => program.explain(lead),
    };
    let mut row = vec![
        ("score".to_string(), json!(outcome.score)),
        ("points".into(), json!(outcome.points)),
        ("tier".into(), json!(outcome.tier.and_then(|t| program.tier_name(t)))),
        ("qualified".into(), json!(outcome.qualified)),
        ("segment".into(), json!(outcome.segment)),
        ("requires_met".into(), json!(outcome.requires_met)),
    ];
    for (name, total) in program.category_names().zip(&outcome.categories) {
        row.push((format!("{name}_points"), json!(total.capped)));
    }
    if explain {
        let fired: Vec<String> = why
            .rules
            .iter()
            .zip(program.rules())
            .filter(|(t, _)| t.fired)
            .map(|(t, r)| format!("{}:{:+}", r.source.line, t.points))
            .collect();
        row.push(("fired".into(), json!(fired.join(" "))));
    }
    row
}

/// Compares one query's output with the expected rows; the problems found.
pub fn compare(
    out: &engines::Output,
    rows: &[Row],
    program: &Program,
    as_of: Option<i64>,
    explain: bool,
) -> Vec<String> {
    let mut problems = Vec::new();
    if out.rows.len() != rows.len() {
        return vec![format!("{} rows out for {} leads", out.rows.len(), rows.len())];
    }
    let (id, error) = (out.column("id"), out.column("error"));
    let mut got: Vec<&Vec<Json>> = out.rows.iter().collect();
    got.sort_by_key(|r| r[id].as_i64());
    for (row, have) in rows.iter().zip(got) {
        if have[id].as_i64() != Some(row.id) {
            problems.push(format!("lead {}: no output row (got id {})", row.id, have[id]));
            continue;
        }
        let expected = expected(program, &row.lead, as_of, explain);
        if row.bad {
            let empty = expected.iter().all(|(name, _)| have[out.column(name)].is_null());
            if have[error].is_null() || !empty {
                problems.push(format!("lead {}: bad data not reported: {have:?}", row.id));
            }
            continue;
        }
        if !have[error].is_null() {
            problems.push(format!("lead {}: unexpected error {}", row.id, have[error]));
        }
        for (name, want) in expected {
            let value = &have[out.column(&name)];
            if *value != want {
                problems.push(format!(
                    "lead {} {:?}: column `{name}`: SQL {value} vs VM {want}",
                    row.id, row.lead
                ));
            }
        }
    }
    problems
}

/// How many generated programs to run: `variable` if set, else `default`.
pub fn cases(variable: &str, default: usize) -> usize {
    std::env::var(variable).ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

#[test]
fn generated_programs_score_on_duckdb_as_in_the_vm() {
    generated_programs(Engine::DuckDb, Dialect::DuckDb, cases("LEADC_SQL_CASES", 300));
}

#[test]
#[ignore = "needs PySpark and Java 17; .ci/run runs it"]
fn generated_programs_score_on_spark_as_in_the_vm() {
    generated_programs(Engine::Spark, Dialect::Spark, cases("LEADC_SPARK_CASES", 60));
}

fn generated_programs(engine: Engine, dialect: Dialect, n: usize) {
    let generated = sample(generate::case(12), n, 7);
    let options = Options { dialect, keep: Some(vec!["id".into()]), explain: true, ..Options::default() };
    let mut prepared = Vec::new();
    let mut queries = Vec::new();
    for (n, case) in generated.iter().enumerate() {
        let schema = case.schema.build();
        let mut sources = Sources::new();
        let card =
            check_source(&mut sources, "generated.lead", &case.source, SchemaSource::Given(schema.clone()))
                .unwrap_or_else(|_| panic!("generator bug: the program does not check:\n{}", case.source));
        let program = Program::compile_with_source(&card, &case.source);
        let mut table = Vec::new();
        let mut rows = Vec::new();
        for (i, gen_lead) in case.leads.iter().enumerate() {
            let (read, bad) = as_read(&schema, &fields_read(&card), gen_lead);
            let variant = n * 31 + i;
            // The table holds the lead as read, but for enum indexes past
            // the schema's values, written as an unknown value; blanks come
            // from the spellings of a missing value.
            let mut written = tables::lead_row(&schema, i as i64, &read.build(&schema), variant);
            for (f, (value, field)) in gen_lead.values.iter().zip(schema.fields()).enumerate() {
                if let (FieldType::Enum(names), Value::Enum(v)) = (&field.ty, value)
                    && *v as usize >= names.len()
                {
                    written[1 + f] = serde_json::json!(" bogus");
                }
            }
            table.push(written);
            rows.push(Row { id: i as i64, lead: read.build(&schema), bad });
        }
        let leads = tables::Table { rows: table, ..tables::leads(&schema) };
        let query = to_sql(&card, Some(&case.source), &options);
        queries.push(engines::Case {
            tables: vec![leads],
            csv: Vec::new(),
            setup: Vec::new(),
            query,
            params: None,
        });
        prepared.push(Prepared { label: format!("program:\n{}", case.source), program, rows, as_of: None });
    }
    check_all(engine, &queries, &prepared);
}

/// One query's expectations: what to say of it, the program, its leads and
/// the instant it scores them as of.
pub struct Prepared {
    /// The program's source (and instant), for the failure message.
    pub label: String,
    /// The program.
    pub program: Program,
    /// The leads.
    pub rows: Vec<Row>,
    /// The instant (`None`: timeless).
    pub as_of: Option<i64>,
}

/// Runs every query on DuckDB and fails with the first that differs from
/// its expectations.
pub fn check_all(engine: Engine, queries: &[engines::Case], prepared: &[Prepared]) {
    let results = engines::run(engine, queries);
    let mut failures = Vec::new();
    for (p, (result, query)) in prepared.iter().zip(results.iter().zip(queries)) {
        let problems = match result {
            Ok(out) => compare(out, &p.rows, &p.program, p.as_of, true),
            Err(e) => vec![format!("{engine:?} refused the query: {e}")],
        };
        if !problems.is_empty() {
            failures.push(format!(
                "{}\nproblems:\n{}\nquery:\n{}",
                p.label,
                problems.join("\n"),
                query.query
            ));
        }
    }
    let first = failures.first().map_or("", String::as_str);
    assert!(
        failures.is_empty(),
        "{} of {} programs differ; the first:\n{first}",
        failures.len(),
        prepared.len()
    );
}
