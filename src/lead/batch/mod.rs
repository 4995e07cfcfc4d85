//! Batches: many leads at once, one column per field.
//!
//! In: leads row by row — values set by field id or parsed from text by
//! the field's type (as [`Lead`] does), or whole [`Lead`]s copied in. Out: a
//! [`Batch`]: per field one typed column (ints, numbers, bools, enum
//! indices, or strings as offsets into one byte buffer) with a presence
//! bitmap; per behaviour a column of counts and its events as offsets into
//! one column of timestamps. The batch evaluator reads one field's column
//! in one pass (`crate::vm::batch`), and finds in it each value's cell
//! (`crate::lead::cell`) as the row evaluator finds it in a lead.
//!
//! A batch is reused: [`Batch::clear`] keeps every buffer, so refilling
//! a batch no larger than before allocates nothing.

mod column;
mod view;

#[cfg(feature = "arrow")]
pub(crate) use column::Bitmap;
pub(crate) use column::{Column, Events, Values};
#[cfg(feature = "arrow")]
pub(crate) use view::Bits;
pub(crate) use view::{ColumnView, Columns, EventsView, Offset, ValuesView, span, text_cell};

use super::{Lead, Value, ValueError, push_instants};
use crate::schema::{BehaviourId, FieldId, Schema};
use column::{end, set_last};
use std::fmt;

/// Many leads of one schema, stored column by column.
///
/// Rows are added with [`Batch::push`], which appends a lead with every
/// field missing, every count 0 and no events; the setters then fill that
/// last row. Values must fit their field's type: the columns are typed.
///
/// ```
/// use leadc::{Batch, Outcomes};
/// let program = leadc::load("examples/saas/saas.lead")?;
/// let schema = program.schema();
/// let (region, age) = (schema.field_id("region").unwrap(), schema.field_id("age").unwrap());
/// let mut batch = Batch::new(schema);
/// for (r, a) in [("EMEA", "40"), ("APAC", ""), ("NA-West", "29")] {
///     batch.push();
///     batch.set_text(schema, region, r)?;
///     batch.set_text(schema, age, a)?;
/// }
/// let mut outcomes = Outcomes::default();
/// program.scorer().score_batch(&batch, &mut outcomes)?;
/// assert_eq!(outcomes.len(), 3);
/// assert_eq!(outcomes.outcome(0), program.evaluate(&batch.lead(schema, 0).unwrap()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Batch {
    rows: usize,
    columns: Vec<Column>,
    counts: Vec<Vec<u32>>,
    events: Vec<Events>,
}

/// Why a value could not go into a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchError {
    /// A setter was called before the first [`Batch::push`].
    NoRow,
    /// The field id is not in the batch's schema.
    NoField(FieldId),
    /// The value is not of the field's type.
    Mismatch {
        /// The field.
        field: FieldId,
        /// The field's type, as the schema names it.
        expected: &'static str,
    },
    /// The batch was built for another schema than the program's.
    Schema,
    /// The batch's strings or events outgrew 2 GiB (`i32` offsets, as
    /// Apache Arrow's): score it in smaller batches.
    TooLarge,
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchError::NoRow => write!(f, "the batch has no row to set: call `Batch::push` first"),
            BatchError::NoField(id) => write!(f, "field #{} is not in the batch's schema", id.0),
            BatchError::Mismatch { field, expected } => {
                write!(f, "field #{}: the value is not of the field's type ({expected})", field.0)
            }
            BatchError::Schema => write!(
                f,
                "the batch was built for another schema than the program's: build it with \
                 `Batch::new(program.schema())`"
            ),
            BatchError::TooLarge => {
                write!(f, "the batch's strings or events exceed 2 GiB: score it in smaller batches")
            }
        }
    }
}

impl std::error::Error for BatchError {}

impl Batch {
    /// An empty batch for leads of `schema`.
    pub fn new(schema: &Schema) -> Batch {
        let behaviours = schema.behaviours().len();
        Batch {
            rows: 0,
            columns: schema.fields().iter().map(Column::new).collect(),
            counts: vec![Vec::new(); behaviours],
            events: vec![Events::default(); behaviours],
        }
    }

