//! Deciders: all the tests on one field, decided at once by the class of
//! the field's value.
//!
//! In: tests on one field that the plan takes (ranges on an int or number
//! field, enum sets, bool equality, missing/present; string tests are
//! `text`'s), each either writing a test bit or giving a fit rule's
//! points, the fits all of one category. Out: a decider — how to find the
//! class of the field's value (how many breakpoints it has reached, which
//! enum value or bool it is, or missing, or of another type), and for each
//! class its [`Gift`]: the word of test bits its tests write and the
//! points its fits give together.
//!
//! Every value of a class passes the same tests, so each class's gift is
//! found at plan time by running the same test the VM runs (`crate::compile::holds`) on
//! one representative value of the class: a decider decides each test as
//! the test itself would. The evaluator then does per field what it did
//! per test: find the class, write one word, add one number.

use super::Effect;
use super::text::MAX_CONSTANTS;
use crate::compile::bytecode::Bytecode;
use crate::compile::opcode::Test;
use crate::lead::Value;
use crate::lead::cell::Cell;
use std::hint::select_unpredictable;

/// What the values of one class give: the test bits they set in their
/// decider's word, and the points of the fits they pass.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Gift {
    pub mask: u64,
    pub points: i64,
}

/// Where a decider's results go: which field it reads, the word of test
/// bits it writes (`Plan::sink` when no test of it writes a bit), the
/// category its fits add to (`u32::MAX` when it has none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Target {
    pub field: u32,
    pub word: u32,
    pub cat: u32,
}

/// How many breakpoints a [`RangeDecider`] holds.
pub(crate) const BREAKPOINTS: usize = 4;

/// A range decider's class of a value that is a NaN number.
pub(crate) const NAN: usize = BREAKPOINTS + 1;
/// A decider's class of a missing value (its last class but one).
const MISSING: usize = BREAKPOINTS + 2;
/// A range decider's class of a value of another type.
const OTHER: usize = BREAKPOINTS + 3;

/// A bound of an int or number range decider.
pub(crate) trait Bound: Copy + PartialOrd + std::fmt::Debug {
    /// The tag of the field's values.
    const TAG: u64;
    /// Pads unused breakpoints: for ints, `i64::MAX` (only `i64::MAX`
    /// reaches it, and its class is found as any other's); for numbers,
    /// NaN (nothing reaches it).
    const PAD: Self;
    /// The least value.
    const LEAST: Self;
    /// The value a cell's word holds.
    fn of(word: u64) -> Self;
    /// The value as a field value.
    fn value(self) -> Value;
    /// Whether the value is comparable (not NaN).
    fn ordinary(self) -> bool;
    /// The value's bits.
    fn bits(self) -> u64;
}

impl Bound for i64 {
    const TAG: u64 = Cell::INT;
    const PAD: i64 = i64::MAX;
    const LEAST: i64 = i64::MIN;
    #[inline(always)]
    fn of(word: u64) -> i64 {
        word as i64
    }
    fn value(self) -> Value {
        Value::Int(self)
    }
    fn bits(self) -> u64 {
        self as u64
    }
    #[inline(always)]
    fn ordinary(self) -> bool {
        true
    }
}

impl Bound for f64 {
    const TAG: u64 = Cell::NUMBER;
    const PAD: f64 = f64::NAN;
    const LEAST: f64 = f64::NEG_INFINITY;
    #[inline(always)]
    fn of(word: u64) -> f64 {
        f64::from_bits(word)
    }
    fn value(self) -> Value {
        Value::Number(self)
    }
    fn bits(self) -> u64 {
        self.to_bits()
    }
    #[inline(always)]
    fn ordinary(self) -> bool {
        !self.is_nan()
    }
}

/// Decides range tests on an int (`T = i64`) or number (`f64`) field: the
/// class of a value is how many of the ascending breakpoints it reaches
/// (`0..=BREAKPOINTS`), or [`NAN`], or missing, or of another type.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RangeDecider<T> {
    pub at: Target,
    pub breakpoints: [T; BREAKPOINTS],
    pub gifts: [Gift; 8],
}

