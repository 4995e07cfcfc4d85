//! The verifier: proves a [`Bytecode`] safe and well-formed before it runs.
//!
//! In: a program, either just lowered (checked in debug builds) or just
//! decoded from bytes (checked on every load), and, for a loaded one, the
//! byte offset of each instruction. Out: `Ok(())`, or the first
//! [`VerifyError`] found, located by instruction index and byte offset.
//!
//! What a verified program guarantees (`docs/bytecode.md`):
//! - every field, behaviour, string, set, category, rule, must-have, arm,
//!   tier and behaviour-step index is in range, and every test matches its field's type;
//! - every jump goes forward, to an instruction or to the end, so the
//!   program terminates after at most one pass;
//! - the accumulator is written before it is read on every path, and each
//!   effect consumes it (an effect never reuses another effect's test);
//! - effects come in stage order (must-haves, segment, rules, points,
//!   tiers), field tests before the points total and outcome tests after;
//! - each must-have and rule runs at most once and the points total exactly
//!   once, with the values the tables state;
//! - the code ends with `halt`.

use super::bytecode::{Bytecode, RuleKindInfo};
use crate::compile::opcode::{AccUse, BehaviourStep, Op, OutVal, Stage, Test};
use crate::diag::codes;
use crate::diag::{Diagnostic, FileId};
use crate::schema::FieldType;
use std::fmt;

