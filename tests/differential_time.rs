//! Differential tests for time clauses: the reference evaluator
//! (`leadc::reference::evaluate_at`) and the VM (`Program::explain_at`, and
//! after a save/load round trip) agree on outcome, explanation and the
//! per-rule time trace, for the timed example program, on random events and
//! on instants placed exactly at window and decay boundaries.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leadc::check::Scorecard;
use leadc::diag::Sources;
use leadc::frontend::load_program;
use leadc::lead::Lead;
use leadc::outcome::{Explanation, Outcome};
use leadc::program::Program;
use leadc::reference;
use leadc::schema::BehaviourId;
use proptest::prelude::*;
use std::path::Path;

const DAY: i64 = 86_400;
/// 2026-11-30T00:00:00Z.
const NOW: i64 = 1_796_083_200;

fn timed() -> (Scorecard, Program, Program) {
    let card = load_program(Path::new("examples/timed/timed.lead"), &mut Sources::new()).unwrap();
    let program = Program::compile(&card);
    let loaded = Program::from_bytes(&program.to_bytes()).unwrap();
    (card, program, loaded)
}

fn vm(program: &Program, lead: &Lead, as_of: Option<i64>) -> (Outcome, Explanation) {
    let (mut outcome, mut explanation) = (Outcome::default(), Explanation::default());
    match as_of {
        Some(t) => program.explain_at(lead, t, &mut outcome, &mut explanation),
        None => program.explain_into(lead, &mut outcome, &mut explanation),
    }
    (outcome, explanation)
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