    /// How many leads it holds.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether it holds no lead.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Removes every lead, keeping the buffers.
    pub fn clear(&mut self) {
        self.rows = 0;
        self.columns.iter_mut().for_each(Column::clear);
        self.counts.iter_mut().for_each(Vec::clear);
        self.events.iter_mut().for_each(Events::clear);
    }

    /// Appends a lead with every field missing, every count 0 and no
    /// events; returns its row. The setters fill this last row.
    pub fn push(&mut self) -> usize {
        let row = self.rows;
        self.columns.iter_mut().for_each(|c| c.push(row));
        self.counts.iter_mut().for_each(|c| c.push(0));
        for events in &mut self.events {
            events.offsets.push(events.times.len() as i32);
        }
        self.rows += 1;
        row
    }

    /// The last row, or [`BatchError::NoRow`].
    fn last(&self) -> Result<usize, BatchError> {
        self.rows.checked_sub(1).ok_or(BatchError::NoRow)
    }

    /// Sets the last row's field to `value`, which must be of the field's
    /// type (an enum index below its number of values); `Value::Missing`
    /// makes it missing.
    pub fn set(&mut self, field: FieldId, value: &Value) -> Result<(), BatchError> {
        let row = self.last()?;
        let column = self.columns.get_mut(field.0 as usize).ok_or(BatchError::NoField(field))?;
        let value = (!matches!(value, Value::Missing)).then_some(value);
        column.set(row, field, value)
    }

    /// Sets the last row's string field to `text` exactly as given (an
    /// empty text is a present, empty string).
    pub fn set_str(&mut self, field: FieldId, text: &str) -> Result<(), BatchError> {
        let row = self.last()?;
        let column = self.columns.get_mut(field.0 as usize).ok_or(BatchError::NoField(field))?;
        match &mut column.values {
            Values::Text { offsets, bytes } => set_last(offsets, bytes, text, column.fold)?,
            _ => return Err(BatchError::Mismatch { field, expected: column.type_name() }),
        }
        column.present.set(row, true);
        Ok(())
    }

    /// Parses `text` by the field's type and sets it in the last row, as
    /// [`Lead::set_text`] does (an empty text is missing). Ignored for an id
    /// outside the schema, and before the first [`Batch::push`].
    pub fn set_text(&mut self, schema: &Schema, field: FieldId, text: &str) -> Result<(), ValueError> {
        let (Some(def), Ok(row)) = (schema.field(field), self.last()) else { return Ok(()) };
        match self.columns.get_mut(field.0 as usize) {
            Some(column) => column.set_text(row, def, schema.intake(), text),
            None => Ok(()),
        }
    }

    /// Sets the last row's count of a behaviour (ignored for an id outside
    /// the schema, and before the first [`Batch::push`]).
    pub fn set_count(&mut self, behaviour: BehaviourId, count: u32) {
        if let Some(slot) = self.counts.get_mut(behaviour.0 as usize).and_then(|c| c.last_mut()) {
            *slot = count;
        }
    }

    /// Adds one event to the last row's behaviour and 1 to its count, as
    /// [`Lead::push_event`] does.
    pub fn push_event(&mut self, behaviour: BehaviourId, time: i64) -> Result<(), BatchError> {
        self.last()?;
        let Some(events) = self.events.get_mut(behaviour.0 as usize) else { return Ok(()) };
        let len = end(events.times.len() + 1)?;
        events.times.push(time);
        events.set_last_end(len);
        if let Some(count) = self.counts.get_mut(behaviour.0 as usize).and_then(|c| c.last_mut()) {
            *count = count.saturating_add(1);
        }
        Ok(())
    }

    /// Sets the last row's events of a behaviour and its count to their
    /// number, as [`Lead::set_events`] does.
    pub fn set_events(&mut self, behaviour: BehaviourId, times: &[i64]) -> Result<(), BatchError> {
        self.last()?;
        let Some(events) = self.events.get_mut(behaviour.0 as usize) else { return Ok(()) };
        let start = events.last_start();
        let len = end(start + times.len())?;
        events.times.truncate(start);
        events.times.extend_from_slice(times);
        events.set_last_end(len);
        self.set_count(behaviour, times.len() as u32);
        Ok(())
    }