/// A program that fails verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError {
    /// The offending instruction, when one is at fault.
    pub pc: Option<usize>,
    /// Its byte offset in the compiled file, when loaded from one.
    pub offset: Option<usize>,
    /// What is wrong, lowercase.
    pub message: String,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.pc, self.offset) {
            (Some(pc), Some(offset)) => write!(f, "instruction {pc} (byte {offset}): {}", self.message),
            (Some(pc), None) => write!(f, "instruction {pc}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for VerifyError {}

impl VerifyError {
    /// Converts to a diagnostic about the compiled file `file` (no span: the
    /// file is binary; the byte offset is in the message).
    pub fn to_diagnostic(&self, _file: FileId) -> Diagnostic {
        Diagnostic::error(codes::INVALID_BYTECODE, format!("the compiled program is invalid: {self}"))
            .with_help("recompile the program from its source with this version of leadc")
    }
}

/// Verifies a program; `offsets[pc]` is the byte offset of instruction `pc`
/// when the program was loaded from bytes.
pub fn verify_at(program: &Bytecode, offsets: Option<&[usize]>) -> Result<(), VerifyError> {
    let at = |pc: usize, message: String| VerifyError {
        pc: Some(pc),
        offset: offsets.and_then(|o| o.get(pc).copied()),
        message,
    };
    check_tables(program).map_err(|message| VerifyError { pc: None, offset: None, message })?;
    let mut walk = Walk::new(program);
    for (pc, op) in program.code.iter().enumerate() {
        walk.step(pc, op).map_err(|m| at(pc, m))?;
    }
    walk.finish().map_err(|m| at(program.code.len().saturating_sub(1), m))
}

/// Verifies a program built in memory.
pub fn verify(program: &Bytecode) -> Result<(), VerifyError> {
    verify_at(program, None)
}

fn check_tables(p: &Bytecode) -> Result<(), String> {
    for (i, set) in p.text_sets.iter().enumerate() {
        if set.iter().any(|s| *s as usize >= p.strings.len()) {
            return Err(format!("text set {i} names a string outside the pool"));
        }
    }
    for (i, rule) in p.rules.iter().enumerate() {
        if rule.category as usize >= p.categories.len() {
            return Err(format!("rule {i} names category {} of {}", rule.category, p.categories.len()));
        }
    }
    if let Some(arm) = p.segment.iter().flat_map(|s| &s.arms).find(|a| !(1..=9).contains(&a.digit)) {
        return Err(format!("segment digit {} is not 1 to 9", arm.digit));
    }
    Ok(())
}

/// The state carried along the code.
struct Walk<'a> {
    p: &'a Bytecode,
    /// Whether acc is written on every path into each later instruction:
    /// `Some(defined)` from jumps seen so far, `None` when none jumps there.
    incoming: Vec<Option<bool>>,
    /// Whether acc is written on the fall-through path; `None` when the
    /// previous instruction cannot fall through.
    acc: Option<bool>,
    stage: Option<Stage>,
    seen_requires: Vec<bool>,
    seen_rules: Vec<bool>,
    points_seen: bool,
    last_halt: bool,
}

impl<'a> Walk<'a> {
    fn new(p: &'a Bytecode) -> Walk<'a> {
        Walk {
            p,
            incoming: vec![None; p.code.len() + 1],
            acc: Some(false),
            stage: None,
            seen_requires: vec![false; p.requires.len()],
            seen_rules: vec![false; p.rules.len()],
            points_seen: false,
            last_halt: false,
        }
    }

    fn step(&mut self, pc: usize, op: &Op) -> Result<(), String> {
        let reached = merge(self.acc, self.incoming.get(pc).copied().flatten());
        let defined = reached.unwrap_or(true);
        let use_ = op.acc_use();
        if matches!(use_, AccUse::Reads | AccUse::ReadsWrites) && !defined {
            return Err("reads the accumulator before any test wrote it".to_string());
        }
        self.check_operands(op)?;
        self.check_stage(op)?;
        let after = match use_ {
            _ if op.stage().is_some() => false,
            AccUse::Writes | AccUse::ReadsWrites => true,
            _ => defined,
        };
        if let Some(target) = op.target() {
            self.jump(pc, target, after)?;
        }
        self.last_halt = matches!(op, Op::Halt);
        self.acc = if self.last_halt { None } else { Some(after) };
        Ok(())
    }

    fn jump(&mut self, pc: usize, target: u32, defined: bool) -> Result<(), String> {
        let target = target as usize;
        if target <= pc {
            return Err(format!("jumps back to instruction {target}; jumps must go forward"));
        }
        let Some(slot) = self.incoming.get_mut(target) else {
            return Err(format!("jumps to instruction {target}, past the end of the code"));
        };
        *slot = merge(*slot, Some(defined));
        Ok(())
    }

    fn check_stage(&mut self, op: &Op) -> Result<(), String> {
        if op.test().and_then(Test::field).is_some() && self.points_seen {
            return Err("tests a lead field after the points total".to_string());
        }
        if op.tests_outcome() && !self.points_seen {
            return Err("tests the outcome before the points total".to_string());
        }
        let Some(stage) = op.stage() else { return Ok(()) };
        if self.stage.is_some_and(|s| s > stage) {
            return Err(format!("{stage:?} step after a later step").to_lowercase());
        }
        self.stage = Some(stage);
        Ok(())
    }

    fn check_operands(&mut self, op: &Op) -> Result<(), String> {
        if let Some(test) = op.test() {
            self.check_test(test)?;
        }
        match *op {
            Op::Require { index, points } | Op::RequireWhen { index, points, .. } => {
                self.check_require(index, points)
            }
            Op::SegmentArm { arm, digit, .. } | Op::ArmWhen { arm, digit, .. } => self.check_arm(arm, digit),
            Op::Fit { rule, cat, points } | Op::FitWhen { rule, cat, points, .. } => {
                self.check_rule(rule, cat, points, RuleKindInfo::Fit)
            }
            Op::Behaviours { start, len } => {
                let (start, len) = (start as usize, len as usize);
                let steps = self.p.steps.get(start..start.saturating_add(len));
                let steps =
                    steps.filter(|s| !s.is_empty()).ok_or("an empty or out-of-range behaviour run")?;
                steps.iter().try_for_each(|step| self.check_step(step))
            }
            Op::Timed { index } => {
                let timed =
                    self.p.timed.get(index as usize).ok_or_else(|| out_of_range("timed step", index))?;
                check_clock(&timed.clock)?;
                if !self.p.schema.is_event(crate::schema::BehaviourId(timed.step.behaviour)) {
                    return Err(format!(
                        "timed step {index} reads behaviour {}, which has no events",
                        timed.step.behaviour
                    ));
                }
                self.check_step(&timed.step)
            }
            Op::Points { ceiling } => {
                if self.points_seen || !(ceiling == 99 || ceiling == 100) {
                    return Err(format!("a second or malformed points total (ceiling {ceiling})"));
                }
                self.points_seen = true;
                Ok(())
            }
            Op::Tier { tier } => check_index("tier", tier, self.p.tiers.len()),
            Op::OutRange { value: OutVal::Category(cat), .. } => {
                check_index("category", cat, self.p.categories.len())
            }
            _ => Ok(()),
        }
    }

    fn check_step(&mut self, step: &BehaviourStep) -> Result<(), String> {
        check_index("behaviour", step.behaviour, self.p.schema.behaviours().len())?;
        if step.min == 0 {
            return Err("a behaviour threshold of 0".to_string());
        }
        if !step.each && step.limit != 0 {
            return Err(format!("rule {} has a cap but does not count each occurrence", step.rule));
        }
        let kind = if step.each { RuleKindInfo::BehaviourEach } else { RuleKindInfo::Behaviour };
        self.check_rule(step.rule, step.cat, step.points, kind)
    }

    fn check_require(&mut self, index: u32, points: i64) -> Result<(), String> {
        let info = self.p.requires.get(index as usize).ok_or_else(|| out_of_range("must-have", index))?;
        if info.points != points {
            return Err(format!("must-have {index} is worth {} but the code gives {points}", info.points));
        }
        once(&mut self.seen_requires, index, "must-have")
    }

    fn check_arm(&self, arm: u32, digit: u8) -> Result<(), String> {
        let info = self.p.segment.as_ref().and_then(|s| s.arms.get(arm as usize));
        match info {
            Some(a) if a.digit == digit => Ok(()),
            Some(a) => Err(format!("segment arm {arm} has digit {} but the code gives {digit}", a.digit)),
            None => Err(out_of_range("segment arm", arm)),
        }
    }

    fn check_rule(&mut self, rule: u32, cat: u32, points: i64, kind: RuleKindInfo) -> Result<(), String> {
        let info = self.p.rules.get(rule as usize).ok_or_else(|| out_of_range("rule", rule))?;
        if info.category != cat || info.points != points || info.kind != kind {
            return Err(format!("rule {rule} does not match its description (category, points or kind)"));
        }
        once(&mut self.seen_rules, rule, "rule")
    }

    fn check_test(&self, test: &Test) -> Result<(), String> {
        let Some(field) = test.field() else { return Ok(()) };
        let def =
            self.p.schema.field(crate::schema::FieldId(field)).ok_or_else(|| out_of_range("field", field))?;
        let p = self.p;
        let ok = match (*test, &def.ty) {
            (Test::Present { .. } | Test::Missing { .. }, _) => true,
            (Test::Bool { .. }, FieldType::Bool) | (Test::IntRange { .. }, FieldType::Int) => true,
            (Test::NumCmp { k, .. }, FieldType::Number) => !k.is_nan(),
            (Test::NumRange { lo, hi, .. }, FieldType::Number) => !lo.is_nan() && !hi.is_nan(),
            (
                Test::TextEq { text, .. }
                | Test::Contains { text, .. }
                | Test::StartsWith { text, .. }
                | Test::EndsWith { text, .. },
                FieldType::String,
            ) => {
                return check_index("string constant", text, p.strings.len());
            }
            (Test::TextIn { set, .. }, FieldType::String) => {
                return check_index("text set", set, p.text_sets.len());
            }
            (Test::EnumBits { bits, .. }, FieldType::Enum(values)) => {
                values.len() <= 64 && bits & !low_bits(values.len()) == 0
            }
            (Test::EnumSet { set, .. }, FieldType::Enum(values)) => {
                let words = p.enum_sets.get(set as usize).ok_or_else(|| out_of_range("enum set", set))?;
                values.len() > 64 && words.len() == values.len().div_ceil(64)
            }
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(format!("a malformed or mistyped test of the {} field `{}`", def.ty, def.name))
        }
    }

    fn finish(self) -> Result<(), String> {
        if !self.last_halt {
            return Err("the code does not end with `halt`".to_string());
        }
        if !self.points_seen {
            return Err("the code never computes the points total".to_string());
        }
        Ok(())
    }
}

/// Joins two paths: acc is written only if written on both.
fn merge(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x && y),
        (x, None) => x,
        (None, y) => y,
    }
}

