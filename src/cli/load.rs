//! Loading the program a command works on.
//!
//! In: a path to a `.lead` source or a compiled `.leadc` file (compiled when
//! it starts with the format's magic bytes or is named `*.leadc`), and an optional
//! `--schema`. Out: a checked [`Scorecard`] (source only) and a compiled
//! [`Program`], or the diagnostics printed and the exit code to return.

use super::{Exit, ProgramArgs, report, stdio};
use leadc::compile::LoadError;
pub use leadc::load::Loaded;
use leadc::load::{LoadFailure, load_with};
use leadc::{Diagnostic, Sources};
use std::path::Path;

/// Reads, checks and compiles the program, printing diagnostics on failure.
pub fn program(args: &ProgramArgs, color: bool) -> Result<Loaded, Exit> {
    load_with(&args.program, args.schema.as_deref()).map_err(|failure| match failure {
        LoadFailure::Diagnostics { diagnostics, sources } => {
            match report::print_diagnostics(&diagnostics, &sources, args.format, color) {
                Ok(()) => Exit::ProgramErrors,
                Err(e) => stdio::stdout_failed(&e, color),
            }
        }
        LoadFailure::Unreadable { path, error } => {
            report::error(&format!("cannot read `{}`: {error}", path.display()), color);
            Exit::Io
        }
        LoadFailure::Compiled { path, error } => {
            let diagnostic = compiled_failure(&path, &error);
            match report::print_diagnostics(&[diagnostic], &Sources::new(), args.format, color) {
                Ok(()) => Exit::ProgramErrors,
                Err(e) => stdio::stdout_failed(&e, color),
            }
        }
    })
}

/// A compiled file that cannot be loaded, as a diagnostic with the load
/// error's code (`E09xx`): the file is binary, so no span.
fn compiled_failure(path: &Path, error: &LoadError) -> Diagnostic {
    let path = path.display();
    Diagnostic::error(error.code(), format!("`{path}` is not a valid compiled program: {error}"))
        .with_help(format!("compile it again with `leadc compile <program.lead> -o {path}`"))
}

/// A program file's text as the checker reads it: without a byte-order
/// mark, so that the scorecard's spans index it (review, diff, fit and
/// sql quote rules by span).
pub(super) fn source_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.strip_prefix('\u{feff}').unwrap_or(&text).to_string()
}
