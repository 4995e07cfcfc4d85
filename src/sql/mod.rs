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
//! The query has one CTE per stage of "How a lead is scored": `params`
//! (the instant, the white-space characters), `inputs` (the fields as leadc
//! reads them, and the row's bad data), `event_ages` and `lead_events` (the
//! events table aggregated per lead and rule, for timed programs), `rules`
//! (must-haves, the segment digit, each rule's points), `categories`,
//! `outcomes` (points) and `scored` (score); the final `SELECT` names the
//! tier. docs/sql.md describes the tables it reads and what is exact.
//!
//! ```
//! use leadc::sql::{Dialect, Options};
//! use std::sync::Arc;
//! let schema = leadc::Schema::from_toml("[fields]\nage = \"int\"\ntitle = \"string\"\n").unwrap();
//! let source = "require age >= 18 : 100\ncategory fit max 25\nfit title = \"CTO\" : 15\n";
//! let card = leadc::check::check(&leadc::syntax::parse(source).unwrap(), Arc::new(schema)).unwrap();
//! let options = Options { dialect: Dialect::DuckDb, ..Options::default() };
//! let query = leadc::sql::to_sql(&card, Some(source), &options);
//! assert!(query.contains("-- line 3: fit title = \"CTO\" : 15"));
//! assert!(query.contains("CASE WHEN \"title\" = 'CTO' THEN 15 ELSE 0 END"));
//! assert!(query.contains("AS \"fit_points\""));
//! ```

mod condition;
mod dialect;
mod events;

pub use dialect::Dialect;

use crate::check::{Category, RuleKind, Scorecard};
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
    /// Columns of the leads table copied to the output first, as named.
    pub keep: Vec<String>,
    /// The instant timed rules are scored as of.
    pub as_of: AsOf,
    /// Add a `fired` column: `line:+points` for every rule that fired.
    pub explain: bool,
    /// Write `CREATE VIEW <name> AS` before the query.
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
            keep: Vec::new(),
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
/// program was checked from (its line numbers and lines go into comments
/// and `fired`); without it, rules are printed back from the program.
pub fn to_sql(card: &Scorecard, source: Option<&str>, options: &Options) -> String {
    Emitter::new(card, source, options).query()
}

