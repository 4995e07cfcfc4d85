//! Matching a header row to a schema.
//!
//! In: the header's column names, the schema (with its `[columns]` table)
//! and any mapping the caller adds (`score --map`). Out: for each column,
//! the field or behaviour it fills and how it was matched. Exact names win;
//! then the mapped names; then a *loose* match that ignores ASCII case and
//! treats runs of spaces, `_`, `-` and `.` alike (`Company Size` matches a
//! mapping for `company size`, `Demo-Request` matches `demo_request`). Each
//! step is one hash look-up, so a header of a million columns is read in
//! linear time.

use super::Column;
use crate::schema::Schema;
use std::collections::HashMap;

/// How a header column came to fill a field or behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matched {
    /// The column has the field's or behaviour's exact name.
    Exactly,
    /// The schema's `[columns]` table or the caller's mapping names it.
    Mapped,
    /// Its name matches a name or mapping once case, spaces, `_`, `-` and
    /// `.` are ignored.
    Loosely,
}

/// Finds the field or behaviour of a header column.
pub(super) struct Matcher<'s> {
    schema: &'s Schema,
    mapped: HashMap<&'s str, &'s str>,
    loose: HashMap<String, Option<&'s str>>,
}

impl<'s> Matcher<'s> {
    /// A matcher for `schema`, with `extra` mappings (input column →
    /// field or behaviour) taking precedence over the schema's.
    pub(super) fn new(schema: &'s Schema, extra: &'s [(String, String)]) -> Self {
        let mut mapped: HashMap<&str, &str> = HashMap::new();
        for (column, target) in schema.intake().columns.iter().chain(extra) {
            mapped.insert(column, target);
        }
        let mut loose: HashMap<String, Option<&str>> = HashMap::new();
        let names = schema
            .fields()
            .iter()
            .map(|f| f.name.as_str())
            .chain(schema.behaviours().iter().map(String::as_str));
        let pairs = names.map(|n| (n, n)).chain(mapped.iter().map(|(c, t)| (*c, *t)));
        for (name, target) in pairs {
            let entry = loose.entry(loosen(name)).or_insert(Some(target));
            if *entry != Some(target) {
                // Two targets look alike: no loose match for either.
                *entry = None;
            }
        }
        Matcher { schema, mapped, loose }
    }

    /// The field or behaviour `name` fills, and how it matched.
    pub(super) fn find(&self, name: &str) -> Option<(Column, &'s str, Matched)> {
        let (target, how) = if let Some(&target) = self.mapped.get(name) {
            (target, Matched::Mapped)
        } else if self.schema.has_name(name) {
            return self.column(name).map(|(c, _)| (c, self.own(name), Matched::Exactly));
        } else {
            (self.loose.get(&loosen(name)).copied().flatten()?, Matched::Loosely)
        };
        self.column(target).map(|(c, t)| (c, t, how))
    }

    /// The schema's own copy of a name it holds.
    fn own(&self, name: &str) -> &'s str {
        self.column(name).map_or("", |(_, t)| t)
    }

    fn column(&self, target: &str) -> Option<(Column, &'s str)> {
        if let Some(f) = self.schema.field_id(target) {
            let field = self.schema.field(f)?;
            return Some((Column::Field(f), field.name.as_str()));
        }
        let b = self.schema.behaviour_id(target)?;
        Some((Column::Behaviour(b), self.schema.behaviour(b)?))
    }
}

/// A name with ASCII case, and runs of spaces, `_`, `-` and `.`, ignored.
pub fn loosen(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.trim().chars() {
        if c.is_whitespace() || matches!(c, '_' | '-' | '.') {
            gap = !out.is_empty();
        } else {
            if gap {
                out.push('_');
                gap = false;
            }
            out.extend(c.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_names() {
        assert_eq!(loosen("  Company   Size "), "company_size");
        assert_eq!(loosen("Demo-Request"), "demo_request");
        assert_eq!(loosen("e.mail__open"), "e_mail_open");
        assert_eq!(loosen("_x"), "x");
    }
}
