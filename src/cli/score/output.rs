//! Writing scored rows as CSV or NDJSON.
//!
//! In: an [`Outcome`] (and optionally its [`Explanation`]) or a row error,
//! plus the columns kept from the input. Out: bytes appended to a chunk's
//! output buffer. The column set is fixed by the program, so every row of a
//! run has the same shape; docs/cli.md lists it.

use super::DataFormat;
use leadc::input::cell_text;
use leadc::outcome::{Explanation, Outcome};
use leadc::program::Program;
use serde_json::value::RawValue;
use std::io::Write as _;

/// A value copied from an input row.
#[derive(Debug, Clone, Copy)]
pub enum Kept<'a> {
    /// A CSV cell (or absent: empty).
    Text(&'a str),
    /// A JSON value from an NDJSON row, as written (`None`: the key was
    /// absent).
    Json(Option<&'a RawValue>),
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

    /// The CSV header line (nothing for NDJSON).
    pub fn header(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if self.format == DataFormat::Ndjson {
            return out;
        }
        let mut names: Vec<String> = self.kept.clone();
        names.extend(["score", "points", "tier", "qualified", "segment", "requires_met"].map(String::from));
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
        outcome: &Outcome,
        explanation: Option<&Explanation>,
    ) {
        let tier = outcome.tier.and_then(|t| self.program.tier_name(t)).unwrap_or("");
        match self.format {
            DataFormat::Csv => {
                self.csv_kept(out, kept);
                let _ = write!(
                    out,
                    "{},{},{},{},{},{}",
                    outcome.score,
                    outcome.points,
                    tier,
                    outcome.qualified,
                    outcome.segment,
                    outcome.requires_met
                );
                for c in &outcome.categories {
                    let _ = write!(out, ",{}", c.capped);
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
                let _ = write!(out, "\"score\":{},\"points\":{},\"tier\":", outcome.score, outcome.points);
                json_string_or_null(out, outcome.tier.and(Some(tier)));
                let _ = write!(
                    out,
                    ",\"qualified\":{},\"segment\":{},\"requires_met\":{},\"categories\":{{",
                    outcome.qualified, outcome.segment, outcome.requires_met
                );
                for (i, (name, c)) in self.program.category_names().zip(&outcome.categories).enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    json_string(out, name);
                    let _ = write!(out, ":{}", c.capped);
                }
                out.push(b'}');
                if let Some(e) = explanation.filter(|_| self.explain) {
                    out.extend_from_slice(b",\"fired\":");
                    self.fired_json(out, e);
                }
                out.extend_from_slice(b"}\n");
            }
        }
    }

    /// Appends a row for a lead that could not be scored.
    pub fn errored(&self, out: &mut Vec<u8>, kept: &[Kept], message: &str) {
        match self.format {
            DataFormat::Csv => {
                self.csv_kept(out, kept);
                let empty = 6 + self.program.categories().len() + usize::from(self.explain);
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
        }
    }

    fn csv_kept(&self, out: &mut Vec<u8>, kept: &[Kept]) {
        for value in kept {
            match value {
                Kept::Text(t) => csv_field(out, t),
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
                Kept::Json(None) => out.extend_from_slice(b"null"),
                Kept::Json(Some(raw)) => out.extend_from_slice(raw.get().as_bytes()),
            }
            out.push(b',');
        }
    }

    /// `16:+10 17:+8`: the line of each fired rule with its points.
    fn fired_csv(&self, out: &mut Vec<u8>, e: &Explanation) {
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
    if text.contains([',', '"', '\n', '\r']) {
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

/// Appends a JSON string literal.
pub fn json_string(out: &mut Vec<u8>, text: &str) {
    let _ = serde_json::to_writer(&mut *out, text);
}

fn json_string_or_null(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(t) => json_string(out, t),
        None => out.extend_from_slice(b"null"),
    }
}
