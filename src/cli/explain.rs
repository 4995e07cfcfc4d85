//! `leadc explain`: one lead's rule-by-rule breakdown.
//!
//! In: a program and one lead — a row of a CSV/NDJSON file picked by
//! `--row` or `--id`, or an inline `--lead '{json}'`. Out: a readable table
//! (must-haves, segment, every rule with fired/points and the values of
//! the fields and behaviours it read, category caps, the score arithmetic,
//! the tier) or the same as one JSON object.
//!
//! The breakdown itself is the library's (`leadc::explain`), shared with
//! the Python package.

use super::score::DataFormat;
use super::{Exit, Format, ProgramArgs, load, report, stdio};
use crate::cli::score::columns::{Columns, read_header};
use crate::cli::score::worker::{json_object, text_cells};
use leadc::input::{JsonObject, UnknownColumns, cell_text};
use leadc::intake::chunk::{Framing, Splitter};
use leadc::intake::csv::{Record, Records};
use leadc::intake::lines::Lines;
use leadc::lead::Lead;
use leadc::program::Program;
use std::path::PathBuf;

/// Arguments of `leadc explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    program: ProgramArgs,
    /// A CSV, NDJSON or Parquet file of leads.
    input: Option<PathBuf>,
    /// Which data row to explain (1 = the first lead).
    #[arg(long, value_name = "N", conflicts_with = "id", value_parser = parse_row)]
    row: Option<u64>,
    /// Explain the lead whose id column has this value.
    #[arg(long, value_name = "VALUE")]
    id: Option<String>,
    /// Read an input column as a field or behaviour (as `score --map`).
    #[arg(long, value_name = "COLUMN=NAME", value_parser = crate::cli::score::columns::parse_map)]
    map: Vec<(String, String)>,
    /// The column (or JSON key) `--id` looks in.
    #[arg(long, value_name = "COLUMN", default_value = "id")]
    id_column: String,
    /// The lead as a JSON object instead of a file row.
    #[arg(long, value_name = "JSON", conflicts_with_all = ["input", "row", "id"])]
    lead: Option<String>,
    /// The input format [default: from the input's extension, else csv].
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<DataFormat>,
    /// Explain as of this instant: `2026-11-01`, `2026-11-01T10:00:00Z` or
    /// `now` [default: now]. Only rules on event behaviours depend on it.
    #[arg(long, value_name = "INSTANT", value_parser = super::parse_as_of)]
    as_of: Option<i64>,
}

