//! The disassembly listing.
//!
//! In: a [`Bytecode`]. Out: a human-readable listing: the constant pools,
//! then the code, each must-have, arm, rule, cap block and tier introduced
//! by a comment with its source text and line, each instruction with its
//! index, mnemonic and operands named (fields, strings, categories, tiers).

use super::bytecode::{Bytecode, SourceInfo};
use super::opcode::{BehaviourStep, Cmp, Op, OutVal, Test};
use crate::check::render::quote;
use crate::schema::{FieldId, FieldType};
use std::fmt::Write;

/// The listing of `program`.
pub fn disassemble(p: &Bytecode) -> String {
    let mut out = String::new();
    header(&mut out, p);
    let mut start = 0;
    for (pc, op) in p.code.iter().enumerate() {
        if op.stage().is_none() && !matches!(op, Op::Halt) {
            continue;
        }
        if let Some(comment) = comment(p, op) {
            out.push_str(&comment);
        }
        for (at, op) in p.code.iter().enumerate().take(pc + 1).skip(start) {
            let (mnemonic, operands) = instruction(p, op);
            let _ = writeln!(out, "{at:04}  {mnemonic:<16}{operands}");
        }
        if let Op::Behaviours { start, len } = *op {
            steps(&mut out, p, start as usize, len as usize);
        }
        start = pc + 1;
    }
    out.lines().map(str::trim_end).collect::<Vec<_>>().join("\n") + "\n"
}

fn steps(out: &mut String, p: &Bytecode, start: usize, len: usize) {
    let steps = p.steps.get(start..start.saturating_add(len)).unwrap_or(&[]);
    for (i, step) in steps.iter().enumerate() {
        if let Some(rule) = p.rules.get(step.rule as usize) {
            let _ = writeln!(out, "        ; rule {}{}: {}", step.rule, line(&rule.source), rule.source.text);
        }
        let _ = writeln!(out, "      .{:<3}  {}", start + i, step_text(p, step));
    }
}

fn step_text(p: &Bytecode, s: &BehaviourStep) -> String {
    let head = format!(
        "#{} {} {} >= {} {:+}",
        s.rule,
        cat_name(p, s.cat),
        beh_name(p, s.behaviour),
        s.min,
        s.points
    );
    if s.each { format!("{head} each, limit {}", bound(s.limit)) } else { head }
}

/// A timed step: its behaviour step, then `within`, `half_life`,
/// `linear` or `expire` with durations.
fn timed_text(p: &Bytecode, index: u32) -> String {
    let Some(t) = p.timed.get(index as usize) else { return format!("t{index} ?") };
    let mut text = format!("t{index} {}", step_text(p, &t.step));
    if let Some(w) = t.clock.window {
        text.push_str(&format!(", within {}", crate::time::format_duration(w)));
    }
    let decay = match t.clock.decay {
        crate::check::Decay::None => None,
        crate::check::Decay::HalfLife(d) => Some(("half_life", d)),
        crate::check::Decay::Linear(d) => Some(("linear", d)),
        crate::check::Decay::Expire(d) => Some(("expire", d)),
    };
    if let Some((kind, d)) = decay {
        text.push_str(&format!(", {kind} {}", crate::time::format_duration(d)));
    }
    text
}

fn header(out: &mut String, p: &Bytecode) {
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
fn comment(p: &Bytecode, op: &Op) -> Option<String> {
    let (what, source) = match *op {
        Op::Require { index, .. } | Op::RequireWhen { index, .. } => {
            (format!("must-have {index}"), &p.requires.get(index as usize)?.source)
        }
        Op::SegmentArm { arm, .. } | Op::ArmWhen { arm, .. } => {
            let field = p.segment.as_ref()?.field.clone();
            (format!("segment {field}, arm {arm}"), &p.segment.as_ref()?.arms.get(arm as usize)?.source)
        }
        Op::Fit { rule, .. } | Op::FitWhen { rule, .. } => {
            (format!("rule {rule}"), &p.rules.get(rule as usize)?.source)
        }
        Op::Behaviours { start, len } => {
            return Some(format!("\n; behaviour rules: steps {start}..{}\n", start.saturating_add(len)));
        }
        Op::Timed { index } => {
            let rule = p.timed.get(index as usize)?.step.rule;
            (format!("rule {rule} (timed)"), &p.rules.get(rule as usize)?.source)
        }
        Op::Tier { tier } => (format!("tier {tier}"), &p.tiers.get(tier as usize)?.source),
        Op::Points { ceiling } => return Some(points_comment(p, ceiling)),
        _ => return Some("\n".to_string()),
    };
    Some(format!("\n; {what}{}: {}\n", line(source), source.text))
}

fn line(source: &SourceInfo) -> String {
    if source.line == 0 { String::new() } else { format!(" (line {})", source.line) }
}

fn points_comment(p: &Bytecode, ceiling: i64) -> String {
    let caps: Vec<String> = p
        .categories
        .iter()
        .map(|c| match c.max {
            Some(max) => format!("{} max {max}", c.name),
            None => format!("{} uncapped", c.name),
        })
        .collect();
    format!("\n; points: caps ({}), sum, clamp to 0..={ceiling}\n", caps.join(", "))
}

fn instruction(p: &Bytecode, op: &Op) -> (&'static str, String) {
    match *op {
        Op::Test(t) => test(p, &t),
        Op::Qualified => ("qualified", String::new()),
        Op::OutRange { value, negated, lo, hi } => {
            ("out_range", format!("{} {}in {}", out_name(p, value), neg(negated), range(lo, hi)))
        }
        Op::Not => ("not", String::new()),
        Op::JumpIfFalse { target } => ("jump_if_false", format!("{target:04}")),
        Op::JumpIfTrue { target } => ("jump_if_true", format!("{target:04}")),
        Op::Require { index, points } => ("require", format!("#{index} {points:+}")),
        Op::RequireWhen { test: t, index, points } => {
            ("require_when", format!("{} ? #{index} {points:+}", fused(p, &t)))
        }
        Op::SegmentArm { arm, digit, end } => ("segment_arm", format!("#{arm} digit {digit}, then {end:04}")),
        Op::ArmWhen { test: t, arm, digit, end } => {
            ("arm_when", format!("{} ? #{arm} digit {digit}, then {end:04}", fused(p, &t)))
        }
        Op::Fit { rule, cat, points } => ("fit", format!("#{rule} {} {points:+}", cat_name(p, cat))),
        Op::FitWhen { test: t, rule, cat, points } => {
            ("fit_when", format!("{} ? #{rule} {} {points:+}", fused(p, &t), cat_name(p, cat)))
        }
        Op::Behaviours { start, len } => {
            ("behaviours", format!("steps {start}..{}", start.saturating_add(len)))
        }
        Op::Timed { index } => ("timed", timed_text(p, index)),
        Op::Points { ceiling } => ("points", format!("0..={ceiling}")),
        Op::Tier { tier } => ("tier", format!("#{tier} {}", p.tier_name(tier as usize).unwrap_or("?"))),
        Op::Halt => ("halt", String::new()),
    }
}

fn neg(negated: bool) -> &'static str {
    if negated { "not " } else { "" }
}

