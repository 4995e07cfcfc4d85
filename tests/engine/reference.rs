//! Hand-worked examples for the reference evaluator.
//!
//! In: small programs as source text, checked against small schemas, and
//! leads written out field by field. Out: the outcome and explanation the
//! reference evaluator gives, compared with values worked out by hand from
//! `docs/language.md` ("How a lead is scored"); each expectation says how it
//! was computed. Every case is also run through the VM (and its byte round
//! trip), so these double as named differential cases.

use leadc::check::Scorecard;
use leadc::diag::Sources;
use leadc::lead::Lead;
use leadc::load::{SchemaSource, check_source};
use leadc::outcome::{CategoryTotal, Explanation, Outcome, RuleTrace};
use leadc::program::Program;
use leadc::reference::evaluate;
use leadc::schema::Schema;
use std::sync::Arc;

/// The program of docs/language.md's "A complete program".
const DOC_PROGRAM: &str = r#"
schema "saas.schema.toml"        # the lead schema this program is checked against

# 1. must-haves: 100 points each
require region in ["NA-West", "NA-East"] : 100
require age >= 18 : 100
require department in ["IT", "Finance"] : 100

# 5. thousands digit
segment employees {
  < 50      => 1 "small"
  50..999   => 2 "medium"
  >= 1000   => 3 "large"
}

category good_fit max 25
fit industry in ["Software", "Finance", "Healthcare"] : 10
fit is_b2b : 8

category critical max 25
*behaviour demo_request : 20
*behaviour free_trial : 20

category interest max 25
behaviour email_open : 1 each max 5
behaviour webinar_attended >= 2 : 10

category penalties
behaviour unsubscribe : -20
behaviour careers_page_view : -5 each max -15
fit email_domain in ["gmail.com", "yahoo.com"] : -10

tier sales_ready when qualified and points >= 60
tier nurture     when points >= 30
tier cold
"#;

fn schema(toml: &str) -> Arc<Schema> {
    Arc::new(Schema::from_toml(toml).unwrap())
}

fn saas_schema() -> Arc<Schema> {
    schema(include_str!("../../examples/saas/saas.schema.toml"))
}

fn card(source: &str, schema: Arc<Schema>) -> Scorecard {
    let mut sources = Sources::new();
    match check_source(&mut sources, "test.lead", source, SchemaSource::Given(schema)) {
        Ok(card) => card,
        Err(diags) => {
            let rendered: Vec<String> = diags.iter().map(|d| d.render(&sources, false)).collect();
            panic!("does not check:\n{}", rendered.join("\n"))
        }
    }
}

/// A lead from `field=text` pairs (parsed by the field's type) and
/// `behaviour` counts.
fn lead(schema: &Schema, fields: &[(&str, &str)], counts: &[(&str, u32)]) -> Lead {
    let mut lead = Lead::new(schema);
    for (name, text) in fields {
        lead.set_text(schema, schema.field_id(name).unwrap(), text).unwrap();
    }
    for (name, count) in counts {
        lead.set_count(schema.behaviour_id(name).unwrap(), *count);
    }
    lead
}

/// The reference's answer, after checking that the VM, and the VM loaded
/// from bytes, give the same.
fn score(card: &Scorecard, lead: &Lead) -> (Outcome, Explanation) {
    let expected = evaluate(card, lead);
    let program = Program::compile(card);
    assert_eq!(program.explain(lead), expected, "VM vs reference");
    let loaded = Program::from_bytes(&program.to_bytes()).unwrap();
    assert_eq!(loaded.explain(lead), expected, "loaded VM vs reference");
    expected
}

fn fired(points: i64) -> RuleTrace {
    RuleTrace { fired: true, uncapped: points, points }
}

fn total(raw: i64, capped: i64) -> CategoryTotal {
    CategoryTotal { raw, capped }
}

