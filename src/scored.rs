//! Scored record batches: Arrow leads in, Arrow outcomes out.
//!
//! In: an Arrow [`RecordBatch`] of leads, its columns named as
//! [`ArrowLeads`] reads them (exact names, the schema's `[columns]`, a
//! mapping, loose names; other columns are ignored), and a [`Scorer`].
//! Out: a record batch with one row per input row, in the input's order,
//! holding the columns `leadc score` writes after the kept ones — `score`,
//! `rank`, `points`, `tier`, `qualified`, `segment`, `requires_met`, one
//! `<category>_points` per category, and `error` — with the values it
//! writes. A row whose values cannot be read is not dropped: its scores are
//! null and `error` says what is wrong, as in the CLI's output.
//!
//! The leads are scored by the batch engine, in place where the columns
//! allow it; the outcome columns are copied out of [`Outcomes`] whole.
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{Array, Int64Array, RecordBatch, StringArray};
//! let program = leadc::load("examples/saas/saas.lead")?;
//! let region = StringArray::from(vec![Some("EMEA"), Some("Mars")]);
//! let age = Int64Array::from(vec![Some(40), None]);
//! let batch = RecordBatch::try_from_iter([
//!     ("region", Arc::new(region) as _),
//!     ("age", Arc::new(age) as _),
//! ])?;
//! let scored = leadc::scored::score_record_batch(&mut program.scorer(), &batch, &[], None)?;
//! assert_eq!(scored.num_rows(), 2);
//! let error = scored.column_by_name("error").unwrap();
//! assert!(error.is_null(0) && error.is_valid(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::input::arrow::{ArrowError, ArrowLeads};
use crate::input::{InputError, UnknownColumns};
use crate::program::{Program, Scorer};
use crate::time::TIMELESS;
use crate::vm::outcome::Outcomes;
use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, BooleanArray, Int64Array, RecordBatch, StringArray, UInt8Array, UInt32Array};
use arrow_buffer::{BooleanBuffer, NullBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Scores every row of `batch` as of `as_of` (`None`: timeless, every
/// event counts fully) into a record batch of [`outcome_schema`], one row
/// per input row. `mapping` pairs a column name with the field or
/// behaviour it fills (as `leadc score --map`). Fails only when a column
/// cannot be read at all: two columns for one field, or an Arrow type that
/// cannot hold its field's values.
pub fn score_record_batch(
    scorer: &mut Scorer<'_>,
    batch: &RecordBatch,
    mapping: &[(String, String)],
    as_of: Option<i64>,
) -> Result<RecordBatch, ArrowError> {
    let program = scorer.program();
    let leads = ArrowLeads::with_mapping(program.schema(), batch, UnknownColumns::Ignore, mapping)?;
    let mut outcomes = Outcomes::default();
    // Cannot fail: the leads were read with the scorer's own schema.
    scorer
        .score_arrow_at(&leads, as_of.unwrap_or(TIMELESS), &mut outcomes)
        .map_err(|e| ArrowError::Output(e.to_string()))?;
    let errors = row_errors(&leads);
    outcome_batch(program, outcomes, &errors)
}

/// The columns [`score_record_batch`] returns, for `program`.
pub fn outcome_schema(program: &Program) -> SchemaRef {
    let mut fields = vec![
        Field::new("score", DataType::Int64, true),
        Field::new("rank", DataType::Int64, true),
        Field::new("points", DataType::Int64, true),
        Field::new("tier", DataType::Utf8, true),
        Field::new("qualified", DataType::Boolean, true),
        Field::new("segment", DataType::UInt8, true),
        Field::new("requires_met", DataType::UInt32, true),
    ];
    fields.extend(
        program.category_names().map(|name| Field::new(format!("{name}_points"), DataType::Int64, true)),
    );
    fields.push(Field::new("error", DataType::Utf8, true));
    Arc::new(Schema::new(fields))
}

/// Each bad row's problems, joined as the CLI's `error` column joins
/// them, by row.
fn row_errors(leads: &ArrowLeads<'_>) -> BTreeMap<usize, String> {
    let mut errors = BTreeMap::new();
    for (row, problem) in leads.problems() {
        let message = InputError::Value(problem.clone()).in_column();
        errors
            .entry(*row)
            .and_modify(|text: &mut String| {
                text.push_str("; ");
                text.push_str(&message);
            })
            .or_insert(message);
    }
    errors
}

/// The outcome columns, their buffers taken from `outcomes` (not copied);
/// the rows in `errors` are null but for `error`.
fn outcome_batch(
    program: &Program,
    mut outcomes: Outcomes,
    errors: &BTreeMap<usize, String>,
) -> Result<RecordBatch, ArrowError> {
    let rows = outcomes.len();
    let nulls = (!errors.is_empty()).then(|| {
        let mut good = vec![true; rows];
        errors.keys().for_each(|&row| good[row] = false);
        NullBuffer::from(good)
    });
    let take = |values: &mut Vec<i64>| -> ArrayRef {
        Arc::new(Int64Array::new(ScalarBuffer::from(std::mem::take(values)), nulls.clone()))
    };
    let rank: Vec<i64> =
        outcomes.score.iter().zip(&outcomes.segment).map(|(s, g)| s - i64::from(*g) * 1000).collect();
    let tier = tier_column(program, &outcomes.tier, nulls.as_ref());
    let qualified = BooleanArray::new(BooleanBuffer::from(outcomes.qualified.as_slice()), nulls.clone());
    let segment = UInt8Array::new(ScalarBuffer::from(std::mem::take(&mut outcomes.segment)), nulls.clone());
    let requires =
        UInt32Array::new(ScalarBuffer::from(std::mem::take(&mut outcomes.requires_met)), nulls.clone());
    let mut columns: Vec<ArrayRef> = vec![
        take(&mut outcomes.score),
        take(&mut { rank }),
        take(&mut outcomes.points),
        Arc::new(tier),
        Arc::new(qualified),
        Arc::new(segment),
        Arc::new(requires),
    ];
    // The categories' capped totals lie one after another in one buffer.
    let capped: ScalarBuffer<i64> = ScalarBuffer::from(std::mem::take(&mut outcomes.capped));
    for c in 0..program.categories().len() {
        let values = capped.slice(c * rows, rows);
        columns.push(Arc::new(Int64Array::new(values, nulls.clone())));
    }
    columns.push(Arc::new(error_column(rows, errors)));
    RecordBatch::try_new(outcome_schema(program), columns).map_err(|e| ArrowError::Output(e.to_string()))
}

/// The tier names, looked up once per tier rather than per row.
fn tier_column(program: &Program, tiers: &[u32], nulls: Option<&NullBuffer>) -> StringArray {
    let names: Vec<&str> = program.tiers().iter().map(|t| t.name.as_str()).collect();
    let bytes = tiers.iter().map(|&t| names.get(t as usize).map_or(0, |n| n.len())).sum();
    let mut column = StringBuilder::with_capacity(tiers.len(), bytes);
    for (row, &t) in tiers.iter().enumerate() {
        match names.get(t as usize) {
            Some(name) if nulls.is_none_or(|n| n.is_valid(row)) => column.append_value(name),
            _ => column.append_null(),
        }
    }
    column.finish()
}

fn error_column(rows: usize, errors: &BTreeMap<usize, String>) -> StringArray {
    if errors.is_empty() {
        return StringArray::new_null(rows);
    }
    let mut column = StringBuilder::with_capacity(rows, errors.values().map(String::len).sum());
    for row in 0..rows {
        match errors.get(&row) {
            Some(text) => column.append_value(text),
            None => column.append_null(),
        }
    }
    column.finish()
}
