//! `leadc fmt`: rewriting in place, `--check` with its diff and exit code,
//! stdin, directories, and files it cannot format. What the layout is, and
//! that it keeps the program, is `src/format`'s and
//! `tests/language/format_props.rs`'s work.

use crate::commands::{leadc, run};
use std::path::Path;

const UNFORMATTED: &str = "tests/data/fmt/saas_unformatted.lead";

fn copy_to(dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    std::fs::copy(UNFORMATTED, &path).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn every_example_is_formatted() {
    let r = run(&["fmt", "--check", "examples/"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert_eq!(r.stderr, "4 files already formatted\n");
}

#[test]
fn check_prints_a_diff_and_exits_1_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_to(dir.path(), "saas.lead");
    let r = run(&["fmt", "--check", &path]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr, "1 file would be reformatted\n");
    insta::assert_snapshot!(r.stdout.replace(&path, "saas.lead"));
    assert_eq!(std::fs::read(&path).unwrap(), std::fs::read(UNFORMATTED).unwrap(), "--check wrote the file");
}

#[test]
fn fmt_rewrites_the_file_into_the_examples_layout() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_to(dir.path(), "saas.lead");
    let r = run(&["fmt", &path]);
    assert_eq!((r.code, r.stderr.as_str()), (0, "1 file reformatted\n"));
    let formatted = std::fs::read_to_string(&path).unwrap();
    assert_eq!(formatted, std::fs::read_to_string("examples/saas/saas.lead").unwrap());
    let again = run(&["fmt", &path]);
    assert_eq!((again.code, again.stderr.as_str()), (0, "1 file already formatted\n"));
}

#[test]
fn stdin_is_formatted_to_stdout() {
    let out = leadc().args(["fmt", "-"]).write_stdin("fit  a:1\r\nfit bb : 2\r\n").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "fit a  : 1\r\nfit bb : 2\r\n");
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
}

#[test]
fn a_file_with_a_syntax_error_is_reported_and_left_alone_while_the_rest_are_formatted() {
    let dir = tempfile::tempdir().unwrap();
    let good = copy_to(dir.path(), "a_good.lead");
    let bad = dir.path().join("b_bad.lead");
    std::fs::write(&bad, "category c\nfit title = : 1\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "fit  x:1\n").unwrap();
    let r = run(&["fmt", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 1);
    let stderr = r.stderr.replace(dir.path().to_str().unwrap(), "<dir>");
    insta::assert_snapshot!(stderr);
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), "category c\nfit title = : 1\n");
    assert_eq!(
        std::fs::read_to_string(&good).unwrap(),
        std::fs::read_to_string("examples/saas/saas.lead").unwrap()
    );
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "fit  x:1\n");
}

#[test]
fn unreadable_and_non_utf8_files_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.lead");
    std::fs::write(&latin1, b"fit title = \"Gesch\xe4ftsf\xfchrer\" : 1\n").unwrap();
    let r = run(&["fmt", latin1.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[E0212]") && r.stderr.contains("offset 18"), "{}", r.stderr);
    let missing = run(&["fmt", "no/such/file.lead"]);
    assert_eq!(missing.code, 4);
    assert!(missing.stderr.contains("cannot read `no/such/file.lead`"), "{}", missing.stderr);
    assert!(!missing.stderr.contains("panicked"));
}

#[test]
fn an_empty_folder_and_stdin_twice_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(&["fmt", "--check", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("holds no `.lead` files"), "{}", r.stderr);
    let r = run(&["fmt", "-", "-"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("can be given once"), "{}", r.stderr);
}
