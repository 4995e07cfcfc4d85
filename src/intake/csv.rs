//! CSV records: the one CSV reader every command shares.
//!
//! In: bytes of CSV text that start at a record boundary. Out: [`Record`]s —
//! the cells as bytes, the input line each record starts on, and, for a
//! broken record, where its unterminated quote opened.
//!
//! The dialect is RFC 4180 as CRM and spreadsheet exports write it, and as
//! Python's `csv` module reads it:
//! - cells are separated by `,`; a record ends at a line end: `\n`, `\r\n`,
//!   or a lone `\r` (old Mac and some Excel exports), each one line;
//! - a cell that *starts* with `"` is quoted: it runs to the next `"` not
//!   doubled (`""` is a literal quote) and may hold commas and line ends;
//!   bytes after its closing quote, up to the next `,` or line end, are kept
//!   as written;
//! - a `"` anywhere else is an ordinary character (`5" screen`);
//! - a blank line is not a record.
//!
//! A quote that opens a cell and does not close before the end of the input,
//! or within [`MAX_QUOTED_BYTES`], is *unterminated*: the record it is in
//! ends at the first line end after the quote, is marked broken (its
//! [`Record::unterminated`] says where the quote is), and reading goes on
//! with the next line. The limit keeps one stray quote from swallowing the
//! rest of a file, and keeps memory bounded.
//!
//! Framing depends only on the bytes from the record's start, so any
//! reader that cuts the input at record ends — the [`chunk`](super::chunk)
//! splitter does — reads the same records, cells and line numbers as one
//! reading the whole input at once.

pub use super::split::frame_many;
use memchr::{memchr2, memchr3};

/// How far a byte loop looks before handing a long cell to `memchr`: most
/// cells are short, and `memchr`'s set-up costs more than they do.
const SHORT: usize = 32;

/// The first `,`, `\n` or `\r`.
fn find_cell_end(bytes: &[u8]) -> Option<usize> {
    let head = bytes.get(..SHORT).unwrap_or(bytes);
    match head.iter().position(|&b| matches!(b, b',' | b'\n' | b'\r')) {
        Some(i) => Some(i),
        None if head.len() < SHORT => None,
        None => memchr3(b',', b'\n', b'\r', bytes.get(SHORT..).unwrap_or(&[])).map(|i| SHORT + i),
    }
}

/// The first `"`, `\n` or `\r`: what ends a stretch of a quoted cell's
/// bytes that can be copied as is, and, outside quotes, what the splitter
/// stops at. One scan finds both the closing quote and the line ends
/// before it, so line ends are counted only where there are some.
fn find_quote_or_line_end(bytes: &[u8]) -> Option<usize> {
    let head = bytes.get(..SHORT).unwrap_or(bytes);
    match head.iter().position(|&b| matches!(b, b'"' | b'\n' | b'\r')) {
        Some(i) => Some(i),
        None if head.len() < SHORT => None,
        None => memchr3(b'"', b'\n', b'\r', bytes.get(SHORT..).unwrap_or(&[])).map(|i| SHORT + i),
    }
}

/// Whether the byte at `at` is a line end that counts as one: a `\n`, or
/// a `\r` not followed by `\n`.
fn counts_as_line_end(bytes: &[u8], at: usize) -> bool {
    match bytes.get(at) {
        Some(b'\n') => true,
        Some(b'\r') => bytes.get(at + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// The longest a quoted cell may be before its opening quote is taken as
/// unterminated: 1 MiB, eight times the longest text field of the common
/// CRMs.
pub const MAX_QUOTED_BYTES: usize = 1 << 20;

/// Where an unterminated quote opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    /// The input line (1-based).
    pub line: u64,
    /// The byte column in that line (1-based).
    pub column: u64,
}

impl std::fmt::Display for Quote {
    /// What is wrong with a record this quote leaves open, and the fix.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the quote at line {}, column {} opens a quoted cell that never closes, so the row was \
             read to the end of that line; close the quote, or double a quote inside a quoted cell (`\"\"`)",
            self.line, self.column
        )
    }
}

/// What [`frame`] found at the start of some bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    /// A record, or a blank line, `len` bytes long (with its line end),
    /// holding `lines` line ends.
    Whole {
        /// Bytes the record takes, line end included.
        len: usize,
        /// Line ends in those bytes.
        lines: u64,
        /// A blank line: no record.
        blank: bool,
    },
    /// The bytes end before the record does: more input is needed.
    Incomplete,
    /// No bytes left.
    End,
}

