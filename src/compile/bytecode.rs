//! The compiled program as data.
//!
//! In: built by [`lower`](super::lower) from a checked program, or read
//! back by [`format`](super::format). Out: a [`Bytecode`] — instructions,
//! constant pools and the source tables (must-haves, segment arms,
//! categories, rules, tiers) that explanations and the disassembly print.
//! Nothing here runs a lead; the plan and the VM do, above this layer.

use super::opcode::{BehaviourStep, Op, TimedStep};
use crate::diag::span::Span;
use crate::schema::Schema;
use std::sync::Arc;

/// A compiled program as data: the instructions, their constant pools and
/// the tables that describe the source (what [`format`](super::format)
/// saves, [`verify`](super::verify) proves safe and the plan is built from).
#[derive(Debug, Clone, PartialEq)]
pub struct Bytecode {
    pub(crate) schema: Arc<Schema>,
    pub(crate) code: Vec<Op>,
    pub(crate) steps: Vec<BehaviourStep>,
    pub(crate) timed: Vec<TimedStep>,
    pub(crate) strings: crate::lead::cell::Texts,
    pub(crate) text_sets: Vec<Box<[u32]>>,
    pub(crate) enum_sets: Vec<Box<[u64]>>,
    pub(crate) requires: Vec<RequireInfo>,
    pub(crate) segment: Option<SegmentInfo>,
    pub(crate) categories: Vec<CategoryInfo>,
    pub(crate) rules: Vec<RuleInfo>,
    pub(crate) tiers: Vec<TierInfo>,
}

/// Where an item was written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceInfo {
    /// The item's text: its source on one line, comments dropped and runs
    /// of white space made one space, when the program was compiled with
    /// its source ([`crate::Program::compile_with_source`]); else the item
    /// printed back from the checked program.
    pub text: String,
    /// Byte span in the program file.
    pub span: Span,
    /// 1-based line, 0 when the source was not given.
    pub line: u32,
    /// 1-based column, 0 when the source was not given.
    pub column: u32,
}

/// A must-have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequireInfo {
    /// Its block of points.
    pub points: i64,
    /// Where it was written.
    pub source: SourceInfo,
}

/// The segment block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentInfo {
    /// The field's name.
    pub field: String,
    /// The arms, in order.
    pub arms: Vec<ArmInfo>,
}

/// One segment arm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmInfo {
    /// Its digit, 1 to 9.
    pub digit: u8,
    /// Its label, if written.
    pub label: Option<String>,
    /// Where it was written.
    pub source: SourceInfo,
}

/// A category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryInfo {
    /// Its name.
    pub name: String,
    /// Its cap, `None` when uncapped.
    pub max: Option<i64>,
    /// Where its header was written.
    pub source: SourceInfo,
}

/// The kind of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKindInfo {
    /// `fit <condition> : n`
    Fit,
    /// `behaviour b : n`, once.
    Behaviour,
    /// `behaviour b : n each [max m]`
    BehaviourEach,
}

/// A rule, for explanations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    /// The index of its category.
    pub category: u32,
    /// What kind of rule it is.
    pub kind: RuleKindInfo,
    /// Starred (a critical conversion behaviour).
    pub critical: bool,
    /// Its points (per occurrence for `each`).
    pub points: i64,
    /// Where it was written.
    pub source: SourceInfo,
}

/// A tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierInfo {
    /// Its name.
    pub name: String,
    /// Where it was written.
    pub source: SourceInfo,
}

impl Bytecode {
    /// The schema the program was checked against.
    pub(crate) fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The name of tier `index`.
    pub(crate) fn tier_name(&self, index: usize) -> Option<&str> {
        self.tiers.get(index).map(|t| t.name.as_str())
    }

    /// The points ceiling (`points` clamps to it), 100 when unset.
    pub(crate) fn points_ceiling(&self) -> i64 {
        self.code
            .iter()
            .find_map(|op| if let Op::Points { ceiling } = op { Some(*ceiling) } else { None })
            .unwrap_or(100)
    }

    /// Whether a rule reads event times.
    pub(crate) fn is_timed(&self) -> bool {
        !self.timed.is_empty()
    }
}
