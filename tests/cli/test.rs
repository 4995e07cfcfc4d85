//! `leadc test`: the examples' test files pass with full coverage; the
//! output of passing, failing and uncovered runs; JSON; test file errors;
//! exit codes. How cases are read and compared is `src/cases`' work.

use crate::commands::run;
use std::path::Path;

const EXAMPLES: &[&str] = &["saas", "regional", "segmented", "timed"];

#[test]
fn every_example_ships_passing_cases_that_reach_every_rule() {
    for name in EXAMPLES {
        let program = format!("examples/{name}/{name}.lead");
        let r = run(&["test", &program, "--min-coverage", "100"]);
        assert_eq!(r.code, 0, "{program}:\n{}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("reached (100.0%)"), "{}", r.stdout);
        assert!(r.stdout.contains("test result: ok."), "{}", r.stdout);
    }
}

#[test]
fn a_passing_run_lists_cases_and_coverage() {
    let r = run(&["test", "examples/saas/saas.lead"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    insta::assert_snapshot!(r.stdout);
}

/// A copy of the saas example in `dir`, `edit` applied to the program and
/// `tests` as its test file (the example's when `None`).
fn saas_copy(dir: &Path, edit: impl Fn(&str) -> String, tests: Option<&str>) -> String {
    std::fs::copy("examples/saas/saas.schema.toml", dir.join("saas.schema.toml")).unwrap();
    let program = std::fs::read_to_string("examples/saas/saas.lead").unwrap();
    std::fs::write(dir.join("saas.lead"), edit(&program)).unwrap();
    let tests = match tests {
        Some(t) => t.to_string(),
        None => std::fs::read_to_string("examples/saas/saas.tests.toml").unwrap(),
    };
    std::fs::write(dir.join("saas.tests.toml"), tests).unwrap();
    dir.join("saas.lead").to_str().unwrap().to_string()
}

#[test]
fn a_changed_rule_fails_with_the_expectations_and_the_explanation() {
    let dir = tempfile::tempdir().unwrap();
    let program = saas_copy(dir.path(), |p| p.replacen(": 12", ": 2", 1), None);
    let r = run(&["test", &program]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let dir_text = dir.path().to_str().unwrap();
    insta::assert_snapshot!(r.stdout.replace(dir_text, "<dir>"));
}

const ONE_CASE: &str = r#"
[[case]]
name = "a VP who asked for a demo"
lead = { region = "NA-West", age = 40, department = "IT", title = "VP", demo_request = 1 }
tier = "nurture"
"#;

#[test]
fn coverage_names_what_no_case_reaches_and_min_coverage_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let program = saas_copy(dir.path(), |p| p.to_string(), Some(ONE_CASE));
    let r = run(&["test", &program, "--min-coverage", "50"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout.replace(dir.path().to_str().unwrap(), "<dir>"));
    let below = run(&["test", &program, "--min-coverage", "10"]);
    assert_eq!(below.code, 0, "{}", below.stdout);
    let bad = run(&["test", &program, "--min-coverage", "150"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("not a percentage from 0 to 100"), "{}", bad.stderr);
}

#[test]
fn json_output_has_every_case_and_the_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let program = saas_copy(dir.path(), |p| p.to_string(), Some(ONE_CASE));
    let r = run(&["test", &program, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!((v["passed"].as_u64(), v["failed"].as_u64()), (Some(1), Some(0)));
    assert_eq!(v["cases"][0]["outcome"]["tier"], "nurture");
    assert_eq!(v["cases"][0]["outcome"]["points"], 32);
    assert_eq!(v["coverage"]["total"], 28);
    assert_eq!(v["coverage"]["covered"], 3);
    let items = v["coverage"]["items"].as_array().unwrap();
    assert_eq!(items.iter().filter(|i| i["covered"] == true).count(), 3);
    assert_eq!(items[0]["kind"], "require");
    assert_eq!(items[0]["line"], 4);
}

#[test]
fn errors_in_the_test_file_are_located_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let tests = r#"
[[case]]
name = "typos"
lead = { regoin = "NA-West", age = "forty" }
tier = "sales-ready"
fired = ['fit title = "Vp"']
categories = { goodfit = 10 }
"#;
    let program = saas_copy(dir.path(), |p| p.to_string(), Some(tests));
    let names = run(&["test", &program]);
    assert_eq!((names.code, names.stdout.as_str()), (1, ""));
    saas_copy(
        dir.path(),
        |p| p.to_string(),
        Some("[[case]]\nname = \"a VP\"\nlead = { title = \"VP\" }\npoint = 12\n"),
    );
    let key = run(&["test", &program]);
    assert_eq!((key.code, key.stdout.as_str()), (1, ""));
    let both = format!("{}\n{}", names.stderr, key.stderr);
    insta::assert_snapshot!(both.replace(dir.path().to_str().unwrap(), "<dir>"));
    saas_copy(dir.path(), |p| p.to_string(), Some("[[case]\nname = 1\n"));
    let r = run(&["test", &program]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[E0701]") && r.stderr.contains("saas.tests.toml:1:8"), "{}", r.stderr);
}

#[test]
fn a_missing_test_file_is_an_io_error_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let program = saas_copy(dir.path(), |p| p.to_string(), None);
    std::fs::remove_file(dir.path().join("saas.tests.toml")).unwrap();
    let r = run(&["test", &program]);
    assert_eq!(r.code, 4);
    assert!(
        r.stderr.contains("cannot read the test file") && r.stderr.contains("docs/workflow.md"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_hostile_test_file_is_a_located_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let program = saas_copy(dir.path(), |p| p.to_string(), None);
    let tests = dir.path().join("saas.tests.toml");
    // Latin-1 bytes: not UTF-8.
    std::fs::write(&tests, b"[[case]]\nname = \"Gesch\xe4ftsf\xfchrer\"\nlead = {}\n").unwrap();
    let r = run(&["test", &program]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[E0212]") && r.stderr.contains("offset 22"), "{}", r.stderr);
    // CR-only line ends and a byte-order mark: TOML takes neither CR alone.
    std::fs::write(&tests, "\u{feff}[[case]]\rname = \"x\"\rlead = {}\r").unwrap();
    let r = run(&["test", &program]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[E0701]") && r.stderr.contains("saas.tests.toml:1:"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
    // CRLF is fine.
    let crlf = std::fs::read_to_string("examples/saas/saas.tests.toml").unwrap().replace('\n', "\r\n");
    std::fs::write(&tests, crlf).unwrap();
    let r = run(&["test", &program]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}
