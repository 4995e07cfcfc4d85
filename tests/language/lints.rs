//! Lint tests: every `tests/lints/*.lead` program is checked and linted.
//!
//! A file named after a lint (`dominant-rule.lead`) must make that lint
//! fire; its findings are snapshotted as rendered plain text. A file named
//! `<lint>.ok.lead` is the fixed program: that lint must not fire on it.
//! The examples must lint clean, and the budget report of the SaaS example
//! is snapshotted as a table and as JSON.

use leadc::check::Scorecard;
use leadc::diag::{Diagnostic, FileId, Severity, Sources};
use leadc::lint::{self, BudgetReport, LintOptions};
use leadc::load::load_program;
use std::path::Path;

/// Loads the program at `path` (relative to the crate root).
fn load(path: &Path) -> (Scorecard, Sources, FileId) {
    let mut sources = Sources::new();
    let card = match load_program(path, &mut sources) {
        Ok(card) => card,
        Err(ds) => panic!("{}: {}", path.display(), render(&ds, &sources)),
    };
    let file = sources.find(&path.display().to_string()).unwrap();
    (card, sources, file)
}

fn render(ds: &[Diagnostic], sources: &Sources) -> String {
    ds.iter().map(|d| d.render(sources, false)).collect::<Vec<_>>().join("\n")
}

fn lint_file(path: &Path, options: &LintOptions) -> (Vec<Diagnostic>, Sources) {
    let (card, sources, file) = load(path);
    (lint::lint(&card, options, file), sources)
}

/// The lint a test file is about: the longest lint name its stem starts with.
fn lint_of(stem: &str) -> &'static str {
    let stem = stem.trim_end_matches(".ok");
    lint::registry()
        .iter()
        .map(|l| l.name())
        .filter(|n| stem.starts_with(n))
        .max_by_key(|n| n.len())
        .unwrap_or_else(|| panic!("`{stem}` names no lint"))
}

/// Snapshots live in `tests/lints/snapshots`, next to the programs.
macro_rules! snapshots {
    ($($body:tt)*) => {
        insta::with_settings!({ snapshot_path => "../lints/snapshots", prepend_module_to_snapshot => false }, { $($body)* })
    };
}

#[test]
fn each_lint_fires_and_its_fix_is_clean() {
    snapshots! { insta::glob!("../lints", "*.lead", |path| {
        let relative = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
        let stem = relative.file_stem().unwrap().to_str().unwrap();
        let name = lint_of(stem);
        let (ds, sources) = lint_file(relative, &LintOptions::default());
        if stem.ends_with(".ok") {
            assert!(ds.is_empty(), "{stem} should lint clean:\n{}", render(&ds, &sources));
            return;
        }
        let mine: Vec<Diagnostic> = ds.into_iter().filter(|d| d.lint.as_deref() == Some(name)).collect();
        assert!(!mine.is_empty(), "{stem}: `{name}` did not fire");
        insta::assert_snapshot!(render(&mine, &sources));
    }) }
}

#[test]
fn every_lint_has_a_firing_and_a_clean_test() {
    for l in lint::registry() {
        for suffix in ["", ".ok"] {
            let path = format!("{}/tests/lints/{}{suffix}.lead", env!("CARGO_MANIFEST_DIR"), l.name());
            assert!(Path::new(&path).exists(), "no {path}");
        }
    }
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let all = lint::registry();
    for (i, l) in all.iter().enumerate() {
        assert_eq!(l.code(), format!("L{:04}", i + 1), "codes follow registry order");
        assert!(
            l.name().chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{} is not kebab-case",
            l.name()
        );
        assert!(all[..i].iter().all(|o| o.name() != l.name()));
    }
}

#[test]
fn examples_lint_clean() {
    let mut examples: Vec<String> = std::fs::read_dir("examples")
        .unwrap()
        .filter_map(|d| d.ok())
        // Every folder holding a program named after it (`support/` holds Rust code).
        .filter(|d| d.path().join(format!("{}.lead", d.file_name().to_string_lossy())).exists())
        .map(|d| d.file_name().to_string_lossy().into_owned())
        .collect();
    examples.sort();
    assert!(examples.len() >= 4, "{examples:?}");
    for e in examples {
        let path = format!("examples/{e}/{e}.lead");
        let (ds, sources) = lint_file(Path::new(&path), &LintOptions::default());
        assert!(ds.is_empty(), "{path}:\n{}", render(&ds, &sources));
    }
}

#[test]
fn saas_budget_report() {
    let (card, _, _) = load(Path::new("examples/saas/saas.lead"));
    let report = BudgetReport::new(&card);
    snapshots! {
        insta::assert_snapshot!("saas_budget_table", report.render_table());
        insta::assert_snapshot!("saas_budget_json", serde_json::to_string_pretty(&report).unwrap());
    }
}

