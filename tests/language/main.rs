//! The language layer: source text and schema in, diagnostics, checked
//! scorecards and lint findings out. Parsing, the front-end driver, the UI
//! snapshots of every diagnostic, long-line rendering, the lints and their
//! budget analysis, property tests that none of it panics, the formatter's
//! properties, and scale.
//!
//! One test binary per layer: each binary links the library and the test
//! dependencies once, so a fresh `cargo test` links five binaries (and the
//! allocation counter), not two dozen.

// Tests may unwrap and panic: a failure is the report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../gen/mod.rs"]
mod generate;

mod format_props;
mod frontend;
mod frontend_props;
mod lint_analysis;
mod lint_props;
mod lints;
mod long_lines;
mod scale;
mod ui;
