//! Reading one Arrow array as a field's, a count's or an event's column.
//!
//! In: an array, the field or behaviour it fills, and a sink for row
//! problems. Out: the column, in place when the array already has
//! leadc's layout, else converted once; `Err` with the Arrow types that
//! would do when the array's type cannot hold the values.
//!
//! | fills | in place | converted |
//! |---|---|---|
//! | int | `Int64` | other integers; `Float*` holding whole numbers; strings |
//! | number | `Float64` (NaN is missing) | integers, `Float32`; strings |
//! | bool | `Boolean` | strings |
//! | enum | — | strings, dictionaries of strings |
//! | string | `Utf8`, `LargeUtf8` | `Utf8View`, dictionaries of strings |
//! | count | `UInt32` without nulls | other integers (null is 0); strings |
//! | events | `List` of `Timestamp(s)` or `Int64` seconds | lists of other units or dates; one timestamp or date per row; `;`-separated strings |
//!
//! A column of Arrow type `Null` is read as no column: every value
//! missing, every count 0.
//!
//! Strings are read as CSV cells are: trimmed, blank or a missing token is
//! missing, parsed by the schema's intake rules. A string field that
//! ignores case is read in place only when it holds no capitals; else it
//! is copied, lowercased.

use super::{Held, HeldCounts, HeldEvents, Presence};
use crate::input::cell::{count_of, not_a_count};
use crate::lead::batch::{Bitmap, Bits, Column, Events, Values, ValuesView};
use crate::lead::{ValueError, push_instants};
use crate::schema::{Field, FieldType, Intake, Schema, trim_cell};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
    UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrowPrimitiveType, GenericListArray, OffsetSizeTrait, PrimitiveArray};
use arrow_schema::{DataType, TimeUnit};

/// Row problems go here: the row and what is wrong.
type Bad<'b> = &'b mut dyn FnMut(usize, ValueError);

const INT: &str = "Int64 (in place), another integer type, whole Float64 values, or strings";
const NUMBER: &str = "Float64 (in place), an integer type, Float32, or strings";
const BOOL: &str = "Boolean (in place) or strings";
const ENUM: &str = "strings (Utf8, LargeUtf8, Utf8View) or a dictionary of strings";
const STRING: &str = "Utf8 or LargeUtf8 (in place), Utf8View or a dictionary of strings";
const COUNT: &str = "UInt32 (in place), another integer type, whole Float64 values, or strings";
const EVENTS: &str = "a List of Timestamp(Second) or Int64 seconds (in place), a list of other \
                      timestamps or dates, one timestamp or date per row, or `;`-separated strings";

/// A string field's column read where it lies: `Utf8` (`O = i32`) or
/// `LargeUtf8` (`O = i64`) whose bytes are UTF-8 (and, for a field that
/// ignores case, hold no capitals).
fn strings_in_place<'a, O: OffsetSizeTrait>(
    def: &Field,
    intake: &Intake,
    array: &'a dyn Array,
    view: impl FnOnce(&'a [O], &'a str) -> ValuesView<'a>,
) -> Option<Held<'a>> {
    let strings = array.as_string_opt::<O>()?;
    let bytes = std::str::from_utf8(strings.values()).ok()?;
    if def.ignore_case && !matches!(crate::schema::fold_case(bytes), std::borrow::Cow::Borrowed(_)) {
        return None;
    }
    let present = computed(array.len(), |row| {
        strings.is_valid(row) && !intake.is_missing(trim_cell(strings.value(row)))
    });
    Some(Held::InPlace { values: view(strings.value_offsets(), bytes), present })
}

/// Field `def`'s column from `array`.
pub(super) fn field<'a>(
    schema: &Schema,
    def: &Field,
    array: &'a dyn Array,
    bad: &mut impl FnMut(usize, ValueError),
) -> Result<Held<'a>, &'static str> {
    let intake = schema.intake();
    let bad: Bad<'_> = bad;
    if let FieldType::String = def.ty
        && let Some(held) =
            strings_in_place::<i32>(def, intake, array, |o, bytes| ValuesView::Text { offsets: o, bytes })
                .or_else(|| {
                    strings_in_place::<i64>(def, intake, array, |o, bytes| ValuesView::LargeText {
                        offsets: o,
                        bytes,
                    })
                })
    {
        return Ok(held);
    }
    if let FieldType::Enum(names) = &def.ty
        && let Some(held) = enum_dictionary(def, names, intake, array, &mut *bad)
    {
        return Ok(held);
    }
    if let Some(held) = strings(def, intake, array, bad) {
        return Ok(held);
    }
    let ty = array.data_type();
    match &def.ty {
        FieldType::Int => ints(def, array, bad).ok_or(INT),
        FieldType::Number => numbers(def, array, bad).ok_or(NUMBER),
        FieldType::Bool => match ty {
            DataType::Boolean => {
                let b = array.as_boolean();
                let values = ValuesView::Bool(Bits::new(b.values().values(), b.values().offset()));
                Ok(Held::InPlace { values, present: validity(array) })
            }
            _ => Err(BOOL),
        },
        FieldType::Enum(_) => Err(ENUM),
        FieldType::String => Err(STRING),
    }
}

