//! `range-gaps` (L0010): int buckets on one field that leave holes.
//!
//! In: each category's positive fit rules whose condition tests one int
//! field, and the segment block's arms. Out: a finding per field whose
//! buckets leave values between them uncovered, e.g. `employees in 1..49`
//! and `employees in 100..999` score nothing for 50..99. Buckets are meant
//! to cover a scale; a hole is usually a typo, and its leads silently score
//! as if the field were missing (or get segment digit 0).

use crate::check::{Condition, FieldTest, RuleKind, Scorecard};
use crate::diag::span::Span;
use crate::lint::values::{self, Ranges, Values};
use crate::lint::{Finding, Lint, LintContext, LintLevel};
use crate::schema::FieldId;
use std::collections::BTreeMap;

/// See the module documentation.
#[derive(Debug)]
pub struct RangeGaps;

impl Lint for RangeGaps {
    fn name(&self) -> &'static str {
        "range-gaps"
    }
    fn code(&self) -> &'static str {
        "L0010"
    }
    fn default_level(&self) -> LintLevel {
        LintLevel::Warn
    }
    fn summary(&self) -> &'static str {
        "int range buckets on one field leave gaps between them"
    }
    fn check(&self, cx: &LintContext<'_>) -> Vec<Finding> {
        let sc = cx.scorecard;
        let mut out = Vec::new();
        for cat in &sc.categories {
            let mut buckets: BTreeMap<FieldId, Vec<(Ranges<i64>, Span)>> = BTreeMap::new();
            for r in cat.rules.iter().filter(|r| r.points > 0) {
                if let RuleKind::Fit(c) = &r.kind
                    && let Some(set) = values::field_set(c, &sc.schema)
                    && let Values::Int(ranges) = set.present
                {
                    buckets.entry(set.field).or_default().push((ranges, r.span));
                }
            }
            for (field, group) in buckets {
                out.extend(gaps(sc, field, &group, &format!("category `{}`", cat.name), "fit rule"));
            }
        }
        if let Some(seg) = &sc.segment {
            let group: Vec<(Ranges<i64>, Span)> = seg
                .arms
                .iter()
                .filter_map(|arm| {
                    let test = FieldTest { field: seg.field, test: arm.test.clone(), span: arm.span };
                    match values::field_set(&Condition::Test(test), &sc.schema)?.present {
                        Values::Int(r) => Some((r, arm.span)),
                        _ => None,
                    }
                })
                .collect();
            out.extend(gaps(sc, seg.field, &group, "the segment block", "arm"));
        }
        out
    }
}

fn gaps(
    sc: &Scorecard,
    field: FieldId,
    group: &[(Ranges<i64>, Span)],
    place: &str,
    what: &str,
) -> Option<Finding> {
    if group.len() < 2 {
        return None;
    }
    let union = group.iter().fold(Ranges::empty(), |u, (r, _)| u.union(r));
    let holes: Vec<(i64, i64)> = union.intervals().windows(2).map(|w| (w[0].1 + 1, w[1].0 - 1)).collect();
    let (lo, hi) = *holes.first()?;
    let name = sc.schema.field(field).map_or("?", |f| f.name.as_str());
    let show = |(l, h): (i64, i64)| if l == h { l.to_string() } else { format!("{l}..{h}") };
    let list: Vec<String> = holes.iter().map(|h| show(*h)).collect();
    let before = group.iter().find(|(r, _)| r.contains(lo - 1)).map(|g| g.1);
    let after = group.iter().find(|(r, _)| r.contains(hi + 1)).map(|g| g.1);
    let mut f = Finding::new(
        format!("the {what}s on `{name}` in {place} leave a gap: {} match(es) no {what}", list.join(", ")),
        after.or(before).unwrap_or(group[0].1),
        format!("starts after the gap {}", show((lo, hi))),
    );
    if let Some(span) = before {
        f = f.related(span, format!("ends before the gap {}", show((lo, hi))));
    }
    Some(f.help(format!(
        "extend a neighbouring {what} to cover `{name}` {}, or add one for it if those leads should score",
        show((lo, hi))
    )))
}
