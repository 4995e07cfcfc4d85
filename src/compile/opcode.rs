//! The instruction set of compiled programs.
//!
//! In: nothing — plain data. Out: [`Op`], one instruction, and the byte
//! codes it is saved as (`code`). `docs/bytecode.md` is the reference.
//!
//! The machine has no operand stack. Tests write one boolean *accumulator*;
//! `not` and the conditional jumps read it; effects (`require`, `fit`, ...)
//! read it to decide whether to act. Jumps go forward only, so every program
//! terminates after at most one pass over its code.

use crate::syntax::ast::CmpOp;

/// A comparison on numbers (`number` fields only; int comparisons become
/// ranges when lowered).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Cmp {
    /// The comparison written `op`.
    pub(crate) fn of(op: CmpOp) -> Cmp {
        match op {
            CmpOp::Eq => Cmp::Eq,
            CmpOp::Ne => Cmp::Ne,
            CmpOp::Lt => Cmp::Lt,
            CmpOp::Le => Cmp::Le,
            CmpOp::Gt => Cmp::Gt,
            CmpOp::Ge => Cmp::Ge,
        }
    }

    /// The operator it was written with.
    pub(crate) fn op(self) -> CmpOp {
        match self {
            Cmp::Eq => CmpOp::Eq,
            Cmp::Ne => CmpOp::Ne,
            Cmp::Lt => CmpOp::Lt,
            Cmp::Le => CmpOp::Le,
            Cmp::Gt => CmpOp::Gt,
            Cmp::Ge => CmpOp::Ge,
        }
    }

    /// Applies the comparison `value <op> k`.
    #[inline]
    pub fn apply(self, value: f64, k: f64) -> bool {
        match self {
            Cmp::Eq => value == k,
            Cmp::Ne => value != k,
            Cmp::Lt => value < k,
            Cmp::Le => value <= k,
            Cmp::Gt => value > k,
            Cmp::Ge => value >= k,
        }
    }

    /// The operator as written in a program.
    pub fn as_str(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }

    /// The byte the operator is saved as.
    pub fn to_byte(self) -> u8 {
        self as u8
    }

    /// The operator saved as `byte`, if any.
    pub fn from_byte(byte: u8) -> Option<Cmp> {
        [Cmp::Eq, Cmp::Ne, Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge].get(byte as usize).copied()
    }
}

/// A number of the outcome that a tier condition tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutVal {
    /// The clamped points.
    Points,
    /// The full score.
    Score,
    /// How many must-haves are met.
    RequiresMet,
    /// The segment digit.
    Segment,
    /// One category's capped total, by category index.
    Category(u32),
}

