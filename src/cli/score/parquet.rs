//! `leadc score` on a Parquet file.
//!
//! In: [`ScoreArgs`] whose input is a Parquet file. Out: what a CSV input
//! gives — one output row per input row, as CSV or NDJSON through the same
//! [`Sink`], or as a Parquet file (the `--keep` columns as they were, then
//! the score columns); bad rows marked in the `error` column or, with
//! `--errors FILE.parquet`, written there with every input column as it
//! was; the same summary and exit codes. The file is read record batch
//! by record batch, each scored by the batch engine where its columns lie
//! (`leadc::ArrowLeads`), so memory stays flat in the file's length.

use super::arrow_out::{CellKind, KeptText, ScoredBatch, error_rows, push_cell, writable};
use super::columns::{Columns, report};
use super::output::{Kept, RowFormat, Scores};
use super::pipeline::{Flow, run_ordered_items};
use super::sink::Sink;
use super::worker::{Job, Problem, Scored};
use super::{DataFormat, ScoreArgs, fail};
use crate::cli::{Exit, stdio};
use arrow_array::{ArrayRef, RecordBatch};
use leadc::input::{InputError, UnknownColumns};
use leadc::program::{Program, Scorer};
use leadc::{ArrowLeads, Outcomes};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::file::properties::WriterProperties;
use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Instant;

/// Rows per record batch read.
const BATCH_ROWS: usize = 65_536;

/// Runs `leadc score` on a Parquet input.
pub fn run(args: &ScoreArgs, program: &Program, color: bool) -> Exit {
    match Run::start(args, program, color) {
        Ok(run) => run.all(args, color),
        Err(exit) => exit,
    }
}

/// A Parquet run: what the workers share, and the writers.
struct Run<'p> {
    shared: Shared<'p>,
    sink: Sink,
    output: Option<ArrowWriter<Box<dyn Write + Send>>>,
    errors: Option<ArrowWriter<File>>,
    /// The work items: runs of row groups, each with its first row in
    /// the file.
    groups: Vec<(Vec<usize>, u64)>,
}

/// What every worker reads: the program, the options, the column mapping.
struct Shared<'p> {
    program: &'p Program,
    job: Job<'p>,
    path: PathBuf,
    /// The input columns kept, by index.
    keep: Vec<usize>,
    /// `--map` pairs.
    map: Vec<(String, String)>,
    /// Whether the output is Parquet (record batches, not text).
    arrow_output: bool,
    /// The file's metadata, read once (each worker's reader shares it),
    /// with the string columns of enum fields read as dictionaries (each
    /// distinct value looked up once).
    metadata: ArrowReaderMetadata,
    /// Bytes of the file per row, for the progress bar.
    bytes_per_row: f64,
}

/// A worker's buffers.
struct Worker<'p> {
    scorer: Scorer<'p>,
    outcomes: Outcomes,
}

/// One record batch, scored: the sink's share, and the Parquet output
/// and error rows.
struct BatchOut {
    scored: Scored,
    output: Option<RecordBatch>,
    errors: Option<RecordBatch>,
}

