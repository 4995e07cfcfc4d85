//! The evaluation plan: a verified program's code rearranged for speed.
//!
//! In: a verified [`Program`]. Out: a [`Plan`] — the program's code with
//! every fused fit rule (`fit_when`) taken out and put in a table of its
//! test kind (int ranges, number ranges, enum bits, bools, text sets,
//! others), every counted behaviour rule (`behaviours`) in a table of its
//! kind (once, `each` with gains, `each` with losses), and jump targets
//! renumbered to match. The evaluator runs each table as one tight loop
//! with no dispatch, then the remaining code (must-haves, segment arms,
//! compound fit rules, timed rules, points, tiers).
//!
//! Moving the rules changes nothing a lead can observe: these rules only
//! add their points to their category's raw total, and additions commute
//! (the checker bounds points so that no total overflows; the evaluator
//! saturates anyway). The plan is derived, never saved: compiled files hold
//! the bytecode (`docs/bytecode.md`), and the plan is rebuilt on load, after
//! verification.

use crate::cell::Cell;
use crate::compile::opcode::{BehaviourStep, Cmp, Op, Test};
use crate::program::Program;

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

/// `fit` on an int field within `lo..=hi` (outside, when `negated`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct IntFit {
    pub field: u32,
    pub negated: bool,
    pub lo: i64,
    pub hi: i64,
    pub effect: Effect,
}

/// `fit` on a number field within `lo..=hi` (outside, when `negated`);
/// comparisons become ranges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct NumberFit {
    pub field: u32,
    pub negated: bool,
    pub lo: f64,
    pub hi: f64,
    pub effect: Effect,
}

/// `fit` on an enum field (at most 64 values) whose value's bit is set in
/// `bits` (clear, when `negated`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EnumFit {
    pub field: u32,
    pub negated: bool,
    pub bits: u64,
    pub effect: Effect,
}

/// `fit` on a bool field equal to `value`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BoolFit {
    pub field: u32,
    pub value: bool,
    pub effect: Effect,
}

/// `fit` on a string field equal to one of a set of string constants (none
/// of them, when `negated`); `=` is a set of one. The members are split in
/// two ranges of [`Plan::members`]: `short`, whose cells decide equality,
/// and `long` (more than eight bytes), whose strings must be compared when
/// their cells match.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TextFit {
    pub field: u32,
    pub negated: bool,
    pub short: (u32, u32),
    pub long: (u32, u32),
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

/// Any other fused fit rule, run through the general test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OtherFit {
    pub test: Test,
    pub effect: Effect,
}

