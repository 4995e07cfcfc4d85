//! The evaluation plan: a verified program's code rearranged for speed.
//!
//! In: a verified [`Program`]. Out: a [`Plan`] — typed tables of tests and
//! of the effects that read them, and the program's code with what the
//! tables hold taken out (jump targets renumbered to land where they did).
//!
//! What the tables hold: every fused fit rule (`fit_when`), every fit rule
//! on `a and b` / `a or b` of two tests, every counted behaviour rule
//! (`behaviours`: once, `each` with gains, `each` with losses), every fused
//! must-have (`require_when`), and a segment whose arms are all fused
//! (`arm_when`). Their tests run first, one tight loop per test kind (int
//! ranges, number ranges, enum bits, bools, missing/present, short
//! prefixes and suffixes, others): a fused fit rule's test gives its
//! points, any other writes its result to a bit of the lead's test bits
//! ([`Tests`]). Equality and set tests on a string field are decided
//! together, per field: a [`Classifier`] finds the field's value among all
//! the constants those tests name (one hashed bucket of four cells) and
//! writes every test's result at once (`text`). Then the effects that read
//! test bits run: fit rules on strings or on two tests, must-haves, arms.
//! The remaining code (other compound rules, timed rules, points, tiers)
//! runs last.
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

mod text;

use crate::cell::Cell;
use crate::compile::opcode::{BehaviourStep, Cmp, Op, Test};
use crate::program::Program;
use std::collections::HashMap;
pub(crate) use text::{Bucket, Classifier};

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

/// An int field within `lo..=hi` (outside, when `negated`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct IntTest {
    pub field: u32,
    pub negated: bool,
    pub lo: i64,
    pub hi: i64,
    pub bit: u32,
    pub effect: Effect,
}

/// A number field within `lo..=hi` (outside, when `negated`); comparisons
/// become ranges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct NumberTest {
    pub field: u32,
    pub negated: bool,
    pub lo: f64,
    pub hi: f64,
    pub bit: u32,
    pub effect: Effect,
}

/// An enum field (at most 64 values) whose value's bit is set in `bits`
/// (clear, when `negated`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EnumTest {
    pub field: u32,
    pub negated: bool,
    pub bits: u64,
    pub bit: u32,
    pub effect: Effect,
}

/// A bool field equal to `value`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BoolTest {
    pub field: u32,
    pub value: bool,
    pub bit: u32,
    pub effect: Effect,
}

/// Whether a field has a value (`missing`: has none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TagTest {
    pub field: u32,
    pub missing: bool,
    pub bit: u32,
    pub effect: Effect,
}

/// `starts_with` (`ends_with`, when `suffix`) a constant of at most
/// sixteen bytes, `len` long, whose bytes are `affix` (little-endian, zero
/// padded); `text` is the constant's index, for values longer than a cell
/// holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct AffixTest {
    pub field: u32,
    pub suffix: bool,
    pub len: u32,
    pub affix: u128,
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

entry!(IntTest, NumberTest, EnumTest, BoolTest, TagTest, AffixTest, OtherTest);

/// A fit rule whose condition is test bit `a` and `b` (`a` or `b`, when
/// `or`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PairFit {
    pub a: u32,
    pub b: u32,
    pub or: bool,
    pub effect: Effect,
}

/// A fit rule on a string test: test bit `bit`, which a classifier writes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TextFit {
    pub bit: u32,
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
pub(crate) const FIXED_WORDS: usize = 8;

