//! Classifiers: the equality and set tests on one string field, decided
//! all at once.
//!
//! In: a group of at most 64 tests on one string field, each a set of
//! constants of at most sixteen bytes (`=` is a set of one), perhaps
//! negated. Out: a [`Classifier`] and its [`Bucket`]s: each distinct
//! constant's cell with the mask of the group's tests that a value equal to
//! it passes, placed in buckets of four by a multiplicative hash of the
//! cell. The evaluator hashes the field's cell, compares it with the four
//! cells of its bucket (without a branch: which matches depends on the
//! lead), and writes the matching mask to the classifier's word of test
//! bits — the negated tests' mask when the value is a string no constant
//! equals, 0 when the field holds no string.

use crate::cell::Cell;
use std::collections::HashMap;

/// Four constants' cells, each with its mask of passed tests; unused
/// places hold [`Cell::NEVER`].
pub(crate) type Bucket = [(Cell, u64); 4];

/// Decides a group of string tests on one field: test `k` of the group
/// writes bit `k` of word `word`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Classifier {
    pub field: u32,
    pub word: u32,
    /// The hash's multiplier (0 with a single bucket).
    pub mult: u64,
    /// The hash's shift: it keeps the top `64 - shift` bits.
    pub shift: u32,
    /// The classifier's first bucket in `Plan::buckets`.
    pub start: u32,
    /// The mask of a string equal to no constant: the negated tests.
    pub none: u64,
}

impl Classifier {
    /// The index in `Plan::buckets` of the bucket that holds `cell`, if any
    /// does.
    #[inline(always)]
    pub(crate) fn bucket(&self, cell: Cell) -> usize {
        let hash = mix(cell).wrapping_mul(self.mult).wrapping_shr(self.shift);
        (self.start as usize).wrapping_add(hash as usize)
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
const MAX_CONSTANTS: usize = 4096;

/// The classifier of `tests` on `field` — `(negated, constants' cells)`
/// each, at most 64 — with its buckets appended to `buckets`; `None` when
/// the group is too large or no hash spreads its constants four to a
/// bucket (the tests then run one by one).
pub(crate) fn classifier(
    field: u32,
    tests: &[(bool, &[Cell])],
    buckets: &mut Vec<Bucket>,
) -> Option<Classifier> {
    if tests.len() > 64 {
        return None;
    }
    // A string equal to no constant passes the negated tests; one equal to
    // a constant passes, besides, the tests naming it, and fails the
    // negated ones naming it.
    let none = tests.iter().enumerate().fold(0u64, |mask, (i, (negated, _))| mask | u64::from(*negated) << i);
    let mut index: HashMap<Key, usize> = HashMap::new();
    let mut members: Vec<(Cell, u64)> = Vec::new();
    for (i, (_, cells)) in tests.iter().enumerate() {
        for &cell in *cells {
            let at = *index.entry(Key::of(cell)).or_insert_with(|| {
                members.push((cell, none));
                members.len() - 1
            });
            if members.len() > MAX_CONSTANTS {
                return None;
            }
            if let Some((_, mask)) = members.get_mut(at) {
                // Named twice by one test: still one flip.
                *mask |= 1 << i;
                *mask &= !(u64::from(tests[i].0) << i);
            }
        }
    }
    let (mult, shift, count) = spread(&members)?;
    let start = u32::try_from(buckets.len()).ok()?;
    let classifier = Classifier { field, word: 0, mult, shift, start, none };
    buckets.resize(buckets.len() + count, [(Cell::NEVER, 0); 4]);
    for &(cell, mask) in &members {
        let bucket = buckets.get_mut(classifier.bucket(cell))?;
        let free = bucket.iter_mut().find(|(c, _)| *c == Cell::NEVER)?;
        *free = (cell, mask);
    }
    Some(classifier)
}

/// A cell as a map key.
#[derive(PartialEq, Eq, Hash)]
struct Key(u64, u64, u64);

impl Key {
    fn of(cell: Cell) -> Key {
        Key(cell.tag, cell.word, cell.tail)
    }
}

/// A multiplier and shift that put at most four of `members` in any
/// bucket, and the number of buckets.
fn spread(members: &[(Cell, u64)]) -> Option<(u64, u32, usize)> {
    if members.len() <= 4 {
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
    // Start at about two constants a bucket; allow up to eight times more
    // buckets.
    let first = members.len().div_ceil(2).next_power_of_two().trailing_zeros();
    for bits in first..first + 4 {
        let shift = 64 - bits;
        for _ in 0..64 {
            let mult = next();
            let mut load = vec![0u8; 1 << bits];
            let fits = members.iter().all(|&(cell, _)| {
                let hash = mix(cell).wrapping_mul(mult) >> shift;
                load.get_mut(hash as usize).is_some_and(|n| {
                    *n += 1;
                    *n <= 4
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

    /// What a classifier writes for `value`, found as the evaluator finds it.
    fn classify(classifier: &Classifier, buckets: &[Bucket], value: Option<&str>) -> u64 {
        let cell = value.map_or(Cell::NONE, Cell::of_text);
        let start = if cell.is_text() { classifier.none } else { 0 };
        buckets[classifier.bucket(cell)].iter().fold(start, |mask, &(c, m)| if c == cell { m } else { mask })
    }

    /// Every test's bit is what testing the value against its constants one
    /// by one gives, for sets of every size up to a few hundred constants.
    #[test]
    fn a_classifier_decides_each_test_as_its_constants_do() {
        let words: Vec<String> = (0..300).map(|i| format!("value-{i}")).collect();
        for size in [0, 1, 3, 4, 5, 8, 9, 17, 64, 300] {
            let cells: Vec<Cell> = words[..size].iter().map(|w| Cell::of_text(w)).collect();
            let half = &cells[..size / 2];
            let tests: Vec<(bool, &[Cell])> =
                vec![(false, &cells[..]), (true, half), (false, &cells[size.min(1)..]), (true, &[])];
            let mut buckets = Vec::new();
            let classifier = classifier(7, &tests, &mut buckets).unwrap();
            for value in words.iter().map(|w| Some(w.as_str())).chain([Some(""), Some("value-"), None]) {
                let mask = classify(&classifier, &buckets, value);
                for (k, (negated, set)) in tests.iter().enumerate() {
                    let expected = value.is_some_and(|v| set.contains(&Cell::of_text(v)) != *negated);
                    assert_eq!(mask >> k & 1 == 1, expected, "size {size}, test {k}, {value:?}");
                }
            }
        }
    }

    #[test]
    fn too_many_constants_are_not_classified() {
        let words: Vec<String> = (0..=MAX_CONSTANTS).map(|i| format!("v{i}")).collect();
        let cells: Vec<Cell> = words.iter().map(|w| Cell::of_text(w)).collect();
        assert!(classifier(0, &[(false, &cells[..])], &mut Vec::new()).is_none());
        assert!(classifier(0, &[(false, &cells[1..])], &mut Vec::new()).is_some());
    }

    #[test]
    fn more_than_64_tests_are_not_classified() {
        let cells = [Cell::of_text("a")];
        let tests: Vec<(bool, &[Cell])> = (0..65).map(|_| (false, &cells[..])).collect();
        assert!(classifier(0, &tests, &mut Vec::new()).is_none());
    }
}