#[test]
fn the_worked_example_of_the_language_reference() {
    let schema = saas_schema();
    let card = card(DOC_PROGRAM, schema.clone());
    // NA-West, aged 40, in IT, 200 employees, industry Software, B2B, one
    // demo request, 7 email opens, one unsubscribe.
    let fields = [
        ("region", "NA-West"),
        ("age", "40"),
        ("department", "IT"),
        ("employees", "200"),
        ("industry", "Software"),
        ("is_b2b", "true"),
    ];
    let counts = [("demo_request", 1), ("email_open", 7), ("unsubscribe", 1)];
    let (outcome, why) = score(&card, &lead(&schema, &fields, &counts));

    // must-haves: 3 met, qualified, 300
    assert_eq!(why.requires, vec![true, true, true]);
    assert_eq!((outcome.requires_met, outcome.qualified), (3, true));
    // segment: 50..999 → 2 (the second arm)
    assert_eq!((outcome.segment, why.segment_arm), (2, Some(1)));
    // good_fit 10 + 8 = 18; critical 20; interest min(1 × 7, 5) = 5; penalties -20
    assert_eq!(outcome.categories, vec![total(18, 18), total(20, 20), total(5, 5), total(-20, -20)]);
    let email_open = RuleTrace { fired: true, uncapped: 7, points: 5 };
    let nothing = RuleTrace::default();
    let expected_rules = vec![
        fired(10),  // industry in [...]
        fired(8),   // is_b2b
        fired(20),  // *demo_request
        nothing,    // *free_trial, count 0
        email_open, // email_open 1 each max 5, count 7
        nothing,    // webinar_attended >= 2, count 0
        fired(-20), // unsubscribe
        nothing,    // careers_page_view, count 0
        nothing,    // email_domain missing: `in` is false
    ];
    assert_eq!(why.rules, expected_rules);
    // points: 18 + 20 + 5 - 20 = 23; score 2000 + 300 + 23 = 2323
    assert_eq!(outcome.points, 23);
    assert_eq!(outcome.score, 2323);
    // sales_ready needs 60 points, nurture 30: cold (the third tier)
    assert_eq!(outcome.tier, Some(2));
}

const SMALL_SCHEMA: &str = r#"
behaviours = ["visit", "download"]
[fields]
country = "string"
age     = "int"
budget  = "number"
b2b     = "bool"
plan    = { type = "enum", values = ["free", "pro", "team"] }
"#;

fn small(source: &str, fields: &[(&str, &str)], counts: &[(&str, u32)]) -> (Outcome, Explanation) {
    let schema = schema(SMALL_SCHEMA);
    let card = card(source, schema.clone());
    score(&card, &lead(&schema, fields, counts))
}

#[test]
fn points_clamp_at_0() {
    let source = "category minus\nfit age >= 18 : -30\nfit b2b : 10\n";
    let (outcome, _) = small(source, &[("age", "20"), ("b2b", "yes")], &[]);
    // -30 + 10 = -20, clamped to 0; no digit layout, so score = points
    assert_eq!(outcome.categories, vec![total(-20, -20)]);
    assert_eq!((outcome.points, outcome.score), (0, 0));
}

#[test]
fn points_clamp_at_100_without_and_99_with_the_digit_layout() {
    let plain = "category a\nfit age >= 18 : 70\ncategory b\nfit b2b : 70\n";
    let (outcome, _) = small(plain, &[("age", "18"), ("b2b", "true")], &[]);
    assert_eq!((outcome.points, outcome.score), (100, 100)); // 140 → 100
    let digits = format!("require age >= 18 : 100\n{plain}");
    let (outcome, _) = small(&digits, &[("age", "18"), ("b2b", "true")], &[]);
    assert_eq!((outcome.points, outcome.score), (99, 199)); // 140 → 99, + 100
    let segment_only = format!("segment plan {{\n \"pro\" => 4\n}}\n{plain}");
    let (outcome, _) = small(&segment_only, &[("age", "18"), ("b2b", "true"), ("plan", "pro")], &[]);
    assert_eq!((outcome.points, outcome.score), (99, 4099)); // segment alone is the digit layout
}