/// A verified program's code with its rules, must-haves and fused segment
/// in typed tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Plan {
    /// The code left once the tables are taken out.
    pub code: Vec<Op>,
    /// How many 64-bit words of test bits a lead needs.
    pub words: usize,
    /// The program has at most [`FIXED_CATEGORIES`] categories and
    /// [`FIXED_WORDS`] words of test bits, and no sum of the tables' points
    /// can overflow 64 bits whatever the lead: the evaluator keeps totals
    /// and bits in fixed arrays and adds without saturating.
    pub fixed: bool,
    pub ints: Tests<IntTest>,
    pub numbers: Tests<NumberTest>,
    pub enums: Tests<EnumTest>,
    pub bools: Tests<BoolTest>,
    pub tags: Tests<TagTest>,
    pub affixes: Tests<AffixTest>,
    pub others: Tests<OtherTest>,
    /// One per group of string equality and set tests on one field.
    pub classifiers: Vec<Classifier>,
    /// The classifiers' buckets.
    pub buckets: Vec<Bucket>,
    /// Fit rules on string tests.
    pub text_fits: Vec<TextFit>,
    /// Fit rules on `a and b` / `a or b` of two tests.
    pub pairs: Vec<PairFit>,
    pub requires: Vec<RequireStep>,
    /// The segment's arms, in order, when they were all taken.
    pub arms: Vec<ArmStep>,
    pub once: Vec<OnceStep>,
    /// `each` rules with positive points.
    pub gains: Vec<EachStep>,
    /// `each` rules with negative points.
    pub losses: Vec<EachStep>,
}

impl Plan {
    /// Builds the plan of `program`, whose code must have been verified
    /// (jump targets within the code).
    pub(crate) fn new(program: &Program) -> Plan {
        let code = program.code.as_slice();
        let mut builder = Builder { program, plan: Plan::default(), bits: 0, texts: Vec::new() };
        // Which instructions some jump or arm lands on: a pattern that
        // spans several instructions is taken out only if nothing outside
        // it lands inside it.
        let mut landed = vec![0u32; code.len() + 1];
        for op in code {
            if let Some(target) = op.target()
                && let Some(count) = landed.get_mut(target as usize)
            {
                *count += 1;
            }
        }
        let mut taken = vec![false; code.len()];
        let mut pc = 0;
        while pc < code.len() {
            let n = builder.take(code, pc, &landed);
            taken[pc..pc + n].iter_mut().for_each(|t| *t = true);
            pc += n.max(1);
        }
        let mut plan = builder.finish();
        plan.code = rest(code, &taken);
        plan
    }
}

impl Plan {
    /// A bound on any sum of the tables' points: every rule's largest
    /// contribution, summed (an `each` rule's is its points times the
    /// largest count, or its limit when the limit is of the other sign).
    fn bound(&self) -> i128 {
        fn fits<E: Entry>(tests: &Tests<E>) -> impl Iterator<Item = Effect> + '_ {
            tests.fits.iter().map(Entry::effect)
        }
        let effects = fits(&self.ints).chain(fits(&self.numbers)).chain(fits(&self.enums));
        let effects = effects.chain(fits(&self.bools)).chain(fits(&self.tags));
        let effects = effects.chain(fits(&self.affixes)).chain(fits(&self.others));
        let effects = effects.chain(self.text_fits.iter().map(|f| f.effect));
        let effects =
            effects.chain(self.pairs.iter().map(|f| f.effect)).chain(self.once.iter().map(|s| s.effect));
        let each = |steps: &[EachStep], gains: bool| -> i128 {
            let bound = |s: &EachStep| {
                let most = i128::from(s.effect.points).abs() * i128::from(u32::MAX);
                let limit_wins = if gains { s.limit < 0 } else { s.limit > 0 };
                if limit_wins { most.max(i128::from(s.limit).abs()) } else { most }
            };
            steps.iter().map(bound).fold(0, i128::saturating_add)
        };
        let each = [each(&self.gains, true), each(&self.losses, false)];
        effects.map(|e| i128::from(e.points).abs()).chain(each).fold(0, i128::saturating_add)
    }
}

/// The instructions of `code` not `taken`, with jump targets renumbered.
fn rest(code: &[Op], taken: &[bool]) -> Vec<Op> {
    let mut rest = Vec::new();
    // removed[i]: how many instructions before instruction i were taken.
    let mut removed = Vec::with_capacity(code.len() + 1);
    let mut count = 0u32;
    for (op, taken) in code.iter().zip(taken) {
        removed.push(count);
        match taken {
            true => count += 1,
            false => rest.push(*op),
        }
    }
    removed.push(count);
    let renumber = |target: &mut u32| {
        *target -= removed.get(*target as usize).copied().unwrap_or(0);
    };
    for op in &mut rest {
        match op {
            Op::JumpIfFalse { target } | Op::JumpIfTrue { target } => renumber(target),
            Op::SegmentArm { end, .. } | Op::ArmWhen { end, .. } => renumber(end),
            _ => {}
        }
    }
    rest
}

