//! `leadc review` end to end through the built binary: formats, exit codes,
//! and bad history rows located and counted.

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

/// The example history as a CRM would export it: the outcome as a deal
/// stage in `Deal Stage` (`stage` names each row's: its line and whether
/// it converted), and `budget` under the CRM's own name.
fn crm_history(dir: &Path, stage: impl Fn(usize, bool) -> &'static str) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(HISTORY)).unwrap();
    let mut lines = text.lines();
    let header =
        lines.next().unwrap().replace(",budget,", ",Budget (USD),").replace(",converted", ",Deal Stage");
    let mut out = header + "\n";
    for (i, line) in lines.enumerate() {
        let (rest, converted) = line.rsplit_once(',').unwrap();
        out.push_str(&format!("{rest},{}\n", stage(i + 2, converted == "true")));
    }
    let path = dir.join("deals.csv");
    std::fs::write(&path, out).unwrap();
    path.display().to_string()
}

/// The first lines of a human report: the counts.
fn head(stdout: &str, n: usize) -> String {
    stdout.lines().take(n).collect::<Vec<_>>().join("\n")
}

#[test]
fn crm_stages_and_a_mapped_column_give_the_same_review_as_the_built_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let deals = crm_history(dir.path(), |_, won| if won { "Closed Won" } else { "closed lost " });
    let stages = [
        "--outcome",
        "Deal Stage",
        "--won",
        "Closed Won",
        "--lost",
        "Closed Lost",
        "--map",
        "Budget (USD)=budget",
        "--format",
        "json",
    ];
    let crm = run(&[&["review", SAAS, &deals], &stages[..]].concat());
    assert_eq!(crm.code, 0, "{}", crm.stderr);
    let built_in = run(&["review", SAAS, HISTORY, "--outcome", "converted", "--format", "json"]);
    assert_eq!(built_in.code, 0, "{}", built_in.stderr);
    assert_eq!(crm.stdout, built_in.stdout);
    insta::assert_snapshot!(crm.stderr.replace(&deals, "deals.csv"));
}

#[test]
fn open_stages_are_counted_and_left_out_of_the_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let open = |line: usize| line.is_multiple_of(10);
    let deals = crm_history(dir.path(), |line, won| match (won, open(line)) {
        (_, true) if line.is_multiple_of(20) => "Appointment Scheduled",
        (_, true) => "Negotiation",
        (true, false) => "Closed Won",
        (false, false) => "Closed Lost",
    });
    let args = [
        "--outcome",
        "Deal Stage",
        "--won",
        "Closed Won",
        "--lost",
        "Closed Lost",
        "--open",
        "Negotiation,appointment scheduled",
        "--map",
        "Budget (USD)=budget",
    ];
    let r = run(&[&["review", SAAS, &deals], &args[..]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(head(&r.stdout, 3));
    // The figures are those of the history without its open rows (the
    // cases and errors name input lines, which moved, so they are left out).
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(HISTORY)).unwrap();
    let closed: Vec<&str> =
        text.lines().enumerate().filter(|(i, _)| *i == 0 || !open(i + 1)).map(|(_, l)| l).collect();
    let path = dir.path().join("closed.csv");
    std::fs::write(&path, closed.join("\n") + "\n").unwrap();
    let json = |args: &[&str]| -> serde_json::Value {
        let r = run(&[args, &["--format", "json"][..]].concat());
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_str(&r.stdout).unwrap()
    };
    let with_open = json(&[&["review", SAAS, &deals], &args[..]].concat());
    let without = json(&["review", SAAS, path.to_str().unwrap(), "--outcome", "converted"]);
    for section in ["verdict", "auc", "tiers", "deciles", "histogram", "rules", "signals"] {
        assert_eq!(with_open[section], without[section], "{section}");
    }
    assert_eq!(with_open["summary"]["records"], 3000);
    assert_eq!(with_open["summary"]["open"]["rows"], 300);
    assert_eq!(with_open["summary"]["rows"], without["summary"]["rows"]);
}

