//! Static budget analysis of a scorecard.
//!
//! In: a checked [`Scorecard`]. Out: a [`BudgetReport`] saying, for every
//! category, its `max`, the most and the least its rules can reach and its
//! share of the total budget; for every rule, the most and least it can add
//! and its share of its category; and the fit-versus-behaviour and
//! critical-versus-other splits of the reachable budget. The report
//! serializes to JSON (serde) and renders as a plain-text table
//! ([`BudgetReport::render_table`]); the budget lints read it.
//!
//! "Reach" is exact per rule and conservative per category: the positive
//! rules are summed, except that fit rules testing the same single field
//! cannot all hold at once (`title = "VP"` and `title = "CTO"`), so such a
//! group counts only its best-paying value. An uncapped `each` rule is
//! unbounded; in a capped category it is taken to reach the category's max.

use super::values::{self, FieldSet};
use crate::check::{Category, Rule, RuleKind, Scorecard};
use crate::diag::span::Span;
use crate::schema::FieldId;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

/// How many points something can reach: a number, or no bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// At most (or, for a least, at least) this many points.
    Points(i64),
    /// No bound: an `each` rule without a cap.
    Unbounded,
}

impl Reach {
    /// The sum; unbounded when either is.
    pub fn plus(self, other: Reach) -> Reach {
        match (self, other) {
            (Reach::Points(a), Reach::Points(b)) => Reach::Points(a.saturating_add(b)),
            _ => Reach::Unbounded,
        }
    }

    /// The points, with `bound` standing in for no bound.
    pub fn or(self, bound: i64) -> i64 {
        match self {
            Reach::Points(p) => p,
            Reach::Unbounded => bound,
        }
    }
}

impl Serialize for Reach {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Reach::Points(p) => s.serialize_i64(*p),
            Reach::Unbounded => s.serialize_str("unbounded"),
        }
    }
}

/// What a category scores, by its positive rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// Only fit rules add points.
    Fit,
    /// Only behaviour rules add points.
    Behaviour,
    /// Both fit and behaviour rules add points.
    Mixed,
    /// No rule adds points; some subtract (penalties).
    Penalty,
    /// No rules.
    Empty,
}

/// The whole budget of a program.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetReport {
    /// The highest `points` value: 99 in the digit layout, else 100.
    pub scale: i64,
    /// Whether the program uses the digit layout (any `require` or `segment`).
    pub digit_layout: bool,
    /// How many must-haves there are.
    pub requires: usize,
    /// The sum of the `max` of every capped category.
    pub budget: i64,
    /// The most `points` any lead can reach (clamped to the scale).
    pub reachable_points: i64,
    /// Every category, in source order.
    pub categories: Vec<CategoryBudget>,
    /// Fit versus behaviour, by reachable budget.
    pub dimensions: Split,
    /// Critical (starred) versus other behaviour, by reachable budget.
    pub behaviour: Split,
}

/// One category's budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryBudget {
    /// Its name.
    pub name: String,
    /// Its `max`, if capped.
    pub max: Option<i64>,
    /// What its positive rules score.
    pub dimension: Dimension,
    /// The sum of its positive rules' maxima.
    pub rules_sum: Reach,
    /// The most its rules can reach together, before the cap.
    pub reach: Reach,
    /// The least its rules can reach together (negative rules).
    pub least: Reach,
    /// What it can really add: `min(max, reach)`, or the scale when an
    /// uncapped category is unbounded.
    pub effective: i64,
    /// Its share of the summed effective budgets, in percent.
    pub share: f64,
    /// Its effective budget apportioned to fit, critical and other behaviour.
    pub fit: f64,
    /// The part scored by critical (starred) behaviour.
    pub critical: f64,
    /// The part scored by other behaviour.
    pub other_behaviour: f64,
    /// Facts the numbers rest on (exclusive rules, unbounded rules).
    pub notes: Vec<String>,
    /// Its rules, in source order.
    pub rules: Vec<RuleBudget>,
    /// The header line.
    #[serde(skip)]
    pub span: Span,
}

