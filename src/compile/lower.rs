//! Lowering: a checked [`Scorecard`] to a [`Bytecode`].
//!
//! In: a Scorecard (names resolved to schema ids, literals typed) and,
//! optionally, the source text it was checked from. Out: a [`Bytecode`] whose
//! code runs the whole scoring method — must-haves, segment digit, rules,
//! category caps, the points clamp and tiers — with string literals interned
//! into a constant pool and enum sets as bitsets.
//!
//! On the way, conditions are folded: constant parts of `and`/`or`/`not`
//! disappear, an empty range or set is `false`, int comparisons become
//! ranges, and a rule, must-have, arm or tier whose condition can never hold
//! emits no code (its explanation entry stays "not fired"). Tiers after one
//! that always holds are unreachable and emit nothing.

use super::bytecode::{
    ArmInfo, Bytecode, CategoryInfo, RequireInfo, RuleInfo, RuleKindInfo, SegmentInfo, SourceInfo, TierInfo,
};
use super::opcode::{BehaviourStep, Cmp, Op, OutVal, Test as T, TimedStep};
use crate::check::compare::comparison_range;
use crate::check::render;
use crate::check::{
    Condition, FieldTest, OutcomeTest, OutcomeValue, RuleKind, Scorecard, Segment, Test, TextTest,
};
use crate::diag::span::{LineIndex, Span};
use crate::schema::{FieldId, FieldType, Schema};
use std::collections::HashMap;

/// A condition after folding, before code is emitted.
enum Folded {
    Const(bool),
    /// One test: `Op::Test`, or an outcome test for tiers.
    Leaf(Op),
    Not(Box<Folded>),
    All(Vec<Folded>),
    Any(Vec<Folded>),
}

/// Compiles `card`; `source`, when given, supplies rule texts and lines.
pub fn lower(card: &Scorecard, source: Option<&str>) -> Bytecode {
    // Every item's line is looked up: find the line starts once (a scan
    // from the start of the file per item made compiling quadratic).
    let lines = source.map(LineIndex::new).unwrap_or_default();
    let mut e = Emitter {
        card,
        source,
        lines,
        program: empty_program(card),
        interned: HashMap::new(),
        text_sets: HashMap::new(),
        enum_sets: HashMap::new(),
    };
    e.requires();
    e.segment();
    e.rules();
    e.caps_and_points();
    e.tiers();
    e.program.code.push(Op::Halt);
    let program = e.program;
    debug_assert!(super::verify::verify(&program).is_ok(), "lowering produced unverifiable code");
    program
}

fn empty_program(card: &Scorecard) -> Bytecode {
    Bytecode {
        schema: card.schema.clone(),
        code: Vec::new(),
        steps: Vec::new(),
        timed: Vec::new(),
        strings: Default::default(),
        text_sets: Vec::new(),
        enum_sets: Vec::new(),
        requires: Vec::new(),
        segment: None,
        categories: Vec::new(),
        rules: Vec::new(),
        tiers: Vec::new(),
    }
}

struct Emitter<'a> {
    card: &'a Scorecard,
    source: Option<&'a str>,
    /// The line starts of `source` (empty without one).
    lines: LineIndex,
    program: Bytecode,
    interned: HashMap<String, u32>,
    /// The index of each text set and enum set already in `program`, so
    /// that equal sets are shared without comparing against every earlier
    /// one (that was quadratic in the rules).
    text_sets: HashMap<Box<[u32]>, u32>,
    enum_sets: HashMap<Box<[u64]>, u32>,
}

