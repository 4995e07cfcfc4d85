//! A plan as text, for golden tests: what each table holds, by field,
//! rule and bit, and the code left over.
//!
//! In: a [`Plan`] and the bytecode it was built from. Out: a listing that
//! a reviewer reads beside the disassembly (`compile::disasm`): a change
//! to how the plan is built shows up as a diff of the snapshot.

use super::{Effect, Gift, Plan, Target};
use crate::compile::bytecode::Bytecode;
use crate::compile::disasm::{beh_name, cat_name, field_name, fused, instruction_text};
use std::fmt::Write;

/// The listing of `plan`, built from `p`.
pub(crate) fn dump(plan: &Plan, p: &Bytecode) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "words {}, sink word {}, fixed {}", plan.words, plan.sink, plan.fixed);
    deciders(&mut out, plan, p);
    tests(&mut out, plan, p);
    effects(&mut out, plan, p);
    let _ = writeln!(out, "\ncode ({} steps)", plan.code.len());
    for (i, step) in plan.code.iter().enumerate() {
        let _ = writeln!(out, "  {i:04}  {}", instruction_text(p, &step.op()));
    }
    if let Some(finish) = &plan.finish {
        let _ = writeln!(out, "finish: points 0..={}, exact {}", finish.ceiling, finish.exact);
        for t in &finish.tiers {
            let (lo, hi) = (bound(t.lo), bound(t.hi));
            let _ =
                writeln!(out, "  tier #{} when qualified {} and points in {lo}..{hi}", t.tier, t.qualified);
        }
    }
    out
}

fn deciders(out: &mut String, plan: &Plan, p: &Bytecode) {
    let d = &plan.deciders;
    let _ = writeln!(out, "\ndeciders");
    for r in &d.ints {
        let points: Vec<String> =
            r.breakpoints.iter().filter(|b| **b != i64::MAX).map(i64::to_string).collect();
        decider(out, p, "int", r.at, &format!("breakpoints [{}]", points.join(", ")), &r.gifts);
    }
    for r in &d.numbers {
        let points: Vec<String> = r.breakpoints.iter().filter(|b| !b.is_nan()).map(f64::to_string).collect();
        decider(out, p, "number", r.at, &format!("breakpoints [{}]", points.join(", ")), &r.gifts);
    }
    for e in &d.enums {
        let gifts = d.gifts.get(e.range()).unwrap_or(&[]);
        decider(out, p, "enum", e.at, &format!("{} values", e.values), gifts);
    }
    for b in &d.bools {
        decider(out, p, "bool", b.at, "", &b.gifts);
    }
    for t in &d.tags {
        decider(out, p, "tag", t.at, "", &t.gifts);
    }
    for (wide, c) in plan.classifiers.iter().map(|c| (false, c)).chain(plan.wide.iter().map(|c| (true, c))) {
        let gifts: Vec<Gift> = match wide {
            false => plan.texts.slots.get(c.range()).unwrap_or(&[]).iter().map(|(_, g)| *g).collect(),
            true => {
                plan.texts.buckets.get(c.range()).unwrap_or(&[]).iter().flatten().map(|(_, g)| *g).collect()
            }
        };
        let kind = if wide { "text (buckets of 4)" } else { "text (perfect hash)" };
        let shape = format!("{} {}, none {}", c.count, if wide { "buckets" } else { "slots" }, gift(c.none));
        decider(out, p, kind, c.at, &shape, &gifts);
    }
    let _ = writeln!(out, "decided fits (an explanation runs their tests)");
    for (test, e) in &plan.decided {
        let _ = writeln!(out, "  {} ? {}", fused(p, test), effect(p, *e));
    }
}

fn decider(out: &mut String, p: &Bytecode, kind: &str, at: Target, shape: &str, gifts: &[Gift]) {
    let cat = match at.word == u32::MAX || at.cat == u32::MAX {
        true => "no category".to_string(),
        false => cat_name(p, at.cat),
    };
    let shape = if shape.is_empty() { String::new() } else { format!("; {shape}") };
    let _ = writeln!(out, "  {kind} {} -> word {}, {cat}{shape}", field_name(p, at.field), at.word);
    let gifts: Vec<String> = gifts.iter().map(|g| gift(*g)).collect();
    let _ = writeln!(out, "    gifts [{}]", gifts.join(", "));
}

fn gift(g: Gift) -> String {
    match g.mask {
        0 => format!("{:+}", g.points),
        mask => format!("{mask:#x}/{:+}", g.points),
    }
}

fn effect(p: &Bytecode, e: Effect) -> String {
    match e == Effect::NONE {
        true => "bit only".to_string(),
        false => format!("#{} {} {:+}", e.rule, cat_name(p, e.cat), e.points),
    }
}

fn tests(out: &mut String, plan: &Plan, p: &Bytecode) {
    let _ = writeln!(out, "\ntests run one by one");
    for t in plan.affixes.fits.iter().chain(&plan.affixes.bits) {
        let kind = if t.suffix { "ends_with" } else { "starts_with" };
        let text = p.strings.get(t.text as usize).unwrap_or("?");
        let _ = writeln!(
            out,
            "  affix {kind} {} {text:?} -> {}",
            field_name(p, t.field),
            bit(t.bit, t.effect, p)
        );
    }
    for t in plan.others.fits.iter().chain(&plan.others.bits) {
        let _ = writeln!(out, "  {} -> {}", fused(p, &t.test), bit(t.bit, t.effect, p));
    }
}

fn bit(bit: u32, e: Effect, p: &Bytecode) -> String {
    match e == Effect::NONE {
        true => format!("bit {bit}"),
        false => effect(p, e),
    }
}

fn effects(out: &mut String, plan: &Plan, p: &Bytecode) {
    let _ = writeln!(out, "\nfits on two bits");
    for f in &plan.pairs {
        let _ = writeln!(
            out,
            "  bit {} {} bit {} ? {}",
            f.a,
            if f.or { "or" } else { "and" },
            f.b,
            effect(p, f.effect)
        );
    }
    let _ = writeln!(out, "must-haves");
    for r in &plan.requires {
        let _ = writeln!(out, "  bit {} ? #{} {:+}", r.bit, r.index, r.points);
    }
    let _ =
        writeln!(out, "arms{}", plan.segment_word.map_or(String::new(), |w| format!(" (digit in word {w})")));
    for a in &plan.arms {
        let _ = writeln!(out, "  bit {} ? #{} digit {}", a.bit, a.arm, a.digit);
    }
    let _ = writeln!(out, "behaviours");
    for s in &plan.once {
        let _ = writeln!(out, "  once {} >= {} ? {}", beh_name(p, s.behaviour), s.min, effect(p, s.effect));
    }
    for s in plan.gains.iter().chain(&plan.losses) {
        let (behaviour, min, limit) = (beh_name(p, s.behaviour), s.min, s.limit);
        let _ =
            writeln!(out, "  each {behaviour} >= {min} ? {} per count, limit {limit}", effect(p, s.effect));
    }
}

fn bound(v: i64) -> String {
    match v {
        i64::MIN => "min".to_string(),
        i64::MAX => "max".to_string(),
        v => v.to_string(),
    }
}
