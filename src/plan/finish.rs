//! The end of a program — caps, points, score and tiers — as one step.
//!
//! In: the code the tables leave (`Plan::code`). Out: a [`Finish`] when
//! that code is only `points` and a chain of tiers, each tier's condition
//! being nothing, `qualified`, a range of points, or two of these joined
//! by `and` (what the lowering emits for most programs). The evaluator
//! then runs no code: it settles the outcome from the finish, picking the
//! first tier that holds without a branch. Any other code keeps running
//! instruction by instruction.

use super::FIXED_CATEGORIES;
use super::Step;
use crate::compile::bytecode::Bytecode;
use crate::compile::opcode::{OutVal, Test};

/// A tier whose condition is `qualified` (when `qualified`) and points
/// within `lo..=hi`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TierStep {
    pub tier: u32,
    pub qualified: bool,
    pub lo: i64,
    pub hi: i64,
}

/// The points step's ceiling, the caps of a fixed program's categories,
/// and the tiers in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finish {
    pub ceiling: i64,
    /// The first [`FIXED_CATEGORIES`] categories' caps (`i64::MAX` when
    /// one has none), the rest `i64::MAX`: the fixed path caps its totals
    /// with these.
    pub fixed_caps: [i64; FIXED_CATEGORIES],
    /// No cap is below -2^59: for a `Plan::fixed` program (whose raw
    /// totals are within ±2^62 together) the capped totals of eight
    /// categories add up without overflow.
    pub exact: bool,
    pub tiers: Vec<TierStep>,
}

/// The finish of `code` (the plan's), if it is only points and tiers of
/// the shapes the finish holds, ending with `halt`.
pub(super) fn finish(program: &Bytecode, code: &[Step]) -> Option<Finish> {
    let (Step::Points { ceiling }, mut rest) = code.split_first()? else { return None };
    let mut tiers = Vec::new();
    loop {
        match rest {
            [Step::Halt] => break,
            [a, Step::Tier { tier }, tail @ ..] => {
                tiers.push(step(*tier, [a, &Step::Test(Test::Const(true))])?);
                rest = tail;
            }
            // `a and b`: a jump past `b` to the tier when `a` fails.
            [a, Step::JumpIfFalse { target }, b, Step::Tier { tier }, tail @ ..]
                if *target as usize == code.len() - tail.len() - 1 =>
            {
                tiers.push(step(*tier, [a, b])?);
                rest = tail;
            }
            _ => return None,
        }
    }
    let caps = program.categories.iter().map(|c| c.max.unwrap_or(i64::MAX));
    let mut fixed_caps = [i64::MAX; FIXED_CATEGORIES];
    fixed_caps.iter_mut().zip(caps.clone()).for_each(|(f, c)| *f = c);
    let exact = caps.into_iter().all(|cap| cap >= -(1 << 59));
    Some(Finish { ceiling: *ceiling, fixed_caps, exact, tiers })
}

/// The tier step of tier `tier` whose condition is `a and b`, each
/// `qualified`, a range of points, or true.
fn step(tier: u32, leaves: [&Step; 2]) -> Option<TierStep> {
    let mut step = TierStep { tier, qualified: false, lo: i64::MIN, hi: i64::MAX };
    for leaf in leaves {
        match *leaf {
            Step::Qualified => step.qualified = true,
            Step::OutRange { value: OutVal::Points, negated: false, lo, hi } => {
                (step.lo, step.hi) = (step.lo.max(lo), step.hi.min(hi));
            }
            Step::Test(Test::Const(true)) => {}
            _ => return None,
        }
    }
    Some(step)
}
