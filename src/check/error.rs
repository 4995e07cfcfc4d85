//! Check errors: what the checker rejects, with stable codes.
//!
//! In: the facts of one problem (names, spans, the expected type), from the
//! checker's passes. Out: a [`CheckError`] with a code `E03xx`, a primary
//! span and label, optional secondary labels and a help line, which converts
//! into a [`Diagnostic`] with [`CheckError::to_diagnostic`].

use crate::diag::codes;
use crate::diag::span::Span;
use crate::diag::{Diagnostic, FileId};
use crate::syntax::ast::{Literal, LiteralValue};

/// A problem found by the checker in a program that parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckError {
    /// Stable code, `E03xx` (see [`codes`](crate::diag::codes)).
    pub code: &'static str,
    /// What is wrong: one lowercase sentence.
    pub message: String,
    /// Where it is wrong.
    pub span: Span,
    /// What the label under the span says (what was expected).
    pub label: String,
    /// Other places that explain it, e.g. the first declaration of a name.
    pub secondary: Vec<(Span, String)>,
    /// How to fix it.
    pub help: Option<String>,
}

impl CheckError {
    /// An error with a code, a message and a labelled span.
    pub fn new(code: &'static str, message: impl Into<String>, span: Span, label: impl Into<String>) -> Self {
        CheckError {
            code,
            message: message.into(),
            span,
            label: label.into(),
            secondary: Vec::new(),
            help: None,
        }
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help line when there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Adds a secondary label.
    pub fn with_secondary(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push((span, label.into()));
        self
    }

    /// Converts to a diagnostic located in `file` (the program file).
    pub fn to_diagnostic(&self, file: FileId) -> Diagnostic {
        let mut d = Diagnostic::error(self.code, &self.message).with_primary(file, self.span, &self.label);
        for (span, label) in &self.secondary {
            d = d.with_secondary(file, *span, label);
        }
        if let Some(help) = &self.help {
            d = d.with_help(help);
        }
        d
    }
}

/// "did you mean `x`?" when a candidate is close to `name`.
pub(super) fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    crate::diag::suggest::closest(name, candidates).map(|s| format!("did you mean `{s}`?"))
}

/// `` `a`, `b` and `c` `` for help lines, shortened after `limit` names.
pub(super) fn list_names<'a>(names: impl IntoIterator<Item = &'a str>, limit: usize) -> String {
    let all: Vec<&str> = names.into_iter().collect();
    let mut shown: Vec<String> = all.iter().take(limit).map(|n| format!("`{n}`")).collect();
    if all.len() > limit {
        shown.push(format!("... ({} more)", all.len() - limit));
    }
    match shown.as_slice() {
        [] => "none".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The error for `lo..hi` with `lo > hi`.
pub(super) fn empty_range(lo: &Literal, hi: &Literal) -> CheckError {
    let (lo_text, hi_text) = (literal_text(lo), literal_text(hi));
    CheckError::new(
        codes::EMPTY_RANGE,
        format!("the range `{lo_text}..{hi_text}` is empty"),
        lo.span.to(hi.span),
        "the lower end is above the upper end",
    )
    .with_help(format!("write the lower end first: `{hi_text}..{lo_text}`"))
}

/// A number literal as the user wrote it (near enough).
pub(super) fn literal_text(lit: &Literal) -> String {
    match &lit.value {
        LiteralValue::Int(v) => v.to_string(),
        LiteralValue::Number(v) => v.to_string(),
        LiteralValue::Bool(v) => v.to_string(),
        LiteralValue::Str(s) => format!("{s:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_names() {
        assert_eq!(list_names(["a"], 5), "`a`");
        assert_eq!(list_names(["a", "b", "c"], 5), "`a`, `b` and `c`");
        assert_eq!(list_names(["a", "b", "c"], 2), "`a`, `b` and ... (1 more)");
    }
}
