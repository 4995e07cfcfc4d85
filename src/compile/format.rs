//! The compiled file format, version 2.
//!
//! In: a `Bytecode` to save, or bytes to load. Out: the bytes of a
//! compiled file, or a verified `Bytecode`, or a [`LoadError`] saying what
//! is wrong and at which byte.
//!
//! Layout (all integers little-endian; byte by byte in `docs/bytecode.md`):
//!
//! ```text
//! 0   6  magic  b"LEADC\0"
//! 6   2  format version (2)
//! 8   4  FNV-1a 32 checksum of every byte from offset 16 on
//! 12  4  length of the body (every byte from offset 16 on)
//! 16  .. sections, in order: schema, strings, text sets, enum sets,
//!        tables, code (instructions, then behaviour steps); each is a tag byte, a u32 length and its payload
//! ```
//!
//! The schema is embedded, so a loaded program can lay out leads and read
//! CSV without the schema file.

use super::bytecode::{
    ArmInfo, Bytecode, CategoryInfo, RequireInfo, RuleInfo, RuleKindInfo, SegmentInfo, SourceInfo, TierInfo,
};
use super::bytes::{ReadError, Reader, Writer, fnv1a};
use super::encode::{
    STEP_SIZE, TIMED_SIZE, read_op, read_step, read_timed, write_op, write_step, write_timed,
};
use super::opcode::{BehaviourStep, Op, TimedStep};
use crate::compile::verify::{VerifyError, verify_at};
use crate::diag::codes;
use crate::diag::span::Span;
use crate::diag::{Diagnostic, FileId};
use crate::schema::{BehaviourId, FieldType, Intake, Schema};
use std::fmt;
use std::sync::Arc;

/// The first bytes of every compiled file.
pub const MAGIC: &[u8; 6] = b"LEADC\0";
/// The format version this build writes and reads.
pub const VERSION: u16 = 3;
/// The size of the header before the sections.
pub const HEADER_LEN: usize = 16;

const SECTIONS: [(u8, &str); 6] =
    [(1, "schema"), (2, "strings"), (3, "text sets"), (4, "enum sets"), (5, "tables"), (6, "code")];

/// Why a compiled file could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    /// The bytes do not start with `LEADC\0`.
    BadMagic,
    /// Written by another version of the format.
    UnsupportedVersion {
        /// The version found.
        found: u16,
    },
    /// The bytes end early.
    Truncated {
        /// Where the value that does not fit starts.
        offset: usize,
    },
    /// The checksum does not match: the file was changed or damaged.
    BadChecksum {
        /// The checksum in the header.
        stored: u32,
        /// The checksum of the bytes.
        computed: u32,
    },
    /// A value is not valid.
    Malformed {
        /// Where it starts.
        offset: usize,
        /// What is wrong.
        message: String,
    },
    /// The embedded schema is not valid.
    Schema {
        /// What is wrong.
        message: String,
    },
    /// The code fails verification.
    Verify(VerifyError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::BadMagic => f.write_str("not a compiled leadc program (bad magic bytes)"),
            LoadError::UnsupportedVersion { found } => {
                write!(f, "compiled with format version {found}; this leadc reads version {VERSION}")
            }
            LoadError::Truncated { offset } => write!(f, "the file ends early (at byte {offset})"),
            LoadError::BadChecksum { stored, computed } => {
                write!(
                    f,
                    "checksum mismatch (stored {stored:08x}, computed {computed:08x}): the file is damaged"
                )
            }
            LoadError::Malformed { offset, message } => write!(f, "byte {offset}: {message}"),
            LoadError::Schema { message } => write!(f, "the embedded schema is invalid: {message}"),
            LoadError::Verify(e) => write!(f, "verification failed: {e}"),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<ReadError> for LoadError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Truncated { offset } => LoadError::Truncated { offset },
            ReadError::Malformed { offset, message } => LoadError::Malformed { offset, message },
        }
    }
}

impl LoadError {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            LoadError::BadMagic => codes::NOT_A_COMPILED_FILE,
            LoadError::UnsupportedVersion { .. } => codes::UNSUPPORTED_VERSION,
            LoadError::Truncated { .. } => codes::TRUNCATED_FILE,
            LoadError::BadChecksum { .. } => codes::BAD_CHECKSUM,
            LoadError::Malformed { .. } => codes::MALFORMED_FILE,
            LoadError::Schema { .. } => codes::BAD_EMBEDDED_SCHEMA,
            LoadError::Verify(_) => codes::INVALID_BYTECODE,
        }
    }

    /// Converts to a diagnostic about the compiled file `file` (binary, so
    /// without a span; byte offsets are in the message).
    pub fn to_diagnostic(&self, file: FileId) -> Diagnostic {
        if let LoadError::Verify(e) = self {
            return e.to_diagnostic(file);
        }
        let help = match self {
            LoadError::BadMagic => "pass a file written by `leadc compile`",
            _ => "recompile the program from its source with this version of leadc",
        };
        Diagnostic::error(self.code(), format!("cannot load the compiled program: {self}")).with_help(help)
    }
}

