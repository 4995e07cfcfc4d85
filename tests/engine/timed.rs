//! Timed rules end to end: a program with windows and decays over event
//! behaviours, scored as of instants, against hand-computed expectations;
//! saved and loaded; disassembled; explained.

use leadc::diag::Sources;
use leadc::load::{SchemaSource, check_source};

use leadc::program::Program;
use leadc::schema::Schema;
use leadc::time::{DAY, HOUR, parse_instant};
use std::sync::Arc;

const SCHEMA: &str = r#"
behaviours = ["demo_request"]
events = ["web_visit", "pricing_page_view"]
"#;

const PROGRAM: &str = "\
category interest
behaviour web_visit : 2 each max 10 within 30d decay half_life 7d
behaviour pricing_page_view >= 2 : 8 within 2w
behaviour pricing_page_view : 6 decay linear 90d
behaviour web_visit : 3 expire 12h
behaviour demo_request : 20
";

fn program() -> Program {
    let schema = Arc::new(Schema::from_toml(SCHEMA).unwrap());
    let mut sources = Sources::default();
    let card = check_source(&mut sources, "t.lead", PROGRAM, SchemaSource::Given(schema)).unwrap();
    Program::compile_with_source(&card, PROGRAM)
}

fn at(text: &str) -> i64 {
    parse_instant(text).unwrap()
}

/// Scores as of `as_of` and returns every rule's points.
fn points(p: &Program, lead: &leadc::lead::Lead, as_of: i64) -> Vec<i64> {
    let (out, why) = p.explain_at(lead, as_of);
    let plain = p.evaluate_at(lead, as_of);
    assert_eq!(plain, out, "evaluate_at and explain_at agree");
    why.rules.iter().map(|r| r.points).collect()
}

#[test]
fn hand_computed_scores_as_of_an_instant() {
    let p = program();
    let s = p.schema();
    let (web, pricing) = (s.behaviour_id("web_visit").unwrap(), s.behaviour_id("pricing_page_view").unwrap());
    let now = at("2026-11-30T12:00:00Z");
    let mut lead = p.new_lead();
    // web: now, 7d ago, 14d ago, exactly 30d ago (outside), 40d ago, and one in the future.
    lead.set_events(web, &[now, now - 7 * DAY, now - 14 * DAY, now - 30 * DAY, now - 40 * DAY, now + HOUR]);
    // pricing: 3d and 45d ago (only one inside 2w); duplicates count twice.
    lead.set_events(pricing, &[now - 3 * DAY, now - 45 * DAY, now - 45 * DAY]);
    let got = points(&p, &lead, now);
    // rule 0: 2 × (1 + 0.5 + 0.25) = 3.5 -> 4 (half away from zero), under the cap 10.
    // rule 1: 1 event in 2w < 2: nothing.
    // rule 2: newest pricing event is 3d old: 6 × (1 - 3/90) = 5.8 -> 6.
    // rule 3: newest web event is 0s old (the future one is ignored): 3.
    // rule 4: a count, not timed: 0.
    assert_eq!(got, [4, 0, 6, 3, 0]);

    // A day later the future event is 23h old and counts: rule 0 = 2 × (2^(-23/168)
    // + 2^(-1/7) + 2^(-8/7) + 2^(-15/7)) = 2 × 2.4945.. = 4.989.. -> 5;
    // rule 2 = 6 × (1 - 4/90) = 5.73 -> 6; rule 3: the newest is 23h old > 12h -> 0.
    assert_eq!(points(&p, &lead, now + DAY), [5, 0, 6, 0, 0]);

    // Before every event: nothing counts; explain says the events are in the future.
    let early = at("2020-01-01");
    let (out, why) = p.explain_at(&lead, early);
    assert_eq!(out.points, 0);
    let time = why.times[0].unwrap();
    assert_eq!((time.counted, time.future), (0, 6));
    assert!(why.times[4].is_none(), "a counted behaviour has no time trace");
}

