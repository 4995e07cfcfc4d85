//! What differs between SQL dialects: quoting, literals, and the few
//! functions the scoring query needs that the SQL standard spells
//! differently or not at all.
//!
//! In: a [`Dialect`] and the pieces of an expression. Out: SQL text. Every
//! other part of the query is written once, in the SQL that DuckDB, Spark
//! SQL and PostgreSQL share (`CASE`, `COALESCE`, `LEAST`, `GREATEST`,
//! `LIKE ... ESCAPE`, `count(*) FILTER (WHERE ...)`).

use std::fmt::Write;

/// The SQL dialect a query is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    /// DuckDB (tested: every column equal to the VM's).
    #[default]
    DuckDb,
    /// Spark SQL 3.4 or newer (Databricks): backquoted names, `div`,
    /// backslash escapes in strings.
    Spark,
    /// PostgreSQL 12 or newer.
    Postgres,
    /// The SQL standard, for other engines: a starting point to adapt.
    Ansi,
}

impl Dialect {
    /// The dialect's name in prose: `DuckDB`, `Spark SQL`, ...
    pub fn title(self) -> &'static str {
        match self {
            Dialect::DuckDb => "DuckDB",
            Dialect::Spark => "Spark SQL",
            Dialect::Postgres => "PostgreSQL",
            Dialect::Ansi => "standard SQL",
        }
    }

    /// A quoted identifier: `"name"` (`` `name` `` in Spark), so that any
    /// column name, reserved word or not, is read as written.
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A string literal holding exactly `text`.
    pub fn string(self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 2);
        out.push('\'');
        for c in text.chars() {
            match (self, c) {
                // Spark reads backslash escapes in every string literal.
                (Dialect::Spark, '\\') => out.push_str("\\\\"),
                (Dialect::Spark, '\'') => out.push_str("\\'"),
                (Dialect::Spark, c) if c.is_control() || (c.is_whitespace() && c != ' ') => {
                    let _ = write!(out, "\\u{:04X}", c as u32);
                }
                (_, '\'') => out.push_str("''"),
                (_, c) => out.push(c),
            }
        }
        out.push('\'');
        out
    }

    /// An integer literal of type `BIGINT`; `i64::MIN` is written so that
    /// no dialect reads its digits as an out-of-range positive number.
    pub fn int(self, value: i64) -> String {
        if value == i64::MIN { format!("({} - 1)", i64::MIN + 1) } else { value.to_string() }
    }

    /// A double-precision literal with exactly `value`'s bits, in exponent
    /// form, which every dialect reads as a double (and not as an exact
    /// decimal): `50000E0`, `2.5E0`, `1E300`.
    pub fn double(self, value: f64) -> String {
        let text = if value.fract() == 0.0 && value.abs() < 1e15 {
            format!("{value:.0}E0")
        } else {
            format!("{value:e}").to_uppercase()
        };
        match self {
            Dialect::Postgres | Dialect::Ansi => format!("CAST({text} AS DOUBLE PRECISION)"),
            _ => text,
        }
    }

    /// Whether a number that should be whole has a fraction, where the
    /// dialect can tell exactly for any integer or floating-point column
    /// (`None`: it is not checked).
    pub fn has_fraction(self, x: &str) -> Option<String> {
        match self {
            Dialect::DuckDb | Dialect::Spark => Some(format!("{x} <> FLOOR({x})")),
            Dialect::Postgres | Dialect::Ansi => None,
        }
    }

    /// `CREATE OR REPLACE VIEW` where the dialect has it.
    pub fn create_view(self) -> &'static str {
        match self {
            Dialect::Ansi => "CREATE VIEW",
            _ => "CREATE OR REPLACE VIEW",
        }
    }

    /// The name of the 64-bit floating-point type.
    pub fn double_type(self) -> &'static str {
        match self {
            Dialect::Postgres | Dialect::Ansi => "DOUBLE PRECISION",
            _ => "DOUBLE",
        }
    }

    /// An exact integer type wide enough for a decayed rule's numerator
    /// (up to about 2^100).
    pub fn wide_type(self) -> &'static str {
        match self {
            Dialect::DuckDb => "HUGEINT",
            Dialect::Postgres => "NUMERIC",
            Dialect::Spark | Dialect::Ansi => "DECIMAL(38, 0)",
        }
    }

    /// `a / b` rounded down, for integers `a >= 0` and `b > 0`, as an
    /// integer.
    pub fn int_div(self, a: &str, b: &str) -> String {
        match self {
            Dialect::DuckDb => format!("(({a}) // ({b}))"),
            Dialect::Spark => format!("(({a}) div ({b}))"),
            Dialect::Postgres => format!("div({a}, {b})"),
            Dialect::Ansi => format!("FLOOR(({a}) / ({b}))"),
        }
    }

    /// `2^x` in double precision.
    pub fn exp2(self, x: &str) -> String {
        match self {
            Dialect::DuckDb | Dialect::Spark => format!("pow(2.0E0, {x})"),
            Dialect::Postgres | Dialect::Ansi => format!("POWER(CAST(2 AS DOUBLE PRECISION), {x})"),
        }
    }

    /// Whether a double is NaN.
    pub fn is_nan(self, x: &str) -> String {
        match self {
            Dialect::DuckDb | Dialect::Spark => format!("isnan({x})"),
            Dialect::Postgres => format!("{x} = CAST('NaN' AS DOUBLE PRECISION)"),
            Dialect::Ansi => format!("{x} <> {x}"),
        }
    }

    /// Whether a (non-NaN) double is infinite.
    pub fn is_infinite(self, x: &str) -> String {
        match self {
            Dialect::DuckDb => format!("isinf({x})"),
            Dialect::Spark => format!("abs({x}) = double('Infinity')"),
            Dialect::Postgres => format!("abs({x}) = CAST('Infinity' AS DOUBLE PRECISION)"),
            Dialect::Ansi => format!("abs({x}) > 1.7976931348623157E308"),
        }
    }

    /// Whether `text` (not `NULL`) is blank: empty, or only Unicode white
    /// space, as Rust's `str::trim` (and so leadc's reading of a cell)
    /// defines it.
    pub fn blank(self, text: &str) -> String {
        let class = white_space_class();
        match self {
            Dialect::DuckDb => format!("regexp_full_match({text}, {})", self.string(&format!("{class}*"))),
            Dialect::Spark => format!("{text} RLIKE {}", self.string(&format!("\\A{class}*\\z"))),
            Dialect::Postgres | Dialect::Ansi => format!("{} = ''", self.trimmed(text)),
        }
    }

    /// `text` without the white space around it.
    pub fn trimmed(self, text: &str) -> String {
        let class = white_space_class();
        let all: String = WHITE_SPACE.iter().collect();
        match self {
            Dialect::DuckDb => {
                format!("regexp_replace({text}, {}, '', 'g')", self.string(&format!("^{class}+|{class}+$")))
            }
            Dialect::Spark => {
                format!("regexp_replace({text}, {}, '')", self.string(&format!("\\A{class}+|{class}+\\z")))
            }
            Dialect::Postgres => format!("btrim({text}, {})", escaped_postgres(&all)),
            Dialect::Ansi => format!("TRIM(BOTH {} FROM {text})", self.string(&all)),
        }
    }

    /// Whole seconds since the Unix epoch of a timestamp (rounded down:
    /// a fraction of a second is dropped, as leadc reads timestamps).
    pub fn epoch_seconds(self, timestamp: &str) -> String {
        match self {
            Dialect::DuckDb => format!("CAST(floor(epoch({timestamp})) AS BIGINT)"),
            Dialect::Spark => format!("unix_timestamp({timestamp})"),
            Dialect::Postgres | Dialect::Ansi => {
                format!("CAST(FLOOR(EXTRACT(EPOCH FROM {timestamp})) AS BIGINT)")
            }
        }
    }

    /// The current instant, as a timestamp.
    pub fn now(self) -> &'static str {
        match self {
            Dialect::Spark => "current_timestamp()",
            _ => "CURRENT_TIMESTAMP",
        }
    }

    /// The query parameter named `name`.
    pub fn parameter(self, name: &str) -> String {
        match self {
            Dialect::DuckDb => format!("${name}"),
            Dialect::Postgres => "$1".to_string(),
            Dialect::Spark | Dialect::Ansi => format!(":{name}"),
        }
    }

    /// `text LIKE pattern`, the pattern matching `prefix`, `infix` or
    /// `suffix` literally (`%`, `_` and the escape character escaped).
    pub fn like(self, text: &str, before: bool, literal: &str, after: bool) -> String {
        let mut pattern = String::new();
        if before {
            pattern.push('%');
        }
        for c in literal.chars() {
            if matches!(c, '%' | '_' | '!') {
                pattern.push('!');
            }
            pattern.push(c);
        }
        if after {
            pattern.push('%');
        }
        let escape = if literal.contains(['%', '_', '!']) { " ESCAPE '!'" } else { "" };
        format!("{text} LIKE {}{escape}", self.string(&pattern))
    }
}

