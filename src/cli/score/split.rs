//! Cutting an input stream into chunks of whole records.
//!
//! In: any reader of CSV or NDJSON bytes. Out: [`Chunk`]s of about
//! [`CHUNK_BYTES`] that each end at a record boundary, numbered in order
//! and carrying the input line number of their first byte, so workers can
//! parse them in parallel and still report exact line numbers.
//!
//! A CSV record may contain a newline inside a quoted field; a newline is a
//! record boundary only when the quotes before it are balanced.

use std::io::{self, Read};

/// The target size of a chunk.
pub const CHUNK_BYTES: usize = 256 * 1024;

/// Whole records from the input.
#[derive(Debug)]
pub struct Chunk {
    /// Position in the input, from 0.
    pub seq: u64,
    /// The input line number (1-based) of the chunk's first byte.
    pub first_line: u64,
    /// The records' bytes, ending with a newline unless at end of input.
    pub bytes: Vec<u8>,
}

/// Splits a byte stream into [`Chunk`]s.
pub struct Splitter<R> {
    input: R,
    csv: bool,
    pending: Vec<u8>,
    /// Quote parity at the end of `pending` (CSV only).
    in_quotes: bool,
    /// Bytes of `pending` already scanned for quotes.
    scanned: usize,
    /// Last record boundary found in `pending`.
    boundary: usize,
    next_seq: u64,
    next_line: u64,
    done: bool,
}

impl<R: Read> Splitter<R> {
    /// A splitter for CSV (`csv = true`, quote-aware) or NDJSON input whose
    /// first byte is on line `first_line`.
    pub fn new(input: R, csv: bool, first_line: u64) -> Self {
        Splitter {
            input,
            csv,
            pending: Vec::new(),
            in_quotes: false,
            scanned: 0,
            boundary: 0,
            next_seq: 0,
            next_line: first_line,
            done: false,
        }
    }

    /// Starts with bytes already read from the input (after its header).
    pub fn with_prefix(mut self, prefix: Vec<u8>) -> Self {
        self.pending = prefix;
        self
    }

    /// The next chunk, `None` at end of input.
    pub fn next_chunk(&mut self) -> io::Result<Option<Chunk>> {
        loop {
            self.scan();
            if self.boundary >= CHUNK_BYTES || (self.done && !self.pending.is_empty()) {
                let cut = if self.done { self.pending.len() } else { self.boundary };
                return Ok(Some(self.emit(cut)));
            }
            if self.done {
                return Ok(None);
            }
            self.fill()?;
        }
    }

    fn fill(&mut self) -> io::Result<()> {
        let start = self.pending.len();
        self.pending.resize(start + CHUNK_BYTES, 0);
        let n = loop {
            match self.input.read(&mut self.pending[start..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.pending.truncate(start);
                    return Err(e);
                }
            }
        };
        self.pending.truncate(start + n);
        if n == 0 {
            self.done = true;
        }
        Ok(())
    }

    /// Finds record boundaries in the bytes not yet scanned.
    fn scan(&mut self) {
        let bytes = &self.pending[self.scanned..];
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'"' if self.csv => self.in_quotes = !self.in_quotes,
                b'\n' if !self.in_quotes => self.boundary = self.scanned + i + 1,
                _ => {}
            }
        }
        self.scanned = self.pending.len();
    }

    fn emit(&mut self, cut: usize) -> Chunk {
        let rest = self.pending.split_off(cut);
        let bytes = std::mem::replace(&mut self.pending, rest);
        let chunk = Chunk { seq: self.next_seq, first_line: self.next_line, bytes };
        self.next_seq += 1;
        self.next_line += chunk.bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        self.scanned -= cut;
        self.boundary = 0;
        chunk
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn chunks(input: &str, csv: bool) -> Vec<Chunk> {
        let mut s = Splitter::new(input.as_bytes(), csv, 2);
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
            input.push_str(&format!("{i},\"a\nb\",x\n"));
        }
        let out = chunks(&input, true);
        assert!(out.len() > 1);
        let joined: Vec<u8> = out.iter().flat_map(|c| c.bytes.clone()).collect();
        assert_eq!(joined, input.as_bytes());
        for (i, c) in out.iter().enumerate() {
            assert_eq!(c.seq, i as u64);
            // Every chunk ends at a record end: each record spans two lines.
            assert!(c.bytes.ends_with(b",x\n"));
            assert_eq!((c.first_line - 2) % 2, 0);
        }
    }

    #[test]
    fn unterminated_last_record_is_kept() {
        let out = chunks("a\nb", false);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].bytes, b"a\nb");
        assert!(chunks("", false).is_empty());
    }
}
