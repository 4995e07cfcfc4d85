//! The `score` command from start to end.
//!
//! In: [`ScoreArgs`]. Out: the scored file, the error file, a summary and
//! the exit code. Opens the files, reads the CSV header, then runs the
//! chunk pipeline with one writer that keeps input order, counts rows and
//! stops early under `--strict`.

use super::columns::Columns;
use super::output::RowFormat;
use super::pipeline::run_ordered;
use super::sink::Sink;
use super::split::Splitter;
use super::worker::Job;
use super::{DataFormat, ScoreArgs, fail};
use crate::cli::{Exit, load, stdio};
use std::fs::File;
use std::io::{self, Read};
use std::time::Instant;

/// Runs `leadc score`.
pub fn run(args: &ScoreArgs, color: bool) -> Exit {
    let loaded = match load::program(&args.program, color) {
        Ok(loaded) => loaded,
        Err(exit) => return exit,
    };
    let program = &loaded.program;
    let mut input = match open_input(args) {
        Ok(input) => input,
        Err(e) => return fail(&format!("cannot read `{}`: {e}", args.input_name()), Exit::Io, color),
    };
    let input_format = args.input_format();
    let (columns, header) = match input_format {
        DataFormat::Csv => match read_header(&mut input) {
            Ok(Some(header)) => match Columns::new(program.schema(), &header.names, &args.keep) {
                Ok(columns) => (Some(columns), header),
                Err(message) => return fail(&message, Exit::Usage, color),
            },
            Ok(None) => {
                return fail(
                    &format!("`{}` is empty: no header row", args.input_name()),
                    Exit::DataErrors,
                    color,
                );
            }
            Err(e) => return fail(&format!("cannot read `{}`: {e}", args.input_name()), Exit::Io, color),
        },
        DataFormat::Ndjson => (None, Header { names: Vec::new(), lines: 0, rest: Vec::new() }),
    };
    if let Some(columns) = &columns {
        warn_missing_columns(columns, &args.input_name(), args.quiet);
    }
    let output_format = args.output_format();
    let job = Job {
        program,
        input: input_format,
        columns,
        keep: args.keep.clone(),
        rows: RowFormat::new(output_format, args.explain, program, args.keep.clone()),
        error_file: args.errors.is_some(),
        explain: args.explain,
        as_of: args.as_of.unwrap_or_else(super::super::now),
    };
    let mut sink = match Sink::open(args, &job, &header.names) {
        Ok(sink) => sink,
        Err(e) => return fail(&e, Exit::Io, color),
    };
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let splitter =
        Splitter::new(input, input_format == DataFormat::Csv, header.lines + 1).with_prefix(header.rest);
    let started = Instant::now();
    let result =
        run_ordered(splitter, threads, |chunk| job.run(chunk), |scored| sink.write(scored, args.strict));
    let finished = sink.finish();
    if let Err(e) = result.and(finished) {
        return fail(&format!("scoring stopped: {e}"), Exit::Io, color);
    }
    if program.is_timed() && !args.quiet {
        let instant = leadc::time::format_instant(job.as_of);
        let _ =
            stdio::errln(format_args!("scored as of {instant} (rerun with --as-of {instant} to reproduce)"));
    }
    sink.summary(args, started.elapsed().as_secs_f64(), color)
}

fn open_input(args: &ScoreArgs) -> io::Result<Box<dyn Read + Send>> {
    Ok(match &args.input {
        Some(path) if path.as_os_str() != "-" => Box::new(File::open(path)?),
        _ => Box::new(io::stdin()),
    })
}

/// Reads the CSV header record (which may span lines inside quotes).
/// Returns it, the number of lines it took, and the bytes read past it.
fn read_header(input: &mut Box<dyn Read + Send>) -> io::Result<Option<Header>> {
    let mut bytes = Vec::new();
    let mut block = [0u8; 8192];
    let end = loop {
        if let Some(end) = record_end(&bytes) {
            break end;
        }
        let n = match input.read(&mut block) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            break bytes.len();
        }
        bytes.extend_from_slice(&block[..n]);
    };
    let rest = bytes.split_off(end);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[..]);
    let mut record = csv::StringRecord::new();
    if let Err(e) = reader.read_record(&mut record) {
        let message = format!("the header row is not valid CSV: {e}");
        return Err(io::Error::new(io::ErrorKind::InvalidData, message));
    }
    let names = record.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_string()).collect();
    Ok(Some(Header { names, lines: lines.max(1), rest }))
}

/// The CSV header row.
struct Header {
    names: Vec<String>,
    lines: u64,
    rest: Vec<u8>,
}

/// The end (past the newline) of the first record in `bytes`, if complete.
fn record_end(bytes: &[u8]) -> Option<usize> {
    let mut in_quotes = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn warn_missing_columns(columns: &Columns, input: &str, quiet: bool) {
    if quiet {
        return;
    }
    if !columns.missing_fields.is_empty() {
        let _ = stdio::errln(format_args!(
            "warning: `{input}` has no column for the field(s) {}: they are missing on every lead",
            backticked(&columns.missing_fields)
        ));
    }
    if !columns.missing_behaviours.is_empty() {
        let _ = stdio::errln(format_args!(
            "warning: `{input}` has no column for the behaviour(s) {}: their count is 0 on every lead",
            backticked(&columns.missing_behaviours)
        ));
    }
}

fn backticked(names: &[String]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}
