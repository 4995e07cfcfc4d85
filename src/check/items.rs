//! The program's items, one function per kind of line.
//!
//! In: the AST's items in source order. Out: the parts of a [`Scorecard`]
//! (must-haves, segment, categories with their rules, tiers, lint settings),
//! with errors recorded for what does not fit together: duplicates, a rule
//! before any category, a tier after a catch-all. Tiers are checked after
//! every category is known, since their conditions may name any category.
//!
//! [`Scorecard`]: super::Scorecard

use super::Checker;
use super::condition::single;
use super::error::{CheckError, did_you_mean, list_names};
use super::scorecard::{
    BehaviourRule, Category, Clock, Decay, LintSetting, Requirement, Rule, RuleKind, Segment, SegmentArm,
    Tier,
};
use super::tier::OUTCOME_NAMES;
use crate::diag::codes;
use crate::diag::span::Span;
use crate::syntax::ast::{self, Ast, Item};
use std::collections::HashMap;

/// The checked parts of a program, assembled into a scorecard by the caller.
#[derive(Default)]
pub(super) struct Parts {
    pub requires: Vec<Requirement>,
    pub segment: Option<Segment>,
    pub categories: Vec<Category>,
    pub tiers: Vec<Tier>,
    pub lint_directives: Vec<LintSetting>,
}

/// What the walk over the items remembers between lines.
#[derive(Default)]
struct Walk<'t> {
    parts: Parts,
    /// The category the next rule belongs to.
    current: Option<usize>,
    /// The time clauses of the current category's header, the default of
    /// its rules on event behaviours.
    category_clock: Clock,
    /// Category name → its index and header span.
    category_index: HashMap<String, (usize, Span)>,
    schema_line: Option<Span>,
    segment_block: Option<Span>,
    tiers: Vec<&'t ast::Tier>,
}

