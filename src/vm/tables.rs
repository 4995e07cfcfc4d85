//! The plan's tables (`crate::plan`), run over one lead.
//!
//! In: a program's plan, a lead's cells and counts, zeroed test bits, the
//! outcome being filled. Out: every test's bit; fused fit rules' and
//! behaviour rules' points in their categories' raw totals; must-haves
//! counted; the segment digit. Each table is one tight loop with no
//! dispatch, and every result that depends on the lead is applied by
//! selection, not by a branch (such branches mispredict).

use super::{Slots, Trace, enum_in, int_in, number_in, require, saturating_add, test};
use crate::cell::Cell;
use crate::lead::Lead;
use crate::outcome::{CategoryTotal, Outcome, RuleTrace};
use crate::plan::{Classifier, Effect, Entry, Tests};
use crate::program::Program;

/// Runs every table; returns the points of the met must-haves.
pub(super) fn run<T: Trace>(
    program: &Program,
    lead: &Lead,
    slots: Slots<'_>,
    bits: &mut [u64],
    out: &mut Outcome,
    trace: &mut T,
) -> i64 {
    tests(program, slots, bits, out.categories.as_mut_slice(), trace);
    classify(program, slots, bits);
    fits(program, bits, out.categories.as_mut_slice(), trace);
    behaviours(program, lead, out.categories.as_mut_slice(), trace);
    arms(program, bits, out, trace);
    requires(program, bits, out, trace)
}

/// The test tables, one loop per test kind and purpose: a fused fit
/// rule's test gives its points when it holds, any other writes its bit.
fn tests<T: Trace>(
    program: &Program,
    slots: Slots<'_>,
    bits: &mut [u64],
    cats: &mut [CategoryTotal],
    trace: &mut T,
) {
    let plan = &program.plan;
    table(&plan.ints, bits, cats, trace, |t| int_in(slots.cell(t.field), t.negated, t.lo, t.hi));
    table(&plan.numbers, bits, cats, trace, |t| number_in(slots.cell(t.field), t.negated, t.lo, t.hi));
    table(&plan.enums, bits, cats, trace, |t| enum_in(slots.cell(t.field), t.negated, t.bits));
    table(&plan.bools, bits, cats, trace, |t| {
        slots.cell(t.field) == Cell::new(Cell::BOOL, u64::from(t.value))
    });
    table(&plan.others, bits, cats, trace, |t| test(program, slots, &t.test));
}

/// One test table: its fits, then its bit writers.
#[inline(always)]
fn table<E: Entry, T: Trace>(
    tests: &Tests<E>,
    bits: &mut [u64],
    cats: &mut [CategoryTotal],
    trace: &mut T,
    holds: impl Fn(&E) -> bool,
) {
    for t in &tests.fits {
        give(cats, trace, t.effect(), holds(t));
    }
    for t in &tests.bits {
        set(bits, t.bit(), holds(t));
    }
}

/// The classifiers: each writes the word of its string tests' bits.
fn classify(program: &Program, slots: Slots<'_>, bits: &mut [u64]) {
    let plan = &program.plan;
    for c in &plan.classifiers {
        let cell = slots.cell(c.field);
        let mask = matches(c, plan.buckets.get(c.bucket(cell)), cell);
        if let Some(word) = bits.get_mut(c.word as usize) {
            *word = mask;
        }
    }
}

/// The tests a value with cell `cell` passes, its bucket being `bucket`:
/// the mask of the constant it equals, else of the negated tests if it is
/// a string, else none.
#[inline(always)]
pub(super) fn matches(c: &Classifier, bucket: Option<&crate::plan::Bucket>, cell: Cell) -> u64 {
    let mut mask = std::hint::select_unpredictable(cell.is_text(), c.none, 0);
    if let Some(bucket) = bucket {
        for &(constant, passes) in bucket {
            mask = std::hint::select_unpredictable(constant == cell, passes, mask);
        }
    }
    mask
}

/// Fit rules that read test bits: on one string test, on `a and b` or
/// `a or b`.
fn fits<T: Trace>(program: &Program, bits: &[u64], cats: &mut [CategoryTotal], trace: &mut T) {
    for f in &program.plan.text_fits {
        give(cats, trace, f.effect, get(bits, f.bit));
    }
    for f in &program.plan.pairs {
        let (a, b) = (get(bits, f.a), get(bits, f.b));
        give(cats, trace, f.effect, (a & b) | (f.or & (a | b)));
    }
}

/// The must-haves; returns their points.
fn requires<T: Trace>(program: &Program, bits: &[u64], out: &mut Outcome, trace: &mut T) -> i64 {
    let mut points = 0;
    for step in &program.plan.requires {
        require(out, trace, &mut points, get(bits, step.bit), step.index, step.points);
    }
    points
}

/// The segment's arms: every arm is read, and the first that holds gives
/// the digit, chosen without a branch.
fn arms<T: Trace>(program: &Program, bits: &[u64], out: &mut Outcome, trace: &mut T) {
    let mut found = false;
    let mut first = 0u32;
    for step in &program.plan.arms {
        let wins = get(bits, step.bit) & !found;
        out.segment = std::hint::select_unpredictable(wins, step.digit, out.segment);
        first = std::hint::select_unpredictable(wins, step.arm, first);
        found |= wins;
    }
    if found {
        trace.arm(first);
    }
}

/// The behaviour tables. Whether a rule fires depends on the lead's
/// counts, so it is applied by selection, not by a branch.
fn behaviours<T: Trace>(program: &Program, lead: &Lead, cats: &mut [CategoryTotal], trace: &mut T) {
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

/// Sets test bit `bit` when `holds` (the bits start cleared).
#[inline(always)]
fn set(bits: &mut [u64], bit: u32, holds: bool) {
    if let Some(word) = bits.get_mut((bit / 64) as usize) {
        *word |= u64::from(holds) << (bit % 64);
    }
}

/// Test bit `bit`.
#[inline(always)]
fn get(bits: &[u64], bit: u32) -> bool {
    bits.get((bit / 64) as usize).is_some_and(|word| word >> (bit % 64) & 1 == 1)
}

/// Adds `points` to category `cat`'s raw total.
#[inline(always)]
fn add(cats: &mut [CategoryTotal], cat: u32, points: i64) {
    if let Some(total) = cats.get_mut(cat as usize) {
        total.raw = saturating_add(total.raw, points);
    }
}

/// An `each` rule's limited total to its category when it fired.
#[inline(always)]
fn give_each<T: Trace>(
    cats: &mut [CategoryTotal],
    trace: &mut T,
    effect: Effect,
    fired: bool,
    total: i64,
    limited: i64,
) {
    let uncapped = std::hint::select_unpredictable(fired, total, 0);
    let given = std::hint::select_unpredictable(fired, limited, 0);
    add(cats, effect.cat, given);
    trace.rule(effect.rule, RuleTrace { fired, uncapped, points: given });
}

/// A fit rule's points to its category's raw total when it fired.
#[inline(always)]
fn give<T: Trace>(cats: &mut [CategoryTotal], trace: &mut T, effect: Effect, fired: bool) {
    let given = std::hint::select_unpredictable(fired, effect.points, 0);
    add(cats, effect.cat, given);
    trace.rule(effect.rule, RuleTrace { fired, uncapped: given, points: given });
}