/// A regular expression class of the [`WHITE_SPACE`] characters, in the
/// syntax RE2 (DuckDB) and Java (Spark) share: `[\t-\r \x{85}...]`.
fn white_space_class() -> String {
    let mut class = String::from("[");
    let mut i = 0;
    while i < WHITE_SPACE.len() {
        let mut end = i;
        while end + 1 < WHITE_SPACE.len() && WHITE_SPACE[end + 1] as u32 == WHITE_SPACE[end] as u32 + 1 {
            end += 1;
        }
        let one = |c: char| match c {
            '\t' => "\\t".to_string(),
            '\r' => "\\r".to_string(),
            ' ' => " ".to_string(),
            c => format!("\\x{{{:X}}}", c as u32),
        };
        class.push_str(&one(WHITE_SPACE[i]));
        match end - i {
            0 => {}
            1 => class.push_str(&one(WHITE_SPACE[end])),
            _ => {
                class.push('-');
                class.push_str(&one(WHITE_SPACE[end]));
            }
        }
        i = end + 1;
    }
    class.push(']');
    class
}

/// A PostgreSQL escape string (`E'...'`) holding `text`, its characters
/// other than letters and digits written as `\uXXXX`.
fn escaped_postgres(text: &str) -> String {
    let mut out = String::from("E'");
    for c in text.chars() {
        let _ = write!(out, "\\u{:04X}", c as u32);
    }
    out.push('\'');
    out
}

