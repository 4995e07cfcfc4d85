//! The plan's tables (`crate::plan`), run over one lead.
//!
//! In: a program's plan, a lead's cells and counts, the outcome being
//! filled. Out: fused fit rules' and behaviour rules' points in their
//! categories' raw totals (and, with a finish step on the fixed path, the
//! capped totals and their sum); must-haves counted; the segment digit.
//! Each table is one tight loop with no dispatch, and every result that
//! depends on the lead is applied by selection, not by a branch (such
//! branches mispredict). A `Plan::fixed` program (at most 8 categories and
//! 16 words of test bits, sums that cannot overflow) keeps its totals and
//! test bits in fixed arrays; any other, totals in the outcome and bits in
//! the scorer's [`Scratch`].

use super::{Machine, Scratch, Tabled, Trace, given, must_have, saturating_add};
use crate::compile::holds::{Fields, Slots, test};
use crate::lead::Lead;
use crate::lead::cell::Cell;
#[cfg(doc)]
use crate::plan::Plan;
use crate::plan::{
    AffixTest, DIGIT_SHIFT, Effect, Entry, FIXED_CATEGORIES, FIXED_WORDS, FREE, Gift, Target, Tests,
};
use crate::vm::outcome::{CategoryTotal, Outcome, RuleTrace};

/// Runs every table.
pub(super) fn run<T: Trace>(
    program: Machine<'_>,
    lead: &Lead,
    slots: Slots<'_>,
    out: &mut Outcome,
    scratch: &mut Scratch,
    trace: &mut T,
) -> Tabled {
    let plan = &program.plan;
    if plan.fixed {
        let (mut cats, mut bits) = (Small([0; SMALL]), SmallBits([0; SMALL_WORDS]));
        rules(program, lead, slots, &mut bits, &mut cats, trace);
        arms(program, &bits, out, trace);
        let require_points = requires(program, &bits, out, trace);
        let finish = plan.finish.as_ref().filter(|finish| finish.exact);
        let capped = finish.map(|finish| cap(&cats, &finish.fixed_caps, out));
        if capped.is_none() {
            for (total, raw) in out.categories.iter_mut().zip(cats.0) {
                total.raw = raw;
            }
        }
        Tabled { require_points, capped }
    } else {
        let bits = &mut scratch.bits;
        bits.clear();
        bits.resize(plan.words, 0);
        rules(program, lead, slots, bits.as_mut_slice(), out.categories.as_mut_slice(), trace);
        arms(program, bits.as_slice(), out, trace);
        let require_points = requires(program, bits.as_slice(), out, trace);
        Tabled { require_points, capped: None }
    }
}

/// Caps the fixed totals `cats` with `caps` into the outcome's categories;
/// returns the sum of the capped totals, which cannot overflow
/// (`Finish::exact`).
fn cap(cats: &Small, caps: &[i64; SMALL], out: &mut Outcome) -> i64 {
    let mut sum = 0i64;
    for ((total, &raw), &cap) in out.categories.iter_mut().zip(&cats.0).zip(caps) {
        let capped = raw.min(cap);
        *total = CategoryTotal { raw, capped };
        sum = sum.wrapping_add(capped);
    }
    sum
}

/// The tables that add points: deciders, tests run one by one, fit rules
/// reading bits, behaviour rules.
#[inline(always)]
fn rules<B: Bits + ?Sized, C: Totals + ?Sized, T: Trace>(
    program: Machine<'_>,
    lead: &Lead,
    slots: Slots<'_>,
    bits: &mut B,
    cats: &mut C,
    trace: &mut T,
) {
    decide(program, slots, bits, cats, trace);
    tests(program, slots, bits, cats, trace);
    fits(program, bits, cats, trace);
    behaviours(program, lead, cats, trace);
}

/// Where the tables add points: the categories' raw totals.
trait Totals {
    /// Adds `points` to category `cat`'s raw total.
    fn add(&mut self, cat: u32, points: i64);
}

