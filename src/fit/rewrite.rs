//! The program with new points, written as the user wrote it.
//!
//! In: a program's source text and, per rule in program order, its new
//! points and (for `each max` rules) its new cap. Out: the same text with
//! only those numbers replaced — comments, order and layout kept — and,
//! when the source was already in `leadc fmt`'s layout, re-formatted so
//! the `:` columns stay aligned. `None` when the source does not parse or
//! its rules are not the ones given.

use crate::syntax::ast::{Item, Literal};

/// A rule's new numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewPoints {
    /// Its points.
    pub points: i64,
    /// Its `each max` cap, for a rule that has one.
    pub cap: Option<i64>,
}

/// `source` with the rules' points (and caps) replaced by `new`.
pub fn rewrite(source: &str, new: &[NewPoints]) -> Option<String> {
    let ast = crate::syntax::parse(source).ok()?;
    let mut edits: Vec<(&Literal, i64)> = Vec::new();
    let mut rules = new.iter();
    for item in &ast.items {
        match item {
            Item::Fit(fit) => edits.push((&fit.points, rules.next()?.points)),
            Item::Behaviour(b) => {
                let next = rules.next()?;
                edits.push((&b.points, next.points));
                if let (Some(max), Some(cap)) = (b.each.as_ref().and_then(|e| e.max.as_ref()), next.cap) {
                    edits.push((max, cap));
                }
            }
            _ => {}
        }
    }
    if rules.next().is_some() {
        return None;
    }
    edits.sort_by_key(|(literal, _)| literal.span.start);
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for (literal, value) in edits {
        out.push_str(source.get(at..literal.span.start)?);
        out.push_str(&value.to_string());
        at = literal.span.end;
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
            rewrite(source, &new).unwrap(),
            "schema \"s.toml\"\n\n# interest\ncategory c max 25\nfit a = 1 : 7  # a\n\
             behaviour b : 2 each max 10\n*behaviour d >= 2 : 15\n"
        );
        assert_eq!(rewrite(source, &new[..2]), None, "three rules, two given");
    }
}
