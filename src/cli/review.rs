//! `leadc review`: the backtest report (method step 7).
//!
//! In: a `.lead` program and a history file (CSV or NDJSON) whose outcome
//! column says whether each lead converted (by the built-in words, or by
//! `--won`/`--lost`/`--open` values such as CRM stage names). Out: the
//! review report — a terminal summary, JSON, or one self-contained HTML
//! page — on stdout or `-o`; on stderr, before any row is read, the same
//! column notes and warnings as `leadc score` plus the rules the history
//! cannot judge; and exit code 3 when any history row had bad data (every
//! such row is located and counted in the report; none is dropped
//! silently). The analysis itself is the library's `leadc::review`.

use super::score::DataFormat;
use super::score::columns::{Columns, MISSING_HELP, check_map, parse_map, read_header};
use super::score::worker::text_cells;
use super::{Exit, Format, ProgramArgs, load, report, stdio};
use leadc::check::scorecard::Scorecard;
use leadc::intake::chunk::{Framing, Splitter};
use leadc::intake::csv::{Record, Records};
use leadc::program::Program;
use leadc::review::{self, AsOf, Blind, Entry, History, Model, Options, Outcomes, Reader};
use std::io::Read;
use std::path::{Path, PathBuf};

/// How the report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewFormat {
    /// Plain-text tables.
    Human,
    /// One JSON object.
    Json,
    /// One self-contained HTML page with charts.
    Html,
}

/// How a history says what became of each lead, and which columns fill
/// which fields: shared by `leadc review` and `leadc fit`.
#[derive(Debug, clap::Args)]
pub struct OutcomeArgs {
    /// The column (or JSON key) saying whether the lead converted:
    /// true/1/yes/y/converted/won or false/0/no/n/not_converted/lost/empty,
    /// unless `--won` gives the values.
    #[arg(long, value_name = "COLUMN")]
    pub outcome: String,
    /// Outcome values meaning converted, such as `"Closed Won"`
    /// (comma-separated or repeated; trimmed, ignoring case). Replaces the
    /// built-in words; without `--lost`, every other non-empty value that
    /// is not `--open` counts as not converted, and the summary lists them.
    #[arg(long, value_name = "VALUES", value_delimiter = ',')]
    pub won: Vec<String>,
    /// Outcome values meaning not converted (needs `--won`); any value in
    /// no list is then a row error.
    #[arg(long, value_name = "VALUES", value_delimiter = ',')]
    pub lost: Vec<String>,
    /// Outcome values meaning "not known yet", such as `Negotiation`: those
    /// leads are counted in the summary but not analysed.
    #[arg(long, value_name = "VALUES", value_delimiter = ',')]
    pub open: Vec<String>,
    /// Read a history column as a field or behaviour: `--map "Company
    /// Size=employees"` (repeatable; takes precedence over the schema's
    /// `[columns]` table; CSV only).
    #[arg(long, value_name = "COLUMN=NAME", value_parser = parse_map)]
    pub map: Vec<(String, String)>,
    /// Score timed rules as of this instant, for the whole history: a
    /// date, an RFC 3339 timestamp or `now` [default: every event counts
    /// fully, as if it had just happened].
    #[arg(long, value_name = "INSTANT", value_parser = super::parse_as_of, conflicts_with = "as_of_column")]
    pub as_of: Option<i64>,
    /// Score each lead's timed rules as of the instant in this column (or
    /// JSON key): when it was scored, or when its outcome was decided.
    #[arg(long, value_name = "COLUMN")]
    pub as_of_column: Option<String>,
}

impl OutcomeArgs {
    /// The rows of `path` as these arguments read them.
    pub(super) fn rows<'a>(
        &'a self,
        path: &'a Path,
        format: Option<DataFormat>,
        program: &Program,
        id: Option<&'a str>,
    ) -> Result<Rows<'a>, Failure> {
        let outcomes = Outcomes::new(&self.won, &self.lost, &self.open).map_err(|m| (m, Exit::Usage))?;
        check_map(program.schema(), &self.map).map_err(|m| (m, Exit::Usage))?;
        let as_of = match (&self.as_of_column, self.as_of) {
            (Some(column), _) => AsOf::Column(column.clone()),
            (None, Some(t)) => AsOf::At(t),
            (None, None) => {
                if program.is_timed() {
                    let _ = stdio::errln(format_args!(
                        "warning: the program has timed rules (`within`, `decay`, `expire`); without \
                         `--as-of` or `--as-of-column`, every event in the history counts fully, as if it \
                         had just happened\n  = help: give each lead's scoring instant, e.g. \
                         `--as-of-column scored_at`, to judge the rules as they were"
                    ));
                }
                AsOf::Timeless
            }
        };
        Ok(Rows { path, format, map: &self.map, outcome: Some(&self.outcome), outcomes, id, as_of })
    }
}

