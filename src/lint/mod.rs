//! The linter: budget balance and rule sanity of a checked program.
//!
//! In: a [`Scorecard`] and the run's [`LintOptions`]. Out: warnings and
//! errors as [`Diagnostic`]s ([`lint`]), each with the lint's name and code,
//! the numbers it found, a concrete fix in `help` and how to silence it.
//!
//! Every lint implements the small [`Lint`] trait in its own file under
//! `rules/` and reads a shared [`LintContext`]: the scorecard, its
//! [`BudgetReport`], the reachable outcomes (`outcomes::Space`) and the
//! [`LintSettings`] thresholds. Levels resolve in `level`:
//! defaults < `lint` directives < options < `deny warnings`.

pub mod budget;
mod first_overlap;
mod level;
mod outcomes;
mod rules;
mod settings;
mod table;
mod values;

pub use budget::BudgetReport;
pub use level::{LintLevel, LintOptions};
pub use settings::LintSettings;

use crate::check::Scorecard;
use crate::diag::span::Span;
use crate::diag::{Diagnostic, FileId, Severity};

/// One lint: a named check of a scorecard.
pub trait Lint: Sync {
    /// The kebab-case name used in `lint allow <name>`.
    fn name(&self) -> &'static str;
    /// The stable code, `L0001` and up.
    fn code(&self) -> &'static str;
    /// The level when nothing sets one.
    fn default_level(&self) -> LintLevel;
    /// One line saying what it finds.
    fn summary(&self) -> &'static str;
    /// Every problem it finds.
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding>;
}

/// What every lint reads.
#[derive(Debug)]
pub struct LintContext<'a> {
    /// The program.
    pub scorecard: &'a Scorecard,
    /// Its budget analysis.
    pub budget: BudgetReport,
    /// The thresholds.
    pub settings: &'a LintSettings,
    outcomes: outcomes::Space,
}

impl<'a> LintContext<'a> {
    /// Analyses `scorecard` for the lints.
    pub fn new(scorecard: &'a Scorecard, settings: &'a LintSettings) -> LintContext<'a> {
        let budget = BudgetReport::new(scorecard);
        let outcomes = outcomes::Space::new(scorecard, &budget);
        LintContext { scorecard, budget, settings, outcomes }
    }

    pub(crate) fn outcomes(&self) -> &outcomes::Space {
        &self.outcomes
    }
}

/// One problem a lint found, before it is given a level.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// What is wrong, quoting the numbers.
    pub message: String,
    /// Where: the rule, category, tier or must-have at fault.
    pub span: Span,
    /// What the primary label says.
    pub label: String,
    /// Other places involved.
    pub related: Vec<(Span, String)>,
    /// Extra facts.
    pub notes: Vec<String>,
    /// A concrete fix.
    pub help: Option<String>,
}

impl Finding {
    /// A finding at `span`.
    pub fn new(message: impl Into<String>, span: Span, label: impl Into<String>) -> Finding {
        Finding {
            message: message.into(),
            span,
            label: label.into(),
            related: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    /// Adds another place.
    pub fn related(mut self, span: Span, label: impl Into<String>) -> Finding {
        self.related.push((span, label.into()));
        self
    }

    /// Adds a note.
    pub fn note(mut self, note: impl Into<String>) -> Finding {
        self.notes.push(note.into());
        self
    }

    /// Sets the fix.
    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// This finding as a diagnostic of `lint` at `level` (not `allow`).
    pub fn to_diagnostic(&self, lint: &dyn Lint, level: LintLevel, file: FileId) -> Diagnostic {
        let severity = if level == LintLevel::Deny { Severity::Error } else { Severity::Warning };
        let mut d =
            Diagnostic::new(lint.code(), severity, &self.message).with_primary(file, self.span, &self.label);
        d.lint = Some(lint.name().to_string());
        for (span, label) in &self.related {
            d = d.with_secondary(file, *span, label);
        }
        for note in &self.notes {
            d = d.with_note(note);
        }
        d = d.with_note(format!("to silence this, add `lint allow {}` to the program", lint.name()));
        match &self.help {
            Some(help) => d.with_help(help),
            None => d,
        }
    }
}

/// Every lint, in code order.
pub fn registry() -> &'static [&'static dyn Lint] {
    rules::ALL
}

/// The lint with this name.
pub fn find(name: &str) -> Option<&'static dyn Lint> {
    registry().iter().copied().find(|l| l.name() == name)
}

/// Lints `scorecard` (from `file`) at the levels its directives and
/// `options` set: every finding of every lint not at `allow`, and a warning
/// for every unknown lint name.
pub fn lint(scorecard: &Scorecard, options: &LintOptions, file: FileId) -> Vec<Diagnostic> {
    lint_with(scorecard, options, &LintSettings::default(), file)
}

/// [`lint`] with thresholds other than the defaults.
pub fn lint_with(
    scorecard: &Scorecard,
    options: &LintOptions,
    settings: &LintSettings,
    file: FileId,
) -> Vec<Diagnostic> {
    let (levels, mut out) = level::resolve(&scorecard.lint_directives, options, file);
    let cx = LintContext::new(scorecard, settings);
    for lint in registry() {
        let level = levels.get(lint.name()).copied().unwrap_or(lint.default_level());
        if level == LintLevel::Allow {
            continue;
        }
        out.extend(lint.check(&cx).iter().map(|f| f.to_diagnostic(*lint, level, file)));
    }
    out
}
