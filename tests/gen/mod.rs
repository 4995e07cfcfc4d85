//! Generators for the differential tests: well-typed random schemas, program
//! SOURCE TEXT for them, and leads.
//!
//! In: proptest's random source. Out: a [`Case`] — a schema, the text of a
//! program that must check against it, and leads laid out by it. Programs
//! use every construct of `docs/language.md`: must-haves, a segment block
//! with overlapping and boundary arms, categories with and without `max`
//! (some empty), negative points, behaviour rules with thresholds and
//! `each [max]` (negative caps included), tiers on every outcome name with
//! and without a catch-all, presence tests, `and`/`or`/`not`, `!=` and
//! `not in` on fields that may be missing, ranges with boundary values.
//!
//! Literals and lead values are drawn from the same small per-type domains
//! (with neighbours of every boundary), so that tests hit both sides of
//! every comparison. A generated program that does not check is a generator
//! bug: `tests/engine/differential.rs` asserts that every one checks.

#![allow(dead_code)]

use leadc::lead::{Lead, Value};
use leadc::schema::{FieldType, Schema};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use std::sync::Arc;

/// The kind of a generated field.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `string`
    Str,
    /// `int`
    Int,
    /// `number`
    Num,
    /// `bool`
    Bool,
    /// `enum` with this many values, named `e0`, `e1`, ...
    Enum(usize),
}

/// A generated schema: fields `f0_<kind>`, ... and behaviours `b0`, ...
#[derive(Debug, Clone)]
pub struct GenSchema {
    /// Field kinds, by field index.
    pub fields: Vec<Kind>,
    /// How many behaviours.
    pub behaviours: usize,
}

impl GenSchema {
    /// The name of field `i`.
    pub fn field_name(&self, i: usize) -> String {
        let kind = match &self.fields[i] {
            Kind::Str => "str",
            Kind::Int => "int",
            Kind::Num => "num",
            Kind::Bool => "bool",
            Kind::Enum(_) => "enum",
        };
        format!("f{i}_{kind}")
    }

    /// The schema value.
    pub fn build(&self) -> Arc<Schema> {
        self.build_with(false)
    }

    /// The schema value, its string fields declared `ignore_case` when
    /// `ignore_case`.
    pub fn build_with(&self, ignore_case: bool) -> Arc<Schema> {
        let mut b = Schema::builder();
        for (i, kind) in self.fields.iter().enumerate() {
            if ignore_case && *kind == Kind::Str {
                b = b.string_ignoring_case(self.field_name(i));
                continue;
            }
            let ty = match kind {
                Kind::Str => FieldType::String,
                Kind::Int => FieldType::Int,
                Kind::Num => FieldType::Number,
                Kind::Bool => FieldType::Bool,
                Kind::Enum(n) => FieldType::Enum((0..*n).map(|v| format!("e{v}")).collect()),
            };
            b = b.field(self.field_name(i), ty);
        }
        for i in 0..self.behaviours {
            b = b.behaviour(format!("b{i}"));
        }
        Arc::new(b.build().expect("generated schema builds"))
    }

    /// The schema as TOML text (for the schema fuzz target's seeds).
    pub fn to_toml(&self) -> String {
        let names: Vec<String> = (0..self.behaviours).map(|i| format!("\"b{i}\"")).collect();
        let mut out = format!("behaviours = [{}]\n\n[fields]\n", names.join(", "));
        for (i, kind) in self.fields.iter().enumerate() {
            let ty = match kind {
                Kind::Str => "\"string\"".to_string(),
                Kind::Int => "\"int\"".to_string(),
                Kind::Num => "\"number\"".to_string(),
                Kind::Bool => "\"bool\"".to_string(),
                Kind::Enum(n) => {
                    let values: Vec<String> = (0..*n).map(|v| format!("\"e{v}\"")).collect();
                    format!("{{ type = \"enum\", values = [{}] }}", values.join(", "))
                }
            };
            out.push_str(&format!("{} = {ty}\n", self.field_name(i)));
        }
        out
    }
}

