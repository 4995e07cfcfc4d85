//! Parsing: source text to [`Ast`].
//!
//! In: the text of a `.lead` file. Out: an [`Ast`] with spans, or every
//! syntax error found. The grammar is `grammar/lead.pest`; pest's `Pair`s are
//! turned into owned AST nodes here and no pest type leaves this module.
//!
//! The parser works item by item: after a syntax error it skips to the next
//! line (or past a broken `segment` block) and goes on, so one typo does not
//! hide the problems below it.

use super::ast::*;
use super::error::ParseError;
use super::scan::{check_nesting, code_len, starts_item};
use crate::diag::span::Span;
use pest::Parser as _;
use pest::iterators::Pair;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/lead.pest"]
pub(super) struct LeadParser;

type Node<'a> = Pair<'a, Rule>;

/// The deepest nesting of parentheses, brackets and chained `not`s
/// accepted, so that hostile input cannot exhaust the stack.
pub const MAX_NESTING: usize = 64;

/// Parses a whole program.
///
/// ```
/// let ast = leadc::syntax::parse("category fit max 50\nfit is_b2b : 10\n").unwrap();
/// assert_eq!(ast.items.len(), 2);
/// ```
pub fn parse(source: &str) -> Result<Ast, Vec<ParseError>> {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let mut pos = 0;
    while pos < source.len() {
        let rest = &source[pos..];
        if let Some(e) = check_nesting(rest, pos) {
            errors.push(e);
            pos = next_line(source, pos);
            continue;
        }
        match LeadParser::parse(Rule::item, rest) {
            Ok(mut pairs) => {
                let Some(item) = pairs.next() else { break };
                let consumed = item.as_span().end();
                let mut builder = Builder { offset: pos, errors: &mut errors };
                if let Some(inner) = item.into_inner().next()
                    && let Some(node) = builder.item(inner)
                {
                    items.push(node);
                }
                if consumed == 0 {
                    break;
                }
                pos += consumed;
            }
            Err(e) => {
                errors.push(ParseError::from_pest(&e, pos, rest));
                pos = skip_broken_item(source, pos);
            }
        }
    }
    if errors.is_empty() { Ok(Ast { items }) } else { Err(errors) }
}

fn next_line(source: &str, pos: usize) -> usize {
    source[pos..].find('\n').map_or(source.len(), |i| pos + i + 1)
}

/// Where to resume after a syntax error in the item starting at `pos`: at
/// the next line, or, for a broken segment block, past its closing `}` — or
/// at the next line that starts an item, when the `}` is missing.
fn skip_broken_item(source: &str, pos: usize) -> usize {
    let line_end = next_line(source, pos);
    let line = source[pos..line_end].trim_start();
    if !line.starts_with("segment") || line.contains('}') {
        return line_end;
    }
    let mut at = line_end;
    while at < source.len() {
        let end = next_line(source, at);
        let next = &source[at..end];
        if next.contains('}') {
            return end;
        }
        if starts_item(next) {
            return at;
        }
        at = end;
    }
    at
}

/// Turns pest pairs into AST nodes, shifting spans by `offset` and
/// collecting the errors found in valid syntax (overflowing numbers).
struct Builder<'e> {
    offset: usize,
    errors: &'e mut Vec<ParseError>,
}

