//! Printing diagnostics and messages to stderr.
//!
//! In: library [`Diagnostic`]s and the [`Sources`] they point into. Out:
//! rustc-style text (coloured on a terminal) or one JSON object per line, and
//! a closing count line for humans.

use super::{ColorChoice, Format, stdio};
use leadc::diag::{Diagnostic, Severity, Sources};
use std::io::{IsTerminal, Write};

/// Whether to colour stderr.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal(),
    }
}

/// Prints diagnostics: rustc-style to stderr, or JSON lines to stdout.
///
/// Fails only when stdout cannot be written (JSON); text that cannot reach
/// stderr is dropped (see `stdio`).
pub fn print_diagnostics(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    format: Format,
    color: bool,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for d in diagnostics {
                writeln!(out, "{}", d.to_json(sources))?;
            }
            out.flush()
        }
        Format::Human => {
            let mut err = std::io::stderr().lock();
            for d in diagnostics {
                let _ = write!(err, "{}", d.render(sources, color));
            }
            let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
            let warnings = diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
            if errors + warnings > 0 {
                let _ = writeln!(err, "{}", summary(errors, warnings));
            }
            Ok(())
        }
    }
}

fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, w) => format!("{} emitted", plural(w, "warning")),
        (e, 0) => format!("{} emitted", plural(e, "error")),
        (e, w) => format!("{} and {} emitted", plural(e, "error"), plural(w, "warning")),
    }
}

/// Prints one `error: ...` line for a problem that has no source location
/// (dropped when stderr cannot be written: the exit code still tells).
pub fn error(message: &str, color: bool) {
    let _ = if color {
        stdio::errln(format_args!("\x1b[1;31merror\x1b[0m\x1b[1m: {message}\x1b[0m"))
    } else {
        stdio::errln(format_args!("error: {message}"))
    };
}
