//! Time clauses of a behaviour rule: `within 30d`, `decay half_life 7d`,
//! `decay linear 90d`, `expire 60d`.
//!
//! In: the clauses as parsed, the rule's behaviour and the schema. Out: a
//! [`Clock`] (durations in seconds) or the errors found: a clause on a
//! behaviour given as a count (E0330), a duration that is zero, negative or
//! too long (E0331), two windows or two decays on one rule (E0332).

use super::error::CheckError;
use super::scorecard::{Clock, Decay};
use crate::diag::codes;
use crate::schema::{BehaviourId, Schema};
use crate::syntax::ast::{TimeClause, TimeKind};
use crate::time::{DAY, HOUR, WEEK};

/// The longest duration a clause may give: 100 years of days.
pub const MAX_DURATION: i64 = 36_525 * DAY;

/// Checks a rule's time clauses; `behaviour` is `None` when it is unknown
/// (already reported).
pub(super) fn clock(
    schema: &Schema,
    behaviour: Option<(BehaviourId, &str)>,
    clauses: &[TimeClause],
    errors: &mut Vec<CheckError>,
) -> Option<Clock> {
    let mut clock = Clock::default();
    let mut ok = true;
    if let (Some((id, name)), Some(first)) = (behaviour, clauses.first())
        && !schema.is_event(id)
    {
        errors.push(time_on_count(name, first));
        ok = false;
    }
    let (mut window_at, mut decay_at): (Option<&TimeClause>, Option<&TimeClause>) = (None, None);
    for clause in clauses {
        let Some(seconds) = duration(clause, errors) else {
            ok = false;
            continue;
        };
        let earlier = if clause.kind == TimeKind::Within { &mut window_at } else { &mut decay_at };
        if let Some(first) = earlier {
            errors.push(conflict(first, clause));
            ok = false;
            continue;
        }
        *earlier = Some(clause);
        match clause.kind {
            TimeKind::Within => clock.window = Some(seconds),
            TimeKind::HalfLife => clock.decay = Decay::HalfLife(seconds),
            TimeKind::Linear => clock.decay = Decay::Linear(seconds),
            TimeKind::Expire => clock.decay = Decay::Expire(seconds),
        }
    }
    ok.then_some(clock)
}

/// A duration in seconds: digits (with `_`) and a unit `h`, `d` or `w`.
fn duration(clause: &TimeClause, errors: &mut Vec<CheckError>) -> Option<i64> {
    let text = clause.duration.as_str();
    let (number, unit) = text.split_at(text.len().saturating_sub(1));
    let unit_seconds = match unit {
        "h" => HOUR,
        "w" => WEEK,
        _ => DAY,
    };
    let value = number.replace('_', "").parse::<i64>().ok().and_then(|n| n.checked_mul(unit_seconds));
    match value {
        Some(s) if (1..=MAX_DURATION).contains(&s) => Some(s),
        _ => {
            let why = if value.is_some_and(|s| s <= 0) { "is not positive" } else { "is too long" };
            errors.push(
                CheckError::new(
                    codes::BAD_DURATION,
                    format!("the duration `{text}` of `{}` {why}", clause.kind.as_str()),
                    clause.duration_span,
                    "expected a duration from 1h to 36525d (100 years)",
                )
                .with_help("write a positive whole number of hours, days or weeks: `12h`, `30d`, `2w`"),
            );
            None
        }
    }
}

fn time_on_count(name: &str, clause: &TimeClause) -> CheckError {
    CheckError::new(
        codes::TIME_ON_COUNT,
        format!("`{}` needs the times of `{name}`, but the schema gives it as a count", clause.kind.as_str()),
        clause.span,
        "a time clause on a counted behaviour",
    )
    .with_help(format!(
        "declare it as timestamped events in the schema: move `{name}` from `behaviours = [...]` to \
         `events = [...]`, or remove the clause"
    ))
}

fn conflict(first: &TimeClause, again: &TimeClause) -> CheckError {
    let what = if again.kind == TimeKind::Within { "window" } else { "decay" };
    CheckError::new(
        codes::CONFLICTING_TIME,
        format!("this rule has a second {what}: `{}` after `{}`", again.kind.as_str(), first.kind.as_str()),
        again.span,
        format!("a rule takes at most one {what}"),
    )
    .with_help(if what == "window" {
        "keep one `within`; to count two windows, write two rules".to_string()
    } else {
        "keep one of `decay half_life`, `decay linear` and `expire`; `within` may go with any of them"
            .to_string()
    })
}
