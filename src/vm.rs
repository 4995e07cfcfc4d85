//! The evaluator: runs a verified [`Program`] over one [`Lead`].
//!
//! In: a program (verified when it was compiled or loaded), a lead, and an
//! [`Outcome`] to fill (its buffers are reused). Out: the outcome, and, when
//! a tracer is given, an [`Explanation`] of every must-have, arm and rule.
//!
//! The hot path allocates nothing, looks nothing up by name and never
//! panics: every table access is a checked `get`, so even an unverified
//! program can only score wrongly, not crash. Arithmetic saturates.

use crate::compile::opcode::{Op, OutVal, Test};
use crate::lead::{Lead, Value};
use crate::outcome::{CategoryTotal, Explanation, Outcome, RuleTrace, TimeTrace};
use crate::program::Program;
use crate::schema::BehaviourId;

/// Receives what each must-have, arm and rule did.
pub(crate) trait Trace {
    /// Must-have `index` was (not) met.
    fn require(&mut self, index: u32, met: bool);
    /// Segment arm `arm` matched.
    fn arm(&mut self, arm: u32);
    /// Rule `rule` ran.
    fn rule(&mut self, rule: u32, trace: RuleTrace);
    /// Timed rule `rule` counted its events so.
    fn time(&mut self, rule: u32, trace: TimeTrace);
}

/// Records nothing: plain scoring.
pub(crate) struct NoTrace;

impl Trace for NoTrace {
    #[inline(always)]
    fn require(&mut self, _: u32, _: bool) {}
    #[inline(always)]
    fn arm(&mut self, _: u32) {}
    #[inline(always)]
    fn rule(&mut self, _: u32, _: RuleTrace) {}
    #[inline(always)]
    fn time(&mut self, _: u32, _: TimeTrace) {}
}

impl Trace for Explanation {
    fn require(&mut self, index: u32, met: bool) {
        if let Some(slot) = self.requires.get_mut(index as usize) {
            *slot = met;
        }
    }

    fn arm(&mut self, arm: u32) {
        self.segment_arm = Some(arm as usize);
    }

    fn rule(&mut self, rule: u32, trace: RuleTrace) {
        if let Some(slot) = self.rules.get_mut(rule as usize) {
            *slot = trace;
        }
    }

    fn time(&mut self, rule: u32, trace: TimeTrace) {
        if let Some(slot) = self.times.get_mut(rule as usize) {
            *slot = Some(trace);
        }
    }
}

/// Scores `lead` into `out` as of instant `as_of` (seconds since the Unix
/// epoch; only timed rules read it).
pub(crate) fn run<T: Trace>(program: &Program, lead: &Lead, as_of: i64, out: &mut Outcome, trace: &mut T) {
    reset(out, program.categories.len(), program.requires.is_empty());
    let code = program.code.as_slice();
    let values = lead.values();
    let mut acc = false;
    let mut require_points = 0i64;
    // The running total of the category being scored, kept out of memory:
    // rules come category by category.
    let mut sum = Sum { cat: u32::MAX, total: 0 };
    let mut pc = 0usize;
    while let Some(op) = code.get(pc) {
        pc += 1;
        match op {
            Op::FitWhen { .. } => {
                // Runs of fused fit rules are the common case: stay in this
                // loop while they last instead of going back to dispatch.
                let mut next = Some(op);
                while let Some(Op::FitWhen { test: t, rule, cat, points }) = next {
                    fit(&mut sum, out, trace, test(program, values, t), *rule, *cat, *points);
                    next = code.get(pc);
                    pc += 1;
                }
                pc -= 1;
            }
            Op::Behaviours { start, len } => behaviours(&mut sum, program, lead, out, trace, *start, *len),
            Op::Timed { index } => {
                if let Some(timed) = program.timed.get(*index as usize) {
                    let events = lead.events(BehaviourId(timed.step.behaviour));
                    let (rule, time) = crate::clock::score(timed, events, as_of);
                    sum.add(out, timed.step.cat, rule.points);
                    trace.rule(timed.step.rule, rule);
                    trace.time(timed.step.rule, time);
                }
            }
            Op::RequireWhen { test: t, index, points } => {
                let met = test(program, values, t);
                require(out, trace, &mut require_points, met, *index, *points);
            }
            Op::ArmWhen { test: t, arm, digit, end } => {
                if test(program, values, t) {
                    trace.arm(*arm);
                    out.segment = *digit;
                    pc = *end as usize;
                }
            }
            Op::Test(t) => acc = test(program, values, t),
            Op::Fit { rule, cat, points } => fit(&mut sum, out, trace, acc, *rule, *cat, *points),
            Op::Require { index, points } => require(out, trace, &mut require_points, acc, *index, *points),
            Op::SegmentArm { arm, digit, end } => {
                if acc {
                    trace.arm(*arm);
                    out.segment = *digit;
                    pc = *end as usize;
                }
            }
            Op::JumpIfFalse { target } => {
                if !acc {
                    pc = *target as usize;
                }
            }
            Op::JumpIfTrue { target } => {
                if acc {
                    pc = *target as usize;
                }
            }
            Op::Not => acc = !acc,
            Op::Points { ceiling } => {
                sum.flush(out);
                points(program, out, require_points, *ceiling);
            }
            Op::Qualified => acc = out.qualified,
            Op::OutRange { value, negated, lo, hi } => {
                let v = outcome_value(out, *value);
                acc = (*lo <= v && v <= *hi) != *negated;
            }
            Op::Tier { tier } => {
                if acc {
                    out.tier = Some(*tier as usize);
                    return;
                }
            }
            Op::Halt => return,
        }
    }
}

