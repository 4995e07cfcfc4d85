//! Lint levels: which lints run and how loudly.
//!
//! In: the registry's default levels, a program's `lint` directives and the
//! run's [`LintOptions`]. Out: the level of every lint, plus a diagnostic
//! for every directive or option naming no lint ("did you mean ...?").
//!
//! Later settings win: defaults, then directives in source order, then
//! options (see [`LintOptions`]). The name `warnings` stands for every lint
//! at warn level at that point.

use super::{Lint, registry};
use crate::check::LintSetting;
use crate::diag::suggest::closest;
use crate::diag::{Diagnostic, FileId, Severity};
pub use crate::syntax::ast::LintLevel;
use std::collections::BTreeMap;

/// The code of the "unknown lint" warning.
pub const UNKNOWN_LINT: &str = "L0000";
/// The group name standing for every lint at warn level.
pub const WARNINGS: &str = "warnings";

/// How a run sets lint levels: the CLI's `--allow`, `--warn` and `--deny`,
/// each a list of lint names. `warnings` names every lint at warn level, so
/// `--deny warnings` turns every warning into an error.
///
/// Options override the program's `lint` directives. Among options, named
/// lints are set in the order allow, warn, deny (so `deny` wins a conflict),
/// then the `warnings` group is applied (to lints still at warn level).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintOptions {
    /// `--deny NAME`: report as errors.
    pub deny: Vec<String>,
    /// `--warn NAME`: report as warnings.
    pub warn: Vec<String>,
    /// `--allow NAME`: do not report.
    pub allow: Vec<String>,
}

impl LintOptions {
    /// The options as `(name, level)` in the order they apply.
    fn ordered(&self) -> Vec<(&str, LintLevel)> {
        let all =
            [(&self.allow, LintLevel::Allow), (&self.warn, LintLevel::Warn), (&self.deny, LintLevel::Deny)];
        let named = all.iter().flat_map(|(names, level)| {
            names.iter().filter(|n| n.as_str() != WARNINGS).map(move |n| (n.as_str(), *level))
        });
        let groups =
            all.iter().filter(|(names, _)| names.iter().any(|n| n == WARNINGS)).map(|(_, l)| (WARNINGS, *l));
        named.chain(groups).collect()
    }
}

/// The level of each lint by name, and problems found resolving them.
pub(crate) fn resolve(
    directives: &[LintSetting],
    options: &LintOptions,
    file: FileId,
) -> (BTreeMap<&'static str, LintLevel>, Vec<Diagnostic>) {
    let mut levels: BTreeMap<&'static str, LintLevel> =
        registry().iter().map(|l| (l.name(), l.default_level())).collect();
    let mut problems = Vec::new();
    for d in directives {
        if !apply(&mut levels, &d.name, d.level) {
            problems.push(unknown(&d.name).with_primary(file, d.span, "no lint has this name"));
        }
    }
    for (name, level) in options.ordered() {
        if !apply(&mut levels, name, level) {
            problems.push(unknown(name).with_note("set on the command line"));
        }
    }
    (levels, problems)
}

/// Sets one lint (or the `warnings` group); false when the name is unknown.
fn apply(levels: &mut BTreeMap<&'static str, LintLevel>, name: &str, level: LintLevel) -> bool {
    if name == WARNINGS {
        levels.values_mut().filter(|l| **l == LintLevel::Warn).for_each(|l| *l = level);
        return true;
    }
    match levels.get_mut(name) {
        Some(l) => {
            *l = level;
            true
        }
        None => false,
    }
}

fn unknown(name: &str) -> Diagnostic {
    let names = registry().iter().map(|l: &&dyn Lint| l.name()).chain([WARNINGS]);
    let d = Diagnostic::new(UNKNOWN_LINT, Severity::Warning, format!("unknown lint `{name}`"));
    match closest(name, names) {
        Some(best) => d.with_help(format!("did you mean `{best}`?")),
        None => d.with_help("docs/lints.md lists every lint"),
    }
}
