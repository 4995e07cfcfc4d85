//! Cells: a field value's fixed-size image, three words, from which the
//! evaluator decides every test without a branch on the value's type and,
//! for strings of at most sixteen bytes, without reading the string.
//!
//! In: field values — a [`Lead`](crate::lead::Lead) keeps one cell per
//! field beside its values, rewritten on every write — and a program's
//! string constants ([`Texts`] keeps one per constant). Out: [`Cell`]s and
//! [`equal`], which compares a text value with a constant through their
//! cells. Cells are derived data, never saved.

use crate::lead::Value;

/// A field value in three words: `tag` says what it is, `word` (and for
/// text `tail`) hold it.
///
/// - text: `tag` is the length in bytes, `word` the first eight bytes and
///   `tail` the next eight (little-endian, zero padded). Two strings of at
///   most sixteen bytes are equal exactly when their cells are; longer ones
///   need the rest equal too.
/// - int: [`Cell::INT`] and the value's bits; number: [`Cell::NUMBER`] and
///   the `f64`'s bits; bool: [`Cell::BOOL`] and 0 or 1; enum: [`Cell::ENUM`]
///   and the value's index; missing: [`Cell::MISSING`] and 0. `tail` is 0
///   but for text.
///
/// No string is long enough for its length to be one of the tags.
#[derive(Debug, Clone, Copy, Eq)]
pub(crate) struct Cell {
    pub(crate) tag: u64,
    pub(crate) word: u64,
    pub(crate) tail: u64,
}

impl PartialEq for Cell {
    /// All words compared without a branch between them: whether cells
    /// match depends on the lead, so a short-circuit would mispredict.
    #[inline(always)]
    fn eq(&self, other: &Cell) -> bool {
        (self.tag ^ other.tag) | (self.word ^ other.word) | (self.tail ^ other.tail) == 0
    }
}

impl Cell {
    /// The tag of a missing value.
    pub(crate) const MISSING: u64 = u64::MAX;
    /// The tag of an int.
    pub(crate) const INT: u64 = u64::MAX - 1;
    /// The tag of a number.
    pub(crate) const NUMBER: u64 = u64::MAX - 2;
    /// The tag of a bool.
    pub(crate) const BOOL: u64 = u64::MAX - 3;
    /// The tag of an enum value.
    pub(crate) const ENUM: u64 = u64::MAX - 4;

    /// The cell of a missing value.
    pub(crate) const NONE: Cell = Cell::new(Cell::MISSING, 0);

    /// A cell that no value has (it pads sets of text constants).
    pub(crate) const NEVER: Cell = Cell::new(Cell::MISSING, 1);

    /// The cell of a value that is not text.
    pub(crate) const fn new(tag: u64, word: u64) -> Cell {
        Cell { tag, word, tail: 0 }
    }

    /// The cell of `text`.
    #[inline]
    pub(crate) fn of_text(text: &str) -> Cell {
        let mut head = [0u8; 16];
        let n = text.len().min(16);
        head[..n].copy_from_slice(&text.as_bytes()[..n]);
        let head = u128::from_le_bytes(head);
        Cell { tag: text.len() as u64, word: head as u64, tail: (head >> 64) as u64 }
    }

    /// The cell of a field value.
    #[inline]
    pub(crate) fn of(value: &Value) -> Cell {
        let (tag, word) = match value {
            Value::Text(text) => return Cell::of_text(text),
            Value::Missing => (Cell::MISSING, 0),
            Value::Int(v) => (Cell::INT, *v as u64),
            Value::Number(v) => (Cell::NUMBER, v.to_bits()),
            Value::Bool(b) => (Cell::BOOL, u64::from(*b)),
            Value::Enum(i) => (Cell::ENUM, u64::from(*i)),
        };
        Cell::new(tag, word)
    }

    /// A string cell's first sixteen bytes, little-endian (zero padded).
    #[inline(always)]
    pub(crate) fn head(self) -> u128 {
        u128::from(self.word) | u128::from(self.tail) << 64
    }

    /// Whether the cell is a string's.
    #[inline(always)]
    pub(crate) fn is_text(self) -> bool {
        self.tag < Cell::ENUM
    }

    /// Whether the cell is a string's that is longer than a cell holds.
    #[inline(always)]
    pub(crate) fn is_long_text(self) -> bool {
        self.tag > 16 && self.is_text()
    }
}

