//! The abstract syntax tree of a `.lead` program.
//!
//! In: nothing — these are plain data types built by [`crate::syntax::parse()`].
//! Out: an owned tree in which every node carries the [`Span`] of the source
//! text it was parsed from, so later passes can point at it. No name is
//! resolved here: a field or behaviour is just an [`Ident`] until the checker
//! looks it up in the schema.

use crate::diag::span::Span;

/// A whole program: its items in source order.
#[derive(Debug, Clone, PartialEq)]
pub struct Ast {
    /// Every item of the program, in the order it was written.
    pub items: Vec<Item>,
}

/// A name written in the program: a field, behaviour, category or tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// The name as written.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// One top-level line (or block) of a program.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `schema "saas.schema.toml"`
    Schema(SchemaDecl),
    /// `require age >= 18 : 100`
    Require(Require),
    /// `segment employees { < 50 => 1 "small" ... }`
    Segment(Segment),
    /// `category interest max 25`
    Category(Category),
    /// `fit title = "C-level" : 15`
    Fit(Fit),
    /// `*behaviour demo_request : 20`
    Behaviour(Behaviour),
    /// `tier sales_ready when qualified and points >= 60`
    Tier(Tier),
    /// `lint allow too-few-rules`
    Lint(LintDirective),
}

impl Item {
    /// The span of the whole item.
    pub fn span(&self) -> Span {
        match self {
            Item::Schema(i) => i.span,
            Item::Require(i) => i.span,
            Item::Segment(i) => i.span,
            Item::Category(i) => i.span,
            Item::Fit(i) => i.span,
            Item::Behaviour(i) => i.span,
            Item::Tier(i) => i.span,
            Item::Lint(i) => i.span,
        }
    }
}

/// `schema "saas.schema.toml"`: the schema file, relative to the program file.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaDecl {
    /// The path as written (escapes resolved).
    pub path: String,
    /// Span of the path string literal.
    pub path_span: Span,
    /// Span of the whole line.
    pub span: Span,
}

/// `require region in ["NA-West", "NA-East"] : 100`: a must-have.
#[derive(Debug, Clone, PartialEq)]
pub struct Require {
    /// The condition that must hold.
    pub condition: Expr,
    /// The block of points it is worth (100 in the digit layout).
    pub points: Literal,
    /// Span of the whole line.
    pub span: Span,
}

/// `segment employees { < 50 => 1 "small" ... }`: the thousands digit.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The field the arms test.
    pub field: Ident,
    /// The arms, tried in order; the first that holds gives the digit.
    pub arms: Vec<SegmentArm>,
    /// Span of the whole block.
    pub span: Span,
}

/// `50..999 => 2 "medium"`: one arm of a segment block.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentArm {
    /// The test on the segment's field, written without the field name.
    pub test: TestOp,
    /// Span of the test.
    pub test_span: Span,
    /// The digit, 1 to 9.
    pub digit: Literal,
    /// An optional label such as `"medium"`.
    pub label: Option<String>,
    /// Span of the whole arm.
    pub span: Span,
}

/// `category good_fit max 25`, or `category penalties` without a cap.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// The category's name.
    pub name: Ident,
    /// Its cap, if any.
    pub max: Option<Literal>,
    /// Default time clauses for its rules on event behaviours
    /// (`category interest max 25 decay half_life 30d`).
    pub time: Vec<TimeClause>,
    /// Span of the whole line.
    pub span: Span,
}

/// `fit title = "C-level" : 15`: a trait rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The condition on the lead's fields.
    pub condition: Expr,
    /// Points when it holds (negative for negative traits).
    pub points: Literal,
    /// Span of the whole line.
    pub span: Span,
}

/// `*behaviour demo_request : 20`, `behaviour web_visit : 1 each max 10`,
/// `behaviour webinar_attended >= 2 : 10`.
#[derive(Debug, Clone, PartialEq)]
pub struct Behaviour {
    /// Whether the rule is starred as a critical conversion behaviour.
    pub critical: bool,
    /// The behaviour counted.
    pub name: Ident,
    /// `>= k`: the count at which the rule starts to fire (1 when absent).
    pub threshold: Option<Literal>,
    /// Points once, or per occurrence with `each`.
    pub points: Literal,
    /// `each` or `each max c`.
    pub each: Option<Each>,
    /// `within 30d`, `decay half_life 7d`, ... in the order written.
    pub time: Vec<TimeClause>,
    /// Span of the whole line.
    pub span: Span,
}

/// A time clause of a behaviour rule: `within 30d`, `decay half_life 7d`,
/// `decay linear 90d`, `expire 60d`.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeClause {
    /// Which clause.
    pub kind: TimeKind,
    /// The duration as written (`30d`, `-2w`, `1_000h`).
    pub duration: String,
    /// Span of the duration.
    pub duration_span: Span,
    /// Span of the whole clause.
    pub span: Span,
}

