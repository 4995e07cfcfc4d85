//! Scoring one chunk of input rows.
//!
//! In: a [`Chunk`] of whole CSV records or NDJSON lines. Out: a [`Scored`]
//! chunk — the output rows, the rows routed to the error file, and the row
//! problems with their input line numbers. Every row of the chunk becomes
//! a row of one [`Batch`] (a row that cannot be read holds an empty lead
//! and its problem): CSV cells fill it column by column (a quote-free chunk
//! is split without copying, any other goes through the full reader first),
//! NDJSON lines through a [`Lead`] each. The batch is scored at once
//! (`--explain` scores its rows one by one) and the rows are written in
//! input order. A worker's buffers are reused from chunk to chunk.

use super::DataFormat;
use super::columns::{Columns, report};
use super::error_file::{Raw, csv_bytes, error_row};
use super::output::{Kept, RowFormat, Scores};
use leadc::Outcomes;
use leadc::input::{InputError, JsonObject, UnknownColumns};
use leadc::intake::chunk::Chunk;
use leadc::intake::csv::{Quote, Record, Records};
use leadc::intake::lines::Lines;
use leadc::intake::plain::{PlainRecord, split_plain};
use leadc::lead::{Batch, Lead};
use leadc::outcome::Explanation;
use leadc::program::{Program, Scorer};
use serde_json::value::RawValue;

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
    /// Parquet output: the chunk's output rows as a record batch.
    #[cfg(feature = "parquet")]
    pub batch: Option<Result<arrow_array::RecordBatch, String>>,
}

impl Scored {
    /// Rows before the first problem (all rows when there is none).
    pub fn rows_before_first_problem(&self) -> u64 {
        self.problems.first().map_or(self.rows, |p| p.row_index)
    }
}

/// A worker's buffers, reused from chunk to chunk.
pub struct Scratch<'p> {
    lead: Lead,
    batch: Batch,
    outcomes: Outcomes,
    scorer: Scorer<'p>,
    /// The chunk's rows, in order.
    rows: Vec<Row>,
    /// The text of CSV `--keep` cells, `keep.len()` per row (their ends in
    /// `kept_ends`).
    kept_text: String,
    kept_ends: Vec<usize>,
    /// The cells of a quote-free chunk (empty between chunks: see
    /// `recycle`), and its records.
    cells: Vec<&'static str>,
    records: Vec<PlainRecord>,
    /// A quoted chunk's cells, one after the other.
    quoted_text: String,
    messages: Vec<String>,
    /// Per message: its column (empty for the whole row) and kind.
    causes: Vec<(String, &'static str)>,
}

/// One row of a chunk: where it came from and, when it cannot be scored,
/// its problem (an index into [`Scored::problems`]).
struct Row {
    problem: Option<usize>,
}

