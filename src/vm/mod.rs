//! The evaluator: runs a verified [`Program`] over one [`Lead`].
//!
//! In: a program (verified when it was compiled or loaded, with its
//! evaluation plan, `crate::plan`), a lead, and an [`Outcome`] to fill (its
//! buffers are reused). Out: the outcome, and, when a tracer is given, an
//! [`Explanation`] of every must-have, arm and rule.
//!
//! Evaluation runs the plan's tables (`tables`: the deciders, each giving
//! its field's class's test bits and points; the tests run one by one;
//! then the fit rules, must-haves and arms that read test bits; the
//! behaviour rules), then the plan's finish step (`settle`) or, when it
//! has none, its code (`code`). Tests read a field's cell (`crate::lead::cell`)
//! and compute their result without branching on the lead's data: such
//! branches mispredict, and were most of the time.
//!
//! The hot path allocates nothing (the test bits live in the reused
//! [`Scratch`]), looks nothing up by name and never panics: every table
//! access is a checked `get`, so even an unverified program can only score
//! wrongly, not crash. Arithmetic saturates, except where the plan proves
//! that no sum can overflow (`Plan::fixed`).

pub(crate) mod batch;
pub mod outcome;
mod tables;
pub mod timed;

use crate::compile::bytecode::Bytecode;
use crate::compile::holds::{Fields, Slots, test};
use crate::compile::opcode::OutVal;
use crate::lead::Lead;
use crate::plan::{Finish, Plan, Step};
use outcome::{CategoryTotal, Explanation, Outcome, RuleTrace, TimeTrace};

use crate::schema::BehaviourId;

/// Receives what each must-have, arm and rule did.
/// A program as the VM runs it: the bytecode's tables and constants, and
/// the plan built from them.
#[derive(Clone, Copy)]
pub(crate) struct Machine<'a> {
    /// The compiled program.
    pub(crate) code: &'a Bytecode,
    /// Its plan.
    pub(crate) plan: &'a Plan,
}

/// The VM's working memory between leads (the test bits of a program too
/// large for fixed arrays), owned by a [`crate::program::Scorer`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    pub(crate) bits: Vec<u64>,
}

pub(crate) trait Trace {
    /// Whether it records anything (plain scoring does not, and skips
    /// the work of finding out).
    const ON: bool;
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
    const ON: bool = false;
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
    const ON: bool = true;
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
pub(crate) fn run<T: Trace>(
    program: Machine<'_>,
    lead: &Lead,
    as_of: i64,
    out: &mut Outcome,
    scratch: &mut Scratch,
    trace: &mut T,
) {
    reset(out, program.code.categories.len(), program.code.requires.is_empty(), program.plan.fixed);
    let tabled = tables::run(program, lead, Slots::of(lead), out, scratch, trace);
    match &program.plan.finish {
        Some(finish) => settle(program, finish, out, tabled),
        None => code(program, lead, as_of, out, trace, tabled.require_points),
    }
}

/// What the code reads of a lead: its fields, and its events. A [`Lead`]
/// is one, and so is a row of a batch (`batch`).
pub(crate) trait Row<'a>: Fields<'a> {
    /// The events of `behaviour`.
    fn events(self, behaviour: BehaviourId) -> &'a [i64];
}

impl<'a> Fields<'a> for &'a Lead {
    #[inline(always)]
    fn cell(self, field: u32) -> crate::lead::cell::Cell {
        Slots::of(self).cell(field)
    }

    #[inline(always)]
    fn text(self, field: u32) -> Option<&'a str> {
        Slots::of(self).text(field)
    }
}

impl<'a> Row<'a> for &'a Lead {
    #[inline(always)]
    fn events(self, behaviour: BehaviourId) -> &'a [i64] {
        Lead::events(self, behaviour)
    }
}

/// What the tables leave for the rest of the evaluation.
struct Tabled {
    /// The points of the met must-haves.
    require_points: i64,
    /// When the tables capped the categories too: the sum of the capped
    /// totals.
    capped: Option<i64>,
}

/// Caps (unless the tables did), totals, clamps and scores, then picks the
/// first tier that holds (without a branch: which holds depends on the
/// lead), as the plan's finish says.
fn settle(program: Machine<'_>, finish: &Finish, out: &mut Outcome, tabled: Tabled) {
    let sum = tabled.capped.unwrap_or_else(|| cap_categories(program, out));
    conclude(program, out, sum, finish.ceiling, tabled.require_points);
    let (points, qualified) = (out.points, out.qualified);
    // `u32::MAX`: none (a tier's index is below the number of tiers).
    let mut tier = u32::MAX;
    for step in finish.tiers.iter().rev() {
        let holds = (qualified | !step.qualified) & (step.lo <= points) & (points <= step.hi);
        tier = std::hint::select_unpredictable(holds, step.tier, tier);
    }
    out.tier = (tier != u32::MAX).then_some(tier as usize);
}

