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
//! use leadc::Program;
//! let program = leadc::compile(
//!     "require age >= 18 : 100\ncategory critical max 25\n*behaviour demo_request : 20\n\
//!      tier hot when points >= 50\ntier cold\n",
//!     "behaviours = [\"demo_request\"]\n[fields]\nage = \"int\"\n",
//! )?;
//! let schema = program.schema();
//! let mut lead = program.new_lead();
//! lead.set_text(schema, schema.field_id("age").unwrap(), "40")?;
//! lead.set_count(schema.behaviour_id("demo_request").unwrap(), 1);
//! let outcome = program.evaluate(&lead);
//! assert_eq!(outcome.score, 100 + 20); // the must-have block + 20 points
//! assert_eq!(program.tier_name(outcome.tier.unwrap()), Some("cold"));
//!
//! // Saved and loaded again, it scores the same.
//! let loaded = Program::from_bytes(&program.to_bytes())?;
//! assert_eq!(loaded.evaluate(&lead), outcome);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::check::Scorecard;
use crate::compile::bytecode::Bytecode;
pub use crate::compile::bytecode::{
    ArmInfo, CategoryInfo, RequireInfo, RuleInfo, RuleKindInfo, SegmentInfo, SourceInfo, TierInfo,
};
use crate::compile::format::{self, LoadError};
use crate::compile::lower;
use crate::compile::opcode::{BehaviourStep, Op, TimedStep};
use crate::lead::{Batch, BatchError, Lead};
use crate::plan::Plan;
use crate::schema::{BehaviourId, FieldId, Schema};
use crate::time::TIMELESS;
use crate::vm;
use crate::vm::outcome::{Explanation, Outcome, Outcomes};
use std::sync::Arc;

