//! Counts from CSV cells.
//!
//! In: a count column's cell. Out: the count (an empty cell or a declared
//! missing token is 0), or the error naming the column and the cell.
//! Fields are read by the lead's and the batch's own parsers.

use super::InputError;
use crate::lead::ValueError;
use crate::schema::Intake;

/// A count from a cell: empty or a declared missing token is 0.
pub(super) fn parse_count(intake: &Intake, column: &str, cell: &str) -> Result<u32, InputError> {
    count_of(intake, cell).ok_or_else(|| count_error(column, cell))
}

/// A count from a cell, or `None` when it is not one.
#[inline]
pub(crate) fn count_of(intake: &Intake, cell: &str) -> Option<u32> {
    let text = crate::schema::trim_cell(cell);
    if intake.is_missing(text) {
        return Some(0);
    }
    intake.whole(text)
}

/// The error for a cell that is not a count.
pub(super) fn count_error(column: &str, cell: &str) -> InputError {
    InputError::Value(not_a_count(column, cell))
}

/// The problem of a cell of `column` that is not a count.
pub(crate) fn not_a_count(column: &str, cell: &str) -> ValueError {
    ValueError {
        field: column.to_string(),
        value: cell.to_string(),
        expected: "a count (a whole number from 0 to 4294967295)".to_string(),
    }
}