impl<'p> Job<'p> {
    /// The buffers a worker reuses for every chunk it scores.
    pub fn scratch(&self) -> Scratch<'p> {
        Scratch {
            lead: self.program.new_lead(),
            batch: Batch::new(self.program.schema()),
            outcomes: Outcomes::default(),
            scorer: self.program.scorer(),
            rows: Vec::new(),
            kept_text: String::new(),
            kept_ends: Vec::new(),
            cells: Vec::new(),
            records: Vec::new(),
            quoted_text: String::new(),
            messages: Vec::new(),
            causes: Vec::new(),
        }
    }

    /// Scores every row of `chunk`: reads them all into a batch (a row
    /// that cannot be read holds an empty lead and its problem), scores
    /// the batch, then writes the rows in input order.
    pub fn run(&self, scratch: &mut Scratch<'p>, chunk: Chunk) -> Scored {
        let mut scored = Scored {
            out: Vec::with_capacity(chunk.bytes.len()),
            bytes: chunk.bytes.len(),
            ..Scored::default()
        };
        scratch.batch.clear();
        scratch.rows.clear();
        scratch.kept_text.clear();
        scratch.kept_ends.clear();
        match self.input {
            DataFormat::Csv => {
                self.csv(&chunk, scratch, &mut scored);
                let text = std::mem::take(&mut scratch.kept_text);
                let ends = std::mem::take(&mut scratch.kept_ends);
                let width = self.columns.as_ref().map_or(0, |c| c.keep.len());
                self.write_rows(scratch, &mut scored, |row, kept| {
                    let from = (row * width).checked_sub(1).map_or(0, |i| ends.get(i).copied().unwrap_or(0));
                    let mut at = from;
                    for end in ends.get(row * width..(row + 1) * width).unwrap_or(&[]) {
                        kept.push(Kept::Text(text.get(at..*end).unwrap_or("")));
                        at = *end;
                    }
                });
                scratch.kept_text = text;
                scratch.kept_ends = ends;
            }
            DataFormat::Ndjson => {
                let kept = self.ndjson(&chunk, scratch, &mut scored);
                let width = self.keep.len();
                self.write_rows(scratch, &mut scored, |row, out| {
                    out.extend(
                        kept.get(row * width..(row + 1) * width)
                            .unwrap_or(&[])
                            .iter()
                            .map(|k| Kept::Json(*k)),
                    );
                });
            }
            // Parquet is scored by record batch (`super::parquet`), never in chunks.
            DataFormat::Parquet => {}
        }
        scored
    }

    fn csv(&self, chunk: &Chunk, scratch: &mut Scratch<'_>, scored: &mut Scored) {
        let Some(columns) = &self.columns else { return };
        if memchr::memchr(b'"', &chunk.bytes).is_none()
            && let Ok(text) = std::str::from_utf8(&chunk.bytes)
        {
            return self.csv_plain(columns, text, chunk.first_line, scratch, scored);
        }
        self.csv_quoted(columns, chunk, scratch, scored);
    }

    /// Reads any other chunk with the full reader, record by record, then
    /// fills the batch column by column as the quote-free path does. A
    /// record at fault (an unterminated quote, a cell that is not UTF-8)
    /// gives no cells; its row holds an empty lead and the fault.
    fn csv_quoted(&self, columns: &Columns, chunk: &Chunk, scratch: &mut Scratch<'_>, scored: &mut Scored) {
        let mut reader = Records::new(&chunk.bytes, chunk.first_line);
        let mut record = Record::default();
        // The good records' cells, one after the other in `text` (their ends
        // in `spans`); a broken record's cells, quoted, in `raw_text`.
        let (mut text, mut spans) = (std::mem::take(&mut scratch.quoted_text), Vec::new());
        let mut raw_text = Vec::new();
        let mut records: Vec<(u64, RawAt, Option<Fault>, usize)> = Vec::new();
        text.clear();
        while reader.next_into(&mut record) {
            // One UTF-8 check for the whole record; the cell at fault is
            // looked for only when it fails.
            // (Valid as a whole, with every cell end on a character
            // boundary, is every cell valid.)
            let whole = std::str::from_utf8(record.bytes())
                .ok()
                .filter(|text| record.ends().iter().all(|&end| text.is_char_boundary(end)));
            let not_utf8 = || record.cells().position(|c| std::str::from_utf8(c).is_err());
            let fault = match (record.unterminated, whole.is_none().then(not_utf8).flatten()) {
                (Some(quote), _) => Some(Fault::Unterminated(quote)),
                (None, Some(index)) => Some(Fault::NotUtf8(index)),
                (None, None) => None,
            };
            let raw = if record.unterminated.is_some() {
                // As written it would swallow the rows after it: quote each cell.
                let from = raw_text.len();
                for (i, cell) in record.cells().enumerate() {
                    if i > 0 {
                        raw_text.push(b',');
                    }
                    csv_bytes(&mut raw_text, cell);
                }
                RawAt::Rendered(from..raw_text.len())
            } else {
                RawAt::Input(record.raw_range())
            };
            let (base, first) = (text.len(), spans.len());
            match whole {
                Some(cells) => {
                    text.push_str(cells);
                    spans.extend(record.ends().iter().map(|end| base + end));
                }
                None => {
                    for cell in record.cells() {
                        text.push_str(std::str::from_utf8(cell).unwrap_or(""));
                        spans.push(text.len());
                    }
                }
            }
            for &c in &columns.keep {
                let start = if c == 0 { Some(base) } else { spans.get(first + c - 1).copied() };
                let cell = match (start, spans.get(first + c)) {
                    (Some(start), Some(&end)) if c < record.len() => text.get(start..end).unwrap_or(""),
                    _ => "",
                };
                scratch.kept_text.push_str(cell);
                scratch.kept_ends.push(scratch.kept_text.len());
            }
            if fault.is_some() {
                // A record at fault gives its row no cells.
                spans.truncate(first);
                text.truncate(base);
            }
            records.push((record.line, raw, fault, spans.len()));
        }
        let mut cells: Vec<&str> = recycle(std::mem::take(&mut scratch.cells));
        let mut start = 0;
        for &end in &spans {
            cells.push(text.get(start..end).unwrap_or(""));
            start = end;
        }
        let ends: Vec<usize> = records.iter().map(|r| r.3).collect();
        let mut problems = Vec::new();
        columns.layout().push_records(
            self.program.schema(),
            &mut scratch.batch,
            &cells,
            &ends,
            &mut problems,
        );
        let rows = records.iter().map(|(line, raw, fault, _)| {
            let raw = match raw {
                RawAt::Input(range) => Raw::Csv(chunk.bytes.get(range.clone()).unwrap_or(&[])),
                RawAt::Rendered(range) => Raw::Csv(raw_text.get(range.clone()).unwrap_or(&[])),
            };
            (*line, raw, *fault)
        });
        self.end_records(columns, rows, problems, scratch, scored);
        scratch.cells = recycle(cells);
        scratch.quoted_text = text;
    }

    /// Reads a chunk with no quote that is valid UTF-8: every record is
    /// one line and every cell a slice of it, so cells need no copy and no
    /// UTF-8 check of their own. Reads what [`Records`] reads.
    fn csv_plain(
        &self,
        columns: &Columns,
        text: &str,
        first_line: u64,
        scratch: &mut Scratch<'_>,
        scored: &mut Scored,
    ) {
        let bytes = text.as_bytes();
        // Every record's cells, then the batch filled column by column.
        let mut cells: Vec<&str> = recycle(std::mem::take(&mut scratch.cells));
        let mut records = std::mem::take(&mut scratch.records);
        records.clear();
        split_plain(text, first_line, &mut cells, &mut records);
        let mut from = 0;
        for record in &records {
            let row = cells.get(from..record.cells).unwrap_or(&[]);
            for &c in &columns.keep {
                scratch.kept_text.push_str(row.get(c).copied().unwrap_or(""));
                scratch.kept_ends.push(scratch.kept_text.len());
            }
            from = record.cells;
        }
        let ends: Vec<usize> = records.iter().map(|r| r.cells).collect();
        let mut problems = Vec::new();
        let schema = self.program.schema();
        columns.layout().push_records(schema, &mut scratch.batch, &cells, &ends, &mut problems);
        let rows = records.iter().map(|r| (r.line, Raw::Csv(bytes.get(r.start..r.end).unwrap_or(&[])), None));
        self.end_records(columns, rows, problems, scratch, scored);
        scratch.cells = recycle(cells);
        scratch.records = records;
    }

    /// Ends reading a chunk's CSV records, in order — each with its line,
    /// its bytes for the error file and its fault, if any — given the
    /// problems the batch fill found, by record (a record at fault keeps
    /// only its fault).
    fn end_records<'r>(
        &self,
        columns: &Columns,
        records: impl Iterator<Item = (u64, Raw<'r>, Option<Fault>)>,
        problems: Vec<(usize, InputError)>,
        scratch: &mut Scratch<'_>,
        scored: &mut Scored,
    ) {
        let mut problems = problems.into_iter().peekable();
        for (r, (line, raw, fault)) in records.enumerate() {
            scored.rows += 1;
            scratch.messages.clear();
            scratch.causes.clear();
            while let Some((_, e)) = problems.next_if(|(p, _)| *p == r) {
                if fault.is_none() {
                    report(&[e], &mut scratch.messages, &mut scratch.causes);
                }
            }
            if let Some(fault) = fault {
                fault_message(columns, fault, &mut scratch.messages, &mut scratch.causes);
            }
            self.end_row(scored, scratch, line, raw);
        }
    }

    /// Reads the chunk's NDJSON lines; returns each row's `--keep` values.
    fn ndjson<'c>(
        &self,
        chunk: &'c Chunk,
        scratch: &mut Scratch<'_>,
        scored: &mut Scored,
    ) -> Vec<Option<&'c RawValue>> {
        let schema = self.program.schema();
        scored.kept_seen = vec![false; self.keep.len()];
        let mut kept = Vec::new();
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
            for (k, seen) in self.keep.iter().zip(&mut scored.kept_seen) {
                let value = object.as_ref().and_then(|o| o.get(k));
                *seen |= value.is_some();
                kept.push(value);
            }
            if scored.sample_keys.is_empty()
                && let Some(object) = &object
            {
                scored.sample_keys = object.members().map(|(k, _)| k.to_string()).collect();
            }
            let filled = match &object {
                Some(object) => scratch.lead.fill_json_object(schema, object, UnknownColumns::Ignore),
                None => Ok(()),
            };
            if let Err(e) = filled {
                let (column, kind) = e.summary_key();
                scratch.causes.push((column.unwrap_or("").to_string(), kind));
                scratch.messages.push(e.to_string());
            }
            if object.is_none() || scratch.batch.push_lead(&scratch.lead).is_err() {
                scratch.batch.push();
            }
            self.end_row(scored, scratch, line, Raw::Json(raw));
        }
        kept
    }

    /// Ends reading a row: records its problems, if any (a row routed to
    /// the error file is written there now: that file holds bad rows only).
    fn end_row(&self, scored: &mut Scored, scratch: &mut Scratch<'_>, line: u64, raw: Raw) {
        if scratch.messages.is_empty() {
            scratch.rows.push(Row { problem: None });
            return;
        }
        let message = scratch.messages.join("; ");
        scored.causes.append(&mut scratch.causes);
        if self.error_file {
            error_row(&mut scored.errors, line, &message, raw);
        }
        let row_index = scored.rows.saturating_sub(1);
        scratch.rows.push(Row { problem: Some(scored.problems.len()) });
        scored.problems.push(Problem { line, message, output_at: 0, row_index });
    }

    /// Scores the batch and writes every row in order; `kept` gives a row's
    /// `--keep` values.
    fn write_rows<'k>(
        &self,
        scratch: &mut Scratch<'_>,
        scored: &mut Scored,
        mut kept: impl FnMut(usize, &mut Vec<Kept<'k>>),
    ) {
        let schema = self.program.schema();
        // The batch was built for the program's schema, so this cannot fail;
        // should it, every row is scored on its own below, never left out.
        let batched = !self.explain
            && scratch.scorer.score_batch_at(&scratch.batch, self.as_of, &mut scratch.outcomes).is_ok();
        let mut values = Vec::new();
        let mut out = Out::new(self, &mut scored.out);
        for (i, row) in scratch.rows.iter().enumerate() {
            values.clear();
            kept(i, &mut values);
            out.kept(&values);
            if let Some(problem) = row.problem.and_then(|p| scored.problems.get_mut(p)) {
                problem.output_at = out.len();
                if !self.error_file {
                    out.errored(i, &values, &problem.message);
                }
            } else if batched && i < scratch.outcomes.len() {
                out.scored(i, &values, Scores::Row(&scratch.outcomes, i), None);
            } else {
                let lead = scratch.batch.lead(schema, i).unwrap_or_else(|| self.program.new_lead());
                if self.explain {
                    let (outcome, explanation) = scratch.scorer.explain_at(&lead, self.as_of);
                    out.scored(i, &values, Scores::Outcome(outcome), Some(explanation));
                } else {
                    let outcome = scratch.scorer.score_at(&lead, self.as_of);
                    out.scored(i, &values, Scores::Outcome(outcome), None);
                }
            }
        }
        #[cfg(feature = "parquet")]
        {
            scored.batch = out.finish();
        }
    }
}

