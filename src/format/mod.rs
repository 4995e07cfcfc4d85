//! The formatter: a `.lead` program in canonical layout.
//!
//! In: program source text. Out: the same program laid out one way — the
//! text `leadc fmt` writes — or the syntax errors that stop it being
//! read. What it changes is only layout; the parsed program is the same:
//!
//! - one item per line, single spaces between tokens, `==` written `=`,
//!   `behavior` written `behaviour`, lists as `["a", "b"]`, numbers
//!   normalised (`007` is `7`, `2.50` is `2.5`, `5_0000` is `50_000`);
//! - the ` : ` before points aligned down each run of must-haves or rules,
//!   `when` down a run of tiers, `=>` down a segment's arms (a blank line
//!   ends a run; a comment line does not);
//! - parentheses only where they group: around an `and` inside an `or`
//!   (and the reverse) and around a `not`'s operand unless it is one test;
//! - a list of two or more members laid out one per line when its item
//!   would be wider than [`WIDTH`] characters;
//! - comments kept on their line: comment lines as they are (indentation
//!   made canonical), a comment after an item two spaces after it, aligned
//!   down a run; an item with a comment inside it (in a list that spans
//!   lines) is kept as written;
//! - at most one blank line in a row, one before each `category`, each
//!   `segment` and the first tier (above the comment lines that introduce
//!   it), none at the start or end; the file's line ends (LF, CRLF or CR)
//!   and a byte-order mark are kept.
//!
//! Formatting is idempotent: formatting formatted text changes nothing.
//!
//! ```
//! let source = "category fit max 50\nfit  is_b2b:10 # B2B\nfit title == \"VP\" : 5\n";
//! let formatted = leadc::format::format(source).unwrap();
//! assert_eq!(formatted, "category fit max 50\nfit is_b2b       : 10  # B2B\nfit title = \"VP\" : 5\n");
//! assert_eq!(leadc::format::format(&formatted).unwrap(), formatted);
//! ```

mod gaps;
mod items;
mod layout;

use crate::syntax::ast::{Item, Segment};
use crate::syntax::{ParseError, parse};
use gaps::{Gap, GapLine};
use items::{Group, Printed};
use layout::Piece;

/// The width past which a list is laid out one member per line.
pub const WIDTH: usize = 100;

/// Formats program `source`; the syntax errors found when it does not
/// parse (their spans point into `source` without its byte-order mark, the
/// text [`crate::load()`] reads).
pub fn format(source: &str) -> Result<String, Vec<ParseError>> {
    let (bom, text) = match source.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", source),
    };
    // Parsed as given first, so that errors point into the text as loaded.
    parse(text)?;
    let line_end = line_end(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let ast = parse(&text)?;
    let pieces = pieces(&ast.items, &text);
    let lines = layout::render(pieces);
    let mut out = String::with_capacity(source.len() + 64);
    out.push_str(bom);
    for line in lines {
        for part in line.split('\n') {
            out.push_str(part);
            out.push_str(line_end);
        }
    }
    Ok(out)
}

/// The line end the file uses: that of its first line.
fn line_end(text: &str) -> &'static str {
    match text.find(['\r', '\n']) {
        Some(at) if text[at..].starts_with("\r\n") => "\r\n",
        Some(at) if text[at..].starts_with('\r') => "\r",
        _ => "\n",
    }
}

/// The program as pieces for the layout: items, comment and blank lines.
fn pieces(items: &[Item], text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut end = 0;
    for (i, item) in items.iter().enumerate() {
        attach(&mut pieces, gaps::read(&text[end..item.span().start], i > 0), 0);
        match item {
            Item::Segment(s) => segment(&mut pieces, s, text),
            _ => pieces.push(line(item, text)),
        }
        end = item.span().end;
    }
    attach(&mut pieces, gaps::read(&text[end..], !items.is_empty()), 0);
    pieces
}

/// Adds what a gap holds: its trailing comment to the last line, its
/// comment and blank lines after it.
fn attach(pieces: &mut Vec<Piece>, gap: Gap, indent: usize) {
    if let (Some(comment), Some(Piece::Line { comment: slot, .. })) = (gap.trailing, pieces.last_mut()) {
        *slot = Some(comment);
    }
    for line in gap.lines {
        pieces.push(match line {
            GapLine::Blank => Piece::Blank,
            GapLine::Comment(text) => Piece::Comment { indent, text },
        });
    }
}

/// One item on its line (or, with a long list, lines); as written when a
/// comment sits inside it.
fn line(item: &Item, text: &str) -> Piece {
    let span = item.span();
    let written = &text[span.start..span.end];
    let printed = if gaps::has_comment(written) {
        as_written(written)
    } else {
        let one_line = items::item(item, text, false);
        if layout::width(&one_line) > WIDTH && one_line.head.contains('[') {
            items::item(item, text, true)
        } else {
            one_line
        }
    };
    let section = matches!(item, Item::Category(_));
    Piece::Line { indent: 0, printed, comment: None, section }
}

/// An item with a comment inside, kept as written (trailing white space
/// cut from its lines).
fn as_written(written: &str) -> Printed {
    let lines: Vec<&str> = written.lines().map(str::trim_end).collect();
    Printed { group: Group::None, head: lines.join("\n"), tail: None }
}

/// A segment block: its header, its arms with the comments and blank
/// lines between them, and its closing brace.
fn segment(pieces: &mut Vec<Piece>, s: &Segment, text: &str) {
    let header = Printed { group: Group::None, head: items::segment_header(s), tail: None };
    pieces.push(Piece::Line { indent: 0, printed: header, comment: None, section: true });
    let close = s.span.end.saturating_sub(1);
    let after_field = s.field.span.end;
    let brace = text[after_field..close].find('{').map_or(close, |at| after_field + at + 1);
    let mut end = brace;
    for arm in &s.arms {
        attach(pieces, gaps::read(&text[end..arm.span.start], true), 2);
        let written = &text[arm.span.start..arm.span.end];
        let printed = if gaps::has_comment(written) {
            as_written(written)
        } else {
            let one_line = items::arm(arm, text, false);
            if layout::width(&one_line) + 2 > WIDTH && one_line.head.contains('[') {
                items::arm(arm, text, true)
            } else {
                one_line
            }
        };
        pieces.push(Piece::Line { indent: 2, printed, comment: None, section: false });
        end = arm.span.end;
    }
    attach(pieces, gaps::read(&text[end..close], true), 2);
    // No blank line just inside the braces.
    while matches!(pieces.last(), Some(Piece::Blank)) {
        pieces.pop();
    }
    let first_inside = pieces.len() - pieces.iter().rev().take_while(|p| !is_header(p)).count();
    if matches!(pieces.get(first_inside), Some(Piece::Blank)) {
        pieces.remove(first_inside);
    }
    let close = Printed { group: Group::None, head: "}".to_string(), tail: None };
    pieces.push(Piece::Line { indent: 0, printed: close, comment: None, section: false });
}

fn is_header(piece: &Piece) -> bool {
    matches!(piece, Piece::Line { indent: 0, printed, .. } if printed.head.ends_with('{'))
}

#[cfg(test)]
mod tests;