/// Which time clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeKind {
    /// `within d`: only events in `(as_of - d, as_of]` count.
    Within,
    /// `decay half_life d`: an event's points halve every `d`.
    HalfLife,
    /// `decay linear d`: an event's points fall linearly to 0 at age `d`.
    Linear,
    /// `expire d`: an event older than `d` gives no points.
    Expire,
}

impl TimeKind {
    /// The clause's keywords as written.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeKind::Within => "within",
            TimeKind::HalfLife => "decay half_life",
            TimeKind::Linear => "decay linear",
            TimeKind::Expire => "expire",
        }
    }
}

/// `each max 10`: per-occurrence points with an optional cap.
#[derive(Debug, Clone, PartialEq)]
pub struct Each {
    /// The cap on the rule's total, if any.
    pub max: Option<Literal>,
    /// Span of `each ...`.
    pub span: Span,
}

/// `tier nurture when points >= 30`, or a final `tier cold`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    /// The tier's name.
    pub name: Ident,
    /// The condition; `None` means the tier always matches.
    pub when: Option<Expr>,
    /// Span of the whole line.
    pub span: Span,
}

/// `lint allow too-few-rules, dominant-rule`: lint levels for this program.
#[derive(Debug, Clone, PartialEq)]
pub struct LintDirective {
    /// The level to set.
    pub level: LintLevel,
    /// The lints it applies to.
    pub names: Vec<Ident>,
    /// Span of the whole line.
    pub span: Span,
}

/// A lint level written in a `lint` directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LintLevel {
    /// `allow`: do not report.
    Allow,
    /// `warn`: report, do not fail.
    Warn,
    /// `deny`: report as an error.
    Deny,
}

/// A condition with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What the condition is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The shapes a condition can take.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `a and b`
    And(Box<Expr>, Box<Expr>),
    /// `a or b`
    Or(Box<Expr>, Box<Expr>),
    /// `not a`
    Not(Box<Expr>),
    /// `title = "VP"`, `is_b2b`, `age is missing`, ...
    Test(Test),
}

/// A test of one subject: `title = "VP"`, `employees in 100..4999`.
#[derive(Debug, Clone, PartialEq)]
pub struct Test {
    /// The field (or, in a tier, the outcome value) tested.
    pub subject: Ident,
    /// What is tested of it.
    pub op: TestOp,
}

/// What a test checks of its subject.
#[derive(Debug, Clone, PartialEq)]
pub enum TestOp {
    /// A bare boolean subject: `is_b2b`, `qualified`.
    Truthy,
    /// `= "US"`, `>= 18`, ...
    Compare(CmpOp, Literal),
    /// `in ["a", "b"]` or `not in ["a", "b"]`.
    InList {
        /// `not in`
        negated: bool,
        /// The members.
        values: Vec<Literal>,
        /// Span of the `[...]` list.
        span: Span,
    },
    /// `in 100..4999` or `not in 100..4999` (both ends included).
    InRange {
        /// `not in`
        negated: bool,
        /// Lower end.
        lo: Literal,
        /// Upper end.
        hi: Literal,
    },
    /// `contains "x"`, `starts_with "x"`, `ends_with "x"`.
    Text(TextOp, Literal),
    /// `is missing`
    Missing,
    /// `is present`
    Present,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `=` (also written `==`)
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// The operator as users write it.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// A string operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextOp {
    /// `contains`
    Contains,
    /// `starts_with`
    StartsWith,
    /// `ends_with`
    EndsWith,
}

impl TextOp {
    /// The operator as users write it.
    pub fn as_str(self) -> &'static str {
        match self {
            TextOp::Contains => "contains",
            TextOp::StartsWith => "starts_with",
            TextOp::EndsWith => "ends_with",
        }
    }
}

/// A literal value with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Literal {
    /// The value.
    pub value: LiteralValue,
    /// Where it was written.
    pub span: Span,
}

/// The value of a literal.
#[derive(Debug, Clone, PartialEq)]
pub enum LiteralValue {
    /// `"NA-West"` (escapes resolved)
    Str(String),
    /// `18`, `-15`, `50_000`
    Int(i64),
    /// `2.5`
    Number(f64),
    /// `true`, `false`
    Bool(bool),
}

impl LiteralValue {
    /// What kind of literal this is, in the words used by error messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            LiteralValue::Str(_) => "a string",
            LiteralValue::Int(_) => "an integer",
            LiteralValue::Number(_) => "a decimal number",
            LiteralValue::Bool(_) => "a boolean",
        }
    }
}
