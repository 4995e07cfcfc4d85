//! A checked program as one SQL query, for scoring where the data lives.
//!
//! In: a checked [`Scorecard`], optionally its source text (for comments
//! naming the program's lines), and [`Options`]: the dialect, the leads and
//! events tables, the as-of instant. Out: the text of one `SELECT` (or
//! `CREATE VIEW`) that gives every lead of the leads table the columns
//! `leadc score` writes — `score`, `points`, `tier`, `qualified`,
//! `segment`, `requires_met`, one `<category>_points` per category,
//! optionally `fired`, and `error` — by docs/language.md's arithmetic.
//!
//! The query has one CTE per stage of "How a lead is scored" (`stages.rs`):
//! `params` (the instant, for timed programs), `cells` (the fields as
//! leadc reads them), `inputs` (the row's bad data), `event_ages` and
//! `lead_events` (the events table aggregated per lead and rule), `rules`
//! (must-haves, the segment digit, each rule's points), `categories`,
//! `outcomes` (points) and `scored` (score); the final `SELECT` names the
//! tier. Columns the query makes for itself start with `lc_` (another
//! prefix when a schema name starts with it), so they never meet a field's
//! name. docs/sql.md describes the tables it reads and what is exact.
//!
//! ```
//! use leadc::sql::{Dialect, Options};
//! use std::sync::Arc;
//! let schema = leadc::Schema::from_toml("[fields]\nage = \"int\"\ntitle = \"string\"\n").unwrap();
//! let source = "require age >= 18 : 100\ncategory fit max 25\nfit title = \"CTO\" : 15\n";
//! let card = leadc::check::check(&leadc::syntax::parse(source).unwrap(), Arc::new(schema)).unwrap();
//! let options = Options { dialect: Dialect::DuckDb, keep: Some(vec![]), ..Options::default() };
//! let query = leadc::sql::to_sql(&card, Some(source), &options);
//! assert!(query.contains("-- line 3: fit title = \"CTO\" : 15"));
//! assert!(query.contains("CASE WHEN i.\"title\" = 'CTO' THEN 15 ELSE 0 END AS \"lc_rule_3\""));
//! assert!(query.contains("AS \"fit_points\""));
//! ```

mod condition;
mod dialect;
mod events;
mod stages;

pub use dialect::Dialect;

use crate::check::{RuleKind, Scorecard};
use crate::diag::span::Span;
use crate::schema::{FieldId, FieldType};
use events::TimedRule;
use std::collections::BTreeSet;
use std::fmt::Write;

/// How the query is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The dialect.
    pub dialect: Dialect,
    /// The leads table, as SQL (`leads`, `crm.leads`): written as given.
    pub leads: String,
    /// The events table (`lead_id`, `behaviour`, `at`), as SQL; read only
    /// by programs with rules on event behaviours.
    pub events: String,
    /// The leads table's column that the events table's `lead_id` names.
    pub id_column: String,
    /// Columns of the leads table copied to the output first, as named;
    /// `None`: the id column.
    pub keep: Option<Vec<String>>,
    /// The instant timed rules are scored as of.
    pub as_of: AsOf,
    /// Add a `fired` column: `line:+points` for every rule that fired.
    pub explain: bool,
    /// Write `CREATE OR REPLACE VIEW <name> AS` before the query.
    pub view: Option<String>,
    /// The program's file name, for the header comment.
    pub program_name: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            dialect: Dialect::DuckDb,
            leads: "leads".into(),
            events: "events".into(),
            id_column: "id".into(),
            keep: None,
            as_of: AsOf::Now,
            explain: false,
            view: None,
            program_name: None,
        }
    }
}

/// The instant a timed program is scored as of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// When the query runs (`CURRENT_TIMESTAMP`).
    Now,
    /// This instant, seconds since the Unix epoch (UTC).
    At(i64),
    /// A query parameter named `as_of` (a timestamp): `$as_of` in DuckDB,
    /// `:as_of` in Spark, `$1` in PostgreSQL.
    Parameter,
}

/// The fields whose columns the query reads: those the program's
/// must-haves, segment and `fit` rules test, in schema order. A value that
/// does not fit one of them makes its row's `error`; other columns of the
/// leads table are not read.
pub fn fields_read(card: &Scorecard) -> Vec<FieldId> {
    let mut fields = BTreeSet::new();
    for r in &card.requires {
        collect_fields(&r.condition, &mut fields);
    }
    if let Some(s) = &card.segment {
        fields.insert(s.field.0);
    }
    for (_, rule) in card.rules() {
        if let RuleKind::Fit(c) = &rule.kind {
            collect_fields(c, &mut fields);
        }
    }
    fields.into_iter().map(FieldId).collect()
}

/// The output column of a category's capped total.
pub fn category_column(category: &str) -> String {
    format!("{category}_points")
}

