//! The plan's code: what the evaluator runs one instruction at a time.
//!
//! In: the bytecode instructions the tables did not take (`build`). Out:
//! [`Step`]s, the subset of [`Op`] that can be left over. The forms the
//! tables always take (`fit_when`, `require_when`, `behaviours`) have no
//! step, so the evaluator has no arm for an instruction that never runs;
//! `arm_when` has one, for a segment whose arms are not all single tests.

use super::Effect;
use crate::compile::opcode::{Op, OutVal, Test};

/// An instruction that only a table runs: a fused fit rule, a fused
/// must-have, a run of behaviour rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum TableOnly {
    Fit(Test, Effect),
    Require { test: Test, index: u32, points: i64 },
    Behaviours { start: u32, len: u32 },
}

/// One instruction of the plan's code; each is the [`Op`] of the same name
/// (see there for what it does), jump targets counted in steps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Step {
    Test(Test),
    Qualified,
    OutRange { value: OutVal, negated: bool, lo: i64, hi: i64 },
    Not,
    JumpIfFalse { target: u32 },
    JumpIfTrue { target: u32 },
    Require { index: u32, points: i64 },
    SegmentArm { arm: u32, digit: u8, end: u32 },
    ArmWhen { test: Test, arm: u32, digit: u8, end: u32 },
    Fit { rule: u32, cat: u32, points: i64 },
    Timed { index: u32 },
    Points { ceiling: i64 },
    Tier { tier: u32 },
    Halt,
}

impl Step {
    /// The step that runs `op`, or, for the forms only a table runs, what
    /// the table needs of it.
    pub(super) fn of(op: Op) -> Result<Step, TableOnly> {
        Ok(match op {
            Op::Test(test) => Step::Test(test),
            Op::Qualified => Step::Qualified,
            Op::OutRange { value, negated, lo, hi } => Step::OutRange { value, negated, lo, hi },
            Op::Not => Step::Not,
            Op::JumpIfFalse { target } => Step::JumpIfFalse { target },
            Op::JumpIfTrue { target } => Step::JumpIfTrue { target },
            Op::Require { index, points } => Step::Require { index, points },
            Op::SegmentArm { arm, digit, end } => Step::SegmentArm { arm, digit, end },
            Op::ArmWhen { test, arm, digit, end } => Step::ArmWhen { test, arm, digit, end },
            Op::Fit { rule, cat, points } => Step::Fit { rule, cat, points },
            Op::Timed { index } => Step::Timed { index },
            Op::Points { ceiling } => Step::Points { ceiling },
            Op::Tier { tier } => Step::Tier { tier },
            Op::Halt => Step::Halt,
            Op::FitWhen { test, rule, cat, points } => {
                return Err(TableOnly::Fit(test, Effect { rule, cat, points }));
            }
            Op::RequireWhen { test, index, points } => {
                return Err(TableOnly::Require { test, index, points });
            }
            Op::Behaviours { start, len } => return Err(TableOnly::Behaviours { start, len }),
        })
    }

    /// The instruction this step runs (tests verify the plan's code as
    /// bytecode, and the plan dump prints it so).
    #[cfg(test)]
    pub(crate) fn op(self) -> Op {
        match self {
            Step::Test(test) => Op::Test(test),
            Step::Qualified => Op::Qualified,
            Step::OutRange { value, negated, lo, hi } => Op::OutRange { value, negated, lo, hi },
            Step::Not => Op::Not,
            Step::JumpIfFalse { target } => Op::JumpIfFalse { target },
            Step::JumpIfTrue { target } => Op::JumpIfTrue { target },
            Step::Require { index, points } => Op::Require { index, points },
            Step::SegmentArm { arm, digit, end } => Op::SegmentArm { arm, digit, end },
            Step::ArmWhen { test, arm, digit, end } => Op::ArmWhen { test, arm, digit, end },
            Step::Fit { rule, cat, points } => Op::Fit { rule, cat, points },
            Step::Timed { index } => Op::Timed { index },
            Step::Points { ceiling } => Op::Points { ceiling },
            Step::Tier { tier } => Op::Tier { tier },
            Step::Halt => Op::Halt,
        }
    }

    /// Where a jump or an arm goes on to, to be renumbered.
    pub(super) fn target_mut(&mut self) -> Option<&mut u32> {
        match self {
            Step::JumpIfFalse { target } | Step::JumpIfTrue { target } => Some(target),
            Step::SegmentArm { end, .. } | Step::ArmWhen { end, .. } => Some(end),
            _ => None,
        }
    }
}
