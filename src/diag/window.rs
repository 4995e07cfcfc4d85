//! The source lines one diagnostic shows, long lines cut around its labels.
//!
//! In: the [`Sources`], a diagnostic's labels (file and byte span) and the
//! codespan configuration it renders with. Out: a [`Shown`], the file
//! database codespan renders that diagnostic from, and [`Shown::map`],
//! which moves a label's byte offset from a file into it.
//!
//! Codespan prints every line it shows in full, so a program or schema with
//! a megabyte-long line gave megabyte-long diagnostics. Codespan cannot be
//! told to cut a line; it is handed instead, per diagnostic and per file, a
//! *shown copy* of the file holding only the lines it may print (the lines
//! of each label, the context codespan adds around them, and one more on
//! each side for the single line it prints between two shown ones; any other
//! line is empty). In that copy, a line of more than [`WHOLE`] characters
//! keeps [`CONTEXT`] characters on each side of every label end and loses
//! the rest, each cut marked with `…`; a label longer than that keeps its
//! two ends, its middle cut. Gaps shorter than [`MIN_GAP`] characters are
//! kept rather than cut. Cuts fall between characters, never inside one. Line numbers are the file's (each shown
//! line keeps its index), and the `file:line:col` codespan prints asks
//! [`Files::location`], which answers from the file itself: the numbers stay
//! true. JSON diagnostics never hold source text, so they are unaffected.

// Lists of byte ranges often hold one range, and mean it.
#![allow(clippy::single_range_in_vec_init)]

use super::{FileId, SourceFile, Sources};
use crate::diag::span::Span;
use codespan_reporting::files::{Error as FilesError, Files, Location};
use codespan_reporting::term::Config;
use std::collections::BTreeMap;
use std::ops::Range;

/// The longest line shown whole, in characters.
pub(super) const WHOLE: usize = 2 * CONTEXT + MIN_GAP;

/// Characters kept on each side of a label's start and end in a cut line.
pub(super) const CONTEXT: usize = 60;

/// A stretch of fewer characters than this between two kept ones (or a kept
/// one and a line end) is kept rather than replaced by `…`.
pub(super) const MIN_GAP: usize = 40;

/// The mark of a cut.
const CUT: &str = "…";

/// The files one diagnostic points into, as it shows them.
pub(super) struct Shown<'s> {
    sources: &'s Sources,
    /// By file id; `None` for files no label points into.
    files: Vec<Option<ShownFile>>,
}

/// One file as one diagnostic shows it.
struct ShownFile {
    /// The shown lines, one after the other.
    text: String,
    /// How many lines the file has.
    line_count: usize,
    /// The shown lines, by line index.
    lines: Vec<ShownLine>,
}

/// One shown line: where it is in the shown text, and which stretches of
/// the file's line it holds.
struct ShownLine {
    index: usize,
    range: Range<usize>,
    pieces: Vec<Piece>,
}

/// A stretch of a file's text copied into the shown text.
#[derive(Clone, Copy)]
struct Piece {
    shown: usize,
    file: usize,
    len: usize,
}

