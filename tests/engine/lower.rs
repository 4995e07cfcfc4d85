//! Lowering: folding, dead code, and the language's edge cases (missing
//! values, negations, large enums, saturation) evaluated through the VM,
//! and which inputs the lowered code reads.

use leadc::check::*;
use leadc::compile::opcode::{Op, Test as T};
use leadc::diag::span::Span;
use leadc::lead::{Lead, Value};
use leadc::program::Program;
use leadc::schema::{FieldId, FieldType, Schema};
use leadc::syntax::ast::CmpOp;
use std::sync::Arc;

fn schema() -> Arc<Schema> {
    let big: Vec<String> = (0..70).map(|i| format!("v{i}")).collect();
    Arc::new(
        Schema::builder()
            .field("age", FieldType::Int)
            .field("country", FieldType::String)
            .field("big", FieldType::Enum(big))
            .field("score", FieldType::Number)
            .behaviour("visit")
            .build()
            .unwrap(),
    )
}

fn test(field: u32, test: Test) -> Condition<FieldTest> {
    Condition::Test(FieldTest { field: FieldId(field), test, span: Span::default() })
}

fn fit(condition: Condition<FieldTest>, points: i64) -> Rule {
    Rule { kind: RuleKind::Fit(condition), points, span: Span::default() }
}

/// A program with one uncapped category holding `rules`, no must-haves.
fn program(rules: Vec<Rule>, tiers: Vec<Tier>) -> Program {
    let card = Scorecard {
        schema: schema(),
        requires: vec![],
        segment: None,
        categories: vec![Category { name: "c".into(), max: None, rules, span: Span::default() }],
        tiers,
        lint_directives: vec![],
    };
    Program::compile(&card)
}

fn fits(p: &Program) -> usize {
    p.code().iter().filter(|op| matches!(op, Op::Fit { .. } | Op::FitWhen { .. })).count()
}

#[test]
fn conditions_that_never_hold_emit_no_code() {
    let never = vec![
        fit(test(0, Test::Int(CmpOp::Lt, i64::MIN)), 5),
        fit(test(0, Test::IntRange { lo: 10, hi: 1, negated: false }), 5),
        fit(Condition::Any(vec![]), 5),
        fit(Condition::Not(Box::new(Condition::All(vec![]))), 5),
        fit(test(1, Test::TextIn { values: vec![], negated: false }), 5),
        fit(Condition::All(vec![test(0, Test::Present), Condition::Any(vec![])]), 5),
    ];
    let p = program(never, vec![]);
    assert_eq!(fits(&p), 0);
    assert_eq!(p.rules().len(), 6, "the rules stay described for explanations");
    let (outcome, why) = p.explain(&Lead::new(p.schema()));
    assert_eq!(outcome.points, 0);
    assert!(why.rules.iter().all(|r| !r.fired));
}

#[test]
fn constant_parts_fold_away() {
    let p = program(
        vec![fit(
            Condition::All(vec![
                Condition::All(vec![]),
                Condition::Not(Box::new(Condition::Not(Box::new(test(0, Test::Present))))),
            ]),
            5,
        )],
        vec![],
    );
    // `true and not not (age is present)` is just the presence test.
    // One fused instruction.
    assert!(matches!(p.code()[0], Op::FitWhen { test: T::Present { field: 0 }, .. }));
    assert!(matches!(p.code()[1], Op::Points { .. }));
}

#[test]
fn tiers_after_one_that_always_holds_are_not_emitted() {
    let tier = |name: &str, when| Tier { name: name.into(), when, span: Span::default() };
    let p = program(vec![], vec![tier("all", Some(Condition::All(vec![]))), tier("never_reached", None)]);
    let tiers: Vec<&Op> = p.code().iter().filter(|op| matches!(op, Op::Tier { .. })).collect();
    assert_eq!(tiers, [&Op::Tier { tier: 0 }]);
    assert_eq!(p.tier_name(1), Some("never_reached"));
    assert_eq!(p.evaluate(&Lead::new(p.schema())).tier, Some(0));
}

