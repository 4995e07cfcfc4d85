//! How a schema's leads are written in the files users have: column names
//! and cell conventions.
//!
//! In: the `[columns]` and `[input]` tables of a schema file (or
//! [`SchemaBuilder::intake`](super::SchemaBuilder::intake)). Out: an
//! [`Intake`] that the readers consult for every header and cell: which input
//! column fills which field or behaviour, which cells mean "no value", how
//! numbers are grouped and which words are booleans. The defaults read
//! exactly what the schema's own names and plain values say.

/// A schema's input conventions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intake {
    /// Input column name → field or behaviour name (`[columns]`).
    pub columns: Vec<(String, String)>,
    /// Cells that mean "no value", compared trimmed and ignoring ASCII case
    /// (an empty cell always does).
    pub missing: Vec<String>,
    /// The thousands separator in ints, numbers and counts (`1,200`).
    pub thousands: Option<char>,
    /// The decimal mark of numbers: `.` or `,`.
    pub decimal: char,
    /// Extra words read as `true` (ignoring ASCII case), beside
    /// `true/yes/y/1`.
    pub true_words: Vec<String>,
    /// Extra words read as `false`, beside `false/no/n/0`.
    pub false_words: Vec<String>,
    /// Whether enum values are matched ignoring case (`emea` for `EMEA`).
    pub enum_any_case: bool,
}

impl Default for Intake {
    fn default() -> Self {
        Intake {
            columns: Vec::new(),
            missing: Vec::new(),
            thousands: None,
            decimal: '.',
            true_words: Vec::new(),
            false_words: Vec::new(),
            enum_any_case: false,
        }
    }
}

/// `text` without leading and trailing whitespace, as [`str::trim`] gives
/// it; a cell that starts and ends with a visible ASCII character (most
/// cells) is returned as it is, without a scan.
#[inline]
pub(crate) fn trim_cell(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(&a), Some(&z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// The value of a cell of 1 to 19 ASCII digits and nothing else (no sign,
/// no separator): the common case, read without `str::parse`.
#[inline]
pub(crate) fn digits(trimmed: &str) -> Option<u64> {
    let bytes = trimmed.as_bytes();
    if bytes.is_empty() || bytes.len() > 19 {
        return None;
    }
    let mut n = 0u64;
    for &b in bytes {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n * 10 + u64::from(digit);
    }
    Some(n)
}

impl Intake {
    /// A whole number from a (trimmed) cell, as `str::parse` reads it after
    /// [`Intake::plain_number`] (thousands separators removed).
    #[inline]
    pub(crate) fn whole<T: TryFrom<u64> + std::str::FromStr>(&self, trimmed: &str) -> Option<T> {
        match digits(trimmed) {
            Some(n) => T::try_from(n).ok(),
            None => self.plain_number(trimmed)?.parse().ok(),
        }
    }

    /// A finite number from a (trimmed) cell, as `str::parse` reads it
    /// after [`Intake::plain_number`].
    #[inline]
    pub(crate) fn number(&self, trimmed: &str) -> Option<f64> {
        self.plain_number(trimmed)?.parse::<f64>().ok().filter(|n| n.is_finite())
    }

    /// Whether a (trimmed) cell is a declared missing-value token.
    pub fn is_missing(&self, trimmed: &str) -> bool {
        trimmed.is_empty() || self.missing.iter().any(|m| m.eq_ignore_ascii_case(trimmed))
    }

    /// A number as Rust parses it: thousands separators between digit
    /// groups of three removed, a decimal comma made a point. `None` when
    /// the text uses a separator wrongly (`12,00` with `,` for thousands).
    /// Borrowed when nothing changes.
    pub fn plain_number<'t>(&self, trimmed: &'t str) -> Option<std::borrow::Cow<'t, str>> {
        let needs_work = self.thousands.is_some_and(|t| trimmed.contains(t))
            || (self.decimal != '.' && trimmed.contains(self.decimal));
        if !needs_work {
            return Some(std::borrow::Cow::Borrowed(trimmed));
        }
        let (int_part, frac) = match trimmed.find(self.decimal) {
            Some(i) => (&trimmed[..i], Some(&trimmed[i + self.decimal.len_utf8()..])),
            None => (trimmed, None),
        };
        let mut out = ungroup(int_part, self.thousands)?;
        if let Some(frac) = frac {
            if self.thousands.is_some_and(|t| frac.contains(t)) {
                return None;
            }
            out.push('.');
            out.push_str(frac);
        }
        Some(std::borrow::Cow::Owned(out))
    }

    /// A boolean from a (trimmed) cell, by the built-in and declared words.
    pub fn boolean(&self, trimmed: &str) -> Option<bool> {
        const TRUE: [&str; 4] = ["true", "yes", "y", "1"];
        const FALSE: [&str; 4] = ["false", "no", "n", "0"];
        let is = |fixed: [&str; 4], declared: &[String]| {
            fixed.iter().any(|w| w.eq_ignore_ascii_case(trimmed))
                || declared.iter().any(|w| w.eq_ignore_ascii_case(trimmed))
        };
        if is(TRUE, &self.true_words) {
            Some(true)
        } else if is(FALSE, &self.false_words) {
            Some(false)
        } else {
            None
        }
    }

    /// The index of `trimmed` among an enum's `values`.
    pub fn enum_index(&self, values: &[String], trimmed: &str) -> Option<usize> {
        values.iter().position(|v| v == trimmed).or_else(|| {
            if self.enum_any_case {
                values.iter().position(|v| v.eq_ignore_ascii_case(trimmed))
            } else {
                None
            }
        })
    }

    /// Describes the accepted booleans, for messages.
    pub fn boolean_words(&self) -> String {
        let mut words = "true/false, yes/no, 1/0".to_string();
        for (list, value) in [(&self.true_words, "true"), (&self.false_words, "false")] {
            if !list.is_empty() {
                let quoted: Vec<String> = list.iter().map(|w| format!("`{w}`")).collect();
                words.push_str(&format!(", {} for {value}", quoted.join("/")));
            }
        }
        words
    }
}

