//! UI tests: every `tests/ui/**/*.lead` file goes through the front end
//! ([`leadc::load::load_program`]) and the outcome is snapshotted —
//! the rendered diagnostics (plain text) for a program with errors, a
//! compact summary of the checked scorecard for a valid one.

use leadc::check::{Condition, FieldTest, OutcomeTest, RuleKind, Scorecard};
use leadc::diag::Sources;
use leadc::load::load_program;
use std::fmt::Write as _;
use std::path::Path;

#[test]
fn ui() {
    insta::glob!("../ui", "**/*.lead", |path| {
        let relative = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
        let mut sources = Sources::new();
        let output = match load_program(relative, &mut sources) {
            Ok(card) => summary(&card),
            Err(diagnostics) => {
                assert!(!diagnostics.is_empty(), "{}: an error without diagnostics", relative.display());
                diagnostics.iter().map(|d| d.render(&sources, false)).collect::<Vec<_>>().join("\n")
            }
        };
        insta::assert_snapshot!(output);
    });
}

/// Error cases are named `eNNNN_*.lead`: their diagnostics must include
/// that code, and valid programs (in `valid/`) must check clean.
#[test]
fn file_names_match_outcomes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    for dir in ["parse", "schema", "check", "frontend", "valid"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("lead") {
                continue;
            }
            let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
            let mut sources = Sources::new();
            let result = load_program(&path, &mut sources);
            if dir == "valid" {
                assert!(result.is_ok(), "{stem} should check clean: {:?}", result.err());
            } else if let Some(code) = stem.strip_prefix('e').and_then(|s| s.get(..4)) {
                let code = format!("E{code}");
                let diagnostics = result.expect_err(&stem);
                assert!(diagnostics.iter().any(|d| d.code == code), "{stem} does not report {code}");
            } else {
                assert!(result.is_err(), "{stem} should have errors");
            }
        }
    }
}

/// A compact, stable summary of a scorecard.
fn summary(card: &Scorecard) -> String {
    let mut out = String::new();
    let field = |t: &FieldTest| {
        let name = card.schema.field(t.field).map_or("?", |f| f.name.as_str());
        format!("{name} {:?}", t.test)
    };
    for r in &card.requires {
        writeln!(out, "require {} : {}", condition(&r.condition, &field), r.points).unwrap();
    }
    if let Some(segment) = &card.segment {
        let name = card.schema.field(segment.field).map_or("?", |f| f.name.as_str());
        writeln!(out, "segment {name}").unwrap();
        for arm in &segment.arms {
            writeln!(out, "  {:?} => {} {:?}", arm.test, arm.digit, arm.label).unwrap();
        }
    }
    for c in &card.categories {
        writeln!(out, "category {} max {:?}", c.name, c.max).unwrap();
        for rule in &c.rules {
            let what = match &rule.kind {
                RuleKind::Fit(cond) => format!("fit {}", condition(cond, &field)),
                RuleKind::Behaviour(b) => {
                    let name = card.schema.behaviour(b.behaviour).unwrap_or("?");
                    let star = if b.critical { "*" } else { "" };
                    let each = if b.per_occurrence { " each" } else { "" };
                    format!("{star}behaviour {name} >= {}{each} cap {:?}", b.min_count, b.cap)
                }
            };
            writeln!(out, "  {what} : {}", rule.points).unwrap();
        }
    }
    let outcome = |t: &OutcomeTest| format!("{t:?}");
    for t in &card.tiers {
        match &t.when {
            Some(when) => writeln!(out, "tier {} when {}", t.name, condition(when, &outcome)).unwrap(),
            None => writeln!(out, "tier {}", t.name).unwrap(),
        }
    }
    for l in &card.lint_directives {
        writeln!(out, "lint {:?} {}", l.level, l.name).unwrap();
    }
    writeln!(out, "digit layout: {}, points ceiling: {}", card.uses_digit_layout(), card.points_ceiling())
        .unwrap();
    out
}

fn condition<T>(c: &Condition<T>, leaf: &dyn Fn(&T) -> String) -> String {
    let list = |cs: &[Condition<T>]| cs.iter().map(|c| condition(c, leaf)).collect::<Vec<_>>().join(", ");
    match c {
        Condition::Test(t) => leaf(t),
        Condition::Not(inner) => format!("Not({})", condition(inner, leaf)),
        Condition::All(cs) => format!("All[{}]", list(cs)),
        Condition::Any(cs) => format!("Any[{}]", list(cs)),
    }
}
