//! Byte searches a block of 32 bytes at a time, for the sets of bytes `memchr` cannot look
//! for (more than three, or a byte in context).
//!
//! A search gives two tests: `maybe`, written with plain comparisons and `|` (no branches, no
//! table) so that the compiler makes vector instructions of it, and `exact`. `maybe` must
//! hold wherever `exact` does (it may hold elsewhere too): a block where it holds nowhere is
//! passed over whole.

/// Bytes tested at once.
const BLOCK: usize = 32;

/// The first place `i` of `text` where `exact(i, b, next)` holds. Both tests are given each
/// byte `b` with the byte after it, `next`; after the last byte comes `end`.
///
/// Blocks are read where they are in the text, never copied: a block copied and read back at
/// once costs a stalled load (the copy's stores cannot be forwarded to the block's loads).
/// The bytes after the last whole block are tested in one block that ends with the text
/// (overlapping the one before); a text shorter than a block is read byte by byte.
#[inline]
pub(crate) fn find(
    text: &[u8],
    end: u8,
    maybe: impl Fn(u8, u8) -> bool,
    mut exact: impl FnMut(usize, u8, u8) -> bool,
) -> Option<usize> {
    let Some(start) = text.len().checked_sub(BLOCK + 1) else {
        let next = |i: usize| text.get(i + 1).copied().unwrap_or(end);
        return text.iter().enumerate().position(|(i, &b)| exact(i, b, next(i)));
    };
    let mut at = 0;
    while let Some(window) = text.get(at..).and_then(|t| t.first_chunk::<{ BLOCK + 1 }>()) {
        if any(window, &maybe)
            && let Some(i) = first(window, 0, at, &mut exact)
        {
            return Some(i);
        }
        at += BLOCK;
    }
    // From 1 to BLOCK bytes are left: the window that ends with the text tests all but the
    // last of them (the bytes before `at` in it were tested already); the last has no byte
    // after it in a window and is tested on its own.
    let window = text.get(start..).and_then(|t| t.first_chunk::<{ BLOCK + 1 }>())?;
    if any(window, &maybe)
        && let Some(i) = first(window, at.saturating_sub(start), start, &mut exact)
    {
        return Some(i);
    }
    let last = text.len() - 1;
    let b = text.get(last).copied().unwrap_or_default();
    exact(last, b, end).then_some(last)
}

/// The first place, from the `from`th byte of `window` (which starts at `at` in the text),
/// where `exact` holds, among the first [`BLOCK`] bytes.
#[inline]
fn first(
    window: &[u8; BLOCK + 1],
    from: usize,
    at: usize,
    mut exact: impl FnMut(usize, u8, u8) -> bool,
) -> Option<usize> {
    (from..BLOCK).find(|&i| exact(at + i, window[i], window[i + 1])).map(|i| at + i)
}

/// True when `maybe` holds for one of the first [`BLOCK`] bytes of `window`.
#[inline]
fn any(window: &[u8; BLOCK + 1], maybe: &impl Fn(u8, u8) -> bool) -> bool {
    let mut hits = [false; BLOCK];
    for (i, hit) in hits.iter_mut().enumerate() {
        *hit = maybe(window[i], window[i + 1]);
    }
    hits.iter().fold(false, |any, &hit| any | hit)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the byte-by-byte definition, on texts of every length around one, two and
    /// three blocks: an `x` (exact unless another `x` follows) at every place, a decoy `y`
    /// (maybe, never exact) before it, an `xx` pair, and both ends. Each place is asked at most
    /// once, in order, with its own byte and the byte after it.
    #[test]
    fn finds_the_first_exact_place() {
        let maybe = |b: u8, _| (b == b'x') | (b == b'y');
        for len in 0usize..100 {
            for x in 0..=len {
                for decoy in [None, Some(0), Some(x / 2), Some(x.saturating_sub(1))] {
                    for pair in [false, true] {
                        for end in [b'a', b'x'] {
                            let mut text = vec![b'a'; len];
                            if let Some(d) = decoy.and_then(|d| text.get_mut(d)) {
                                *d = b'y';
                            }
                            if let Some(b) = text.get_mut(x) {
                                *b = b'x';
                            }
                            if let Some(b) = text.get_mut(x + 1).filter(|_| pair) {
                                *b = b'x';
                            }
                            let next = |i: usize| text.get(i + 1).copied().unwrap_or(end);
                            let expected = (0..len).find(|&i| text[i] == b'x' && next(i) != b'x');
                            let mut asked = Vec::new();
                            let got = find(&text, end, maybe, |i, b, after| {
                                assert_eq!((b, after), (text[i], next(i)), "{i}");
                                asked.push(i);
                                b == b'x' && after != b'x'
                            });
                            let case =
                                format!("len {len} x {x} decoy {decoy:?} pair {pair} end {end}");
                            assert_eq!(got, expected, "{case}");
                            assert!(asked.windows(2).all(|w| w[0] < w[1]), "{case}: {asked:?}");
                            assert!(asked.iter().all(|&i| i < len), "{case}: {asked:?}");
                        }
                    }
                }
            }
        }
    }
}
