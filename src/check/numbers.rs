//! Point values, caps, thresholds and segment digits.
//!
//! In: number literals from the AST. Out: integers within the checker's
//! bounds ([`MAX_POINTS`]), or an error saying which bound was broken.

use super::error::CheckError;
use super::{Checker, MAX_POINTS};
use crate::diag::codes;
use crate::syntax::ast::{Literal, LiteralValue};

impl Checker<'_> {
    /// An integer literal; `what` names it in the error ("points", "a cap").
    pub(super) fn integer(&mut self, lit: &Literal, what: &str) -> Option<i64> {
        match &lit.value {
            LiteralValue::Int(v) => Some(*v),
            other => self.error(
                CheckError::new(
                    codes::NOT_AN_INTEGER,
                    format!("{what} must be a whole number, found {}", other.kind_name()),
                    lit.span,
                    "expected an integer",
                )
                .with_help("write a whole number, e.g. `3` rather than `2.5`"),
            ),
        }
    }

    /// A point value (rule points, must-have points, `max`, cap): an integer
    /// within ±[`MAX_POINTS`].
    pub(super) fn points(&mut self, lit: &Literal, what: &str) -> Option<i64> {
        let value = self.integer(lit, what)?;
        if !(-MAX_POINTS..=MAX_POINTS).contains(&value) {
            return self.error(
                CheckError::new(
                    codes::POINTS_OUT_OF_RANGE,
                    format!("`{value}` is out of range for {what}"),
                    lit.span,
                    format!("expected a value from -{MAX_POINTS} to {MAX_POINTS}"),
                )
                .with_help("scores live on a 0 to 100 scale; no rule needs more than a million points"),
            );
        }
        Some(value)
    }

    /// A category's `max`: a point value that is not negative.
    pub(super) fn category_max(&mut self, lit: &Literal, category: &str) -> Option<i64> {
        let value = self.points(lit, "a category's max")?;
        if value < 0 {
            return self.error(
                CheckError::new(
                    codes::NEGATIVE_MAX,
                    format!("the max of category `{category}` is negative"),
                    lit.span,
                    "expected 0 or more",
                )
                .with_help(format!(
                    "a max caps a total from above; for penalties, leave the max out: `category {category}`"
                )),
            );
        }
        Some(value)
    }

    /// A behaviour's `>= k` threshold: an integer from 1.
    pub(super) fn threshold(&mut self, lit: &Literal, behaviour: &str) -> Option<u32> {
        let value = self.integer(lit, "a behaviour threshold")?;
        match u32::try_from(value) {
            Ok(k) if k >= 1 && i64::from(k) <= MAX_POINTS => Some(k),
            _ => self.error(
                CheckError::new(
                    codes::BAD_THRESHOLD,
                    format!("the threshold `>= {value}` of behaviour `{behaviour}` is out of range"),
                    lit.span,
                    format!("expected a count from 1 to {MAX_POINTS}"),
                )
                .with_help(format!(
                    "a behaviour rule fires when the count reaches the threshold; \
                     without `>= k` it fires from 1: `behaviour {behaviour} : ...`"
                )),
            ),
        }
    }

    /// An `each max` cap: non-zero, with the sign of the rule's points (any sign for 0 points).
    pub(super) fn cap(&mut self, lit: &Literal, points: Option<i64>) -> Option<i64> {
        let cap = self.points(lit, "a cap")?;
        let points = points?;
        // A 0-point rule gives 0 whatever its cap; any non-zero cap is harmless.
        if cap == 0 || (points != 0 && (cap > 0) != (points > 0)) {
            let expected = if points > 0 { "a positive cap" } else { "a negative cap" };
            return self.error(
                CheckError::new(
                    codes::BAD_CAP,
                    format!("the cap `{cap}` does not limit points of `{points}`"),
                    lit.span,
                    format!("expected {expected}"),
                )
                .with_help("a cap has the sign of the points it limits: `1 each max 5`, `-5 each max -15`"),
            );
        }
        Some(cap)
    }

    /// A segment arm's digit: an integer from 1 to 9.
    pub(super) fn segment_digit(&mut self, lit: &Literal) -> Option<u8> {
        let digit = match &lit.value {
            LiteralValue::Int(v) => u8::try_from(*v).ok().filter(|d| (1..=9).contains(d)),
            _ => None,
        };
        if digit.is_none() {
            let found = match &lit.value {
                LiteralValue::Int(v) => format!("`{v}`"),
                other => other.kind_name().to_string(),
            };
            self.errors.push(
                CheckError::new(
                    codes::BAD_SEGMENT_DIGIT,
                    format!("a segment digit must be a whole number from 1 to 9, found {found}"),
                    lit.span,
                    "expected 1 to 9",
                )
                .with_help("the digit is the thousands digit of the score; 0 means no arm matched"),
            );
        }
        digit
    }
}
