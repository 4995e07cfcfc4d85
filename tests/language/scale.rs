//! Large programs: checking, linting, compiling and rendering diagnostics
//! stay near-linear in the number of rules. A 20,000-rule program went
//! through in minutes when every rule's line was found by scanning the file
//! from the start, every diagnostic copied every file to render, and the
//! budget weighed each same-field group pairwise (F13); now it takes
//! seconds even in a debug build. No timing is asserted: a regression
//! shows as a test that does not finish.

use leadc::diag::Sources;
use leadc::lint::{self, LintOptions};
use leadc::load::{SchemaSource, check_source};
use leadc::program::Program;
use leadc::schema::Schema;
use std::fmt::Write;
use std::sync::Arc;

/// The program of `/work/shared/findings/F13-quadratic-compile`: ten
/// categories of fit and behaviour rules, a quarter of them on `title`.
fn generated(total: usize) -> String {
    let mut text = String::new();
    for c in 0..10 {
        writeln!(text, "category c{c} max 25").unwrap();
        for i in 0..total / 10 {
            let k = c * 10_000 + i;
            match k % 4 {
                0 => writeln!(text, "fit age >= {} : 1", k % 90),
                1 => writeln!(text, "fit title = \"T{k}\" : 1"),
                2 => writeln!(text, "fit budget < {k}.5 : 1"),
                _ => writeln!(text, "behaviour web_visit >= {} : 1", k % 50),
            }
            .unwrap();
        }
    }
    text.push_str("tier hot when points >= 50\ntier cold\n");
    text
}

#[test]
fn a_20k_rule_program_checks_lints_and_compiles() {
    let schema = Schema::from_toml(
        "behaviours = [\"web_visit\"]\n[fields]\nage = \"int\"\ntitle = \"string\"\nbudget = \"number\"\n",
    )
    .unwrap();
    let text = generated(20_000);
    let mut sources = Sources::new();
    let card = check_source(&mut sources, "big.lead", &text, SchemaSource::Given(Arc::new(schema))).unwrap();
    assert_eq!(card.rules().count(), 20_000);

    // Every rule keeps its own line: line 1 is `category c0`, rule i of
    // category c is on line 2 + c × 2001 + i.
    let program = Program::compile_with_source(&card, &text);
    let lines: Vec<u32> = program.rules().iter().map(|r| r.source.line).collect();
    let expected: Vec<u32> = (0..10u32).flat_map(|c| (0..2000).map(move |i| 2 + c * 2001 + i)).collect();
    assert_eq!(lines, expected);
    assert_eq!(program.rules()[19_999].source.text, "behaviour web_visit >= 49 : 1");

    // The `age >= k` rules overlap one another; every finding renders and
    // points at its rule's line.
    let file = sources.find("big.lead").unwrap();
    let diagnostics = lint::lint(&card, &LintOptions::default(), file);
    let overlaps: Vec<_> =
        diagnostics.iter().filter(|d| d.lint.as_deref() == Some("overlapping-conditions")).collect();
    assert!(overlaps.len() > 4_000, "{} overlap findings", overlaps.len());
    for d in &overlaps {
        let rendered = d.render(&sources, false);
        let label = d.primary.as_ref().unwrap();
        let (line, column) = sources.line_col(file, label.span.start);
        assert_eq!(column, 1);
        assert!(rendered.contains(&format!("big.lead:{line}:1")), "{rendered}");
        assert_eq!(d.to_json(&sources)["line"], line);
    }
}
