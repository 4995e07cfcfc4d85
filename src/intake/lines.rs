//! Lines of NDJSON input.
//!
//! In: bytes that start at a line start. Out: the non-blank lines, each with
//! its input line number. A line ends at `\n`, `\r\n` or a lone `\r` — the
//! same line ends, counted the same way, as CSV input (JSON text never holds
//! a raw `\r` or `\n`, so splitting on them is safe).

use super::csv::Frame;
use memchr::memchr2;

/// Frames the line at the start of `bytes`; `eof` says whether input ends
/// where `bytes` do.
pub fn frame(bytes: &[u8], eof: bool) -> Frame {
    if bytes.is_empty() {
        return if eof { Frame::End } else { Frame::Incomplete };
    }
    let Some(end) = memchr2(b'\n', b'\r', bytes) else {
        return if eof { whole(bytes, bytes.len(), 0) } else { Frame::Incomplete };
    };
    match (bytes.get(end), bytes.get(end + 1)) {
        (Some(b'\r'), Some(b'\n')) => whole(bytes, end + 2, 1),
        (Some(b'\r'), None) if !eof => Frame::Incomplete,
        _ => whole(bytes, end + 1, 1),
    }
}

fn whole(bytes: &[u8], len: usize, lines: u64) -> Frame {
    let blank = bytes.get(..len).unwrap_or(&[]).iter().all(u8::is_ascii_whitespace);
    Frame::Whole { len, lines, blank }
}

/// The non-blank lines of a complete text, without their line ends.
///
/// ```
/// use leadc::intake::lines::Lines;
/// let got: Vec<(u64, &[u8])> = Lines::new(b"{}\r\n\r\n{\"a\":1}\r", 7).collect();
/// assert_eq!(got, [(7, &b"{}"[..]), (9, &b"{\"a\":1}"[..])]);
/// ```
#[derive(Debug)]
pub struct Lines<'a> {
    bytes: &'a [u8],
    line: u64,
}

impl<'a> Lines<'a> {
    /// Reads `bytes`, whose first byte is on input line `first_line`.
    pub fn new(bytes: &'a [u8], first_line: u64) -> Self {
        Lines { bytes, line: first_line }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (u64, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let Frame::Whole { len, lines, blank } = frame(self.bytes, true) else { return None };
            let (this, rest) = self.bytes.split_at(len.min(self.bytes.len()));
            let line = self.line;
            self.bytes = rest;
            self.line += lines;
            if !blank {
                let text = this.strip_suffix(b"\n").unwrap_or(this);
                let text = text.strip_suffix(b"\r").unwrap_or(text);
                return Some((line, text));
            }
        }
    }
}
