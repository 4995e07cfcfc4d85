//! The evaluation plan: a verified program's code rearranged for speed.
//!
//! In: a verified [`Program`]. Out: a [`Plan`] — deciders, typed tables
//! of the effects that read their results, and the program's code with
//! what the tables hold taken out (jump targets renumbered to land where
//! they did), or, when that code is only points and simple tiers, a
//! [`Finish`] step in its place (`finish`).
//!
//! What the tables hold: every fused fit rule (`fit_when`), every fit rule
//! on `a and b` / `a or b` of two tests, every counted behaviour rule
//! (`behaviours`: once, `each` with gains, `each` with losses), every fused
//! must-have (`require_when`), and a segment whose arms are all fused
//! (`arm_when`). Their tests are grouped by field into deciders (`decide`;
//! `text` for strings): a decider finds the class of its field's value and
//! gives the class's [`Gift`] — the bits of the tests others read, the
//! points of the fit rules it passes — so the evaluator does one step per
//! field, not one per test. Tests no decider takes (short prefixes and
//! suffixes, others) run one by one ([`Tests`]), a fused fit rule's giving
//! its points, any other writing a test bit. Then the effects that read
//! test bits run: fit rules on two tests, must-haves, arms (or, when one
//! decider decides every arm, the digit it gives: `segment`). The remaining
//! code (other compound rules, timed rules, points, tiers) runs last.
//!
//! Moving the rules changes nothing a lead can observe: fit and behaviour
//! rules only add their points to their category's raw total, and additions
//! commute (saturating ones too, unless a total overflows 64 bits, which
//! the checker's bounds on points make practically unreachable; when
//! [`Plan::fixed`] says it cannot, the evaluator adds without saturating);
//! must-haves
//! only count and add; a segment's arms are all tested and the first that
//! holds wins, as in the code. The plan is derived, never saved: compiled
//! files hold the bytecode (`docs/bytecode.md`), and the plan is rebuilt on
//! load, after verification.

mod build;
mod decide;
#[cfg(test)]
mod dump;
mod finish;
mod segment;
mod step;
mod text;

use crate::check::compare::comparison_range;
#[cfg(doc)]
use crate::compile::bytecode::Bytecode;
use crate::compile::opcode::{Cmp, Test};
pub(crate) use decide::{Deciders, Gift, Target};
pub(crate) use finish::Finish;
pub(crate) use segment::DIGIT_SHIFT;
pub(crate) use step::Step;
pub(crate) use text::{Classifier, FREE};

/// What a fit rule does when it fires.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Effect {
    /// The rule's index.
    pub rule: u32,
    /// Its category's index.
    pub cat: u32,
    /// Its points.
    pub points: i64,
}

impl Effect {
    /// No effect: a test that only writes its bit (no such rule or
    /// category, no points).
    pub(crate) const NONE: Effect = Effect { rule: u32::MAX, cat: u32::MAX, points: 0 };
}

/// `starts_with` (`ends_with`, when `suffix`) a constant of at most
/// sixteen bytes, `len` long, whose bytes are `affix` (little-endian, zero
/// padded) and `mask` their mask; `text` is the constant's index, for
/// values longer than a cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct AffixTest {
    pub field: u32,
    pub suffix: bool,
    pub len: u32,
    pub affix: u128,
    pub mask: u128,
    pub text: u32,
    pub bit: u32,
    pub effect: Effect,
}

/// Any other test, run through the general test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OtherTest {
    pub test: Test,
    pub bit: u32,
    pub effect: Effect,
}

/// A table of tests of one kind: those of fused fit rules, which give
/// their rule's points, and those other entries read, which write their
/// bit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tests<T> {
    /// Tests of fused fit rules (no bit: nothing reads them).
    pub fits: Vec<T>,
    /// Tests that write their bit (no effect).
    pub bits: Vec<T>,
}

impl<T> Default for Tests<T> {
    fn default() -> Self {
        Tests { fits: Vec::new(), bits: Vec::new() }
    }
}

impl<T> Tests<T> {
    fn push(&mut self, test: T, effect: Effect) {
        match effect == Effect::NONE {
            true => self.bits.push(test),
            false => self.fits.push(test),
        }
    }
}

/// What every test table entry has: the bit it writes, the effect it gives.
pub(crate) trait Entry {
    /// The bit it writes (tests of fused fit rules: none).
    fn bit(&self) -> u32;
    /// What it gives when it holds.
    fn effect(&self) -> Effect;
}

macro_rules! entry {
    ($($t:ty),*) => {$(
        impl Entry for $t {
            #[inline(always)]
            fn bit(&self) -> u32 {
                self.bit
            }
            #[inline(always)]
            fn effect(&self) -> Effect {
                self.effect
            }
        }
    )*};
}

entry!(AffixTest, OtherTest);

/// A fit rule whose condition is test bit `a` and `b` (`a` or `b`, when
/// `or`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PairFit {
    pub a: u32,
    pub b: u32,
    pub or: bool,
    pub effect: Effect,
}

/// A behaviour rule worth its points once, when the behaviour's count
/// reaches `min` (also an `each` rule worth 0 points: it gives 0 either way).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OnceStep {
    pub behaviour: u32,
    pub min: u32,
    pub effect: Effect,
}

/// An `each` behaviour rule: `points × count` limited by `limit` (`min`
/// with it when `points` are positive, `max` when negative), when the count
/// reaches `min`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EachStep {
    pub behaviour: u32,
    pub min: u32,
    pub limit: i64,
    pub effect: Effect,
}

/// A must-have whose condition is test bit `bit`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RequireStep {
    pub bit: u32,
    pub index: u32,
    pub points: i64,
}