impl Totals for [CategoryTotal] {
    #[inline(always)]
    fn add(&mut self, cat: u32, points: i64) {
        if let Some(total) = self.get_mut(cat as usize) {
            total.raw = saturating_add(total.raw, points);
        }
    }
}

/// How many categories [`Small`] holds.
const SMALL: usize = FIXED_CATEGORIES;

/// The raw totals of a [`Plan::fixed`] program's categories, whose sums
/// cannot overflow: added in a fixed array, so without a bounds check (the
/// index is masked) and without saturating.
struct Small([i64; SMALL]);

impl Totals for Small {
    #[inline(always)]
    fn add(&mut self, cat: u32, points: i64) {
        let total = &mut self.0[cat as usize % SMALL];
        *total = total.wrapping_add(points);
    }
}

/// The deciders, one loop per kind: each finds the class of its field's
/// value, writes the class's bits to its word and adds its points to its
/// category. An explanation then runs the decided fits' tests one by one,
/// to say which fired.
fn decide<B: Bits + ?Sized, C: Totals + ?Sized, T: Trace>(
    program: Machine<'_>,
    slots: Slots<'_>,
    bits: &mut B,
    cats: &mut C,
    trace: &mut T,
) {
    let plan = &program.plan;
    for d in &plan.deciders.ints {
        give_class(bits, cats, d.at, d.gifts[d.class(slots.cell(d.at.field)) % d.gifts.len()]);
    }
    for d in &plan.deciders.numbers {
        give_class(bits, cats, d.at, d.gifts[d.class(slots.cell(d.at.field)) % d.gifts.len()]);
    }
    for d in &plan.deciders.enums {
        let gift = plan.deciders.gifts.get(d.gift(slots.cell(d.at.field))).copied().unwrap_or_default();
        give_class(bits, cats, d.at, gift);
    }
    for d in &plan.deciders.bools {
        give_class(bits, cats, d.at, d.gifts[d.class(slots.cell(d.at.field)) % d.gifts.len()]);
    }
    for d in &plan.deciders.tags {
        give_class(bits, cats, d.at, d.gifts[d.class(slots.cell(d.at.field)) % d.gifts.len()]);
    }
    for c in &plan.classifiers {
        let cell = slots.cell(c.at.field);
        let slot = plan.texts.slots.get(c.place(cell)).copied().unwrap_or(FREE);
        give_class(bits, cats, c.at, c.gift([slot], cell));
    }
    for c in &plan.wide {
        let cell = slots.cell(c.at.field);
        let bucket = plan.texts.buckets.get(c.place(cell)).copied().unwrap_or([FREE; 4]);
        give_class(bits, cats, c.at, c.gift(bucket, cell));
    }
    if T::ON {
        for (t, effect) in &plan.decided {
            let fired = test(program.code, slots, t);
            let points = if fired { effect.points } else { 0 };
            trace.rule(effect.rule, RuleTrace { fired, uncapped: points, points });
        }
    }
}

/// A class's gift: its bits to the decider's word, its points to its
/// category.
#[inline(always)]
fn give_class<B: Bits + ?Sized, C: Totals + ?Sized>(bits: &mut B, cats: &mut C, at: Target, gift: Gift) {
    bits.set_word(at.word, gift.mask);
    cats.add(at.cat, gift.points);
}

/// The tables of tests run one by one: a fused fit rule's test gives its
/// points when it holds, any other writes its bit.
fn tests<B: Bits + ?Sized, C: Totals + ?Sized, T: Trace>(
    program: Machine<'_>,
    slots: Slots<'_>,
    bits: &mut B,
    cats: &mut C,
    trace: &mut T,
) {
    let plan = &program.plan;
    table(&plan.affixes, bits, cats, trace, |t| affix(program, slots, t));
    table(&plan.others, bits, cats, trace, |t| test(program.code, slots, &t.test));
}