impl<T: Bound> PartialEq for RangeDecider<T> {
    /// Breakpoints compare by their bits (the NaN padding is equal to
    /// itself).
    fn eq(&self, other: &Self) -> bool {
        let same = self.breakpoints.iter().zip(&other.breakpoints).all(|(a, b)| a.bits() == b.bits());
        same && self.at == other.at && self.gifts == other.gifts
    }
}

impl<T: Bound> RangeDecider<T> {
    /// The class of the value whose cell is `cell`.
    #[inline(always)]
    pub(crate) fn class(&self, cell: Cell) -> usize {
        let v = T::of(cell.word);
        let reached = self.breakpoints.iter().map(|&b| usize::from(v >= b)).sum::<usize>();
        let reached = select_unpredictable(v.ordinary(), reached, NAN);
        select_unpredictable(cell.tag == T::TAG, reached, tag_class(cell, MISSING, OTHER))
    }
}

/// Decides `= true` / `= false` tests on a bool field: classes false,
/// true, missing, another type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BoolDecider {
    pub at: Target,
    pub gifts: [Gift; 4],
}

impl BoolDecider {
    /// The class of the value whose cell is `cell`.
    #[inline(always)]
    pub(crate) fn class(&self, cell: Cell) -> usize {
        select_unpredictable(cell.tag == Cell::BOOL, (cell.word & 1) as usize, tag_class(cell, 2, 3))
    }
}

/// Decides `is missing` / `is present` tests on a field no other decider
/// of its reads: classes present, missing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TagDecider {
    pub at: Target,
    pub gifts: [Gift; 2],
}

impl TagDecider {
    /// The class of the value whose cell is `cell`.
    #[inline(always)]
    pub(crate) fn class(&self, cell: Cell) -> usize {
        usize::from(cell.tag == Cell::MISSING)
    }
}

/// Decides set tests on an enum field with at most 64 values: the class of
/// a value is its index when below `values`, else `values`; then missing,
/// another type. Its `values + 3` gifts are in `Plan::gifts` from `start`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EnumDecider {
    pub at: Target,
    pub values: u32,
    pub start: u32,
}

impl EnumDecider {
    /// Where its gifts are in `Plan::gifts`.
    pub(crate) fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..(self.start as usize).saturating_add(self.values as usize + 3)
    }

    /// The index in `Plan::gifts` of the gift of the value whose cell is
    /// `cell`.
    #[inline(always)]
    pub(crate) fn gift(&self, cell: Cell) -> usize {
        let values = u64::from(self.values);
        let index = select_unpredictable(cell.word < values, cell.word, values) as usize;
        let class =
            select_unpredictable(cell.tag == Cell::ENUM, index, tag_class(cell, 1, 2) + values as usize);
        (self.start as usize).wrapping_add(class)
    }
}

/// The class of a value not of the decider's type: `missing` when it is
/// missing, else `other`.
#[inline(always)]
fn tag_class(cell: Cell, missing: usize, other: usize) -> usize {
    select_unpredictable(cell.tag == Cell::MISSING, missing, other)
}

/// A test waiting for its decider, and what it does: write a bit (its
/// effect is `Effect::NONE`) or give a fit rule's points.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pending {
    pub test: Test,
    pub effect: Effect,
}

/// The kinds of deciders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Only missing/present tests so far: joins whichever kind comes but
    /// text.
    Tag,
    Int,
    Number,
    Enum,
    Bool,
    /// String equality and set tests: a classifier (`text`).
    Text,
}

impl Kind {
    /// The kind of decider that can take `test`, if any.
    pub(super) fn of(test: &Test) -> Option<Kind> {
        Some(match test {
            Test::Present { .. } | Test::Missing { .. } => Kind::Tag,
            Test::IntRange { .. } => Kind::Int,
            Test::NumRange { .. } | Test::NumCmp { .. } => Kind::Number,
            Test::EnumBits { .. } => Kind::Enum,
            Test::Bool { .. } => Kind::Bool,
            _ => return None,
        })
    }
}

/// Tests of one field on their way to a decider: at most 64 that write
/// bits, fits of one category, at most [`BREAKPOINTS`] breakpoints.
#[derive(Debug)]
pub(super) struct Group {
    pub field: u32,
    pub kind: Kind,
    /// The fits' category.
    pub cat: Option<u32>,
    /// Indexes of its tests among the pending ones.
    pub members: Vec<usize>,
    /// How many of them write bits.
    pub bits: u32,
    /// How many constants its string tests name, in all.
    constants: usize,
    /// The sum of its fits' points, in magnitude.
    weight: i128,
    ints: Vec<i64>,
    numbers: Vec<f64>,
}

