//! Leads from JSON objects, read as written.
//!
//! In: the text of one JSON object (an NDJSON line, an `explain --lead`
//! argument). Out: a [`JsonObject`] — its members in order, each value kept
//! as the text it was written as — and from it a filled [`Lead`], or an
//! [`InputError`] naming the key.
//!
//! Keeping the text means a number is read as written: `-0` is the integer
//! 0, `99999999999999999999` is an integer too large for a field (and is
//! quoted back as written, not as `1e+20`), and a `--keep` column copies the
//! value exactly. A key written twice is an error rather than a silent
//! choice of one of the two values.

use super::{InputError, UnknownColumns, unknown_name};
use crate::lead::{Lead, Value, ValueError};
use crate::schema::{BehaviourId, FieldId, FieldType, Schema};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

/// A JSON object's members as written: keys unescaped, values as their
/// source text.
///
/// ```
/// use leadc::input::JsonObject;
/// let object = JsonObject::parse(r#"{"id": "L7", "age": -0, "big": 99999999999999999999}"#).unwrap();
/// assert_eq!(object.get("big").map(|v| v.get()), Some("99999999999999999999"));
/// assert_eq!(object.text("id").as_deref(), Some("L7"));
/// let err = JsonObject::parse(r#"{"age": 1, "age": 2}"#).unwrap_err();
/// assert_eq!(err.to_string(), "the key `age` appears twice; keep one");
/// ```
#[derive(Debug, Default)]
pub struct JsonObject<'a> {
    members: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'a> JsonObject<'a> {
    /// Parses one JSON object: a syntax error, a value that is not an
    /// object, and a key written twice are errors.
    pub fn parse(text: &'a str) -> Result<JsonObject<'a>, InputError> {
        let object = JsonObject::read(text)?;
        object.check_unique()?;
        Ok(object)
    }

    /// Like [`parse`](Self::parse) but leaves repeated keys for
    /// [`Lead::fill_json_object`] to reject, so that a caller can still copy
    /// other members (an id) next to the error.
    pub fn read(text: &'a str) -> Result<JsonObject<'a>, InputError> {
        let trimmed = text.trim_start();
        if !trimmed.starts_with('{') {
            // Say "not an object" only for valid JSON; anything else is a syntax error.
            return Err(match serde_json::from_str::<&RawValue>(text) {
                Ok(_) => InputError::NotAnObject,
                Err(e) => syntax_error(&e),
            });
        }
        serde_json::from_str(text).map_err(|e| syntax_error(&e))
    }

    /// An error naming the first key written twice.
    fn check_unique(&self) -> Result<(), InputError> {
        match self.duplicate() {
            Some(key) => Err(InputError::DuplicateKey { key: key.to_string(), within: None }),
            None => Ok(()),
        }
    }

    /// The members, in the order written.
    pub fn members(&self) -> impl Iterator<Item = (&str, &'a RawValue)> + Clone {
        self.members.iter().map(|(k, v)| (k.as_ref(), *v))
    }

    /// The value of `key`, as written.
    pub fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.members.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// The value of `key` as the text a CSV cell would hold: a string
    /// unescaped, `null` empty, anything else as written.
    pub fn text(&self, key: &str) -> Option<Cow<'a, str>> {
        self.get(key).map(cell_text)
    }

    /// The first key written twice.
    fn duplicate(&self) -> Option<&str> {
        let keys = self.members.iter().map(|(k, _)| k.as_ref());
        first_repeat(keys)
    }
}

/// The first item that came before. Sorted hashes of the items show
/// whether any can repeat (most objects have none); only then is the first
/// repeat looked for, by the items themselves.
fn first_repeat<'k>(mut items: impl Iterator<Item = &'k str> + Clone) -> Option<&'k str> {
    let mut hashes: Vec<u64> = items.clone().map(crate::schema::name_hash).collect();
    hashes.sort_unstable();
    if hashes.windows(2).all(|pair| pair.first() != pair.get(1)) {
        return None;
    }
    let mut seen = HashSet::new();
    items.find(|k| !seen.insert(*k))
}

