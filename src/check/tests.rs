//! Unit tests of the checker: one program per behaviour, against a schema
//! built in code.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::schema::{BehaviourId, FieldId, FieldType, Schema};
use crate::syntax::ast::CmpOp;

fn schema() -> Arc<Schema> {
    Arc::new(
        Schema::builder()
            .field("age", FieldType::Int)
            .field("budget", FieldType::Number)
            .field("title", FieldType::String)
            .field("is_b2b", FieldType::Bool)
            .field("region", FieldType::Enum(vec!["EU".into(), "US".into(), "APAC".into()]))
            .behaviour("demo_request")
            .behaviour("email_open")
            .build()
            .unwrap(),
    )
}

fn ok(source: &str) -> Scorecard {
    let ast = crate::syntax::parse(source).unwrap();
    match check(&ast, schema()) {
        Ok(card) => card,
        Err(errors) => panic!("unexpected errors: {errors:#?}"),
    }
}

fn codes_of(source: &str) -> Vec<&'static str> {
    let ast = crate::syntax::parse(source).unwrap();
    check(&ast, schema()).unwrap_err().into_iter().map(|e| e.code).collect()
}

/// The condition of the only fit rule of `source` (after a category line).
fn fit(condition: &str) -> Condition<FieldTest> {
    let card = ok(&format!("category c\nfit {condition} : 1\n"));
    match &card.categories[0].rules[0].kind {
        RuleKind::Fit(c) => c.clone(),
        other => panic!("not a fit rule: {other:?}"),
    }
}

fn tests_of(condition: &Condition<FieldTest>) -> Vec<(FieldId, Test)> {
    match condition {
        Condition::Test(t) => vec![(t.field, t.test.clone())],
        Condition::Not(c) => tests_of(c),
        Condition::All(cs) | Condition::Any(cs) => cs.iter().flat_map(tests_of).collect(),
    }
}

fn only_test(condition: &str) -> Test {
    let c = fit(condition);
    let Condition::Test(t) = c else { panic!("not a single test: {c:?}") };
    t.test
}

#[test]
fn lowers_each_field_type() {
    assert_eq!(only_test("age >= 18"), Test::Int(CmpOp::Ge, 18));
    assert_eq!(only_test("budget > 10"), Test::Number(CmpOp::Gt, 10.0));
    assert_eq!(only_test("budget <= 2.5"), Test::Number(CmpOp::Le, 2.5));
    assert_eq!(only_test("title = \"VP\""), Test::Text(TextTest::Eq, "VP".into()));
    assert_eq!(only_test("title != \"VP\""), Test::Text(TextTest::Ne, "VP".into()));
    assert_eq!(only_test("title ends_with \".edu\""), Test::Text(TextTest::EndsWith, ".edu".into()));
    assert_eq!(only_test("is_b2b"), Test::Bool(true));
    assert_eq!(only_test("is_b2b = false"), Test::Bool(false));
    assert_eq!(only_test("is_b2b != true"), Test::Bool(false));
    assert_eq!(only_test("region = \"US\""), Test::EnumIn { values: vec![1], negated: false });
    assert_eq!(only_test("region != \"US\""), Test::EnumIn { values: vec![1], negated: true });
    assert_eq!(only_test("age is missing"), Test::Missing);
    assert_eq!(only_test("title is present"), Test::Present);
    assert_eq!(only_test("age in 18..65"), Test::IntRange { lo: 18, hi: 65, negated: false });
    assert_eq!(only_test("budget not in 1..2.5"), Test::NumberRange { lo: 1.0, hi: 2.5, negated: true });
}

#[test]
fn lists_are_deduplicated_and_enum_indexes_sorted() {
    assert_eq!(
        only_test("region in [\"APAC\", \"EU\", \"APAC\"]"),
        Test::EnumIn { values: vec![0, 2], negated: false }
    );
    assert_eq!(
        only_test("title not in [\"b\", \"a\", \"b\"]"),
        Test::TextIn { values: vec!["b".into(), "a".into()], negated: true }
    );
    assert_eq!(only_test("age in [3, 3]"), Test::Int(CmpOp::Eq, 3));
}

#[test]
fn numeric_lists_stay_false_on_missing_fields() {
    // `not in` on an int field: every `!=` must hold, and each is false on a
    // missing field, so the whole is too.
    let c = fit("age not in [1, 2]");
    assert!(matches!(&c, Condition::All(cs) if cs.len() == 2));
    assert!(tests_of(&c).iter().all(|(_, t)| matches!(t, Test::Int(CmpOp::Ne, _))));
    let c = fit("budget in [1, 2.5]");
    assert!(matches!(&c, Condition::Any(cs) if cs.len() == 2));
}

#[test]
fn and_chains_flatten() {
    let c = fit("age > 1 and (age > 2 and age > 3) and is_b2b");
    let Condition::All(parts) = &c else { panic!("{c:?}") };
    assert_eq!(parts.len(), 4);
    let c = fit("age > 1 or age > 2 or not is_b2b");
    let Condition::Any(parts) = &c else { panic!("{c:?}") };
    assert_eq!(parts.len(), 3);
    assert!(matches!(parts[2], Condition::Not(_)));
}

