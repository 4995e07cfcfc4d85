//! Quick scans of raw text ahead of the parser.
//!
//! In: the text from the start of an item to the end of the file. Out:
//! whether its conditions nest too deep for pest's recursive descent (so
//! that hostile input cannot exhaust the stack), and where items start (so
//! that error recovery knows where to resume). Only ASCII bytes are looked
//! at, so every position found is a character boundary.

use super::error::ParseError;
use super::parse::MAX_NESTING;
use crate::diag::span::Span;

/// An error at the first place in the item starting `rest` where brackets,
/// parentheses and chained `not`s nest deeper than [`MAX_NESTING`]. The scan
/// ends with the item: at a line end outside brackets, or, inside unclosed
/// brackets, before a line that starts another item.
pub(super) fn check_nesting(rest: &str, offset: usize) -> Option<ParseError> {
    let bytes = rest.as_bytes();
    // The `not`s waiting for their operand at each open bracket level.
    let mut levels: Vec<usize> = vec![0];
    let mut nots = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let mut next = i + 1;
        match b {
            b'(' | b'[' => levels.push(0),
            b')' | b']' if levels.len() > 1 => nots -= levels.pop().unwrap_or(0),
            b'\n' if levels.len() == 1 || starts_item(&rest[next..]) => return None,
            b'"' => next = string_end(bytes, i),
            b'#' => next = bytes[i..].iter().position(|&c| c == b'\n').map_or(bytes.len(), |p| i + p),
            _ if is_word_byte(b) => {
                next = bytes[i..].iter().position(|&c| !is_word_byte(c)).map_or(bytes.len(), |p| i + p);
                if let Some(pending) = levels.last_mut() {
                    if &bytes[i..next] == b"not" {
                        *pending += 1;
                        nots += 1;
                    } else {
                        nots -= *pending;
                        *pending = 0;
                    }
                }
            }
            _ => {}
        }
        if levels.len() - 1 + nots > MAX_NESTING {
            return Some(ParseError::too_deep(Span::new(offset + i, offset + i + 1)));
        }
        i = next;
    }
    None
}

/// The length of `text` (an item's text as matched) without the white
/// space and comment pest's implicit skipping leaves at its end when the
/// item ends with an optional part (`each?`, `time_clause*`, `(when ...)?`).
/// Strings never span lines, so the last line starts outside one.
pub(super) fn code_len(text: &str) -> usize {
    let last_line = text.rfind('\n').map_or(0, |at| at + 1);
    let end = comment_start(&text[last_line..]).map_or(text.len(), |at| last_line + at);
    text[..end].trim_end().len()
}

/// Where the first comment in `text` (source code) starts: the first `#`
/// outside a string. A line end closes an unclosed string.
pub fn comment_start(text: &str) -> Option<usize> {
    let (mut in_string, mut escaped) = (false, false);
    for (at, c) in text.char_indices() {
        match c {
            '#' if !in_string => return Some(at),
            '"' if !escaped => in_string = !in_string,
            '\n' => in_string = false,
            _ => {}
        }
        escaped = in_string && c == '\\' && !escaped;
    }
    None
}

/// Whether a line starts with an item keyword (`fit`, `*behaviour`, ...).
pub(super) fn starts_item(line: &str) -> bool {
    const KEYWORDS: &[&str] =
        &["schema", "require", "segment", "category", "fit", "behaviour", "behavior", "tier", "lint"];
    let word = line.trim_start_matches([' ', '\t']).trim_start_matches('*');
    let word = word.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or("");
    KEYWORDS.contains(&word)
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The position after the string literal opening at `start`: past its
/// closing quote, or at the end of its line when it is not closed.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => return i + 1,
            b'\n' => return i,
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// An item's source on one line, as explanations, disassembly and reviews
/// quote it: comments dropped (a `#` outside a
/// string starts one), whitespace runs outside strings made one space, and
/// none just inside brackets.
pub fn one_line(text: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    for line in text.lines() {
        let mut escaped = false;
        for c in line.chars() {
            if !in_string && c == '#' {
                break;
            }
            if in_string || !c.is_whitespace() {
                if !in_string && c == ']' && out.ends_with(' ') {
                    out.pop();
                }
                out.push(c);
            } else if !out.ends_with([' ', '[']) && !out.is_empty() {
                out.push(' ');
            }
            if c == '"' && !escaped {
                in_string = !in_string;
            }
            escaped = in_string && c == '\\' && !escaped;
        }
        in_string = false;
        if !out.ends_with([' ', '[']) && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn too_deep(text: &str) -> bool {
        check_nesting(text, 0).is_some()
    }

    #[test]
    fn counts_brackets_and_nots() {
        let deep = MAX_NESTING + 1;
        assert!(too_deep(&format!("fit {}x{} : 1", "(".repeat(deep), ")".repeat(deep))));
        assert!(too_deep(&format!("fit {}x : 1", "not ".repeat(deep))));
        assert!(too_deep(&format!("fit {}x : 1", "not (".repeat(deep / 2 + 1))));
        assert!(!too_deep(&format!("fit {}x{} : 1", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING))));
        assert!(!too_deep(&format!("fit {}x : 1", "not ".repeat(MAX_NESTING))));
    }

    #[test]
    fn nots_of_separate_operands_do_not_add_up() {
        assert!(!too_deep(&format!("fit x{} : 1", " and not y".repeat(500))));
    }

    #[test]
    fn strings_and_comments_do_not_end_the_scan() {
        let deep = MAX_NESTING + 1;
        assert!(too_deep(&format!("fit t = \"(\" or {}x : 1", "(".repeat(deep))));
        assert!(too_deep(&format!("fit ( # (\n{}x : 1", "(".repeat(deep))));
        assert!(!too_deep(&format!("fit t = \"{}\" : 1", "(".repeat(deep))));
        assert!(!too_deep(&format!("fit t = 1 # {}", "(".repeat(deep))));
    }

    #[test]
    fn the_scan_ends_with_the_item() {
        let deep = MAX_NESTING + 1;
        assert!(!too_deep(&format!("fit x : 1\nfit {}", "(".repeat(deep))));
        assert!(!too_deep(&format!("fit (x : 1\nfit {}", "(".repeat(deep))));
    }

    #[test]
    fn code_ends_before_a_trailing_comment() {
        assert_eq!(code_len("behaviour b : 1   # why"), "behaviour b : 1".len());
        assert_eq!(code_len("fit a = \"#\" : 1 \t"), "fit a = \"#\" : 1".len());
        assert_eq!(code_len("fit a in [ # x\n \"b\"] : 1 # y"), "fit a in [ # x\n \"b\"] : 1".len());
    }

    #[test]
    fn item_starts() {
        assert!(starts_item("  *behaviour x : 1"));
        assert!(starts_item("fit x : 1"));
        assert!(!starts_item("fitness = 1"));
        assert!(!starts_item("  < 5 => 1"));
    }

    #[test]
    fn items_are_printed_on_one_line_without_comments() {
        assert_eq!(one_line("fit a = \"x # y\" : 3   # why"), "fit a = \"x # y\" : 3");
        assert_eq!(one_line("fit t in [\n  \"A\",\n  \"B\" # b\n] : 5"), "fit t in [\"A\", \"B\"] : 5");
        assert_eq!(one_line("fit a = \"q\\\"#\" : 1"), "fit a = \"q\\\"#\" : 1");
        assert_eq!(one_line("fit is_b2b          : 8"), "fit is_b2b : 8");
    }
}