/// A column parsed from strings, as CSV cells are parsed: `None` when
/// the array does not hold strings.
fn strings<'a>(def: &Field, intake: &Intake, array: &'a dyn Array, bad: Bad<'_>) -> Option<Held<'a>> {
    let cells = string_cells(array)?;
    let mut column = Column::new(def);
    column.extend(0, array.len());
    column.fill(0, def, intake, cells.into_iter(), &mut *bad);
    Some(Held::Owned(column))
}

/// An enum field's column from a dictionary of strings: each dictionary
/// value is looked up once (a missing token, an index, or not a value),
/// then each row takes its key's. `None` when the array is not one.
fn enum_dictionary<'a>(
    def: &Field,
    names: &[String],
    intake: &Intake,
    array: &'a dyn Array,
    bad: Bad<'_>,
) -> Option<Held<'a>> {
    let d = array.as_any_dictionary_opt()?;
    let words = string_cells(d.values().as_ref())?;
    /// What a dictionary value reads as.
    #[derive(Clone, Copy)]
    enum Word {
        Missing,
        Index(u32),
        Bad,
    }
    let read: Vec<Word> = words
        .iter()
        .map(|w| match w.map(trim_cell) {
            None => Word::Missing,
            Some(t) if intake.is_missing(t) => Word::Missing,
            Some(t) => intake.enum_index(names, t).map_or(Word::Bad, |i| Word::Index(i as u32)),
        })
        .collect();
    let n = array.len();
    let (mut values, mut present) = (vec![0u32; n], Bitmap::off(n));
    let keys = if read.is_empty() { Vec::new() } else { d.normalized_keys() };
    for (row, &key) in keys.iter().enumerate() {
        if array.is_null(row) {
            continue;
        }
        match read.get(key).copied().unwrap_or(Word::Missing) {
            Word::Missing => {}
            Word::Index(i) => {
                values[row] = i;
                present.set(row, true);
            }
            Word::Bad => bad(row, crate::lead::not_a(def, intake, words[key].unwrap_or(""))),
        }
    }
    let count = names.len() as u32;
    Some(Held::Owned(Column { values: Values::Enum { values, count }, present, fold: false }))
}

/// An int field's column from an integer or float array.
fn ints<'a>(def: &Field, array: &'a dyn Array, bad: Bad<'_>) -> Option<Held<'a>> {
    if let Some(a) = array.as_primitive_opt::<Int64Type>() {
        return Some(Held::InPlace { values: ValuesView::Int(a.values()), present: validity(array) });
    }
    // 2^63 is the first float past `i64::MAX`.
    let (lo, hi) = (-(2f64.powi(63)), 2f64.powi(63) - 1024.0);
    let values = match array.data_type() {
        DataType::Int8 => widened::<Int8Type, i64>(array, |x| Ok(Some(x.into()))),
        DataType::Int16 => widened::<Int16Type, i64>(array, |x| Ok(Some(x.into()))),
        DataType::Int32 => widened::<Int32Type, i64>(array, |x| Ok(Some(x.into()))),
        DataType::UInt8 => widened::<UInt8Type, i64>(array, |x| Ok(Some(x.into()))),
        DataType::UInt16 => widened::<UInt16Type, i64>(array, |x| Ok(Some(x.into()))),
        DataType::UInt32 => widened::<UInt32Type, i64>(array, |x| Ok(Some(x.into()))),
        DataType::UInt64 => widened::<UInt64Type, i64>(array, |x| fits(i64::try_from(x).ok())),
        DataType::Float32 => widened::<Float32Type, i64>(array, |x| whole(x.into(), lo, hi)),
        DataType::Float64 => widened::<Float64Type, i64>(array, |x| whole(x, lo, hi)),
        _ => return None,
    };
    Some(owned(def, values, bad, "an integer", Values::Int))
}

