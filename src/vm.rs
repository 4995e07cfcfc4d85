//! The evaluator: runs a verified [`Program`] over one [`Lead`].
//!
//! In: a program (verified when it was compiled or loaded), a lead, and an
//! [`Outcome`] to fill (its buffers are reused). Out: the outcome, and, when
//! a tracer is given, an [`Explanation`] of every must-have, arm and rule.
//!
//! The hot path allocates nothing, looks nothing up by name and never
//! panics: every table access is a checked `get`, so even an unverified
//! program can only score wrongly, not crash. Arithmetic saturates.

use crate::compile::opcode::{Op, OutVal};
use crate::lead::{Lead, Value};
use crate::outcome::{CategoryTotal, Explanation, Outcome, RuleTrace};
use crate::program::Program;

/// Receives what each must-have, arm and rule did.
pub(crate) trait Trace {
    /// Must-have `index` was (not) met.
    fn require(&mut self, index: u32, met: bool);
    /// Segment arm `arm` matched.
    fn arm(&mut self, arm: u32);
    /// Rule `rule` ran.
    fn rule(&mut self, rule: u32, trace: RuleTrace);
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
}

/// Running totals besides those kept in the outcome.
struct State {
    acc: bool,
    require_points: i64,
}

/// Scores `lead` into `out`.
pub(crate) fn run<T: Trace>(program: &Program, lead: &Lead, out: &mut Outcome, trace: &mut T) {
    reset(out, program.categories.len(), program.requires.is_empty());
    let code = program.code.as_slice();
    let mut state = State { acc: false, require_points: 0 };
    let mut pc = 0usize;
    while let Some(op) = code.get(pc) {
        pc += 1;
        match *op {
            Op::JumpIfFalse { target } => {
                if !state.acc {
                    pc = target as usize;
                }
            }
            Op::JumpIfTrue { target } => {
                if state.acc {
                    pc = target as usize;
                }
            }
            Op::Not => state.acc = !state.acc,
            Op::Require { index, points } => {
                trace.require(index, state.acc);
                if state.acc {
                    out.requires_met = out.requires_met.saturating_add(1);
                    state.require_points = state.require_points.saturating_add(points);
                }
            }
            Op::SegmentArm { arm, digit, end } => {
                if state.acc {
                    trace.arm(arm);
                    out.segment = digit;
                    pc = end as usize;
                }
            }
            Op::Fit { rule, cat, points } => {
                let given = if state.acc { points } else { 0 };
                add(out, cat, given);
                trace.rule(rule, RuleTrace { fired: state.acc, uncapped: given, points: given });
            }
            Op::Behaviour { rule, cat, behaviour, min, points } => {
                let fired = count(lead, behaviour) >= min;
                let given = if fired { points } else { 0 };
                add(out, cat, given);
                trace.rule(rule, RuleTrace { fired, uncapped: given, points: given });
            }
            Op::BehaviourEach { rule, cat, behaviour, min, points, limit } => {
                let c = count(lead, behaviour);
                let fired = c >= min;
                let uncapped = if fired { points.saturating_mul(i64::from(c)) } else { 0 };
                let given = limited(uncapped, points, limit);
                add(out, cat, given);
                trace.rule(rule, RuleTrace { fired, uncapped, points: given });
            }
            Op::Cap { cat, max } => {
                if let Some(total) = out.categories.get_mut(cat as usize) {
                    total.capped = total.raw.min(max);
                }
            }
            Op::Points { ceiling } => points(program, out, &state, ceiling),
            Op::Tier { tier } => {
                if state.acc {
                    out.tier = Some(tier as usize);
                    return;
                }
            }
            Op::Halt => return,
            Op::Qualified => state.acc = out.qualified,
            Op::OutRange { value, negated, lo, hi } => {
                let v = outcome_value(out, value);
                state.acc = (lo <= v && v <= hi) != negated;
            }
            ref test => state.acc = field_test(program, lead.values(), test),
        }
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

#[inline(always)]
fn count(lead: &Lead, behaviour: u32) -> u32 {
    lead.counts().get(behaviour as usize).copied().unwrap_or(0)
}

#[inline(always)]
fn add(out: &mut Outcome, cat: u32, points: i64) {
    if let Some(total) = out.categories.get_mut(cat as usize) {
        total.raw = total.raw.saturating_add(points);
    }
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

fn points(program: &Program, out: &mut Outcome, state: &State, ceiling: i64) {
    let sum = out.categories.iter().fold(0i64, |sum, c| sum.saturating_add(c.capped));
    out.points = sum.clamp(0, ceiling.max(0));
    out.qualified = out.requires_met as usize == program.requires.len();
    out.score =
        (i64::from(out.segment) * 1000).saturating_add(state.require_points).saturating_add(out.points);
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

/// Runs a test of a lead field. A missing field, or a value of another
/// type than the test expects, fails every test but `is missing`.
#[inline(always)]
fn field_test(program: &Program, values: &[Value], op: &Op) -> bool {
    let value = op.field().and_then(|f| values.get(f as usize)).unwrap_or(&Value::Missing);
    match (*op, value) {
        (Op::Const(b), _) => b,
        (Op::Missing { .. }, v) => matches!(v, Value::Missing),
        (Op::Present { .. }, v) => !matches!(v, Value::Missing),
        (Op::Bool { value, .. }, Value::Bool(b)) => *b == value,
        (Op::IntRange { negated, lo, hi, .. }, Value::Int(v)) => (lo <= *v && *v <= hi) != negated,
        (Op::NumCmp { cmp, k, .. }, Value::Number(v)) => cmp.apply(*v, k),
        (Op::NumRange { negated, lo, hi, .. }, Value::Number(v)) => (lo <= *v && *v <= hi) != negated,
        (Op::TextEq { negated, text, .. }, Value::Text(s)) => {
            program.strings.get(text as usize).is_some_and(|t| **t == **s) != negated
        }
        (Op::Contains { text, .. }, Value::Text(s)) => {
            program.strings.get(text as usize).is_some_and(|t| s.contains(&**t))
        }
        (Op::StartsWith { text, .. }, Value::Text(s)) => {
            program.strings.get(text as usize).is_some_and(|t| s.starts_with(&**t))
        }
        (Op::EndsWith { text, .. }, Value::Text(s)) => {
            program.strings.get(text as usize).is_some_and(|t| s.ends_with(&**t))
        }
        (Op::TextIn { negated, set, .. }, Value::Text(s)) => text_in(program, set, s) != negated,
        (Op::EnumBits { negated, bits, .. }, Value::Enum(i)) => {
            (bits.checked_shr(*i).unwrap_or(0) & 1 == 1) != negated
        }
        (Op::EnumSet { negated, set, .. }, Value::Enum(i)) => {
            let word = program.enum_sets.get(set as usize).and_then(|w| w.get(*i as usize / 64));
            word.is_some_and(|w| w >> (i % 64) & 1 == 1) != negated
        }
        _ => false,
    }
}

fn text_in(program: &Program, set: u32, s: &str) -> bool {
    let Some(members) = program.text_sets.get(set as usize) else { return false };
    members.iter().any(|&m| program.strings.get(m as usize).is_some_and(|t| **t == *s))
}
