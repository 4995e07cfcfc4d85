//! The checked program: a [`Scorecard`].
//!
//! In: built by the checker from an AST and a schema. Out: a program in which
//! every name is resolved to a schema id, every literal has the type of what
//! it is compared with, and every point value is an integer. The linter, the
//! bytecode lowering and the reference evaluator all start from here, so none
//! of them has to handle an unknown name or a type mismatch.
//!
//! Spans are kept so that lints and explanations can point at the source.

use crate::diag::span::Span;
use crate::schema::{BehaviourId, FieldId, Schema};
use crate::syntax::ast::{CmpOp, LintLevel};
use std::sync::Arc;

/// A checked program, ready to lint, compile or evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard {
    /// The schema it was checked against.
    pub schema: Arc<Schema>,
    /// The must-haves, in source order.
    pub requires: Vec<Requirement>,
    /// The segment block, if any (the thousands digit).
    pub segment: Option<Segment>,
    /// The categories, in source order, each with its rules.
    pub categories: Vec<Category>,
    /// The tiers, in source order.
    pub tiers: Vec<Tier>,
    /// `lint` directives, in source order.
    pub lint_directives: Vec<LintSetting>,
}

impl Scorecard {
    /// Whether the program uses the digit layout (any `require` or
    /// `segment`): points are then clamped to 0..=99, else to 0..=100.
    pub fn uses_digit_layout(&self) -> bool {
        !self.requires.is_empty() || self.segment.is_some()
    }

    /// The highest `points` value: 99 in the digit layout, else 100.
    pub fn points_ceiling(&self) -> i64 {
        if self.uses_digit_layout() { 99 } else { 100 }
    }

    /// Every rule with the index of its category, in source order.
    pub fn rules(&self) -> impl Iterator<Item = (usize, &Rule)> {
        self.categories.iter().enumerate().flat_map(|(i, c)| c.rules.iter().map(move |r| (i, r)))
    }
}

/// `require age >= 18 : 100`
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    /// What must hold.
    pub condition: Condition<FieldTest>,
    /// The block of points it is worth.
    pub points: i64,
    /// The source line.
    pub span: Span,
}

/// `segment employees { ... }`
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The field tested.
    pub field: FieldId,
    /// The arms in order; the first whose test holds gives the digit. When
    /// none holds (or the field is missing) the digit is 0.
    pub arms: Vec<SegmentArm>,
    /// The whole block.
    pub span: Span,
}

/// `50..999 => 2 "medium"`
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentArm {
    /// The test on the segment's field.
    pub test: Test,
    /// The digit, 1 to 9.
    pub digit: u8,
    /// The label, if written.
    pub label: Option<String>,
    /// The arm's source.
    pub span: Span,
}

/// `category interest max 25` and the rules below it.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// Its name.
    pub name: String,
    /// Its cap; `None` means uncapped (e.g. penalties).
    pub max: Option<i64>,
    /// Its rules, in source order.
    pub rules: Vec<Rule>,
    /// The header line.
    pub span: Span,
}

/// One scoring rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// What the rule tests and how it counts.
    pub kind: RuleKind,
    /// Points when it fires (per occurrence for `each`).
    pub points: i64,
    /// The source line.
    pub span: Span,
}

/// The two kinds of rule.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    /// `fit <condition> : n`: n points when the condition holds.
    Fit(Condition<FieldTest>),
    /// `behaviour ...`: points from a behaviour's occurrence count.
    Behaviour(BehaviourRule),
}

/// How a behaviour rule counts.
///
/// With count `c` of the behaviour: nothing when `c < min_count`; else
/// `points` once, or with `per_occurrence` `points × c` limited by `cap`
/// (towards zero: a negative cap limits negative points).
#[derive(Debug, Clone, PartialEq)]
pub struct BehaviourRule {
    /// The behaviour counted.
    pub behaviour: BehaviourId,
    /// Starred: a critical conversion behaviour.
    pub critical: bool,
    /// The count at which the rule fires: 1, or `k` from `>= k`.
    pub min_count: u32,
    /// `each`: points per occurrence.
    pub per_occurrence: bool,
    /// `each max c`: the limit on the rule's total.
    pub cap: Option<i64>,
    /// Its time clauses (`within`, `decay`, `expire`); the default (none)
    /// for a rule without them. Only rules on event behaviours have any.
    pub clock: Clock,
}

