//! Classifiers: the equality and set tests on one string field, decided
//! all at once.
//!
//! In: a group of tests on one string field (at most 64 that write bits,
//! fits of one category), each a set of constants of at most sixteen
//! bytes (`=` is a set of one), perhaps negated. Out: a [`Classifier`] and
//! its [`Bucket`]s: each distinct constant's cell with the [`Gift`] of a
//! value equal to it (the bits of the tests it passes, the points of the
//! fits it passes), placed in buckets of four by a multiplicative hash of
//! the cell. The evaluator hashes the field's cell, compares it with the
//! four cells of its bucket (without a branch: which matches depends on the
//! lead), and takes the matching gift — the negated tests' when the value
//! is a string no constant equals, nothing when the field holds no string.

use super::decide::{Gift, Target};
use crate::lead::cell::Cell;
use std::collections::HashMap;
use std::hint::select_unpredictable;

/// A constant's cell with the gift of a value equal to it; unused places
/// hold [`Cell::NEVER`].
pub(crate) type Slot = (Cell, Gift);

/// Four slots: the buckets of a wide classifier.
pub(crate) type Bucket = [Slot; 4];

/// A slot that no value's cell matches.
pub(crate) const FREE: Slot = (Cell::NEVER, Gift { mask: 0, points: 0 });

/// Decides the string tests of a group on one field: the `k`-th test that
/// writes a bit writes bit `k` of the target's word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Classifier {
    pub at: Target,
    /// The hash's multiplier (0 with a single bucket).
    pub mult: u64,
    /// The hash's shift: it keeps the top `64 - shift` bits.
    pub shift: u32,
    /// The classifier's first slot in [`Tables::slots`] (bucket in
    /// [`Tables::buckets`], for a wide classifier).
    pub start: u32,
    /// How many slots (buckets) it has.
    pub count: u32,
    /// The gift of a string equal to no constant: the negated tests'.
    pub none: Gift,
}

impl Classifier {
    /// Where its slots (buckets) are in [`Tables::slots`]
    /// ([`Tables::buckets`]).
    pub(crate) fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..(self.start as usize).saturating_add(self.count as usize)
    }

    /// The index in [`Tables::slots`] ([`Tables::buckets`], for a wide
    /// classifier) of the slot (bucket) that holds `cell`, if any does.
    #[inline(always)]
    pub(crate) fn place(&self, cell: Cell) -> usize {
        let hash = mix(cell).wrapping_mul(self.mult).wrapping_shr(self.shift);
        (self.start as usize).wrapping_add(hash as usize)
    }

    /// The gift of the value whose cell is `cell`, its slots being
    /// `slots`: the gift of the constant it equals, else of a string equal
    /// to none if it is one, else nothing (every string test fails).
    #[inline(always)]
    pub(crate) fn gift<const N: usize>(&self, slots: [Slot; N], cell: Cell) -> Gift {
        let mut gift = select_unpredictable(cell.is_text(), self.none, Gift::default());
        for (constant, given) in slots {
            gift = select_unpredictable(constant == cell, given, gift);
        }
        gift
    }
}

/// A cell's three words folded into one.
#[inline(always)]
fn mix(cell: Cell) -> u64 {
    cell.word ^ cell.tail.rotate_left(29) ^ cell.tag.rotate_left(53)
}

/// Groups with more distinct constants than this are not classified
/// (their tests run one by one): it bounds the work of finding a hash when
/// a program is loaded.
pub(super) const MAX_CONSTANTS: usize = 4096;

/// One string test of a group: a set of constants' cells (`=` is a set of
/// one), perhaps negated, that writes the group's next bit (`points`:
/// `None`) or gives points.
pub(super) struct TextTest<'a> {
    pub negated: bool,
    pub members: &'a [Cell],
    pub points: Option<i64>,
}

/// Groups with more distinct constants than this get no perfect hash (one
/// constant a slot): finding one would take long, and its table would be
/// large.
const MAX_PERFECT: usize = 256;