impl Builder<'_> {
    fn span(&self, node: &Node) -> Span {
        let s = node.as_span();
        Span::new(self.offset + s.start(), self.offset + s.end())
    }

    /// The span of an item or segment arm: up to its last token, without
    /// the trailing white space and comment pest may have matched.
    fn code_span(&self, node: &Node) -> Span {
        let start = self.offset + node.as_span().start();
        Span::new(start, start + code_len(node.as_str()))
    }

    fn item(&mut self, node: Node) -> Option<Item> {
        let span = self.code_span(&node);
        let rule = node.as_rule();
        let mut parts = data(node);
        let item = match rule {
            Rule::schema => {
                let path = parts.next()?;
                Item::Schema(SchemaDecl { path_span: self.span(&path), path: unescape(&path), span })
            }
            Rule::require => {
                let condition = self.expr(parts.next()?)?;
                let points = self.number(parts.next()?)?;
                Item::Require(Require { condition, points, span })
            }
            Rule::fit => {
                let condition = self.expr(parts.next()?)?;
                let points = self.number(parts.next()?)?;
                Item::Fit(Fit { condition, points, span })
            }
            Rule::behaviour => self.behaviour(parts.collect(), span)?,
            Rule::category => {
                let name = self.ident(&parts.next()?);
                let (mut max, mut time) = (None, Vec::new());
                for part in parts {
                    match part.as_rule() {
                        Rule::time_clause => time.push(self.time_clause(part)?),
                        _ => max = Some(self.number(part)?),
                    }
                }
                Item::Category(Category { name, max, time, span })
            }
            Rule::tier => {
                let name = self.ident(&parts.next()?);
                let when = match parts.next() {
                    Some(e) => Some(self.expr(e)?),
                    None => None,
                };
                Item::Tier(Tier { name, when, span })
            }
            Rule::lint => {
                let level = match parts.next()?.as_str() {
                    "allow" => LintLevel::Allow,
                    "warn" => LintLevel::Warn,
                    _ => LintLevel::Deny,
                };
                let names = parts.map(|p| self.ident(&p)).collect();
                Item::Lint(LintDirective { level, names, span })
            }
            Rule::segment => {
                let field = self.ident(&parts.next()?);
                let arms = parts.map(|arm| self.segment_arm(arm)).collect::<Option<Vec<_>>>()?;
                Item::Segment(Segment { field, arms, span })
            }
            _ => return None,
        };
        Some(item)
    }

    fn behaviour(&mut self, parts: Vec<Node>, span: Span) -> Option<Item> {
        let mut critical = false;
        let mut name = None;
        let mut threshold = None;
        let mut points = None;
        let mut each = None;
        let mut time = Vec::new();
        for part in parts {
            match part.as_rule() {
                Rule::star => critical = true,
                Rule::ident => name = Some(self.ident(&part)),
                Rule::threshold => threshold = Some(self.number(part.into_inner().next()?)?),
                Rule::number => points = Some(self.number(part)?),
                Rule::each => {
                    let each_span = self.code_span(&part);
                    let max = match part.into_inner().find(|p| p.as_rule() == Rule::number) {
                        Some(n) => Some(self.number(n)?),
                        None => None,
                    };
                    each = Some(Each { max, span: each_span });
                }
                Rule::time_clause => time.push(self.time_clause(part)?),
                _ => {}
            }
        }
        Some(Item::Behaviour(Behaviour {
            critical,
            name: name?,
            threshold,
            points: points?,
            each,
            time,
            span,
        }))
    }

    fn time_clause(&mut self, node: Node) -> Option<TimeClause> {
        let span = self.span(&node);
        let clause = node.into_inner().next()?;
        let rule = clause.as_rule();
        let mut kind = match rule {
            Rule::within => TimeKind::Within,
            Rule::expire => TimeKind::Expire,
            _ => TimeKind::HalfLife,
        };
        let mut duration = None;
        for part in clause.into_inner() {
            match part.as_rule() {
                Rule::decay_kind if part.as_str() == "linear" => kind = TimeKind::Linear,
                Rule::duration => duration = Some((part.as_str().to_string(), self.span(&part))),
                _ => {}
            }
        }
        let (duration, duration_span) = duration?;
        Some(TimeClause { kind, duration, duration_span, span })
    }

    fn segment_arm(&mut self, node: Node) -> Option<SegmentArm> {
        let span = self.code_span(&node);
        let mut parts = data(node);
        let test_node = parts.next()?.into_inner().next()?;
        let test_span = self.span(&test_node);
        let test = match test_node.as_rule() {
            Rule::range => self.range(test_node, false)?,
            Rule::literal => TestOp::Compare(CmpOp::Eq, self.literal(test_node)?),
            _ => self.test_op(test_node)?,
        };
        let digit = self.number(parts.next()?)?;
        let label = parts.next().map(|s| unescape(&s));
        Some(SegmentArm { test, test_span, digit, label, span })
    }

    fn expr(&mut self, node: Node) -> Option<Expr> {
        let span = self.span(&node);
        match node.as_rule() {
            Rule::expr => self.expr(node.into_inner().next()?),
            Rule::or_expr | Rule::and_expr => {
                let is_or = node.as_rule() == Rule::or_expr;
                let operands = data(node).map(|operand| self.expr(operand)).collect::<Option<Vec<_>>>()?;
                balanced(operands, is_or)
            }
            Rule::unary => {
                let mut inner = node.into_inner();
                let first = inner.next()?;
                if first.as_rule() == Rule::not_op {
                    let operand = self.expr(inner.next()?)?;
                    Some(Expr { kind: ExprKind::Not(Box::new(operand)), span })
                } else {
                    self.expr(first)
                }
            }
            Rule::test => {
                let mut inner = node.into_inner();
                let subject = self.ident(&inner.next()?);
                let op = match inner.next() {
                    Some(op) => self.test_op(op)?,
                    None => TestOp::Truthy,
                };
                Some(Expr { kind: ExprKind::Test(Test { subject, op }), span })
            }
            _ => None,
        }
    }

    fn test_op(&mut self, node: Node) -> Option<TestOp> {
        match node.as_rule() {
            Rule::presence => {
                let which = node.into_inner().find(|p| !is_keyword(p.as_rule()))?;
                Some(if which.as_rule() == Rule::missing { TestOp::Missing } else { TestOp::Present })
            }
            Rule::in_test => {
                let mut negated = false;
                let mut set = None;
                for part in node.into_inner() {
                    match part.as_rule() {
                        Rule::negation => negated = true,
                        Rule::list | Rule::range => set = Some(part),
                        _ => {}
                    }
                }
                let set = set?;
                if set.as_rule() == Rule::range {
                    return self.range(set, negated);
                }
                let list_span = self.span(&set);
                let values = data(set).map(|l| self.literal(l)).collect::<Option<Vec<_>>>()?;
                Some(TestOp::InList { negated, values, span: list_span })
            }
            Rule::text_test => {
                let mut inner = node.into_inner();
                let op = match inner.next()?.into_inner().next()?.as_rule() {
                    Rule::kw_contains => TextOp::Contains,
                    Rule::kw_starts_with => TextOp::StartsWith,
                    _ => TextOp::EndsWith,
                };
                Some(TestOp::Text(op, self.literal(inner.next()?)?))
            }
            Rule::compare => {
                let mut inner = node.into_inner();
                let op = match inner.next()?.as_str() {
                    "<=" => CmpOp::Le,
                    ">=" => CmpOp::Ge,
                    "!=" => CmpOp::Ne,
                    "<" => CmpOp::Lt,
                    ">" => CmpOp::Gt,
                    _ => CmpOp::Eq,
                };
                Some(TestOp::Compare(op, self.literal(inner.next()?)?))
            }
            _ => None,
        }
    }

    fn range(&mut self, node: Node, negated: bool) -> Option<TestOp> {
        let mut ends = data(node);
        let lo = self.number(ends.next()?)?;
        let hi = self.number(ends.next()?)?;
        Some(TestOp::InRange { negated, lo, hi })
    }

    fn literal(&mut self, node: Node) -> Option<Literal> {
        let inner = if node.as_rule() == Rule::literal { node.into_inner().next()? } else { node };
        match inner.as_rule() {
            Rule::string => {
                Some(Literal { span: self.span(&inner), value: LiteralValue::Str(unescape(&inner)) })
            }
            Rule::boolean => {
                Some(Literal { span: self.span(&inner), value: LiteralValue::Bool(inner.as_str() == "true") })
            }
            _ => self.number(inner),
        }
    }

    /// A number literal; integers that do not fit in 64 bits are recorded as
    /// errors rather than wrapped.
    fn number(&mut self, node: Node) -> Option<Literal> {
        let span = self.span(&node);
        let text: String = node.as_str().chars().filter(|&c| c != '_').collect();
        let value = if text.contains('.') {
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() => LiteralValue::Number(v),
                _ => {
                    self.errors.push(ParseError::number_too_large(span, node.as_str()));
                    return None;
                }
            }
        } else {
            match text.parse::<i64>() {
                Ok(v) => LiteralValue::Int(v),
                Err(_) => {
                    self.errors.push(ParseError::number_too_large(span, node.as_str()));
                    return None;
                }
            }
        };
        Some(Literal { value, span })
    }

    fn ident(&self, node: &Node) -> Ident {
        Ident { name: node.as_str().to_string(), span: self.span(node) }
    }
}

