//! The `leadc` command line: a thin shell over the library.
//!
//! In: command-line arguments. Out: diagnostics on stderr, results on stdout
//! (or `-o`), and an exit code from [`Exit`]. One file per subcommand; the
//! scoring pipeline lives in `score/`.

mod check;
mod compile;
mod diff;
mod explain;
mod fit;
mod fmt;
mod load;
mod report;
mod review;
mod score;
mod sql;
mod stdio;
mod test;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes, documented in docs/cli.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked.
    Ok = 0,
    /// The program has errors (or lints at deny level fired).
    ProgramErrors = 1,
    /// The command line was wrong (clap's own code).
    Usage = 2,
    /// Scoring finished, but some input rows had bad data.
    DataErrors = 3,
    /// A file could not be read or written.
    Io = 4,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

const EXAMPLES: &str = "\
Examples:
  leadc check examples/saas/saas.lead
  leadc lint examples/saas/saas.lead --report
  leadc score examples/saas/saas.lead examples/saas/leads.csv --keep id,email -o scored.csv
  leadc explain examples/saas/saas.lead examples/saas/leads.csv --row 3
  leadc compile examples/saas/saas.lead -o saas.leadc --disasm
  leadc review examples/saas/saas.lead examples/saas/history.csv --outcome converted --id id
  leadc sql examples/saas/saas.lead --keep id > score.sql
  leadc fmt --check examples/
  leadc test examples/saas/saas.lead --min-coverage 100";

/// leadc: check, lint, compile and run lead-scoring programs.
#[derive(Debug, Parser)]
#[command(name = "leadc", version, about, after_help = EXAMPLES)]
pub struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// When to colour diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// rustc-style text.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
}

/// Options shared by every command that reads a program.
#[derive(Debug, clap::Args)]
pub struct ProgramArgs {
    /// The program: a `.lead` source file or a compiled `.leadc` file.
    pub program: PathBuf,
    /// A schema file to use instead of the program's `schema "..."` line.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Lint levels set on the command line, by lint name.
#[derive(Debug, Clone, clap::Args, Default)]
pub struct LintArgs {
    /// Make a lint an error (`--deny warnings` makes every warning one).
    #[arg(long, value_name = "LINT")]
    pub deny: Vec<String>,
    /// Make a lint a warning.
    #[arg(long, value_name = "LINT")]
    pub warn: Vec<String>,
    /// Silence a lint.
    #[arg(long, value_name = "LINT")]
    pub allow: Vec<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse and type-check a program against its schema; lints are shown as warnings.
    #[command(after_help = "Example:\n  leadc check examples/saas/saas.lead --format json")]
    Check {
        #[command(flatten)]
        program: ProgramArgs,
        #[command(flatten)]
        lints: LintArgs,
    },
    /// Check a program's point budget for balance; `--report` prints the budget table.
    #[command(after_help = "Example:\n  leadc lint examples/saas/saas.lead --report --deny warnings")]
    Lint {
        #[command(flatten)]
        program: ProgramArgs,
        #[command(flatten)]
        lints: LintArgs,
        /// Print the budget report (a table, or JSON with --format json).
        #[arg(long)]
        report: bool,
    },
    /// Score leads from a CSV or NDJSON file (or stdin) and write CSV or NDJSON.
    #[command(after_help = "\
Examples:
  leadc score examples/saas/saas.lead examples/saas/leads.csv --keep id
  cat leads.ndjson | leadc score saas.leadc --input-format ndjson --output-format ndjson
  leadc score saas.lead big.csv -o scored.csv --errors rejects.csv")]
    Score(score::ScoreArgs),
    /// Show one lead's rule-by-rule breakdown.
    #[command(
        after_help = "Example:\n  leadc explain examples/saas/saas.lead examples/saas/leads.csv --row 3"
    )]
    Explain(explain::ExplainArgs),
    /// Compile a program to a `.leadc` file that `score` and `explain` (and the library) load.
    #[command(after_help = "Example:\n  leadc compile examples/saas/saas.lead -o saas.leadc --disasm")]
    Compile(compile::CompileArgs),
    /// Compare scores with outcomes: a backtest report of a history file (text, JSON or HTML).
    #[command(
        after_help = "Example:\n  leadc review examples/saas/saas.lead examples/saas/history.csv --outcome converted --id id"
    )]
    Review(review::ReviewArgs),
    /// Write the program as one SQL query (DuckDB, Spark, PostgreSQL) that scores a leads table.
    #[command(after_help = "\
Examples:
  leadc sql examples/saas/saas.lead --keep id
  leadc sql examples/timed/timed.lead --dialect spark --leads crm.leads --events crm.events --as-of-param")]
    Sql(sql::SqlArgs),
    /// Rewrite programs in canonical layout; `--check` prints a diff and exits 1 instead.
    #[command(after_help = "\
Examples:
  leadc fmt examples/saas/saas.lead
  leadc fmt --check examples/
  cat draft.lead | leadc fmt -")]
    Fmt(fmt::FmtArgs),
    /// Run a program's test cases (leads with the outcome they must get) and report rule coverage.
    #[command(after_help = "\
Examples:
  leadc test examples/saas/saas.lead
  leadc test examples/saas/saas.lead my-cases.tests.toml --min-coverage 100 --format json")]
    Test(test::TestArgs),
    /// Score one file of leads with an old and a new program: tier moves, score shifts, budgets.
    #[command(after_help = "\