/// Groups never weigh more than this, so no gift's points overflow.
const MAX_WEIGHT: i128 = 1 << 62;

impl Group {
    /// An empty group of tests on `field`, of kind `kind`.
    pub(super) fn new(field: u32, kind: Kind) -> Group {
        let (ints, numbers) = (Vec::new(), Vec::new());
        Group { field, kind, cat: None, members: Vec::new(), bits: 0, constants: 0, weight: 0, ints, numbers }
    }

    /// Takes test `index`, `pending`, of kind `kind` (naming `constants`
    /// string constants), if it fits; returns whether it did.
    pub(super) fn take(&mut self, index: usize, pending: &Pending, kind: Kind, constants: usize) -> bool {
        let writes_bit = pending.effect == Effect::NONE;
        let kind = match (self.kind, kind) {
            (a, b) if a == b => a,
            (Kind::Text, _) | (_, Kind::Text) => return false,
            (Kind::Tag, b) => b,
            (a, Kind::Tag) => a,
            _ => return false,
        };
        let cat_fits = writes_bit || self.cat.is_none_or(|cat| cat == pending.effect.cat);
        let weight = self.weight + i128::from(pending.effect.points).abs();
        let constants = self.constants.saturating_add(constants);
        if !cat_fits || (writes_bit && self.bits >= 64) || weight > MAX_WEIGHT || constants > MAX_CONSTANTS {
            return false;
        }
        let mut ints = self.ints.clone();
        let mut numbers = self.numbers.clone();
        breakpoints(&pending.test, &mut ints, &mut numbers);
        if ints.len() > BREAKPOINTS || numbers.len() > BREAKPOINTS {
            return false;
        }
        (self.kind, self.weight, self.ints, self.numbers) = (kind, weight, ints, numbers);
        self.constants = constants;
        if !writes_bit {
            self.cat = Some(pending.effect.cat);
        }
        self.bits += u32::from(writes_bit);
        self.members.push(index);
        true
    }

    /// The gift of a value of the field: what the members `pending` give
    /// when the field's value is `value` (bit `k` for the `k`-th member
    /// that writes a bit).
    fn gift(&self, program: &Bytecode, pending: &[Pending], value: &Value) -> Gift {
        let mut gift = Gift::default();
        let mut bit = 0;
        for p in self.members.iter().filter_map(|&i| pending.get(i)) {
            let holds = crate::compile::holds::holds(program, &p.test, value);
            if p.effect == Effect::NONE {
                gift.mask |= u64::from(holds) << bit;
                bit += 1;
            } else if holds {
                gift.points += p.effect.points;
            }
        }
        gift
    }

    /// The gifts of `classes` representative values.
    fn gifts<const N: usize>(
        &self,
        program: &Bytecode,
        pending: &[Pending],
        classes: [Value; N],
    ) -> [Gift; N] {
        classes.map(|value| self.gift(program, pending, &value))
    }

    /// The range decider of an int or number group.
    fn range<T: Bound>(
        &self,
        program: &Bytecode,
        pending: &[Pending],
        at: Target,
        points: &[T],
    ) -> RangeDecider<T> {
        let mut breakpoints = [T::PAD; BREAKPOINTS];
        breakpoints.iter_mut().zip(points).for_each(|(b, &p)| *b = p);
        // A value reaching `k` breakpoints is at least the `k`-th; the
        // least value reaches none.
        let reaching = |k: usize| if k == 0 { T::LEAST } else { breakpoints[k - 1] };
        let other = match T::TAG {
            Cell::INT => Value::Number(0.0),
            _ => Value::Int(0),
        };
        let classes = [
            reaching(0).value(),
            reaching(1).value(),
            reaching(2).value(),
            reaching(3).value(),
            reaching(4).value(),
            Value::Number(f64::NAN),
            Value::Missing,
            other,
        ];
        RangeDecider { at, breakpoints, gifts: self.gifts(program, pending, classes) }
    }
}