/// Arguments of `leadc review`.
#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// The program: a `.lead` source file (the review reads which fields each rule uses).
    pub program: PathBuf,
    /// The history: a CSV or NDJSON file of past leads with their outcome.
    pub history: PathBuf,
    /// The outcome column and how its values read, and `--map`.
    #[command(flatten)]
    pub outcome: OutcomeArgs,
    /// The column (or JSON key) identifying each lead in the report [default: the line number].
    #[arg(long, value_name = "COLUMN")]
    pub id: Option<String>,
    /// A schema file to use instead of the program's `schema "..."` line.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// The report's format.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Human)]
    pub format: ReviewFormat,
    /// The history's format [default: from its extension, else csv].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<DataFormat>,
    /// How many lowest-ranked converters and highest-ranked non-converters to list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub cases: usize,
    /// Where to write the report [default: stdout].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs `leadc review`.
pub fn run(args: &ReviewArgs, color: bool) -> Exit {
    finish(review(args, color), color)
}

/// The exit code of a command's result, after printing its failure (an
/// empty message: already reported).
pub(super) fn finish(result: Result<Exit, Failure>, color: bool) -> Exit {
    result.unwrap_or_else(|(message, exit)| {
        if !message.is_empty() {
            report::error(&message, color);
        }
        exit
    })
}

pub(super) type Failure = (String, Exit);

fn review(args: &ReviewArgs, color: bool) -> Result<Exit, Failure> {
    let program_args = ProgramArgs {
        program: args.program.clone(),
        schema: args.schema.clone(),
        format: if args.format == ReviewFormat::Json { Format::Json } else { Format::Human },
    };
    let loaded = load::program(&program_args, color).map_err(|exit| (String::new(), exit))?;
    let Some(card) = &loaded.scorecard else {
        let message = format!(
            "`{}` is a compiled program; `leadc review` needs its source (`.lead`) to see which fields each rule uses",
            args.program.display()
        );
        return Err((message, Exit::Usage));
    };
    let source = std::fs::read(&args.program).map_err(|e| io_failure(&args.program, &e))?;
    let model = Model::from_scorecard(card, Some(&load::source_text(&source)));
    let rows = args.outcome.rows(&args.history, args.input_format, &loaded.program, args.id.as_deref())?;
    let judged = Judged { program: &loaded.program, card, model: &model };
    let history = read_rows(&rows, judged.program, &|columns: &Columns, name: &str| {
        report_columns(columns, &judged, name)
    })?;
    let report = review::analyse(&model, &history, &Options { cases: args.cases, ..Options::default() });
    let text = match args.format {
        ReviewFormat::Human => review::render_text(&report),
        ReviewFormat::Json => {
            serde_json::to_string_pretty(&report).map_err(|e| (e.to_string(), Exit::Io))? + "\n"
        }
        ReviewFormat::Html => {
            let title = format!("leadc review: {} on {}", file_name(&args.program), file_name(&args.history));
            review::render_html(&report, &title)
        }
    };
    write_output(args.output.as_deref(), &text, color)?;
    if args.format != ReviewFormat::Human || args.output.is_some() {
        summarise(&report);
    }
    Ok(if history.errors.is_empty() { Exit::Ok } else { Exit::DataErrors })
}

/// What the history is read and judged with.
struct Judged<'a> {
    program: &'a Program,
    card: &'a Scorecard,
    model: &'a Model,
}

/// A file of leads (or a history) to read and score: `leadc review` and
/// `leadc diff`.
pub(super) struct Rows<'a> {
    /// The file.
    pub path: &'a Path,
    /// Its format [default: from the extension, else CSV].
    pub format: Option<DataFormat>,
    /// `--map` pairs.
    pub map: &'a [(String, String)],
    /// The outcome column, if the file has one.
    pub outcome: Option<&'a str>,
    /// How outcome cells are read.
    pub outcomes: Outcomes,
    /// The id column.
    pub id: Option<&'a str>,
    /// The instant timed rules are scored as of.
    pub as_of: AsOf,
}

/// Reads and scores every lead of `rows.path` with `program`; for CSV,
/// `on_columns` sees how the header was mapped before any row is read.
pub(super) fn read_rows(
    rows: &Rows,
    program: &Program,
    on_columns: &dyn Fn(&Columns, &str),
) -> Result<History, Failure> {
    let file = std::fs::File::open(rows.path).map_err(|e| io_failure(rows.path, &e))?;
    match rows.format.or_else(|| DataFormat::from_path(rows.path)).unwrap_or(DataFormat::Csv) {
        DataFormat::Csv => read_csv(rows, program, on_columns, file),
        DataFormat::Ndjson => read_ndjson(rows, program, file),
        DataFormat::Parquet => Err((super::explain::PARQUET_LATER.into(), Exit::Usage)),
    }
}