/// One test table: its fits, then its bit writers.
#[inline(always)]
fn table<E: Entry, B: Bits + ?Sized, C: Totals + ?Sized, T: Trace>(
    tests: &Tests<E>,
    bits: &mut B,
    cats: &mut C,
    trace: &mut T,
    holds: impl Fn(&E) -> bool,
) {
    for t in &tests.fits {
        give(cats, trace, t.effect(), holds(t));
    }
    for t in &tests.bits {
        bits.set(t.bit(), holds(t));
    }
}

/// A `starts_with` / `ends_with` test of a constant of at most sixteen
/// bytes, decided from the value's cell; only an `ends_with` on a value
/// longer than sixteen bytes reads the string.
#[inline(always)]
pub(super) fn affix<'a>(program: Machine<'_>, slots: impl Fields<'a>, t: &AffixTest) -> bool {
    affix_of(program, slots.cell(t.field), || slots.text(t.field), t)
}

/// [`affix`] of the value whose cell is `cell` and whose text, read only
/// for an `ends_with` on a value longer than a cell holds, is `text`.
#[inline(always)]
pub(super) fn affix_of<'a>(
    program: Machine<'_>,
    cell: Cell,
    text: impl FnOnce() -> Option<&'a str>,
    t: &AffixTest,
) -> bool {
    let mask = t.mask;
    let fits = cell.is_text() & (cell.tag >= u64::from(t.len));
    if !t.suffix {
        return fits & (cell.head() & mask == t.affix);
    }
    if !cell.is_long_text() {
        // A short string's last `len` bytes end at byte `tag` of the cell
        // (for a value that is no string, `fits` is false).
        let from = (cell.tag.min(16) as u32).saturating_sub(t.len) * 8;
        return fits & (cell.head().checked_shr(from).unwrap_or(0) & mask == t.affix);
    }
    match (text(), program.code.strings.get(t.text as usize)) {
        (Some(value), Some(affix)) => value.ends_with(affix),
        _ => false,
    }
}

/// Fit rules that read test bits: on `a and b` or `a or b`.
fn fits<B: Bits + ?Sized, C: Totals + ?Sized, T: Trace>(
    program: Machine<'_>,
    bits: &B,
    cats: &mut C,
    trace: &mut T,
) {
    for f in &program.plan.pairs {
        let (a, b) = (bits.get(f.a), bits.get(f.b));
        give(cats, trace, f.effect, (a & b) | (f.or & (a | b)));
    }
}

/// The must-haves: counts those met; returns their points.
fn requires<B: Bits + ?Sized, T: Trace>(
    program: Machine<'_>,
    bits: &B,
    out: &mut Outcome,
    trace: &mut T,
) -> i64 {
    let (mut met, mut points) = (0u32, 0i64);
    for step in &program.plan.requires {
        must_have(trace, step.index, bits.get(step.bit), step.points, &mut met, &mut points);
    }
    out.requires_met = met;
    points
}

/// The segment's arms: every arm is read, and the first that holds gives
/// the digit, chosen without a branch; or, when the arms are folded into a
/// decider and nothing is traced, the digit its word holds.
fn arms<B: Bits + ?Sized, T: Trace>(program: Machine<'_>, bits: &B, out: &mut Outcome, trace: &mut T) {
    if let Some(word) = program.plan.segment_word
        && !T::ON
    {
        out.segment = (bits.word(word) >> DIGIT_SHIFT) as u8;
        return;
    }
    let (mut found, mut first, mut segment) = (false, 0u32, 0u8);
    for step in &program.plan.arms {
        let wins = bits.get(step.bit) & !found;
        segment = std::hint::select_unpredictable(wins, step.digit, segment);
        first = std::hint::select_unpredictable(wins, step.arm, first);
        found |= wins;
    }
    out.segment = segment;
    if found {
        trace.arm(first);
    }
}

