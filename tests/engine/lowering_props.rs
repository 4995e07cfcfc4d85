//! The checker's lowering keeps the meaning of conditions.
//!
//! Random conditions over every field type are evaluated on random leads
//! twice: straight from the parsed AST by the rules of docs/language.md
//! (a small interpreter written here), and from the checked
//! `Condition<FieldTest>`. The two must agree — with flattening, `!=` on
//! bools, enum indexes, int literals on number fields, deduplicated lists
//! and `not in` on missing fields all in play.

use leadc::check::{Condition, FieldTest, RuleKind, Test, TextTest, check};
use leadc::schema::{FieldType, Schema};
use leadc::syntax::ast::{CmpOp, Expr, ExprKind, LiteralValue, TestOp, TextOp};
use proptest::prelude::*;
use std::sync::{Arc, LazyLock};

const REGIONS: [&str; 4] = ["NA-West", "NA-East", "EMEA", "APAC"];

static SCHEMA: LazyLock<Arc<Schema>> = LazyLock::new(|| {
    Arc::new(
        Schema::builder()
            .field("age", FieldType::Int)
            .field("budget", FieldType::Number)
            .field("title", FieldType::String)
            .field("is_b2b", FieldType::Bool)
            .field("region", FieldType::Enum(REGIONS.iter().map(|s| s.to_string()).collect()))
            .build()
            .unwrap(),
    )
});

/// A lead's values, by field: `None` is missing.
#[derive(Debug, Clone)]
struct Lead {
    age: Option<i64>,
    budget: Option<f64>,
    title: Option<String>,
    is_b2b: Option<bool>,
    region: Option<usize>,
}

fn lead() -> impl Strategy<Value = Lead> {
    (
        prop::option::of(-3i64..8),
        prop::option::of(prop_oneof![(-3i64..8).prop_map(|n| n as f64), Just(2.5), Just(-0.5)]),
        prop::option::of(prop::sample::select(vec!["", "a", "ab", "ba", "b"]).prop_map(str::to_string)),
        prop::option::of(any::<bool>()),
        prop::option::of(0usize..4),
    )
        .prop_map(|(age, budget, title, is_b2b, region)| Lead { age, budget, title, is_b2b, region })
}

// --- random conditions, as program text ----------------------------------

fn op() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["=", "==", "!=", "<", "<=", ">", ">="])
}

fn int() -> impl Strategy<Value = i64> {
    -3i64..8
}

fn num() -> impl Strategy<Value = String> {
    prop_oneof![int().prop_map(|n| n.to_string()), Just("2.5".to_string()), Just("-0.5".to_string())]
}

fn text() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["", "a", "ab", "b"]).prop_map(|s| format!("{s:?}"))
}

fn list<S: Strategy<Value = String>>(item: S) -> impl Strategy<Value = String> {
    prop::collection::vec(item, 1..4).prop_map(|items| format!("[{}]", items.join(", ")))
}

fn not_() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", "not "])
}

fn leaf() -> impl Strategy<Value = String> {
    let region = prop::sample::select(REGIONS.to_vec()).prop_map(|s| format!("{s:?}"));
    prop_oneof![
        (op(), int()).prop_map(|(o, n)| format!("age {o} {n}")),
        (not_(), list(int().prop_map(|n| n.to_string()))).prop_map(|(n, l)| format!("age {n}in {l}")),
        (not_(), int(), 0i64..4).prop_map(|(n, lo, w)| format!("age {n}in {lo}..{}", lo + w)),
        (op(), num()).prop_map(|(o, n)| format!("budget {o} {n}")),
        (not_(), list(num())).prop_map(|(n, l)| format!("budget {n}in {l}")),
        (not_(), int(), 0i64..4)
            .prop_map(|(n, lo, w)| format!("budget {n}in {lo}..{}", (lo + w) as f64 + 0.5)),
        (prop::sample::select(vec!["=", "!=", "contains", "starts_with", "ends_with"]), text())
            .prop_map(|(o, t)| format!("title {o} {t}")),
        (not_(), list(text())).prop_map(|(n, l)| format!("title {n}in {l}")),
        prop::sample::select(vec![
            "is_b2b",
            "is_b2b = true",
            "is_b2b = false",
            "is_b2b != true",
            "is_b2b != false"
        ])
        .prop_map(str::to_string),
        (prop::sample::select(vec!["=", "!="]), region.clone()).prop_map(|(o, r)| format!("region {o} {r}")),
        (not_(), list(region)).prop_map(|(n, l)| format!("region {n}in {l}")),
        (prop::sample::select(vec!["age", "budget", "title", "is_b2b", "region"]), any::<bool>())
            .prop_map(|(f, m)| format!("{f} is {}", if m { "missing" } else { "present" })),
    ]
}

fn condition() -> impl Strategy<Value = String> {
    leaf().prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| format!("not {c}")),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|cs| format!("({})", cs.join(" and "))),
            prop::collection::vec(inner, 2..4).prop_map(|cs| format!("({})", cs.join(" or "))),
        ]
    })
}

// --- the meaning of the AST, straight from docs/language.md ---------------

