//! Test files read and run: expectations, coverage, and located errors.

#![allow(clippy::unwrap_used)]

use super::{RuleRef, Suite};
use crate::program::Program;

const PROGRAM: &str = "\
require age >= 18 : 100
segment employees {
  < 50 => 1 \"small\"
  >= 50 => 2 \"large\"
}
category fit max 20
fit title = \"VP\" : 12
fit title = \"CEO\" : 15
behaviour demo_request : 10
tier hot when qualified and points >= 20
tier cold
";
const SCHEMA: &str =
    "behaviours = [\"demo_request\"]\n[fields]\nage = \"int\"\nemployees = \"int\"\ntitle = \"string\"\n";

fn program() -> Program {
    crate::compile(PROGRAM, SCHEMA).unwrap()
}

#[test]
fn a_passing_case_meets_every_expectation() {
    let tests = r#"
[[case]]
name = "a VP who asked for a demo"
lead = { age = 40, employees = 10, title = "VP", demo_request = 1 }
tier = "hot"
score = 1120
points = 20
qualified = true
segment = 1
requires_met = 1
categories = { fit = 20 }
fired = ['fit title = "VP"', "behaviour demo_request", "require age >= 18"]
not_fired = ['fit title = "CEO"']
"#;
    let program = program();
    let suite = Suite::parse(tests, &program).unwrap();
    assert_eq!(suite.cases[0].line, 2);
    assert_eq!(suite.cases[0].expect.fired, vec![RuleRef::Rule(0), RuleRef::Rule(2), RuleRef::Require(0)]);
    let report = suite.run(&program);
    assert_eq!(report.cases[0].failures, vec![]);
    assert_eq!(report.failed(), 0);
}

#[test]
fn a_failing_case_says_what_it_expected_and_got() {
    let tests = r#"
[[case]]
name = "a CEO"
lead = { age = 40, employees = 100, title = "CEO" }
tier = "hot"
points = 16
categories = { fit = 10 }
fired = ["line 9"]
"#;
    let program = program();
    let report = Suite::parse(tests, &program).unwrap().run(&program);
    let failures: Vec<(String, String, String)> = report.cases[0]
        .failures
        .iter()
        .map(|m| (m.what.clone(), m.expected.clone(), m.actual.clone()))
        .collect();
    let owned = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        failures,
        vec![
            owned("tier", "hot", "cold"),
            owned("points", "16", "15"),
            owned("category fit", "10", "15"),
            owned("behaviour demo_request : 10", "fired", "not fired"),
        ]
    );
    assert_eq!(report.failed(), 1);
}

#[test]
fn coverage_names_what_no_case_reaches() {
    let tests = r#"
[[case]]
name = "a minor CEO"
lead = { age = 15, employees = 100, title = "CEO" }
tier = "cold"
"#;
    let program = program();
    let report = Suite::parse(tests, &program).unwrap().run(&program);
    let uncovered: Vec<&str> =
        report.coverage.items.iter().filter(|i| !i.covered).map(|i| i.text.as_str()).collect();
    assert_eq!(
        uncovered,
        vec![
            "< 50 => 1 \"small\"",
            "fit title = \"VP\" : 12",
            "behaviour demo_request : 10",
            "tier hot when qualified and points >= 20"
        ]
    );
    assert_eq!((report.coverage.covered(), report.coverage.items.len()), (4, 8));
    assert_eq!(report.coverage.percent(), 50.0);
}

#[test]
fn errors_point_into_the_test_file() {
    let program = program();
    let errors = |text: &str| -> Vec<(&'static str, String, String)> {
        Suite::parse(text, &program)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.code, text[e.span.start..e.span.end].to_string(), e.help.unwrap_or_default()))
            .collect()
    };
    let e = errors(
        "[[case]]\nname = \"x\"\nlead = { agee = 4 }\ntier = \"hott\"\nfired = ['fit title = \"CFO\"']\n",
    );
    assert_eq!(e[0].0, "E0702");
    assert_eq!(e[0].1, "{ agee = 4 }");
    assert_eq!((e[1].0, e[1].1.as_str(), e[1].2.as_str()), ("E0703", "\"hott\"", "did you mean `hot`?"));
    assert_eq!((e[2].0, e[2].1.as_str()), ("E0703", "'fit title = \"CFO\"'"));
    assert_eq!(e[2].2, "did you mean `fit title = \"CEO\"`?");
    let e = errors("[[case]]\nname = \"x\"\nlead = {}\npoint = 3\n");
    assert_eq!(e[0].0, "E0701");
    assert!(e[0].1.starts_with("point"), "{e:?}");
    assert_eq!(errors("")[0].0, "E0701");
}

