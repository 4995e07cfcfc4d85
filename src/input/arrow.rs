//! Apache Arrow input: leads scored from a record batch's own buffers.
//!
//! In: an Arrow [`RecordBatch`] whose columns are named as a CSV header
//! would be (matched by [`CsvLayout`]: exact names, the schema's
//! `[columns]`, a mapping, loose names), and the schema. Out:
//! [`ArrowLeads`], which the batch evaluator reads as it reads a
//! [`crate::Batch`], and the rows whose values could not be read.
//!
//! Columns already in leadc's layout are read in place, not copied:
//! `Int64` for int fields, `Float64` for numbers, `Boolean` for bools,
//! `Utf8` or `LargeUtf8` for strings (only a presence bitmap is computed, so that blank
//! strings and the schema's missing tokens are missing, as in a CSV),
//! `UInt32` counts, and events as `List` of `Timestamp(Second)` or
//! `Int64` seconds. Other types are converted once into an owned column
//! (the table in `src/input/arrow/convert.rs`, and docs/embedding.md); a value that does not fit its
//! field makes its row's problem and leaves the value missing.

mod convert;

use super::{Column as Target, CsvLayout, InputError, UnknownColumns};
use crate::lead::batch::{Bitmap, Bits, Column, ColumnView, Columns, Events, EventsView, ValuesView};
use crate::lead::{Lead, ValueError};
use crate::schema::{BehaviourId, FieldId, FieldType, Schema};
use arrow_array::{Array, RecordBatch};
use std::fmt;

/// Leads held in an Arrow [`RecordBatch`], ready for
/// [`Scorer::score_arrow`](crate::Scorer::score_arrow).
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{Int64Array, RecordBatch, StringArray};
/// use leadc::{ArrowLeads, Outcomes};
/// let program = leadc::load("examples/saas/saas.lead")?;
/// let title = StringArray::from(vec![Some("VP Sales"), None, Some("CTO")]);
/// let age = Int64Array::from(vec![Some(40), None, Some(29)]);
/// let region = StringArray::from(vec![Some("EMEA"), Some("APAC"), Some("Mars")]);
/// let batch = RecordBatch::try_from_iter([
///     ("title", Arc::new(title) as _),
///     ("age", Arc::new(age) as _),
///     ("region", Arc::new(region) as _),
/// ])?;
/// let leads = ArrowLeads::new(program.schema(), &batch)?;
/// // A string and an int column are read where they lie; the enum's
/// // names are looked up once into an index column.
/// assert_eq!(leads.in_place(), 2);
/// let (row, problem) = &leads.problems()[0];
/// assert_eq!((*row, problem.value.as_str()), (2, "Mars"));
/// let mut outcomes = Outcomes::default();
/// program.scorer().score_arrow(&leads, &mut outcomes)?;
/// assert_eq!(outcomes.outcome(0), program.evaluate(&leads.lead(program.schema(), 0).unwrap()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct ArrowLeads<'a> {
    rows: usize,
    fields: Vec<Held<'a>>,
    counts: Vec<HeldCounts<'a>>,
    events: Vec<Option<HeldEvents<'a>>>,
    /// `rows` set bits: the presence of a column without nulls.
    ones: Vec<u8>,
    /// `rows` zeros: the counts of a behaviour without a column.
    zeros: Vec<u32>,
    signature: Vec<(u8, usize)>,
    problems: Vec<(usize, ValueError)>,
    layout: CsvLayout,
}

/// Why a record batch cannot be read as leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArrowError {
    /// The column names do not fit the schema (unknown names, two columns
    /// for one field).
    Columns(InputError),
    /// A column's Arrow type cannot hold its field's or behaviour's values.
    Type {
        /// The column's name.
        column: String,
        /// What the column fills: `field `age` (int)`.
        target: String,
        /// The column's Arrow type.
        found: String,
        /// The Arrow types that would do.
        expected: &'static str,
    },
    /// The batch has more rows than `i32` offsets can index.
    TooLarge,
    /// The scored columns could not be put together (a bug in leadc:
    /// please report it).
    Output(String),
}

impl fmt::Display for ArrowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArrowError::Columns(e) => write!(f, "{e}"),
            ArrowError::Type { column, target, found, expected } => write!(
                f,
                "column `{column}` fills {target} but holds Arrow `{found}`: expected {expected} \
                 (cast the column before scoring)"
            ),
            ArrowError::TooLarge => {
                write!(f, "the record batch exceeds 2 GiB of strings or events: read it in smaller batches")
            }
            ArrowError::Output(e) => write!(f, "cannot build the scored record batch: {e} (a bug in leadc)"),
        }
    }
}

