//! The review end to end on the bundled example history, and bad history
//! records: every record is analysed or reported, with its line.

use leadc::diag::Sources;
use leadc::load;
use leadc::program::Program;
use leadc::review::{Entry, History, Model, Options, Outcomes, Reader, Report, RuleFlag, analyse};
use std::path::Path;

fn saas() -> (Program, Model) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/saas.lead");
    let card = load::load_program(&path, &mut Sources::new()).unwrap();
    let source = std::fs::read_to_string(&path).unwrap();
    (Program::compile_with_source(&card, &source), Model::from_scorecard(&card, Some(&source)))
}

/// Reads a CSV without quoted cells (the example history has none).
fn read_csv(program: &Program, text: &str) -> History {
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(str::to_string).collect();
    let mut reader = Reader::csv(program, &header, "converted", Some("id")).unwrap();
    let mut history = History::default();
    for (i, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        history.push(reader.record(i as u64 + 2, &cells));
    }
    history
}

fn example_report() -> Report {
    let (program, model) = saas();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/history.csv");
    let history = read_csv(&program, &std::fs::read_to_string(path).unwrap());
    analyse(&model, &history, &Options::default())
}

#[test]
fn the_example_history_passes_and_finds_the_planted_signals() {
    let report = example_report();
    assert_eq!(report.summary.records, 3000);
    assert_eq!(report.summary.row_errors, 0);
    assert!(report.verdict.pass);
    assert!(report.auc.unwrap() > 0.7, "{:?}", report.auc);
    let candidates: Vec<&str> =
        report.signals.iter().filter(|s| s.candidate).map(|s| s.condition.as_str()).collect();
    assert_eq!(candidates, vec!["country = \"CA\""]);
    let flagged: Vec<(&str, RuleFlag)> =
        report.rules.iter().filter_map(|r| r.flag.map(|f| (r.text.as_str(), f))).collect();
    assert_eq!(flagged, vec![("fit budget >= 50000 : 10", RuleFlag::HighPointsNoLift)]);
    // Rules are named by their line in saas.lead.
    let budget = report.rules.iter().find(|r| r.text.starts_with("fit budget")).unwrap();
    assert_eq!(budget.line, 25);
}

#[test]
fn bad_records_are_located_and_counted_never_dropped() {
    let (program, model) = saas();
    let header = "id,region,age,department,employees,industry,is_b2b,country,title,budget,timeline_days,\
                  email_domain,demo_request,free_trial,contact_request,email_open,web_visit,\
                  pricing_page_view,webinar_attended,unsubscribe,careers_page_view,converted";
    let good = "NA-West,40,IT,200,Software,true,US,VP,60000,30,acme.io,1,0,0,3,2,1,0,0,0";
    let text = format!(
        "{header}\n\
         a,{good},yes\n\
         b,{good},maybe\n\
         c,{}\n\
         d,{good},LOST\n\
         e,{good}\n\
         f,{},0\n\
         g,{good},\n",
        good.replacen("40", "forty", 1).to_string() + ",1",
        good.replacen(",1,0,0,", ",-1,0,0,", 1),
    );
    let history = read_csv(&program, &text);
    assert_eq!(history.records(), 7);
    let errors: Vec<(u64, Option<&str>, &str)> =
        history.errors.iter().map(|e| (e.line, e.id.as_deref(), e.message.as_str())).collect();
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert_eq!(errors[0].0, 3);
    assert_eq!(errors[0].1, Some("b"));
    assert!(errors[0].2.starts_with("column `converted`: `maybe` is not an outcome"), "{}", errors[0].2);
    assert_eq!((errors[1].0, errors[1].1), (4, Some("c")));
    assert!(errors[1].2.contains("column `age`: `forty` is not an integer"), "{}", errors[1].2);
    assert_eq!((errors[2].0, errors[2].2), (6, "expected 22 fields, found 21"));
    assert_eq!(errors[3].0, 7);
    assert!(errors[3].2.contains("column `demo_request`: `-1` is not a count"), "{}", errors[3].2);
    let rows: Vec<(u64, &str, bool, bool)> =
        history.rows.iter().map(|r| (r.line, r.id.as_str(), r.converted, r.empty_outcome)).collect();
    assert_eq!(rows, vec![(2, "a", true, false), (5, "d", false, false), (8, "g", false, true)]);
    let report = analyse(&model, &history, &Options::default());
    assert_eq!(
        (
            report.summary.records,
            report.summary.rows,
            report.summary.row_errors,
            report.summary.empty_outcomes
        ),
        (7, 3, 4, 1)
    );
    assert_eq!(report.errors.len(), 4);
}

