//! Every lint, one per file.
//!
//! In: a [`LintContext`](super::LintContext). Out: each lint's
//! [`Finding`](super::Finding)s. `ALL` is the registry, in code order;
//! the helpers here are shared by several lints.

mod budget_scale;
mod case_variants;
mod dead_rule;
mod dominant_rule;
mod duplicate_rule;
mod idle_time_clause;
mod missing_dimension;
mod must_have_block;
mod overlapping_conditions;
mod range_gaps;
mod shadowed_tier;
mod too_few_rules;
mod unbalanced_behaviour;
mod unbalanced_dimensions;
mod unreachable_category_max;
mod unreachable_tier;

pub use budget_scale::BudgetScale;
pub use case_variants::CaseVariants;
pub use dead_rule::DeadRule;
pub use dominant_rule::DominantRule;
pub use duplicate_rule::DuplicateRule;
pub use idle_time_clause::IdleTimeClause;
pub use missing_dimension::MissingDimension;
pub use must_have_block::MustHaveBlock;
pub use overlapping_conditions::OverlappingConditions;
pub use range_gaps::RangeGaps;
pub use shadowed_tier::ShadowedTier;
pub use too_few_rules::TooFewRules;
pub use unbalanced_behaviour::UnbalancedBehaviour;
pub use unbalanced_dimensions::UnbalancedDimensions;
pub use unreachable_category_max::UnreachableCategoryMax;
pub use unreachable_tier::UnreachableTier;

use super::Lint;
use super::budget::{CategoryBudget, Reach};
use crate::check::{RuleKind, Scorecard};
use crate::diag::span::Span;

/// Every lint, in code order.
pub(crate) static ALL: &[&dyn Lint] = &[
    &MissingDimension,
    &UnbalancedDimensions,
    &UnbalancedBehaviour,
    &DominantRule,
    &TooFewRules,
    &UnreachableCategoryMax,
    &BudgetScale,
    &MustHaveBlock,
    &OverlappingConditions,
    &RangeGaps,
    &UnreachableTier,
    &ShadowedTier,
    &DeadRule,
    &IdleTimeClause,
    &DuplicateRule,
    &CaseVariants,
];

/// Where to point when a finding is about the whole program: the first
/// category header, else the first tier, else the start of the file.
pub(crate) fn program_span(scorecard: &Scorecard) -> Span {
    scorecard
        .categories
        .first()
        .map(|c| c.span)
        .or_else(|| scorecard.tiers.first().map(|t| t.span))
        .or_else(|| scorecard.requires.first().map(|r| r.span))
        .unwrap_or_default()
}

/// How many rules add points, of fit and of behaviour.
pub(crate) fn positive_counts(scorecard: &Scorecard) -> (usize, usize) {
    let positive = scorecard.rules().filter(|(_, r)| r.points > 0);
    positive.fold((0, 0), |(fit, beh), (_, r)| match r.kind {
        RuleKind::Fit(_) => (fit + 1, beh),
        RuleKind::Behaviour(_) => (fit, beh + 1),
    })
}

/// The category giving the most to `part` (fit, critical or other behaviour).
pub(crate) fn largest(
    categories: &[CategoryBudget],
    part: impl Fn(&CategoryBudget) -> f64,
) -> Option<&CategoryBudget> {
    categories.iter().filter(|c| part(c) > 0.0).max_by(|a, b| part(a).total_cmp(&part(b)))
}

/// The category to take points from (the largest `heavy` budget) and the
/// one to give them to (the largest `light` budget among the others; the
/// same category when it is the only one with `light` points), so that
/// advice never both lowers and raises one max.
pub(crate) fn donor_and_receiver(
    categories: &[CategoryBudget],
    heavy: impl Fn(&CategoryBudget) -> f64,
    light: impl Fn(&CategoryBudget) -> f64,
) -> Option<(&CategoryBudget, &CategoryBudget)> {
    let from = largest(categories, heavy)?;
    let others: Vec<CategoryBudget> = categories.iter().filter(|c| c.span != from.span).cloned().collect();
    let to = match largest(&others, &light) {
        Some(to) => categories.iter().find(|c| c.span == to.span)?,
        None => largest(categories, light)?,
    };
    Some((from, to))
}

/// A category's max as users write it: `max 25`, or `no max`.
pub(crate) fn max_text(c: &CategoryBudget) -> String {
    c.max.map_or("no max".to_string(), |m| format!("max {m}"))
}

/// A reach as words: `25` or `no bound`.
pub(crate) fn reach_text(r: Reach) -> String {
    match r {
        Reach::Points(p) => p.to_string(),
        Reach::Unbounded => "without bound".to_string(),
    }
}