/// Int literals and lead values: boundaries and their neighbours.
pub const INTS: &[i64] = &[
    i64::MIN,
    i64::MIN + 1,
    -1_000_000,
    -7,
    -1,
    0,
    1,
    2,
    17,
    18,
    19,
    49,
    50,
    51,
    999,
    1000,
    1001,
    i64::MAX - 1,
    i64::MAX,
];
/// Number literals as written, with their values.
pub const NUMS: &[(&str, f64)] = &[
    ("-2.5", -2.5),
    ("0", 0.0),
    ("0.5", 0.5),
    ("1", 1.0),
    ("2.5", 2.5),
    ("10", 10.0),
    ("10.25", 10.25),
    ("50_000", 50_000.0),
];
/// Extra number lead values that no literal equals (between boundaries).
pub const NUM_EXTRA: &[f64] = &[-1e300, 0.25, 2.4999, 10.2500001, 1e300];
/// String literals (program text) and the values they denote.
pub const STRS: &[(&str, &str)] = &[
    ("\"\"", ""),
    ("\"a\"", "a"),
    ("\"ab\"", "ab"),
    ("\"ba\"", "ba"),
    ("\"abc\"", "abc"),
    ("\"A\"", "A"),
    ("\"x@y.edu\"", "x@y.edu"),
    ("\".edu\"", ".edu"),
    ("\"q\\\"t\"", "q\"t"),
    ("\"tab\\t\"", "tab\t"),
    ("\"é\"", "é"),
    // Around eight and sixteen bytes, the words of the evaluator's cells
    // (past sixteen a cell no longer holds the whole string): same first
    // eight or sixteen bytes, different rests.
    ("\"Head of \"", "Head of "),
    ("\"Head of Sales\"", "Head of Sales"),
    ("\"Head of Sale\"", "Head of Sale"),
    ("\"Head of Sales, E\"", "Head of Sales, E"),
    ("\"Head of Sales, EMEA\"", "Head of Sales, EMEA"),
    ("\"Head of Sales, EU\"", "Head of Sales, EU"),
];

fn int_lit() -> impl Strategy<Value = i64> {
    select(INTS)
}

fn int_text(v: i64) -> String {
    if v == 50_000 { "50_000".into() } else { v.to_string() }
}

fn num_lit() -> impl Strategy<Value = &'static str> {
    select(NUMS).prop_map(|(t, _)| t)
}

fn str_lit() -> impl Strategy<Value = &'static str> {
    select(STRS).prop_map(|(t, _)| t)
}

fn enum_lit(n: usize) -> impl Strategy<Value = String> {
    (0..n).prop_map(|v| format!("\"e{v}\""))
}

fn list<S: Strategy<Value = String>>(item: S) -> impl Strategy<Value = String> {
    list_of(item, 4)
}

/// A `[...]` list of 1 to `most - 1` items, sometimes spread over lines
/// (with a trailing comma).
fn list_of<S: Strategy<Value = String>>(item: S, most: usize) -> impl Strategy<Value = String> {
    (vec(item, 1..most), 0u8..4).prop_map(|(items, layout)| match layout {
        0 => format!("[\n    {},\n  ]", items.join(",\n    ")),
        _ => format!("[{}]", items.join(", ")),
    })
}

fn int_range() -> impl Strategy<Value = String> {
    (int_lit(), int_lit()).prop_map(|(a, b)| format!("{}..{}", int_text(a.min(b)), int_text(a.max(b))))
}

fn num_range() -> impl Strategy<Value = String> {
    (select(NUMS), select(NUMS)).prop_map(|(a, b)| {
        let (lo, hi) = if a.1 <= b.1 { (a, b) } else { (b, a) };
        format!("{}..{}", lo.0, hi.0)
    })
}

fn cmp_op() -> impl Strategy<Value = &'static str> {
    select(&["<", "<=", ">", ">=", "=", "==", "!="][..])
}

fn eq_op() -> impl Strategy<Value = &'static str> {
    select(&["=", "==", "!="][..])
}

fn in_op() -> impl Strategy<Value = &'static str> {
    select(&["in", "not in"][..])
}

