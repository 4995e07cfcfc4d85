//! The front-end driver: a program file on disk to a checked [`Scorecard`].
//!
//! In: the path of a `.lead` file (or its text and a name), and where its
//! schema comes from. Out: a [`Scorecard`], or the diagnostics of whichever
//! phase failed — reading files, parsing, loading the schema, checking —
//! each pointing into the right file of a [`Sources`], so the caller can
//! render them.
//!
//! ```
//! use leadc::diag::Sources;
//! use leadc::frontend::{SchemaSource, check_source};
//! use leadc::schema::{FieldType, Schema};
//! use std::sync::Arc;
//! let schema = Arc::new(Schema::builder().field("age", FieldType::Int).build().unwrap());
//! let mut sources = Sources::new();
//! let text = "category fit max 50\nfit age >= 18 : 10\n";
//! let card = check_source(&mut sources, "a.lead", text, SchemaSource::Given(schema)).unwrap();
//! assert_eq!(card.categories.len(), 1);
//! ```

use crate::check::{Scorecard, check};
use crate::diag::{Diagnostic, FileId, Sources};
use crate::schema::Schema;
use crate::span::Span;
use crate::syntax::ast::{Ast, Item, SchemaDecl};
use crate::syntax::parse;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A program has no `schema` line and no schema was given.
pub const MISSING_SCHEMA_LINE: &str = "E0210";
/// A file (the program or its schema) cannot be read.
pub const UNREADABLE_FILE: &str = "E0211";
/// A file (the program or its schema) is not valid UTF-8.
pub const NOT_UTF8: &str = "E0212";

/// Where the schema of a program comes from.
#[derive(Debug, Clone)]
pub enum SchemaSource {
    /// This schema; any `schema` line in the program is not read.
    Given(Arc<Schema>),
    /// The file named by the program's `schema "..."` line, resolved against
    /// this directory (the program file's directory).
    RelativeTo(PathBuf),
}

/// Reads, parses and checks the program file at `path`, loading the schema
/// its `schema` line names (relative to the program's directory).
pub fn load_program(path: &Path, sources: &mut Sources) -> Result<Scorecard, Vec<Diagnostic>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        vec![
            Diagnostic::error(UNREADABLE_FILE, format!("cannot read the program file `{name}`: {e}"))
                .with_help("check the path and the file's permissions"),
        ]
    })?;
    let text = decode(&bytes).map_err(|offset| vec![not_utf8("the program file", &name, offset)])?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    check_source(sources, &name, text, SchemaSource::RelativeTo(dir))
}

/// Parses and checks program `text`, adding it to `sources` as `name`.
pub fn check_source(
    sources: &mut Sources,
    name: &str,
    text: &str,
    schema: SchemaSource,
) -> Result<Scorecard, Vec<Diagnostic>> {
    let text = without_bom(text);
    let file = sources.add(name, text);
    let ast =
        parse(text).map_err(|errors| errors.iter().map(|e| e.to_diagnostic(file)).collect::<Vec<_>>())?;
    let schema = match schema {
        SchemaSource::Given(schema) => schema,
        SchemaSource::RelativeTo(dir) => load_named_schema(&ast, &dir, name, file, sources)?,
    };
    check(&ast, schema).map_err(|errors| errors.iter().map(|e| e.to_diagnostic(file)).collect())
}

/// Loads the schema named by the program's first `schema` line.
fn load_named_schema(
    ast: &Ast,
    dir: &Path,
    program_name: &str,
    file: FileId,
    sources: &mut Sources,
) -> Result<Arc<Schema>, Vec<Diagnostic>> {
    let Some(decl) = ast.items.iter().find_map(|item| match item {
        Item::Schema(decl) => Some(decl),
        _ => None,
    }) else {
        return Err(vec![missing_schema_line(program_name, file)]);
    };
    let path = dir.join(&decl.path);
    let schema_name = path.display().to_string();
    let bytes = std::fs::read(&path).map_err(|e| vec![unreadable_schema(decl, &schema_name, &e, file)])?;
    let text = decode(&bytes).map_err(|offset| {
        vec![not_utf8("the schema file", &schema_name, offset).with_primary(
            file,
            decl.path_span,
            "named here",
        )]
    })?;
    schema_from_text(sources, schema_name, text)
}

/// Reads and loads a schema file named directly rather than by a `schema`
/// line (the command line's `--schema FILE`), adding it to `sources`.
pub fn load_schema(path: &Path, sources: &mut Sources) -> Result<Arc<Schema>, Vec<Diagnostic>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        vec![
            Diagnostic::error(UNREADABLE_FILE, format!("cannot read the schema file `{name}`: {e}"))
                .with_help("check the path and the file's permissions"),
        ]
    })?;
    let text = decode(&bytes).map_err(|offset| vec![not_utf8("the schema file", &name, offset)])?;
    schema_from_text(sources, name, text)
}

/// Loads a schema from its text, locating any error in the schema file.
fn schema_from_text(sources: &mut Sources, name: String, text: &str) -> Result<Arc<Schema>, Vec<Diagnostic>> {
    let text = without_bom(text);
    let file = sources.add(name.clone(), text);
    match Schema::from_toml(text) {
        Ok(schema) => Ok(Arc::new(schema)),
        Err(errors) => Err(errors
            .iter()
            .map(|e| match e.span {
                Some(_) => e.to_diagnostic(file),
                // Without a location, at least say which file.
                None => e.to_diagnostic(file).with_note(format!("in the schema file `{name}`")),
            })
            .collect()),
    }
}

/// The text without the byte-order mark some editors put at the start.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The text of a file, or the byte offset of its first invalid UTF-8.
fn decode(bytes: &[u8]) -> Result<&str, usize> {
    std::str::from_utf8(bytes).map_err(|e| e.valid_up_to())
}

fn missing_schema_line(program_name: &str, file: FileId) -> Diagnostic {
    let stem = Path::new(program_name).file_stem().and_then(|s| s.to_str()).unwrap_or("leads");
    Diagnostic::error(MISSING_SCHEMA_LINE, "the program does not name its schema")
        .with_primary(file, Span::new(0, 0), "expected a `schema` line")
        .with_help(format!(
            "add a line naming the lead schema file, relative to this file: `schema \"{stem}.schema.toml\"`"
        ))
}

fn unreadable_schema(
    decl: &SchemaDecl,
    schema_name: &str,
    error: &std::io::Error,
    file: FileId,
) -> Diagnostic {
    Diagnostic::error(UNREADABLE_FILE, format!("cannot read the schema file `{schema_name}`: {error}"))
        .with_primary(file, decl.path_span, "named here")
        .with_help("the path is relative to the directory of the program file")
}

fn not_utf8(what: &str, name: &str, offset: usize) -> Diagnostic {
    Diagnostic::error(NOT_UTF8, format!("{what} `{name}` is not valid UTF-8"))
        .with_note(format!("the first invalid byte is at offset {offset}"))
        .with_help("save the file as UTF-8 text")
}
