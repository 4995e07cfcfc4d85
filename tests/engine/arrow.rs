//! Differential tests of Arrow input: `Scorer::score_arrow` over a record
//! batch against `Scorer::score_batch` over the same leads in a `Batch`
//! and the row VM, on generated programs and leads and on the timed
//! example with events. Each column is encoded at random in a type read in
//! place (`Int64`, `Float64`, `Boolean`, `Utf8`, `UInt32`, lists of
//! `Timestamp(Second)`) or in one that is converted (narrower integers,
//! floats for ints, strings for every type, dictionaries, NaN for a
//! missing number, timestamps in milliseconds, `;`-separated strings),
//! and the batch is a slice of a larger one (offsets and validity bits
//! that do not start at zero).

use crate::generate;
use arrow_array::builder::{
    ListBuilder, StringDictionaryBuilder, TimestampMillisecondBuilder, TimestampSecondBuilder,
};
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int32Array, Int64Array, LargeStringArray, RecordBatch, StringArray,
    UInt32Array,
};
use leadc::diag::Sources;
use leadc::input::UnknownColumns;
use leadc::lead::{Batch, Lead, Value};
use leadc::load::{SchemaSource, check_source, load_program};
use leadc::outcome::Outcomes;
use leadc::program::Program;
use leadc::schema::{BehaviourId, FieldId, FieldType, Schema};
use leadc::{ArrowError, ArrowLeads};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::path::Path;
use std::sync::Arc;

/// A small deterministic generator for the encodings.
struct Draw(u64);

impl Draw {
    fn next(&mut self, m: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % m
    }
}

/// The lead as Arrow input reads it: a blank string, or a missing token,
/// is missing (as in a CSV); values that do not fit their field dropped.
fn as_read(schema: &Schema, lead: &Lead) -> Option<Lead> {
    let mut out = lead.clone();
    for (i, (value, field)) in lead.values().iter().zip(schema.fields()).enumerate() {
        if !generate::fits(value, &field.ty) {
            return None;
        }
        if let Value::Text(t) = value
            && schema.intake().is_missing(t.trim())
        {
            out.set(FieldId(i as u32), Value::Missing);
        }
    }
    Some(out)
}

/// A column's cells as strings, for the string encodings: a missing
/// value as null, or as a blank string.
fn texts(schema: &Schema, leads: &[Lead], field: usize, draw: &mut Draw) -> Vec<Option<String>> {
    let ty = &schema.fields()[field].ty;
    leads
        .iter()
        .map(|lead| match (&lead.values()[field], ty) {
            (Value::Missing, _) => {
                [None, Some(String::new()), Some(" \t".to_string())][draw.next(3) as usize].clone()
            }
            (Value::Text(t), _) => Some(t.clone()),
            (Value::Int(x), _) => Some(x.to_string()),
            (Value::Number(x), _) => Some(x.to_string()),
            (Value::Bool(b), _) => Some(b.to_string()),
            (Value::Enum(e), FieldType::Enum(values)) => Some(values[*e as usize].clone()),
            (Value::Enum(_), _) => None,
        })
        .collect()
}

