//! Leads from JSON and CSV: the values land in the right slots, and bad
//! input is rejected with the key or column, the value and what was
//! expected.

use crate::common;

use leadc::input::{Column, CsvLayout, InputError, LeadReader, UnknownColumns};
use leadc::lead::{Lead, Value};
use leadc::schema::Schema;
use serde_json::json;
use std::sync::Arc;

fn schema() -> Schema {
    common::saas().schema().clone()
}

fn field(s: &Schema, lead: &Lead, name: &str) -> Value {
    lead.value(s.field_id(name).unwrap()).clone()
}

#[test]
fn json_fills_every_type_and_both_count_forms() {
    let s = schema();
    let lead = Lead::from_json_checked(
        &s,
        &json!({
            "region": "NA-East", "age": 40, "budget": 50000, "is_b2b": true, "title": "VP",
            "employees": "200", "country": null,
            "email_open": 3, "behaviours": {"demo_request": 1}
        }),
    )
    .unwrap();
    assert_eq!(field(&s, &lead, "region"), Value::Enum(1));
    assert_eq!(field(&s, &lead, "age"), Value::Int(40));
    assert_eq!(field(&s, &lead, "budget"), Value::Number(50000.0));
    assert_eq!(field(&s, &lead, "is_b2b"), Value::Bool(true));
    assert_eq!(field(&s, &lead, "title"), Value::Text("VP".into()));
    assert_eq!(field(&s, &lead, "employees"), Value::Int(200));
    assert_eq!(field(&s, &lead, "country"), Value::Missing);
    assert_eq!(lead.count(s.behaviour_id("email_open").unwrap()), 3);
    assert_eq!(lead.count(s.behaviour_id("demo_request").unwrap()), 1);
}

#[test]
fn json_lists_every_unknown_key_with_suggestions() {
    let s = schema();
    let err = Lead::from_json_checked(&s, &json!({"agee": 1, "zzz": 2, "behaviours": {"demo_reqest": 1}}))
        .unwrap_err();
    let InputError::UnknownNames(names) = &err else { unreachable!("{err:?}") };
    let mut names = names.clone();
    names.sort();
    assert_eq!(
        names,
        [
            ("agee".to_string(), Some("age".to_string())),
            ("demo_reqest".to_string(), Some("demo_request".to_string())),
            ("zzz".to_string(), None)
        ]
    );
    let mut sources = leadc::diag::Sources::new();
    let d = err.to_diagnostic(sources.add("leads.json", ""));
    insta::assert_snapshot!(d.render(&sources, false));
}

#[test]
fn json_type_errors_name_the_key() {
    let s = schema();
    let err = Lead::from_json_checked(&s, &json!({"age": 4.5})).unwrap_err();
    assert_eq!(err.to_string(), "field `age`: `4.5` is not an integer");
    let err = Lead::from_json_checked(&s, &json!({"is_b2b": 1})).unwrap_err();
    assert_eq!(err.to_string(), "field `is_b2b`: `1` is not true or false");
    let err = Lead::from_json_checked(&s, &json!({"region": "Mars"})).unwrap_err();
    assert!(err.to_string().starts_with("field `region`: `Mars` is not one of `NA-West`"));
    let err = Lead::from_json_checked(&s, &json!({"email_open": -1})).unwrap_err();
    assert!(err.to_string().starts_with("field `email_open`: `-1` is not a count"));
    assert_eq!(Lead::from_json_checked(&s, &json!([1])), Err(InputError::NotAnObject));
}

#[test]
fn csv_maps_columns_in_any_order_and_reports_missing_ones() {
    let s = schema();
    let layout = CsvLayout::new(&s, ["email_open", "age", "id", "region"], UnknownColumns::Ignore).unwrap();
    assert_eq!(layout.columns()[2].0, Column::Ignored);
    assert!(layout.missing().contains(&"title".to_string()));
    assert!(layout.missing().contains(&"unsubscribe".to_string()));
    let mut lead = Lead::new(&s);
    layout.fill(&s, &mut lead, ["4", "40", "L-17", "EMEA"]).unwrap();
    assert_eq!(field(&s, &lead, "age"), Value::Int(40));
    assert_eq!(field(&s, &lead, "region"), Value::Enum(2));
    assert_eq!(lead.count(s.behaviour_id("email_open").unwrap()), 4);
    // The lead is cleared between records.
    layout.fill(&s, &mut lead, ["", "", "", ""]).unwrap();
    assert_eq!(lead, Lead::new(&s));
}

#[test]
fn csv_errors_are_located() {
    let s = schema();
    let err = CsvLayout::new(&s, ["age", "titl"], UnknownColumns::Error).unwrap_err();
    assert_eq!(err, InputError::UnknownNames(vec![("titl".into(), Some("title".into()))]));
    assert_eq!(
        CsvLayout::new(&s, ["age", "age"], UnknownColumns::Error).unwrap_err(),
        InputError::DuplicateColumn("age".into())
    );
    let mut reader = LeadReader::new(Arc::new(s), ["age", "web_visit"], UnknownColumns::Error).unwrap();
    assert_eq!(reader.read(["1"]).unwrap_err(), InputError::RecordLength { expected: 2, found: 1 });
    assert_eq!(reader.read(["1", "2", "3"]).unwrap_err(), InputError::RecordLength { expected: 2, found: 3 });
    assert_eq!(
        reader.read(["1", "many"]).unwrap_err().to_string(),
        "field `web_visit`: `many` is not a count (a whole number from 0 to 4294967295)"
    );
    assert_eq!(reader.read(["x", "1"]).unwrap_err().to_string(), "field `age`: `x` is not an integer");
    assert_eq!(reader.read(["31", "2"]).unwrap().counts().iter().sum::<u32>(), 2);
}

