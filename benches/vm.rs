//! Scores the same generated leads with the VM, with a hand-written Rust
//! function over leadc's `Lead`, and with a hand-written function over a
//! plain Rust struct (no leadc types: the fair baseline), and prints ns/lead
//! and the ratios.
//!
//! `cargo bench --bench vm`. The program is benches/data/bench.lead (the
//! saas example plus 14 rules, 33 in all). `score/*` score 1,024 leads over
//! and over: few enough that a branch predictor learns much of the
//! hand-written functions' branches, which favours them. `fresh/*` score
//! 200,000 leads, too many to learn and too large for the caches (about
//! 200 MB of `Lead`s by estimate), as a real batch of new leads would be. `score/lists`
//! scores the 1,024 leads with benches/data/lists.lead (fit rules on long
//! string lists), to show how the VM's cost grows with list length.
//!
//! The four ways scored, each over the same leads:
//! - `vm`: `Scorer::score` on leads already built as `Lead`s;
//! - `fill_vm`: the row API an embedder holding plain structs uses: fill
//!   one reused `Lead` from each plain lead, then score it;
//! - `hand_written`: tests/common/saas.rs, which reads leadc's `Lead`;
//! - `plain`: tests/common/plain.rs, a plain struct and a plain function;
//! - `batch`: `Scorer::score_batch` over the leads already in a `Batch`'s
//!   columns (as from a column reader), into reused `Outcomes`;
//! - `arrow`: the leads as an Arrow record batch (`Int64`, `Float64`,
//!   `Boolean` and `Utf8` columns, enums as dictionaries, counts `UInt32`):
//!   `ArrowLeads::new` (numbers and strings read in place, the enums looked
//!   up) then `Scorer::score_arrow`, as a binding or a Parquet reader
//!   would score a batch.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use common::plain::{self, PlainLead, PlainOutcome, Slots};
use common::saas::{Rng, Saas, random_lead};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leadc::lead::{Batch, Lead, Value};
use leadc::outcome::{Outcome, Outcomes};
use leadc::program::Program;
use leadc::schema::{BehaviourId, FieldId, FieldType};
use std::cell::RefCell;
use std::hint::black_box;
use std::time::Instant;

/// The leads scored over and over.
const LEADS: usize = 1024;

/// The leads of the `fresh` group.
const FRESH_LEADS: usize = 200_000;

struct Fixture {
    program: Program,
    hand: Saas,
    slots: Slots,
    leads: Vec<Lead>,
    plain: Vec<PlainLead>,
    /// The leads as one batch, and the outcome columns reused for it.
    batch: Batch,
    outcomes: RefCell<Outcomes>,
    /// The leads as an Arrow record batch.
    record: arrow_array::RecordBatch,
}

fn fixture(leads: usize) -> Fixture {
    let (program, extended) = common::bench_program();
    let hand = Saas::new(program.schema(), extended);
    let slots = Slots::new(program.schema());
    let mut rng = Rng::new(0xbe7c);
    let leads: Vec<Lead> = (0..leads)
        .map(|_| {
            let mut lead = program.new_lead();
            random_lead(&mut rng, program.schema(), &mut lead);
            lead
        })
        .collect();
    let plain = leads.iter().map(|lead| slots.plain(lead)).collect();
    let mut batch = Batch::new(program.schema());
    for lead in &leads {
        batch.push_lead(lead).unwrap();
    }
    let record = record_batch(&program, &leads);
    Fixture { program, hand, slots, leads, plain, batch, outcomes: RefCell::default(), record }
}

