//! Whitespace clean-up shared by every reader.

/// True for the characters copied pages use as spaces: ASCII white space, no-break space,
/// the Unicode space separators, the ideographic space and zero-width characters.
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// Collapses every run of white space (including no-break and ideographic spaces) to one
/// ASCII space and trims both ends.
pub fn collapse_ws(s: &str) -> String {
    if is_collapsed(s) {
        return s.to_owned();
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
    out
}

/// True when `s` has no white space but single ASCII spaces between other characters (most
/// fields): checked byte by byte, decoding only the characters that can be spaces.
fn is_collapsed(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut after_space = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let len = match b {
            b' ' if after_space => return false,
            b' ' => {
                after_space = true;
                i += 1;
                continue;
            }
            b'\t'..=b'\r' => return false,
            0..0x80 => 1,
            // Lead bytes of U+0085, U+00A0, U+1680, U+2000–U+2060, U+3000 and U+FEFF.
            0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF => {
                let Some(c) = s.get(i..).and_then(|t| t.chars().next()) else { return false };
                if is_space(c) {
                    return false;
                }
                c.len_utf8()
            }
            0xF0.. => 4,
            0xE0.. => 3,
            _ => 2,
        };
        after_space = false;
        i += len;
    }
    !after_space || bytes.is_empty()
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
        assert!(is_blank(" \u{a0}\t"));
        assert!(!is_blank(" x"));
    }
}
