//! Reading and checking the `[columns]` and `[input]` tables of a schema
//! file.
//!
//! In: the tables as deserialised, with spans. Out: an [`Intake`], or
//! located [`SchemaError`]s (E0209: a column mapped to no field or
//! behaviour; E0213: an `[input]` setting that cannot be used).

use super::load::SchemaError;
use super::{Intake, Schema};
use crate::diag::codes;
use crate::diag::span::Span;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The `[input]` table as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawInput {
    #[serde(default)]
    missing: Vec<String>,
    thousands: Option<String>,
    decimal: Option<String>,
    #[serde(default, rename = "true")]
    true_words: Vec<String>,
    #[serde(default, rename = "false")]
    false_words: Vec<String>,
    enum_case: Option<String>,
}

/// Thousands separators a number may use.
const THOUSANDS: &[char] = &[',', '.', ' ', '\'', '_'];

/// Builds the intake from the tables; `schema` must hold every field and
/// behaviour already.
pub(super) fn read_intake(
    schema: &Schema,
    columns: BTreeMap<Spanned<String>, Spanned<String>>,
    input: Option<Spanned<RawInput>>,
    errors: &mut Vec<SchemaError>,
) -> Intake {
    let mut intake = Intake::default();
    let mut columns: Vec<_> = columns.into_iter().collect();
    columns.sort_by_key(|(name, _)| name.span().start);
    for (column, target) in columns {
        let span = Some(Span::new(target.span().start, target.span().end));
        match check_column_target(schema, column.get_ref(), target.get_ref(), span) {
            Ok(()) => intake.columns.push((column.into_inner(), target.into_inner())),
            Err(e) => errors.push(e),
        }
    }
    let Some(input) = input else { return intake };
    let span = Some(Span::new(input.span().start, input.span().end));
    let raw = input.into_inner();
    intake.missing = raw.missing;
    intake.true_words = raw.true_words;
    intake.false_words = raw.false_words;
    let mut mark = |text: Option<String>, what: &str| -> Option<char> {
        let text = text?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Some(c),
            _ => {
                errors.push(invalid(format!("`{what}` must be one character, not `{text}`"), span));
                None
            }
        }
    };
    intake.thousands = mark(raw.thousands, "thousands");
    intake.decimal = mark(raw.decimal, "decimal").unwrap_or('.');
    intake.enum_any_case = match raw.enum_case.as_deref() {
        None | Some("exact") => false,
        Some("any") => true,
        Some(other) => {
            errors.push(invalid(format!("`enum_case` is `exact` or `any`, not `{other}`"), span));
            false
        }
    };
    if let Err(e) = check_marks(&intake, span) {
        errors.push(e);
    }
    intake
}

/// Checks what a builder was given.
pub(crate) fn check_intake(schema: &Schema, intake: &Intake, span: Option<Span>) -> Result<(), SchemaError> {
    for (column, target) in &intake.columns {
        check_column_target(schema, column, target, span)?;
    }
    check_marks(intake, span)
}

fn check_column_target(
    schema: &Schema,
    column: &str,
    target: &str,
    span: Option<Span>,
) -> Result<(), SchemaError> {
    if schema.has_name(target) {
        return Ok(());
    }
    let names =
        schema.fields().iter().map(|f| f.name.as_str()).chain(schema.behaviours().iter().map(String::as_str));
    let help = match crate::diag::suggest::closest(target, names) {
        Some(close) => format!("did you mean `{close}`?"),
        None => "map the column to a field or behaviour the schema declares".to_string(),
    };
    Err(SchemaError::new(
        codes::UNMAPPED_COLUMN,
        format!("the column `{column}` is mapped to `{target}`, which is neither a field nor a behaviour"),
        "no such field or behaviour",
        span,
    )
    .help(help))
}

fn check_marks(intake: &Intake, span: Option<Span>) -> Result<(), SchemaError> {
    if let Some(t) = intake.thousands {
        if !THOUSANDS.contains(&t) {
            return Err(invalid(format!("`thousands` may be `,`, `.`, ` `, `'` or `_`, not `{t}`"), span));
        }
        if t == intake.decimal {
            return Err(invalid(format!("`thousands` and `decimal` are both `{t}`"), span)
                .help("a file that writes `1.200,50` has `thousands = \".\"` and `decimal = \",\"`"));
        }
    }
    if !matches!(intake.decimal, '.' | ',') {
        return Err(invalid(format!("`decimal` may be `.` or `,`, not `{}`", intake.decimal), span));
    }
    Ok(())
}

fn invalid(message: String, span: Option<Span>) -> SchemaError {
    SchemaError::new(codes::BAD_INPUT_SETTING, message, "in this table", span)
        .help("see docs/schema.md, \"Input files\"")
}