/// A raw value as the text a CSV cell would hold (see [`JsonObject::text`]).
pub fn cell_text(raw: &RawValue) -> Cow<'_, str> {
    match scalar(raw) {
        Scalar::Null => Cow::Borrowed(""),
        Scalar::Text(t) => t,
        _ => Cow::Borrowed(raw.get()),
    }
}

fn syntax_error(e: &serde_json::Error) -> InputError {
    let text = e.to_string();
    let message = text.rfind(" at line ").map_or(text.as_str(), |i| &text[..i]);
    InputError::InvalidJson { column: e.column(), message: message.to_string() }
}

/// What a raw value is, by its first character.
enum Scalar<'a> {
    Null,
    Bool(bool),
    /// A number's text, as written.
    Number(&'a str),
    Text(Cow<'a, str>),
    /// An object or array, as written.
    Composite,
}

fn scalar(raw: &RawValue) -> Scalar<'_> {
    let text = raw.get().trim();
    match text.as_bytes().first() {
        Some(b'n') => Scalar::Null,
        Some(b't') => Scalar::Bool(true),
        Some(b'f') => Scalar::Bool(false),
        Some(b'"') => Scalar::Text(unquote(text)),
        Some(b'{' | b'[') | None => Scalar::Composite,
        Some(_) => Scalar::Number(text),
    }
}

/// A JSON string literal's value; `text` is a valid literal (the parser
/// checked it).
fn unquote(text: &str) -> Cow<'_, str> {
    match text.get(1..text.len().saturating_sub(1)) {
        Some(inner) if !inner.contains('\\') => Cow::Borrowed(inner),
        _ => serde_json::from_str::<String>(text).map_or(Cow::Borrowed(""), Cow::Owned),
    }
}

impl Lead {
    /// Clears this lead and fills it from a parsed JSON object (see the
    /// module docs of [`crate::input`] for the shape); `unknown` says
    /// whether keys outside the schema are an error.
    ///
    /// ```
    /// use leadc::input::{JsonObject, UnknownColumns};
    /// use leadc::lead::{Lead, Value};
    /// use leadc::schema::{FieldType, Schema};
    /// let schema = Schema::builder().field("age", FieldType::Int).behaviour("demo").build().unwrap();
    /// let mut lead = Lead::new(&schema);
    /// let object = JsonObject::parse(r#"{"age": -0, "behaviours": {"demo": 2}}"#).unwrap();
    /// lead.fill_json_object(&schema, &object, UnknownColumns::Error).unwrap();
    /// assert_eq!(lead.value(schema.field_id("age").unwrap()), &Value::Int(0));
    /// let object = JsonObject::parse(r#"{"age": 99999999999999999999}"#).unwrap();
    /// let err = lead.fill_json_object(&schema, &object, UnknownColumns::Error).unwrap_err();
    /// assert_eq!(err.to_string(), "field `age`: `99999999999999999999` is not an integer");
    /// ```
    pub fn fill_json_object(
        &mut self,
        schema: &Schema,
        object: &JsonObject,
        unknown: UnknownColumns,
    ) -> Result<(), InputError> {
        self.clear();
        object.check_unique()?;
        let mut unknown_names = Vec::new();
        for (key, value) in object.members() {
            if let Some(field) = schema.field_id(key) {
                self.put_json(schema, field, key, value)?;
            } else if let Some(behaviour) = schema.behaviour_id(key) {
                self.put_json_behaviour(schema, behaviour, key, value)?;
            } else if key == "behaviours" || key == "behaviors" {
                let Some(counts) = nested_counts(object, key, value)? else { continue };
                for (name, count) in counts.members() {
                    match schema.behaviour_id(name) {
                        Some(b) => self.put_json_behaviour(schema, b, name, count)?,
                        None if unknown == UnknownColumns::Error => {
                            unknown_names.push(unknown_name(schema, name))
                        }
                        None => {}
                    }
                }
            } else if unknown == UnknownColumns::Error {
                unknown_names.push(unknown_name(schema, key));
            }
        }
        if unknown_names.is_empty() { Ok(()) } else { Err(InputError::UnknownNames(unknown_names)) }
    }

