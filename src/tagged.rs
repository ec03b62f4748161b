//! Shared nom parsers for `TAG - value` lines (RIS and MEDLINE).
//!
//! - RIS: a two-character tag (`[A-Z][A-Z0-9]`), one or two spaces, `-`, then a space and
//!   the value or nothing: `AU  - Checkland, Kath`, `ER  -`.
//! - MEDLINE: a tag of one to four characters padded with spaces, `-`, then a space and the
//!   value: `PMID- 20481061`, `AU  - Long V`; continuation lines start with spaces.
//!
//! Lines come from [`lines`], which splits at LF, CRLF, lone CR (and takes a doubled
//! `\r\r\n` as one break) and drops a byte-order mark, keeping each line's byte offset
//! for diagnostics.

use nom::branch::alt;
use nom::bytes::complete::take_while_m_n;
use nom::character::complete::{char, satisfy};
use nom::combinator::{eof, recognize, rest};
use nom::sequence::{pair, preceded};
use nom::{IResult, Parser};

/// One line of input without its terminator, with the byte offset where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    /// Byte offset of the first character of the line in the whole input.
    pub offset: usize,
    /// The line's text, without `\r`/`\n` and without a leading byte-order mark.
    pub text: &'a str,
}

/// A tag line split into its tag and its value (trimmed; empty for `ER  -`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TagLine<'a> {
    /// The tag (`AU`, `PMID`).
    pub tag: &'a str,
    /// The value, with surrounding whitespace removed.
    pub value: &'a str,
}

/// One tag of a record with its value lines (the tag line's value, then continuation lines),
/// as the RIS and MEDLINE readers collect them.
#[derive(Debug)]
pub(crate) struct RawField<'a> {
    pub tag: &'a str,
    /// The value on the tag line.
    pub first: &'a str,
    /// Continuation lines (an empty `Vec` costs no allocation: most values have none).
    pub more: Vec<&'a str>,
}

impl<'a> RawField<'a> {
    pub fn new(tag: &'a str, first: &'a str) -> Self {
        RawField { tag, first, more: Vec::new() }
    }

    /// The value lines: the tag line's value, then the continuation lines.
    pub fn parts(&self) -> impl Iterator<Item = &'a str> + '_ {
        std::iter::once(self.first).chain(self.more.iter().copied())
    }

    /// True when every value line is empty.
    pub fn is_empty(&self) -> bool {
        self.parts().all(str::is_empty)
    }
}

/// Splits `src` into lines at LF, CRLF or a lone CR (old Mac exports).
pub(crate) fn lines(src: &str) -> impl Iterator<Item = Line<'_>> {
    let bytes = src.as_bytes();
    let mut rest_start = 0;
    std::iter::from_fn(move || {
        let tail = bytes.get(rest_start..).filter(|t| !t.is_empty())?;
        let start = rest_start;
        let (len, next) = match memchr::memchr2(b'\r', b'\n', tail) {
            // `\r\r\n`: a CRLF file converted once more on Windows; one line break.
            Some(i) if tail[i..].starts_with(b"\r\r\n") => (i, i + 3),
            Some(i) if tail[i..].starts_with(b"\r\n") => (i, i + 2),
            Some(i) => (i, i + 1),
            None => (tail.len(), tail.len()),
        };
        rest_start = start + next;
        // Line breaks are ASCII: the cut is at a character boundary.
        let text = src.get(start..start + len).unwrap_or_default();
        let bom = if text.starts_with('\u{feff}') {
            text.len() - text.trim_start_matches('\u{feff}').len()
        } else {
            0
        };
        Some(Line { offset: start + bom, text: &text[bom..] })
    })
}

/// `s` without leading and trailing white space, as `str::trim` has it; ASCII ends (nearly
/// every line) are trimmed bytewise, others char by char. Every line of a MEDLINE or RIS
/// file goes through here (continuation lines start with six spaces).
pub(crate) fn trim(s: &str) -> &str {
    let t = s.trim_ascii();
    let plain_end = |b: Option<&u8>| b.is_none_or(u8::is_ascii_graphic);
    if plain_end(t.as_bytes().first()) && plain_end(t.as_bytes().last()) { t } else { t.trim() }
}

/// `-` then either a space and the rest of the line, or the end of the line.
fn dash_value(i: &str) -> IResult<&str, &str> {
    preceded(char('-'), alt((preceded(char(' '), rest), eof))).parse(i)
}

fn upper(c: char) -> bool {
    c.is_ascii_uppercase()
}

