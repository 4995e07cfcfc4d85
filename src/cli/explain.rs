//! `leadc explain`: one lead's rule-by-rule breakdown.
//!
//! In: a program and one lead — a row of a CSV/NDJSON file picked by
//! `--row` or `--id`, or an inline `--lead '{json}'`. Out: a readable table
//! (must-haves, segment, every rule with fired/points and the values of
//! the fields and behaviours it read, category caps, the score arithmetic,
//! the tier) or the same as one JSON object.
//!
//! Which inputs an item reads comes from the compiled code
//! ([`Program::reads`]), their values from the lead: found here, after
//! scoring, so that scoring itself (and `score --explain`) does no more.

use super::score::DataFormat;
use super::{Exit, Format, ProgramArgs, load, report, stdio};
use crate::cli::score::columns::{Columns, read_header};
use crate::cli::score::worker::{json_object, text_cells};
use leadc::input::{JsonObject, UnknownColumns, cell_text};
use leadc::intake::chunk::{Framing, Splitter};
use leadc::intake::csv::{Record, Records};
use leadc::intake::lines::Lines;
use leadc::lead::{Lead, Value};
use leadc::outcome::{Explanation, Outcome, TimeTrace};
use leadc::program::{Input, Program};
use leadc::schema::FieldId;
use std::fmt::Write as _;
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
        Format::Human => stdio::out(render(program, &lead, &origin, &outcome, &explanation)),
        Format::Json => {
            let mut json = to_json(program, &lead, &origin, &outcome, &explanation);
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

/// The human-readable breakdown.
pub(super) fn render(
    program: &Program,
    lead: &Lead,
    origin: &str,
    outcome: &Outcome,
    e: &Explanation,
) -> String {
    let mut s = String::new();
    let tier = outcome.tier.and_then(|t| program.tier_name(t)).unwrap_or("(none)");
    let _ = writeln!(s, "lead: {origin}");
    let _ = writeln!(
        s,
        "score {}   points {}   tier {tier}   qualified {}\n",
        outcome.score,
        outcome.points,
        yes(outcome.qualified)
    );
    let seen = AllSeen::new(program, lead, e);
    let require_values: Vec<String> = seen.requires.iter().map(|v| values_text(v)).collect();
    let rule_values: Vec<String> = seen.rules.iter().map(|v| values_text(v)).collect();
    let width = require_values.iter().chain(&rule_values).map(|v| v.chars().count()).max().unwrap_or(0);
    let width = width.min(VALUES_WIDTH);
    if !program.requires().is_empty() {
        let _ = writeln!(s, "must-haves: {} of {} met", outcome.requires_met, program.requires().len());
        for ((info, met), values) in program.requires().iter().zip(&e.requires).zip(&require_values) {
            let row = format!(
                "  {:>4}  {:<52} {:<7}  {values}",
                line(info.source.line),
                clip(&info.source.text),
                if *met { "met" } else { "NOT met" }
            );
            let _ = writeln!(s, "{}", row.trim_end());
        }
        s.push('\n');
    }
    if let Some(segment) = program.segment() {
        let arm = e.segment_arm.and_then(|a| segment.arms.get(a));
        let label = arm.and_then(|a| a.label.as_deref()).map(|l| format!(" \"{l}\"")).unwrap_or_default();
        let value = values_text(&seen.segment);
        let value = if value.is_empty() { value } else { format!("   ({value})") };
        let _ = writeln!(s, "segment on `{}`: digit {}{label}{value}\n", segment.field, outcome.segment);
    }
    for (ci, category) in program.categories().iter().enumerate() {
        let total = outcome.categories.get(ci).copied().unwrap_or_default();
        let cap = category.max.map_or("no max".to_string(), |m| format!("max {m}"));
        let cut = if total.was_capped() {
            format!("  (cap cut {} → {})", total.raw, total.capped)
        } else {
            String::new()
        };
        let _ = writeln!(s, "category {} ({cap}): {}{cut}", category.name, total.capped);
        for (ri, rule) in program.rules().iter().enumerate().filter(|(_, r)| r.category as usize == ci) {
            let trace = e.rules.get(ri).copied().unwrap_or_default();
            let points = if trace.fired { format!("{:+}", trace.points) } else { "-".to_string() };
            let capped = if trace.fired && trace.uncapped != trace.points {
                format!("  (rule cap: {} → {})", trace.uncapped, trace.points)
            } else {
                String::new()
            };
            let values = rule_values.get(ri).map_or("", String::as_str);
            // The points column is 5 wide where a must-have's status is 7:
            // the values start in one column in both tables.
            let row = format!(
                "  {:>4}  {:<52} {:>5}    {values:<width$}{capped}",
                line(rule.source.line),
                clip(&rule.source.text),
                points
            );
            let _ = writeln!(s, "{}", row.trim_end());
            if let Some(Some(time)) = e.times.get(ri) {
                let _ = writeln!(s, "{}", time_line(time, &trace));
            }
        }
    }
    let met_points: i64 =
        program.requires().iter().zip(&e.requires).filter(|(_, m)| **m).map(|(r, _)| r.points).sum();
    let _ = writeln!(
        s,
        "\nscore = segment {} × 1000 + must-haves {met_points} + points {} = {}",
        outcome.segment, outcome.points, outcome.score
    );
    s
}

fn to_json(
    program: &Program,
    lead: &Lead,
    origin: &str,
    outcome: &Outcome,
    e: &Explanation,
) -> serde_json::Value {
    let seen = AllSeen::new(program, lead, e);
    let rules: Vec<_> = program
        .rules()
        .iter()
        .zip(&e.rules)
        .zip(&seen.rules)
        .map(|((r, t), values)| {
            serde_json::json!({
                "line": r.source.line, "text": r.source.text,
                "category": program.categories().get(r.category as usize).map(|c| c.name.as_str()),
                "fired": t.fired, "uncapped": t.uncapped, "points": t.points,
                "values": values_json(values),
            })
        })
        .zip(e.times.iter().map(Some).chain(std::iter::repeat(None)))
        .map(|(mut rule, time)| {
            if let Some(Some(time)) = time {
                rule["time"] = serde_json::json!(time);
            }
            rule
        })
        .collect();
    let categories: Vec<_> = program
        .categories()
        .iter()
        .zip(&outcome.categories)
        .map(|(c, t)| serde_json::json!({ "name": c.name, "max": c.max, "raw": t.raw, "capped": t.capped }))
        .collect();
    let requires: Vec<_> = program
        .requires()
        .iter()
        .zip(&e.requires)
        .zip(&seen.requires)
        .map(|((r, m), values)| {
            serde_json::json!({ "line": r.source.line, "text": r.source.text, "met": m, "values": values_json(values) })
        })
        .collect();
    let mut json = serde_json::json!({
        "lead": origin,
        "score": outcome.score,
        "points": outcome.points,
        "qualified": outcome.qualified,
        "requires_met": outcome.requires_met,
        "segment": outcome.segment,
        "tier": outcome.tier.and_then(|t| program.tier_name(t)),
        "requires": requires,
        "categories": categories,
        "rules": rules,
    });
    if program.segment().is_some() {
        json["segment_values"] = values_json(&seen.segment);
    }
    json
}

/// The widest the values column is padded to; longer values push the rule
/// cap note out rather than being cut.
const VALUES_WIDTH: usize = 40;

/// The most characters of a string value the table shows.
const VALUE_CHARS: usize = 24;

/// What one input held for the lead explained.
enum Seen<'a> {
    /// A field and its value.
    Field(&'a str, String, serde_json::Value),
    /// A behaviour and its count.
    Count(&'a str, u32),
    /// An event behaviour and how many of its events were counted as of the
    /// instant (at or before it, inside the window).
    Counted(&'a str, u32),
}

/// The inputs every must-have, rule and the segment read, with their values.
struct AllSeen<'a> {
    requires: Vec<Vec<Seen<'a>>>,
    rules: Vec<Vec<Seen<'a>>>,
    segment: Vec<Seen<'a>>,
}

impl<'a> AllSeen<'a> {
    fn new(program: &'a Program, lead: &Lead, e: &Explanation) -> AllSeen<'a> {
        let reads = program.reads();
        let each = |inputs: &[Input], time: Option<&TimeTrace>| -> Vec<Seen<'a>> {
            inputs.iter().filter_map(|input| Seen::one(program, lead, *input, time)).collect()
        };
        let requires = reads.requires.iter().map(|inputs| each(inputs, None)).collect();
        let rules = reads
            .rules
            .iter()
            .enumerate()
            .map(|(ri, inputs)| each(inputs, e.times.get(ri).copied().flatten().as_ref()))
            .collect();
        let segment = program
            .segment()
            .and_then(|s| program.schema().field_id(&s.field))
            .map_or_else(Vec::new, |field| each(&[Input::Field(field)], None));
        AllSeen { requires, rules, segment }
    }
}

impl<'a> Seen<'a> {
    fn one(program: &'a Program, lead: &Lead, input: Input, time: Option<&TimeTrace>) -> Option<Seen<'a>> {
        let schema = program.schema();
        match input {
            Input::Field(field) => {
                let name = schema.field(field)?.name.as_str();
                let (text, json) = field_value(program, field, lead.value(field));
                Some(Seen::Field(name, text, json))
            }
            Input::Behaviour(behaviour) => {
                let name = schema.behaviour(behaviour)?;
                Some(match time {
                    Some(time) => Seen::Counted(name, time.counted),
                    None => Seen::Count(name, lead.count(behaviour)),
                })
            }
        }
    }

    fn text(&self) -> String {
        match self {
            Seen::Field(name, text, _) => format!("{name}{text}"),
            Seen::Count(name, n) => format!("{name} × {n}"),
            Seen::Counted(name, n) => format!("{name} × {n} counted"),
        }
    }
}

/// A field's value as the table shows it (` = 16`, ` = "EU"`, ` missing`)
/// and as JSON (`null` when missing, an enum by its name).
fn field_value(program: &Program, field: FieldId, value: &Value) -> (String, serde_json::Value) {
    use leadc::check::render::quote;
    let enum_name = |i: u32| match program.schema().field(field).map(|f| &f.ty) {
        Some(leadc::schema::FieldType::Enum(names)) => names.get(i as usize).cloned(),
        _ => None,
    };
    match value {
        Value::Missing => (" missing".into(), serde_json::Value::Null),
        Value::Text(text) => (format!(" = {}", quote(&clip_to(text, VALUE_CHARS))), text.as_str().into()),
        Value::Int(n) => (format!(" = {n}"), (*n).into()),
        Value::Number(x) => (format!(" = {x}"), (*x).into()),
        Value::Bool(b) => (format!(" = {b}"), (*b).into()),
        Value::Enum(i) => match enum_name(*i) {
            Some(name) => (format!(" = {}", quote(&clip_to(&name, VALUE_CHARS))), name.into()),
            None => (format!(" = #{i}"), (*i).into()),
        },
    }
}

/// The values an item read, as one cell of the table.
fn values_text(seen: &[Seen]) -> String {
    seen.iter().map(Seen::text).collect::<Vec<_>>().join(", ")
}

/// The values an item read, as a JSON object by field or behaviour name
/// (names are unique across both).
fn values_json(seen: &[Seen]) -> serde_json::Value {
    let map = seen
        .iter()
        .map(|s| match s {
            Seen::Field(name, _, json) => (name.to_string(), json.clone()),
            Seen::Count(name, n) | Seen::Counted(name, n) => (name.to_string(), (*n).into()),
        })
        .collect();
    serde_json::Value::Object(map)
}

/// The event arithmetic of a timed rule: counted events and their ages,
/// ignored ones, and the points before and after decay.
fn time_line(t: &leadc::outcome::TimeTrace, trace: &leadc::outcome::RuleTrace) -> String {
    use leadc::time::format_age;
    let mut parts = vec![format!("{} counted", t.counted)];
    if let (Some(newest), Some(oldest)) = (t.newest_age, t.oldest_age) {
        parts[0].push_str(&format!(" (ages {} to {})", format_age(newest), format_age(oldest)));
    }
    if t.outside_window > 0 {
        parts.push(format!("{} outside the window", t.outside_window));
    }
    if t.future > 0 {
        parts.push(format!("{} in the future, ignored", t.future));
    }
    let decay = if trace.fired {
        format!("; {} before decay → {}", t.undecayed, trace.uncapped)
    } else {
        String::new()
    };
    format!("              events: {}{decay}", parts.join(", "))
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn line(n: u32) -> String {
    if n == 0 { String::new() } else { format!("L{n}") }
}

/// A rule's text cut to fit the table.
fn clip(text: &str) -> String {
    clip_to(text.trim(), 52)
}

/// `text` cut to at most `width` characters, the last one `…` when cut.
fn clip_to(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let cut: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{cut}…")
}