/// A test of one lead field: writes the accumulator, or guards a fused
/// effect. Every test but [`Test::Missing`] (and a true [`Test::Const`]) is
/// false when the field is missing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Test {
    /// The constant.
    Const(bool),
    /// The field has a value.
    Present {
        /// The field.
        field: u32,
    },
    /// The field has no value.
    Missing {
        /// The field.
        field: u32,
    },
    /// The bool field equals `value`.
    Bool {
        /// The field.
        field: u32,
        /// The value it must have.
        value: bool,
    },
    /// The int field is within `lo..=hi` (outside when `negated`). Every
    /// int comparison lowers to this.
    IntRange {
        /// The field.
        field: u32,
        /// `not in`, `!=`
        negated: bool,
        /// Lower end, included.
        lo: i64,
        /// Upper end, included.
        hi: i64,
    },
    /// The number field compares with `k`.
    NumCmp {
        /// The field.
        field: u32,
        /// The comparison.
        cmp: Cmp,
        /// The constant.
        k: f64,
    },
    /// The number field is within `lo..=hi` (outside when `negated`).
    NumRange {
        /// The field.
        field: u32,
        /// `not in`
        negated: bool,
        /// Lower end, included.
        lo: f64,
        /// Upper end, included.
        hi: f64,
    },
    /// The string field equals string constant `text` (differs, when
    /// `negated`).
    TextEq {
        /// The field.
        field: u32,
        /// `!=`
        negated: bool,
        /// Index into the string pool.
        text: u32,
    },
    /// The string field contains `text`.
    Contains {
        /// The field.
        field: u32,
        /// Index into the string pool.
        text: u32,
    },
    /// The string field starts with `text`.
    StartsWith {
        /// The field.
        field: u32,
        /// Index into the string pool.
        text: u32,
    },
    /// The string field ends with `text`.
    EndsWith {
        /// The field.
        field: u32,
        /// Index into the string pool.
        text: u32,
    },
    /// The string field is one of text set `set` (none, when `negated`).
    TextIn {
        /// The field.
        field: u32,
        /// `not in`
        negated: bool,
        /// Index into the text sets.
        set: u32,
    },
    /// Bit `value` of `bits` is set (clear, when `negated`), for an enum
    /// field with at most 64 values.
    EnumBits {
        /// The field.
        field: u32,
        /// `not in`, `!=`
        negated: bool,
        /// One bit per enum value.
        bits: u64,
    },
    /// The enum value's bit is set in bitset `set` (clear, when `negated`),
    /// for enums with more than 64 values.
    EnumSet {
        /// The field.
        field: u32,
        /// `not in`, `!=`
        negated: bool,
        /// Index into the enum bitsets.
        set: u32,
    },
}

impl Test {
    /// The field the test reads, if any.
    pub fn field(&self) -> Option<u32> {
        let mut test = *self;
        test.field_mut().map(|field| *field)
    }

    /// The same test of field `to`.
    pub(crate) fn on_field(mut self, to: u32) -> Test {
        if let Some(field) = self.field_mut() {
            *field = to;
        }
        self
    }

    fn field_mut(&mut self) -> Option<&mut u32> {
        match self {
            Test::Const(_) => None,
            Test::Present { field }
            | Test::Missing { field }
            | Test::Bool { field, .. }
            | Test::IntRange { field, .. }
            | Test::NumCmp { field, .. }
            | Test::NumRange { field, .. }
            | Test::TextEq { field, .. }
            | Test::Contains { field, .. }
            | Test::StartsWith { field, .. }
            | Test::EndsWith { field, .. }
            | Test::TextIn { field, .. }
            | Test::EnumBits { field, .. }
            | Test::EnumSet { field, .. } => Some(field),
        }
    }
}

/// One behaviour rule of a [`Op::Behaviours`] run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BehaviourStep {
    /// The rule's index (categories in order, rules in order).
    pub rule: u32,
    /// The category's index.
    pub cat: u32,
    /// The behaviour counted.
    pub behaviour: u32,
    /// The count at which the rule fires, at least 1.
    pub min: u32,
    /// The points, once or per occurrence.
    pub points: i64,
    /// `each`: `points × count`, limited by `limit` (`min` with it for
    /// positive points, `max` for negative ones; `i64::MAX`/`i64::MIN` when
    /// the rule has no cap). Not `each`: `limit` is unused and 0.
    pub each: bool,
    /// The rule's own cap.
    pub limit: i64,
}

/// One behaviour rule on an event behaviour, run by [`Op::Timed`]: the
/// rule as a [`BehaviourStep`] plus its time clauses. Its count is the
/// number of events at or before the as-of instant (and within the window);
/// its points are decayed per event (`docs/language.md`, "Time").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedStep {
    /// The rule, as for a counted behaviour.
    pub step: BehaviourStep,
    /// Window and decay, durations in seconds (each at least 1).
    pub clock: crate::check::Clock,
}

