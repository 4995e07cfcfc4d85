//! `idle-time-clause` (L0014): a time clause that can never change a score.
//!
//! In: the scorecard's behaviour rules with `within` and `expire`. Out: a
//! finding per rule where one of the two does nothing. A counted event is
//! younger than the window `W`, so `expire E` with `E >= W` never drops one;
//! and with `E < W` on a rule without a threshold (`>= 1`), events older
//! than `E` give nothing whether the window counts them or not, so the
//! window does nothing. (No time clause can stop a rule from ever scoring:
//! an event at the as-of instant always weighs 1.)

use crate::check::{Decay, RuleKind};
use crate::lint::{Finding, Lint, LintContext, LintLevel};
use crate::time::format_duration;

/// See the module documentation.
#[derive(Debug)]
pub struct IdleTimeClause;

impl Lint for IdleTimeClause {
    fn name(&self) -> &'static str {
        "idle-time-clause"
    }
    fn code(&self) -> &'static str {
        "L0014"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Warn
    }
    fn summary(&self) -> &'static str {
        "a `within` or `expire` clause that can never change the rule's points"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        for (_, rule) in cx.scorecard.rules() {
            let RuleKind::Behaviour(b) = &rule.kind else { continue };
            let (Some(window), Decay::Expire(expire)) = (b.clock.window, b.clock.decay) else { continue };
            let (w, e) = (format_duration(window), format_duration(expire));
            let finding = if expire >= window {
                Finding::new(
                    format!("`expire {e}` never drops an event: the window `within {w}` keeps none that old"),
                    rule.span,
                    "this `expire` does nothing",
                )
                .help(format!("remove `expire {e}`, or make it shorter than {w}"))
            } else if b.min_count <= 1 {
                Finding::new(
                    format!("`within {w}` changes nothing: `expire {e}` already gives events older than {e} nothing"),
                    rule.span,
                    "this window does nothing",
                )
                .help(format!("remove `within {w}`; a window matters with a threshold such as `>= 2`"))
            } else {
                continue;
            };
            out.push(finding);
        }
        out
    }
}
