//! # leadc — a rule language and compiler for lead scoring
//!
//! Load a `.lead` program (checked against its lead schema and compiled to
//! verified bytecode), fill [`Lead`]s and score them into [`Outcome`]s:
//!
//! ```
//! let program = leadc::load("examples/saas/saas.lead")?;
//! let schema = program.schema();
//! let mut lead = program.new_lead();
//! lead.set_text(schema, schema.field_id("region").unwrap(), "EMEA")?;
//! lead.set_text(schema, schema.field_id("age").unwrap(), "40")?;
//! lead.set_count(schema.behaviour_id("demo_request").unwrap(), 1);
//!
//! let mut scorer = program.scorer(); // reuse it: no allocation per lead
//! let outcome = scorer.score(&lead);
//! assert!(outcome.score > 0);
//! let tier = outcome.tier.and_then(|t| program.tier_name(t));
//! println!("score {} points {} tier {tier:?}", outcome.score, outcome.points);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`compile()`] does the same from program and schema text;
//! [`Program::explain`] says which must-haves and rules fired and why;
//! [`Program::to_bytes`] / [`Program::from_bytes`] save and load the
//! compiled form. docs/embedding.md walks through it.
//!
//! ## The pipeline
//!
//! One module per pass, each depending only on the ones before it:
//! source → [`syntax`] (parse) → [`check`] (against a [`schema`]) →
//! [`lint`] → [`compile`](mod@compile) (lower to bytecode, verify, save and load) → the
//! plan (the bytecode rearranged for evaluation) → the VM → [`Program`],
//! the facade over them. [`load`](mod@load) drives the front half from
//! files; [`diag`] turns every phase's errors into one rustc-style
//! diagnostic type. Beside the pipeline: [`lead`] (lead values),
//! [`input`] and [`intake`] (CSV and NDJSON into leads), [`review`]
//! (programs against outcome histories), [`format`](mod@format) (the
//! canonical layout `leadc fmt` writes), [`cases`] (test cases for a
//! program, with rule coverage), [`time`].

// A library returns what it has to say; it never prints (and `print!`
// panics when the stream cannot be written).
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

pub mod cases;
pub mod check;
pub mod compile;
pub mod diag;
pub mod explain;
pub mod fit;
pub mod format;
pub mod input;
pub mod intake;
#[cfg(test)]
mod layers;
pub mod lead;
pub mod lint;
pub mod load;
mod plan;
pub mod program;
#[cfg(any(test, feature = "reference"))]
pub mod reference;
pub mod review;
pub mod schema;
#[cfg(feature = "arrow")]
pub mod scored;
pub mod sql;
pub mod syntax;
pub mod time;
mod vm;

pub use vm::outcome;

pub use diag::{Diagnostic, Severity, Sources};
#[cfg(feature = "arrow")]
pub use input::arrow::{ArrowError, ArrowLeads};
pub use lead::{Batch, BatchError, Lead, Value};
pub use load::{LoadFailure, compile, load};
pub use outcome::{CategoryTotal, Explanation, Outcome, Outcomes, RuleTrace, TimeTrace};
pub use program::{Program, Scorer};
pub use schema::Schema;

/// docs/embedding.md, compiled and run by `cargo test --doc` so that the
/// walkthrough cannot drift from the library.
#[cfg(doctest)]
#[doc = include_str!("../docs/embedding.md")]
pub struct EmbeddingWalkthrough;