impl<'p> Run<'p> {
    fn start(args: &ScoreArgs, program: &'p Program, color: bool) -> Result<Run<'p>, Exit> {
        let name = args.input_name();
        let Some(path) = args.input.as_deref().filter(|p| p.as_os_str() != "-") else {
            let message =
                "Parquet is read from its footer, so it cannot come from stdin: pass the file's path";
            return Err(fail(message, Exit::Usage, color));
        };
        let file =
            File::open(path).map_err(|e| fail(&format!("cannot read `{name}`: {e}"), Exit::Io, color))?;
        let size = file.metadata().map_or(0, |m| m.len());
        let builder = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|e| fail(&unreadable(&name, &e, None), Exit::DataErrors, color))?;
        let arrow_schema = builder.schema().clone();
        let header: Vec<String> = arrow_schema.fields().iter().map(|f| f.name().clone()).collect();
        // Work items: runs of row groups of at least a batch's rows (a file
        // written one row at a time has a row group per row).
        let mut groups: Vec<(Vec<usize>, u64)> = Vec::new();
        let (mut rows, mut pending) = (0u64, 0u64);
        for (i, g) in builder.metadata().row_groups().iter().enumerate() {
            match groups.last_mut() {
                Some((run, _)) if pending < BATCH_ROWS as u64 => run.push(i),
                _ => {
                    groups.push((vec![i], rows));
                    pending = 0;
                }
            }
            let n = g.num_rows().max(0) as u64;
            rows += n;
            pending += n;
        }
        if let Some(path) =
            args.errors.as_deref().filter(|p| DataFormat::from_path(p) != Some(DataFormat::Parquet))
        {
            let message = format!(
                "`--errors {}`: the error file of a Parquet input is a Parquet file (it keeps every \
                 column as it was): name it `*.parquet`",
                path.display()
            );
            return Err(fail(&message, Exit::Usage, color));
        }
        super::columns::check_map(program.schema(), &args.map).map_err(|m| fail(&m, Exit::Usage, color))?;
        let columns = Columns::new(program.schema(), &header, &args.keep, &args.map, "the file's columns")
            .map_err(|m| fail(&m, Exit::Usage, color))?;
        super::run::report_columns(&columns, args, color)?;
        let output_format = args.output_format();
        if output_format != DataFormat::Parquet {
            for &i in &columns.keep {
                if let Some(field) = arrow_schema.fields().get(i).filter(|f| !writable(f.data_type())) {
                    let message = format!(
                        "`--keep {}`: a column of Arrow type `{}` cannot be written as text; \
                         write Parquet (`-o FILE.parquet`), which keeps it as it is",
                        field.name(),
                        field.data_type()
                    );
                    return Err(fail(&message, Exit::Usage, color));
                }
            }
        }
        let keep = columns.keep.clone();
        // Bad rows go to `--errors` with their columns' own types, so the
        // enum columns are read as dictionaries only without it.
        let read_as = match args.errors {
            Some(_) => arrow_schema.clone(),
            None => dictionaries_for_enums(program, &columns, &arrow_schema),
        };
        let errors = error_file(args, &arrow_schema).map_err(|(m, exit)| fail(&m, exit, color))?;
        let job = Job {
            program,
            input: DataFormat::Parquet,
            columns: Some(columns),
            keep: args.keep.clone(),
            rows: RowFormat::new(output_format, args.explain, program, args.keep.clone()),
            error_file: args.errors.is_some(),
            explain: args.explain,
            as_of: args.as_of.unwrap_or_else(crate::cli::now),
        };
        let arrow_output = output_format == DataFormat::Parquet;
        let out = match arrow_output {
            true => parquet_output(args),
            false => open_output(args).map_err(|e| (e, Exit::Io)),
        };
        let out = out.map_err(|(e, exit)| fail(&e, exit, color))?;
        let (sink, output) = match arrow_output {
            true => (Sink::new(args, &job, Box::new(io::sink()), None), Some(out)),
            false => (Sink::new(args, &job, out, None), None),
        };
        let mut sink = sink.map_err(|e| fail(&e, Exit::Io, color))?;
        sink.row_numbers();
        let output = match output {
            Some(out) => {
                let empty = RecordBatch::new_empty(arrow_schema);
                let schema = ScoredBatch::new(program, args.explain)
                    .finish(program, &kept_columns(&empty, &keep))
                    .map_err(|e| fail(&e.to_string(), Exit::Io, color))?
                    .schema();
                Some(writer(out, schema).map_err(|e| fail(&e, Exit::Io, color))?)
            }
            None => None,
        };
        let shared = Shared {
            program,
            job,
            path: path.to_path_buf(),
            keep,
            map: args.map.clone(),
            arrow_output,
            metadata: ArrowReaderMetadata::load(
                &File::open(path)
                    .map_err(|e| fail(&format!("cannot read `{name}`: {e}"), Exit::Io, color))?,
                ArrowReaderOptions::new().with_schema(read_as.clone()),
            )
            .map_err(|e| fail(&unreadable(&name, &e, None), Exit::DataErrors, color))?,
            bytes_per_row: size as f64 / rows.max(1) as f64,
        };
        Ok(Run { shared, sink, output, errors, groups })
    }

