//! The splitter's framing of quoted CSV: where records end, fast.
//!
//! In: CSV bytes that start at a record boundary, and how many bytes the
//! splitter wants in a chunk. Out: how many bytes of whole records that is
//! (and the line ends in them), decided exactly as [`csv::frame`](super::csv::frame) decides
//! record by record, so that the chunks read in parallel hold the same
//! records as one whole read.
//!
//! The splitter runs on one thread ahead of the workers, so its cost is paid
//! serially. Two paths do the work:
//! - **blocks**: 64 bytes at a time as bit masks. A quote's parity (how many
//!   quotes came before it) says whether a line end is inside quotes; this
//!   agrees with the dialect as long as every quote either opens a cell or
//!   sits inside quotes. A quote that does neither (`5" screen`, or bytes
//!   after a closing quote) ends the block path at the record before it.
//! - **bytes**: a four-state machine, one table look-up a byte, for the
//!   record the block path left, and for the tail shorter than a block.

use super::csv::count_line_ends;

/// The longest record either path frames alone: a longer one (its quoted
/// cell might pass [`csv::MAX_QUOTED_BYTES`](super::csv::MAX_QUOTED_BYTES)) is left to [`csv::frame`](super::csv::frame).
const LONG: usize = 64 * 1024;

/// Frames whole records from the start of `bytes` until at least
/// `target` bytes are framed: the splitter's path through quoted files.
/// Returns the bytes and line ends framed, stopping at the first record end
/// at or past `target`, or early (leaving the record to [`csv::frame`](super::csv::frame)) at
/// anything it does not decide alone — a record that needs more input, or
/// one longer than 64 KiB — so that its framing is exactly `frame`'s.
pub fn frame_many(bytes: &[u8], eof: bool, target: usize) -> (usize, u64) {
    let mut framed = 0;
    while framed < target {
        let rest = bytes.get(framed..).unwrap_or(&[]);
        framed += by_blocks(rest, eof, target - framed);
        if framed >= target {
            break;
        }
        match one_record(bytes.get(framed..).unwrap_or(&[]), eof) {
            Some(len) => framed += len,
            None => break,
        }
    }
    (framed, count_line_ends(bytes.get(..framed).unwrap_or(&[])))
}

/// Bit masks of one 64-byte block: quotes, line ends (`\n`, `\r`), commas.
/// Eight bytes at a time as a `u64` (the library has no SIMD intrinsics:
/// `unsafe` is forbidden), bit `i` for byte `i`.
fn masks(block: &[u8]) -> (u64, u64, u64) {
    let (mut quotes, mut ends, mut commas) = (0u64, 0u64, 0u64);
    for (i, word) in block.chunks_exact(8).take(8).enumerate() {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(word);
        let word = u64::from_le_bytes(bytes);
        let shift = 8 * i;
        quotes |= bits(equal_bytes(word, b'"')) << shift;
        ends |= bits(equal_bytes(word, b'\n') | equal_bytes(word, b'\r')) << shift;
        commas |= bits(equal_bytes(word, b',')) << shift;
    }
    (quotes, ends, commas)
}

const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// The high bit of each byte of `word` that equals `byte`, exactly.
pub(super) fn equal_bytes(word: u64, byte: u8) -> u64 {
    let x = word ^ (u64::from(byte) * 0x0101_0101_0101_0101);
    !(((x & LOW7).wrapping_add(LOW7)) | x) & !LOW7
}