/// `pad` rows of filler before the leads: the test slices them off.
fn field_array(schema: &Schema, leads: &[Lead], field: usize, pad: usize, draw: &mut Draw) -> ArrayRef {
    let ty = &schema.fields()[field].ty;
    let column: Vec<&Value> = leads.iter().map(|l| &l.values()[field]).collect();
    fn filler<T: Clone>(n: usize) -> std::iter::RepeatN<Option<T>> {
        std::iter::repeat_n(None, n)
    }
    let strings = texts(schema, leads, field, draw);
    let as_strings = || filler::<&str>(pad).chain(strings.iter().map(|s| s.as_deref())).collect::<Vec<_>>();
    match (ty, draw.next(3)) {
        (_, 0) if !matches!(ty, FieldType::String | FieldType::Enum(_)) => {
            Arc::new(StringArray::from(as_strings()))
        }
        (FieldType::Enum(_) | FieldType::String, 1) => {
            let mut dictionary = StringDictionaryBuilder::<Int32Type>::new();
            as_strings().into_iter().for_each(|s| dictionary.append_option(s));
            Arc::new(dictionary.finish())
        }
        (FieldType::String, 2) => Arc::new(LargeStringArray::from(as_strings())),
        (FieldType::Enum(_) | FieldType::String, _) => Arc::new(StringArray::from(as_strings())),
        (FieldType::Int, k) => {
            let ints = filler(pad).chain(column.iter().map(|v| match v {
                Value::Int(x) => Some(*x),
                _ => None,
            }));
            let ints: Vec<Option<i64>> = ints.collect();
            let narrow = ints.iter().all(|x| x.is_none_or(|x| i32::try_from(x).is_ok()));
            match k {
                1 if narrow => {
                    Arc::new(Int32Array::from(ints.iter().map(|x| x.map(|x| x as i32)).collect::<Vec<_>>()))
                }
                _ => Arc::new(Int64Array::from(ints)),
            }
        }
        (FieldType::Number, k) => {
            let numbers = filler(pad).chain(column.iter().map(|v| match v {
                Value::Number(x) => Some(*x),
                _ => None,
            }));
            match k {
                // pandas writes NaN for a missing number.
                1 => Arc::new(Float64Array::from(
                    numbers.map(|x| Some(x.unwrap_or(f64::NAN))).collect::<Vec<_>>(),
                )),
                _ => Arc::new(Float64Array::from(numbers.collect::<Vec<_>>())),
            }
        }
        (FieldType::Bool, _) => Arc::new(BooleanArray::from(
            filler(pad)
                .chain(column.iter().map(|v| match v {
                    Value::Bool(b) => Some(*b),
                    _ => None,
                }))
                .collect::<Vec<_>>(),
        )),
    }
}

fn count_array(leads: &[Lead], b: BehaviourId, pad: usize, draw: &mut Draw) -> ArrayRef {
    let counts = std::iter::repeat_n(7, pad).chain(leads.iter().map(|l| l.count(b)));
    match draw.next(3) {
        0 => Arc::new(UInt32Array::from(counts.collect::<Vec<_>>())),
        1 => Arc::new(Int64Array::from(counts.map(i64::from).collect::<Vec<_>>())),
        _ => Arc::new(StringArray::from(counts.map(|c| Some(c.to_string())).collect::<Vec<_>>())),
    }
}

fn event_array(leads: &[Lead], b: BehaviourId, pad: usize, draw: &mut Draw) -> ArrayRef {
    let rows = std::iter::repeat_n(&[1i64, 2][..], pad).chain(leads.iter().map(|l| l.events(b)));
    match draw.next(3) {
        0 => {
            let mut list = ListBuilder::new(TimestampSecondBuilder::new());
            for times in rows {
                list.values().append_slice(times);
                list.append(true);
            }
            Arc::new(list.finish())
        }
        1 => {
            let mut list = ListBuilder::new(TimestampMillisecondBuilder::new());
            for times in rows {
                times.iter().for_each(|t| list.values().append_value(t * 1000 + 999));
                list.append(true);
            }
            Arc::new(list.finish())
        }
        _ => Arc::new(StringArray::from(
            rows.map(|times| {
                let texts: Vec<String> = times.iter().map(|t| leadc::time::format_instant(*t)).collect();
                Some(texts.join(";"))
            })
            .collect::<Vec<_>>(),
        )),
    }
}