/// A number field's column from a float or integer array.
fn numbers<'a>(def: &Field, array: &'a dyn Array, bad: Bad<'_>) -> Option<Held<'a>> {
    if let Some(a) = array.as_primitive_opt::<Float64Type>()
        && a.values().iter().all(|x| x.is_finite() || x.is_nan())
    {
        let present = if a.values().iter().any(|x| x.is_nan()) {
            computed(a.len(), |row| a.is_valid(row) && !a.value(row).is_nan())
        } else {
            validity(array)
        };
        return Some(Held::InPlace { values: ValuesView::Number(a.values()), present });
    }
    let values = match array.data_type() {
        DataType::Int8 => widened::<Int8Type, f64>(array, |x| Ok(Some(x.into()))),
        DataType::Int16 => widened::<Int16Type, f64>(array, |x| Ok(Some(x.into()))),
        DataType::Int32 => widened::<Int32Type, f64>(array, |x| Ok(Some(x.into()))),
        DataType::Int64 => widened::<Int64Type, f64>(array, |x| Ok(Some(x as f64))),
        DataType::UInt8 => widened::<UInt8Type, f64>(array, |x| Ok(Some(x.into()))),
        DataType::UInt16 => widened::<UInt16Type, f64>(array, |x| Ok(Some(x.into()))),
        DataType::UInt32 => widened::<UInt32Type, f64>(array, |x| Ok(Some(x.into()))),
        DataType::UInt64 => widened::<UInt64Type, f64>(array, |x| Ok(Some(x as f64))),
        DataType::Float32 => widened::<Float32Type, f64>(array, |x| nan_missing(x.into())),
        DataType::Float64 => widened::<Float64Type, f64>(array, nan_missing),
        _ => return None,
    };
    Some(owned(def, values, bad, "a finite number", Values::Number))
}

/// NaN reads as missing (pandas writes it for a missing number); an
/// infinity is not a value.
fn nan_missing(x: f64) -> Converted<f64> {
    if x.is_nan() { Ok(None) } else { fits(x.is_finite().then_some(x)) }
}

/// An array's values converted: each row's value (a default where
/// none), which rows have one, and the rows whose value does not fit
/// (shown as text).
struct Widened<T> {
    values: Vec<T>,
    present: Bitmap,
    bad: Vec<(usize, String)>,
}

/// What a value converts to: `Ok(None)` missing (a float NaN), `Err` a
/// value that does not fit.
type Converted<T> = Result<Option<T>, ()>;

fn widened<P, T>(array: &dyn Array, convert: impl Fn(P::Native) -> Converted<T>) -> Widened<T>
where
    P: ArrowPrimitiveType,
    P::Native: std::fmt::Display,
    T: Default + Clone,
{
    let n = array.len();
    let mut w = Widened { values: vec![T::default(); n], present: Bitmap::off(n), bad: Vec::new() };
    let Some(a) = array.as_primitive_opt::<P>() else { return w };
    let nulls = a.nulls().filter(|n| n.null_count() > 0);
    for (row, &x) in a.values().iter().enumerate() {
        if nulls.is_some_and(|n| n.is_null(row)) {
            continue;
        }
        match convert(x) {
            Ok(Some(v)) => {
                if let Some(slot) = w.values.get_mut(row) {
                    *slot = v;
                }
                w.present.set(row, true);
            }
            Ok(None) => {}
            Err(()) => w.bad.push((row, x.to_string())),
        }
    }
    w
}

/// A value that converts, or does not fit.
fn fits<T>(value: Option<T>) -> Converted<T> {
    value.map(Some).ok_or(())
}

/// A float as a whole number in `lo..=hi`; NaN is missing.
fn whole<T: TryFrom<i64>>(x: f64, lo: f64, hi: f64) -> Converted<T> {
    if x.is_nan() {
        return Ok(None);
    }
    let ok = x.fract() == 0.0 && (lo..=hi).contains(&x);
    fits(ok.then(|| T::try_from(x as i64).ok()).flatten())
}

/// An owned column from converted values.
fn owned<'a, T>(
    def: &Field,
    values: Widened<T>,
    bad: Bad<'_>,
    expected: &str,
    wrap: fn(Vec<T>) -> Values,
) -> Held<'a> {
    for (row, text) in values.bad {
        bad(row, ValueError { field: def.name.clone(), value: text, expected: expected.to_string() });
    }
    Held::Owned(Column { values: wrap(values.values), present: values.present, fold: false })
}

