//! `leadc fmt`: programs rewritten in canonical layout.
//!
//! In: `.lead` files, directories (searched for `*.lead`) or `-` (stdin).
//! Out: each file rewritten in place when its layout changes (`-` writes
//! the formatted text to stdout); with `--check`, nothing written, a
//! unified diff on stdout for each file that would change and exit 1.
//! Files that do not parse are reported rustc-style and left as they are.

use super::{Exit, report, stdio};
use leadc::diag::{Diagnostic, Sources};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Arguments of `leadc fmt`.
#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Programs to format: `.lead` files, directories (every `*.lead` below
    /// them), or `-` for stdin to stdout.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Write nothing; print a diff of each file that is not formatted and
    /// exit 1 if there is one.
    #[arg(long)]
    pub check: bool,
}

/// What became of one file.
enum Outcome {
    Unchanged,
    Changed,
    Failed(Exit),
}

/// Runs `leadc fmt`.
pub fn run(args: &FmtArgs, color: bool) -> Exit {
    if args.files.iter().filter(|p| *p == Path::new("-")).count() > 1 {
        report::error("`-` (stdin) can be given once", color);
        return Exit::Usage;
    }
    let mut files = Vec::new();
    for path in &args.files {
        let before = files.len();
        if let Err(exit) = expand(path, &mut files, color) {
            return exit;
        }
        if files.len() == before {
            // A mistyped folder in CI must not pass as "0 files formatted".
            report::error(&format!("`{}` holds no `.lead` files", path.display()), color);
            return Exit::Usage;
        }
    }
    let (mut changed, mut unchanged, mut failed, mut worst) = (0, 0, 0, Exit::Ok);
    for path in &files {
        match one(path, args.check, color) {
            Outcome::Unchanged => unchanged += 1,
            Outcome::Changed => changed += 1,
            Outcome::Failed(exit) => {
                failed += 1;
                if worst != Exit::Io {
                    worst = exit;
                }
            }
        }
    }
    if !(files.len() == 1 && files[0] == Path::new("-")) {
        let _ = stdio::errln(summary(changed, unchanged, failed, args.check));
    }
    match worst {
        Exit::Ok if args.check && changed > 0 => Exit::ProgramErrors,
        exit => exit,
    }
}

/// `path`, or the `*.lead` files below it when it is a directory, sorted.
fn expand(path: &Path, files: &mut Vec<PathBuf>, color: bool) -> Result<(), Exit> {
    if !path.is_dir() {
        files.push(path.to_path_buf());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| {
        report::error(&format!("cannot read the directory `{}`: {e}", path.display()), color);
        Exit::Io
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for entry in paths {
        if entry.is_dir() {
            expand(&entry, files, color)?;
        } else if entry.extension().is_some_and(|e| e == "lead") {
            files.push(entry);
        }
    }
    Ok(())
}

fn one(path: &Path, check: bool, color: bool) -> Outcome {
    let stdin = path == Path::new("-");
    let name = if stdin { "<stdin>".to_string() } else { path.display().to_string() };
    let bytes = match read(path, stdin) {
        Ok(bytes) => bytes,
        Err(e) => {
            report::error(&format!("cannot read `{name}`: {e}"), color);
            return Outcome::Failed(Exit::Io);
        }
    };
    let mut sources = Sources::new();
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => {
            let d = leadc::load::not_utf8("the program file", &name, e.valid_up_to());
            let _ = report::print_diagnostics(&[d], &sources, super::Format::Human, color);
            return Outcome::Failed(Exit::ProgramErrors);
        }
    };
    let formatted = match leadc::format::format(text) {
        Ok(formatted) => formatted,
        Err(errors) => {
            let file = sources.add(&name, text.strip_prefix('\u{feff}').unwrap_or(text));
            let diagnostics: Vec<Diagnostic> = errors.iter().map(|e| e.to_diagnostic(file)).collect();
            let _ = report::print_diagnostics(&diagnostics, &sources, super::Format::Human, color);
            return Outcome::Failed(Exit::ProgramErrors);
        }
    };
    if stdin && !check {
        return match stdio::out(&formatted) {
            Ok(()) if formatted == text => Outcome::Unchanged,
            Ok(()) => Outcome::Changed,
            Err(e) => Outcome::Failed(stdio::stdout_failed(&e, color)),
        };
    }
    if formatted == text {
        return Outcome::Unchanged;
    }
    if check {
        return match stdio::out(diff(&name, text, &formatted)) {
            Ok(()) => Outcome::Changed,
            Err(e) => Outcome::Failed(stdio::stdout_failed(&e, color)),
        };
    }
    match std::fs::write(path, &formatted) {
        Ok(()) => Outcome::Changed,
        Err(e) => {
            report::error(&format!("cannot write `{name}`: {e}"), color);
            Outcome::Failed(Exit::Io)
        }
    }
}

fn read(path: &Path, stdin: bool) -> std::io::Result<Vec<u8>> {
    if stdin {
        let mut bytes = Vec::new();
        std::io::stdin().lock().read_to_end(&mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(path)
    }
}

/// A unified diff from `old` to `new`, lines compared without their line
/// ends (so that a CRLF file's diff reads like any other).
fn diff(name: &str, old: &str, new: &str) -> String {
    let old = old.replace("\r\n", "\n").replace('\r', "\n");
    let new = new.replace("\r\n", "\n").replace('\r', "\n");
    if old == new {
        return format!("{name}: only its line ends would change (to those of its first line)\n");
    }
    let diff = similar::TextDiff::from_lines(&old, &new);
    let mut text =
        diff.unified_diff().context_radius(2).header(name, &format!("{name} (formatted)")).to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

fn summary(changed: usize, unchanged: usize, failed: usize, check: bool) -> String {
    let files = |n: usize| format!("{n} file{}", if n == 1 { "" } else { "s" });
    let verb = if check { "would be reformatted" } else { "reformatted" };
    let mut parts = Vec::new();
    if changed > 0 {
        parts.push(format!("{} {verb}", files(changed)));
    }
    if unchanged > 0 || changed + failed == 0 {
        parts.push(format!("{} already formatted", files(unchanged)));
    }
    if failed > 0 {
        parts.push(format!("{} could not be formatted", files(failed)));
    }
    parts.join(", ")
}
