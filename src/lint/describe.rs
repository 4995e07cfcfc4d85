//! Writes checked rules and conditions back as `.lead` text.
//!
//! In: parts of a [`Scorecard`] (conditions, rules, tier tests) and its
//! schema. Out: short source-like strings (`title = "VP"`,
//! `behaviour email_open : 1 each max 5`) for lint messages and the budget
//! report, which have no access to the source text.

use crate::check::{
    BehaviourRule, Condition, FieldTest, OutcomeTest, OutcomeValue, Rule, RuleKind, Scorecard, Test, TextTest,
};
use crate::schema::{FieldType, Schema};

/// A rule as it would be written: `fit title = "VP" : 12`.
pub(crate) fn rule(scorecard: &Scorecard, rule: &Rule) -> String {
    match &rule.kind {
        RuleKind::Fit(c) => format!("fit {} : {}", condition(&scorecard.schema, c), rule.points),
        RuleKind::Behaviour(b) => behaviour(&scorecard.schema, b, rule.points),
    }
}

fn behaviour(schema: &Schema, b: &BehaviourRule, points: i64) -> String {
    let star = if b.critical { "*" } else { "" };
    let name = schema.behaviour(b.behaviour).unwrap_or("?");
    let threshold = if b.min_count > 1 { format!(" >= {}", b.min_count) } else { String::new() };
    let each = match (b.per_occurrence, b.cap) {
        (false, _) => String::new(),
        (true, None) => " each".to_string(),
        (true, Some(c)) => format!(" each max {c}"),
    };
    format!("{star}behaviour {name}{threshold} : {points}{each}")
}

/// A condition as it would be written, parenthesised where needed.
pub(crate) fn condition(schema: &Schema, c: &Condition<FieldTest>) -> String {
    match c {
        Condition::Test(t) => field_test(schema, t),
        Condition::Not(inner) => format!("not {}", grouped(schema, inner)),
        Condition::All(cs) => join(schema, cs, " and "),
        Condition::Any(cs) => join(schema, cs, " or "),
    }
}

fn join(schema: &Schema, cs: &[Condition<FieldTest>], sep: &str) -> String {
    cs.iter().map(|c| grouped(schema, c)).collect::<Vec<_>>().join(sep)
}

fn grouped(schema: &Schema, c: &Condition<FieldTest>) -> String {
    match c {
        Condition::All(cs) | Condition::Any(cs) if cs.len() > 1 => format!("({})", condition(schema, c)),
        _ => condition(schema, c),
    }
}

/// One test of a field: `age >= 18`.
pub(crate) fn field_test(schema: &Schema, t: &FieldTest) -> String {
    let field = schema.field(t.field);
    let name = field.map_or("?", |f| f.name.as_str());
    let enum_value = |i: u32| match field.map(|f| &f.ty) {
        Some(FieldType::Enum(values)) => values.get(i as usize).map_or("?".to_string(), |v| quote(v)),
        _ => i.to_string(),
    };
    let not = |negated: bool| if negated { "not in" } else { "in" };
    match &t.test {
        Test::Present => format!("{name} is present"),
        Test::Missing => format!("{name} is missing"),
        Test::Bool(true) => name.to_string(),
        Test::Bool(false) => format!("not {name}"),
        Test::Int(op, k) => format!("{name} {} {k}", op.as_str()),
        Test::Number(op, k) => format!("{name} {} {k}", op.as_str()),
        Test::IntRange { lo, hi, negated } => format!("{name} {} {lo}..{hi}", not(*negated)),
        Test::NumberRange { lo, hi, negated } => format!("{name} {} {lo}..{hi}", not(*negated)),
        Test::Text(op, s) => format!("{name} {} {}", text_op(*op), quote(s)),
        Test::TextIn { values, negated } => {
            let list: Vec<String> = values.iter().map(|v| quote(v)).collect();
            format!("{name} {} [{}]", not(*negated), list.join(", "))
        }
        Test::EnumIn { values, negated } if values.len() == 1 => {
            let op = if *negated { "!=" } else { "=" };
            format!("{name} {op} {}", values.iter().map(|&v| enum_value(v)).collect::<String>())
        }
        Test::EnumIn { values, negated } => {
            let list: Vec<String> = values.iter().map(|&v| enum_value(v)).collect();
            format!("{name} {} [{}]", not(*negated), list.join(", "))
        }
    }
}

fn text_op(op: TextTest) -> &'static str {
    match op {
        TextTest::Eq => "=",
        TextTest::Ne => "!=",
        TextTest::Contains => "contains",
        TextTest::StartsWith => "starts_with",
        TextTest::EndsWith => "ends_with",
    }
}

fn quote(s: &str) -> String {
    format!("{s:?}")
}

/// A tier test: `points >= 60`, `qualified`.
pub(crate) fn outcome_test(scorecard: &Scorecard, t: &OutcomeTest) -> String {
    match t {
        OutcomeTest::Qualified => "qualified".to_string(),
        OutcomeTest::Compare(v, op, k) => format!("{} {} {k}", outcome_value(scorecard, *v), op.as_str()),
    }
}

/// The name a tier condition uses for an outcome value.
pub(crate) fn outcome_value(scorecard: &Scorecard, v: OutcomeValue) -> String {
    match v {
        OutcomeValue::Points => "points".to_string(),
        OutcomeValue::Score => "score".to_string(),
        OutcomeValue::RequiresMet => "requires_met".to_string(),
        OutcomeValue::Segment => "segment".to_string(),
        OutcomeValue::Category(i) => scorecard.categories.get(i).map_or("?".to_string(), |c| c.name.clone()),
    }
}

/// A tier condition as written.
pub(crate) fn tier_condition(scorecard: &Scorecard, c: &Condition<OutcomeTest>) -> String {
    let grouped = |c: &Condition<OutcomeTest>| match c {
        Condition::All(cs) | Condition::Any(cs) if cs.len() > 1 => {
            format!("({})", tier_condition(scorecard, c))
        }
        _ => tier_condition(scorecard, c),
    };
    match c {
        Condition::Test(t) => outcome_test(scorecard, t),
        Condition::Not(inner) => format!("not {}", grouped(inner)),
        Condition::All(cs) => cs.iter().map(grouped).collect::<Vec<_>>().join(" and "),
        Condition::Any(cs) => cs.iter().map(grouped).collect::<Vec<_>>().join(" or "),
    }
}
