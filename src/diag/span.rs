//! Byte spans into a source file.
//!
//! In: byte offsets from the parser or the schema loader. Out: [`Span`], the
//! one location type every pass carries, and [`line_col`] to turn an offset
//! into the 1-based line and column users read. [`LineIndex`] answers the
//! same question for many offsets into one text: it finds every line start
//! once, so locating each of a program's rules is a binary search rather
//! than a scan from the start of the file.

use serde::Serialize;

/// A half-open byte range `start..end` into one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The source text this span covers, or `""` if it does not fit `source`.
    pub fn text(self, source: &str) -> &str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

/// The 1-based line and column (counted in characters) of byte `offset`.
///
/// An offset past the end, or inside a multi-byte character, is clamped to
/// the nearest valid position before it. It scans the text up to `offset`:
/// to locate many offsets in one text, build a [`LineIndex`] once.
///
/// ```
/// assert_eq!(leadc::diag::span::line_col("ab\ncd", 4), (2, 2));
/// ```
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The byte offset of every line start of one text (the first line starts
/// at 0, every other just after a `\n`), found once, so that each
/// [`LineIndex::line_col`] is a binary search plus a walk along one line.
///
/// ```
/// use leadc::diag::span::{LineIndex, line_col};
/// let text = "ab\ncd\n\né";
/// let lines = LineIndex::new(text);
/// assert_eq!(lines.line_col(text, 4), (2, 2));
/// assert_eq!(lines.line_col(text, 4), line_col(text, 4));
/// assert_eq!(lines.line_starts(), [0, 3, 6, 7]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// The line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { starts }
    }

    /// The byte offset of every line start, in order; never empty.
    pub fn line_starts(&self) -> &[usize] {
        &self.starts
    }

    /// The 0-based index of the line holding byte `offset` (the last line
    /// for an offset past the end).
    pub fn line_index(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset).saturating_sub(1)
    }

    /// [`line_col`] of `offset` in `text`, the text this index was built
    /// from: the same answer, without scanning the lines before.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_index(offset);
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let column = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (line + 1, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn line_starts_follow_newlines_only() {
        assert_eq!(LineIndex::new("").line_starts(), [0]);
        assert_eq!(LineIndex::new("\n").line_starts(), [0, 1]);
        // A `\r` is part of its line, as in `line_col`.
        assert_eq!(LineIndex::new("a\r\nb\rc\n").line_starts(), [0, 3, 7]);
    }

    #[test]
    fn line_index_finds_the_line_of_every_offset() {
        let lines = LineIndex::new("ab\ncd\n");
        let found: Vec<usize> = (0..10).map(|o| lines.line_index(o)).collect();
        assert_eq!(found, [0, 0, 0, 1, 1, 1, 2, 2, 2, 2]);
    }

    proptest! {
        /// The index answers exactly as the scanning `line_col` does, for
        /// every offset: line starts, newlines themselves, multi-byte
        /// characters (offsets inside one clamp back) and past the end.
        #[test]
        fn the_index_agrees_with_the_scan(text in "[ab\n\ré€]{0,40}", extra in 0usize..4) {
            let lines = LineIndex::new(&text);
            for offset in 0..=text.len() + extra {
                prop_assert_eq!(lines.line_col(&text, offset), line_col(&text, offset), "offset {}", offset);
            }
        }
    }
}
