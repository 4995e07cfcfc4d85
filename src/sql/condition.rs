//! Conditions as SQL boolean expressions.
//!
//! In: a checked condition on a lead's fields, or a tier's condition on the
//! outcome. Out: a SQL expression over the `inputs` stage's columns (a
//! missing field is `NULL` there) or the outcome's columns.
//!
//! A test of a missing field is false, `!=` and `not in` included
//! (docs/language.md, "Missing values"). SQL's comparisons with `NULL` give
//! `NULL`, which `CASE WHEN`, `AND` and `OR` treat as false, so a test is
//! written as plainly as `"country" <> 'US'`; only under `NOT`, which would
//! turn that `NULL` into `NULL` rather than true, is the operand closed with
//! `COALESCE(..., FALSE)`.

use super::dialect::Dialect;
use crate::check::{Condition, FieldTest, OutcomeTest, OutcomeValue, Scorecard, Test, TextTest};
use crate::schema::{FieldType, Schema};
use crate::syntax::ast::CmpOp;

/// A condition on the lead's fields, each field's column in table `table`;
/// `NULL` only where it is false.
pub(super) fn field_condition(d: Dialect, schema: &Schema, table: &str, c: &Condition<FieldTest>) -> String {
    combine(c, &|t: &FieldTest| field_test(d, schema, table, t), &|inner| {
        format!("NOT COALESCE({inner}, FALSE)")
    })
}

/// A tier's condition on the outcome's columns (never `NULL`), which are
/// named as `leadc score` names them.
pub(super) fn outcome_condition(d: Dialect, card: &Scorecard, c: &Condition<OutcomeTest>) -> String {
    combine(c, &|t: &OutcomeTest| outcome_test(d, card, t), &|inner| format!("NOT {inner}"))
}

fn combine<T>(c: &Condition<T>, test: &dyn Fn(&T) -> String, not: &dyn Fn(String) -> String) -> String {
    let join = |parts: &[Condition<T>], op: &str, empty: &str| {
        let parts: Vec<String> = parts.iter().map(|p| combine(p, test, not)).collect();
        match parts.len() {
            0 => empty.to_string(),
            1 => parts.into_iter().next().unwrap_or_default(),
            _ => format!("({})", parts.join(op)),
        }
    };
    match c {
        Condition::Test(t) => test(t),
        Condition::Not(inner) => not(combine(inner, test, not)),
        Condition::All(parts) => join(parts, " AND ", "TRUE"),
        Condition::Any(parts) => join(parts, " OR ", "FALSE"),
    }
}

/// One test of a field, by its column in `table`.
fn field_test(d: Dialect, schema: &Schema, table: &str, t: &FieldTest) -> String {
    let Some(field) = schema.field(t.field) else { return "FALSE".into() };
    let column = format!("{table}.{}", d.ident(&field.name));
    value_test(d, &column, &field.ty, &t.test)
}

/// `test` of the value in `column` (of type `ty`).
pub(super) fn value_test(d: Dialect, column: &str, ty: &FieldType, test: &Test) -> String {
    match test {
        Test::Missing => format!("{column} IS NULL"),
        Test::Present => format!("{column} IS NOT NULL"),
        Test::Bool(true) => format!("{column} = TRUE"),
        Test::Bool(false) => format!("{column} = FALSE"),
        Test::Int(op, k) => format!("{column} {} {}", sql_op(*op), d.int(*k)),
        Test::Number(op, k) => format!("{column} {} {}", sql_op(*op), d.double(*k)),
        Test::IntRange { lo, hi, negated } => range(column, &d.int(*lo), &d.int(*hi), *negated),
        Test::NumberRange { lo, hi, negated } => range(column, &d.double(*lo), &d.double(*hi), *negated),
        Test::Text(op, text) => text_test(d, column, *op, text),
        Test::TextIn { values, negated } => {
            let values: Vec<String> = values.iter().map(|v| d.string(v)).collect();
            list(column, &values, *negated)
        }
        Test::EnumIn { values, negated } => {
            let names = match ty {
                FieldType::Enum(names) => names.as_slice(),
                _ => &[],
            };
            let values: Vec<String> =
                values.iter().filter_map(|&v| names.get(v as usize)).map(|v| d.string(v)).collect();
            list(column, &values, *negated)
        }
    }
}

fn range(column: &str, lo: &str, hi: &str, negated: bool) -> String {
    let not = if negated { "NOT " } else { "" };
    format!("{column} {not}BETWEEN {lo} AND {hi}")
}

/// `column [NOT] IN (...)`; an empty list (an enum value list that named
/// nothing) holds never, and its negation whenever the value is present.
fn list(column: &str, values: &[String], negated: bool) -> String {
    match (values.is_empty(), negated) {
        (true, false) => "FALSE".into(),
        (true, true) => format!("{column} IS NOT NULL"),
        (false, false) if values.len() == 1 => format!("{column} = {}", values[0]),
        (false, true) if values.len() == 1 => format!("{column} <> {}", values[0]),
        (false, false) => format!("{column} IN ({})", values.join(", ")),
        (false, true) => format!("{column} NOT IN ({})", values.join(", ")),
    }
}

fn text_test(d: Dialect, column: &str, op: TextTest, text: &str) -> String {
    match op {
        TextTest::Eq => format!("{column} = {}", d.string(text)),
        TextTest::Ne => format!("{column} <> {}", d.string(text)),
        // Every text contains, starts and ends with the empty text.
        _ if text.is_empty() => format!("{column} IS NOT NULL"),
        TextTest::Contains => d.like(column, true, text, true),
        TextTest::StartsWith => d.like(column, false, text, true),
        TextTest::EndsWith => d.like(column, true, text, false),
    }
}

fn outcome_test(d: Dialect, card: &Scorecard, t: &OutcomeTest) -> String {
    match t {
        OutcomeTest::Qualified => d.ident("qualified"),
        OutcomeTest::Compare(value, op, k) => {
            let column = match value {
                OutcomeValue::Points => d.ident("points"),
                OutcomeValue::Score => d.ident("score"),
                OutcomeValue::RequiresMet => d.ident("requires_met"),
                OutcomeValue::Segment => d.ident("segment"),
                OutcomeValue::Category(i) => match card.categories.get(*i) {
                    Some(c) => d.ident(&super::category_column(&c.name)),
                    None => "0".into(),
                },
            };
            format!("{column} {} {}", sql_op(*op), d.int(*k))
        }
    }
}

fn sql_op(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "<>",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}
