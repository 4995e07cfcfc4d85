//! The thresholds the budget lints compare against, in one place.
//!
//! In: nothing, or a caller's overrides. Out: [`LintSettings`], whose
//! [`Default`] is the method's advice: a 50/50 budget between fit and
//! behaviour, no rule worth most of its category, at least 8 rules.
//! Documented for users in `docs/lints.md`.

/// Default tolerance, in percentage points, around a 50% fit share.
pub const DIMENSION_TOLERANCE: f64 = 15.0;
/// Default tolerance, in percentage points, around a 50% critical share of behaviour.
pub const BEHAVIOUR_TOLERANCE: f64 = 20.0;
/// Default share of its category's reach (percent) above which one rule dominates.
pub const DOMINANT_SHARE: f64 = 60.0;
/// Default number of rules that should not reach the top tier's points on their own.
pub const DOMINANT_HANDFUL: usize = 2;
/// Default fewest scoring rules (fit and behaviour) in a program.
pub const MIN_RULES: usize = 8;
/// Default fewest positive rules per dimension (fit, behaviour).
pub const MIN_RULES_PER_DIMENSION: usize = 3;
/// Default points a must-have is worth in the digit layout.
pub const MUST_HAVE_BLOCK: i64 = 100;
/// Default points the capped budgets may exceed the scale by: the method's
/// budget of 100 is fine on the digit layout's 0..=99 scale.
pub const SCALE_SLACK: i64 = 1;

/// Thresholds for the budget lints.
#[derive(Debug, Clone, PartialEq)]
pub struct LintSettings {
    /// `unbalanced-dimensions` fires when the fit share of the reachable
    /// budget is further than this from 50% (percentage points).
    pub dimension_tolerance: f64,
    /// `unbalanced-behaviour` fires when the critical share of the
    /// behaviour budget is further than this from 50% (percentage points).
    pub behaviour_tolerance: f64,
    /// `dominant-rule` fires when one rule can reach more than this share
    /// (percent) of what its category's rules reach together.
    pub dominant_share: f64,
    /// `dominant-rule` also fires when this many rules or fewer reach the
    /// top tier's `points` threshold on their own.
    pub dominant_handful: usize,
    /// `too-few-rules` fires below this many fit and behaviour rules.
    pub min_rules: usize,
    /// `too-few-rules` fires below this many positive rules in fit or in
    /// behaviour.
    pub min_rules_per_dimension: usize,
    /// `must-have-block`: the points every `require` should be worth.
    pub must_have_block: i64,
    /// `budget-scale` accepts capped budgets adding up to the scale plus at
    /// most this much.
    pub scale_slack: i64,
}

impl Default for LintSettings {
    fn default() -> LintSettings {
        LintSettings {
            dimension_tolerance: DIMENSION_TOLERANCE,
            behaviour_tolerance: BEHAVIOUR_TOLERANCE,
            dominant_share: DOMINANT_SHARE,
            dominant_handful: DOMINANT_HANDFUL,
            min_rules: MIN_RULES,
            min_rules_per_dimension: MIN_RULES_PER_DIMENSION,
            must_have_block: MUST_HAVE_BLOCK,
            scale_slack: SCALE_SLACK,
        }
    }
}