/// `1,234,567` → `1234567` when `sep` separates groups of three digits.
fn ungroup(text: &str, sep: Option<char>) -> Option<String> {
    let Some(sep) = sep.filter(|&s| text.contains(s)) else { return Some(text.to_string()) };
    let (sign, digits) = match text.strip_prefix(['-', '+']) {
        Some(rest) => (&text[..1], rest),
        None => ("", text),
    };
    let mut groups = digits.split(sep);
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = format!("{sign}{first}");
    for group in groups {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(group);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn intake(thousands: Option<char>, decimal: char) -> Intake {
        Intake { thousands, decimal, ..Intake::default() }
    }

    proptest::proptest! {
        /// The fast paths read what `str::trim` and `str::parse` (after
        /// `plain_number`) read, for any cell.
        #[test]
        fn fast_paths_read_what_parse_reads(cell in "[ 0-9,.+\\-a\u{a0}\u{2003}]{0,24}") {
            proptest::prop_assert_eq!(trim_cell(&cell), cell.trim());
            for intake in [intake(None, '.'), intake(Some(','), '.'), intake(Some('.'), ',')] {
                let t = trim_cell(&cell);
                let slow = |t: &str| intake.plain_number(t).and_then(|p| p.parse::<i64>().ok());
                proptest::prop_assert_eq!(intake.whole::<i64>(t), slow(t));
                let slow = |t: &str| intake.plain_number(t).and_then(|p| p.parse::<u32>().ok());
                proptest::prop_assert_eq!(intake.whole::<u32>(t), slow(t));
            }
        }
    }

    #[test]
    fn digits_reads_plain_digits_only() {
        assert_eq!(digits("0042"), Some(42));
        assert_eq!(digits("9999999999999999999"), Some(9_999_999_999_999_999_999));
        assert_eq!(digits("99999999999999999999"), None);
        for cell in ["", "+1", "-1", "1,000", "1.5", " 1"] {
            assert_eq!(digits(cell), None, "{cell:?}");
        }
        assert_eq!(Intake::default().whole::<i64>("9999999999999999999"), None);
        assert_eq!(Intake::default().whole::<u32>("4294967296"), None);
    }

    #[test]
    fn numbers_lose_their_grouping() {
        let us = intake(Some(','), '.');
        assert_eq!(us.plain_number("1,200").unwrap(), "1200");
        assert_eq!(us.plain_number("-1,234,567.5").unwrap(), "-1234567.5");
        assert_eq!(us.plain_number("1200").unwrap(), "1200");
        assert!(us.plain_number("12,00").is_none());
        assert!(us.plain_number(",200").is_none());
        let de = intake(Some('.'), ',');
        assert_eq!(de.plain_number("1.200,5").unwrap(), "1200.5");
        assert_eq!(de.plain_number("12,5").unwrap(), "12.5");
        assert!(de.plain_number("1,2.5").is_none());
        // No declaration: nothing changes, so `1,200` stays invalid.
        assert_eq!(Intake::default().plain_number("1,200").unwrap(), "1,200");
    }

    #[test]
    fn declared_words_and_tokens() {
        let i = Intake {
            missing: vec!["N/A".into(), "-".into()],
            true_words: vec!["Ja".into()],
            enum_any_case: true,
            ..Intake::default()
        };
        assert!(i.is_missing("n/a") && i.is_missing("-") && i.is_missing(""));
        assert!(!i.is_missing("none"));
        assert_eq!(i.boolean("JA"), Some(true));
        assert_eq!(i.boolean("nein"), None);
        assert_eq!(i.enum_index(&["EMEA".into()], "emea"), Some(0));
        assert_eq!(Intake::default().enum_index(&["EMEA".into()], "emea"), None);
    }
}
