//! The front end: `.lead` source text to an abstract syntax tree.
//!
//! In: source text. Out: an [`ast::Ast`] whose every node carries its span,
//! or a list of [`ParseError`]s. Nothing here knows about the schema.

pub mod ast;
mod error;
mod hints;
mod parse;
mod scan;

pub use error::ParseError;
pub use parse::{MAX_NESTING, parse};
pub use scan::{comment_start, one_line};
