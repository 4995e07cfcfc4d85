//! One lead's data, laid out by its schema.
//!
//! In: values set by field id, or parsed from text (CSV cells) by the field's
//! type. Out: a [`Lead`] with one typed slot per schema field and one count
//! per behaviour, which evaluators read without any name lookup. A
//! behaviour declared as events (`docs/schema.md`) also carries its
//! timestamps (seconds since the Unix epoch, UTC), all kept in one flat
//! buffer. A `Lead` is meant to be reused: [`Lead::clear`] keeps its buffers,
//! so reading leads allocates nothing once they have grown to size.

pub mod batch;
pub(crate) mod cell;

pub use batch::{Batch, BatchError};

use crate::schema::{BehaviourId, Field, FieldId, FieldType, Intake, Schema};
use cell::Cell;
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

impl ValueError {
    /// What kind of value was expected, in a few words: `not an integer`,
    /// `not an allowed value`, ...
    pub fn kind(&self) -> &'static str {
        let e = self.expected.as_str();
        if e.starts_with("an integer") {
            "not an integer"
        } else if e.starts_with("a finite number") {
            "not a number"
        } else if e.starts_with("a boolean") {
            "not a boolean"
        } else if e.starts_with("one of") {
            "not an allowed value"
        } else if e.starts_with("a count") {
            "not a count"
        } else if e.contains("timestamp") {
            "not a timestamp"
        } else {
            "not a valid value"
        }
    }
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
#[derive(Clone, Default)]
pub struct Lead {
    values: Vec<Value>,
    /// Per field, its value's cell (`crate::lead::cell`), rewritten with the
    /// value by every write.
    cells: Vec<Cell>,
    /// The buffers of strings the fields held, kept for their next strings.
    spare: Spare,
    counts: Vec<u32>,
    /// Every behaviour's timestamps, one after another (in no order).
    times: Vec<i64>,
    /// Per behaviour: where its timestamps are in `times` (start, length).
    /// A behaviour set twice leaves its old timestamps unused until
    /// [`Lead::clear`].
    ranges: Vec<(u32, u32)>,
    /// Per field, whether it ignores case (its text is held lowercased);
    /// empty when no field does.
    folds: Vec<bool>,
}

impl std::fmt::Debug for Lead {
    /// The values, counts and events; not the kept string buffers.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lead")
            .field("values", &self.values)
            .field("counts", &self.counts)
            .field("times", &self.times)
            .field("ranges", &self.ranges)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Lead {
    /// Leads are equal when their values, counts and per-behaviour event
    /// timestamps (as multisets) are.
    fn eq(&self, other: &Lead) -> bool {
        let sorted = |lead: &Lead, i: usize| {
            let mut t = lead.events(BehaviourId(i as u32)).to_vec();
            t.sort_unstable();
            t
        };
        self.values == other.values
            && self.counts == other.counts
            && self.ranges.len() == other.ranges.len()
            && (0..self.ranges.len()).all(|i| sorted(self, i) == sorted(other, i))
    }
}

impl Lead {
    /// A lead with every field missing and every count 0.
    pub fn new(schema: &Schema) -> Lead {
        Lead {
            values: vec![Value::Missing; schema.fields().len()],
            cells: vec![Cell::NONE; schema.fields().len()],
            spare: Spare::default(),
            counts: vec![0; schema.behaviours().len()],
            times: Vec::new(),
            ranges: vec![(0, 0); schema.behaviours().len()],
            folds: match schema.fields().iter().any(|f| f.ignore_case) {
                true => schema.fields().iter().map(|f| f.ignore_case).collect(),
                false => Vec::new(),
            },
        }
    }

    /// Whether field `i` ignores case.
    #[inline(always)]
    fn folds(&self, i: usize) -> bool {
        self.folds.get(i).copied().unwrap_or(false)
    }

    /// Makes every field missing, every count 0 and every event list empty,
    /// keeping the buffers (string values' too: refilling a cleared lead
    /// with [`Lead::set_text`] or [`Lead::set_str`] allocates nothing once
    /// it has held strings as long).
    pub fn clear(&mut self) {
        for (field, value) in self.values.iter_mut().enumerate() {
            self.spare.keep(field, value);
        }
        self.cells.iter_mut().for_each(|c| *c = Cell::NONE);
        self.counts.iter_mut().for_each(|c| *c = 0);
        self.times.clear();
        self.ranges.iter_mut().for_each(|r| *r = (0, 0));
    }

