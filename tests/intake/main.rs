//! The intake layer: lead files in, leads or located bad rows out. The
//! CSV/NDJSON reader's property tests and its reference, the corpus of
//! hostile and everyday files through the binary (`findings/` holds the
//! reported failures), and values landing in the right slots.

// Tests may unwrap and panic: a failure is the report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/mod.rs"]
mod common;

mod files;
mod leads;
mod plain_path;
mod reference;
