//! The `leadc` command: see `leadc --help` and docs/cli.md.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
