//! Scoring allocates nothing per lead: a counting global allocator
//! watches a `Scorer`'s `score` and `explain` over a thousand leads, and
//! the row API's refill of one reused `Lead` (`clear`, `set`, `set_str`,
//! `set_text`, `set_count`) before each score.
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
    refill();
    batch();
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

/// Refilling one reused lead from plain structs (the benchmark's row API
/// path: `clear`, `set`, `set_str`, `set_count`) and from text (as the CSV
/// reader does: `clear`, `set_text`) and scoring it allocates nothing once
/// the lead's string buffers have grown to the longest values.
fn refill() {
    use common::plain::Slots;
    let (program, _) = common::bench_program();
    let schema = program.schema();
    let slots = Slots::new(schema);
    let mut rng = Rng::new(9);
    let plain: Vec<_> = (0..1000)
        .map(|_| {
            let mut lead = program.new_lead();
            random_lead(&mut rng, schema, &mut lead);
            slots.plain(&lead)
        })
        .collect();
    let texts: Vec<Vec<String>> = plain
        .iter()
        .map(|l| {
            let mut lead = program.new_lead();
            slots.fill(l, &mut lead);
            lead.values().iter().enumerate().map(|(i, v)| text_of(schema, i, v)).collect()
        })
        .collect();
    let mut lead = program.new_lead();
    let mut scorer = program.scorer();
    let pass = |lead: &mut leadc::lead::Lead, scorer: &mut leadc::Scorer<'_>| {
        let mut total = 0;
        for (l, row) in plain.iter().zip(&texts) {
            slots.fill(l, lead);
            total += scorer.score(lead).score;
            lead.clear();
            for (i, text) in row.iter().enumerate() {
                lead.set_text(schema, leadc::schema::FieldId(i as u32), text).unwrap();
            }
            total += scorer.score(lead).score;
        }
        total
    };
    let warm = pass(&mut lead, &mut scorer);
    let region = Region::new(GLOBAL);
    let total = pass(&mut lead, &mut scorer);
    let change = region.change();
    assert_eq!(total, warm, "the second pass scored as the first");
    assert!(total > 0, "the refilled leads scored something");
    assert_eq!(change.allocations, 0, "refilling allocated: {change:?}");
    assert_eq!(change.reallocations, 0, "refilling reallocated: {change:?}");
    println!("alloc: 2000 refills and evaluations, 0 allocations");
}

/// Refilling a reused batch (`clear`, `push_lead`; and `push`,
/// `set_text`, `set_count`) and scoring it into reused outcome columns
/// allocates nothing once the buffers have grown: with the bench program
/// (its plan's finish step) and with the timed example (its code runs row
/// by row over the batch).
fn batch() {
    use leadc::load::load_program;
    use leadc::{Batch, Outcomes};
    let (bench, _) = common::bench_program();
    let timed = leadc::Program::compile(
        &load_program(std::path::Path::new("examples/timed/timed.lead"), &mut leadc::Sources::new()).unwrap(),
    );
    for program in [&bench, &timed] {
        let schema = program.schema();
        let mut rng = Rng::new(5);
        let leads: Vec<_> = (0..1500)
            .map(|i| {
                let mut lead = program.new_lead();
                random_lead(&mut rng, schema, &mut lead);
                for b in 0..schema.behaviours().len() as u32 {
                    let id = leadc::schema::BehaviourId(b);
                    if schema.is_event(id) {
                        lead.set_events(id, &[1_796_000_000 - i * 3600, 1_790_000_000]);
                    }
                }
                lead
            })
            .collect();
        let texts: Vec<Vec<String>> = leads
            .iter()
            .map(|l| l.values().iter().enumerate().map(|(i, v)| text_of(schema, i, v)).collect())
            .collect();
        // The same leads as CSV cells (fields, then counts or event lists),
        // for `push_records`.
        let header: Vec<&str> = schema
            .fields()
            .iter()
            .map(|f| f.name.as_str())
            .chain(schema.behaviours().iter().map(String::as_str))
            .collect();
        let layout =
            leadc::input::CsvLayout::new(schema, &header, leadc::input::UnknownColumns::Error).unwrap();
        let mut record_texts: Vec<String> = Vec::new();
        for (lead, row) in leads.iter().zip(&texts) {
            record_texts.extend(row.iter().cloned());
            for b in 0..schema.behaviours().len() as u32 {
                let id = leadc::schema::BehaviourId(b);
                record_texts.push(match schema.is_event(id) {
                    true => lead
                        .events(id)
                        .iter()
                        .map(|&t| leadc::time::format_instant(t))
                        .collect::<Vec<_>>()
                        .join(";"),
                    false => lead.count(id).to_string(),
                });
            }
        }
        let cells: Vec<&str> = record_texts.iter().map(String::as_str).collect();
        let ends: Vec<usize> = (1..=leads.len()).map(|r| r * header.len()).collect();
        let mut problems = Vec::new();
        let (mut batch, mut out) = (Batch::new(schema), Outcomes::default());
        let mut scorer = program.scorer();
        let mut pass = |batch: &mut Batch, out: &mut Outcomes| {
            batch.clear();
            leads.iter().for_each(|lead| {
                batch.push_lead(lead).unwrap();
            });
            scorer.score_batch_at(batch, 1_796_083_200, out).unwrap();
            let mut total: i64 = out.score().iter().sum();
            batch.clear();
            for (lead, row) in leads.iter().zip(&texts) {
                batch.push();
                for (i, text) in row.iter().enumerate() {
                    batch.set_text(schema, leadc::schema::FieldId(i as u32), text).unwrap();
                }
                for (b, &count) in lead.counts().iter().enumerate() {
                    batch.set_count(leadc::schema::BehaviourId(b as u32), count);
                }
            }
            scorer.score_batch(batch, out).unwrap();
            total += out.score().iter().sum::<i64>();
            batch.clear();
            problems.clear();
            layout.push_records(schema, batch, &cells, &ends, &mut problems);
            assert!(problems.is_empty(), "{:?}", problems.first());
            scorer.score_batch_at(batch, 1_796_083_200, out).unwrap();
            total += out.score().iter().sum::<i64>();
            total
        };
        let warm = pass(&mut batch, &mut out);
        let region = Region::new(GLOBAL);
        let total = pass(&mut batch, &mut out);
        let change = region.change();
        assert_eq!(total, warm, "the second pass scored as the first");
        assert!(total > 0, "the batch scored something");
        assert_eq!(change.allocations, 0, "refilling and scoring a batch allocated: {change:?}");
        assert_eq!(change.reallocations, 0, "refilling and scoring a batch reallocated: {change:?}");
    }
    println!(
        "alloc: 2 programs x 3 refills (push_lead, set_text, push_records) and batch scorings of 1,500 leads, 0 allocations"
    );
}

/// A value as the text `set_text` reads back as the same value (a present
/// empty string cannot be written as text: it reads as missing).
fn text_of(schema: &leadc::Schema, field: usize, value: &leadc::Value) -> String {
    use leadc::Value;
    use leadc::schema::FieldType;
    match (value, &schema.fields()[field].ty) {
        (Value::Enum(i), FieldType::Enum(values)) => values[*i as usize].clone(),
        (Value::Missing, _) => String::new(),
        (Value::Text(s), _) => s.clone(),
        (Value::Int(n), _) => n.to_string(),
        (Value::Number(x), _) => x.to_string(),
        (Value::Bool(b), _) => b.to_string(),
        (Value::Enum(i), _) => panic!("enum value {i} of a field that is no enum"),
    }
}