    fn put_json(
        &mut self,
        schema: &Schema,
        field: FieldId,
        key: &str,
        raw: &RawValue,
    ) -> Result<(), InputError> {
        let Some(def) = schema.field(field) else { return Ok(()) };
        let value = match (&def.ty, scalar(raw)) {
            (_, Scalar::Null) => Value::Missing,
            (FieldType::String, Scalar::Text(s)) => Value::Text(s.into_owned()),
            (_, Scalar::Text(s)) => return Ok(self.set_text(schema, field, &s)?),
            (FieldType::Int, Scalar::Number(n)) => {
                Value::Int(n.parse().map_err(|_| value_error(key, raw, "an integer"))?)
            }
            (FieldType::Number, Scalar::Number(n)) => Value::Number(
                n.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| value_error(key, raw, "a number"))?,
            ),
            (FieldType::Bool, Scalar::Bool(b)) => Value::Bool(b),
            (ty, _) => return Err(value_error(key, raw, expected(ty)).into()),
        };
        self.set(field, value);
        Ok(())
    }

    /// A count, or for an event behaviour a list of timestamps.
    fn put_json_behaviour(
        &mut self,
        schema: &Schema,
        behaviour: BehaviourId,
        key: &str,
        raw: &RawValue,
    ) -> Result<(), InputError> {
        if schema.is_event(behaviour) {
            let json: serde_json::Value = serde_json::from_str(raw.get()).unwrap_or_default();
            return Ok(self.set_events_json(behaviour, key, &json)?);
        }
        self.set_count(behaviour, json_count(key, raw)?);
        Ok(())
    }
}

/// The `"behaviours"` object (`None` for `null`), with no behaviour given
/// both there and at the top level, and no key twice.
fn nested_counts<'a>(
    object: &JsonObject<'a>,
    key: &str,
    value: &'a RawValue,
) -> Result<Option<JsonObject<'a>>, InputError> {
    match scalar(value) {
        Scalar::Null => return Ok(None),
        Scalar::Composite if value.get().trim_start().starts_with('{') => {}
        _ => return Err(value_error(key, value, "an object of behaviour counts").into()),
    }
    let counts: JsonObject<'a> = serde_json::from_str(value.get()).map_err(|e| syntax_error(&e))?;
    if let Some(name) = counts.duplicate() {
        return Err(InputError::DuplicateKey { key: name.to_string(), within: Some(key.to_string()) });
    }
    let outer = object.members().map(|(k, _)| k).filter(|k| *k != key);
    if let Some(name) = first_repeat(outer.chain(counts.members().map(|(k, _)| k))) {
        return Err(InputError::GivenTwice { key: name.to_string(), nested: key.to_string() });
    }
    Ok(Some(counts))
}

fn expected(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::String => "a string",
        FieldType::Int => "an integer",
        FieldType::Number => "a number",
        FieldType::Bool => "true or false",
        FieldType::Enum(_) => "one of the enum's values, as a string",
    }
}

fn value_error(key: &str, raw: &RawValue, expected: &str) -> ValueError {
    ValueError { field: key.to_string(), value: raw.get().trim().to_string(), expected: expected.to_string() }
}

/// A behaviour's count from JSON: a whole number from 0, or `null` for 0
/// (`docs/schema.md`, "NDJSON leads").
fn json_count(key: &str, raw: &RawValue) -> Result<u32, InputError> {
    let count = match scalar(raw) {
        Scalar::Null => Some(0),
        Scalar::Number(n) => n.parse::<u32>().ok(),
        _ => None,
    };
    Ok(count.ok_or_else(|| value_error(key, raw, "a count (a whole number from 0 to 4294967295)"))?)
}

impl<'de: 'a, 'a> Deserialize<'de> for JsonObject<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectVisitor)
    }
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = JsonObject<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(16));
        while let Some((Key(key), value)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
            members.push((key, value));
        }
        Ok(JsonObject { members })
    }
}

