//! Helpers the CNKI and BVS page readers share: lines with their byte offsets, and a
//! guess at the language of a title or abstract from its script.

use crate::model::is_han;

/// One line of the input, without its line ending, and the byte offset where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    /// Byte offset of the line's first character in the input.
    pub offset: usize,
    /// The line without `\n` / `\r\n`, untrimmed.
    pub text: &'a str,
}

impl<'a> Line<'a> {
    /// The line trimmed of white space, including no-break and ideographic spaces.
    pub fn trimmed(&self) -> &'a str {
        self.text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
    }
}

/// The input's lines with their offsets; `\r\n` and `\n` both end a line.
pub(crate) fn lines(src: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in src.split_inclusive('\n') {
        let text = raw.strip_suffix('\n').unwrap_or(raw);
        let text = text.strip_suffix('\r').unwrap_or(text);
        out.push(Line { offset, text });
        offset += raw.len();
    }
    out
}

/// The language a text is written in, guessed from its script: `zh` when Han characters
/// make up a fair share of its letters, `en` when it is written in basic Latin letters only,
/// `None` otherwise (accented Latin could be Spanish, Portuguese, French…: we do not guess).
///
/// Only used where a page states no language (the CNKI-style page): the title says which
/// language the record is in far more often than not.
pub(crate) fn guess_language(text: &str) -> Option<&'static str> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 0 {
        return None;
    }
    let han = text.chars().filter(|c| is_han(*c)).count();
    if han * 5 >= letters {
        return Some("zh");
    }
    let latin_only = text.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_ascii_alphabetic());
    latin_only.then_some("en")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_offsets() {
        let src = "ab\r\n作者\nc";
        let l = lines(src);
        assert_eq!(l.len(), 3);
        assert_eq!((l[0].offset, l[0].text), (0, "ab"));
        assert_eq!((l[1].offset, l[1].text), (4, "作者"));
        assert_eq!((l[2].offset, l[2].text), (11, "c"));
        assert!(lines("").is_empty());
    }

    #[test]
    fn guesses_language_from_script() {
        assert_eq!(guess_language("基于分级诊疗的研究"), Some("zh"));
        assert_eq!(guess_language("Enacting localist health policy"), Some("en"));
        assert_eq!(guess_language("Atenção primária à saúde"), None);
        assert_eq!(guess_language("2021"), None);
        assert_eq!(guess_language("COVID-19疫情下的基层医疗"), Some("zh"));
    }
}
