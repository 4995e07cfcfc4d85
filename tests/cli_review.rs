//! `leadc review` end to end through the built binary: formats, exit codes,
//! and bad history rows located and counted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use std::path::Path;

const SAAS: &str = "examples/saas/saas.lead";
const HISTORY: &str = "examples/saas/history.csv";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::cargo_bin("leadc")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const HEADER: &str = "id,region,age,department,employees,industry,is_b2b,country,title,budget,timeline_days,\
                      email_domain,demo_request,free_trial,contact_request,email_open,web_visit,\
                      pricing_page_view,webinar_attended,unsubscribe,careers_page_view,won";
const GOOD: &str = "NA-West,40,IT,200,Software,true,US,VP,60000,30,acme.io,1,0,0,3,2,1,0,0,0";

fn bad_history(dir: &Path) -> String {
    let text = format!(
        "{HEADER}\n\
         a,{GOOD},won\n\
         b,{GOOD},perhaps\n\
         c,{},lost\n\
         d,{GOOD}\n\
         e,{GOOD},\n",
        GOOD.replacen("VP,60000", "VP,lots", 1),
    );
    let path = dir.join("history.csv");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn human_report_on_the_example_history() {
    let r = run(&["review", SAAS, HISTORY, "--outcome", "converted", "--id", "id"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("review of 3000 records: 3000 analysed, 0 row errors\n"), "{}", r.stdout);
    assert!(r.stdout.contains("\nPASS: converters average a higher rank than non-converters\n"));
    assert!(r.stdout.contains("line 25: `fit budget >= 50000 : 10`: high points, no lift"));
    assert!(r.stdout.contains("candidate rule: `fit country = \"CA\" : ...`"));
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn json_report_is_one_object_with_every_section() {
    let r = run(&["review", SAAS, HISTORY, "--outcome", "converted", "--format", "json", "--cases", "3"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(report["summary"]["records"], 3000);
    assert_eq!(report["verdict"]["pass"], true);
    assert!(report["auc"].as_f64().unwrap() > 0.5);
    assert_eq!(report["deciles"].as_array().unwrap().len(), 10);
    assert_eq!(report["study"]["low_converters"].as_array().unwrap().len(), 3);
    let flags: Vec<&str> =
        report["rules"].as_array().unwrap().iter().filter_map(|r| r["flag"].as_str()).collect();
    assert_eq!(flags, ["high-points-no-lift"]);
    assert!(r.stderr.starts_with("review: PASS; 3000 records, 3000 analysed, 0 row errors"), "{}", r.stderr);
}

#[test]
fn html_report_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("review.html");
    let r = run(&[
        "review",
        SAAS,
        HISTORY,
        "--outcome",
        "converted",
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let html = std::fs::read_to_string(out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<title>leadc review: saas.lead on history.csv</title>"));
    assert_eq!(html.matches("<svg").count(), 4);
}

#[test]
fn bad_rows_are_located_counted_and_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let history = bad_history(dir.path());
    let r = run(&["review", SAAS, &history, "--outcome", "won", "--id", "id"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stdout.starts_with("review of 5 records: 2 analysed, 3 row errors\n"), "{}", r.stdout);
    assert!(r.stdout.contains("1 converted (50.0%), 1 did not (1 with an empty outcome)"), "{}", r.stdout);
    let errors = r.stdout.split("Row errors (3 rows not analysed)\n").nth(1).unwrap();
    let lines: Vec<&str> = errors.lines().collect();
    assert_eq!(lines.len(), 3, "{errors}");
    assert!(
        lines[0].starts_with("  line 3 (id `b`): column `won`: `perhaps` is not an outcome"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1], "  line 4 (id `c`): column `budget`: `lots` is not a finite number");
    assert_eq!(lines[2], "  line 5 (id `d`): expected 22 fields, found 21");
}

#[test]
fn bad_ndjson_lines_are_located_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.ndjson");
    let text = "{\"id\": 1, \"region\": \"NA-West\", \"converted\": true}\n\n{\"id\": 2, \"converted\": \"?\"}\n{oops\n";
    std::fs::write(&path, text).unwrap();
    let r = run(&[
        "review",
        SAAS,
        path.to_str().unwrap(),
        "--outcome",
        "converted",
        "--id",
        "id",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(report["summary"]["records"], 3);
    assert_eq!(report["summary"]["rows"], 1);
    let lines: Vec<u64> =
        report["errors"].as_array().unwrap().iter().map(|e| e["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [3, 4]);
    assert!(r.stderr.contains("line 3 (id `2`): column `converted`: `?` is not an outcome"), "{}", r.stderr);
}

#[test]
fn a_missing_outcome_column_is_a_usage_error_with_a_suggestion() {
    let r = run(&["review", SAAS, HISTORY, "--outcome", "convrted"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(
            "error: `--outcome convrted`: the history has no column `convrted` (did you mean `converted`?)"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn a_compiled_program_or_a_missing_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let compiled = dir.path().join("saas.leadc");
    assert_eq!(run(&["compile", SAAS, "-o", compiled.to_str().unwrap()]).code, 0);
    let r = run(&["review", compiled.to_str().unwrap(), HISTORY, "--outcome", "converted"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`leadc review` needs its source"), "{}", r.stderr);
    let r = run(&["review", SAAS, "no/such/history.csv", "--outcome", "converted"]);
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("cannot read `no/such/history.csv`"), "{}", r.stderr);
}