fn low_bits(n: usize) -> u64 {
    if n >= 64 { u64::MAX } else { (1u64 << n) - 1 }
}

fn out_of_range(what: &str, index: u32) -> String {
    format!("{what} {index} does not exist")
}

fn check_index(what: &str, index: u32, len: usize) -> Result<(), String> {
    if (index as usize) < len { Ok(()) } else { Err(out_of_range(what, index)) }
}

fn once(seen: &mut [bool], index: u32, what: &str) -> Result<(), String> {
    match seen.get_mut(index as usize) {
        Some(true) => Err(format!("{what} {index} runs twice")),
        Some(slot) => {
            *slot = true;
            Ok(())
        }
        None => Err(out_of_range(what, index)),
    }
}

/// Every duration of a clock is from 1 second to 100 years.
fn check_clock(clock: &crate::check::Clock) -> Result<(), String> {
    use crate::check::Decay;
    const MAX: i64 = 36_525 * 86_400;
    let decay = match clock.decay {
        Decay::None => None,
        Decay::HalfLife(d) | Decay::Linear(d) | Decay::Expire(d) => Some(d),
    };
    match clock.window.into_iter().chain(decay).find(|d| !(1..=MAX).contains(d)) {
        Some(d) => Err(format!("a time clause of {d} seconds (expected 1 to {MAX})")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn example() -> Bytecode {
        let source = "require age >= 18 : 100\ncategory critical max 25\n*behaviour demo_request : 20\n\
                      tier hot when points >= 50\ntier cold\n";
        let schema = "behaviours = [\"demo_request\"]\n[fields]\nage = \"int\"\n";
        crate::compile(source, schema).unwrap().bytecode
    }

    /// The example program with instruction `pc` replaced.
    fn with(pc: usize, op: Op) -> Result<(), VerifyError> {
        let mut p = example();
        p.code[pc] = op;
        verify(&p)
    }

    fn message(result: Result<(), VerifyError>) -> String {
        result.unwrap_err().to_string()
    }

    const AGE_18: Test = Test::IntRange { field: 0, negated: false, lo: 18, hi: i64::MAX };

    #[test]
    fn the_example_program_is_laid_out_as_expected_and_verifies() {
        let p = example();
        assert_eq!(p.code[0], Op::RequireWhen { test: AGE_18, index: 0, points: 100 });
        assert_eq!(p.code[1], Op::Behaviours { start: 0, len: 1 });
        assert!(matches!(p.code[2], Op::Points { ceiling: 99 }));
        assert!(matches!(p.code.last(), Some(Op::Halt)));
        assert_eq!(verify(&p), Ok(()));
    }

    #[test]
    fn backward_and_outside_jumps_are_rejected() {
        let jump = |target| Op::SegmentArm { arm: 0, digit: 1, end: target };
        let mut p = example();
        p.code.insert(0, Op::Test(Test::Const(true)));
        p.code.insert(1, Op::JumpIfTrue { target: 999 });
        assert_eq!(message(verify(&p)), "instruction 1: jumps to instruction 999, past the end of the code");
        let mut p = example();
        p.code.insert(0, Op::Test(Test::Const(true)));
        p.code.insert(1, Op::JumpIfTrue { target: 1 });
        assert_eq!(verify(&p).unwrap_err().message, "jumps back to instruction 1; jumps must go forward");
        assert!(with(0, jump(5)).is_err());
    }

    #[test]
    fn out_of_range_operands_are_rejected() {
        let require = |test| Op::RequireWhen { test, index: 0, points: 100 };
        let range = |field| Test::IntRange { field, negated: false, lo: 0, hi: 1 };
        assert_eq!(message(with(0, require(range(7)))), "instruction 0: field 7 does not exist");
        let text = Test::TextEq { field: 0, negated: false, text: 0 };
        assert_eq!(
            message(with(0, require(text))),
            "instruction 0: a malformed or mistyped test of the int field `age`"
        );
        assert_eq!(
            message(with(1, Op::Behaviours { start: 0, len: 2 })),
            "instruction 1: an empty or out-of-range behaviour run"
        );
        let mut p = example();
        p.steps[0].rule = 3;
        assert_eq!(message(verify(&p)), "instruction 1: rule 3 does not exist");
        let mut p = example();
        p.steps[0].behaviour = 9;
        assert_eq!(message(verify(&p)), "instruction 1: behaviour 9 does not exist");
        assert_eq!(message(with(4, Op::Tier { tier: 2 })), "instruction 4: tier 2 does not exist");
    }

    #[test]
    fn metadata_mismatches_are_rejected() {
        let mut p = example();
        p.steps[0].points = 25;
        assert!(message(verify(&p)).contains("does not match its description"));
        let require = Op::RequireWhen { test: AGE_18, index: 0, points: 1 };
        assert!(message(with(0, require)).contains("is worth 100"));
        let mut p = example();
        p.code.insert(1, Op::Behaviours { start: 0, len: 1 });
        assert!(message(verify(&p)).contains("rule 0 runs twice"));
    }

    #[test]
    fn reading_the_accumulator_before_a_test_is_rejected() {
        assert_eq!(
            message(with(0, Op::Not)),
            "instruction 0: reads the accumulator before any test wrote it"
        );
        // An effect consumes the accumulator: a second effect cannot reuse it.
        let mut p = example();
        p.code[0] = Op::Test(AGE_18);
        p.code.insert(1, Op::Require { index: 0, points: 100 });
        assert_eq!(verify(&p), Ok(()));
        p.code.insert(2, Op::Fit { rule: 0, cat: 0, points: 20 });
        assert_eq!(message(verify(&p)), "instruction 2: reads the accumulator before any test wrote it");
    }

    #[test]
    fn stage_order_and_completeness_are_checked() {
        let mut p = example();
        p.code.truncate(2);
        p.code.push(Op::Halt);
        assert_eq!(verify(&p).unwrap_err().message, "the code never computes the points total");
        let mut p = example();
        p.code.pop();
        assert_eq!(verify(&p).unwrap_err().message, "the code does not end with `halt`");
        let mut p = example();
        p.code.swap(0, 1); // the rules before the must-haves
        assert!(message(verify(&p)).contains("requires step after a later step"));
        assert!(message(with(0, Op::Qualified)).contains("tests the outcome before the points total"));
        let mut p = example();
        p.code.insert(3, Op::Test(AGE_18));
        assert!(message(verify(&p)).contains("tests a lead field after the points total"));
    }
}
