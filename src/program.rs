//! A compiled, verified program: the library's main entry point.
//!
//! In: a checked [`Scorecard`] ([`Program::compile`]) or the bytes of a
//! compiled file ([`Program::from_bytes`]). Out: an immutable [`Program`]
//! (`Send + Sync`, share it between threads behind an `Arc` or a reference)
//! that scores [`Lead`]s into [`Outcome`]s, explains them, saves itself
//! ([`Program::to_bytes`]) and describes its rules for explanations —
//! their source, and which lead inputs each reads ([`Program::reads`]).
//!
//! ```
//! use leadc::program::Program;
//! # let card = leadc::program::doc_example_scorecard();
//! // `card` is a checked Scorecard (from the checker).
//! let program = Program::compile(&card);
//! let schema = program.schema();
//! let mut lead = program.new_lead();
//! lead.set_text(schema, schema.field_id("age").unwrap(), "40").unwrap();
//! lead.set_count(schema.behaviour_id("demo_request").unwrap(), 1);
//! let outcome = program.evaluate(&lead);
//! assert_eq!(outcome.score, 100 + 20); // the must-have block + 20 points
//! assert_eq!(program.tier_name(outcome.tier.unwrap()), Some("cold"));
//!
//! // Saved and loaded again, it scores the same.
//! let loaded = Program::from_bytes(&program.to_bytes()).unwrap();
//! assert_eq!(loaded.evaluate(&lead), outcome);
//! ```

use crate::check::Scorecard;
use crate::compile::format::{self, LoadError};
use crate::compile::lower;
use crate::compile::opcode::{BehaviourStep, Op, TimedStep};
use crate::lead::Lead;
use crate::outcome::{Explanation, Outcome};
use crate::schema::{BehaviourId, FieldId, Schema};
use crate::span::Span;
use crate::vm;
use std::sync::Arc;

/// A compiled program, ready to score leads.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub(crate) schema: Arc<Schema>,
    pub(crate) code: Vec<Op>,
    pub(crate) steps: Vec<BehaviourStep>,
    pub(crate) timed: Vec<TimedStep>,
    /// The code rearranged for the evaluator (derived, not saved).
    pub(crate) plan: crate::plan::Plan,
    pub(crate) strings: crate::cell::Texts,
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
    /// The item's text: the source line when the program was compiled with
    /// its source ([`Program::compile_with_source`]), else the item
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

/// A lead input that a must-have or rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Input {
    /// A field's value.
    Field(FieldId),
    /// A behaviour's count (for an event behaviour, its events).
    Behaviour(BehaviourId),
}

/// Which inputs each must-have and each rule reads, as their compiled code
/// reads them: each input once, in the order the code first reads it.
/// Condition parts that lowering folded away read nothing (`fit age in
/// 10..5 : 1`, which can never hold, reads no field).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reads {
    /// Per must-have, in program order.
    pub requires: Vec<Vec<Input>>,
    /// Per rule, in the order of [`Program::rules`].
    pub rules: Vec<Vec<Input>>,
}

impl Program {
    /// Compiles a checked program. Rule texts are printed back from the
    /// checked program; use [`Program::compile_with_source`] to keep the
    /// source lines and their line numbers.
    pub fn compile(card: &Scorecard) -> Program {
        lower::lower(card, None)
    }

    /// Compiles a checked program, taking rule texts and line numbers from
    /// `source`, the text the program was checked from.
    pub fn compile_with_source(card: &Scorecard, source: &str) -> Program {
        lower::lower(card, Some(source))
    }