/// Where classifiers keep their constants.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tables {
    /// Slots of classifiers with a perfect hash.
    pub slots: Vec<Slot>,
    /// Buckets of wide classifiers.
    pub buckets: Vec<Bucket>,
}

/// The classifier of `tests` — whose bits and points the caller has
/// bounded: at most 64 bits, points that cannot overflow — writing to
/// `at`, with its slots appended to `tables` and whether it is wide (its
/// hash puts up to four constants in a bucket, not one in a slot); `None`
/// when the group has too many constants or no hash spreads them four to a
/// bucket (the tests then run one by one).
pub(super) fn classifier(
    at: Target,
    tests: &[TextTest<'_>],
    tables: &mut Tables,
) -> Option<(Classifier, bool)> {
    // What passing test `i` gives: its bit, or its points.
    let mut bit = 0;
    let gives: Vec<Gift> = tests
        .iter()
        .map(|t| match t.points {
            Some(points) => Gift { mask: 0, points },
            None => {
                bit += 1;
                Gift { mask: 1u64.checked_shl(bit - 1).unwrap_or(0), points: 0 }
            }
        })
        .collect();
    // A string equal to no constant passes the negated tests; one equal to
    // a constant passes, besides, the tests naming it, and fails the
    // negated ones naming it.
    let none = tests
        .iter()
        .zip(&gives)
        .filter(|(t, _)| t.negated)
        .fold(Gift::default(), |g, (_, give)| add(g, *give));
    let mut index: HashMap<Key, usize> = HashMap::new();
    let mut members: Vec<(Cell, Gift)> = Vec::new();
    let mut named = Vec::new();
    for (test, give) in tests.iter().zip(&gives) {
        named.clear();
        for &cell in test.members {
            named.push(*index.entry(Key::of(cell)).or_insert_with(|| {
                members.push((cell, none));
                members.len() - 1
            }));
            if members.len() > MAX_CONSTANTS {
                return None;
            }
        }
        // Named twice by one test: still one flip.
        named.sort_unstable();
        named.dedup();
        for &at in &named {
            if let Some((_, gift)) = members.get_mut(at) {
                *gift = match test.negated {
                    true => remove(*gift, *give),
                    false => add(*gift, *give),
                };
            }
        }
    }
    let perfect = (members.len() <= MAX_PERFECT).then(|| spread(&members, 1)).flatten();
    let ((mult, shift, count), wide) = match perfect {
        Some(layout) => (layout, false),
        None => (spread(&members, 4)?, true),
    };
    let start = if wide { tables.buckets.len() } else { tables.slots.len() };
    let classifier = Classifier {
        at,
        mult,
        shift,
        start: u32::try_from(start).ok()?,
        count: u32::try_from(count).ok()?,
        none,
    };
    if wide {
        tables.buckets.resize(start + count, [FREE; 4]);
    } else {
        tables.slots.resize(start + count, FREE);
    }
    for &(cell, gift) in &members {
        let at = classifier.place(cell);
        let slots = match wide {
            true => tables.buckets.get_mut(at).map(|b| &mut b[..]),
            false => tables.slots.get_mut(at).map(std::slice::from_mut),
        };
        let free = slots?.iter_mut().find(|(c, _)| *c == Cell::NEVER)?;
        *free = (cell, gift);
    }
    Some((classifier, wide))
}

/// `gift` with what a passed test gives added.
fn add(gift: Gift, give: Gift) -> Gift {
    Gift { mask: gift.mask | give.mask, points: gift.points.wrapping_add(give.points) }
}

/// `gift` without what a passed test gives.
fn remove(gift: Gift, give: Gift) -> Gift {
    Gift { mask: gift.mask & !give.mask, points: gift.points.wrapping_sub(give.points) }
}

/// A cell as a map key.
#[derive(PartialEq, Eq, Hash)]
struct Key(u64, u64, u64);

impl Key {
    fn of(cell: Cell) -> Key {
        Key(cell.tag, cell.word, cell.tail)
    }
}

/// A multiplier and shift that put at most `width` of `members` in any
/// place, and the number of places.
fn spread(members: &[Slot], width: u8) -> Option<(u64, u32, usize)> {
    if members.len() <= usize::from(width) {
        return Some((0, 0, 1));
    }
    // A fixed sequence of odd multipliers (splitmix64): the same program
    // always gets the same plan.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) | 1
    };
    // Start at about two constants a bucket (two places a constant, for
    // one a place); allow up to eight times more places.
    let first = match width {
        1 => members.len().next_power_of_two().trailing_zeros() + 1,
        _ => members.len().div_ceil(2).next_power_of_two().trailing_zeros(),
    };
    for bits in first..first + 4 {
        let shift = 64 - bits;
        for _ in 0..64 {
            let mult = next();
            let mut load = vec![0u8; 1 << bits];
            let fits = members.iter().all(|&(cell, _)| {
                let hash = mix(cell).wrapping_mul(mult) >> shift;
                load.get_mut(hash as usize).is_some_and(|n| {
                    *n += 1;
                    *n <= width
                })
            });
            if fits {
                return Some((mult, shift, 1 << bits));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const AT: Target = Target { field: 7, word: 0, cat: 0 };

    /// What a classifier gives for `value`, found as the evaluator finds it.
    fn classify((classifier, wide): (Classifier, bool), tables: &Tables, value: Option<&str>) -> Gift {
        let cell = value.map_or(Cell::NONE, Cell::of_text);
        let at = classifier.place(cell);
        match wide {
            true => classifier.gift(tables.buckets.get(at).copied().unwrap_or([FREE; 4]), cell),
            false => classifier.gift([tables.slots.get(at).copied().unwrap_or(FREE)], cell),
        }
    }

    /// Every test's bit and points are what testing the value against its
    /// constants one by one gives, for sets of every size up to a few
    /// hundred constants.
    #[test]
    fn a_classifier_decides_each_test_as_its_constants_do() {
        let words: Vec<String> = (0..300).map(|i| format!("value-{i}")).collect();
        for size in [0, 1, 3, 4, 5, 8, 9, 17, 64, 300] {
            let cells: Vec<Cell> = words[..size].iter().map(|w| Cell::of_text(w)).collect();
            let half = &cells[..size / 2];
            let sets: [(bool, &[Cell], Option<i64>); 6] = [
                (false, &cells[..], None),
                (true, half, None),
                (false, &cells[size.min(1)..], None),
                (true, &[], None),
                (false, half, Some(3)),
                (true, &cells[size.min(2)..], Some(-40)),
            ];
            let tests: Vec<TextTest<'_>> = sets
                .iter()
                .map(|&(negated, members, points)| TextTest { negated, members, points })
                .collect();
            let mut tables = Tables::default();
            let classifier = classifier(AT, &tests, &mut tables).unwrap();
            assert_eq!(classifier.1, size > MAX_PERFECT, "size {size}: a perfect hash unless too large");
            for value in words.iter().map(|w| Some(w.as_str())).chain([Some(""), Some("value-"), None]) {
                let gift = classify(classifier, &tables, value);
                let mut expected = Gift::default();
                for (k, (negated, set, points)) in sets.iter().enumerate() {
                    let passes = value.is_some_and(|v| set.contains(&Cell::of_text(v)) != *negated);
                    match points {
                        None => expected.mask |= u64::from(passes) << k,
                        Some(p) => expected.points += if passes { *p } else { 0 },
                    }
                }
                assert_eq!(gift, expected, "size {size}, {value:?}");
            }
        }
    }

    #[test]
    fn too_many_constants_are_not_classified() {
        let words: Vec<String> = (0..=MAX_CONSTANTS).map(|i| format!("v{i}")).collect();
        let cells: Vec<Cell> = words.iter().map(|w| Cell::of_text(w)).collect();
        let test = |members| [TextTest { negated: false, members, points: None }];
        assert!(classifier(AT, &test(&cells[..]), &mut Tables::default()).is_none());
        assert!(classifier(AT, &test(&cells[1..]), &mut Tables::default()).is_some());
    }
}
