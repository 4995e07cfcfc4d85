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
use arrow_array::types::{Int64Type, UInt8Type, UInt32Type};
use arrow_array::{
    ArrayRef, ArrowPrimitiveType, BooleanArray, Int64Array, PrimitiveArray, RecordBatch, StringArray,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
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
    let scored = scorer.score_arrow_at(&leads, as_of.unwrap_or(TIMELESS), &mut outcomes);
    // The leads were read with the scorer's own schema.
    debug_assert!(scored.is_ok());
    let errors = row_errors(&leads);
    outcome_batch(program, &outcomes, &errors)
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

/// Each row's problems, joined as the CLI's `error` column joins them
/// (`None`: the row was read whole).
fn row_errors(leads: &ArrowLeads<'_>) -> Vec<Option<String>> {
    let mut errors: Vec<Option<String>> = vec![None; leads.len()];
    for (row, problem) in leads.problems() {
        let message = InputError::Value(problem.clone()).in_column();
        match &mut errors[*row] {
            Some(text) => {
                text.push_str("; ");
                text.push_str(&message);
            }
            slot => *slot = Some(message),
        }
    }
    errors
}

fn outcome_batch(
    program: &Program,
    outcomes: &Outcomes,
    errors: &[Option<String>],
) -> Result<RecordBatch, ArrowError> {
    let good: Vec<bool> = errors.iter().map(Option::is_none).collect();
    let all_good = good.iter().all(|&g| g);
    let int = |values: &[i64]| -> ArrayRef {
        match all_good {
            true => Arc::new(Int64Array::from(values.to_vec())),
            false => Arc::new(masked::<Int64Type>(values, &good)),
        }
    };
    let rank: Vec<i64> =
        outcomes.score().iter().zip(outcomes.segment()).map(|(s, g)| s - i64::from(*g) * 1000).collect();
    let tier: StringArray = outcomes
        .tier()
        .iter()
        .zip(&good)
        .map(|(&t, &g)| if g && t != Outcomes::NO_TIER { program.tier_name(t as usize) } else { None })
        .collect();
    let qualified: BooleanArray =
        outcomes.qualified().iter().zip(&good).map(|(&q, &g)| g.then_some(q)).collect();
    let mut columns: Vec<ArrayRef> = vec![
        int(outcomes.score()),
        int(&rank),
        int(outcomes.points()),
        Arc::new(tier),
        Arc::new(qualified),
        Arc::new(masked::<UInt8Type>(outcomes.segment(), &good)),
        Arc::new(masked::<UInt32Type>(outcomes.requires_met(), &good)),
    ];
    columns.extend((0..program.categories().len()).map(|c| int(outcomes.category(c))));
    columns.push(Arc::new(errors.iter().map(Option::as_deref).collect::<StringArray>()));
    RecordBatch::try_new(outcome_schema(program), columns).map_err(|e| ArrowError::Output(e.to_string()))
}

/// `values`, null where `good` is false.
fn masked<T: ArrowPrimitiveType>(values: &[T::Native], good: &[bool]) -> PrimitiveArray<T> {
    values.iter().zip(good).map(|(v, &g)| g.then_some(*v)).collect()
}