/// A test of a field, written without the field's name (as in a segment
/// arm, and after the name in a condition). `arm`: for a segment arm, which
/// may be a bare value but not a list of several numbers (the checker
/// refuses those: one arm per value).
fn value_test(kind: &Kind, arm: bool) -> BoxedStrategy<String> {
    let bare = arm;
    let numbers = if arm { 2 } else { 4 };
    let t: BoxedStrategy<String> = match kind {
        Kind::Int => prop_oneof![
            (cmp_op(), int_lit()).prop_map(|(op, v)| format!("{op} {}", int_text(v))),
            (in_op(), int_range()).prop_map(|(op, r)| format!("{op} {r}")),
            (in_op(), list_of(int_lit().prop_map(int_text), numbers)).prop_map(|(op, l)| format!("{op} {l}")),
        ]
        .boxed(),
        Kind::Num => prop_oneof![
            (cmp_op(), num_lit()).prop_map(|(op, v)| format!("{op} {v}")),
            (in_op(), num_range()).prop_map(|(op, r)| format!("{op} {r}")),
            (in_op(), list_of(num_lit().prop_map(String::from), numbers))
                .prop_map(|(op, l)| format!("{op} {l}")),
        ]
        .boxed(),
        Kind::Str => prop_oneof![
            (eq_op(), str_lit()).prop_map(|(op, v)| format!("{op} {v}")),
            (in_op(), list(str_lit().prop_map(String::from))).prop_map(|(op, l)| format!("{op} {l}")),
        ]
        .boxed(),
        Kind::Enum(n) => prop_oneof![
            (eq_op(), enum_lit(*n)).prop_map(|(op, v)| format!("{op} {v}")),
            (in_op(), list(enum_lit(*n))).prop_map(|(op, l)| format!("{op} {l}")),
        ]
        .boxed(),
        Kind::Bool => (eq_op(), any::<bool>()).prop_map(|(op, v)| format!("{op} {v}")).boxed(),
    };
    if !bare {
        return t;
    }
    let value: BoxedStrategy<String> = match kind {
        Kind::Int => int_lit().prop_map(int_text).boxed(),
        Kind::Num => num_lit().prop_map(String::from).boxed(),
        Kind::Str => str_lit().prop_map(String::from).boxed(),
        Kind::Enum(n) => enum_lit(*n).boxed(),
        Kind::Bool => any::<bool>().prop_map(|b| b.to_string()).boxed(),
    };
    prop_oneof![3 => t, 1 => value].boxed()
}

/// One test of field `i` in a condition.
fn field_test(schema: &GenSchema, i: usize) -> BoxedStrategy<String> {
    let name = schema.field_name(i);
    let kind = schema.fields[i].clone();
    let presence = select(&["is missing", "is present"][..]).prop_map(String::from);
    let mut options: Vec<BoxedStrategy<String>> =
        vec![presence.boxed(), value_test(&kind, false), value_test(&kind, false)];
    match kind {
        Kind::Str => options.push(
            (select(&["contains", "starts_with", "ends_with"][..]), str_lit())
                .prop_map(|(op, v)| format!("{op} {v}"))
                .boxed(),
        ),
        Kind::Bool => options.push(Just(String::new()).boxed()),
        _ => {}
    }
    proptest::strategy::Union::new(options)
        .prop_map(move |t| if t.is_empty() { name.clone() } else { format!("{name} {t}") })
        .boxed()
}

/// A condition on the lead's fields: tests combined with and/or/not.
pub fn condition(schema: &GenSchema) -> BoxedStrategy<String> {
    let schema = schema.clone();
    let n = schema.fields.len();
    let leaf = (0..n).prop_flat_map(move |i| field_test(&schema, i));
    combine(leaf.boxed())
}

/// Combines leaf tests with `not`, `and`, `or` and parentheses.
fn combine(leaf: BoxedStrategy<String>) -> BoxedStrategy<String> {
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| format!("not {c}")),
            inner.clone().prop_map(|c| format!("not ({c})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} and {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} or {b}")),
        ]
    })
    .boxed()
}

/// A condition on the outcome, for a tier.
fn tier_condition(categories: Vec<String>) -> BoxedStrategy<String> {
    let mut names: Vec<&'static str> = vec!["points", "score", "requires_met", "segment"];
    names.extend(["points", "points"]);
    let named = (select(names), cmp_op(), select(&[0i64, 1, 2, 3, 10, 25, 30, 60, 99, 100, 1000, 2100][..]))
        .prop_map(|(n, op, k)| format!("{n} {op} {k}"))
        .boxed();
    let mut leaves: Vec<BoxedStrategy<String>> = vec![
        named.clone(),
        named,
        select(&["qualified", "qualified = false", "qualified = true", "qualified != true"][..])
            .prop_map(String::from)
            .boxed(),
    ];
    if !categories.is_empty() {
        let category = (select(categories), cmp_op(), select(&[-20i64, 0, 5, 10, 25][..]))
            .prop_map(|(c, op, k)| format!("{c} {op} {k}"));
        leaves.push(category.boxed());
    }
    combine(proptest::strategy::Union::new(leaves).boxed())
}

/// A `require` line.
fn require(schema: &GenSchema) -> BoxedStrategy<String> {
    (condition(schema), select(&[100i64, 100, 100, 0, 50, -100][..]))
        .prop_map(|(c, p)| format!("require {c} : {p}"))
        .boxed()
}