#[test]
fn won_alone_counts_every_other_stage_as_not_converted_and_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let deals = crm_history(dir.path(), |line, won| match (won, line % 10) {
        (true, _) => "Closed Won",
        (false, 0) => "Negotiation",
        (false, _) => "Closed Lost",
    });
    let r = run(&[
        "review",
        SAAS,
        &deals,
        "--outcome",
        "Deal Stage",
        "--won",
        "closed won",
        "--map",
        "Budget (USD)=budget",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(head(&r.stdout, 3));
    let r = run(&[
        "review",
        SAAS,
        &deals,
        "--outcome",
        "Deal Stage",
        "--won",
        "closed won",
        "--map",
        "Budget (USD)=budget",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(report["summary"]["rows"], 3000);
    assert_eq!(report["summary"]["converters"], 702);
    assert_eq!(report["summary"]["unlisted"]["rows"], 2298);
    assert_eq!(report["summary"]["unlisted"]["values"][0]["value"], "Closed Lost");
}

#[test]
fn an_unknown_stage_is_a_located_row_error_listing_the_accepted_values() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{}\n\
         a,{GOOD},Closed Won\n\
         b,{GOOD},CLOSED LOST\n\
         c,{GOOD},Contract Sent\n\
         d,{GOOD},\n\
         e,{GOOD},Negotiation\n",
        HEADER.replace(",won", ",Deal Stage"),
    );
    let path = dir.path().join("deals.csv");
    std::fs::write(&path, text).unwrap();
    let r = run(&[
        "review",
        SAAS,
        path.to_str().unwrap(),
        "--outcome",
        "Deal Stage",
        "--id",
        "id",
        "--won",
        "Closed Won",
        "--lost",
        "Closed Lost,Disqualified",
        "--open",
        "Negotiation",
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let errors = r.stdout.split_once("\nRow errors").unwrap().1;
    insta::assert_snapshot!(format!("{}\n...\nRow errors{errors}", head(&r.stdout, 3)));
}

#[test]
fn a_history_without_a_rule_s_column_warns_naming_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(HISTORY)).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let dropped: Vec<usize> = ["budget", "demo_request", "web_visit"]
        .iter()
        .map(|c| header.iter().position(|h| h == c).unwrap())
        .collect();
    let mut out = String::new();
    for line in text.lines() {
        let cells: Vec<&str> =
            line.split(',').enumerate().filter(|(i, _)| !dropped.contains(i)).map(|(_, c)| c).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    let path = dir.path().join("history.csv");
    std::fs::write(&path, out).unwrap();
    let name = path.to_str().unwrap();
    // The warning goes to stderr whatever the report's format.
    for format in ["human", "json"] {
        let r = run(&["review", SAAS, name, "--outcome", "converted", "--format", format]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let warnings: Vec<&str> = r.stderr.lines().filter(|l| !l.starts_with("review: ")).collect();
        insta::assert_snapshot!(
            format!("a_history_without_a_rule_s_column_warns_naming_the_rules"),
            warnings.join("\n").replace(name, "history.csv")
        );
    }
}

#[test]
fn bad_outcome_lists_and_maps_are_usage_errors() {
    let cases: [&[&str]; 4] = [
        &["--lost", "Closed Lost"],
        &["--won", "Closed Won", "--lost", "Lost", "--open", "closed won"],
        &["--won", "Closed Won,"],
        &["--map", "Budget (USD)=budgt"],
    ];
    let mut out = Vec::new();
    for extra in cases {
        let r = run(&[&["review", SAAS, HISTORY, "--outcome", "converted"], extra].concat());
        assert_eq!(r.code, 2, "{extra:?}: {}", r.stderr);
        assert!(r.stdout.is_empty());
        out.push(format!("{}\n{}", extra.join(" "), r.stderr.trim_end()));
    }
    insta::assert_snapshot!(out.join("\n\n"));
}

#[test]
fn a_cell_that_is_not_utf8_is_named_by_its_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = format!("{HEADER}\na,{GOOD},won\n").into_bytes();
    // `acme?io`, with `?` a lone 0xff byte.
    let bad = GOOD.replacen("acme.io", "acme\u{0}io", 1);
    bytes.extend(format!("b,{bad},lost\n").bytes().map(|b| if b == 0 { 0xff } else { b }));
    let path = dir.path().join("history.csv");
    std::fs::write(&path, bytes).unwrap();
    let r = run(&["review", SAAS, path.to_str().unwrap(), "--outcome", "won", "--id", "id"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "  line 3: column `email_domain`: the value is not valid UTF-8; save the file as UTF-8"
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn fit_prints_the_rules_and_the_diff_and_writes_a_program_that_checks() {
    let r = run(&["fit", SAAS, HISTORY, "--outcome", "converted"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("fit_saas_stdout", r.stdout);
    // The lints the fitted program trips are said, on stderr.
    assert!(r.stderr.starts_with("the fitted program trips "), "{}", r.stderr);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fitted.lead");
    std::fs::copy("examples/saas/saas.schema.toml", dir.path().join("saas.schema.toml")).unwrap();
    let out_arg = out.to_str().unwrap();
    let r = run(&["fit", SAAS, HISTORY, "--outcome", "converted", "-o", out_arg, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["source"].as_str().unwrap(), std::fs::read_to_string(&out).unwrap());
    assert!(json["auc_after"].as_f64().unwrap() > json["auc_before"].as_f64().unwrap());
    assert_eq!(json["rules"].as_array().unwrap().len(), 19);
    assert!(!json["lints"].as_array().unwrap().is_empty());
    let check = run(&["check", out_arg]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn fit_refuses_what_it_cannot_fit_and_counts_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let compiled = dir.path().join("saas.leadc");
    let compiled = compiled.to_str().unwrap();
    assert_eq!(run(&["compile", SAAS, "-o", compiled]).code, 0);
    let r = run(&["fit", compiled, HISTORY, "--outcome", "converted"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`leadc fit` rewrites a program's source"), "{}", r.stderr);
    let r = run(&["fit", SAAS, &bad_history(dir.path()), "--outcome", "won"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("needs at least 5 of each"), "{}", r.stderr);
    // Bad rows are left out, counted, and make the exit 3.
    let mut text = std::fs::read_to_string(HISTORY).unwrap();
    let mut cells: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
    cells[2] = "Mars";
    text.push_str(&cells.join(","));
    text.push('\n');
    let history = dir.path().join("history.csv");
    std::fs::write(&history, text).unwrap();
    let r = run(&["fit", SAAS, history.to_str().unwrap(), "--outcome", "converted", "--format", "json"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("1 history row(s) had bad data and were left out of the fit; the first, line 3002"),
        "{}",
        r.stderr
    );
}

/// The timed example's leads as a history: alternate leads converted, each
/// with the instant it was scored (`scored_at`; `bad` for line `bad_line`).
fn timed_history(dir: &Path, bad_line: Option<usize>) -> String {
    let text = std::fs::read_to_string("examples/timed/leads.csv").unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let (converted, at) = match i {
            0 => ("converted".to_string(), "scored_at"),
            _ if Some(i + 1) == bad_line => ((i % 2).to_string(), "soon"),
            _ => ((i % 2).to_string(), "2026-11-30"),
        };
        out.push_str(&format!("{line},{converted},{at}\n"));
    }
    let path = dir.join("timed_history.csv");
    std::fs::write(&path, out).unwrap();
    path.display().to_string()
}

#[test]
fn review_scores_timed_rules_as_of_an_instant_or_each_leads_own() {
    let dir = tempfile::tempdir().unwrap();
    let history = timed_history(dir.path(), None);
    let timed = "examples/timed/timed.lead";
    let json = |extra: &[&str]| {
        let r =
            run(&[&["review", timed, &history, "--outcome", "converted", "--format", "json"][..], extra]
                .concat());
        assert_eq!(r.code, 0, "{}", r.stderr);
        (serde_json::from_str::<serde_json::Value>(&r.stdout).unwrap(), r.stderr)
    };
    let (timeless, warning) = json(&[]);
    assert!(
        warning.contains("without `--as-of` or `--as-of-column`, every event in the history counts fully"),
        "{warning}"
    );
    let (at, quiet) = json(&["--as-of", "2026-11-30"]);
    assert!(!quiet.contains("timed rules"), "{quiet}");
    let (own, _) = json(&["--as-of-column", "scored_at"]);
    let mean = |v: &serde_json::Value| v["verdict"]["converters_points"].as_f64().unwrap();
    assert_eq!(mean(&at), mean(&own), "every lead's own instant is the same one");
    assert_ne!(mean(&at), mean(&timeless), "as of an instant, old events count less");
    // A bad instant is a located row error; a missing column is refused.
    let bad = timed_history(dir.path(), Some(3));
    let r = run(&["review", timed, &bad, "--outcome", "converted", "--as-of-column", "scored_at"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stdout.contains("line 3") && r.stdout.contains("`soon` is not an as-of instant"),
        "{}",
        r.stdout
    );
    let r = run(&["review", timed, &history, "--outcome", "converted", "--as-of-column", "scored"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`--as-of-column scored`: the history has no column `scored`"), "{}", r.stderr);
}

#[test]
fn fit_judges_both_programs_on_a_holdout_history_it_never_saw() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(HISTORY).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let write = |name: &str, rows: &[&str]| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("{}\n{}\n", lines[0], rows.join("\n"))).unwrap();
        path.display().to_string()
    };
    let (train, holdout) = (write("train.csv", &lines[1..2001]), write("holdout.csv", &lines[2001..]));
    let r = run(&["fit", SAAS, &train, "--outcome", "converted", "--holdout", &holdout, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let h = &json["holdout"];
    assert_eq!((h["rows"].as_u64(), h["bad_rows"].as_u64()), (Some(1000), Some(0)));
    let (before, after) = (h["auc_before"].as_f64().unwrap(), h["auc_after"].as_f64().unwrap());
    assert!(after > before, "holdout AUC {before} -> {after}");
    eprintln!("holdout: AUC {before:.4} as written -> {after:.4} fitted on 1,000 unseen leads");
    let human = run(&["fit", SAAS, &train, "--outcome", "converted", "--holdout", &holdout]);
    assert!(
        human.stdout.contains("\nholdout `") && human.stdout.contains(": 1000 leads, "),
        "{}",
        human.stdout
    );
}

#[test]
fn a_program_with_a_byte_order_mark_is_quoted_and_fitted_by_its_own_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("examples/saas/saas.schema.toml", dir.path().join("saas.schema.toml")).unwrap();
    let program = dir.path().join("bom.lead");
    let source = std::fs::read_to_string(SAAS).unwrap();
    std::fs::write(&program, format!("\u{feff}{source}")).unwrap();
    let program = program.to_str().unwrap();
    let review = run(&["review", program, HISTORY, "--outcome", "converted"]);
    assert!(review.stdout.contains("    17  fit is_b2b : 8  "), "{}", review.stdout);
    let fit = run(&["fit", program, HISTORY, "--outcome", "converted"]);
    assert_eq!(fit.code, 0, "{}", fit.stderr);
    assert!(fit.stdout.contains("  L17  fit is_b2b  "), "{}", fit.stdout);
}
