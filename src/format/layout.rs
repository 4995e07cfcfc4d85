//! Laying printed items out as lines.
//!
//! In: the program as [`Piece`]s — printed items, comment lines, blank
//! lines — in source order. Out: the lines of the formatted file (a line
//! may hold line ends, for an item laid out over several). Blank lines are
//! made canonical, then each run of lines of one [`Group`] is aligned on
//! its separator and its trailing comments on one column.

use super::items::{Group, Printed};

/// One piece of the formatted file.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Piece {
    /// A blank line.
    Blank,
    /// A comment alone on its line.
    Comment {
        /// Spaces before it.
        indent: usize,
        /// The comment, from its `#`.
        text: String,
    },
    /// An item (or a segment's brace line).
    Line {
        /// Spaces before it.
        indent: usize,
        /// The item.
        printed: Printed,
        /// The comment after it on its line.
        comment: Option<String>,
        /// Whether it starts a section and wants a blank line above.
        section: bool,
    },
}

/// The formatted lines of `pieces`.
pub(super) fn render(pieces: Vec<Piece>) -> Vec<String> {
    let pieces = blank_lines(pieces);
    let runs = runs(&pieces);
    let heads = head_widths(&pieces, &runs);
    let texts: Vec<Option<String>> = pieces
        .iter()
        .zip(&runs)
        .map(|(piece, run)| match piece {
            Piece::Line { indent, printed, .. } => Some(aligned(*indent, printed, heads[*run])),
            _ => None,
        })
        .collect();
    let mut comment_at = vec![0; heads.len()];
    for ((piece, run), text) in pieces.iter().zip(&runs).zip(&texts) {
        if let (Piece::Line { comment: Some(_), .. }, Some(text)) = (piece, text) {
            comment_at[*run] = comment_at[*run].max(last_line_width(text) + 2);
        }
    }
    let mut lines = Vec::with_capacity(pieces.len());
    for ((piece, run), text) in pieces.iter().zip(&runs).zip(texts) {
        lines.push(match (piece, text) {
            (Piece::Blank, _) => String::new(),
            (Piece::Comment { indent, text }, _) => format!("{}{text}", " ".repeat(*indent)),
            (Piece::Line { comment: Some(comment), .. }, Some(mut text)) => {
                let pad = comment_at[*run].saturating_sub(last_line_width(&text));
                text.push_str(&" ".repeat(pad));
                text.push_str(comment);
                text
            }
            (_, text) => text.unwrap_or_default(),
        });
    }
    lines
}

/// The width of `printed` on one line, separator included.
pub(super) fn width(printed: &Printed) -> usize {
    let head = printed.head.chars().count();
    match &printed.tail {
        Some(tail) => head + printed.group.separator().len() + tail.chars().count(),
        None => head,
    }
}

fn last_line_width(text: &str) -> usize {
    text.rsplit('\n').next().unwrap_or(text).chars().count()
}

/// `printed` indented, its head padded to `head_width` when it is on one
/// line.
fn aligned(indent: usize, printed: &Printed, head_width: usize) -> String {
    let pad = " ".repeat(indent);
    let mut text = pad.clone();
    // The later lines of a head laid out by the printer (a list one
    // member per line) are indented with it; an item kept as written (no
    // tail) keeps its own indentation.
    if printed.tail.is_some() {
        text.push_str(&printed.head.replace('\n', &format!("\n{pad}")));
    } else {
        text.push_str(&printed.head);
    }
    if let Some(tail) = &printed.tail {
        if !printed.head.contains('\n') {
            text.push_str(&" ".repeat(head_width.saturating_sub(printed.head.chars().count())));
        }
        text.push_str(printed.group.separator());
        text.push_str(tail);
    }
    text
}

/// At most one blank line in a row, one above each section (and the
/// comment lines right above it), none first or last.
fn blank_lines(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len() + 8);
    let mut tiers_started = false;
    for piece in pieces {
        let section = match &piece {
            Piece::Line { section, printed, .. } => {
                let first_tier = printed.group == Group::Tier && !tiers_started;
                tiers_started = printed.group == Group::Tier;
                *section || first_tier
            }
            _ => false,
        };
        match piece {
            Piece::Blank if out.is_empty() || matches!(out.last(), Some(Piece::Blank)) => continue,
            piece if section => {
                let comments = out.iter().rev().take_while(|p| matches!(p, Piece::Comment { .. })).count();
                let at = out.len() - comments;
                if at > 0 && !matches!(out.get(at - 1), Some(Piece::Blank)) {
                    out.insert(at, Piece::Blank);
                }
                out.push(piece);
            }
            piece => out.push(piece),
        }
    }
    while matches!(out.last(), Some(Piece::Blank)) {
        out.pop();
    }
    out
}

/// The alignment run of each piece: lines of one group at one indentation
/// with no blank line or other line between them (comment lines do not
/// break a run).
fn runs(pieces: &[Piece]) -> Vec<usize> {
    let mut runs = Vec::with_capacity(pieces.len());
    let mut current: Option<(Group, usize)> = None;
    let mut next = 0;
    for piece in pieces {
        match piece {
            Piece::Blank => current = None,
            Piece::Comment { .. } => {}
            Piece::Line { printed, indent, .. } => {
                let key = (printed.group, *indent);
                if printed.group == Group::None || current != Some(key) {
                    next += 1;
                    current = (printed.group != Group::None).then_some(key);
                }
            }
        }
        runs.push(next);
    }
    runs
}

/// The widest one-line head with a tail in each run.
fn head_widths(pieces: &[Piece], runs: &[usize]) -> Vec<usize> {
    let mut widths = vec![0; runs.last().map_or(0, |r| r + 1)];
    for (piece, run) in pieces.iter().zip(runs) {
        if let Piece::Line { printed, .. } = piece
            && printed.tail.is_some()
            && !printed.head.contains('\n')
        {
            widths[*run] = widths[*run].max(printed.head.chars().count());
        }
    }
    widths
}
