//! Where scored chunks go: output file, error file, counts and progress.
//!
//! In: [`Scored`] chunks in input order. Out: bytes written to the output
//! (and error file), problems echoed to stderr (the first few), a progress
//! bar on a terminal, and the closing summary with the exit code.

use super::output::csv_field;
use super::pipeline::Flow;
use super::worker::{Job, Scored};
use super::{DataFormat, ScoreArgs};
use crate::cli::{Exit, report, stdio};
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};

/// Problems printed to stderr before the rest are only counted.
const SHOWN_PROBLEMS: usize = 10;

/// The writer side of a `score` run.
pub struct Sink {
    out: BufWriter<Box<dyn Write + Send>>,
    errors: Option<BufWriter<File>>,
    input_name: String,
    rows: u64,
    problems: u64,
    /// Problems by (column, kind); the column is empty for a whole row.
    causes: BTreeMap<(String, &'static str), u64>,
    stopped_at: Option<u64>,
    progress: Option<ProgressBar>,
    /// NDJSON: the `--keep` keys, whether any line had each, and the keys
    /// of a first line (for a did-you-mean). CSV checks `--keep` up front.
    keep: Vec<String>,
    keep_seen: Vec<bool>,
    sample_keys: Vec<String>,
    /// Whether problems are placed by row number (Parquet) rather than
    /// by line.
    rows_not_lines: bool,
}

impl Sink {
    /// Opens the output and error files and writes their headers.
    pub fn open(args: &ScoreArgs, job: &Job, input_header: &[String]) -> Result<Sink, String> {
        let out: Box<dyn Write + Send> = match &args.output {
            // Parquet rows are written by `parquet::write_text_rows`.
            _ if job.rows.format() == DataFormat::Parquet => Box::new(io::sink()),
            Some(path) if path.as_os_str() != "-" => {
                Box::new(File::create(path).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?)
            }
            _ => Box::new(io::stdout()),
        };
        let errors = match &args.errors {
            Some(path) => {
                let file =
                    File::create(path).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
                let mut w = BufWriter::new(file);
                if job.input == DataFormat::Csv {
                    let mut header = b"line,error".to_vec();
                    for name in input_header {
                        header.push(b',');
                        csv_field(&mut header, name);
                    }
                    header.push(b'\n');
                    w.write_all(&header).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
                }
                Some(w)
            }
            None => None,
        };
        Sink::new(args, job, out, errors)
    }

    /// A sink writing to `out` (its header first) and `errors`, as given.
    pub fn new(
        args: &ScoreArgs,
        job: &Job,
        out: Box<dyn Write + Send>,
        errors: Option<BufWriter<File>>,
    ) -> Result<Sink, String> {
        let mut out = BufWriter::with_capacity(1 << 20, out);
        out.write_all(&job.rows.header()).map_err(|e| format!("cannot write the output: {e}"))?;
        Ok(Sink {
            rows_not_lines: false,
            out,
            errors,
            input_name: args.input_name(),
            rows: 0,
            problems: 0,
            causes: BTreeMap::new(),
            stopped_at: None,
            progress: progress_bar(args),
            keep: if job.input == DataFormat::Ndjson { job.keep.clone() } else { Vec::new() },
            keep_seen: vec![false; job.keep.len()],
            sample_keys: Vec::new(),
        })
    }

    /// Writes one chunk's results; under `strict`, stops at its first problem.
    pub fn write(&mut self, scored: Scored, strict: bool) -> io::Result<Flow> {
        if let Some(bar) = &self.progress {
            bar.inc(scored.bytes as u64);
        }
        if strict && let Some(first) = scored.problems.first() {
            self.out.write_all(scored.out.get(..first.output_at).unwrap_or(&[]))?;
            self.rows += scored.rows_before_first_problem() + 1;
            self.problems += 1;
            self.show(first.line, &first.message);
            self.stopped_at = Some(first.line);
            return Ok(Flow::Stop);
        }
        self.out.write_all(&scored.out)?;
        for (seen, now) in self.keep_seen.iter_mut().zip(&scored.kept_seen) {
            *seen |= now;
        }
        if self.sample_keys.is_empty() {
            self.sample_keys = scored.sample_keys;
        }
        if let Some(errors) = &mut self.errors {
            errors.write_all(&scored.errors)?;
        }
        self.rows += scored.rows;
        for cause in scored.causes {
            *self.causes.entry(cause).or_default() += 1;
        }
        for p in &scored.problems {
            self.problems += 1;
            if self.problems <= SHOWN_PROBLEMS as u64 {
                self.show(p.line, &p.message);
            }
        }
        Ok(Flow::Continue)
    }