    /// Scores every row group, `--threads` at a time, and writes them in
    /// order.
    fn all(mut self, args: &ScoreArgs, color: bool) -> Exit {
        let started = Instant::now();
        let threads =
            args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        let mut failed: Option<String> = None;
        let shared = &self.shared;
        let items = std::mem::take(&mut self.groups).into_iter().map(Ok);
        let (sink, output, errors) = (&mut self.sink, &mut self.output, &mut self.errors);
        let result = run_ordered_items(
            items,
            threads,
            || {
                let mut worker = Worker { scorer: shared.program.scorer(), outcomes: Outcomes::default() };
                move |(groups, first_row)| shared.group(groups, first_row, &mut worker)
            },
            |scored: Result<Vec<BatchOut>, String>| match scored {
                Ok(batches) => write_group(batches, sink, output, errors, args.strict),
                Err(message) => {
                    failed = Some(message);
                    Ok(Flow::Stop)
                }
            },
        );
        let closed = close(sink, output.take(), errors.take());
        if let Some(message) = failed {
            // What was written before the damage still counts: say how much.
            let exit = fail(&message, Exit::DataErrors, color);
            self.sink.summary(args, started.elapsed().as_secs_f64(), color);
            return exit;
        }
        if let Err(e) = result.and(closed) {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return stdio::stdout_failed(&e, color);
            }
            return fail(&format!("scoring stopped: {e}"), Exit::Io, color);
        }
        if self.shared.program.is_timed() && !args.quiet {
            let instant = leadc::time::format_instant(self.shared.job.as_of);
            let _ = stdio::errln(format_args!(
                "scored as of {instant} (rerun with --as-of {instant} to reproduce)"
            ));
        }
        self.sink.summary(args, started.elapsed().as_secs_f64(), color)
    }
}

/// Writes a row group's batches in order; under `strict`, stops at the
/// first problem, keeping only the rows before it.
fn write_group(
    batches: Vec<BatchOut>,
    sink: &mut Sink,
    output: &mut Option<ArrowWriter<Box<dyn Write + Send>>>,
    errors: &mut Option<ArrowWriter<File>>,
    strict: bool,
) -> io::Result<Flow> {
    for b in batches {
        let upto = if strict { b.scored.problems.first().map(|p| p.row_index as usize) } else { None };
        if let (Some(w), Some(batch)) = (output.as_mut(), &b.output) {
            // Rows before the first problem are good, so they are the
            // output's first rows whether bad rows go to `--errors` or not.
            let n = upto.unwrap_or(batch.num_rows()).min(batch.num_rows());
            w.write(&batch.slice(0, n)).map_err(io::Error::other)?;
        }
        if let (Some(w), Some(bad)) = (errors.as_mut(), &b.errors) {
            let n = upto.map_or(bad.num_rows(), |_| 1).min(bad.num_rows());
            w.write(&bad.slice(0, n)).map_err(io::Error::other)?;
        }
        if sink.write(b.scored, strict)? == Flow::Stop {
            return Ok(Flow::Stop);
        }
    }
    Ok(Flow::Continue)
}

fn close(
    sink: &mut Sink,
    output: Option<ArrowWriter<Box<dyn Write + Send>>>,
    errors: Option<ArrowWriter<File>>,
) -> io::Result<()> {
    sink.finish()?;
    if let Some(w) = output {
        w.close().map_err(io::Error::other)?;
    }
    if let Some(w) = errors {
        w.close().map_err(io::Error::other)?;
    }
    Ok(())
}

/// Why `name` cannot be read as Parquet (from row `from` on, when known),
/// with how to re-save a file whose pages use a codec leadc lacks.
fn unreadable(name: &str, error: &dyn std::fmt::Display, from: Option<u64>) -> String {
    let error = error.to_string();
    let rows = from.map(|row| format!(" from row {row} on")).unwrap_or_default();
    let mut message = format!("cannot read `{name}` as Parquet{rows}: {error}");
    if error.contains("Disabled feature at compile time") {
        message.push_str(
            "; leadc reads Snappy, Zstandard, LZ4 and gzip pages: re-save the file with one of \
             them (pandas: `df.to_parquet(path, compression=\"zstd\")`; DuckDB: `COPY ... TO \
             'out.parquet' (FORMAT parquet, COMPRESSION zstd)`)",
        );
    }
    message
}

