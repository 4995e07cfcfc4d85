//! `leadc diff`: the comparison users see on the saas example and an
//! edited copy, its counts checked against two `leadc score` runs and its
//! AUCs against two `leadc review` runs, and bad rows.

use crate::commands::run;
use std::collections::BTreeMap;
use std::path::Path;

/// The saas program and an edited copy (a new rule, a rule's points
/// lowered: the edit docs/review.md suggests) in `dir`.
fn programs(dir: &Path) -> (String, String) {
    std::fs::copy("examples/saas/saas.schema.toml", dir.join("saas.schema.toml")).unwrap();
    let old = std::fs::read_to_string("examples/saas/saas.lead").unwrap();
    let mut new = String::new();
    for line in old.lines() {
        let words = line.split_whitespace().collect::<Vec<_>>().join(" ");
        match words.as_str() {
            "fit budget >= 50000 : 10" => new.push_str("fit budget >= 50000 : 2\n"),
            "fit country = \"US\" : 4" => {
                new.push_str("fit country = \"US\" : 4\nfit country = \"CA\" : 10\n")
            }
            _ => new.push_str(&format!("{line}\n")),
        }
    }
    assert_ne!(old, new, "the edit found its lines");
    std::fs::write(dir.join("saas.lead"), old).unwrap();
    std::fs::write(dir.join("edited.lead"), new).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();
    (path("saas.lead"), path("edited.lead"))
}

#[test]
fn the_comparison_of_an_edit_on_the_example_leads() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = programs(dir.path());
    let r = run(&["diff", &old, &new, "examples/saas/leads.csv", "--id", "id", "--show", "4"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    insta::assert_snapshot!(r.stdout.replace(dir.path().to_str().unwrap(), "<dir>"));
}

/// `id → (tier, score)` from `leadc score PROGRAM LEADS --keep id`.
fn scored(program: &str, leads: &str) -> BTreeMap<String, (String, i64)> {
    let r = run(&["score", program, leads, "--keep", "id", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = r.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (tier, score) = (at("tier"), at("score"));
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (cells[0].to_string(), (cells[tier].to_string(), cells[score].parse().unwrap()))
        })
        .collect()
}

#[test]
fn the_counts_are_those_of_two_score_runs() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = programs(dir.path());
    let leads = "examples/saas/history.csv";
    let r = run(&["diff", &old, &new, leads, "--id", "id", "--format", "json", "--show", "100000"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let (before, after) = (scored(&old, leads), scored(&new, leads));
    assert_eq!(before.len(), 3000);
    assert_eq!(v["leads"], 3000);
    // The matrix, cell by cell, from the two runs.
    let tiers: Vec<String> = serde_json::from_value(v["old_tiers"].clone()).unwrap();
    let matrix: Vec<Vec<usize>> = serde_json::from_value(v["transitions"].clone()).unwrap();
    let mut counted: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (id, (tier, _)) in &before {
        *counted.entry((tier.clone(), after[id].0.clone())).or_default() += 1;
    }
    let name = |t: &str| if t == "-" { String::new() } else { t.to_string() };
    let mut total = 0;
    for (i, from) in tiers.iter().enumerate() {
        for (j, to) in tiers.iter().enumerate() {
            let want = counted.get(&(name(from), name(to))).copied().unwrap_or(0);
            assert_eq!(matrix[i][j], want, "{from} → {to}");
            total += matrix[i][j];
        }
    }
    assert_eq!(total, 3000, "the matrix sums to the number of leads");
    let changed = before.iter().filter(|(id, (t, _))| after[*id].0 != *t).count();
    let rescored = before.iter().filter(|(id, (_, s))| after[*id].1 != *s).count();
    assert_eq!(
        (v["changed"].as_u64(), v["rescored"].as_u64()),
        (Some(changed as u64), Some(rescored as u64))
    );
    assert!(changed > 100, "the edit moves leads: {changed}");
    // Every move is a lead whose tier the two runs disagree on.
    let moves = v["moves"].as_array().unwrap();
    assert_eq!(moves.len(), changed);
    for m in moves {
        let id = m["id"].as_str().unwrap();
        assert_eq!(
            (m["from"].as_str().unwrap(), m["to"].as_str().unwrap()),
            (before[id].0.as_str(), after[id].0.as_str())
        );
    }
}

#[test]
fn with_outcomes_each_program_gets_the_auc_its_review_reports() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = programs(dir.path());
    let leads = "examples/saas/history.csv";
    let r = run(&["diff", &old, &new, leads, "--outcome", "converted", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    for (program, key) in [(&old, "old_auc"), (&new, "new_auc")] {
        let review = run(&["review", program, leads, "--outcome", "converted", "--format", "json"]);
        let report: serde_json::Value = serde_json::from_str(&review.stdout).unwrap();
        assert_eq!(v["outcomes"][key], report["auc"], "{key}");
    }
    assert!(v["outcomes"]["new_auc"].as_f64() > v["outcomes"]["old_auc"].as_f64());
}

#[test]
fn rows_with_bad_data_are_counted_and_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = programs(dir.path());
    let leads = dir.path().join("leads.csv");
    let text = std::fs::read_to_string("examples/saas/leads.csv").unwrap();
    let mut lines: Vec<String> = text.lines().take(11).map(String::from).collect();
    lines[3] = lines[3]
        .replacen(",NA-West,", ",Mars,", 1)
        .replacen(",NA-East,", ",Mars,", 1)
        .replacen(",EMEA,", ",Mars,", 1);
    std::fs::write(&leads, lines.join("\n") + "\n").unwrap();
    let r = run(&["diff", &old, &new, leads.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["leads"], 9);
    assert_eq!(v["bad_rows"]["old"], 1);
    assert!(r.stderr.contains("line 4"), "{}", r.stderr);
}

#[test]
fn the_html_page_is_self_contained_with_charts_and_the_same_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = programs(dir.path());
    let leads = "examples/saas/history.csv";
    let page = dir.path().join("diff.html");
    let html = ["diff", &old, &new, leads, "--outcome", "converted", "--format", "html", "-o"];
    let r = run(&[&html[..], &[page.to_str().unwrap()]].concat());
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    let text = std::fs::read_to_string(&page).unwrap();
    assert!(text.starts_with("<!DOCTYPE html>") && text.ends_with("</html>\n"));
    // The SVG namespace is a name, not a fetch.
    let fetched = text.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for outside in ["http:", "https:", "<script", " src=", "<link"] {
        assert!(!fetched.contains(outside), "the page refers outside itself: {outside}");
    }
    assert_eq!(text.matches("<svg").count(), 3, "points, categories, gains");
    let json = run(&["diff", &old, &new, leads, "--outcome", "converted", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let changed = v["changed"].as_u64().unwrap();
    assert!(text.contains(&format!("<b>{changed} (")), "the card shows {changed} leads changing tier");
    for row in v["transitions"].as_array().unwrap() {
        let cells: Vec<String> =
            row.as_array().unwrap().iter().map(|n| format!("<td class=\"n\">{n}</td>")).collect();
        assert!(text.contains(&cells.concat()), "matrix row {row} on the page");
    }
}