/// Saves a program.
pub(crate) fn write(p: &Bytecode) -> Vec<u8> {
    let mut body = Writer::default();
    let mut section = |tag: u8, fill: &dyn Fn(&mut Writer)| {
        let mut w = Writer::default();
        fill(&mut w);
        body.u8(tag);
        body.len(w.buf.len());
        body.buf.extend_from_slice(&w.buf);
    };
    section(1, &|w| write_schema(w, &p.schema));
    section(2, &|w| {
        w.len(p.strings.len());
        p.strings.iter().for_each(|s| w.str(s));
    });
    section(3, &|w| {
        w.len(p.text_sets.len());
        for set in &p.text_sets {
            w.len(set.len());
            set.iter().for_each(|i| w.u32(*i));
        }
    });
    section(4, &|w| {
        w.len(p.enum_sets.len());
        for set in &p.enum_sets {
            w.len(set.len());
            set.iter().for_each(|word| w.u64(*word));
        }
    });
    section(5, &|w| write_tables(w, p));
    section(6, &|w| {
        w.len(p.code.len());
        p.code.iter().for_each(|op| write_op(w, op));
        w.len(p.steps.len());
        p.steps.iter().for_each(|step| write_step(w, step));
        w.len(p.timed.len());
        p.timed.iter().for_each(|timed| write_timed(w, timed));
    });
    let mut out = Writer::default();
    out.buf.extend_from_slice(MAGIC);
    out.u16(VERSION);
    out.u32(fnv1a(&body.buf));
    out.len(body.buf.len());
    out.buf.extend_from_slice(&body.buf);
    out.buf
}

