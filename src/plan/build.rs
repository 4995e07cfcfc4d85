//! Building a plan: the program's code read pattern by pattern into
//! tables.
//!
//! In: a verified program. Out: its [`Plan`]. Rules, must-haves and arms
//! that the tables run are taken out of the code (`Builder::place`); the
//! tests they read wait until all are known, then are grouped by field
//! into deciders (`Builder::finish`), and every test bit is given its
//! place; the code left keeps its jumps landing where they did (`rest`).

use super::decide::{Deciders, Group, Kind, Pending, Target};
use super::step::{Step, TableOnly};
use super::{
    AffixTest, ArmStep, EachStep, Effect, FIXED_CATEGORIES, FIXED_WORDS, OnceStep, OtherTest, PairFit, Plan,
    RequireStep, finish, text,
};
use crate::compile::bytecode::Bytecode;
use crate::compile::opcode::{BehaviourStep, Op, Test};
use crate::lead::cell::Cell;
use std::collections::HashMap;

impl Plan {
    /// Builds the plan of `program`, whose code must have been verified
    /// (jump targets within the code).
    pub(crate) fn new(program: &Bytecode) -> Plan {
        let code = program.code.as_slice();
        let mut builder = Builder { program, plan: Plan::default(), bits: 0, pending: Vec::new() };
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
        // Each instruction's step in the plan's code, or `None` when a
        // table runs it.
        let mut kept: Vec<Option<Step>> = vec![None; code.len()];
        let mut pc = 0;
        while pc < code.len() {
            match builder.place(code, pc, &landed) {
                Placed::Table(n) => pc += n.max(1),
                Placed::Code(step) => {
                    kept[pc] = Some(step);
                    pc += 1;
                }
            }
        }
        let mut plan = builder.finish();
        plan.code = rest(&kept);
        plan.finish = finish::finish(program, &plan.code);
        plan
    }
}

/// Where an instruction goes: into a table (with the `n` instructions of
/// its pattern), or into the plan's code.
enum Placed {
    Table(usize),
    Code(Step),
}

/// The kept steps, with jump targets renumbered to land where they did.
fn rest(kept: &[Option<Step>]) -> Vec<Step> {
    // removed[i]: how many instructions before instruction i were taken.
    let mut removed = Vec::with_capacity(kept.len() + 1);
    let mut count = 0u32;
    for step in kept {
        removed.push(count);
        count += u32::from(step.is_none());
    }
    removed.push(count);
    let mut rest: Vec<Step> = kept.iter().flatten().copied().collect();
    for target in rest.iter_mut().filter_map(Step::target_mut) {
        *target -= removed.get(*target as usize).copied().unwrap_or(0);
    }
    rest
}

/// Marks a decided test's bit until [`Builder::finish`] knows where its
/// decider's word is.
const PENDING: u32 = 1 << 31;

/// A test waiting for its decider: with its constants' cells, for a string
/// test.
struct Waiting {
    pending: Pending,
    kind: Kind,
    constants: Vec<Cell>,
}

/// Builds a [`Plan`]: the tests that deciders take wait for
/// [`Builder::finish`] to group them; the others get bits in the order
/// they are taken.
struct Builder<'p> {
    program: &'p Bytecode,
    plan: Plan,
    /// Bits given out so far to tests that no decider takes.
    bits: u32,
    pending: Vec<Waiting>,
}