/// The raw total of one category, accumulated in a register.
struct Sum {
    cat: u32,
    total: i64,
}

impl Sum {
    #[inline(always)]
    fn add(&mut self, out: &mut Outcome, cat: u32, points: i64) {
        if cat != self.cat {
            self.flush(out);
            self.cat = cat;
            self.total = out.categories.get(cat as usize).map_or(0, |c| c.raw);
        }
        self.total = saturating_add(self.total, points);
    }

    fn flush(&mut self, out: &mut Outcome) {
        if let Some(total) = out.categories.get_mut(self.cat as usize) {
            total.raw = self.total;
        }
    }
}

/// `a + b`, saturating, with a branch (well predicted: overflow never
/// happens within the checker's bounds) rather than a conditional move.
#[inline(always)]
fn saturating_add(a: i64, b: i64) -> i64 {
    match a.checked_add(b) {
        Some(sum) => sum,
        None if b > 0 => i64::MAX,
        None => i64::MIN,
    }
}

#[inline(always)]
fn fit<T: Trace>(
    sum: &mut Sum,
    out: &mut Outcome,
    trace: &mut T,
    fired: bool,
    rule: u32,
    cat: u32,
    points: i64,
) {
    let given = if fired { points } else { 0 };
    sum.add(out, cat, given);
    trace.rule(rule, RuleTrace { fired, uncapped: given, points: given });
}

#[inline(always)]
fn require<T: Trace>(out: &mut Outcome, trace: &mut T, sum: &mut i64, met: bool, index: u32, points: i64) {
    trace.require(index, met);
    out.requires_met = out.requires_met.saturating_add(u32::from(met));
    *sum = sum.saturating_add(if met { points } else { 0 });
}

/// Runs behaviour steps `start..start + len`.
#[inline(always)]
fn behaviours<T: Trace>(
    sum: &mut Sum,
    program: &Program,
    lead: &Lead,
    out: &mut Outcome,
    trace: &mut T,
    start: u32,
    len: u32,
) {
    let (start, len) = (start as usize, len as usize);
    let steps = program.steps.get(start..start.saturating_add(len)).unwrap_or(&[]);
    let counts = lead.counts();
    for step in steps {
        let c = counts.get(step.behaviour as usize).copied().unwrap_or(0);
        let fired = c >= step.min;
        // Whether a step fires depends on the lead, so it is applied as a
        // mask rather than a branch (which mispredicts on random counts).
        let mask = -i64::from(fired);
        let (uncapped, given) = if step.each {
            let total = step.points.saturating_mul(i64::from(c));
            (total & mask, limited(total, step.points, step.limit) & mask)
        } else {
            (step.points & mask, step.points & mask)
        };
        sum.add(out, step.cat, given);
        trace.rule(step.rule, RuleTrace { fired, uncapped, points: given });
    }
}

fn reset(out: &mut Outcome, categories: usize, qualified: bool) {
    out.score = 0;
    out.points = 0;
    out.qualified = qualified;
    out.requires_met = 0;
    out.segment = 0;
    out.tier = None;
    out.categories.clear();
    out.categories.resize(categories, CategoryTotal::default());
}