/// A compiled program, ready to score leads.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub(crate) bytecode: Bytecode,
    /// The code rearranged for the evaluator (derived, not saved).
    pub(crate) plan: Plan,
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
        Program::from_bytecode(lower::lower(card, None))
    }

    /// Compiles a checked program, taking rule texts and line numbers from
    /// `source`, the text the program was checked from.
    pub fn compile_with_source(card: &Scorecard, source: &str) -> Program {
        Program::from_bytecode(lower::lower(card, Some(source)))
    }

    /// A verified program and the plan built from it.
    fn from_bytecode(bytecode: Bytecode) -> Program {
        let plan = Plan::new(&bytecode);
        Program { bytecode, plan }
    }

    /// Loads and verifies a compiled file written by [`Program::to_bytes`].
    ///
    /// Never panics: bad, truncated or tampered bytes give a [`LoadError`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Program, LoadError> {
        format::read(bytes).map(Program::from_bytecode)
    }

    /// Whether `bytes` start like a compiled file (the magic bytes), as
    /// opposed to program source text. Says nothing of their validity.
    pub fn is_compiled(bytes: &[u8]) -> bool {
        bytes.starts_with(format::MAGIC)
    }

    /// Saves the program, its schema included, as a compiled file.
    pub fn to_bytes(&self) -> Vec<u8> {
        format::write(&self.bytecode)
    }

    /// The schema leads must follow.
    pub fn schema(&self) -> &Schema {
        &self.bytecode.schema
    }

    /// The schema, shared.
    pub fn schema_arc(&self) -> &Arc<Schema> {
        &self.bytecode.schema
    }

    /// A lead laid out for this program's schema, every field missing.
    pub fn new_lead(&self) -> Lead {
        Lead::new(&self.bytecode.schema)
    }

    /// The name of tier `index` (from [`Outcome::tier`]).
    pub fn tier_name(&self, index: usize) -> Option<&str> {
        self.bytecode.tiers.get(index).map(|t| t.name.as_str())
    }

    /// The tiers, in order.
    pub fn tiers(&self) -> &[TierInfo] {
        &self.bytecode.tiers
    }

    /// The category names, in order (the order of [`Outcome::categories`]).
    pub fn category_names(&self) -> impl ExactSizeIterator<Item = &str> {
        self.bytecode.categories.iter().map(|c| c.name.as_str())
    }

    /// The categories, in order.
    pub fn categories(&self) -> &[CategoryInfo] {
        &self.bytecode.categories
    }

    /// The rules, categories in order and rules in order within each (the
    /// order of [`Explanation::rules`]).
    pub fn rules(&self) -> &[RuleInfo] {
        &self.bytecode.rules
    }

    /// The must-haves, in order.
    pub fn requires(&self) -> &[RequireInfo] {
        &self.bytecode.requires
    }

    /// The segment block, if any.
    pub fn segment(&self) -> Option<&SegmentInfo> {
        self.bytecode.segment.as_ref()
    }

    /// The instructions.
    pub fn code(&self) -> &[Op] {
        &self.bytecode.code
    }

    /// The timed steps that [`Op::Timed`] instructions run (rules on event
    /// behaviours).
    pub fn timed_steps(&self) -> &[TimedStep] {
        &self.bytecode.timed
    }

    /// Whether the program has rules on event behaviours, whose outcome
    /// depends on the as-of instant ([`Program::evaluate_at`]).
    pub fn is_timed(&self) -> bool {
        self.bytecode.is_timed()
    }

    /// The behaviour steps that [`Op::Behaviours`] instructions run.
    pub fn steps(&self) -> &[BehaviourStep] {
        &self.bytecode.steps
    }

    /// The highest `points` value: 99 in the digit layout, else 100.
    pub fn points_ceiling(&self) -> i64 {
        self.bytecode.points_ceiling()
    }

    /// Scores a lead (timeless: see [`Program::evaluate_at`]).
    ///
    /// A lead laid out for another schema scores as if its extra fields did
    /// not exist and its absent ones were missing. To score many leads
    /// without allocating, use a [`Scorer`].
    pub fn evaluate(&self, lead: &Lead) -> Outcome {
        Scorer::new(self).score(lead).clone()
    }

    /// Scores a lead as of instant `as_of` (seconds since the Unix epoch,
    /// UTC; see [`crate::time::parse_instant`]). Rules on event behaviours
    /// count only events at or before `as_of` (and inside their window) and
    /// decay them by their age; the same lead as of the same instant always
    /// scores the same. [`Program::evaluate`] scores *timeless*
    /// ([`TIMELESS`]): every event counts, undecayed.
    pub fn evaluate_at(&self, lead: &Lead, as_of: i64) -> Outcome {
        Scorer::new(self).score_at(lead, as_of).clone()
    }

    /// Scores a lead and explains it: which must-haves were met, which arm
    /// matched, and what every rule gave before and after its own cap
    /// (category caps are in [`Outcome::categories`]).
    ///
    /// ```
    /// let program = leadc::compile(
    ///     "require age >= 18 : 100\ncategory critical max 25\n*behaviour demo_request : 20\n",
    ///     "behaviours = [\"demo_request\"]\n[fields]\nage = \"int\"\n",
    /// ).unwrap();
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
        self.explain_at(lead, TIMELESS)
    }

    /// [`Program::explain`] as of instant `as_of`; the explanation's
    /// [`Explanation::times`] says, per timed rule, how many events were
    /// counted, in the future or outside the window, and their ages.
    pub fn explain_at(&self, lead: &Lead, as_of: i64) -> (Outcome, Explanation) {
        let mut scorer = Scorer::new(self);
        let (outcome, explanation) = scorer.explain_at(lead, as_of);
        (outcome.clone(), explanation.clone())
    }

    /// A scorer for many leads (see [`Scorer`]).
    pub fn scorer(&self) -> Scorer<'_> {
        Scorer::new(self)
    }

    fn machine(&self) -> vm::Machine<'_> {
        vm::Machine { code: &self.bytecode, plan: &self.plan }
    }

    /// Which fields and behaviours each must-have and rule reads, found from
    /// the code (so a loaded compiled file answers as its source would):
    /// the field tests of the block that ends with the item's effect, and a
    /// behaviour rule's behaviour. For explanations; a pass over the code,
    /// which scoring never makes.
    ///
    /// ```
    /// use leadc::program::Input;
    /// let program = leadc::compile(
    ///     "require age >= 18 : 100\ncategory critical max 25\n*behaviour demo_request : 20\n",
    ///     "behaviours = [\"demo_request\"]\n[fields]\nage = \"int\"\n",
    /// ).unwrap();
    /// let schema = program.schema();
    /// let reads = program.reads();
    /// assert_eq!(reads.requires[0], [Input::Field(schema.field_id("age").unwrap())]);
    /// assert_eq!(reads.rules[0], [Input::Behaviour(schema.behaviour_id("demo_request").unwrap())]);
    /// ```
    pub fn reads(&self) -> Reads {
        let mut reads = Reads {
            requires: vec![Vec::new(); self.bytecode.requires.len()],
            rules: vec![Vec::new(); self.bytecode.rules.len()],
        };
        let mut block: Vec<Input> = Vec::new();
        for op in &self.bytecode.code {
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
                    self.bytecode.steps.get(start..end).unwrap_or(&[]).iter().map(rule_of).collect()
                }
                Op::Timed { index } => {
                    self.bytecode.timed.get(index as usize).map(|t| rule_of(&t.step)).into_iter().collect()
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
        crate::compile::disasm::disassemble(&self.bytecode)
    }
}

