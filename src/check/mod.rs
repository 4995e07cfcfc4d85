//! The checker: AST + schema to a [`Scorecard`].
//!
//! In: a parsed [`crate::syntax::ast::Ast`] and the [`crate::schema::Schema`]
//! it names. Out: a [`Scorecard`] in which every name is resolved and every
//! literal typed, or every [`CheckError`] found.

pub mod scorecard;

pub use scorecard::*;
