//! The `leadc` binary end to end: every subcommand, exit code, format and
//! bad-data path, and `--as-of` on the timed example.

// Tests may unwrap and panic: a failure is the report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod as_of;
mod commands;
mod diff;
mod fmt;
mod ignore_case;
#[cfg(feature = "parquet")]
mod parquet;
mod sql;
mod test;
