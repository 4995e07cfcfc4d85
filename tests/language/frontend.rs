//! The front-end driver end to end: the examples check clean, every
//! documented error code has a UI case, and failures point into the right
//! file.

use leadc::diag::Sources;
use leadc::load::{SchemaSource, check_source, load_program};
use leadc::schema::{FieldType, Schema};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_with_extension(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_with_extension(&path, ext, out);
        } else if path.extension().and_then(|e| e.to_str()) == Some(ext) {
            out.push(path);
        }
    }
}

#[test]
fn every_example_checks_clean() {
    let mut programs = Vec::new();
    files_with_extension(&root().join("examples"), "lead", &mut programs);
    assert!(programs.len() >= 3, "found only {programs:?}");
    for path in programs {
        let mut sources = Sources::new();
        match load_program(&path, &mut sources) {
            Ok(card) => {
                let rules = card.rules().count();
                assert!(rules >= 15, "{}: only {rules} rules", path.display());
            }
            Err(diagnostics) => {
                let text: Vec<String> = diagnostics.iter().map(|d| d.render(&sources, false)).collect();
                panic!("{} does not check clean:\n{}", path.display(), text.join("\n"));
            }
        }
    }
}

/// Every reviewed snapshot under `tests/` (each test binary keeps its own
/// `snapshots/` folder).
fn snapshots() -> Vec<PathBuf> {
    let mut found = Vec::new();
    files_with_extension(&root().join("tests"), "snap", &mut found);
    assert!(found.len() >= 50, "found only {} snapshots", found.len());
    found
}

/// The codes documented in docs/errors.md, from its `## E0xxx` headings.
fn documented_codes() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("docs/errors.md")).unwrap();
    text.lines()
        .filter_map(|line| line.strip_prefix("## "))
        .filter_map(|heading| heading.split(|c: char| !c.is_ascii_alphanumeric()).next())
        .filter(|code| code.len() == 5 && code.starts_with('E'))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_documented_code_has_a_ui_case() {
    let codes = documented_codes();
    assert!(codes.len() >= 30, "docs/errors.md lists only {codes:?}");
    let snapshots = snapshots();
    let all: String = snapshots.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    let missing: Vec<&String> =
        codes.iter().filter(|code| !all.contains(&format!("error[{code}]"))).collect();
    assert!(missing.is_empty(), "codes without a UI case: {missing:?}");
}

#[test]
fn every_code_in_the_ui_cases_is_documented() {
    let documented = documented_codes();
    let snapshots = snapshots();
    for path in snapshots {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, _) in text.match_indices("error[") {
            let code = &text[i + 6..i + 11];
            if code.starts_with('L') {
                continue; // a denied lint: tests/language/lints.rs checks docs/lints.md
            }
            assert!(
                documented.iter().any(|d| d == code),
                "{code} (in {}) is not in docs/errors.md",
                path.display()
            );
        }
    }
}

/// `(code, summary)` from docs/errors.md's `## E0xxx: summary` headings.
fn documented_headings() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join("docs/errors.md")).unwrap();
    text.lines()
        .filter_map(|line| line.strip_prefix("## ")?.split_once(": "))
        .filter(|(code, _)| code.len() == 5 && code.starts_with('E'))
        .map(|(code, summary)| (code.to_string(), summary.to_string()))
        .collect()
}

#[test]
fn the_registry_and_docs_errors_md_list_the_same_codes() {
    let registered: Vec<(String, String)> =
        leadc::diag::codes::ALL.iter().map(|(c, s)| (c.to_string(), s.to_string())).collect();
    assert_eq!(documented_headings(), registered, "docs/errors.md and src/diag/codes.rs differ");
}

/// The string literals that look like codes (`"E0301"`, `"L0004"`) in the
/// library's source outside test modules and doc comments, per file.
fn code_literals() -> Vec<(String, String)> {
    let mut files = Vec::new();
    files_with_extension(&root().join("src"), "rs", &mut files);
    let mut found = Vec::new();
    // `tests.rs` files are test modules (`#[cfg(test)] mod tests;`).
    for path in files.into_iter().filter(|p| !p.ends_with("tests.rs")) {
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (i, _) in line.match_indices('"') {
                let literal = line.get(i + 1..i + 7).unwrap_or_default();
                let is_code = literal.len() == 6
                    && literal.ends_with('"')
                    && (literal.starts_with('E') || literal.starts_with('L'))
                    && literal[1..5].bytes().all(|b| b.is_ascii_digit());
                if is_code {
                    let name = path.strip_prefix(root()).unwrap().display().to_string();
                    found.push((name, literal[..5].to_string()));
                }
            }
        }
    }
    found
}