#[test]
fn a_timed_program_needs_an_instant_and_uses_the_files() {
    let program = crate::compile(
        "category c\nbehaviour visit : 5 each within 7d\n",
        "events = [\"visit\"]\n[fields]\n",
    )
    .unwrap();
    let case = "[[case]]\nname = \"x\"\nlead = { visit = [\"2026-11-28\", \"2026-10-01\"] }\npoints = 5\n";
    let e = Suite::parse(case, &program).unwrap_err();
    assert_eq!(e[0].code, "E0703");
    let suite = Suite::parse(&format!("as_of = \"2026-12-01\"\n{case}"), &program).unwrap();
    assert!(suite.run(&program).cases[0].passed());
}

#[test]
fn rules_are_named_in_canonical_form_so_names_survive_fmt() {
    let program = program();
    let tests = r#"
[[case]]
name = "spelled many ways"
lead = { age = 40, employees = 10, title = "VP", demo_request = 1 }
fired = ['fit  title=="VP"', "behavior demo_request", 'fit title = "VP" : 12', "L9", "require age>=18"]
"#;
    let suite = Suite::parse(tests, &program).unwrap();
    let want =
        vec![RuleRef::Rule(0), RuleRef::Rule(2), RuleRef::Rule(0), RuleRef::Rule(2), RuleRef::Require(0)];
    assert_eq!(suite.cases[0].expect.fired, want);
    assert!(suite.run(&program).cases[0].passed());
}

#[test]
fn naming_mistakes_get_specific_help() {
    let program = program();
    let help = |fired: &str| -> Vec<String> {
        let text = format!("[[case]]\nname = \"x\"\nlead = {{}}\nfired = [{fired}]\n");
        Suite::parse(&text, &program).unwrap_err().into_iter().map(|e| e.help.unwrap_or(e.message)).collect()
    };
    assert_eq!(help("\"line 10\""), vec!["line 10 is tier `hot`: expect it with `tier = \"hot\"`"]);
    assert_eq!(help("\"line 3\""), vec!["line 3 is a segment arm: expect its digit with `segment = 1`"]);
    assert_eq!(help("\"tier cold\""), vec!["a tier is expected with `tier = \"cold\"`, not in `fired`"]);
    let both =
        "[[case]]\nname = \"x\"\nlead = {}\nfired = [\"line 7\"]\nnot_fired = ['fit title = \"VP\"']\n";
    let e = Suite::parse(both, &program).unwrap_err();
    assert!(e[0].message.contains("both in `fired` and in `not_fired`"), "{e:?}");
}

#[test]
fn as_of_may_be_a_toml_date_and_a_bad_one_is_reported_once() {
    let program = crate::compile(
        "category c\nbehaviour visit : 5 each within 7d\n",
        "events = [\"visit\"]\n[fields]\n",
    )
    .unwrap();
    let case = "[[case]]\nname = \"x\"\nlead = { visit = [\"2026-11-28\"] }\npoints = 5\n";
    let suite = Suite::parse(&format!("as_of = 2026-12-01\n{case}"), &program).unwrap();
    assert!(suite.run(&program).cases[0].passed());
    let e = Suite::parse(&format!("as_of = \"2026-13-01\"\n{case}"), &program).unwrap_err();
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].code, "E0702");
}

#[test]
fn toml_errors_are_in_users_words() {
    let program = program();
    let e = Suite::parse("[[case]]\nname = \"x\"\nlead = {}\npoints = \"47\"\n", &program).unwrap_err();
    assert!(e[0].message.contains("expected a whole number") && !e[0].message.contains("i64"), "{e:?}");
    let e = Suite::parse("[[case]]\nname = \"x\"\nlead = {}\nfired = \"fit x\"\n", &program).unwrap_err();
    assert!(e[0].message.contains("a list"), "{e:?}");
}
