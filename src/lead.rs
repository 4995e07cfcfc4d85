//! One lead's data, laid out by its schema.
//!
//! In: values set by field id, or parsed from text (CSV cells) by the field's
//! type. Out: a [`Lead`] with one typed slot per schema field and one count
//! per behaviour, which evaluators read without any name lookup. A `Lead`
//! is meant to be reused: [`Lead::clear`] keeps its buffers.

use crate::schema::{BehaviourId, FieldId, FieldType, Schema};
use std::fmt;

/// The value of one field of a lead.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// The lead has no value for the field.
    #[default]
    Missing,
    /// A string field's value.
    Text(String),
    /// An int field's value.
    Int(i64),
    /// A number field's value (never NaN).
    Number(f64),
    /// A bool field's value.
    Bool(bool),
    /// An enum field's value, as an index into its value list.
    Enum(u32),
}

/// A value that does not fit its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    /// The field's name.
    pub field: String,
    /// The offending value as given.
    pub value: String,
    /// What was expected instead.
    pub expected: String,
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "field `{}`: `{}` is not {}", self.field, self.value, self.expected)
    }
}

impl std::error::Error for ValueError {}

/// One lead: a typed slot per field and an occurrence count per behaviour.
///
/// ```
/// use leadc::lead::{Lead, Value};
/// use leadc::schema::{FieldType, Schema};
/// let schema = Schema::builder().field("age", FieldType::Int).behaviour("demo").build().unwrap();
/// let mut lead = Lead::new(&schema);
/// let age = schema.field_id("age").unwrap();
/// lead.set_text(&schema, age, "42").unwrap();
/// assert_eq!(lead.value(age), &Value::Int(42));
/// assert!(lead.set_text(&schema, age, "forty").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lead {
    values: Vec<Value>,
    counts: Vec<u32>,
}

impl Lead {
    /// A lead with every field missing and every count 0.
    pub fn new(schema: &Schema) -> Lead {
        Lead {
            values: vec![Value::Missing; schema.fields().len()],
            counts: vec![0; schema.behaviours().len()],
        }
    }

    /// Makes every field missing and every count 0, keeping the buffers.
    pub fn clear(&mut self) {
        self.values.iter_mut().for_each(|v| *v = Value::Missing);
        self.counts.iter_mut().for_each(|c| *c = 0);
    }

    /// The value of a field (`Missing` for an id outside the schema).
    pub fn value(&self, field: FieldId) -> &Value {
        self.values.get(field.0 as usize).unwrap_or(&Value::Missing)
    }

    /// All field values, indexed by [`FieldId`].
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The occurrence count of a behaviour (0 for an id outside the schema).
    pub fn count(&self, behaviour: BehaviourId) -> u32 {
        self.counts.get(behaviour.0 as usize).copied().unwrap_or(0)
    }

    /// All behaviour counts, indexed by [`BehaviourId`].
    pub fn counts(&self) -> &[u32] {
        &self.counts
    }

    /// Sets a behaviour's occurrence count (ignored for an id outside the
    /// schema).
    pub fn set_count(&mut self, behaviour: BehaviourId, count: u32) {
        if let Some(slot) = self.counts.get_mut(behaviour.0 as usize) {
            *slot = count;
        }
    }

    /// Sets a field's value as it is, without checking it against the
    /// field's type (a value of the wrong type makes every test on the field
    /// false, like a missing one). Ignored for an id outside the schema.
    pub fn set(&mut self, field: FieldId, value: Value) {
        if let Some(slot) = self.values.get_mut(field.0 as usize) {
            *slot = value;
        }
    }

    /// Parses `text` by the field's type and sets it; an empty (or
    /// all-blank) text makes the field missing. Reuses the slot's string
    /// buffer for string fields.
    ///
    /// Accepted: ints as written (`-12`, `1_000` is not accepted), numbers
    /// in decimal or exponent form, bools as `true/false/yes/no/1/0`
    /// (any case), enum values exactly as in the schema.
    pub fn set_text(&mut self, schema: &Schema, field: FieldId, text: &str) -> Result<(), ValueError> {
        let (Some(def), Some(slot)) = (schema.field(field), self.values.get_mut(field.0 as usize)) else {
            return Ok(());
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            *slot = Value::Missing;
            return Ok(());
        }
        let error = |expected: &str| ValueError {
            field: def.name.clone(),
            value: text.to_string(),
            expected: expected.to_string(),
        };
        *slot = match &def.ty {
            FieldType::String => {
                if let Value::Text(buffer) = slot {
                    buffer.clear();
                    buffer.push_str(text);
                    return Ok(());
                }
                Value::Text(text.to_string())
            }
            FieldType::Int => Value::Int(trimmed.parse().map_err(|_| error("an integer"))?),
            FieldType::Number => match trimmed.parse::<f64>() {
                Ok(n) if n.is_finite() => Value::Number(n),
                _ => return Err(error("a finite number")),
            },
            FieldType::Bool => {
                Value::Bool(parse_bool(trimmed).ok_or_else(|| error("a boolean (true/false, yes/no, 1/0)"))?)
            }
            FieldType::Enum(values) => match values.iter().position(|v| v == trimmed) {
                Some(i) => Value::Enum(i as u32),
                None => return Err(error(&format!("one of {}", list(values)))),
            },
        };
        Ok(())
    }
}

fn parse_bool(text: &str) -> Option<bool> {
    const TRUE: [&str; 4] = ["true", "yes", "y", "1"];
    const FALSE: [&str; 4] = ["false", "no", "n", "0"];
    if TRUE.iter().any(|t| t.eq_ignore_ascii_case(text)) {
        Some(true)
    } else if FALSE.iter().any(|f| f.eq_ignore_ascii_case(text)) {
        Some(false)
    } else {
        None
    }
}

fn list(values: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut out: Vec<String> = values.iter().take(SHOWN).map(|v| format!("`{v}`")).collect();
    if values.len() > SHOWN {
        out.push(format!("... ({} more)", values.len() - SHOWN));
    }
    out.join(", ")
}