#[test]
fn a_category_cap_cuts_its_total_but_not_a_negative_one() {
    let source = "category fit max 25\nfit age >= 18 : 20\nfit b2b : 15\nfit country = \"US\" : -50\n";
    let (outcome, _) = small(source, &[("age", "30"), ("b2b", "true")], &[]);
    assert_eq!(outcome.categories, vec![total(35, 25)]); // 20 + 15 = 35, max 25
    assert!(outcome.categories[0].was_capped());
    let (outcome, _) = small(source, &[("age", "30"), ("b2b", "true"), ("country", "US")], &[]);
    assert_eq!(outcome.categories, vec![total(-15, -15)]); // min(-15, 25)
}

#[test]
fn a_negative_each_cap_limits_from_below() {
    let source = "category penalties\nbehaviour visit : -5 each max -15\n";
    for (count, raw, points) in [(0, 0, 0), (1, -5, -5), (3, -15, -15), (4, -20, -15), (1000, -5000, -15)] {
        let (outcome, why) = small(source, &[], &[("visit", count)]);
        assert_eq!(why.rules[0].uncapped, raw, "count {count}");
        assert_eq!(why.rules[0].points, points, "count {count}");
        assert_eq!(outcome.categories, vec![total(points, points)]);
    }
}

#[test]
fn a_threshold_fires_at_exactly_k() {
    let source = "category c\nbehaviour download >= 3 : 10\nbehaviour visit >= 3 : 2 each max 7\n";
    // count → (fired, points) for `>= 3 : 10` and `>= 3 : 2 each max 7`
    for (count, once, each) in [(0, 0, 0), (2, 0, 0), (3, 10, 6), (4, 10, 7), (u32::MAX, 10, 7)] {
        let (_, why) = small(source, &[], &[("download", count), ("visit", count)]);
        assert_eq!(why.rules[0].fired, count >= 3);
        assert_eq!(why.rules[0].points, once, "count {count}");
        assert_eq!(why.rules[1].points, each, "count {count}");
    }
}

#[test]
fn a_missing_field_fails_not_equal_and_not_in_but_not_a_negation() {
    let source = "category c\nfit country != \"US\" : 1\nfit plan not in [\"free\"] : 2\n\
                  fit not (country = \"US\") : 4\nfit age not in 0..17 : 8\nfit budget is missing : 16\n\
                  fit not b2b : 32\nfit b2b = false : 64\n";
    let (outcome, why) = small(source, &[], &[]);
    let holds: Vec<bool> = why.rules.iter().map(|r| r.fired).collect();
    // Only `not (country = "US")`, `budget is missing` and `not b2b` hold.
    assert_eq!(holds, vec![false, false, true, false, true, true, false]);
    assert_eq!(outcome.points, 4 + 16 + 32);
    // With the fields present, `!=` and `not in` hold as usual.
    let fields = [("country", "CA"), ("plan", "pro"), ("age", "40"), ("budget", "1"), ("b2b", "no")];
    let (_, why) = small(source, &fields, &[]);
    let holds: Vec<bool> = why.rules.iter().map(|r| r.fired).collect();
    assert_eq!(holds, vec![true, true, true, true, false, true, true]);
}

#[test]
fn a_missing_must_have_is_not_met() {
    let source = "require age >= 18 : 100\nrequire country != \"US\" : 100\ncategory c\n";
    let (outcome, why) = small(source, &[], &[]);
    assert_eq!(why.requires, vec![false, false]);
    assert_eq!((outcome.requires_met, outcome.qualified, outcome.score), (0, false, 0));
    let (outcome, _) = small(source, &[("age", "18"), ("country", "FR")], &[]);
    assert_eq!((outcome.requires_met, outcome.qualified, outcome.score), (2, true, 200));
}