/// The crm example's schema: the saas fields with `[columns]` and `[input]`.
fn crm_schema() -> Schema {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/crm/crm.schema.toml");
    Schema::from_toml(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn columns_match_by_mapping_then_exactly_then_loosely() {
    use leadc::input::Matched;
    let s = crm_schema();
    let header = ["Company Size", "AGE", "Demo-Request", "title", "Lead Notes"];
    let extra = [("Lead Notes".to_string(), "industry".to_string())];
    let layout = CsvLayout::with_mapping(&s, header, UnknownColumns::Ignore, &extra).unwrap();
    let matched: Vec<(&str, &str, Matched)> =
        layout.matches().iter().map(|(c, n, m)| (c.as_str(), n.as_str(), *m)).collect();
    assert_eq!(
        matched,
        [
            ("Company Size", "employees", Matched::Mapped),
            ("AGE", "age", Matched::Loosely),
            ("Demo-Request", "demo_request", Matched::Loosely),
            ("Lead Notes", "industry", Matched::Mapped),
        ]
    );
    assert!(!layout.missing().contains(&"title".to_string()));
    // A mapped column and the field's own column both fill it: refused.
    let err = CsvLayout::new(&s, ["employees", "Company Size"], UnknownColumns::Ignore).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the columns `employees` and `Company Size` both fill `employees`; drop one, or map one elsewhere with `--map`"
    );
}

#[test]
fn declared_cell_conventions_are_read() {
    let s = crm_schema();
    let layout = CsvLayout::new(
        &s,
        ["Company Size", "age", "region", "budget", "web_visit", "is_b2b"],
        UnknownColumns::Ignore,
    )
    .unwrap();
    let mut lead = Lead::new(&s);
    layout
        .fill(&s, &mut lead, ["\"1,200\"".trim_matches('"'), "N/A", "emea", "50,000.5", "1,000", "yes"])
        .unwrap();
    assert_eq!(field(&s, &lead, "employees"), Value::Int(1200));
    assert_eq!(field(&s, &lead, "age"), Value::Missing);
    assert_eq!(field(&s, &lead, "budget"), Value::Number(50000.5));
    assert_eq!(lead.count(s.behaviour_id("web_visit").unwrap()), 1000);
    let region = field(&s, &lead, "region");
    assert!(matches!(region, Value::Enum(2)), "{region:?}");
    // Grouping that is not in threes is still an error, naming the column.
    let err = layout.fill(&s, &mut lead, ["12,00", "", "", "", "", ""]).unwrap_err();
    assert_eq!(err.to_string(), "field `Company Size`: `12,00` is not an integer");
    // Without the declarations, the same cells are errors.
    let plain = schema();
    let layout = CsvLayout::new(&plain, ["employees", "age"], UnknownColumns::Ignore).unwrap();
    assert!(layout.fill(&plain, &mut Lead::new(&plain), ["1,200", "40"]).is_err());
    assert!(layout.fill(&plain, &mut Lead::new(&plain), ["12", "N/A"]).is_err());
}

#[test]
fn a_compiled_program_keeps_its_input_conventions() {
    let mut sources = leadc::diag::Sources::new();
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/saas/saas.lead")).unwrap();
    let schema = Arc::new(crm_schema());
    let given = leadc::load::SchemaSource::Given(schema);
    let card = leadc::load::check_source(&mut sources, "saas.lead", &text, given).unwrap();
    let program = leadc::program::Program::compile_with_source(&card, &text);
    let loaded = leadc::program::Program::from_bytes(&program.to_bytes()).unwrap();
    assert_eq!(loaded.schema().intake(), crm_schema().intake());
    assert_eq!(loaded.schema().intake().thousands, Some(','));
}

#[test]
fn schema_input_tables_are_checked_with_locations() {
    let errors = Schema::from_toml(
        "behaviours = [\"demo\"]\n[fields]\nage = \"int\"\n[columns]\n\"Age (years)\" = \"agee\"\n[input]\nthousands = \",\"\ndecimal = \",\"\n",
    )
    .unwrap_err();
    let codes: Vec<&str> = errors.iter().map(|e| e.code).collect();
    assert_eq!(codes, ["E0209", "E0213"]);
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `age`?"));
    assert!(errors.iter().all(|e| e.span.is_some()));
    let unknown = Schema::from_toml("[input]\nmissng = [\"-\"]\n").unwrap_err();
    assert_eq!(unknown[0].code, "E0201");
}

/// A declared missing token wins over the reading of a count or int,
/// even a single digit (the readers' fast paths must not skip it), in a
/// lead and in a batch filled column by column.
#[test]
fn a_digit_declared_missing_is_missing() {
    let s = Schema::from_toml(
        "behaviours = [\"demo\"]\n[fields]\nage = \"int\"\n[input]\nmissing = [\"9\", \"0042\"]\n",
    )
    .unwrap();
    let layout = CsvLayout::new(&s, ["demo", "age"], UnknownColumns::Error).unwrap();
    let (demo, age) = (s.behaviour_id("demo").unwrap(), s.field_id("age").unwrap());
    let mut lead = Lead::new(&s);
    layout.fill(&s, &mut lead, ["9", "0042"]).unwrap();
    assert_eq!((lead.count(demo), lead.value(age)), (0, &Value::Missing));
    let mut batch = leadc::Batch::new(&s);
    let mut problems = Vec::new();
    layout.push_records(&s, &mut batch, &["9", "0042", "8", "41"], &[2, 4], &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(batch.lead(&s, 0).unwrap(), lead);
    let second = batch.lead(&s, 1).unwrap();
    assert_eq!((second.count(demo), second.value(age)), (8, &Value::Int(41)));
}
