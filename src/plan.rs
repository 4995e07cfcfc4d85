//! The evaluation plan: a verified program's code rearranged for speed.
//!
//! In: a verified [`Program`]. Out: a [`Plan`] — the program's code with
//! these taken out into tables: every fused fit rule (`fit_when`, by test
//! kind: int ranges, number ranges, enum bits, bools, text sets, others),
//! every fit rule on `a and b` / `a or b` of two tests, every counted
//! behaviour rule (`behaviours`: once, `each` with gains, `each` with
//! losses), every fused must-have (`require_when`), and a segment whose
//! arms are all fused (`arm_when`); jump targets in the rest renumbered to
//! land where they did. The evaluator runs each table as one tight loop
//! with no dispatch, then the remaining code (other compound rules, timed
//! rules, points, tiers).
//!
//! Moving the rules changes nothing a lead can observe: fit and behaviour
//! rules only add their points to their category's raw total, and additions
//! commute (saturating ones too, unless a total overflows 64 bits, which
//! the checker's bounds on points make practically unreachable); must-haves
//! only count and add; a segment's arms are all tested and the first that
//! holds wins, as in the code. The plan is derived, never saved: compiled
//! files hold the bytecode (`docs/bytecode.md`), and the plan is rebuilt on
//! load, after verification.

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
/// two ranges of [`Plan::members`]: `short`, whose cells decide equality
/// (padded to a multiple of four with [`Cell::NEVER`]),
/// and `long` (more than sixteen bytes), whose strings must be compared when
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

/// A fit rule whose condition is `a and b` (`a or b`, when `or`) of two
/// tests, run without the jump between them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PairFit {
    pub a: Test,
    pub b: Test,
    pub or: bool,
    pub effect: Effect,
}

/// A must-have whose condition is one test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RequireStep {
    pub test: Test,
    pub index: u32,
    pub points: i64,
}

/// One arm of a segment whose arms are all one test each; the first arm
/// whose test holds gives the digit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ArmStep {
    pub test: Test,
    pub arm: u32,
    pub digit: u8,
}

/// Any other fused fit rule, run through the general test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OtherFit {
    pub test: Test,
    pub effect: Effect,
}

