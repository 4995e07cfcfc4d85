//! # leadc — a rule language and compiler for lead scoring
//!
//! The crate is a pipeline, one module per pass:
//! source → [`syntax`] (parse) → [`check`] (against a [`schema`]) → lint →
//! lower to bytecode → verify → evaluate. [`diag`] turns every phase's
//! errors into one rustc-style diagnostic type.

// A library returns what it has to say; it never prints (and `print!`
// panics when the stream cannot be written).
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod cell;
pub mod check;
pub mod clock;
pub mod compile;
pub mod diag;
pub mod frontend;
pub mod input;
pub mod intake;
pub mod lead;
pub mod lint;
pub mod outcome;
mod plan;
pub mod program;
pub mod reference;
pub mod review;
pub mod schema;
pub mod span;
pub mod suggest;
pub mod syntax;
pub mod time;
pub mod verify;
pub mod vm;
