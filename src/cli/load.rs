//! Loading the program a command works on.
//!
//! In: a path to a `.lead` source or a compiled `.leadc` file (told apart by
//! the compiled format's magic bytes, not the extension), and an optional
//! `--schema`. Out: a checked [`Scorecard`] (source only) and a compiled
//! [`Program`], or the diagnostics printed and the exit code to return.

use super::{Exit, ProgramArgs, report, stdio};
use leadc::check::Scorecard;
use leadc::diag::{Diagnostic, Sources};
use leadc::frontend::{self, SchemaSource};
use leadc::program::Program;
use std::path::Path;

/// A program ready to run, with what it was made from.
pub struct Loaded {
    /// The compiled program.
    pub program: Program,
    /// The checked program, when loaded from source.
    pub scorecard: Option<Scorecard>,
    /// The files diagnostics point into.
    pub sources: Sources,
}

/// Reads, checks and compiles the program, printing diagnostics on failure.
pub fn program(args: &ProgramArgs, color: bool) -> Result<Loaded, Exit> {
    let bytes = std::fs::read(&args.program).map_err(|e| {
        report::error(&format!("cannot read `{}`: {e}", args.program.display()), color);
        Exit::Io
    })?;
    if bytes.starts_with(leadc::compile::format::MAGIC) {
        return compiled(&args.program, &bytes, color);
    }
    let mut sources = Sources::new();
    let scorecard = scorecard(args, &bytes, &mut sources).map_err(|diagnostics| {
        match report::print_diagnostics(&diagnostics, &sources, args.format, color) {
            Ok(()) => Exit::ProgramErrors,
            Err(e) => stdio::stdout_failed(&e, color),
        }
    })?;
    let text = String::from_utf8_lossy(&bytes);
    let program = Program::compile_with_source(&scorecard, &text);
    Ok(Loaded { program, scorecard: Some(scorecard), sources })
}

fn compiled(path: &Path, bytes: &[u8], color: bool) -> Result<Loaded, Exit> {
    match Program::from_bytes(bytes) {
        Ok(program) => Ok(Loaded { program, scorecard: None, sources: Sources::new() }),
        Err(e) => {
            report::error(&format!("`{}` is not a valid compiled program: {e}", path.display()), color);
            let _ = stdio::errln(format_args!(
                "help: compile it again with `leadc compile <program.lead> -o {}`",
                path.display()
            ));
            Err(Exit::ProgramErrors)
        }
    }
}

fn scorecard(args: &ProgramArgs, bytes: &[u8], sources: &mut Sources) -> Result<Scorecard, Vec<Diagnostic>> {
    let Some(schema_path) = &args.schema else {
        return frontend::load_program(&args.program, sources);
    };
    let schema = frontend::load_schema(schema_path, sources)?;
    let name = args.program.display().to_string();
    let text = std::str::from_utf8(bytes).map_err(|e| {
        vec![Diagnostic::error(
            "E0212",
            format!("`{name}` is not valid UTF-8 (invalid byte at offset {})", e.valid_up_to()),
        )]
    })?;
    frontend::check_source(sources, &name, text, SchemaSource::Given(schema))
}
