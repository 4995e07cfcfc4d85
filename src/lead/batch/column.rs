//! A batch's columns: one typed column per field.
//!
//! In: values for the last row of a column. Out: the column's values laid
//! out as Apache Arrow lays them out (values, a presence bitmap, strings as
//! end offsets into one buffer), and cells read back by row for the VM.

use super::BatchError;
use super::view::{Bits, ColumnView, EventsView, ValuesView};
use crate::lead::{Value, ValueError, not_a};
use crate::schema::{Field, FieldId, FieldType, Intake, trim_cell};
/// One field's column: its values and which rows have one.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub(crate) values: Values,
    /// Bit `r` (least significant first, as in Apache Arrow) is set when
    /// row `r` has a value.
    pub(crate) present: Bitmap,
    /// Whether its strings are stored lowercased (the field ignores case).
    pub(crate) fold: bool,
}

/// A column's values, by the field's type; a missing row holds a zero
/// value (an empty string).
#[derive(Debug, Clone)]
pub(crate) enum Values {
    Int(Vec<i64>),
    Number(Vec<f64>),
    Bool(Bitmap),
    Enum {
        values: Vec<u32>,
        count: u32,
    },
    /// Row `r`'s string is `bytes[offsets[r]..offsets[r + 1]]`; the
    /// offsets start at 0 and hold one more entry than there are rows.
    Text {
        offsets: Vec<i32>,
        bytes: String,
    },
}

/// A bitmap, least significant bit first, in bytes (as in Apache Arrow).
#[derive(Debug, Clone, Default)]
pub(crate) struct Bitmap(pub(super) Vec<u8>);

impl Bitmap {
    /// `n` bits, all off.
    #[cfg(feature = "arrow")]
    pub(crate) fn off(n: usize) -> Bitmap {
        Bitmap(vec![0; n.div_ceil(8)])
    }

    /// The bitmap as a view.
    #[inline(always)]
    pub(crate) fn bits(&self) -> Bits<'_> {
        Bits::new(&self.0, 0)
    }

    pub(crate) fn set(&mut self, row: usize, on: bool) {
        if let Some(b) = self.0.get_mut(row / 8) {
            *b = (*b & !(1 << (row % 8))) | (u8::from(on) << (row % 8));
        }
    }

    /// Makes room for row `row`, off.
    pub(super) fn push(&mut self, row: usize) {
        if row.is_multiple_of(8) {
            self.0.push(0);
        } else {
            self.set(row, false);
        }
    }

    pub(super) fn clear(&mut self) {
        self.0.clear();
    }

    /// Keeps rows `..rows`.
    pub(super) fn truncate(&mut self, rows: usize) {
        self.0.truncate(rows.div_ceil(8));
    }

    /// Makes room for rows `rows..rows + n`, off (`rows`: the rows so far).
    fn extend(&mut self, rows: usize, n: usize) {
        if !rows.is_multiple_of(8)
            && let Some(last) = self.0.get_mut(rows / 8)
        {
            *last &= (1 << (rows % 8)) - 1;
        }
        self.0.resize((rows + n).div_ceil(8), 0);
    }
}

/// One behaviour's events: row `r`'s timestamps are
/// `times[offsets[r]..offsets[r + 1]]`; the offsets start at 0 and hold
/// one more entry than there are rows.
#[derive(Debug, Clone)]
pub(crate) struct Events {
    pub(crate) offsets: Vec<i32>,
    pub(crate) times: Vec<i64>,
}

impl Default for Events {
    fn default() -> Events {
        Events { offsets: vec![0], times: Vec::new() }
    }
}

impl Events {
    pub(crate) fn view(&self) -> EventsView<'_> {
        EventsView { offsets: &self.offsets, times: &self.times }
    }

    pub(super) fn clear(&mut self) {
        self.offsets.truncate(1);
        self.times.clear();
    }

    /// Where the last row's events start.
    pub(super) fn last_start(&self) -> usize {
        self.offsets.len().checked_sub(2).and_then(|p| self.offsets.get(p)).map_or(0, |&o| o as usize)
    }

    /// Sets where the last row's events end.
    pub(super) fn set_last_end(&mut self, end: i32) {
        if let Some(last) = self.offsets.last_mut() {
            *last = end;
        }
    }
}