/// The time clauses of a behaviour rule, durations in seconds (each at
/// least 1). `docs/language.md`, "Time", gives the arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Clock {
    /// `within d`: only events in `(as_of - d, as_of]` count.
    pub window: Option<i64>,
    /// How an event's points fade with its age.
    pub decay: Decay,
}

/// How an event's points fade with its age `a` (seconds, at least 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decay {
    /// Full points at any age.
    #[default]
    None,
    /// `decay half_life h`: factor `2^(-a / h)`.
    HalfLife(i64),
    /// `decay linear l`: factor `max(0, 1 - a / l)`.
    Linear(i64),
    /// `expire e`: factor 1 while `a <= e`, then 0.
    Expire(i64),
}

/// `tier sales_ready when qualified and points >= 60`
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    /// Its name.
    pub name: String,
    /// Its condition; `None` always holds.
    pub when: Option<Condition<OutcomeTest>>,
    /// The source line.
    pub span: Span,
}

/// `lint allow too-few-rules`
#[derive(Debug, Clone, PartialEq)]
pub struct LintSetting {
    /// The lint's kebab-case name (checked to exist by the linter).
    pub name: String,
    /// The level set.
    pub level: LintLevel,
    /// Where the name was written.
    pub span: Span,
}

/// A boolean combination of tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition<T> {
    /// One test.
    Test(T),
    /// `not c`
    Not(Box<Condition<T>>),
    /// `a and b and ...` (true when empty)
    All(Vec<Condition<T>>),
    /// `a or b or ...` (false when empty)
    Any(Vec<Condition<T>>),
}

/// A test of one lead field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldTest {
    /// The field.
    pub field: FieldId,
    /// What is tested.
    pub test: Test,
    /// The source of the test.
    pub span: Span,
}

/// What is tested of a field's value. Every test but [`Test::Missing`] is
/// false when the field is missing — `!=` and `not in` included.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `is present`
    Present,
    /// `is missing`
    Missing,
    /// A bool field is this value (`is_b2b` is `Bool(true)`).
    Bool(bool),
    /// An int field compared with a constant.
    Int(CmpOp, i64),
    /// A number field compared with a constant.
    Number(CmpOp, f64),
    /// An int field within `lo..=hi` (`negated`: outside it).
    IntRange {
        /// Lower end, included.
        lo: i64,
        /// Upper end, included.
        hi: i64,
        /// `not in`
        negated: bool,
    },
    /// A number field within `lo..=hi` (`negated`: outside it).
    NumberRange {
        /// Lower end, included.
        lo: f64,
        /// Upper end, included.
        hi: f64,
        /// `not in`
        negated: bool,
    },
    /// A string field tested against text (case-sensitive).
    Text(TextTest, String),
    /// A string field is one of the values (`negated`: none of them).
    TextIn {
        /// The values, deduplicated.
        values: Vec<String>,
        /// `not in`
        negated: bool,
    },
    /// An enum field is one of the values, given as indexes into the
    /// field's value list (`negated`: none of them). `=` and `!=` on an
    /// enum become a one-element set.
    EnumIn {
        /// Value indexes, sorted and deduplicated.
        values: Vec<u32>,
        /// `not in`, `!=`
        negated: bool,
    },
}

/// How a string field is tested against a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextTest {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `contains`
    Contains,
    /// `starts_with`
    StartsWith,
    /// `ends_with`
    EndsWith,
}

/// A test in a tier condition: of the lead's outcome, not its fields.
#[derive(Debug, Clone, PartialEq)]
pub enum OutcomeTest {
    /// `qualified`: every must-have met (true when there are none).
    Qualified,
    /// `points >= 60`, `score >= 2060`, `requires_met >= 2`, `segment = 3`,
    /// `interest >= 10` (a category's capped total).
    Compare(OutcomeValue, CmpOp, i64),
}

/// A number that a tier condition can compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeValue {
    /// The clamped sum of category totals.
    Points,
    /// digit × 1000 + met must-haves × 100 + points.
    Score,
    /// How many must-haves are met.
    RequiresMet,
    /// The segment digit (0 when none matched).
    Segment,
    /// One category's capped total, by index into [`Scorecard::categories`].
    Category(usize),
}