/// Adds the breakpoints of `test` — where its result may change as the
/// value grows — to `ints` or `numbers`, kept ascending and distinct.
fn breakpoints(test: &Test, ints: &mut Vec<i64>, numbers: &mut Vec<f64>) {
    match *test {
        Test::IntRange { lo, hi, .. } => {
            // `v >= lo` and `v > hi`, that is `v >= hi + 1`.
            ints.extend((lo > i64::MIN).then_some(lo));
            ints.extend(hi.checked_add(1));
            ints.sort_unstable();
            ints.dedup();
        }
        Test::NumRange { lo, hi, .. } => number_breakpoints(lo, hi, numbers),
        Test::NumCmp { cmp, k, .. } => {
            let (_, lo, hi) = super::range(cmp, k);
            number_breakpoints(lo, hi, numbers);
        }
        _ => {}
    }
}

/// `v >= lo` and `v > hi`, that is `v >= next_up(hi)` (for any `v` that is
/// not NaN; NaN has a class of its own). Bounds that every value reaches
/// (-inf), or none (NaN, above +inf), add nothing; -0 and +0 are one.
fn number_breakpoints(lo: f64, hi: f64, numbers: &mut Vec<f64>) {
    let above = (hi < f64::INFINITY).then(|| hi.next_up());
    numbers
        .extend([Some(lo), above].into_iter().flatten().filter(|b| !b.is_nan() && *b != f64::NEG_INFINITY));
    numbers.sort_unstable_by(f64::total_cmp);
    numbers.dedup_by(|a, b| a == b);
}

/// The deciders of all but string fields (`text` has those), by kind.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Deciders {
    /// Range tests on int fields.
    pub ints: Vec<RangeDecider<i64>>,
    /// Range tests on number fields.
    pub numbers: Vec<RangeDecider<f64>>,
    pub enums: Vec<EnumDecider>,
    pub bools: Vec<BoolDecider>,
    pub tags: Vec<TagDecider>,
    /// The enum deciders' gifts.
    pub gifts: Vec<Gift>,
}

impl Deciders {
    /// Builds the decider of `group`, writing to `at`.
    pub(super) fn build(&mut self, program: &Bytecode, pending: &[Pending], group: &Group, at: Target) {
        let present = Value::Bool(false);
        match group.kind {
            Kind::Tag => {
                let gifts = group.gifts(program, pending, [present, Value::Missing]);
                self.tags.push(TagDecider { at, gifts });
            }
            Kind::Bool => {
                let classes = [Value::Bool(false), Value::Bool(true), Value::Missing, Value::Int(0)];
                self.bools.push(BoolDecider { at, gifts: group.gifts(program, pending, classes) });
            }
            // Classifiers are `text`'s.
            Kind::Text => {}
            Kind::Int => self.ints.push(group.range(program, pending, at, &group.ints)),
            Kind::Number => self.numbers.push(group.range(program, pending, at, &group.numbers)),
            Kind::Enum => {
                // Values past the highest bit any test names all pass the
                // same tests: they share a class.
                let named = group.members.iter().filter_map(|&i| pending.get(i)).fold(0u64, |bits, p| {
                    bits | match p.test {
                        Test::EnumBits { bits, .. } => bits,
                        _ => 0,
                    }
                });
                let values = 64 - named.leading_zeros();
                let start = self.gifts.len() as u32;
                let classes = (0..=values).map(Value::Enum).chain([Value::Missing, Value::Int(0)]);
                let gifts = classes.map(|value| group.gift(program, pending, &value));
                self.gifts.extend(gifts);
                self.enums.push(EnumDecider { at, values, start });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn number_breakpoints_are_ascending_distinct_and_skip_what_all_or_none_reach() {
        let mut b = Vec::new();
        number_breakpoints(f64::NEG_INFINITY, 5.0, &mut b);
        number_breakpoints(-0.0, 0.0, &mut b);
        number_breakpoints(f64::NAN, f64::NAN, &mut b);
        assert_eq!(b.len(), 3);
        assert_eq!(b[0], 0.0);
        assert_eq!(b[1], 0.0f64.next_up());
        assert_eq!(b[2], 5.0f64.next_up());
    }
}