#[test]
fn every_code_is_defined_once() {
    let literals = code_literals();
    // Error codes: only in the registry, each once.
    let errors: Vec<&(String, String)> = literals.iter().filter(|(_, c)| c.starts_with('E')).collect();
    for (file, code) in &errors {
        assert_eq!(file, "src/diag/codes.rs", "{code} is written out in {file}: use `leadc::diag::codes`");
    }
    let mut codes: Vec<&String> = errors.iter().map(|(_, c)| c).collect();
    let count = codes.len();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), count, "an error code is defined twice in src/diag/codes.rs");
    assert_eq!(count, leadc::diag::codes::ALL.len());
    // Lint codes: each once, with its lint; and every one in docs/lints.md.
    let lints: Vec<&(String, String)> = literals.iter().filter(|(_, c)| c.starts_with('L')).collect();
    assert!(lints.len() >= 10, "{lints:?}");
    let docs = std::fs::read_to_string(root().join("docs/lints.md")).unwrap();
    for (i, (file, code)) in lints.iter().enumerate() {
        let again = lints[..i].iter().find(|(_, c)| c == code);
        assert!(again.is_none(), "{code} is defined in {file} and in {}", again.unwrap().0);
        assert!(docs.contains(code.as_str()), "{code} ({file}) is not in docs/lints.md");
    }
}

#[test]
fn an_unreadable_program_names_its_path() {
    let mut sources = Sources::new();
    let path = root().join("tests/ui/no-such-program.lead");
    let diagnostics = load_program(&path, &mut sources).unwrap_err();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, "E0211");
    assert!(diagnostics[0].primary.is_none());
    assert!(diagnostics[0].message.contains("no-such-program.lead"), "{}", diagnostics[0].message);
}

#[test]
fn schema_errors_point_into_the_schema_file() {
    let mut sources = Sources::new();
    let path = root().join("tests/ui/schema/e0202_bad_type.lead");
    let diagnostics = load_program(&path, &mut sources).unwrap_err();
    for d in &diagnostics {
        let label = d.primary.as_ref().unwrap();
        assert!(sources.name(label.file).ends_with("e0202.schema.toml"), "{}", sources.name(label.file));
    }
}

#[test]
fn a_given_schema_replaces_the_schema_line() {
    let schema = Arc::new(Schema::builder().field("age", FieldType::Int).build().unwrap());
    let text = "schema \"does/not/exist.toml\"\ncategory c max 10\nfit age >= 18 : 10\n";
    let mut sources = Sources::new();
    let card = check_source(&mut sources, "given.lead", text, SchemaSource::Given(schema)).unwrap();
    assert_eq!(card.categories[0].rules.len(), 1);
}

#[test]
fn check_errors_point_into_the_program_file() {
    let schema = Arc::new(Schema::builder().field("age", FieldType::Int).build().unwrap());
    let mut sources = Sources::new();
    let other = sources.add("other.lead", "unrelated");
    let text = "category c max 10\nfit agee >= 18 : 10\n";
    let diagnostics = check_source(&mut sources, "p.lead", text, SchemaSource::Given(schema)).unwrap_err();
    let label = diagnostics[0].primary.as_ref().unwrap();
    assert_ne!(label.file, other);
    assert_eq!(sources.name(label.file), "p.lead");
    assert_eq!(label.span.text(sources.text(label.file)), "agee");
}

#[test]
fn an_overflowing_integer_literal_is_an_error() {
    let schema = Arc::new(Schema::builder().field("age", FieldType::Int).build().unwrap());
    for literal in ["9223372036854775808", "-9223372036854775809", "99999999999999999999999"] {
        let text = format!("category c max 10\nfit age >= {literal} : 10\n");
        let mut sources = Sources::new();
        let diagnostics =
            check_source(&mut sources, "p.lead", &text, SchemaSource::Given(schema.clone())).unwrap_err();
        assert_eq!(diagnostics[0].code, "E0103", "{literal}");
    }
    // The extremes that fit are accepted as literals.
    let text =
        "category c max 10\nfit age >= -9223372036854775808 : 10\nfit age <= 9223372036854775807 : 1\n";
    let mut sources = Sources::new();
    assert!(check_source(&mut sources, "p.lead", text, SchemaSource::Given(schema)).is_ok());
}