/// One CSV record: its cells, where it starts, and whether it is broken.
#[derive(Debug, Clone, Default)]
pub struct Record {
    text: Vec<u8>,
    ends: Vec<usize>,
    /// The input line the record starts on (1-based).
    pub line: u64,
    /// Set when a quote in the record never closed: the record then ends
    /// at the end of that quote's line, and its last cell holds the rest of
    /// that line as written.
    pub unterminated: Option<Quote>,
    raw: std::ops::Range<usize>,
}

impl Record {
    /// The number of cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the record has no cells (never true of a record read).
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The cell at `index`, as bytes.
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { *self.ends.get(index - 1)? };
        self.text.get(start..end)
    }

    /// Every cell's bytes, one after the other (cell `i` ends at
    /// [`Record::ends`]`[i]`).
    pub fn bytes(&self) -> &[u8] {
        &self.text
    }

    /// Where each cell ends in [`Record::bytes`].
    pub fn ends(&self) -> &[usize] {
        &self.ends
    }

    /// The cells in order.
    pub fn cells(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Where the record's bytes are in the input given to [`Records`],
    /// without the line end: the record exactly as written.
    pub fn raw_range(&self) -> std::ops::Range<usize> {
        self.raw.clone()
    }

    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.unterminated = None;
    }

    fn end_cell(&mut self) {
        self.ends.push(self.text.len());
    }

    /// Drops the bytes of the cell being read.
    fn restart_cell(&mut self) {
        let start = self.ends.last().copied().unwrap_or(0);
        self.text.truncate(start);
    }
}

/// The records of a complete CSV text (a whole input, or one chunk of it
/// cut at record ends), in order, skipping blank lines.
///
/// ```
/// use leadc::intake::csv::{Record, Records};
/// let text = b"id,title\r1,\"VP, Sales\"\r\r2,5\" screen\r";
/// let mut records = Records::new(text, 1);
/// let mut record = Record::default();
/// let mut seen = Vec::new();
/// while records.next_into(&mut record) {
///     let cells: Vec<String> = record.cells().map(|c| String::from_utf8_lossy(c).into()).collect();
///     seen.push((record.line, cells.join("|")));
/// }
/// assert_eq!(seen, [(1, "id|title".into()), (2, "1|VP, Sales".into()), (4, "2|5\" screen".into())]);
/// ```
#[derive(Debug)]
pub struct Records<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> Records<'a> {
    /// Reads `bytes`, whose first byte is on input line `first_line`.
    pub fn new(bytes: &'a [u8], first_line: u64) -> Self {
        Records { bytes, pos: 0, line: first_line }
    }

    /// Reads the next record into `record`; `false` at the end.
    pub fn next_into(&mut self, record: &mut Record) -> bool {
        loop {
            let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
            record.clear();
            match frame_into(rest, true, Some(&mut *record)) {
                Frame::Whole { len, lines, blank } => {
                    let start = self.pos;
                    record.line = self.line;
                    if let Some(quote) = &mut record.unterminated {
                        quote.line += self.line;
                    }
                    record.raw = start..start + len - terminator_len(rest, len);
                    self.pos += len;
                    self.line += lines;
                    if !blank {
                        return true;
                    }
                }
                Frame::Incomplete | Frame::End => return false,
            }
        }
    }

    /// The input line the next record would start on.
    pub fn line(&self) -> u64 {
        self.line
    }
}

/// Frames the record at the start of `bytes` without reading its cells.
/// `eof` says whether input ends where `bytes` do.
pub fn frame(bytes: &[u8], eof: bool) -> Frame {
    frame_into(bytes, eof, None)
}