/// A key, borrowed from the text unless it holds escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn schema() -> Schema {
        Schema::builder()
            .field("i", FieldType::Int)
            .field("n", FieldType::Number)
            .field("s", FieldType::String)
            .behaviour("visit")
            .build()
            .unwrap()
    }

    fn fill(text: &str) -> Result<Lead, InputError> {
        let s = schema();
        let mut lead = Lead::new(&s);
        lead.fill_json_object(&s, &JsonObject::parse(text)?, UnknownColumns::Ignore)?;
        Ok(lead)
    }

    #[test]
    fn numbers_are_read_as_written() {
        let s = schema();
        let i = s.field_id("i").unwrap();
        let n = s.field_id("n").unwrap();
        let lead = fill(r#"{"i": -0, "n": -0}"#).unwrap();
        assert_eq!(lead.value(i), &Value::Int(0));
        assert!(matches!(lead.value(n), Value::Number(x) if *x == 0.0 && x.is_sign_negative()));
        let lead = fill(r#"{"i": -9223372036854775808, "n": 1e2}"#).unwrap();
        assert_eq!((lead.value(i), lead.value(n)), (&Value::Int(i64::MIN), &Value::Number(100.0)));
        for (text, said) in [
            (r#"{"i": 99999999999999999999}"#, "field `i`: `99999999999999999999` is not an integer"),
            (r#"{"i": 1.0}"#, "field `i`: `1.0` is not an integer"),
            (r#"{"i": 1e3}"#, "field `i`: `1e3` is not an integer"),
            (r#"{"n": 1e400}"#, "field `n`: `1e400` is not a number"),
            (r#"{"visit": -0}"#, "field `visit`: `-0` is not a count (a whole number from 0 to 4294967295)"),
        ] {
            assert_eq!(fill(text).unwrap_err().to_string(), said, "{text}");
        }
    }

    #[test]
    fn a_key_twice_is_an_error_wherever_it_is() {
        for (text, said) in [
            (r#"{"i": 1, "s": "x", "i": 2}"#, "the key `i` appears twice; keep one"),
            (
                r#"{"behaviours": {"visit": 1, "visit": 2}}"#,
                "the key `visit` appears twice in `behaviours`; keep one",
            ),
            (
                r#"{"visit": 1, "behaviors": {"visit": 2}}"#,
                "`visit` is given both at the top level and in `behaviors`; keep one",
            ),
        ] {
            assert_eq!(fill(text).unwrap_err().to_string(), said, "{text}");
        }
        // The first key to repeat, in the order written, is the one named.
        let text = r#"{"b": 1, "z": 0, "a": 1, "a": 2, "b": 2}"#;
        assert_eq!(fill(text).unwrap_err().to_string(), "the key `a` appears twice; keep one");
        // Many keys.
        let many: Vec<String> = (0..40).map(|k| format!("\"k{k}\": {k}")).collect();
        let text = format!("{{{}, \"k7\": 0}}", many.join(", "));
        assert_eq!(fill(&text).unwrap_err().to_string(), "the key `k7` appears twice; keep one");
        assert!(fill(&format!("{{{}}}", many.join(", "))).is_ok());
    }

    #[test]
    fn escaped_keys_and_strings_are_unescaped() {
        let s = schema();
        let lead = fill(r#"{"\u0073": "a\"b"}"#).unwrap();
        assert_eq!(lead.value(s.field_id("s").unwrap()), &Value::Text("a\"b".into()));
    }

    #[test]
    fn syntax_errors_and_other_values_are_told_apart() {
        let syntax = JsonObject::parse("{").unwrap_err();
        assert!(matches!(syntax, InputError::InvalidJson { column: 1, .. }), "{syntax:?}");
        assert_eq!(JsonObject::parse("[]").unwrap_err(), InputError::NotAnObject);
        assert_eq!(JsonObject::parse(" 3 ").unwrap_err(), InputError::NotAnObject);
        assert!(matches!(JsonObject::parse("[").unwrap_err(), InputError::InvalidJson { .. }));
        assert!(matches!(JsonObject::parse(r#"{"a":1} x"#).unwrap_err(), InputError::InvalidJson { .. }));
    }

    #[test]
    fn cell_text_is_what_a_csv_cell_would_hold() {
        let o = JsonObject::parse(r#"{"a": null, "b": "x,y", "c": 1.50, "d": true, "e": [1]}"#).unwrap();
        let texts: Vec<String> =
            ["a", "b", "c", "d", "e"].iter().map(|k| o.text(k).unwrap().into_owned()).collect();
        assert_eq!(texts, ["", "x,y", "1.50", "true", "[1]"]);
        assert_eq!(o.text("z"), None);
    }
}
