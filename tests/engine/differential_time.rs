//! Differential tests for time clauses: the reference evaluator
//! (`leadc::reference::evaluate_at`) and the VM (`Program::explain_at`, and
//! after a save/load round trip) agree on outcome, explanation and the
//! per-rule time trace, for the timed example program, on random events and
//! on instants placed exactly at window and decay boundaries; and the
//! points of a decayed rule do not depend on the order its events are
//! listed in.

use leadc::check::Scorecard;
use leadc::diag::Sources;
use leadc::lead::Lead;
use leadc::load::{SchemaSource, check_source, load_program};
use leadc::outcome::{Explanation, Outcome};
use leadc::program::Program;
use leadc::reference;
use leadc::schema::{BehaviourId, Schema};
use proptest::prelude::*;
use std::path::Path;
use std::sync::Arc;

const DAY: i64 = 86_400;
/// 2026-12-01T00:00:00Z.
const NOW: i64 = 1_796_083_200;

fn timed() -> (Scorecard, Program, Program) {
    let card = load_program(Path::new("examples/timed/timed.lead"), &mut Sources::new()).unwrap();
    let program = Program::compile(&card);
    let loaded = Program::from_bytes(&program.to_bytes()).unwrap();
    (card, program, loaded)
}

fn vm(program: &Program, lead: &Lead, as_of: Option<i64>) -> (Outcome, Explanation) {
    match as_of {
        Some(t) => program.explain_at(lead, t),
        None => program.explain(lead),
    }
}

/// A lead with these events per event behaviour, and counts for the rest.
fn lead(card: &Scorecard, events: &[Vec<i64>], counts: &[u32], b2b: bool) -> Lead {
    let schema = &card.schema;
    let mut lead = Lead::new(schema);
    let (mut e, mut c) = (events.iter(), counts.iter());
    for i in 0..schema.behaviours().len() as u32 {
        let id = BehaviourId(i);
        if schema.is_event(id) {
            lead.set_events(id, e.next().map_or(&[][..], Vec::as_slice));
        } else {
            lead.set_count(id, c.next().copied().unwrap_or(0));
        }
    }
    if let Some(f) = schema.field_id("is_b2b") {
        lead.set(f, leadc::lead::Value::Bool(b2b));
    }
    lead
}

fn agree(card: &Scorecard, program: &Program, loaded: &Program, lead: &Lead, as_of: Option<i64>) {
    let expected = reference::evaluate_at(card, lead, as_of);
    assert!(!expected.1.times.is_empty(), "the timed program explains time");
    assert_eq!(vm(program, lead, as_of), expected, "VM vs reference as of {as_of:?}");
    assert_eq!(vm(loaded, lead, as_of), expected, "loaded VM vs reference as of {as_of:?}");
}