/// Counts line ends: `\n`, `\r\n` and a lone `\r` are one each.
pub fn count_line_ends(bytes: &[u8]) -> u64 {
    if bytes.len() <= 4 * SHORT {
        let mut lines = 0;
        for (i, &b) in bytes.iter().enumerate() {
            lines += u64::from(b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')));
        }
        return lines;
    }
    let lf = memchr::memchr_iter(b'\n', bytes).count();
    let cr_alone = memchr::memchr_iter(b'\r', bytes).filter(|&i| bytes.get(i + 1) != Some(&b'\n')).count();
    (lf + cr_alone) as u64
}

/// The length of the line end that closes the `len` framed bytes.
fn terminator_len(bytes: &[u8], len: usize) -> usize {
    match (len.checked_sub(2).and_then(|i| bytes.get(i)), len.checked_sub(1).and_then(|i| bytes.get(i))) {
        (Some(b'\r'), Some(b'\n')) => 2,
        (_, Some(b'\r' | b'\n')) => 1,
        _ => 0,
    }
}

/// The length of the line end at `at` (0 when `bytes` end there), or
/// `None` when a `\r` ends the bytes and more input could be its `\n`.
fn line_end_at(bytes: &[u8], at: usize, eof: bool) -> Option<usize> {
    match bytes.get(at) {
        Some(b'\n') => Some(1),
        Some(b'\r') => match bytes.get(at + 1) {
            Some(b'\n') => Some(2),
            Some(_) => Some(1),
            None if eof => Some(1),
            None => None,
        },
        _ => Some(0),
    }
}

fn whole(bytes: &[u8], len: usize, blank: bool) -> Frame {
    Frame::Whole { len, lines: count_line_ends(bytes.get(..len).unwrap_or(bytes)), blank }
}

fn frame_into(bytes: &[u8], eof: bool, mut record: Option<&mut Record>) -> Frame {
    if bytes.is_empty() {
        return if eof { Frame::End } else { Frame::Incomplete };
    }
    if matches!(bytes.first(), Some(b'\n' | b'\r')) {
        return match line_end_at(bytes, 0, eof) {
            Some(n) => whole(bytes, n, true),
            None => Frame::Incomplete,
        };
    }
    let mut at = 0;
    let mut quoted_lines = 0;
    loop {
        let step = if bytes.get(at) == Some(&b'"') {
            quoted_cell(bytes, at, eof, record.as_deref_mut(), &mut quoted_lines)
        } else {
            plain_cell(bytes, at, eof, record.as_deref_mut())
        };
        match step {
            Step::NextCell(next) => at = next,
            // Only quoted cells hold line ends, besides the record's own.
            Step::RecordEnd(len) => {
                let lines = quoted_lines + u64::from(terminator_len(bytes, len) > 0);
                return Frame::Whole { len, lines, blank: false };
            }
            Step::Broken(len) => return whole(bytes, len, false),
            Step::Incomplete => return Frame::Incomplete,
        }
    }
}

/// What reading one cell led to.
enum Step {
    /// A `,`: the next cell starts here.
    NextCell(usize),
    /// The record ends here (line end included).
    RecordEnd(usize),
    /// More input is needed.
    Incomplete,
    /// The record ends here after an unterminated quote.
    Broken(usize),
}

/// Reads the unquoted bytes from `from` to the next `,` or line end, as
/// the cell's content (or the tail after a quoted part).
fn plain_cell(bytes: &[u8], from: usize, eof: bool, record: Option<&mut Record>) -> Step {
    let rest = bytes.get(from..).unwrap_or(&[]);
    let stop = find_cell_end(rest).map(|i| from + i);
    let end = stop.unwrap_or(bytes.len());
    if stop.is_none() && !eof {
        return Step::Incomplete;
    }
    let Some(term) = line_end_at(bytes, end, eof) else { return Step::Incomplete };
    if let Some(record) = record {
        record.text.extend_from_slice(bytes.get(from..end).unwrap_or(&[]));
        record.end_cell();
    }
    if bytes.get(end) == Some(&b',') { Step::NextCell(end + 1) } else { Step::RecordEnd(end + term) }
}

/// Reads a cell that starts with a quote at `open`.
/// Adds the line ends inside the cell's quotes to `lines`.
fn quoted_cell(
    bytes: &[u8],
    open: usize,
    eof: bool,
    mut record: Option<&mut Record>,
    lines: &mut u64,
) -> Step {
    // Bytes from `copied` on are the cell's, not yet in `record`.
    let (mut at, mut copied) = (open + 1, open + 1);
    loop {
        let stop = find_quote_or_line_end(bytes.get(at..).unwrap_or(&[])).map(|i| at + i);
        let q = match stop {
            Some(q) if q - open <= MAX_QUOTED_BYTES => q,
            None if !eof && bytes.len() - open <= MAX_QUOTED_BYTES => return Step::Incomplete,
            _ => return unterminated(bytes, open, eof, record),
        };
        if bytes.get(q) != Some(&b'"') {
            *lines += u64::from(counts_as_line_end(bytes, q));
            at = q + 1;
            continue;
        }
        let after = bytes.get(q + 1).copied();
        if after.is_none() && !eof {
            return Step::Incomplete;
        }
        if let Some(record) = record.as_deref_mut() {
            // A doubled quote keeps its first `"`.
            let upto = if after == Some(b'"') { q + 1 } else { q };
            record.text.extend_from_slice(bytes.get(copied..upto).unwrap_or(&[]));
        }
        match after {
            Some(b'"') => (at, copied) = (q + 2, q + 2),
            Some(b',') => {
                if let Some(record) = record {
                    record.end_cell();
                }
                return Step::NextCell(q + 2);
            }
            _ => return plain_cell(bytes, q + 1, eof, record),
        }
    }
}

/// A quote at `open` that never closes: the record ends at the first line
/// end after it, and the cell holds the rest of the quote's line.
fn unterminated(bytes: &[u8], open: usize, eof: bool, record: Option<&mut Record>) -> Step {
    let rest = bytes.get(open..).unwrap_or(&[]);
    let stop = memchr2(b'\n', b'\r', rest).map(|i| open + i);
    if stop.is_none() && !eof {
        return Step::Incomplete;
    }
    let end = stop.unwrap_or(bytes.len());
    let Some(term) = line_end_at(bytes, end, eof) else { return Step::Incomplete };
    if let Some(record) = record {
        record.restart_cell();
        record.text.extend_from_slice(bytes.get(open + 1..end).unwrap_or(&[]));
        record.end_cell();
        let before = bytes.get(..open).unwrap_or(&[]);
        let line_start = before.iter().rposition(|&b| b == b'\n' || b == b'\r').map_or(0, |i| i + 1);
        record.unterminated =
            Some(Quote { line: count_line_ends(before), column: (open - line_start) as u64 + 1 });
    }
    Step::Broken(end + term)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn read(text: &[u8]) -> Vec<(u64, Vec<String>, Option<Quote>)> {
        let mut records = Records::new(text, 1);
        let mut record = Record::default();
        let mut out = Vec::new();
        while records.next_into(&mut record) {
            let cells = record.cells().map(|c| String::from_utf8_lossy(c).into_owned()).collect();
            out.push((record.line, cells, record.unterminated));
        }
        out
    }

    fn cells(text: &str) -> Vec<Vec<String>> {
        read(text.as_bytes()).into_iter().map(|(_, c, _)| c).collect()
    }

    #[test]
    fn every_line_end_counts_once() {
        for end in ["\n", "\r\n", "\r"] {
            let text = ["a,b", "1,2", "", "3,\"x", "y\"", "4,5"].join(end);
            let lines: Vec<u64> = read(text.as_bytes()).iter().map(|r| r.0).collect();
            assert_eq!(lines, [1, 2, 4, 6], "line end {end:?}");
        }
    }

    #[test]
    fn quotes_open_cells_only_at_their_start() {
        assert_eq!(cells("5\" screen,\"a,\"\"b\"\"\"\n"), [["5\" screen", "a,\"b\""]]);
        assert_eq!(cells("\"ab\"cd,e"), [["abcd", "e"]]);
        assert_eq!(cells(",,\n"), [["", "", ""]]);
        assert_eq!(cells("\"\""), [[""]]);
    }

    #[test]
    fn an_unterminated_quote_breaks_only_its_line() {
        let got = read(b"a,b\r\n1,\"Acme, Inc\r\n2,3\r\n");
        assert_eq!(got[1].1, ["1", "Acme, Inc"]);
        assert_eq!(got[1].2, Some(Quote { line: 2, column: 3 }));
        assert_eq!(got[2], (3, vec!["2".into(), "3".into()], None));
    }

    #[test]
    fn a_quote_open_past_the_limit_is_unterminated() {
        let mut text = b"\"".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_QUOTED_BYTES));
        text.extend_from_slice(b"\"\nnext\n");
        let got = read(&text);
        assert_eq!(got.len(), 2);
        assert!(got[0].2.is_some());
        assert_eq!(got[1].1, ["next"]);
    }

    #[test]
    fn incomplete_until_the_record_is_known_to_end() {
        assert_eq!(frame(b"a,b", false), Frame::Incomplete);
        assert_eq!(frame(b"a,b\r", false), Frame::Incomplete);
        assert_eq!(frame(b"a,b\r", true), Frame::Whole { len: 4, lines: 1, blank: false });
        assert_eq!(frame(b"\"a\nb", false), Frame::Incomplete);
        assert_eq!(frame(b"\"a\"", false), Frame::Incomplete);
        assert_eq!(frame(b"\"a\nb\",c\r\nx", false), Frame::Whole { len: 9, lines: 2, blank: false });
        assert_eq!(frame(b"", true), Frame::End);
    }

    #[test]
    fn raw_range_is_the_record_as_written() {
        let text = b"x,\"a\"\"b\"\r\ny\n";
        let mut records = Records::new(text, 1);
        let mut record = Record::default();
        assert!(records.next_into(&mut record));
        assert_eq!(&text[record.raw_range()], b"x,\"a\"\"b\"");
    }
}
