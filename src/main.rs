//! The `leadc` command: see `leadc --help` and docs/cli.md.

// `print!` and friends panic when the stream cannot be written: everything
// goes through `cli::stdio`, which returns the error.
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
