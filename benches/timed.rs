//! The cost of time: scores the same leads with `examples/timed` as of an
//! instant (rules on event behaviours, windows and decays), and with the
//! same rules over counts (no clauses, `Scorer::score`), and prints the
//! median ns/lead of each and their ratio.
//!
//! `cargo bench --bench timed`. Leads: a deterministic xorshift PRNG, 0–11
//! events per event behaviour spread over 120 days before the instant, one
//! in ten a day ahead of it; the count version gets each behaviour's number
//! of events as its count.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use leadc::diag::Sources;
use leadc::lead::Lead;
use leadc::load::{SchemaSource, check_source, load_program};
use leadc::program::Program;
use leadc::schema::{BehaviourId, Schema};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

const LEADS: usize = 1024;
const AS_OF: i64 = 1_795_000_000;

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// The timed example, and the same program with every time clause removed
/// over a schema whose events are plain counts.
fn programs() -> (Program, Program) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Sources::new();
    let timed =
        Program::compile(&load_program(&root.join("examples/timed/timed.lead"), &mut sources).unwrap());
    let text = std::fs::read_to_string(root.join("examples/timed/timed.lead")).unwrap();
    let counted: String = text
        .lines()
        .map(|l| {
            l.find(" within ")
                .or_else(|| l.find(" decay "))
                .or_else(|| l.find(" expire "))
                .map_or(l, |i| &l[..i])
        })
        .collect::<Vec<_>>()
        .join("\n");
    let schema = timed.schema();
    let mut builder = Schema::builder();
    for f in schema.fields() {
        builder = builder.field(f.name.clone(), f.ty.clone());
    }
    for b in schema.behaviours() {
        builder = builder.behaviour(b.clone());
    }
    let given = SchemaSource::Given(Arc::new(builder.build().unwrap()));
    let card = check_source(&mut sources, "counted.lead", &counted, given).unwrap();
    (timed, Program::compile(&card))
}

fn leads(timed: &Program, counted: &Program) -> (Vec<Lead>, Vec<Lead>) {
    let mut rng = Rng(0x7e57_71de);
    let behaviours = timed.schema().behaviours().len() as u32;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..LEADS {
        let (mut t, mut c) = (timed.new_lead(), counted.new_lead());
        for id in (0..behaviours).map(BehaviourId) {
            let n = rng.below(12) as u32;
            if timed.schema().is_event(id) {
                for _ in 0..n {
                    let ahead = rng.below(10) == 0;
                    let at = if ahead { AS_OF + 86_400 } else { AS_OF - rng.below(120 * 86_400) as i64 };
                    t.push_event(id, at);
                }
            } else {
                t.set_count(id, n % 2);
            }
            c.set_count(id, if timed.schema().is_event(id) { n } else { n % 2 });
        }
        a.push(t);
        b.push(c);
    }
    (a, b)
}

fn main() {
    let (timed, counted) = programs();
    let (timed_leads, counted_leads) = leads(&timed, &counted);
    let (mut timed_scorer, mut counted_scorer) = (timed.scorer(), counted.scorer());
    let mut pass = |timed_pass: bool| {
        let start = Instant::now();
        let mut sum = 0;
        if timed_pass {
            for lead in &timed_leads {
                sum += timed_scorer.score_at(black_box(lead), AS_OF).score;
            }
        } else {
            for lead in &counted_leads {
                sum += counted_scorer.score(black_box(lead)).score;
            }
        }
        black_box(sum);
        start.elapsed().as_nanos() as f64 / LEADS as f64
    };
    const RUNS: usize = 2001;
    let (mut t, mut c): (Vec<f64>, Vec<f64>) = (0..RUNS).map(|_| (pass(true), pass(false))).unzip();
    t.sort_by(f64::total_cmp);
    c.sort_by(f64::total_cmp);
    let (t, c) = (t[RUNS / 2], c[RUNS / 2]);
    println!(
        "rules: {} ({} timed); median ns/lead: timed {t:.1}, counted {c:.1}; ratio timed/counted {:.2}",
        timed.rules().len(),
        timed.timed_steps().len(),
        t / c
    );
}
