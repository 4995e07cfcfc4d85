//! Which outcome values mean converted, not converted, or not known yet.
//!
//! In: the value lists of `--won`, `--lost` and `--open` (empty lists: the
//! built-in words). Out: an [`Outcomes`] that sorts one outcome cell into a
//! [`Class`] — or into none, which the reader turns into a located row
//! error whose message lists the accepted values.
//!
//! The rules, in order, for a cell trimmed and compared ignoring case:
//!
//! - an empty cell is *not converted* (CRM exports leave it blank), always;
//! - a value of `--open` is *open*: the lead is still in play, so it is
//!   counted but not analysed;
//! - without `--won`: the built-in words ([`super::OUTCOME_TRUE`],
//!   [`super::OUTCOME_FALSE`]);
//! - with `--won`: only its values are *converted*; with `--lost` too, only
//!   its values are *not converted* and any other value is unknown; without
//!   `--lost`, any other value is *not converted* by elimination
//!   ([`Class::Unlisted`]), and the summary names those values with their
//!   counts, so that an open stage counted as lost shows.

use super::{OUTCOME_FALSE, OUTCOME_TRUE, RowError};

/// What an outcome cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// The lead converted.
    Converted,
    /// The lead did not convert (an empty cell included).
    NotConverted,
    /// Not converted by elimination: `--won` was given without `--lost`,
    /// and the value is in neither `--won` nor `--open`.
    Unlisted,
    /// The outcome is not known yet (an `--open` value): counted, not
    /// analysed.
    Open,
}

/// The outcome values accepted, and how each is read.
///
/// ```
/// use leadc::review::{Class, Outcomes};
/// let stages = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
/// let o = Outcomes::new(&stages(&["Closed Won"]), &stages(&["Closed Lost"]), &stages(&["Open"])).unwrap();
/// assert_eq!(o.classify(" closed won "), Some(Class::Converted));
/// assert_eq!(o.classify("OPEN"), Some(Class::Open));
/// assert_eq!(o.classify(""), Some(Class::NotConverted));
/// assert_eq!(o.classify("won"), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcomes {
    /// `--won`: empty for the built-in words.
    won: Vec<String>,
    /// `--lost`: empty for the built-in words (or, with `--won`, for "any
    /// other value").
    lost: Vec<String>,
    /// `--open`.
    open: Vec<String>,
}

impl Outcomes {
    /// The lists as given on the command line (each value trimmed); an
    /// error names an empty value, a value in two lists, or `--lost`
    /// without `--won`.
    pub fn new(won: &[String], lost: &[String], open: &[String]) -> Result<Outcomes, String> {
        if won.is_empty() && !lost.is_empty() {
            return Err("`--lost` needs `--won`: give the values that mean converted too".to_string());
        }
        let trimmed = |flag: &str, values: &[String]| -> Result<Vec<String>, String> {
            values
                .iter()
                .map(|v| match v.trim() {
                    "" => Err(format!(
                        "`{flag}` has an empty value; an empty outcome cell always counts as not converted"
                    )),
                    v => Ok(v.to_string()),
                })
                .collect()
        };
        let outcomes = Outcomes {
            won: trimmed("--won", won)?,
            lost: trimmed("--lost", lost)?,
            open: trimmed("--open", open)?,
        };
        outcomes.check_overlaps()?;
        Ok(outcomes)
    }

    /// Whether no list was given: the built-in words, nothing open.
    pub fn is_default(&self) -> bool {
        self.won.is_empty() && self.open.is_empty()
    }

    /// The class of an outcome cell; `None` for a value no list accepts.
    pub fn classify(&self, cell: &str) -> Option<Class> {
        let text = cell.trim();
        if text.is_empty() {
            return Some(Class::NotConverted);
        }
        if contains(&self.open, text) {
            return Some(Class::Open);
        }
        if self.won.is_empty() {
            return super::parse_converted(text)
                .map(|c| if c { Class::Converted } else { Class::NotConverted });
        }
        if contains(&self.won, text) {
            Some(Class::Converted)
        } else if self.lost.is_empty() {
            Some(Class::Unlisted)
        } else if contains(&self.lost, text) {
            Some(Class::NotConverted)
        } else {
            None
        }
    }

    /// The row error of a value no list accepts, listing what is.
    pub fn unknown(&self, line: u64, id: Option<String>, column: &str, value: &str) -> RowError {
        if self.is_default() {
            return RowError::bad_outcome(line, id, column, value);
        }
        let (won, lost) = if self.won.is_empty() {
            (OUTCOME_TRUE.join("/"), OUTCOME_FALSE.join("/"))
        } else {
            (listed(&self.won), listed(&self.lost))
        };
        let open =
            if self.open.is_empty() { String::new() } else { format!("; open: {}", listed(&self.open)) };
        let message = format!(
            "column `{column}`: `{value}` is not an outcome (converted: {won}; not converted: {lost} or empty{open}); \
             add it to `--won`, `--lost` or `--open`"
        );
        RowError::new(line, id, message)
    }