/// One rule's budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleBudget {
    /// The rule as written.
    pub rule: String,
    /// `fit` or `behaviour`.
    pub dimension: Dimension,
    /// Starred.
    pub critical: bool,
    /// The most it can add (0 for a negative rule).
    pub max: Reach,
    /// The least it can add (0 for a positive rule).
    pub min: Reach,
    /// Its max as a percentage of its category's reach.
    pub share: f64,
    /// The source line.
    #[serde(skip)]
    pub span: Span,
}

/// A budget split in two.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Split {
    /// The first part (fit, or critical behaviour).
    pub first: f64,
    /// The second part (behaviour, or other behaviour).
    pub second: f64,
    /// The first part's percentage of both; 0 when both are 0.
    pub first_share: f64,
}

impl Split {
    fn new(first: f64, second: f64) -> Split {
        let total = first + second;
        let first_share = if total > 0.0 { round1(first * 100.0 / total) } else { 0.0 };
        Split { first: round1(first), second: round1(second), first_share }
    }

    /// The second part's percentage of both.
    pub fn second_share(&self) -> f64 {
        if self.first + self.second > 0.0 { round1(100.0 - self.first_share) } else { 0.0 }
    }
}

/// Rounds to one decimal.
pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Writes a number of points: `25`, or `12.5` when fractional.
pub(crate) fn num(x: f64) -> String {
    if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x:.1}") }
}

impl BudgetReport {
    /// Analyses the budget of `scorecard`.
    pub fn new(scorecard: &Scorecard) -> BudgetReport {
        let scale = scorecard.points_ceiling();
        let mut categories: Vec<CategoryBudget> =
            scorecard.categories.iter().map(|c| category(scorecard, c, scale)).collect();
        let total: i64 = categories.iter().map(|c| c.effective).sum();
        for c in &mut categories {
            c.share = if total > 0 { round1(c.effective as f64 * 100.0 / total as f64) } else { 0.0 };
        }
        let sum = |f: fn(&CategoryBudget) -> f64| categories.iter().map(f).sum::<f64>();
        let fit = sum(|c| c.fit);
        let critical = sum(|c| c.critical);
        let other = sum(|c| c.other_behaviour);
        BudgetReport {
            scale,
            digit_layout: scorecard.uses_digit_layout(),
            requires: scorecard.requires.len(),
            budget: scorecard.categories.iter().filter_map(|c| c.max).sum(),
            reachable_points: total.clamp(0, scale),
            dimensions: Split::new(fit, critical + other),
            behaviour: Split::new(critical, other),
            categories,
        }
    }
}

/// The most and least one rule can add.
pub(crate) fn rule_reach(rule: &Rule) -> (Reach, Reach) {
    let total = match &rule.kind {
        RuleKind::Fit(_) => Reach::Points(rule.points),
        RuleKind::Behaviour(b) if !b.per_occurrence => Reach::Points(rule.points),
        RuleKind::Behaviour(b) => b.cap.map_or(Reach::Unbounded, Reach::Points),
    };
    if rule.points >= 0 { (total, Reach::Points(0)) } else { (Reach::Points(0), total) }
}

fn category(scorecard: &Scorecard, cat: &Category, scale: i64) -> CategoryBudget {
    let mut notes = Vec::new();
    let (reach, rules_sum) = positive_reach(scorecard, cat, &mut notes);
    let least = cat.rules.iter().map(|r| rule_reach(r).1).fold(Reach::Points(0), Reach::plus);
    let effective = match (cat.max, reach) {
        (Some(max), r) => max.min(r.or(max)).max(0),
        (None, r) => r.or(scale).clamp(0, scale),
    };
    if reach == Reach::Unbounded {
        match cat.max {
            Some(max) => {
                notes.push(format!("an uncapped `each` rule is counted as reaching the max of {max}"))
            }
            None => notes
                .push(format!("uncapped: an `each` rule without a cap can fill the whole scale of {scale}")),
        }
    }
    let reference = match reach {
        Reach::Points(p) => p,
        Reach::Unbounded => effective,
    };
    let rules: Vec<RuleBudget> = cat.rules.iter().map(|r| rule_budget(scorecard, r, reference)).collect();
    let (fit, critical, other_behaviour) = apportion(&rules, effective);
    CategoryBudget {
        name: cat.name.clone(),
        max: cat.max,
        dimension: dimension(&rules),
        rules_sum,
        reach,
        least,
        effective,
        share: 0.0,
        fit,
        critical,
        other_behaviour,
        notes,
        rules,
        span: cat.span,
    }
}

