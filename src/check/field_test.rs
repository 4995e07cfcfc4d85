//! Typing one test of a lead field.
//!
//! In: a schema [`Field`] and an AST [`TestOp`] on it. Out: the test as a
//! [`Condition<Test>`] — one [`Test`] except for `in [...]` on an int or
//! number field, which becomes `Any` of `=` tests (`All` of `!=` tests when
//! negated, so that it stays false on a missing field) — or errors for an
//! operator the type does not support or a literal of the wrong type.

use super::Checker;
use super::error::{CheckError, did_you_mean, empty_range, list_names, literal_text};
use super::scorecard::{Condition, Test, TextTest};
use crate::diag::codes;
use crate::diag::span::Span;
use crate::schema::{Field, FieldType};
use crate::syntax::ast::{CmpOp, Literal, LiteralValue, TestOp, TextOp};
use std::collections::HashSet;
use std::hash::Hash;

impl Checker<'_> {
    /// Types `op` against `field`; `span` is the whole test.
    pub(super) fn typed_test(&mut self, field: &Field, op: &TestOp, span: Span) -> Option<Condition<Test>> {
        match op {
            TestOp::Missing => return Some(Condition::Test(Test::Missing)),
            TestOp::Present => return Some(Condition::Test(Test::Present)),
            _ => {}
        }
        match &field.ty {
            FieldType::String => self.string_test(field, op, span).map(Condition::Test),
            FieldType::Int | FieldType::Number => self.numeric_test(field, op, span),
            FieldType::Bool => self.bool_test(field, op, span).map(Condition::Test),
            FieldType::Enum(values) => self.enum_test(field, values, op, span).map(Condition::Test),
        }
    }

    fn string_test(&mut self, field: &Field, op: &TestOp, span: Span) -> Option<Test> {
        match op {
            TestOp::Compare(op @ (CmpOp::Eq | CmpOp::Ne), lit) => {
                let text = self.string_literal(field, lit)?;
                Some(Test::Text(if *op == CmpOp::Eq { TextTest::Eq } else { TextTest::Ne }, text))
            }
            TestOp::Text(op, lit) => {
                let text = self.string_literal(field, lit)?;
                let op = match op {
                    TextOp::Contains => TextTest::Contains,
                    TextOp::StartsWith => TextTest::StartsWith,
                    TextOp::EndsWith => TextTest::EndsWith,
                };
                Some(Test::Text(op, text))
            }
            TestOp::InList { negated, values, span: list_span } => {
                let texts = self.list(values, *list_span, |c, lit| c.string_literal(field, lit))?;
                Some(Test::TextIn { values: dedup_by(texts, String::clone), negated: *negated })
            }
            _ => self.error(self.unsupported(field, op, span)),
        }
    }

    /// A string literal's text; lowercased when the field ignores case,
    /// as the field's values are.
    fn string_literal(&mut self, field: &Field, lit: &Literal) -> Option<String> {
        match &lit.value {
            LiteralValue::Str(s) if field.ignore_case => Some(crate::schema::fold_case(s).into_owned()),
            LiteralValue::Str(s) => Some(s.clone()),
            other => {
                let quoted = match other {
                    LiteralValue::Int(v) => format!("\"{v}\""),
                    LiteralValue::Number(v) => format!("\"{v}\""),
                    LiteralValue::Bool(v) => format!("\"{v}\""),
                    LiteralValue::Str(s) => format!("{s:?}"),
                };
                let help = format!("text is written in double quotes: {quoted}");
                self.error(self.mismatched(field, lit, "a string").with_help(help))
            }
        }
    }

    fn numeric_test(&mut self, field: &Field, op: &TestOp, span: Span) -> Option<Condition<Test>> {
        match op {
            TestOp::Compare(op, lit) => Some(Condition::Test(self.numeric_compare(field, *op, lit)?)),
            TestOp::InRange { negated, lo, hi } => {
                self.numeric_range(field, *negated, lo, hi).map(Condition::Test)
            }
            TestOp::InList { negated, values, span: list_span } => {
                let (op, negated) = if *negated { (CmpOp::Ne, true) } else { (CmpOp::Eq, false) };
                let tests = self.list(values, *list_span, |c, lit| c.numeric_compare(field, op, lit))?;
                let mut tests: Vec<Condition<Test>> =
                    dedup_by(tests, numeric_key).into_iter().map(Condition::Test).collect();
                Some(match (tests.len(), negated) {
                    (1, _) => tests.remove(0),
                    (_, false) => Condition::Any(tests),
                    (_, true) => Condition::All(tests),
                })
            }
            _ => self.error(self.unsupported(field, op, span)),
        }
    }

    fn numeric_compare(&mut self, field: &Field, op: CmpOp, lit: &Literal) -> Option<Test> {
        match (&field.ty, &lit.value) {
            (FieldType::Int, LiteralValue::Int(v)) => Some(Test::Int(op, *v)),
            (FieldType::Number, LiteralValue::Int(v)) => Some(Test::Number(op, *v as f64)),
            (FieldType::Number, LiteralValue::Number(v)) => Some(Test::Number(op, *v)),
            (ty, value) => {
                let expected = if *ty == FieldType::Int { "an integer" } else { "a number" };
                let help = match value {
                    LiteralValue::Number(_) => Some(format!(
                        "`{}` holds whole numbers; compare it with an integer, or declare it \
                         `number` in the schema",
                        field.name
                    )),
                    LiteralValue::Str(s) if s.trim().parse::<f64>().is_ok() => {
                        Some(format!("numbers are written without quotes: {}", s.trim()))
                    }
                    _ => None,
                };
                self.error(self.mismatched(field, lit, expected).with_help_opt(help))
            }
        }
    }

    fn numeric_range(&mut self, field: &Field, negated: bool, lo: &Literal, hi: &Literal) -> Option<Test> {
        let lo_test = self.numeric_compare(field, CmpOp::Ge, lo);
        let hi_test = self.numeric_compare(field, CmpOp::Le, hi);
        let (lo_test, hi_test) = (lo_test?, hi_test?);
        let test = match (lo_test, hi_test) {
            (Test::Int(_, lo), Test::Int(_, hi)) if lo <= hi => Test::IntRange { lo, hi, negated },
            (Test::Number(_, lo), Test::Number(_, hi)) if lo <= hi => Test::NumberRange { lo, hi, negated },
            _ => return self.error(empty_range(lo, hi)),
        };
        Some(test)
    }

    fn bool_test(&mut self, field: &Field, op: &TestOp, span: Span) -> Option<Test> {
        match op {
            TestOp::Truthy => Some(Test::Bool(true)),
            TestOp::Compare(op @ (CmpOp::Eq | CmpOp::Ne), lit) => match lit.value {
                LiteralValue::Bool(b) => Some(Test::Bool(b == (*op == CmpOp::Eq))),
                _ => self.error(
                    self.mismatched(field, lit, "`true` or `false`")
                        .with_help(format!("test a bool field bare: `{0}`, or `{0} = false`", field.name)),
                ),
            },
            _ => self.error(self.unsupported(field, op, span)),
        }
    }

    fn enum_test(&mut self, field: &Field, values: &[String], op: &TestOp, span: Span) -> Option<Test> {
        match op {
            TestOp::Compare(op @ (CmpOp::Eq | CmpOp::Ne), lit) => {
                let index = self.enum_value(field, values, lit)?;
                Some(Test::EnumIn { values: vec![index], negated: *op == CmpOp::Ne })
            }
            TestOp::InList { negated, values: list, span: list_span } => {
                let mut indexes = self.list(list, *list_span, |c, lit| c.enum_value(field, values, lit))?;
                indexes.sort_unstable();
                indexes.dedup();
                Some(Test::EnumIn { values: indexes, negated: *negated })
            }
            _ => self.error(self.unsupported(field, op, span)),
        }
    }

    /// The index of a string literal among an enum field's values.
    fn enum_value(&mut self, field: &Field, values: &[String], lit: &Literal) -> Option<u32> {
        let all = || list_names(values.iter().map(String::as_str), 12);
        let LiteralValue::Str(text) = &lit.value else {
            let help = format!("the values of `{}` are {}", field.name, all());
            return self.error(self.mismatched(field, lit, "one of its values, in quotes").with_help(help));
        };
        if let Some(i) = values.iter().position(|v| v == text) {
            return u32::try_from(i).ok();
        }
        let help = match did_you_mean(text, values.iter().map(String::as_str)) {
            Some(hint) => format!("{hint} the values of `{}` are {}", field.name, all()),
            None => format!("the values of `{}` are {}", field.name, all()),
        };
        self.error(
            CheckError::new(
                codes::UNKNOWN_ENUM_VALUE,
                format!("`{text}` is not a value of the enum field `{}`", field.name),
                lit.span,
                format!("expected one of the values of `{}`", field.name),
            )
            .with_help(help),
        )
    }

    /// Lowers every member of a non-empty `[...]` list with `member`,
    /// reporting the errors of all of them.
    pub(super) fn list<T>(
        &mut self,
        values: &[Literal],
        span: Span,
        mut member: impl FnMut(&mut Self, &Literal) -> Option<T>,
    ) -> Option<Vec<T>> {
        if values.is_empty() {
            return self.error(
                CheckError::new(codes::EMPTY_LIST, "the list is empty", span, "expected at least one value")
                    .with_help("`in []` never holds; list the values, or remove the test"),
            );
        }
        let lowered: Vec<Option<T>> = values.iter().map(|lit| member(self, lit)).collect();
        lowered.into_iter().collect()
    }

    /// An operator that `field`'s type does not support.
    fn unsupported(&self, field: &Field, op: &TestOp, span: Span) -> CheckError {
        let (message, label) = match op {
            TestOp::Truthy => (
                format!(
                    "`{}` is {} field, not a bool, and cannot be tested bare",
                    field.name,
                    article(&field.ty)
                ),
                "expected a bool field".to_string(),
            ),
            _ => (
                format!("`{}` does not apply to `{}`, {} field", op_name(op), field.name, article(&field.ty)),
                format!("not supported on {} field", article(&field.ty)),
            ),
        };
        CheckError::new(codes::UNSUPPORTED_TEST, message, span, label).with_help(supported(field))
    }

    /// A literal of the wrong type for `field`.
    fn mismatched(&self, field: &Field, lit: &Literal, expected: &str) -> CheckError {
        CheckError::new(
            codes::MISMATCHED_TYPE,
            format!(
                "`{}` is {} field and cannot be compared with {}",
                field.name,
                article(&field.ty),
                lit.value.kind_name()
            ),
            lit.span,
            format!("expected {expected}"),
        )
    }
}

