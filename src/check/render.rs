//! Printing checked items back as `.lead` text.
//!
//! In: parts of a [`Scorecard`] and its schema. Out: the canonical `.lead`
//! text of each must-have, segment arm, rule, condition and tier — the rule
//! text of explanations and disassembly when the program's source is not at
//! hand, and the quoted code in lint messages and the budget report.

use crate::check::{
    BehaviourRule, Condition, FieldTest, OutcomeTest, OutcomeValue, Rule, RuleKind, Scorecard, Test, TextTest,
};
use crate::schema::{FieldId, FieldType, Schema};

/// `require <condition> : <points>`
pub fn require(card: &Scorecard, condition: &Condition<FieldTest>, points: i64) -> String {
    format!("require {} : {points}", field_condition(&card.schema, condition))
}

/// `<test> => <digit> ["label"]`, the field's name left out as in source.
pub fn arm(schema: &Schema, field: FieldId, test: &Test, digit: u8, label: Option<&str>) -> String {
    let name = field_name(schema, field);
    let full = test_text(schema, field, test);
    let test = full.strip_prefix(name.as_str()).map_or(full.as_str(), str::trim_start);
    // A range arm is written bare: `50..999 => 2`.
    let test = test.strip_prefix("in ").filter(|t| !t.starts_with('[')).unwrap_or(test);
    match label {
        Some(label) => format!("{test} => {digit} {}", quote(label)),
        None => format!("{test} => {digit}"),
    }
}

/// `category <name> [max <n>]`
pub fn category(name: &str, max: Option<i64>) -> String {
    match max {
        Some(max) => format!("category {name} max {max}"),
        None => format!("category {name}"),
    }
}

/// A `fit` or `behaviour` rule.
pub fn rule(schema: &Schema, rule: &Rule) -> String {
    match &rule.kind {
        RuleKind::Fit(condition) => format!("fit {} : {}", field_condition(schema, condition), rule.points),
        RuleKind::Behaviour(b) => behaviour(schema, b, rule.points),
    }
}

fn behaviour(schema: &Schema, b: &BehaviourRule, points: i64) -> String {
    let star = if b.critical { "*" } else { "" };
    let name = schema.behaviour(b.behaviour).unwrap_or("?");
    let mut text = format!("{star}behaviour {name}");
    if b.min_count != 1 {
        text.push_str(&format!(" >= {}", b.min_count));
    }
    text.push_str(&format!(" : {points}"));
    if b.per_occurrence {
        text.push_str(" each");
        if let Some(cap) = b.cap {
            text.push_str(&format!(" max {cap}"));
        }
    }
    if let Some(w) = b.clock.window {
        text.push_str(&format!(" within {}", crate::time::format_duration(w)));
    }
    match b.clock.decay {
        crate::check::Decay::None => {}
        crate::check::Decay::HalfLife(d) => text.push_str(&format!(" decay half_life {}", duration(d))),
        crate::check::Decay::Linear(d) => text.push_str(&format!(" decay linear {}", duration(d))),
        crate::check::Decay::Expire(d) => text.push_str(&format!(" expire {}", duration(d))),
    }
    text
}

fn duration(seconds: i64) -> String {
    crate::time::format_duration(seconds)
}

/// `tier <name> [when <condition>]`
pub fn tier(card: &Scorecard, name: &str, when: Option<&Condition<OutcomeTest>>) -> String {
    match when {
        Some(c) => format!("tier {name} when {}", tier_condition(card, c)),
        None => format!("tier {name}"),
    }
}

/// A tier condition: `qualified and points >= 60`.
pub fn tier_condition(card: &Scorecard, c: &Condition<OutcomeTest>) -> String {
    condition(c, &|t| outcome_test(card, t))
}

/// A condition on lead fields.
pub fn field_condition(schema: &Schema, c: &Condition<FieldTest>) -> String {
    condition(c, &|t| test_text(schema, t.field, &t.test))
}

