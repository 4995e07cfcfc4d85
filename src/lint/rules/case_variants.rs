//! `case-variants` (L0016): one text written in two cases on a field that
//! compares case.
//!
//! In: every string literal the program compares a case-sensitive string
//! field with — in must-haves, fit rules and segment arms. Out: a finding
//! per field whose literals include two that differ only in case
//! (`title in ["VP", "vp"]`, or `title = "VP"` in one rule and `title =
//! "Vp"` in another): the writer wants the field matched in any case, and
//! the schema's `ignore_case` does that for every spelling, not only the
//! ones listed.

use crate::check::{Condition, FieldTest, Test, TextTest};
use crate::diag::span::Span;
use crate::lint::{Finding, Lint, LintContext, LintLevel};
use crate::schema::{FieldId, FieldType, fold_case};
use std::collections::BTreeMap;

/// See the module documentation.
#[derive(Debug)]
pub struct CaseVariants;

impl Lint for CaseVariants {
    fn name(&self) -> &'static str {
        "case-variants"
    }
    fn code(&self) -> &'static str {
        "L0016"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Warn
    }
    fn summary(&self) -> &'static str {
        "a case-sensitive string field is compared with one text in two cases"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let sc = cx.scorecard;
        let mut literals = Literals::default();
        for require in &sc.requires {
            literals.condition(&require.condition);
        }
        for (_, rule) in sc.rules() {
            if let crate::check::RuleKind::Fit(condition) = &rule.kind {
                literals.condition(condition);
            }
        }
        if let Some(segment) = &sc.segment {
            for arm in &segment.arms {
                literals.test(segment.field, &arm.test, arm.span);
            }
        }
        let mut out = Vec::new();
        for (field, seen) in literals.0 {
            let Some(def) = sc.schema.field(field) else { continue };
            if def.ty != FieldType::String || def.ignore_case {
                continue;
            }
            if let Some((first, later)) = first_variant(&seen) {
                out.push(finding(&def.name, first, later));
            }
        }
        out
    }
}

/// A literal and the test it is written in.
type Spelling<'a> = (&'a str, Span);

/// Per field, its literals in source order.
#[derive(Default)]
struct Literals<'a>(BTreeMap<FieldId, Vec<Spelling<'a>>>);

impl<'a> Literals<'a> {
    fn condition(&mut self, condition: &'a Condition<FieldTest>) {
        match condition {
            Condition::Test(t) => self.test(t.field, &t.test, t.span),
            Condition::Not(inner) => self.condition(inner),
            Condition::All(parts) | Condition::Any(parts) => parts.iter().for_each(|p| self.condition(p)),
        }
    }

    fn test(&mut self, field: FieldId, test: &'a Test, span: Span) {
        let seen = self.0.entry(field).or_default();
        match test {
            Test::Text(TextTest::Eq | TextTest::Ne, text) => seen.push((text, span)),
            Test::TextIn { values, .. } => seen.extend(values.iter().map(|v| (v.as_str(), span))),
            _ => {}
        }
    }
}

/// The first literal that another, earlier one equals but for case.
fn first_variant<'a>(seen: &[Spelling<'a>]) -> Option<(Spelling<'a>, Spelling<'a>)> {
    let mut by_fold: BTreeMap<String, Spelling<'a>> = BTreeMap::new();
    for &(text, span) in seen {
        match by_fold.get(fold_case(text).as_ref()) {
            Some(&(first, first_span)) if first != text => return Some(((first, first_span), (text, span))),
            Some(_) => {}
            None => {
                by_fold.insert(fold_case(text).into_owned(), (text, span));
            }
        }
    }
    None
}

fn finding(field: &str, (first, first_span): Spelling<'_>, (later, span): Spelling<'_>) -> Finding {
    let message = format!(
        "`{field}` is compared with both {first:?} and {later:?}: it compares case, so these are two \
         values, and other spellings match neither"
    );
    let mut f = Finding::new(message, span, format!("{later:?} here"));
    if first_span != span {
        f = f.related(first_span, format!("{first:?} here"));
    }
    f.help(format!(
        "to match `{field}` in any case, declare it `{field} = {{ type = \"string\", ignore_case = true }}` \
         in the schema and keep one spelling"
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::lint::LintSettings;
    use crate::schema::Schema;
    use std::sync::Arc;

    fn findings(schema: Schema, source: &str) -> Vec<Finding> {
        let mut sources = crate::diag::Sources::new();
        let given = crate::load::SchemaSource::Given(Arc::new(schema));
        let card = crate::load::check_source(&mut sources, "t.lead", source, given).unwrap();
        CaseVariants.check(&LintContext::new(&card, &LintSettings::default()))
    }

    #[test]
    fn spellings_across_rules_and_must_haves_are_found_once_per_field() {
        let schema =
            || Schema::builder().field("title", FieldType::String).field("country", FieldType::String);
        let source = "require title != \"intern\" : 100\ncategory c\nfit title = \"Intern\" : -5\n\
                      fit country in [\"US\", \"us\", \"Us\"] : 3\nfit title = \"INTERN\" : 1\n";
        let found = findings(schema().build().unwrap(), source);
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(found.len(), 2, "{messages:?}");
        assert!(messages[0].starts_with("`title` is compared with both \"intern\" and \"Intern\""));
        assert_eq!(found[0].related.len(), 1, "the earlier spelling is shown");
        assert!(messages[1].starts_with("`country` is compared with both \"US\" and \"us\""));
        assert!(found[1].related.is_empty(), "one list: one place");
        // Declared `ignore_case`, or one spelling each: nothing to say.
        let folding = Schema::builder().string_ignoring_case("title").string_ignoring_case("country");
        assert!(findings(folding.build().unwrap(), source).is_empty());
        let one = "category c\nfit title = \"VP\" : 5\nfit country in [\"US\", \"CA\"] : 3\n";
        assert!(findings(schema().build().unwrap(), one).is_empty());
    }
}