/// Where a chunk's output rows go: text, or (Parquet output) Arrow columns.
struct Out<'a, 'p> {
    rows: &'a RowFormat<'p>,
    text: &'a mut Vec<u8>,
    #[cfg(feature = "parquet")]
    arrow: Option<(super::arrow_out::ScoredBatch, super::arrow_out::KeptText)>,
}

impl<'a, 'p> Out<'a, 'p> {
    fn new(job: &'a Job<'p>, text: &'a mut Vec<u8>) -> Self {
        #[cfg(feature = "parquet")]
        let arrow = (job.rows.format() == DataFormat::Parquet).then(|| {
            let scores = super::arrow_out::ScoredBatch::new(job.program, job.explain);
            (scores, super::arrow_out::KeptText::new(&job.keep))
        });
        Out {
            rows: &job.rows,
            text,
            #[cfg(feature = "parquet")]
            arrow,
        }
    }

    /// Takes every input row's kept cells (Parquet output: the rows'
    /// kept columns are taken from them by input row).
    fn kept(&mut self, kept: &[Kept]) {
        #[cfg(feature = "parquet")]
        if let Some((_, text)) = &mut self.arrow {
            text.push(kept);
        }
        let _ = kept;
    }

    /// Where the next row's output starts (for `--strict`).
    fn len(&self) -> usize {
        self.text.len()
    }

