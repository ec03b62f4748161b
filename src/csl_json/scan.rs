//! Finding the items of a JSON array without parsing them: strings skipped with `memchr`,
//! brackets counted. Used to cut large CSL-JSON inputs into pieces and to read each item of
//! an array on its own.

use std::ops::Range;

use crate::swar;

/// A JSON scanner's state between calls: nesting depth and string state.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct JsonScan {
    depth: u32,
    in_string: bool,
    escaped: bool,
}

impl JsonScan {
    /// A scanner that starts inside the top-level array.
    pub fn inside_array() -> Self {
        JsonScan { depth: 1, ..JsonScan::default() }
    }

    /// Scans `bytes`, calling `comma(i)` for each comma between top-level array items.
    /// Returns the index of the bracket that closes the top level, where it stops.
    ///
    /// Blocks of 64 bytes with no backslash (and no escape pending) are scanned as bit
    /// masks: where the strings are follows from the quotes alone, and only the brackets
    /// and commas outside strings are visited. A block with a backslash, and the bytes after
    /// the last whole block, go byte by byte.
    pub fn scan(&mut self, bytes: &[u8], mut comma: impl FnMut(usize)) -> Option<usize> {
        let mut at = 0;
        while let Some(block) = bytes.get(at..).and_then(|b| b.first_chunk::<BLOCK>()) {
            let marks = Masks::of(block);
            let close = if marks.backslash == 0 && !self.escaped {
                self.scan_block(&marks, at, &mut comma)
            } else {
                self.scan_bytes(block, at, &mut comma)
            };
            if close.is_some() {
                return close;
            }
            at += BLOCK;
        }
        self.scan_bytes(bytes.get(at..)?, at, &mut comma)
    }

    /// [`JsonScan::scan`] on a block with no backslash and no pending escape, which stands
    /// at `at` in the scanned bytes.
    fn scan_block(
        &mut self,
        marks: &Masks,
        at: usize,
        comma: &mut impl FnMut(usize),
    ) -> Option<usize> {
        // A byte is in a string when an odd number of quotes come before it or at it (the
        // opening quote counts as in, the closing one as out), or an even number when the
        // block starts in a string.
        let carried = if self.in_string { u64::MAX } else { 0 };
        let outside = !(prefix_xor(marks.quote) ^ carried);
        self.in_string = outside >> (BLOCK - 1) == 0;
        let (open, close) = (marks.open & outside, marks.close & outside);
        let commas = marks.comma & outside;
        // Only brackets change the depth: between two of them it holds, and the commas
        // there are items' commas when it is 1.
        let mut brackets = open | close;
        let mut from = 0;
        loop {
            let next = brackets.trailing_zeros() as usize;
            if self.depth == 1 {
                let mut here = commas & !below(from) & below(next);
                while here != 0 {
                    comma(at + here.trailing_zeros() as usize);
                    here &= here - 1;
                }
            }
            if next == BLOCK {
                return None;
            }
            brackets &= brackets - 1;
            if open >> next & 1 == 1 {
                self.depth += 1;
            } else {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    return Some(at + next);
                }
            }
            from = next + 1;
        }
    }

    /// [`JsonScan::scan`] byte by byte, on `bytes` standing at `at` in the scanned bytes.
    fn scan_bytes(
        &mut self,
        bytes: &[u8],
        at: usize,
        comma: &mut impl FnMut(usize),
    ) -> Option<usize> {
        let mut i = 0;
        while i < bytes.len() {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    i += 1;
                    continue;
                }
                let Some(k) = quote_or_backslash(bytes.get(i..)?) else { break };
                i += k;
                if bytes.get(i) == Some(&b'\\') {
                    self.escaped = true;
                } else {
                    self.in_string = false;
                }
                i += 1;
                continue;
            }
            match bytes.get(i) {
                Some(b'"') => self.in_string = true,
                Some(b'[' | b'{') => self.depth += 1,
                Some(b']' | b'}') => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return Some(at + i);
                    }
                }
                Some(b',') if self.depth == 1 => comma(at + i),
                _ => {}
            }
            i += 1;
        }
        None
    }
}

/// Bytes scanned as one set of bit masks.
const BLOCK: usize = 64;

/// Where a block's quotes, backslashes, opening and closing brackets (`[` `{`, `]` `}`)
/// and commas are: bit `i` for byte `i`.
#[derive(Debug, PartialEq, Eq)]
struct Masks {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
    comma: u64,
}