impl<'p> Shared<'p> {
    /// Scores row groups `groups` (their first row is the file's
    /// `first_row`).
    fn group(
        &self,
        groups: Vec<usize>,
        first_row: u64,
        worker: &mut Worker<'p>,
    ) -> Result<Vec<BatchOut>, String> {
        let name = self.path.display().to_string();
        let cannot = |e: &dyn std::fmt::Display| unreadable(&name, e, Some(first_row + 1));
        let file = File::open(&self.path).map_err(|e| cannot(&e))?;
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(file, self.metadata.clone())
            .with_row_groups(groups)
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| cannot(&e))?;
        let mut out = Vec::new();
        let mut first = first_row;
        for batch in reader {
            let batch = batch.map_err(|e| cannot(&e))?;
            out.push(self.batch(&batch, first, worker)?);
            first += batch.num_rows() as u64;
        }
        Ok(out)
    }

    /// Scores one record batch (its first row is the file's `first_row`);
    /// `Err` when a column cannot be read at all.
    fn batch(
        &self,
        batch: &RecordBatch,
        first_row: u64,
        worker: &mut Worker<'p>,
    ) -> Result<BatchOut, String> {
        let (program, job) = (self.program, &self.job);
        let schema = program.schema();
        let leads = ArrowLeads::with_mapping(schema, batch, UnknownColumns::Ignore, &self.map)
            .map_err(|e| format!("`{}`: {e}", self.path.display()))?;
        let mut scored = Scored { rows: batch.num_rows() as u64, ..Scored::default() };
        scored.bytes = (batch.num_rows() as f64 * self.bytes_per_row) as usize;
        let bad = problems(&leads, first_row, &mut scored);
        let Worker { scorer, outcomes } = worker;
        let batched = !job.explain && scorer.score_arrow_at(&leads, job.as_of, outcomes).is_ok();
        let mut out = self.arrow_output.then(|| ScoredBatch::new(program, job.explain));
        let mut error_file = Vec::new();
        // The kept cells of every row, as text, unless the output is Parquet.
        let (text, ends) = if out.is_some() { Default::default() } else { kept_text(batch, &self.keep) };
        let mut kept = Vec::with_capacity(self.keep.len());
        let mut next_bad = bad.iter().peekable();
        for row in 0..batch.num_rows() {
            let problem = next_bad.next_if(|(r, _)| *r == row).map(|(_, p)| *p);
            if let Some(p) = problem.and_then(|p| scored.problems.get_mut(p)) {
                p.output_at = scored.out.len();
                if job.error_file {
                    error_file.push((row as u32, p.line, p.message.clone()));
                } else if let Some(o) = &mut out {
                    o.errored(row, &p.message);
                } else {
                    kept_row(&text, &ends, self.keep.len(), row, &mut kept);
                    job.rows.errored(&mut scored.out, &kept, &p.message);
                }
                continue;
            }
            let lead;
            let (scores, explanation) = if batched && row < outcomes.len() {
                (Scores::Row(outcomes, row), None)
            } else {
                lead = leads.lead(schema, row).unwrap_or_else(|| program.new_lead());
                match job.explain {
                    true => {
                        let (o, e) = scorer.explain_at(&lead, job.as_of);
                        (Scores::Outcome(o), Some(e))
                    }
                    false => (Scores::Outcome(scorer.score_at(&lead, job.as_of)), None),
                }
            };
            match &mut out {
                Some(o) => o.scored(row, scores, explanation, &job.rows),
                None => {
                    kept_row(&text, &ends, self.keep.len(), row, &mut kept);
                    job.rows.scored(&mut scored.out, &kept, scores, explanation);
                }
            }
        }
        let output = match out {
            Some(o) => Some(o.finish(program, &kept_columns(batch, &self.keep)).map_err(|e| e.to_string())?),
            None => None,
        };
        let errors = match error_file.is_empty() {
            true => None,
            false => Some(error_rows(batch, &error_file).map_err(|e| e.to_string())?),
        };
        Ok(BatchOut { scored, output, errors })
    }
}

/// `schema` with each `Utf8` column that fills an enum field (and is not
/// kept: a kept column is written back as it was) read as a dictionary:
/// decoded without a string per row, each distinct value looked up once.
fn dictionaries_for_enums(
    program: &Program,
    columns: &Columns,
    schema: &arrow_schema::SchemaRef,
) -> arrow_schema::SchemaRef {
    use arrow_schema::{DataType, Field};
    use leadc::input::Column;
    use leadc::schema::FieldType;
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let is_enum = match columns.layout().columns().get(i) {
                Some((Column::Field(id), _)) => {
                    program.schema().field(*id).is_some_and(|d| matches!(d.ty, FieldType::Enum(_)))
                }
                _ => false,
            };
            match f.data_type() {
                DataType::Utf8 if is_enum && !columns.keep.contains(&i) => f.as_ref().clone().with_data_type(
                    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
                ),
                _ => f.as_ref().clone(),
            }
        })
        .collect();
    std::sync::Arc::new(arrow_schema::Schema::new_with_metadata(fields, schema.metadata().clone()))
}

