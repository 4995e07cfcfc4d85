//! Arrow values out: `--keep` cells as text, and scored record batches.
//!
//! In: input Arrow arrays (the kept columns) and a batch's outcomes. Out:
//! a kept cell as text for CSV and NDJSON output ([`push_cell`]), or a
//! record batch holding the kept columns as they were (not converted) and
//! the score columns, for Parquet output ([`ScoredBatch`]).

use super::output::{Kept, RowFormat, Scores};
use arrow_array::builder::{BooleanBuilder, Int64Builder, StringBuilder, UInt8Builder, UInt32Builder};
use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use leadc::input::cell_text;
use leadc::outcome::Explanation;
use leadc::program::Program;
use std::fmt::Write as _;
use std::sync::Arc;

/// How a kept cell reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Null: an empty CSV cell, JSON `null`.
    Null,
    /// Text: a CSV cell, a JSON string.
    Text,
    /// A number or boolean: a CSV cell, a JSON literal as written.
    Literal,
}

/// Whether `push_cell` can write values of this type.
pub fn writable(ty: &DataType) -> bool {
    match ty {
        DataType::Dictionary(_, values) => writable(values),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Boolean => true,
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, _) => true,
        DataType::List(item) | DataType::LargeList(item) => writable(item.data_type()),
        t => t.is_integer() || t.is_floating(),
    }
}

