//! The segment folded into a decider: when every arm's test is decided by
//! one decider, each of its classes knows which arm holds first.
//!
//! In: a built [`Plan`] whose segment arms are all in its tables. Out: the
//! same plan with, when all the arms' bits are in the word of one decider
//! and no one reads that word's top byte, each of that decider's gifts
//! carrying its class's segment digit in the top byte of its mask
//! (`Plan::segment_word`): the evaluator then reads the digit from the
//! word instead of testing the arms one by one. An explanation still tests
//! them, to say which arm matched.

use super::{Gift, Plan};

/// Where in a decider's word the folded segment digit is.
pub(crate) const DIGIT_SHIFT: u32 = 56;

/// Folds the arms of `plan` into their decider, when they all have one.
pub(super) fn fold(plan: &mut Plan) {
    let Some(&first) = plan.arms.first() else { return };
    let word = first.bit / 64;
    let in_word = |bit: u32| bit / 64 == word;
    if word == plan.sink || !plan.arms.iter().all(|a| in_word(a.bit)) {
        return;
    }
    // Every bit anyone reads in the word must be below the digit's byte.
    let requires = plan.requires.iter().map(|r| r.bit);
    let pairs = plan.pairs.iter().flat_map(|p| [p.a, p.b]);
    let mut read = plan.arms.iter().map(|a| a.bit).chain(requires).chain(pairs);
    if read.any(|b| in_word(b) && b % 64 >= DIGIT_SHIFT) {
        return;
    }
    let arms = plan.arms.clone();
    let digit = |mask: u64| {
        let first = arms.iter().find(|a| mask >> (a.bit % 64) & 1 == 1);
        first.map_or(0, |a| a.digit)
    };
    let mut found = false;
    for_each_gift(plan, word, |gift| {
        found = true;
        gift.mask |= u64::from(digit(gift.mask)) << DIGIT_SHIFT;
    });
    if found {
        plan.segment_word = Some(word);
    }
}

/// Calls `f` with every gift of the decider that writes `word` (no other
/// decider writes it: each decider with bits owns its word).
fn for_each_gift(plan: &mut Plan, word: u32, mut f: impl FnMut(&mut Gift)) {
    let d = &mut plan.deciders;
    let ranges = d.ints.iter_mut().filter(|d| d.at.word == word).flat_map(|d| &mut d.gifts);
    let numbers = d.numbers.iter_mut().filter(|d| d.at.word == word).flat_map(|d| &mut d.gifts);
    let bools = d.bools.iter_mut().filter(|d| d.at.word == word).flat_map(|d| &mut d.gifts);
    let tags = d.tags.iter_mut().filter(|d| d.at.word == word).flat_map(|d| &mut d.gifts);
    ranges.chain(numbers).chain(bools).chain(tags).for_each(&mut f);
    for e in d.enums.iter().filter(|e| e.at.word == word) {
        d.gifts.get_mut(e.range()).into_iter().flatten().for_each(&mut f);
    }
    let texts = &mut plan.texts;
    for c in plan.classifiers.iter_mut().filter(|c| c.at.word == word) {
        f(&mut c.none);
        texts.slots.get_mut(c.range()).into_iter().flatten().for_each(|(_, gift)| f(gift));
    }
    for c in plan.wide.iter_mut().filter(|c| c.at.word == word) {
        f(&mut c.none);
        texts.buckets.get_mut(c.range()).into_iter().flatten().flatten().for_each(|(_, gift)| f(gift));
    }
}
