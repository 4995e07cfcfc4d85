//! Syntax errors, in plain words rather than grammar rule names.
//!
//! In: a pest error (or a number that does not fit). Out: a [`ParseError`]
//! with a stable code, a span, and what was expected, which converts into a
//! [`Diagnostic`] at the edge.

use super::parse::Rule;
use crate::diag::codes;
use crate::diag::span::Span;
use crate::diag::{Diagnostic, FileId};
use pest::error::{ErrorVariant, InputLocation};
use std::collections::BTreeSet;

/// A syntax error in a `.lead` file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// Stable code, `E01xx`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// What the label under the span says.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Where.
    pub span: Span,
}

impl ParseError {
    /// Converts to a diagnostic located in `file`.
    pub fn to_diagnostic(&self, file: FileId) -> Diagnostic {
        let mut d = Diagnostic::error(self.code, &self.message).with_primary(file, self.span, &self.label);
        if let Some(help) = &self.help {
            d = d.with_help(help);
        }
        d
    }

    pub(super) fn too_deep(span: Span) -> ParseError {
        ParseError {
            code: codes::NESTED_TOO_DEEP,
            message: format!("conditions nest more than {} levels deep", super::parse::MAX_NESTING),
            label: "too deep".into(),
            help: Some("split the condition into several rules".into()),
            span,
        }
    }

    pub(super) fn number_too_large(span: Span, text: &str) -> ParseError {
        ParseError {
            code: codes::NUMBER_TOO_LARGE,
            message: format!("the number `{text}` is too large"),
            label: "does not fit in a 64-bit integer".into(),
            help: Some(format!("numbers must lie between {} and {}", i64::MIN, i64::MAX)),
            span,
        }
    }

    /// Translates a pest error on `rest` (which starts at byte `offset` of
    /// the file) into plain words.
    pub(super) fn from_pest(e: &pest::error::Error<Rule>, offset: usize, rest: &str) -> ParseError {
        let pos = match e.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
        let found = found_at(rest, pos);
        if found.text.starts_with('"') && !found.text[1..].contains('"') {
            return ParseError {
                code: codes::UNCLOSED_STRING,
                message: "this string is never closed".into(),
                label: "string starts here".into(),
                help: Some("add the closing `\"` on the same line".into()),
                span: Span::new(offset + pos, offset + pos + 1),
            };
        }
        let mut expected: BTreeSet<&'static str> = BTreeSet::new();
        if let ErrorVariant::ParsingError { positives, .. } = &e.variant {
            expected.extend(positives.iter().filter_map(|r| describe(*r)));
        }
        let at_start = rest[..pos.min(rest.len())].trim().is_empty();
        let (message, help) = if at_start {
            (
                format!("expected a rule, found {}", found.describe()),
                Some(
                    "a line starts with `require`, `fit`, `behaviour`, `*behaviour`, `category`, \
                     `segment`, `tier`, `schema` or `lint`; comments start with `#`"
                        .to_string(),
                ),
            )
        } else {
            // The item's own line up to the error, for the hints.
            let head = &rest[..pos.min(rest.len())];
            let line = head.rsplit(['\n', '\r']).next().unwrap_or(head);
            let hint = super::hints::hint(line, rest.get(pos..).unwrap_or(""));
            if expected.is_empty() {
                (format!("unexpected {}", found.describe()), hint)
            } else {
                (format!("expected {}, found {}", join_or(&expected), found.describe()), hint)
            }
        };
        ParseError {
            code: if at_start { codes::NOT_AN_ITEM } else { codes::UNEXPECTED_TOKEN },
            message,
            label: if expected.is_empty() || at_start {
                "unexpected here".into()
            } else {
                format!("expected {}", join_or(&expected))
            },
            help,
            span: Span::new(offset + pos, offset + pos + found.len),
        }
    }
}

/// What stands at the error position.
struct Found<'a> {
    text: &'a str,
    len: usize,
}

impl Found<'_> {
    fn describe(&self) -> String {
        match self.text {
            "" => "the end of the file".into(),
            "\n" | "\r\n" | "\r" => "the end of the line".into(),
            t => format!("`{t}`"),
        }
    }
}

fn found_at(rest: &str, pos: usize) -> Found<'_> {
    let tail = rest.get(pos..).unwrap_or("");
    if tail.is_empty() {
        return Found { text: "", len: 0 };
    }
    if tail.starts_with("\r\n") {
        return Found { text: "\r\n", len: 0 };
    }
    if tail.starts_with('\n') || tail.starts_with('\r') {
        return Found { text: &tail[..1], len: 0 };
    }
    let first = tail.chars().next().map_or(1, char::len_utf8);
    let word_len = if tail.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
        tail.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(tail.len())
    } else if let Some(body) = tail.strip_prefix('"') {
        match body.find(['"', '\n', '\r']) {
            Some(i) if body.as_bytes().get(i) == Some(&b'"') => i + 2,
            Some(i) => i + 1,
            None => tail.len(),
        }
    } else {
        tail.find(|c: char| c.is_whitespace() || c.is_alphanumeric()).unwrap_or(tail.len()).max(first)
    };
    let len = word_len.min(40);
    let mut len = len.max(first);
    while !tail.is_char_boundary(len) {
        len -= 1;
    }
    Found { text: &tail[..len], len }
}

fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::number | Rule::threshold => "a number",
        Rule::string | Rule::text => "a string in double quotes",
        Rule::ident => "a name",
        Rule::literal => "a value (a string, number, `true` or `false`)",
        Rule::expr | Rule::or_expr | Rule::and_expr | Rule::unary | Rule::test => "a condition",
        Rule::compare | Rule::cmp_op => "a comparison such as `= \"US\"` or `>= 18`",
        Rule::in_test | Rule::kw_in | Rule::negation => "`in [...]`",
        Rule::presence | Rule::kw_is => "`is missing` or `is present`",
        Rule::text_test | Rule::text_op => "`contains`, `starts_with` or `ends_with`",
        Rule::kw_and => "`and`",
        Rule::kw_or => "`or`",
        Rule::list => "a list such as `[\"a\", \"b\"]`",
        Rule::range => "a range such as `10..99`",
        Rule::each | Rule::kw_each => "`each`",
        Rule::kw_max => "`max`",
        Rule::kw_when => "`when`",
        Rule::segment_arm | Rule::segment_test => "a segment arm such as `< 50 => 1 \"small\"`",
        Rule::lint_level => "`allow`, `warn` or `deny`",
        Rule::lint_name => "a lint name",
        Rule::EOI => "the end of the line",
        Rule::colon => "`:`",
        Rule::arrow => "`=>`",
        Rule::lbrace => "`{`",
        Rule::rbrace => "`}`",
        Rule::rparen => "`)`",
        Rule::rbracket => "`]`",
        Rule::comma => "`,`",
        Rule::dots => "`..`",
        Rule::time_clause | Rule::within | Rule::kw_within => "`within`, `decay` or `expire`",
        Rule::decay_kind => "`half_life` or `linear`",
        Rule::duration => "a duration such as `30d`, `12h` or `2w`",
        _ => return None,
    })
}

fn join_or(items: &BTreeSet<&str>) -> String {
    let items: Vec<&str> = items.iter().copied().collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