/// The Unicode `White_Space` characters, which `str::trim` removes.
const WHITE_SPACE: [char; 25] = [
    '\t', '\n', '\u{0B}', '\u{0C}', '\r', ' ', '\u{85}', '\u{A0}', '\u{1680}', '\u{2000}', '\u{2001}',
    '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}', '\u{2008}', '\u{2009}',
    '\u{200A}', '\u{2028}', '\u{2029}', '\u{202F}', '\u{205F}', '\u{3000}',
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_is_what_str_trim_removes() {
        for c in '\0'..=char::MAX {
            assert_eq!(WHITE_SPACE.contains(&c), c.is_whitespace(), "{c:?}");
        }
    }

    #[test]
    fn literals_read_back_as_written() {
        assert_eq!(Dialect::DuckDb.string("it's"), "'it''s'");
        assert_eq!(Dialect::Spark.string("it's \\ \t"), "'it\\'s \\\\ \\u0009'");
        assert_eq!(Dialect::Spark.ident("a`b"), "`a``b`");
        assert_eq!(Dialect::DuckDb.ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(Dialect::DuckDb.double(2.5), "2.5E0");
        assert_eq!(Dialect::DuckDb.double(50_000.0), "50000E0");
        assert_eq!(Dialect::DuckDb.double(-0.5), "-5E-1");
        assert_eq!(Dialect::DuckDb.double(1e300), "1E300");
        assert_eq!(Dialect::DuckDb.int(i64::MIN), "(-9223372036854775807 - 1)");
        assert_eq!(Dialect::DuckDb.like("t", false, "50%_!", true), "t LIKE '50!%!_!!%' ESCAPE '!'");
    }
}
