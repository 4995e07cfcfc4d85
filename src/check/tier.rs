//! Tier conditions: tests of the outcome, not of the lead.
//!
//! In: the condition of a `tier ... when` line and the program's category
//! names. Out: a [`Condition<OutcomeTest>`]. `qualified` is a bool; `points`,
//! `score`, `requires_met`, `segment` and category names are integers, never
//! missing, so `in` lists and ranges become plain comparisons.

use super::Checker;
use super::error::{CheckError, did_you_mean, empty_range, list_names};
use super::field_test::op_name;
use super::scorecard::{Condition, OutcomeTest, OutcomeValue};
use crate::diag::codes;
use crate::diag::span::Span;
use crate::syntax::ast::{self, CmpOp, Expr, Literal, LiteralValue, TestOp};

/// The outcome values a tier condition may name, besides category names.
pub const OUTCOME_NAMES: &[&str] = &["qualified", "points", "score", "requires_met", "segment"];

impl<'a> Checker<'a> {
    /// Lowers a tier's `when` condition.
    pub(super) fn tier_condition(
        &mut self,
        expr: &Expr,
        categories: &[&str],
    ) -> Option<Condition<OutcomeTest>> {
        self.condition(expr, &mut |checker, test, span| checker.outcome_test(test, span, categories))
    }

    fn outcome_test(
        &mut self,
        test: &ast::Test,
        span: Span,
        categories: &[&str],
    ) -> Option<Condition<OutcomeTest>> {
        let name = test.subject.name.as_str();
        let value = match name {
            "qualified" => return self.qualified_test(test, span),
            "points" => OutcomeValue::Points,
            "score" => OutcomeValue::Score,
            "requires_met" => OutcomeValue::RequiresMet,
            "segment" => OutcomeValue::Segment,
            _ => match categories.iter().position(|c| *c == name) {
                Some(i) => OutcomeValue::Category(i),
                None => return self.error(self.unknown_outcome(&test.subject, categories)),
            },
        };
        self.outcome_compare(value, test, span)
    }

    fn qualified_test(&mut self, test: &ast::Test, span: Span) -> Option<Condition<OutcomeTest>> {
        let qualified = Condition::Test(OutcomeTest::Qualified);
        match &test.op {
            TestOp::Truthy => Some(qualified),
            TestOp::Compare(op @ (CmpOp::Eq | CmpOp::Ne), lit) => match lit.value {
                LiteralValue::Bool(b) if b == (*op == CmpOp::Eq) => Some(qualified),
                LiteralValue::Bool(_) => Some(Condition::Not(Box::new(qualified))),
                _ => self.error(
                    outcome_mismatched(&test.subject.name, lit, "`true` or `false`")
                        .with_help("test it bare: `qualified`, or `not qualified`"),
                ),
            },
            op => self.error(outcome_unsupported(&test.subject.name, op, span, true)),
        }
    }

    fn outcome_compare(
        &mut self,
        value: OutcomeValue,
        test: &ast::Test,
        span: Span,
    ) -> Option<Condition<OutcomeTest>> {
        let name = test.subject.name.as_str();
        let compare = |op, v| Condition::Test(OutcomeTest::Compare(value, op, v));
        match &test.op {
            TestOp::Compare(op, lit) => Some(compare(*op, self.outcome_int(name, lit)?)),
            TestOp::InList { negated, values, span: list_span } => {
                let mut ints = self.list(values, *list_span, |c, lit| c.outcome_int(name, lit))?;
                ints.sort_unstable();
                ints.dedup();
                let op = if *negated { CmpOp::Ne } else { CmpOp::Eq };
                let mut tests: Vec<_> = ints.into_iter().map(|v| compare(op, v)).collect();
                Some(match (tests.len(), negated) {
                    (1, _) => tests.remove(0),
                    (_, false) => Condition::Any(tests),
                    (_, true) => Condition::All(tests),
                })
            }
            TestOp::InRange { negated, lo, hi } => {
                let (lo_v, hi_v) = (self.outcome_int(name, lo), self.outcome_int(name, hi));
                let (lo_v, hi_v) = (lo_v?, hi_v?);
                if lo_v > hi_v {
                    return self.error(empty_range(lo, hi));
                }
                Some(if *negated {
                    Condition::Any(vec![compare(CmpOp::Lt, lo_v), compare(CmpOp::Gt, hi_v)])
                } else {
                    Condition::All(vec![compare(CmpOp::Ge, lo_v), compare(CmpOp::Le, hi_v)])
                })
            }
            op => self.error(outcome_unsupported(name, op, span, false)),
        }
    }

    fn outcome_int(&mut self, name: &str, lit: &Literal) -> Option<i64> {
        match lit.value {
            LiteralValue::Int(v) => Some(v),
            _ => self.error(outcome_mismatched(name, lit, "an integer")),
        }
    }

    fn unknown_outcome(&self, name: &ast::Ident, categories: &[&str]) -> CheckError {
        let known = || OUTCOME_NAMES.iter().copied().chain(categories.iter().copied());
        let help = if self.schema.field_id(&name.name).is_some() {
            format!(
                "`{}` is a field of the lead; a tier tests the outcome ({}); score the field with a \
                 `fit` rule and test `points`",
                name.name,
                list_names(known(), 8)
            )
        } else {
            match did_you_mean(&name.name, known()) {
                Some(hint) => hint,
                None => format!("a tier condition can test {}", list_names(known(), 12)),
            }
        };
        CheckError::new(
            codes::UNKNOWN_OUTCOME,
            format!("unknown name `{}` in a tier condition", name.name),
            name.span,
            "expected an outcome value or a category",
        )
        .with_help(help)
    }
}

fn outcome_mismatched(name: &str, lit: &Literal, expected: &str) -> CheckError {
    let kind = if name == "qualified" { "true or false" } else { "a whole number" };
    CheckError::new(
        codes::MISMATCHED_TYPE,
        format!("`{name}` is {kind} and cannot be compared with {}", lit.value.kind_name()),
        lit.span,
        format!("expected {expected}"),
    )
}

fn outcome_unsupported(name: &str, op: &TestOp, span: Span, is_bool: bool) -> CheckError {
    let help = if is_bool {
        "test `qualified` bare, or with `= true` / `= false`".to_string()
    } else {
        format!("compare it with a number: `{name} >= 60`, `{name} in 30..59`")
    };
    let message = match op {
        TestOp::Missing | TestOp::Present => {
            format!("`{name}` is never missing, so `{}` does not apply", op_name(op))
        }
        TestOp::Truthy => format!("`{name}` is a number and cannot be tested bare"),
        _ => format!("`{}` does not apply to `{name}`", op_name(op)),
    };
    let label = if is_bool { "`qualified` is true or false" } else { "expected a comparison with a number" };
    CheckError::new(codes::UNSUPPORTED_TEST, message, span, label).with_help(help)
}
