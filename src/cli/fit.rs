//! `leadc fit`: points learned from outcomes, in the program as written.
//!
//! In: a `.lead` program and a history file (as `leadc review` reads it:
//! CSV or NDJSON, an outcome column, `--won`/`--lost`/`--open`, `--map`).
//! Out: on stdout the fit report (cross-validated AUC before and after,
//! old and new points per rule with their evidence) and the program's
//! change as a unified diff, or one JSON object; with `-o FILE` the fitted
//! program. The fitted program is checked against the schema and linted:
//! the lints it trips are printed on stderr, not hidden. Exit 3 when some
//! history rows had bad data (left out of the fit, counted); the fitting
//! itself is the library's `leadc::fit`.

use super::review::{Failure, OutcomeArgs, Rows, io_failure, read_rows};
use super::score::DataFormat;
use super::score::columns::Columns;
use super::{Exit, Format, ProgramArgs, load, stdio};
use leadc::diag::Sources;
use leadc::fit::{FitOptions, render_text};
use leadc::load::{SchemaSource, check_source};
use leadc::program::Program;
use std::path::PathBuf;

/// How the result is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FitFormat {
    /// The report and the program's diff.
    Human,
    /// One JSON object (the report and the new program's text).
    Json,
}

/// Arguments of `leadc fit`.
#[derive(Debug, clap::Args)]
pub struct FitArgs {
    /// The program: a `.lead` source file.
    pub program: PathBuf,
    /// The history: a CSV or NDJSON file of past leads with their outcome.
    pub history: PathBuf,
    /// The outcome column and how its values read, and `--map` (as `leadc review`).
    #[command(flatten)]
    pub outcome: OutcomeArgs,
    /// A schema file to use instead of the program's `schema "..."` line.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// The history's format [default: from its extension, else csv].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<DataFormat>,
    /// Folds of the cross-validation that picks the penalty and judges the result.
    #[arg(long, value_name = "K", default_value_t = 5, value_parser = clap::value_parser!(u16).range(2..=100))]
    pub folds: u16,
    /// Let a rule's points change sign (a penalty become a gain, or the reverse).
    #[arg(long)]
    pub allow_flip: bool,
    /// The seed of the folds' shuffle.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// Also add up to N rules the history suggests (values, thresholds,
    /// behaviour counts), one at a time while the cross-validated AUC rises.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub grow: usize,
    /// The category added rules go into [default: a new category `grown`].
    #[arg(long, value_name = "CATEGORY", requires = "grow")]
    pub into: Option<String>,
    /// A second history the fit never sees (say, the next month's): the
    /// program as written and as fitted are both scored on it and their
    /// AUC reported.
    #[arg(long, value_name = "FILE")]
    pub holdout: Option<PathBuf>,
    /// The output's format.
    #[arg(long, value_enum, default_value_t = FitFormat::Human)]
    pub format: FitFormat,
    /// Write the fitted program to FILE (it may be the program itself).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs `leadc fit`.
pub fn run(args: &FitArgs, color: bool) -> Exit {
    super::review::finish(fit(args, color), color)
}

fn fit(args: &FitArgs, color: bool) -> Result<Exit, Failure> {
    let format = if args.format == FitFormat::Json { Format::Json } else { Format::Human };
    let program_args = ProgramArgs { program: args.program.clone(), schema: args.schema.clone(), format };
    let loaded = load::program(&program_args, color).map_err(|exit| (String::new(), exit))?;
    let Some(card) = &loaded.scorecard else {
        let message = format!(
            "`{}` is a compiled program; `leadc fit` rewrites a program's source (`.lead`)",
            args.program.display()
        );
        return Err((message, Exit::Usage));
    };
    let bytes = std::fs::read(&args.program).map_err(|e| io_failure(&args.program, &e))?;
    let source = load::source_text(&bytes);
    let rows = args.outcome.rows(&args.history, args.input_format, &loaded.program, None)?;
    let warn = |columns: &Columns, name: &str| {
        for p in columns.missing_problems(name) {
            let _ = stdio::errln(format_args!("warning: {p}"));
        }
    };
    let history = read_rows(&rows, &loaded.program, &warn)?;
    let options = FitOptions {
        folds: usize::from(args.folds),
        allow_flip: args.allow_flip,
        seed: args.seed,
        grow: args.grow,
        into: args.into.clone(),
    };
    let fitted = leadc::fit::fit(card, &source, &history.rows, &options).map_err(|e| {
        (format!("cannot fit `{}` to `{}`: {e}", args.program.display(), args.history.display()), Exit::Usage)
    })?;
    // The result must check; the lints it trips are said, not hidden.
    let name = args.output.as_ref().unwrap_or(&args.program).display().to_string();
    let mut sources = Sources::new();
    let schema = SchemaSource::Given(std::sync::Arc::new(card.schema.as_ref().clone()));
    let checked = check_source(&mut sources, &name, &fitted.source, schema).map_err(|diags| {
        let rendered: Vec<String> = diags.iter().map(|d| d.render(&sources, false)).collect();
        (
            format!("the fitted program does not check (a bug in leadc fit):\n{}", rendered.join("\n")),
            Exit::Io,
        )
    })?;
    let Some(file) = sources.find(&name) else {
        return Err((format!("internal: `{name}` was not loaded"), Exit::Io));
    };
    let lints = leadc::lint::lint(&checked, &leadc::lint::LintOptions::default(), file);
    let holdout = match &args.holdout {
        Some(path) => {
            let fitted_program = Program::compile_with_source(&checked, &fitted.source);
            // The holdout is read as the history was (and warned about once).
            Some(holdout_aucs(Rows { path, ..rows }, (&loaded.program, &fitted_program))?)
        }
        None => None,
    };
    let text = match args.format {
        FitFormat::Human => {
            let mut text = render_text(&fitted);
            if let Some(h) = &holdout {
                text.push_str(&format!(
                    "\nholdout `{}`: {} leads, {} converted; AUC {} as written -> {} fitted{}\n",
                    h.file,
                    h.rows,
                    h.converters,
                    figure(h.auc_before),
                    figure(h.auc_after),
                    if h.bad_rows > 0 {
                        format!(" ({} rows with bad data left out)", h.bad_rows)
                    } else {
                        String::new()
                    }
                ));
            }
            let diff = similar::TextDiff::from_lines(&source, &fitted.source);
            let old = args.program.display().to_string();
            let new =
                args.output.as_ref().map_or_else(|| format!("{old} (fitted)"), |p| p.display().to_string());
            text.push('\n');
            text.push_str(&diff.unified_diff().context_radius(1).header(&old, &new).to_string());
            text
        }
        FitFormat::Json => {
            let mut json = serde_json::to_value(&fitted).map_err(|e| (e.to_string(), Exit::Io))?;
            json["lints"] = lints.iter().map(|d| d.render(&sources, false)).collect::<Vec<_>>().into();
            json["bad_rows"] = history.errors.len().into();
            json["holdout"] = serde_json::to_value(&holdout).map_err(|e| (e.to_string(), Exit::Io))?;
            format!("{json}\n")
        }
    };
    if let Some(path) = &args.output {
        std::fs::write(path, &fitted.source)
            .map_err(|e| (format!("cannot write `{}`: {e}", path.display()), Exit::Io))?;
    }
    if let Err(e) = stdio::out(text) {
        return Ok(stdio::stdout_failed(&e, color));
    }
    if !lints.is_empty() && args.format == FitFormat::Human {
        let _ = stdio::errln(format_args!("the fitted program trips {} lint(s):", lints.len()));
        for d in &lints {
            let _ = stdio::errln(d.render(&sources, color));
        }
    }
    if let Some(first) = history.errors.first() {
        let n = history.errors.len();
        let _ = stdio::errln(format_args!(
            "warning: {n} history row(s) had bad data and were left out of the fit; the first, line {}: {}",
            first.line, first.message
        ));
        return Ok(Exit::DataErrors);
    }
    Ok(Exit::Ok)
}

/// The program as written and as fitted, judged on a history the fit did
/// not see.
#[derive(Debug, serde::Serialize)]
struct Holdout {
    file: String,
    rows: usize,
    converters: usize,
    bad_rows: usize,
    auc_before: Option<f64>,
    auc_after: Option<f64>,
}

fn holdout_aucs(rows: Rows<'_>, (written, fitted): (&Program, &Program)) -> Result<Holdout, Failure> {
    let quiet = |_: &Columns, _: &str| {};
    let path = rows.path;
    let before = read_rows(&rows, written, &quiet)?;
    let after = read_rows(&rows, fitted, &quiet)?;
    Ok(Holdout {
        file: path.display().to_string(),
        rows: before.rows.len(),
        converters: before.rows.iter().filter(|r| r.converted).count(),
        bad_rows: before.errors.len().max(after.errors.len()),
        auc_before: leadc::review::auc(&before.rows),
        auc_after: leadc::review::auc(&after.rows),
    })
}

fn figure(auc: Option<f64>) -> String {
    auc.map_or_else(|| "-".to_string(), |a| format!("{a:.3}"))
}
