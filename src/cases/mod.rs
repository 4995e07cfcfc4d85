//! Test cases for a program: leads with the outcome they must get.
//!
//! In: a compiled [`Program`] (compiled with its source, so that rules
//! have their text and line) and the text of its test file, TOML
//! (`saas.tests.toml` beside `saas.lead`; docs/workflow.md describes it).
//! Out: a [`Suite`] of [`TestCase`]s, or [`CaseError`]s located in the test
//! file; running the suite gives a [`Report`]: each case's outcome,
//! explanation and failed expectations, and the program's [`Coverage`] —
//! which must-haves no case fails, which rules no case fires, which
//! segment arms and tiers no case reaches.
//!
//! ```
//! let program = leadc::compile(
//!     "category fit max 50\nfit age >= 18 : 10\ntier adult when points >= 10\ntier other\n",
//!     "[fields]\nage = \"int\"\n",
//! ).unwrap();
//! let tests = r#"
//! [[case]]
//! name = "an adult"
//! lead = { age = 40 }
//! tier = "adult"
//! fired = ["fit age >= 18"]
//! "#;
//! let suite = leadc::cases::Suite::parse(tests, &program).unwrap();
//! let report = suite.run(&program);
//! assert!(report.cases[0].passed());
//! assert_eq!(report.coverage.covered(), 2); // the rule and tier `adult`; not tier `other`
//! assert_eq!(report.coverage.items.len(), 3);
//! ```

mod file;

use crate::diag::codes;
use crate::diag::span::Span;
use crate::diag::{Diagnostic, FileId};
use crate::lead::Lead;
use crate::program::Program;
use crate::vm::outcome::{Explanation, Outcome};

/// The cases of a test file, read against one program.
#[derive(Debug, Clone)]
pub struct Suite {
    /// The cases, in file order.
    pub cases: Vec<TestCase>,
}

/// One case: a lead and what it must get.
#[derive(Debug, Clone)]
pub struct TestCase {
    /// Its `name`.
    pub name: String,
    /// The 1-based line of the test file it starts on.
    pub line: usize,
    /// The lead, filled as an NDJSON lead is.
    pub lead: Lead,
    /// The instant event rules are scored at (the case's `as_of`, else the
    /// file's).
    pub as_of: Option<i64>,
    /// What it must get.
    pub expect: Expect,
}

/// What a case expects; `None` (or empty) is "not checked".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expect {
    /// `Some(None)` expects no tier.
    pub tier: Option<Option<usize>>,
    /// The score.
    pub score: Option<i64>,
    /// The points.
    pub points: Option<i64>,
    /// Whether every must-have is met.
    pub qualified: Option<bool>,
    /// The segment digit.
    pub segment: Option<u8>,
    /// How many must-haves are met.
    pub requires_met: Option<u32>,
    /// Category totals after their caps, by category index.
    pub categories: Vec<(usize, i64)>,
    /// Must-haves that must be met and rules that must fire.
    pub fired: Vec<RuleRef>,
    /// Must-haves that must not be met and rules that must not fire.
    pub not_fired: Vec<RuleRef>,
}

/// A must-have or a rule of the program, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleRef {
    /// Must-have `i`.
    Require(usize),
    /// Rule `i` (in program order).
    Rule(usize),
}

/// What is wrong with a test file, located in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseError {
    /// `E07xx`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// Where, in the test file.
    pub span: Span,
    /// What the label under the span says.
    pub label: &'static str,
    /// How to fix it.
    pub help: Option<String>,
}

impl CaseError {
    fn file(message: impl Into<String>, span: Span) -> CaseError {
        CaseError { code: codes::INVALID_TEST_FILE, message: message.into(), span, label: "here", help: None }
    }

    fn lead(message: impl Into<String>, span: Span) -> CaseError {
        CaseError {
            code: codes::BAD_TEST_LEAD,
            message: message.into(),
            span,
            label: "cannot be read",
            help: None,
        }
    }

    fn reference(message: impl Into<String>, span: Span, label: &'static str) -> CaseError {
        CaseError { code: codes::UNKNOWN_TEST_NAME, message: message.into(), span, label, help: None }
    }

    fn with_help(mut self, help: impl Into<String>) -> CaseError {
        self.help = Some(help.into());
        self
    }

    /// Converts to a diagnostic located in `file` (the test file).
    pub fn to_diagnostic(&self, file: FileId) -> Diagnostic {
        let d = Diagnostic::error(self.code, &self.message).with_primary(file, self.span, self.label);
        match &self.help {
            Some(help) => d.with_help(help),
            None => d,
        }
    }
}

impl Suite {
    /// Reads test file `text` for `program`: every error found, or the
    /// cases.
    pub fn parse(text: &str, program: &Program) -> Result<Suite, Vec<CaseError>> {
        file::parse(text.strip_prefix('\u{feff}').unwrap_or(text), program)
    }

    /// Scores every case and compares it with what it expects.
    pub fn run(&self, program: &Program) -> Report {
        let cases: Vec<CaseResult> = self.cases.iter().map(|case| run_case(program, case)).collect();
        let coverage = Coverage::of(program, &cases);
        Report { cases, coverage }
    }
}

/// The results of a suite.
#[derive(Debug, Clone)]
pub struct Report {
    /// Per case, in file order.
    pub cases: Vec<CaseResult>,
    /// What the cases reach of the program.
    pub coverage: Coverage,
}

impl Report {
    /// How many cases failed.
    pub fn failed(&self) -> usize {
        self.cases.iter().filter(|c| !c.passed()).count()
    }
}