/// A per-occurrence total limited by the rule's cap, towards zero.
#[inline(always)]
fn limited(total: i64, points: i64, limit: i64) -> i64 {
    match points {
        p if p > 0 => total.min(limit),
        p if p < 0 => total.max(limit),
        _ => total,
    }
}

/// Caps every category, then totals, clamps and scores.
fn points(program: &Program, out: &mut Outcome, require_points: i64, ceiling: i64) {
    let mut sum = 0i64;
    for (total, category) in out.categories.iter_mut().zip(&program.categories) {
        total.capped = match category.max {
            Some(max) => total.raw.min(max),
            None => total.raw,
        };
        sum = sum.saturating_add(total.capped);
    }
    out.points = sum.clamp(0, ceiling.max(0));
    out.qualified = out.requires_met as usize == program.requires.len();
    out.score = (i64::from(out.segment) * 1000).saturating_add(require_points).saturating_add(out.points);
}

fn outcome_value(out: &Outcome, value: OutVal) -> i64 {
    match value {
        OutVal::Points => out.points,
        OutVal::Score => out.score,
        OutVal::RequiresMet => i64::from(out.requires_met),
        OutVal::Segment => i64::from(out.segment),
        OutVal::Category(i) => out.categories.get(i as usize).map_or(0, |c| c.capped),
    }
}

#[inline(always)]
fn slot(values: &[Value], field: u32) -> &Value {
    values.get(field as usize).unwrap_or(&Value::Missing)
}

/// Runs a test of a lead field. A missing field, or a value of another
/// type than the test expects, fails every test but `missing`.
#[inline(always)]
fn test(program: &Program, values: &[Value], t: &Test) -> bool {
    match *t {
        Test::IntRange { field, negated, lo, hi } => match slot(values, field) {
            Value::Int(v) => (lo <= *v && *v <= hi) != negated,
            _ => false,
        },
        Test::TextEq { field, negated, text } => match slot(values, field) {
            Value::Text(s) => program.strings.get(text as usize).is_some_and(|t| same(t, s)) != negated,
            _ => false,
        },
        Test::EnumBits { field, negated, bits } => match slot(values, field) {
            Value::Enum(i) => (bits.checked_shr(*i).unwrap_or(0) & 1 == 1) != negated,
            _ => false,
        },
        Test::Bool { field, value } => matches!(slot(values, field), Value::Bool(b) if *b == value),
        Test::NumCmp { field, cmp, k } => match slot(values, field) {
            Value::Number(v) => cmp.apply(*v, k),
            _ => false,
        },
        Test::TextIn { field, negated, set } => match slot(values, field) {
            Value::Text(s) => text_in(program, set, s) != negated,
            _ => false,
        },
        Test::Const(b) => b,
        Test::Missing { field } => matches!(slot(values, field), Value::Missing),
        Test::Present { field } => !matches!(slot(values, field), Value::Missing),
        Test::NumRange { field, negated, lo, hi } => match slot(values, field) {
            Value::Number(v) => (lo <= *v && *v <= hi) != negated,
            _ => false,
        },
        Test::Contains { field, text } => text_test(program, values, field, text, |s, t| s.contains(t)),
        Test::StartsWith { field, text } => text_test(program, values, field, text, |s, t| s.starts_with(t)),
        Test::EndsWith { field, text } => text_test(program, values, field, text, |s, t| s.ends_with(t)),
        Test::EnumSet { field, negated, set } => match slot(values, field) {
            Value::Enum(i) => {
                let word = program.enum_sets.get(set as usize).and_then(|w| w.get(*i as usize / 64));
                word.is_some_and(|w| w >> (i % 64) & 1 == 1) != negated
            }
            _ => false,
        },
    }
}

fn text_test(program: &Program, values: &[Value], field: u32, text: u32, f: fn(&str, &str) -> bool) -> bool {
    match (slot(values, field), program.strings.get(text as usize)) {
        (Value::Text(s), Some(t)) => f(s, t),
        _ => false,
    }
}

/// String equality, rejecting on length or first byte before comparing.
#[inline(always)]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

fn text_in(program: &Program, set: u32, s: &str) -> bool {
    let Some(members) = program.text_sets.get(set as usize) else { return false };
    members.iter().any(|&m| program.strings.get(m as usize).is_some_and(|t| same(t, s)))
}
