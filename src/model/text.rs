//! Whitespace clean-up shared by every reader.

/// True for the characters copied pages use as spaces: ASCII white space, no-break space,
/// the Unicode space separators, the ideographic space and zero-width characters.
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// Collapses every run of white space (including no-break and ideographic spaces) to one
/// ASCII space and trims both ends.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if is_space(c) {
            pending = !out.is_empty();
        } else {
            if pending {
                out.push(' ');
                pending = false;
            }
            out.push(c);
        }
    }
    out
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
        assert!(is_blank(" \u{a0}\t"));
        assert!(!is_blank(" x"));
    }
}
