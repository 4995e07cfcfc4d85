//! The error file: rows that could not be scored, as written.
//!
//! In: a bad row's input line, its problem and its bytes as read. Out: the
//! error-file row — CSV with `line` and `error` first, so they stay under
//! their header whatever the row's length; NDJSON as an object with
//! `line`, `error` and the `input` line (or `input_base64` when it is not
//! UTF-8).

use super::output::{csv_field, json_string};

/// An input row as read, for the error file.
#[derive(Clone, Copy)]
pub enum Raw<'a> {
    /// A CSV record as written.
    Csv(&'a [u8]),
    /// An NDJSON line.
    Json(&'a [u8]),
}

/// Appends a row to the error file: its line and the problem, then the
/// input row as written (CSV: `line` and `error` come first, so they stay
/// under their header whatever the row's length; NDJSON: an object with
/// `line`, `error` and the `input` line as a string, or as
/// `input_base64` when it is not UTF-8).
pub fn error_row(out: &mut Vec<u8>, line: u64, message: &str, raw: Raw) {
    use std::io::Write as _;
    match raw {
        Raw::Csv(bytes) => {
            csv_error_head(out, line, message);
            out.extend_from_slice(bytes);
            out.push(b'\n');
        }
        Raw::Json(bytes) => {
            let _ = write!(out, "{{\"line\":{line},\"error\":");
            json_string(out, message);
            match std::str::from_utf8(bytes) {
                Ok(text) => {
                    out.extend_from_slice(b",\"input\":");
                    json_string(out, text);
                }
                Err(_) => {
                    out.extend_from_slice(b",\"input_base64\":\"");
                    base64(out, bytes);
                    out.push(b'"');
                }
            }
            out.extend_from_slice(b"}\n");
        }
    }
}

/// An error-file CSV row's `line` and `error` cells.
fn csv_error_head(out: &mut Vec<u8>, line: u64, message: &str) {
    use std::io::Write as _;
    let _ = write!(out, "{line},");
    csv_field(out, message);
    out.push(b',');
}

/// Writes a CSV cell's bytes, quoted.
pub fn csv_bytes(out: &mut Vec<u8>, cell: &[u8]) {
    out.push(b'"');
    for &b in cell {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Standard base64 with padding (RFC 4648).
fn base64(out: &mut Vec<u8>, bytes: &[u8]) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digit = |n: u32| ALPHABET.get((n & 63) as usize).copied().unwrap_or(b'=');
    for group in bytes.chunks(3) {
        let b = |i: usize| u32::from(group.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(digit(n >> 18));
        out.push(digit(n >> 12));
        out.push(if group.len() > 1 { digit(n >> 6) } else { b'=' });
        out.push(if group.len() > 2 { digit(n) } else { b'=' });
    }
}