impl Emitter<'_> {
    fn source_info(&self, span: Span, printed: String) -> SourceInfo {
        let Some(source) = self.source else {
            return SourceInfo { text: printed, span, line: 0, column: 0 };
        };
        // On one line with single spaces, so that an aligned (formatted)
        // program explains like any other.
        let text = crate::syntax::one_line(span.text(source));
        if text.is_empty() {
            return SourceInfo { text: printed, span, line: 0, column: 0 };
        }
        let (line, column) = self.lines.line_col(source, span.start);
        SourceInfo { text, span, line: line as u32, column: column as u32 }
    }

    fn requires(&mut self) {
        for (index, req) in self.card.requires.iter().enumerate() {
            let printed = render::require(self.card, &req.condition, req.points);
            let source = self.source_info(req.span, printed);
            self.program.requires.push(RequireInfo { points: req.points, source });
            let folded = self.fold(&req.condition);
            let (index, points) = (index as u32, req.points);
            self.emit_effect(folded, Op::Require { index, points }, |test| Op::RequireWhen {
                test,
                index,
                points,
            });
        }
    }

    fn segment(&mut self) {
        let Some(segment) = &self.card.segment else { return };
        self.program.segment = Some(self.segment_info(segment));
        let mut arms_to_patch = Vec::new();
        for (arm, a) in segment.arms.iter().enumerate() {
            let folded = self.fold_test(segment.field, &a.test);
            let always = matches!(folded, Folded::Const(true));
            let (arm, digit) = (arm as u32, a.digit);
            if self.emit_effect(folded, Op::SegmentArm { arm, digit, end: 0 }, |test| Op::ArmWhen {
                test,
                arm,
                digit,
                end: 0,
            }) {
                arms_to_patch.push(self.program.code.len() - 1);
            }
            if always {
                break;
            }
        }
        let here = self.here();
        for at in arms_to_patch {
            if let Some(Op::SegmentArm { end, .. } | Op::ArmWhen { end, .. }) = self.program.code.get_mut(at)
            {
                *end = here;
            }
        }
    }

    fn segment_info(&self, segment: &Segment) -> SegmentInfo {
        let schema = &self.card.schema;
        let arms = segment
            .arms
            .iter()
            .map(|a| {
                let printed = render::arm(schema, segment.field, &a.test, a.digit, a.label.as_deref());
                ArmInfo { digit: a.digit, label: a.label.clone(), source: self.source_info(a.span, printed) }
            })
            .collect();
        let field = schema.field(segment.field).map_or_else(String::new, |f| f.name.clone());
        SegmentInfo { field, arms }
    }

    fn rules(&mut self) {
        let mut run_start = self.program.steps.len();
        for (cat, category) in self.card.categories.iter().enumerate() {
            let printed = render::category(&category.name, category.max);
            let source = self.source_info(category.span, printed);
            self.program.categories.push(CategoryInfo {
                name: category.name.clone(),
                max: category.max,
                source,
            });
            for rule in &category.rules {
                let index = self.program.rules.len() as u32;
                let (cat, points) = (cat as u32, rule.points);
                let source = self.source_info(rule.span, render::rule(&self.card.schema, rule));
                let (kind, critical) = match &rule.kind {
                    RuleKind::Fit(condition) => {
                        self.flush_behaviours(&mut run_start);
                        let folded = self.fold(condition);
                        let fit = Op::Fit { rule: index, cat, points };
                        self.emit_effect(folded, fit, |test| Op::FitWhen { test, rule: index, cat, points });
                        (RuleKindInfo::Fit, false)
                    }
                    RuleKind::Behaviour(b) => {
                        let unlimited = if points >= 0 { i64::MAX } else { i64::MIN };
                        let limit = if b.per_occurrence { b.cap.unwrap_or(unlimited) } else { 0 };
                        let (behaviour, min, each) = (b.behaviour.0, b.min_count.max(1), b.per_occurrence);
                        let step = BehaviourStep { rule: index, cat, behaviour, min, points, each, limit };
                        if self.card.schema.is_event(b.behaviour) {
                            self.flush_behaviours(&mut run_start);
                            let timed = TimedStep { step, clock: b.clock };
                            self.program.code.push(Op::Timed { index: self.program.timed.len() as u32 });
                            self.program.timed.push(timed);
                        } else {
                            self.program.steps.push(step);
                        }
                        let kind = if each { RuleKindInfo::BehaviourEach } else { RuleKindInfo::Behaviour };
                        (kind, b.critical)
                    }
                };
                self.program.rules.push(RuleInfo { category: cat, kind, critical, points, source });
            }
        }
        self.flush_behaviours(&mut run_start);
    }

    /// Emits one instruction for the behaviour steps added since
    /// `run_start`, if any.
    fn flush_behaviours(&mut self, run_start: &mut usize) {
        let end = self.program.steps.len();
        if end > *run_start {
            let op = Op::Behaviours { start: *run_start as u32, len: (end - *run_start) as u32 };
            self.program.code.push(op);
        }
        *run_start = end;
    }

    fn caps_and_points(&mut self) {
        self.program.code.push(Op::Points { ceiling: self.card.points_ceiling() });
    }

    fn tiers(&mut self) {
        for tier in &self.card.tiers {
            let printed = render::tier(self.card, &tier.name, tier.when.as_ref());
            let source = self.source_info(tier.span, printed);
            self.program.tiers.push(TierInfo { name: tier.name.clone(), source });
        }
        for (index, tier) in self.card.tiers.iter().enumerate() {
            let folded = match &tier.when {
                None => Folded::Const(true),
                Some(c) => fold_with(c, &mut outcome_test),
            };
            let always = matches!(folded, Folded::Const(true));
            if self.emit_guard(folded) {
                self.program.code.push(Op::Tier { tier: index as u32 });
            }
            if always {
                break;
            }
        }
    }

    /// Emits code leaving the condition in the accumulator; false when the
    /// condition never holds and nothing was emitted.
    fn emit_guard(&mut self, folded: Folded) -> bool {
        if matches!(folded, Folded::Const(false)) {
            return false;
        }
        self.emit(folded);
        true
    }

    /// Emits an effect guarded by a condition: fused with the condition
    /// when it is a single field test, else the condition's code then
    /// `plain`. Emits nothing and returns false when the condition never
    /// holds.
    fn emit_effect(&mut self, folded: Folded, plain: Op, fused: impl FnOnce(T) -> Op) -> bool {
        match folded {
            Folded::Const(false) => return false,
            Folded::Leaf(Op::Test(test)) => self.program.code.push(fused(test)),
            other => {
                self.emit(other);
                self.program.code.push(plain);
            }
        }
        true
    }

    fn emit(&mut self, folded: Folded) {
        match folded {
            Folded::Const(b) => self.program.code.push(Op::Test(T::Const(b))),
            Folded::Leaf(op) => self.program.code.push(op),
            Folded::Not(inner) => {
                self.emit(*inner);
                self.program.code.push(Op::Not);
            }
            Folded::All(items) => self.emit_chain(items, |target| Op::JumpIfFalse { target }),
            Folded::Any(items) => self.emit_chain(items, |target| Op::JumpIfTrue { target }),
        }
    }

    /// `a and b and c`: a, jump-if-false end, b, jump-if-false end, c, end.
    fn emit_chain(&mut self, items: Vec<Folded>, jump: fn(u32) -> Op) {
        let count = items.len();
        let mut to_patch = Vec::with_capacity(count);
        for (i, item) in items.into_iter().enumerate() {
            self.emit(item);
            if i + 1 < count {
                to_patch.push(self.program.code.len());
                self.program.code.push(jump(0));
            }
        }
        let end = self.here();
        for at in to_patch {
            if let Some(Op::JumpIfFalse { target } | Op::JumpIfTrue { target }) =
                self.program.code.get_mut(at)
            {
                *target = end;
            }
        }
    }

    fn here(&self) -> u32 {
        self.program.code.len() as u32
    }

    fn fold(&mut self, c: &Condition<FieldTest>) -> Folded {
        fold_with(c, &mut |t: &FieldTest| self.fold_test(t.field, &t.test))
    }

    fn fold_test(&mut self, field: FieldId, test: &Test) -> Folded {
        let f = field.0;
        match test {
            Test::Present => leaf(T::Present { field: f }),
            Test::Missing => leaf(T::Missing { field: f }),
            Test::Bool(value) => leaf(T::Bool { field: f, value: *value }),
            Test::Int(op, k) => match comparison_range(*op, *k) {
                Some((lo, hi, negated)) => int_test(f, lo, hi, negated),
                None => Folded::Const(false),
            },
            Test::IntRange { lo, hi, negated } => int_test(f, *lo, *hi, *negated),
            Test::Number(op, k) => leaf(T::NumCmp { field: f, cmp: Cmp::of(*op), k: *k }),
            Test::NumberRange { lo, hi, negated } => {
                if lo > hi && !negated {
                    return Folded::Const(false);
                }
                leaf(T::NumRange { field: f, negated: *negated, lo: *lo, hi: *hi })
            }
            Test::Text(kind, text) => {
                let text = self.intern(text);
                leaf(match kind {
                    TextTest::Eq => T::TextEq { field: f, negated: false, text },
                    TextTest::Ne => T::TextEq { field: f, negated: true, text },
                    TextTest::Contains => T::Contains { field: f, text },
                    TextTest::StartsWith => T::StartsWith { field: f, text },
                    TextTest::EndsWith => T::EndsWith { field: f, text },
                })
            }
            Test::TextIn { values, negated } => self.text_in(f, values, *negated),
            Test::EnumIn { values, negated } => self.enum_in(field, values, *negated),
        }
    }

    fn text_in(&mut self, field: u32, values: &[String], negated: bool) -> Folded {
        match values {
            [] if !negated => Folded::Const(false),
            [one] => leaf(T::TextEq { field, negated, text: self.intern(one) }),
            _ => {
                let mut sorted: Vec<&String> = values.iter().collect();
                sorted.sort();
                sorted.dedup();
                let set: Box<[u32]> = sorted.into_iter().map(|v| self.intern(v)).collect();
                let sets = &mut self.program.text_sets;
                let index = *self.text_sets.entry(set).or_insert_with_key(|set| {
                    sets.push(set.clone());
                    (sets.len() - 1) as u32
                });
                leaf(T::TextIn { field, negated, set: index })
            }
        }
    }

    fn enum_in(&mut self, field: FieldId, values: &[u32], negated: bool) -> Folded {
        if values.is_empty() && !negated {
            return Folded::Const(false);
        }
        let size = enum_size(&self.card.schema, field);
        let f = field.0;
        if size <= 64 {
            let bits = values.iter().filter(|v| **v < 64).fold(0u64, |bits, v| bits | 1 << v);
            return leaf(T::EnumBits { field: f, negated, bits });
        }
        let mut words = vec![0u64; size.div_ceil(64)];
        for v in values {
            if let Some(word) = words.get_mut(*v as usize / 64) {
                *word |= 1 << (v % 64);
            }
        }
        let words: Box<[u64]> = words.into();
        let sets = &mut self.program.enum_sets;
        let index = *self.enum_sets.entry(words).or_insert_with_key(|words| {
            sets.push(words.clone());
            (sets.len() - 1) as u32
        });
        leaf(T::EnumSet { field: f, negated, set: index })
    }

    fn intern(&mut self, text: &str) -> u32 {
        if let Some(&i) = self.interned.get(text) {
            return i;
        }
        let i = self.program.strings.push(text.into());
        self.interned.insert(text.to_string(), i);
        i
    }
}