/// Appends row `row` of `array` to `out` as text.
pub fn push_cell(array: &dyn Array, row: usize, out: &mut String) -> CellKind {
    if array.is_null(row) {
        return CellKind::Null;
    }
    macro_rules! signed {
        ($t:ty) => {{
            let x = i64::from(array.as_primitive::<$t>().value(row));
            push_digits(out, x < 0, x.unsigned_abs());
            CellKind::Literal
        }};
    }
    macro_rules! unsigned {
        ($t:ty) => {{
            push_digits(out, false, u64::from(array.as_primitive::<$t>().value(row)));
            CellKind::Literal
        }};
    }
    match array.data_type() {
        DataType::Utf8 => out.push_str(array.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => out.push_str(array.as_string::<i64>().value(row)),
        DataType::Utf8View => out.push_str(array.as_string_view().value(row)),
        DataType::Boolean => {
            out.push_str(if array.as_boolean().value(row) { "true" } else { "false" });
            return CellKind::Literal;
        }
        DataType::Int8 => return signed!(Int8Type),
        DataType::Int16 => return signed!(Int16Type),
        DataType::Int32 => return signed!(Int32Type),
        DataType::Int64 => return signed!(Int64Type),
        DataType::UInt8 => return unsigned!(UInt8Type),
        DataType::UInt16 => return unsigned!(UInt16Type),
        DataType::UInt32 => return unsigned!(UInt32Type),
        DataType::UInt64 => return unsigned!(UInt64Type),
        DataType::Float32 => return finite(array.as_primitive::<Float32Type>().value(row).into(), out),
        DataType::Float64 => return finite(array.as_primitive::<Float64Type>().value(row), out),
        DataType::Date32 => {
            let days = i64::from(array.as_primitive::<Date32Type>().value(row));
            push_date(days * 86_400, out);
        }
        DataType::Date64 => push_date(array.as_primitive::<Date64Type>().value(row).div_euclid(1000), out),
        DataType::Timestamp(unit, _) => {
            let (t, per_second) = match unit {
                TimeUnit::Second => (array.as_primitive::<TimestampSecondType>().value(row), 1),
                TimeUnit::Millisecond => (array.as_primitive::<TimestampMillisecondType>().value(row), 1_000),
                TimeUnit::Microsecond => {
                    (array.as_primitive::<TimestampMicrosecondType>().value(row), 1_000_000)
                }
                TimeUnit::Nanosecond => {
                    (array.as_primitive::<TimestampNanosecondType>().value(row), 1_000_000_000)
                }
            };
            out.push_str(&leadc::time::format_instant(t.div_euclid(per_second)));
        }
        DataType::Dictionary(_, _) => {
            let Some(d) = array.as_any_dictionary_opt() else { return CellKind::Null };
            let values = d.values();
            if values.is_empty() {
                return CellKind::Null;
            }
            let key = d.normalized_keys().get(row).copied().unwrap_or(0);
            return push_cell(values.as_ref(), key, out);
        }
        // A list as a CSV event cell writes it: items `;`-separated, a null
        // item empty.
        DataType::List(_) => push_items(array.as_list::<i32>().value(row).as_ref(), out),
        DataType::LargeList(_) => push_items(array.as_list::<i64>().value(row).as_ref(), out),
        _ => return CellKind::Null,
    }
    CellKind::Text
}

/// Appends a list's items, `;`-separated.
fn push_items(items: &dyn Array, out: &mut String) {
    for i in 0..items.len() {
        if i > 0 {
            out.push(';');
        }
        push_cell(items, i, out);
    }
}

/// Appends `n`'s decimal digits, after a `-` when `negative`.
fn push_digits(out: &mut String, negative: bool, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if negative {
        out.push('-');
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

fn finite(x: f64, out: &mut String) -> CellKind {
    if !x.is_finite() {
        return CellKind::Null;
    }
    let _ = write!(out, "{x}");
    CellKind::Literal
}

fn push_date(seconds: i64, out: &mut String) {
    let text = leadc::time::format_instant(seconds);
    out.push_str(text.split('T').next().unwrap_or(&text));
}

/// The output columns of one scored record batch, built row by row.
pub struct ScoredBatch {
    score: Int64Builder,
    rank: Int64Builder,
    points: Int64Builder,
    tier: StringBuilder,
    qualified: BooleanBuilder,
    segment: UInt8Builder,
    requires_met: UInt32Builder,
    categories: Vec<Int64Builder>,
    fired: Option<StringBuilder>,
    error: StringBuilder,
    /// The input rows, in output order.
    rows: Vec<u32>,
}

impl ScoredBatch {
    /// Empty columns for `program`'s outcomes (`fired` with `--explain`).
    pub fn new(program: &Program, explain: bool) -> ScoredBatch {
        ScoredBatch {
            score: Int64Builder::new(),
            rank: Int64Builder::new(),
            points: Int64Builder::new(),
            tier: StringBuilder::new(),
            qualified: BooleanBuilder::new(),
            segment: UInt8Builder::new(),
            requires_met: UInt32Builder::new(),
            categories: program.categories().iter().map(|_| Int64Builder::new()).collect(),
            fired: explain.then(StringBuilder::new),
            error: StringBuilder::new(),
            rows: Vec::new(),
        }
    }

    /// Appends input row `row`, scored (with its explanation under
    /// `--explain`).
    pub fn scored(
        &mut self,
        row: usize,
        scores: Scores,
        explanation: Option<&Explanation>,
        rows: &RowFormat,
    ) {
        self.rows.push(row as u32);
        self.score.append_value(scores.score());
        self.rank.append_value(scores.rank());
        self.points.append_value(scores.points());
        self.tier.append_option(scores.tier().and_then(|t| rows.program().tier_name(t)));
        self.qualified.append_value(scores.qualified());
        self.segment.append_value(scores.segment());
        self.requires_met.append_value(scores.requires_met());
        for (c, b) in self.categories.iter_mut().enumerate() {
            b.append_value(scores.capped(c));
        }
        if let Some(fired) = &mut self.fired {
            let mut text = Vec::new();
            if let Some(e) = explanation {
                rows.fired_csv(&mut text, e);
            }
            fired.append_value(String::from_utf8_lossy(&text));
        }
        self.error.append_null();
    }

    /// Appends input row `row`, which could not be scored.
    pub fn errored(&mut self, row: usize, message: &str) {
        self.rows.push(row as u32);
        self.score.append_null();
        self.rank.append_null();
        self.points.append_null();
        self.tier.append_null();
        self.qualified.append_null();
        self.segment.append_null();
        self.requires_met.append_null();
        self.categories.iter_mut().for_each(Int64Builder::append_null);
        if let Some(fired) = &mut self.fired {
            fired.append_null();
        }
        self.error.append_value(message);
    }

    /// The record batch: `kept` (the input's kept columns, taken at the
    /// output's rows), then the score columns, then `error`.
    pub fn finish(
        mut self,
        program: &Program,
        kept: &[(String, ArrayRef)],
    ) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let indices = arrow_array::UInt32Array::from(std::mem::take(&mut self.rows));
        let mut fields = Vec::new();
        let mut columns: Vec<ArrayRef> = Vec::new();
        for (name, array) in kept {
            fields.push(Field::new(name, array.data_type().clone(), true));
            columns.push(arrow_select::take::take(array.as_ref(), &indices, None)?);
        }
        let mut push = |name: String, array: ArrayRef| {
            fields.push(Field::new(name, array.data_type().clone(), true));
            columns.push(array);
        };
        push("score".into(), Arc::new(self.score.finish()));
        push("rank".into(), Arc::new(self.rank.finish()));
        push("points".into(), Arc::new(self.points.finish()));
        push("tier".into(), Arc::new(self.tier.finish()));
        push("qualified".into(), Arc::new(self.qualified.finish()));
        push("segment".into(), Arc::new(self.segment.finish()));
        push("requires_met".into(), Arc::new(self.requires_met.finish()));
        for (name, mut b) in program.category_names().zip(self.categories) {
            push(format!("{name}_points"), Arc::new(b.finish()));
        }
        if let Some(mut fired) = self.fired {
            push("fired".into(), Arc::new(fired.finish()));
        }
        push("error".into(), Arc::new(self.error.finish()));
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
    }
}

/// The `--keep` cells of a text input's rows, as string columns.
pub struct KeptText {
    names: Vec<String>,
    columns: Vec<StringBuilder>,
}

impl KeptText {
    /// Empty columns named `names`.
    pub fn new(names: &[String]) -> KeptText {
        KeptText { names: names.to_vec(), columns: names.iter().map(|_| StringBuilder::new()).collect() }
    }

    /// Appends one row's kept cells (an absent NDJSON key is null).
    pub fn push(&mut self, cells: &[Kept]) {
        for (column, cell) in self.columns.iter_mut().zip(cells) {
            match cell {
                Kept::Text(t) | Kept::Literal(t) => column.append_value(t),
                Kept::Json(None) => column.append_null(),
                Kept::Json(Some(raw)) => column.append_value(cell_text(raw)),
            }
        }
    }

    /// The columns, with their names.
    pub fn finish(self) -> Vec<(String, ArrayRef)> {
        self.names
            .into_iter()
            .zip(self.columns)
            .map(|(n, mut c)| (n, Arc::new(c.finish()) as ArrayRef))
            .collect()
    }
}

/// The bad rows of `batch` (input rows `rows`) with their `row` number
/// (from 1) and `error` first, then every input column as it was: the
/// error file of a Parquet input, which loses nothing.
pub fn error_rows(
    batch: &RecordBatch,
    rows: &[(u32, u64, String)],
) -> Result<RecordBatch, arrow_schema::ArrowError> {
    let indices = arrow_array::UInt32Array::from(rows.iter().map(|r| r.0).collect::<Vec<_>>());
    let mut fields =
        vec![Field::new("row", DataType::UInt64, false), Field::new("error", DataType::Utf8, false)];
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(arrow_array::UInt64Array::from(rows.iter().map(|r| r.1).collect::<Vec<_>>())),
        Arc::new(arrow_array::StringArray::from(rows.iter().map(|r| r.2.as_str()).collect::<Vec<_>>())),
    ];
    for (field, array) in batch.schema().fields().iter().zip(batch.columns()) {
        fields.push(field.as_ref().clone().with_nullable(true));
        columns.push(arrow_select::take::take(array.as_ref(), &indices, None)?);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_written_as_display_writes_them() {
        for x in [0i64, 7, -7, 10, 99, -100, 1_234_567, i64::MAX, i64::MIN] {
            let mut out = String::new();
            push_digits(&mut out, x < 0, x.unsigned_abs());
            assert_eq!(out, x.to_string());
        }
        let mut out = String::new();
        push_digits(&mut out, false, u64::MAX);
        assert_eq!(out, u64::MAX.to_string());
    }
}