impl std::error::Error for ArrowError {}

/// A field's column: its values in place, or converted.
#[derive(Debug)]
enum Held<'a> {
    /// No column: every row missing.
    Absent,
    /// The array's own values, and which rows have one.
    InPlace { values: ValuesView<'a>, present: Presence<'a> },
    /// Values converted into leadc's layout.
    Owned(Column),
}

/// Which rows of an in-place column have a value.
#[derive(Debug)]
enum Presence<'a> {
    /// Every row (the array has no nulls).
    All,
    /// The array's validity bitmap.
    Valid(Bits<'a>),
    /// Computed: not null, and not a blank string or missing token (`Utf8`)
    /// or not NaN (`Float64`).
    Computed(Bitmap),
}

#[derive(Debug)]
enum HeldCounts<'a> {
    Absent,
    InPlace(&'a [u32]),
    Owned(Vec<u32>),
}

#[derive(Debug)]
enum HeldEvents<'a> {
    InPlace { offsets: &'a [i32], times: &'a [i64] },
    Owned(Events),
}

impl<'a> ArrowLeads<'a> {
    /// Reads `batch` as leads of `schema`; columns the schema does not know
    /// are an error ([`ArrowLeads::with_mapping`] can ignore them).
    pub fn new(schema: &Schema, batch: &'a RecordBatch) -> Result<ArrowLeads<'a>, ArrowError> {
        Self::with_mapping(schema, batch, UnknownColumns::Error, &[])
    }

    /// Reads `batch` as leads of `schema`, its columns matched as a CSV
    /// header's are ([`CsvLayout::with_mapping`]).
    pub fn with_mapping(
        schema: &Schema,
        batch: &'a RecordBatch,
        unknown: UnknownColumns,
        mapping: &[(String, String)],
    ) -> Result<ArrowLeads<'a>, ArrowError> {
        let arrow_schema = batch.schema();
        let names = arrow_schema.fields().iter().map(|f| f.name().clone());
        let layout = CsvLayout::with_mapping(schema, names, unknown, mapping).map_err(ArrowError::Columns)?;
        let rows = batch.num_rows();
        i32::try_from(rows).map_err(|_| ArrowError::TooLarge)?;
        let mut leads = ArrowLeads {
            rows,
            fields: schema.fields().iter().map(|_| Held::Absent).collect(),
            counts: schema.behaviours().iter().map(|_| HeldCounts::Absent).collect(),
            events: schema.behaviours().iter().map(|_| None).collect(),
            ones: vec![u8::MAX; rows.div_ceil(8)],
            zeros: vec![0; rows],
            signature: signature(schema).collect(),
            problems: Vec::new(),
            layout,
        };
        for (i, array) in batch.columns().iter().enumerate() {
            let Some((target, name)) = leads.layout.columns().get(i).cloned() else { continue };
            leads.read(schema, target, &name, array.as_ref())?;
        }
        leads.problems.sort_by_key(|(row, _)| *row);
        Ok(leads)
    }

    fn read(
        &mut self,
        schema: &Schema,
        target: Target,
        name: &str,
        array: &'a dyn Array,
    ) -> Result<(), ArrowError> {
        // A column of nulls only (pandas' all-`None` column): every row
        // missing, as if there were no column.
        if array.data_type() == &arrow_schema::DataType::Null {
            return Ok(());
        }
        let mut problems = std::mem::take(&mut self.problems);
        let mut bad = |row: usize, e: ValueError| problems.push((row, e));
        let read = match target {
            Target::Field(id) => match (schema.field(id), self.fields.get_mut(id.0 as usize)) {
                (Some(def), Some(slot)) => convert::field(schema, def, array, &mut bad)
                    .map(|held| *slot = held)
                    .map_err(|expected| {
                        type_error(name, format!("field `{}` ({})", def.name, def.ty), array, expected)
                    }),
                _ => Ok(()),
            },
            Target::Behaviour(b) => self.read_behaviour(schema, b, name, array, &mut bad),
            Target::Ignored => Ok(()),
        };
        self.problems = problems;
        read
    }

