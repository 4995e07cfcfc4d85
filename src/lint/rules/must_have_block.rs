//! `must-have-block` (L0008, deny): a must-have not worth a block of 100
//! in the digit layout.
//!
//! In: the scorecard's `require`s. Out: a finding per must-have whose
//! points differ from [`LintSettings::must_have_block`](crate::lint::LintSettings)
//! when the program uses the digit layout. The hundreds digit of the score
//! counts met must-haves only when each is worth exactly one block of 100:
//! a `require ... : 50` makes `2389` unreadable.

use crate::lint::{Finding, Lint, LintContext, LintLevel};

/// See the module documentation.
#[derive(Debug)]
pub struct MustHaveBlock;

impl Lint for MustHaveBlock {
    fn name(&self) -> &'static str {
        "must-have-block"
    }
    fn code(&self) -> &'static str {
        "L0008"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Deny
    }
    fn summary(&self) -> &'static str {
        "a must-have is not worth a block of 100 points in the digit layout"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let block = cx.settings.must_have_block;
        if !cx.scorecard.uses_digit_layout() {
            return Vec::new();
        }
        let n = cx.scorecard.requires.len();
        cx.scorecard
            .requires
            .iter()
            .filter(|r| r.points != block)
            .map(|r| {
                Finding::new(
                    format!("must-have worth {} points, not a block of {block}", r.points),
                    r.span,
                    format!("worth {}", r.points),
                )
                .note(format!(
                    "with {n} must-have(s) of {block} each, the hundreds digit of the score counts how many are met"
                ))
                .help(format!("write `: {block}` at the end of this must-have"))
            })
            .collect()
    }
}
