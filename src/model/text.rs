//! Whitespace clean-up shared by every reader.

use std::borrow::Cow;

use crate::swar;

/// True for the characters copied pages use as spaces: ASCII white space, no-break space,
/// the Unicode space separators, the ideographic space and zero-width characters.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// Collapses every run of white space (including no-break and ideographic spaces) to one
/// ASCII space and trims both ends.
pub fn collapse_ws(s: &str) -> String {
    collapse_ws_cow(s).into_owned()
}

/// [`collapse_ws`] that borrows `s` when it has nothing to collapse (most values).
pub fn collapse_ws_cow(s: &str) -> Cow<'_, str> {
    if is_collapsed(s) {
        return Cow::Borrowed(s);
    }
    // Copies whole runs of non-space text at once and decodes only non-ASCII characters:
    // this runs on every field of every record, abstracts included.
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (space, len) = match bytes[i] {
            b @ 0..0x80 => (matches!(b, b'\t'..=b'\r' | b' '), 1),
            _ => s
                .get(i..)
                .and_then(|t| t.chars().next())
                .map_or((false, 1), |c| (is_space(c), c.len_utf8())),
        };
        if space {
            push_run(&mut out, s.get(run..i).unwrap_or_default(), &mut pending);
            pending = !out.is_empty();
            run = i + len;
        }
        i += len;
    }
    push_run(&mut out, s.get(run..).unwrap_or_default(), &mut pending);
    Cow::Owned(out)
}

/// True when `s` has no white space but single ASCII spaces between other characters (most
/// fields). Whole-slice passes (SIMD): no tab or line break, no double space, and no
/// Unicode space, whose UTF-8 forms all start with one of five lead bytes.
fn is_collapsed(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    // Short values (names, numbers, most titles): eight bytes at a time costs less than
    // setting up the four vector searches below.
    if bytes.len() < 64 {
        return short_is_collapsed(s);
    }
    // A tab or line break, or two spaces, in one pass the compiler vectorises.
    let pairs = bytes.iter().zip(bytes.iter().skip(1));
    let odd = pairs.fold(false, |odd, (&b, &next)| {
        odd | (b.wrapping_sub(b'\t') < 5) | ((b == b' ') & (next == b' '))
    });
    if odd || bytes.last().is_some_and(|b| b.wrapping_sub(b'\t') < 5) {
        return false;
    }
    // U+0085 and U+00A0 (C2), U+1680 (E1), U+2000–U+2060 (E2), U+3000 (E3), U+FEFF (EF).
    let mut leads = memchr::memchr3_iter(0xC2, 0xE2, 0xE3, bytes)
        .chain(memchr::memchr2_iter(0xE1, 0xEF, bytes));
    !leads.any(|at| space_at(s, at))
}

/// True when the character that starts at byte `at` of `s` is white space.
fn space_at(s: &str, at: usize) -> bool {
    s.get(at..).and_then(|t| t.chars().next()).is_some_and(is_space)
}

/// [`is_collapsed`] for a short value, eight bytes at a time: a word with no byte that
/// could be white space (a control byte, a space after a space, a lead byte of a Unicode
/// space) passes whole; another is looked at byte by byte.
fn short_is_collapsed(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut after_space = false;
    let mut at = 0;
    while at < bytes.len() {
        let word = bytes.get(at..).and_then(swar::word);
        if let Some(x) = word {
            let spaces = swar::equal(x, b' ');
            let doubled = spaces & (spaces << 8 | u64::from(after_space) << 7);
            let leads = swar::equal(x, 0xC2)
                | swar::equal(x, 0xE1)
                | swar::equal(x, 0xE2)
                | swar::equal(x, 0xE3)
                | swar::equal(x, 0xEF);
            if swar::below(x, b'\r' + 1) | doubled | leads == 0 {
                after_space = x >> 56 == u64::from(b' ');
                at += 8;
                continue;
            }
        }
        let end = if word.is_some() { at + 8 } else { bytes.len() };
        while at < end {
            let space = match bytes.get(at).copied().unwrap_or_default() {
                b'\t'..=b'\r' => return false,
                b' ' if after_space => return false,
                b' ' => true,
                0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF if space_at(s, at) => return false,
                _ => false,
            };
            after_space = space;
            at += 1;
        }
    }
    true
}

/// Appends a run of non-space text, after one space when one is pending.
fn push_run(out: &mut String, run: &str, pending: &mut bool) {
    if run.is_empty() {
        return;
    }
    if *pending {
        out.push(' ');
        *pending = false;
    }
    out.push_str(run);
}

/// True when the text holds nothing but white space.
pub fn is_blank(s: &str) -> bool {
    s.chars().all(is_space)
}

/// True for CJK ideographs, CJK punctuation, kana and full-width forms.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3134F)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Both paths of `is_collapsed` (eight bytes at a time under 64 bytes, vector
        /// searches above) against the definition, on texts made of the bytes that matter.
        #[test]
        fn is_collapsed_matches_the_definition(
            s in "([ab ]|  |\\t|\\r|\u{1}|\u{85}|\u{a0}|é|–|\u{2009}|\u{200b}|\u{3000}|\u{feff}|\u{1680}|\u{e000}){0,90}"
        ) {
            let reference = s.split(is_space).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(is_collapsed(&s), reference == s, "{:?}", s);
        }
    }

    #[test]
    fn collapses_odd_spaces() {
        assert_eq!(collapse_ws("  a\u{a0}\u{a0}b \t\u{3000}c\u{200b} "), "a b c");
        assert_eq!(collapse_ws(""), "");
        assert_eq!(collapse_ws("\u{85}x\u{2028}\u{b}y\u{c}é z\u{3000}"), "x y é z");
    }

    /// The run-copying version against the plain definition, on tricky strings.
    #[test]
    fn collapse_matches_the_definition() {
        fn reference(s: &str) -> String {
            s.split(is_space).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
        }
        let parts = [
            "", " ", "a", "é", "作者", "\t", "\r\n", "\u{a0}", "\u{200b}", "\u{3000}", "  ", "x y",
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    let s = format!("{a}{b}{c}{a}");
                    assert_eq!(collapse_ws(&s), reference(&s), "{s:?}");
                }
            }
        }
        // Long texts take the vector path of `is_collapsed`, short ones the scalar one.
        for s in ["a b", "a  b", "a\u{a0}b", "a\tb", "x\u{3000}y", "é ü", " a", "a "] {
            let long = format!("{}{s}{}", "w ".repeat(40), " w".repeat(40));
            assert_eq!(collapse_ws(s), reference(s), "{s:?}");
            assert_eq!(collapse_ws(&long), reference(&long), "{long:?}");
        }
        // A double space or a Unicode space at every place, across word boundaries too.
        // Both paths: under 64 bytes and above.
        for (n, k) in [40, 90].into_iter().flat_map(|n| (0..=n).map(move |k| (n, k))) {
            for odd in ["  ", "\t", "\u{a0}", "\u{3000}", " \u{200b}"] {
                let s = format!("{}{odd}{}", "x".repeat(k), "y".repeat(n - k));
                assert!(!is_collapsed(&s), "{s:?}");
                assert_eq!(collapse_ws(&s), reference(&s), "{s:?}");
            }
        }
        assert!(is_blank(" \u{a0}\t"));
        assert!(!is_blank(" x"));
    }
}