    /// Empties every behaviour's event list (and zeroes those behaviours'
    /// counts), keeping the buffer: call it before refilling a reused lead's
    /// events, so old timestamps do not pile up.
    pub fn clear_events(&mut self) {
        self.times.clear();
        for (range, count) in self.ranges.iter_mut().zip(self.counts.iter_mut()) {
            if range.1 > 0 {
                *count = 0;
            }
            *range = (0, 0);
        }
    }

    /// The event timestamps of a behaviour, in no particular order (empty
    /// for a behaviour given as a count, or an id outside the schema).
    pub fn events(&self, behaviour: BehaviourId) -> &[i64] {
        let Some(&(start, len)) = self.ranges.get(behaviour.0 as usize) else { return &[] };
        self.times.get(start as usize..(start as usize + len as usize)).unwrap_or(&[])
    }

    /// Sets a behaviour's events (seconds since the Unix epoch, UTC) and its
    /// count to their number. Ignored for an id outside the schema.
    pub fn set_events(&mut self, behaviour: BehaviourId, times: &[i64]) {
        let Some(range) = self.ranges.get_mut(behaviour.0 as usize) else { return };
        let start = self.times.len();
        self.times.extend_from_slice(times);
        *range = (start as u32, times.len() as u32);
        self.set_count(behaviour, times.len() as u32);
    }

    /// Adds one event to a behaviour and 1 to its count. Ignored for an id
    /// outside the schema.
    pub fn push_event(&mut self, behaviour: BehaviourId, time: i64) {
        let Some(&(start, len)) = self.ranges.get(behaviour.0 as usize) else { return };
        let (start, len) = (start as usize, len as usize);
        if start + len != self.times.len() {
            // Move the behaviour's events to the end so they stay together.
            self.times.extend_from_within(start..start + len);
        }
        let start = self.times.len() - len;
        self.times.push(time);
        if let Some(range) = self.ranges.get_mut(behaviour.0 as usize) {
            *range = (start as u32, len as u32 + 1);
        }
        self.set_count(behaviour, len as u32 + 1);
    }

