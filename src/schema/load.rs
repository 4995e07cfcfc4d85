//! Reading a schema from TOML.
//!
//! In: the text of a `.schema.toml` file. Out: a [`Schema`], or every
//! problem found in the file, each with the span of the offending entry.

use super::{FieldType, Schema};
use crate::diag::codes;
use crate::diag::span::Span;
use crate::diag::{Diagnostic, FileId};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// Words the language reserves; a field or behaviour may not be named so.
pub(crate) const RESERVED: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "is",
    "missing",
    "present",
    "contains",
    "starts_with",
    "ends_with",
    "true",
    "false",
    "each",
    "max",
    "when",
];

const TYPE_NAMES: &[&str] = &["string", "int", "number", "bool", "enum"];

/// A problem with a schema file or a schema built in code.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaError {
    /// Stable code, `E02xx`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// What the label under the span says.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Where in the schema file, when it came from one.
    pub span: Option<Span>,
}

impl SchemaError {
    pub(super) fn new(code: &'static str, message: String, label: &str, span: Option<Span>) -> Self {
        SchemaError { code, message, label: label.to_string(), help: None, span }
    }

    pub(super) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn duplicate(kind: &str, name: &str, span: Option<Span>) -> Self {
        SchemaError::new(
            codes::DUPLICATE_NAME,
            format!("the {kind} `{name}` is declared twice"),
            "declared again here",
            span,
        )
        .help(format!("remove one of the two declarations of `{name}`"))
    }

    /// Converts to a diagnostic located in `file` (the schema file).
    pub fn to_diagnostic(&self, file: FileId) -> Diagnostic {
        let mut d = Diagnostic::error(self.code, &self.message);
        if let Some(span) = self.span {
            d = d.with_primary(file, span, &self.label);
        }
        if let Some(help) = &self.help {
            d = d.with_help(help);
        }
        d
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchema {
    #[serde(default)]
    behaviours: Vec<Spanned<String>>,
    #[serde(default)]
    events: Vec<Spanned<String>>,
    #[serde(default)]
    fields: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    columns: BTreeMap<Spanned<String>, Spanned<String>>,
    input: Option<Spanned<super::load_intake::RawInput>>,
}

/// How many dotted parts a key may have before the TOML parser stops with
/// "recursion limit" (its nesting limit, 80 tables deep).
const TOML_KEY_DEPTH: usize = 80;

/// The first key (of a `key = value` line or a `[table]` header) with more
/// dotted parts than the TOML parser nests, and how many: the parser's
/// "recursion limit" error for it has no location. Dots inside quoted parts
/// do not count.
fn deep_key(text: &str) -> Option<(Span, usize)> {
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let start = line_start + (line.len() - line.trim_start_matches([' ', '\t', '[']).len());
        line_start += line.len();
        let key = text.get(start..line_start)?;
        let (mut dots, mut quote, mut end) = (0, None, key.len());
        for (i, c) in key.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '.') => dots += 1,
                (None, '=' | ']' | '#' | '\n') => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        if dots >= TOML_KEY_DEPTH {
            let end = start + key.get(..end).map_or(end, |k| k.trim_end().len());
            return Some((Span::new(start, end), dots + 1));
        }
    }
    None
}

fn span_of<T>(s: &Spanned<T>) -> Span {
    Span::new(s.span().start, s.span().end)
}

