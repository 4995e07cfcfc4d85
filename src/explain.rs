//! An explained lead, for people and for programs: the table `leadc
//! explain` prints and the JSON object of `leadc explain --format json`.
//!
//! In: a program, a lead, and the [`Outcome`] and [`Explanation`]
//! [`Program::explain_at`] gave it, plus a line naming the lead (`row 3 of
//! leads.csv`). Out: the must-haves, segment, every rule with fired and
//! points and the values of the fields and behaviours it read (found from
//! the compiled code, [`Program::reads`]), the category caps, the score
//! arithmetic and the tier — as text ([`render_text`]) or JSON
//! ([`to_json`]).
//!
//! ```
//! let program = leadc::load("examples/saas/saas.lead")?;
//! let mut lead = program.new_lead();
//! lead.set_text(program.schema(), program.schema().field_id("region").unwrap(), "EMEA")?;
//! let (outcome, explanation) = program.explain(&lead);
//! let json = leadc::explain::to_json(&program, &lead, "an example", &outcome, &explanation);
//! assert_eq!(json["score"], outcome.score);
//! assert!(leadc::explain::render_text(&program, &lead, "an example", &outcome, &explanation)
//!     .starts_with("lead: an example"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::lead::{Lead, Value};
use crate::program::{Input, Program};
use crate::schema::FieldId;
use crate::vm::outcome::{Explanation, Outcome, RuleTrace, TimeTrace};
use std::fmt::Write as _;

/// The human-readable breakdown of `lead` (named `origin`), as `leadc
/// explain` prints it.
pub fn render_text(
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

/// The breakdown of `lead` (named `origin`) as one JSON object, as `leadc
/// explain --format json` prints it (without `as_of`).
pub fn to_json(
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
    use crate::check::render::quote;
    let enum_name = |i: u32| match program.schema().field(field).map(|f| &f.ty) {
        Some(crate::schema::FieldType::Enum(names)) => names.get(i as usize).cloned(),
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
fn time_line(t: &TimeTrace, trace: &RuleTrace) -> String {
    use crate::time::format_age;
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