#[test]
fn a_missing_field_fails_every_test_but_is_missing() {
    let us = || Test::Text(TextTest::Eq, "US".into());
    let p = program(
        vec![
            fit(test(1, Test::Text(TextTest::Ne, "US".into())), 1),
            fit(Condition::Not(Box::new(test(1, us()))), 2),
            fit(test(1, Test::TextIn { values: vec!["US".into(), "CA".into()], negated: true }), 4),
            fit(test(1, Test::Missing), 8),
            fit(test(0, Test::IntRange { lo: 0, hi: 17, negated: true }), 16),
            fit(test(2, Test::EnumIn { values: vec![3], negated: true }), 32),
        ],
        vec![],
    );
    let mut lead = Lead::new(p.schema());
    assert_eq!(p.evaluate(&lead).categories[0].raw, 2 + 8);
    lead.set(FieldId(1), Value::Text("FR".into()));
    lead.set(FieldId(0), Value::Int(30));
    lead.set(FieldId(2), Value::Enum(4));
    assert_eq!(p.evaluate(&lead).categories[0].raw, 1 + 2 + 4 + 16 + 32);
    // A value of another type than the field's acts as missing for tests.
    lead.set(FieldId(0), Value::Text("30".into()));
    assert_eq!(p.evaluate(&lead).categories[0].raw, 1 + 2 + 4 + 32);
}

#[test]
fn enums_of_more_than_64_values_use_a_bitset() {
    let p = program(vec![fit(test(2, Test::EnumIn { values: vec![1, 65, 69], negated: false }), 3)], vec![]);
    assert!(matches!(p.code()[0], Op::FitWhen { test: T::EnumSet { .. }, .. }));
    let mut lead = Lead::new(p.schema());
    for (value, points) in [(1, 3), (2, 0), (64, 0), (65, 3), (69, 3), (70, 0)] {
        lead.set(FieldId(2), Value::Enum(value));
        assert_eq!(p.evaluate(&lead).points, points, "value {value}");
    }
    let loaded = Program::from_bytes(&p.to_bytes()).unwrap();
    assert_eq!(loaded.evaluate(&lead), p.evaluate(&lead));
}

#[test]
fn arithmetic_saturates() {
    let each = |points, cap| Rule {
        kind: RuleKind::Behaviour(BehaviourRule {
            behaviour: leadc::schema::BehaviourId(0),
            critical: false,
            min_count: 1,
            per_occurrence: true,
            cap,
            clock: Default::default(),
        }),
        points,
        span: Span::default(),
    };
    let p = program(vec![each(i64::MAX / 2, None), each(i64::MAX / 2, None), each(-1, Some(-3))], vec![]);
    let mut lead = Lead::new(p.schema());
    lead.set_count(leadc::schema::BehaviourId(0), u32::MAX);
    let outcome = p.evaluate(&lead);
    assert_eq!(outcome.categories[0].raw, i64::MAX - 3);
    assert_eq!(outcome.points, 100);
    let (_, why) = p.explain(&lead);
    assert_eq!((why.rules[2].uncapped, why.rules[2].points), (-i64::from(u32::MAX), -3));
}

/// `Program::reads`: each must-have and rule reads the fields its compiled
/// condition tests (each once, in order) and its behaviour; parts folded
/// away read nothing; a loaded compiled file answers the same.
#[test]
fn reads_lists_the_inputs_of_every_must_have_and_rule() {
    use leadc::load::{SchemaSource, check_source};
    use leadc::program::Input::{Behaviour, Field};
    let source = r#"
require age >= 18 and country = "US" : 100
require not (score > 2.5 or age is missing) : 100
category c
fit age >= 18 and (country = "US" or age < 5) : 1
fit country starts_with "U" or big = "v3" : 1
behaviour visit : 2 each max 10
"#;
    let mut sources = leadc::diag::Sources::new();
    let mut card = check_source(&mut sources, "t.lead", source, SchemaSource::Given(schema())).unwrap();
    // The checker refuses empty ranges in source; lowering folds them away.
    let never = || test(0, Test::IntRange { lo: 10, hi: 1, negated: false });
    let rules = &mut card.categories[0].rules;
    rules.insert(1, fit(never(), 1));
    rules.insert(2, fit(Condition::Any(vec![test(3, Test::Number(CmpOp::Lt, 1.0)), never()]), 1));
    let p = Program::compile(&card);
    let reads = p.reads();
    let (age, country, big, score) =
        (Field(FieldId(0)), Field(FieldId(1)), Field(FieldId(2)), Field(FieldId(3)));
    assert_eq!(reads.requires, [vec![age, country], vec![score, age]]);
    assert_eq!(
        reads.rules,
        [
            vec![age, country],
            vec![],
            vec![score],
            vec![country, big],
            vec![Behaviour(leadc::schema::BehaviourId(0))],
        ]
    );
    assert_eq!(Program::from_bytes(&p.to_bytes()).unwrap().reads(), reads);
}