impl<'s> Shown<'s> {
    /// The shown copies of the files `labels` point into. `None` when a
    /// label does not fit its file (codespan could not render it either).
    pub(super) fn new(sources: &'s Sources, labels: &[(FileId, Span)], config: &Config) -> Option<Shown<'s>> {
        let mut points: Vec<BTreeMap<usize, Vec<usize>>> = vec![BTreeMap::new(); sources.files.len()];
        for &(file, span) in labels {
            let source = sources.files.get(file.0)?;
            if span.start > span.end || span.end > source.text.len() {
                return None;
            }
            let lines = points.get_mut(file.0)?;
            add_label(lines, source, span, config);
        }
        let files = points
            .into_iter()
            .zip(&sources.files)
            .map(|(lines, source)| (!lines.is_empty()).then(|| ShownFile::new(source, &lines)))
            .collect();
        Some(Shown { sources, files })
    }

    /// Where byte `offset` of `file` is in the shown copy.
    pub(super) fn map(&self, file: FileId, offset: usize) -> usize {
        let (Some(Some(shown)), Some(source)) = (self.files.get(file.0), self.sources.files.get(file.0))
        else {
            return offset;
        };
        // Spans fall between characters; should one not, codespan must
        // still be given one that does.
        let offset = floor_boundary(&source.text, offset.min(source.text.len()));
        let index = source.lines.line_index(offset);
        let Some(line) = shown.line(index) else { return offset };
        if let Some(p) = line.pieces.iter().find(|p| p.file <= offset && offset <= p.file + p.len) {
            return p.shown + (offset - p.file);
        }
        // In a cut (no label is): the next kept stretch.
        line.pieces.iter().find(|p| p.file > offset).map_or(line.range.end, |p| p.shown)
    }

    fn file(&self, id: usize) -> Result<&ShownFile, FilesError> {
        self.files.get(id).and_then(Option::as_ref).ok_or(FilesError::FileMissing)
    }
}

/// Records the lines codespan may print for a label on `span`, and the
/// label's ends on the lines they are on.
fn add_label(lines: &mut BTreeMap<usize, Vec<usize>>, source: &SourceFile, span: Span, config: &Config) {
    let last = source.lines.line_starts().len().saturating_sub(1);
    let (first_line, end_line) = (source.lines.line_index(span.start), source.lines.line_index(span.end));
    let mut show = |from: usize, to: usize| {
        for index in from..=to.min(last) {
            lines.entry(index).or_default();
        }
    };
    // One more line on each side: codespan prints the line between two
    // printed lines one apart.
    let after_start =
        if first_line == end_line { config.after_label_lines } else { config.start_context_lines };
    show(first_line.saturating_sub(config.before_label_lines + 1), first_line + after_start + 1);
    if first_line != end_line {
        show(end_line.saturating_sub(config.end_context_lines + 1), end_line + config.after_label_lines + 1);
    }
    lines.entry(first_line).or_default().push(span.start);
    lines.entry(end_line).or_default().push(span.end);
}

impl ShownFile {
    fn new(source: &SourceFile, points: &BTreeMap<usize, Vec<usize>>) -> ShownFile {
        let starts = source.lines.line_starts();
        let mut shown = ShownFile { text: String::new(), line_count: starts.len(), lines: Vec::new() };
        for (&index, points) in points {
            let start = starts.get(index).copied().unwrap_or(source.text.len());
            let end = starts.get(index + 1).copied().unwrap_or(source.text.len());
            let text = source.text.get(start..end).unwrap_or("");
            shown.push_line(index, start, text, points);
        }
        shown
    }

    /// Adds line `index`, which starts at byte `start` of the file and is
    /// `text` (its line end included), keeping the stretches around `points`.
    fn push_line(&mut self, index: usize, start: usize, text: &str, points: &[usize]) {
        let content = text.trim_end_matches('\n').trim_end_matches('\r');
        let begin = self.text.len();
        let mut pieces = Vec::new();
        let mut at = 0;
        for kept in kept(content, points.iter().map(|p| p.saturating_sub(start))) {
            if kept.start > at {
                self.text.push_str(CUT);
            }
            pieces.push(Piece { shown: self.text.len(), file: start + kept.start, len: kept.len() });
            self.text.push_str(content.get(kept.clone()).unwrap_or(""));
            at = kept.end;
        }
        if at < content.len() {
            self.text.push_str(CUT);
        }
        let ending = &text[content.len()..];
        pieces.push(Piece { shown: self.text.len(), file: start + content.len(), len: ending.len() });
        self.text.push_str(ending);
        self.lines.push(ShownLine { index, range: begin..self.text.len(), pieces });
    }

    fn line(&self, index: usize) -> Option<&ShownLine> {
        self.lines.binary_search_by_key(&index, |l| l.index).ok().and_then(|i| self.lines.get(i))
    }

