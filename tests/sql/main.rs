//! `leadc sql` proven on a real engine: the emitted query, run on DuckDB,
//! gives every lead the columns the VM gives it — on generated programs
//! and leads (every construct, missing values, blanks, bad data), on timed
//! programs with random events and instants, and on the bundled examples
//! scored by `leadc score`.
//!
//! DuckDB is the PyPI wheel in a venv under `target/` (`duckdb.rs` makes
//! it on first use); one Python process runs all of a test's queries.

// Tests may unwrap and panic: a failure is the report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../gen/mod.rs"]
mod generate;
/// The saas example's lead generator (`cargo run --example gen_leads`).
#[allow(dead_code)]
#[path = "../../examples/support/saas.rs"]
mod saas_leads;

/// The saas example in mixed case, for `ignore_case`.
#[path = "../common/mixed_case.rs"]
mod mixed_case;

mod bad_data;
mod differential;
mod engines;
mod examples;
mod tables;
mod timed;
