//! `leadc diff`: what changing a program does, before it ships.
//!
//! In: an old and a new `.lead` program and one file of leads (CSV or
//! NDJSON; a history with `--outcome`). Out: the leads scored by both and
//! compared (`leadc::review::Diff`: the tier transition matrix, the first
//! leads that change tier with the rules that moved them, quantiles of
//! points and rank, category means, and with outcomes each program's AUC),
//! then the two budget reports as a line diff; or all of it as one JSON
//! object. Exit 3 when some rows had bad data for either program.

use super::review::{Failure, ReviewFormat, Rows, io_failure, read_rows};
use super::score::DataFormat;
use super::score::columns::{Columns, parse_map};
use super::{Exit, Format, ProgramArgs, load, stdio};
use leadc::lint::BudgetReport;
use leadc::review::{Diff, History, Model, Outcomes};
use std::path::{Path, PathBuf};

/// Arguments of `leadc diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The program as it is: a `.lead` source file.
    pub old: PathBuf,
    /// The program as it would be.
    pub new: PathBuf,
    /// The leads to score with both: a CSV or NDJSON file.
    pub leads: PathBuf,
    /// The column (or JSON key) naming each lead in the list of moves [default: the line number].
    #[arg(long, value_name = "COLUMN")]
    pub id: Option<String>,
    /// A column saying whether each lead converted (as `leadc review
    /// --outcome`): adds each program's AUC and top-decile conversion.
    #[arg(long, value_name = "COLUMN")]
    pub outcome: Option<String>,
    /// How many leads that change tier to list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub show: usize,
    /// Read a column as a field or behaviour, for both programs (as `score --map`).
    #[arg(long, value_name = "COLUMN=NAME", value_parser = parse_map)]
    pub map: Vec<(String, String)>,
    /// The leads' format [default: from the extension, else csv].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<DataFormat>,
    /// How to write the comparison: text, one JSON object, or one HTML page with charts.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Human)]
    pub format: ReviewFormat,
    /// Where to write it [default: stdout].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// One side of the comparison.
struct Side {
    model: Model,
    history: History,
    budget: String,
}

/// Runs `leadc diff`.
pub fn run(args: &DiffArgs, color: bool) -> Exit {
    super::review::finish(diff(args, color), color)
}

fn diff(args: &DiffArgs, color: bool) -> Result<Exit, Failure> {
    let old = side(args, &args.old, "old", color)?;
    let new = side(args, &args.new, "new", color)?;
    let result = Diff::new((&old.model, &old.history), (&new.model, &new.history), args.show);
    let errors = old.history.errors.len() + new.history.errors.len();
    let budget = budget_diff(&old.budget, &new.budget, &args.old, &args.new);
    let text = match args.format {
        ReviewFormat::Human => {
            let mut text = format!(
                "leadc diff: {} → {} on {}\n\n",
                args.old.display(),
                args.new.display(),
                args.leads.display()
            );
            text.push_str(&result.render_text());
            text.push_str("\nbudget (leadc lint --report)\n");
            text.push_str(if budget.is_empty() { "  unchanged\n" } else { &budget });
            text
        }
        ReviewFormat::Json => {
            let mut json = serde_json::to_value(&result).map_err(|e| (e.to_string(), Exit::Io))?;
            json["budget_diff"] = budget.into();
            json["bad_rows"] =
                serde_json::json!({ "old": old.history.errors.len(), "new": new.history.errors.len() });
            format!("{json}\n")
        }
        ReviewFormat::Html => {
            let title = format!("leadc diff: {} → {}", file_name(&args.old), file_name(&args.new));
            let budget: String =
                budget.lines().map(|l| format!("{}\n", l.strip_prefix("  ").unwrap_or(l))).collect();
            leadc::review::render_diff_html(&result, &title, &budget)
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, &text).map_err(|e| io_failure(path, &e))?,
        None => {
            if let Err(e) = stdio::out(text) {
                return Ok(stdio::stdout_failed(&e, color));
            }
        }
    }
    if errors > 0 {
        for (which, side) in [("old", &old), ("new", &new)] {
            if let Some(first) = side.history.errors.first() {
                let n = side.history.errors.len();
                let _ = stdio::errln(format_args!(
                    "warning: {n} row{} had bad data for the {which} program and were left out; the first, line {}: {}",
                    if n == 1 { "" } else { "s" },
                    first.line,
                    first.message
                ));
            }
        }
        return Ok(Exit::DataErrors);
    }
    Ok(Exit::Ok)
}

/// Loads one program and scores the leads with it.
fn side(args: &DiffArgs, path: &Path, which: &str, color: bool) -> Result<Side, Failure> {
    let format = if args.format == ReviewFormat::Json { Format::Json } else { Format::Human };
    let program_args = ProgramArgs { program: path.to_path_buf(), schema: None, format };
    let loaded = load::program(&program_args, color).map_err(|exit| (String::new(), exit))?;
    let Some(card) = &loaded.scorecard else {
        let message =
            format!("`{}` is a compiled program; `leadc diff` compares `.lead` sources", path.display());
        return Err((message, Exit::Usage));
    };
    let source = std::fs::read(path).map_err(|e| io_failure(path, &e))?;
    let model = Model::from_scorecard(card, Some(&load::source_text(&source)));
    let rows = Rows {
        path: &args.leads,
        format: args.input_format,
        map: &args.map,
        outcome: args.outcome.as_deref(),
        outcomes: Outcomes::default(),
        id: args.id.as_deref(),
        as_of: leadc::review::AsOf::Timeless,
    };
    let warn = |columns: &Columns, name: &str| {
        for p in columns.missing_problems(name) {
            let _ = stdio::errln(format_args!("warning: the {which} program: {p}"));
        }
    };
    let history = read_rows(&rows, &loaded.program, &warn)?;
    Ok(Side { model, history, budget: BudgetReport::new(card).render_table() })
}

/// The two budget tables as a unified diff; empty when they are the same.
fn budget_diff(old: &str, new: &str, old_name: &Path, new_name: &Path) -> String {
    if old == new {
        return String::new();
    }
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(1)
        .header(&old_name.display().to_string(), &new_name.display().to_string())
        .to_string();
    text.lines().map(|l| format!("  {l}\n")).collect()
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}
