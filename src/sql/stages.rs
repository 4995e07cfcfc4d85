//! The query's stages, one CTE each, in the order docs/language.md scores
//! a lead ("How a lead is scored", steps 1 to 7).
//!
//! In: the [`Emitter`]'s program, options and names. Out: each stage's
//! comment and body, and the final `SELECT`.

use super::{AsOf, Dialect, Emitter, Stage, category_column, condition, events, indent_list, indent_plain};
use crate::check::{Category, RuleKind};
use crate::schema::FieldType;

impl Emitter<'_> {
    /// `params`: the instant timed rules are scored as of, when there are
    /// any (or when it is a parameter, which the query then always takes).
    pub(super) fn params(&self) -> Option<Stage> {
        let d = self.d;
        let as_of = match self.options.as_of {
            AsOf::Parameter => {
                let ty = if d == Dialect::Spark { "TIMESTAMP" } else { "TIMESTAMPTZ" };
                d.epoch_seconds(&format!("CAST({} AS {ty})", d.parameter("as_of")))
            }
            _ if self.timed.is_empty() => return None,
            AsOf::At(t) => format!("-- {}\n{t}", crate::time::format_instant(t)),
            AsOf::Now => d.epoch_seconds(d.now()),
        };
        let body = format!("  SELECT\n{}", indent_list(&[format!("{as_of} AS {}", self.id("as_of"))], 4));
        let comment = "The instant timed rules are scored as of, in seconds since 1970 (UTC).".to_string();
        Some(Stage { name: "params", comment, body })
    }

    /// Whether the query has a `params` stage.
    fn has_params(&self) -> bool {
        !self.timed.is_empty() || self.options.as_of == AsOf::Parameter
    }

    /// `cells`: the fields as leadc reads a cell, the counts as given.
    pub(super) fn cells(&self) -> Stage {
        let d = self.d;
        let schema = &self.card.schema;
        let mut columns = Vec::new();
        for (i, keep) in self.keep.iter().enumerate() {
            columns.push(format!("l.{} AS {}", self.id(keep), self.own(&format!("keep_{}", i + 1))));
        }
        if !self.timed.is_empty() {
            columns.push(format!("l.{} AS {}", self.id(&self.options.id_column), self.own("lead_id")));
        }
        for field in self.fields.iter().filter_map(|&f| schema.field(f)) {
            let raw = format!("l.{}", self.id(self.column_of(&field.name)));
            let value = match &field.ty {
                FieldType::String if field.ignore_case => {
                    format!("CASE WHEN {} THEN NULL ELSE LOWER({raw}) END", d.blank(&raw))
                }
                FieldType::String => format!("CASE WHEN {} THEN NULL ELSE {raw} END", d.blank(&raw)),
                FieldType::Enum(_) => format!("NULLIF({}, '')", d.trimmed(&raw)),
                FieldType::Number => format!("CASE WHEN {} THEN NULL ELSE {raw} END", d.is_nan(&raw)),
                FieldType::Int | FieldType::Bool => raw,
            };
            columns.push(format!("{value} AS {}", self.id(&field.name)));
        }
        for behaviour in &self.counts {
            columns.push(format!("l.{} AS {}", self.id(self.column_of(behaviour)), self.id(behaviour)));
        }
        let params = if self.has_params() { " CROSS JOIN params AS p" } else { "" };
        let body =
            format!("  SELECT\n{}\n  FROM {} AS l{params}", indent_list(&columns, 4), self.options.leads);
        let mut comment = "Each field the program reads, as leadc reads a cell: NULL, a blank string and\n\
                           a NaN are missing, and an enum value is trimmed."
            .to_string();
        if self.fields.iter().filter_map(|&f| schema.field(f)).any(|f| f.ignore_case) {
            comment.push_str(" A string field declared `ignore_case` is\nlowercased, as are the literals it is compared with.");
        }
        Stage { name: "cells", comment, body }
    }

    /// `inputs`: the fields, the counts (a `NULL` count is 0), and the
    /// row's bad data.
    pub(super) fn inputs(&self) -> Stage {
        let d = self.d;
        let schema = &self.card.schema;
        let mut columns: Vec<String> =
            (1..=self.keep.len()).map(|i| self.own(&format!("keep_{i}"))).collect();
        if !self.timed.is_empty() {
            columns.push(self.own("lead_id"));
        }
        let mut problems = Vec::new();
        for field in self.fields.iter().filter_map(|&f| schema.field(f)) {
            let (column, value) = (self.column_of(&field.name), self.id(&field.name));
            let problem = match &field.ty {
                FieldType::Enum(values) => {
                    let list: Vec<String> = values.iter().map(|v| d.string(v)).collect();
                    let expected: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
                    let message = self.problem(column, &value, &format!("one of {}", expected.join(", ")));
                    Some(format!("WHEN {value} NOT IN ({}) THEN {message}", list.join(", ")))
                }
                FieldType::Number => Some(format!(
                    "WHEN {} THEN {}",
                    d.is_infinite(&value),
                    self.problem(column, &value, "a finite number")
                )),
                FieldType::Int => d.has_fraction(&value).map(|fraction| {
                    format!("WHEN {fraction} THEN {}", self.problem(column, &value, "an integer"))
                }),
                FieldType::String | FieldType::Bool => None,
            };
            problems.extend(problem);
            columns.push(value);
        }
        for behaviour in &self.counts {
            let count = self.id(behaviour);
            let mut bad = format!("{count} NOT BETWEEN 0 AND {}", u32::MAX);
            if let Some(fraction) = d.has_fraction(&count) {
                bad = format!("{bad} OR {fraction}");
            }
            let message = self.problem(
                self.column_of(behaviour),
                &count,
                "a count (a whole number from 0 to 4294967295)",
            );
            problems.push(format!("WHEN {bad} THEN {message}"));
            columns.push(format!(
                "CAST(CASE WHEN {bad} THEN 0 ELSE COALESCE({count}, 0) END AS BIGINT) AS {count}"
            ));
        }
        let error = if problems.is_empty() {
            format!("CAST(NULL AS {})", self.text_type())
        } else {
            format!("CASE\n{}\nEND", indent_plain(&problems, 2))
        };
        columns.push(format!("{error} AS {}", self.own("error")));
        let body = format!("  SELECT\n{}\n  FROM cells", indent_list(&columns, 4));
        let comment = "The row's error: the first value that does not fit its field, in `leadc score`'s\n\
                       words. A NULL count is 0."
            .to_string();
        Stage { name: "inputs", comment, body }
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
    pub(super) fn event_ages(&self) -> Stage {
        let d = self.d;
        let mut behaviours: Vec<&str> = self.timed.iter().map(|t| t.behaviour).collect();
        behaviours.sort_unstable();
        behaviours.dedup();
        let names: Vec<String> = behaviours.iter().map(|b| d.string(b)).collect();
        let columns = [
            format!("ev.{} AS {}", self.id("lead_id"), self.own("lead_id")),
            format!("ev.{0} AS {0}", self.id("behaviour")),
            format!(
                "p.{} - {} AS {}",
                self.id("as_of"),
                d.epoch_seconds(&format!("ev.{}", self.id("at"))),
                self.id("age")
            ),
        ];
        let body = format!(
            "  SELECT\n{}\n  FROM {} AS ev CROSS JOIN params AS p\n  WHERE ev.{} IN ({})",
            indent_list(&columns, 4),
            self.options.events,
            self.id("behaviour"),
            names.join(", ")
        );
        let comment = "Each event's age in seconds; a negative age is an event after the instant,\n\
                       which is ignored."
            .to_string();
        Stage { name: "event_ages", comment, body }
    }

    /// `lead_events`: per lead, each timed rule's counted events and their
    /// weight.
    pub(super) fn lead_events(&self) -> Stage {
        let d = self.d;
        let mut columns = vec![self.own("lead_id")];
        let timed_rules = self.card.rules().map(|(_, r)| r).filter(|r| match &r.kind {
            RuleKind::Behaviour(b) => self.card.schema.is_event(b.behaviour),
            RuleKind::Fit(_) => false,
        });
        for (t, rule) in self.timed.iter().zip(timed_rules) {
            let comment = self.comment(rule.span, &crate::check::render::rule(&self.card.schema, rule));
            for (i, aggregate) in t.aggregates(d).into_iter().enumerate() {
                columns.push(if i == 0 { format!("{comment}\n{aggregate}") } else { aggregate });
            }
        }
        let body = format!(
            "  SELECT\n{}\n  FROM event_ages\n  GROUP BY {}",
            indent_list(&columns, 4),
            self.own("lead_id")
        );
        let comment = "Per lead and timed rule: the counted events (in the window, not in the future)\n\
                       and their weight, or for a rule scored once the newest one's age."
            .to_string();
        Stage { name: "lead_events", comment, body }
    }

    /// The columns every stage after `inputs` carries along.
    fn carried(&self) -> Vec<String> {
        let mut columns: Vec<String> =
            (1..=self.keep.len()).map(|i| self.own(&format!("keep_{i}"))).collect();
        columns.push(self.own("error"));
        columns
    }

    /// `rules`: each must-have met, the segment digit, each rule's points.
    pub(super) fn rules(&self) -> Stage {
        let d = self.d;
        let card = self.card;
        let schema = &card.schema;
        let mut columns: Vec<String> = self.carried().iter().map(|c| format!("i.{c}")).collect();
        for (r, label) in card.requires.iter().zip(&self.require_labels) {
            let printed = crate::check::render::require(card, &r.condition, r.points);
            let condition = condition::field_condition(d, schema, "i", &r.condition);
            columns.push(format!(
                "{}\nCOALESCE({condition}, FALSE) AS {}",
                self.comment(r.span, &printed),
                self.own(&format!("require_{label}"))
            ));
        }
        columns.push(format!("{} AS {}", self.segment(), self.id("segment")));
        let mut timed = self.timed.iter();
        for ((_, rule), label) in card.rules().zip(&self.rule_labels) {
            let printed = crate::check::render::rule(schema, rule);
            let (fired, points) = match &rule.kind {
                RuleKind::Fit(c) => {
                    let condition = condition::field_condition(d, schema, "i", c);
                    (
                        format!("COALESCE({condition}, FALSE)"),
                        format!("CASE WHEN {condition} THEN {} ELSE 0 END", rule.points),
                    )
                }
                RuleKind::Behaviour(b) if schema.is_event(b.behaviour) => {
                    let Some(t) = timed.next() else { continue };
                    let min = b.min_count.max(1);
                    let points = events::behaviour_points(b, rule.points, &t.count(), min, &t.uncapped(d));
                    (format!("{} >= {min}", t.count()), points)
                }
                RuleKind::Behaviour(b) => {
                    let count = format!("i.{}", self.id(schema.behaviour(b.behaviour).unwrap_or("?")));
                    let uncapped = if b.per_occurrence {
                        events::times(rule.points, &count)
                    } else {
                        rule.points.to_string()
                    };
                    let points = events::behaviour_points(b, rule.points, &count, b.min_count, &uncapped);
                    (format!("{count} >= {}", b.min_count), points)
                }
            };
            let comment = self.comment(rule.span, &printed);
            columns.push(format!("{comment}\n{points} AS {}", self.own(&format!("rule_{label}"))));
            if self.options.explain {
                columns.push(format!("{fired} AS {}", self.own(&format!("fired_{label}"))));
            }
        }
        let mut from = "inputs AS i".to_string();
        if !self.timed.is_empty() {
            from.push_str(&format!("\n  LEFT JOIN lead_events AS e ON e.{0} = i.{0}", self.own("lead_id")));
        }
        let body = format!("  SELECT\n{}\n  FROM {from}", indent_list(&columns, 4));
        let comment = "Steps 1 to 3: each must-have met, the segment digit (0 when no arm holds), and\n\
                       each rule's points after its own cap."
            .to_string();
        Stage { name: "rules", comment, body }
    }

    /// The segment digit's expression.
    fn segment(&self) -> String {
        let (d, schema) = (self.d, &self.card.schema);
        let Some(s) = &self.card.segment else { return "0".into() };
        let Some(field) = schema.field(s.field) else { return "0".into() };
        let column = format!("i.{}", self.id(&field.name));
        let arms: Vec<String> = s
            .arms
            .iter()
            .map(|a| {
                format!("WHEN {} THEN {}", condition::value_test(d, &column, &field.ty, &a.test), a.digit)
            })
            .collect();
        let comment = self.comment(s.span, &format!("segment {}", field.name));
        format!("{comment}\nCASE\n{}\n  ELSE 0\nEND", indent_plain(&arms, 2))
    }

    /// `categories`: must-haves counted, and each category's capped total.
    pub(super) fn categories(&self) -> Stage {
        let card = self.card;
        let mut columns = self.carried();
        let requires: Vec<String> =
            self.require_labels.iter().map(|l| self.own(&format!("require_{l}"))).collect();
        let met: Vec<String> = requires.iter().map(|r| format!("CASE WHEN {r} THEN 1 ELSE 0 END")).collect();
        let points: Vec<String> = requires
            .iter()
            .zip(&card.requires)
            .map(|(r, req)| format!("CASE WHEN {r} THEN {} ELSE 0 END", req.points))
            .collect();
        columns.push(format!("{} AS {}", sum(&met), self.id("requires_met")));
        let qualified = if requires.is_empty() { "TRUE".into() } else { requires.join(" AND ") };
        columns.push(format!("{qualified} AS {}", self.id("qualified")));
        columns.push(format!("{} AS {}", sum(&points), self.own("requires_points")));
        columns.push(self.id("segment"));
        let mut labels = self.rule_labels.iter();
        for category in &card.categories {
            let rules: Vec<String> =
                labels.by_ref().take(category.rules.len()).map(|l| self.own(&format!("rule_{l}"))).collect();
            columns.push(format!(
                "{}\n{} AS {}",
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
        self.comment(category.span, &crate::check::render::category(&category.name, category.max))
    }

    /// The `fired` column: `line:+points` of every rule that fired.
    fn fired(&self) -> String {
        let d = self.d;
        let mut parts = Vec::new();
        for (index, label) in self.rule_labels.iter().enumerate() {
            let points = self.own(&format!("rule_{label}"));
            // As `leadc score` labels a rule: its line, or `#index`.
            let shown = if label.starts_with('n') { format!("#{index}") } else { label.clone() };
            parts.push(format!(
                "CASE WHEN {} THEN {} || CASE WHEN {points} >= 0 THEN '+' ELSE '' END || CAST({points} AS {}) END",
                self.own(&format!("fired_{label}")),
                d.string(&format!("{shown}:")),
                self.text_type()
            ));
        }
        if parts.is_empty() {
            return format!("'' AS {}", self.id("fired"));
        }
        format!("concat_ws(' ',\n{}\n) AS {}", indent_list(&parts, 2), self.id("fired"))
    }

    /// `outcomes`: step 5, the points.
    pub(super) fn outcomes(&self) -> Stage {
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
    pub(super) fn scored(&self) -> Stage {
        let body = format!(
            "  SELECT\n    *,\n    {segment} * 1000 + {requires} + {points} AS {score}\n  FROM outcomes",
            segment = self.id("segment"),
            requires = self.own("requires_points"),
            points = self.id("points"),
            score = self.id("score"),
        );
        let comment =
            "Step 6: the score, segment digit × 1000 + met must-haves' points + points.".to_string();
        Stage { name: "scored", comment, body }
    }

    /// The final `SELECT`: step 7, the tier, and every row's columns (empty
    /// for a row with bad data), the numbers as `BIGINT`.
    pub(super) fn select(&self) -> String {
        let d = self.d;
        let error = self.own("error");
        let good = |expr: &str| format!("CASE WHEN {error} IS NULL THEN {expr} END");
        let number = |name: &str| {
            format!("{} AS {}", good(&format!("CAST({} AS BIGINT)", self.id(name))), self.id(name))
        };
        let mut columns = Vec::new();
        for (i, keep) in self.keep.iter().enumerate() {
            columns.push(format!("{} AS {}", self.own(&format!("keep_{}", i + 1)), self.id(keep)));
        }
        columns.push(number("score"));
        let rank = format!("CAST({} - 1000 * {} AS BIGINT)", self.id("score"), self.id("segment"));
        columns.push(format!("{} AS {}", good(&rank), self.id("rank")));
        columns.push(number("points"));
        let mut arms = vec![format!("WHEN {error} IS NOT NULL THEN CAST(NULL AS {})", self.text_type())];
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
        let tier = format!("CASE\n{}\nEND", indent_plain(&arms, 2));
        columns
            .push(format!("-- Step 7: the first tier whose condition holds.\n{tier} AS {}", self.id("tier")));
        columns.push(format!("{} AS {}", good(&self.id("qualified")), self.id("qualified")));
        columns.push(number("segment"));
        columns.push(number("requires_met"));
        for c in &self.card.categories {
            columns.push(number(&category_column(&c.name)));
        }
        if self.options.explain {
            columns.push(format!("{} AS {}", good(&self.id("fired")), self.id("fired")));
        }
        columns.push(format!("{error} AS {}", self.id("error")));
        format!("SELECT\n{}\nFROM scored", indent_list(&columns, 2))
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
