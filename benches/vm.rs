//! Scores the same generated leads with the VM and with a hand-written
//! Rust function of the same program, and prints ns/lead and their ratio.
//!
//! `cargo bench --bench vm`. The program is benches/data/bench.lead (the
//! saas example plus 14 rules, 33 in all). `score/*` score 1,024 leads over
//! and over: few enough that a branch predictor learns much of the
//! hand-written function's branches, which favours it. `fresh/*` score
//! 16,384 leads, too many to learn, as a batch of new leads would be.
//! `score/lists` scores the 1,024 leads with benches/data/lists.lead (fit
//! rules on long string lists), to show how the VM's cost grows with list
//! length.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use common::saas::{Rng, Saas, random_lead};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leadc::lead::Lead;
use leadc::outcome::Outcome;
use leadc::program::Program;
use std::hint::black_box;
use std::time::Instant;

/// The leads scored over and over.
const LEADS: usize = 1024;

/// The leads of the `fresh` group.
const FRESH_LEADS: usize = 16_384;

struct Fixture {
    program: Program,
    hand: Saas,
    leads: Vec<Lead>,
}

fn fixture(leads: usize) -> Fixture {
    let (program, extended) = common::bench_program();
    let hand = Saas::new(program.schema(), extended);
    let mut rng = Rng::new(0xbe7c);
    let leads = (0..leads)
        .map(|_| {
            let mut lead = program.new_lead();
            random_lead(&mut rng, program.schema(), &mut lead);
            lead
        })
        .collect();
    Fixture { program, hand, leads }
}

/// One scorer per pass (its few buffers are sized by the first lead).
fn score_vm(f: &Fixture, _: &mut Outcome) -> i64 {
    let mut scorer = f.program.scorer();
    let mut sum = 0;
    for lead in &f.leads {
        sum += scorer.score(black_box(lead)).score;
    }
    sum
}

fn score_hand(f: &Fixture, out: &mut Outcome) -> i64 {
    let mut sum = 0;
    for lead in &f.leads {
        f.hand.score(black_box(lead), out);
        sum += out.score;
    }
    sum
}

/// Median ns/lead of the VM and of the hand-written scorer over `runs`
/// passes each over all leads, interleaved so that a change of machine
/// load hits both alike.
fn medians(f: &Fixture, runs: usize) -> (f64, f64) {
    let mut out = Outcome::default();
    let mut time = |score: fn(&Fixture, &mut Outcome) -> i64| {
        let start = Instant::now();
        black_box(score(f, &mut out));
        start.elapsed().as_nanos() as f64 / f.leads.len() as f64
    };
    let (mut vm, mut hand): (Vec<f64>, Vec<f64>) =
        (0..runs).map(|_| (time(score_vm), time(score_hand))).unzip();
    vm.sort_by(f64::total_cmp);
    hand.sort_by(f64::total_cmp);
    (vm[runs / 2], hand[runs / 2])
}

fn bench(c: &mut Criterion) {
    let f = fixture(LEADS);
    let fresh = fixture(FRESH_LEADS);
    let mut out = Outcome::default();
    for f in [&f, &fresh] {
        assert_eq!(
            score_vm(f, &mut out),
            score_hand(f, &mut out),
            "the VM and the hand-written scorer disagree"
        );
    }
    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Elements(LEADS as u64));
    group.bench_function("vm", |b| b.iter(|| score_vm(&f, &mut out)));
    group.bench_function("hand_written", |b| b.iter(|| score_hand(&f, &mut out)));
    let lists = Fixture { program: common::compile("benches/data/lists.lead"), ..fixture(LEADS) };
    group.bench_function("lists", |b| b.iter(|| score_vm(&lists, &mut out)));
    group.finish();
    let mut group = c.benchmark_group("fresh");
    group.throughput(Throughput::Elements(FRESH_LEADS as u64));
    group.bench_function("vm", |b| b.iter(|| score_vm(&fresh, &mut out)));
    group.bench_function("hand_written", |b| b.iter(|| score_hand(&fresh, &mut out)));
    group.finish();

    // About the same time for each: 4,001 passes over 1,024 leads, 251
    // over 16,384.
    for (f, runs) in [(&f, 4001), (&fresh, 251)] {
        let (vm, hand) = medians(f, runs);
        println!(
            "rules: {}; leads: {}; median ns/lead: vm {vm:.1}, hand-written {hand:.1}; ratio vm/hand {:.2}",
            f.program.rules().len(),
            f.leads.len(),
            vm / hand
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