#[test]
fn a_missing_schema_line_suggests_one() {
    let mut sources = Sources::new();
    let text = "category c max 10\n";
    let diagnostics =
        check_source(&mut sources, "deals.lead", text, SchemaSource::RelativeTo(PathBuf::new())).unwrap_err();
    assert_eq!(diagnostics[0].code, "E0210");
    assert!(diagnostics[0].help.as_deref().unwrap().contains("schema \"deals.schema.toml\""));
}

/// The fenced blocks of one language in a markdown file.
fn code_blocks(markdown: &str, lang: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim() == format!("```{lang}") => current = Some(String::new()),
            Some(block) if line.trim() == "```" => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn the_schema_docs_example_loads() {
    let text = std::fs::read_to_string(root().join("docs/schema.md")).unwrap();
    let blocks = code_blocks(&text, "toml");
    assert!(!blocks.is_empty());
    for block in blocks {
        if let Err(errors) = Schema::from_toml(&block) {
            panic!("docs/schema.md example does not load: {errors:?}\n{block}");
        }
    }
}

#[test]
fn the_complete_program_in_the_language_docs_checks_clean() {
    let text = std::fs::read_to_string(root().join("docs/language.md")).unwrap();
    let program =
        code_blocks(&text, "lead").into_iter().find(|b| b.starts_with("schema \"saas.schema.toml\""));
    let program = program.expect("docs/language.md has a complete program");
    let mut sources = Sources::new();
    let result = check_source(
        &mut sources,
        "language.md",
        &program,
        SchemaSource::RelativeTo(root().join("examples/saas")),
    );
    if let Err(diagnostics) = result {
        let text: Vec<String> = diagnostics.iter().map(|d| d.render(&sources, false)).collect();
        panic!("{}", text.join("\n"));
    }
}

#[test]
fn the_test_file_error_examples_in_the_docs_are_true() {
    let program = leadc::load(root().join("examples/saas/saas.lead")).unwrap();
    let mut checked = 0;
    for (code, body) in error_sections().into_iter().filter(|(c, _)| c.starts_with("E07")) {
        let example =
            code_blocks(&body, "toml").into_iter().next().unwrap_or_else(|| panic!("{code}: no example"));
        let errors = leadc::cases::Suite::parse(&example, &program).unwrap_err();
        assert!(errors.iter().any(|e| e.code == code), "the example of {code} gives {errors:?}");
        checked += 1;
    }
    assert_eq!(checked, 3);
}

#[test]
fn the_test_case_in_the_workflow_docs_is_the_examples() {
    let text = std::fs::read_to_string(root().join("docs/workflow.md")).unwrap();
    let tests = std::fs::read_to_string(root().join("examples/saas/saas.tests.toml")).unwrap();
    let block = code_blocks(&text, "toml").into_iter().next().unwrap();
    assert!(
        tests.contains(&block),
        "docs/workflow.md quotes a case examples/saas/saas.tests.toml lacks:\n{block}"
    );
}

#[test]
fn the_layout_shown_in_the_workflow_docs_is_what_fmt_writes() {
    let text = std::fs::read_to_string(root().join("docs/workflow.md")).unwrap();
    let blocks = code_blocks(&text, "lead");
    assert!(!blocks.is_empty());
    for block in blocks {
        assert_eq!(leadc::format::format(&block).unwrap(), block);
    }
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let mut sources = Sources::new();
    let text = "\u{feff}schema \"ui.schema.toml\"\ncategory c max 10\nfit agee >= 18 : 10\n";
    let diagnostics =
        check_source(&mut sources, "bom.lead", text, SchemaSource::RelativeTo(root().join("tests/ui")))
            .unwrap_err();
    assert_eq!(diagnostics.len(), 1);
    let label = diagnostics[0].primary.as_ref().unwrap();
    assert_eq!(label.span.text(sources.text(label.file)), "agee");
}

#[test]
fn load_schema_reads_a_schema_file_directly() {
    let mut sources = Sources::new();
    let schema =
        leadc::load::load_schema(&root().join("examples/saas/saas.schema.toml"), &mut sources).unwrap();
    assert!(schema.field_id("age").is_some());

    let missing = leadc::load::load_schema(&root().join("no/such.schema.toml"), &mut sources).unwrap_err();
    assert_eq!(missing[0].code, "E0211");
    assert!(missing[0].message.contains("such.schema.toml"));

    let bad = leadc::load::load_schema(&root().join("tests/ui/schema/e0202.schema.toml"), &mut sources);
    let bad = bad.unwrap_err();
    assert!(bad.iter().all(|d| d.code == "E0202"));
    let label = bad[0].primary.as_ref().unwrap();
    assert!(sources.name(label.file).ends_with("e0202.schema.toml"));

    let latin1 = leadc::load::load_schema(&root().join("tests/ui/frontend/latin1.schema.toml"), &mut sources);
    assert_eq!(latin1.unwrap_err()[0].code, "E0212");
}

/// The `## Exxxx` sections of docs/errors.md: code and text.
fn error_sections() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join("docs/errors.md")).unwrap();
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let code = line.strip_prefix("## ").and_then(|h| h.split(':').next()).filter(|c| c.starts_with('E'));
        match (code, sections.last_mut()) {
            (Some(code), _) => sections.push((code.to_string(), String::new())),
            (None, Some((_, body))) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    sections
}