#[test]
fn no_must_haves_is_qualified() {
    let (outcome, _) = small("category c\ntier ok when qualified\n", &[], &[]);
    assert!(outcome.qualified);
    assert_eq!(outcome.tier, Some(0));
}

#[test]
fn the_first_tier_that_holds_wins() {
    let source = "category c\nfit age >= 18 : 50\n\
                  tier a when points >= 60\ntier b when points >= 40\ntier c when points >= 10\ntier d\n";
    assert_eq!(small(source, &[("age", "18")], &[]).0.tier, Some(1)); // 50: not a, b holds (c too)
    assert_eq!(small(source, &[], &[]).0.tier, Some(3)); // 0: only the catch-all
}

#[test]
fn no_tier_holds() {
    let source = "category c\nfit age >= 18 : 50\ntier a when points >= 60 or c < 0\n";
    let (outcome, _) = small(source, &[("age", "18")], &[]);
    assert_eq!(outcome.tier, None);
}

#[test]
fn tiers_test_category_totals_score_segment_and_requires_met() {
    let source = "require age >= 18 : 100\nsegment budget {\n < 1000 => 1\n >= 1000 => 2\n}\n\
                  category c max 10\nfit b2b : 15\n\
                  tier by_category when c = 10\ntier by_score when score >= 2100\n\
                  tier by_segment when segment = 1 and requires_met = 0\n";
    let (o, _) = small(source, &[("b2b", "true")], &[]);
    assert_eq!(o.tier, Some(0)); // c's capped total is 10, not 15
    let (o, _) = small(source, &[("age", "20"), ("budget", "5000")], &[]);
    assert_eq!((o.score, o.tier), (2100, Some(1))); // 2000 + 100 + 0
    let (o, _) = small(source, &[("budget", "999.5")], &[]);
    assert_eq!((o.segment, o.tier), (1, Some(2)));
}

#[test]
fn a_missing_segment_field_gives_digit_0() {
    let source = "segment age {\n < 18 => 1\n 18..64 => 2\n >= 65 => 3\n}\ncategory c\n";
    let (o, why) = small(source, &[], &[]);
    assert_eq!((o.segment, why.segment_arm, o.score), (0, None, 0));
    // Boundaries: 17 → 1, 18 → 2, 64 → 2, 65 → 3.
    for (age, digit) in [("17", 1), ("18", 2), ("64", 2), ("65", 3)] {
        assert_eq!(small(source, &[("age", age)], &[]).0.segment, digit, "age {age}");
    }
}

#[test]
fn overlapping_segment_arms_take_the_first() {
    let source = "segment plan {\n not in [\"free\"] => 7\n \"pro\" => 8\n}\ncategory c\n";
    let (o, why) = small(source, &[("plan", "pro")], &[]);
    assert_eq!((o.segment, why.segment_arm, o.score), (7, Some(0), 7000));
    let (o, _) = small(source, &[("plan", "free")], &[]);
    assert_eq!(o.segment, 0); // no arm holds
}

#[test]
fn must_haves_add_their_own_points_to_the_score() {
    // Not 100 each: the score adds the points of met must-haves as written.
    let source = "require age >= 18 : 100\nrequire b2b : 40\ncategory c\nfit b2b : 5\n";
    let (o, _) = small(source, &[("age", "20"), ("b2b", "true")], &[]);
    assert_eq!((o.requires_met, o.points, o.score), (2, 5, 145));
}

#[test]
fn an_empty_category_totals_0() {
    let (o, why) = small("category empty max 10\ncategory other\nfit b2b : 3\n", &[("b2b", "1")], &[]);
    assert_eq!(o.categories, vec![total(0, 0), total(3, 3)]);
    assert_eq!(why.rules, vec![fired(3)]);
}

#[test]
fn zero_points_each_with_a_cap_give_0() {
    let (o, why) = small("category c\nbehaviour visit : 0 each max -5\n", &[], &[("visit", 9)]);
    assert_eq!(why.rules, vec![fired(0)]);
    assert_eq!(o.points, 0);
}
