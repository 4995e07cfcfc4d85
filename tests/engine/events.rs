//! Event behaviours: the schema's `events` list, a lead's timestamps (set
//! in code, from `;`-separated text and from NDJSON arrays), and their
//! survival through a compiled file.

use leadc::lead::Lead;
use leadc::schema::Schema;
use leadc::time::{DAY, parse_instant};

const SCHEMA: &str = r#"
behaviours = ["demo_request"]
events = ["web_visit", "pricing_page_view"]
[fields]
age = "int"
"#;

fn schema() -> Schema {
    Schema::from_toml(SCHEMA).unwrap()
}

#[test]
fn events_are_behaviours_after_the_counted_ones() {
    let s = schema();
    assert_eq!(s.behaviours(), ["demo_request", "web_visit", "pricing_page_view"]);
    assert!(!s.is_event(s.behaviour_id("demo_request").unwrap()));
    assert!(s.is_event(s.behaviour_id("web_visit").unwrap()));
    assert!(s.has_events());
}

#[test]
fn a_name_both_counted_and_an_event_is_declared_twice() {
    let errors = Schema::from_toml("behaviours = [\"a\"]\nevents = [\"a\"]").unwrap_err();
    assert_eq!(errors[0].code, "E0205");
}

#[test]
fn pushed_and_set_events_stay_per_behaviour_and_count() {
    let s = schema();
    let (web, pricing) = (s.behaviour_id("web_visit").unwrap(), s.behaviour_id("pricing_page_view").unwrap());
    let mut lead = Lead::new(&s);
    lead.push_event(web, 10);
    lead.push_event(pricing, 20);
    lead.push_event(web, 30); // web's events move past pricing's
    lead.push_event(web, 30); // duplicates are kept
    assert_eq!(lead.events(web), [10, 30, 30]);
    assert_eq!(lead.events(pricing), [20]);
    assert_eq!(lead.count(web), 3);
    lead.set_events(pricing, &[1, 2]);
    assert_eq!(lead.events(pricing), [1, 2]);
    assert_eq!(lead.count(pricing), 2);
    lead.clear_events();
    assert!(lead.events(web).is_empty());
    assert_eq!(lead.count(web), 0);
}

#[test]
fn equality_ignores_event_order_and_unused_buffer() {
    let s = schema();
    let web = s.behaviour_id("web_visit").unwrap();
    let (mut a, mut b) = (Lead::new(&s), Lead::new(&s));
    a.set_events(web, &[5, 1]);
    a.set_events(web, &[3, 4]);
    b.set_events(web, &[4, 3]);
    assert_eq!(a, b);
    b.push_event(web, 9);
    assert_ne!(a, b);
}

#[test]
fn event_text_is_semicolon_separated_and_errors_are_located() {
    let s = schema();
    let web = s.behaviour_id("web_visit").unwrap();
    let mut lead = Lead::new(&s);
    lead.set_events_text(&s, web, "2026-11-01; 2026-11-20T10:00:00Z").unwrap();
    assert_eq!(
        lead.events(web),
        [parse_instant("2026-11-01").unwrap(), parse_instant("2026-11-20T10:00:00Z").unwrap()]
    );
    let e = lead.set_events_text(&s, web, "2026-11-01;2026-13-01").unwrap_err();
    assert_eq!(e.field, "web_visit");
    assert!(e.expected.contains("a month from 01 to 12 at character 17"), "{}", e.expected);
    assert_eq!(lead.count(web), 2, "a failed parse leaves the events as they were");
    lead.set_events_text(&s, web, "  ").unwrap();
    assert_eq!(lead.count(web), 0);
}

#[test]
fn ndjson_takes_arrays_of_timestamps_for_events_only() {
    let s = schema();
    let web = s.behaviour_id("web_visit").unwrap();
    let json = serde_json::json!({"age": 3, "behaviours": {"web_visit": ["1970-01-02", "1970-01-03T00:00:00Z"], "demo_request": 1}});
    let lead = Lead::from_json(&s, &json).unwrap();
    assert_eq!(lead.events(web), [DAY, 2 * DAY]);
    let top_level = Lead::from_json(&s, &serde_json::json!({"web_visit": null})).unwrap();
    assert!(top_level.events(web).is_empty());
    for bad in [
        serde_json::json!({"web_visit": 3}),
        serde_json::json!({"web_visit": ["yesterday"]}),
        serde_json::json!({"web_visit": [7]}),
    ] {
        let e = Lead::from_json(&s, &bad).unwrap_err().to_string();
        assert!(e.contains("`web_visit`") && e.contains("timestamps"), "{bad}: {e}");
    }
    let e = Lead::from_json(&s, &serde_json::json!({"web_visit": ["2026-11-01", "2026-13-01"]})).unwrap_err();
    assert!(e.to_string().contains("item 2: expected a month from 01 to 12 at character 6"), "{e}");
    let e = Lead::from_json(&s, &serde_json::json!({"demo_request": ["2026-01-01"]})).unwrap_err();
    assert!(e.to_string().contains("a count"), "a counted behaviour takes no timestamps: {e}");
}

#[test]
fn csv_cells_of_event_columns_are_timestamps() {
    let s = std::sync::Arc::new(schema());
    let web = s.behaviour_id("web_visit").unwrap();
    let header = ["age", "demo_request", "web_visit", "pricing_page_view"];
    let layout = leadc::input::CsvLayout::new(&s, header, leadc::input::UnknownColumns::Error).unwrap();
    let mut lead = Lead::new(&s);
    layout.fill(&s, &mut lead, ["40", "1", "1970-01-02;1970-01-03", ""]).unwrap();
    assert_eq!(lead.events(web), [DAY, 2 * DAY]);
    layout.fill(&s, &mut lead, ["40", "1", "1970-01-04", ""]).unwrap();
    assert_eq!(lead.events(web), [3 * DAY], "a reused lead starts each record afresh");
    let e = layout.fill(&s, &mut lead, ["40", "1", "1970-01-04;x", ""]).unwrap_err().to_string();
    assert!(e.contains("`web_visit`") && e.contains("at character 12"), "{e}");
}

#[test]
fn a_compiled_program_keeps_which_behaviours_are_events() {
    let source = "category c max 10\nbehaviour web_visit : 1 each max 5\n";
    let schema = std::sync::Arc::new(schema());
    let mut sources = leadc::diag::Sources::default();
    let given = leadc::load::SchemaSource::Given(schema.clone());
    let card = leadc::load::check_source(&mut sources, "t.lead", source, given).expect("checks");
    let program = leadc::program::Program::compile(&card);
    let loaded = leadc::program::Program::from_bytes(&program.to_bytes()).unwrap();
    assert_eq!(loaded.schema(), &*schema);
    assert!(loaded.schema().is_event(schema.behaviour_id("web_visit").unwrap()));
}