fn eval_ast(expr: &Expr, lead: &Lead) -> bool {
    match &expr.kind {
        ExprKind::And(a, b) => eval_ast(a, lead) && eval_ast(b, lead),
        ExprKind::Or(a, b) => eval_ast(a, lead) || eval_ast(b, lead),
        ExprKind::Not(a) => !eval_ast(a, lead),
        ExprKind::Test(test) => {
            let value = match test.subject.name.as_str() {
                "age" => lead.age.map(|v| Val::Num(v as f64)),
                "budget" => lead.budget.map(Val::Num),
                "title" => lead.title.clone().map(Val::Text),
                "is_b2b" => lead.is_b2b.map(Val::Bool),
                _ => lead.region.map(|i| Val::Text(REGIONS[i].to_string())),
            };
            match (&test.op, value) {
                (TestOp::Missing, v) => v.is_none(),
                (TestOp::Present, v) => v.is_some(),
                (_, None) => false,
                (op, Some(v)) => eval_op(op, &v),
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Val {
    Num(f64),
    Text(String),
    Bool(bool),
}

fn lit(value: &LiteralValue) -> Val {
    match value {
        LiteralValue::Int(n) => Val::Num(*n as f64),
        LiteralValue::Number(n) => Val::Num(*n),
        LiteralValue::Str(s) => Val::Text(s.clone()),
        LiteralValue::Bool(b) => Val::Bool(*b),
    }
}

fn compare(op: CmpOp, a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Num(a), Val::Num(b)) => match op {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
        },
        _ => match op {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            _ => panic!("ordering on {a:?}"),
        },
    }
}

fn eval_op(op: &TestOp, v: &Val) -> bool {
    match op {
        TestOp::Truthy => *v == Val::Bool(true),
        TestOp::Compare(op, l) => compare(*op, v, &lit(&l.value)),
        TestOp::InList { negated, values, .. } => values.iter().any(|l| *v == lit(&l.value)) != *negated,
        TestOp::InRange { negated, lo, hi } => {
            (compare(CmpOp::Ge, v, &lit(&lo.value)) && compare(CmpOp::Le, v, &lit(&hi.value))) != *negated
        }
        TestOp::Text(op, l) => {
            let (Val::Text(s), Val::Text(t)) = (v, lit(&l.value)) else { panic!() };
            match op {
                TextOp::Contains => s.contains(&t),
                TextOp::StartsWith => s.starts_with(&t),
                TextOp::EndsWith => s.ends_with(&t),
            }
        }
        TestOp::Missing | TestOp::Present => unreachable!(),
    }
}

// --- the meaning of the checked condition ---------------------------------

fn eval_checked(c: &Condition<FieldTest>, lead: &Lead) -> bool {
    match c {
        Condition::Test(t) => eval_test(t, lead),
        Condition::Not(c) => !eval_checked(c, lead),
        Condition::All(cs) => cs.iter().all(|c| eval_checked(c, lead)),
        Condition::Any(cs) => cs.iter().any(|c| eval_checked(c, lead)),
    }
}

fn eval_test(t: &FieldTest, lead: &Lead) -> bool {
    let present = match t.field.0 {
        0 => lead.age.is_some(),
        1 => lead.budget.is_some(),
        2 => lead.title.is_some(),
        3 => lead.is_b2b.is_some(),
        _ => lead.region.is_some(),
    };
    match &t.test {
        Test::Missing => !present,
        Test::Present => present,
        _ if !present => false,
        Test::Bool(b) => lead.is_b2b == Some(*b),
        Test::Int(op, n) => compare(*op, &Val::Num(lead.age.unwrap() as f64), &Val::Num(*n as f64)),
        Test::Number(op, n) => compare(*op, &Val::Num(lead.budget.unwrap()), &Val::Num(*n)),
        Test::IntRange { lo, hi, negated } => (*lo..=*hi).contains(&lead.age.unwrap()) != *negated,
        Test::NumberRange { lo, hi, negated } => {
            let v = lead.budget.unwrap();
            (*lo <= v && v <= *hi) != *negated
        }
        Test::Text(op, text) => {
            let s = lead.title.as_deref().unwrap();
            match op {
                TextTest::Eq => s == text,
                TextTest::Ne => s != text,
                TextTest::Contains => s.contains(text.as_str()),
                TextTest::StartsWith => s.starts_with(text.as_str()),
                TextTest::EndsWith => s.ends_with(text.as_str()),
            }
        }
        Test::TextIn { values, negated } => {
            values.iter().any(|v| Some(v.as_str()) == lead.title.as_deref()) != *negated
        }
        Test::EnumIn { values, negated } => values.contains(&(lead.region.unwrap() as u32)) != *negated,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn lowering_keeps_the_meaning(condition in condition(), leads in prop::collection::vec(lead(), 8)) {
        let source = format!("category c\nfit {condition} : 1\n");
        let ast = leadc::syntax::parse(&source).unwrap();
        let leadc::syntax::ast::Item::Fit(fit) = &ast.items[1] else { panic!() };
        let card = check(&ast, SCHEMA.clone()).unwrap();
        let RuleKind::Fit(checked) = &card.categories[0].rules[0].kind else { panic!() };
        for lead in &leads {
            prop_assert_eq!(eval_ast(&fit.condition, lead), eval_checked(checked, lead), "lead {:?}\n{:?}", lead, checked);
        }
    }
}