/// The leads as a record batch (sliced past `pad` filler rows).
fn record_batch(schema: &Schema, leads: &[Lead], seed: u64) -> RecordBatch {
    let mut draw = Draw(seed);
    let pad = draw.next(20) as usize;
    let mut columns: Vec<(String, ArrayRef)> = Vec::new();
    for (i, field) in schema.fields().iter().enumerate() {
        columns.push((field.name.clone(), field_array(schema, leads, i, pad, &mut draw)));
    }
    for (b, name) in schema.behaviours().iter().enumerate() {
        let id = BehaviourId(b as u32);
        let array = if schema.is_event(id) {
            event_array(leads, id, pad, &mut draw)
        } else {
            count_array(leads, id, pad, &mut draw)
        };
        columns.push((name.clone(), array));
    }
    // Shuffled columns: matched by name, not position.
    let rotate = if columns.is_empty() { 0 } else { draw.next(columns.len() as u64) as usize };
    columns.rotate_left(rotate);
    RecordBatch::try_from_iter(columns).unwrap().slice(pad, leads.len())
}

/// Scores `leads` from Arrow and from a `Batch`; every row must agree,
/// with the batch and with the row VM, and read back as the lead.
fn agree(program: &Program, leads: &[Lead], as_of: Option<i64>, seed: u64) -> Result<(), TestCaseError> {
    let schema = program.schema();
    // Leads whose values fit, as given (blank strings and all) and as read.
    let given: Vec<&Lead> = leads.iter().filter(|l| as_read(schema, l).is_some()).collect();
    let given: Vec<Lead> = given.into_iter().cloned().collect();
    let read: Vec<Lead> = given.iter().filter_map(|l| as_read(schema, l)).collect();
    let arrow = record_batch(schema, &given, seed);
    let arrow_leads = ArrowLeads::new(schema, &arrow).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(arrow_leads.problems().is_empty(), "problems: {:?}", arrow_leads.problems());
    let mut batch = Batch::new(schema);
    read.iter().for_each(|l| {
        batch.push_lead(l).unwrap();
    });
    let (mut from_arrow, mut from_batch) = (Outcomes::default(), Outcomes::default());
    let mut scorer = program.scorer();
    let t = as_of.unwrap_or(leadc::time::TIMELESS);
    scorer.score_arrow_at(&arrow_leads, t, &mut from_arrow).unwrap();
    scorer.score_batch_at(&batch, t, &mut from_batch).unwrap();
    prop_assert_eq!(from_arrow.len(), read.len());
    for (row, lead) in read.iter().enumerate() {
        prop_assert_eq!(&arrow_leads.lead(schema, row).unwrap(), lead, "row {} reads back", row);
        prop_assert_eq!(from_arrow.outcome(row), from_batch.outcome(row), "row {}: {:?}", row, lead);
        prop_assert_eq!(&from_arrow.outcome(row), scorer.score_at(lead, t), "row {} vs the row VM", row);
    }
    Ok(())
}

