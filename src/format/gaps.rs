//! What lies between the parsed pieces of a program: comments and blank
//! lines.
//!
//! In: the source text between two tokens the parser kept (the end of one
//! item and the start of the next, or of a segment's arms), which holds
//! only white space, line ends and comments. Out: the comment trailing the
//! earlier piece's line, and the blank and comment lines that follow it.

/// A line between two pieces of a program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum GapLine {
    /// An empty (or white-space-only) line.
    Blank,
    /// A comment alone on its line, from its `#`, trailing white space cut.
    Comment(String),
}

/// The source between two pieces, read as lines.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Gap {
    /// A comment on the line the earlier piece ends on.
    pub trailing: Option<String>,
    /// The whole lines in between, in order.
    pub lines: Vec<GapLine>,
    /// Whether the gap holds a line end (the later piece starts a new line).
    pub breaks: bool,
}

/// Reads `text`, the source between two pieces. With `after_piece`, its
/// first line is the rest of the earlier piece's line; without (the start
/// of the file), every line is whole. The part after the last line end is
/// the indentation of the next piece and is not a line of its own.
pub(super) fn read(text: &str, after_piece: bool) -> Gap {
    let mut gap = Gap::default();
    let mut lines: Vec<&str> = text.split('\n').collect();
    lines.pop(); // the indentation before the next piece (or all of `text`)
    gap.breaks = !lines.is_empty() || !after_piece;
    let mut whole = lines.as_slice();
    if after_piece {
        match text.split('\n').next() {
            Some(rest) => gap.trailing = comment(rest),
            None => return gap,
        }
        whole = lines.get(1..).unwrap_or(&[]);
    }
    gap.lines = whole.iter().map(|line| comment(line).map_or(GapLine::Blank, GapLine::Comment)).collect();
    if !after_piece && !text.contains('\n') {
        // Text after the last item with no line end: a final comment line.
        gap.trailing = None;
        if let Some(c) = comment(text) {
            gap.lines.push(GapLine::Comment(c));
        }
    }
    gap
}

/// The comment in `line` (which holds no string literal), if any.
fn comment(line: &str) -> Option<String> {
    line.find('#').map(|at| line[at..].trim_end().to_string())
}

/// Whether `text` (source code) holds a comment: a `#` outside a string.
pub(super) fn has_comment(text: &str) -> bool {
    crate::syntax::comment_start(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::{Gap, GapLine, has_comment, read};

    #[test]
    fn a_gap_after_an_item_has_its_trailing_comment_then_whole_lines() {
        let gap = read("   # why\n\n  # next\n  ", true);
        assert_eq!(gap.trailing.as_deref(), Some("# why"));
        assert_eq!(gap.lines, vec![GapLine::Blank, GapLine::Comment("# next".into())]);
        assert!(gap.breaks);
    }

    #[test]
    fn a_gap_on_one_line_does_not_break() {
        assert_eq!(read("  ", true), Gap { trailing: None, lines: vec![], breaks: false });
    }

    #[test]
    fn the_start_of_a_file_is_whole_lines() {
        let gap = read("# head\n\n", false);
        assert_eq!(gap.trailing, None);
        assert_eq!(gap.lines, vec![GapLine::Comment("# head".into()), GapLine::Blank]);
    }

    #[test]
    fn a_file_of_one_comment_without_a_line_end_keeps_it() {
        assert_eq!(read("# only", false).lines, vec![GapLine::Comment("# only".into())]);
    }

    #[test]
    fn hashes_in_strings_are_not_comments() {
        assert!(!has_comment("fit a = \"x # y\" : 1"));
        assert!(!has_comment("fit a = \"q\\\"#\" : 1"));
        assert!(has_comment("fit a in [\n \"x\", # the x\n \"y\"] : 1"));
    }
}
