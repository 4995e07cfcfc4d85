//! Instructions to bytes and back.
//!
//! In: an [`Op`] to save, or the bytes of a code section. Out: the opcode
//! byte followed by its operands (little-endian, fixed size per opcode; see
//! `docs/bytecode.md`), or the decoded instruction, or a located error for
//! an unknown opcode, a bad flag or operator byte, or truncated operands.

use super::bytes::{ReadError, Reader, Writer};
use super::opcode::{BehaviourStep, Cmp, Op, OutVal, Test, code};

/// Appends one instruction.
pub fn write_op(w: &mut Writer, op: &Op) {
    match *op {
        Op::Test(test) => write_test(w, &test),
        Op::Qualified => w.u8(code::QUALIFIED),
        Op::OutRange { value, negated, lo, hi } => {
            w.u8(code::OUT_RANGE);
            let (kind, cat) = out_val_bytes(value);
            w.u8(kind);
            w.u32(cat);
            w.bool(negated);
            w.i64(lo);
            w.i64(hi);
        }
        Op::Not => w.u8(code::NOT),
        Op::JumpIfFalse { target } => op_u32(w, code::JUMP_IF_FALSE, target),
        Op::JumpIfTrue { target } => op_u32(w, code::JUMP_IF_TRUE, target),
        Op::Require { index, points } => {
            op_u32(w, code::REQUIRE, index);
            w.i64(points);
        }
        Op::RequireWhen { test, index, points } => {
            w.u8(code::REQUIRE_WHEN);
            write_test(w, &test);
            w.u32(index);
            w.i64(points);
        }
        Op::SegmentArm { arm, digit, end } => {
            op_u32(w, code::SEGMENT_ARM, arm);
            w.u8(digit);
            w.u32(end);
        }
        Op::ArmWhen { test, arm, digit, end } => {
            w.u8(code::ARM_WHEN);
            write_test(w, &test);
            w.u32(arm);
            w.u8(digit);
            w.u32(end);
        }
        Op::Fit { rule, cat, points } => {
            op_u32(w, code::FIT, rule);
            w.u32(cat);
            w.i64(points);
        }
        Op::FitWhen { test, rule, cat, points } => {
            w.u8(code::FIT_WHEN);
            write_test(w, &test);
            w.u32(rule);
            w.u32(cat);
            w.i64(points);
        }
        Op::Behaviours { start, len } => {
            op_u32(w, code::BEHAVIOURS, start);
            w.u32(len);
        }
        Op::Points { ceiling } => {
            w.u8(code::POINTS);
            w.i64(ceiling);
        }
        Op::Tier { tier } => op_u32(w, code::TIER, tier),
        Op::Halt => w.u8(code::HALT),
    }
}

/// Appends one field test: its opcode byte and operands.
fn write_test(w: &mut Writer, test: &Test) {
    match *test {
        Test::Const(false) => w.u8(code::CONST_FALSE),
        Test::Const(true) => w.u8(code::CONST_TRUE),
        Test::Present { field } => op_u32(w, code::PRESENT, field),
        Test::Missing { field } => op_u32(w, code::MISSING, field),
        Test::Bool { field, value } => {
            op_u32(w, code::BOOL, field);
            w.bool(value);
        }
        Test::IntRange { field, negated, lo, hi } => {
            field_flag(w, code::INT_RANGE, field, negated);
            w.i64(lo);
            w.i64(hi);
        }
        Test::NumCmp { field, cmp, k } => {
            op_u32(w, code::NUM_CMP, field);
            w.u8(cmp.to_byte());
            w.f64(k);
        }
        Test::NumRange { field, negated, lo, hi } => {
            field_flag(w, code::NUM_RANGE, field, negated);
            w.f64(lo);
            w.f64(hi);
        }
        Test::TextEq { field, negated, text } => {
            field_flag(w, code::TEXT_EQ, field, negated);
            w.u32(text);
        }
        Test::Contains { field, text } => field_index(w, code::CONTAINS, field, text),
        Test::StartsWith { field, text } => field_index(w, code::STARTS_WITH, field, text),
        Test::EndsWith { field, text } => field_index(w, code::ENDS_WITH, field, text),
        Test::TextIn { field, negated, set } => {
            field_flag(w, code::TEXT_IN, field, negated);
            w.u32(set);
        }
        Test::EnumBits { field, negated, bits } => {
            field_flag(w, code::ENUM_BITS, field, negated);
            w.u64(bits);
        }
        Test::EnumSet { field, negated, set } => {
            field_flag(w, code::ENUM_SET, field, negated);
            w.u32(set);
        }
    }
}

/// Appends one behaviour step.
pub fn write_step(w: &mut Writer, step: &BehaviourStep) {
    w.u32(step.rule);
    w.u32(step.cat);
    w.u32(step.behaviour);
    w.u32(step.min);
    w.i64(step.points);
    w.bool(step.each);
    w.i64(step.limit);
}

/// Reads one behaviour step.
pub fn read_step(r: &mut Reader<'_>) -> Result<BehaviourStep, ReadError> {
    Ok(BehaviourStep {
        rule: r.u32()?,
        cat: r.u32()?,
        behaviour: r.u32()?,
        min: r.u32()?,
        points: r.i64()?,
        each: r.bool()?,
        limit: r.i64()?,
    })
}

/// The size in bytes of a saved behaviour step.
pub const STEP_SIZE: usize = 33;

fn op_u32(w: &mut Writer, opcode: u8, a: u32) {
    w.u8(opcode);
    w.u32(a);
}

