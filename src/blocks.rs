//! Byte searches a block of 32 bytes at a time, for the sets of bytes `memchr` cannot look
//! for (more than three, or a byte in context).
//!
//! A search gives two tests: `maybe`, written with plain comparisons and `|` (no branches, no
//! table) so that the compiler makes vector instructions of it, and `exact`. `maybe` must
//! hold wherever `exact` does (it may hold elsewhere too); `exact` is asked only inside a
//! block where `maybe` held somewhere, and only at places inside the text.

/// Bytes tested at once.
const BLOCK: usize = 32;

/// The first place `i` of `text` where `exact(i, b, next)` holds. Both tests are given each
/// byte `b` with the byte after it, `next`; past the end of `text`, bytes read as `pad` (a
/// byte for which `maybe` is false, so the last block is tested like the others).
#[inline]
pub(crate) fn find(
    text: &[u8],
    pad: u8,
    maybe: impl Fn(u8, u8) -> bool,
    mut exact: impl FnMut(usize, u8, u8) -> bool,
) -> Option<usize> {
    let mut at = 0;
    loop {
        let rest = text.get(at..).unwrap_or_default();
        let Some(window) = rest.first_chunk::<{ BLOCK + 1 }>() else {
            let mut padded = [pad; BLOCK + 1];
            if let Some(w) = padded.get_mut(..rest.len()) {
                w.copy_from_slice(rest);
            }
            return if any(&padded, &maybe) { first(&padded, rest.len(), at, exact) } else { None };
        };
        if any(window, &maybe)
            && let Some(i) = first(window, BLOCK, at, &mut exact)
        {
            return Some(i);
        }
        at += BLOCK;
    }
}

/// The first of the first `len` bytes of `window` (at `at` in the text) where `exact` holds.
#[inline]
fn first(
    window: &[u8; BLOCK + 1],
    len: usize,
    at: usize,
    mut exact: impl FnMut(usize, u8, u8) -> bool,
) -> Option<usize> {
    let pairs = window.iter().zip(window.iter().skip(1)).take(len);
    pairs.enumerate().position(|(i, (&b, &next))| exact(at + i, b, next)).map(|i| at + i)
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

    /// Every place of texts around the block size, with a `maybe` that holds more often than
    /// `exact`: the first exact place is found, never a place past the text.
    #[test]
    fn finds_the_first_exact_place() {
        for len in (0..40).chain(60..70) {
            for at in 0..=len {
                let mut text = vec![b'a'; len];
                if let Some(b) = text.get_mut(at) {
                    *b = b'x';
                }
                // `maybe`: x, and y (never exact); `exact`: x followed by anything but x.
                let maybe = |b: u8, _| (b == b'x') | (b == b'y');
                let mut asked = Vec::new();
                let got = find(&text, b'a', maybe, |i, b, _| {
                    asked.push(i);
                    assert_eq!(text[i], b);
                    b == b'x'
                });
                assert_eq!(got, (at < len).then_some(at), "{len} {at}");
                assert!(asked.iter().all(|&i| i < len), "{len} {at} {asked:?}");
                // A decoy block before it is passed over.
                if at >= 33 {
                    let mut decoy = text.clone();
                    decoy[0] = b'y';
                    let got = find(&decoy, b'a', maybe, |_, b, _| b == b'x');
                    assert_eq!(got, (at < len).then_some(at), "decoy {len} {at}");
                }
            }
        }
    }

    /// The byte after the last one is the pad.
    #[test]
    fn the_last_byte_sees_the_pad() {
        let pairs = |b: u8, next: u8| (b == b'-') & (next == b'-');
        for len in 1..70 {
            let text = vec![b'-'; len];
            let exact = |i: usize, _, next| (text.get(i + 1) == Some(&b'-')) & (next == b'-');
            assert_eq!(find(&text, b'-', pairs, exact), (len > 1).then_some(0), "{len}");
            let last = find(&text[len - 1..], b'a', pairs, |_, _, _| true);
            assert_eq!(last, None, "{len}");
        }
    }
}
