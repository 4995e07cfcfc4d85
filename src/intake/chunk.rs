//! Cutting an input stream into chunks of whole records.
//!
//! In: any reader of CSV or NDJSON bytes. Out: the CSV header record, then
//! [`Chunk`]s of about [`CHUNK_BYTES`] that each end at a record end,
//! numbered in order and carrying the input line of their first byte, so
//! workers can read them in parallel and still report exact line numbers.
//!
//! Records are framed by the same code that reads them
//! ([`csv::frame`], [`lines::frame`]),
//! so a worker reading a chunk finds exactly the records the splitter
//! framed, whatever the chunk size. Memory stays bounded: a chunk holds at
//! most [`CHUNK_BYTES`] plus one record, and a record's quoted cell at most
//! [`MAX_QUOTED_BYTES`](super::csv::MAX_QUOTED_BYTES).
//!
//! A UTF-8 byte order mark at the start of the input is skipped; a UTF-16
//! one is an error (`InvalidData`) that says how to re-save the file.

use super::csv::{self, Frame, Record, Records};
use super::lines;
use std::io::{self, Read};

/// The target size of a chunk.
pub const CHUNK_BYTES: usize = 256 * 1024;

/// How records are delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// CSV records (quoted cells may span lines).
    Csv,
    /// One record per line (NDJSON).
    Lines,
}

/// Whole records from the input.
#[derive(Debug)]
pub struct Chunk {
    /// Position in the input, from 0.
    pub seq: u64,
    /// The input line number (1-based) of the chunk's first byte.
    pub first_line: u64,
    /// The records' bytes.
    pub bytes: Vec<u8>,
}

/// Splits a byte stream into [`Chunk`]s.
pub struct Splitter<R> {
    input: R,
    format: Framing,
    chunk_bytes: usize,
    pending: Vec<u8>,
    /// Bytes at the start of `pending` framed as whole records.
    framed: usize,
    /// Line ends in those bytes.
    framed_lines: u64,
    next_seq: u64,
    next_line: u64,
    started: bool,
    done: bool,
}

impl<R: Read> Splitter<R> {
    /// A splitter over `input`, whose first byte is on line 1.
    pub fn new(input: R, format: Framing) -> Self {
        Self::with_chunk_bytes(input, format, CHUNK_BYTES)
    }

    /// A splitter that cuts chunks of about `chunk_bytes` (at least 1):
    /// for tests that cut many small chunks.
    pub fn with_chunk_bytes(input: R, format: Framing, chunk_bytes: usize) -> Self {
        Splitter {
            input,
            format,
            chunk_bytes: chunk_bytes.max(1),
            pending: Vec::new(),
            framed: 0,
            framed_lines: 0,
            next_seq: 0,
            next_line: 1,
            started: false,
            done: false,
        }
    }

    /// Reads the CSV header: the first record that is not a blank line.
    /// `None` when the input has no record.
    pub fn csv_header(&mut self) -> io::Result<Option<Record>> {
        loop {
            match csv::frame(&self.pending, self.done) {
                Frame::Whole { len, lines, blank } => {
                    let mut record = Record::default();
                    let found = !blank
                        && Records::new(self.pending.get(..len).unwrap_or(&[]), self.next_line)
                            .next_into(&mut record);
                    self.pending.drain(..len);
                    self.next_line += lines;
                    if found {
                        return Ok(Some(record));
                    }
                }
                Frame::End => return Ok(None),
                Frame::Incomplete => self.fill()?,
            }
        }
    }

    /// The input line the next chunk starts on.
    pub fn next_line(&self) -> u64 {
        self.next_line
    }

    /// The next chunk, `None` at end of input.
    pub fn next_chunk(&mut self) -> io::Result<Option<Chunk>> {
        loop {
            self.frame_pending();
            if self.framed >= self.chunk_bytes || (self.done && self.framed > 0) {
                return Ok(Some(self.emit()));
            }
            if self.done {
                return Ok(None);
            }
            self.fill()?;
        }
    }

    /// Frames whole records past `framed`, up to the chunk size.
    fn frame_pending(&mut self) {
        while self.framed < self.chunk_bytes {
            if self.skip_plain_lines() || self.frame_quoted() {
                continue;
            }
            let rest = self.pending.get(self.framed..).unwrap_or(&[]);
            let frame = match self.format {
                Framing::Csv => csv::frame(rest, self.done),
                Framing::Lines => lines::frame(rest, self.done),
            };
            match frame {
                Frame::Whole { len, lines, .. } => {
                    self.framed += len;
                    self.framed_lines += lines;
                }
                Frame::Incomplete | Frame::End => return,
            }
        }
    }

    /// The fast path. Between `framed` (a record start) and the next `"`,
    /// every line end ends a record — quotes are all that make a line end
    /// part of a cell — so whole lines are framed at once: up to the first
    /// line end past the chunk size, or else up to the last line end before
    /// the quote. Returns whether it moved `framed`; the record holding the
    /// quote is left to [`csv::frame`].
    fn skip_plain_lines(&mut self) -> bool {
        let from = self.framed;
        let rest = self.pending.get(from..).unwrap_or(&[]);
        let quote = match self.format {
            Framing::Csv => memchr::memchr(b'"', rest).unwrap_or(rest.len()),
            Framing::Lines => rest.len(),
        };
        let plain = rest.get(..quote).unwrap_or(&[]);
        let want = self.chunk_bytes.saturating_sub(from);
        let past_want = plain.get(want..).and_then(|r| memchr::memchr2(b'\n', b'\r', r)).map(|i| want + i);
        let end = match past_want {
            Some(end) => Some(end),
            None => memchr::memrchr2(b'\n', b'\r', plain),
        };
        let Some(mut end) = end else { return false };
        // A `\r` that ends the bytes read so far may be half of a `\r\n`.
        if rest.get(end) == Some(&b'\r') && end + 1 == rest.len() && !self.done {
            match memchr::memrchr2(b'\n', b'\r', rest.get(..end).unwrap_or(&[])) {
                Some(before) => end = before,
                None => return false,
            }
        }
        let len = match (rest.get(end), rest.get(end + 1)) {
            (Some(b'\r'), Some(b'\n')) => end + 2,
            _ => end + 1,
        };
        self.framed += len;
        self.framed_lines += csv::count_line_ends(rest.get(..len).unwrap_or(&[]));
        true
    }