fn upper_or_digit(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

/// `TI  - value` (RIS): `[A-Z][A-Z0-9]`, one or two spaces, `-`, value.
fn ris_line(i: &str) -> IResult<&str, (&str, &str)> {
    let tag = recognize(pair(satisfy(upper), satisfy(upper_or_digit)));
    let pad = take_while_m_n(1, 2, |c| c == ' ');
    (tag, pad, dash_value).map(|(tag, _, value)| (tag, value)).parse(i)
}

/// `PMID- value`, `AU  - value` (MEDLINE): a letter and up to three letters or digits,
/// padding spaces, `-`, then the rest of the line (the space after the dash is checked by
/// [`medline_tag_line`]).
fn medline_line(i: &str) -> IResult<&str, (&str, &str, &str)> {
    let tag = recognize(pair(satisfy(upper), take_while_m_n(0, 3, upper_or_digit)));
    let pad = take_while_m_n(0, 3, |c| c == ' ');
    (tag, pad, preceded(char('-'), rest)).parse(i)
}

/// Reads a RIS tag line, or `None` when the line is not one (a continuation line, junk).
pub(crate) fn ris_tag_line(line: &str) -> Option<TagLine<'_>> {
    let line = line.trim_end();
    ris_line(line).ok().map(|(_, (tag, value))| TagLine { tag, value: trim(value) })
}

/// Reads a MEDLINE tag line, or `None` when the line is not one (a continuation line).
/// The space after the dash may be missing when the tag and its padding take the usual four
/// columns (`PMID-22664238`).
#[inline]
pub(crate) fn medline_tag_line(line: &str) -> Option<TagLine<'_>> {
    let line = line.trim_end();
    let (_, (tag, pad, value)) = medline_line(line).ok()?;
    let aligned = tag.len() + pad.len() == 4;
    (value.is_empty() || value.starts_with(' ') || aligned)
        .then(|| TagLine { tag, value: trim(value) })
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! ris_ok {
        ($name:ident, $input:expr, $tag:expr, $value:expr) => {
            #[test]
            fn $name() {
                assert_eq!(ris_tag_line($input), Some(TagLine { tag: $tag, value: $value }));
            }
        };
    }
    macro_rules! ris_no {
        ($name:ident, $input:expr) => {
            #[test]
            fn $name() {
                assert_eq!(ris_tag_line($input), None);
            }
        };
    }
    macro_rules! medline_ok {
        ($name:ident, $input:expr, $tag:expr, $value:expr) => {
            #[test]
            fn $name() {
                assert_eq!(medline_tag_line($input), Some(TagLine { tag: $tag, value: $value }));
            }
        };
    }
    macro_rules! medline_no {
        ($name:ident, $input:expr) => {
            #[test]
            fn $name() {
                assert_eq!(medline_tag_line($input), None);
            }
        };
    }

    ris_ok!(ris_plain, "TI  - A title", "TI", "A title");
    ris_ok!(ris_one_space, "TY - JOUR", "TY", "JOUR");
    ris_ok!(ris_er_without_space, "ER  -", "ER", "");
    ris_ok!(ris_er_with_space, "ER  - ", "ER", "");
    ris_ok!(ris_trailing_space, "TY  - JOUR ", "TY", "JOUR");
    ris_ok!(ris_digit_tag, "A1  - Doe, J", "A1", "Doe, J");
    ris_ok!(ris_value_with_dashes, "SP  - 1 - 2", "SP", "1 - 2");
    ris_ok!(ris_er_with_junk, "ER  - kmpt", "ER", "kmpt");
    ris_no!(ris_continuation, "ER then second line");
    ris_no!(ris_indented, "      * second line");
    ris_no!(ris_lowercase, "ty  - JOUR");
    ris_no!(ris_three_spaces, "TY   - JOUR");
    ris_no!(ris_no_space_after_dash, "AB  -based");
    ris_no!(ris_digit_first, "1.");
    ris_no!(ris_wos_line, "PT J");
    ris_no!(ris_empty, "");

    medline_ok!(medline_pmid, "PMID- 20481061", "PMID", "20481061");
    medline_ok!(medline_two_letters, "AU  - Long V", "AU", "Long V");
    medline_ok!(medline_three_letters, "FAU - Long, Vicky", "FAU", "Long, Vicky");
    medline_ok!(medline_empty, "CI  -", "CI", "");
    medline_no!(medline_continuation, "      girl in early twentieth-century Britain.");
    medline_ok!(medline_no_space_aligned, "PMID-22664238", "PMID", "22664238");
    medline_ok!(medline_no_space_padded, "TI  -A title", "TI", "A title");
    medline_no!(medline_prose, "Lorem ipsum - dolor");
    medline_no!(medline_hyphenated_word, "HIV-positive patients");

    #[test]
    fn trim_is_str_trim() {
        for s in [
            "",
            " ",
            "a",
            "  a b  ",
            "\u{a0}a\u{a0}",
            " \u{3000}x\u{2003} ",
            "\x0ba\x0b",
            "\ta\r",
            "é",
            " é ",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn doubled_carriage_return_is_one_break() {
        let got: Vec<&str> = lines("a\r\r\nb\r\r\n").map(|l| l.text).collect();
        assert_eq!(got, vec!["a", "b"]);
    }

    #[test]
    fn lines_split_at_every_terminator() {
        let got: Vec<(usize, &str)> =
            lines("\u{feff}a\r\nb\rc\n\nd").map(|l| (l.offset, l.text)).collect();
        assert_eq!(got, vec![(3, "a"), (6, "b"), (8, "c"), (10, ""), (11, "d")]);
    }
}