#[test]
fn ndjson_records_read_like_csv_ones() {
    let (program, _) = saas();
    let mut reader = Reader::ndjson(&program, "won", Some("id"));
    let entry = reader.json_line(
        1,
        r#"{"id": 7, "region": "NA-West", "age": 40, "department": "IT", "demo_request": 1, "won": "Won"}"#,
    );
    let Entry::Row(row) = entry else { panic!("{entry:?}") };
    assert_eq!((row.id.as_str(), row.converted, row.score), ("7", true, 320));
    let Entry::Error(e) = reader.json_line(2, r#"{"id": "x", "won": 2}"#) else { panic!() };
    assert_eq!((e.line, e.id.as_deref()), (2, Some("x")));
    assert!(e.message.contains("`2` is not an outcome"));
    let Entry::Error(e) = reader.json_line(3, "{not json") else { panic!() };
    assert!(e.message.starts_with("invalid JSON"), "{}", e.message);
    // Stage names, as for CSV.
    let stages = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let outcomes =
        Outcomes::new(&stages(&["Closed Won"]), &stages(&["Closed Lost"]), &stages(&["Open"])).unwrap();
    let mut reader = Reader::ndjson(&program, "stage", None).with_outcomes(outcomes);
    assert_eq!(reader.json_line(4, r#"{"stage": " open "}"#), Entry::Open("open".into()));
    let Entry::Row(row) = reader.json_line(5, r#"{"stage": "closed won"}"#) else { panic!() };
    assert!(row.converted);
    let Entry::Error(e) = reader.json_line(6, r#"{"stage": "Won"}"#) else { panic!() };
    assert!(e.message.contains("`Won` is not an outcome (converted: `Closed Won`;"), "{}", e.message);
}

#[test]
fn a_missing_outcome_column_is_named_with_a_suggestion() {
    let (program, _) = saas();
    let header: Vec<String> = ["id", "region", "convrted"].iter().map(|s| s.to_string()).collect();
    let e = Reader::csv(&program, &header, "converted", None).err().unwrap();
    assert_eq!(e, "`--outcome converted`: the history has no column `converted` (did you mean `convrted`?)");
}

/// The fenced blocks of docs/review.md with this info string.
fn doc_blocks(info: &str) -> Vec<String> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/review.md")).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(rest)) if rest == info => current = Some(String::new()),
            (Some(block), Some(_)) => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), None) => {
                block.push_str(line);
                block.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every line of the doc's example blocks (but `...` and table rules) is
/// in the real report, spaces aside: the walkthrough shows real output.
pub(crate) fn assert_doc_lines_in(info: &str, report: &str) {
    let rendered: Vec<String> = report.lines().map(squeeze).collect();
    let blocks = doc_blocks(info);
    assert!(!blocks.is_empty(), "no ```{info} blocks in docs/review.md");
    for line in blocks.iter().flat_map(|b| b.lines()) {
        let line = squeeze(line);
        if line.is_empty() || line == "..." || line.starts_with("---") || line.starts_with("line rule") {
            continue;
        }
        assert!(
            rendered.iter().any(|r| r.contains(&line)),
            "docs/review.md shows `{line}`, not in the report"
        );
    }
}

#[test]
fn docs_review_md_shows_the_real_report() {
    assert_doc_lines_in("text", &leadc::review::render_text(&example_report()));
}

/// `source` with the line that reads `from` (up to runs of spaces: the
/// example is aligned by `leadc fmt`) replaced by `to`.
fn edit_line(source: &str, from: &str, to: &str) -> String {
    let words = |line: &str| line.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut found = false;
    let lines: Vec<String> = source
        .lines()
        .map(|line| {
            if words(line) == from {
                found = true;
                to.to_string()
            } else {
                line.to_string()
            }
        })
        .collect();
    assert!(found, "no line `{from}`");
    lines.join("\n") + "\n"
}

#[test]
fn docs_review_md_shows_the_real_report_after_the_suggested_edit() {
    let dir = tempfile::tempdir().unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas");
    std::fs::copy(examples.join("saas.schema.toml"), dir.path().join("saas.schema.toml")).unwrap();
    let source = std::fs::read_to_string(examples.join("saas.lead")).unwrap();
    // The edit docs/review.md suggests.
    let diff = doc_blocks("diff").concat();
    assert!(diff.contains("+fit country = \"CA\" : 10") && diff.contains("+fit budget >= 50000 : 2"));
    let edited =
        edit_line(&source, "fit country = \"US\" : 4", "fit country = \"US\" : 4\nfit country = \"CA\" : 10");
    let edited = edit_line(&edited, "fit budget >= 50000 : 10", "fit budget >= 50000 : 2");
    let path = dir.path().join("saas.lead");
    std::fs::write(&path, &edited).unwrap();
    let card = load::load_program(&path, &mut Sources::new()).unwrap();
    let program = Program::compile_with_source(&card, &edited);
    let model = Model::from_scorecard(&card, Some(&edited));
    let history = read_csv(&program, &std::fs::read_to_string(examples.join("history.csv")).unwrap());
    let report = analyse(&model, &history, &Options::default());
    assert!(report.rules.iter().all(|r| r.flag.is_none()));
    assert!(report.signals.iter().all(|s| !s.candidate));
    assert_doc_lines_in("text after-edit", &leadc::review::render_text(&report));
}

#[test]
fn rules_on_a_column_the_history_lacks_are_named_with_what_they_do() {
    use leadc::review::{Blind, blind_rules};
    let dir = tempfile::tempdir().unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas");
    std::fs::copy(examples.join("saas.schema.toml"), dir.path().join("saas.schema.toml")).unwrap();
    let source = "schema \"saas.schema.toml\"\n\
                  category c\n\
                  fit budget >= 50000 : 10\n\
                  fit not (budget >= 50000) : 1\n\
                  fit budget is missing : 2\n\
                  fit budget >= 5 or title = \"VP\" : 3\n\
                  fit budget >= 5 and title = \"VP\" : 4\n\
                  fit title = \"VP\" : 5\n\
                  behaviour demo_request : 20\n\
                  behaviour web_visit : 1 each max 5\n";
    let path = dir.path().join("blind.lead");
    std::fs::write(&path, source).unwrap();
    let card = load::load_program(&path, &mut Sources::new()).unwrap();
    let model = Model::from_scorecard(&card, Some(source));
    let absent = ["budget".to_string(), "demo_request".to_string()];
    let blind: Vec<(usize, &str, Blind, Vec<String>)> = blind_rules(&card, &model, &absent)
        .iter()
        .map(|b| (b.line, source.lines().nth(b.line - 1).unwrap(), b.effect, b.absent.clone()))
        .collect();
    let budget = vec!["budget".to_string()];
    assert_eq!(
        blind,
        vec![
            (3, "fit budget >= 50000 : 10", Blind::Never, budget.clone()),
            (4, "fit not (budget >= 50000) : 1", Blind::Always, budget.clone()),
            (5, "fit budget is missing : 2", Blind::Always, budget.clone()),
            (6, "fit budget >= 5 or title = \"VP\" : 3", Blind::Partly, budget.clone()),
            (7, "fit budget >= 5 and title = \"VP\" : 4", Blind::Never, budget),
            (9, "behaviour demo_request : 20", Blind::Never, vec!["demo_request".to_string()]),
        ]
    );
    // The texts the warning prints are the model's.
    let texts: Vec<String> = blind_rules(&card, &model, &absent).into_iter().map(|b| b.text).collect();
    assert_eq!(texts[0], "fit budget >= 50000 : 10");
    assert!(blind_rules(&card, &model, &[]).is_empty());
}