/// The query scoring `options.leads` by `card`. `source` is the text the
/// program was checked from (its line numbers and lines go into comments,
/// column names and `fired`); without it, rules are printed back from the
/// program and numbered in order.
pub fn to_sql(card: &Scorecard, source: Option<&str>, options: &Options) -> String {
    Emitter::new(card, source, options).query()
}

/// The state of one emission.
struct Emitter<'a> {
    card: &'a Scorecard,
    source: Option<&'a str>,
    options: &'a Options,
    d: Dialect,
    /// The leads-table columns copied to the output.
    keep: Vec<String>,
    /// The prefix of the query's own column names.
    prefix: String,
    /// The fields the program reads, in schema order.
    fields: Vec<FieldId>,
    /// The counted behaviours its rules read, by name, in schema order.
    counts: Vec<&'a str>,
    /// Its rules on event behaviours, in program order.
    timed: Vec<TimedRule<'a>>,
    /// Per must-have, the label of its columns: its line, or its number.
    require_labels: Vec<String>,
    /// Per rule (in [`Scorecard::rules`] order), the same.
    rule_labels: Vec<String>,
}

/// One CTE: its name, a comment, and its body.
struct Stage {
    name: &'static str,
    comment: String,
    body: String,
}

impl<'a> Emitter<'a> {
    fn new(card: &'a Scorecard, source: Option<&'a str>, options: &'a Options) -> Emitter<'a> {
        let schema = &card.schema;
        let keep = options.keep.clone().unwrap_or_else(|| vec![options.id_column.clone()]);
        let names = schema
            .fields()
            .iter()
            .map(|f| f.name.as_str())
            .chain(schema.behaviours().iter().map(String::as_str));
        let prefix = free_prefix(names.chain(keep.iter().map(String::as_str)));
        let own = |name: String| options.dialect.ident(&format!("{prefix}{name}"));
        let spans: Vec<Span> = card.rules().map(|(_, r)| r.span).collect();
        let rule_labels = labels(source, &spans);
        let mut counts = BTreeSet::new();
        let mut timed = Vec::new();
        for ((_, rule), label) in card.rules().zip(&rule_labels) {
            match &rule.kind {
                RuleKind::Fit(_) => {}
                RuleKind::Behaviour(b) if schema.is_event(b.behaviour) => {
                    let kind = if b.per_occurrence { "weight" } else { "newest" };
                    timed.push(TimedRule {
                        rule: b,
                        points: rule.points,
                        behaviour: schema.behaviour(b.behaviour).unwrap_or("?"),
                        count: own(format!("count_{label}")),
                        weight: own(format!("{kind}_{label}")),
                    });
                }
                RuleKind::Behaviour(b) => {
                    counts.insert(b.behaviour.0);
                }
            }
        }
        let counts =
            counts.into_iter().filter_map(|b| schema.behaviours().get(b as usize)).map(String::as_str);
        let require_spans: Vec<Span> = card.requires.iter().map(|r| r.span).collect();
        Emitter {
            card,
            source,
            options,
            d: options.dialect,
            keep,
            prefix,
            fields: fields_read(card),
            counts: counts.collect(),
            timed,
            require_labels: labels(source, &require_spans),
            rule_labels,
        }
    }

    /// A quoted name.
    fn id(&self, name: &str) -> String {
        self.d.ident(name)
    }

    /// A quoted name of the query's own: `lc_<name>`.
    fn own(&self, name: &str) -> String {
        self.d.ident(&format!("{}{name}", self.prefix))
    }

    fn query(&self) -> String {
        let mut stages = Vec::new();
        stages.extend(self.params());
        stages.push(self.cells());
        stages.push(self.inputs());
        if !self.timed.is_empty() {
            stages.push(self.event_ages());
            stages.push(self.lead_events());
        }
        stages.extend([self.rules(), self.categories(), self.outcomes(), self.scored()]);
        let mut out = self.header();
        if let Some(view) = &self.options.view {
            let _ = writeln!(out, "{} {view} AS", self.d.create_view());
        }
        out.push_str("WITH\n");
        for (i, stage) in stages.iter().enumerate() {
            for line in stage.comment.lines() {
                let _ = writeln!(out, "-- {line}");
            }
            let comma = if i + 1 < stages.len() { "," } else { "" };
            let _ = writeln!(out, "{} AS (\n{}\n){comma}", stage.name, stage.body.trim_end());
        }
        out.push_str(&self.select());
        out.push('\n');
        out
    }

    /// The header comment: what the query is, and the columns it reads.
    fn header(&self) -> String {
        let d = self.d;
        let mut out = String::new();
        let name = self.options.program_name.as_deref().unwrap_or("a leadc program");
        let _ = writeln!(
            out,
            "-- {name} as one {} query, written by leadc {}:",
            d.title(),
            env!("CARGO_PKG_VERSION")
        );
        let _ = writeln!(
            out,
            "-- every row of {} scored as `leadc score` scores it (docs/sql.md).",
            self.options.leads
        );
        let mut columns: Vec<String> = self.keep.iter().map(|k| self.id(k)).collect();
        if !self.timed.is_empty() && !self.keep.contains(&self.options.id_column) {
            columns.push(self.id(&self.options.id_column));
        }
        let schema = &self.card.schema;
        for field in self.fields.iter().filter_map(|&f| schema.field(f)) {
            let ty = match field.ty {
                FieldType::Int => "integer",
                FieldType::Number => "double",
                FieldType::Bool => "boolean",
                FieldType::String | FieldType::Enum(_) => "text",
            };
            columns.push(format!("{} {ty}", self.id(self.column_of(&field.name))));
        }
        for behaviour in &self.counts {
            columns.push(format!("{} integer", self.id(self.column_of(behaviour))));
        }
        out.push_str(&wrap_comment(&format!("It reads {}: {}.", self.options.leads, columns.join(", "))));
        if !self.timed.is_empty() {
            let _ = writeln!(
                out,
                "-- And one row per event from {}: {} (the id), {} text, {} timestamp.",
                self.options.events,
                self.id("lead_id"),
                self.id("behaviour"),
                self.id("at")
            );
        }
        out
    }

    /// The leads table's column of a field or behaviour: the one the
    /// schema's `[columns]` table maps to it, else its own name.
    fn column_of<'n>(&'n self, name: &'n str) -> &'n str {
        let columns = &self.card.schema.intake().columns;
        columns.iter().find(|(_, to)| to == name).map_or(name, |(column, _)| column.as_str())
    }

    fn text_type(&self) -> &'static str {
        match self.d {
            Dialect::Spark => "STRING",
            _ => "VARCHAR",
        }
    }