#[test]
fn instants_at_every_boundary_agree() {
    let (card, program, loaded) = timed();
    // Events now, on day boundaries, and duplicated.
    let events: Vec<i64> = [0, 0, 1, 7, 14, 30, 60, 90, 180].iter().map(|d| NOW - d * DAY).collect();
    let lead = lead(&card, &[events.clone(), events.clone(), events.clone(), events], &[1, 0, 1], true);
    // Every instant one second before, at and after each window or decay
    // edge of the program relative to each event.
    let spans = [0, 12 * 3600, 7 * DAY, 14 * DAY, 30 * DAY, 60 * DAY, 90 * DAY, 180 * DAY];
    let mut instants = vec![None];
    for days_ago in [0, 1, 7, 14, 30, 60, 90, 180] {
        for span in spans {
            for delta in [-1, 0, 1] {
                instants.push(Some(NOW - days_ago * DAY + span + delta));
            }
        }
    }
    for as_of in instants {
        agree(&card, &program, &loaded, &lead, as_of);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn random_events_and_instants_agree(
        events in prop::collection::vec(prop::collection::vec(-200 * DAY..10 * DAY, 0..12), 4),
        counts in prop::collection::vec(0u32..3, 3),
        b2b in any::<bool>(),
        offset in -5 * DAY..5 * DAY,
        timeless in prop::bool::weighted(0.1),
    ) {
        let (card, program, loaded) = timed();
        let events: Vec<Vec<i64>> = events.iter().map(|e| e.iter().map(|t| NOW + t).collect()).collect();
        let lead = lead(&card, &events, &counts, b2b);
        let as_of = if timeless { None } else { Some(NOW + offset) };
        agree(&card, &program, &loaded, &lead, as_of);
    }
}

/// One decayed rule on `visit`: `points [each] decay linear|half_life D`,
/// D in hours.
fn decayed(points: i64, each: bool, linear: bool, hours: i64) -> (Scorecard, Program) {
    let schema = Arc::new(Schema::from_toml("events = [\"visit\"]").unwrap());
    let decay = if linear { "linear" } else { "half_life" };
    let each = if each { " each" } else { "" };
    let text = format!("category c\nbehaviour visit : {points}{each} decay {decay} {hours}h\n");
    let card = check_source(&mut Sources::new(), "p.lead", &text, SchemaSource::Given(schema)).unwrap();
    let program = Program::compile(&card);
    (card, program)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Events listed in any order score the same, in the VM and in the
    /// reference, which agree. Ages are whole multiples of a twentieth of
    /// a linear decay, or of a half-life, so that exact ties (x.5) are
    /// common: summing floating-point weights in the listed order rounded
    /// them either way.
    #[test]
    fn the_order_of_events_does_not_change_the_points(
        points in prop_oneof![-20i64..=-1, 1i64..=20],
        each in prop::bool::weighted(0.8),
        linear in any::<bool>(),
        hours in prop::sample::select(vec![1i64, 2, 4, 10, 20, 24]),
        (steps, shuffled) in prop::collection::vec(0i64..30, 1..10)
            .prop_flat_map(|steps| (Just(steps.clone()), Just(steps).prop_shuffle())),
    ) {
        let (card, program) = decayed(points, each, linear, hours);
        let quantum = if linear { hours * 3600 / 20 } else { hours * 3600 };
        let behaviour = card.schema.behaviour_id("visit").unwrap();
        let at = |steps: &[i64]| {
            let mut lead = Lead::new(&card.schema);
            let events: Vec<i64> = steps.iter().map(|s| NOW - s * quantum).collect();
            lead.set_events(behaviour, &events);
            lead
        };
        let (listed, reordered) = (at(&steps), at(&shuffled));
        let expected = reference::evaluate_at(&card, &listed, Some(NOW));
        prop_assert_eq!(&reference::evaluate_at(&card, &reordered, Some(NOW)), &expected);
        prop_assert_eq!(&vm(&program, &listed, Some(NOW)), &expected);
        prop_assert_eq!(&vm(&program, &reordered, Some(NOW)), &expected);
    }
}

/// The examples, end to end through the compiler, the VM and the
/// reference: `3 each decay linear 10d` over events 3, 6.5, 7.5 and 8 days
/// old gives 3 × 1.5 = 4.5 → 5 newest-first and oldest-first alike;
/// `5 decay linear 10d` on a 9-day-old event gives 5 × 0.1 = 0.5 → 1.
#[test]
fn exact_linear_ties_round_away_from_zero_in_any_order() {
    let (card, program) = decayed(3, true, true, 240);
    let behaviour = card.schema.behaviour_id("visit").unwrap();
    let ages = [3 * DAY, 6 * DAY + DAY / 2, 7 * DAY + DAY / 2, 8 * DAY];
    let newest_first: Vec<i64> = ages.iter().map(|a| NOW - a).collect();
    let oldest_first: Vec<i64> = newest_first.iter().rev().copied().collect();
    for events in [newest_first, oldest_first] {
        let mut lead = Lead::new(&card.schema);
        lead.set_events(behaviour, &events);
        let (outcome, explanation) = vm(&program, &lead, Some(NOW));
        assert_eq!(explanation.rules[0].points, 5, "{events:?}");
        assert_eq!((outcome, explanation), reference::evaluate_at(&card, &lead, Some(NOW)));
    }
    for (points, expected) in [(5, 1), (-5, -1)] {
        let (card, program) = decayed(points, false, true, 240);
        let mut lead = Lead::new(&card.schema);
        lead.set_events(behaviour, &[NOW - 9 * DAY]);
        let (outcome, explanation) = vm(&program, &lead, Some(NOW));
        assert_eq!(explanation.rules[0].points, expected);
        assert_eq!((outcome, explanation), reference::evaluate_at(&card, &lead, Some(NOW)));
    }
}