/// The `--errors` Parquet file (`start` checked its name), opened with its
/// schema: `row`, `error`, then every input column as read.
fn error_file(
    args: &ScoreArgs,
    input: &arrow_schema::SchemaRef,
) -> Result<Option<ArrowWriter<File>>, (String, Exit)> {
    let Some(path) = &args.errors else { return Ok(None) };
    let cannot = |e: &dyn std::fmt::Display| (format!("cannot write `{}`: {e}", path.display()), Exit::Io);
    let file = File::create(path).map_err(|e| cannot(&e))?;
    let schema = error_rows(&RecordBatch::new_empty(input.clone()), &[]).map_err(|e| cannot(&e))?.schema();
    writer(file, schema).map(Some).map_err(|e| cannot(&e))
}

/// The lead `leadc explain` asks for: row `row` (from 1), or the first
/// whose `id_column` reads `id`; with where it was found.
pub fn find_lead(
    path: &std::path::Path,
    program: &Program,
    row: Option<u64>,
    id: Option<(&str, &str)>,
    map: &[(String, String)],
) -> Result<(leadc::Lead, String), (String, Exit)> {
    let name = path.display().to_string();
    let cannot =
        |e: &dyn std::fmt::Display| (format!("cannot read `{name}` as Parquet: {e}"), Exit::DataErrors);
    let file = File::open(path).map_err(|e| (format!("cannot read `{name}`: {e}"), Exit::Io))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| cannot(&e))?;
    let id_at = match id {
        Some((column, _)) => Some(builder.schema().index_of(column).map_err(|_| {
            (format!("`{name}` has no column `{column}` (set it with --id-column)"), Exit::Usage)
        })?),
        None => None,
    };
    let mut first = 0u64;
    let mut text = String::new();
    for batch in builder.with_batch_size(BATCH_ROWS).build().map_err(|e| cannot(&e))? {
        let batch = batch.map_err(|e| cannot(&e))?;
        let found = match (id_at, id, row) {
            (Some(at), Some((_, value)), _) => (0..batch.num_rows()).find(|&r| {
                text.clear();
                push_cell(batch.column(at).as_ref(), r, &mut text) != CellKind::Null && text == value
            }),
            (_, _, Some(n)) => n.checked_sub(first + 1).map(|r| r as usize).filter(|&r| r < batch.num_rows()),
            _ => None,
        };
        if let Some(r) = found {
            let place = format!("{name}: row {}", first + r as u64 + 1);
            let leads = ArrowLeads::with_mapping(program.schema(), &batch, UnknownColumns::Ignore, map)
                .map_err(|e| (format!("`{name}`: {e}"), Exit::Usage))?;
            let problems: Vec<String> = leads
                .problems()
                .iter()
                .filter(|(at, _)| *at == r)
                .map(|(_, e)| InputError::Value(e.clone()).in_column())
                .collect();
            if !problems.is_empty() {
                return Err((format!("{place}: {}", problems.join("; ")), Exit::DataErrors));
            }
            let lead = leads.lead(program.schema(), r).unwrap_or_else(|| program.new_lead());
            return Ok((lead, place));
        }
        first += batch.num_rows() as u64;
    }
    let missing = match (id, row) {
        (Some((column, value)), _) => format!("`{name}` has no lead with {column} = `{value}`"),
        (None, Some(n)) => format!("`{name}` has fewer than {n} leads"),
        (None, None) => format!("no lead chosen in `{name}`"),
    };
    Err((missing, Exit::DataErrors))
}

/// The Parquet writer for a CSV or NDJSON input's output rows (`None`
/// for another output format): the kept columns as strings, then the
/// score columns.
pub fn text_output(args: &ScoreArgs, job: &Job) -> Result<Option<TextWriter>, (String, Exit)> {
    if job.rows.format() != DataFormat::Parquet {
        return Ok(None);
    }
    let empty = ScoredBatch::new(job.program, job.explain)
        .finish(job.program, &KeptText::new(&job.keep).finish())
        .map_err(|e| (e.to_string(), Exit::Io))?;
    writer(parquet_output(args)?, empty.schema()).map(Some).map_err(|e| (e, Exit::Io))
}

/// A Parquet output's writer.
pub type TextWriter = ArrowWriter<Box<dyn Write + Send>>;

/// Writes a scored chunk's rows (Parquet output): under `strict`, those
/// before its first problem.
pub fn write_text_rows(w: Option<&mut TextWriter>, mut scored: Scored, strict: bool) -> io::Result<Scored> {
    let (Some(w), Some(batch)) = (w, scored.batch.take()) else { return Ok(scored) };
    let batch = batch.map_err(io::Error::other)?;
    let upto = if strict { scored.problems.first().map(|p| p.row_index as usize) } else { None };
    // Rows before the first problem are good: they are the output's first.
    let n = upto.unwrap_or(batch.num_rows()).min(batch.num_rows());
    w.write(&batch.slice(0, n)).map_err(io::Error::other)?;
    Ok(scored)
}