/// A condition, its tests printed by `leaf`: an `and` inside an `or` (and the
/// reverse) in parentheses, a `not` of anything but one test as `not (...)`.
/// The formatter prints source conditions through it too.
pub fn condition<T>(c: &Condition<T>, leaf: &dyn Fn(&T) -> String) -> String {
    match c {
        Condition::Test(t) => leaf(t),
        Condition::Not(inner) => match **inner {
            Condition::Test(_) => format!("not {}", condition(inner, leaf)),
            _ => format!("not ({})", condition(inner, leaf)),
        },
        Condition::All(items) if items.is_empty() => "true".to_string(),
        Condition::Any(items) if items.is_empty() => "false".to_string(),
        Condition::All(items) => {
            join(items, " and ", leaf, |c| matches!(c, Condition::Any(v) if v.len() > 1))
        }
        Condition::Any(items) => join(items, " or ", leaf, |c| matches!(c, Condition::All(v) if v.len() > 1)),
    }
}

fn join<T>(
    items: &[Condition<T>],
    sep: &str,
    leaf: &dyn Fn(&T) -> String,
    needs_parens: impl Fn(&Condition<T>) -> bool,
) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|c| if needs_parens(c) { format!("({})", condition(c, leaf)) } else { condition(c, leaf) })
        .collect();
    parts.join(sep)
}

/// One tier test: `points >= 60`, `qualified`.
pub fn outcome_test(card: &Scorecard, t: &OutcomeTest) -> String {
    match t {
        OutcomeTest::Qualified => "qualified".to_string(),
        OutcomeTest::Compare(value, op, k) => format!("{} {} {k}", outcome_value(card, *value), op.as_str()),
    }
}

/// The name a tier condition uses for an outcome value.
pub fn outcome_value(card: &Scorecard, value: OutcomeValue) -> &str {
    match value {
        OutcomeValue::Points => "points",
        OutcomeValue::Score => "score",
        OutcomeValue::RequiresMet => "requires_met",
        OutcomeValue::Segment => "segment",
        OutcomeValue::Category(i) => card.categories.get(i).map_or("?", |c| c.name.as_str()),
    }
}

fn field_name(schema: &Schema, field: FieldId) -> String {
    schema.field(field).map_or_else(|| "?".to_string(), |f| f.name.clone())
}

/// One test of a field, with the field's name.
pub fn test_text(schema: &Schema, field: FieldId, test: &Test) -> String {
    let name = field_name(schema, field);
    let not = |negated: bool| if negated { "not in" } else { "in" };
    match test {
        Test::Present => format!("{name} is present"),
        Test::Missing => format!("{name} is missing"),
        Test::Bool(true) => name,
        Test::Bool(false) => format!("{name} = false"),
        Test::Int(op, k) => format!("{name} {} {k}", op.as_str()),
        Test::Number(op, k) => format!("{name} {} {k}", op.as_str()),
        Test::IntRange { lo, hi, negated } => format!("{name} {} {lo}..{hi}", not(*negated)),
        Test::NumberRange { lo, hi, negated } => format!("{name} {} {lo}..{hi}", not(*negated)),
        Test::Text(kind, text) => format!("{name} {} {}", text_op(*kind), quote(text)),
        Test::TextIn { values, negated } => {
            let list: Vec<String> = values.iter().map(|v| quote(v)).collect();
            format!("{name} {} [{}]", not(*negated), list.join(", "))
        }
        Test::EnumIn { values, negated } => {
            let names = match schema.field(field).map(|f| &f.ty) {
                Some(FieldType::Enum(names)) => names.as_slice(),
                _ => &[],
            };
            let list: Vec<String> =
                values.iter().map(|i| names.get(*i as usize).map_or("?".to_string(), |v| quote(v))).collect();
            match list.as_slice() {
                // `=` and `!=` on an enum were checked into one-value sets.
                [one] => format!("{name} {} {one}", if *negated { "!=" } else { "=" }),
                _ => format!("{name} {} [{}]", not(*negated), list.join(", ")),
            }
        }
    }
}

fn text_op(kind: TextTest) -> &'static str {
    match kind {
        TextTest::Eq => "=",
        TextTest::Ne => "!=",
        TextTest::Contains => "contains",
        TextTest::StartsWith => "starts_with",
        TextTest::EndsWith => "ends_with",
    }
}

/// A string literal as written in a program, with escapes.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
