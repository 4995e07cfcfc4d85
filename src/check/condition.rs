//! Conditions: `and`, `or`, `not` and the tests they combine.
//!
//! In: an AST [`Expr`]. Out: a [`Condition`] whose leaves are typed tests —
//! [`FieldTest`]s for `require`/`fit`, outcome tests for tiers. Chains of
//! `and` (or of `or`) flatten into one [`Condition::All`] ([`Condition::Any`]).
//! Every operand is checked even when an earlier one is wrong, so all the
//! errors of a condition are reported.

use super::Checker;
use super::error::{CheckError, did_you_mean, list_names};
use super::scorecard::{Condition, FieldTest, Test};
use crate::diag::codes;
use crate::diag::span::Span;
use crate::syntax::ast::{self, Expr, ExprKind};

/// Lowers one leaf test of a condition.
pub(super) type LowerTest<'f, 'a, T> =
    dyn FnMut(&mut Checker<'a>, &ast::Test, Span) -> Option<Condition<T>> + 'f;

impl<'a> Checker<'a> {
    /// Lowers a condition, with `test` lowering each leaf.
    pub(super) fn condition<T>(
        &mut self,
        expr: &Expr,
        test: &mut LowerTest<'_, 'a, T>,
    ) -> Option<Condition<T>> {
        match &expr.kind {
            ExprKind::And(..) => self.operands(expr, true, test).map(Condition::All),
            ExprKind::Or(..) => self.operands(expr, false, test).map(Condition::Any),
            ExprKind::Not(inner) => self.condition(inner, test).map(|c| Condition::Not(Box::new(c))),
            ExprKind::Test(t) => test(self, t, expr.span),
        }
    }

    /// The lowered operands of an `and` chain (`and_chain`) or `or` chain.
    fn operands<T>(
        &mut self,
        expr: &Expr,
        and_chain: bool,
        test: &mut LowerTest<'_, 'a, T>,
    ) -> Option<Vec<Condition<T>>> {
        let mut leaves = Vec::new();
        flatten(expr, and_chain, &mut leaves);
        let lowered: Vec<Option<Condition<T>>> =
            leaves.into_iter().map(|e| self.condition(e, test)).collect();
        lowered.into_iter().collect()
    }

    /// Lowers a condition on the lead's fields (`require`, `fit`).
    pub(super) fn field_condition(&mut self, expr: &Expr) -> Option<Condition<FieldTest>> {
        self.condition(expr, &mut |checker, test, span| checker.field_test(test, span))
    }

    /// Lowers one test of a field: resolves the field, then types the test.
    fn field_test(&mut self, test: &ast::Test, span: Span) -> Option<Condition<FieldTest>> {
        let schema = self.schema;
        let Some(id) = schema.field_id(&test.subject.name) else {
            return self.error(self.unknown_field(&test.subject));
        };
        let field = schema.field(id)?;
        let lowered = self.typed_test(field, &test.op, span)?;
        Some(map_tests(lowered, &mut |t| FieldTest { field: id, test: t, span }))
    }

    /// The error for a name that is not a field of the schema.
    pub(super) fn unknown_field(&self, name: &ast::Ident) -> CheckError {
        let fields = self.schema.fields();
        let help = if self.schema.behaviour_id(&name.name).is_some() {
            Some(format!(
                "`{0}` is a behaviour; count it with a behaviour rule: `behaviour {0} : 5`",
                name.name
            ))
        } else {
            did_you_mean(&name.name, fields.iter().map(|f| f.name.as_str())).or_else(|| {
                Some(format!("the fields are {}", list_names(fields.iter().map(|f| f.name.as_str()), 12)))
            })
        };
        CheckError::new(
            codes::UNKNOWN_FIELD,
            format!("unknown field `{}`", name.name),
            name.span,
            "expected a field of the schema",
        )
        .with_help_opt(help)
    }
}

/// Collects the operands of a chain of `and` (or `or`), however grouped.
fn flatten<'e>(expr: &'e Expr, and_chain: bool, out: &mut Vec<&'e Expr>) {
    match &expr.kind {
        ExprKind::And(a, b) if and_chain => {
            flatten(a, and_chain, out);
            flatten(b, and_chain, out);
        }
        ExprKind::Or(a, b) if !and_chain => {
            flatten(a, and_chain, out);
            flatten(b, and_chain, out);
        }
        _ => out.push(expr),
    }
}

/// Rewrites every leaf test of a condition.
fn map_tests<T, U>(condition: Condition<T>, f: &mut impl FnMut(T) -> U) -> Condition<U> {
    match condition {
        Condition::Test(t) => Condition::Test(f(t)),
        Condition::Not(c) => Condition::Not(Box::new(map_tests(*c, f))),
        Condition::All(cs) => Condition::All(cs.into_iter().map(|c| map_tests(c, f)).collect()),
        Condition::Any(cs) => Condition::Any(cs.into_iter().map(|c| map_tests(c, f)).collect()),
    }
}

/// A lowered field test that is a single [`Test`], if it is one.
pub(super) fn single(condition: Condition<Test>) -> Result<Test, Condition<Test>> {
    match condition {
        Condition::Test(t) => Ok(t),
        other => Err(other),
    }
}