    /// Parses a `;`-separated list of timestamps and sets them as the last
    /// row's events of a behaviour, as [`Lead::set_events_text`] does (an
    /// empty or blank text is no events). On an error the row's events are
    /// unchanged. Ignored for an id outside the schema, and before the
    /// first [`Batch::push`].
    pub fn set_events_text(
        &mut self,
        schema: &Schema,
        behaviour: BehaviourId,
        text: &str,
    ) -> Result<(), ValueError> {
        let name = schema.behaviour(behaviour).unwrap_or("?");
        let Some(events) = self.events.get_mut(behaviour.0 as usize).filter(|_| self.rows > 0) else {
            return Ok(());
        };
        let start = events.last_start();
        let old = events.times.len();
        push_instants(&mut events.times, name, text)?;
        let n = events.times.len() - old;
        let Ok(len) = end(start + n) else {
            events.times.truncate(old);
            return Err(ValueError {
                field: name.to_string(),
                value: format!("{n} events"),
                expected: BatchError::TooLarge.to_string(),
            });
        };
        events.times.drain(start..old);
        events.set_last_end(len);
        self.set_count(behaviour, n as u32);
        Ok(())
    }

    /// Appends `n` leads with every field missing, every count 0 and no
    /// events, as `n` calls of [`Batch::push`] would; returns the first
    /// new row. The `fill_*` methods then fill these rows column by column.
    pub(crate) fn push_missing(&mut self, n: usize) -> usize {
        let first = self.rows;
        self.columns.iter_mut().for_each(|c| c.extend(first, n));
        self.counts.iter_mut().for_each(|c| c.resize(first + n, 0));
        for events in &mut self.events {
            let end = events.times.len() as i32;
            events.offsets.resize(first + n + 1, end);
        }
        self.rows += n;
        first
    }

