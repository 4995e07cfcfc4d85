//! The lead schema: which fields a lead has, of which types, and which
//! behaviours are counted.
//!
//! In: a TOML schema file ([`Schema::from_toml`], format in `docs/schema.md`)
//! or a builder ([`Schema::builder`]) for library callers. Out: an immutable
//! [`Schema`] that the checker resolves names against and leads are laid out
//! by, or located [`SchemaError`]s.

mod intake;
pub(crate) use intake::trim_cell;
mod load;
pub(crate) use load::check_name;
mod load_intake;

pub use intake::Intake;
pub use load::SchemaError;

use std::collections::HashMap;
use std::fmt;

/// The type of a lead field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// Free text: `title = "VP"`, `email_domain ends_with ".edu"`.
    String,
    /// A whole number: `age >= 18`.
    Int,
    /// A decimal number: `budget >= 50000`.
    Number,
    /// `true` or `false`: `is_b2b`.
    Bool,
    /// One of a fixed list of values: `region in ["NA-West", "NA-East"]`.
    Enum(Vec<String>),
}

impl FieldType {
    /// The type's name as written in a schema file.
    pub fn name(&self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Int => "int",
            FieldType::Number => "number",
            FieldType::Bool => "bool",
            FieldType::Enum(_) => "enum",
        }
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One field of a lead.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Its name, as used in programs and CSV headers.
    pub name: String,
    /// Its type.
    pub ty: FieldType,
    /// For a string field, whether its values and the program's literals
    /// are compared ignoring case (`ignore_case = true`): the field holds
    /// its text lowercased ([`fold_case`]), and the checker lowercases the
    /// literals tested against it.
    pub ignore_case: bool,
}

/// `text` lowercased as Unicode defines it ([`str::to_lowercase`]), the
/// form in which a field declared `ignore_case` holds its values; borrowed
/// when nothing changes (ASCII text without capitals, the common case,
/// is returned without a copy).
///
/// ```
/// use leadc::schema::fold_case;
/// assert_eq!(fold_case("VP of Sales"), "vp of sales");
/// assert_eq!(fold_case("GRÜNE Straße"), "grüne straße");
/// assert!(matches!(fold_case("cto"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn fold_case(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let bytes = text.as_bytes();
    if bytes.is_ascii() {
        match bytes.iter().any(u8::is_ascii_uppercase) {
            true => Cow::Owned(text.to_ascii_lowercase()),
            false => Cow::Borrowed(text),
        }
    } else {
        let lower = text.to_lowercase();
        if lower == text { Cow::Borrowed(text) } else { Cow::Owned(lower) }
    }
}

/// The position of a field in its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub u32);

/// The position of a behaviour in its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BehaviourId(pub u32);

/// The fields and behaviours of a lead.
///
/// ```
/// use leadc::schema::{FieldType, Schema};
/// let schema = Schema::builder()
///     .field("age", FieldType::Int)
///     .field("region", FieldType::Enum(vec!["EU".into(), "US".into()]))
///     .behaviour("demo_request")
///     .build()
///     .unwrap();
/// assert_eq!(schema.fields().len(), 2);
/// assert!(schema.behaviour_id("demo_request").is_some());
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    fields: Vec<Field>,
    behaviours: Vec<String>,
    /// Per behaviour: declared under `events` (timestamped).
    events: Vec<bool>,
    field_index: Names<FieldId>,
    behaviour_index: Names<BehaviourId>,
    intake: Intake,
}

/// Names to ids, hashed by FNV-1a: every JSON key is looked up here, and
/// the names are the schema's own (no untrusted input is inserted, so a
/// keyed hash buys nothing).
type Names<Id> = HashMap<String, Id, std::hash::BuildHasherDefault<Fnv>>;

/// A name's FNV-1a hash, as the name maps hash it: cheap for short keys,
/// and not keyed (for checks on names, not for tables of untrusted input).
pub(crate) fn name_hash(name: &str) -> u64 {
    use std::hash::BuildHasher as _;
    std::hash::BuildHasherDefault::<Fnv>::default().hash_one(name)
}

