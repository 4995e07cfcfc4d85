//! Column views: a batch's columns as borrowed slices.
//!
//! In: columns in Apache Arrow's layout, from a [`super::Batch`] or from
//! Arrow arrays (`crate::lead::arrow`). Out: the one shape the batch
//! evaluator reads ([`Columns`]): per field a [`ColumnView`] (values, a
//! presence bitmap with a bit offset, strings as `n + 1` offsets into one
//! buffer), per behaviour a count column and its events as `n + 1`
//! offsets into one column of timestamps. A view copies nothing.

use crate::lead::Value;
use crate::lead::cell::Cell;

/// A bitmap, least significant bit first, from bit `offset` of `bytes`
/// (Arrow's validity and boolean layout).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bits<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Bits<'a> {
    /// The bits from bit `offset` of `bytes`.
    pub(crate) fn new(bytes: &'a [u8], offset: usize) -> Bits<'a> {
        Bits { bytes, offset }
    }

    /// Bit `row` (off past the end).
    #[inline(always)]
    pub(crate) fn get(self, row: usize) -> bool {
        let i = self.offset + row;
        self.bytes.get(i / 8).is_some_and(|b| b >> (i % 8) & 1 == 1)
    }
}

/// One field's column: its values and which rows have one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ColumnView<'a> {
    pub(crate) values: ValuesView<'a>,
    pub(crate) present: Bits<'a>,
}

/// A column's values, by the field's type; a missing row holds any value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ValuesView<'a> {
    Int(&'a [i64]),
    Number(&'a [f64]),
    Bool(Bits<'a>),
    Enum(&'a [u32]),
    /// Row `r`'s string is `bytes[offsets[r]..offsets[r + 1]]`.
    Text {
        offsets: &'a [i32],
        bytes: &'a str,
    },
    /// As `Text`, with 64-bit offsets (Arrow's `LargeUtf8`, which pandas
    /// and polars hand over).
    LargeText {
        offsets: &'a [i64],
        bytes: &'a str,
    },
}

impl<'a> ColumnView<'a> {
    /// The cell of row `row`'s value.
    #[inline(always)]
    pub(crate) fn cell(self, row: usize) -> Cell {
        if !self.present.get(row) {
            return Cell::NONE;
        }
        match self.values {
            ValuesView::Int(v) => Cell::new(Cell::INT, v.get(row).copied().unwrap_or(0) as u64),
            ValuesView::Number(v) => Cell::new(Cell::NUMBER, v.get(row).copied().unwrap_or(0.0).to_bits()),
            ValuesView::Bool(v) => Cell::new(Cell::BOOL, u64::from(v.get(row))),
            ValuesView::Enum(v) => Cell::new(Cell::ENUM, u64::from(v.get(row).copied().unwrap_or(0))),
            ValuesView::Text { offsets, bytes } => {
                let (from, to) = span(offsets, row);
                text_cell(bytes.as_bytes(), from, to)
            }
            ValuesView::LargeText { offsets, bytes } => {
                let (from, to) = span(offsets, row);
                text_cell(bytes.as_bytes(), from, to)
            }
        }
    }

    /// Row `row`'s string, when the column holds strings and the row has one.
    #[inline(always)]
    pub(crate) fn text(self, row: usize) -> Option<&'a str> {
        match self.values {
            ValuesView::Text { offsets, bytes } if self.present.get(row) => {
                let (from, to) = span(offsets, row);
                Some(bytes.get(from..to).unwrap_or(""))
            }
            ValuesView::LargeText { offsets, bytes } if self.present.get(row) => {
                let (from, to) = span(offsets, row);
                Some(bytes.get(from..to).unwrap_or(""))
            }
            _ => None,
        }
    }

    /// Row `row`'s value.
    pub(crate) fn value(self, row: usize) -> Value {
        if !self.present.get(row) {
            return Value::Missing;
        }
        match self.values {
            ValuesView::Int(v) => Value::Int(v.get(row).copied().unwrap_or(0)),
            ValuesView::Number(v) => Value::Number(v.get(row).copied().unwrap_or(0.0)),
            ValuesView::Bool(v) => Value::Bool(v.get(row)),
            ValuesView::Enum(v) => Value::Enum(v.get(row).copied().unwrap_or(0)),
            ValuesView::Text { .. } | ValuesView::LargeText { .. } => {
                Value::Text(self.text(row).unwrap_or("").to_string())
            }
        }
    }
}

/// One behaviour's events: row `r`'s timestamps are
/// `times[offsets[r]..offsets[r + 1]]`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventsView<'a> {
    pub(crate) offsets: &'a [i32],
    pub(crate) times: &'a [i64],
}

impl<'a> EventsView<'a> {
    /// Row `row`'s timestamps.
    #[inline(always)]
    pub(crate) fn row(self, row: usize) -> &'a [i64] {
        let (from, to) = span(self.offsets, row);
        self.times.get(from..to).unwrap_or(&[])
    }
}

/// Row `row`'s range in a buffer, from `n + 1` offsets (empty past the
/// end, or for offsets out of order).
#[inline(always)]
pub(crate) fn span<O: Offset>(offsets: &[O], row: usize) -> (usize, usize) {
    let from = offsets.get(row).map_or(0, |&o| o.at());
    let to = offsets.get(row + 1).map_or(from, |&o| o.at());
    (from, to.max(from))
}

/// An Arrow string offset: `i32` or `i64`.
pub(crate) trait Offset: Copy {
    /// The byte position (a negative offset, which no valid array holds,
    /// reads as 0).
    fn at(self) -> usize;
}

impl Offset for i32 {
    #[inline(always)]
    fn at(self) -> usize {
        usize::try_from(self).unwrap_or(0)
    }
}

impl Offset for i64 {
    #[inline(always)]
    fn at(self) -> usize {
        usize::try_from(self).unwrap_or(0)
    }
}

/// The cell of the string `bytes[from..end]`, read as one 16-byte load
/// when the buffer has sixteen bytes from `from` (else copied).
#[inline(always)]
pub(crate) fn text_cell(bytes: &[u8], from: usize, end: usize) -> Cell {
    let len = end.saturating_sub(from);
    let head = match bytes.get(from..from + 16) {
        Some(sixteen) => {
            let word = u128::from_le_bytes(sixteen.try_into().unwrap_or([0; 16]));
            let mask = if len >= 16 { u128::MAX } else { (1u128 << (len * 8)) - 1 };
            word & mask
        }
        None => {
            let mut head = [0u8; 16];
            let text = bytes.get(from..end).unwrap_or(&[]);
            let n = text.len().min(16);
            head[..n].copy_from_slice(&text[..n]);
            u128::from_le_bytes(head)
        }
    };
    Cell { tag: len as u64, word: head as u64, tail: (head >> 64) as u64 }
}

/// Leads stored column by column, as the batch evaluator reads them.
pub(crate) trait Columns {
    /// How many leads.
    fn rows(&self) -> usize;
    /// Field `field`'s column (`None`: every row missing).
    fn column(&self, field: u32) -> Option<ColumnView<'_>>;
    /// Behaviour `behaviour`'s counts, one per row (empty: all 0).
    fn counts(&self, behaviour: u32) -> &[u32];
    /// Behaviour `behaviour`'s events (`None`: no row has any).
    fn events(&self, behaviour: u32) -> Option<EventsView<'_>>;
}