    /// Fills field `field`'s column for rows `first..` (the last rows, all
    /// missing) from their cells, in row order, as [`Batch::set_text`] on
    /// each row would; `bad` gets each bad cell's row (from `first`) and
    /// error.
    pub(crate) fn fill_field<'a>(
        &mut self,
        schema: &Schema,
        field: FieldId,
        first: usize,
        cells: impl Iterator<Item = Option<&'a str>>,
        bad: impl FnMut(usize, ValueError),
    ) {
        if let (Some(def), Some(column)) = (schema.field(field), self.columns.get_mut(field.0 as usize)) {
            column.fill(first, def, schema.intake(), cells, bad);
        }
    }

    /// Fills an event behaviour's lists for rows `first..` (the last rows,
    /// with no events) from their cells, in row order, as
    /// [`Batch::set_events_text`] on each row would.
    pub(crate) fn fill_events<'a>(
        &mut self,
        schema: &Schema,
        behaviour: BehaviourId,
        first: usize,
        cells: impl Iterator<Item = Option<&'a str>>,
        mut bad: impl FnMut(usize, ValueError),
    ) {
        let name = schema.behaviour(behaviour).unwrap_or("?");
        let b = behaviour.0 as usize;
        let (Some(events), Some(counts)) = (self.events.get_mut(b), self.counts.get_mut(b)) else { return };
        for (i, cell) in cells.enumerate() {
            let row = first + i;
            let before = events.times.len();
            if let Some(text) = cell
                && let Err(e) = push_instants(&mut events.times, name, text)
            {
                bad(i, e);
            }
            let Ok(len) = end(events.times.len()) else {
                events.times.truncate(before);
                bad(
                    i,
                    ValueError {
                        field: name.to_string(),
                        value: format!("{} events", events.times.len() - before),
                        expected: BatchError::TooLarge.to_string(),
                    },
                );
                // `before` was the previous row's end, which fitted.
                column::put(&mut events.offsets, row + 1, before as i32);
                continue;
            };
            column::put(&mut events.offsets, row + 1, len);
            column::put(counts, row, (events.times.len() - before) as u32);
        }
    }

    /// A behaviour's counts from row `first` on (empty outside the
    /// schema), for filling them column by column.
    pub(crate) fn counts_from(&mut self, behaviour: BehaviourId, first: usize) -> &mut [u32] {
        self.counts.get_mut(behaviour.0 as usize).and_then(|c| c.get_mut(first..)).unwrap_or(&mut [])
    }

    /// Appends a copy of `lead` (of the batch's schema); returns its row.
    /// On an error (a value of another type than its field's) nothing is
    /// appended.
    pub fn push_lead(&mut self, lead: &Lead) -> Result<usize, BatchError> {
        let row = self.push();
        let copied = self.copy_lead(lead);
        if copied.is_err() {
            self.pop();
        }
        copied.map(|()| row)
    }

    fn copy_lead(&mut self, lead: &Lead) -> Result<(), BatchError> {
        for (i, value) in lead.values().iter().enumerate() {
            self.set(FieldId(i as u32), value)?;
        }
        for b in 0..self.counts.len() {
            let id = BehaviourId(b as u32);
            self.set_events(id, lead.events(id))?;
            self.set_count(id, lead.count(id));
        }
        Ok(())
    }

    /// Removes the last row.
    fn pop(&mut self) {
        if let Some(row) = self.rows.checked_sub(1) {
            self.truncate(row);
        }
    }

    /// Keeps the first `rows` rows.
    fn truncate(&mut self, rows: usize) {
        if rows >= self.rows {
            return;
        }
        for column in &mut self.columns {
            match &mut column.values {
                Values::Int(v) => v.truncate(rows),
                Values::Number(v) => v.truncate(rows),
                Values::Bool(bits) => bits.truncate(rows),
                Values::Enum { values, .. } => values.truncate(rows),
                Values::Text { offsets, bytes } => {
                    offsets.truncate(rows + 1);
                    bytes.truncate(offsets.last().map_or(0, |&o| o as usize));
                }
            }
            column.present.truncate(rows);
        }
        for counts in &mut self.counts {
            counts.truncate(rows);
        }
        for events in &mut self.events {
            events.offsets.truncate(rows + 1);
            events.times.truncate(events.offsets.last().map_or(0, |&o| o as usize));
        }
        self.rows = rows;
    }

    /// Row `row` as a [`Lead`] of `schema` (the batch's), if there is
    /// such a row.
    pub fn lead(&self, schema: &Schema, row: usize) -> Option<Lead> {
        if row >= self.rows {
            return None;
        }
        let mut lead = Lead::new(schema);
        for (i, column) in self.columns.iter().enumerate() {
            lead.set(FieldId(i as u32), column.view().value(row));
        }
        for b in 0..self.counts.len() {
            let id = BehaviourId(b as u32);
            lead.set_events(id, self.events(id, row));
            lead.set_count(id, self.count(id, row));
        }
        Some(lead)
    }

    /// Whether the batch's columns are those of `schema`'s fields.
    pub(crate) fn fits(&self, schema: &Schema) -> bool {
        self.columns.len() == schema.fields().len()
            && self.counts.len() == schema.behaviours().len()
            && self.columns.iter().zip(schema.fields()).all(|(c, f)| c.fits(&f.ty))
    }

    /// Row `row`'s count of `behaviour`.
    pub(crate) fn count(&self, behaviour: BehaviourId, row: usize) -> u32 {
        self.counts(behaviour.0).get(row).copied().unwrap_or(0)
    }

    /// Row `row`'s events of `behaviour`, in the order they were given.
    pub fn events(&self, behaviour: BehaviourId, row: usize) -> &[i64] {
        self.events.get(behaviour.0 as usize).map_or(&[], |e| e.view().row(row))
    }
}

impl Columns for Batch {
    #[inline(always)]
    fn rows(&self) -> usize {
        self.rows
    }

    #[inline(always)]
    fn column(&self, field: u32) -> Option<ColumnView<'_>> {
        self.columns.get(field as usize).map(Column::view)
    }

    #[inline(always)]
    fn counts(&self, behaviour: u32) -> &[u32] {
        self.counts.get(behaviour as usize).map_or(&[], Vec::as_slice)
    }

    #[inline(always)]
    fn events(&self, behaviour: u32) -> Option<EventsView<'_>> {
        self.events.get(behaviour as usize).map(Events::view)
    }
}