/// Finishes a Parquet output (its footer).
pub fn close_output(w: TextWriter) -> io::Result<()> {
    w.close().map(|_| ()).map_err(io::Error::other)
}

/// Each bad row's problem, in row order (`(row, index into
/// scored.problems)`), with its row number from 1 as its place.
fn problems(leads: &ArrowLeads<'_>, first_row: u64, scored: &mut Scored) -> Vec<(usize, usize)> {
    let mut bad = Vec::new();
    let mut found = leads.problems().iter().peekable();
    while let Some((row, _)) = found.peek().copied() {
        let row = *row;
        let mut errors = Vec::new();
        while let Some((_, e)) = found.next_if(|(r, _)| *r == row) {
            errors.push(InputError::Value(e.clone()));
        }
        let mut messages = Vec::new();
        report(&errors, &mut messages, &mut scored.causes);
        bad.push((row, scored.problems.len()));
        scored.problems.push(Problem {
            line: first_row + row as u64 + 1,
            message: messages.join("; "),
            output_at: 0,
            row_index: row as u64,
        });
    }
    bad
}

/// The kept cells of every row of `batch`, row by row, as one text and
/// each cell's end and kind.
fn kept_text(batch: &RecordBatch, keep: &[usize]) -> (String, Vec<(usize, CellKind)>) {
    let mut text = String::new();
    let mut ends = Vec::with_capacity(batch.num_rows() * keep.len());
    let columns: Vec<&dyn arrow_array::Array> =
        keep.iter().filter_map(|&i| batch.columns().get(i).map(|a| a.as_ref())).collect();
    for row in 0..batch.num_rows() {
        for column in &columns {
            let kind = push_cell(*column, row, &mut text);
            ends.push((text.len(), kind));
        }
    }
    (text, ends)
}

/// Row `row`'s kept cells (`width` per row) from [`kept_text`], into `out`.
fn kept_row<'t>(
    text: &'t str,
    ends: &[(usize, CellKind)],
    width: usize,
    row: usize,
    out: &mut Vec<Kept<'t>>,
) {
    out.clear();
    let cells = ends.get(row * width..(row + 1) * width).unwrap_or(&[]);
    let mut from = (row * width).checked_sub(1).and_then(|i| ends.get(i)).map_or(0, |e| e.0);
    for &(end, kind) in cells {
        let cell = text.get(from..end).unwrap_or("");
        from = end;
        out.push(match kind {
            CellKind::Null => Kept::Json(None),
            CellKind::Text => Kept::Text(cell),
            CellKind::Literal => Kept::Literal(cell),
        });
    }
}

/// The kept columns of a batch, with their names.
fn kept_columns(batch: &RecordBatch, keep: &[usize]) -> Vec<(String, ArrayRef)> {
    let schema = batch.schema();
    keep.iter()
        .filter_map(|&i| Some((schema.fields().get(i)?.name().clone(), batch.columns().get(i)?.clone())))
        .collect()
}

/// The output for Parquet: a file, or stdout when it is not a terminal.
fn parquet_output(args: &ScoreArgs) -> Result<Box<dyn Write + Send>, (String, Exit)> {
    use std::io::IsTerminal;
    let to_stdout = args.output.as_deref().is_none_or(|p| p.as_os_str() == "-");
    if to_stdout && io::stdout().is_terminal() {
        let message = "Parquet is binary: write it to a file (`-o scored.parquet`) or a pipe";
        return Err((message.into(), Exit::Usage));
    }
    open_output(args).map_err(|e| (e, Exit::Io))
}

fn open_output(args: &ScoreArgs) -> Result<Box<dyn Write + Send>, String> {
    Ok(match &args.output {
        Some(path) if path.as_os_str() != "-" => {
            Box::new(File::create(path).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?)
        }
        _ => Box::new(io::stdout()),
    })
}

fn writer<W: Write + Send>(out: W, schema: arrow_schema::SchemaRef) -> Result<ArrowWriter<W>, String> {
    let props = WriterProperties::builder().set_compression(parquet::basic::Compression::SNAPPY).build();
    ArrowWriter::try_new(out, schema, Some(props)).map_err(|e| format!("cannot write Parquet: {e}"))
}
