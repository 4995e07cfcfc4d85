//! The one diagnostic type every phase's errors and lints convert into.
//!
//! In: typed errors from the parser, schema loader and checker, and lint
//! findings, each converted with its phase's `to_diagnostic`. Out: a
//! [`Diagnostic`] with a stable code, a severity, a message, labelled spans
//! and advice, which renders rustc-style through codespan-reporting
//! ([`Diagnostic::render`]) or as data for `--format json`
//! ([`Diagnostic::to_json`]). Rendering lives only here, at the edge.
//!
//! A rendered diagnostic shows the source lines its labels point at, and a
//! long line only around its labels, cut with `…` (`window`, which says
//! how), so that a megabyte-long line does not make a megabyte-long
//! diagnostic; the `file:line:col` it prints stays that of the file. JSON
//! diagnostics give positions and byte spans, never source text.

pub mod codes;
pub mod span;
pub mod suggest;
mod window;

use crate::diag::span::{LineIndex, Span};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::term;
use serde::Serialize;

/// Identifies a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct FileId(usize);

/// The source files diagnostics point into: programs and schemas.
///
/// Each file's line starts are found once, when it is added, so that
/// locating and rendering many diagnostics costs no rescan of the file.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

#[derive(Debug, Default, Clone)]
struct SourceFile {
    name: String,
    text: String,
    lines: LineIndex,
}

impl Sources {
    /// An empty set of files.
    pub fn new() -> Sources {
        Sources::default()
    }

    /// Adds a file by display name and text, returning its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let text = text.into();
        let lines = LineIndex::new(&text);
        self.files.push(SourceFile { name: name.into(), text, lines });
        FileId(self.files.len() - 1)
    }

    /// The id of the file added under `name`, if any (the last one when
    /// several share the name).
    pub fn find(&self, name: &str) -> Option<FileId> {
        self.files.iter().rposition(|f| f.name == name).map(FileId)
    }

    /// The display name of a file.
    pub fn name(&self, id: FileId) -> &str {
        self.files.get(id.0).map_or("<unknown>", |f| f.name.as_str())
    }

    /// The text of a file.
    pub fn text(&self, id: FileId) -> &str {
        self.files.get(id.0).map_or("", |f| f.text.as_str())
    }

    /// The 1-based line and column of byte `offset` of a file, as
    /// [`crate::diag::span::line_col`] gives them, from the file's line index.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        self.files.get(id.0).map_or((1, 1), |f| f.lines.line_col(&f.text, offset))
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational.
    Note,
    /// Reported, does not fail the command.
    Warning,
    /// Fails the command.
    Error,
}

/// A span in a file with a message saying what is there.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// The file the span is in.
    pub file: FileId,
    /// The span.
    pub span: Span,
    /// What the label says (may be empty).
    pub message: String,
}

impl Label {
    /// A label on `span` in `file`.
    pub fn new(file: FileId, span: Span, message: impl Into<String>) -> Label {
        Label { file, span, message: message.into() }
    }
}

