//! `leadc test`: a program's test cases, run, with rule coverage.
//!
//! In: a program and its test file (`saas.tests.toml` beside `saas.lead`
//! unless named). Out: one line per case as `cargo test` prints them; for
//! each failure the expectations that did not hold and the lead's
//! explanation (`leadc explain`'s table); the coverage — what no case
//! reaches; exit 1 when a case fails or coverage is under
//! `--min-coverage`. `--format json` prints one JSON object instead.

use super::{Exit, Format, ProgramArgs, load, report, stdio};
use leadc::Sources;
use leadc::cases::{CaseResult, Coverage, Report, Suite};
use leadc::program::Program;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Arguments of `leadc test`.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    #[command(flatten)]
    program: ProgramArgs,
    /// The test file [default: the program's name with `.tests.toml` for `.lead`].
    tests: Option<PathBuf>,
    /// Fail when the cases reach less than this percentage of the program's
    /// must-haves, rules, segment arms and tiers.
    #[arg(long, value_name = "PERCENT", value_parser = parse_percent)]
    min_coverage: Option<f64>,
}

fn parse_percent(text: &str) -> Result<f64, String> {
    match text.trim().trim_end_matches('%').parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("`{text}` is not a percentage from 0 to 100")),
    }
}

/// The test file of `program`: `x.lead` → `x.tests.toml`.
fn default_tests(program: &Path) -> PathBuf {
    let stem = program.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    program.with_file_name(format!("{stem}.tests.toml"))
}

/// Runs `leadc test`.
pub fn run(args: &TestArgs, color: bool) -> Exit {
    let loaded = match load::program(&args.program, color) {
        Ok(loaded) => loaded,
        Err(exit) => return exit,
    };
    let program = &loaded.program;
    let path = args.tests.clone().unwrap_or_else(|| default_tests(&args.program.program));
    let name = path.display().to_string();
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let d = leadc::load::not_utf8("the test file", &name, e.utf8_error().valid_up_to());
                let _ = report::print_diagnostics(&[d], &Sources::new(), Format::Human, color);
                return Exit::ProgramErrors;
            }
        },
        Err(e) => {
            let hint = if args.tests.is_none() { "; write one (docs/workflow.md) or name it" } else { "" };
            report::error(&format!("cannot read the test file `{name}`: {e}{hint}"), color);
            return Exit::Io;
        }
    };
    let suite = match Suite::parse(&text, program) {
        Ok(suite) => suite,
        Err(errors) => {
            let mut sources = Sources::new();
            let file = sources.add(&name, text.strip_prefix('\u{feff}').unwrap_or(&text));
            let diagnostics: Vec<_> = errors.iter().map(|e| e.to_diagnostic(file)).collect();
            // JSON output is one object, errors or not.
            let printed = match args.program.format {
                Format::Json => {
                    let errors: Vec<serde_json::Value> =
                        diagnostics.iter().map(|d| d.to_json(&sources)).collect();
                    stdio::outln(serde_json::json!({ "file": name, "errors": errors }))
                }
                Format::Human => report::print_diagnostics(&diagnostics, &sources, Format::Human, color),
            };
            return match printed {
                Ok(()) => Exit::ProgramErrors,
                Err(e) => stdio::stdout_failed(&e, color),
            };
        }
    };
    let result = suite.run(program);
    let short = args.min_coverage.filter(|min| result.coverage.percent() < *min);
    let written = match args.program.format {
        Format::Human => stdio::out(human(program, &result, &name, args.min_coverage)),
        Format::Json => stdio::outln(json(program, &result, &name, args.min_coverage)),
    };
    if let Err(e) = written {
        return stdio::stdout_failed(&e, color);
    }
    if result.failed() > 0 || short.is_some() { Exit::ProgramErrors } else { Exit::Ok }
}

