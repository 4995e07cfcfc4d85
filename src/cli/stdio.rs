//! Writing to stdout and stderr without panicking.
//!
//! `print!`, `println!` and `eprintln!` panic when their stream cannot be
//! written (a closed pipe, a full disk). Every command writes through these
//! functions instead, which return the [`io::Result`]. The policy, in
//! docs/cli.md ("Exit codes"):
//!
//! - stdout that cannot be written loses the command's result, so the
//!   command stops with [`Exit::Io`] ([`stdout_failed`]); the error is
//!   printed, except for a closed pipe (`leadc ... | head -1`), whose reader
//!   stopped on purpose.
//! - stderr that cannot be written has nowhere to be reported: callers
//!   ignore the error and the exit code still says how the command went.

use super::{Exit, report};
use std::fmt::Display;
use std::io::{self, Write};

/// Writes `text` to stdout and flushes it.
pub fn out(text: impl Display) -> io::Result<()> {
    let mut out = io::stdout().lock();
    write!(out, "{text}")?;
    out.flush()
}

/// Writes `text` and a newline to stdout and flushes it.
pub fn outln(text: impl Display) -> io::Result<()> {
    out(format_args!("{text}\n"))
}

/// Writes `text` and a newline to stderr (unbuffered).
pub fn errln(text: impl Display) -> io::Result<()> {
    writeln!(io::stderr().lock(), "{text}")
}

/// The exit code for stdout that could not be written: [`Exit::Io`], after
/// saying so on stderr unless stdout is a closed pipe.
pub fn stdout_failed(e: &io::Error, color: bool) -> Exit {
    if e.kind() != io::ErrorKind::BrokenPipe {
        report::error(&format!("cannot write to stdout: {e}"), color);
    }
    Exit::Io
}
