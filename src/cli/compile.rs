//! `leadc compile`: write a compiled program, optionally show its bytecode.
//!
//! In: a `.lead` program. Out: a `.leadc` file that `score`, `explain` and
//! the library's `Program::from_bytes` load without the source or schema;
//! with `--disasm`, the disassembly on stdout.

use super::{Exit, ProgramArgs, load, report, stdio};
use std::path::PathBuf;

/// Arguments of `leadc compile`.
#[derive(Debug, clap::Args)]
pub struct CompileArgs {
    #[command(flatten)]
    program: ProgramArgs,
    /// Where to write the compiled program [default: the program's path with extension `.leadc`].
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Print the disassembly to stdout.
    #[arg(long)]
    disasm: bool,
    /// Only print the disassembly; write no file.
    #[arg(long, requires = "disasm")]
    no_write: bool,
}

/// Runs `leadc compile`.
pub fn run(args: &CompileArgs, color: bool) -> Exit {
    let loaded = match load::program(&args.program, color) {
        Ok(loaded) => loaded,
        Err(exit) => return exit,
    };
    if args.disasm
        && let Err(e) = stdio::out(loaded.program.disassemble())
    {
        return stdio::stdout_failed(&e, color);
    }
    if args.no_write {
        return Exit::Ok;
    }
    let output = args.output.clone().unwrap_or_else(|| args.program.program.with_extension("leadc"));
    if output == args.program.program {
        report::error(&format!("refusing to overwrite the input `{}`", output.display()), color);
        return Exit::Usage;
    }
    let bytes = loaded.program.to_bytes();
    if let Err(e) = std::fs::write(&output, &bytes) {
        report::error(&format!("cannot write `{}`: {e}", output.display()), color);
        return Exit::Io;
    }
    let _ = stdio::errln(format_args!(
        "compiled `{}` to `{}` ({} bytes)",
        args.program.program.display(),
        output.display(),
        bytes.len()
    ));
    Exit::Ok
}