    /// The shown line holding byte `offset` of the shown text.
    fn line_at(&self, offset: usize) -> Option<&ShownLine> {
        let after = self.lines.partition_point(|l| l.range.start <= offset);
        self.lines.get(after.saturating_sub(1))
    }
}

/// The byte ranges of `line` (no line end) to keep, in order and apart:
/// all of a line of at most [`WHOLE`] characters; else [`CONTEXT`]
/// characters around each point (offsets in the line; none keeps the
/// line's start), merged across gaps under [`MIN_GAP`] characters, and
/// reaching the line's ends when they are that close.
fn kept(line: &str, points: impl Iterator<Item = usize>) -> Vec<Range<usize>> {
    if line.len() <= WHOLE || line.chars().nth(WHOLE).is_none() {
        return vec![0..line.len()];
    }
    let mut around: Vec<Range<usize>> = points
        .map(|p| {
            let p = floor_boundary(line, p.min(line.len()));
            back(line, p, CONTEXT)..forward(line, p, CONTEXT)
        })
        .collect();
    if around.is_empty() {
        around.push(0..forward(line, 0, 2 * CONTEXT));
    }
    around.sort_by_key(|r| r.start);
    let mut kept: Vec<Range<usize>> = Vec::new();
    for range in around {
        match kept.last_mut() {
            Some(last) if short(line, last.end, range.start) => last.end = last.end.max(range.end),
            _ => kept.push(range),
        }
    }
    if let Some(first) = kept.first_mut().filter(|f| short(line, 0, f.start)) {
        first.start = 0;
    }
    if let Some(last) = kept.last_mut().filter(|l| short(line, l.end, line.len())) {
        last.end = line.len();
    }
    kept
}

/// Whether `line[from..to]` is empty, or shorter than [`MIN_GAP`] characters.
fn short(line: &str, from: usize, to: usize) -> bool {
    to <= from
        || line.get(from..to).is_none_or(|gap| gap.len() < MIN_GAP || gap.chars().nth(MIN_GAP - 1).is_none())
}

/// The offset `n` characters before `at` (or 0).
fn back(line: &str, at: usize, n: usize) -> usize {
    line.get(..at).and_then(|s| s.char_indices().rev().nth(n.saturating_sub(1))).map_or(0, |(i, _)| i)
}

/// The offset `n` characters after `at` (or the line's end).
fn forward(line: &str, at: usize, n: usize) -> usize {
    line.get(at..).and_then(|s| s.char_indices().nth(n)).map_or(line.len(), |(i, _)| at + i)
}

/// The last character boundary at or before `at` (at most `text.len()`).
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl<'a> Files<'a> for Shown<'_> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        self.file(id)?;
        Ok(self.sources.name(FileId(id)))
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(&self.file(id)?.text)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        let file = self.file(id)?;
        Ok(file.line_at(byte_index).map_or(0, |l| l.index))
    }

    /// A shown line's range; an empty one for a line codespan does not
    /// print (it asks for the lines inside a long multi-line label).
    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.file(id)?;
        match file.line(line_index) {
            Some(line) => Ok(line.range.clone()),
            None if line_index < file.line_count => Ok(file.text.len()..file.text.len()),
            None => {
                Err(FilesError::LineTooLarge { given: line_index, max: file.line_count.saturating_sub(1) })
            }
        }
    }

    /// The line and column in the file itself of a shown offset.
    fn location(&'a self, id: usize, byte_index: usize) -> Result<Location, FilesError> {
        let file = self.file(id)?;
        let line = file.line_at(byte_index).ok_or(FilesError::IndexTooLarge { given: byte_index, max: 0 })?;
        let piece = line.pieces.iter().find(|p| byte_index <= p.shown + p.len);
        let offset = piece.map_or(0, |p| p.file + byte_index.saturating_sub(p.shown));
        let (line_number, column_number) = self.sources.line_col(FileId(id), offset);
        Ok(Location { line_number, column_number })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_kept_whole() {
        let line = "x".repeat(WHOLE);
        assert_eq!(kept(&line, [75].into_iter()), [0..WHOLE]);
        assert_eq!(kept(&line, [0].into_iter()), [0..WHOLE]);
        assert_eq!(kept(&line, std::iter::empty()), [0..WHOLE]);
        let wide = "é".repeat(WHOLE); // more bytes than WHOLE, as many characters
        assert_eq!(kept(&wide, [0].into_iter()), [0..wide.len()]);
        assert_eq!(kept(&"x".repeat(WHOLE + 1), [0].into_iter()), [0..60]);
    }

    #[test]
    fn long_lines_keep_context_around_each_point() {
        let line = "x".repeat(1000);
        assert_eq!(kept(&line, [500].into_iter()), [440..560]);
        assert_eq!(kept(&line, [10].into_iter()), [0..70]);
        assert_eq!(kept(&line, [1000].into_iter()), [940..1000]);
        assert_eq!(kept(&line, [500, 530].into_iter()), [440..590]);
        assert_eq!(kept(&line, [100, 900].into_iter()), [40..160, 840..960]);
        assert_eq!(kept(&line, std::iter::empty()), [0..120]);
    }

    #[test]
    fn cuts_fall_between_characters() {
        let line = "é".repeat(1000); // two bytes each
        let ranges = kept(&line, [1001].into_iter()); // inside the 501st `é`
        assert_eq!(ranges, [880..1120]);
        assert!(ranges.iter().all(|r| line.is_char_boundary(r.start) && line.is_char_boundary(r.end)));
    }
}
