//! Lint levels: which lints run and how loudly.
//!
//! In: the registry's default levels, a program's `lint` directives and the
//! run's [`LintOptions`]. Out: the level of every lint, plus a diagnostic
//! for every directive or option naming no lint ("did you mean ...?").
//!
//! Later settings win: defaults, then directives in source order, then
//! options in order, then `deny warnings`. The name `warnings` stands for
//! every lint at warn level at that point.

use super::settings::LintSettings;
use super::{Lint, registry};
use crate::check::LintSetting;
use crate::diag::{Diagnostic, FileId, Severity};
use crate::suggest::closest;
pub use crate::syntax::ast::LintLevel;
use std::collections::BTreeMap;

/// The code of the "unknown lint" warning.
pub const UNKNOWN_LINT: &str = "L0000";
/// The group name standing for every lint at warn level.
pub const WARNINGS: &str = "warnings";

/// How a run sets lint levels (the CLI's `--allow/--warn/--deny NAME` and
/// `--deny warnings`), and the thresholds to lint with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LintOptions {
    /// `(name, level)` in the order given; later wins. `warnings` names every
    /// lint at warn level.
    pub levels: Vec<(String, LintLevel)>,
    /// Turn every warning into an error (after everything else).
    pub deny_warnings: bool,
    /// The thresholds.
    pub settings: LintSettings,
}

impl LintOptions {
    /// Options that set `name` to `level`, on top of these.
    pub fn with(mut self, name: impl Into<String>, level: LintLevel) -> LintOptions {
        self.levels.push((name.into(), level));
        self
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
    for (name, level) in &options.levels {
        if !apply(&mut levels, name, *level) {
            problems.push(unknown(name).with_note("set by the command line"));
        }
    }
    if options.deny_warnings {
        apply(&mut levels, WARNINGS, LintLevel::Deny);
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