    /// Parses a `;`-separated list of timestamps (`crate::time::parse_instant`
    /// forms; an empty or blank text is no events) and sets them as the
    /// behaviour's events. On an error the behaviour's events are unchanged.
    pub fn set_events_text(
        &mut self,
        schema: &Schema,
        behaviour: BehaviourId,
        text: &str,
    ) -> Result<(), ValueError> {
        if self.ranges.get(behaviour.0 as usize).is_none() {
            return Ok(());
        }
        let mark = self.times.len();
        push_instants(&mut self.times, schema.behaviour(behaviour).unwrap_or("?"), text)?;
        let n = self.times.len() - mark;
        if let Some(range) = self.ranges.get_mut(behaviour.0 as usize) {
            *range = (mark as u32, n as u32);
        }
        self.set_count(behaviour, n as u32);
        Ok(())
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
    /// schema). For a behaviour declared as events the count is only
    /// informative: timed scoring reads the events ([`Lead::set_events`]).
    #[inline]
    pub fn set_count(&mut self, behaviour: BehaviourId, count: u32) {
        if let Some(slot) = self.counts.get_mut(behaviour.0 as usize) {
            *slot = count;
        }
    }

    /// Sets a field's value as it is, without checking it against the
    /// field's type. A value of the wrong type counts as *present* (`is
    /// present` holds, `is missing` does not) but makes every other test on
    /// the field false. Ignored for an id outside the schema.
    ///
    /// The text of a field declared `ignore_case` is stored lowercased
    /// ([`fold_case`](crate::schema::fold_case)), by this and every other
    /// setter.
    #[inline]
    pub fn set(&mut self, field: FieldId, mut value: Value) {
        let i = field.0 as usize;
        if let Value::Text(text) = &mut value
            && self.folds(i)
            && let std::borrow::Cow::Owned(lower) = crate::schema::fold_case(text)
        {
            *text = lower;
        }
        if let (Some(slot), Some(cell)) = (self.values.get_mut(i), self.cells.get_mut(i)) {
            *cell = Cell::of(&value);
            self.spare.keep(i, slot);
            *slot = value;
        }
    }

    /// Sets a field's value to the string `text` exactly as given — an
    /// empty text is a present, empty string, where [`Lead::set_text`] reads
    /// it as missing — reusing the field's string buffer, so a reused lead
    /// allocates nothing once it has held a string as long in that field.
    /// Like [`Lead::set`], it does not check the field's type. Ignored for
    /// an id outside the schema.
    ///
    /// ```
    /// use leadc::lead::{Lead, Value};
    /// use leadc::schema::{FieldType, Schema};
    /// let schema = Schema::builder().field("title", FieldType::String).build().unwrap();
    /// let title = schema.field_id("title").unwrap();
    /// let mut lead = Lead::new(&schema);
    /// lead.set_str(title, "");
    /// assert_eq!(lead.value(title), &Value::Text(String::new()));
    /// lead.clear();
    /// lead.set_str(title, "VP");
    /// assert_eq!(lead.value(title), &Value::Text("VP".into()));
    /// ```
    #[inline]
    pub fn set_str(&mut self, field: FieldId, text: &str) {
        let i = field.0 as usize;
        let fold = self.folds(i);
        let (Some(slot), Some(cell)) = (self.values.get_mut(i), self.cells.get_mut(i)) else {
            return;
        };
        self.spare.fill(i, slot, text, fold);
        *cell = Cell::of(slot);
    }

    /// All field values' cells, indexed by [`FieldId`].
    pub(crate) fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// Parses `text` by the field's type and sets it; an empty (or
    /// all-blank) text makes the field missing. Reuses the slot's string
    /// buffer for string fields.
    ///
    /// Accepted: ints as written (`-12`, `1_000` is not accepted), numbers
    /// in decimal or exponent form, bools as `true/false/yes/no/1/0`
    /// (any case), enum values exactly as in the schema.
    pub fn set_text(&mut self, schema: &Schema, field: FieldId, text: &str) -> Result<(), ValueError> {
        let i = field.0 as usize;
        let (Some(def), Some(slot), Some(cell)) =
            (schema.field(field), self.values.get_mut(i), self.cells.get_mut(i))
        else {
            return Ok(());
        };
        let parsed = parse_into(def, schema.intake(), slot, (&mut self.spare, i), text);
        *cell = Cell::of(slot);
        parsed
    }
}

/// Appends the instants of a `;`-separated list of timestamps
/// (`crate::time::parse_instant` forms; an empty or blank text is none) to
/// `times`. On an error `times` is as it was, and the error names
/// `behaviour`, the text and the character where it went wrong.
pub(crate) fn push_instants(times: &mut Vec<i64>, behaviour: &str, text: &str) -> Result<(), ValueError> {
    if text.trim().is_empty() {
        return Ok(());
    }
    let mark = times.len();
    let mut offset = 0;
    for item in text.split(';') {
        match crate::time::parse_instant(item) {
            Ok(t) => times.push(t),
            Err(e) => {
                times.truncate(mark);
                return Err(ValueError {
                    field: behaviour.to_string(),
                    value: text.to_string(),
                    expected: format!(
                        "`;`-separated timestamps such as `2026-11-01` or `2026-11-01T10:00:00Z` \
                         ({} at character {})",
                        e.expected,
                        offset + e.offset + 1
                    ),
                });
            }
        }
        offset += item.len() + 1;
    }
    Ok(())
}

/// The buffers of strings that fields held and hold no more, kept (empty)
/// by field so that refilling a reused lead allocates nothing; empty until
/// a lead first drops a string, so leads built once stay small.
#[derive(Clone, Default)]
struct Spare(Vec<String>);

impl Spare {
    /// Empties `slot`, field `field`'s, keeping a string's buffer.
    #[inline]
    fn keep(&mut self, field: usize, slot: &mut Value) {
        if let Value::Text(mut buffer) = std::mem::take(slot) {
            buffer.clear();
            if self.0.len() <= field {
                self.0.resize(field + 1, String::new());
            }
            self.0[field] = buffer;
        }
    }