/// A count column from `array`.
pub(super) fn counts<'a>(
    name: &str,
    schema: &Schema,
    array: &'a dyn Array,
    bad: &mut impl FnMut(usize, ValueError),
) -> Result<HeldCounts<'a>, &'static str> {
    let n = array.len();
    if let Some(a) = array.as_primitive_opt::<UInt32Type>()
        && a.null_count() == 0
    {
        return Ok(HeldCounts::InPlace(a.values()));
    }
    let intake = schema.intake();
    if let Some(texts) = string_cells(array) {
        let mut out = vec![0; n];
        for (row, text) in texts.into_iter().enumerate() {
            let Some(text) = text else { continue };
            match count_of(intake, text) {
                Some(c) => out[row] = c,
                None => bad(row, not_a_count(name, text)),
            }
        }
        return Ok(HeldCounts::Owned(out));
    }
    let (lo, hi) = (0.0, f64::from(u32::MAX));
    let values = match array.data_type() {
        DataType::Int8 => widened::<Int8Type, u32>(array, |x| fits(u32::try_from(x).ok())),
        DataType::Int16 => widened::<Int16Type, u32>(array, |x| fits(u32::try_from(x).ok())),
        DataType::Int32 => widened::<Int32Type, u32>(array, |x| fits(u32::try_from(x).ok())),
        DataType::Int64 => widened::<Int64Type, u32>(array, |x| fits(u32::try_from(x).ok())),
        DataType::UInt8 => widened::<UInt8Type, u32>(array, |x| Ok(Some(x.into()))),
        DataType::UInt16 => widened::<UInt16Type, u32>(array, |x| Ok(Some(x.into()))),
        DataType::UInt32 => widened::<UInt32Type, u32>(array, |x| Ok(Some(x))),
        DataType::UInt64 => widened::<UInt64Type, u32>(array, |x| fits(u32::try_from(x).ok())),
        DataType::Float32 => widened::<Float32Type, u32>(array, |x| whole(x.into(), lo, hi)),
        DataType::Float64 => widened::<Float64Type, u32>(array, |x| whole(x, lo, hi)),
        _ => return Err(COUNT),
    };
    for (row, text) in &values.bad {
        bad(*row, not_a_count(name, text));
    }
    Ok(HeldCounts::Owned(values.values))
}