/// A segment block on a non-bool field, if there is one.
fn segment(schema: &GenSchema) -> BoxedStrategy<Option<String>> {
    let candidates: Vec<usize> =
        (0..schema.fields.len()).filter(|i| schema.fields[*i] != Kind::Bool).collect();
    if candidates.is_empty() {
        return Just(None).boxed();
    }
    let schema = schema.clone();
    select(candidates)
        .prop_flat_map(move |i| {
            let name = schema.field_name(i);
            let arm = (
                value_test(&schema.fields[i], true),
                1u8..=9,
                proptest::option::of(select(&["small", "x y"][..])),
            );
            vec(arm, 1..5).prop_map(move |arms| {
                let body: Vec<String> = arms
                    .iter()
                    .map(|(t, d, l)| match l {
                        Some(l) => format!("  {t} => {d} \"{l}\""),
                        None => format!("  {t} => {d}"),
                    })
                    .collect();
                Some(format!("segment {name} {{\n{}\n}}", body.join("\n")))
            })
        })
        .boxed()
}

/// A `fit` or `behaviour` rule.
fn rule(schema: &GenSchema) -> BoxedStrategy<String> {
    let points = select(&[-1_000_000i64, -25, -20, -5, -1, 0, 1, 2, 5, 8, 10, 20, 30, 1_000_000][..]);
    let fit = (condition(schema), points.clone()).prop_map(|(c, p)| format!("fit {c} : {p}"));
    let behaviours = schema.behaviours;
    let behaviour = (
        any::<bool>(),
        select(&["behaviour", "behavior"][..]),
        0..behaviours,
        proptest::option::of(select(&[1u32, 2, 3, 5][..])),
        points,
        0u8..3,
        select(&[1i64, 3, 5, 15, 40][..]),
    )
        .prop_map(|(star, kw, b, k, n, each, cap)| {
            let star = if star { "*" } else { "" };
            let threshold = k.map(|k| format!(" >= {k}")).unwrap_or_default();
            // The checker takes a negative cap for 0 points (and refuses a positive one).
            let sign = if n > 0 { 1 } else { -1 };
            let each = match each {
                0 => String::new(),
                1 => " each".into(),
                _ => format!(" each max {}", sign * cap),
            };
            format!("{star}{kw} b{b}{threshold} : {n}{each}")
        });
    let comment = proptest::option::of(Just("   # a comment"));
    (prop_oneof![fit, behaviour], comment).prop_map(|(r, c)| format!("{r}{}", c.unwrap_or_default())).boxed()
}

/// The text of a whole program for `schema`.
pub fn program(schema: &GenSchema) -> BoxedStrategy<String> {
    program_with(schema, 0..5)
}

/// The text of a whole program for `schema` with a number of categories in
/// `categories`.
pub fn program_with(schema: &GenSchema, categories: std::ops::Range<usize>) -> BoxedStrategy<String> {
    let categories =
        vec((proptest::option::of(select(&[0i64, 5, 10, 25, 40][..])), vec(rule(schema), 0..5)), categories);
    (vec(require(schema), 0..4), proptest::option::of(segment(schema)), categories)
        .prop_flat_map(|(requires, segment, categories)| {
            let names: Vec<String> = (0..categories.len()).map(|i| format!("c{i}")).collect();
            let tiers = (vec(tier_condition(names), 0..4), any::<bool>());
            (Just(requires), Just(segment.flatten()), Just(categories), tiers)
        })
        .prop_map(|(requires, segment, categories, (tiers, catch_all))| {
            let mut out = String::from("# generated\n");
            for r in requires {
                out.push_str(&r);
                out.push('\n');
            }
            if let Some(s) = segment {
                out.push_str(&s);
                out.push('\n');
            }
            for (i, (max, rules)) in categories.iter().enumerate() {
                match max {
                    Some(m) => out.push_str(&format!("\ncategory c{i} max {m}\n")),
                    None => out.push_str(&format!("\ncategory c{i}\n")),
                }
                for r in rules {
                    out.push_str(r);
                    out.push('\n');
                }
            }
            out.push('\n');
            for (i, t) in tiers.iter().enumerate() {
                out.push_str(&format!("tier t{i} when {t}\n"));
            }
            if catch_all {
                out.push_str("tier rest\n");
            }
            out
        })
        .boxed()
}

/// A field kind.
fn kind() -> impl Strategy<Value = Kind> {
    // Enums of more than 64 values take another path in the VM (a bit set
    // of several words rather than one).
    prop_oneof![
        4 => Just(Kind::Str),
        4 => Just(Kind::Int),
        4 => Just(Kind::Num),
        4 => Just(Kind::Bool),
        4 => (2usize..6).prop_map(Kind::Enum),
        1 => (64usize..131).prop_map(Kind::Enum),
    ]
}