#[test]
fn the_same_instant_always_gives_the_same_score() {
    let p = program();
    let web = p.schema().behaviour_id("web_visit").unwrap();
    let now = at("2026-11-30");
    let mut a = p.new_lead();
    a.set_events(web, &[now - DAY, now - 2 * DAY, now - 3 * DAY]);
    let mut b = p.new_lead();
    b.set_events(web, &[now - 3 * DAY, now - DAY, now - 2 * DAY]);
    assert_eq!(points(&p, &a, now), points(&p, &b, now), "event order does not matter");
}

#[test]
fn timeless_evaluation_counts_every_event_undecayed() {
    let p = program();
    let web = p.schema().behaviour_id("web_visit").unwrap();
    let mut lead = p.new_lead();
    lead.set_events(web, &[0, DAY, 1000 * DAY]);
    let (_, why) = p.explain(&lead);
    assert_eq!(why.rules[0].points, 6, "2 × 3 events, no window, no decay");
    assert_eq!(why.rules[3].points, 3);
    assert!(p.is_timed());
}

#[test]
fn timed_programs_round_trip_and_disassemble() {
    let p = program();
    let loaded = Program::from_bytes(&p.to_bytes()).unwrap();
    assert_eq!(loaded, p);
    let listing = p.disassemble();
    assert!(listing.contains("timed") && listing.contains("within 30d, half_life 7d"), "{listing}");
    assert!(listing.contains("linear 90d") && listing.contains("expire 12h"), "{listing}");
}

#[test]
fn printed_rules_keep_their_time_clauses() {
    let schema = Arc::new(Schema::from_toml(SCHEMA).unwrap());
    let mut sources = Sources::default();
    let card = check_source(&mut sources, "t.lead", PROGRAM, SchemaSource::Given(schema)).unwrap();
    let p = Program::compile(&card);
    assert_eq!(p.rules()[0].source.text, "behaviour web_visit : 2 each max 10 within 30d decay half_life 7d");
    assert_eq!(p.rules()[3].source.text, "behaviour web_visit : 3 expire 12h");
}

/// Recomputes the checksum of tampered bytes (FNV-1a of bytes 16..).
fn reseal(bytes: &mut [u8]) {
    let mut h: u32 = 0x811c_9dc5;
    for &b in &bytes[16..] {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    bytes[8..12].copy_from_slice(&h.to_le_bytes());
}

#[test]
fn the_verifier_rejects_bad_timed_steps() {
    let bytes = program().to_bytes();
    let n = bytes.len();
    // The file ends with the last timed step's decay duration (i64): make it 0.
    let mut zero = bytes.clone();
    zero[n - 8..].copy_from_slice(&0i64.to_le_bytes());
    reseal(&mut zero);
    let e = Program::from_bytes(&zero).unwrap_err();
    assert!(matches!(e, leadc::compile::format::LoadError::Verify(_)), "{e:?}");
    assert!(e.to_string().contains("time clause of 0 seconds"), "{e}");
    // An unknown decay kind is a decoding error.
    let mut kind = bytes.clone();
    kind[n - 9] = 9;
    reseal(&mut kind);
    assert!(Program::from_bytes(&kind).unwrap_err().to_string().contains("unknown decay kind 9"));
}

#[test]
fn a_category_header_gives_its_event_rules_default_clauses() {
    let source = "\
category interest max 25 within 30d decay half_life 7d
behaviour web_visit : 2 each max 10
behaviour pricing_page_view : 5 expire 1d
behaviour demo_request : 20
";
    let schema = Arc::new(Schema::from_toml(SCHEMA).unwrap());
    let mut sources = Sources::default();
    let card = check_source(&mut sources, "t.lead", source, SchemaSource::Given(schema)).unwrap();
    let p = Program::compile(&card);
    let texts: Vec<&str> = p.rules().iter().map(|r| r.source.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "behaviour web_visit : 2 each max 10 within 30d decay half_life 7d",
            "behaviour pricing_page_view : 5 within 30d expire 1d",
            "behaviour demo_request : 20",
        ],
        "a rule's own decay wins; counted behaviours take no clause"
    );
    let bad = "category interest within 0d\nbehaviour web_visit : 1\n";
    let schema = Arc::new(Schema::from_toml(SCHEMA).unwrap());
    let errors = check_source(&mut sources, "b.lead", bad, SchemaSource::Given(schema)).unwrap_err();
    assert_eq!(errors[0].code, "E0331");
}
