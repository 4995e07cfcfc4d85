//! `leadc score`: batch scoring, streaming, in input order, on every core.
//!
//! In: a program and a CSV or NDJSON file (or stdin). Out: one output row
//! per input row (CSV or NDJSON, to stdout or `-o`), errored rows marked in
//! an `error` column or routed to `--errors FILE`, a summary on stderr, and
//! exit code 3 when any row had bad data. Rows in = rows out + rows in the
//! error file, always.

#[cfg(feature = "parquet")]
mod arrow_out;
pub mod columns;
mod error_file;
mod output;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod pipeline;
mod run;
mod sink;
pub mod worker;

use super::{Exit, ProgramArgs};
use clap::ValueEnum;
use std::path::{Path, PathBuf};

pub use run::run;

/// A lead file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Ndjson,
    /// Apache Parquet (`score` only).
    Parquet,
}

impl DataFormat {
    /// The format a file's extension says, if it says one.
    pub fn from_path(path: &Path) -> Option<DataFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(DataFormat::Csv),
            "ndjson" | "jsonl" | "json" => Some(DataFormat::Ndjson),
            "parquet" | "pq" => Some(DataFormat::Parquet),
            _ => None,
        }
    }
}

/// Arguments of `leadc score`.
#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub program: ProgramArgs,
    /// The leads: a CSV or NDJSON file; `-` or nothing reads stdin.
    pub input: Option<PathBuf>,
    /// Where to write the scored leads [default: stdout].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The input format [default: from the input's extension, else csv].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<DataFormat>,
    /// The output format [default: from the output's extension, else the input format].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub output_format: Option<DataFormat>,
    /// Input columns to copy to the output, comma-separated (e.g. `id,email`).
    #[arg(long, value_name = "COLUMNS", value_delimiter = ',')]
    pub keep: Vec<String>,
    /// Read an input column as a field or behaviour: `--map "Company
    /// Size=employees"` (repeatable; takes precedence over the schema's
    /// `[columns]` table).
    #[arg(long, value_name = "COLUMN=NAME", value_parser = columns::parse_map)]
    pub map: Vec<(String, String)>,
    /// Add the rules that fired, with their points.
    #[arg(long)]
    pub explain: bool,
    /// Write rows with bad data to this file (as CSV or NDJSON, with the
    /// input line and the problem) instead of marking them in the output.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// Stop at the first row with bad data; a field or behaviour with no
    /// input column is then an error too (exit 2).
    #[arg(long)]
    pub strict: bool,
    /// Worker threads, 1 to 1024 [default: the number of cores].
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// No progress bar and no summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Score as of this instant: `2026-11-01`, `2026-11-01T10:00:00Z` or
    /// `now` [default: now]. Only rules on event behaviours depend on it.
    #[arg(long, value_name = "INSTANT", value_parser = super::parse_as_of)]
    pub as_of: Option<i64>,
}

impl ScoreArgs {
    fn input_format(&self) -> DataFormat {
        self.input_format
            .or_else(|| self.input.as_deref().and_then(DataFormat::from_path))
            .unwrap_or(DataFormat::Csv)
    }

    fn output_format(&self) -> DataFormat {
        let to_stdout = self.output.as_deref().is_none_or(|p| p.as_os_str() == "-");
        self.output_format.or_else(|| self.output.as_deref().and_then(DataFormat::from_path)).unwrap_or_else(
            || {
                match self.input_format() {
                    // Binary Parquet on a terminal helps no one: stdout gets CSV.
                    DataFormat::Parquet if to_stdout => DataFormat::Csv,
                    format => format,
                }
            },
        )
    }

    fn input_name(&self) -> String {
        match &self.input {
            Some(p) if p.as_os_str() != "-" => p.display().to_string(),
            _ => "<stdin>".to_string(),
        }
    }
}

/// The most worker threads `--threads` accepts. Scoring is bound by the
/// cores, so more threads than cores only cost memory (each worker keeps a
/// few input and output chunks in flight); the bound keeps a typo from
/// spawning millions of threads.
pub const MAX_THREADS: usize = 1024;

/// Parses `--threads`: a whole number from 1 to [`MAX_THREADS`].
fn parse_threads(text: &str) -> Result<usize, String> {
    let digits = text.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{text}` is not a number of threads"));
    }
    match digits.parse::<usize>() {
        Ok(0) => Err("0 threads cannot score anything; leave out --threads to use every core".into()),
        Ok(n) if n <= MAX_THREADS => Ok(n),
        _ => Err(format!(
            "at most {MAX_THREADS} threads; more than the machine's cores only costs memory \
             (leave out --threads to use every core)"
        )),
    }
}

/// An exit for a problem with the command's own arguments or files.
fn fail(message: &str, exit: Exit, color: bool) -> Exit {
    super::report::error(message, color);
    exit
}

#[cfg(test)]
mod tests {
    use super::{MAX_THREADS, parse_threads};

    #[test]
    fn threads_are_bounded() {
        assert_eq!(parse_threads("1"), Ok(1));
        assert_eq!(parse_threads("1024"), Ok(MAX_THREADS));
        for bad in ["0", "1025", "4611686018427387904", "99999999999999999999999", "-1", "two", ""] {
            assert!(parse_threads(bad).is_err(), "{bad}");
        }
    }
}