/// The state of one emission.
struct Emitter<'a> {
    card: &'a Scorecard,
    source: Option<&'a str>,
    options: &'a Options,
    d: Dialect,
    /// The fields the program reads, in schema order.
    fields: Vec<FieldId>,
    /// The counted behaviours its rules read, by name, in schema order.
    counts: Vec<&'a str>,
    /// Its rules on event behaviours, in program order.
    timed: Vec<TimedRule<'a>>,
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
        let mut counts = BTreeSet::new();
        let mut timed = Vec::new();
        for (_, rule) in card.rules() {
            match &rule.kind {
                RuleKind::Fit(_) => {}
                RuleKind::Behaviour(b) if schema.is_event(b.behaviour) => timed.push(TimedRule {
                    rule: b,
                    behaviour: schema.behaviour(b.behaviour).unwrap_or("?"),
                    number: timed.len() + 1,
                }),
                RuleKind::Behaviour(b) => {
                    counts.insert(b.behaviour.0);
                }
            }
        }
        let counts =
            counts.into_iter().filter_map(|b| schema.behaviours().get(b as usize)).map(String::as_str);
        Emitter {
            card,
            source,
            options,
            d: options.dialect,
            fields: fields_read(card),
            counts: counts.collect(),
            timed,
        }
    }

    fn id(&self, name: &str) -> String {
        self.d.ident(name)
    }

    fn query(&self) -> String {
        let mut stages = vec![self.params(), self.inputs()];
        if !self.timed.is_empty() {
            stages.push(self.event_ages());
            stages.push(self.lead_events());
        }
        stages.extend([self.rules(), self.categories(), self.outcomes(), self.scored()]);
        let mut out = self.header();
        if let Some(view) = &self.options.view {
            let _ = writeln!(out, "CREATE VIEW {view} AS");
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

    fn header(&self) -> String {
        let mut out = String::new();
        let name = self.options.program_name.as_deref().unwrap_or("a leadc program");
        let _ = writeln!(
            out,
            "-- {name} as one {} query, written by leadc {}:",
            self.d.title(),
            env!("CARGO_PKG_VERSION")
        );
        let _ = writeln!(
            out,
            "-- every row of {} scored as `leadc score` scores it (docs/sql.md).",
            self.options.leads
        );
        if !self.timed.is_empty() {
            let _ = writeln!(
                out,
                "-- Events come from {}, one row per event: {}, {}, {}.",
                self.options.events,
                self.id("lead_id"),
                self.id("behaviour"),
                self.id("at")
            );
        }
        out
    }

    /// `params`: the instant and the white-space characters, once.
    fn params(&self) -> Stage {
        let d = self.d;
        let mut columns = Vec::new();
        if !self.timed.is_empty() {
            let as_of = match self.options.as_of {
                AsOf::At(t) => format!("{t}  -- {}", crate::time::format_instant(t)),
                AsOf::Now => d.epoch_seconds(d.now()),
                AsOf::Parameter => {
                    let ty = if d == Dialect::Spark { "TIMESTAMP" } else { "TIMESTAMPTZ" };
                    d.epoch_seconds(&format!("CAST({} AS {ty})", d.parameter("as_of")))
                }
            };
            columns.push(format!("{} AS {}", as_of_line(&as_of), self.id("as_of")));
        }
        columns.push(format!("{} AS {}", d.blanks(), self.id("blanks")));
        let body = format!("  SELECT\n{}", indent_list(&columns, 4));
        let comment = "The instant timed rules are scored as of (seconds since 1970, UTC), and the\n\
                       white-space characters a blank value is made of."
            .to_string();
        Stage { name: "params", comment, body }
    }

    /// `inputs`: the fields as leadc reads them, and the row's bad data.
    fn inputs(&self) -> Stage {
        let d = self.d;
        let schema = &self.card.schema;
        let mut columns = Vec::new();
        for (i, keep) in self.options.keep.iter().enumerate() {
            columns.push(format!("l.{} AS {}", self.id(keep), self.id(&format!("keep {}", i + 1))));
        }
        if !self.timed.is_empty() {
            columns.push(format!("l.{} AS {}", self.id(&self.options.id_column), self.id("lead id")));
        }
        let mut problems = Vec::new();
        let blanks = format!("p.{}", self.id("blanks"));
        for field in self.fields.iter().filter_map(|&f| schema.field(f)) {
            let raw = format!("l.{}", self.id(self.column_of(&field.name)));
            let name = self.id(&field.name);
            let trimmed = d.trim(&raw, &blanks);
            let value = match &field.ty {
                FieldType::String => format!("CASE WHEN {trimmed} = '' THEN NULL ELSE {raw} END"),
                FieldType::Enum(values) => {
                    let list: Vec<String> = values.iter().map(|v| d.string(v)).collect();
                    let expected: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
                    problems.push(format!(
                        "WHEN NULLIF({trimmed}, '') NOT IN ({}) THEN {}",
                        list.join(", "),
                        self.problem(
                            self.column_of(&field.name),
                            &raw,
                            &format!("one of {}", expected.join(", "))
                        )
                    ));
                    format!("NULLIF({trimmed}, '')")
                }
                FieldType::Number => {
                    problems.push(format!(
                        "WHEN {} THEN {}",
                        d.is_infinite(&raw),
                        self.problem(self.column_of(&field.name), &raw, "a finite number")
                    ));
                    format!("CASE WHEN {} THEN NULL ELSE {raw} END", d.is_nan(&raw))
                }
                FieldType::Int | FieldType::Bool => raw.clone(),
            };
            columns.push(format!("{value} AS {name}"));
        }
        for behaviour in &self.counts {
            let raw = format!("l.{}", self.id(self.column_of(behaviour)));
            problems.push(format!(
                "WHEN {raw} NOT BETWEEN 0 AND {} THEN {}",
                u32::MAX,
                self.problem(
                    self.column_of(behaviour),
                    &raw,
                    "a count (a whole number from 0 to 4294967295)"
                )
            ));
            columns.push(format!("COALESCE({raw}, 0) AS {}", self.id(behaviour)));
        }
        let bad = if problems.is_empty() {
            format!("CAST(NULL AS {})", self.text_type())
        } else {
            format!("CASE\n{}\nEND", indent_list_plain(&problems, 2))
        };
        columns.push(format!("{bad} AS {}", self.id("bad data")));
        let body = format!(
            "  SELECT\n{}\n  FROM {} AS l CROSS JOIN params AS p",
            indent_list(&columns, 4),
            self.options.leads
        );
        let comment = "Each field the program reads, as leadc reads a cell: NULL, a blank string and\n\
                       a NaN are missing; an enum value is trimmed. A value that does not fit its\n\
                       field makes the row's `bad data`."
            .to_string();
        Stage { name: "inputs", comment, body }
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

    /// The message of a value that does not fit, as `leadc score` words it.
    fn problem(&self, column: &str, raw: &str, expected: &str) -> String {
        let d = self.d;
        let value = format!("CAST({raw} AS {})", self.text_type());
        format!(
            "{} || {value} || {}",
            d.string(&format!("column `{column}`: `")),
            d.string(&format!("` is not {expected}"))
        )
    }

    /// `event_ages`: every event of an event behaviour the program reads,
    /// with its age as of the instant.
    fn event_ages(&self) -> Stage {
        let d = self.d;
        let behaviours: BTreeSet<&str> = self.timed.iter().map(|t| t.behaviour).collect();
        let names: Vec<String> = behaviours.iter().map(|b| d.string(b)).collect();
        let body = format!(
            "  SELECT\n    ev.{lead_id} AS {lead},\n    ev.{behaviour} AS {behaviour},\n    p.{as_of} - {at} AS {age}\n  \
             FROM {events} AS ev CROSS JOIN params AS p\n  WHERE ev.{behaviour} IN ({names})",
            lead_id = self.id("lead_id"),
            lead = self.id("lead id"),
            behaviour = self.id("behaviour"),
            as_of = self.id("as_of"),
            at = d.epoch_seconds(&format!("ev.{}", self.id("at"))),
            age = self.id("age"),
            events = self.options.events,
            names = names.join(", "),
        );
        let comment = "Each event's age in seconds; a negative age is an event after the instant,\n\
                       which is ignored."
            .to_string();
        Stage { name: "event_ages", comment, body }
    }

    /// `lead_events`: per lead, each timed rule's counted events and their
    /// weight.
    fn lead_events(&self) -> Stage {
        let d = self.d;
        let mut columns = vec![self.id("lead id")];
        for t in &self.timed {
            let rule = self
                .card
                .rules()
                .map(|(_, r)| r)
                .find(|r| matches!(&r.kind, RuleKind::Behaviour(b) if std::ptr::eq(b, t.rule)));
            let comment =
                rule.map(|r| self.rule_comment(r.span, &crate::check::render::rule(&self.card.schema, r)));
            let aggregates = t.aggregates(d);
            for (i, a) in aggregates.into_iter().enumerate() {
                match (&comment, i) {
                    (Some(c), 0) => columns.push(format!("-- {c}\n{a}")),
                    _ => columns.push(a),
                }
            }
        }
        let body = format!(
            "  SELECT\n{}\n  FROM event_ages\n  GROUP BY {}",
            indent_list(&columns, 4),
            self.id("lead id")
        );
        let comment = "Per lead and timed rule: the counted events (in the window, not in the future)\n\
                       and their weight (the newest event's age for a rule scored once)."
            .to_string();
        Stage { name: "lead_events", comment, body }
    }

    /// `line N: text` of the program line at `span`, or `printed`.
    fn rule_comment(&self, span: Span, printed: &str) -> String {
        match self.source.and_then(|s| line_at(s, span.start)) {
            Some((line, text)) => format!("line {line}: {text}"),
            None => printed.to_string(),
        }
    }

    /// The `fired` label of the rule at `span`: its line, or `#index`.
    fn rule_label(&self, span: Span, index: usize) -> String {
        match self.source.and_then(|s| line_at(s, span.start)) {
            Some((line, _)) => line.to_string(),
            None => format!("#{index}"),
        }
    }

    /// The columns every stage after `inputs` carries along.
    fn carried(&self) -> Vec<String> {
        let mut columns: Vec<String> =
            (1..=self.options.keep.len()).map(|i| self.id(&format!("keep {i}"))).collect();
        columns.push(self.id("bad data"));
        columns
    }

    /// `rules`: each must-have met, the segment digit, each rule's points.
    fn rules(&self) -> Stage {
        let d = self.d;
        let card = self.card;
        let schema = &card.schema;
        let mut columns: Vec<String> = self.carried().iter().map(|c| format!("i.{c}")).collect();
        for (i, r) in card.requires.iter().enumerate() {
            let printed = crate::check::render::require(card, &r.condition, r.points);
            let condition = condition::field_condition(d, schema, &r.condition);
            columns.push(format!(
                "-- {}\nCOALESCE({condition}, FALSE) AS {}",
                self.rule_comment(r.span, &printed),
                self.id(&format!("require {}", i + 1))
            ));
        }
        let segment = match &card.segment {
            Some(s) => {
                let column = self.id(schema.field(s.field).map_or("?", |f| f.name.as_str()));
                let ty = schema.field(s.field).map(|f| f.ty.clone()).unwrap_or(FieldType::Int);
                let arms: Vec<String> = s
                    .arms
                    .iter()
                    .map(|a| {
                        format!("WHEN {} THEN {}", condition::value_test(d, &column, &ty, &a.test), a.digit)
                    })
                    .collect();
                let printed = format!("segment {}", schema.field(s.field).map_or("?", |f| f.name.as_str()));
                format!(
                    "-- {}\nCASE\n{}\n  ELSE 0\nEND",
                    self.rule_comment(s.span, &printed),
                    indent_list_plain(&arms, 2)
                )
            }
            None => "0".into(),
        };
        columns.push(format!("{segment} AS {}", self.id("segment")));
        let mut timed = self.timed.iter();
        for (index, (_, rule)) in card.rules().enumerate() {
            let printed = crate::check::render::rule(schema, rule);
            let (fired, points) = match &rule.kind {
                RuleKind::Fit(c) => {
                    let condition = condition::field_condition(d, schema, c);
                    (
                        format!("COALESCE({condition}, FALSE)"),
                        format!("CASE WHEN {condition} THEN {} ELSE 0 END", rule.points),
                    )
                }
                RuleKind::Behaviour(b) if schema.is_event(b.behaviour) => {
                    let Some(t) = timed.next() else { continue };
                    let count = t.count(d);
                    let min = b.min_count.max(1);
                    let points =
                        events::behaviour_points(b, rule.points, &count, min, &t.uncapped(d, rule.points));
                    (format!("{count} >= {min}"), points)
                }
                RuleKind::Behaviour(b) => {
                    let count = format!("i.{}", self.id(schema.behaviour(b.behaviour).unwrap_or("?")));
                    let uncapped = if b.per_occurrence {
                        format!("{} * {count}", rule.points)
                    } else {
                        rule.points.to_string()
                    };
                    let points = events::behaviour_points(b, rule.points, &count, b.min_count, &uncapped);
                    (format!("{count} >= {}", b.min_count), points)
                }
            };
            let comment = self.rule_comment(rule.span, &printed);
            columns.push(format!("-- {comment}\n{points} AS {}", self.id(&format!("rule {}", index + 1))));
            if self.options.explain {
                columns.push(format!("{fired} AS {}", self.id(&format!("fired {}", index + 1))));
            }
        }
        let mut from = "inputs AS i".to_string();
        if !self.timed.is_empty() {
            from.push_str(&format!(
                "\n  LEFT JOIN lead_events AS e ON e.{} = i.{}",
                self.id("lead id"),
                self.id("lead id")
            ));
        }
        let body = format!("  SELECT\n{}\n  FROM {from}", indent_list(&columns, 4));
        let comment = "Steps 1 to 3: each must-have met, the segment digit (0 when no arm holds), and\n\
                       each rule's points after its own cap."
            .to_string();
        Stage { name: "rules", comment, body }
    }

    /// `categories`: must-haves counted, and each category's capped total.
    fn categories(&self) -> Stage {
        let card = self.card;
        let mut columns = self.carried();
        let requires: Vec<String> =
            (1..=card.requires.len()).map(|i| self.id(&format!("require {i}"))).collect();
        let met: Vec<String> = requires.iter().map(|r| format!("CASE WHEN {r} THEN 1 ELSE 0 END")).collect();
        let points: Vec<String> = requires
            .iter()
            .zip(&card.requires)
            .map(|(r, req)| format!("CASE WHEN {r} THEN {} ELSE 0 END", req.points))
            .collect();
        columns.push(format!("{} AS {}", sum(&met), self.id("requires_met")));
        let qualified = if requires.is_empty() { "TRUE".into() } else { requires.join(" AND ") };
        columns.push(format!("{qualified} AS {}", self.id("qualified")));
        columns.push(format!("{} AS {}", sum(&points), self.id("requires points")));
        columns.push(self.id("segment"));
        let mut index = 0;
        for category in &card.categories {
            let rules: Vec<String> =
                (0..category.rules.len()).map(|i| self.id(&format!("rule {}", index + i + 1))).collect();
            index += category.rules.len();
            columns.push(format!(
                "-- {}\n{} AS {}",
                self.category_comment(category),
                capped(category, &sum(&rules)),
                self.id(&category_column(&category.name))
            ));
        }
        if self.options.explain {
            columns.push(self.fired());
        }
        let body = format!("  SELECT\n{}\n  FROM rules", indent_list(&columns, 4));
        let comment = "Step 4, and step 1's totals: must-haves met, qualified (every one met), their\n\
                       points, and each category's total capped at its max."
            .to_string();
        Stage { name: "categories", comment, body }
    }

    fn category_comment(&self, category: &Category) -> String {
        self.rule_comment(category.span, &crate::check::render::category(&category.name, category.max))
    }

    /// The `fired` column: `line:+points` of every rule that fired.
    fn fired(&self) -> String {
        let d = self.d;
        let mut parts = Vec::new();
        for (index, (_, rule)) in self.card.rules().enumerate() {
            let points = self.id(&format!("rule {}", index + 1));
            parts.push(format!(
                "CASE WHEN {} THEN {} || CASE WHEN {points} >= 0 THEN '+' ELSE '' END || CAST({points} AS {}) END",
                self.id(&format!("fired {}", index + 1)),
                d.string(&format!("{}:", self.rule_label(rule.span, index))),
                self.text_type()
            ));
        }
        if parts.is_empty() {
            return format!("'' AS {}", self.id("fired"));
        }
        format!("concat_ws(' ',\n{}\n) AS {}", indent_list(&parts, 2), self.id("fired"))
    }

    /// `outcomes`: step 5, the points.
    fn outcomes(&self) -> Stage {
        let totals: Vec<String> =
            self.card.categories.iter().map(|c| self.id(&category_column(&c.name))).collect();
        let points = format!("GREATEST(LEAST({}, {}), 0)", sum(&totals), self.card.points_ceiling());
        let body = format!("  SELECT\n    *,\n    {points} AS {}\n  FROM categories", self.id("points"));
        let comment = format!(
            "Step 5: the points, the category totals' sum clamped to 0..={}.",
            self.card.points_ceiling()
        );
        Stage { name: "outcomes", comment, body }
    }

    /// `scored`: step 6, the score.
    fn scored(&self) -> Stage {
        let body = format!(
            "  SELECT\n    *,\n    {segment} * 1000 + {requires} + {points} AS {score}\n  FROM outcomes",
            segment = self.id("segment"),
            requires = self.id("requires points"),
            points = self.id("points"),
            score = self.id("score"),
        );
        let comment =
            "Step 6: the score, segment digit × 1000 + met must-haves' points + points.".to_string();
        Stage { name: "scored", comment, body }
    }

    /// The final `SELECT`: step 7, the tier, and every row's columns (empty
    /// for a row with bad data).
    fn select(&self) -> String {
        let d = self.d;
        let bad = self.id("bad data");
        let good = |expr: &str| format!("CASE WHEN {bad} IS NULL THEN {expr} END");
        let mut columns = Vec::new();
        for (i, keep) in self.options.keep.iter().enumerate() {
            columns.push(format!("{} AS {}", self.id(&format!("keep {}", i + 1)), self.id(keep)));
        }
        for name in ["score", "points"] {
            columns.push(format!("{} AS {}", good(&self.id(name)), self.id(name)));
        }
        let mut arms = vec![format!("WHEN {bad} IS NOT NULL THEN CAST(NULL AS {})", self.text_type())];
        for t in &self.card.tiers {
            match &t.when {
                Some(c) => arms.push(format!(
                    "WHEN {} THEN {}",
                    condition::outcome_condition(d, self.card, c),
                    d.string(&t.name)
                )),
                // A tier without a condition is the last.
                None => arms.push(format!("ELSE {}", d.string(&t.name))),
            }
        }
        let tier = format!("CASE\n{}\nEND", indent_list_plain(&arms, 2));
        columns
            .push(format!("-- Step 7: the first tier whose condition holds.\n{tier} AS {}", self.id("tier")));
        for name in ["qualified", "segment", "requires_met"] {
            columns.push(format!("{} AS {}", good(&self.id(name)), self.id(name)));
        }
        for c in &self.card.categories {
            let name = self.id(&category_column(&c.name));
            columns.push(format!("{} AS {name}", good(&name)));
        }
        if self.options.explain {
            columns.push(format!("{} AS {}", good(&self.id("fired")), self.id("fired")));
        }
        columns.push(format!("{bad} AS {}", self.id("error")));
        format!("SELECT\n{}\nFROM scored", indent_list(&columns, 2))
    }
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

/// `a + b + ...`, `0` when empty.
fn sum(parts: &[String]) -> String {
    if parts.is_empty() { "0".into() } else { parts.join(" + ") }
}

/// A category's total capped at its max.
fn capped(category: &Category, total: &str) -> String {
    match category.max {
        Some(max) => format!("LEAST({total}, {max})"),
        None => total.to_string(),
    }
}

/// An `as_of` expression whose trailing comment would swallow the comma:
/// the comment moved before it.
fn as_of_line(expr: &str) -> String {
    match expr.split_once("  -- ") {
        Some((value, comment)) => format!("-- {comment}\n{value}"),
        None => expr.to_string(),
    }
}

/// The 1-based line number and the trimmed text of the line holding byte
/// `at` of `source`.
fn line_at(source: &str, at: usize) -> Option<(usize, &str)> {
    let before = source.get(..at)?;
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let text = source[start..].lines().next().unwrap_or("");
    Some((line, text.trim()))
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
fn indent_list_plain(items: &[String], indent: usize) -> String {
    let pad = " ".repeat(indent);
    items.iter().map(|i| format!("{pad}{i}")).collect::<Vec<_>>().join("\n")
}