/// `[` and `{`, `]` and `}`, differ in bit 0x20 only.
const CASE: u8 = 0x20;

impl Masks {
    /// 16 bytes compared at once, each comparison's byte mask moved into 16 bits (SSE2,
    /// which every x86-64 has).
    #[cfg(target_arch = "x86_64")]
    #[inline]
    fn of(block: &[u8; BLOCK]) -> Masks {
        use safe_arch::{
            bitand_m128i, cmp_eq_mask_i8_m128i, m128i, move_mask_i8_m128i, set_splat_i8_m128i,
        };
        let splat = |b: u8| set_splat_i8_m128i(b as i8);
        let (quote, backslash, comma) = (splat(b'"'), splat(b'\\'), splat(b','));
        let (open, close, fold) = (splat(b'['), splat(b']'), splat(!CASE));
        let mut m = Masks { quote: 0, backslash: 0, open: 0, close: 0, comma: 0 };
        let (lanes, _) = block.as_chunks::<16>();
        for (i, lane) in lanes.iter().enumerate() {
            let v = m128i::from(*lane);
            let folded = bitand_m128i(v, fold);
            let bits =
                |a, b| u64::from(move_mask_i8_m128i(cmp_eq_mask_i8_m128i(a, b)) as u16) << (16 * i);
            m.quote |= bits(v, quote);
            m.backslash |= bits(v, backslash);
            m.open |= bits(folded, open);
            m.close |= bits(folded, close);
            m.comma |= bits(v, comma);
        }
        m
    }

    /// Elsewhere: [`Masks::portable`].
    #[cfg(not(target_arch = "x86_64"))]
    #[inline]
    fn of(block: &[u8; BLOCK]) -> Masks {
        Masks::portable(block)
    }

    /// The masks from plain comparisons (which the compiler makes vector compares), a 0 or
    /// 1 byte per byte, eight such bytes made eight bits with one multiplication.
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    fn portable(block: &[u8; BLOCK]) -> Masks {
        let mask = |test: fn(u8) -> bool| pack(&block.map(|b| u8::from(test(b))));
        Masks {
            quote: mask(|b| b == b'"'),
            backslash: mask(|b| b == b'\\'),
            open: mask(|b| b & !CASE == b'['),
            close: mask(|b| b & !CASE == b']'),
            comma: mask(|b| b == b','),
        }
    }
}

/// Bytes that are each 0 or 1 as the bits of a word, byte `i` as bit `i`.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn pack(flags: &[u8; BLOCK]) -> u64 {
    let (words, _) = flags.as_chunks::<8>();
    words.iter().enumerate().fold(0, |mask, (k, word)| {
        // Byte j (0 or 1) times 2^(7 - j) · 2^(8j) lands on bit 56 + j; no two products
        // share a bit, so nothing carries.
        let bits = u64::from_le_bytes(*word).wrapping_mul(0x0102_0408_1020_4080) >> 56;
        mask | bits << (8 * k)
    })
}

/// The bits below bit `n` (all of them for `n` = 64).
fn below(n: usize) -> u64 {
    1u64.checked_shl(n as u32).map_or(u64::MAX, |bit| bit - 1)
}

/// Bit `i` of the result is the parity of bits `0..=i` of `x`.
fn prefix_xor(mut x: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        x ^= x << shift;
    }
    x
}

/// The first `"` or `\\` in `bytes`. Most JSON strings are short (keys, names, numbers as
/// text): their first eight bytes are looked at as one word before `memchr` is called.
fn quote_or_backslash(bytes: &[u8]) -> Option<usize> {
    let Some(x) = swar::word(bytes) else {
        return memchr::memchr2(b'"', b'\\', bytes);
    };
    let found = swar::equal(x, b'"') | swar::equal(x, b'\\');
    if found != 0 {
        return Some(swar::first(found));
    }
    memchr::memchr2(b'"', b'\\', bytes.get(8..)?).map(|k| k + 8)
}