/// Loads and verifies a program.
pub(crate) fn read(bytes: &[u8]) -> Result<Bytecode, LoadError> {
    let body = read_header(bytes)?;
    let mut r = Reader::new(body, HEADER_LEN);
    let mut sections = Vec::with_capacity(SECTIONS.len());
    for (tag, name) in SECTIONS {
        let at = r.offset();
        let found = r.u8()?;
        if found != tag {
            return Err(LoadError::Malformed { offset: at, message: format!("expected the {name} section") });
        }
        let len = r.count(1)?;
        let base = r.offset();
        sections.push(Reader::new(r.take(len)?, base));
    }
    if !r.is_empty() {
        return Err(LoadError::Malformed {
            offset: r.offset(),
            message: "bytes after the last section".into(),
        });
    }
    let [schema, strings, text_sets, enum_sets, tables, code] =
        <[Reader<'_>; 6]>::try_from(sections).map_err(|_| LoadError::Truncated { offset: HEADER_LEN })?;
    let mut p = Bytecode {
        schema: Arc::new(section(schema, read_schema)?),
        strings: section(strings, |r| {
            Ok(list(r, 4, |r| Ok(r.str()?.into_boxed_str()))?.into_iter().collect())
        })?,
        text_sets: section(text_sets, |r| Ok(list(r, 4, |r| Ok(list(r, 4, Reader::u32)?.into()))?))?,
        enum_sets: section(enum_sets, |r| Ok(list(r, 4, |r| Ok(list(r, 8, Reader::u64)?.into()))?))?,
        code: Vec::new(),
        steps: Vec::new(),
        timed: Vec::new(),
        requires: Vec::new(),
        segment: None,
        categories: Vec::new(),
        rules: Vec::new(),
        tiers: Vec::new(),
    };
    section(tables, |r| read_tables(r, &mut p))?;
    let (code, offsets, steps, timed) = section(code, read_code)?;
    p.code = code;
    p.steps = steps;
    p.timed = timed;
    verify_at(&p, Some(&offsets)).map_err(LoadError::Verify)?;
    Ok(p)
}

fn read_header(bytes: &[u8]) -> Result<&[u8], LoadError> {
    let mut r = Reader::new(bytes, 0);
    if r.take(MAGIC.len()).ok() != Some(MAGIC.as_slice()) {
        return Err(LoadError::BadMagic);
    }
    let version = r.u16()?;
    if version != VERSION {
        return Err(LoadError::UnsupportedVersion { found: version });
    }
    let stored = r.u32()?;
    let len = r.u32()? as usize;
    let body = bytes.get(HEADER_LEN..).unwrap_or(&[]);
    if body.len() < len {
        return Err(LoadError::Truncated { offset: bytes.len() });
    }
    if body.len() > len {
        return Err(LoadError::Malformed {
            offset: HEADER_LEN + len,
            message: "bytes after the body".into(),
        });
    }
    let computed = fnv1a(body);
    if stored != computed {
        return Err(LoadError::BadChecksum { stored, computed });
    }
    Ok(body)
}

/// Reads a whole section with `f`, which must use every byte.
fn section<T>(
    mut r: Reader<'_>,
    f: impl FnOnce(&mut Reader<'_>) -> Result<T, LoadError>,
) -> Result<T, LoadError> {
    let value = f(&mut r)?;
    if !r.is_empty() {
        return Err(LoadError::Malformed {
            offset: r.offset(),
            message: "unused bytes at the end of a section".into(),
        });
    }
    Ok(value)
}

/// A u32 count, then that many items of at least `min_size` bytes each.
fn list<'a, T>(
    r: &mut Reader<'a>,
    min_size: usize,
    mut item: impl FnMut(&mut Reader<'a>) -> Result<T, ReadError>,
) -> Result<Vec<T>, ReadError> {
    let n = r.count(min_size)?;
    (0..n).map(|_| item(r)).collect()
}

fn write_schema(w: &mut Writer, schema: &Schema) {
    w.len(schema.fields().len());
    for field in schema.fields() {
        w.str(&field.name);
        match &field.ty {
            FieldType::String => w.u8(if field.ignore_case { 5 } else { 0 }),
            FieldType::Int => w.u8(1),
            FieldType::Number => w.u8(2),
            FieldType::Bool => w.u8(3),
            FieldType::Enum(values) => {
                w.u8(4);
                w.len(values.len());
                values.iter().for_each(|v| w.str(v));
            }
        }
    }
    w.len(schema.behaviours().len());
    for (i, name) in schema.behaviours().iter().enumerate() {
        w.str(name);
        w.bool(schema.is_event(BehaviourId(i as u32)));
    }
    write_intake(w, schema.intake());
}

/// The schema's input conventions, after its behaviours (format 3).
fn write_intake(w: &mut Writer, intake: &Intake) {
    w.len(intake.columns.len());
    for (column, target) in &intake.columns {
        w.str(column);
        w.str(target);
    }
    for words in [&intake.missing, &intake.true_words, &intake.false_words] {
        w.len(words.len());
        words.iter().for_each(|word| w.str(word));
    }
    w.u32(intake.thousands.map_or(0, u32::from));
    w.u32(u32::from(intake.decimal));
    w.bool(intake.enum_any_case);
}

fn read_intake(r: &mut Reader<'_>) -> Result<Intake, LoadError> {
    let columns = list(r, 8, |r| Ok((r.str()?, r.str()?)))?;
    let missing = list(r, 4, Reader::str)?;
    let true_words = list(r, 4, Reader::str)?;
    let false_words = list(r, 4, Reader::str)?;
    let at = r.offset();
    let bad_char = || LoadError::Malformed { offset: at, message: "an invalid separator character".into() };
    let thousands = match r.u32()? {
        0 => None,
        c => Some(char::from_u32(c).ok_or_else(bad_char)?),
    };
    let decimal = char::from_u32(r.u32()?).ok_or_else(bad_char)?;
    let enum_any_case = r.bool()?;
    Ok(Intake { columns, missing, thousands, decimal, true_words, false_words, enum_any_case })
}

fn read_schema(r: &mut Reader<'_>) -> Result<Schema, LoadError> {
    let mut builder = Schema::builder();
    for _ in 0..r.count(5)? {
        let name = r.str()?;
        let at = r.offset();
        builder = match r.u8()? {
            0 => builder.field(name, FieldType::String),
            1 => builder.field(name, FieldType::Int),
            2 => builder.field(name, FieldType::Number),
            3 => builder.field(name, FieldType::Bool),
            4 => builder.field(name, FieldType::Enum(list(r, 4, Reader::str)?)),
            // A string field that ignores case: a type of its own, so files
            // without one are byte for byte what format 3 always wrote.
            5 => builder.string_ignoring_case(name),
            t => return Err(LoadError::Malformed { offset: at, message: format!("unknown field type {t}") }),
        };
    }
    for (name, event) in list(r, 5, |r| Ok((r.str()?, r.bool()?)))? {
        builder = if event { builder.event(name) } else { builder.behaviour(name) };
    }
    builder = builder.intake(read_intake(r)?);
    builder.build().map_err(|e| LoadError::Schema { message: e.message })
}

fn write_source(w: &mut Writer, s: &SourceInfo) {
    w.str(&s.text);
    w.len(s.span.start);
    w.len(s.span.end);
    w.u32(s.line);
    w.u32(s.column);
}

fn read_source(r: &mut Reader<'_>) -> Result<SourceInfo, ReadError> {
    let text = r.str()?;
    let span = Span::new(r.u32()? as usize, r.u32()? as usize);
    Ok(SourceInfo { text, span, line: r.u32()?, column: r.u32()? })
}

fn write_opt_str(w: &mut Writer, s: Option<&str>) {
    w.bool(s.is_some());
    if let Some(s) = s {
        w.str(s);
    }
}

fn read_opt_str(r: &mut Reader<'_>) -> Result<Option<String>, ReadError> {
    if r.bool()? { Ok(Some(r.str()?)) } else { Ok(None) }
}

fn write_tables(w: &mut Writer, p: &Bytecode) {
    w.len(p.requires.len());
    for req in &p.requires {
        w.i64(req.points);
        write_source(w, &req.source);
    }
    write_opt_str(w, p.segment.as_ref().map(|s| s.field.as_str()));
    if let Some(segment) = &p.segment {
        w.len(segment.arms.len());
        for arm in &segment.arms {
            w.u8(arm.digit);
            write_opt_str(w, arm.label.as_deref());
            write_source(w, &arm.source);
        }
    }
    w.len(p.categories.len());
    for cat in &p.categories {
        w.str(&cat.name);
        w.bool(cat.max.is_some());
        w.i64(cat.max.unwrap_or(0));
        write_source(w, &cat.source);
    }
    w.len(p.rules.len());
    for rule in &p.rules {
        w.u32(rule.category);
        w.u8(match rule.kind {
            RuleKindInfo::Fit => 0,
            RuleKindInfo::Behaviour => 1,
            RuleKindInfo::BehaviourEach => 2,
        });
        w.bool(rule.critical);
        w.i64(rule.points);
        write_source(w, &rule.source);
    }
    w.len(p.tiers.len());
    for tier in &p.tiers {
        w.str(&tier.name);
        write_source(w, &tier.source);
    }
}

const SOURCE_MIN: usize = 20;

fn read_tables(r: &mut Reader<'_>, p: &mut Bytecode) -> Result<(), LoadError> {
    p.requires = list(r, 8 + SOURCE_MIN, |r| Ok(RequireInfo { points: r.i64()?, source: read_source(r)? }))?;
    if let Some(field) = read_opt_str(r)? {
        let arms = list(r, 2 + SOURCE_MIN, |r| {
            Ok(ArmInfo { digit: r.u8()?, label: read_opt_str(r)?, source: read_source(r)? })
        })?;
        p.segment = Some(SegmentInfo { field, arms });
    }
    p.categories = list(r, 13 + SOURCE_MIN, |r| {
        let name = r.str()?;
        let has_max = r.bool()?;
        let at = r.offset();
        let max = r.i64()?;
        if !has_max && max != 0 {
            return Err(r.malformed(at, "an uncapped category with a cap value"));
        }
        Ok(CategoryInfo { name, max: has_max.then_some(max), source: read_source(r)? })
    })?;
    p.rules = list(r, 14 + SOURCE_MIN, |r| {
        let category = r.u32()?;
        let at = r.offset();
        let kind = match r.u8()? {
            0 => RuleKindInfo::Fit,
            1 => RuleKindInfo::Behaviour,
            2 => RuleKindInfo::BehaviourEach,
            k => return Err(r.malformed(at, format!("unknown rule kind {k}"))),
        };
        Ok(RuleInfo { category, kind, critical: r.bool()?, points: r.i64()?, source: read_source(r)? })
    })?;
    p.tiers = list(r, 4 + SOURCE_MIN, |r| Ok(TierInfo { name: r.str()?, source: read_source(r)? }))?;
    Ok(())
}

type Code = (Vec<Op>, Vec<usize>, Vec<BehaviourStep>, Vec<TimedStep>);

fn read_code(r: &mut Reader<'_>) -> Result<Code, LoadError> {
    let n = r.count(1)?;
    let mut code = Vec::with_capacity(n);
    let mut offsets = Vec::with_capacity(n);
    for _ in 0..n {
        offsets.push(r.offset());
        code.push(read_op(r)?);
    }
    let steps = list(r, STEP_SIZE, read_step)?;
    let timed = list(r, TIMED_SIZE, read_timed)?;
    Ok((code, offsets, steps, timed))
}