#[test]
fn the_error_examples_in_the_docs_are_true() {
    let schema =
        Schema::from_toml(&std::fs::read_to_string(root().join("examples/saas/saas.schema.toml")).unwrap());
    let schema = Arc::new(schema.unwrap());
    let codes_of = |program: &str| -> Vec<String> {
        let mut sources = Sources::new();
        match check_source(&mut sources, "doc.lead", program, SchemaSource::Given(schema.clone())) {
            Ok(_) => Vec::new(),
            Err(diagnostics) => diagnostics.into_iter().map(|d| d.code).collect(),
        }
    };
    let mut checked = 0;
    for (code, body) in error_sections() {
        let blocks = code_blocks(&body, "lead");
        // E02xx examples are schema files and file-system situations; the
        // E0102 example abbreviates its 70 parentheses.
        if !(code.starts_with("E03") || code.starts_with("E01")) || code == "E0102" {
            continue;
        }
        let wrong = blocks.first().unwrap_or_else(|| panic!("{code} has no example"));
        assert!(codes_of(wrong).contains(&code), "the example of {code} does not report it:\n{wrong}");
        if let Some(fixed) = blocks.get(1) {
            assert!(!codes_of(fixed).contains(&code), "the fix of {code} still reports it:\n{fixed}");
        }
        checked += 1;
    }
    let check_and_syntax =
        leadc::diag::codes::ALL.iter().filter(|(c, _)| c.starts_with("E03") || c.starts_with("E01"));
    assert_eq!(checked, check_and_syntax.count() - 1);
}

#[test]
fn the_schema_error_examples_in_the_docs_are_true() {
    // The examples are fragments: a declaration alone sits under `[fields]`.
    let whole = |block: &str| {
        if block.contains("[fields]") || block.starts_with("behaviours") {
            block.to_string()
        } else {
            format!("[fields]\n{block}")
        }
    };
    let mut checked = 0;
    // E07xx examples are test files (checked by the test below).
    for (code, body) in error_sections().into_iter().filter(|(c, _)| !c.starts_with("E07")) {
        let blocks = code_blocks(&body, "toml");
        let Some(wrong) = blocks.first() else { continue };
        let errors = Schema::from_toml(&whole(wrong)).unwrap_err();
        assert!(
            errors.iter().any(|e| e.code == code),
            "the example of {code} does not report it: {errors:?}"
        );
        if let Some(fixed) = blocks.get(1) {
            assert!(Schema::from_toml(&whole(fixed)).is_ok(), "the fix of {code} does not load:\n{fixed}");
        }
        checked += 1;
    }
    assert_eq!(checked, 10, "E0201 to E0209 and E0213");
}