/// Parses `--row`: rows are numbered from 1, as in the summary of `score`.
fn parse_row(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(0) => Err("rows are numbered from 1 (the first lead after the header)".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{text}` is not a row number (1 is the first lead)")),
    }
}

/// Runs `leadc explain`.
pub fn run(args: &ExplainArgs, color: bool) -> Exit {
    let loaded = match load::program(&args.program, color) {
        Ok(loaded) => loaded,
        Err(exit) => return exit,
    };
    let program = &loaded.program;
    let (lead, origin) = match find_lead(args, program) {
        Ok(found) => found,
        Err((message, exit)) => {
            report::error(&message, color);
            return exit;
        }
    };
    let as_of = args.as_of.unwrap_or_else(super::now);
    let (outcome, explanation) = program.explain_at(&lead, as_of);
    let origin = if program.is_timed() {
        format!("{origin}, as of {}", leadc::time::format_instant(as_of))
    } else {
        origin
    };
    let written = match args.program.format {
        Format::Human => {
            stdio::out(leadc::explain::render_text(program, &lead, &origin, &outcome, &explanation))
        }
        Format::Json => {
            let mut json = leadc::explain::to_json(program, &lead, &origin, &outcome, &explanation);
            if program.is_timed() {
                json["as_of"] = leadc::time::format_instant(as_of).into();
            }
            stdio::outln(json)
        }
    };
    match written {
        Ok(()) => Exit::Ok,
        Err(e) => stdio::stdout_failed(&e, color),
    }
}

type Failure = (String, Exit);

fn find_lead(args: &ExplainArgs, program: &Program) -> Result<(Lead, String), Failure> {
    if let Some(json) = &args.lead {
        // Whatever is wrong with the lead itself is exit 3, as for a lead
        // read from a file. Unlike an NDJSON row, whose other keys (an `id`)
        // are normal, an inline lead has no business carrying unknown keys:
        // they are typos, and silently scoring without them would mislead.
        let fail = |e: leadc::input::InputError| (format!("`--lead`: {e}"), Exit::DataErrors);
        let object = JsonObject::parse(json).map_err(fail)?;
        let mut lead = program.new_lead();
        lead.fill_json_object(program.schema(), &object, UnknownColumns::Error).map_err(fail)?;
        return Ok((lead, "the lead given with --lead".into()));
    }
    let Some(input) = &args.input else {
        return Err((
            "give a lead file with --row or --id, or a lead with --lead '{...}'".into(),
            Exit::Usage,
        ));
    };
    if args.row.is_none() && args.id.is_none() {
        return Err(("say which lead to explain: --row N or --id VALUE".into(), Exit::Usage));
    }
    let format = args.input_format.or_else(|| DataFormat::from_path(input)).unwrap_or(DataFormat::Csv);
    #[cfg(feature = "parquet")]
    if format == DataFormat::Parquet {
        let id = args.id.as_deref().map(|id| (args.id_column.as_str(), id));
        return crate::cli::score::parquet::find_lead(input, program, args.row, id, &args.map);
    }
    let text =
        std::fs::read(input).map_err(|e| (format!("cannot read `{}`: {e}", input.display()), Exit::Io))?;
    let name = input.display().to_string();
    match format {
        DataFormat::Csv => csv_lead(args, program, &text, &name),
        DataFormat::Ndjson => json_lead(args, program, &text, &name),
        // Read above, unless this leadc was built without Parquet.
        DataFormat::Parquet => {
            Err(("this leadc was built without Parquet (the `parquet` feature)".into(), Exit::Usage))
        }
    }
}

/// Parquet is read by `score` and `explain` only, so far.
pub const PARQUET_LATER: &str = "`leadc review` reads CSV and NDJSON; Parquet is read by `leadc score` \
                                 and `leadc explain` only, so far: export the history as CSV";

fn csv_lead(
    args: &ExplainArgs,
    program: &Program,
    text: &[u8],
    name: &str,
) -> Result<(Lead, String), Failure> {
    let mut splitter = Splitter::new(text, Framing::Csv);
    let header = read_header(&mut splitter, name)?;
    let columns = Columns::new(program.schema(), &header, &[], &args.map, "the header")
        .map_err(|m| (m, Exit::Usage))?;
    let id_col = header.iter().position(|h| *h == args.id_column);
    if args.id.is_some() && id_col.is_none() {
        return Err((
            format!("`{name}` has no column `{}` (set it with --id-column)", args.id_column),
            Exit::Usage,
        ));
    }
    let mut record = Record::default();
    let mut index = 0u64;
    while let Some(chunk) =
        splitter.next_chunk().map_err(|e| (format!("cannot read `{name}`: {e}"), Exit::Io))?
    {
        let mut records = Records::new(&chunk.bytes, chunk.first_line);
        while records.next_into(&mut record) {
            index += 1;
            let line = record.line;
            let wanted = match (&args.id, args.row) {
                (Some(id), _) => id_col.and_then(|c| record.get(c)) == Some(id.as_bytes()),
                (None, Some(row)) => index == row,
                (None, None) => false,
            };
            if !wanted {
                continue;
            }
            let cells = text_cells(&record, |i| columns.describe(i))
                .map_err(|m| (format!("{name}:{line}: {m}"), Exit::DataErrors))?;
            let mut lead = program.new_lead();
            let mut problems = Vec::new();
            columns.fill(program.schema(), &mut lead, &cells, &mut problems);
            if !problems.is_empty() {
                return Err((format!("{name}:{line}: {}", problems.join("; ")), Exit::DataErrors));
            }
            return Ok((lead, format!("{name}:{line} (row {index})")));
        }
    }
    Err((not_found(args, name), Exit::DataErrors))
}

fn json_lead(
    args: &ExplainArgs,
    program: &Program,
    text: &[u8],
    name: &str,
) -> Result<(Lead, String), Failure> {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    for (row, (line, raw)) in Lines::new(text, 1).enumerate() {
        let object = json_object(raw).map_err(|e| (format!("{name}:{line}: {e}"), Exit::DataErrors))?;
        let wanted = match (&args.id, args.row) {
            (Some(id), _) => object.get(&args.id_column).is_some_and(|raw| *id == cell_text(raw)),
            (None, Some(n)) => row as u64 + 1 == n,
            (None, None) => false,
        };
        if wanted {
            let mut lead = program.new_lead();
            lead.fill_json_object(program.schema(), &object, UnknownColumns::Ignore)
                .map_err(|e| (format!("{name}:{line}: {e}"), Exit::DataErrors))?;
            return Ok((lead, format!("{name}:{line} (row {})", row + 1)));
        }
    }
    Err((not_found(args, name), Exit::DataErrors))
}

fn not_found(args: &ExplainArgs, name: &str) -> String {
    match (&args.id, args.row) {
        (Some(id), _) => format!("`{name}` has no lead with {} = `{id}`", args.id_column),
        (None, Some(row)) => format!("`{name}` has fewer than {row} leads"),
        (None, None) => format!("no lead chosen in `{name}`"),
    }
}