impl Schema {
    /// Reads a schema from the text of a TOML schema file.
    ///
    /// ```
    /// let schema = leadc::schema::Schema::from_toml(r#"
    /// behaviours = ["demo_request", "email_open"]
    /// [fields]
    /// age = "int"
    /// region = { type = "enum", values = ["EU", "US"] }
    /// "#).unwrap();
    /// assert_eq!(schema.fields()[0].name, "age");
    /// ```
    pub fn from_toml(text: &str) -> Result<Schema, Vec<SchemaError>> {
        let raw: RawSchema = toml::from_str(text).map_err(|e| {
            let message = e.message().trim_end().to_string();
            let (span, label) = match e.span() {
                Some(r) => (Some(Span::new(r.start, r.end)), "here".to_string()),
                // The parser refuses deeply dotted keys without saying where.
                None => match deep_key(text) {
                    Some((span, parts)) => (Some(span), format!("a key of {parts} dotted parts")),
                    None => (None, "here".to_string()),
                },
            };
            vec![
                SchemaError::new(
                    codes::INVALID_SCHEMA_FILE,
                    format!("invalid schema file: {message}"),
                    &label,
                    span,
                )
                .help("see docs/schema.md for the schema file format"),
            ]
        })?;
        let mut errors = Vec::new();
        let mut schema = Schema::default();

        // Declaration order, not the map's alphabetical order.
        let mut fields: Vec<_> = raw.fields.into_iter().collect();
        fields.sort_by_key(|(name, _)| name.span().start);
        for (name, spec) in fields {
            match read_field(&name, &spec) {
                Ok((ty, ignore_case)) => {
                    let id = super::FieldId(schema.fields.len() as u32);
                    schema.field_index.insert(name.get_ref().clone(), id);
                    schema.fields.push(super::Field { name: name.into_inner(), ty, ignore_case });
                }
                Err(e) => errors.push(e),
            }
        }
        let counted = raw.behaviours.into_iter().map(|n| (n, false));
        for (name, event) in counted.chain(raw.events.into_iter().map(|n| (n, true))) {
            let span = Some(span_of(&name));
            if let Err(e) = check_name(name.get_ref(), "behaviour", span) {
                errors.push(e);
            } else if schema.behaviour_index.contains_key(name.get_ref()) {
                errors.push(SchemaError::duplicate("behaviour", name.get_ref(), span));
            } else {
                schema.push_behaviour(name.into_inner(), event);
            }
        }
        schema.intake = super::load_intake::read_intake(&schema, raw.columns, raw.input, &mut errors);
        if errors.is_empty() { Ok(schema) } else { Err(errors) }
    }
}

/// A field's type and whether it ignores case.
fn read_field(name: &Spanned<String>, spec: &Spanned<toml::Value>) -> Result<(FieldType, bool), SchemaError> {
    let name_span = Some(span_of(name));
    let spec_span = Some(span_of(spec));
    check_name(name.get_ref(), "field", name_span)?;
    const KEYS: [&str; 4] = ["type", "values", "ignore_case", "description"];
    let (type_name, values, ignore_case) = match spec.get_ref() {
        toml::Value::String(t) => (t.as_str(), None, None),
        toml::Value::Table(table) => {
            if let Some(key) = table.keys().find(|k| !KEYS.contains(&k.as_str())) {
                return Err(SchemaError::new(
                    codes::UNKNOWN_FIELD_KEY,
                    format!("unknown key `{key}` in the declaration of field `{}`", name.get_ref()),
                    "in this declaration",
                    spec_span,
                )
                .help(
                    "a field declaration may have `type`, `values` (for enums), `ignore_case` \
                     (for strings) and `description`",
                ));
            }
            let Some(t) = table.get("type").and_then(toml::Value::as_str) else {
                return Err(SchemaError::new(
                    codes::BAD_FIELD_TYPE,
                    format!("field `{}` has no `type`", name.get_ref()),
                    "expected `type = \"...\"` here",
                    spec_span,
                )
                .help(format!("add a type: one of {}", quoted(TYPE_NAMES))));
            };
            (t, table.get("values"), table.get("ignore_case"))
        }
        _ => {
            return Err(SchemaError::new(
                codes::BAD_FIELD_TYPE,
                format!("field `{}` must be declared with a type name or a table", name.get_ref()),
                "expected a string such as \"int\" or a table such as { type = \"enum\", values = [...] }",
                spec_span,
            ));
        }
    };
    let ty = match type_name {
        "string" => FieldType::String,
        "int" => FieldType::Int,
        "number" => FieldType::Number,
        "bool" => FieldType::Bool,
        "enum" => FieldType::Enum(read_enum_values(name.get_ref(), values, spec_span)?),
        other => {
            let suggestion = crate::diag::suggest::closest(other, TYPE_NAMES.iter().copied());
            let mut e = SchemaError::new(
                codes::BAD_FIELD_TYPE,
                format!("unknown type `{other}` for field `{}`", name.get_ref()),
                "not a field type",
                spec_span,
            );
            e.help = Some(match suggestion {
                Some(s) => format!("did you mean `{s}`? the types are {}", quoted(TYPE_NAMES)),
                None => format!("the types are {}", quoted(TYPE_NAMES)),
            });
            return Err(e);
        }
    };
    if values.is_some() && !matches!(ty, FieldType::Enum(_)) {
        return Err(SchemaError::new(
            codes::OPTION_NOT_FOR_FIELD,
            format!("field `{}` has `values` but is not an enum", name.get_ref()),
            "in this declaration",
            spec_span,
        )
        .help("use `type = \"enum\"`, or remove `values`"));
    }
    let ignore_case = match ignore_case {
        None => false,
        Some(_) if ty != FieldType::String => {
            let help = match ty {
                FieldType::Enum(_) => {
                    "remove it; to read enum values in any case, set `enum_case = \"any\"` in `[input]`"
                }
                _ => "remove it: only string fields compare text",
            };
            return Err(SchemaError::new(
                codes::OPTION_NOT_FOR_FIELD,
                format!("field `{}` has `ignore_case` but is not a string", name.get_ref()),
                "in this declaration",
                spec_span,
            )
            .help(help));
        }
        Some(value) => value.as_bool().ok_or_else(|| {
            SchemaError::new(
                codes::OPTION_NOT_FOR_FIELD,
                format!("`ignore_case` of field `{}` must be `true` or `false`", name.get_ref()),
                "in this declaration",
                spec_span,
            )
            .help("write `ignore_case = true`, without quotes")
        })?,
    };
    Ok((ty, ignore_case))
}