/// One instruction.
///
/// Field and behaviour operands are schema ids; `text` and `set` operands
/// index the program's constant pools; `cat`, `rule`, `index`, `arm` and
/// `tier` index the program's tables. The verifier checks every one of them.
/// The `...When` forms fuse a test with the effect it guards, the common
/// case of a rule whose condition is a single test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    /// acc ← the test's result.
    Test(Test),
    /// acc ← every must-have was met (tier conditions only).
    Qualified,
    /// acc ← an outcome number is within `lo..=hi` (outside when `negated`)
    /// (tier conditions only).
    OutRange {
        /// Which number.
        value: OutVal,
        /// `!=`
        negated: bool,
        /// Lower end, included.
        lo: i64,
        /// Upper end, included.
        hi: i64,
    },
    /// acc ← not acc.
    Not,
    /// Jump to `target` when acc is false (`and` short-circuit).
    JumpIfFalse {
        /// The instruction to go to; always later than this one.
        target: u32,
    },
    /// Jump to `target` when acc is true (`or` short-circuit).
    JumpIfTrue {
        /// The instruction to go to; always later than this one.
        target: u32,
    },
    /// When acc: must-have `index` is met, worth `points`.
    Require {
        /// The must-have's index.
        index: u32,
        /// Its block of points.
        points: i64,
    },
    /// [`Op::Require`] guarded by `test` instead of acc.
    RequireWhen {
        /// The must-have's condition.
        test: Test,
        /// The must-have's index.
        index: u32,
        /// Its block of points.
        points: i64,
    },
    /// When acc: the segment digit is `digit` and execution continues at
    /// `end` (the first matching arm wins).
    SegmentArm {
        /// The arm's index.
        arm: u32,
        /// The digit, 1 to 9.
        digit: u8,
        /// The instruction after the last arm.
        end: u32,
    },
    /// [`Op::SegmentArm`] guarded by `test` instead of acc.
    ArmWhen {
        /// The arm's test.
        test: Test,
        /// The arm's index.
        arm: u32,
        /// The digit, 1 to 9.
        digit: u8,
        /// The instruction after the last arm.
        end: u32,
    },
    /// When acc: rule `rule` adds `points` to category `cat`.
    Fit {
        /// The rule's index (categories in order, rules in order).
        rule: u32,
        /// The category's index.
        cat: u32,
        /// The points.
        points: i64,
    },
    /// [`Op::Fit`] guarded by `test` instead of acc.
    FitWhen {
        /// The rule's condition.
        test: Test,
        /// The rule's index.
        rule: u32,
        /// The category's index.
        cat: u32,
        /// The points.
        points: i64,
    },
    /// Runs behaviour steps `start..start + len` of the program's step
    /// table, in order: consecutive behaviour rules in one instruction. Does
    /// not read acc.
    Behaviours {
        /// The first step.
        start: u32,
        /// How many steps.
        len: u32,
    },
    /// Runs timed step `index` of the program's timed-step table: a
    /// behaviour rule on an event behaviour, evaluated as of the instant
    /// given to the evaluator. Does not read acc.
    Timed {
        /// Index into the timed steps.
        index: u32,
    },
    /// Caps every category (its capped total ← min(raw, max) by the
    /// category table), then points ← sum of capped totals clamped to
    /// `0..=ceiling`; sets qualified, and score ← segment × 1000 +
    /// must-have points + points.
    Points {
        /// 99 in the digit layout, else 100.
        ceiling: i64,
    },
    /// When acc: the lead's tier is `tier`; stop.
    Tier {
        /// The tier's index.
        tier: u32,
    },
    /// Stop.
    Halt,
}