fn field_flag(w: &mut Writer, opcode: u8, field: u32, flag: bool) {
    op_u32(w, opcode, field);
    w.bool(flag);
}

fn field_index(w: &mut Writer, opcode: u8, a: u32, b: u32) {
    op_u32(w, opcode, a);
    w.u32(b);
}

fn out_val_bytes(value: OutVal) -> (u8, u32) {
    match value {
        OutVal::Points => (0, 0),
        OutVal::Score => (1, 0),
        OutVal::RequiresMet => (2, 0),
        OutVal::Segment => (3, 0),
        OutVal::Category(i) => (4, i),
    }
}

/// Reads one instruction.
pub fn read_op(r: &mut Reader<'_>) -> Result<Op, ReadError> {
    let offset = r.offset();
    let opcode = r.u8()?;
    Ok(match opcode {
        code::QUALIFIED => Op::Qualified,
        code::OUT_RANGE => read_out_range(r)?,
        code::NOT => Op::Not,
        code::JUMP_IF_FALSE => Op::JumpIfFalse { target: r.u32()? },
        code::JUMP_IF_TRUE => Op::JumpIfTrue { target: r.u32()? },
        code::REQUIRE => Op::Require { index: r.u32()?, points: r.i64()? },
        code::REQUIRE_WHEN => {
            Op::RequireWhen { test: read_fused_test(r)?, index: r.u32()?, points: r.i64()? }
        }
        code::SEGMENT_ARM => Op::SegmentArm { arm: r.u32()?, digit: r.u8()?, end: r.u32()? },
        code::ARM_WHEN => {
            Op::ArmWhen { test: read_fused_test(r)?, arm: r.u32()?, digit: r.u8()?, end: r.u32()? }
        }
        code::FIT => Op::Fit { rule: r.u32()?, cat: r.u32()?, points: r.i64()? },
        code::FIT_WHEN => {
            Op::FitWhen { test: read_fused_test(r)?, rule: r.u32()?, cat: r.u32()?, points: r.i64()? }
        }
        code::BEHAVIOURS => Op::Behaviours { start: r.u32()?, len: r.u32()? },
        code::POINTS => Op::Points { ceiling: r.i64()? },
        code::TIER => Op::Tier { tier: r.u32()? },
        code::HALT => Op::Halt,
        other => match read_test(r, other)? {
            Some(test) => Op::Test(test),
            None => return Err(r.malformed(offset, format!("unknown opcode 0x{other:02x}"))),
        },
    })
}

/// Reads the test inside a fused instruction.
fn read_fused_test(r: &mut Reader<'_>) -> Result<Test, ReadError> {
    let offset = r.offset();
    let opcode = r.u8()?;
    read_test(r, opcode)?.ok_or_else(|| r.malformed(offset, format!("0x{opcode:02x} is not a test")))
}

/// Reads a test's operands after its opcode; `None` when `opcode` is not a
/// test.
fn read_test(r: &mut Reader<'_>, opcode: u8) -> Result<Option<Test>, ReadError> {
    Ok(Some(match opcode {
        code::CONST_FALSE => Test::Const(false),
        code::CONST_TRUE => Test::Const(true),
        code::PRESENT => Test::Present { field: r.u32()? },
        code::MISSING => Test::Missing { field: r.u32()? },
        code::BOOL => Test::Bool { field: r.u32()?, value: r.bool()? },
        code::INT_RANGE => Test::IntRange { field: r.u32()?, negated: r.bool()?, lo: r.i64()?, hi: r.i64()? },
        code::NUM_CMP => {
            let field = r.u32()?;
            let at = r.offset();
            let cmp = Cmp::from_byte(r.u8()?).ok_or_else(|| r.malformed(at, "an unknown comparison"))?;
            Test::NumCmp { field, cmp, k: r.f64()? }
        }
        code::NUM_RANGE => Test::NumRange { field: r.u32()?, negated: r.bool()?, lo: r.f64()?, hi: r.f64()? },
        code::TEXT_EQ => Test::TextEq { field: r.u32()?, negated: r.bool()?, text: r.u32()? },
        code::CONTAINS => Test::Contains { field: r.u32()?, text: r.u32()? },
        code::STARTS_WITH => Test::StartsWith { field: r.u32()?, text: r.u32()? },
        code::ENDS_WITH => Test::EndsWith { field: r.u32()?, text: r.u32()? },
        code::TEXT_IN => Test::TextIn { field: r.u32()?, negated: r.bool()?, set: r.u32()? },
        code::ENUM_BITS => Test::EnumBits { field: r.u32()?, negated: r.bool()?, bits: r.u64()? },
        code::ENUM_SET => Test::EnumSet { field: r.u32()?, negated: r.bool()?, set: r.u32()? },
        _ => return Ok(None),
    }))
}

fn read_out_range(r: &mut Reader<'_>) -> Result<Op, ReadError> {
    let at = r.offset();
    let kind = r.u8()?;
    let cat = r.u32()?;
    let value = match kind {
        0 if cat == 0 => OutVal::Points,
        1 if cat == 0 => OutVal::Score,
        2 if cat == 0 => OutVal::RequiresMet,
        3 if cat == 0 => OutVal::Segment,
        4 => OutVal::Category(cat),
        _ => return Err(r.malformed(at, format!("unknown outcome value {kind}/{cat}"))),
    };
    Ok(Op::OutRange { value, negated: r.bool()?, lo: r.i64()?, hi: r.i64()? })
}