    /// `-- line N: text` of the program line at `span`, or `printed`.
    fn comment(&self, span: Span, printed: &str) -> String {
        match self.source.and_then(|s| line_at(s, span.start)) {
            Some((line, text)) => format!("-- line {line}: {text}"),
            None => format!("-- {printed}"),
        }
    }
}

/// `text` as `--` comment lines of at most about 90 characters.
fn wrap_comment(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::from("--");
    for word in text.split(' ') {
        if line.len() + word.len() >= 90 && line.len() > 2 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("--  ");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// Labels for items at `spans`: their line numbers when the source gives
/// each a line of its own, else their numbers from 1.
fn labels(source: Option<&str>, spans: &[Span]) -> Vec<String> {
    let lines: Option<Vec<usize>> =
        spans.iter().map(|s| source.and_then(|text| line_at(text, s.start)).map(|(line, _)| line)).collect();
    match lines {
        Some(lines) if lines.iter().collect::<BTreeSet<_>>().len() == lines.len() => {
            lines.iter().map(usize::to_string).collect()
        }
        _ => (1..=spans.len()).map(|i| format!("n{i}")).collect(),
    }
}

/// `lc_`, or `lc1_`, `lc2_`, ... when some name starts with it.
fn free_prefix<'n>(names: impl Iterator<Item = &'n str> + Clone) -> String {
    (0..)
        .map(|i| if i == 0 { "lc_".to_string() } else { format!("lc{i}_") })
        .find(|p| !names.clone().any(|n| n.starts_with(p.as_str())))
        .unwrap_or_default()
}

/// The fields a condition tests.
fn collect_fields(c: &crate::check::Condition<crate::check::FieldTest>, into: &mut BTreeSet<u32>) {
    use crate::check::Condition;
    match c {
        Condition::Test(t) => {
            into.insert(t.field.0);
        }
        Condition::Not(inner) => collect_fields(inner, into),
        Condition::All(parts) | Condition::Any(parts) => parts.iter().for_each(|p| collect_fields(p, into)),
    }
}

/// The 1-based line number and the code of the line holding byte `at` of
/// `source`, on one line with single spaces (an aligned program reads like
/// any other) and its comment dropped.
fn line_at(source: &str, at: usize) -> Option<(usize, String)> {
    let before = source.get(..at)?;
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let text = source[start..].lines().next().unwrap_or("");
    Some((line, crate::syntax::one_line(text)))
}

/// Items one per line, `indent` spaces in, separated by commas; an item's
/// leading comment lines stay above it.
fn indent_list(items: &[String], indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        let comma = if i + 1 < items.len() { "," } else { "" };
        let lines: Vec<&str> = item.lines().collect();
        for (j, line) in lines.iter().enumerate() {
            let end = if j + 1 == lines.len() { comma } else { "" };
            let _ = writeln!(out, "{pad}{line}{end}");
        }
    }
    out.trim_end_matches('\n').to_string()
}

/// Items one per line, `indent` spaces in, no separator.
fn indent_plain(items: &[String], indent: usize) -> String {
    let pad = " ".repeat(indent);
    items.iter().map(|i| format!("{pad}{i}")).collect::<Vec<_>>().join("\n")
}
