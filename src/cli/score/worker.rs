//! Scoring one chunk of input rows.
//!
//! In: a [`Chunk`] of whole CSV records or NDJSON lines. Out: a [`Scored`]
//! chunk — the output rows, the rows routed to the error file, and the row
//! problems with their input line numbers — built with one reused lead,
//! outcome and explanation per chunk.

use super::DataFormat;
use super::columns::Columns;
use super::output::{Kept, RowFormat, csv_field, json_string};
use leadc::input::{InputError, JsonObject, UnknownColumns};
use leadc::intake::chunk::Chunk;
use leadc::intake::csv::{Quote, Record, Records};
use leadc::intake::lines::Lines;
use leadc::lead::Lead;
use leadc::program::{Program, Scorer};

/// What a worker needs to score rows; shared by all workers.
pub struct Job<'p> {
    /// The program.
    pub program: &'p Program,
    /// The input format.
    pub input: DataFormat,
    /// CSV column mapping (unused for NDJSON).
    pub columns: Option<Columns>,
    /// `--keep` names (NDJSON keys).
    pub keep: Vec<String>,
    /// How output rows look.
    pub rows: RowFormat<'p>,
    /// Whether bad rows go to the error file (`--errors`) rather than the
    /// output.
    pub error_file: bool,
    /// Whether to compute explanations.
    pub explain: bool,
    /// The instant leads are scored as of (`--as-of`).
    pub as_of: i64,
}

/// A row problem.
#[derive(Debug)]
pub struct Problem {
    /// The input line the row starts on.
    pub line: u64,
    /// What is wrong.
    pub message: String,
    /// Byte offset in the chunk's output where the row's output starts
    /// (for `--strict`, which keeps only the rows before it).
    pub output_at: usize,
    /// How many rows of the chunk came before this one.
    pub row_index: u64,
}

/// The result of scoring one chunk.
#[derive(Debug, Default)]
pub struct Scored {
    /// Output rows.
    pub out: Vec<u8>,
    /// Error-file rows.
    pub errors: Vec<u8>,
    /// Rows read.
    pub rows: u64,
    /// Input bytes the chunk held.
    pub bytes: usize,
    /// Rows with problems.
    pub problems: Vec<Problem>,
    /// Each problem's column (empty for the whole row) and kind, for the
    /// run's summary.
    pub causes: Vec<(String, &'static str)>,
    /// NDJSON: per `--keep` key, whether any line of the chunk has it.
    pub kept_seen: Vec<bool>,
    /// NDJSON: the keys of the chunk's first object, for a did-you-mean.
    pub sample_keys: Vec<String>,
}

impl Scored {
    /// Rows before the first problem (all rows when there is none).
    pub fn rows_before_first_problem(&self) -> u64 {
        self.problems.first().map_or(self.rows, |p| p.row_index)
    }
}

struct Scratch<'p> {
    lead: Lead,
    scorer: Scorer<'p>,
    messages: Vec<String>,
    /// Per message: its column (empty for the whole row) and kind.
    causes: Vec<(String, &'static str)>,
}

impl Job<'_> {
    /// Scores every row of `chunk`.
    pub fn run(&self, chunk: Chunk) -> Scored {
        let mut scratch = Scratch {
            lead: self.program.new_lead(),
            scorer: self.program.scorer(),
            messages: Vec::new(),
            causes: Vec::new(),
        };
        let mut scored = Scored {
            out: Vec::with_capacity(chunk.bytes.len()),
            bytes: chunk.bytes.len(),
            ..Scored::default()
        };
        match self.input {
            DataFormat::Csv => self.csv(&chunk, &mut scratch, &mut scored),
            DataFormat::Ndjson => self.ndjson(&chunk, &mut scratch, &mut scored),
        }
        scored
    }

