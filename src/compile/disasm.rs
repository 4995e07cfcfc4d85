//! The disassembly listing.
//!
//! In: a [`Program`]. Out: a human-readable listing: the constant pools,
//! then the code, each must-have, arm, rule, cap block and tier introduced
//! by a comment with its source text and line, each instruction with its
//! index, mnemonic and operands named (fields, strings, categories, tiers).

use super::opcode::{Cmp, Op, OutVal};
use super::render::quote;
use crate::program::{Program, SourceInfo};
use crate::schema::{FieldId, FieldType};
use std::fmt::Write;

/// The listing of `program`.
pub fn disassemble(p: &Program) -> String {
    let mut out = String::new();
    header(&mut out, p);
    let mut start = 0;
    for (pc, op) in p.code.iter().enumerate() {
        if op.stage().is_some() || matches!(op, Op::Halt) {
            if let Some(comment) = comment(p, op) {
                out.push_str(&comment);
            }
            for (at, op) in p.code.iter().enumerate().take(pc + 1).skip(start) {
                let (mnemonic, operands) = instruction(p, op);
                let _ = writeln!(out, "{at:04}  {mnemonic:<16}{operands}").map(|_| ());
            }
            start = pc + 1;
        }
    }
    out.lines().map(str::trim_end).collect::<Vec<_>>().join("\n") + "\n"
}

fn header(out: &mut String, p: &Program) {
    let schema = p.schema();
    let _ = writeln!(
        out,
        "; leadc program: {} fields, {} behaviours, {} must-haves, {} categories, {} rules, {} tiers",
        schema.fields().len(),
        schema.behaviours().len(),
        p.requires.len(),
        p.categories.len(),
        p.rules.len(),
        p.tiers.len()
    );
    for (i, s) in p.strings.iter().enumerate() {
        let _ = writeln!(out, "; s{i} = {}", quote(s));
    }
    for (i, set) in p.text_sets.iter().enumerate() {
        let items: Vec<String> = set.iter().map(|s| format!("s{s}")).collect();
        let _ = writeln!(out, "; t{i} = [{}]", items.join(", "));
    }
    for (i, set) in p.enum_sets.iter().enumerate() {
        let words: Vec<String> = set.iter().map(|w| format!("{w:#018x}")).collect();
        let _ = writeln!(out, "; e{i} = [{}]", words.join(", "));
    }
}

/// The comment introducing the block that ends with `op`.
fn comment(p: &Program, op: &Op) -> Option<String> {
    let (what, source) = match *op {
        Op::Require { index, .. } => (format!("must-have {index}"), &p.requires.get(index as usize)?.source),
        Op::SegmentArm { arm, .. } => {
            let field = p.segment.as_ref()?.field.clone();
            (format!("segment {field}, arm {arm}"), &p.segment.as_ref()?.arms.get(arm as usize)?.source)
        }
        Op::Fit { rule, .. } | Op::Behaviour { rule, .. } | Op::BehaviourEach { rule, .. } => {
            (format!("rule {rule}"), &p.rules.get(rule as usize)?.source)
        }
        Op::Cap { cat, .. } => (format!("cap {cat}"), &p.categories.get(cat as usize)?.source),
        Op::Tier { tier } => (format!("tier {tier}"), &p.tiers.get(tier as usize)?.source),
        Op::Points { ceiling } => {
            return Some(format!("\n; points: sum of capped totals, clamped to 0..={ceiling}\n"));
        }
        _ => return Some("\n".to_string()),
    };
    Some(format!("\n; {what}{}: {}\n", line(source), source.text))
}

fn line(source: &SourceInfo) -> String {
    if source.line == 0 { String::new() } else { format!(" (line {})", source.line) }
}

