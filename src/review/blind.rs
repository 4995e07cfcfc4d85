//! The rules a history cannot judge: those testing a field or behaviour
//! the history has no column for.
//!
//! In: the checked [`Scorecard`], its [`Model`] and the names of the fields
//! and behaviours no column fills (`CsvLayout::missing`). Out: one
//! [`BlindRule`] per rule that tests one of them, saying whether the rule
//! can then never fire, fires for every lead, or still depends on other
//! fields. A missing field fails every test but `is missing` (so
//! `not (country = "US")` holds); a behaviour with no column counts 0.

use super::Model;
use crate::check::scorecard::{Condition, FieldTest, RuleKind, Scorecard, Test};

/// What a rule does when what it tests has no column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blind {
    /// It fires for no lead.
    Never,
    /// It fires for every lead.
    Always,
    /// It still depends on fields that have a column.
    Partly,
}

/// A rule that tests a field or behaviour with no column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlindRule {
    /// Its index among the program's rules.
    pub rule: usize,
    /// Its 1-based line in the program, 0 when not known.
    pub line: usize,
    /// Its source text.
    pub text: String,
    /// The fields and behaviours it tests that have no column.
    pub absent: Vec<String>,
    /// What it does then.
    pub effect: Blind,
}

/// The rules of `card` that test one of `absent` (field and behaviour
/// names), in program order.
pub fn blind_rules(card: &Scorecard, model: &Model, absent: &[String]) -> Vec<BlindRule> {
    let schema = &card.schema;
    let is_absent = |name: &str| absent.iter().any(|a| a == name);
    let mut blind = Vec::new();
    for (index, (_, rule)) in card.rules().enumerate() {
        let (names, effect) = match &rule.kind {
            RuleKind::Fit(condition) => {
                let mut names = Vec::new();
                let constant = constant(condition, &mut |t: &FieldTest| {
                    let name = schema.fields().get(t.field.0 as usize).map_or("", |f| f.name.as_str());
                    if !is_absent(name) {
                        return None;
                    }
                    if !names.iter().any(|n| n == name) {
                        names.push(name.to_string());
                    }
                    Some(t.test == Test::Missing)
                });
                let effect = match constant {
                    Some(true) => Blind::Always,
                    Some(false) => Blind::Never,
                    None => Blind::Partly,
                };
                (names, effect)
            }
            RuleKind::Behaviour(b) => {
                let name = schema.behaviours().get(b.behaviour.0 as usize).map_or("", String::as_str);
                if !is_absent(name) {
                    continue;
                }
                (vec![name.to_string()], if b.min_count == 0 { Blind::Always } else { Blind::Never })
            }
        };
        if names.is_empty() {
            continue;
        }
        let meta = model.rules.get(index);
        blind.push(BlindRule {
            rule: index,
            line: meta.map_or(0, |m| m.line),
            text: meta.map(|m| m.text.clone()).unwrap_or_default(),
            absent: names,
            effect,
        });
    }
    blind
}

/// The condition's value when it does not depend on the lead: `test`
/// gives each test's constant value, `None` for a test that depends on it.
/// Every test is visited (so `test` sees them all).
fn constant(
    condition: &Condition<FieldTest>,
    test: &mut impl FnMut(&FieldTest) -> Option<bool>,
) -> Option<bool> {
    match condition {
        Condition::Test(t) => test(t),
        Condition::Not(c) => constant(c, test).map(|b| !b),
        Condition::All(cs) => {
            let values: Vec<Option<bool>> = cs.iter().map(|c| constant(c, test)).collect();
            if values.contains(&Some(false)) {
                Some(false)
            } else if values.iter().all(|v| *v == Some(true)) {
                Some(true)
            } else {
                None
            }
        }
        Condition::Any(cs) => {
            let values: Vec<Option<bool>> = cs.iter().map(|c| constant(c, test)).collect();
            if values.contains(&Some(true)) {
                Some(true)
            } else if values.iter().all(|v| *v == Some(false)) {
                Some(false)
            } else {
                None
            }
        }
    }
}
