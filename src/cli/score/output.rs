//! Writing scored rows as CSV or NDJSON.
//!
//! In: an [`Outcome`] (and optionally its [`Explanation`]) or a row error,
//! plus the columns kept from the input. Out: bytes appended to a chunk's
//! output buffer. The column set is fixed by the program, so every row of a
//! run has the same shape; docs/cli.md lists it.

use super::DataFormat;
use leadc::Outcomes;
use leadc::input::cell_text;
use leadc::outcome::{CategoryTotal, Explanation, Outcome};
use leadc::program::Program;
use serde_json::value::RawValue;
use std::io::Write as _;

/// A value copied from an input row.
#[derive(Debug, Clone, Copy)]
pub enum Kept<'a> {
    /// A CSV cell (or absent: empty).
    Text(&'a str),
    /// A number or boolean as text: a CSV cell, a JSON literal (from a
    /// Parquet input).
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    Literal(&'a str),
    /// A JSON value from an NDJSON row, as written (`None`: the key was
    /// absent).
    Json(Option<&'a RawValue>),
}

/// One scored lead's values, read from an [`Outcome`] or from a row of
/// [`Outcomes`] columns.
#[derive(Clone, Copy)]
pub enum Scores<'a> {
    /// A single lead's outcome.
    Outcome(&'a Outcome),
    /// Row `.1` of a batch's outcomes.
    Row(&'a Outcomes, usize),
}

impl Scores<'_> {
    pub fn score(&self) -> i64 {
        match self {
            Scores::Outcome(o) => o.score,
            Scores::Row(o, r) => o.score().get(*r).copied().unwrap_or(0),
        }
    }

    /// The score without the segment digit: what `leadc review` ranks by,
    /// and the order to call leads in across segments.
    pub fn rank(&self) -> i64 {
        self.score().saturating_sub(i64::from(self.segment()) * 1000)
    }

    pub fn points(&self) -> i64 {
        match self {
            Scores::Outcome(o) => o.points,
            Scores::Row(o, r) => o.points().get(*r).copied().unwrap_or(0),
        }
    }

    pub fn tier(&self) -> Option<usize> {
        match self {
            Scores::Outcome(o) => o.tier,
            Scores::Row(o, r) => o.tier().get(*r).filter(|&&t| t != Outcomes::NO_TIER).map(|&t| t as usize),
        }
    }

    pub fn qualified(&self) -> bool {
        match self {
            Scores::Outcome(o) => o.qualified,
            Scores::Row(o, r) => o.qualified().get(*r).copied().unwrap_or(false),
        }
    }

    pub fn segment(&self) -> u8 {
        match self {
            Scores::Outcome(o) => o.segment,
            Scores::Row(o, r) => o.segment().get(*r).copied().unwrap_or(0),
        }
    }

    pub fn requires_met(&self) -> u32 {
        match self {
            Scores::Outcome(o) => o.requires_met,
            Scores::Row(o, r) => o.requires_met().get(*r).copied().unwrap_or(0),
        }
    }

    /// Category `c`'s capped total.
    pub fn capped(&self, c: usize) -> i64 {
        match self {
            Scores::Outcome(o) => o.categories.get(c).map_or(0, |t: &CategoryTotal| t.capped),
            Scores::Row(o, r) => o.category(c).get(*r).copied().unwrap_or(0),
        }
    }
}

/// Formats rows for one run.
pub struct RowFormat<'p> {
    format: DataFormat,
    explain: bool,
    program: &'p Program,
    kept: Vec<String>,
}

impl<'p> RowFormat<'p> {
    /// A row format for `program`, copying the `kept` input columns first.
    pub fn new(format: DataFormat, explain: bool, program: &'p Program, kept: Vec<String>) -> Self {
        RowFormat { format, explain, program, kept }
    }

    /// The program it writes outcomes of.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    pub fn program(&self) -> &'p Program {
        self.program
    }

    /// The output format.
    pub fn format(&self) -> DataFormat {
        self.format
    }

    /// The CSV header line (nothing for NDJSON).
    pub fn header(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if self.format != DataFormat::Csv {
            return out;
        }
        let mut names: Vec<String> = self.kept.clone();
        names.extend(
            ["score", "rank", "points", "tier", "qualified", "segment", "requires_met"].map(String::from),
        );
        names.extend(self.program.category_names().map(|c| format!("{c}_points")));
        if self.explain {
            names.push("fired".into());
        }
        names.push("error".into());
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            csv_field(&mut out, name);
        }
        out.push(b'\n');
        out
    }

    /// Appends a scored row.
    pub fn scored(
        &self,
        out: &mut Vec<u8>,
        kept: &[Kept],
        scores: Scores,
        explanation: Option<&Explanation>,
    ) {
        let tier = scores.tier().and_then(|t| self.program.tier_name(t));
        let categories = self.program.categories().len();
        match self.format {
            DataFormat::Csv => {
                // Room for the numbers, so that no push below reallocates.
                out.reserve(64 + 21 * categories);
                self.csv_kept(out, kept);
                push_int(out, scores.score());
                out.push(b',');
                push_int(out, scores.rank());
                out.push(b',');
                push_int(out, scores.points());
                out.push(b',');
                out.extend_from_slice(tier.unwrap_or("").as_bytes());
                out.extend_from_slice(if scores.qualified() { b",true," } else { b",false," });
                push_int(out, i64::from(scores.segment()));
                out.push(b',');
                push_int(out, i64::from(scores.requires_met()));
                for c in 0..categories {
                    out.push(b',');
                    push_int(out, scores.capped(c));
                }
                if self.explain {
                    out.push(b',');
                    if let Some(e) = explanation {
                        self.fired_csv(out, e);
                    }
                }
                out.extend_from_slice(b",\n");
            }
            DataFormat::Ndjson => {
                out.push(b'{');
                self.json_kept(out, kept);
                out.extend_from_slice(b"\"score\":");
                push_int(out, scores.score());
                out.extend_from_slice(b",\"rank\":");
                push_int(out, scores.rank());
                out.extend_from_slice(b",\"points\":");
                push_int(out, scores.points());
                out.extend_from_slice(b",\"tier\":");
                json_string_or_null(out, tier.or(scores.tier().map(|_| "")));
                out.extend_from_slice(if scores.qualified() {
                    b",\"qualified\":true"
                } else {
                    b",\"qualified\":false"
                });
                out.extend_from_slice(b",\"segment\":");
                push_int(out, i64::from(scores.segment()));
                out.extend_from_slice(b",\"requires_met\":");
                push_int(out, i64::from(scores.requires_met()));
                out.extend_from_slice(b",\"categories\":{");
                for (c, name) in self.program.category_names().enumerate() {
                    if c > 0 {
                        out.push(b',');
                    }
                    json_string(out, name);
                    out.push(b':');
                    push_int(out, scores.capped(c));
                }
                out.push(b'}');
                if let Some(e) = explanation.filter(|_| self.explain) {
                    out.extend_from_slice(b",\"fired\":");
                    self.fired_json(out, e);
                }
                out.extend_from_slice(b"}\n");
            }
            // Parquet rows are built as Arrow columns (`arrow_out`).
            DataFormat::Parquet => {}
        }
    }

    /// Appends a row for a lead that could not be scored.
    pub fn errored(&self, out: &mut Vec<u8>, kept: &[Kept], message: &str) {
        match self.format {
            DataFormat::Csv => {
                self.csv_kept(out, kept);
                let empty = 7 + self.program.categories().len() + usize::from(self.explain);
                out.extend(std::iter::repeat_n(b',', empty));
                csv_field(out, message);
                out.push(b'\n');
            }
            DataFormat::Ndjson => {
                out.push(b'{');
                self.json_kept(out, kept);
                out.extend_from_slice(b"\"error\":");
                json_string(out, message);
                out.extend_from_slice(b"}\n");
            }
            DataFormat::Parquet => {}
        }
    }

    fn csv_kept(&self, out: &mut Vec<u8>, kept: &[Kept]) {
        for value in kept {
            match value {
                Kept::Text(t) | Kept::Literal(t) => csv_field(out, t),
                Kept::Json(None) => {}
                Kept::Json(Some(raw)) => csv_field(out, &cell_text(raw)),
            }
            out.push(b',');
        }
    }

    fn json_kept(&self, out: &mut Vec<u8>, kept: &[Kept]) {
        for (name, value) in self.kept.iter().zip(kept) {
            json_string(out, name);
            out.push(b':');
            match value {
                Kept::Text(t) => json_string(out, t),
                Kept::Literal(t) => out.extend_from_slice(t.as_bytes()),
                Kept::Json(None) => out.extend_from_slice(b"null"),
                Kept::Json(Some(raw)) => out.extend_from_slice(raw.get().as_bytes()),
            }
            out.push(b',');
        }
    }

    /// `16:+10 17:+8`: the line of each fired rule with its points.
    pub fn fired_csv(&self, out: &mut Vec<u8>, e: &Explanation) {
        let mut first = true;
        for (i, trace) in e.rules.iter().enumerate().filter(|(_, t)| t.fired) {
            if !first {
                out.push(b' ');
            }
            first = false;
            let _ = write!(out, "{}:{:+}", self.rule_label(i), trace.points);
        }
    }

    fn fired_json(&self, out: &mut Vec<u8>, e: &Explanation) {
        out.push(b'[');
        let mut first = true;
        for (i, trace) in e.rules.iter().enumerate().filter(|(_, t)| t.fired) {
            if !first {
                out.push(b',');
            }
            first = false;
            let text = self.program.rules().get(i).map_or("", |r| r.source.text.as_str());
            let _ = write!(out, "{{\"rule\":\"{}\",\"text\":", self.rule_label(i));
            json_string(out, text);
            let _ = write!(out, ",\"points\":{}}}", trace.points);
        }
        out.push(b']');
    }

    /// A rule's line number, or `#index` when the program has no source lines.
    fn rule_label(&self, index: usize) -> String {
        match self.program.rules().get(index).map(|r| r.source.line) {
            Some(line) if line > 0 => line.to_string(),
            _ => format!("#{index}"),
        }
    }
}