fn instruction(p: &Program, op: &Op) -> (&'static str, String) {
    let f = |field: u32| field_name(p, field);
    let s = |text: u32| format!("s{text} {}", p.strings.get(text as usize).map_or("?".into(), |t| quote(t)));
    let neg = |negated: bool| if negated { "not " } else { "" };
    match *op {
        Op::Const(b) => ("const", b.to_string()),
        Op::Present { field } => ("present", f(field)),
        Op::Missing { field } => ("missing", f(field)),
        Op::Bool { field, value } => ("bool", format!("{} = {value}", f(field))),
        Op::IntRange { field, negated, lo, hi } => {
            ("int_range", format!("{} {}in {}", f(field), neg(negated), range(lo, hi)))
        }
        Op::NumCmp { field, cmp, k } => ("num_cmp", format!("{} {} {k}", f(field), Cmp::as_str(cmp))),
        Op::NumRange { field, negated, lo, hi } => {
            ("num_range", format!("{} {}in {lo}..{hi}", f(field), neg(negated)))
        }
        Op::TextEq { field, negated, text } => {
            ("text_eq", format!("{} {} {}", f(field), if negated { "!=" } else { "=" }, s(text)))
        }
        Op::Contains { field, text } => ("contains", format!("{} {}", f(field), s(text))),
        Op::StartsWith { field, text } => ("starts_with", format!("{} {}", f(field), s(text))),
        Op::EndsWith { field, text } => ("ends_with", format!("{} {}", f(field), s(text))),
        Op::TextIn { field, negated, set } => ("text_in", format!("{} {}in t{set}", f(field), neg(negated))),
        Op::EnumBits { field, negated, bits } => {
            ("enum_bits", format!("{} {}in {bits:#x} {}", f(field), neg(negated), enum_names(p, field, bits)))
        }
        Op::EnumSet { field, negated, set } => {
            ("enum_set", format!("{} {}in e{set}", f(field), neg(negated)))
        }
        Op::Qualified => ("qualified", String::new()),
        Op::OutRange { value, negated, lo, hi } => {
            ("out_range", format!("{} {}in {}", out_name(p, value), neg(negated), range(lo, hi)))
        }
        Op::Not => ("not", String::new()),
        Op::JumpIfFalse { target } => ("jump_if_false", format!("{target:04}")),
        Op::JumpIfTrue { target } => ("jump_if_true", format!("{target:04}")),
        Op::Require { index, points } => ("require", format!("#{index} {points:+}")),
        Op::SegmentArm { arm, digit, end } => ("segment_arm", format!("#{arm} digit {digit}, then {end:04}")),
        Op::Fit { rule, cat, points } => ("fit", format!("#{rule} {} {points:+}", cat_name(p, cat))),
        Op::Behaviour { rule, cat, behaviour, min, points } => (
            "behaviour",
            format!("#{rule} {} {} >= {min} {points:+}", cat_name(p, cat), beh_name(p, behaviour)),
        ),
        Op::BehaviourEach { rule, cat, behaviour, min, points, limit } => (
            "behaviour_each",
            format!(
                "#{rule} {} {} >= {min} {points:+} each, limit {}",
                cat_name(p, cat),
                beh_name(p, behaviour),
                bound(limit)
            ),
        ),
        Op::Cap { cat, max: i64::MAX } => ("cap", format!("{} uncapped", cat_name(p, cat))),
        Op::Cap { cat, max } => ("cap", format!("{} max {max}", cat_name(p, cat))),
        Op::Points { ceiling } => ("points", format!("0..={ceiling}")),
        Op::Tier { tier } => ("tier", format!("#{tier} {}", p.tier_name(tier as usize).unwrap_or("?"))),
        Op::Halt => ("halt", String::new()),
    }
}

fn range(lo: i64, hi: i64) -> String {
    format!("{}..{}", bound(lo), bound(hi))
}

fn bound(v: i64) -> String {
    match v {
        i64::MIN => "min".to_string(),
        i64::MAX => "max".to_string(),
        v => v.to_string(),
    }
}

fn field_name(p: &Program, field: u32) -> String {
    p.schema().field(FieldId(field)).map_or_else(|| format!("field{field}"), |f| f.name.clone())
}

fn beh_name(p: &Program, behaviour: u32) -> String {
    p.schema()
        .behaviours()
        .get(behaviour as usize)
        .cloned()
        .unwrap_or_else(|| format!("behaviour{behaviour}"))
}

fn cat_name(p: &Program, cat: u32) -> String {
    p.categories.get(cat as usize).map_or_else(|| format!("category{cat}"), |c| c.name.clone())
}

fn out_name(p: &Program, value: OutVal) -> String {
    match value {
        OutVal::Points => "points".to_string(),
        OutVal::Score => "score".to_string(),
        OutVal::RequiresMet => "requires_met".to_string(),
        OutVal::Segment => "segment".to_string(),
        OutVal::Category(cat) => cat_name(p, cat),
    }
}

fn enum_names(p: &Program, field: u32, bits: u64) -> String {
    let Some(FieldType::Enum(values)) = p.schema().field(FieldId(field)).map(|f| &f.ty) else {
        return String::new();
    };
    let names: Vec<&str> = values
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < 64 && bits >> i & 1 == 1)
        .map(|(_, v)| v.as_str())
        .collect();
    format!("{{{}}}", names.join(", "))
}