/// Runs the plan's code over `lead`, once its tables have run into `out`
/// (the met must-haves giving `require_points`).
fn code<'a, T: Trace>(
    program: Machine<'_>,
    slots: impl Row<'a>,
    as_of: i64,
    out: &mut Outcome,
    trace: &mut T,
    require_points: i64,
) {
    let code = program.plan.code.as_slice();
    let mut require_points = require_points;
    // The tables' rules only add to category totals, which the code's
    // rules add to after them (`Sum` reads the totals when it switches).
    let mut acc = false;
    // The running total of the category being scored, kept out of memory:
    // rules come category by category.
    let mut sum = Sum::new();
    let mut pc = 0usize;
    while let Some(op) = code.get(pc) {
        pc += 1;
        match op {
            Step::Timed { index } => {
                if let Some(timed) = program.code.timed.get(*index as usize) {
                    let events = slots.events(BehaviourId(timed.step.behaviour));
                    let (rule, time) = crate::vm::timed::score(timed, events, as_of);
                    sum.add(out, timed.step.cat, rule.points);
                    trace.rule(timed.step.rule, rule);
                    trace.time(timed.step.rule, time);
                }
            }
            Step::ArmWhen { test: t, arm, digit, end } => {
                if test(program.code, slots, t) {
                    trace.arm(*arm);
                    out.segment = *digit;
                    pc = *end as usize;
                }
            }
            Step::Test(t) => acc = test(program.code, slots, t),
            Step::Fit { rule, cat, points } => {
                let (points, t) = given(acc, *points);
                sum.add(out, *cat, points);
                trace.rule(*rule, t);
            }
            Step::Require { index, points } => {
                must_have(trace, *index, acc, *points, &mut out.requires_met, &mut require_points);
            }
            Step::SegmentArm { arm, digit, end } => {
                if acc {
                    trace.arm(*arm);
                    out.segment = *digit;
                    pc = *end as usize;
                }
            }
            Step::JumpIfFalse { target } => {
                if !acc {
                    pc = *target as usize;
                }
            }
            Step::JumpIfTrue { target } => {
                if acc {
                    pc = *target as usize;
                }
            }
            Step::Not => acc = !acc,
            Step::Points { ceiling } => {
                sum.flush(out);
                points(program, out, require_points, *ceiling);
            }
            Step::Qualified => acc = out.qualified,
            Step::OutRange { value, negated, lo, hi } => {
                let v = outcome_value(out, *value);
                acc = (*lo <= v && v <= *hi) != *negated;
            }
            Step::Tier { tier } => {
                if acc {
                    out.tier = Some(*tier as usize);
                    return;
                }
            }
            Step::Halt => return,
        }
    }
}

/// The raw total of one category, accumulated in a register.
struct Sum {
    cat: u32,
    total: i64,
}

impl Sum {
    fn new() -> Sum {
        Sum { cat: u32::MAX, total: 0 }
    }

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

/// What a fit rule gives, with its trace: its points when it fired, else
/// none (by selection: whether it fired depends on the lead). The code and
/// the tables both apply fit rules through it.
#[inline(always)]
pub(super) fn given(fired: bool, points: i64) -> (i64, RuleTrace) {
    let given = std::hint::select_unpredictable(fired, points, 0);
    (given, RuleTrace { fired, uncapped: given, points: given })
}

/// Must-have `index`, worth `points`, was (not) `met`: traced, counted in
/// `count`, its points added to `sum`. The code and the tables both count
/// must-haves through it.
#[inline(always)]
pub(super) fn must_have<T: Trace>(
    trace: &mut T,
    index: u32,
    met: bool,
    points: i64,
    count: &mut u32,
    sum: &mut i64,
) {
    trace.require(index, met);
    *count = count.saturating_add(u32::from(met));
    *sum = sum.saturating_add(std::hint::select_unpredictable(met, points, 0));
}

/// Clears `out` for a new lead. A `Plan::fixed` program's tables write
/// every category's raw total: only the general path needs them zeroed.
fn reset(out: &mut Outcome, categories: usize, qualified: bool, fixed: bool) {
    out.score = 0;
    out.points = 0;
    out.qualified = qualified;
    out.requires_met = 0;
    out.segment = 0;
    out.tier = None;
    if out.categories.len() == categories {
        if !fixed {
            out.categories.fill(CategoryTotal::default());
        }
    } else {
        out.categories.clear();
        out.categories.resize(categories, CategoryTotal::default());
    }
}

/// Caps every category, then totals, clamps and scores.
fn points(program: Machine<'_>, out: &mut Outcome, require_points: i64, ceiling: i64) {
    let sum = cap_categories(program, out);
    conclude(program, out, sum, ceiling, require_points);
}

/// Caps every category's raw total; returns the sum of the capped totals.
fn cap_categories(program: Machine<'_>, out: &mut Outcome) -> i64 {
    let mut sum = 0i64;
    for (total, category) in out.categories.iter_mut().zip(&program.code.categories) {
        total.capped = match category.max {
            Some(max) => total.raw.min(max),
            None => total.raw,
        };
        sum = sum.saturating_add(total.capped);
    }
    sum
}

/// Clamps `sum`, the capped totals' sum, to the points' range (0 to
/// `ceiling`), and scores.
fn conclude(program: Machine<'_>, out: &mut Outcome, sum: i64, ceiling: i64, require_points: i64) {
    out.points = sum.clamp(0, ceiling.max(0));
    out.qualified = out.requires_met as usize == program.code.requires.len();
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