/// The byte code of each instruction, as saved in a compiled file.
pub(crate) mod code {
    #![allow(missing_docs)]
    pub const CONST_FALSE: u8 = 0x01;
    pub const CONST_TRUE: u8 = 0x02;
    pub const PRESENT: u8 = 0x03;
    pub const MISSING: u8 = 0x04;
    pub const BOOL: u8 = 0x05;
    pub const INT_RANGE: u8 = 0x10;
    pub const NUM_CMP: u8 = 0x11;
    pub const NUM_RANGE: u8 = 0x12;
    pub const TEXT_EQ: u8 = 0x20;
    pub const CONTAINS: u8 = 0x21;
    pub const STARTS_WITH: u8 = 0x22;
    pub const ENDS_WITH: u8 = 0x23;
    pub const TEXT_IN: u8 = 0x24;
    pub const ENUM_BITS: u8 = 0x28;
    pub const ENUM_SET: u8 = 0x29;
    pub const QUALIFIED: u8 = 0x30;
    pub const OUT_RANGE: u8 = 0x31;
    pub const NOT: u8 = 0x40;
    pub const JUMP_IF_FALSE: u8 = 0x41;
    pub const JUMP_IF_TRUE: u8 = 0x42;
    pub const REQUIRE: u8 = 0x50;
    pub const SEGMENT_ARM: u8 = 0x51;
    pub const FIT: u8 = 0x52;
    pub const BEHAVIOURS: u8 = 0x53;
    pub const TIMED: u8 = 0x54;
    pub const REQUIRE_WHEN: u8 = 0x58;
    pub const ARM_WHEN: u8 = 0x59;
    pub const FIT_WHEN: u8 = 0x5A;
    pub const POINTS: u8 = 0x61;
    pub const TIER: u8 = 0x62;
    pub const HALT: u8 = 0xFF;
}

/// What an instruction does with the accumulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccUse {
    /// Neither reads nor writes it.
    None,
    /// Writes it (a test).
    Writes,
    /// Reads it and leaves it as it was (jumps, effects).
    Reads,
    /// Reads and writes it (`not`).
    ReadsWrites,
}

/// The stage of evaluation an effect belongs to; stages must not go back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Must-haves.
    Requires,
    /// Segment arms.
    Segment,
    /// Fit and behaviour rules.
    Rules,
    /// The points total.
    Points,
    /// Tiers.
    Tiers,
}

impl Op {
    /// How the instruction uses the accumulator. Effects consume it: after
    /// one, it must be written again before it is read.
    pub fn acc_use(&self) -> AccUse {
        match self {
            Op::Not => AccUse::ReadsWrites,
            Op::JumpIfFalse { .. }
            | Op::JumpIfTrue { .. }
            | Op::Require { .. }
            | Op::SegmentArm { .. }
            | Op::Fit { .. }
            | Op::Tier { .. } => AccUse::Reads,
            Op::Test(_) | Op::Qualified | Op::OutRange { .. } => AccUse::Writes,
            _ => AccUse::None,
        }
    }

    /// The stage of an effect instruction; `None` for tests and control.
    pub fn stage(&self) -> Option<Stage> {
        Some(match self {
            Op::Require { .. } | Op::RequireWhen { .. } => Stage::Requires,
            Op::SegmentArm { .. } | Op::ArmWhen { .. } => Stage::Segment,
            Op::Fit { .. } | Op::FitWhen { .. } | Op::Behaviours { .. } | Op::Timed { .. } => Stage::Rules,
            Op::Points { .. } => Stage::Points,
            Op::Tier { .. } => Stage::Tiers,
            _ => return None,
        })
    }

    /// Whether the instruction tests the outcome (allowed only after
    /// [`Op::Points`]).
    pub fn tests_outcome(&self) -> bool {
        matches!(self, Op::Qualified | Op::OutRange { .. })
    }

    /// The field test the instruction runs, if any.
    pub fn test(&self) -> Option<&Test> {
        match self {
            Op::Test(test)
            | Op::RequireWhen { test, .. }
            | Op::ArmWhen { test, .. }
            | Op::FitWhen { test, .. } => Some(test),
            _ => None,
        }
    }

    /// The jump target of a jump or segment arm.
    pub fn target(&self) -> Option<u32> {
        match *self {
            Op::JumpIfFalse { target } | Op::JumpIfTrue { target } => Some(target),
            Op::SegmentArm { end, .. } | Op::ArmWhen { end, .. } => Some(end),
            _ => None,
        }
    }
}