fn leaf(t: T) -> Folded {
    Folded::Leaf(Op::Test(t))
}

fn enum_size(schema: &Schema, field: FieldId) -> usize {
    match schema.field(field).map(|f| &f.ty) {
        Some(FieldType::Enum(values)) => values.len(),
        _ => 0,
    }
}

/// Folds a condition bottom-up; `leaf` folds one test.
fn fold_with<T>(c: &Condition<T>, leaf: &mut dyn FnMut(&T) -> Folded) -> Folded {
    match c {
        Condition::Test(t) => leaf(t),
        Condition::Not(inner) => match fold_with(inner, leaf) {
            Folded::Const(b) => Folded::Const(!b),
            Folded::Not(x) => *x,
            x => Folded::Not(Box::new(x)),
        },
        Condition::All(items) => chain(items, leaf, true),
        Condition::Any(items) => chain(items, leaf, false),
    }
}

/// `and` (`all = true`) or `or`: drops neutral constants, stops at an
/// absorbing one.
fn chain<T>(items: &[Condition<T>], leaf: &mut dyn FnMut(&T) -> Folded, all: bool) -> Folded {
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        match fold_with(item, leaf) {
            Folded::Const(b) if b == all => {}
            Folded::Const(_) => return Folded::Const(!all),
            x => kept.push(x),
        }
    }
    match kept.len() {
        0 => Folded::Const(all),
        1 => kept.pop().unwrap_or(Folded::Const(all)),
        _ if all => Folded::All(kept),
        _ => Folded::Any(kept),
    }
}

fn int_test(field: u32, lo: i64, hi: i64, negated: bool) -> Folded {
    if lo > hi && !negated {
        return Folded::Const(false);
    }
    leaf(T::IntRange { field, negated, lo, hi })
}

fn outcome_test(t: &OutcomeTest) -> Folded {
    match t {
        OutcomeTest::Qualified => Folded::Leaf(Op::Qualified),
        OutcomeTest::Compare(value, op, k) => {
            let value = match value {
                OutcomeValue::Points => OutVal::Points,
                OutcomeValue::Score => OutVal::Score,
                OutcomeValue::RequiresMet => OutVal::RequiresMet,
                OutcomeValue::Segment => OutVal::Segment,
                OutcomeValue::Category(i) => OutVal::Category(*i as u32),
            };
            match comparison_range(*op, *k) {
                Some((lo, hi, negated)) if lo <= hi || negated => {
                    Folded::Leaf(Op::OutRange { value, negated, lo, hi })
                }
                _ => Folded::Const(false),
            }
        }
    }
}
