//! Printing one item of the syntax tree in canonical form.
//!
//! In: an [`Item`] and the source it was parsed from (numbers are printed
//! from their token, so that `50_000` keeps its grouping). Out: the item as
//! a [`Printed`] head and tail, split where the layout aligns a column
//! (` : ` before points, ` when ` in a tier, ` => ` in a segment arm).
//! Conditions go through the checker's printer, [`crate::check::render`],
//! so that formatted source and the rule text of explanations agree.

use crate::check::Condition;
use crate::check::render;
use crate::syntax::ast::*;

/// Which column a line aligns with its neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Group {
    /// Not aligned: `schema`, `category`, `lint`, a segment's braces.
    None,
    /// `require ... : points`
    Require,
    /// `fit ... : points` and `behaviour ... : points`
    Rule,
    /// `tier name when ...`
    Tier,
    /// `test => digit "label"` in a segment block
    Arm,
}

impl Group {
    /// What stands between head and tail.
    pub fn separator(self) -> &'static str {
        match self {
            Group::Tier => " when ",
            Group::Arm => " => ",
            _ => " : ",
        }
    }
}

/// An item printed: `head` and, when the item has one, the `tail` after
/// the group's separator.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Printed {
    /// The column the item aligns.
    pub group: Group,
    /// Up to the separator; holds line ends when a list is laid out one
    /// member per line.
    pub head: String,
    /// After the separator.
    pub tail: Option<String>,
}

/// Prints `item` (not a segment: see [`segment_header`] and [`arm`]); with
/// `expand`, every list of two or more members is laid out one per line.
pub(super) fn item(item: &Item, source: &str, expand: bool) -> Printed {
    let p = Printer { source, expand };
    let (group, head, tail) = match item {
        Item::Schema(s) => (Group::None, format!("schema {}", render::quote(&s.path)), None),
        Item::Require(r) => {
            (Group::Require, format!("require {}", p.condition(&r.condition)), Some(p.number(&r.points)))
        }
        Item::Fit(f) => {
            (Group::Rule, format!("fit {}", p.condition(&f.condition)), Some(p.number(&f.points)))
        }
        Item::Behaviour(b) => (Group::Rule, p.behaviour_head(b), Some(p.behaviour_tail(b))),
        Item::Category(c) => (Group::None, p.category(c), None),
        Item::Tier(t) => {
            (Group::Tier, format!("tier {}", t.name.name), t.when.as_ref().map(|w| p.condition(w)))
        }
        Item::Lint(l) => {
            let names: Vec<&str> = l.names.iter().map(|n| n.name.as_str()).collect();
            (Group::None, format!("lint {} {}", level(l.level), names.join(", ")), None)
        }
        Item::Segment(s) => (Group::None, segment_header(s), None),
    };
    Printed { group, head, tail }
}

/// `segment <field> {`
pub(super) fn segment_header(s: &Segment) -> String {
    format!("segment {} {{", s.field.name)
}

/// One arm of a segment block: `50..999` and `2 "medium"`; with
/// `expand`, a list of two or more members one per line.
pub(super) fn arm(a: &SegmentArm, source: &str, expand: bool) -> Printed {
    let p = Printer { source, expand };
    let test = match &a.test {
        // A range arm is written bare, as the docs write it.
        TestOp::InRange { negated: false, lo, hi } => format!("{}..{}", p.number(lo), p.number(hi)),
        op => p.test_op(op),
    };
    let mut tail = p.number(&a.digit);
    if let Some(label) = &a.label {
        tail.push(' ');
        tail.push_str(&render::quote(label));
    }
    Printed { group: Group::Arm, head: test, tail: Some(tail) }
}

fn level(level: LintLevel) -> &'static str {
    match level {
        LintLevel::Allow => "allow",
        LintLevel::Warn => "warn",
        LintLevel::Deny => "deny",
    }
}

struct Printer<'s> {
    source: &'s str,
    expand: bool,
}

