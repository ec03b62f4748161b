//! Eight bytes at a time in a `u64` (SIMD within a register): the bit tests the text
//! scanners share. Each marks a byte by setting its high bit. The lowest marked byte is
//! exact; a byte above it may be marked falsely (a borrow runs on), so callers take the
//! lowest mark or look at a marked word byte by byte.

/// `0x01` in every byte.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// `0x80` in every byte: the high bits, and the non-ASCII bytes of a word (`x & HIGH`).
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// The first eight bytes of `bytes` as a word, when there are eight.
#[inline]
pub(crate) fn word(bytes: &[u8]) -> Option<u64> {
    bytes.first_chunk::<8>().map(|w| u64::from_le_bytes(*w))
}

/// Marks the bytes of `x` below `n` (exact for ASCII bytes: `x - n` borrows into the high
/// bit of a smaller byte).
#[inline]
pub(crate) fn below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH
}

/// Marks the bytes of `x` equal to `b` (a zero byte of `x ^ b`).
#[inline]
pub(crate) fn equal(x: u64, b: u8) -> u64 {
    let y = x ^ (ONES * u64::from(b));
    y.wrapping_sub(ONES) & !y & HIGH
}

/// The index of the lowest marked byte.
#[inline]
pub(crate) fn first(marks: u64) -> usize {
    marks.trailing_zeros() as usize / 8
}

#[cfg(test)]
mod tests {
    use super::*;

    /// For every ASCII byte at every place, each test marks it exactly when it should (the
    /// lowest mark of a word of otherwise unmarked bytes).
    #[test]
    fn marks_are_exact_for_one_byte() {
        for at in 0..8 {
            for b in 0u8..128 {
                let mut bytes = [b'x'; 8];
                bytes[at] = b;
                let x = word(&bytes).unwrap_or_default();
                let hit = |marks: u64, yes: bool| {
                    assert_eq!(marks != 0 && first(marks) == at, yes, "{b:#x} at {at}");
                };
                hit(below(x, 0x21), b < 0x21);
                hit(equal(x, b'-'), b == b'-');
            }
        }
    }
}
