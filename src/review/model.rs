//! What the review needs to know about the program.
//!
//! In: a checked [`Scorecard`] and, optionally, its source text. Out: a
//! [`Model`] — the rules as written (text, line, category, points), the
//! tier names, and for every schema field and behaviour whether a rule or
//! must-have uses it and with which tests — so that the analysis can say
//! which rules disagree with the data and which signals no rule uses.

use crate::check::scorecard::{Condition, FieldTest, RuleKind, Scorecard, Test, TextTest};
use crate::diag::span::{LineIndex, Span};
use crate::lead::Value;
use crate::schema::FieldType;

/// The program, as the review sees it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Model {
    /// Every schema field, in schema order.
    pub fields: Vec<FieldMeta>,
    /// Every schema behaviour, in schema order.
    pub behaviours: Vec<BehaviourMeta>,
    /// Every rule, in program order (the order of [`super::Row::fired`]).
    pub rules: Vec<RuleMeta>,
    /// The tier names, in program order.
    pub tiers: Vec<String>,
    /// The category names, in program order.
    pub categories: Vec<String>,
}

/// A schema field and how the program uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldMeta {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: FieldType,
    /// Every test of it in a rule or must-have (empty: unused).
    pub tests: Vec<Test>,
}

/// A schema behaviour and whether the program uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BehaviourMeta {
    /// Its name.
    pub name: String,
    /// Whether a rule counts it.
    pub used: bool,
}

/// A rule as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    /// Its source text (or a description when the source is not known).
    pub text: String,
    /// Its 1-based line in the program, 0 when not known.
    pub line: usize,
    /// Its category's name.
    pub category: String,
    /// Its points (per occurrence for `each`).
    pub points: i64,
    /// The most it can give: its `each max` cap, else its points.
    pub max_points: i64,
}

impl Model {
    /// The model of a checked program; `source` gives the rules' text and
    /// line numbers.
    pub fn from_scorecard(card: &Scorecard, source: Option<&str>) -> Model {
        let schema = &card.schema;
        let mut fields: Vec<FieldMeta> = schema
            .fields()
            .iter()
            .map(|f| FieldMeta { name: f.name.clone(), ty: f.ty.clone(), tests: Vec::new() })
            .collect();
        let mut behaviours: Vec<BehaviourMeta> =
            schema.behaviours().iter().map(|b| BehaviourMeta { name: b.clone(), used: false }).collect();
        for require in &card.requires {
            collect_tests(&require.condition, &mut fields);
        }
        let mut rules = Vec::new();
        let lines = source.map(LineIndex::new).unwrap_or_default();
        for (category, rule) in card.rules() {
            let category = card.categories.get(category).map(|c| c.name.clone()).unwrap_or_default();
            let max_points = match &rule.kind {
                RuleKind::Fit(condition) => {
                    collect_tests(condition, &mut fields);
                    rule.points
                }
                RuleKind::Behaviour(b) => {
                    if let Some(meta) = behaviours.get_mut(b.behaviour.0 as usize) {
                        meta.used = true;
                    }
                    if b.per_occurrence { b.cap.unwrap_or(rule.points) } else { rule.points }
                }
            };
            let (text, line) = describe(source, &lines, rule.span, rules.len(), &category);
            rules.push(RuleMeta { text, line, category, points: rule.points, max_points });
        }
        let tiers = card.tiers.iter().map(|t| t.name.clone()).collect();
        let categories = card.categories.iter().map(|c| c.name.clone()).collect();
        Model { fields, behaviours, rules, tiers, categories }
    }

    /// The rule texts of a row's fired rules.
    pub fn fired_texts(&self, fired: &[bool]) -> Vec<String> {
        self.rules.iter().zip(fired).filter(|(_, f)| **f).map(|(r, _)| r.text.clone()).collect()
    }

    /// A tier's name, `-` for none.
    pub fn tier_name(&self, tier: Option<usize>) -> String {
        tier.and_then(|t| self.tiers.get(t)).cloned().unwrap_or_else(|| "-".to_string())
    }
}

impl FieldMeta {
    /// Whether a rule or must-have tests this field.
    pub fn used(&self) -> bool {
        !self.tests.is_empty()
    }

    /// Whether some test of the field holds for `value` — the value is
    /// already given points (or required) by the program. Only decided for
    /// string, enum and bool tests; numeric tests never cover.
    pub fn covers(&self, value: &Value) -> bool {
        self.tests.iter().any(|t| test_holds(t, value))
    }
}

/// A rule's text on one line and its line number; `lines` indexes `source`.
fn describe(
    source: Option<&str>,
    lines: &LineIndex,
    span: Span,
    index: usize,
    category: &str,
) -> (String, usize) {
    let text = source.map(|s| crate::syntax::one_line(span.text(s))).unwrap_or_default();
    match source {
        Some(source) if !text.is_empty() => (text, lines.line_col(source, span.start).0),
        _ => (format!("rule {} (category `{category}`)", index + 1), 0),
    }
}

fn collect_tests(condition: &Condition<FieldTest>, fields: &mut [FieldMeta]) {
    match condition {
        Condition::Test(t) => {
            if let Some(meta) = fields.get_mut(t.field.0 as usize) {
                meta.tests.push(t.test.clone());
            }
        }
        Condition::Not(c) => collect_tests(c, fields),
        Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| collect_tests(c, fields)),
    }
}

fn test_holds(test: &Test, value: &Value) -> bool {
    match (test, value) {
        (Test::Bool(b), Value::Bool(v)) => b == v,
        (Test::Text(op, t), Value::Text(v)) => match op {
            TextTest::Eq => v == t,
            TextTest::Ne => v != t,
            TextTest::Contains => v.contains(t.as_str()),
            TextTest::StartsWith => v.starts_with(t.as_str()),
            TextTest::EndsWith => v.ends_with(t.as_str()),
        },
        (Test::TextIn { values, negated }, Value::Text(v)) => values.contains(v) != *negated,
        (Test::EnumIn { values, negated }, Value::Enum(v)) => values.contains(v) != *negated,
        (Test::Missing, Value::Missing) => true,
        _ => false,
    }
}
