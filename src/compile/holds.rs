//! What a test instruction means: whether it holds for a lead's field.
//!
//! In: a [`Test`] (from an instruction), the bytecode's constant pools
//! (strings, text and enum sets), and a lead's values and cells. Out: true
//! or false, exactly as docs/language.md defines each test. The VM runs
//! these per lead; the plan runs them once per class of values to decide a
//! field's tests ahead of time — one definition for both.

use super::bytecode::Bytecode;
use super::opcode::Test;
use crate::lead::cell::{Cell, equal};
use crate::lead::{Lead, Value};

#[inline(always)]
pub(crate) fn slot(values: &[Value], field: u32) -> &Value {
    values.get(field as usize).unwrap_or(&Value::Missing)
}

/// What tests read of a lead: each field's cell, and a string field's
/// text. A [`Lead`]'s [`Slots`] and a row of a batch
/// (`crate::lead::batch`) both are.
pub(crate) trait Fields<'a>: Copy {
    /// The cell of field `field` (`Cell::NONE` outside the schema).
    fn cell(self, field: u32) -> Cell;
    /// The text of field `field` when it holds a string.
    fn text(self, field: u32) -> Option<&'a str>;
}

/// A lead's field values and their cells, as tests read them.
#[derive(Clone, Copy)]
pub(crate) struct Slots<'a> {
    pub(crate) values: &'a [Value],
    pub(crate) cells: &'a [Cell],
}

impl<'a> Slots<'a> {
    pub(crate) fn of(lead: &'a Lead) -> Slots<'a> {
        Slots { values: lead.values(), cells: lead.cells() }
    }

    #[inline(always)]
    pub(crate) fn value(self, field: u32) -> &'a Value {
        slot(self.values, field)
    }
}

impl<'a> Fields<'a> for Slots<'a> {
    #[inline(always)]
    fn cell(self, field: u32) -> Cell {
        self.cells.get(field as usize).copied().unwrap_or(Cell::NONE)
    }

    #[inline(always)]
    fn text(self, field: u32) -> Option<&'a str> {
        match self.value(field) {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }
}

/// Runs a test of a lead field. A missing field, or a value of another
/// type than the test expects, fails every test but `missing`. Tests read
/// the field's cell, and compute their result without branching on it
/// (which would mispredict: the result depends on the lead); only string
/// tests that a cell cannot decide read the string.
#[inline(always)]
pub(crate) fn test<'a>(program: &Bytecode, slots: impl Fields<'a>, t: &Test) -> bool {
    match *t {
        Test::Const(b) => b,
        Test::Present { field } => slots.cell(field).tag != Cell::MISSING,
        Test::Missing { field } => slots.cell(field).tag == Cell::MISSING,
        Test::Bool { field, value } => slots.cell(field) == Cell::new(Cell::BOOL, u64::from(value)),
        Test::IntRange { field, negated, lo, hi } => int_in(slots.cell(field), negated, lo, hi),
        Test::NumRange { field, negated, lo, hi } => number_in(slots.cell(field), negated, lo, hi),
        Test::NumCmp { field, cmp, k } => {
            let cell = slots.cell(field);
            (cell.tag == Cell::NUMBER) & cmp.apply(f64::from_bits(cell.word), k)
        }
        Test::EnumBits { field, negated, bits } => enum_in(slots.cell(field), negated, bits),
        Test::EnumSet { field, negated, set } => {
            let cell = slots.cell(field);
            let word = program.enum_sets.get(set as usize).and_then(|w| w.get((cell.word / 64) as usize));
            (cell.tag == Cell::ENUM) & (word.is_some_and(|w| w >> (cell.word % 64) & 1 == 1) != negated)
        }
        Test::TextEq { field, negated, text } => {
            let cell = slots.cell(field);
            let equal = program
                .strings
                .entry(text as usize)
                .is_some_and(|(c, t)| equal(cell, slots.text(field), c, t));
            cell.is_text() & (equal != negated)
        }
        Test::TextIn { field, negated, set } => {
            let cell = slots.cell(field);
            let members = program.text_sets.get(set as usize).map_or(&[][..], |m| &m[..]);
            let value = slots.text(field);
            let found = members
                .iter()
                .any(|&m| program.strings.entry(m as usize).is_some_and(|(c, t)| equal(cell, value, c, t)));
            cell.is_text() & (found != negated)
        }
        Test::Contains { field, text } => text_test(program, slots, field, text, |s, t| s.contains(t)),
        Test::StartsWith { field, text } => text_test(program, slots, field, text, |s, t| s.starts_with(t)),
        Test::EndsWith { field, text } => text_test(program, slots, field, text, |s, t| s.ends_with(t)),
    }
}

/// Whether `test` holds when its field's value is `value` (the plan
/// decides tests by running them on one value of each class).
pub(crate) fn holds(program: &Bytecode, t: &Test, value: &Value) -> bool {
    let cells = [Cell::of(value)];
    test(program, Slots { values: std::slice::from_ref(value), cells: &cells }, &t.on_field(0))
}

/// An int cell within `lo..=hi` (outside, when `negated`).
#[inline(always)]
fn int_in(cell: Cell, negated: bool, lo: i64, hi: i64) -> bool {
    let v = cell.word as i64;
    (cell.tag == Cell::INT) & (((lo <= v) & (v <= hi)) != negated)
}

/// A number cell within `lo..=hi` (outside, when `negated`).
#[inline(always)]
fn number_in(cell: Cell, negated: bool, lo: f64, hi: f64) -> bool {
    let v = f64::from_bits(cell.word);
    (cell.tag == Cell::NUMBER) & (((lo <= v) & (v <= hi)) != negated)
}

/// An enum cell whose bit is set in `bits` (clear, when `negated`).
#[inline(always)]
fn enum_in(cell: Cell, negated: bool, bits: u64) -> bool {
    let bit = (bits >> (cell.word & 63)) & u64::from(cell.word < 64);
    (cell.tag == Cell::ENUM) & ((bit == 1) != negated)
}

fn text_test<'a>(
    program: &Bytecode,
    slots: impl Fields<'a>,
    field: u32,
    text: u32,
    f: fn(&str, &str) -> bool,
) -> bool {
    match (slots.text(field), program.strings.get(text as usize)) {
        (Some(s), Some(t)) => f(s, t),
        _ => false,
    }
}
