//! Loading the program a command works on.
//!
//! In: a path to a `.lead` source or a compiled `.leadc` file (told apart by
//! the compiled format's magic bytes, not the extension), and an optional
//! `--schema`. Out: a checked [`Scorecard`] (source only) and a compiled
//! [`Program`], or the diagnostics printed and the exit code to return.

use super::{Exit, ProgramArgs, report, stdio};
pub use leadc::load::Loaded;
use leadc::load::{LoadFailure, load_with};

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
            report::error(&format!("`{}` is not a valid compiled program: {error}", path.display()), color);
            let _ = stdio::errln(format_args!(
                "help: compile it again with `leadc compile <program.lead> -o {}`",
                path.display()
            ));
            Exit::ProgramErrors
        }
    })
}