/// The behaviour tables. Whether a rule fires depends on the lead's
/// counts, so it is applied by selection, not by a branch.
fn behaviours<C: Totals + ?Sized, T: Trace>(program: Machine<'_>, lead: &Lead, cats: &mut C, trace: &mut T) {
    let plan = &program.plan;
    let counts = lead.counts();
    let count = |behaviour: u32| counts.get(behaviour as usize).copied().unwrap_or(0);
    for step in &plan.once {
        give(cats, trace, step.effect, count(step.behaviour) >= step.min);
    }
    for step in &plan.gains {
        let c = count(step.behaviour);
        let total = step.effect.points.saturating_mul(i64::from(c));
        give_each(cats, trace, step.effect, c >= step.min, total, total.min(step.limit));
    }
    for step in &plan.losses {
        let c = count(step.behaviour);
        let total = step.effect.points.saturating_mul(i64::from(c));
        give_each(cats, trace, step.effect, c >= step.min, total, total.max(step.limit));
    }
}

/// A lead's test bits (they start cleared).
trait Bits {
    /// Sets bit `bit` when `holds`.
    fn set(&mut self, bit: u32, holds: bool);
    /// Bit `bit`.
    fn get(&self, bit: u32) -> bool;
    /// Sets word `word` (bits `64 × word` on) to `mask`.
    fn set_word(&mut self, word: u32, mask: u64);
    /// Word `word`.
    fn word(&self, word: u32) -> u64;
}

impl Bits for [u64] {
    #[inline(always)]
    fn set(&mut self, bit: u32, holds: bool) {
        if let Some(word) = self.get_mut((bit / 64) as usize) {
            *word |= u64::from(holds) << (bit % 64);
        }
    }

    #[inline(always)]
    fn get(&self, bit: u32) -> bool {
        <[u64]>::get(self, (bit / 64) as usize).is_some_and(|word| word >> (bit % 64) & 1 == 1)
    }

    #[inline(always)]
    fn set_word(&mut self, word: u32, mask: u64) {
        if let Some(word) = self.get_mut(word as usize) {
            *word = mask;
        }
    }

    #[inline(always)]
    fn word(&self, word: u32) -> u64 {
        <[u64]>::get(self, word as usize).copied().unwrap_or(0)
    }
}

/// How many words of test bits [`SmallBits`] holds.
const SMALL_WORDS: usize = FIXED_WORDS;

/// The test bits of a [`Plan::fixed`] program, in a fixed array: no bounds
/// check (the index is masked).
struct SmallBits([u64; SMALL_WORDS]);

impl Bits for SmallBits {
    #[inline(always)]
    fn set(&mut self, bit: u32, holds: bool) {
        self.0[(bit / 64) as usize % SMALL_WORDS] |= u64::from(holds) << (bit % 64);
    }

    #[inline(always)]
    fn get(&self, bit: u32) -> bool {
        self.0[(bit / 64) as usize % SMALL_WORDS] >> (bit % 64) & 1 == 1
    }

    #[inline(always)]
    fn set_word(&mut self, word: u32, mask: u64) {
        self.0[word as usize % SMALL_WORDS] = mask;
    }

    #[inline(always)]
    fn word(&self, word: u32) -> u64 {
        self.0[word as usize % SMALL_WORDS]
    }
}

/// An `each` rule's limited total to its category when it fired.
#[inline(always)]
fn give_each<C: Totals + ?Sized, T: Trace>(
    cats: &mut C,
    trace: &mut T,
    effect: Effect,
    fired: bool,
    total: i64,
    limited: i64,
) {
    let uncapped = std::hint::select_unpredictable(fired, total, 0);
    let given = std::hint::select_unpredictable(fired, limited, 0);
    cats.add(effect.cat, given);
    trace.rule(effect.rule, RuleTrace { fired, uncapped, points: given });
}

/// A fit rule's points to its category's raw total when it fired.
#[inline(always)]
fn give<C: Totals + ?Sized, T: Trace>(cats: &mut C, trace: &mut T, effect: Effect, fired: bool) {
    let (points, t) = given(fired, effect.points);
    cats.add(effect.cat, points);
    trace.rule(effect.rule, t);
}
