//! `leadc check` and `leadc lint`.
//!
//! In: a `.lead` program and lint levels from the command line. Out: the
//! program's errors and lint findings (rustc-style or JSON lines), with
//! `--report` the budget report, and exit code 0, or 1 when anything is at
//! error level. `check` and `lint` run the same passes; they differ in
//! intent: `lint --report` is where the budget table lives.

use super::{Exit, Format, LintArgs, ProgramArgs, load, report, stdio};
use leadc::lint::{self, BudgetReport, LintOptions};

/// Runs `leadc check` (`with_report = false`) or `leadc lint`.
pub fn run(args: &ProgramArgs, lints: &LintArgs, with_report: bool, color: bool) -> Exit {
    let loaded = match load::program(args, color) {
        Ok(loaded) => loaded,
        Err(exit) => return exit,
    };
    let Some(scorecard) = &loaded.scorecard else {
        report::error(
            &format!(
                "`{}` is a compiled program; `check` and `lint` need its `.lead` source",
                args.program.display()
            ),
            color,
        );
        return Exit::Usage;
    };
    let options =
        LintOptions { deny: lints.deny.clone(), warn: lints.warn.clone(), allow: lints.allow.clone() };
    let name = args.program.display().to_string();
    let Some(file) = loaded.sources.find(&name) else {
        report::error(&format!("internal: `{name}` was not loaded"), color);
        return Exit::ProgramErrors;
    };
    let diagnostics = lint::lint(scorecard, &options, file);
    if let Err(e) = report::print_diagnostics(&diagnostics, &loaded.sources, args.format, color) {
        return stdio::stdout_failed(&e, color);
    }
    if with_report {
        let budget = BudgetReport::new(scorecard);
        let written = match args.format {
            Format::Human => stdio::out(budget.render_table()),
            Format::Json => stdio::outln(serde_json::json!({ "budget": budget })),
        };
        if let Err(e) = written {
            return stdio::stdout_failed(&e, color);
        }
    }
    if diagnostics.iter().any(|d| d.is_error()) {
        return Exit::ProgramErrors;
    }
    if args.format == Format::Human && diagnostics.is_empty() {
        let rules = scorecard.rules().count();
        let _ = stdio::errln(format_args!(
            "`{name}` is fine: {} must-haves, {rules} rules in {} categories, {} tiers",
            scorecard.requires.len(),
            scorecard.categories.len(),
            scorecard.tiers.len()
        ));
    }
    Exit::Ok
}