#[test]
fn arrow_batch_and_row_vm_agree_on_generated_programs() {
    let cases = std::env::var("LEADC_DIFF_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200u32);
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let draws = std::cell::RefCell::new(TestRunner::deterministic());
    const SIZES: [usize; 4] = [1, 7, 64, 1000];
    let result = runner.run(
        &(generate::case_with(12, 0..13), prop::sample::select(&SIZES[..]), any::<u64>()),
        |(case, n, seed)| {
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
            let mut leads: Vec<Lead> = case.leads.iter().take(n).map(|g| g.build(&card.schema)).collect();
            while leads.len() < n {
                leads.push(strategy.new_tree(&mut draws.borrow_mut()).unwrap().current().build(&card.schema));
            }
            agree(&program, &leads, None, seed)
        },
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

const DAY: i64 = 86_400;
/// 2026-11-30T00:00:00Z.
const NOW: i64 = 1_796_083_200;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The timed example with events in each of their encodings.
    #[test]
    fn arrow_agrees_on_timed_rules_with_events(size in 1usize..300, seed in any::<u64>(), offset in -5 * DAY..5 * DAY) {
        let card = load_program(Path::new("examples/timed/timed.lead"), &mut Sources::new()).unwrap();
        let program = Program::compile(&card);
        let schema = &card.schema;
        let mut draw = Draw(seed);
        let leads: Vec<Lead> = (0..size)
            .map(|_| {
                let mut lead = Lead::new(schema);
                for b in 0..schema.behaviours().len() as u32 {
                    let id = BehaviourId(b);
                    if schema.is_event(id) {
                        let times: Vec<i64> = (0..draw.next(6))
                            .map(|_| NOW - draw.next(200) as i64 * DAY + draw.next(DAY as u64) as i64)
                            .collect();
                        lead.set_events(id, &times);
                    } else {
                        lead.set_count(id, draw.next(3) as u32);
                    }
                }
                lead
            })
            .collect();
        agree(&program, &leads, Some(NOW + offset), seed)?;
    }
}

#[test]
fn values_that_do_not_fit_are_row_problems_and_read_as_missing() {
    let program = leadc::load("examples/saas/saas.lead").unwrap();
    let schema = program.schema();
    let batch = RecordBatch::try_from_iter([
        ("age", Arc::new(StringArray::from(vec![Some("40"), Some("forty"), None, Some("  ")])) as ArrayRef),
        (
            "employees",
            Arc::new(Float64Array::from(vec![Some(120.0), Some(1.5), Some(f64::NAN), None])) as ArrayRef,
        ),
        ("demo_request", Arc::new(Int64Array::from(vec![1, -1, 0, 2])) as ArrayRef),
    ])
    .unwrap();
    let leads = ArrowLeads::new(schema, &batch).unwrap();
    let problems: Vec<String> = leads.problems().iter().map(|(row, e)| format!("row {row}: {e}")).collect();
    assert_eq!(
        problems,
        [
            "row 1: field `age`: `forty` is not an integer",
            "row 1: field `employees`: `1.5` is not an integer",
            "row 1: field `demo_request`: `-1` is not a count (a whole number from 0 to 4294967295)",
        ]
    );
    let age = schema.field_id("age").unwrap();
    let employees = schema.field_id("employees").unwrap();
    let row1 = leads.lead(schema, 1).unwrap();
    assert_eq!(row1.value(age), &Value::Missing);
    assert_eq!(row1.value(employees), &Value::Missing);
    assert_eq!(leads.lead(schema, 0).unwrap().value(employees), &Value::Int(120));
    assert_eq!(leads.lead(schema, 3).unwrap().value(age), &Value::Missing, "a blank string is missing");
}

#[test]
fn a_column_of_the_wrong_kind_or_name_is_refused_and_says_why() {
    let program = leadc::load("examples/saas/saas.lead").unwrap();
    let schema = program.schema();
    let of = |name: &str, array: ArrayRef| RecordBatch::try_from_iter([(name, array)]).unwrap();
    let wrong = of("region", Arc::new(Int64Array::from(vec![1])));
    let unknown = of("regoin", Arc::new(StringArray::from(vec!["EMEA"])));
    let errors: Vec<String> = [&wrong, &unknown]
        .iter()
        .map(|b| ArrowLeads::new(schema, b).map(|_| ()).unwrap_err().to_string())
        .collect();
    insta::assert_snapshot!(errors.join("\n"), @r"
    column `region` fills field `region` (enum) but holds Arrow `Int64`: expected strings (Utf8, LargeUtf8, Utf8View) or a dictionary of strings (cast the column before scoring)
    unknown field or behaviour `regoin` (did you mean `region`?)
    ");
    assert!(matches!(ArrowLeads::new(schema, &unknown), Err(ArrowError::Columns(_))));
    let ignored = ArrowLeads::with_mapping(schema, &unknown, UnknownColumns::Ignore, &[]).unwrap();
    assert_eq!(ignored.len(), 1);
    // Leads read for another schema are refused by the scorer.
    let other = leadc::load("examples/timed/timed.lead").unwrap();
    let empty = RecordBatch::new_empty(Arc::new(arrow_schema::Schema::empty()));
    let leads = ArrowLeads::new(other.schema(), &empty).unwrap();
    assert!(program.scorer().score_arrow(&leads, &mut Outcomes::default()).is_err());
}

#[test]
fn columns_already_in_leadcs_layout_are_not_copied() {
    let program = leadc::load("examples/saas/saas.lead").unwrap();
    let schema = program.schema();
    let batch = RecordBatch::try_from_iter([
        ("region", Arc::new(StringArray::from(vec!["EMEA", "APAC"])) as ArrayRef),
        ("industry", Arc::new(StringArray::from(vec!["Software", ""])) as ArrayRef),
        ("age", Arc::new(Int64Array::from(vec![40, 29])) as ArrayRef),
        ("demo_request", Arc::new(UInt32Array::from(vec![1, 0])) as ArrayRef),
        ("employees", Arc::new(Int32Array::from(vec![10, 20])) as ArrayRef),
    ])
    .unwrap();
    let leads = ArrowLeads::new(schema, &batch).unwrap();
    assert_eq!(
        leads.in_place(),
        3,
        "Utf8 (a string field), Int64 and UInt32 in place; the enum and Int32 converted"
    );
    let industry = schema.field_id("industry").unwrap();
    assert_eq!(leads.lead(schema, 1).unwrap().value(industry), &Value::Missing, "a blank string is missing");
}

#[test]
fn an_ignore_case_field_is_lowercased_and_copied_only_when_it_has_capitals() {
    let schema = Arc::new(Schema::builder().string_ignoring_case("title").behaviour("demo").build().unwrap());
    let source = "category ideal\nfit title = \"VP\" : 10\nfit title ends_with \" of IT\" : 5\n";
    let card =
        check_source(&mut Sources::new(), "ci.lead", source, SchemaSource::Given(schema.clone())).unwrap();
    let program = Program::compile(&card);
    let title = schema.field_id("title").unwrap();
    let score = |titles: Vec<&str>| {
        let batch =
            RecordBatch::try_from_iter([("title", Arc::new(StringArray::from(titles)) as ArrayRef)]).unwrap();
        let leads = ArrowLeads::new(&schema, &batch).unwrap();
        let mut out = Outcomes::default();
        program.scorer().score_arrow(&leads, &mut out).unwrap();
        let read: Vec<Value> =
            (0..out.len()).map(|r| leads.lead(&schema, r).unwrap().value(title).clone()).collect();
        (leads.in_place(), out.score().to_vec(), read)
    };
    let (in_place, scores, read) = score(vec!["VP", "head OF it", "Vp of Sales"]);
    assert_eq!(in_place, 0, "a column with capitals is copied");
    assert_eq!(scores, [10, 5, 0]);
    assert_eq!(
        read,
        [Value::Text("vp".into()), Value::Text("head of it".into()), Value::Text("vp of sales".into())]
    );
    let (in_place, scores, _) = score(vec!["vp", "head of it", "cto"]);
    assert_eq!((in_place, scores), (1, vec![10, 5, 0]), "a lowercase column is read in place");
}

#[test]
fn a_column_of_nulls_reads_as_no_column() {
    let program = leadc::load("examples/saas/saas.lead").unwrap();
    let region = Arc::new(StringArray::from(vec![Some("NA-West"), Some("EMEA")])) as ArrayRef;
    let nulls = Arc::new(arrow_array::NullArray::new(2)) as ArrayRef;
    let with_nulls = RecordBatch::try_from_iter([
        ("region", region.clone()),
        ("age", nulls.clone()),
        ("demo_request", nulls.clone()),
        ("web_visit", nulls),
    ])
    .unwrap();
    let without = RecordBatch::try_from_iter([("region", region)]).unwrap();
    let score = |batch: &RecordBatch| {
        let leads = ArrowLeads::new(program.schema(), batch).unwrap();
        assert!(leads.problems().is_empty());
        let mut out = Outcomes::default();
        program.scorer().score_arrow(&leads, &mut out).unwrap();
        (0..out.len()).map(|r| out.outcome(r)).collect::<Vec<_>>()
    };
    assert_eq!(score(&with_nulls), score(&without));
}

/// `leadc::scored`: one outcome row per input row, bad rows kept with the
/// CLI's message and null scores, good rows as the row VM scores them.
#[test]
fn scored_record_batches_keep_every_row() {
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    use arrow_array::types::Int64Type;
    let program = leadc::load("examples/saas/saas.lead").unwrap();
    let batch = RecordBatch::try_from_iter([
        ("Region", Arc::new(StringArray::from(vec![Some("NA-West"), Some("Mars"), None])) as ArrayRef),
        ("age", Arc::new(StringArray::from(vec![Some("40"), Some("old"), Some("30")])) as ArrayRef),
        ("id", Arc::new(Int64Array::from(vec![7, 8, 9])) as ArrayRef),
    ])
    .unwrap();
    let scored = leadc::scored::score_record_batch(&mut program.scorer(), &batch, &[], None).unwrap();
    assert_eq!(scored.schema(), leadc::scored::outcome_schema(&program));
    assert_eq!(scored.num_rows(), 3);
    let error = scored.column_by_name("error").unwrap().as_string::<i32>();
    assert!(error.is_null(0) && error.is_null(2));
    assert_eq!(
        error.value(1),
        "column `region`: `Mars` is not one of `NA-West`, `NA-East`, `EMEA`, `APAC`, `LATAM`; \
         column `age`: `old` is not an integer"
    );
    let leads = ArrowLeads::with_mapping(program.schema(), &batch, UnknownColumns::Ignore, &[]).unwrap();
    let score = scored.column_by_name("score").unwrap().as_primitive::<Int64Type>();
    let rank = scored.column_by_name("rank").unwrap().as_primitive::<Int64Type>();
    let tier = scored.column_by_name("tier").unwrap().as_string::<i32>();
    for row in [0, 2] {
        let want = program.evaluate(&leads.lead(program.schema(), row).unwrap());
        assert_eq!(score.value(row), want.score);
        assert_eq!(rank.value(row), want.score - i64::from(want.segment) * 1000);
        assert_eq!(tier.is_valid(row), want.tier.is_some());
    }
    assert!(score.is_null(1) && rank.is_null(1) && tier.is_null(1));
    let last = scored.num_columns() - 1;
    assert!(scored.columns()[..last].iter().all(|c| c.is_null(1)), "a bad row has no scores");
    assert!(scored.columns()[..last].iter().all(|c| c.is_valid(0)), "a good row has every score");
    let columns: Vec<_> = scored.schema().fields().iter().map(|f| f.name().clone()).collect();
    assert_eq!(columns[..3], ["score", "rank", "points"]);
    assert_eq!(columns.last().map(String::as_str), Some("error"));
}

/// pandas and polars hand strings over as `LargeUtf8`: read in place, as
/// `Utf8` is, and scored alike.
#[test]
fn large_strings_are_read_in_place() {
    let program = leadc::load("examples/saas/saas.lead").unwrap();
    let titles = vec![Some("VP Sales"), None, Some("  "), Some("CTO")];
    let small =
        RecordBatch::try_from_iter([("title", Arc::new(StringArray::from(titles.clone())) as ArrayRef)]);
    let large = RecordBatch::try_from_iter([("title", Arc::new(LargeStringArray::from(titles)) as ArrayRef)]);
    let (small, large) = (small.unwrap(), large.unwrap());
    let score = |batch: &RecordBatch| {
        let leads = ArrowLeads::new(program.schema(), batch).unwrap();
        assert_eq!(leads.in_place(), 1);
        let mut out = Outcomes::default();
        program.scorer().score_arrow(&leads, &mut out).unwrap();
        let rows: Vec<_> = (0..out.len()).map(|r| out.outcome(r)).collect();
        let one_by_one: Vec<_> =
            (0..out.len()).map(|r| program.evaluate(&leads.lead(program.schema(), r).unwrap())).collect();
        assert_eq!(rows, one_by_one);
        rows
    };
    assert_eq!(score(&large), score(&small));
    let sliced = large.slice(1, 3);
    assert_eq!(score(&sliced), score(&small.slice(1, 3)));
}