/// A schema with 1 to 5 fields and 1 to 4 behaviours.
pub fn schema() -> impl Strategy<Value = GenSchema> {
    (vec(kind(), 1..6), 1usize..5).prop_map(|(fields, behaviours)| GenSchema { fields, behaviours })
}

/// One generated lead: a value (or none) per field, a count per behaviour.
#[derive(Debug, Clone)]
pub struct GenLead {
    /// Per field, its value.
    pub values: Vec<Value>,
    /// Per behaviour, its count.
    pub counts: Vec<u32>,
}

impl GenLead {
    /// The lead laid out by `schema`.
    pub fn build(&self, schema: &Schema) -> Lead {
        let mut lead = Lead::new(schema);
        for (i, v) in self.values.iter().enumerate() {
            lead.set(leadc::schema::FieldId(i as u32), v.clone());
        }
        for (i, c) in self.counts.iter().enumerate() {
            lead.set_count(leadc::schema::BehaviourId(i as u32), *c);
        }
        lead
    }
}

fn value(kind: &Kind) -> BoxedStrategy<Value> {
    let present: BoxedStrategy<Value> = match kind {
        Kind::Int => select(INTS).prop_map(Value::Int).boxed(),
        Kind::Num => prop_oneof![
            select(NUMS).prop_map(|(_, v)| Value::Number(v)),
            select(NUM_EXTRA).prop_map(Value::Number),
        ]
        .boxed(),
        Kind::Str => prop_oneof![
            select(STRS).prop_map(|(_, v)| Value::Text(v.to_string())),
            select(
                &[
                    "abcd",
                    "xab",
                    "y.edu",
                    "B",
                    "Head of",
                    "Head of S",
                    "Head of Sales!",
                    "Head of Sales, EMEX"
                ][..]
            )
            .prop_map(|v| Value::Text(v.to_string())),
        ]
        .boxed(),
        Kind::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Kind::Enum(n) => (0..*n as u32).prop_map(Value::Enum).boxed(),
    };
    // Rarely, a value that does not fit the field (set through `Lead::set`,
    // which does not check): an out-of-range enum index, or another type.
    let misfit = match kind {
        Kind::Enum(n) => prop_oneof![Just(Value::Enum(*n as u32)), Just(Value::Enum(u32::MAX))].boxed(),
        Kind::Int => Just(Value::Number(18.0)).boxed(),
        _ => Just(Value::Int(1)).boxed(),
    };
    prop_oneof![10 => Just(Value::Missing), 30 => present, 1 => misfit].boxed()
}

/// Whether a value fits a field of type `ty` (a batch's columns are
/// typed; `Lead::set` also takes values of other types).
pub fn fits(value: &Value, ty: &FieldType) -> bool {
    match (value, ty) {
        (Value::Missing, _)
        | (Value::Text(_), FieldType::String)
        | (Value::Int(_), FieldType::Int)
        | (Value::Number(_), FieldType::Number)
        | (Value::Bool(_), FieldType::Bool) => true,
        (Value::Enum(i), FieldType::Enum(values)) => (*i as usize) < values.len(),
        _ => false,
    }
}

/// Leads for `schema`: values from the literal domains, counts 0, 1, k-1,
/// k, k+1 for every threshold used, and large.
pub fn lead(schema: &GenSchema) -> BoxedStrategy<GenLead> {
    let values: Vec<BoxedStrategy<Value>> = schema.fields.iter().map(value).collect();
    let count = select(&[0u32, 0, 1, 1, 2, 3, 4, 5, 6, 14, 15, 16, 1000, u32::MAX][..]);
    (values, vec(count, schema.behaviours)).prop_map(|(values, counts)| GenLead { values, counts }).boxed()
}

/// A schema, a program for it, and leads for it.
#[derive(Debug, Clone)]
pub struct Case {
    /// The schema.
    pub schema: GenSchema,
    /// The program's source text.
    pub source: String,
    /// The leads.
    pub leads: Vec<GenLead>,
}

/// A whole case with `leads` leads.
pub fn case(leads: usize) -> impl Strategy<Value = Case> {
    case_with(leads, 0..5)
}

/// [`case`] with a number of categories in `categories`.
pub fn case_with(leads: usize, categories: std::ops::Range<usize>) -> impl Strategy<Value = Case> {
    schema().prop_flat_map(move |schema| {
        (program_with(&schema, categories.clone()), vec(lead(&schema), leads.min(1)..=leads), Just(schema))
            .prop_map(|(source, leads, schema)| Case { schema, source, leads })
    })
}
