//! Loading: a program file on disk (or program and schema text) to a
//! compiled [`Program`] — the library's front door.
//!
//! In: the path of a `.lead` source or a compiled `.leadc` file (told apart
//! by the compiled format's magic bytes, not the extension), optionally a
//! schema file that overrides the program's `schema` line; or program and
//! schema text. Out: a [`Program`] (with [`load_with`], also the checked
//! [`Scorecard`] and the [`Sources`] diagnostics point into), or a
//! [`LoadFailure`]: the diagnostics of whichever phase failed — reading
//! files, parsing, loading the schema, checking — or why a compiled file is
//! invalid. Each file is read once.
//!
//! ```
//! let program = leadc::compile(
//!     "category fit max 50\nfit age >= 18 : 10\n",
//!     "[fields]\nage = \"int\"\n",
//! ).unwrap();
//! let mut lead = program.new_lead();
//! lead.set_text(program.schema(), program.schema().field_id("age").unwrap(), "40").unwrap();
//! assert_eq!(program.evaluate(&lead).points, 10);
//!
//! let failure = leadc::compile("fit agee >= 18 : 10\n", "[fields]\nage = \"int\"\n").unwrap_err();
//! assert!(failure.to_string().contains("did you mean `age`?"), "{failure}");
//! ```
//!
//! The steps are public too: [`check_source`] parses and checks text
//! against a schema, [`load_schema`] reads a schema file.

use crate::check::{Scorecard, check};
use crate::compile::LoadError;
use crate::diag::codes;
use crate::diag::span::Span;
use crate::diag::{Diagnostic, FileId, Sources};
use crate::program::Program;
use crate::schema::Schema;
use crate::syntax::ast::{Ast, Item, SchemaDecl};
use crate::syntax::parse;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the schema of a program comes from.
#[derive(Debug, Clone)]
pub enum SchemaSource {
    /// This schema; any `schema` line in the program is not read.
    Given(Arc<Schema>),
    /// The file named by the program's `schema "..."` line, resolved against
    /// this directory (the program file's directory).
    RelativeTo(PathBuf),
}

/// A program loaded by [`load_with`], with what it was made from.
#[derive(Debug)]
pub struct Loaded {
    /// The compiled program.
    pub program: Program,
    /// The checked program, when loaded from source.
    pub scorecard: Option<Scorecard>,
    /// The files diagnostics (lints, for instance) point into.
    pub sources: Sources,
}

/// Why a program could not be loaded.
#[derive(Debug)]
pub enum LoadFailure {
    /// A file could not be read, parsed or checked: the diagnostics, and
    /// the files they point into (render them with
    /// [`Diagnostic::render`]).
    Diagnostics {
        /// What is wrong, in order.
        diagnostics: Vec<Diagnostic>,
        /// The program and schema files.
        sources: Sources,
    },
    /// The program file cannot be read (a schema file that cannot be read
    /// is a diagnostic, E0211, pointing at the `schema` line).
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// A compiled file that cannot be loaded (damaged, from another version
    /// of leadc, or not verified).
    Compiled {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        error: LoadError,
    },
}

impl fmt::Display for LoadFailure {
    /// The diagnostics as plain text, as `leadc check --color never` prints
    /// them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadFailure::Diagnostics { diagnostics, sources } => {
                diagnostics.iter().try_for_each(|d| f.write_str(&d.render(sources, false)))
            }
            LoadFailure::Unreadable { path, error } => write!(f, "cannot read `{}`: {error}", path.display()),
            LoadFailure::Compiled { path, error } => {
                write!(f, "`{}` is not a valid compiled program: {error}", path.display())
            }
        }
    }
}

impl std::error::Error for LoadFailure {}

/// Loads the program at `path`: a `.lead` source, checked against the
/// schema its `schema` line names, or a compiled file (one that starts
/// with the format's magic bytes, or any file named `*.leadc`, so that a
/// damaged compiled file is reported as one and not parsed as source).
pub fn load(path: impl AsRef<Path>) -> Result<Program, LoadFailure> {
    load_with(path.as_ref(), None).map(|loaded| loaded.program)
}

/// Compiles program `source` checked against the schema whose TOML text is
/// `schema` (any `schema` line in the program is not read); diagnostics
/// name the files `program.lead` and `schema.toml`.
pub fn compile(source: &str, schema: &str) -> Result<Program, LoadFailure> {
    compile_with(source, schema).map(|loaded| loaded.program)
}

