//! CSV records read into a batch column by column.
//!
//! In: a [`CsvLayout`] and many records' cells at once (a chunk of a
//! file). Out: one new [`Batch`] row per record, each column filled by one
//! loop over the records (its type matched once per column, not once per
//! cell), and each record's problems — the values and problems
//! [`CsvLayout::fill_reporting`] gives each record in a [`crate::Lead`].
//! [`CsvLayout::push_reporting`] is this reader on one record.

use super::cell::{count_error, count_of};
use super::{Column, CsvLayout, InputError};
use crate::lead::Batch;
use crate::schema::Schema;

impl CsvLayout {
    /// Appends one row of `batch` (of `schema`) per record and fills them
    /// column by column. Record `r`'s cells are
    /// `cells[ends[r - 1]..ends[r]]` (from 0 for the first). Every record
    /// gets its row whatever its problems; `problems` gets each record's
    /// problems as `(record index, problem)`, in record order and, within
    /// a record, in the order [`CsvLayout::fill_reporting`] gives them. The
    /// rows' values and problems are those of `fill_reporting` on each
    /// record in turn.
    ///
    /// ```
    /// use leadc::Batch;
    /// use leadc::input::{CsvLayout, UnknownColumns};
    /// use leadc::schema::{FieldType, Schema};
    /// let schema = Schema::builder().field("age", FieldType::Int).behaviour("demo").build().unwrap();
    /// let layout = CsvLayout::new(&schema, ["age", "demo"], UnknownColumns::Error).unwrap();
    /// let mut batch = Batch::new(&schema);
    /// let (cells, ends) = (["40", "1", "forty", "0", "7"], [2, 4, 5]);
    /// let mut problems = Vec::new();
    /// layout.push_records(&schema, &mut batch, &cells, &ends, &mut problems);
    /// assert_eq!(batch.len(), 3);
    /// let found: Vec<(usize, String)> = problems.iter().map(|(r, e)| (*r, e.to_string())).collect();
    /// assert_eq!(found[0], (1, "field `age`: `forty` is not an integer".to_string()));
    /// assert_eq!(found[1], (2, "a record has 1 cells but the header has 2".to_string()));
    /// ```
    pub fn push_records(
        &self,
        schema: &Schema,
        batch: &mut Batch,
        cells: &[&str],
        ends: &[usize],
        problems: &mut Vec<(usize, InputError)>,
    ) {
        let record = |r: usize| {
            let start = r.checked_sub(1).and_then(|p| ends.get(p)).copied().unwrap_or(0);
            ends.get(r).and_then(|&end| cells.get(start..end)).unwrap_or(&[])
        };
        let first = batch.push_missing(ends.len());
        // (record, place within the record, problem); place 0 is the
        // record's length, then one per column.
        let mut found = Vec::new();
        for r in 0..ends.len() {
            if record(r).len() != self.columns.len() {
                found.push((r, 0, self.length_error(record(r).len())));
            }
        }
        // Most chunks hold records of the header's length only: then cell
        // `c` of record `r` is `cells[r × width + c]`.
        let width = self.columns.len();
        let uniform = width > 0
            && cells.len() == ends.len() * width
            && ends.iter().enumerate().all(|(r, &end)| end == (r + 1) * width);
        for (c, target) in self.columns.iter().enumerate() {
            if uniform {
                let column_cells = cells.iter().skip(c).step_by(width).map(|&cell| Some(cell));
                fill_column(schema, batch, first, (c, target), column_cells, &mut found);
            } else {
                let column_cells = (0..ends.len()).map(|r| record(r).get(c).copied());
                fill_column(schema, batch, first, (c, target), column_cells, &mut found);
            }
        }
        found.sort_by_key(|&(r, place, _)| (r, place));
        problems.extend(found.into_iter().map(|(r, _, e)| (r, e)));
    }
}

/// Fills the batch rows `first..` from column `c`'s cells (`None`: a
/// record too short to have one), by what the column fills; each bad cell
/// goes to `found` as (record, `c + 1`, problem).
fn fill_column<'a>(
    schema: &Schema,
    batch: &mut Batch,
    first: usize,
    (c, (column, name)): (usize, &(Column, String)),
    cells: impl Iterator<Item = Option<&'a str>>,
    found: &mut Vec<(usize, usize, InputError)>,
) {
    match *column {
        Column::Field(f) => batch.fill_field(schema, f, first, cells, |r, mut e| {
            e.field.clone_from(name);
            found.push((r, c + 1, InputError::Value(e)));
        }),
        Column::Behaviour(b) if schema.is_event(b) => {
            batch.fill_events(schema, b, first, cells, |r, e| found.push((r, c + 1, InputError::Value(e))));
        }
        Column::Behaviour(b) => {
            let intake = schema.intake();
            for (r, (slot, cell)) in batch.counts_from(b, first).iter_mut().zip(cells).enumerate() {
                let Some(cell) = cell else { continue };
                match count_of(intake, cell) {
                    Some(n) => *slot = n,
                    None => found.push((r, c + 1, count_error(name, cell))),
                }
            }
        }
        Column::Ignored => {}
    }
}