/// A verified program's code with its rules, must-haves and fused segment
/// in typed tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Plan {
    /// The code left once the tables are taken out.
    pub code: Vec<Op>,
    pub ints: Vec<IntFit>,
    pub numbers: Vec<NumberFit>,
    pub enums: Vec<EnumFit>,
    pub bools: Vec<BoolFit>,
    pub texts: Vec<TextFit>,
    /// The members of every [`TextFit`]'s set: a string constant's cell and
    /// index ([`Cell::NEVER`] and `u32::MAX` for padding).
    pub members: Vec<(Cell, u32)>,
    pub others: Vec<OtherFit>,
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
        let mut plan = Plan::default();
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
            let n = plan.take(program, code, pc, &landed);
            taken[pc..pc + n].iter_mut().for_each(|t| *t = true);
            pc += n.max(1);
        }
        // removed[i]: how many instructions before instruction i were taken.
        let mut removed = Vec::with_capacity(code.len() + 1);
        let mut count = 0u32;
        for (op, taken) in code.iter().zip(&taken) {
            removed.push(count);
            match taken {
                true => count += 1,
                false => plan.code.push(*op),
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

    /// Takes the instructions at `pc` into a table if they form a pattern
    /// the plan runs as a table; returns how many it took (0: none).
    fn take(&mut self, program: &Program, code: &[Op], pc: usize, landed: &[u32]) -> usize {
        let at = |i: usize| code.get(pc + i);
        let lands = |i: usize| landed.get(pc + i).copied().unwrap_or(0);
        match at(0) {
            Some(&Op::FitWhen { test, rule, cat, points }) => {
                self.add(program, test, Effect { rule, cat, points });
                1
            }
            Some(&Op::Behaviours { start, len }) => {
                let (start, len) = (start as usize, len as usize);
                let steps = program.steps.get(start..start.saturating_add(len)).unwrap_or(&[]);
                steps.iter().for_each(|step| self.step(step));
                1
            }
            Some(&Op::RequireWhen { test, index, points }) => {
                self.requires.push(RequireStep { test, index, points });
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
                    self.pairs.push(PairFit { a, b, or, effect: Effect { rule, cat, points } });
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
                self.arms.push(ArmStep { test, arm, digit });
            }
        }
        ops.len()
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
            members.iter().filter_map(|&m| Some((program.strings.entry(m as usize)?.0, m))).collect();
        let mut range = |long: bool| {
            let start = self.members.len() as u32;
            self.members.extend(keyed.iter().filter(|(cell, _)| cell.is_long_text() == long));
            if !long {
                // Short members come in fours (padded with cells no value
                // has): the evaluator compares four at a time, with no
                // loop exit that depends on the set's size.
                while !(self.members.len() as u32 - start).is_multiple_of(4) {
                    self.members.push((Cell::NEVER, u32::MAX));
                }
            }
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

    /// Which instructions of `code` the plan kept: the plan's code must be
    /// a subsequence of it, equal but for jump targets.
    fn kept(code: &[Op], plan: &[Op]) -> Vec<usize> {
        let same = |a: &Op, b: &Op| match (a.target(), b.target()) {
            (Some(_), Some(_)) => std::mem::discriminant(a) == std::mem::discriminant(b),
            _ => a == b,
        };
        let mut kept = Vec::new();
        let mut i = 0;
        for op in plan {
            while !same(&code[i], op) {
                i += 1;
            }
            kept.push(i);
            i += 1;
        }
        kept
    }

    /// The plan's code holds none of the instructions the evaluator skips,
    /// still verifies, and every jump and arm end lands on the first kept
    /// instruction at or after where it landed.
    fn assert_rest_is_valid(program: &Program) {
        let plan = &program.plan;
        // The evaluator skips these: the plan must have taken every one.
        let always_taken =
            |op: &Op| matches!(op, Op::FitWhen { .. } | Op::Behaviours { .. } | Op::RequireWhen { .. });
        assert!(!plan.code.iter().any(always_taken), "{:?}", plan.code);
        let mut rest = program.clone();
        rest.code = plan.code.clone();
        rest.steps.clear();
        crate::verify::verify(&rest).unwrap();
        let kept = kept(&program.code, &plan.code);
        for (op, &i) in plan.code.iter().zip(&kept) {
            if let (Some(new), Some(was)) = (op.target(), program.code[i].target()) {
                let landing = kept.iter().position(|&k| k >= was as usize).unwrap_or(plan.code.len());
                assert_eq!(new as usize, landing, "instruction {i}: jump target moved");
            }
        }
    }

    /// The plan of the benchmark program: every rule, must-have and arm in
    /// a table, the rest of the code still valid, nothing lost or counted
    /// twice.
    #[test]
    fn the_plan_takes_out_rules_must_haves_and_arms_and_keeps_the_rest_valid() {
        let program = compiled("benches/data/bench.lead");
        let plan = &program.plan;
        let fits = plan.ints.len()
            + plan.numbers.len()
            + plan.enums.len()
            + plan.bools.len()
            + plan.texts.len()
            + plan.others.len();
        // 33 rules: 16 fused fit rules, 2 compound ones, 15 behaviour rules.
        assert_eq!((fits, plan.pairs.len()), (16, 2));
        assert_eq!(plan.once.len() + plan.gains.len() + plan.losses.len(), program.steps.len());
        assert_eq!((plan.gains.len(), plan.losses.len()), (6, 1));
        assert_eq!((plan.requires.len(), plan.arms.len()), (3, 3));
        assert!(plan.code.iter().all(|op| op.stage() != Some(crate::compile::opcode::Stage::Rules)));
        assert!(matches!(plan.code.first(), Some(Op::Points { .. })));
        assert_rest_is_valid(&program);
    }

    /// Conditions that are not one test nor `a and b` / `a or b` of two
    /// tests stay in the code, with their jumps renumbered; a pair among
    /// them is still taken.
    #[test]
    fn the_plan_leaves_what_it_cannot_take_whole() {
        use crate::frontend::{SchemaSource, check_source};
        use crate::schema::{FieldType, Schema};
        let schema = Schema::builder()
            .field("age", FieldType::Int)
            .field("b2b", FieldType::Bool)
            .field("country", FieldType::String)
            .build()
            .unwrap();
        let source = r#"
            segment age {
              < 30  => 1
              >= 30 => 2
            }
            category c
            fit not b2b : 1
            fit age >= 18 and b2b and country = "US" : 2
            fit age >= 18 or b2b : 3
            fit (age >= 18 or b2b) and country = "US" : 4
        "#;
        let card =
            check_source(&mut Sources::new(), "t.lead", source, SchemaSource::Given(schema.into())).unwrap();
        let program = Program::compile(&card);
        assert_rest_is_valid(&program);
        let plan = &program.plan;
        assert_eq!(plan.arms.len(), 2);
        let rules: Vec<u32> = plan
            .code
            .iter()
            .filter_map(|op| match op {
                Op::Fit { rule, .. } => Some(*rule),
                _ => None,
            })
            .collect();
        assert_eq!(rules, [0, 1, 3], "only `age >= 18 or b2b` was taken");
        assert_eq!(plan.pairs.len(), 1);
        assert!(plan.pairs[0].or);
    }

    /// Text sets split their members by whether a cell holds them whole.
    #[test]
    fn text_members_are_split_into_short_and_long() {
        use crate::frontend::{SchemaSource, check_source};
        use crate::schema::{FieldType, Schema};
        let schema = Schema::builder().field("title", FieldType::String).build().unwrap();
        let source = "category c\nfit title in [\"VP\", \"Head of Sales, EMEA\", \"Director\"] : 1\n";
        let card =
            check_source(&mut Sources::new(), "t.lead", source, SchemaSource::Given(schema.into())).unwrap();
        let program = Program::compile(&card);
        let fit = program.plan.texts.first().unwrap();
        let text = |(start, len): (u32, u32)| -> Vec<&str> {
            let members = &program.plan.members[start as usize..(start + len) as usize];
            members
                .iter()
                .filter(|&&(c, _)| c != Cell::NEVER)
                .map(|&(_, m)| program.strings.get(m as usize).unwrap())
                .collect()
        };
        assert_eq!(text(fit.short), ["Director", "VP"]);
        assert_eq!(fit.short.1, 4, "short members are padded to four");
        assert_eq!(text(fit.long), ["Head of Sales, EMEA"]);
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
