//! Diagnostics on very long source lines: the rendered line is cut around
//! the labels with `…` (never inside a character), the `file:line:col` stays
//! the file's, and JSON diagnostics keep exact spans without source text.

use leadc::diag::span::Span;
use leadc::diag::{Diagnostic, Sources};
use leadc::load::{SchemaSource, check_source};
use leadc::schema::{FieldType, Schema};
use std::sync::Arc;

fn schema() -> Arc<Schema> {
    Arc::new(Schema::builder().field("title", FieldType::String).build().unwrap())
}

/// `fit <terms joined by or> : 1` on one line, `terms` of about 200 KB.
fn or_chain(terms: &[String]) -> String {
    format!("category c\nfit {} : 1\n", terms.join(" or "))
}

/// `n` terms `title = "t<i>"`, the `at`-th being `bad` instead.
fn terms(n: usize, at: usize, bad: &str) -> Vec<String> {
    (0..n).map(|i| if i == at { bad.to_string() } else { format!("title = \"t{i}\"") }).collect()
}

/// The diagnostics of `source`, rendered, and the file's text.
fn rendered(source: &str) -> (String, Vec<Diagnostic>, Sources) {
    let mut sources = Sources::new();
    let diagnostics = check_source(&mut sources, "long.lead", source, SchemaSource::Given(schema()))
        .expect_err("the program has an error");
    let text = diagnostics.iter().map(|d| d.render(&sources, false)).collect::<Vec<_>>().join("\n");
    (text, diagnostics, sources)
}

/// The 1-based column of the first `needle` in line 2 of `source`.
fn column_of(source: &str, needle: &str) -> usize {
    let line = source.lines().nth(1).unwrap();
    line[..line.find(needle).unwrap()].chars().count() + 1
}

/// Every stretch of a cut line in `text` (after a `…`) is a piece of
/// `source`, whole characters included: a cut inside a character, or a
/// misplaced stretch, would show text that is not in the file.
fn assert_cut_from(text: &str, source: &str) {
    let cut: Vec<&str> = text.lines().filter(|l| l.contains('…')).collect();
    assert!(!cut.is_empty(), "no line was cut: {text}");
    for line in cut {
        for piece in line.split('…').skip(1).filter(|p| !p.is_empty()) {
            assert!(source.contains(piece), "`{piece}` is not in the source");
        }
    }
}

const TERMS: usize = 12_000; // about 200 KB on one line

#[test]
fn an_error_in_the_middle_of_a_200_kb_line() {
    let source = or_chain(&terms(TERMS, TERMS / 2, "titel = \"x\""));
    assert!(source.len() > 200_000, "{}", source.len());
    let (text, diagnostics, sources) = rendered(&source);
    let column = column_of(&source, "titel");
    assert!(text.contains(&format!("long.lead:2:{column}")), "{text}");
    assert!(text.len() < 1_000, "a {}-byte diagnostic", text.len());
    assert_cut_from(&text, &source);
    insta::assert_snapshot!(text);
    // JSON: the exact span, positions, and no source line.
    let json = diagnostics[0].to_json(&sources);
    let start = source.find("titel").unwrap();
    assert_eq!(json["labels"][0]["start"], start);
    assert_eq!(json["labels"][0]["end"], start + "titel".len());
    assert_eq!(json["column"], column);
    assert_eq!(json["labels"][0]["end_column"], column + "titel".len());
    assert!(json.to_string().len() < 1_000, "{json}");
}

#[test]
fn errors_at_the_start_and_end_of_a_long_line() {
    let source = or_chain(&terms(TERMS, 0, "titel = \"x\""));
    let (text, ..) = rendered(&source);
    assert!(text.contains("long.lead:2:5"), "{text}");
    assert_cut_from(&text, &source);
    insta::assert_snapshot!("start", text);

    let source = or_chain(&terms(TERMS, TERMS - 1, "titel = \"x\""));
    let (text, ..) = rendered(&source);
    assert!(text.contains(&format!("long.lead:2:{}", column_of(&source, "titel"))), "{text}");
    assert_cut_from(&text, &source);
    insta::assert_snapshot!("end", text);

    // A parse error at the very end of the line: points missing.
    let source = or_chain(&terms(TERMS, usize::MAX, "")).replace(" : 1\n", " :\n");
    let (text, ..) = rendered(&source);
    let column = source.lines().nth(1).unwrap().chars().count() + 1;
    assert!(text.contains(&format!("long.lead:2:{column}")), "{text}");
    assert_cut_from(&text, &source);
    insta::assert_snapshot!("end_of_line", text);
}

#[test]
fn a_multibyte_line_is_never_cut_inside_a_character() {
    // Two-, three- and four-byte characters all along the line, so that
    // wherever the cuts fall they fall next to one.
    let wide: Vec<String> = (0..4_000).map(|i| format!("title = \"é{i}中🦀\"")).collect();
    let mut terms = wide.clone();
    terms.insert(2_000, "titel = \"中\"".to_string());
    let source = or_chain(&terms);
    let (text, diagnostics, sources) = rendered(&source);
    let column = column_of(&source, "titel");
    assert!(text.contains(&format!("long.lead:2:{column}")), "{text}");
    assert!(text.len() < 1_500, "a {}-byte diagnostic", text.len());
    assert_cut_from(&text, &source);
    insta::assert_snapshot!(text);
    assert_eq!(diagnostics[0].to_json(&sources)["column"], column);
}

/// Two labels far apart on one line: each is shown with its context, the
/// stretch between cut; and a label spanning two long lines.
#[test]
fn labels_far_apart_and_across_long_lines() {
    let line = "a".repeat(100_000) + "FIRST" + &"b".repeat(100_000) + "SECOND" + &"c".repeat(100_000);
    let mut sources = Sources::new();
    let source = format!("{line}\n{line}\n");
    let file = sources.add("x.lead", source.clone());
    let first = line.find("FIRST").unwrap();
    let second = line.find("SECOND").unwrap();
    let d = Diagnostic::error("E0301", "two places")
        .with_primary(file, Span::new(second, second + 6), "here")
        .with_secondary(file, Span::new(first, first + 5), "and here");
    let text = d.render(&sources, false);
    assert!(text.contains("x.lead:1:200006"), "{text}");
    assert_cut_from(&text, &source);
    insta::assert_snapshot!("far_apart", text);

    // From SECOND on line 1 to FIRST on line 2.
    let next = line.len() + 1;
    let d = Diagnostic::error("E0301", "across lines").with_primary(
        file,
        Span::new(second, next + first + 5),
        "this",
    );
    let text = d.render(&sources, false);
    assert!(text.contains("x.lead:1:200006"), "{text}");
    assert!(text.len() < 1_500, "a {}-byte diagnostic", text.len());
    assert_cut_from(&text, &source);
    insta::assert_snapshot!("across_lines", text);
}

/// A span that does not fall between characters, or does not fit its file,
/// still renders (the first snapped to a character, the second in short).
#[test]
fn odd_spans_render_without_panicking() {
    let mut sources = Sources::new();
    let file = sources.add("x.lead", format!("{}\n", "é".repeat(300)));
    let inside = Diagnostic::error("E0301", "inside").with_primary(file, Span::new(301, 303), "here");
    let text = inside.render(&sources, false);
    assert!(text.contains("x.lead:1:151"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("1 │ …é")), "{text}");
    let beyond = Diagnostic::error("E0301", "beyond").with_primary(file, Span::new(0, 10_000), "here");
    assert_eq!(beyond.render(&sources, false), "x.lead:1:1: error[E0301]: beyond");
}
