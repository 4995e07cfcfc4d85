//! One CSV cell into a lead or a batch row.
//!
//! In: a cell's text and what its column fills (a field, a count, an
//! event list). Out: the value set in a [`Lead`] or in a [`Batch`]'s last
//! row, or the error naming the column, the cell and what was expected.
//! Counts are read here; fields by the lead's and the batch's own parsers.

use super::InputError;
use crate::lead::{Batch, Lead, ValueError};
use crate::schema::{BehaviourId, FieldId, Intake, Schema};

/// What a CSV record fills: a reused lead, or a batch's last row.
pub(super) trait Target {
    fn set_text(&mut self, schema: &Schema, field: FieldId, text: &str) -> Result<(), ValueError>;
    fn set_events_text(
        &mut self,
        schema: &Schema,
        behaviour: BehaviourId,
        text: &str,
    ) -> Result<(), ValueError>;
    fn set_count(&mut self, behaviour: BehaviourId, count: u32);
}

impl Target for Lead {
    fn set_text(&mut self, schema: &Schema, field: FieldId, text: &str) -> Result<(), ValueError> {
        Lead::set_text(self, schema, field, text)
    }
    fn set_events_text(&mut self, schema: &Schema, b: BehaviourId, text: &str) -> Result<(), ValueError> {
        Lead::set_events_text(self, schema, b, text)
    }
    fn set_count(&mut self, behaviour: BehaviourId, count: u32) {
        Lead::set_count(self, behaviour, count);
    }
}

impl Target for Batch {
    fn set_text(&mut self, schema: &Schema, field: FieldId, text: &str) -> Result<(), ValueError> {
        Batch::set_text(self, schema, field, text)
    }
    fn set_events_text(&mut self, schema: &Schema, b: BehaviourId, text: &str) -> Result<(), ValueError> {
        Batch::set_events_text(self, schema, b, text)
    }
    fn set_count(&mut self, behaviour: BehaviourId, count: u32) {
        Batch::set_count(self, behaviour, count);
    }
}

/// A count from a cell: empty or a declared missing token is 0.
pub(super) fn parse_count(intake: &Intake, column: &str, cell: &str) -> Result<u32, InputError> {
    count_of(intake, cell).ok_or_else(|| count_error(column, cell))
}

/// A count from a cell, or `None` when it is not one.
#[inline]
pub(super) fn count_of(intake: &Intake, cell: &str) -> Option<u32> {
    if let [digit @ b'0'..=b'9'] = cell.as_bytes()
        && intake.missing.is_empty()
    {
        return Some(u32::from(digit - b'0'));
    }
    let text = crate::schema::trim_cell(cell);
    if intake.is_missing(text) {
        return Some(0);
    }
    intake.whole(text)
}

/// The error for a cell that is not a count.
pub(super) fn count_error(column: &str, cell: &str) -> InputError {
    InputError::Value(ValueError {
        field: column.to_string(),
        value: cell.to_string(),
        expected: "a count (a whole number from 0 to 4294967295)".to_string(),
    })
}
