//! Differential tests of the batch engine: `Scorer::score_batch` against
//! the row VM (`Scorer::score`) and the reference evaluator, lead by
//! lead, on generated programs and leads (every field type, missing
//! values, counts) and on the timed example with random events, at batch
//! sizes 1, 7, 64 and 1,000 (the last spans two of the evaluator's tiles
//! of 512 rows). A reused batch and reused outcomes give the same results
//! as fresh ones; a batch round-trips its leads.

use crate::generate;
use leadc::diag::Sources;
use leadc::input::{CsvLayout, LeadReader, UnknownColumns};
use leadc::lead::{Batch, BatchError, Lead, Value};
use leadc::load::{SchemaSource, check_source, load_program};
use leadc::outcome::Outcomes;
use leadc::program::Program;
use leadc::reference;
use leadc::schema::{BehaviourId, FieldType, Schema};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::path::Path;

const SIZES: [usize; 4] = [1, 7, 64, 1000];

/// Fills `batch` with `leads` (those whose values fit; the others must be
/// refused with `Mismatch` and leave the batch as it was); returns the
/// leads it holds.
fn fill(batch: &mut Batch, schema: &Schema, leads: &[Lead]) -> Result<Vec<Lead>, TestCaseError> {
    batch.clear();
    let mut kept = Vec::new();
    for lead in leads {
        let fit = lead.values().iter().zip(schema.fields()).all(|(v, f)| generate::fits(v, &f.ty));
        let before = batch.len();
        match batch.push_lead(lead) {
            Ok(row) => {
                prop_assert!(fit, "a misfit value was taken: {:?}", lead);
                prop_assert_eq!(row, before);
                kept.push(lead.clone());
            }
            Err(e) => {
                prop_assert!(!fit, "a lead that fits was refused ({e}): {:?}", lead);
                prop_assert!(matches!(e, BatchError::Mismatch { .. }), "refused with {:?}", e);
                prop_assert_eq!(batch.len(), before, "a refused lead left a row");
            }
        }
    }
    Ok(kept)
}

/// Scores `leads` as one batch (reusing `batch` and `out`) and compares
/// every row with the row VM and the reference.
fn agree(
    card: &leadc::check::Scorecard,
    program: &Program,
    leads: &[Lead],
    as_of: Option<i64>,
    (batch, out): (&mut Batch, &mut Outcomes),
) -> Result<(), TestCaseError> {
    let kept = fill(batch, &card.schema, leads)?;
    let mut scorer = program.scorer();
    match as_of {
        Some(t) => scorer.score_batch_at(batch, t, out),
        None => scorer.score_batch(batch, out),
    }
    .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(out.len(), kept.len());
    let mut rows = program.scorer();
    for (row, lead) in kept.iter().enumerate() {
        prop_assert_eq!(&batch.lead(&card.schema, row).unwrap(), lead, "the batch round-trips row {}", row);
        let vm = match as_of {
            Some(t) => rows.score_at(lead, t).clone(),
            None => rows.score(lead).clone(),
        };
        let expected = reference::evaluate_at(card, lead, as_of).0;
        prop_assert_eq!(&vm, &expected, "row VM vs reference, lead {:?}", lead);
        prop_assert_eq!(
            &out.outcome(row),
            &expected,
            "batch vs reference, row {} of {}: {:?}",
            row,
            kept.len(),
            lead
        );
    }
    Ok(())
}

/// `n` leads: `first`, then more drawn from `strategy`.
fn leads(
    runner: &mut TestRunner,
    strategy: &BoxedStrategy<generate::GenLead>,
    schema: &Schema,
    first: &[generate::GenLead],
    n: usize,
) -> Vec<Lead> {
    let mut out: Vec<Lead> = first.iter().take(n).map(|g| g.build(schema)).collect();
    while out.len() < n {
        out.push(strategy.new_tree(runner).unwrap().current().build(schema));
    }
    out
}

