//! Scoring allocates nothing per lead: a counting global allocator
//! watches `evaluate_into` and `explain_into` over a thousand leads.
//!
//! Runs without the test harness (see Cargo.toml) so that no other thread
//! allocates while the allocator is watched.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::saas::{Rng, random_lead};
use leadc::outcome::{Explanation, Outcome};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn main() {
    let program = common::saas();
    let mut rng = Rng::new(42);
    let leads: Vec<_> = (0..1000)
        .map(|_| {
            let mut lead = program.new_lead();
            random_lead(&mut rng, program.schema(), &mut lead);
            lead
        })
        .collect();
    let mut outcome = Outcome::default();
    let mut explanation = Explanation::default();
    // The first call sizes the reused buffers.
    program.evaluate_into(&leads[0], &mut outcome);
    program.explain_into(&leads[0], &mut outcome, &mut explanation);

    let region = Region::new(GLOBAL);
    let mut total = 0i64;
    for lead in &leads {
        program.evaluate_into(lead, &mut outcome);
        total += outcome.score;
        program.explain_into(lead, &mut outcome, &mut explanation);
        total += explanation.rules.iter().filter(|r| r.fired).count() as i64;
    }
    let change = region.change();
    assert!(total > 0, "the leads scored something");
    assert_eq!(change.allocations, 0, "scoring allocated: {change:?}");
    assert_eq!(change.reallocations, 0, "scoring reallocated: {change:?}");
    println!("alloc: 2000 evaluations, 0 allocations");
    timed();
}

/// A program with windows and decays over event behaviours, scored as of
/// an instant, allocates nothing per lead either.
fn timed() {
    use leadc::frontend::{SchemaSource, check_source};
    let schema =
        leadc::schema::Schema::from_toml("behaviours = [\"demo\"]\nevents = [\"visit\", \"view\"]").unwrap();
    let source = "category interest\n\
                  behaviour visit : 2 each max 10 within 30d decay half_life 7d\n\
                  behaviour view >= 2 : 8 within 2w\n\
                  behaviour view : 6 decay linear 90d\n\
                  behaviour demo : 5\n";
    let mut sources = leadc::diag::Sources::default();
    let given = SchemaSource::Given(std::sync::Arc::new(schema));
    let program =
        leadc::program::Program::compile(&check_source(&mut sources, "t.lead", source, given).unwrap());
    let schema = program.schema();
    let (visit, view) = (schema.behaviour_id("visit").unwrap(), schema.behaviour_id("view").unwrap());
    let as_of = 1_800_000_000i64;
    let mut rng = Rng::new(7);
    let leads: Vec<_> = (0..1000)
        .map(|_| {
            let mut lead = program.new_lead();
            for _ in 0..rng.below(12) {
                lead.push_event(visit, as_of - rng.below(60 * 86_400) as i64);
            }
            for _ in 0..rng.below(5) {
                lead.push_event(view, as_of - rng.below(100 * 86_400) as i64 + 3_600);
            }
            lead
        })
        .collect();
    let mut outcome = Outcome::default();
    let mut explanation = Explanation::default();
    program.evaluate_at(&leads[0], as_of, &mut outcome);
    program.explain_at(&leads[0], as_of, &mut outcome, &mut explanation);

    let region = Region::new(GLOBAL);
    let mut total = 0i64;
    for lead in &leads {
        program.evaluate_at(lead, as_of, &mut outcome);
        total += outcome.points;
        program.explain_at(lead, as_of, &mut outcome, &mut explanation);
        total += explanation.times.iter().flatten().map(|t| i64::from(t.future)).sum::<i64>();
    }
    let change = region.change();
    assert!(total > 0, "the timed leads scored something");
    assert_eq!(change.allocations, 0, "timed scoring allocated: {change:?}");
    assert_eq!(change.reallocations, 0, "timed scoring reallocated: {change:?}");
    println!("alloc: 2000 timed evaluations, 0 allocations");
}
