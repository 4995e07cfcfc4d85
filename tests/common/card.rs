//! examples/saas as a hand-built Scorecard (until the checker lands).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use leadc::check::*;
use leadc::schema::{BehaviourId, FieldType, Schema};
use leadc::span::Span;
use leadc::syntax::ast::CmpOp;
use std::sync::Arc;

pub fn saas_schema() -> Schema {
    let e = |v: &[&str]| FieldType::Enum(v.iter().map(|s| s.to_string()).collect());
    Schema::builder()
        .field("region", e(&["NA-West", "NA-East", "EMEA", "APAC", "LATAM"]))
        .field("age", FieldType::Int)
        .field("department", e(&["IT", "Finance", "Marketing", "Sales", "HR", "Operations"]))
        .field("employees", FieldType::Int)
        .field("industry", FieldType::String)
        .field("is_b2b", FieldType::Bool)
        .field("country", FieldType::String)
        .field("title", FieldType::String)
        .field("budget", FieldType::Number)
        .field("timeline_days", FieldType::Int)
        .field("email_domain", FieldType::String)
        .behaviour("demo_request")
        .behaviour("free_trial")
        .behaviour("contact_request")
        .behaviour("email_open")
        .behaviour("web_visit")
        .behaviour("pricing_page_view")
        .behaviour("webinar_attended")
        .behaviour("unsubscribe")
        .behaviour("careers_page_view")
        .build()
        .unwrap()
}

fn t(schema: &Schema, field: &str, test: Test) -> Condition<FieldTest> {
    Condition::Test(FieldTest { field: schema.field_id(field).unwrap(), test, span: Span::default() })
}

fn texts(v: &[&str]) -> Test {
    Test::TextIn { values: v.iter().map(|s| s.to_string()).collect(), negated: false }
}

fn fit(c: Condition<FieldTest>, points: i64) -> Rule {
    Rule { kind: RuleKind::Fit(c), points, span: Span::default() }
}

fn beh(
    schema: &Schema,
    name: &str,
    critical: bool,
    min: u32,
    points: i64,
    each: bool,
    cap: Option<i64>,
) -> Rule {
    let behaviour: BehaviourId = schema.behaviour_id(name).unwrap();
    Rule {
        kind: RuleKind::Behaviour(BehaviourRule {
            behaviour,
            critical,
            min_count: min,
            per_occurrence: each,
            cap,
        }),
        points,
        span: Span::default(),
    }
}

fn cat(name: &str, max: Option<i64>, rules: Vec<Rule>) -> Category {
    Category { name: name.into(), max, rules, span: Span::default() }
}

pub fn saas_card() -> Scorecard {
    let s = saas_schema();
    let req = |c, points| Requirement { condition: c, points, span: Span::default() };
    let arm = |test, digit, label: &str| SegmentArm {
        test,
        digit,
        label: Some(label.into()),
        span: Span::default(),
    };
    let cmp = |v, op, k| Condition::Test(OutcomeTest::Compare(v, op, k));
    Scorecard {
        requires: vec![
            req(t(&s, "region", Test::EnumIn { values: vec![0, 1], negated: false }), 100),
            req(t(&s, "age", Test::Int(CmpOp::Ge, 18)), 100),
            req(t(&s, "department", Test::EnumIn { values: vec![0, 1], negated: false }), 100),
        ],
        segment: Some(Segment {
            field: s.field_id("employees").unwrap(),
            arms: vec![
                arm(Test::Int(CmpOp::Lt, 50), 1, "small"),
                arm(Test::IntRange { lo: 50, hi: 999, negated: false }, 2, "medium"),
                arm(Test::Int(CmpOp::Ge, 1000), 3, "large"),
            ],
            span: Span::default(),
        }),
        categories: vec![
            cat(
                "good_fit",
                Some(25),
                vec![
                    fit(t(&s, "industry", texts(&["Software", "Finance", "Healthcare"])), 10),
                    fit(t(&s, "is_b2b", Test::Bool(true)), 8),
                    fit(t(&s, "country", Test::Text(TextTest::Eq, "US".into())), 4),
                    fit(t(&s, "employees", Test::IntRange { lo: 100, hi: 4999, negated: false }), 5),
                ],
            ),
            cat(
                "ideal",
                Some(25),
                vec![
                    fit(t(&s, "title", Test::Text(TextTest::Eq, "C-level".into())), 15),
                    fit(t(&s, "title", Test::Text(TextTest::Eq, "VP".into())), 12),
                    fit(t(&s, "title", texts(&["Director", "Project Manager"])), 10),
                    fit(t(&s, "budget", Test::Number(CmpOp::Ge, 50000.0)), 10),
                    fit(t(&s, "timeline_days", Test::Int(CmpOp::Le, 90)), 8),
                ],
            ),
            cat(
                "critical",
                Some(25),
                vec![
                    beh(&s, "demo_request", true, 1, 20, false, None),
                    beh(&s, "free_trial", true, 1, 20, false, None),
                    beh(&s, "contact_request", true, 1, 10, false, None),
                ],
            ),
            cat(
                "interest",
                Some(25),
                vec![
                    beh(&s, "email_open", false, 1, 1, true, Some(5)),
                    beh(&s, "web_visit", false, 1, 1, true, Some(10)),
                    beh(&s, "pricing_page_view", false, 1, 3, true, Some(9)),
                    beh(&s, "webinar_attended", false, 2, 10, false, None),
                ],
            ),
            cat(
                "penalties",
                None,
                vec![
                    beh(&s, "unsubscribe", false, 1, -20, false, None),
                    beh(&s, "careers_page_view", false, 1, -5, true, Some(-15)),
                    fit(t(&s, "email_domain", texts(&["gmail.com", "yahoo.com"])), -10),
                ],
            ),
        ],
        tiers: vec![
            Tier {
                name: "sales_ready".into(),
                when: Some(Condition::All(vec![
                    Condition::Test(OutcomeTest::Qualified),
                    cmp(OutcomeValue::Points, CmpOp::Ge, 60),
                ])),
                span: Span::default(),
            },
            Tier {
                name: "nurture".into(),
                when: Some(cmp(OutcomeValue::Points, CmpOp::Ge, 30)),
                span: Span::default(),
            },
            Tier { name: "cold".into(), when: None, span: Span::default() },
        ],
        schema: Arc::new(s),
        lint_directives: vec![],
    }
}
