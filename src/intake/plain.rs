//! Quote-free CSV text split into cells in one pass.
//!
//! In: CSV text with no `"` — valid UTF-8, so a `&str` — whose first byte
//! is on a given input line. Out: [`PlainRecord`]s (each record's line, its
//! bytes as written and where its cells end) and the cells as slices of
//! the text: what [`Records`](super::csv::Records) reads from the same text,
//! with no copy of a cell and no UTF-8 check of its own. Without quotes a
//! record is one line and a cell the bytes between two commas.

use memchr::memchr2;

use super::split::equal_bytes;

/// One record of quote-free text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainRecord {
    /// The input line it is on (1-based).
    pub line: u64,
    /// Where its bytes start in the text.
    pub start: usize,
    /// Where they end, before the line end.
    pub end: usize,
    /// Where its cells end in the cell list: its cells are
    /// `cells[previous.cells..cells]`.
    pub cells: usize,
}

/// Appends the records of `text` (no `"`; its first byte on line
/// `first_line`) to `records` and their cells to `cells`, skipping blank
/// lines; `\n`, `\r\n` and a lone `\r` each end one line.
///
/// ```
/// use leadc::intake::plain::{PlainRecord, split_plain};
/// let (mut cells, mut records) = (Vec::new(), Vec::new());
/// split_plain("id,age\r\n\r\n7,40", 1, &mut cells, &mut records);
/// assert_eq!(cells, ["id", "age", "7", "40"]);
/// assert_eq!(records[1], PlainRecord { line: 3, start: 10, end: 14, cells: 4 });
/// ```
pub fn split_plain<'a>(
    text: &'a str,
    first_line: u64,
    cells: &mut Vec<&'a str>,
    records: &mut Vec<PlainRecord>,
) {
    let bytes = text.as_bytes();
    let (mut at, mut line) = (0, first_line);
    while at < bytes.len() {
        let end = memchr2(b'\n', b'\r', bytes.get(at..).unwrap_or(&[])).map_or(bytes.len(), |i| at + i);
        if end > at {
            let mut cell = at;
            let mut cut = |comma: usize| {
                cells.push(text.get(cell..comma).unwrap_or(""));
                cell = comma + 1;
            };
            // The commas, eight bytes at a time: the high bit of each byte
            // that is `,`.
            let record = bytes.get(at..end).unwrap_or(&[]);
            let mut words = record.chunks_exact(8);
            let mut base = at;
            for word in &mut words {
                let mut commas = equal_bytes(u64::from_le_bytes(word.try_into().unwrap_or([0; 8])), b',');
                while commas != 0 {
                    cut(base + (commas.trailing_zeros() / 8) as usize);
                    commas &= commas - 1;
                }
                base += 8;
            }
            for (i, &b) in words.remainder().iter().enumerate() {
                if b == b',' {
                    cut(base + i);
                }
            }
            cells.push(text.get(cell..end).unwrap_or(""));
            records.push(PlainRecord { line, start: at, end, cells: cells.len() });
        }
        at = end + if bytes.get(end..end + 2) == Some(b"\r\n") { 2 } else { 1 };
        line += 1;
    }
}