fn rule_budget(scorecard: &Scorecard, rule: &Rule, reference: i64) -> RuleBudget {
    let (max, min) = rule_reach(rule);
    let share = match max {
        Reach::Points(p) if reference > 0 => round1(p.min(reference) as f64 * 100.0 / reference as f64),
        Reach::Points(_) => 0.0,
        Reach::Unbounded => 100.0,
    };
    let (dimension, critical) = match &rule.kind {
        RuleKind::Fit(_) => (Dimension::Fit, false),
        RuleKind::Behaviour(b) => (Dimension::Behaviour, b.critical),
    };
    RuleBudget {
        rule: crate::check::render::rule(&scorecard.schema, rule),
        dimension,
        critical,
        max,
        min,
        share,
        span: rule.span,
    }
}

fn dimension(rules: &[RuleBudget]) -> Dimension {
    let positive = |d: Dimension| rules.iter().any(|r| r.dimension == d && r.max != Reach::Points(0));
    match (positive(Dimension::Fit), positive(Dimension::Behaviour)) {
        (true, true) => Dimension::Mixed,
        (true, false) => Dimension::Fit,
        (false, true) => Dimension::Behaviour,
        (false, false) if rules.is_empty() => Dimension::Empty,
        (false, false) => Dimension::Penalty,
    }
}

/// Splits `effective` between fit, critical and other behaviour in
/// proportion to what each part's rules can reach (an unbounded part counts
/// as the whole effective budget).
fn apportion(rules: &[RuleBudget], effective: i64) -> (f64, f64, f64) {
    let part = |keep: &dyn Fn(&RuleBudget) -> bool| {
        rules.iter().filter(|r| keep(r)).map(|r| r.max).fold(Reach::Points(0), Reach::plus).or(effective)
    };
    let fit = part(&|r| r.dimension == Dimension::Fit).min(effective) as f64;
    let critical = part(&|r| r.dimension == Dimension::Behaviour && r.critical).min(effective) as f64;
    let other = part(&|r| r.dimension == Dimension::Behaviour && !r.critical).min(effective) as f64;
    let total = fit + critical + other;
    if total <= 0.0 {
        return (0.0, 0.0, 0.0);
    }
    let e = effective as f64;
    (fit * e / total, critical * e / total, other * e / total)
}

/// The most the positive rules reach together, and their plain sum.
fn positive_reach(scorecard: &Scorecard, cat: &Category, notes: &mut Vec<String>) -> (Reach, Reach) {
    let mut groups: BTreeMap<FieldId, Vec<(FieldSet, i64)>> = BTreeMap::new();
    let mut reach = Reach::Points(0);
    let mut sum = Reach::Points(0);
    for rule in cat.rules.iter().filter(|r| r.points > 0) {
        let max = rule_reach(rule).0;
        sum = sum.plus(max);
        match &rule.kind {
            RuleKind::Fit(c) => match values::field_set(c, &scorecard.schema) {
                Some(set) => groups.entry(set.field).or_default().push((set, rule.points)),
                None => reach = reach.plus(max),
            },
            RuleKind::Behaviour(_) => reach = reach.plus(max),
        }
    }
    for (field, group) in groups {
        let best = group_best(&group);
        let group_sum: i64 = group.iter().map(|g| g.1).sum();
        if best < group_sum {
            let name = scorecard.schema.field(field).map_or("?", |f| f.name.as_str());
            notes.push(format!(
                "the {} rules on `{name}` cannot all hold at once: together at most {best} of their {group_sum} points",
                group.len()
            ));
        }
        reach = reach.plus(Reach::Points(best));
    }
    (reach, sum)
}

/// The most points one value of the field earns from the group's rules.
pub(crate) fn group_best(group: &[(FieldSet, i64)]) -> i64 {
    let sets: Vec<(&values::Values, i64)> = group.iter().map(|g| (&g.0.present, g.1)).collect();
    let when_missing: i64 = group.iter().filter(|g| g.0.missing).map(|g| g.1).sum();
    values::best_weight(&sets).max(when_missing)
}