impl Checker<'_> {
    /// Checks every item of the program.
    pub(super) fn program(&mut self, ast: &Ast) -> Parts {
        let mut walk = Walk::default();
        for item in &ast.items {
            match item {
                Item::Schema(s) => self.schema_line(&mut walk, s),
                Item::Require(r) => self.require(&mut walk, r),
                Item::Segment(s) => self.segment(&mut walk, s),
                Item::Category(c) => self.category(&mut walk, c),
                Item::Fit(f) => self.fit(&mut walk, f),
                Item::Behaviour(b) => self.behaviour(&mut walk, b),
                Item::Tier(t) => walk.tiers.push(t),
                Item::Lint(l) => lint(&mut walk, l),
            }
        }
        self.tiers(&mut walk);
        walk.parts
    }

    fn schema_line(&mut self, walk: &mut Walk, decl: &ast::SchemaDecl) {
        match walk.schema_line {
            None => walk.schema_line = Some(decl.span),
            Some(first) => self.errors.push(
                CheckError::new(
                    codes::DUPLICATE_SCHEMA,
                    "the program names its schema twice",
                    decl.span,
                    "second `schema` line",
                )
                .with_secondary(first, "the schema is first named here")
                .with_help("a program is checked against one schema; remove one of the lines"),
            ),
        }
    }

    fn require(&mut self, walk: &mut Walk, require: &ast::Require) {
        let condition = self.field_condition(&require.condition);
        let points = self.points(&require.points, "a must-have's points");
        if let (Some(condition), Some(points)) = (condition, points) {
            walk.parts.requires.push(Requirement { condition, points, span: require.span });
        }
    }

    fn segment(&mut self, walk: &mut Walk, segment: &ast::Segment) {
        if let Some(first) = walk.segment_block {
            self.errors.push(
                CheckError::new(
                    codes::DUPLICATE_SEGMENT,
                    "the program has more than one `segment` block",
                    segment.span,
                    "second segment block",
                )
                .with_secondary(first, "the first segment block")
                .with_help("the segment gives one digit; merge the arms into one block"),
            );
        }
        let schema = self.schema;
        let Some(field_id) = schema.field_id(&segment.field.name) else {
            self.errors.push(self.unknown_field(&segment.field));
            return;
        };
        let Some(field) = schema.field(field_id) else { return };
        let arms: Vec<Option<SegmentArm>> =
            segment.arms.iter().map(|arm| self.segment_arm(field, arm)).collect();
        let arms: Option<Vec<SegmentArm>> = arms.into_iter().collect();
        if let (Some(arms), None) = (arms, walk.segment_block) {
            walk.parts.segment = Some(Segment { field: field_id, arms, span: segment.span });
        }
        walk.segment_block.get_or_insert(segment.span);
    }

    fn segment_arm(&mut self, field: &crate::schema::Field, arm: &ast::SegmentArm) -> Option<SegmentArm> {
        let test = self.typed_test(field, &arm.test, arm.test_span);
        let digit = self.segment_digit(&arm.digit);
        let test = match single(test?) {
            Ok(test) => test,
            Err(_) => {
                return self.error(
                    CheckError::new(
                        codes::UNSUPPORTED_TEST,
                        format!(
                            "a segment arm cannot test the numeric field `{}` against a list",
                            field.name
                        ),
                        arm.test_span,
                        "a list of numbers",
                    )
                    .with_help("use a range such as `10..99`, or one arm per value"),
                );
            }
        };
        Some(SegmentArm { test, digit: digit?, label: arm.label.clone(), span: arm.span })
    }

    fn category(&mut self, walk: &mut Walk, category: &ast::Category) {
        let name = &category.name.name;
        if OUTCOME_NAMES.contains(&name.as_str()) {
            self.errors.push(
                CheckError::new(
                    codes::RESERVED_CATEGORY,
                    format!("a category cannot be named `{name}`"),
                    category.name.span,
                    "reserved for tier conditions",
                )
                .with_help(format!(
                    "tier conditions use {} for the outcome; rename the category, e.g. `{name}_fit`",
                    list_names(OUTCOME_NAMES.iter().copied(), 8)
                )),
            );
        }
        let max = category.max.as_ref().map(|lit| self.category_max(lit, name));
        walk.category_clock = super::time_clause::clock(self.schema, None, &category.time, &mut self.errors)
            .unwrap_or_default();
        if let Some(&(index, first)) = walk.category_index.get(name) {
            self.errors.push(
                CheckError::new(
                    codes::DUPLICATE_CATEGORY,
                    format!("the category `{name}` is declared twice"),
                    category.name.span,
                    "declared again here",
                )
                .with_secondary(first, "first declared here")
                .with_help(format!("move the rules under the first `category {name}` and remove this line")),
            );
            walk.current = Some(index);
            return;
        }
        let index = walk.parts.categories.len();
        walk.category_index.insert(name.clone(), (index, category.span));
        walk.parts.categories.push(Category {
            name: name.clone(),
            max: max.flatten(),
            rules: Vec::new(),
            span: category.span,
        });
        walk.current = Some(index);
    }

    fn fit(&mut self, walk: &mut Walk, fit: &ast::Fit) {
        let home = self.rule_home(walk, fit.span);
        let condition = self.field_condition(&fit.condition);
        let points = self.points(&fit.points, "points");
        if let (Some(condition), Some(points)) = (condition, points) {
            let rule = Rule { kind: RuleKind::Fit(condition), points, span: fit.span };
            add_rule(walk, home, rule);
        }
    }

    fn behaviour(&mut self, walk: &mut Walk, rule: &ast::Behaviour) {
        let home = self.rule_home(walk, rule.span);
        let behaviour = self.schema.behaviour_id(&rule.name.name);
        if behaviour.is_none() {
            self.errors.push(self.unknown_behaviour(&rule.name));
        }
        let min_count = match &rule.threshold {
            Some(lit) => self.threshold(lit, &rule.name.name),
            None => Some(1),
        };
        let points = self.points(&rule.points, "points");
        let cap = match rule.each.as_ref().and_then(|e| e.max.as_ref()) {
            Some(lit) => self.cap(lit, points).map(Some),
            None => Some(None),
        };
        let named = behaviour.map(|id| (id, rule.name.name.as_str()));
        let clock =
            super::time_clause::clock(self.schema, named, &rule.time, &mut self.errors).map(|mut clock| {
                if behaviour.is_some_and(|b| self.schema.is_event(b)) {
                    clock.window = clock.window.or(walk.category_clock.window);
                    if clock.decay == Decay::None {
                        clock.decay = walk.category_clock.decay;
                    }
                }
                clock
            });
        if let (Some(behaviour), Some(min_count), Some(points), Some(cap), Some(clock)) =
            (behaviour, min_count, points, cap, clock)
        {
            let kind = RuleKind::Behaviour(BehaviourRule {
                behaviour,
                critical: rule.critical,
                min_count,
                per_occurrence: rule.each.is_some(),
                cap,
                clock,
            });
            add_rule(walk, home, Rule { kind, points, span: rule.span });
        }
    }

    /// The category a rule on `span` belongs to, or an error: there is none.
    fn rule_home(&mut self, walk: &Walk, span: Span) -> Option<usize> {
        if walk.current.is_none() {
            self.errors.push(
                CheckError::new(
                    codes::RULE_OUTSIDE_CATEGORY,
                    "this rule belongs to no category",
                    span,
                    "no `category` line above it",
                )
                .with_help("every rule counts towards a budget: add a line such as `category good_fit max 25` above it"),
            );
        }
        walk.current
    }

    fn unknown_behaviour(&self, name: &ast::Ident) -> CheckError {
        let behaviours = self.schema.behaviours();
        let help = if self.schema.field_id(&name.name).is_some() {
            Some(format!(
                "`{0}` is a field, not a behaviour; test it with a fit rule: `fit {0} ... : 5`",
                name.name
            ))
        } else {
            did_you_mean(&name.name, behaviours.iter().map(String::as_str)).or_else(|| {
                Some(format!("the behaviours are {}", list_names(behaviours.iter().map(String::as_str), 12)))
            })
        };
        CheckError::new(
            codes::UNKNOWN_BEHAVIOUR,
            format!("unknown behaviour `{}`", name.name),
            name.span,
            "expected a behaviour of the schema",
        )
        .with_help_opt(help)
    }

    /// Checks the tiers, once every category is known.
    fn tiers(&mut self, walk: &mut Walk) {
        let names: Vec<String> = walk.parts.categories.iter().map(|c| c.name.clone()).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut catch_all: Option<Span> = None;
        for tier in std::mem::take(&mut walk.tiers) {
            let name = tier.name.name.as_str();
            if let Some(&first) = seen.get(name) {
                self.errors.push(
                    CheckError::new(
                        codes::DUPLICATE_TIER,
                        format!("the tier `{name}` is declared twice"),
                        tier.name.span,
                        "declared again here",
                    )
                    .with_secondary(first, "first declared here")
                    .with_help("a lead gets the first tier that matches; give each tier its own name"),
                );
            } else {
                seen.insert(name, tier.name.span);
            }
            if let Some(all) = catch_all {
                self.errors.push(
                    CheckError::new(
                        codes::UNREACHABLE_TIER,
                        format!("the tier `{name}` can never be reached"),
                        tier.span,
                        "unreachable tier",
                    )
                    .with_secondary(all, "this tier has no `when`, so it takes every lead that gets here")
                    .with_help("move the tier without `when` to the end"),
                );
            }
            let when = match &tier.when {
                Some(expr) => match self.tier_condition(expr, &names) {
                    Some(c) => Some(c),
                    None => continue,
                },
                None => {
                    catch_all.get_or_insert(tier.span);
                    None
                }
            };
            walk.parts.tiers.push(Tier { name: name.to_string(), when, span: tier.span });
        }
    }
}

/// Adds a checked rule to its category.
fn add_rule(walk: &mut Walk, home: Option<usize>, rule: Rule) {
    if let Some(category) = home.and_then(|i| walk.parts.categories.get_mut(i)) {
        category.rules.push(rule);
    }
}

fn lint(walk: &mut Walk, directive: &ast::LintDirective) {
    for name in &directive.names {
        walk.parts.lint_directives.push(LintSetting {
            name: name.name.clone(),
            level: directive.level,
            span: name.span,
        });
    }
}