    fn scored(&mut self, row: usize, kept: &[Kept], scores: Scores, explanation: Option<&Explanation>) {
        #[cfg(feature = "parquet")]
        if let Some((batch, _)) = &mut self.arrow {
            return batch.scored(row, scores, explanation, self.rows);
        }
        let _ = row;
        self.rows.scored(self.text, kept, scores, explanation);
    }

    fn errored(&mut self, row: usize, kept: &[Kept], message: &str) {
        #[cfg(feature = "parquet")]
        if let Some((batch, _)) = &mut self.arrow {
            return batch.errored(row, message);
        }
        let _ = row;
        self.rows.errored(self.text, kept, message);
    }

    /// The record batch of the rows (Parquet output).
    #[cfg(feature = "parquet")]
    fn finish(self) -> Option<Result<arrow_array::RecordBatch, String>> {
        let (batch, text) = self.arrow?;
        Some(batch.finish(self.rows.program(), &text.finish()).map_err(|e| e.to_string()))
    }
}

/// Empties a vector and hands back its allocation for values that borrow
/// from somewhere else: the collect reuses the buffer in place, and with an
/// empty vector the closure never runs.
fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// Where a CSV record's bytes for the error file are: in the input as
/// written, or rendered (a broken record's cells, each quoted).
enum RawAt {
    Input(std::ops::Range<usize>),
    Rendered(std::ops::Range<usize>),
}

