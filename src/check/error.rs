//! Check errors: what the checker rejects, with stable codes.
//!
//! In: the facts of one problem (names, spans, the expected type), from the
//! checker's passes. Out: a [`CheckError`] with a code `E03xx`, a primary
//! span and label, optional secondary labels and a help line, which converts
//! into a [`Diagnostic`] with [`CheckError::to_diagnostic`].

use crate::diag::span::Span;
use crate::diag::{Diagnostic, FileId};
use crate::syntax::ast::{Literal, LiteralValue};

/// The stable codes of check errors.
pub(crate) mod codes {
    /// A condition names a field the schema does not have.
    pub const UNKNOWN_FIELD: &str = "E0301";
    /// A behaviour rule names a behaviour the schema does not have.
    pub const UNKNOWN_BEHAVIOUR: &str = "E0302";
    /// A literal of the wrong type for what it is compared with.
    pub const MISMATCHED_TYPE: &str = "E0303";
    /// An operator that does not apply to the field's type.
    pub const UNSUPPORTED_TEST: &str = "E0304";
    /// A string that is not one of an enum field's values.
    pub const UNKNOWN_ENUM_VALUE: &str = "E0305";
    /// A range whose lower end is above its upper end.
    pub const EMPTY_RANGE: &str = "E0306";
    /// `in []`
    pub const EMPTY_LIST: &str = "E0307";
    /// Two categories with one name.
    pub const DUPLICATE_CATEGORY: &str = "E0308";
    /// A `fit` or `behaviour` rule before any `category` header.
    pub const RULE_OUTSIDE_CATEGORY: &str = "E0309";
    /// Two tiers with one name.
    pub const DUPLICATE_TIER: &str = "E0310";
    /// A tier after a tier without `when`.
    pub const UNREACHABLE_TIER: &str = "E0311";
    /// More than one `schema` line.
    pub const DUPLICATE_SCHEMA: &str = "E0312";
    /// More than one `segment` block.
    pub const DUPLICATE_SEGMENT: &str = "E0313";
    /// A segment digit that is not an integer from 1 to 9.
    pub const BAD_SEGMENT_DIGIT: &str = "E0314";
    /// Points, a `max`, a threshold or a cap written as a decimal.
    pub const NOT_AN_INTEGER: &str = "E0315";
    /// A point value outside ±1,000,000.
    pub const POINTS_OUT_OF_RANGE: &str = "E0316";
    /// A category `max` below zero.
    pub const NEGATIVE_MAX: &str = "E0317";
    /// A behaviour threshold below 1 (or too large).
    pub const BAD_THRESHOLD: &str = "E0318";
    /// An `each max` cap of the wrong sign, or zero.
    pub const BAD_CAP: &str = "E0319";
    /// A tier condition names something that is not an outcome value.
    pub const UNKNOWN_OUTCOME: &str = "E0320";
    /// A category named like an outcome value (`points`, `score`, ...).
    pub const RESERVED_CATEGORY: &str = "E0321";
    /// A time clause on a behaviour given as a count, not as events.
    pub const TIME_ON_COUNT: &str = "E0330";
    /// A duration that is zero, negative or too long.
    pub const BAD_DURATION: &str = "E0331";
    /// Two `within` clauses, or two decay clauses, on one rule.
    pub const CONFLICTING_TIME: &str = "E0332";
}

/// Every check error code with a short summary, in code order.
pub const CODES: &[(&str, &str)] = &[
    (codes::UNKNOWN_FIELD, "unknown field"),
    (codes::UNKNOWN_BEHAVIOUR, "unknown behaviour"),
    (codes::MISMATCHED_TYPE, "literal of the wrong type"),
    (codes::UNSUPPORTED_TEST, "operator not supported for this type"),
    (codes::UNKNOWN_ENUM_VALUE, "value not in the enum"),
    (codes::EMPTY_RANGE, "empty range"),
    (codes::EMPTY_LIST, "empty list"),
    (codes::DUPLICATE_CATEGORY, "duplicate category"),
    (codes::RULE_OUTSIDE_CATEGORY, "rule before any category"),
    (codes::DUPLICATE_TIER, "duplicate tier"),
    (codes::UNREACHABLE_TIER, "tier after a catch-all tier"),
    (codes::DUPLICATE_SCHEMA, "more than one schema line"),
    (codes::DUPLICATE_SEGMENT, "more than one segment block"),
    (codes::BAD_SEGMENT_DIGIT, "segment digit outside 1..=9"),
    (codes::NOT_AN_INTEGER, "points are not an integer"),
    (codes::POINTS_OUT_OF_RANGE, "points out of range"),
    (codes::NEGATIVE_MAX, "negative category max"),
    (codes::BAD_THRESHOLD, "behaviour threshold below 1"),
    (codes::BAD_CAP, "cap of the wrong sign"),
    (codes::UNKNOWN_OUTCOME, "unknown name in a tier condition"),
    (codes::RESERVED_CATEGORY, "category named like an outcome value"),
    (codes::TIME_ON_COUNT, "time clause on a counted behaviour"),
    (codes::BAD_DURATION, "duration zero, negative or too long"),
    (codes::CONFLICTING_TIME, "two windows or two decays on one rule"),
];

/// A problem found by the checker in a program that parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckError {
    /// Stable code, `E03xx` (see [`CODES`]).
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
    fn codes_are_unique_and_ordered() {
        for pair in CODES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
    }

    #[test]
    fn lists_names() {
        assert_eq!(list_names(["a"], 5), "`a`");
        assert_eq!(list_names(["a", "b", "c"], 5), "`a`, `b` and `c`");
        assert_eq!(list_names(["a", "b", "c"], 2), "`a`, `b` and ... (1 more)");
    }
}