/// Appends a CSV field, quoted when it must be.
pub fn csv_field(out: &mut Vec<u8>, text: &str) {
    if text.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for b in text.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(text.as_bytes());
    }
}

/// Appends an integer in decimal, as `Display` writes it.
#[inline]
pub fn push_int(out: &mut Vec<u8>, n: i64) {
    // Most outputs (category totals, segments, counts) are small.
    if (0..100).contains(&n) {
        if n >= 10 {
            out.push(b'0' + (n / 10) as u8);
        }
        out.push(b'0' + (n % 10) as u8);
        return;
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(digits.get(at..).unwrap_or(&[]));
}

/// Appends a JSON string literal.
pub fn json_string(out: &mut Vec<u8>, text: &str) {
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
        return;
    }
    let _ = serde_json::to_writer(&mut *out, text);
}

fn json_string_or_null(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(t) => json_string(out, t),
        None => out.extend_from_slice(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_string_writes_what_serde_json_writes() {
        let texts =
            ["", "VP", "a\"b", "back\\slash", "tab\t", "nul\u{0}", "\u{7f}", "é ü 日本", "\u{1f}x", "/"];
        for text in texts {
            let mut out = Vec::new();
            json_string(&mut out, text);
            assert_eq!(out, serde_json::to_vec(text).unwrap_or_default(), "{text:?}");
        }
    }

    #[test]
    fn push_int_writes_what_display_writes() {
        let edges =
            [i64::MIN, i64::MIN + 1, -1000, -100, -99, -10, -9, -1, 0, 1, 9, 10, 99, 100, 101, 999, 1000];
        let values = edges.into_iter().chain([i64::MAX - 1, i64::MAX]).chain(-2000..2000);
        for n in values {
            let mut out = b"x".to_vec();
            push_int(&mut out, n);
            assert_eq!(out, format!("x{n}").into_bytes(), "{n}");
        }
    }
}