/// The message and summary cause of a record at fault.
fn fault_message(
    columns: &Columns,
    fault: Fault,
    messages: &mut Vec<String>,
    causes: &mut Vec<(String, &'static str)>,
) {
    match fault {
        Fault::Unterminated(quote) => {
            messages.push(unterminated_message(quote));
            causes.push((String::new(), "unterminated quote"));
        }
        Fault::NotUtf8(index) => {
            causes.push((columns.name(index).to_string(), "not UTF-8"));
            messages.push(format!(
                "{}: the value is not valid UTF-8; is the file in another encoding \
                 (such as Windows-1252)? save it as UTF-8",
                columns.describe(index)
            ));
        }
    }
}

/// Why a CSV record's cells cannot be read.
#[derive(Clone, Copy)]
enum Fault {
    /// A quote opens a cell and never closes.
    Unterminated(Quote),
    /// The cell at this index is not UTF-8.
    NotUtf8(usize),
}

/// The message for a record whose quote never closed.
pub fn unterminated_message(quote: Quote) -> String {
    quote.to_string()
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

/// One NDJSON line as a JSON object, or why it is not one (a repeated key
/// is left for [`Lead::fill_json_object`] to report).
pub fn json_object(raw: &[u8]) -> Result<JsonObject<'_>, InputError> {
    let text = std::str::from_utf8(raw).map_err(|e| InputError::InvalidJson {
        column: e.valid_up_to() + 1,
        message: "the line is not valid UTF-8; save the file as UTF-8".into(),
    })?;
    JsonObject::read(text)
}
