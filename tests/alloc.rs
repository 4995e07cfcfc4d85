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
}