    /// Frames records holding quotes with one byte loop
    /// ([`csv::frame_many`]) up to the next quote-free stretch or the chunk
    /// size. Returns whether it moved `framed`.
    fn frame_quoted(&mut self) -> bool {
        if self.format != Framing::Csv {
            return false;
        }
        let rest = self.pending.get(self.framed..).unwrap_or(&[]);
        let (len, lines) = csv::frame_many(rest, self.done, self.chunk_bytes.saturating_sub(self.framed));
        self.framed += len;
        self.framed_lines += lines;
        len > 0
    }

    fn fill(&mut self) -> io::Result<()> {
        let start = self.pending.len();
        let want = self.chunk_bytes.clamp(8 * 1024, CHUNK_BYTES);
        // Read into the buffer's spare room: a `File` fills it without the
        // buffer being zeroed first.
        self.pending.reserve(want);
        let n = match (&mut self.input).take(want as u64).read_to_end(&mut self.pending) {
            Ok(n) => n,
            Err(e) => {
                self.pending.truncate(start);
                return Err(e);
            }
        };
        if n == 0 {
            self.done = true;
        }
        if !self.started {
            self.start()?;
        }
        Ok(())
    }

    /// Skips a UTF-8 byte order mark; rejects UTF-16 text.
    fn start(&mut self) -> io::Result<()> {
        if self.pending.len() < 3 && !self.done {
            return Ok(());
        }
        self.started = true;
        if self.pending.starts_with(b"\xEF\xBB\xBF") {
            self.pending.drain(..3);
        } else if self.pending.starts_with(b"\xFF\xFE") || self.pending.starts_with(b"\xFE\xFF") {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the input is UTF-16 text (it starts with a UTF-16 byte order mark); \
                 save it as UTF-8 (in Excel: \"CSV UTF-8\") and try again",
            ));
        }
        Ok(())
    }

    fn emit(&mut self) -> Chunk {
        let rest = self.pending.split_off(self.framed);
        let bytes = std::mem::replace(&mut self.pending, rest);
        let chunk = Chunk { seq: self.next_seq, first_line: self.next_line, bytes };
        self.next_seq += 1;
        self.next_line += self.framed_lines;
        self.framed = 0;
        self.framed_lines = 0;
        chunk
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn chunks(input: &[u8], format: Framing, size: usize) -> Vec<Chunk> {
        let mut s = Splitter::with_chunk_bytes(input, format, size);
        let mut out = Vec::new();
        while let Some(c) = s.next_chunk().unwrap() {
            out.push(c);
        }
        out
    }

    #[test]
    fn keeps_every_byte_in_order() {
        let mut input = String::new();
        for i in 0..100_000 {
            input.push_str(&format!("{i},\"a\nb\",5\" x\r\n"));
        }
        let out = chunks(input.as_bytes(), Framing::Csv, CHUNK_BYTES);
        assert!(out.len() > 1);
        let joined: Vec<u8> = out.iter().flat_map(|c| c.bytes.clone()).collect();
        assert_eq!(joined, input.as_bytes());
        for (i, c) in out.iter().enumerate() {
            assert_eq!(c.seq, i as u64);
            // Every chunk ends at a record end: each record spans two lines.
            assert!(c.bytes.ends_with(b"x\r\n"));
            assert_eq!((c.first_line - 1) % 2, 0);
        }
    }

    #[test]
    fn cr_only_input_is_cut_into_many_chunks() {
        let input: String = (0..100_000).map(|i| format!("{i},x\r")).collect();
        let out = chunks(input.as_bytes(), Framing::Csv, CHUNK_BYTES);
        assert!(out.len() > 2);
        assert_eq!(out[1].first_line, 1 + count(&out[0].bytes));
    }

    fn count(bytes: &[u8]) -> u64 {
        csv::count_line_ends(bytes)
    }

    #[test]
    fn header_skips_blank_lines_and_a_bom() {
        let mut s = Splitter::new(&b"\xEF\xBB\xBF\r\n\r\nid,age\r\n1,2\r\n"[..], Framing::Csv);
        let header = s.csv_header().unwrap().unwrap();
        assert_eq!(header.line, 3);
        assert_eq!(header.get(0), Some(&b"id"[..]));
        let chunk = s.next_chunk().unwrap().unwrap();
        assert_eq!((chunk.first_line, &chunk.bytes[..]), (4, &b"1,2\r\n"[..]));
    }

    #[test]
    fn utf16_is_refused() {
        let mut s = Splitter::new(&b"\xFF\xFEi\0d\0"[..], Framing::Csv);
        assert_eq!(s.csv_header().unwrap_err().kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn unterminated_last_line_is_kept() {
        let out = chunks(b"a\nb", Framing::Lines, CHUNK_BYTES);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].bytes, b"a\nb");
        assert!(chunks(b"", Framing::Lines, CHUNK_BYTES).is_empty());
    }
}
