//! Scoring allocates nothing per lead: a counting global allocator
//! watches a `Scorer`'s `score` and `explain` over a thousand leads.
//!
//! Runs without the test harness (see Cargo.toml) so that no other thread
//! allocates while the allocator is watched.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::saas::{Rng, random_lead};

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
    let mut scorer = program.scorer();
    // The first call sizes the reused buffers.
    scorer.score(&leads[0]);
    scorer.explain(&leads[0]);

    let region = Region::new(GLOBAL);
    let mut total = 0i64;
    for lead in &leads {
        total += scorer.score(lead).score;
        let (_, explanation) = scorer.explain(lead);
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
    use leadc::load::{SchemaSource, check_source};
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
    let mut scorer = program.scorer();
    scorer.score_at(&leads[0], as_of);
    scorer.explain_at(&leads[0], as_of);

    let region = Region::new(GLOBAL);
    let mut total = 0i64;
    for lead in &leads {
        total += scorer.score_at(lead, as_of).points;
        let (_, explanation) = scorer.explain_at(lead, as_of);
        total += explanation.times.iter().flatten().map(|t| i64::from(t.future)).sum::<i64>();
    }
    let change = region.change();
    assert!(total > 0, "the timed leads scored something");
    assert_eq!(change.allocations, 0, "timed scoring allocated: {change:?}");
    assert_eq!(change.reallocations, 0, "timed scoring reallocated: {change:?}");
    println!("alloc: 2000 timed evaluations, 0 allocations");
}