    fn csv(&self, chunk: &Chunk, scratch: &mut Scratch<'_>, scored: &mut Scored) {
        let Some(columns) = &self.columns else { return };
        let mut records = Records::new(&chunk.bytes, chunk.first_line);
        let mut record = Record::default();
        // Buffers reused across rows (see `recycle`), so a row allocates nothing.
        let mut spare_cells: Vec<&str> = Vec::with_capacity(columns.width);
        let mut spare_kept: Vec<Kept> = Vec::with_capacity(columns.keep.len());
        while records.next_into(&mut record) {
            scored.rows += 1;
            let mut cells = recycle(std::mem::take(&mut spare_cells));
            let mut bad_utf8 = None;
            for (i, cell) in record.cells().enumerate() {
                match std::str::from_utf8(cell) {
                    Ok(text) => cells.push(text),
                    Err(_) => {
                        bad_utf8.get_or_insert(i);
                        cells.push("");
                    }
                }
            }
            let mut kept = recycle(std::mem::take(&mut spare_kept));
            kept.extend(columns.keep.iter().map(|&c| Kept::Text(cells.get(c).copied().unwrap_or(""))));
            scratch.messages.clear();
            scratch.causes.clear();
            if let Some(quote) = record.unterminated {
                scratch.messages.push(unterminated_message(quote));
                scratch.causes.push((String::new(), "unterminated quote"));
            } else if let Some(index) = bad_utf8 {
                scratch.causes.push((columns.name(index).to_string(), "not UTF-8"));
                scratch.messages.push(format!(
                    "{}: the value is not valid UTF-8; is the file in another encoding \
                     (such as Windows-1252)? save it as UTF-8",
                    columns.describe(index)
                ));
            } else {
                let schema = self.program.schema();
                columns.fill_counting(
                    schema,
                    &mut scratch.lead,
                    &cells,
                    &mut scratch.messages,
                    &mut scratch.causes,
                );
            }
            let raw = RawCsv { bytes: chunk.bytes.get(record.raw_range()).unwrap_or(&[]), record: &record };
            self.finish_row(scored, scratch, record.line, &kept, Raw::Csv(raw));
            spare_cells = recycle(cells);
            spare_kept = recycle(kept);
        }
    }

    fn ndjson(&self, chunk: &Chunk, scratch: &mut Scratch<'_>, scored: &mut Scored) {
        let schema = self.program.schema();
        scored.kept_seen = vec![false; self.keep.len()];
        for (line, raw) in Lines::new(&chunk.bytes, chunk.first_line) {
            scored.rows += 1;
            scratch.messages.clear();
            scratch.causes.clear();
            let object = match json_object(raw) {
                Ok(object) => Some(object),
                Err(e) => {
                    let (column, kind) = e.summary_key();
                    scratch.causes.push((column.unwrap_or("").to_string(), kind));
                    scratch.messages.push(e.to_string());
                    None
                }
            };
            let kept: Vec<Kept> =
                self.keep.iter().map(|k| Kept::Json(object.as_ref().and_then(|o| o.get(k)))).collect();
            if scored.sample_keys.is_empty()
                && let Some(object) = &object
            {
                scored.sample_keys = object.members().map(|(k, _)| k.to_string()).collect();
            }
            for (seen, value) in scored.kept_seen.iter_mut().zip(&kept) {
                *seen |= matches!(value, Kept::Json(Some(_)));
            }
            if let Some(object) = &object
                && let Err(e) = scratch.lead.fill_json_object(schema, object, UnknownColumns::Ignore)
            {
                let (column, kind) = e.summary_key();
                scratch.causes.push((column.unwrap_or("").to_string(), kind));
                scratch.messages.push(e.to_string());
            }
            self.finish_row(scored, scratch, line, &kept, Raw::Json(raw));
        }
    }

    /// Scores the lead in `scratch` (or records its problems) and writes
    /// the row.
    fn finish_row(&self, scored: &mut Scored, scratch: &mut Scratch<'_>, line: u64, kept: &[Kept], raw: Raw) {
        if !scratch.messages.is_empty() {
            let message = scratch.messages.join("; ");
            scored.causes.append(&mut scratch.causes);
            self.problem(scored, line, message, kept, raw);
            return;
        }
        let (outcome, explanation) = if self.explain {
            let (outcome, explanation) = scratch.scorer.explain_at(&scratch.lead, self.as_of);
            (outcome, Some(explanation))
        } else {
            (scratch.scorer.score_at(&scratch.lead, self.as_of), None)
        };
        self.rows.scored(&mut scored.out, kept, outcome, explanation);
    }