/// "a string", "an int", "an enum" ...
fn article(ty: &FieldType) -> String {
    match ty {
        FieldType::Int | FieldType::Enum(_) => format!("an {ty}"),
        _ => format!("a {ty}"),
    }
}

/// The operator of a test as written, for messages.
pub(super) fn op_name(op: &TestOp) -> String {
    match op {
        TestOp::Truthy => "a bare test".into(),
        TestOp::Compare(op, _) => op.as_str().into(),
        TestOp::InList { negated: false, .. } => "in [...]".into(),
        TestOp::InList { negated: true, .. } => "not in [...]".into(),
        TestOp::InRange { negated, lo, hi } => {
            let not = if *negated { "not " } else { "" };
            format!("{not}in {}..{}", literal_text(lo), literal_text(hi))
        }
        TestOp::Text(op, _) => op.as_str().into(),
        TestOp::Missing => "is missing".into(),
        TestOp::Present => "is present".into(),
    }
}

/// What a field's type supports, as a help line.
fn supported(field: &Field) -> String {
    let name = &field.name;
    match &field.ty {
        FieldType::String => format!(
            "a string field takes `=`, `!=`, `in [...]`, `contains`, `starts_with`, `ends_with` \
             and `is missing`: `{name} = \"...\"`"
        ),
        FieldType::Int | FieldType::Number => format!(
            "a numeric field takes `=`, `!=`, `<`, `<=`, `>`, `>=`, `in [...]`, a range and \
             `is missing`: `{name} >= 10`, `{name} in 10..99`"
        ),
        FieldType::Bool => format!("test a bool field bare: `{name}`, `not {name}`, or `{name} = false`"),
        FieldType::Enum(_) => format!(
            "an enum field takes `=`, `!=`, `in [...]` and `not in [...]` with its values, \
             and `is missing`: `{name} in [\"...\"]`"
        ),
    }
}

/// The items in first-seen order, without repeats (by `key`).
fn dedup_by<T, K: Hash + Eq>(items: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    let mut seen = HashSet::with_capacity(items.len());
    items.into_iter().filter(|item| seen.insert(key(item))).collect()
}

/// A hashable key for a numeric `=`/`!=` test (`-0.0` and `0.0` alike).
fn numeric_key(test: &Test) -> (bool, u64) {
    match test {
        Test::Int(_, v) => (false, *v as u64),
        Test::Number(_, v) => (true, (*v + 0.0).to_bits()),
        _ => (false, 0),
    }
}