fn read_enum_values(
    field: &str,
    values: Option<&toml::Value>,
    span: Option<Span>,
) -> Result<Vec<String>, SchemaError> {
    let no_values = || {
        SchemaError::new(
            codes::ENUM_WITHOUT_VALUES,
            format!("enum field `{field}` needs a list of values"),
            "in this declaration",
            span,
        )
        .help("add `values = [\"...\", \"...\"]` with at least one value")
    };
    let list = values.and_then(toml::Value::as_array).ok_or_else(no_values)?;
    let mut out = Vec::with_capacity(list.len());
    for v in list {
        let Some(s) = v.as_str() else {
            return Err(SchemaError::new(
                codes::ENUM_WITHOUT_VALUES,
                format!("the values of enum field `{field}` must be strings"),
                "in this declaration",
                span,
            ));
        };
        out.push(s.to_string());
    }
    check_enum_values(field, &out, span)?;
    Ok(out)
}

pub(crate) fn check_enum_values(
    field: &str,
    values: &[String],
    span: Option<Span>,
) -> Result<(), SchemaError> {
    if values.is_empty() {
        return Err(SchemaError::new(
            codes::ENUM_WITHOUT_VALUES,
            format!("enum field `{field}` has no values"),
            "in this declaration",
            span,
        )
        .help("list at least one value"));
    }
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            return Err(SchemaError::new(
                codes::DUPLICATE_ENUM_VALUE,
                format!("enum field `{field}` lists the value `{v}` twice"),
                "in this declaration",
                span,
            )
            .help(format!("remove the second `{v}`")));
        }
    }
    Ok(())
}

pub(crate) fn check_name(name: &str, kind: &str, span: Option<Span>) -> Result<(), SchemaError> {
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(SchemaError::new(
            codes::BAD_NAME,
            format!("`{name}` is not a valid {kind} name"),
            "invalid name",
            span,
        )
        .help("names start with a letter or `_` and contain only letters, digits and `_`"));
    }
    if RESERVED.contains(&name) {
        return Err(SchemaError::new(
            codes::BAD_NAME,
            format!("`{name}` is a reserved word and cannot name a {kind}"),
            "reserved word",
            span,
        )
        .help(format!("rename it, e.g. `{name}_value`")));
    }
    Ok(())
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_too_deeply_dotted_key_is_located() {
        let key = format!("a{}", ".a".repeat(80));
        let text = format!("[fields]\nage = \"int\"\n  {key} = \"int\"\n");
        let errors = Schema::from_toml(&text).unwrap_err();
        assert_eq!(errors.len(), 1);
        let span = errors[0].span.unwrap();
        assert_eq!(&text[span.start..span.end], key);
        assert_eq!(errors[0].label, "a key of 81 dotted parts");
        // The same in a table header; dots inside quotes do not count.
        let text = format!("[fields]\n\"{key}\" = \"int\"\n[{key}]\n");
        let (span, parts) = deep_key(&text).unwrap();
        assert_eq!((&text[span.start..span.end], parts), (key.as_str(), 81));
        assert_eq!(deep_key(&format!("a{} = 1", ".a".repeat(79))), None);
    }

    #[test]
    fn string_fields_may_ignore_case() {
        let text = "[fields]\ntitle = { type = \"string\", ignore_case = true }\n\
                    email = { type = \"string\", ignore_case = false }\nid = \"string\"\n";
        let schema = Schema::from_toml(text).unwrap();
        let folds: Vec<bool> = schema.fields().iter().map(|f| f.ignore_case).collect();
        assert_eq!(folds, [true, false, false]);
        for bad in ["{ type = \"int\", ignore_case = true }", "{ type = \"string\", ignore_case = 1 }"] {
            let errors = Schema::from_toml(&format!("[fields]\nx = {bad}\n")).unwrap_err();
            assert_eq!(errors[0].code, codes::OPTION_NOT_FOR_FIELD, "{bad}");
        }
    }
}