/// The leads as Arrow columns, one per field and behaviour.
fn record_batch(program: &Program, leads: &[Lead]) -> arrow_array::RecordBatch {
    use arrow_array::builder::StringDictionaryBuilder;
    use arrow_array::types::Int32Type;
    use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray, UInt32Array};
    use std::sync::Arc;
    let schema = program.schema();
    let mut columns: Vec<(String, ArrayRef)> = Vec::new();
    for (i, field) in schema.fields().iter().enumerate() {
        let values = leads.iter().map(|l| l.value(FieldId(i as u32)));
        let array: ArrayRef = match &field.ty {
            FieldType::Int => Arc::new(
                values.map(|v| if let Value::Int(x) = v { Some(*x) } else { None }).collect::<Int64Array>(),
            ),
            FieldType::Number => Arc::new(
                values
                    .map(|v| if let Value::Number(x) = v { Some(*x) } else { None })
                    .collect::<Float64Array>(),
            ),
            FieldType::Bool => Arc::new(
                values
                    .map(|v| if let Value::Bool(x) = v { Some(*x) } else { None })
                    .collect::<BooleanArray>(),
            ),
            FieldType::String => Arc::new(
                values
                    .map(|v| if let Value::Text(x) = v { Some(x.as_str()) } else { None })
                    .collect::<StringArray>(),
            ),
            FieldType::Enum(names) => {
                let mut b = StringDictionaryBuilder::<Int32Type>::new();
                for v in values {
                    b.append_option(if let Value::Enum(e) = v {
                        names.get(*e as usize).map(String::as_str)
                    } else {
                        None
                    });
                }
                Arc::new(b.finish())
            }
        };
        columns.push((field.name.clone(), array));
    }
    for (b, name) in schema.behaviours().iter().enumerate() {
        let counts: UInt32Array = leads.iter().map(|l| l.count(BehaviourId(b as u32))).collect();
        columns.push((name.clone(), Arc::new(counts)));
    }
    arrow_array::RecordBatch::try_from_iter(columns).unwrap()
}

/// The leads read from Arrow columns and scored by the batch engine.
fn score_arrow(f: &Fixture) -> i64 {
    let leads = leadc::ArrowLeads::new(f.program.schema(), black_box(&f.record)).unwrap();
    let mut out = f.outcomes.borrow_mut();
    f.program.scorer().score_arrow(&leads, &mut out).unwrap();
    out.score().iter().sum()
}

/// The batch engine over the leads' columns, into reused outcome columns.
fn score_batch(f: &Fixture) -> i64 {
    let mut out = f.outcomes.borrow_mut();
    f.program.scorer().score_batch(black_box(&f.batch), &mut out).unwrap();
    out.score().iter().sum()
}

/// One scorer per pass (its few buffers are sized by the first lead).
fn score_vm(f: &Fixture) -> i64 {
    let mut scorer = f.program.scorer();
    let mut sum = 0;
    for lead in &f.leads {
        sum += scorer.score(black_box(lead)).score;
    }
    sum
}

/// One reused `Lead` and scorer per pass.
fn score_fill_vm(f: &Fixture) -> i64 {
    let mut lead = f.program.new_lead();
    let mut scorer = f.program.scorer();
    let mut sum = 0;
    for l in &f.plain {
        f.slots.fill(black_box(l), &mut lead);
        sum += scorer.score(&lead).score;
    }
    sum
}

fn score_hand(f: &Fixture) -> i64 {
    let mut out = Outcome::default();
    let mut sum = 0;
    for lead in &f.leads {
        f.hand.score(black_box(lead), &mut out);
        sum += out.score;
    }
    sum
}

fn score_plain(f: &Fixture) -> i64 {
    f.plain.iter().map(|l| plain::score(black_box(l)).score).sum()
}