/// Compiles program `source` against schema text as [`compile`] does,
/// keeping the checked program and the sources (`program.lead`,
/// `schema.toml`) its lints point into.
pub fn compile_with(source: &str, schema: &str) -> Result<Loaded, LoadFailure> {
    let mut sources = Sources::new();
    let result = schema_from_text(&mut sources, "schema.toml".into(), schema)
        .and_then(|schema| check_source(&mut sources, "program.lead", source, SchemaSource::Given(schema)));
    match result {
        Ok(card) => {
            let program = Program::compile_with_source(&card, without_bom(source));
            Ok(Loaded { program, scorecard: Some(card), sources })
        }
        Err(diagnostics) => Err(LoadFailure::Diagnostics { diagnostics, sources }),
    }
}

/// Loads the program at `path` as [`load`] does, or against the schema file
/// `schema` when given, keeping the checked program and the sources.
pub fn load_with(path: &Path, schema: Option<&Path>) -> Result<Loaded, LoadFailure> {
    let mut sources = Sources::new();
    let bytes =
        std::fs::read(path).map_err(|error| LoadFailure::Unreadable { path: path.to_path_buf(), error })?;
    if Program::is_compiled(&bytes) || path.extension().is_some_and(|e| e == "leadc") {
        return match Program::from_bytes(&bytes) {
            Ok(program) => Ok(Loaded { program, scorecard: None, sources }),
            Err(error) => Err(LoadFailure::Compiled { path: path.to_path_buf(), error }),
        };
    }
    match checked(path, &bytes, schema, &mut sources) {
        Ok((card, text)) => {
            let program = Program::compile_with_source(&card, text);
            Ok(Loaded { program, scorecard: Some(card), sources })
        }
        Err(diagnostics) => Err(LoadFailure::Diagnostics { diagnostics, sources }),
    }
}

/// The program source in `bytes` checked, with its text (without a BOM).
fn checked<'b>(
    path: &Path,
    bytes: &'b [u8],
    schema: Option<&Path>,
    sources: &mut Sources,
) -> Result<(Scorecard, &'b str), Vec<Diagnostic>> {
    let name = path.display().to_string();
    let text = decode(bytes).map_err(|offset| vec![not_utf8("the program file", &name, offset)])?;
    let schema = match schema {
        Some(schema) => SchemaSource::Given(load_schema(schema, sources)?),
        None => SchemaSource::RelativeTo(path.parent().map(Path::to_path_buf).unwrap_or_default()),
    };
    let card = check_source(sources, &name, text, schema)?;
    Ok((card, without_bom(text)))
}

/// The bytes of a file, or a diagnostic saying why they cannot be read.
fn read(path: &Path, what: &str) -> Result<Vec<u8>, Vec<Diagnostic>> {
    std::fs::read(path).map_err(|e| {
        vec![
            Diagnostic::error(
                codes::UNREADABLE_FILE,
                format!("cannot read {what} `{}`: {e}", path.display()),
            )
            .with_help("check the path and the file's permissions"),
        ]
    })
}

/// Reads, parses and checks the program file at `path`, loading the schema
/// its `schema` line names (relative to the program's directory).
pub fn load_program(path: &Path, sources: &mut Sources) -> Result<Scorecard, Vec<Diagnostic>> {
    let bytes = read(path, "the program file")?;
    checked(path, &bytes, None, sources).map(|(card, _)| card)
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
    let bytes = read(path, "the schema file")?;
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
    Diagnostic::error(codes::MISSING_SCHEMA_LINE, "the program does not name its schema")
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
    Diagnostic::error(codes::UNREADABLE_FILE, format!("cannot read the schema file `{schema_name}`: {error}"))
        .with_primary(file, decl.path_span, "named here")
        .with_help("the path is relative to the directory of the program file")
}

/// The diagnostic for a file that is not UTF-8: `what` (`"the program
/// file"`) named `name`, its first invalid byte at `offset`.
pub fn not_utf8(what: &str, name: &str, offset: usize) -> Diagnostic {
    Diagnostic::error(codes::NOT_UTF8, format!("{what} `{name}` is not valid UTF-8"))
        .with_note(format!("the first invalid byte is at offset {offset}"))
        .with_help("save the file as UTF-8 text")
}