    /// Makes `slot`, field `field`'s, the string `text` (lowercased, when
    /// `fold`), in the slot's own buffer or in the one kept for the field.
    #[inline]
    fn fill(&mut self, field: usize, slot: &mut Value, text: &str, fold: bool) {
        let buffer = match slot {
            Value::Text(buffer) => {
                buffer.clear();
                buffer
            }
            _ => {
                *slot = Value::Text(self.0.get_mut(field).map(std::mem::take).unwrap_or_default());
                let Value::Text(buffer) = slot else { return };
                buffer
            }
        };
        match fold {
            false => buffer.push_str(text),
            true => fold_into(buffer, text),
        }
    }
}

/// Appends `text` lowercased ([`fold_case`](crate::schema::fold_case)) to
/// `buffer`; ASCII text without allocating.
#[inline]
pub(crate) fn fold_into(buffer: &mut String, text: &str) {
    if text.is_ascii() {
        let start = buffer.len();
        buffer.push_str(text);
        if let Some(added) = buffer.get_mut(start..) {
            added.make_ascii_lowercase();
        }
    } else {
        buffer.push_str(&crate::schema::fold_case(text));
    }
}

/// Parses `text` by `def`'s type into `slot` (see [`Lead::set_text`]),
/// with the schema's input conventions, a string into a kept buffer
/// (`spare`: the lead's kept buffers and the field's index); on an error
/// the slot is unchanged.
fn parse_into(
    def: &Field,
    intake: &Intake,
    slot: &mut Value,
    (spare, field): (&mut Spare, usize),
    text: &str,
) -> Result<(), ValueError> {
    match parse(def, intake, text)? {
        Parsed::Missing => spare.keep(field, slot),
        Parsed::Text => spare.fill(field, slot, text, def.ignore_case),
        Parsed::Value(value) => {
            spare.keep(field, slot);
            *slot = value;
        }
    }
    Ok(())
}

/// What a text is, parsed by its field's type.
pub(crate) enum Parsed {
    /// A missing value (empty, blank, or one of the schema's missing
    /// markers).
    Missing,
    /// A string field's value: the text as it is.
    Text,
    /// Any other value.
    Value(Value),
}

/// Parses `text` by `def`'s type with the schema's input conventions (see
/// [`Lead::set_text`]): one definition for leads and batches.
pub(crate) fn parse(def: &Field, intake: &Intake, text: &str) -> Result<Parsed, ValueError> {
    let trimmed = crate::schema::trim_cell(text);
    if intake.is_missing(trimmed) {
        return Ok(Parsed::Missing);
    }
    let value = match &def.ty {
        FieldType::String => return Ok(Parsed::Text),
        FieldType::Int => intake.whole(trimmed).map(Value::Int),
        FieldType::Number => intake.number(trimmed).map(Value::Number),
        FieldType::Bool => intake.boolean(trimmed).map(Value::Bool),
        FieldType::Enum(values) => intake.enum_index(values, trimmed).map(|i| Value::Enum(i as u32)),
    };
    value.map(Parsed::Value).ok_or_else(|| not_a(def, intake, text))
}

/// The error for a cell `text` that does not parse as `def`'s type.
pub(crate) fn not_a(def: &Field, intake: &Intake, text: &str) -> ValueError {
    let expected = match &def.ty {
        FieldType::String => "a string".to_string(),
        FieldType::Int => "an integer".to_string(),
        FieldType::Number => "a finite number".to_string(),
        FieldType::Bool => format!("a boolean ({})", intake.boolean_words()),
        FieldType::Enum(values) => format!("one of {}", list(values)),
    };
    ValueError { field: def.name.clone(), value: text.to_string(), expected }
}

fn list(values: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut out: Vec<String> = values.iter().take(SHOWN).map(|v| format!("`{v}`")).collect();
    if values.len() > SHOWN {
        out.push(format!("... ({} more)", values.len() - SHOWN));
    }
    out.join(", ")
}

impl Lead {
    /// Sets an event behaviour's timestamps from JSON: an array of
    /// timestamp strings (`null` is none). `key` names the behaviour in
    /// errors. On an error the behaviour's events are unchanged.
    pub fn set_events_json(
        &mut self,
        behaviour: BehaviourId,
        key: &str,
        value: &serde_json::Value,
    ) -> Result<(), ValueError> {
        let wrong =
            |expected: String| ValueError { field: key.to_string(), value: value.to_string(), expected };
        let items = match value {
            serde_json::Value::Null => &[][..],
            serde_json::Value::Array(items) => items.as_slice(),
            _ => return Err(wrong("a list of timestamps such as `[\"2026-11-01\"]`".into())),
        };
        if self.ranges.get(behaviour.0 as usize).is_none() {
            return Ok(());
        }
        let mark = self.times.len();
        for (i, item) in items.iter().enumerate() {
            let parsed = item.as_str().ok_or(None).and_then(|t| crate::time::parse_instant(t).map_err(Some));
            match parsed {
                Ok(t) => self.times.push(t),
                Err(e) => {
                    self.times.truncate(mark);
                    let why = e.map_or_else(
                        || "not a string".to_string(),
                        |e| format!("expected {} at character {}", e.expected, e.offset + 1),
                    );
                    return Err(wrong(format!(
                        "a list of timestamps such as `2026-11-01T10:00:00Z` (item {}: {why})",
                        i + 1
                    )));
                }
            }
        }
        let n = self.times.len() - mark;
        if let Some(range) = self.ranges.get_mut(behaviour.0 as usize) {
            *range = (mark as u32, n as u32);
        }
        self.set_count(behaviour, n as u32);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Write {
        Set(u32, Value),
        SetText(u32, String),
        SetStr(u32, String),
        Clear,
    }

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Missing),
            "[a-zA-Z ]{0,12}".prop_map(Value::Text),
            any::<i64>().prop_map(Value::Int),
            any::<f64>().prop_map(Value::Number),
            any::<bool>().prop_map(Value::Bool),
            (0u32..4).prop_map(Value::Enum),
        ]
    }

