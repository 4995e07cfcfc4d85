//! Little-endian byte writing and bounds-checked reading, and the checksum.
//!
//! In: values to save, or the bytes of a compiled file. Out: bytes, or
//! values read with every length checked against the bytes left, so a
//! truncated or tampered file gives a located [`ReadError`], never a panic
//! or a huge allocation.

/// Appends values to a byte buffer.
#[derive(Debug, Default)]
pub struct Writer {
    /// The bytes written so far.
    pub buf: Vec<u8>,
}

impl Writer {
    /// One byte.
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    /// A bool as one byte, 0 or 1.
    pub fn bool(&mut self, v: bool) {
        self.buf.push(u8::from(v));
    }

    /// Two bytes.
    pub fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// Four bytes.
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// A length or index as four bytes (saturating; the verifier rejects
    /// what does not fit).
    pub fn len(&mut self, v: usize) {
        self.u32(u32::try_from(v).unwrap_or(u32::MAX));
    }

    /// Eight bytes.
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// Eight bytes, two's complement.
    pub fn i64(&mut self, v: i64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// Eight bytes, IEEE 754.
    pub fn f64(&mut self, v: f64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// A length-prefixed UTF-8 string.
    pub fn str(&mut self, v: &str) {
        self.len(v.len());
        self.buf.extend_from_slice(v.as_bytes());
    }
}

/// Why bytes could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The bytes end before the value at `offset`.
    Truncated {
        /// Where the value starts.
        offset: usize,
    },
    /// The value at `offset` is not valid.
    Malformed {
        /// Where the value starts.
        offset: usize,
        /// What is wrong.
        message: String,
    },
}

/// Reads values from a byte slice; offsets are reported relative to the
/// start of the whole file (`base`).
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    /// Reads `bytes`, which start at file offset `base`.
    pub fn new(bytes: &'a [u8], base: usize) -> Reader<'a> {
        Reader { bytes, pos: 0, base }
    }

    /// The file offset of the next byte.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Whether every byte was read.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// The number of bytes left.
    pub fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    /// An error about the value starting at `offset`.
    pub fn malformed(&self, offset: usize, message: impl Into<String>) -> ReadError {
        ReadError::Malformed { offset, message: message.into() }
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], ReadError> {
        let end = self.pos.checked_add(n).ok_or(ReadError::Truncated { offset: self.offset() })?;
        let slice = self.bytes.get(self.pos..end).ok_or(ReadError::Truncated { offset: self.offset() })?;
        self.pos = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ReadError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// One byte.
    pub fn u8(&mut self) -> Result<u8, ReadError> {
        Ok(u8::from_le_bytes(self.array()?))
    }

    /// A bool: exactly 0 or 1.
    pub fn bool(&mut self) -> Result<bool, ReadError> {
        let offset = self.offset();
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(self.malformed(offset, format!("expected a flag (0 or 1), found {b}"))),
        }
    }

    /// Two bytes.
    pub fn u16(&mut self) -> Result<u16, ReadError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    /// Four bytes.
    pub fn u32(&mut self) -> Result<u32, ReadError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    /// Eight bytes.
    pub fn u64(&mut self) -> Result<u64, ReadError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// Eight bytes, two's complement.
    pub fn i64(&mut self) -> Result<i64, ReadError> {
        Ok(i64::from_le_bytes(self.array()?))
    }

    /// Eight bytes, IEEE 754.
    pub fn f64(&mut self) -> Result<f64, ReadError> {
        Ok(f64::from_le_bytes(self.array()?))
    }

    /// A count of items each at least `min_size` bytes long, checked
    /// against the bytes left so that no tampered count makes a caller
    /// allocate more than the file holds.
    pub fn count(&mut self, min_size: usize) -> Result<usize, ReadError> {
        let offset = self.offset();
        let n = self.u32()? as usize;
        if n.saturating_mul(min_size.max(1)) > self.remaining() {
            return Err(ReadError::Truncated { offset });
        }
        Ok(n)
    }

    /// A length-prefixed UTF-8 string.
    pub fn str(&mut self) -> Result<String, ReadError> {
        let offset = self.offset();
        let n = self.count(1)?;
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| self.malformed(offset, "a string is not valid UTF-8"))
    }
}

/// The 32-bit FNV-1a hash. Any change of a single byte changes it.
pub fn fnv1a(bytes: &[u8]) -> u32 {
    const OFFSET: u32 = 0x811c_9dc5;
    const PRIME: u32 = 0x0100_0193;
    bytes.iter().fold(OFFSET, |hash, b| (hash ^ u32::from(*b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_vectors() {
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a(b"foobar"), 0xbf9c_f968);
    }

    #[test]
    fn reading_past_the_end_is_a_located_error() {
        let mut r = Reader::new(&[1, 2, 3], 10);
        assert_eq!(r.u16(), Ok(0x0201));
        assert_eq!(r.u32(), Err(ReadError::Truncated { offset: 12 }));
    }

    #[test]
    fn a_count_larger_than_the_bytes_left_is_rejected() {
        let mut w = Writer::default();
        w.u32(1_000_000);
        w.u8(0);
        let mut r = Reader::new(&w.buf, 0);
        assert_eq!(r.count(1), Err(ReadError::Truncated { offset: 0 }));
    }
}