/// A verified program's code with its fused fit rules in typed tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Plan {
    /// The code left once the fit rules are taken out.
    pub code: Vec<Op>,
    pub ints: Vec<IntFit>,
    pub numbers: Vec<NumberFit>,
    pub enums: Vec<EnumFit>,
    pub bools: Vec<BoolFit>,
    pub texts: Vec<TextFit>,
    /// The members of every [`TextFit`]'s set: a string constant's key and
    /// index.
    pub members: Vec<(Cell, u32)>,
    pub others: Vec<OtherFit>,
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
        let mut plan = Plan::default();
        // removed[i]: how many instructions before instruction i were taken out.
        let mut removed = Vec::with_capacity(program.code.len() + 1);
        let mut count = 0u32;
        for op in &program.code {
            removed.push(count);
            match *op {
                Op::FitWhen { test, rule, cat, points } => {
                    plan.add(program, test, Effect { rule, cat, points });
                    count += 1;
                }
                Op::Behaviours { start, len } => {
                    let (start, len) = (start as usize, len as usize);
                    let steps = program.steps.get(start..start.saturating_add(len)).unwrap_or(&[]);
                    steps.iter().for_each(|step| plan.step(step));
                    count += 1;
                }
                _ => plan.code.push(*op),
            }
        }
        removed.push(count);
        let renumber = |target: &mut u32| {
            *target -= removed.get(*target as usize).copied().unwrap_or(0);
        };
        for op in &mut plan.code {
            match op {
                Op::JumpIfFalse { target } | Op::JumpIfTrue { target } => renumber(target),
                Op::SegmentArm { end, .. } | Op::ArmWhen { end, .. } => renumber(end),
                _ => {}
            }
        }
        plan
    }

    fn add(&mut self, program: &Program, test: Test, effect: Effect) {
        match test {
            Test::IntRange { field, negated, lo, hi } => {
                self.ints.push(IntFit { field, negated, lo, hi, effect })
            }
            Test::NumRange { field, negated, lo, hi } => {
                self.numbers.push(NumberFit { field, negated, lo, hi, effect })
            }
            Test::NumCmp { field, cmp, k } => {
                let (negated, lo, hi) = range(cmp, k);
                self.numbers.push(NumberFit { field, negated, lo, hi, effect })
            }
            Test::EnumBits { field, negated, bits } => {
                self.enums.push(EnumFit { field, negated, bits, effect })
            }
            Test::Bool { field, value } => self.bools.push(BoolFit { field, value, effect }),
            Test::TextEq { field, negated, text } => self.text(program, field, negated, &[text], effect),
            Test::TextIn { field, negated, set } => {
                let members = program.text_sets.get(set as usize).map_or(&[][..], |m| &m[..]);
                self.text(program, field, negated, members, effect)
            }
            _ => self.others.push(OtherFit { test, effect }),
        }
    }

    fn step(&mut self, step: &BehaviourStep) {
        let effect = Effect { rule: step.rule, cat: step.cat, points: step.points };
        let (behaviour, min, limit) = (step.behaviour, step.min, step.limit);
        match step.points {
            p if step.each && p > 0 => self.gains.push(EachStep { behaviour, min, limit, effect }),
            p if step.each && p < 0 => self.losses.push(EachStep { behaviour, min, limit, effect }),
            _ => self.once.push(OnceStep { behaviour, min, effect }),
        }
    }

    fn text(&mut self, program: &Program, field: u32, negated: bool, members: &[u32], effect: Effect) {
        let keyed: Vec<(Cell, u32)> =
            members.iter().filter_map(|&m| Some((program.strings.keyed(m as usize)?.0, m))).collect();
        let mut range = |long: bool| {
            let start = self.members.len() as u32;
            self.members.extend(keyed.iter().filter(|(cell, _)| cell.is_long_text() == long));
            (start, self.members.len() as u32 - start)
        };
        let (short, long) = (range(false), range(true));
        self.texts.push(TextFit { field, negated, short, long, effect });
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
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::diag::Sources;
    use crate::frontend::load_program;
    use std::path::Path;

    fn compiled(path: &str) -> Program {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        Program::compile(&load_program(&path, &mut Sources::new()).unwrap())
    }

    /// The plan of the benchmark program: every fused fit rule and every
    /// behaviour rule in a table, the rest of the code still verifying
    /// (jumps renumbered), and nothing lost or counted twice.
    #[test]
    fn the_plan_takes_out_fused_and_behaviour_rules_and_keeps_the_rest_valid() {
        let program = compiled("benches/data/bench.lead");
        let plan = &program.plan;
        assert!(plan.code.iter().all(|op| !matches!(op, Op::FitWhen { .. } | Op::Behaviours { .. })));
        let fused = program.code.iter().filter(|op| matches!(op, Op::FitWhen { .. })).count();
        let tabled = plan.ints.len()
            + plan.numbers.len()
            + plan.enums.len()
            + plan.bools.len()
            + plan.texts.len()
            + plan.others.len();
        // 33 rules: 15 behaviour rules (one `behaviours` run), 2 compound
        // fit rules (left in the code), 16 fused fit rules.
        assert_eq!((fused, tabled), (16, 16));
        assert_eq!(plan.once.len() + plan.gains.len() + plan.losses.len(), program.steps.len());
        assert_eq!((plan.gains.len(), plan.losses.len()), (6, 1));
        assert_eq!(plan.code.len(), program.code.len() - fused - 1, "all but the fused fits and the one run");

        // The remaining code is a program of its own that the verifier
        // accepts: its jumps and arm ends land where they did.
        let mut rest = program.clone();
        rest.code = plan.code.clone();
        rest.steps.clear();
        crate::verify::verify(&rest).unwrap();
        let taken = |op: &Op| matches!(op, Op::FitWhen { .. } | Op::Behaviours { .. });
        let kept: Vec<&Op> = program.code.iter().filter(|op| !taken(op)).collect();
        for (op, old) in plan.code.iter().zip(&kept) {
            assert_eq!(std::mem::discriminant(op), std::mem::discriminant(*old));
            if let (Some(new), Some(was)) = (op.target(), old.target()) {
                // The first instruction kept at or after the old target.
                let landing = program.code[was as usize..].iter().find(|op| !taken(op));
                assert_eq!(plan.code.get(new as usize), landing, "jump target moved");
            }
        }
    }

    /// Text sets split their members by whether a cell holds them whole.
    #[test]
    fn text_members_are_split_into_short_and_long() {
        let program = compiled("benches/data/bench.lead");
        let industry = program.schema.field_id("industry").unwrap().0;
        let fit = program.plan.texts.iter().find(|t| t.field == industry).unwrap();
        let text = |(start, len): (u32, u32)| -> Vec<&str> {
            let members = &program.plan.members[start as usize..(start + len) as usize];
            members.iter().map(|&(_, m)| program.strings.get(m as usize).unwrap()).collect()
        };
        assert_eq!(text(fit.short), ["Finance", "Software"]);
        assert_eq!(text(fit.long), ["Healthcare"]);
    }

    #[test]
    fn comparisons_as_ranges_agree_with_the_comparison() {
        let cmps = [Cmp::Eq, Cmp::Ne, Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge];
        let specials = [0.0, -0.0, 1.0, -1.0, 0.5, 1e300, -1e300, f64::MAX, f64::MIN, f64::MIN_POSITIVE];
        let mut ks: Vec<f64> = specials.to_vec();
        ks.extend([f64::INFINITY, f64::NEG_INFINITY, f64::NAN]);
        let mut values = ks.clone();
        values.extend(specials.iter().flat_map(|v| [v.next_up(), v.next_down()]));
        for cmp in cmps {
            for &k in &ks {
                let (negated, lo, hi) = range(cmp, k);
                for &v in &values {
                    let in_range = (lo <= v && v <= hi) != negated;
                    assert_eq!(in_range, cmp.apply(v, k), "{v} {} {k}", cmp.as_str());
                }
            }
        }
    }
}
