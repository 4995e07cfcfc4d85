//! Intake: lead files as users have them, read without losing a row.
//!
//! In: bytes of a CSV or NDJSON file, whole or as a stream. Out: records
//! with exact input line numbers — CSV [`csv::Record`]s, NDJSON
//! [`lines::Lines`] — and, for a stream, [`chunk::Chunk`]s of whole records
//! that can be read in parallel. The library has no CSV dependency: this is
//! the one CSV reader every command uses, so `score`, `explain` and
//! `review` agree on every record and every line number.

pub mod chunk;
pub mod csv;
pub mod lines;
pub mod plain;
mod split;