/// A problem report: error, warning or note.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The stable code, e.g. `E0301` or `L0004`.
    pub code: String,
    /// For lints, the kebab-case lint name.
    pub lint: Option<String>,
    /// How serious it is.
    pub severity: Severity,
    /// One lowercase sentence saying what is wrong.
    pub message: String,
    /// Where it is wrong, if anywhere in a file.
    pub primary: Option<Label>,
    /// Other places that explain it.
    pub secondary: Vec<Label>,
    /// Extra facts (`= note: ...`).
    pub notes: Vec<String>,
    /// How to fix it (`= help: ...`).
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with a code, severity and message, and nothing else yet.
    pub fn new(code: impl Into<String>, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.into(),
            lint: None,
            severity,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    /// An error.
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(code, Severity::Error, message)
    }

    /// Sets the primary label.
    pub fn with_primary(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.primary = Some(Label::new(file, span, message));
        self
    }

    /// Adds a secondary label.
    pub fn with_secondary(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label::new(file, span, message));
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this diagnostic fails the command.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders rustc-style, with ANSI colour when `color` is true. A source
    /// line longer than its labels need is cut around them (`…` marks each
    /// cut); line and column numbers are the file's.
    ///
    /// ```
    /// use leadc::diag::{Diagnostic, Sources};
    /// use leadc::diag::span::Span;
    /// let mut sources = Sources::new();
    /// let file = sources.add("a.lead", "fit x : 1\n");
    /// let d = Diagnostic::error("E0301", "unknown field `x`")
    ///     .with_primary(file, Span::new(4, 5), "not in the schema");
    /// let text = d.render(&sources, false);
    /// assert!(text.contains("a.lead:1:5"));
    /// ```
    pub fn render(&self, sources: &Sources, color: bool) -> String {
        let config = term::Config::default();
        let labels: Vec<(FileId, Span)> =
            self.primary.iter().chain(&self.secondary).map(|l| (l.file, l.span)).collect();
        // A span that does not fit its file cannot be shown: the short form
        // keeps the message.
        let Some(files) = window::Shown::new(sources, &labels, &config) else {
            return self.render_short(sources);
        };
        let diagnostic = self.to_codespan(&files);
        let result = if color {
            let mut buffer = term::termcolor::Buffer::ansi();
            term::emit_to_write_style(&mut buffer, &config, &files, &diagnostic)
                .map(|()| String::from_utf8_lossy(buffer.as_slice()).into_owned())
        } else {
            term::emit_into_string(&config, &files, &diagnostic)
        };
        // Rendering fails only if a span does not fit its file; fall back to
        // the short form rather than lose the message.
        result.unwrap_or_else(|_| self.render_short(sources))
    }

    /// Renders one line: `file:line:col: severity[code]: message`.
    pub fn render_short(&self, sources: &Sources) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        match &self.primary {
            Some(label) => {
                let (line, col) = sources.line_col(label.file, label.span.start);
                let name = sources.name(label.file);
                format!("{name}:{line}:{col}: {severity}[{}]: {}", self.code, self.message)
            }
            None => format!("{severity}[{}]: {}", self.code, self.message),
        }
    }

    /// This diagnostic as one JSON object: code, lint, severity, message,
    /// file, line, column, end position, labels, notes and help.
    pub fn to_json(&self, sources: &Sources) -> serde_json::Value {
        let location = |label: &Label| {
            let (line, column) = sources.line_col(label.file, label.span.start);
            let (end_line, end_column) = sources.line_col(label.file, label.span.end);
            serde_json::json!({
                "file": sources.name(label.file),
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "start": label.span.start,
                "end": label.span.end,
                "message": label.message,
            })
        };
        let primary = self.primary.as_ref().map(location);
        serde_json::json!({
            "code": self.code,
            "lint": self.lint,
            "severity": self.severity,
            "message": self.message,
            "file": primary.as_ref().map(|p| p["file"].clone()),
            "line": primary.as_ref().map(|p| p["line"].clone()),
            "column": primary.as_ref().map(|p| p["column"].clone()),
            "labels": self.primary.iter().chain(&self.secondary).map(location).collect::<Vec<_>>(),
            "notes": self.notes,
            "help": self.help,
        })
    }

    /// The codespan diagnostic, its spans moved into `files`' shown copies.
    fn to_codespan(&self, files: &window::Shown) -> cs::Diagnostic<usize> {
        let severity = match self.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
            Severity::Note => cs::Severity::Note,
        };
        let range = |l: &Label| files.map(l.file, l.span.start)..files.map(l.file, l.span.end);
        let mut labels = Vec::new();
        if let Some(l) = &self.primary {
            labels.push(cs::Label::primary(l.file.0, range(l)).with_message(&l.message));
        }
        for l in &self.secondary {
            labels.push(cs::Label::secondary(l.file.0, range(l)).with_message(&l.message));
        }
        let mut notes: Vec<String> = self.notes.iter().map(|n| format!("note: {n}")).collect();
        if let Some(help) = &self.help {
            notes.push(format!("help: {help}"));
        }
        let code = match &self.lint {
            Some(name) => format!("{}/{name}", self.code),
            None => self.code.clone(),
        };
        cs::Diagnostic::new(severity)
            .with_code(code)
            .with_message(&self.message)
            .with_labels(labels)
            .with_notes(notes)
    }
}