    fn write() -> impl Strategy<Value = Write> {
        prop_oneof![
            4 => (0u32..6, value()).prop_map(|(f, v)| Write::Set(f, v)),
            4 => (0u32..6, prop_oneof![Just("".to_string()), "[a-z0-9. ]{0,12}", "-?[0-9]{1,4}"])
                .prop_map(|(f, t)| Write::SetText(f, t)),
            2 => (0u32..6, "[a-z ]{0,20}").prop_map(|(f, t)| Write::SetStr(f, t)),
            1 => Just(Write::Clear),
        ]
    }

    proptest! {
        /// Every write keeps each field's cell the cell of its value, the
        /// invariant the evaluator's tests rely on; and a reused lead (whose
        /// string buffers are kept across writes and clears) holds exactly
        /// the values a model without buffers says: `set` and `set_str` as
        /// given, `set_text` what it parses on a fresh lead (or nothing on
        /// an error), `clear` all missing.
        #[test]
        fn cells_follow_every_write(writes in prop::collection::vec(write(), 0..40)) {
            let schema = Schema::builder()
                .field("s", FieldType::String)
                .field("i", FieldType::Int)
                .field("n", FieldType::Number)
                .field("b", FieldType::Bool)
                .field("e", FieldType::Enum(vec!["a".into(), "b".into()]))
                .build()
                .unwrap();
            let mut lead = Lead::new(&schema);
            let mut model = vec![Value::Missing; schema.fields().len()];
            for w in writes {
                match w {
                    Write::Set(f, v) => {
                        if let Some(slot) = model.get_mut(f as usize) {
                            *slot = v.clone();
                        }
                        lead.set(FieldId(f), v);
                    }
                    Write::SetText(f, t) => {
                        let mut fresh = Lead::new(&schema);
                        let parsed = fresh.set_text(&schema, FieldId(f), &t);
                        let got = lead.set_text(&schema, FieldId(f), &t);
                        prop_assert_eq!(got.is_ok(), parsed.is_ok());
                        if let (Ok(()), Some(slot)) = (parsed, model.get_mut(f as usize)) {
                            *slot = fresh.value(FieldId(f)).clone();
                        }
                    }
                    Write::SetStr(f, t) => {
                        if let Some(slot) = model.get_mut(f as usize) {
                            *slot = Value::Text(t.clone());
                        }
                        lead.set_str(FieldId(f), &t);
                    }
                    Write::Clear => {
                        model.iter_mut().for_each(|v| *v = Value::Missing);
                        lead.clear();
                    }
                }
                prop_assert_eq!(lead.values(), model.as_slice());
                prop_assert_eq!(lead.cells().len(), lead.values().len());
                for (cell, value) in lead.cells().iter().zip(lead.values()) {
                    prop_assert_eq!(*cell, Cell::of(value));
                }
            }
        }
    }
}