Examples:
  leadc diff saas.lead saas-next.lead examples/saas/leads.csv --id id
  leadc diff saas.lead saas-next.lead examples/saas/history.csv --outcome converted --format json")]
    Diff(diff::DiffArgs),
    /// Learn the rules' points from a history of outcomes, keeping the program as written.
    #[command(after_help = "\
Examples:
  leadc fit examples/saas/saas.lead examples/saas/history.csv --outcome converted
  leadc fit examples/saas/saas.lead examples/saas/history.csv --outcome converted -o saas-fitted.lead")]
    Fit(fit::FitArgs),
}

/// Parses `--as-of`: an RFC 3339 timestamp, a date (midnight UTC) or `now`.
///
/// The instant must fall within years 0000 to 9999 in UTC, so that the
/// "rerun with --as-of ..." hint, written in UTC, is always text this
/// function accepts: an offset can push a valid timestamp past either end
/// (`9999-12-31T23:59:59-23:59`), and that is refused here.
pub fn parse_as_of(text: &str) -> Result<i64, String> {
    use leadc::time::{EARLIEST, LATEST, format_instant};
    if text.trim().eq_ignore_ascii_case("now") {
        return Ok(now());
    }
    let instant = leadc::time::parse_instant(text).map_err(|e| {
        format!("{e}; give a date such as `2026-11-01`, a timestamp such as `2026-11-01T10:00:00Z`, or `now`")
    })?;
    let side = if instant > LATEST {
        format!("after {}", format_instant(LATEST))
    } else if instant < EARLIEST {
        format!("before {}", format_instant(EARLIEST))
    } else {
        return Ok(instant);
    };
    Err(format!("`{}` is {side} in UTC; give an instant from year 0000 to 9999 in UTC", text.trim()))
}

/// The current instant, whole seconds since the Unix epoch (UTC).
pub fn now() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX - 1))
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // `--help` and `--version` go to stdout: when that fails, they
            // were lost (exit 4). A usage error that cannot reach stderr is
            // still a usage error.
            let printed = e.print();
            let code = match (e.use_stderr(), printed) {
                (true, _) => Exit::Usage,
                (false, Ok(())) => Exit::Ok,
                (false, Err(e)) => stdio::stdout_failed(&e, report::use_color(ColorChoice::Auto)),
            };
            return code.into();
        }
    };
    let color = report::use_color(cli.color);
    let exit = match cli.command {
        Command::Check { program, lints } => check::run(&program, &lints, false, color),
        Command::Lint { program, lints, report } => check::run(&program, &lints, report, color),
        Command::Score(args) => score::run(&args, color),
        Command::Explain(args) => explain::run(&args, color),
        Command::Compile(args) => compile::run(&args, color),
        Command::Review(args) => review::run(&args, color),
        Command::Sql(args) => sql::run(&args, color),
        Command::Fmt(args) => fmt::run(&args, color),
        Command::Test(args) => test::run(&args, color),
        Command::Diff(args) => diff::run(&args, color),
        Command::Fit(args) => fit::run(&args, color),
    };
    exit.into()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::parse_as_of;
    use leadc::time::{EARLIEST, LATEST, format_instant};
    use proptest::prelude::*;

    #[test]
    fn as_of_past_year_9999_in_utc_is_refused() {
        let err = parse_as_of("9999-12-31T23:59:59-23:59").unwrap_err();
        assert!(err.contains("is after 9999-12-31T23:59:59Z in UTC"), "{err}");
        let err = parse_as_of("0000-01-01T00:00:00+00:01").unwrap_err();
        assert!(err.contains("is before 0000-01-01T00:00:00Z in UTC"), "{err}");
        assert_eq!(parse_as_of("9999-12-31T23:59:59Z"), Ok(LATEST));
        assert_eq!(parse_as_of("0000-01-01T00:00:00Z"), Ok(EARLIEST));
        assert_eq!(parse_as_of("9999-12-31T23:59:59+23:59"), Ok(LATEST - 23 * 3600 - 59 * 60));
    }

    /// Any timestamp text `--as-of` could be given: every year, any offset.
    fn timestamp() -> impl Strategy<Value = String> {
        (
            prop_oneof![Just(0), Just(9999), 0..=9999i32],
            1..=12u8,
            1..=28u8,
            0..=23u8,
            0..=59u8,
            0..=59u8,
            prop::bool::ANY,
            0..=23u8,
            0..=59u8,
        )
            .prop_map(|(y, mo, d, h, mi, s, east, oh, om)| {
                let sign = if east { '+' } else { '-' };
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{sign}{oh:02}:{om:02}")
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

        /// The "rerun with --as-of ..." hint prints `format_instant` of the
        /// instant used: for every instant `--as-of` accepts, that text is
        /// accepted again and gives the same instant.
        #[test]
        fn the_rerun_hint_round_trips_through_as_of(t in EARLIEST..=LATEST) {
            prop_assert_eq!(parse_as_of(&format_instant(t)), Ok(t));
        }

        #[test]
        fn every_accepted_as_of_prints_back_as_an_accepted_as_of(text in timestamp()) {
            if let Ok(t) = parse_as_of(&text) {
                prop_assert_eq!(parse_as_of(&format_instant(t)), Ok(t));
            } else {
                // Refused only when the offset carried it out of years 0000..=9999.
                let t = leadc::time::parse_instant(&text).unwrap();
                prop_assert!(!(EARLIEST..=LATEST).contains(&t), "{} refused", text);
            }
        }
    }
}