/// Checks that every way gives every lead the same outcome.
fn agree(f: &Fixture) {
    let mut scorer = f.program.scorer();
    let mut out = Outcome::default();
    for (lead, l) in f.leads.iter().zip(&f.plain) {
        let vm = scorer.score(lead);
        let p = plain::score(l);
        f.hand.score(lead, &mut out);
        assert_eq!(PlainOutcome::of(vm), p, "the VM and the plain scorer disagree on {l:?}");
        assert_eq!(vm.score, out.score, "the VM and the hand-written scorer disagree");
    }
    assert_eq!(score_vm(f), score_fill_vm(f));
    // Arrow input reads a blank string as missing (as a CSV cell is read),
    // so its leads are compared with the row VM on the leads it read.
    score_arrow(f);
    let read = leadc::ArrowLeads::new(f.program.schema(), &f.record).unwrap();
    for row in 0..read.len() {
        let lead = read.lead(f.program.schema(), row).unwrap();
        assert_eq!(&f.outcomes.borrow().outcome(row), scorer.score(&lead), "arrow row {row}");
    }
    score_batch(f);
    let out = f.outcomes.borrow();
    for (row, lead) in f.leads.iter().enumerate() {
        assert_eq!(&out.outcome(row), scorer.score(lead), "the batch and the VM disagree on row {row}");
    }
}

/// Median ns/lead of each way over `runs` passes each over all leads,
/// interleaved so that a change of machine load hits all alike.
fn medians(f: &Fixture, runs: usize) -> [f64; 6] {
    let ways: [fn(&Fixture) -> i64; 6] =
        [score_vm, score_fill_vm, score_hand, score_plain, score_batch, score_arrow];
    let mut times = [(); 6].map(|_| Vec::with_capacity(runs));
    for _ in 0..runs {
        for (way, times) in ways.iter().zip(&mut times) {
            let start = Instant::now();
            black_box(way(f));
            times.push(start.elapsed().as_nanos() as f64 / f.leads.len() as f64);
        }
    }
    times.map(|mut t| {
        t.sort_by(f64::total_cmp);
        t[runs / 2]
    })
}

fn bench(c: &mut Criterion) {
    let f = fixture(LEADS);
    let fresh = fixture(FRESH_LEADS);
    agree(&f);
    agree(&fresh);
    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Elements(LEADS as u64));
    group.bench_function("vm", |b| b.iter(|| score_vm(&f)));
    group.bench_function("fill_vm", |b| b.iter(|| score_fill_vm(&f)));
    group.bench_function("hand_written", |b| b.iter(|| score_hand(&f)));
    group.bench_function("plain", |b| b.iter(|| score_plain(&f)));
    group.bench_function("batch", |b| b.iter(|| score_batch(&f)));
    group.bench_function("arrow", |b| b.iter(|| score_arrow(&f)));
    let lists = Fixture { program: common::compile("benches/data/lists.lead"), ..fixture(LEADS) };
    group.bench_function("lists", |b| b.iter(|| score_vm(&lists)));
    group.finish();
    let mut group = c.benchmark_group("fresh");
    group.throughput(Throughput::Elements(FRESH_LEADS as u64));
    group.sample_size(20);
    group.bench_function("vm", |b| b.iter(|| score_vm(&fresh)));
    group.bench_function("fill_vm", |b| b.iter(|| score_fill_vm(&fresh)));
    group.bench_function("hand_written", |b| b.iter(|| score_hand(&fresh)));
    group.bench_function("plain", |b| b.iter(|| score_plain(&fresh)));
    group.bench_function("batch", |b| b.iter(|| score_batch(&fresh)));
    group.bench_function("arrow", |b| b.iter(|| score_arrow(&fresh)));
    group.finish();

    // About the same time for each: 2,001 passes over 1,024 leads, 11 over
    // 200,000.
    for (f, runs) in [(&f, 2001), (&fresh, 11)] {
        let [vm, fill, hand, plain, batch, arrow] = medians(f, runs);
        println!(
            "rules: {}; leads: {}; median ns/lead: vm {vm:.1}, fill+vm {fill:.1}, hand-written over Lead {hand:.1}, plain struct {plain:.1}, batch {batch:.1}, arrow {arrow:.1}; ratios to plain: batch {:.2}, arrow {:.2}, vm {:.2}, fill+vm {:.2}, hand-written over Lead {:.2}",
            f.program.rules().len(),
            f.leads.len(),
            batch / plain,
            arrow / plain,
            vm / plain,
            fill / plain,
            hand / plain,
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