    /// Places problems by row number (from 1), for an input without lines.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    pub fn row_numbers(&mut self) {
        self.rows_not_lines = true;
    }

    /// Where a problem is: `leads.csv:12` (a line) or `leads.parquet: row 12`.
    fn place(&self, line: u64) -> String {
        match self.rows_not_lines {
            true => format!("{}: row {line}", self.input_name),
            false => format!("{}:{line}", self.input_name),
        }
    }

    fn show(&self, line: u64, message: &str) {
        let text = format!("error: {}: {message}", self.place(line));
        match &self.progress {
            Some(bar) => bar.println(text),
            None => {
                let _ = stdio::errln(text);
            }
        }
    }

    /// Flushes the files.
    pub fn finish(&mut self) -> io::Result<()> {
        if let Some(bar) = &self.progress {
            bar.finish_and_clear();
        }
        self.out.flush()?;
        if let Some(errors) = &mut self.errors {
            errors.flush()?;
        }
        Ok(())
    }

    /// Prints the summary and returns the exit code.
    pub fn summary(&self, args: &ScoreArgs, seconds: f64, color: bool) -> Exit {
        let scored = self.rows - self.problems.min(self.rows);
        if let Some(line) = self.stopped_at {
            report::error(&format!("{}: bad data; stopped there (--strict)", self.place(line)), color);
            return Exit::DataErrors;
        }
        if !args.quiet {
            let rate = if seconds > 0.0 { self.rows as f64 / seconds } else { 0.0 };
            let rows = if self.rows == 1 { "row" } else { "rows" };
            let _ = stdio::errln(format_args!(
                "read {} {rows}, scored {scored}, errored {} ({seconds:.2}s, {rate:.0} rows/s)",
                self.rows, self.problems
            ));
        }
        if let Some(exit) = self.unseen_keep(color) {
            return exit;
        }
        if self.problems == 0 {
            return Exit::Ok;
        }
        if self.problems > SHOWN_PROBLEMS as u64 {
            let _ = stdio::errln(format_args!(
                "... and {} more rows with bad data",
                self.problems - SHOWN_PROBLEMS as u64
            ));
        }
        if !args.quiet && !self.causes.is_empty() {
            let _ = stdio::errln(format_args!("bad data by column: {}", self.by_column()));
        }
        let where_ = match &args.errors {
            Some(path) => format!("they are in `{}`", path.display()),
            None => "they are marked in the output's `error` column".to_string(),
        };
        report::error(&format!("{} of {} rows had bad data; {where_}", self.problems, self.rows), color);
        Exit::DataErrors
    }
}

impl Sink {
    /// NDJSON: a `--keep` key that no line had is a typo as surely as a CSV
    /// column the header lacks (exit 2), though only known at the end.
    fn unseen_keep(&self, color: bool) -> Option<Exit> {
        if self.rows == 0 {
            return None;
        }
        let unseen: Vec<&String> =
            self.keep.iter().zip(&self.keep_seen).filter(|(_, seen)| !**seen).map(|(k, _)| k).collect();
        for key in &unseen {
            let hint = leadc::diag::suggest::closest(key, self.sample_keys.iter().map(String::as_str))
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            report::error(
                &format!("`--keep {key}`: no line of `{}` has the key `{key}`{hint}", self.input_name),
                color,
            );
        }
        (!unseen.is_empty()).then_some(Exit::Usage)
    }

    /// The problems counted by column and kind, most frequent first.
    fn by_column(&self) -> String {
        const SHOWN: usize = 8;
        let mut causes: Vec<(&(String, &str), &u64)> = self.causes.iter().collect();
        causes.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let mut parts: Vec<String> = causes
            .iter()
            .take(SHOWN)
            .map(|((column, kind), n)| match column.as_str() {
                "" => format!("{kind} ({n})"),
                column => format!("`{column}` {kind} ({n})"),
            })
            .collect();
        if causes.len() > SHOWN {
            parts.push(format!("{} more kinds", causes.len() - SHOWN));
        }
        parts.join(", ")
    }
}

fn progress_bar(args: &ScoreArgs) -> Option<ProgressBar> {
    if args.quiet || !io::stderr().is_terminal() {
        return None;
    }
    let size =
        args.input.as_ref().filter(|p| p.as_os_str() != "-").and_then(|p| std::fs::metadata(p).ok())?.len();
    let bar = ProgressBar::new(size);
    let style = ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}