    /// Loads and verifies a compiled file written by [`Program::to_bytes`].
    ///
    /// Never panics: bad, truncated or tampered bytes give a [`LoadError`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Program, LoadError> {
        format::read(bytes)
    }

    /// Whether `bytes` start like a compiled file (the magic bytes), as
    /// opposed to program source text. Says nothing of their validity.
    pub fn is_compiled(bytes: &[u8]) -> bool {
        bytes.starts_with(format::MAGIC)
    }

    /// Saves the program, its schema included, as a compiled file.
    pub fn to_bytes(&self) -> Vec<u8> {
        format::write(self)
    }

    /// The schema leads must follow.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The schema, shared.
    pub fn schema_arc(&self) -> &Arc<Schema> {
        &self.schema
    }

    /// A lead laid out for this program's schema, every field missing.
    pub fn new_lead(&self) -> Lead {
        Lead::new(&self.schema)
    }

    /// The name of tier `index` (from [`Outcome::tier`]).
    pub fn tier_name(&self, index: usize) -> Option<&str> {
        self.tiers.get(index).map(|t| t.name.as_str())
    }

    /// The tiers, in order.
    pub fn tiers(&self) -> &[TierInfo] {
        &self.tiers
    }

    /// The category names, in order (the order of [`Outcome::categories`]).
    pub fn category_names(&self) -> impl ExactSizeIterator<Item = &str> {
        self.categories.iter().map(|c| c.name.as_str())
    }

    /// The categories, in order.
    pub fn categories(&self) -> &[CategoryInfo] {
        &self.categories
    }

    /// The rules, categories in order and rules in order within each (the
    /// order of [`Explanation::rules`]).
    pub fn rules(&self) -> &[RuleInfo] {
        &self.rules
    }

    /// The must-haves, in order.
    pub fn requires(&self) -> &[RequireInfo] {
        &self.requires
    }

    /// The segment block, if any.
    pub fn segment(&self) -> Option<&SegmentInfo> {
        self.segment.as_ref()
    }

    /// The instructions.
    pub fn code(&self) -> &[Op] {
        &self.code
    }

    /// The timed steps that [`Op::Timed`] instructions run (rules on event
    /// behaviours).
    pub fn timed_steps(&self) -> &[TimedStep] {
        &self.timed
    }

    /// Whether the program has rules on event behaviours, whose outcome
    /// depends on the as-of instant ([`Program::evaluate_at`]).
    pub fn is_timed(&self) -> bool {
        !self.timed.is_empty()
    }

    /// The behaviour steps that [`Op::Behaviours`] instructions run.
    pub fn steps(&self) -> &[BehaviourStep] {
        &self.steps
    }

    /// The highest `points` value: 99 in the digit layout, else 100.
    pub fn points_ceiling(&self) -> i64 {
        self.code
            .iter()
            .find_map(|op| if let Op::Points { ceiling } = op { Some(*ceiling) } else { None })
            .unwrap_or(100)
    }

    /// Scores a lead into a new outcome.
    pub fn evaluate(&self, lead: &Lead) -> Outcome {
        let mut outcome = Outcome::default();
        self.evaluate_into(lead, &mut outcome);
        outcome
    }

    /// Scores a lead into `outcome`, reusing its buffers: after the first
    /// call, scoring allocates nothing.
    ///
    /// A lead laid out for another schema scores as if its extra fields did
    /// not exist and its absent ones were missing.
    ///
    /// A timed program ([`Program::is_timed`]) is scored *timeless*
    /// ([`crate::clock::TIMELESS`]): every event counts, undecayed. Use
    /// [`Program::evaluate_at`] to score as of an instant.
    pub fn evaluate_into(&self, lead: &Lead, outcome: &mut Outcome) {
        vm::run(self, lead, crate::clock::TIMELESS, outcome, &mut vm::NoTrace);
    }

    /// Scores a lead as of instant `as_of` (seconds since the Unix epoch,
    /// UTC; see [`crate::time::parse_instant`]) into `outcome`, reusing its
    /// buffers. Rules on event behaviours count only events at or before
    /// `as_of` (and inside their window) and decay them by their age; the
    /// same lead as of the same instant always scores the same. Programs
    /// without such rules score as [`Program::evaluate_into`] does.
    pub fn evaluate_at(&self, lead: &Lead, as_of: i64, outcome: &mut Outcome) {
        vm::run(self, lead, as_of, outcome, &mut vm::NoTrace);
    }

    /// [`Program::explain_into`] as of instant `as_of`; the explanation's
    /// [`Explanation::times`] says, per timed rule, how many events were
    /// counted, in the future or outside the window, and their ages.
    pub fn explain_at(&self, lead: &Lead, as_of: i64, outcome: &mut Outcome, explanation: &mut Explanation) {
        self.prepare(explanation);
        vm::run(self, lead, as_of, outcome, explanation);
    }

    fn prepare(&self, explanation: &mut Explanation) {
        explanation.requires.clear();
        explanation.requires.resize(self.requires.len(), false);
        explanation.rules.clear();
        explanation.rules.resize(self.rules.len(), Default::default());
        explanation.times.clear();
        if self.is_timed() {
            explanation.times.resize(self.rules.len(), None);
        }
        explanation.segment_arm = None;
    }

    /// Scores a lead and explains it: which must-haves were met, which arm
    /// matched, and what every rule gave before and after its own cap
    /// (category caps are in [`Outcome::categories`]).
    ///
    /// ```
    /// use leadc::program::Program;
    /// let program = Program::compile(&leadc::program::doc_example_scorecard());
    /// let schema = program.schema();
    /// let mut lead = program.new_lead();
    /// lead.set_count(schema.behaviour_id("demo_request").unwrap(), 3);
    /// let (outcome, why) = program.explain(&lead);
    /// assert_eq!(why.requires, [false]); // no age: the must-have is not met
    /// let (rule, trace) = (&program.rules()[0], why.rules[0]);
    /// assert!(trace.fired && trace.points == 20);
    /// assert_eq!(rule.source.text, "*behaviour demo_request : 20");
    /// assert_eq!(outcome.score, 20);
    /// ```
    pub fn explain(&self, lead: &Lead) -> (Outcome, Explanation) {
        let mut outcome = Outcome::default();
        let mut explanation = Explanation::default();
        self.explain_into(lead, &mut outcome, &mut explanation);
        (outcome, explanation)
    }

    /// [`Program::explain`] into reused buffers (timeless, as
    /// [`Program::evaluate_into`]).
    pub fn explain_into(&self, lead: &Lead, outcome: &mut Outcome, explanation: &mut Explanation) {
        self.explain_at(lead, crate::clock::TIMELESS, outcome, explanation);
    }

    /// Which fields and behaviours each must-have and rule reads, found from
    /// the code (so a loaded compiled file answers as its source would):
    /// the field tests of the block that ends with the item's effect, and a
    /// behaviour rule's behaviour. For explanations; a pass over the code,
    /// which scoring never makes.
    ///
    /// ```
    /// use leadc::program::{Input, Program};
    /// let program = Program::compile(&leadc::program::doc_example_scorecard());
    /// let schema = program.schema();
    /// let reads = program.reads();
    /// assert_eq!(reads.requires[0], [Input::Field(schema.field_id("age").unwrap())]);
    /// assert_eq!(reads.rules[0], [Input::Behaviour(schema.behaviour_id("demo_request").unwrap())]);
    /// ```
    pub fn reads(&self) -> Reads {
        let mut reads = Reads {
            requires: vec![Vec::new(); self.requires.len()],
            rules: vec![Vec::new(); self.rules.len()],
        };
        let mut block: Vec<Input> = Vec::new();
        for op in &self.code {
            if let Some(field) = op.test().and_then(|t| t.field()) {
                add_once(&mut block, Input::Field(FieldId(field)));
            }
            if op.stage().is_none() {
                continue;
            }
            let rule_of = |step: &BehaviourStep| (step.rule, Input::Behaviour(BehaviourId(step.behaviour)));
            let behaviours: Vec<(u32, Input)> = match *op {
                Op::Behaviours { start, len } => {
                    let (start, end) = (start as usize, start.saturating_add(len) as usize);
                    self.steps.get(start..end).unwrap_or(&[]).iter().map(rule_of).collect()
                }
                Op::Timed { index } => {
                    self.timed.get(index as usize).map(|t| rule_of(&t.step)).into_iter().collect()
                }
                _ => Vec::new(),
            };
            for (rule, input) in behaviours {
                if let Some(slot) = reads.rules.get_mut(rule as usize) {
                    add_once(slot, input);
                }
            }
            let slot = match *op {
                Op::Require { index, .. } | Op::RequireWhen { index, .. } => {
                    reads.requires.get_mut(index as usize)
                }
                Op::Fit { rule, .. } | Op::FitWhen { rule, .. } => reads.rules.get_mut(rule as usize),
                _ => None,
            };
            if let Some(slot) = slot {
                block.iter().for_each(|&input| add_once(slot, input));
            }
            block.clear();
        }
        reads
    }

    /// A listing of the instructions with the rules' source text.
    pub fn disassemble(&self) -> String {
        crate::compile::disasm::disassemble(self)
    }
}