impl Column {
    pub(crate) fn new(field: &Field) -> Column {
        let values = match &field.ty {
            FieldType::String => Values::Text { offsets: vec![0], bytes: String::new() },
            FieldType::Int => Values::Int(Vec::new()),
            FieldType::Number => Values::Number(Vec::new()),
            FieldType::Bool => Values::Bool(Bitmap::default()),
            FieldType::Enum(values) => Values::Enum { values: Vec::new(), count: values.len() as u32 },
        };
        Column { values, present: Bitmap::default(), fold: field.ignore_case }
    }

    /// Whether the column holds values of type `ty`.
    pub(super) fn fits(&self, ty: &FieldType) -> bool {
        match (&self.values, ty) {
            (Values::Text { .. }, FieldType::String)
            | (Values::Int(_), FieldType::Int)
            | (Values::Number(_), FieldType::Number)
            | (Values::Bool(_), FieldType::Bool) => true,
            (Values::Enum { count, .. }, FieldType::Enum(values)) => *count as usize == values.len(),
            _ => false,
        }
    }

    pub(super) fn type_name(&self) -> &'static str {
        match self.values {
            Values::Int(_) => "int",
            Values::Number(_) => "number",
            Values::Bool(_) => "bool",
            Values::Enum { .. } => "enum",
            Values::Text { .. } => "string",
        }
    }

    pub(super) fn clear(&mut self) {
        self.present.clear();
        match &mut self.values {
            Values::Int(v) => v.clear(),
            Values::Number(v) => v.clear(),
            Values::Bool(v) => v.clear(),
            Values::Enum { values, .. } => values.clear(),
            Values::Text { offsets, bytes } => {
                offsets.truncate(1);
                bytes.clear();
            }
        }
    }

    /// Appends row `row`, missing.
    pub(super) fn push(&mut self, row: usize) {
        self.present.push(row);
        match &mut self.values {
            Values::Int(v) => v.push(0),
            Values::Number(v) => v.push(0.0),
            Values::Bool(v) => v.push(row),
            Values::Enum { values, .. } => values.push(0),
            // `set_last` keeps the bytes within `i32` offsets.
            Values::Text { offsets, bytes } => offsets.push(bytes.len() as i32),
        }
    }

    /// Appends rows `rows..rows + n`, missing, as `n` pushes would.
    pub(crate) fn extend(&mut self, rows: usize, n: usize) {
        self.present.extend(rows, n);
        match &mut self.values {
            Values::Int(v) => v.resize(rows + n, 0),
            Values::Number(v) => v.resize(rows + n, 0.0),
            Values::Bool(v) => v.extend(rows, n),
            Values::Enum { values, .. } => values.resize(rows + n, 0),
            Values::Text { offsets, bytes } => offsets.resize(rows + n + 1, bytes.len() as i32),
        }
    }

    /// Sets the last row, `row`, to `value` (missing: `None`).
    pub(super) fn set(
        &mut self,
        row: usize,
        field: FieldId,
        value: Option<&Value>,
    ) -> Result<(), BatchError> {
        let mismatch = BatchError::Mismatch { field, expected: self.type_name() };
        let present = value.is_some();
        match (&mut self.values, value) {
            (Values::Int(v), Some(Value::Int(x))) => put(v, row, *x),
            (Values::Number(v), Some(Value::Number(x))) => put(v, row, *x),
            (Values::Bool(v), Some(Value::Bool(x))) => v.set(row, *x),
            (Values::Enum { values, count }, Some(Value::Enum(x))) if x < count => put(values, row, *x),
            (Values::Text { offsets, bytes }, Some(Value::Text(x))) => {
                set_last(offsets, bytes, x, self.fold)?
            }
            (Values::Int(v), None) => put(v, row, 0),
            (Values::Number(v), None) => put(v, row, 0.0),
            (Values::Bool(v), None) => v.set(row, false),
            (Values::Enum { values, .. }, None) => put(values, row, 0),
            (Values::Text { offsets, bytes }, None) => set_last(offsets, bytes, "", false)?,
            _ => return Err(mismatch),
        }
        self.present.set(row, present);
        Ok(())
    }

    /// Parses `text` by the column's type (field `def`'s) into the last
    /// row, `row`, as [`crate::lead::parse`] reads it, straight into the
    /// column (no [`Value`] on the way). On an error the row is unchanged.
    #[inline]
    pub(super) fn set_text(
        &mut self,
        row: usize,
        def: &Field,
        intake: &Intake,
        text: &str,
    ) -> Result<(), ValueError> {
        if let Values::Text { offsets, bytes } = &mut self.values {
            let present = !intake.is_missing(trim_cell(text));
            set_last(offsets, bytes, if present { text } else { "" }, self.fold)
                .map_err(|e| too_long(def, text, e))?;
            self.present.set(row, present);
            return Ok(());
        }
        self.parse_into(row, def, intake, text)
    }

    /// Parses `text` into row `row` (any row) of a column that does not
    /// hold strings, as [`crate::lead::parse`] reads it. On an error the
    /// row is unchanged.
    #[inline]
    fn parse_into(&mut self, row: usize, def: &Field, intake: &Intake, text: &str) -> Result<(), ValueError> {
        let trimmed = trim_cell(text);
        if intake.is_missing(trimmed) {
            self.set_missing(row);
            return Ok(());
        }
        let Column { values, present, .. } = self;
        let set = match (values, &def.ty) {
            (Values::Int(v), _) => intake.whole(trimmed).map(|n| put(v, row, n)).is_some(),
            (Values::Number(v), _) => intake.number(trimmed).map(|n| put(v, row, n)).is_some(),
            (Values::Bool(v), _) => intake.boolean(trimmed).map(|b| v.set(row, b)).is_some(),
            (Values::Enum { values, .. }, FieldType::Enum(names)) => {
                intake.enum_index(names, trimmed).map(|i| put(values, row, i as u32)).is_some()
            }
            (Values::Enum { .. } | Values::Text { .. }, _) => false,
        };
        if !set {
            return Err(not_a(def, intake, text));
        }
        present.set(row, true);
        Ok(())
    }

    /// Fills rows `first..` from their cells in row order (`None`: the
    /// record has no such cell; the row stays missing), as
    /// [`Column::set_text`] on each row in turn; `bad` gets each row's
    /// error (its index from `first`). The rows must be the column's last
    /// ones, all missing.
    pub(crate) fn fill<'a>(
        &mut self,
        first: usize,
        def: &Field,
        intake: &Intake,
        cells: impl Iterator<Item = Option<&'a str>>,
        mut bad: impl FnMut(usize, ValueError),
    ) {
        let Column { values, present, fold } = self;
        let cells_in = (first, def, intake);
        let (offsets, bytes) = match (values, &def.ty) {
            (Values::Text { offsets, bytes }, _) => (offsets, bytes),
            (Values::Int(v), _) => {
                return fill_parsed(present, cells_in, cells, bad, |row, t| {
                    intake.whole(t).map(|n| put(v, row, n)).is_some()
                });
            }
            (Values::Number(v), _) => {
                return fill_parsed(present, cells_in, cells, bad, |row, t| {
                    intake.number(t).map(|n| put(v, row, n)).is_some()
                });
            }
            (Values::Bool(v), _) => {
                return fill_parsed(present, cells_in, cells, bad, |row, t| {
                    intake.boolean(t).map(|b| v.set(row, b)).is_some()
                });
            }
            (Values::Enum { values, .. }, FieldType::Enum(names)) => {
                return fill_parsed(present, cells_in, cells, bad, |row, t| {
                    intake.enum_index(names, t).map(|i| put(values, row, i as u32)).is_some()
                });
            }
            (Values::Enum { .. }, _) => return fill_parsed(present, cells_in, cells, bad, |_, _| false),
        };
        for (i, cell) in cells.enumerate() {
            let row = first + i;
            if let Some(text) = cell.filter(|t| !intake.is_missing(trim_cell(t))) {
                let before = bytes.len();
                push_text(bytes, text, *fold);
                if end(bytes.len()).is_ok() {
                    present.set(row, true);
                } else {
                    bytes.truncate(before);
                    bad(i, too_long(def, text, BatchError::TooLarge));
                }
            }
            // Rows are filled in order: this row's string ends where the
            // bytes do now (`end` checked them).
            put(offsets, row + 1, bytes.len() as i32);
        }
    }

    /// Makes the last row, `row`, missing.
    fn set_missing(&mut self, row: usize) {
        self.present.set(row, false);
        match &mut self.values {
            Values::Int(v) => put(v, row, 0),
            Values::Number(v) => put(v, row, 0.0),
            Values::Bool(v) => v.set(row, false),
            Values::Enum { values, .. } => put(values, row, 0),
            // Shortening a string cannot outgrow the offsets.
            Values::Text { offsets, bytes } => {
                let _ = set_last(offsets, bytes, "", false);
            }
        }
    }

    /// The column as the evaluator reads it.
    #[inline(always)]
    pub(crate) fn view(&self) -> ColumnView<'_> {
        let values = match &self.values {
            Values::Int(v) => ValuesView::Int(v),
            Values::Number(v) => ValuesView::Number(v),
            Values::Bool(v) => ValuesView::Bool(v.bits()),
            Values::Enum { values, .. } => ValuesView::Enum(values),
            Values::Text { offsets, bytes } => ValuesView::Text { offsets, bytes },
        };
        ColumnView { values, present: self.present.bits() }
    }
}

