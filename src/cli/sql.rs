//! `leadc sql`: a program as one SQL query, for scoring in a warehouse.
//!
//! In: a `.lead` program and the query's options (dialect, tables, as-of).
//! Out: the query on stdout or `-o FILE` (`leadc::sql` writes it).

use super::{Exit, ProgramArgs, load, report, stdio};
use leadc::sql::{AsOf, Dialect, Options};
use std::path::PathBuf;

/// Arguments of `leadc sql`.
#[derive(Debug, clap::Args)]
pub struct SqlArgs {
    #[command(flatten)]
    program: ProgramArgs,
    /// The SQL dialect.
    #[arg(long, value_enum, default_value_t = DialectArg::Duckdb)]
    dialect: DialectArg,
    /// The leads table (one column per field and counted behaviour), as SQL: `leads`, `crm.leads`.
    #[arg(long, value_name = "TABLE", default_value = "leads")]
    leads: String,
    /// The events table (`lead_id`, `behaviour`, `at`), as SQL; read by rules on event behaviours.
    #[arg(long, value_name = "TABLE", default_value = "events")]
    events: String,
    /// The leads table's column that the events table's `lead_id` refers to.
    #[arg(long, value_name = "COLUMN", default_value = "id")]
    id_column: String,
    /// Copy these leads-table columns to the output, first (comma-separated) [default: the id column].
    #[arg(long, value_name = "COLS", value_delimiter = ',')]
    keep: Option<Vec<String>>,
    /// Score timed rules as of this instant (`2026-11-01`, RFC 3339, or `now`) [default: when the query runs].
    #[arg(long, value_name = "INSTANT", value_parser = super::parse_as_of, conflicts_with = "as_of_param")]
    as_of: Option<i64>,
    /// Take the as-of instant from a query parameter `as_of` (a timestamp).
    #[arg(long)]
    as_of_param: bool,
    /// Add the `fired` column: `line:+points` for every rule that fired.
    #[arg(long)]
    explain: bool,
    /// Write `CREATE VIEW NAME AS` before the query.
    #[arg(long, value_name = "NAME")]
    view: Option<String>,
    /// Write the query here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// The dialects, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DialectArg {
    Duckdb,
    Spark,
    Postgres,
    Ansi,
}

impl From<DialectArg> for Dialect {
    fn from(d: DialectArg) -> Dialect {
        match d {
            DialectArg::Duckdb => Dialect::DuckDb,
            DialectArg::Spark => Dialect::Spark,
            DialectArg::Postgres => Dialect::Postgres,
            DialectArg::Ansi => Dialect::Ansi,
        }
    }
}

/// Runs `leadc sql`.
pub fn run(args: &SqlArgs, color: bool) -> Exit {
    let loaded = match load::program(&args.program, color) {
        Ok(loaded) => loaded,
        Err(exit) => return exit,
    };
    let path = &args.program.program;
    let Some(card) = &loaded.scorecard else {
        report::error(
            &format!(
                "`{}` is a compiled program; `leadc sql` writes the query from the program's source: give the `.lead` file it was compiled from",
                path.display()
            ),
            color,
        );
        return Exit::Usage;
    };
    let source = match std::fs::read(path) {
        Ok(bytes) => load::source_text(&bytes),
        Err(e) => {
            report::error(&format!("cannot read `{}`: {e}", path.display()), color);
            return Exit::Io;
        }
    };
    let as_of = match (args.as_of, args.as_of_param) {
        (Some(t), _) => AsOf::At(t),
        (None, true) => AsOf::Parameter,
        (None, false) => AsOf::Now,
    };
    let options = Options {
        dialect: args.dialect.into(),
        leads: args.leads.clone(),
        events: args.events.clone(),
        id_column: args.id_column.clone(),
        keep: args.keep.as_ref().map(|k| k.iter().filter(|k| !k.is_empty()).cloned().collect()),
        as_of,
        explain: args.explain,
        view: args.view.clone(),
        program_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
    };
    let query = leadc::sql::to_sql(card, Some(&source), &options);
    match &args.output {
        Some(output) => match std::fs::write(output, query) {
            Ok(()) => Exit::Ok,
            Err(e) => {
                report::error(&format!("cannot write `{}`: {e}", output.display()), color);
                Exit::Io
            }
        },
        None => match stdio::out(query) {
            Ok(()) => Exit::Ok,
            Err(e) => stdio::stdout_failed(&e, color),
        },
    }
}