/// Marks a string test's bit until [`Builder::finish`] knows where its
/// classifier's word is.
const TEXT: u32 = 1 << 31;

/// A string equality or set test waiting for its classifier.
struct PendingText {
    test: Test,
    field: u32,
    negated: bool,
    members: Vec<Cell>,
}

/// Builds a [`Plan`]: tests get bits in the order they are taken; string
/// tests get theirs once grouped.
struct Builder<'p> {
    program: &'p Program,
    plan: Plan,
    /// Bits given out so far (string tests excepted).
    bits: u32,
    texts: Vec<PendingText>,
}

impl Builder<'_> {
    /// Takes the instructions at `pc` into a table if they form a pattern
    /// the plan runs as a table; returns how many it took (0: none).
    fn take(&mut self, code: &[Op], pc: usize, landed: &[u32]) -> usize {
        let at = |i: usize| code.get(pc + i);
        let lands = |i: usize| landed.get(pc + i).copied().unwrap_or(0);
        match at(0) {
            Some(&Op::FitWhen { test, rule, cat, points }) => {
                self.fit(test, Effect { rule, cat, points });
                1
            }
            Some(&Op::Behaviours { start, len }) => {
                let (start, len) = (start as usize, len as usize);
                let steps = self.program.steps.get(start..start.saturating_add(len)).unwrap_or(&[]);
                steps.iter().for_each(|step| self.step(step));
                1
            }
            Some(&Op::RequireWhen { test, index, points }) => {
                let bit = self.test(test);
                self.plan.requires.push(RequireStep { bit, index, points });
                1
            }
            Some(Op::ArmWhen { end, .. }) => self.segment(code, pc, *end as usize, landed),
            // `a and b` / `a or b` of two tests guarding a fit rule.
            Some(&Op::Test(a)) => match (at(1), at(2), at(3)) {
                (Some(jump), Some(&Op::Test(b)), Some(&Op::Fit { rule, cat, points }))
                    if jump.target() == Some(pc as u32 + 3)
                        && matches!(jump, Op::JumpIfFalse { .. } | Op::JumpIfTrue { .. })
                        && lands(1) + lands(2) == 0
                        && lands(3) == 1 =>
                {
                    let or = matches!(jump, Op::JumpIfTrue { .. });
                    let (a, b) = (self.test(a), self.test(b));
                    self.plan.pairs.push(PairFit { a, b, or, effect: Effect { rule, cat, points } });
                    4
                }
                _ => 0,
            },
            _ => 0,
        }
    }

    /// Takes a segment whose arms are all fused (`arm_when` at `pc..end`,
    /// each ending at `end`, nothing landing among them); returns how many
    /// instructions it took (0: none).
    fn segment(&mut self, code: &[Op], pc: usize, end: usize, landed: &[u32]) -> usize {
        let Some(ops) = code.get(pc..end) else { return 0 };
        let fused = ops.iter().all(|op| matches!(op, Op::ArmWhen { end: e, .. } if *e as usize == end));
        let from_elsewhere = (pc + 1..end).any(|i| landed.get(i).copied().unwrap_or(0) > 0);
        if !fused || from_elsewhere || ops.is_empty() {
            return 0;
        }
        for op in ops {
            if let Op::ArmWhen { test, arm, digit, .. } = *op {
                let bit = self.test(test);
                self.plan.arms.push(ArmStep { bit, arm, digit });
            }
        }
        ops.len()
    }

    /// A fused fit rule: its test, giving its points — or, for a string
    /// test (whose classifier writes bits but gives nothing), a fit rule
    /// reading its bit.
    fn fit(&mut self, test: Test, effect: Effect) {
        match self.pending_text(test) {
            Some(pending) => {
                let bit = self.text(pending);
                self.plan.text_fits.push(TextFit { bit, effect });
            }
            None => {
                self.typed(test, effect);
            }
        }
    }

    /// A string test, waiting for its classifier; returns its provisional
    /// bit.
    fn text(&mut self, pending: PendingText) -> u32 {
        self.texts.push(pending);
        TEXT | (self.texts.len() as u32 - 1)
    }

    /// Puts `test`, which an entry reads, in its table; returns its bit.
    fn test(&mut self, test: Test) -> u32 {
        match self.pending_text(test) {
            Some(pending) => self.text(pending),
            None => self.typed(test, Effect::NONE),
        }
    }

    /// Puts `test` in its typed table (string tests in the others): with
    /// an effect, among the fits (no bit: returns `u32::MAX`); without,
    /// among the tests that write their bit, which it returns.
    fn typed(&mut self, test: Test, effect: Effect) -> u32 {
        let bit = match effect == Effect::NONE {
            true => {
                self.bits += 1;
                self.bits - 1
            }
            false => u32::MAX,
        };
        let plan = &mut self.plan;
        match test {
            Test::IntRange { field, negated, lo, hi } => {
                plan.ints.push(IntTest { field, negated, lo, hi, bit, effect }, effect)
            }
            Test::NumRange { field, negated, lo, hi } => {
                plan.numbers.push(NumberTest { field, negated, lo, hi, bit, effect }, effect)
            }
            Test::NumCmp { field, cmp, k } => {
                let (negated, lo, hi) = range(cmp, k);
                plan.numbers.push(NumberTest { field, negated, lo, hi, bit, effect }, effect)
            }
            Test::EnumBits { field, negated, bits } => {
                plan.enums.push(EnumTest { field, negated, bits, bit, effect }, effect)
            }
            Test::Bool { field, value } => plan.bools.push(BoolTest { field, value, bit, effect }, effect),
            Test::Present { field } => plan.tags.push(TagTest { field, missing: false, bit, effect }, effect),
            Test::Missing { field } => plan.tags.push(TagTest { field, missing: true, bit, effect }, effect),
            Test::StartsWith { field, text } | Test::EndsWith { field, text }
                if self.program.strings.entry(text as usize).is_some_and(|(cell, _)| cell.tag <= 16) =>
            {
                let suffix = matches!(test, Test::EndsWith { .. });
                let cell = self.program.strings.entry(text as usize).map_or(Cell::NONE, |(cell, _)| cell);
                let (len, affix) = (cell.tag as u32, cell.head());
                plan.affixes.push(AffixTest { field, suffix, len, affix, text, bit, effect }, effect)
            }
            _ => plan.others.push(OtherTest { test, bit, effect }, effect),
        }
        bit
    }

    /// `test` as a string test a classifier can decide: equality with, or
    /// membership in, constants of at most sixteen bytes.
    fn pending_text(&self, test: Test) -> Option<PendingText> {
        let strings = &self.program.strings;
        let one;
        let (field, negated, members) = match test {
            Test::TextEq { field, negated, text } => {
                one = [text];
                (field, negated, &one[..])
            }
            Test::TextIn { field, negated, set } => {
                (field, negated, &**self.program.text_sets.get(set as usize)?)
            }
            _ => return None,
        };
        let members: Vec<Cell> = members
            .iter()
            .map(|&m| strings.entry(m as usize).map(|(cell, _)| cell))
            .collect::<Option<_>>()?;
        members.iter().all(|cell| !cell.is_long_text()).then_some(PendingText {
            test,
            field,
            negated,
            members,
        })
    }

    fn step(&mut self, step: &BehaviourStep) {
        let effect = Effect { rule: step.rule, cat: step.cat, points: step.points };
        let (behaviour, min, limit) = (step.behaviour, step.min, step.limit);
        let plan = &mut self.plan;
        match step.points {
            p if step.each && p > 0 => plan.gains.push(EachStep { behaviour, min, limit, effect }),
            p if step.each && p < 0 => plan.losses.push(EachStep { behaviour, min, limit, effect }),
            _ => plan.once.push(OnceStep { behaviour, min, effect }),
        }
    }

    /// Groups the string tests into classifiers (a test whose group no
    /// classifier can take runs as an other test), gives every group its
    /// word and every string test its bit.
    fn finish(mut self) -> Plan {
        let texts = std::mem::take(&mut self.texts);
        // Groups of at most 64 tests per field, in order of first test;
        // `open` holds each field's group still taking tests.
        let mut groups: Vec<(u32, Vec<usize>)> = Vec::new();
        let mut open: HashMap<u32, usize> = HashMap::new();
        for (i, text) in texts.iter().enumerate() {
            match open.get(&text.field).and_then(|&g| groups.get_mut(g)) {
                Some((_, members)) if members.len() < 64 => members.push(i),
                _ => {
                    open.insert(text.field, groups.len());
                    groups.push((text.field, vec![i]));
                }
            }
        }
        let mut bit_of = vec![0u32; texts.len()];
        let mut classified = Vec::new();
        for (field, members) in groups {
            let tests: Vec<(bool, &[Cell])> =
                members.iter().map(|&i| (texts[i].negated, &texts[i].members[..])).collect();
            match text::classifier(field, &tests, &mut self.plan.buckets) {
                Some(classifier) => classified.push((classifier, members)),
                None => {
                    for i in members {
                        bit_of[i] = self.typed(texts[i].test, Effect::NONE);
                    }
                }
            }
        }
        // Classifiers own whole words, after every other test's bits.
        let first_word = self.bits.div_ceil(64);
        for (n, (mut classifier, members)) in classified.into_iter().enumerate() {
            classifier.word = first_word + n as u32;
            for (k, i) in members.into_iter().enumerate() {
                bit_of[i] = classifier.word * 64 + k as u32;
            }
            self.plan.classifiers.push(classifier);
        }
        self.plan.words = (first_word as usize) + self.plan.classifiers.len();
        let resolve = |bit: &mut u32| {
            if *bit & TEXT != 0 {
                *bit = bit_of.get((*bit & !TEXT) as usize).copied().unwrap_or(u32::MAX);
            }
        };
        for pair in &mut self.plan.pairs {
            resolve(&mut pair.a);
            resolve(&mut pair.b);
        }
        self.plan.text_fits.iter_mut().for_each(|f| resolve(&mut f.bit));
        self.plan.requires.iter_mut().for_each(|r| resolve(&mut r.bit));
        self.plan.arms.iter_mut().for_each(|a| resolve(&mut a.bit));
        self.plan.fixed = self.program.categories.len() <= FIXED_CATEGORIES
            && self.plan.words <= FIXED_WORDS
            && self.plan.bound() < 1 << 62;
        self.plan
    }
}

/// `value <cmp> k` as `(negated, lo, hi)`: the values that pass are those
/// in `lo..=hi` (outside it, when negated). Exact for every `value`,
/// including infinities and NaN (in no range; outside every one).
fn range(cmp: Cmp, k: f64) -> (bool, f64, f64) {
    const INFINITY: f64 = f64::INFINITY;
    const NEG_INFINITY: f64 = f64::NEG_INFINITY;
    const NAN: f64 = f64::NAN;
    match cmp {
        Cmp::Eq => (false, k, k),
        Cmp::Ne => (true, k, k),
        Cmp::Ge => (false, k, INFINITY),
        Cmp::Le => (false, NEG_INFINITY, k),
        // Nothing is greater than +inf (next_up would keep +inf itself).
        Cmp::Gt if k == INFINITY => (false, NAN, NAN),
        Cmp::Gt => (false, k.next_up(), INFINITY),
        Cmp::Lt if k == NEG_INFINITY => (false, NAN, NAN),
        Cmp::Lt => (false, NEG_INFINITY, k.next_down()),
    }
}

#[cfg(test)]
mod tests;