#[test]
fn batch_row_vm_and_reference_agree_on_generated_programs() {
    let cases = std::env::var("LEADC_DIFF_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200u32);
    let config = Config { cases, failure_persistence: None, max_shrink_iters: 2_000, ..Config::default() };
    let mut runner = TestRunner::new(config);
    // Fn closure: the draws and the reused outcomes live in cells.
    let draws = std::cell::RefCell::new(TestRunner::deterministic());
    let out = std::cell::RefCell::new(Outcomes::default());
    let result =
        runner.run(&(generate::case_with(12, 0..13), prop::sample::select(&SIZES[..])), |(case, n)| {
            let schema = case.schema.build();
            let card = check_source(
                &mut Sources::new(),
                "generated.lead",
                &case.source,
                SchemaSource::Given(schema),
            )
            .map_err(|_| TestCaseError::reject("does not check"))?;
            let program = Program::compile(&card);
            let strategy = generate::lead(&case.schema);
            let leads = leads(&mut draws.borrow_mut(), &strategy, &card.schema, &case.leads, n);
            // Each program has its own schema; the outcomes are reused.
            let (mut batch, out) = (Batch::new(&card.schema), &mut *out.borrow_mut());
            agree(&card, &program, &leads, None, (&mut batch, out))?;
            // Reused: a second fill of the same batch and outcomes agrees too.
            agree(&card, &program, &leads, None, (&mut batch, out))
        });
    if let Err(e) = result {
        panic!("{e}");
    }
}

const DAY: i64 = 86_400;
/// 2026-11-30T00:00:00Z.
const NOW: i64 = 1_796_083_200;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The timed example (its plan keeps code: the batch runs it row by
    /// row) with random events, timeless and as of an instant.
    #[test]
    fn batch_agrees_on_timed_rules_with_events(
        size in prop::sample::select(&SIZES[..]),
        seed in any::<u64>(),
        offset in -5 * DAY..5 * DAY,
        timeless in prop::bool::weighted(0.2),
    ) {
        let card = load_program(Path::new("examples/timed/timed.lead"), &mut Sources::new()).unwrap();
        let program = Program::compile(&card);
        let schema = &card.schema;
        let mut rng = seed;
        let mut next = move |m: u64| {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (rng >> 33) % m
        };
        let leads: Vec<Lead> = (0..size)
            .map(|_| {
                let mut lead = Lead::new(schema);
                for b in 0..schema.behaviours().len() as u32 {
                    let id = BehaviourId(b);
                    if schema.is_event(id) {
                        let times: Vec<i64> =
                            (0..next(6)).map(|_| NOW - next(200) as i64 * DAY + next(DAY as u64) as i64).collect();
                        lead.set_events(id, &times);
                    } else {
                        lead.set_count(id, next(3) as u32);
                    }
                }
                for (i, field) in schema.fields().iter().enumerate() {
                    let value = match (&field.ty, next(4)) {
                        (_, 0) => Value::Missing,
                        (FieldType::Bool, v) => Value::Bool(v == 1),
                        (FieldType::Int, v) => Value::Int(v as i64 * 100),
                        (FieldType::Number, v) => Value::Number(v as f64 * 2.5),
                        (FieldType::Enum(values), v) => Value::Enum((v as u32) % values.len() as u32),
                        (FieldType::String, v) => Value::Text(["", "VP", "Head of Sales, EMEA"][v as usize % 3].into()),
                    };
                    lead.set(leadc::schema::FieldId(i as u32), value);
                }
                lead
            })
            .collect();
        let as_of = if timeless { None } else { Some(NOW + offset) };
        let (mut batch, mut out) = (Batch::new(schema), Outcomes::default());
        agree(&card, &program, &leads, as_of, (&mut batch, &mut out))?;
    }
}

#[test]
fn every_example_scores_the_same_in_a_batch() {
    for path in ["examples/saas/saas.lead", "examples/timed/timed.lead"] {
        let card = load_program(Path::new(path), &mut Sources::new()).unwrap();
        let program = Program::compile(&card);
        let csv = std::fs::read_to_string(Path::new(path).with_file_name("leads.csv")).unwrap();
        let mut lines = csv.lines();
        let header = lines.next().unwrap().split(',');
        let mut reader = LeadReader::new(card.schema.clone(), header, UnknownColumns::Ignore).unwrap();
        let (mut batch, mut leads) = (Batch::new(&card.schema), Vec::new());
        for line in lines {
            assert!(!line.contains('"'), "{path}: the test splits plain lines only");
            let lead = reader.read(line.split(',')).unwrap().clone();
            batch.push_lead(&lead).unwrap();
            leads.push(lead);
        }
        assert!(leads.len() >= 3, "{path}: {} leads read", leads.len());
        let mut out = Outcomes::default();
        program.scorer().score_batch_at(&batch, NOW, &mut out).unwrap();
        for (row, lead) in leads.iter().enumerate() {
            assert_eq!(out.outcome(row), program.evaluate_at(lead, NOW), "{path}: row {row}");
        }
    }
}

/// `push_records` on `lines` gives the rows and problems of
/// `fill_reporting` on each line, after a row already in the batch.
fn push_records_reads_as_fill_reporting(schema: &Schema, layout: &CsvLayout, lines: &[&str]) {
    let cells: Vec<&str> = lines.iter().flat_map(|l| l.split(',')).collect();
    let ends: Vec<usize> = lines
        .iter()
        .scan(0, |n, l| {
            *n += l.split(',').count();
            Some(*n)
        })
        .collect();
    let (mut columns, mut problems, mut lead) = (Batch::new(schema), Vec::new(), Lead::new(schema));
    columns.push(); // a row already there stays as it is
    layout.push_records(schema, &mut columns, &cells, &ends, &mut problems);
    assert_eq!(columns.len(), lines.len() + 1);
    let mut expected = Vec::new();
    for (row, line) in lines.iter().enumerate() {
        let mut found = Vec::new();
        layout.fill_reporting(schema, &mut lead, line.split(','), &mut found);
        assert_eq!(columns.lead(schema, row + 1).as_ref(), Some(&lead), "{line}");
        expected.extend(found.into_iter().map(|e| (row, e)));
    }
    assert_eq!(problems, expected);
    assert_eq!(columns.lead(schema, 0), Some(Lead::new(schema)));
}

/// CSV records read straight into a batch (`CsvLayout::push_reporting`,
/// as `leadc score` reads them) give the rows and the problems that
/// reading each into a lead gives, bad cells, bad event lists and short
/// records included; a bad cell leaves its field missing (its count 0, its
/// events none) in both.
#[test]
fn csv_records_read_into_a_batch_as_into_leads() {
    let hostile = [
        "7,maybe,x,2026-11-40;2026-11-01,-1",
        "8,yes,,2026-11-20;;2026-11-21,",
        "9,no,3",
        "10,yes,1,2026-11-20,2026-11-25,extra",
        "11,,N/A, , ",
        // saas: a bad int, number, bool and enum; a string kept untrimmed.
        "12,a@b.c,emea,1.5,IT,1e3,x,perhaps,US, VP ,12k,+7,gmail.com,1,0,0,0,0,0,0,0,0",
        "13,a@b.c,APAC, 41 ,HR,1000,x,yes,US,VP,\u{a0}5e4\u{a0},-0,gmail.com,1,0,0,0,0,0,0,0,0",
    ];
    for path in ["examples/saas/saas.lead", "examples/timed/timed.lead"] {
        let card = load_program(Path::new(path), &mut Sources::new()).unwrap();
        let schema = &card.schema;
        let csv = std::fs::read_to_string(Path::new(path).with_file_name("leads.csv")).unwrap();
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let layout = CsvLayout::new(schema, &header, UnknownColumns::Ignore).unwrap();
        let (mut batch, mut lead) = (Batch::new(schema), Lead::new(schema));
        let mut bad_rows = 0;
        for (row, line) in lines.chain(hostile).enumerate() {
            let (mut into_batch, mut into_lead) = (Vec::new(), Vec::new());
            layout.push_reporting(schema, &mut batch, line.split(','), &mut into_batch);
            layout.fill_reporting(schema, &mut lead, line.split(','), &mut into_lead);
            assert_eq!(into_batch, into_lead, "{path}: {line}");
            assert_eq!(batch.len(), row + 1, "{path}: a row is pushed whatever its problems");
            assert_eq!(batch.lead(schema, row).as_ref(), Some(&lead), "{path}: {line}");
            bad_rows += usize::from(!into_batch.is_empty());
        }
        assert!(bad_rows >= 3, "{path}: {bad_rows} of the hostile rows were refused");
        // All the records at once, column by column: the same rows and
        // problems, each problem with its record's index; the examples
        // alone are all of the header's length (the strided path).
        let examples: Vec<&str> = csv.lines().skip(1).collect();
        let all: Vec<&str> = examples.iter().copied().chain(hostile).collect();
        for lines in [examples, all] {
            push_records_reads_as_fill_reporting(schema, &layout, &lines);
        }
    }
    // Setting a row's events again replaces them; a bad list keeps them.
    let card = load_program(Path::new("examples/timed/timed.lead"), &mut Sources::new()).unwrap();
    let (schema, mut batch) = (&card.schema, Batch::new(&card.schema));
    let visit = schema.behaviour_id("web_visit").unwrap();
    for _ in 0..2 {
        batch.push();
        batch.set_events_text(schema, visit, "2026-11-01;2026-11-02;2026-11-03").unwrap();
        batch.set_events_text(schema, visit, "2026-11-05").unwrap();
        assert!(batch.set_events_text(schema, visit, "2026-11-06;soon").is_err());
    }
    let lead = batch.lead(schema, 1).unwrap();
    assert_eq!((batch.events(visit, 1), lead.count(visit)), (&[1_793_836_800][..], 1));
    assert_eq!(batch.events(visit, 0), batch.events(visit, 1));
}

#[test]
fn a_batch_refuses_what_does_not_fit_and_says_why() {
    let schema = Schema::builder()
        .field("age", FieldType::Int)
        .field("plan", FieldType::Enum(vec!["free".into(), "pro".into()]))
        .field("title", FieldType::String)
        .behaviour("demo")
        .build()
        .unwrap();
    let (age, plan, title) = (
        schema.field_id("age").unwrap(),
        schema.field_id("plan").unwrap(),
        schema.field_id("title").unwrap(),
    );
    let mut batch = Batch::new(&schema);
    assert_eq!(batch.set(age, &Value::Int(3)), Err(BatchError::NoRow));
    assert_eq!(batch.set_str(title, "VP"), Err(BatchError::NoRow));
    batch.push();
    assert_eq!(
        batch.set(age, &Value::Number(3.0)),
        Err(BatchError::Mismatch { field: age, expected: "int" })
    );
    assert_eq!(batch.set(plan, &Value::Enum(2)), Err(BatchError::Mismatch { field: plan, expected: "enum" }));
    assert_eq!(batch.set_str(age, "3"), Err(BatchError::Mismatch { field: age, expected: "int" }));
    assert_eq!(
        batch.set(leadc::schema::FieldId(9), &Value::Int(1)),
        Err(BatchError::NoField(leadc::schema::FieldId(9)))
    );
    let e = batch.set_text(&schema, age, "forty").unwrap_err();
    assert_eq!(e.to_string(), "field `age`: `forty` is not an integer");
    let e = batch.set_text(&schema, plan, "gold").unwrap_err();
    assert_eq!(e.to_string(), "field `plan`: `gold` is not one of `free`, `pro`");
    // Overwriting the last row's string replaces it; a value set to
    // missing is missing again.
    batch.set_str(title, "Director").unwrap();
    batch.set_str(title, "VP").unwrap();
    batch.set_text(&schema, age, " 40 ").unwrap();
    batch.push();
    batch.set_str(title, "").unwrap();
    batch.set(age, &Value::Int(7)).unwrap();
    batch.set(age, &Value::Missing).unwrap();
    let first = batch.lead(&schema, 0).unwrap();
    assert_eq!(first.value(title), &Value::Text("VP".into()));
    assert_eq!(first.value(age), &Value::Int(40));
    let second = batch.lead(&schema, 1).unwrap();
    assert_eq!(second.value(title), &Value::Text(String::new()));
    assert_eq!(second.value(age), &Value::Missing);
    assert!(batch.lead(&schema, 2).is_none());
    // A batch of another schema is refused by the scorer.
    let other = Schema::builder().field("age", FieldType::Number).build().unwrap();
    let source = "category c\nfit age >= 30 : 5\n";
    let card =
        check_source(&mut Sources::new(), "p.lead", source, SchemaSource::Given(std::sync::Arc::new(other)))
            .unwrap();
    let program = Program::compile(&card);
    let e = program.scorer().score_batch(&batch, &mut Outcomes::default()).unwrap_err();
    assert_eq!(e, BatchError::Schema);
    assert!(e.to_string().contains("Batch::new(program.schema())"), "{e}");
}