/// One arm of a segment whose arms are all one test each; the first arm
/// whose test bit is set gives the digit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ArmStep {
    pub bit: u32,
    pub arm: u32,
    pub digit: u8,
}

/// How many categories a [`Plan::fixed`] program has at most.
pub(crate) const FIXED_CATEGORIES: usize = 8;

/// How many words of test bits a [`Plan::fixed`] program has at most.
pub(crate) const FIXED_WORDS: usize = 16;

/// A verified program's code with its rules, must-haves and fused segment
/// in typed tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Plan {
    /// The code left once the tables are taken out.
    pub code: Vec<Step>,
    /// That code as one step, when it is only points and tiers of simple
    /// conditions: the evaluator then runs no code.
    pub finish: Option<Finish>,
    /// How many 64-bit words of test bits a lead needs.
    pub words: usize,
    /// The word deciders write that no test bit of theirs is in (the
    /// last; nothing reads it).
    pub sink: u32,
    /// The program has at most [`FIXED_CATEGORIES`] categories and
    /// [`FIXED_WORDS`] words of test bits, and no sum of the tables' points
    /// can overflow 64 bits whatever the lead: the evaluator keeps totals
    /// and bits in fixed arrays and adds without saturating.
    pub fixed: bool,
    /// The deciders of all but string fields.
    pub deciders: Deciders,
    /// Deciders of string equality and set tests, with a perfect hash.
    pub classifiers: Vec<Classifier>,
    /// Deciders of string equality and set tests, with buckets of four.
    pub wide: Vec<Classifier>,
    /// The classifiers' slots and buckets.
    pub texts: text::Tables,
    /// The fits the deciders and classifiers give points for, with their
    /// tests: an explanation runs the tests one by one to say which fired.
    pub decided: Vec<(Test, Effect)>,
    pub affixes: Tests<AffixTest>,
    pub others: Tests<OtherTest>,
    /// Fit rules on `a and b` / `a or b` of two tests.
    pub pairs: Vec<PairFit>,
    pub requires: Vec<RequireStep>,
    /// The segment's arms, in order, when they were all taken.
    pub arms: Vec<ArmStep>,
    /// When the arms are folded into the decider that writes this word:
    /// the segment digit is its top byte (`segment`).
    pub segment_word: Option<u32>,
    pub once: Vec<OnceStep>,
    /// `each` rules with positive points.
    pub gains: Vec<EachStep>,
    /// `each` rules with negative points.
    pub losses: Vec<EachStep>,
}

impl Plan {
    /// A bound on any sum of the tables' points: every rule's largest
    /// contribution, summed (an `each` rule's is its points times the
    /// largest count, or its limit when the limit is of the other sign).
    fn bound(&self) -> i128 {
        fn fits<E: Entry>(tests: &Tests<E>) -> impl Iterator<Item = i128> + '_ {
            tests.fits.iter().map(|t| i128::from(t.effect().points).abs())
        }
        fn most<'a>(gifts: impl IntoIterator<Item = &'a Gift>) -> i128 {
            gifts.into_iter().map(|g| i128::from(g.points).abs()).max().unwrap_or(0)
        }
        let deciders = self
            .deciders
            .ints
            .iter()
            .map(|d| most(&d.gifts))
            .chain(self.deciders.numbers.iter().map(|d| most(&d.gifts)));
        let deciders = deciders.chain(self.deciders.bools.iter().map(|d| most(&d.gifts)));
        let deciders = deciders.chain(self.deciders.tags.iter().map(|d| most(&d.gifts)));
        let enums =
            self.deciders.enums.iter().map(|d| most(self.deciders.gifts.get(d.range()).unwrap_or(&[])));
        let slots = self.classifiers.iter().map(|c| {
            let slots = self.texts.slots.get(c.range()).unwrap_or(&[]);
            most(slots.iter().map(|(_, g)| g).chain([&c.none]))
        });
        let buckets = self.wide.iter().map(|c| {
            let buckets = self.texts.buckets.get(c.range()).unwrap_or(&[]);
            most(buckets.iter().flatten().map(|(_, g)| g).chain([&c.none]))
        });
        let effects = self.pairs.iter().map(|f| f.effect).chain(self.once.iter().map(|s| s.effect));
        let effects = effects.map(|e| i128::from(e.points).abs());
        let each = |steps: &[EachStep], gains: bool| -> i128 {
            let bound = |s: &EachStep| {
                let most = i128::from(s.effect.points).abs() * i128::from(u32::MAX);
                let limit_wins = if gains { s.limit < 0 } else { s.limit > 0 };
                if limit_wins { most.max(i128::from(s.limit).abs()) } else { most }
            };
            steps.iter().map(bound).fold(0, i128::saturating_add)
        };
        let each = [each(&self.gains, true), each(&self.losses, false)];
        deciders
            .chain(enums)
            .chain(slots)
            .chain(buckets)
            .chain(fits(&self.affixes))
            .chain(fits(&self.others))
            .chain(effects)
            .chain(each)
            .fold(0, i128::saturating_add)
    }
}

/// `value <cmp> k` as `(negated, lo, hi)`: the values that pass are those
/// in `lo..=hi` (outside it, when negated). Exact for every `value`,
/// including infinities and NaN (in no range; outside every one).
fn range(cmp: Cmp, k: f64) -> (bool, f64, f64) {
    match comparison_range(cmp.op(), k) {
        Some((lo, hi, negated)) => (negated, lo, hi),
        // Nothing passes: NaN ends hold no value.
        None => (false, f64::NAN, f64::NAN),
    }
}

#[cfg(test)]
mod tests;