fn human(program: &Program, result: &Report, name: &str, min: Option<f64>) -> String {
    let mut s = String::new();
    let n = result.cases.len();
    let _ = writeln!(s, "running {n} case{} from {name}", if n == 1 { "" } else { "s" });
    for case in &result.cases {
        let _ = writeln!(s, "case {} ... {}", case.name, if case.passed() { "ok" } else { "FAILED" });
    }
    let failed: Vec<&CaseResult> = result.cases.iter().filter(|c| !c.passed()).collect();
    if !failed.is_empty() {
        s.push_str("\nfailures:\n");
        for case in &failed {
            failure(&mut s, program, case, name);
        }
    }
    coverage(&mut s, &result.coverage, min);
    let short = min.is_some_and(|min| result.coverage.percent() < min);
    let verdict = if failed.is_empty() && !short { "ok" } else { "FAILED" };
    let under = if short { "; coverage under --min-coverage" } else { "" };
    let _ =
        writeln!(s, "\ntest result: {verdict}. {} passed; {} failed{under}", n - failed.len(), failed.len());
    s
}

fn failure(s: &mut String, program: &Program, case: &CaseResult, name: &str) {
    let _ = writeln!(s, "\n---- {} ({name}:{}) ----", case.name, case.line);
    let width = case.failures.iter().map(|m| m.what.chars().count()).max().unwrap_or(0);
    for m in &case.failures {
        let _ = writeln!(s, "  {:<width$}  expected {}, got {}", m.what, m.expected, m.actual);
    }
    s.push('\n');
    let origin = match case.as_of {
        Some(t) => format!("case `{}`, as of {}", case.name, leadc::time::format_instant(t)),
        None => format!("case `{}`", case.name),
    };
    let table = leadc::explain::render_text(program, &case.lead, &origin, &case.outcome, &case.explanation);
    for line in table.lines() {
        let _ = writeln!(s, "{}", format!("    {line}").trim_end());
    }
}

fn coverage(s: &mut String, coverage: &Coverage, min: Option<f64>) {
    let total = coverage.items.len();
    let _ = writeln!(
        s,
        "\ncoverage: {} of {total} must-haves, rules, segment arms and tiers reached ({:.1}%)",
        coverage.covered(),
        coverage.percent()
    );
    for (kind, what) in
        [("require", "must-haves"), ("rule", "rules"), ("arm", "segment arms"), ("tier", "tiers")]
    {
        let of_kind = coverage.items.iter().filter(|i| i.kind == kind);
        let (all, reached) = of_kind.fold((0, 0), |(a, r), i| (a + 1, r + usize::from(i.covered)));
        if all > 0 {
            let _ = writeln!(s, "  {what:<13} {reached} of {all}");
        }
    }
    let missed: Vec<_> = coverage.items.iter().filter(|i| !i.covered).collect();
    if !missed.is_empty() {
        s.push_str("  not reached:\n");
        let width = missed.iter().map(|i| i.text.chars().count()).max().unwrap_or(0);
        for item in missed {
            let why = match item.kind {
                "require" => "every case meets it",
                "rule" => "no case fires it",
                "arm" => "no case gets its digit",
                _ => "no case lands in it",
            };
            let _ = writeln!(s, "    line {:<4} {:<width$}  {why}", item.line, item.text);
        }
    }
    if let Some(min) = min.filter(|min| coverage.percent() < *min) {
        // Enough digits that the two numbers never print the same.
        let _ = writeln!(s, "  coverage {:.2}% is under --min-coverage {min}%", coverage.percent());
    }
}

fn json(program: &Program, result: &Report, name: &str, min: Option<f64>) -> serde_json::Value {
    let cases: Vec<serde_json::Value> = result
        .cases
        .iter()
        .map(|c| {
            serde_json::json!({
                "name": c.name,
                "line": c.line,
                "passed": c.passed(),
                "failures": c.failures,
                "outcome": {
                    "tier": c.outcome.tier.and_then(|t| program.tier_name(t)),
                    "score": c.outcome.score,
                    "points": c.outcome.points,
                    "qualified": c.outcome.qualified,
                    "segment": c.outcome.segment,
                    "requires_met": c.outcome.requires_met,
                },
            })
        })
        .collect();
    serde_json::json!({
        "file": name,
        "passed": result.cases.len() - result.failed(),
        "failed": result.failed(),
        "cases": cases,
        "coverage": {
            "covered": result.coverage.covered(),
            "total": result.coverage.items.len(),
            "percent": result.coverage.percent(),
            "min": min,
            "enough": min.is_none_or(|min| result.coverage.percent() >= min),
            "items": result.coverage.items,
        },
    })
}