/// Fills fresh rows `first..` of a column that does not hold strings from
/// their cells: `set` parses a trimmed cell into its row, `false` when it
/// does not parse (the row stays missing and `bad` gets the error). A
/// missing cell leaves its row as it is: missing.
#[inline(always)]
fn fill_parsed<'a>(
    present: &mut Bitmap,
    (first, def, intake): (usize, &Field, &Intake),
    cells: impl Iterator<Item = Option<&'a str>>,
    mut bad: impl FnMut(usize, ValueError),
    mut set: impl FnMut(usize, &str) -> bool,
) {
    for (i, cell) in cells.enumerate() {
        let Some(text) = cell else { continue };
        let trimmed = trim_cell(text);
        if intake.is_missing(trimmed) {
            continue;
        }
        if set(first + i, trimmed) {
            present.set(first + i, true);
        } else {
            bad(i, not_a(def, intake, text));
        }
    }
}

/// The error for a string that would outgrow a batch's offsets.
fn too_long(def: &Field, text: &str, e: BatchError) -> ValueError {
    ValueError { field: def.name.clone(), value: format!("{} bytes", text.len()), expected: e.to_string() }
}

/// Sets `column[row]` (every column has a slot for each pushed row).
pub(super) fn put<T>(column: &mut [T], row: usize, value: T) {
    if let Some(slot) = column.get_mut(row) {
        *slot = value;
    }
}

/// An offset that fits the `i32` offsets.
pub(super) fn end(len: usize) -> Result<i32, BatchError> {
    i32::try_from(len).map_err(|_| BatchError::TooLarge)
}

/// Replaces the last row's string (with `text` lowercased, when `fold`).
pub(super) fn set_last(
    offsets: &mut [i32],
    bytes: &mut String,
    text: &str,
    fold: bool,
) -> Result<(), BatchError> {
    let start = offsets.len().checked_sub(2).and_then(|p| offsets.get(p)).map_or(0, |&o| o as usize);
    bytes.truncate(start);
    push_text(bytes, text, fold);
    let new_end = end(bytes.len()).inspect_err(|_| bytes.truncate(start))?;
    if let Some(last) = offsets.last_mut() {
        *last = new_end;
    }
    Ok(())
}

/// Appends `text` to `bytes`, lowercased when `fold`.
#[inline]
fn push_text(bytes: &mut String, text: &str, fold: bool) {
    match fold {
        false => bytes.push_str(text),
        true => crate::lead::fold_into(bytes, text),
    }
}