fn add_once(inputs: &mut Vec<Input>, input: Input) {
    if !inputs.contains(&input) {
        inputs.push(input);
    }
}

/// A small checked program over a small schema, for documentation examples
/// (`require age >= 18 : 100`, a `critical max 25` category with
/// `*behaviour demo_request : 20`, tiers `hot when points >= 50` and
/// `cold`).
#[doc(hidden)]
pub fn doc_example_scorecard() -> Scorecard {
    use crate::check::*;
    use crate::schema::{BehaviourId, FieldId, FieldType};
    use crate::syntax::ast::CmpOp;
    let schema = Schema::builder().field("age", FieldType::Int).behaviour("demo_request").build();
    let schema = Arc::new(schema.unwrap_or_default());
    let rule = Rule {
        kind: RuleKind::Behaviour(BehaviourRule {
            behaviour: BehaviourId(0),
            critical: true,
            min_count: 1,
            per_occurrence: false,
            cap: None,
            clock: Default::default(),
        }),
        points: 20,
        span: Span::default(),
    };
    let points_at_least = |k| OutcomeTest::Compare(OutcomeValue::Points, CmpOp::Ge, k);
    Scorecard {
        schema,
        requires: vec![Requirement {
            condition: Condition::Test(FieldTest {
                field: FieldId(0),
                test: Test::Int(CmpOp::Ge, 18),
                span: Span::default(),
            }),
            points: 100,
            span: Span::default(),
        }],
        segment: None,
        categories: vec![Category {
            name: "critical".into(),
            max: Some(25),
            rules: vec![rule],
            span: Span::default(),
        }],
        tiers: vec![
            Tier {
                name: "hot".into(),
                when: Some(Condition::Test(points_at_least(50))),
                span: Span::default(),
            },
            Tier { name: "cold".into(), when: None, span: Span::default() },
        ],
        lint_directives: vec![],
    }
}