/// One instruction as `mnemonic operands` (the plan's dump lists its code
/// so).
#[cfg(test)]
pub(crate) fn instruction_text(p: &Bytecode, op: &Op) -> String {
    let (mnemonic, operands) = instruction(p, op);
    format!("{mnemonic} {operands}").trim_end().to_string()
}

/// A test as `mnemonic operands` (fused into an instruction, or in the
/// plan's dump).
pub(crate) fn fused(p: &Bytecode, t: &Test) -> String {
    let (mnemonic, operands) = test(p, t);
    format!("{mnemonic} {operands}")
}

fn test(p: &Bytecode, t: &Test) -> (&'static str, String) {
    let f = |field: u32| field_name(p, field);
    let s = |text: u32| format!("s{text} {}", p.strings.get(text as usize).map_or("?".into(), quote));
    match *t {
        Test::Const(b) => ("const", b.to_string()),
        Test::Present { field } => ("present", f(field)),
        Test::Missing { field } => ("missing", f(field)),
        Test::Bool { field, value } => ("bool", format!("{} = {value}", f(field))),
        Test::IntRange { field, negated, lo, hi } => {
            ("int_range", format!("{} {}in {}", f(field), neg(negated), range(lo, hi)))
        }
        Test::NumCmp { field, cmp, k } => ("num_cmp", format!("{} {} {k}", f(field), Cmp::as_str(cmp))),
        Test::NumRange { field, negated, lo, hi } => {
            ("num_range", format!("{} {}in {lo}..{hi}", f(field), neg(negated)))
        }
        Test::TextEq { field, negated, text } => {
            ("text_eq", format!("{} {} {}", f(field), if negated { "!=" } else { "=" }, s(text)))
        }
        Test::Contains { field, text } => ("contains", format!("{} {}", f(field), s(text))),
        Test::StartsWith { field, text } => ("starts_with", format!("{} {}", f(field), s(text))),
        Test::EndsWith { field, text } => ("ends_with", format!("{} {}", f(field), s(text))),
        Test::TextIn { field, negated, set } => {
            ("text_in", format!("{} {}in t{set}", f(field), neg(negated)))
        }
        Test::EnumBits { field, negated, bits } => {
            ("enum_bits", format!("{} {}in {bits:#x} {}", f(field), neg(negated), enum_names(p, field, bits)))
        }
        Test::EnumSet { field, negated, set } => {
            ("enum_set", format!("{} {}in e{set}", f(field), neg(negated)))
        }
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

pub(crate) fn field_name(p: &Bytecode, field: u32) -> String {
    p.schema().field(FieldId(field)).map_or_else(|| format!("field{field}"), |f| f.name.clone())
}

pub(crate) fn beh_name(p: &Bytecode, behaviour: u32) -> String {
    p.schema()
        .behaviours()
        .get(behaviour as usize)
        .cloned()
        .unwrap_or_else(|| format!("behaviour{behaviour}"))
}

pub(crate) fn cat_name(p: &Bytecode, cat: u32) -> String {
    p.categories.get(cat as usize).map_or_else(|| format!("category{cat}"), |c| c.name.clone())
}

fn out_name(p: &Bytecode, value: OutVal) -> String {
    match value {
        OutVal::Points => "points".to_string(),
        OutVal::Score => "score".to_string(),
        OutVal::RequiresMet => "requires_met".to_string(),
        OutVal::Segment => "segment".to_string(),
        OutVal::Category(cat) => cat_name(p, cat),
    }
}

fn enum_names(p: &Bytecode, field: u32, bits: u64) -> String {
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