impl Builder<'_> {
    /// Places the instruction at `pc`: into a table, with the pattern it
    /// starts, if the plan runs it as one; else into the plan's code.
    fn place(&mut self, code: &[Op], pc: usize, landed: &[u32]) -> Placed {
        let Some(&op) = code.get(pc) else { return Placed::Table(1) };
        let step = match Step::of(op) {
            Ok(step) => step,
            Err(only) => {
                self.table_only(only);
                return Placed::Table(1);
            }
        };
        let taken = match step {
            Step::ArmWhen { end, .. } => self.segment(code, pc, end as usize, landed),
            Step::Test(a) => self.pair(code, pc, a, landed),
            _ => 0,
        };
        match taken {
            0 => Placed::Code(step),
            n => Placed::Table(n),
        }
    }

    /// Puts an instruction that only a table runs in its table.
    fn table_only(&mut self, only: TableOnly) {
        match only {
            TableOnly::Fit(test, effect) => self.fit(test, effect),
            TableOnly::Behaviours { start, len } => {
                let (start, len) = (start as usize, len as usize);
                let steps = self.program.steps.get(start..start.saturating_add(len)).unwrap_or(&[]);
                steps.iter().for_each(|step| self.step(step));
            }
            TableOnly::Require { test, index, points } => {
                let bit = self.test(test);
                self.plan.requires.push(RequireStep { bit, index, points });
            }
        }
    }

    /// Takes `a and b` / `a or b` of two tests guarding a fit rule, test
    /// `a` at `pc`; returns how many instructions it took (0: none).
    fn pair(&mut self, code: &[Op], pc: usize, a: Test, landed: &[u32]) -> usize {
        let at = |i: usize| code.get(pc + i);
        let lands = |i: usize| landed.get(pc + i).copied().unwrap_or(0);
        match (at(1), at(2), at(3)) {
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

    /// A fused fit rule: its test, giving its points.
    fn fit(&mut self, test: Test, effect: Effect) {
        match self.waiting(test, effect) {
            Some(waiting) => self.pending.push(waiting),
            None => {
                self.typed(test, effect);
            }
        }
    }

    /// Puts `test`, which an entry reads, in its table; returns its bit
    /// (for a decided test, a provisional one).
    fn test(&mut self, test: Test) -> u32 {
        match self.waiting(test, Effect::NONE) {
            Some(waiting) => {
                self.pending.push(waiting);
                PENDING | (self.pending.len() as u32 - 1)
            }
            None => self.typed(test, Effect::NONE),
        }
    }

    /// Puts `test` in a table of tests run one by one: with an effect,
    /// among the fits (no bit: returns `u32::MAX`); without, among the
    /// tests that write their bit, which it returns.
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
            Test::StartsWith { field, text } | Test::EndsWith { field, text }
                if self.program.strings.entry(text as usize).is_some_and(|(cell, _)| cell.tag <= 16) =>
            {
                let suffix = matches!(test, Test::EndsWith { .. });
                let cell = self.program.strings.entry(text as usize).map_or(Cell::NONE, |(cell, _)| cell);
                let (len, affix) = (cell.tag as u32, cell.head());
                let mask = u128::MAX.checked_shr(128 - 8 * len).unwrap_or(0);
                plan.affixes.push(AffixTest { field, suffix, len, affix, mask, text, bit, effect }, effect)
            }
            _ => plan.others.push(OtherTest { test, bit, effect }, effect),
        }
        bit
    }

    /// `test` waiting for a decider, if one can take it: a range, enum,
    /// bool or missing/present test, or a string test a classifier can
    /// decide (equality with, or membership in, constants of at most
    /// sixteen bytes).
    fn waiting(&self, test: Test, effect: Effect) -> Option<Waiting> {
        let pending = Pending { test, effect };
        if let Some(kind) = Kind::of(&test) {
            return Some(Waiting { pending, kind, constants: Vec::new() });
        }
        let strings = &self.program.strings;
        let one;
        let members = match test {
            Test::TextEq { text, .. } => {
                one = [text];
                &one[..]
            }
            Test::TextIn { set, .. } => &**self.program.text_sets.get(set as usize)?,
            _ => return None,
        };
        let constants: Vec<Cell> = members
            .iter()
            .map(|&m| strings.entry(m as usize).map(|(cell, _)| cell))
            .collect::<Option<_>>()?;
        constants.iter().all(|cell| !cell.is_long_text()).then_some(Waiting {
            pending,
            kind: Kind::Text,
            constants,
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

    /// Groups the waiting tests by field into deciders (a test no group
    /// can take, or whose classifier cannot be built, runs one by one),
    /// gives every decider with bits its word and every waiting test its
    /// bit.
    fn finish(mut self) -> Plan {
        let waiting = std::mem::take(&mut self.pending);
        let pending: Vec<Pending> = waiting.iter().map(|w| w.pending).collect();
        let mut bit_of = vec![u32::MAX; waiting.len()];
        let mut groups = self.group(&waiting, &mut bit_of);
        // Classifiers first: a group none can decide runs one by one.
        let mut classifiers = Vec::new();
        groups.retain(|group| {
            if group.kind != Kind::Text {
                return true;
            }
            let tests: Vec<text::TextTest<'_>> = group
                .members
                .iter()
                .filter_map(|&i| waiting.get(i))
                .map(|w| text::TextTest {
                    negated: matches!(
                        w.pending.test,
                        Test::TextEq { negated: true, .. } | Test::TextIn { negated: true, .. }
                    ),
                    members: &w.constants,
                    points: (w.pending.effect != Effect::NONE).then_some(w.pending.effect.points),
                })
                .collect();
            let at = Target { field: group.field, word: 0, cat: group.cat.unwrap_or(u32::MAX) };
            match text::classifier(at, &tests, &mut self.plan.texts) {
                Some(classifier) => {
                    classifiers.push(classifier);
                    true
                }
                None => {
                    for &i in &group.members {
                        bit_of[i] = self.typed(pending[i].test, pending[i].effect);
                    }
                    false
                }
            }
        });
        // Deciders with bits own whole words, after every other test's
        // bits; the others write the sink, the last word.
        let mut next = self.bits.div_ceil(64);
        let mut words = Vec::with_capacity(groups.len());
        for group in &groups {
            words.push(if group.bits > 0 { Some(next) } else { None });
            next += u32::from(group.bits > 0);
        }
        let sink = next;
        self.plan.sink = sink;
        self.plan.words = sink as usize + 1;
        let mut deciders = Deciders::default();
        let mut classifiers = classifiers.into_iter();
        for (group, word) in groups.iter().zip(words) {
            let word = word.unwrap_or(sink);
            let at = Target { field: group.field, word, cat: group.cat.unwrap_or(u32::MAX) };
            let mut k = 0;
            for &i in &group.members {
                match pending[i].effect == Effect::NONE {
                    true => {
                        bit_of[i] = word.saturating_mul(64).saturating_add(k);
                        k += 1;
                    }
                    false => self.plan.decided.push((pending[i].test, pending[i].effect)),
                }
            }
            match group.kind {
                Kind::Text => {
                    if let Some((mut classifier, wide)) = classifiers.next() {
                        classifier.at = at;
                        match wide {
                            true => self.plan.wide.push(classifier),
                            false => self.plan.classifiers.push(classifier),
                        }
                    }
                }
                _ => deciders.build(self.program, &pending, group, at),
            }
        }
        let plan = &mut self.plan;
        plan.deciders = deciders;
        let resolve = |bit: &mut u32| {
            if *bit & PENDING != 0 {
                *bit = bit_of.get((*bit & !PENDING) as usize).copied().unwrap_or(u32::MAX);
            }
        };
        for pair in &mut plan.pairs {
            resolve(&mut pair.a);
            resolve(&mut pair.b);
        }
        plan.requires.iter_mut().for_each(|r| resolve(&mut r.bit));
        plan.arms.iter_mut().for_each(|a| resolve(&mut a.bit));
        super::segment::fold(plan);
        plan.fixed = self.program.categories.len() <= FIXED_CATEGORIES
            && plan.words <= FIXED_WORDS
            && plan.bound() < 1 << 62;
        self.plan
    }

    /// The waiting tests in groups: per field, a test joins the latest of
    /// the field's last few groups that takes it, else starts one. A test
    /// no group takes (a fit whose points alone are too many) runs one by
    /// one.
    fn group(&mut self, waiting: &[Waiting], bit_of: &mut [u32]) -> Vec<Group> {
        let mut groups: Vec<Group> = Vec::new();
        let mut of_field: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, w) in waiting.iter().enumerate() {
            let field = w.pending.test.field().unwrap_or(u32::MAX);
            let open = of_field.entry(field).or_default();
            let joined = open.iter().rev().take(8).any(|&g| {
                groups.get_mut(g).is_some_and(|group| group.take(i, &w.pending, w.kind, w.constants.len()))
            });
            if joined {
                continue;
            }
            let mut group = Group::new(field, w.kind);
            if group.take(i, &w.pending, w.kind, w.constants.len()) {
                open.push(groups.len());
                groups.push(group);
            } else if let Some(bit) = bit_of.get_mut(i) {
                *bit = self.typed(w.pending.test, w.pending.effect);
            }
        }
        groups
    }
}