/// The levels of `dominant-rule` (warn by default) and `must-have-block`
/// (deny by default) in `must-have-block.lead` and `dominant-rule.lead`,
/// under a directive prepended to the program and the given options.
fn levels(file: &str, directive: &str, options: &LintOptions) -> Vec<(String, Severity)> {
    let path = Path::new("tests/lints").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen('\n', &format!("\n{directive}\n"), 1);
    let mut sources = Sources::new();
    let card = leadc::load::check_source(
        &mut sources,
        "t.lead",
        &text,
        leadc::load::SchemaSource::RelativeTo(Path::new("tests/lints").into()),
    )
    .unwrap();
    let file = sources.find("t.lead").unwrap();
    let mut out: Vec<(String, Severity)> = lint::lint(&card, options, file)
        .into_iter()
        .map(|d| (d.lint.unwrap_or_else(|| d.code.clone()), d.severity))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn opts(deny: &[&str], warn: &[&str], allow: &[&str]) -> LintOptions {
    let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect();
    LintOptions { deny: v(deny), warn: v(warn), allow: v(allow) }
}

#[test]
fn default_levels() {
    use Severity::*;
    assert_eq!(levels("must-have-block.lead", "", &opts(&[], &[], &[])), [("must-have-block".into(), Error)]);
    assert_eq!(levels("dominant-rule.lead", "", &opts(&[], &[], &[])), [("dominant-rule".into(), Warning)]);
}

#[test]
fn directives_set_levels() {
    use Severity::*;
    let none = opts(&[], &[], &[]);
    assert_eq!(levels("must-have-block.lead", "lint allow must-have-block", &none), []);
    assert_eq!(
        levels("must-have-block.lead", "lint warn must-have-block", &none),
        [("must-have-block".into(), Warning)]
    );
    assert_eq!(
        levels("dominant-rule.lead", "lint deny dominant-rule", &none),
        [("dominant-rule".into(), Error)]
    );
    assert_eq!(levels("dominant-rule.lead", "lint deny warnings", &none), [("dominant-rule".into(), Error)]);
    // A later directive wins.
    let text = "lint deny dominant-rule\nlint allow dominant-rule";
    assert_eq!(levels("dominant-rule.lead", text, &none), []);
}

#[test]
fn options_override_directives() {
    use Severity::*;
    let allowed = "lint allow dominant-rule";
    assert_eq!(
        levels("dominant-rule.lead", allowed, &opts(&["dominant-rule"], &[], &[])),
        [("dominant-rule".into(), Error)]
    );
    assert_eq!(levels("dominant-rule.lead", "", &opts(&[], &[], &["dominant-rule"])), []);
    assert_eq!(
        levels("must-have-block.lead", "", &opts(&[], &["must-have-block"], &[])),
        [("must-have-block".into(), Warning)]
    );
    // deny wins a conflict among options.
    assert_eq!(
        levels("dominant-rule.lead", "", &opts(&["dominant-rule"], &[], &["dominant-rule"])),
        [("dominant-rule".into(), Error)]
    );
}

#[test]
fn deny_warnings() {
    use Severity::*;
    let denied = opts(&["warnings"], &[], &[]);
    assert_eq!(levels("dominant-rule.lead", "", &denied), [("dominant-rule".into(), Error)]);
    // A lint allowed by name stays allowed.
    assert_eq!(levels("dominant-rule.lead", "", &opts(&["warnings"], &[], &["dominant-rule"])), []);
}

#[test]
fn unknown_lint_names_are_reported_with_a_suggestion() {
    let mut sources = Sources::new();
    let text =
        std::fs::read_to_string("tests/lints/dominant-rule.ok.lead").unwrap() + "lint allow dominant-rules\n";
    let card = leadc::load::check_source(
        &mut sources,
        "t.lead",
        &text,
        leadc::load::SchemaSource::RelativeTo(Path::new("tests/lints").into()),
    )
    .unwrap();
    let file = sources.find("t.lead").unwrap();
    let ds = lint::lint(&card, &opts(&["too-few-rule"], &[], &[]), file);
    snapshots! { insta::assert_snapshot!(render(&ds, &sources)); }
}

#[test]
fn every_lint_is_documented() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/lints.md")).unwrap();
    for l in lint::registry() {
        let heading = format!("### {} `{}`", l.code(), l.name());
        assert!(docs.contains(&heading), "docs/lints.md has no `{heading}`");
        let default = match l.default_level() {
            leadc::lint::LintLevel::Deny => "**deny**",
            leadc::lint::LintLevel::Warn => "warn",
            leadc::lint::LintLevel::Allow => "allow",
        };
        let row = format!("| {} | `{}` | {default} |", l.code(), l.name());
        assert!(docs.contains(&row), "docs/lints.md has no table row `{row}`");
        assert!(docs.contains(&format!("Silence: `lint allow {}`", l.name())));
    }
}

#[test]
fn the_lead_examples_in_docs_lints_md_parse() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/lints.md")).unwrap();
    let blocks: Vec<&str> = docs.split("```lead\n").skip(1).filter_map(|b| b.split("```").next()).collect();
    assert!(blocks.len() >= 10, "found only {} lead blocks", blocks.len());
    for block in blocks {
        assert!(leadc::syntax::parse(block).is_ok(), "does not parse:\n{block}");
    }
}