/// JSON's white space.
pub(crate) fn is_json_space(b: &u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The byte ranges of the items of `text` when it looks like one JSON array (`[`, items
/// separated by top-level commas, `]`, nothing after but white space). Each range may have
/// white space around the item. Only the brackets are checked: each item must still be
/// parsed, and the text is valid JSON when every item is one JSON value.
pub(crate) fn array_items(text: &str) -> Option<Vec<Range<usize>>> {
    part_items(text, true, true)
}

/// [`array_items`] for a part of an array cut before item commas: the `first` part starts
/// with the `[` (after white space), the others with a comma; only the `last` part ends
/// with the `]`.
pub(crate) fn part_items(text: &str, first: bool, last: bool) -> Option<Vec<Range<usize>>> {
    let bytes = text.as_bytes();
    let open = if first { bytes.iter().position(|b| !is_json_space(b))? } else { 0 };
    let mut marks = Marks::default();
    let inner = bytes.get(open + 1..)?;
    marks.close = JsonScan::inside_array().scan(inner, |i| marks.commas.push(open + 1 + i));
    marks.close = marks.close.map(|c| open + 1 + c);
    items_at(text, first, last, &marks)
}

/// Where the top-level array's item commas and closing bracket are in a text, as a scan
/// found them (byte offsets into that text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    /// The commas between top-level items, in order.
    pub commas: Vec<usize>,
    /// The `]` that closes the array, when the text holds it.
    pub close: Option<usize>,
}

/// [`part_items`] with the commas and the closing bracket already found: no scan.
pub(crate) fn items_at(
    text: &str,
    first: bool,
    last: bool,
    marks: &Marks,
) -> Option<Vec<Range<usize>>> {
    let bytes = text.as_bytes();
    let open = if first { bytes.iter().position(|b| !is_json_space(b))? } else { 0 };
    if bytes.get(open) != Some(if first { &b'[' } else { &b',' }) {
        return None;
    }
    let mut items = Vec::with_capacity(marks.commas.len() + 1);
    let mut start = open + 1;
    for &comma in marks.commas.iter().filter(|&&c| c > open) {
        items.push(start..comma);
        start = comma + 1;
    }
    let end = match marks.close {
        Some(close) if last => close,
        None if !last => bytes.len(),
        _ => return None,
    };
    if last && !bytes.get(end + 1..)?.iter().all(is_json_space) {
        return None;
    }
    let tail = start..end;
    let empty = bytes.get(tail.clone()).is_some_and(|t| t.iter().all(is_json_space));
    if !(first && last && items.is_empty() && empty) {
        items.push(tail);
    }
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Option<Vec<&str>> {
        array_items(text).map(|r| r.into_iter().map(|r| &text[r]).collect())
    }

    #[test]
    fn quote_or_backslash_is_memchr2() {
        for len in 0..20 {
            for at in 0..len {
                for b in [b'"', b'\\', b'a', 0x22 ^ 0x80, 0xff, 0] {
                    let mut bytes = vec![b'x'; len];
                    bytes[at] = b;
                    if at + 2 < len {
                        bytes[at + 2] = b'"';
                    }
                    assert_eq!(
                        quote_or_backslash(&bytes),
                        memchr::memchr2(b'"', b'\\', &bytes),
                        "{bytes:?}"
                    );
                }
            }
        }
    }

    /// The scanner's commas and closing bracket with `bytes` given in parts at `cuts`.
    fn scanned(bytes: &[u8], cuts: &[usize], byte_by_byte: bool) -> (Vec<usize>, Option<usize>) {
        let mut scan = JsonScan::inside_array();
        let mut commas = Vec::new();
        let mut from = 0;
        let mut ends: Vec<usize> = cuts.iter().map(|&c| c.min(bytes.len())).collect();
        ends.sort_unstable();
        ends.push(bytes.len());
        for end in ends {
            let part = &bytes[from..end];
            let close = if byte_by_byte {
                scan.scan_bytes(part, 0, &mut |i| commas.push(from + i))
            } else {
                scan.scan(part, |i| commas.push(from + i))
            };
            if let Some(close) = close {
                return (commas, Some(from + close));
            }
            from = end;
        }
        (commas, None)
    }

    proptest::proptest! {
        /// Blocks scanned as bit masks find what the byte-by-byte scan finds, however the
        /// text is cut into calls (strings, escapes and depth carried across): texts of the
        /// bytes that matter, backslashes rare enough that most blocks have none.
        #[test]
        fn blocks_scan_as_bytes_do(
            text in proptest::collection::vec(
                proptest::prop_oneof![
                    300 => proptest::sample::select(b"\"[]{},a \n".to_vec()),
                    1 => proptest::strategy::Just(b'\\'),
                ],
                0..400,
            ),
            cuts in proptest::collection::vec(0usize..400, 0..4),
        ) {
            let want = scanned(&text, &[], true);
            proptest::prop_assert_eq!(scanned(&text, &cuts, false), want.clone());
            proptest::prop_assert_eq!(scanned(&text, &[], false), want);
        }
    }

    #[test]
    fn masks_mark_each_byte_of_their_class() {
        // Every byte value at every place, among bytes of each class.
        let filler = b"\"\\[]{},x\xdb\xfd";
        for at in 0..BLOCK {
            for b in 0..=255u8 {
                let mut block = [0u8; BLOCK];
                for (i, x) in block.iter_mut().enumerate() {
                    *x = filler[(i * 7 + at) % filler.len()];
                }
                block[at] = b;
                let bit = |test: fn(u8) -> bool| {
                    block.iter().enumerate().fold(0u64, |m, (i, &x)| m | u64::from(test(x)) << i)
                };
                let want = Masks {
                    quote: bit(|x| x == b'"'),
                    backslash: bit(|x| x == b'\\'),
                    open: bit(|x| x == b'[' || x == b'{'),
                    close: bit(|x| x == b']' || x == b'}'),
                    comma: bit(|x| x == b','),
                };
                assert_eq!(Masks::of(&block), want, "{b:#x} at {at}");
                assert_eq!(Masks::portable(&block), want, "{b:#x} at {at}");
            }
        }
    }

    #[test]
    fn blocks_carry_strings_escapes_and_depth() {
        // A string across a block's end, an escaped quote at a block's end, a closing
        // bracket in the second block; commas inside strings and objects are not items'.
        let mut text = String::from("{\"a\": \"x,");
        text.push_str(&"y".repeat(64 - text.len() - 1));
        text.push('\\');
        text.push_str("\", ]\"}, [1, 2], 3]   ");
        let bytes = text.as_bytes();
        let comma = text.find("}, [").unwrap() + 1;
        let three = text.find(", 3]").unwrap();
        let close = text.rfind(']').unwrap();
        assert_eq!(scanned(bytes, &[], false), (vec![comma, three], Some(close)));
        assert_eq!(scanned(bytes, &[64], false), (vec![comma, three], Some(close)));
        assert_eq!(scanned(bytes, &[], true), (vec![comma, three], Some(close)));
        // No backslash: the block path alone, a string across the first block's end.
        let plain: String = format!("\"{}\", [\",\"], 7{}]", ",".repeat(70), " ".repeat(64));
        let at = 72;
        assert_eq!(&plain[at..at + 2], ", ");
        let want = (vec![at, at + 7], Some(plain.len() - 1));
        assert_eq!(scanned(plain.as_bytes(), &[], false), want);
    }

    #[test]
    fn items_of_an_array() {
        assert_eq!(items(" [ ] \n"), Some(vec![]));
        assert_eq!(items("[1]"), Some(vec!["1"]));
        assert_eq!(
            items("[{\"a\": [1, 2]}, \"x,]\\\"\" ]"),
            Some(vec!["{\"a\": [1, 2]}", " \"x,]\\\"\" "])
        );
        // Empty items are ranges too: parsing them fails, as it should.
        assert_eq!(items("[1,,2]"), Some(vec!["1", "", "2"]));
        assert_eq!(items("[,]"), Some(vec!["", ""]));
        for not in ["", "{}", "[1", "[1] x", "[1]]", "[\"]", "x[1]", "[1]\u{c}"] {
            assert_eq!(items(not), None, "{not:?}");
        }
    }

    #[test]
    fn items_of_parts() {
        let part = |text, first, last| {
            part_items(text, first, last)
                .map(|r| r.into_iter().map(|r| &text[r]).collect::<Vec<_>>())
        };
        assert_eq!(part(" [1, {\"a,\": 2}", true, false), Some(vec!["1", " {\"a,\": 2}"]));
        assert_eq!(part(" [", true, false), Some(vec![""]));
        assert_eq!(part(",3, [4]", false, false), Some(vec!["3", " [4]"]));
        assert_eq!(part(",5]\n", false, true), Some(vec!["5"]));
        assert_eq!(part(",]", false, true), Some(vec![""]));
        assert_eq!(part("3]", false, true), None);
        assert_eq!(part(",3]", false, false), None);
        assert_eq!(part(",3", false, true), None);
    }
}
