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
    pub fn scan(&mut self, bytes: &[u8], mut comma: impl FnMut(usize)) -> Option<usize> {
        let mut i = 0;
        while i < bytes.len() {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    i += 1;
                    continue;
                }
                let k = quote_or_backslash(bytes.get(i..)?)?;
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
                        return Some(i);
                    }
                }
                Some(b',') if self.depth == 1 => comma(i),
                _ => {}
            }
            i += 1;
        }
        None
    }
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