/// Scores leads with one program, reusing its working memory and its
/// outcome and explanation buffers: after the first lead, scoring
/// allocates nothing. One per thread; the [`Program`] is shared.
///
/// ```
/// let program = leadc::compile(
///     "category interest max 50\nbehaviour web_visit : 5 each max 20\n",
///     "behaviours = [\"web_visit\"]\n",
/// ).unwrap();
/// let mut scorer = program.scorer();
/// let mut lead = program.new_lead();
/// let visits = program.schema().behaviour_id("web_visit").unwrap();
/// for (count, points) in [(1, 5), (3, 15), (9, 20)] {
///     lead.set_count(visits, count);
///     assert_eq!(scorer.score(&lead).points, points);
/// }
/// ```
#[derive(Debug)]
pub struct Scorer<'p> {
    program: &'p Program,
    scratch: vm::Scratch,
    outcome: Outcome,
    explanation: Explanation,
    batch: vm::batch::Scratch,
}

impl<'p> Scorer<'p> {
    /// A scorer for `program`.
    pub fn new(program: &'p Program) -> Scorer<'p> {
        Scorer {
            program,
            scratch: vm::Scratch::default(),
            outcome: Outcome::default(),
            explanation: Explanation::default(),
            batch: vm::batch::Scratch::default(),
        }
    }

    /// The program it scores with.
    pub fn program(&self) -> &'p Program {
        self.program
    }

    /// Scores a lead, timeless (as [`Program::evaluate`]).
    pub fn score(&mut self, lead: &Lead) -> &Outcome {
        self.score_at(lead, TIMELESS)
    }

    /// Scores a lead as of instant `as_of` (as [`Program::evaluate_at`]).
    pub fn score_at(&mut self, lead: &Lead, as_of: i64) -> &Outcome {
        vm::run(self.program.machine(), lead, as_of, &mut self.outcome, &mut self.scratch, &mut vm::NoTrace);
        &self.outcome
    }

    /// Scores every lead of `batch`, timeless, into `out` (one row per
    /// lead, in the batch's order; its buffers are reused). Each row's
    /// outcome is the one [`Scorer::score`] gives that lead. Fails only
    /// when the batch was built for another schema than the program's.
    pub fn score_batch(&mut self, batch: &Batch, out: &mut Outcomes) -> Result<(), BatchError> {
        self.score_batch_at(batch, TIMELESS, out)
    }

    /// Scores every lead of `batch` as of instant `as_of` into `out` (as
    /// [`Scorer::score_batch`]).
    pub fn score_batch_at(
        &mut self,
        batch: &Batch,
        as_of: i64,
        out: &mut Outcomes,
    ) -> Result<(), BatchError> {
        if !batch.fits(self.program.schema()) {
            return Err(BatchError::Schema);
        }
        vm::batch::run(self.program.machine(), batch, as_of, out, &mut self.batch);
        Ok(())
    }

    /// Scores every lead of an Arrow record batch, timeless, into `out`,
    /// as [`Scorer::score_batch`] scores a [`Batch`]: the columns are read
    /// where they lie. Fails only when the leads were read for another
    /// schema than the program's.
    #[cfg(feature = "arrow")]
    pub fn score_arrow(
        &mut self,
        leads: &crate::ArrowLeads<'_>,
        out: &mut Outcomes,
    ) -> Result<(), BatchError> {
        self.score_arrow_at(leads, TIMELESS, out)
    }

    /// Scores every lead of an Arrow record batch as of instant `as_of`
    /// into `out` (as [`Scorer::score_arrow`]).
    #[cfg(feature = "arrow")]
    pub fn score_arrow_at(
        &mut self,
        leads: &crate::ArrowLeads<'_>,
        as_of: i64,
        out: &mut Outcomes,
    ) -> Result<(), BatchError> {
        if !leads.fits(self.program.schema()) {
            return Err(BatchError::Schema);
        }
        vm::batch::run(self.program.machine(), leads, as_of, out, &mut self.batch);
        Ok(())
    }

    /// Scores and explains a lead, timeless (as [`Program::explain`]).
    pub fn explain(&mut self, lead: &Lead) -> (&Outcome, &Explanation) {
        self.explain_at(lead, TIMELESS)
    }

    /// Scores and explains a lead as of instant `as_of` (as
    /// [`Program::explain_at`]).
    pub fn explain_at(&mut self, lead: &Lead, as_of: i64) -> (&Outcome, &Explanation) {
        let code = &self.program.bytecode;
        let e = &mut self.explanation;
        e.requires.clear();
        e.requires.resize(code.requires.len(), false);
        e.rules.clear();
        e.rules.resize(code.rules.len(), Default::default());
        e.times.clear();
        if code.is_timed() {
            e.times.resize(code.rules.len(), None);
        }
        e.segment_arm = None;
        vm::run(self.program.machine(), lead, as_of, &mut self.outcome, &mut self.scratch, e);
        (&self.outcome, &self.explanation)
    }
}

fn add_once(inputs: &mut Vec<Input>, input: Input) {
    if !inputs.contains(&input) {
        inputs.push(input);
    }
}