    fn problem(&self, scored: &mut Scored, line: u64, message: String, kept: &[Kept], raw: Raw) {
        let output_at = scored.out.len();
        if self.error_file {
            error_row(&mut scored.errors, line, &message, raw);
        } else {
            self.rows.errored(&mut scored.out, kept, &message);
        }
        let row_index = scored.rows.saturating_sub(1);
        scored.problems.push(Problem { line, message, output_at, row_index });
    }
}

/// Empties a vector and hands back its allocation for values that borrow
/// from somewhere else: the collect reuses the buffer in place, and with an
/// empty vector the closure never runs.
fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// An input row as read, for the error file.
#[derive(Clone, Copy)]
enum Raw<'a> {
    Csv(RawCsv<'a>),
    Json(&'a [u8]),
}

/// A CSV record as written, and as read.
#[derive(Clone, Copy)]
struct RawCsv<'a> {
    bytes: &'a [u8],
    record: &'a Record,
}

/// The message for a record whose quote never closed.
pub fn unterminated_message(quote: Quote) -> String {
    format!(
        "the quote at line {}, column {} opens a quoted cell that never closes, so the row was \
         read to the end of that line; close the quote, or double a quote inside a quoted cell (`\"\"`)",
        quote.line, quote.column
    )
}

/// A record's cells as text, or why they cannot be read; `describe` names
/// a cell by its index (a column name, or its position).
pub fn text_cells(record: &Record, describe: impl Fn(usize) -> String) -> Result<Vec<&str>, String> {
    if let Some(quote) = record.unterminated {
        return Err(unterminated_message(quote));
    }
    record
        .cells()
        .enumerate()
        .map(|(i, cell)| {
            std::str::from_utf8(cell)
                .map_err(|_| format!("{}: the value is not valid UTF-8; save the file as UTF-8", describe(i)))
        })
        .collect()
}

/// Appends a row to the error file: its line and the problem, then the
/// input row as written (CSV: `line` and `error` come first, so they stay
/// under their header whatever the row's length; NDJSON: an object with
/// `line`, `error` and the `input` line as a string, or as
/// `input_base64` when it is not UTF-8).
fn error_row(out: &mut Vec<u8>, line: u64, message: &str, raw: Raw) {
    use std::io::Write as _;
    match raw {
        Raw::Csv(raw) => {
            let _ = write!(out, "{line},");
            csv_field(out, message);
            out.push(b',');
            if raw.record.unterminated.is_none() {
                out.extend_from_slice(raw.bytes);
            } else {
                // As written it would swallow the rows after it: quote each cell.
                for (i, cell) in raw.record.cells().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    csv_bytes(out, cell);
                }
            }
            out.push(b'\n');
        }
        Raw::Json(bytes) => {
            let _ = write!(out, "{{\"line\":{line},\"error\":");
            json_string(out, message);
            match std::str::from_utf8(bytes) {
                Ok(text) => {
                    out.extend_from_slice(b",\"input\":");
                    json_string(out, text);
                }
                Err(_) => {
                    out.extend_from_slice(b",\"input_base64\":\"");
                    base64(out, bytes);
                    out.push(b'"');
                }
            }
            out.extend_from_slice(b"}\n");
        }
    }
}

/// Writes a CSV cell's bytes, quoted.
fn csv_bytes(out: &mut Vec<u8>, cell: &[u8]) {
    out.push(b'"');
    for &b in cell {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Standard base64 with padding (RFC 4648).
fn base64(out: &mut Vec<u8>, bytes: &[u8]) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digit = |n: u32| ALPHABET.get((n & 63) as usize).copied().unwrap_or(b'=');
    for group in bytes.chunks(3) {
        let b = |i: usize| u32::from(group.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(digit(n >> 18));
        out.push(digit(n >> 12));
        out.push(if group.len() > 1 { digit(n >> 6) } else { b'=' });
        out.push(if group.len() > 2 { digit(n) } else { b'=' });
    }
}

/// One NDJSON line as a JSON object, or why it is not one (a repeated key
/// is left for [`Lead::fill_json_object`] to report).
pub fn json_object(raw: &[u8]) -> Result<JsonObject<'_>, InputError> {
    let text = std::str::from_utf8(raw).map_err(|e| InputError::InvalidJson {
        column: e.valid_up_to() + 1,
        message: "the line is not valid UTF-8; save the file as UTF-8".into(),
    })?;
    JsonObject::read(text)
}
