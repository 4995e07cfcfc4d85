//! Whole history files: CSV or NDJSON bytes read into a [`History`].
//!
//! In: a byte stream and a [`Reader`] (for CSV, made from the header
//! row). Out: every record's [`Entry`] pushed into one [`History`] — rows,
//! open leads and located row errors, so that nothing read is lost — or,
//! when the file cannot be read at all (no header, an unterminated quote
//! in it, a read error), why.
//!
//! ```
//! use leadc::review::{Reader, read_csv};
//! let program = leadc::load("examples/saas/saas.lead")?;
//! let text = "region,age,converted\nEMEA,40,yes\nAPAC,x,no\n";
//! let history = read_csv(text.as_bytes(), |header| Reader::csv(&program, header, "converted", None))?;
//! assert_eq!((history.rows.len(), history.errors.len()), (1, 1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::{Entry, History, Reader, RowError};
use crate::intake::chunk::{Framing, Splitter};
use crate::intake::csv::{Record, Records};
use crate::intake::lines::Lines;
use std::io::Read;

/// Reads a CSV history: its header row, then every record, scored by the
/// reader `make` builds from the header's column names.
pub fn read_csv<'p, R: Read>(
    input: R,
    make: impl FnOnce(&[String]) -> Result<Reader<'p>, String>,
) -> Result<History, String> {
    let mut splitter = Splitter::new(input, Framing::Csv);
    let header = match splitter.csv_header() {
        Ok(Some(record)) => record,
        Ok(None) => return Err("the history is empty: no header row".into()),
        Err(e) => return Err(format!("cannot read the history: {e}")),
    };
    if let Some(quote) = header.unterminated {
        return Err(format!("the header row: {quote}"));
    }
    let names = header
        .cells()
        .map(|cell| {
            String::from_utf8(cell.to_vec()).map_err(|_| "the header row is not valid UTF-8".to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut reader = make(&names)?;
    let mut history = History::default();
    let mut record = Record::default();
    while let Some(chunk) = splitter.next_chunk().map_err(|e| format!("cannot read the history: {e}"))? {
        let mut records = Records::new(&chunk.bytes, chunk.first_line);
        while records.next_into(&mut record) {
            let line = record.line;
            history.push(match cells(&record, &names) {
                Ok(cells) => reader.record(line, &cells),
                Err(message) => Entry::Error(RowError::new(line, None, message)),
            });
        }
    }
    Ok(history)
}

/// Reads an NDJSON history, one object per line, scored by `reader`.
pub fn read_ndjson<R: Read>(input: R, mut reader: Reader<'_>) -> Result<History, String> {
    let mut history = History::default();
    let mut splitter = Splitter::new(input, Framing::Lines);
    while let Some(chunk) = splitter.next_chunk().map_err(|e| format!("cannot read the history: {e}"))? {
        for (line, raw) in Lines::new(&chunk.bytes, chunk.first_line) {
            history.push(match std::str::from_utf8(raw) {
                Ok(text) => reader.json_line(line, text),
                Err(_) => Entry::Error(RowError::new(line, None, "the line is not valid UTF-8")),
            });
        }
    }
    Ok(history)
}

/// A record's cells as text, or why they cannot be read.
fn cells<'r>(record: &'r Record, names: &[String]) -> Result<Vec<&'r str>, String> {
    if let Some(quote) = record.unterminated {
        return Err(quote.to_string());
    }
    record
        .cells()
        .enumerate()
        .map(|(i, cell)| {
            std::str::from_utf8(cell).map_err(|_| {
                let column =
                    names.get(i).map_or_else(|| format!("cell {}", i + 1), |n| format!("column `{n}`"));
                format!("{column}: the value is not valid UTF-8; save the file as UTF-8")
            })
        })
        .collect()
}