fn read_csv(
    rows: &Rows,
    program: &Program,
    on_columns: &dyn Fn(&Columns, &str),
    input: impl Read,
) -> Result<History, Failure> {
    let name = rows.path.display().to_string();
    let mut splitter = Splitter::new(input, Framing::Csv);
    let header = read_header(&mut splitter, &name)?;
    let columns = Columns::new(program.schema(), &header, &[], rows.map, "the header")
        .map_err(|message| (format!("{message} in `{name}`"), Exit::Usage))?;
    on_columns(&columns, &name);
    let layout = columns.layout().clone();
    let reader = match rows.outcome {
        Some(outcome) => Reader::csv_with_layout(program, &header, layout, outcome, rows.id),
        None => Reader::csv_leads(program, &header, layout, rows.id),
    };
    let mut reader = reader
        .and_then(|r| r.with_as_of(rows.as_of.clone(), &header))
        .map_err(|message| (format!("{message} in `{name}`"), Exit::Usage))?
        .with_outcomes(rows.outcomes.clone());
    let mut history = History::default();
    let mut record = Record::default();
    let read_error = |e: std::io::Error| (format!("cannot read `{name}`: {e}"), Exit::Io);
    while let Some(chunk) = splitter.next_chunk().map_err(read_error)? {
        let mut records = Records::new(&chunk.bytes, chunk.first_line);
        while records.next_into(&mut record) {
            let line = record.line;
            history.push(match text_cells(&record, |i| columns.describe(i)) {
                Ok(cells) => reader.record(line, &cells),
                Err(message) => Entry::Error(review::RowError::new(line, None, message)),
            });
        }
    }
    Ok(history)
}

fn read_ndjson(rows: &Rows, program: &Program, input: impl Read) -> Result<History, Failure> {
    let name = rows.path.display().to_string();
    let reader = match rows.outcome {
        Some(outcome) => Reader::ndjson(program, outcome, rows.id),
        None => Reader::ndjson_leads(program, rows.id),
    };
    let reader = reader
        .with_as_of(rows.as_of.clone(), &[])
        .map_err(|message| (format!("{message} in `{name}`"), Exit::Usage))?
        .with_outcomes(rows.outcomes.clone());
    review::read_ndjson(input, reader).map_err(|message| (format!("`{name}`: {message}"), Exit::Io))
}

/// The notes and warnings of `leadc score` on the history's columns, and
/// the rules that test what no column holds (which the review cannot
/// judge), by line. Always printed: `review` has no `-q`.
fn report_columns(columns: &Columns, judged: &Judged, name: &str) {
    for note in columns.notes() {
        let _ = stdio::errln(format_args!("{note}"));
    }
    let problems = columns.missing_problems(name);
    for p in &problems {
        let _ = stdio::errln(format_args!("warning: {p}"));
    }
    let absent: Vec<String> =
        columns.missing_fields.iter().chain(&columns.missing_behaviours).cloned().collect();
    let blind = review::blind_rules(judged.card, judged.model, &absent);
    for (effect, one, many) in [
        (Blind::Never, "can never fire", "can never fire"),
        (Blind::Always, "fires for every lead", "fire for every lead"),
        (Blind::Partly, "sees a field missing on every lead", "see a field missing on every lead"),
    ] {
        let rules: Vec<_> = blind.iter().filter(|b| b.effect == effect).collect();
        let said = match rules.len() {
            0 => continue,
            1 => format!(
                "1 rule {one}: the history has no column for what it tests, so the review cannot judge it"
            ),
            n => format!(
                "{n} rules {many}: the history has no column for what they test, so the review cannot judge them"
            ),
        };
        let _ = stdio::errln(format_args!("warning: {said} as written:"));
        for b in rules {
            let _ = stdio::errln(format_args!("  line {}: {}", b.line, b.text));
        }
    }
    if !problems.is_empty() {
        let _ = stdio::errln(format_args!("{MISSING_HELP}"));
    }
}

fn write_output(path: Option<&Path>, text: &str, color: bool) -> Result<(), Failure> {
    match path {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| (format!("cannot write `{}`: {e}", path.display()), Exit::Io)),
        // `stdout_failed` has said what went wrong (or, for a closed pipe, nothing).
        None => stdio::out(text).map_err(|e| (String::new(), stdio::stdout_failed(&e, color))),
    }
}

/// One stderr line for reports the user does not read in the terminal.
fn summarise(report: &review::Report) {
    let s = &report.summary;
    let verdict = if report.verdict.pass { "PASS" } else { "FAIL" };
    let open = if s.open.rows > 0 { format!("{} open, ", s.open.rows) } else { String::new() };
    let _ = stdio::errln(format_args!(
        "review: {verdict}; {} records, {} analysed, {open}{} row errors",
        s.records, s.rows, s.row_errors
    ));
    for e in &report.errors {
        let _ = stdio::errln(format_args!("  {e}"));
    }
}

pub(super) fn io_failure(path: &Path, e: &std::io::Error) -> Failure {
    (format!("cannot read `{}`: {e}", path.display()), Exit::Io)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}
