//! The program with new points, written as the user wrote it.
//!
//! In: a program's source text and, per rule in program order, its new
//! points and (for `each max` rules) its new cap. Out: the same text with
//! only those numbers replaced — comments, order and layout kept — and,
//! when the source was already in `leadc fmt`'s layout, re-formatted so
//! the `:` columns stay aligned. `None` when the source does not parse or
//! its rules are not the ones given.

use crate::syntax::ast::{Item, Literal};

/// A rule to add to the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addition {
    /// The index of its category in program order; the number of
    /// categories for a new category, written after the last.
    pub category: usize,
    /// The category's name (for a new category).
    pub name: String,
    /// The rule's line: `fit employees >= 120 : 6`.
    pub line: String,
}

/// A rule's new numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewPoints {
    /// Its points.
    pub points: i64,
    /// Its `each max` cap, for a rule that has one.
    pub cap: Option<i64>,
}

/// `source` with the rules' points (and caps) replaced by `new`, and the
/// rules of `additions` written at the end of their categories.
pub fn rewrite(source: &str, new: &[NewPoints], additions: &[Addition]) -> Option<String> {
    let ast = crate::syntax::parse(source).ok()?;
    // Replacements and insertions: (start, end, text).
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let number = |edits: &mut Vec<_>, literal: &Literal, value: i64| {
        edits.push((literal.span.start, literal.span.end, value.to_string()));
    };
    let mut rules = new.iter();
    // Per category, where a rule added to it goes: after its last line.
    let mut ends: Vec<usize> = Vec::new();
    let line_end = |at: usize| source[at.min(source.len())..].find('\n').map_or(source.len(), |i| at + i + 1);
    for item in &ast.items {
        match item {
            Item::Category(c) => ends.push(line_end(c.span.end)),
            Item::Fit(fit) => number(&mut edits, &fit.points, rules.next()?.points),
            Item::Behaviour(b) => {
                let next = rules.next()?;
                number(&mut edits, &b.points, next.points);
                if let (Some(max), Some(cap)) = (b.each.as_ref().and_then(|e| e.max.as_ref()), next.cap) {
                    number(&mut edits, max, cap);
                }
            }
            _ => {}
        }
        if let (Item::Fit(_) | Item::Behaviour(_), Some(end)) = (item, ends.last_mut()) {
            *end = line_end(item.span().end);
        }
    }
    if rules.next().is_some() {
        return None;
    }
    let last = ends.last().copied().unwrap_or(source.len());
    let mut new_category = String::new();
    for addition in additions {
        match ends.get(addition.category) {
            Some(&at) => edits.push((at, at, format!("{}\n", addition.line))),
            None if new_category.is_empty() => {
                new_category = format!("\ncategory {}\n{}\n", addition.name, addition.line);
            }
            None => new_category.push_str(&format!("{}\n", addition.line)),
        }
    }
    if !new_category.is_empty() {
        let newline = if source[..last].ends_with('\n') || last == 0 { "" } else { "\n" };
        edits.push((last, last, format!("{newline}{new_category}")));
    }
    edits.sort_by_key(|(start, _, _)| *start);
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for (start, end, text) in edits {
        out.push_str(source.get(at..start)?);
        out.push_str(&text);
        at = end;
    }
    out.push_str(source.get(at..)?);
    let formatted = |text: &str| crate::format::format(text).ok();
    match formatted(source).as_deref() == Some(source) {
        true => formatted(&out),
        false => Some(out),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn only_the_numbers_change_and_the_layout_stays() {
        let source = "schema \"s.toml\"\n\n# interest\ncategory c max 25\nfit a = 1 : 10  # a\n\
                      behaviour b : 1 each max 5\n*behaviour d >= 2 : 20\n";
        let new = [
            NewPoints { points: 7, cap: None },
            NewPoints { points: 2, cap: Some(10) },
            NewPoints { points: 15, cap: None },
        ];
        assert_eq!(
            rewrite(source, &new, &[]).unwrap(),
            "schema \"s.toml\"\n\n# interest\ncategory c max 25\nfit a = 1 : 7  # a\n\
             behaviour b : 2 each max 10\n*behaviour d >= 2 : 15\n"
        );
        assert_eq!(rewrite(source, &new[..2], &[]), None, "three rules, two given");
        let added =
            |category: usize, line: &str| Addition { category, name: "grown".into(), line: line.into() };
        let grown =
            rewrite(source, &new, &[added(0, "fit x : 3"), added(1, "fit y : 2"), added(1, "fit z : 1")]);
        assert_eq!(
            grown.unwrap(),
            "schema \"s.toml\"\n\n# interest\ncategory c max 25\nfit a = 1 : 7  # a\n\
             behaviour b : 2 each max 10\n*behaviour d >= 2 : 15\nfit x : 3\n\ncategory grown\nfit y : 2\nfit z : 1\n"
        );
    }
}