impl Printer<'_> {
    fn category(&self, c: &Category) -> String {
        let mut text = format!("category {}", c.name.name);
        if let Some(max) = &c.max {
            text.push_str(" max ");
            text.push_str(&self.number(max));
        }
        self.time(&c.time, &mut text);
        text
    }

    fn behaviour_head(&self, b: &Behaviour) -> String {
        let star = if b.critical { "*" } else { "" };
        let mut head = format!("{star}behaviour {}", b.name.name);
        if let Some(k) = &b.threshold {
            head.push_str(" >= ");
            head.push_str(&self.number(k));
        }
        head
    }

    fn behaviour_tail(&self, b: &Behaviour) -> String {
        let mut tail = self.number(&b.points);
        if let Some(each) = &b.each {
            tail.push_str(" each");
            if let Some(max) = &each.max {
                tail.push_str(" max ");
                tail.push_str(&self.number(max));
            }
        }
        self.time(&b.time, &mut tail);
        tail
    }

    fn time(&self, clauses: &[TimeClause], out: &mut String) {
        for clause in clauses {
            out.push(' ');
            out.push_str(clause.kind.as_str());
            out.push(' ');
            out.push_str(&duration_text(&clause.duration));
        }
    }

    /// A condition, with the parentheses the checker's printer puts: around
    /// an `and` inside an `or` (and the reverse), and around a `not`'s
    /// operand unless it is one test.
    fn condition(&self, e: &Expr) -> String {
        render::condition(&self.tree(e), &|text: &String| text.clone())
    }

    /// `e` as a condition tree with printed tests for leaves, chains of
    /// one operator flattened (`(a and b) and c` is `a and b and c`).
    fn tree(&self, e: &Expr) -> Condition<String> {
        match &e.kind {
            ExprKind::Test(t) => Condition::Test(self.test(t)),
            ExprKind::Not(inner) => Condition::Not(Box::new(self.tree(inner))),
            ExprKind::And(..) => {
                let mut all = Vec::new();
                self.chain(e, true, &mut all);
                Condition::All(all)
            }
            ExprKind::Or(..) => {
                let mut any = Vec::new();
                self.chain(e, false, &mut any);
                Condition::Any(any)
            }
        }
    }

    fn chain(&self, e: &Expr, and: bool, out: &mut Vec<Condition<String>>) {
        match &e.kind {
            ExprKind::And(l, r) if and => {
                self.chain(l, and, out);
                self.chain(r, and, out);
            }
            ExprKind::Or(l, r) if !and => {
                self.chain(l, and, out);
                self.chain(r, and, out);
            }
            _ => out.push(self.tree(e)),
        }
    }

    fn test(&self, t: &Test) -> String {
        match &t.op {
            TestOp::Truthy => t.subject.name.clone(),
            op => format!("{} {}", t.subject.name, self.test_op(op)),
        }
    }

    /// A test without its subject: `>= 18`, `in ["a", "b"]`, `is missing`.
    fn test_op(&self, op: &TestOp) -> String {
        let not_in = |negated: bool| if negated { "not in" } else { "in" };
        match op {
            TestOp::Truthy => String::new(),
            TestOp::Compare(op, lit) => format!("{} {}", op.as_str(), self.literal(lit)),
            TestOp::InList { negated, values, .. } => format!("{} {}", not_in(*negated), self.list(values)),
            TestOp::InRange { negated, lo, hi } => {
                format!("{} {}..{}", not_in(*negated), self.number(lo), self.number(hi))
            }
            TestOp::Text(op, lit) => format!("{} {}", op.as_str(), self.literal(lit)),
            TestOp::Missing => "is missing".to_string(),
            TestOp::Present => "is present".to_string(),
        }
    }

    fn list(&self, values: &[Literal]) -> String {
        let members: Vec<String> = values.iter().map(|v| self.literal(v)).collect();
        if self.expand && members.len() > 1 {
            let mut text = "[\n".to_string();
            for m in members {
                text.push_str("  ");
                text.push_str(&m);
                text.push_str(",\n");
            }
            text.push(']');
            text
        } else {
            format!("[{}]", members.join(", "))
        }
    }

    fn literal(&self, lit: &Literal) -> String {
        match &lit.value {
            LiteralValue::Str(s) => render::quote(s),
            LiteralValue::Bool(b) => b.to_string(),
            LiteralValue::Int(_) | LiteralValue::Number(_) => self.number(lit),
        }
    }

    /// A number as written, normalised: see [`number_text`].
    fn number(&self, lit: &Literal) -> String {
        let token = self.source.get(lit.span.start..lit.span.end).unwrap_or_default();
        match &lit.value {
            LiteralValue::Int(_) | LiteralValue::Number(_) if !token.is_empty() => number_text(token),
            LiteralValue::Int(n) => n.to_string(),
            LiteralValue::Number(x) => format!("{x:?}"),
            LiteralValue::Str(s) => render::quote(s),
            LiteralValue::Bool(b) => b.to_string(),
        }
    }
}

/// A duration token (`030d`, `1_2h`) with its number normalised as
/// [`number_text`] does (`30d`, `12h`); its unit as written.
pub(super) fn duration_text(token: &str) -> String {
    let unit_at = token.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(token.len());
    format!("{}{}", number_text(&token[..unit_at]), &token[unit_at..])
}

/// A number token normalised without changing its value: leading zeros of
/// the whole part and trailing zeros of the fraction dropped (one digit
/// kept), and a whole part written with `_` regrouped in threes
/// (`1_0000` is `10_000`; `10000` stays as it is). Digits after the point
/// lose their `_`.
pub(super) fn number_text(token: &str) -> String {
    let (sign, unsigned) = match token.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", token),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits: String = whole.chars().filter(|c| *c != '_').collect();
    let digits = match digits.trim_start_matches('0') {
        "" => "0",
        d => d,
    };
    let mut out = sign.to_string();
    if whole.contains('_') {
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push('_');
            }
            out.push(c);
        }
    } else {
        out.push_str(digits);
    }
    if let Some(fraction) = fraction {
        let fraction: String = fraction.chars().filter(|c| *c != '_').collect();
        let fraction = match fraction.trim_end_matches('0') {
            "" => "0",
            f => f,
        };
        out.push('.');
        out.push_str(fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{duration_text, number_text};

    #[test]
    fn durations_are_normalised_like_numbers() {
        assert_eq!(duration_text("030d"), "30d");
        assert_eq!(duration_text("1_2h"), "12h");
        assert_eq!(duration_text("1_0000d"), "10_000d");
        assert_eq!(duration_text("2w"), "2w");
    }

    #[test]
    fn numbers_are_normalised_without_changing_their_value() {
        let cases = [
            ("18", "18"),
            ("007", "7"),
            ("0", "0"),
            ("-0", "-0"),
            ("50_000", "50_000"),
            ("5_0000", "50_000"),
            ("1_0", "10"),
            ("1_000_000", "1_000_000"),
            ("10000", "10000"),
            ("2.50", "2.5"),
            ("2.0", "2.0"),
            ("4_999.9_9", "4_999.99"),
            ("-15", "-15"),
            ("0.000", "0.0"),
        ];
        for (token, want) in cases {
            assert_eq!(number_text(token), want, "{token}");
        }
    }
}
