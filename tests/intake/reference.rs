//! The CSV reader against a reference written from its documented dialect.
//!
//! In: arbitrary short byte soups of the characters that matter to CSV
//! (quotes, commas, every line end, invalid UTF-8). Out: nothing; the
//! library's [`Records`] must read the same records — line, cells,
//! unterminated quote, bytes as written — as `reference`, a byte-at-a-time
//! reading of the rules in `src/intake/csv.rs`'s module doc that shares no
//! code with it. The chunked = whole tests in `tests/intake/files.rs` cannot see a
//! change that misreads every chunk alike; this one can.

use crate::files::{Seen, read_whole as library};
use leadc::intake::csv::{Quote, frame_many};
use proptest::prelude::*;

fn is_line_end(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// Line ends in `bytes`: `\n`, `\r\n` and a lone `\r` are one each.
fn lines_in(bytes: &[u8]) -> u64 {
    (0..bytes.len())
        .filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count() as u64
}

/// The length of the line end at `at` (0 at the end of the input).
fn line_end_len(bytes: &[u8], at: usize) -> usize {
    match (bytes.get(at), bytes.get(at + 1)) {
        (Some(b'\r'), Some(b'\n')) => 2,
        (Some(b'\r' | b'\n'), _) => 1,
        _ => 0,
    }
}

/// Reads the quoted cell opening at `open`: its content and the index
/// after its closing quote, or `None` when the quote never closes.
fn quoted(bytes: &[u8], open: usize) -> Option<(Vec<u8>, usize)> {
    let (mut content, mut i) = (Vec::new(), open + 1);
    while i < bytes.len() {
        if bytes[i] == b'"' {
            if bytes.get(i + 1) != Some(&b'"') {
                return Some((content, i + 1));
            }
            i += 1;
        }
        content.push(bytes[i]);
        i += 1;
    }
    None
}

/// One byte at a time, the dialect as documented, for a whole input
/// shorter than `MAX_QUOTED_BYTES`.
fn reference(bytes: &[u8]) -> Vec<Seen> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        if is_line_end(bytes[pos]) {
            pos += line_end_len(bytes, pos); // a blank line
            continue;
        }
        let (start, mut i) = (pos, pos);
        let (mut cells, mut unterminated) = (Vec::new(), None);
        loop {
            let mut cell = Vec::new();
            if bytes.get(i) == Some(&b'"') {
                match quoted(bytes, i) {
                    Some((content, after)) => (cell, i) = (content, after),
                    None => {
                        let end = (i..bytes.len()).find(|&j| is_line_end(bytes[j])).unwrap_or(bytes.len());
                        let line_start = (0..i).rev().find(|&j| is_line_end(bytes[j])).map_or(0, |j| j + 1);
                        unterminated = Some(Quote {
                            line: 1 + lines_in(&bytes[..i]),
                            column: (i - line_start + 1) as u64,
                        });
                        cells.push(bytes[i + 1..end].to_vec());
                        i = end;
                        break;
                    }
                }
            }
            while i < bytes.len() && bytes[i] != b',' && !is_line_end(bytes[i]) {
                cell.push(bytes[i]);
                i += 1;
            }
            cells.push(cell);
            if bytes.get(i) != Some(&b',') {
                break;
            }
            i += 1;
        }
        out.push((1 + lines_in(&bytes[..start]), cells, unterminated, bytes[start..i].to_vec()));
        pos = i + line_end_len(bytes, i);
    }
    out
}

fn csv_soup() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop::sample::select(vec![
        b'a', b'b', b',', b',', b'"', b'"', b'"', b'\r', b'\n', b'\n', b' ', 0xff, b'5',
    ]);
    prop::collection::vec(byte, 0..400)
}

/// Cells as a spreadsheet quotes them: every cell quoted, some holding
/// commas, doubled quotes and line ends.
fn quoted_rows() -> impl Strategy<Value = Vec<u8>> {
    let cell = prop::collection::vec(prop::sample::select(vec![b'x', b',', b'"', b'\n', b'\r', 0xff]), 0..6);
    let row = prop::collection::vec(cell, 1..5);
    let end = prop::sample::select(vec!["\n", "\r\n", "\r"]);
    prop::collection::vec((row, end), 0..30).prop_map(|rows| {
        let mut out = Vec::new();
        for (cells, end) in rows {
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.push(b'"');
                for &b in cell {
                    out.extend_from_slice(if b == b'"' { b"\"\"" } else { std::slice::from_ref(&b) });
                }
                out.push(b'"');
            }
            out.extend_from_slice(end.as_bytes());
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn records_read_as_the_documented_dialect(bytes in csv_soup()) {
        prop_assert_eq!(library(&bytes), reference(&bytes));
    }

    #[test]
    fn quoted_files_read_as_the_documented_dialect(bytes in quoted_rows()) {
        prop_assert_eq!(library(&bytes), reference(&bytes));
        // The splitter's loop frames every record of such a file itself.
        prop_assert_eq!(frame_many(&bytes, true, usize::MAX), (bytes.len(), lines_in(&bytes)));
    }
}

#[test]
fn the_reference_reads_the_module_doc_example() {
    let text = b"id,title\r1,\"VP, Sales\"\r\r2,5\" screen\r3,\"a\"\"b\r\nc\"d,\"open\n";
    let got = reference(text);
    assert_eq!(got, library(text));
    let cells: Vec<Vec<&[u8]>> = got.iter().map(|r| r.1.iter().map(Vec::as_slice).collect()).collect();
    assert_eq!(
        cells,
        [
            vec![&b"id"[..], b"title"],
            vec![b"1", b"VP, Sales"],
            vec![b"2", b"5\" screen"],
            vec![b"3", b"a\"b\r\ncd", b"open"],
        ]
    );
    assert_eq!(got.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 2, 4, 5]);
    assert_eq!(got[3].2, Some(Quote { line: 6, column: 5 }));
}
