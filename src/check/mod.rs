//! The checker: AST + schema to a [`Scorecard`].
//!
//! In: a parsed [`crate::syntax::ast::Ast`] and the [`crate::schema::Schema`]
//! it names. Out: a [`Scorecard`] in which every name is resolved and every
//! literal typed, or every [`CheckError`] found (not just the first), sorted
//! by position.
//!
//! The work is split by concern: `items` walks the program's items
//! (categories, rules, tiers, ...), `condition` lowers `and`/`or`/`not`,
//! `field_test` types one test of a lead field, `tier` one test of an
//! outcome value, `numbers` checks point values, `time_clause` time clauses, and `error` holds the
//! error type (its codes are in [`crate::diag::codes`]).

pub(crate) mod compare;
mod condition;
mod error;
mod field_test;
mod items;
mod numbers;
pub mod render;
pub mod scorecard;
mod tier;
pub(crate) use tier::OUTCOME_NAMES;
mod time_clause;

pub use error::CheckError;
pub use scorecard::*;

use crate::schema::Schema;
use crate::syntax::ast::Ast;
use std::sync::Arc;

/// The most points a rule, must-have, category `max` or cap may be worth,
/// either way; with it no sum of a program's points can overflow.
pub const MAX_POINTS: i64 = 1_000_000;

/// Checks a parsed program against a schema.
///
/// ```
/// use leadc::schema::{FieldType, Schema};
/// use std::sync::Arc;
/// let schema = Arc::new(Schema::builder().field("age", FieldType::Int).build().unwrap());
/// let ast = leadc::syntax::parse("category fit max 50\nfit age >= 18 : 10\n").unwrap();
/// let card = leadc::check::check(&ast, schema.clone()).unwrap();
/// assert_eq!(card.categories[0].rules.len(), 1);
///
/// let ast = leadc::syntax::parse("category fit max 50\nfit agee >= 18 : 10\n").unwrap();
/// let errors = leadc::check::check(&ast, schema).unwrap_err();
/// assert_eq!(errors[0].code, "E0301");
/// ```
pub fn check(ast: &Ast, schema: Arc<Schema>) -> Result<Scorecard, Vec<CheckError>> {
    let mut checker = Checker { schema: &schema, errors: Vec::new() };
    let parts = checker.program(ast);
    let mut errors = checker.errors;
    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.span.start, e.code));
        return Err(errors);
    }
    Ok(Scorecard {
        schema,
        requires: parts.requires,
        segment: parts.segment,
        categories: parts.categories,
        tiers: parts.tiers,
        lint_directives: parts.lint_directives,
    })
}

/// The state of one check: the schema and the errors found so far.
struct Checker<'a> {
    schema: &'a Schema,
    errors: Vec<CheckError>,
}

impl Checker<'_> {
    /// Records an error; returns `None` so callers can `return self.error(..)`.
    fn error<T>(&mut self, error: CheckError) -> Option<T> {
        self.errors.push(error);
        None
    }
}

#[cfg(test)]
mod tests;