    /// Refuses a value in two lists (or, without `--won`, an `--open`
    /// value that is a built-in word): it could not be read one way.
    fn check_overlaps(&self) -> Result<(), String> {
        if self.won.is_empty() {
            let builtin = OUTCOME_TRUE.iter().chain(&OUTCOME_FALSE);
            if let Some(v) = self.open.iter().find(|v| builtin.clone().any(|w| same_ignoring_case(w, v))) {
                return Err(format!(
                    "`--open {v}`: `{v}` is a built-in outcome word; to read it as open, \
                     give the outcome values with `--won` and `--lost`"
                ));
            }
            return Ok(());
        }
        let lists = [("--won", &self.won), ("--lost", &self.lost), ("--open", &self.open)];
        for (i, (first, values)) in lists.iter().enumerate() {
            for (second, others) in &lists[i + 1..] {
                if let Some(v) = values.iter().find(|v| contains(others, v)) {
                    return Err(format!(
                        "`{v}` is in both `{first}` and `{second}`; give each outcome value one meaning"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Whether `values` holds `text`, ignoring case (Unicode lowercase, so
/// `GAGNÉ` is `gagné`).
fn contains(values: &[String], text: &str) -> bool {
    values.iter().any(|v| same_ignoring_case(v, text))
}

fn same_ignoring_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || (!(a.is_ascii() && b.is_ascii())
            && a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase)))
}

/// Values for a message: `` `a`, `b` ``, or `none`.
fn listed(values: &[String]) -> String {
    if values.is_empty() {
        return "none".to_string();
    }
    values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn list(values: &[&str]) -> Vec<String> {
        values.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn without_lists_the_built_in_words_are_read() {
        let o = Outcomes::default();
        assert_eq!(o.classify("Yes"), Some(Class::Converted));
        assert_eq!(o.classify(" lost "), Some(Class::NotConverted));
        assert_eq!(o.classify(""), Some(Class::NotConverted));
        assert_eq!(o.classify("Open"), None);
        let e = o.unknown(3, None, "converted", "maybe");
        assert_eq!(e, RowError::bad_outcome(3, None, "converted", "maybe"));
    }

    #[test]
    fn won_alone_makes_every_other_value_unlisted() {
        let o = Outcomes::new(&list(&["Closed Won"]), &[], &list(&["Negotiation"])).unwrap();
        assert_eq!(o.classify("closed won"), Some(Class::Converted));
        assert_eq!(o.classify("Closed Lost"), Some(Class::Unlisted));
        assert_eq!(o.classify("true"), Some(Class::Unlisted));
        assert_eq!(o.classify("NEGOTIATION"), Some(Class::Open));
        assert_eq!(o.classify("  "), Some(Class::NotConverted));
    }

    #[test]
    fn won_and_lost_refuse_any_other_value_and_list_the_accepted_ones() {
        let o = Outcomes::new(&list(&["Closed Won"]), &list(&["Closed Lost", "Disqualified"]), &[]).unwrap();
        assert_eq!(o.classify("disqualified"), Some(Class::NotConverted));
        assert_eq!(o.classify("Negotiation"), None);
        let e = o.unknown(12, Some("D9".into()), "Deal Stage", "Negotiation");
        assert_eq!(
            e.to_string(),
            "line 12 (id `D9`): column `Deal Stage`: `Negotiation` is not an outcome (converted: `Closed Won`; \
             not converted: `Closed Lost`, `Disqualified` or empty); add it to `--won`, `--lost` or `--open`"
        );
    }

    #[test]
    fn open_alone_keeps_the_built_in_words() {
        let o = Outcomes::new(&[], &[], &list(&["Open", "In Progress"])).unwrap();
        assert_eq!(o.classify("in progress"), Some(Class::Open));
        assert_eq!(o.classify("won"), Some(Class::Converted));
        let e = o.unknown(4, None, "status", "stalled");
        assert!(e.message.contains("(converted: true/1/yes/y/converted/won; not converted: false/0/no/n/not_converted/lost or empty; open: `Open`, `In Progress`)"), "{}", e.message);
    }

    #[test]
    fn case_is_ignored_beyond_ascii() {
        let o = Outcomes::new(&list(&["Gagné"]), &list(&["Perdu"]), &[]).unwrap();
        assert_eq!(o.classify("GAGNÉ"), Some(Class::Converted));
        assert_eq!(o.classify("gagne"), None);
    }

    #[test]
    fn bad_lists_are_refused_with_the_fix() {
        let err = Outcomes::new(&[], &list(&["Closed Lost"]), &[]).unwrap_err();
        assert_eq!(err, "`--lost` needs `--won`: give the values that mean converted too");
        let err = Outcomes::new(&list(&["Won", " "]), &[], &[]).unwrap_err();
        assert!(err.starts_with("`--won` has an empty value;"), "{err}");
        let err = Outcomes::new(&list(&["Won"]), &list(&["Lost"]), &list(&["won"])).unwrap_err();
        assert_eq!(err, "`Won` is in both `--won` and `--open`; give each outcome value one meaning");
        let err = Outcomes::new(&[], &[], &list(&["No"])).unwrap_err();
        assert_eq!(
            err,
            "`--open No`: `No` is a built-in outcome word; to read it as open, give the outcome values with `--won` and `--lost`"
        );
    }
}