/// Whether `value` (the text of a string value, else `None`), whose cell
/// is `cell`, is the text constant `constant`
/// with cell `constant_cell`. Decided by the cells alone unless both are
/// strings longer than sixteen bytes whose first sixteen agree.
#[inline(always)]
pub(crate) fn equal(cell: Cell, value: Option<&str>, constant_cell: Cell, constant: &str) -> bool {
    if cell != constant_cell {
        return false;
    }
    !constant_cell.is_long_text()
        || value.is_some_and(|text| text.as_bytes().get(16..) == constant.as_bytes().get(16..))
}

/// A program's string constants, each with its cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Texts {
    texts: Vec<Box<str>>,
    cells: Vec<Cell>,
}

impl Texts {
    /// Adds a constant; returns its index.
    pub(crate) fn push(&mut self, text: Box<str>) -> u32 {
        self.cells.push(Cell::of_text(&text));
        self.texts.push(text);
        self.texts.len() as u32 - 1
    }

    /// Constant `index`.
    #[inline(always)]
    pub(crate) fn get(&self, index: usize) -> Option<&str> {
        self.texts.get(index).map(|t| &**t)
    }

    /// Constant `index` and its cell.
    #[inline(always)]
    pub(crate) fn entry(&self, index: usize) -> Option<(Cell, &str)> {
        Some((*self.cells.get(index)?, self.texts.get(index)?))
    }

    /// How many constants there are.
    pub(crate) fn len(&self) -> usize {
        self.texts.len()
    }

    /// The constants, in index order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.texts.iter().map(|t| &**t)
    }
}

impl FromIterator<Box<str>> for Texts {
    fn from_iter<I: IntoIterator<Item = Box<str>>>(iter: I) -> Texts {
        let mut texts = Texts::default();
        iter.into_iter().for_each(|t| {
            texts.push(t);
        });
        texts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(a: &str, b: &str) -> bool {
        let value = Value::Text(a.to_string());
        equal(Cell::of(&value), Some(a), Cell::of_text(b), b)
    }

    #[test]
    fn cells_decide_as_string_equality_does() {
        let words = [
            "",
            "a",
            "US",
            "VP",
            "C-level",
            "C-levels",
            "Director",
            "Directors",
            "Head of Sales",
            "Head of Sale",
            "é",
            "\0",
        ];
        for a in words {
            for b in words {
                assert_eq!(eq(a, b), a == b, "{a:?} vs {b:?}");
            }
        }
        // Same length and first eight or sixteen bytes, different rests.
        assert!(!eq("abcdefgh-x", "abcdefgh-y"));
        assert!(!eq("abcdefghijklmnop-x", "abcdefghijklmnop-y"));
        assert!(eq("abcdefghijklmnop-x", "abcdefghijklmnop-x"));
        // Zero padding does not make a short string equal to one ending in NULs.
        assert!(!eq("ab", "ab\0"));
    }

    #[test]
    fn values_that_are_not_text_equal_no_text() {
        let values = [Value::Missing, Value::Int(0), Value::Bool(false), Value::Enum(0), Value::Number(0.0)];
        for value in values {
            let cell = Cell::of(&value);
            assert!(!cell.is_text() && !cell.is_long_text());
            assert_ne!(cell, Cell::NEVER);
            for text in ["", "\0", "0"] {
                assert!(!equal(cell, None, Cell::of_text(text), text));
            }
        }
    }

    #[test]
    fn cells_hold_the_value() {
        assert_eq!(Cell::of(&Value::Int(-5)), Cell::new(Cell::INT, -5i64 as u64));
        assert_eq!(Cell::of(&Value::Number(2.5)), Cell::new(Cell::NUMBER, 2.5f64.to_bits()));
        assert_eq!(Cell::of(&Value::Bool(true)), Cell::new(Cell::BOOL, 1));
        assert_eq!(Cell::of(&Value::Enum(7)), Cell::new(Cell::ENUM, 7));
        assert_eq!(Cell::of(&Value::Missing), Cell::NONE);
        assert!(
            Cell::of_text("abcdefghijklmnopq").is_long_text()
                && !Cell::of_text("abcdefghijklmnop").is_long_text()
        );
    }
}