    fn read_behaviour(
        &mut self,
        schema: &Schema,
        b: BehaviourId,
        name: &str,
        array: &'a dyn Array,
        bad: &mut impl FnMut(usize, ValueError),
    ) -> Result<(), ArrowError> {
        let behaviour = schema.behaviour(b).unwrap_or("?");
        let at = b.0 as usize;
        if schema.is_event(b) {
            let (events, counts) = convert::events(behaviour, array, bad).map_err(|expected| {
                type_error(name, format!("event behaviour `{behaviour}`"), array, expected)
            })?;
            if let (Some(e), Some(c)) = (self.events.get_mut(at), self.counts.get_mut(at)) {
                *e = Some(events);
                *c = HeldCounts::Owned(counts);
            }
            return Ok(());
        }
        let counts = convert::counts(behaviour, schema, array, bad).map_err(|expected| {
            type_error(name, format!("behaviour `{behaviour}` (a count)"), array, expected)
        })?;
        if let Some(c) = self.counts.get_mut(at) {
            *c = counts;
        }
        Ok(())
    }

    /// How many leads.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether there are no leads.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The rows with a value that does not fit its field or behaviour, in
    /// row order, with the problem; each such value reads as missing.
    pub fn problems(&self) -> &[(usize, ValueError)] {
        &self.problems
    }

    /// How the batch's columns were matched to the schema.
    pub fn layout(&self) -> &CsvLayout {
        &self.layout
    }

    /// How many field, count and event columns are read in place (not
    /// copied).
    pub fn in_place(&self) -> usize {
        let fields = self.fields.iter().filter(|h| matches!(h, Held::InPlace { .. }));
        let counts = self.counts.iter().filter(|c| matches!(c, HeldCounts::InPlace(_)));
        let events = self.events.iter().filter(|e| matches!(e, Some(HeldEvents::InPlace { .. })));
        fields.count() + counts.count() + events.count()
    }

    /// Row `row` as a [`Lead`] of `schema` (the one the leads were read
    /// for), if there is such a row.
    pub fn lead(&self, schema: &Schema, row: usize) -> Option<Lead> {
        if row >= self.rows {
            return None;
        }
        let mut lead = Lead::new(schema);
        for i in 0..self.fields.len() {
            if let Some(column) = self.column(i as u32) {
                lead.set(FieldId(i as u32), column.value(row));
            }
        }
        for b in 0..self.counts.len() as u32 {
            let id = BehaviourId(b);
            if let Some(events) = Columns::events(self, b) {
                lead.set_events(id, events.row(row));
            }
            lead.set_count(id, self.counts(b).get(row).copied().unwrap_or(0));
        }
        Some(lead)
    }

    /// Whether the leads were read for `schema`'s fields and behaviours.
    pub(crate) fn fits(&self, schema: &Schema) -> bool {
        self.signature.iter().copied().eq(signature(schema))
    }
}

impl Columns for ArrowLeads<'_> {
    #[inline(always)]
    fn rows(&self) -> usize {
        self.rows
    }

    #[inline(always)]
    fn column(&self, field: u32) -> Option<ColumnView<'_>> {
        let ones = Bits::new(&self.ones, 0);
        match self.fields.get(field as usize)? {
            Held::Absent => None,
            Held::InPlace { values, present } => {
                let present = match present {
                    Presence::All => ones,
                    Presence::Valid(bits) => *bits,
                    Presence::Computed(bitmap) => bitmap.bits(),
                };
                Some(ColumnView { values: *values, present })
            }
            Held::Owned(column) => Some(column.view()),
        }
    }

    #[inline(always)]
    fn counts(&self, behaviour: u32) -> &[u32] {
        match self.counts.get(behaviour as usize) {
            Some(HeldCounts::InPlace(c)) => c,
            Some(HeldCounts::Owned(c)) => c,
            _ => &self.zeros,
        }
    }

    #[inline(always)]
    fn events(&self, behaviour: u32) -> Option<EventsView<'_>> {
        match self.events.get(behaviour as usize)? {
            Some(HeldEvents::InPlace { offsets, times }) => Some(EventsView { offsets, times }),
            Some(HeldEvents::Owned(events)) => Some(events.view()),
            None => None,
        }
    }
}

/// The kinds of a schema's fields (enums with their size) and its
/// behaviours, to check that leads fit a program.
fn signature(schema: &Schema) -> impl Iterator<Item = (u8, usize)> + '_ {
    let fields = schema.fields().iter().map(|f| match &f.ty {
        FieldType::String => (0, 0),
        FieldType::Int => (1, 0),
        FieldType::Number => (2, 0),
        FieldType::Bool => (3, 0),
        FieldType::Enum(values) => (4, values.len()),
    });
    let behaviours =
        (0..schema.behaviours().len()).map(|b| (5, usize::from(schema.is_event(BehaviourId(b as u32)))));
    fields.chain(behaviours)
}

fn type_error(column: &str, target: String, array: &dyn Array, expected: &'static str) -> ArrowError {
    ArrowError::Type { column: column.to_string(), target, found: array.data_type().to_string(), expected }
}