/// One case scored.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// Its line in the test file.
    pub line: usize,
    /// The instant it was scored at, for a program with event rules.
    pub as_of: Option<i64>,
    /// The lead.
    pub lead: Lead,
    /// What it got.
    pub outcome: Outcome,
    /// Why.
    pub explanation: Explanation,
    /// The expectations it did not meet, in the order checked.
    pub failures: Vec<Mismatch>,
}

impl CaseResult {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// An expectation that did not hold.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mismatch {
    /// What was checked: `tier`, `points`, `category interest`, `fired`, ...
    pub what: String,
    /// What the case expects.
    pub expected: String,
    /// What the program gave.
    pub actual: String,
}

fn run_case(program: &Program, case: &TestCase) -> CaseResult {
    let (outcome, explanation) = match case.as_of {
        Some(t) => program.explain_at(&case.lead, t),
        None => program.explain(&case.lead),
    };
    let failures = compare(program, &case.expect, &outcome, &explanation);
    CaseResult {
        name: case.name.clone(),
        line: case.line,
        as_of: case.as_of,
        lead: case.lead.clone(),
        outcome,
        explanation,
        failures,
    }
}

fn compare(program: &Program, expect: &Expect, outcome: &Outcome, e: &Explanation) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let mut check = |what: &str, expected: Option<String>, actual: String| {
        if let Some(expected) = expected
            && expected != actual
        {
            out.push(Mismatch { what: what.to_string(), expected, actual });
        }
    };
    let tier_name = |t: Option<usize>| t.and_then(|t| program.tier_name(t)).unwrap_or("(none)").to_string();
    check("tier", expect.tier.map(tier_name), tier_name(outcome.tier));
    check("score", expect.score.map(|v| v.to_string()), outcome.score.to_string());
    check("points", expect.points.map(|v| v.to_string()), outcome.points.to_string());
    check("qualified", expect.qualified.map(|v| v.to_string()), outcome.qualified.to_string());
    check("segment", expect.segment.map(|v| v.to_string()), outcome.segment.to_string());
    check("requires_met", expect.requires_met.map(|v| v.to_string()), outcome.requires_met.to_string());
    for (i, total) in &expect.categories {
        let name = program.categories().get(*i).map_or("?", |c| c.name.as_str());
        let actual = outcome.categories.get(*i).map_or(0, |t| t.capped);
        check(&format!("category {name}"), Some(total.to_string()), actual.to_string());
    }
    for (refs, want) in [(&expect.fired, true), (&expect.not_fired, false)] {
        for r in refs {
            let (fired, text) = fired(program, e, *r);
            let word = |f: bool| match (r, f) {
                (RuleRef::Require(_), true) => "met",
                (RuleRef::Require(_), false) => "not met",
                (RuleRef::Rule(_), true) => "fired",
                (RuleRef::Rule(_), false) => "not fired",
            };
            check(&text, Some(word(want).to_string()), word(fired).to_string());
        }
    }
    out
}

/// Whether must-have or rule `r` was met (fired), and its text.
fn fired(program: &Program, e: &Explanation, r: RuleRef) -> (bool, String) {
    match r {
        RuleRef::Require(i) => (
            e.requires.get(i).copied().unwrap_or(false),
            program.requires().get(i).map_or(String::new(), |q| q.source.text.clone()),
        ),
        RuleRef::Rule(i) => (
            e.rules.get(i).is_some_and(|t| t.fired),
            program.rules().get(i).map_or(String::new(), |q| q.source.text.clone()),
        ),
    }
}

/// What the cases of a suite reach of the program.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    /// Every must-have, rule, segment arm and tier, in program order.
    pub items: Vec<CoverageItem>,
}

/// One part of the program, and whether a case reached it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CoverageItem {
    /// `require` (reached when a case does not meet it: a must-have every
    /// case meets is untested), `rule` (when a case fires it), `arm` (when a
    /// case gets its digit) or `tier` (when a case lands in it).
    pub kind: &'static str,
    /// Its line in the program.
    pub line: u32,
    /// Its text.
    pub text: String,
    /// Whether a case reached it.
    pub covered: bool,
}

impl Coverage {
    fn of(program: &Program, cases: &[CaseResult]) -> Coverage {
        let any = |f: &dyn Fn(&CaseResult) -> bool| cases.iter().any(f);
        let mut items = Vec::new();
        let mut add = |kind, source: &crate::program::SourceInfo, covered| {
            items.push(CoverageItem { kind, line: source.line, text: source.text.clone(), covered });
        };
        for (i, r) in program.requires().iter().enumerate() {
            add("require", &r.source, any(&|c| !c.explanation.requires.get(i).copied().unwrap_or(true)));
        }
        if let Some(segment) = program.segment() {
            for (i, arm) in segment.arms.iter().enumerate() {
                add("arm", &arm.source, any(&|c| c.explanation.segment_arm == Some(i)));
            }
        }
        for (i, r) in program.rules().iter().enumerate() {
            add("rule", &r.source, any(&|c| c.explanation.rules.get(i).is_some_and(|t| t.fired)));
        }
        for (i, t) in program.tiers().iter().enumerate() {
            add("tier", &t.source, any(&|c| c.outcome.tier == Some(i)));
        }
        Coverage { items }
    }

    /// How many items a case reached.
    pub fn covered(&self) -> usize {
        self.items.iter().filter(|i| i.covered).count()
    }

    /// The share of items reached, 0 to 100 (100 for a program with none).
    pub fn percent(&self) -> f64 {
        if self.items.is_empty() { 100.0 } else { 100.0 * self.covered() as f64 / self.items.len() as f64 }
    }
}

#[cfg(test)]
mod tests;