/// The 64-bit FNV-1a hash.
#[derive(Debug, Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl Schema {
    /// Starts building a schema in code.
    pub fn builder() -> SchemaBuilder {
        SchemaBuilder::default()
    }

    /// Every field, in declaration order; a field's index is its [`FieldId`].
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// Every behaviour name, in declaration order; an index is a [`BehaviourId`].
    pub fn behaviours(&self) -> &[String] {
        &self.behaviours
    }

    /// The field with this id, if it exists.
    pub fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields.get(id.0 as usize)
    }

    /// The id of the field with this name.
    pub fn field_id(&self, name: &str) -> Option<FieldId> {
        self.field_index.get(name).copied()
    }

    /// The name of the behaviour with this id, if it exists.
    pub fn behaviour(&self, id: BehaviourId) -> Option<&str> {
        self.behaviours.get(id.0 as usize).map(String::as_str)
    }

    /// The id of the behaviour with this name.
    pub fn behaviour_id(&self, name: &str) -> Option<BehaviourId> {
        self.behaviour_index.get(name).copied()
    }

    /// Whether a behaviour is declared as timestamped events (`events =
    /// [...]` in the schema file) rather than as a count.
    pub fn is_event(&self, id: BehaviourId) -> bool {
        self.events.get(id.0 as usize).copied().unwrap_or(false)
    }

    /// How leads are written in input files: column names and cell
    /// conventions (the `[columns]` and `[input]` tables).
    pub fn intake(&self) -> &Intake {
        &self.intake
    }

    /// Whether `name` is a field or a behaviour.
    pub fn has_name(&self, name: &str) -> bool {
        self.field_index.contains_key(name) || self.behaviour_index.contains_key(name)
    }

    /// Whether any behaviour is declared as events.
    pub fn has_events(&self) -> bool {
        self.events.iter().any(|&e| e)
    }

    fn push_behaviour(&mut self, name: String, event: bool) {
        let id = BehaviourId(self.behaviours.len() as u32);
        self.behaviour_index.insert(name.clone(), id);
        self.behaviours.push(name);
        self.events.push(event);
    }
}

/// Builds a [`Schema`] in code; see [`Schema::builder`].
#[derive(Debug, Default)]
pub struct SchemaBuilder {
    fields: Vec<Field>,
    behaviours: Vec<(String, bool)>,
    intake: Intake,
}

impl SchemaBuilder {
    /// Adds a field.
    pub fn field(mut self, name: impl Into<String>, ty: FieldType) -> Self {
        self.fields.push(Field { name: name.into(), ty, ignore_case: false });
        self
    }

    /// Adds a string field whose values are compared ignoring case (see
    /// [`Field::ignore_case`]).
    ///
    /// ```
    /// use leadc::schema::Schema;
    /// let schema = Schema::builder().string_ignoring_case("title").build().unwrap();
    /// assert!(schema.fields()[0].ignore_case);
    /// ```
    pub fn string_ignoring_case(mut self, name: impl Into<String>) -> Self {
        self.fields.push(Field { name: name.into(), ty: FieldType::String, ignore_case: true });
        self
    }

    /// Adds a behaviour.
    pub fn behaviour(mut self, name: impl Into<String>) -> Self {
        self.behaviours.push((name.into(), false));
        self
    }

    /// Adds a behaviour given as timestamped events.
    pub fn event(mut self, name: impl Into<String>) -> Self {
        self.behaviours.push((name.into(), true));
        self
    }

    /// Sets how leads are written in input files.
    pub fn intake(mut self, intake: Intake) -> Self {
        self.intake = intake;
        self
    }

    /// Checks the declarations (valid, unique names; enums with distinct
    /// values) and builds the schema.
    pub fn build(self) -> Result<Schema, SchemaError> {
        let mut schema = Schema::default();
        for field in self.fields {
            load::check_name(&field.name, "field", None)?;
            if let FieldType::Enum(values) = &field.ty {
                load::check_enum_values(&field.name, values, None)?;
            }
            if schema.field_index.contains_key(&field.name) {
                return Err(SchemaError::duplicate("field", &field.name, None));
            }
            let id = FieldId(schema.fields.len() as u32);
            schema.field_index.insert(field.name.clone(), id);
            schema.fields.push(field);
        }
        for (name, event) in self.behaviours {
            load::check_name(&name, "behaviour", None)?;
            if schema.behaviour_index.contains_key(&name) {
                return Err(SchemaError::duplicate("behaviour", &name, None));
            }
            schema.push_behaviour(name, event);
        }
        load_intake::check_intake(&schema, &self.intake, None)?;
        schema.intake = self.intake;
        Ok(schema)
    }
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// The fast paths fold exactly as `str::to_lowercase`, and borrow
        /// only when nothing changes.
        #[test]
        fn fold_case_is_to_lowercase(text in "[a-zA-Z0-9 éÉßẞİΣσςǅ\u{130}-]{0,12}") {
            let folded = super::fold_case(&text);
            proptest::prop_assert_eq!(&*folded, text.to_lowercase());
            let borrowed = matches!(folded, std::borrow::Cow::Borrowed(_));
            proptest::prop_assert_eq!(borrowed, text.to_lowercase() == text);
            let mut buffer = String::from("keep ");
            crate::lead::fold_into(&mut buffer, &text);
            proptest::prop_assert_eq!(buffer, format!("keep {}", text.to_lowercase()));
        }
    }
}
