//! `dead-rule` (L0013): a rule or must-have whose condition can never hold.
//!
//! In: the conditions of fit rules and `require`s, analysed per field under
//! the schema's types. Out: a finding per condition no lead satisfies: an
//! empty range (`x in 10..5`), a contradictory `and` on one field
//! (`age > 5 and age < 3`), an `or` of such. A dead fit rule is budget
//! nobody can earn; a dead must-have means no lead is ever qualified.

use crate::check::RuleKind;
use crate::check::{Condition, FieldTest, Test};
use crate::lint::values::{self, FieldSet};
use crate::lint::{Finding, Lint, LintContext, LintLevel, describe};
use crate::schema::{FieldId, Schema};
use std::collections::BTreeMap;

/// See the module documentation.
#[derive(Debug)]
pub struct DeadRule;

impl Lint for DeadRule {
    fn name(&self) -> &'static str {
        "dead-rule"
    }
    fn code(&self) -> &'static str {
        "L0013"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Warn
    }
    fn summary(&self) -> &'static str {
        "a rule's or must-have's condition can never hold"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let schema = &cx.scorecard.schema;
        let mut out = Vec::new();
        for r in &cx.scorecard.requires {
            if never(&r.condition, schema) {
                let cond = describe::condition(schema, &r.condition);
                out.push(
                    Finding::new(
                        format!("must-have `{cond}` can never be met: no lead will ever be qualified"),
                        r.span,
                        "holds for no lead",
                    )
                    .help(help(&r.condition, schema)),
                );
            }
        }
        for (_, r) in cx.scorecard.rules() {
            if let RuleKind::Fit(c) = &r.kind
                && never(c, schema)
            {
                let cond = describe::condition(schema, c);
                out.push(
                    Finding::new(
                        format!("rule can never score its {} points: `{cond}` holds for no lead", r.points),
                        r.span,
                        "holds for no lead",
                    )
                    .help(help(c, schema)),
                );
            }
        }
        out
    }
}

/// Whether no lead satisfies `c`.
fn never(c: &Condition<FieldTest>, schema: &Schema) -> bool {
    if let Some(set) = values::field_set(c, schema) {
        return set.is_empty();
    }
    match c {
        Condition::All(cs) => {
            let mut by_field: BTreeMap<FieldId, FieldSet> = BTreeMap::new();
            for child in cs {
                if never(child, schema) {
                    return true;
                }
                if let Some(set) = values::field_set(child, schema) {
                    let met = match by_field.get(&set.field) {
                        Some(prev) => prev.intersect(&set),
                        None => Some(set.clone()),
                    };
                    if let Some(met) = met {
                        if met.is_empty() {
                            return true;
                        }
                        by_field.insert(set.field, met);
                    }
                }
            }
            false
        }
        Condition::Any(cs) => !cs.is_empty() && cs.iter().all(|c| never(c, schema)),
        _ => false,
    }
}

/// A concrete fix: the range written low to high, or which field's tests clash.
fn help(c: &Condition<FieldTest>, schema: &Schema) -> String {
    if let Some(t) = inverted(c) {
        let name = schema.field(t.field).map_or("?", |f| f.name.as_str());
        let (lo, hi) = match &t.test {
            Test::IntRange { lo, hi, .. } => (lo.to_string(), hi.to_string()),
            Test::NumberRange { lo, hi, .. } => (lo.to_string(), hi.to_string()),
            _ => (String::new(), String::new()),
        };
        return format!("write the range low end first: `{name} in {hi}..{lo}`");
    }
    let mut fields = std::collections::BTreeSet::new();
    values::collect_fields(c, &mut fields);
    let names: Vec<String> =
        fields.iter().filter_map(|f| schema.field(*f)).map(|f| format!("`{}`", f.name)).collect();
    format!("no value of {} passes these tests together: fix the bounds or remove the rule", names.join(", "))
}

fn inverted(c: &Condition<FieldTest>) -> Option<&FieldTest> {
    match c {
        Condition::Test(t) => match t.test {
            Test::IntRange { lo, hi, negated: false } if lo > hi => Some(t),
            Test::NumberRange { lo, hi, negated: false } if lo > hi => Some(t),
            _ => None,
        },
        Condition::Not(_) => None,
        Condition::All(cs) | Condition::Any(cs) => cs.iter().find_map(inverted),
    }
}
