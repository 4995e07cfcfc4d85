//! Instructions to bytes and back.
//!
//! In: an [`Op`] to save, or the bytes of a code section. Out: the opcode
//! byte followed by its operands (little-endian, fixed size per opcode; see
//! `docs/bytecode.md`), or the decoded instruction, or a located error for
//! an unknown opcode, a bad flag or operator byte, or truncated operands.

use super::bytes::{ReadError, Reader, Writer};
use super::opcode::{Cmp, Op, OutVal, code};

/// Appends one instruction.
pub fn write_op(w: &mut Writer, op: &Op) {
    match *op {
        Op::Const(false) => w.u8(code::CONST_FALSE),
        Op::Const(true) => w.u8(code::CONST_TRUE),
        Op::Present { field } => field_only(w, code::PRESENT, field),
        Op::Missing { field } => field_only(w, code::MISSING, field),
        Op::Bool { field, value } => {
            field_only(w, code::BOOL, field);
            w.bool(value);
        }
        Op::IntRange { field, negated, lo, hi } => {
            field_flag(w, code::INT_RANGE, field, negated);
            w.i64(lo);
            w.i64(hi);
        }
        Op::NumCmp { field, cmp, k } => {
            field_only(w, code::NUM_CMP, field);
            w.u8(cmp.to_byte());
            w.f64(k);
        }
        Op::NumRange { field, negated, lo, hi } => {
            field_flag(w, code::NUM_RANGE, field, negated);
            w.f64(lo);
            w.f64(hi);
        }
        Op::TextEq { field, negated, text } => {
            field_flag(w, code::TEXT_EQ, field, negated);
            w.u32(text);
        }
        Op::Contains { field, text } => field_index(w, code::CONTAINS, field, text),
        Op::StartsWith { field, text } => field_index(w, code::STARTS_WITH, field, text),
        Op::EndsWith { field, text } => field_index(w, code::ENDS_WITH, field, text),
        Op::TextIn { field, negated, set } => {
            field_flag(w, code::TEXT_IN, field, negated);
            w.u32(set);
        }
        Op::EnumBits { field, negated, bits } => {
            field_flag(w, code::ENUM_BITS, field, negated);
            w.u64(bits);
        }
        Op::EnumSet { field, negated, set } => {
            field_flag(w, code::ENUM_SET, field, negated);
            w.u32(set);
        }
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
        Op::JumpIfFalse { target } => field_only(w, code::JUMP_IF_FALSE, target),
        Op::JumpIfTrue { target } => field_only(w, code::JUMP_IF_TRUE, target),
        Op::Require { index, points } => {
            field_only(w, code::REQUIRE, index);
            w.i64(points);
        }
        Op::SegmentArm { arm, digit, end } => {
            field_only(w, code::SEGMENT_ARM, arm);
            w.u8(digit);
            w.u32(end);
        }
        Op::Fit { rule, cat, points } => {
            field_index(w, code::FIT, rule, cat);
            w.i64(points);
        }
        Op::Behaviour { rule, cat, behaviour, min, points } => {
            field_index(w, code::BEHAVIOUR, rule, cat);
            w.u32(behaviour);
            w.u32(min);
            w.i64(points);
        }
        Op::BehaviourEach { rule, cat, behaviour, min, points, limit } => {
            field_index(w, code::BEHAVIOUR_EACH, rule, cat);
            w.u32(behaviour);
            w.u32(min);
            w.i64(points);
            w.i64(limit);
        }
        Op::Cap { cat, max } => {
            field_only(w, code::CAP, cat);
            w.i64(max);
        }
        Op::Points { ceiling } => {
            w.u8(code::POINTS);
            w.i64(ceiling);
        }
        Op::Tier { tier } => field_only(w, code::TIER, tier),
        Op::Halt => w.u8(code::HALT),
    }
}

fn field_only(w: &mut Writer, opcode: u8, a: u32) {
    w.u8(opcode);
    w.u32(a);
}

fn field_flag(w: &mut Writer, opcode: u8, field: u32, flag: bool) {
    field_only(w, opcode, field);
    w.bool(flag);
}

fn field_index(w: &mut Writer, opcode: u8, a: u32, b: u32) {
    field_only(w, opcode, a);
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
        code::CONST_FALSE => Op::Const(false),
        code::CONST_TRUE => Op::Const(true),
        code::PRESENT => Op::Present { field: r.u32()? },
        code::MISSING => Op::Missing { field: r.u32()? },
        code::BOOL => Op::Bool { field: r.u32()?, value: r.bool()? },
        code::INT_RANGE => Op::IntRange { field: r.u32()?, negated: r.bool()?, lo: r.i64()?, hi: r.i64()? },
        code::NUM_CMP => {
            let field = r.u32()?;
            let at = r.offset();
            let cmp = Cmp::from_byte(r.u8()?).ok_or_else(|| r.malformed(at, "an unknown comparison"))?;
            Op::NumCmp { field, cmp, k: r.f64()? }
        }
        code::NUM_RANGE => Op::NumRange { field: r.u32()?, negated: r.bool()?, lo: r.f64()?, hi: r.f64()? },
        code::TEXT_EQ => Op::TextEq { field: r.u32()?, negated: r.bool()?, text: r.u32()? },
        code::CONTAINS => Op::Contains { field: r.u32()?, text: r.u32()? },
        code::STARTS_WITH => Op::StartsWith { field: r.u32()?, text: r.u32()? },
        code::ENDS_WITH => Op::EndsWith { field: r.u32()?, text: r.u32()? },
        code::TEXT_IN => Op::TextIn { field: r.u32()?, negated: r.bool()?, set: r.u32()? },
        code::ENUM_BITS => Op::EnumBits { field: r.u32()?, negated: r.bool()?, bits: r.u64()? },
        code::ENUM_SET => Op::EnumSet { field: r.u32()?, negated: r.bool()?, set: r.u32()? },
        code::QUALIFIED => Op::Qualified,
        code::OUT_RANGE => read_out_range(r)?,
        code::NOT => Op::Not,
        code::JUMP_IF_FALSE => Op::JumpIfFalse { target: r.u32()? },
        code::JUMP_IF_TRUE => Op::JumpIfTrue { target: r.u32()? },
        code::REQUIRE => Op::Require { index: r.u32()?, points: r.i64()? },
        code::SEGMENT_ARM => Op::SegmentArm { arm: r.u32()?, digit: r.u8()?, end: r.u32()? },
        code::FIT => Op::Fit { rule: r.u32()?, cat: r.u32()?, points: r.i64()? },
        code::BEHAVIOUR => Op::Behaviour {
            rule: r.u32()?,
            cat: r.u32()?,
            behaviour: r.u32()?,
            min: r.u32()?,
            points: r.i64()?,
        },
        code::BEHAVIOUR_EACH => Op::BehaviourEach {
            rule: r.u32()?,
            cat: r.u32()?,
            behaviour: r.u32()?,
            min: r.u32()?,
            points: r.i64()?,
            limit: r.i64()?,
        },
        code::CAP => Op::Cap { cat: r.u32()?, max: r.i64()? },
        code::POINTS => Op::Points { ceiling: r.i64()? },
        code::TIER => Op::Tier { tier: r.u32()? },
        code::HALT => Op::Halt,
        other => return Err(r.malformed(offset, format!("unknown opcode 0x{other:02x}"))),
    })
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
