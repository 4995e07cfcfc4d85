//! `--as-of` on `leadc score` and `leadc explain` over the timed example:
//! the instant used is printed, scores follow it, bad timestamps are
//! located, and explain shows the event arithmetic.

use assert_cmd::Command;

const PROGRAM: &str = "examples/timed/timed.lead";
const LEADS: &str = "examples/timed/leads.csv";

fn leadc(args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::cargo_bin("leadc").unwrap();
    let out = cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1").args(args).output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

/// The `points` column of each output row.
fn points(stdout: &str) -> Vec<i64> {
    let column = stdout.lines().next().unwrap().split(',').position(|h| h == "points").unwrap();
    stdout.lines().skip(1).map(|l| l.split(',').nth(column).unwrap().parse().unwrap()).collect()
}

#[test]
fn score_uses_and_prints_the_as_of_instant() {
    let (code, stdout, stderr) = leadc(&["score", PROGRAM, LEADS, "--keep", "id", "--as-of", "2026-11-30"]);
    assert_eq!(code, 0, "{stderr}");
    // Row 1: fit 20 + web 4 × (2^(-10/7) + 2^(-3/7) + 2^(-14.5/168)) = 8.2 -> 8, + 10 + 10.
    // Row 2: demo 40; its one visit is 121 days old, outside 30 days.
    // Row 3: fit 20 + pricing 10 × (1 - 60/90) = 3.3 -> 3; the visit is in the future.
    assert_eq!(points(&stdout), [48, 40, 23]);
    assert!(
        stderr.contains("scored as of 2026-11-30T00:00:00Z (rerun with --as-of 2026-11-30T00:00:00Z"),
        "{stderr}"
    );
    // Later, interest has faded and the December visit counts.
    let (_, later, _) = leadc(&["score", PROGRAM, LEADS, "--as-of", "2026-12-31T00:00:00Z"]);
    // Row 1: every visit is more than 30 days old -> 0; no pricing view in 2 weeks -> 0;
    // linear 10 × (1 - 33/90) = 6.3 -> 6; + fit 20. Row 3: the visit is 26d old:
    // 4 × 2^(-26/7) = 0.3 -> 0; pricing 10 × (1 - 91/90) < 0 -> 0.
    assert_eq!(points(&later), [26, 40, 20]);
}

#[test]
fn a_bad_timestamp_is_located_by_line_column_and_character() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.csv");
    std::fs::write(
        &path,
        "id,is_b2b,demo_request,web_visit,pricing_page_view\n1,yes,0,2026-11-20;2026-11-31,\n",
    )
    .unwrap();
    let (code, stdout, stderr) = leadc(&["score", PROGRAM, path.to_str().unwrap(), "--as-of", "2026-12-01"]);
    assert_eq!(code, 3, "{stdout}{stderr}");
    let all = format!("{stdout}{stderr}");
    assert!(
        all.contains("web_visit") && all.contains("a day that exists in that month at character 20"),
        "{all}"
    );
    assert!(all.contains(":2"), "the line is given: {all}");
}

#[test]
fn a_bad_as_of_is_a_usage_error() {
    let (code, _, stderr) = leadc(&["score", PROGRAM, LEADS, "--as-of", "yesterday"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("expected a four-digit year"), "{stderr}");
}

#[test]
fn explain_shows_the_event_arithmetic() {
    let (code, stdout, stderr) = leadc(&["explain", PROGRAM, LEADS, "--row", "3", "--as-of", "2026-11-30"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("as of 2026-11-30T00:00:00Z"), "{stdout}");
    assert!(stdout.contains("events: 0 counted, 1 in the future, ignored"), "{stdout}");
    assert!(stdout.contains("events: 1 counted (ages 60d 0h to 60d 0h); 10 before decay → 3"), "{stdout}");
    // The count beside an event rule is of the events it counted, not of all.
    assert!(stdout.contains("+3    pricing_page_view × 1 counted"), "{stdout}");
    assert!(stdout.contains("-    web_visit × 0 counted"), "{stdout}");
    let (_, json, _) =
        leadc(&["explain", PROGRAM, LEADS, "--row", "3", "--as-of", "2026-11-30", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["as_of"], "2026-11-30T00:00:00Z");
    assert_eq!(json["rules"][2]["time"]["future"], 1);
    assert_eq!(json["rules"][4]["time"]["undecayed"], 10);
    assert_eq!(json["rules"][4]["values"], serde_json::json!({ "pricing_page_view": 1 }));
}

#[test]
fn count_only_programs_print_no_instant() {
    let (code, _, stderr) = leadc(&["score", "examples/saas/saas.lead", "examples/saas/leads.csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("as of"), "{stderr}");
}

#[test]
fn as_of_past_year_9999_in_utc_is_refused_and_the_hint_always_reruns() {
    // Valid RFC 3339, but 10000-01-01 in UTC: the hint could not say it.
    let (code, _, stderr) = leadc(&["score", PROGRAM, LEADS, "--as-of", "9999-12-31T23:59:59-23:59"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is after 9999-12-31T23:59:59Z in UTC"), "{stderr}");
    let (code, _, stderr) =
        leadc(&["explain", PROGRAM, LEADS, "--row", "1", "--as-of", "0000-01-01T00:00:00+01:00"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is before 0000-01-01T00:00:00Z in UTC"), "{stderr}");
    // At the very ends, the hint is accepted back and reproduces the run.
    for as_of in ["9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59+23:59"] {
        let (code, first, stderr) = leadc(&["score", PROGRAM, LEADS, "--as-of", as_of]);
        assert_eq!(code, 0, "{stderr}");
        let hint = stderr.split("(rerun with --as-of ").nth(1).and_then(|s| s.split(' ').next()).unwrap();
        let (code, again, stderr) = leadc(&["score", PROGRAM, LEADS, "--as-of", hint]);
        assert_eq!(code, 0, "--as-of {hint}: {stderr}");
        assert_eq!(first, again, "--as-of {as_of} then {hint}");
    }
}
