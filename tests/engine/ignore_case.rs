//! String fields declared `ignore_case`: a metamorphic test over the
//! generated programs of `tests/gen`.
//!
//! In: a generated case, and random case flips for its string literals and
//! lead values. Out: a failure when scoring the program with its string
//! literals UPPERCASED, on leads whose strings have random capitals,
//! against a schema whose string fields ignore case, differs — in the row
//! VM, the batch engine (filled by value and by text) or the reference
//! evaluator — from scoring the program with its literals lowercased on
//! lowercased leads against the case-sensitive schema. Enum values and
//! every other type are untouched, so the two must agree exactly.

use crate::generate;
use leadc::check::Scorecard;
use leadc::diag::Sources;
use leadc::lead::{Batch, Lead, Value};
use leadc::load::{SchemaSource, check_source};
use leadc::outcome::Outcomes;
use leadc::program::Program;
use leadc::reference;
use leadc::schema::{FieldId, Schema};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::sync::Arc;

/// The source with every double-quoted string passed through `change`
/// (escapes kept as written), except enum literals (`"e0"`, `"e1"`, ...).
fn literals(source: &str, change: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        // The closing quote: the first not escaped.
        let mut end = 0;
        let bytes = rest.as_bytes();
        while end < bytes.len() && bytes[end] != b'"' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        let body = &rest[..end.min(rest.len())];
        let is_enum =
            body.len() > 1 && body.starts_with('e') && body[1..].bytes().all(|b| b.is_ascii_digit());
        if is_enum {
            out.push_str(body);
        } else {
            // Change the text between escapes; an escape's letter (`\t`) stays.
            let mut parts = body.split('\\');
            out.push_str(&change(parts.next().unwrap_or("")));
            for part in parts {
                out.push('\\');
                let mut chars = part.chars();
                if let Some(escaped) = chars.next() {
                    out.push(escaped);
                }
                out.push_str(&change(chars.as_str()));
            }
        }
        rest = &rest[end.min(rest.len())..];
        if let Some(after) = rest.strip_prefix('"') {
            out.push('"');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// `text` with the characters whose flip is set uppercased.
fn mangle(text: &str, flips: &[bool]) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| match flips.get(i % flips.len().max(1)).copied().unwrap_or(false) {
            true => c.to_uppercase().collect::<String>(),
            false => c.to_string(),
        })
        .collect()
}

fn check(source: &str, schema: Arc<Schema>) -> Result<Scorecard, TestCaseError> {
    check_source(&mut Sources::new(), "generated.lead", source, SchemaSource::Given(schema))
        .map_err(|_| TestCaseError::fail(format!("does not check:\n{source}")))
}

/// A lead of `schema` with `values` set through [`Lead::set`] (strings
/// through [`Lead::set_str`] when `by_str`).
fn lead(schema: &Schema, values: &[Value], counts: &[u32], by_str: bool) -> Lead {
    let mut lead = Lead::new(schema);
    for (i, v) in values.iter().enumerate() {
        match v {
            Value::Text(t) if by_str => lead.set_str(FieldId(i as u32), t),
            _ => lead.set(FieldId(i as u32), v.clone()),
        }
    }
    for (i, &c) in counts.iter().enumerate() {
        lead.set_count(leadc::schema::BehaviourId(i as u32), c);
    }
    lead
}

/// Whether every value fits its field's type (a batch's columns are typed).
fn fits(schema: &Schema, values: &[Value]) -> bool {
    values.iter().zip(schema.fields()).all(|(v, f)| generate::fits(v, &f.ty))
}

#[test]
fn ignoring_case_is_scoring_lowercased_text_in_every_engine() {
    let config = Config { cases: 300, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let flips = proptest::collection::vec(any::<bool>(), 1..7);
    let result = runner.run(&(generate::case_with(12, 0..5), flips), |(case, flips)| {
        let (folding, plain) = (case.schema.build_with(true), case.schema.build());
        let upper = literals(&case.source, |t| t.to_uppercase());
        let lower = literals(&case.source, |t| t.to_lowercase());
        let (card, baseline) = (check(&upper, folding.clone())?, check(&lower, plain.clone())?);
        // Through the compiled file: the schema keeps its `ignore_case`.
        let program = Program::from_bytes(&Program::compile(&card).to_bytes())
            .map_err(|e| TestCaseError::fail(format!("from_bytes: {e:?}")))?;
        prop_assert_eq!(program.schema(), &*folding);
        let expected_program = Program::compile(&baseline);
        let (mut scorer, mut expected_scorer) = (program.scorer(), expected_program.scorer());
        let mut batch = Batch::new(&folding);
        let mut texts = Batch::new(&folding);
        let mut expected = Vec::new();
        for (n, generated) in case.leads.iter().enumerate() {
            let change = |f: &dyn Fn(&str) -> String| -> Vec<Value> {
                let text = |v: &Value| match v {
                    Value::Text(t) => Value::Text(f(t)),
                    other => other.clone(),
                };
                generated.values.iter().map(text).collect()
            };
            let mangled = change(&|t| mangle(t, &flips));
            let lowered = change(&|t| t.to_lowercase());
            let want = expected_scorer.score(&lead(&plain, &lowered, &generated.counts, false)).clone();
            for by_str in [false, true] {
                let got = lead(&folding, &mangled, &generated.counts, by_str);
                prop_assert_eq!(scorer.score(&got), &want, "row VM (set_str: {}), lead {}", by_str, n);
                prop_assert_eq!(&reference::evaluate(&card, &got).0, &want, "reference, lead {}", n);
            }
            if fits(&folding, &mangled) {
                batch.push();
                texts.push();
                for (i, v) in mangled.iter().enumerate() {
                    let field = FieldId(i as u32);
                    batch.set(field, v).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    // `set_text` reads a blank text as missing: those by `set_str`.
                    if let Value::Text(t) = v {
                        match t.trim().is_empty() {
                            true => {
                                texts.set_str(field, t).map_err(|e| TestCaseError::fail(e.to_string()))?
                            }
                            false => texts
                                .set_text(&folding, field, t)
                                .map_err(|e| TestCaseError::fail(e.to_string()))?,
                        }
                    } else {
                        texts.set(field, v).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    }
                }
                for (i, &c) in generated.counts.iter().enumerate() {
                    batch.set_count(leadc::schema::BehaviourId(i as u32), c);
                    texts.set_count(leadc::schema::BehaviourId(i as u32), c);
                }
                expected.push(want);
            }
        }
        for (name, batch) in [("by value", &batch), ("by text", &texts)] {
            let mut out = Outcomes::default();
            scorer.score_batch(batch, &mut out).map_err(|e| TestCaseError::fail(e.to_string()))?;
            for (row, want) in expected.iter().enumerate() {
                prop_assert_eq!(&out.outcome(row), want, "batch {}, row {}", name, row);
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn literals_change_only_strings_and_keep_escapes() {
    let source = r#"fit f0_str in ["Head of", "q\"t", "tab\t"] : 3
fit f1_enum = "e1" : 2
  f0_str => 1 "x y""#;
    let up = literals(source, |t| t.to_uppercase());
    assert_eq!(
        up,
        r#"fit f0_str in ["HEAD OF", "Q\"T", "TAB\t"] : 3
fit f1_enum = "e1" : 2
  f0_str => 1 "X Y""#
    );
    assert_eq!(mangle("abc", &[true, false]), "AbC");
}