#[test]
fn behaviour_rules() {
    let card = ok(
        "category c\n*behaviour demo_request >= 2 : 5 each max 20\nbehaviour email_open : -1 each max -3\n",
    );
    let rules: Vec<_> = card.rules().map(|(_, r)| r.clone()).collect();
    assert_eq!(
        rules[0].kind,
        RuleKind::Behaviour(BehaviourRule {
            behaviour: BehaviourId(0),
            critical: true,
            min_count: 2,
            per_occurrence: true,
            cap: Some(20),
            clock: Default::default(),
        })
    );
    assert_eq!(rules[1].points, -1);
}

#[test]
fn tiers_and_lints() {
    let card = ok("category interest max 10\n\
                   tier a when qualified and points >= 60 and interest in 1..5\n\
                   tier b when qualified = false or score not in [1, 2]\n\
                   tier c\n\
                   lint allow too-few-rules, made-up\n");
    assert_eq!(card.tiers.len(), 3);
    let Some(Condition::All(parts)) = &card.tiers[0].when else { panic!() };
    assert_eq!(parts[0], Condition::Test(OutcomeTest::Qualified));
    assert_eq!(
        parts[2],
        Condition::All(vec![
            Condition::Test(OutcomeTest::Compare(OutcomeValue::Category(0), CmpOp::Ge, 1)),
            Condition::Test(OutcomeTest::Compare(OutcomeValue::Category(0), CmpOp::Le, 5)),
        ])
    );
    assert_eq!(card.tiers[2].when, None);
    let names: Vec<_> = card.lint_directives.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["too-few-rules", "made-up"]);
}

#[test]
fn segment_arms() {
    let card = ok("segment age {\n  < 18 => 1 \"minor\"\n  18..64 => 2\n  >= 65 => 3\n}\n");
    let segment = card.segment.clone().unwrap();
    assert_eq!(segment.arms.len(), 3);
    assert_eq!(segment.arms[1].test, Test::IntRange { lo: 18, hi: 64, negated: false });
    assert_eq!(segment.arms[0].label.as_deref(), Some("minor"));
    assert!(card.uses_digit_layout());
}

#[test]
fn each_error_code() {
    let cases: &[(&str, &str)] = &[
        ("category c\nfit agee > 1 : 1", "E0301"),
        ("category c\nbehaviour demo : 1", "E0302"),
        ("category c\nfit age = \"x\" : 1", "E0303"),
        ("category c\nfit age = 2.5 : 1", "E0303"),
        ("category c\nfit is_b2b = 1 : 1", "E0303"),
        ("category c\nfit title > \"a\" : 1", "E0304"),
        ("category c\nfit age contains \"a\" : 1", "E0304"),
        ("category c\nfit age : 1", "E0304"),
        ("category c\nfit title in 1..2 : 1", "E0304"),
        ("category c\nfit is_b2b in [true] : 1", "E0304"),
        ("category c\nfit region = \"Us\" : 1", "E0305"),
        ("category c\nfit age in 5..1 : 1", "E0306"),
        ("category c\nfit age in [] : 1", "E0307"),
        ("category c\ncategory c", "E0308"),
        ("fit age > 1 : 1", "E0309"),
        ("tier a when points > 1\ntier a when points > 2", "E0310"),
        ("tier a\ntier b when points > 1", "E0311"),
        ("schema \"a\"\nschema \"b\"", "E0312"),
        ("segment age {\n1 => 1\n}\nsegment age {\n2 => 2\n}", "E0313"),
        ("segment age {\n1 => 10\n}", "E0314"),
        ("segment age {\n1 => 1.5\n}", "E0314"),
        ("category c\nfit age > 1 : 2.5", "E0315"),
        ("category c\nfit age > 1 : 1000001", "E0316"),
        ("require age > 1 : -1000001", "E0316"),
        ("category c\nfit age > 1 : -9223372036854775808", "E0316"),
        ("category c\nbehaviour email_open : -1 each max -9223372036854775808", "E0316"),
        ("category c max -1", "E0317"),
        ("category c\nbehaviour email_open >= 0 : 1", "E0318"),
        ("category c\nbehaviour email_open : 1 each max -5", "E0319"),
        ("category c\nbehaviour email_open : -1 each max 0", "E0319"),
        ("tier a when age > 1", "E0320"),
        ("category points", "E0321"),
    ];
    for (source, code) in cases {
        assert_eq!(codes_of(source), [*code], "{source}");
    }
}

#[test]
fn reports_every_error_in_order() {
    let codes = codes_of(
        "fit agee > 1 : 1.5\ncategory c max -2\nbehaviour nope >= 0 : 1\ntier t when nope\ntier t\n",
    );
    assert_eq!(codes, ["E0309", "E0301", "E0315", "E0317", "E0302", "E0318", "E0320", "E0310"]);
}

#[test]
fn suggests_close_names() {
    let ast =
        crate::syntax::parse("category c\nfit titel = \"VP\" : 1\nbehaviour demo_requst : 1\n").unwrap();
    let errors = check(&ast, schema()).unwrap_err();
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `title`?"));
    assert_eq!(errors[1].help.as_deref(), Some("did you mean `demo_request`?"));
}

#[test]
fn a_zero_point_rule_takes_a_cap_of_either_sign() {
    for source in [
        "category c\nbehaviour email_open : 0 each max 5",
        "category c\nbehaviour email_open : 0 each max -5",
    ] {
        let ast = crate::syntax::parse(source).unwrap();
        assert!(crate::check::check(&ast, schema()).is_ok(), "{source}");
    }
}