/// The eight high bits of `high` (one a byte) gathered into bits 0..8.
fn bits(high: u64) -> u64 {
    ((high >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Bit `i` set when an odd number of bits at or below `i` are set in `x`.
fn prefix_parity(mut x: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        x ^= x << shift;
    }
    x
}

/// The block path: bytes of whole records framed from the start of
/// `bytes` (at a record boundary), stopping at the first record end at or
/// past `target`, before a quote that neither opens a cell nor sits inside
/// quotes, before a record longer than [`LONG`], and before the last
/// incomplete block.
fn by_blocks(bytes: &[u8], eof: bool, target: usize) -> usize {
    let mut framed = 0;
    // Carried across blocks: inside quotes after the block (all ones or
    // none), and whether the block's last byte was a delimiter or a quote.
    let (mut inside, mut after_delimiter, mut after_quote) = (0u64, 1u64, 0u64);
    let mut skip_to = 0;
    let mut at = 0;
    while let Some(block) = bytes.get(at..at + 64) {
        let (quotes, ends, commas) = masks(block);
        let parity = prefix_parity(quotes) ^ inside;
        let before = parity ^ quotes; // inside quotes just before each byte
        let delimiter_before = ((commas | ends) << 1) | after_delimiter;
        let quote_before = (quotes << 1) | after_quote;
        let stray = quotes & !before & !(delimiter_before | quote_before);
        let mut record_ends = ends & !before;
        if stray != 0 {
            record_ends &= (stray & stray.wrapping_neg()) - 1;
        }
        while record_ends != 0 {
            let end = at + record_ends.trailing_zeros() as usize;
            record_ends &= record_ends - 1;
            if end < skip_to {
                continue;
            }
            if end - framed >= LONG {
                return framed;
            }
            let Some(next) = after_line_end(bytes, end, eof) else { return framed };
            (framed, skip_to) = (next, next);
            if framed >= target {
                return framed;
            }
        }
        if stray != 0 || (at + 64).saturating_sub(framed) >= LONG {
            return framed;
        }
        inside = 0u64.wrapping_sub(parity >> 63);
        after_delimiter = (commas | ends) >> 63;
        after_quote = quotes >> 63;
        at += 64;
    }
    framed
}

/// The length of the record (or blank line) at the start of `bytes`, line
/// end included, found with the byte machine; `None` when the byte machine
/// leaves it to [`csv::frame`](super::csv::frame).
fn one_record(bytes: &[u8], eof: bool) -> Option<usize> {
    let record = bytes.get(..bytes.len().min(LONG)).unwrap_or(&[]);
    let mut state = CELL_START;
    let end = record.iter().position(|&b| {
        state = split_step(state, b);
        state == RECORD_END
    })?;
    after_line_end(bytes, end, eof)
}

/// Where the next record starts after the line end at `end` (a `\r\n` is
/// one), or `None` when a `\r` ends the bytes and more input could be
/// its `\n`.
fn after_line_end(bytes: &[u8], end: usize, eof: bool) -> Option<usize> {
    match (bytes.get(end), bytes.get(end + 1)) {
        (Some(b'\r'), Some(b'\n')) => Some(end + 2),
        (Some(b'\r'), None) if !eof => None,
        _ => Some(end + 1),
    }
}

/// The byte machine's states, as offsets into [`SPLIT`]: at a cell's start,
/// in an unquoted cell (or the bytes after a quoted cell's closing quote),
/// inside quotes, just after a quote inside quotes (a closing quote, or the
/// first of `""`); and, as a state of its own, at a record's line end.
const CELL_START: u16 = 0;
const PLAIN: u16 = 256;
const QUOTED: u16 = 512;
const QUOTE_SEEN: u16 = 768;
const RECORD_END: u16 = 1024;

/// The next state, at `state + byte`.
static SPLIT: [u16; 1024] = {
    let mut table = [0; 1024];
    let mut b = 0;
    while b < 256 {
        let (start, plain, quoted, seen) = match b as u8 {
            b'"' => (QUOTED, PLAIN, QUOTE_SEEN, QUOTED),
            b',' => (CELL_START, CELL_START, QUOTED, CELL_START),
            b'\n' | b'\r' => (RECORD_END, RECORD_END, QUOTED, RECORD_END),
            _ => (PLAIN, PLAIN, QUOTED, PLAIN),
        };
        table[b] = start;
        table[256 + b] = plain;
        table[512 + b] = quoted;
        table[768 + b] = seen;
        b += 1;
    }
    table
};

fn split_step(state: u16, byte: u8) -> u16 {
    // `state` is below 1024 here, so the index is in bounds.
    SPLIT.get(usize::from(state & 0x300) | usize::from(byte)).copied().unwrap_or(RECORD_END)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    /// The byte machine alone, record after record: the definition the
    /// block path must agree with.
    fn bytewise(bytes: &[u8], eof: bool, target: usize) -> (usize, u64) {
        let mut framed = 0;
        while framed < target {
            match one_record(bytes.get(framed..).unwrap_or(&[]), eof) {
                Some(len) => framed += len,
                None => break,
            }
        }
        (framed, count_line_ends(&bytes[..framed]))
    }

    /// CSV as exports write it: mostly quoted cells with commas, `""` and
    /// line ends inside, some plain cells, now and then a stray quote.
    fn export() -> impl Strategy<Value = Vec<u8>> {
        let cell = prop_oneof![
            4 => "[a-z0-9 ,\n\r]{0,12}".prop_map(|s| format!("\"{}\"", s)),
            1 => "[a-z0-9 ]{0,8}\"\"[a-z,\r\n]{0,6}".prop_map(|s| format!("\"{s}\"")),
            3 => "[a-z0-9 ]{0,10}",
            1 => Just("5\" screen".to_string()),
            1 => Just("\"ab\"c\"d".to_string()),
        ];
        let record = prop::collection::vec(cell, 1..8).prop_map(|cells| cells.join(","));
        let end = prop::sample::select(vec!["\n", "\r\n", "\r", "\n\n"]);
        prop::collection::vec((record, end), 0..40)
            .prop_map(|records| records.into_iter().flat_map(|(r, e)| [r, e.to_string()]).collect::<String>())
            .prop_map(String::into_bytes)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn blocks_frame_what_the_byte_machine_frames(
            bytes in export(), eof in any::<bool>(), target in 0usize..2000, cut in 0usize..2000,
        ) {
            let bytes = &bytes[..cut.min(bytes.len())];
            prop_assert_eq!(frame_many(bytes, eof, target), bytewise(bytes, eof, target));
        }
    }

    #[test]
    fn masks_mark_exactly_their_bytes() {
        let block: Vec<u8> =
            (0..64usize).map(|i| [b'"', b',', b'\n', b'\r', b'a', 0x80 | b'"', 0xff, 0][i * 7 % 8]).collect();
        let mask =
            |f: fn(u8) -> bool| block.iter().enumerate().fold(0u64, |m, (i, &b)| m | (u64::from(f(b)) << i));
        let want = (mask(|b| b == b'"'), mask(|b| b == b'\n' || b == b'\r'), mask(|b| b == b','));
        assert_eq!(masks(&block), want);
        assert_eq!(prefix_parity(0b1001), 0b0111);
    }

    #[test]
    fn a_record_longer_than_the_block_limit_is_left_to_frame() {
        let mut text = b"a,b\n\"".to_vec();
        text.extend(std::iter::repeat_n(b'x', LONG + 100));
        text.extend_from_slice(b"\"\nc,d\n");
        assert_eq!(frame_many(&text, true, usize::MAX), (4, 1));
        assert_eq!(frame_many(&text, true, usize::MAX), bytewise(&text, true, usize::MAX));
    }

    #[test]
    fn a_stray_quote_hands_over_to_the_byte_machine_and_back() {
        let mut text = Vec::new();
        for i in 0..200 {
            let cell = if i % 50 == 7 { "5\" screen" } else { "\"a,\nb\"" };
            text.extend_from_slice(format!("{i},{cell}\r\n").as_bytes());
        }
        for target in [0, 1, 100, 1000, 5000, usize::MAX] {
            assert_eq!(frame_many(&text, true, target), bytewise(&text, true, target), "target {target}");
        }
        // Two line ends a record, but one in the four with a stray quote.
        assert_eq!(frame_many(&text, true, usize::MAX), (text.len(), 396));
    }
}
