//! The review: its statistics against direct computations, the bundled
//! example history end to end, and `leadc review` through the binary.

// Tests may unwrap and panic: a failure is the report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod command;
mod fit;
mod history;
mod statistics;
