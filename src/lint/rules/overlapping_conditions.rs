//! `overlapping-conditions` (L0009): two fit rules in one category whose
//! conditions on the same field overlap, so a lead is counted twice.
//!
//! In: each category's fit rules whose condition tests one field (int,
//! number, enum, bool or string equality and lists), as value sets. Out: a
//! finding per pair of same-sign rules whose sets meet, e.g.
//! `employees >= 100` and `employees in 500..999`. A trait should earn its
//! points once: overlapping buckets double-count without anyone deciding so.

use crate::check::{Rule, RuleKind, Scorecard};
use crate::lint::first_overlap::first_overlaps;
use crate::lint::values::{self, FieldSet, Ranges, Values};
use crate::lint::{Finding, Lint, LintContext, LintLevel};
use crate::schema::FieldType;

/// See the module documentation.
#[derive(Debug)]
pub struct OverlappingConditions;

impl Lint for OverlappingConditions {
    fn name(&self) -> &'static str {
        "overlapping-conditions"
    }
    fn code(&self) -> &'static str {
        "L0009"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Warn
    }
    fn summary(&self) -> &'static str {
        "two fit rules in one category test overlapping values of one field and double-count"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let sc = cx.scorecard;
        let mut out = Vec::new();
        for (ci, cat) in sc.categories.iter().enumerate() {
            let sets: Vec<(&Rule, FieldSet)> = cat
                .rules
                .iter()
                .filter_map(|r| match &r.kind {
                    RuleKind::Fit(c) if r.points != 0 => values::field_set(c, &sc.schema).map(|s| (r, s)),
                    _ => None,
                })
                .collect();
            let keyed: Vec<(bool, &FieldSet)> = sets.iter().map(|(r, s)| (r.points > 0, s)).collect();
            for (j, first) in first_overlaps(&keyed).into_iter().enumerate() {
                if let (Some(i), Some((later, b))) = (first, sets.get(j))
                    && let Some((first, a)) = sets.get(i)
                    && !super::duplicate_rule::same_rule(first, later)
                {
                    out.push(overlap(sc, &cx.budget.categories[ci].name, first, a, later, b));
                }
            }
        }
        out
    }
}

fn overlap(
    sc: &Scorecard,
    category: &str,
    first: &Rule,
    a: &FieldSet,
    later: &Rule,
    b: &FieldSet,
) -> Finding {
    let field = sc.schema.field(a.field);
    let (name, ty) = field.map_or(("?", &FieldType::String), |f| (f.name.as_str(), &f.ty));
    let both = a.intersect(b);
    let mut shared = both.as_ref().map_or(String::new(), |s| {
        if s.present.is_empty() { String::new() } else { values::show(&s.present, ty) }
    });
    if both.as_ref().is_some_and(|s| s.missing) {
        shared = if shared.is_empty() { "missing".to_string() } else { format!("{shared}, or missing") };
    }
    let (p, q) = (first.points, later.points);
    let message = format!(
        "fit rules in `{category}` overlap on `{name}`: a lead with `{name}` {shared} gets both, {} points",
        p + q
    );
    let describe = |r: &Rule| crate::check::render::rule(&sc.schema, r);
    Finding::new(message, later.span, format!("`{}`", describe(later)))
        .related(first.span, "overlaps this rule")
        .help(fix(name, a, b, p + q))
}

/// Narrow the earlier rule so that the two exclude each other, or merge them.
fn fix(name: &str, a: &FieldSet, b: &FieldSet, both: i64) -> String {
    let rest = match (&a.present, &b.present) {
        (Values::Int(x), Values::Int(y)) => Some(x.intersect(&y.complement())),
        _ => None,
    };
    match rest.as_ref().map(Ranges::intervals) {
        Some([(lo, hi)]) => {
            let cond = match (*lo, *hi) {
                (l, i64::MAX) => format!("{name} >= {l}"),
                (i64::MIN, h) => format!("{name} <= {h}"),
                (l, h) => format!("{name} in {l}..{h}"),
            };
            format!(
                "narrow the first rule to `{cond}` so the two exclude each other, or give the overlap {both} points on purpose in one rule"
            )
        }
        Some([]) => format!(
            "every lead the first rule matches also matches this one: merge them into one rule worth {both}, or narrow one"
        ),
        _ => format!(
            "make the conditions on `{name}` exclude each other, or merge them into one rule worth {both}"
        ),
    }
}