/// An event behaviour's events from `array`, and their counts.
pub(super) fn events<'a>(
    name: &str,
    array: &'a dyn Array,
    bad: &mut impl FnMut(usize, ValueError),
) -> Result<(HeldEvents<'a>, Vec<u32>), &'static str> {
    let n = array.len();
    if let Some(list) = array.as_list_opt::<i32>() {
        let offsets = list.value_offsets();
        let counts = (0..n).map(|r| (offsets[r + 1] - offsets[r]).max(0) as u32).collect::<Vec<_>>();
        let child = list.values();
        let seconds = match child.data_type() {
            DataType::Int64 => child.as_primitive_opt::<Int64Type>().map(|a| a.values().as_ref()),
            DataType::Timestamp(TimeUnit::Second, _) => {
                child.as_primitive_opt::<TimestampSecondType>().map(|a| a.values().as_ref())
            }
            _ => None,
        };
        if let Some(times) = seconds
            && child.null_count() == 0
            && (0..n).all(|r| list.is_valid(r) || counts[r] == 0)
        {
            return Ok((HeldEvents::InPlace { offsets, times }, counts));
        }
    }
    let mut events = Events::default();
    let mut push_row = |events: &mut Events, row: usize, times: &mut dyn Iterator<Item = Option<i64>>| {
        let start = events.times.len();
        for t in times {
            match t {
                Some(t) => events.times.push(t),
                None => {
                    events.times.truncate(start);
                    bad(row, not_an_instant(name, "null"));
                    break;
                }
            }
        }
        events.offsets.push(events.times.len() as i32);
    };
    if let Some((child, rows)) = list_rows(array) {
        let instants = instants(child).ok_or(EVENTS)?;
        for (row, range) in rows.into_iter().enumerate() {
            push_row(&mut events, row, &mut instants.get(range).unwrap_or(&[]).iter().copied());
        }
    } else if let Some(instants) = instants(array) {
        for (row, t) in instants.into_iter().enumerate() {
            push_row(&mut events, row, &mut t.into_iter().map(Some));
        }
    } else {
        let texts = string_cells(array).ok_or(EVENTS)?;
        for (row, text) in texts.into_iter().enumerate() {
            let start = events.times.len();
            if let Some(text) = text
                && let Err(e) = push_instants(&mut events.times, name, text)
            {
                events.times.truncate(start);
                bad(row, e);
            }
            events.offsets.push(events.times.len() as i32);
        }
    }
    if i32::try_from(events.times.len()).is_err() {
        return Err("a record batch with fewer than 2^31 events per behaviour");
    }
    let counts = (0..n).map(|r| (events.offsets[r + 1] - events.offsets[r]) as u32).collect();
    Ok((HeldEvents::Owned(events), counts))
}

/// A list array's child and each row's range in it (empty for a null
/// row), for lists with `i32` or `i64` offsets.
fn list_rows(array: &dyn Array) -> Option<(&dyn Array, Vec<std::ops::Range<usize>>)> {
    fn rows<O: OffsetSizeTrait>(list: &GenericListArray<O>) -> Vec<std::ops::Range<usize>> {
        let offsets = list.value_offsets();
        (0..list.len())
            .map(|r| match (list.is_valid(r), offsets.get(r), offsets.get(r + 1)) {
                (true, Some(a), Some(b)) => a.as_usize()..b.as_usize(),
                _ => 0..0,
            })
            .collect()
    }
    if let Some(list) = array.as_list_opt::<i32>() {
        return Some((list.values().as_ref(), rows(list)));
    }
    array.as_list_opt::<i64>().map(|list| (list.values().as_ref(), rows(list)))
}

/// An array of instants as seconds since the epoch (floor), null as
/// `None`; `None` when it does not hold timestamps, dates or `Int64`.
fn instants(array: &dyn Array) -> Option<Vec<Option<i64>>> {
    fn each<P: ArrowPrimitiveType>(a: &PrimitiveArray<P>, f: impl Fn(P::Native) -> i64) -> Vec<Option<i64>> {
        (0..a.len()).map(|r| a.is_valid(r).then(|| f(a.value(r)))).collect()
    }
    Some(match array.data_type() {
        DataType::Int64 => each(array.as_primitive::<Int64Type>(), |x| x),
        DataType::Timestamp(TimeUnit::Second, _) => each(array.as_primitive::<TimestampSecondType>(), |x| x),
        DataType::Timestamp(TimeUnit::Millisecond, _) => {
            each(array.as_primitive::<TimestampMillisecondType>(), |x| x.div_euclid(1_000))
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            each(array.as_primitive::<TimestampMicrosecondType>(), |x| x.div_euclid(1_000_000))
        }
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            each(array.as_primitive::<TimestampNanosecondType>(), |x| x.div_euclid(1_000_000_000))
        }
        DataType::Date32 => each(array.as_primitive::<Date32Type>(), |d| i64::from(d) * 86_400),
        DataType::Date64 => each(array.as_primitive::<Date64Type>(), |ms| ms.div_euclid(1_000)),
        _ => return None,
    })
}

/// An array's strings, null as `None`, when it holds strings (plain,
/// large, views, or a dictionary of any of them).
fn string_cells(array: &dyn Array) -> Option<Vec<Option<&str>>> {
    if let Some(a) = array.as_string_opt::<i32>() {
        return Some(a.iter().collect());
    }
    if let Some(a) = array.as_string_opt::<i64>() {
        return Some(a.iter().collect());
    }
    if let Some(a) = array.as_string_view_opt() {
        return Some(a.iter().collect());
    }
    let d = array.as_any_dictionary_opt()?;
    let words = string_cells(d.values().as_ref())?;
    // `normalized_keys` asserts that a dictionary has values; with none,
    // every row is null.
    let keys = if words.is_empty() { Vec::new() } else { d.normalized_keys() };
    let word = |row: usize| keys.get(row).and_then(|&k| words.get(k).copied().flatten());
    Some((0..array.len()).map(|row| word(row).filter(|_| array.is_valid(row))).collect())
}

fn not_an_instant(name: &str, value: &str) -> ValueError {
    ValueError { field: name.to_string(), value: value.to_string(), expected: "a timestamp".to_string() }
}

/// The array's validity: every row when it has no nulls.
fn validity(array: &dyn Array) -> Presence<'_> {
    match array.nulls() {
        Some(nulls) if nulls.null_count() > 0 => {
            Presence::Valid(Bits::new(nulls.inner().values(), nulls.inner().offset()))
        }
        _ => Presence::All,
    }
}

/// A presence bitmap computed row by row.
fn computed<'a>(n: usize, present: impl Fn(usize) -> bool) -> Presence<'a> {
    let mut bits = Bitmap::off(n);
    for row in 0..n {
        bits.set(row, present(row));
    }
    Presence::Computed(bits)
}