/// `a and b and c ...` (or `or`) as a balanced tree, so that a chain of
/// thousands of operands nests only as deep as its logarithm. `and` and
/// `or` are associative, so the grouping does not change the meaning.
fn balanced(mut operands: Vec<Expr>, is_or: bool) -> Option<Expr> {
    if operands.len() <= 1 {
        return operands.pop();
    }
    let right = operands.split_off(operands.len() / 2);
    let (left, right) = (balanced(operands, is_or)?, balanced(right, is_or)?);
    let span = left.span.to(right.span);
    let kind = if is_or {
        ExprKind::Or(Box::new(left), Box::new(right))
    } else {
        ExprKind::And(Box::new(left), Box::new(right))
    };
    Some(Expr { kind, span })
}

/// The children of `node` that carry data: keywords and punctuation left out.
fn data(node: Node) -> impl Iterator<Item = Node> {
    node.into_inner().filter(|p| !is_keyword(p.as_rule()))
}

/// Keywords and punctuation: pairs that carry no data for the AST.
fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_schema
            | Rule::kw_require
            | Rule::kw_fit
            | Rule::kw_behaviour
            | Rule::kw_category
            | Rule::kw_segment
            | Rule::kw_tier
            | Rule::kw_lint
            | Rule::kw_each
            | Rule::kw_max
            | Rule::kw_when
            | Rule::kw_and
            | Rule::kw_or
            | Rule::kw_not
            | Rule::kw_in
            | Rule::kw_is
            | Rule::colon
            | Rule::arrow
            | Rule::lbrace
            | Rule::rbrace
            | Rule::rparen
            | Rule::rbracket
            | Rule::comma
            | Rule::dots
    )
}

/// The text of a string literal with its escapes resolved: `\"`, `\\`,
/// `\n`, `\t`; any other escaped character stands for itself.
fn unescape(node: &Node) -> String {
    let raw = node.as_str();
    let raw = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')).unwrap_or(raw);
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::parse;

    fn codes(source: &str) -> Vec<(&'static str, usize)> {
        parse(source).unwrap_err().iter().map(|e| (e.code, e.span.start)).collect()
    }

    #[test]
    fn an_unclosed_segment_block_is_one_error() {
        let source = "segment employees {\n  < 5 => 1\n  >= 5 => 2\n";
        assert_eq!(codes(source).len(), 1);
    }

    #[test]
    fn parsing_resumes_at_the_item_after_an_unclosed_segment_block() {
        let source = "segment employees {\n  < 5 => 1\ncategory c\nfit x = : 1\n*behaviour b : 1\n";
        let errors = codes(source);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[1].0, "E0100");
        assert_eq!(errors[1].1, source.find(": 1").unwrap());
    }

    #[test]
    fn a_broken_arm_skips_to_the_closing_brace() {
        let source = "segment employees {\n  < => 1\n}\ncategory c\n";
        assert_eq!(codes(source).len(), 1);
    }
}
