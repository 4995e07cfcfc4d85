//! `duplicate-rule` (L0015): the same rule twice in one category.
//!
//! In: each category's rules, compared as checked — the same condition (or
//! the same behaviour with the same threshold, `each`, cap and time
//! clauses), whatever the points. Out: a finding per repeat, pointing at
//! the first. A rule copied and pasted pays every lead it matches twice;
//! nobody decided that, and the budget report counts it twice too.

use crate::check::{Condition, FieldTest, Rule, RuleKind, render};
use crate::lint::{Finding, Lint, LintContext, LintLevel};

/// See the module documentation.
#[derive(Debug)]
pub struct DuplicateRule;

impl Lint for DuplicateRule {
    fn name(&self) -> &'static str {
        "duplicate-rule"
    }
    fn code(&self) -> &'static str {
        "L0015"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Warn
    }
    fn summary(&self) -> &'static str {
        "the same rule is written twice in one category and pays every lead it matches twice"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let sc = cx.scorecard;
        let mut out = Vec::new();
        for cat in &sc.categories {
            for (j, later) in cat.rules.iter().enumerate() {
                if let Some(first) = cat.rules[..j].iter().find(|r| same_rule(r, later)) {
                    out.push(finding(sc, &cat.name, first, later));
                }
            }
        }
        out
    }
}

/// Whether `a` and `b` are the same rule but for their points (the
/// `overlapping-conditions` lint leaves such pairs to this one).
pub(crate) fn same_rule(a: &Rule, b: &Rule) -> bool {
    match (&a.kind, &b.kind) {
        (RuleKind::Fit(x), RuleKind::Fit(y)) => same_condition(x, y),
        (RuleKind::Behaviour(x), RuleKind::Behaviour(y)) => x == y,
        _ => false,
    }
}

/// The same condition, tests compared without their spans.
fn same_condition(a: &Condition<FieldTest>, b: &Condition<FieldTest>) -> bool {
    let all = |x: &[Condition<FieldTest>], y: &[Condition<FieldTest>]| {
        x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_condition(p, q))
    };
    match (a, b) {
        (Condition::Test(x), Condition::Test(y)) => x.field == y.field && x.test == y.test,
        (Condition::Not(x), Condition::Not(y)) => same_condition(x, y),
        (Condition::All(x), Condition::All(y)) | (Condition::Any(x), Condition::Any(y)) => all(x, y),
        _ => false,
    }
}

fn finding(sc: &crate::check::Scorecard, category: &str, first: &Rule, later: &Rule) -> Finding {
    let text = |r: &Rule| render::rule(&sc.schema, r);
    let both = first.points.saturating_add(later.points);
    let each = matches!(&later.kind, RuleKind::Behaviour(b) if b.per_occurrence);
    let per = if each { " per occurrence" } else { "" };
    let message = format!(
        "`{}` is written twice in `{category}`: a lead it matches gets both, {both} points{per}",
        text(later)
    );
    Finding::new(message, later.span, "the same rule again").related(first.span, "first written here").help(
        if first.points == later.points {
            "delete one of them (a copy-paste?)".to_string()
        } else {
            format!("keep one rule with the points you mean: {}, {} or {both}", first.points, later.points)
        },
    )
}
