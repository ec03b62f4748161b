//! Readers for text copied from web pages: one module per page layout. Each exposes
//! `matches(&str) -> bool` (a cheap look for the layout's markers) and
//! `parse(&str) -> Parsed`.

pub mod bvs;
pub mod cnki;
pub mod emerald;
pub mod eprints;

use crate::InputFormat;

/// The page layouts, in the order detection tries them.
type Matcher = fn(&str) -> bool;

const LAYOUTS: &[(InputFormat, Matcher)] = &[
    (InputFormat::Cnki, cnki::matches),
    (InputFormat::Bvs, bvs::matches),
    (InputFormat::Eprints, eprints::matches),
    (InputFormat::Emerald, emerald::matches),
];

/// The page layout `src` was copied from, if any.
pub fn detect(src: &str) -> Option<InputFormat> {
    LAYOUTS.iter().find(|(_, matches)| matches(src)).map(|(format, _)| *format)
}
mod labels;

// Helpers shared by the page readers (appended by the EPrints/Emerald readers).

/// One line of a copied page: its text without the line ending and without the white space
/// (no-break and zero-width spaces too) around it, and the byte offset where the line
/// starts, for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageLine<'a> {
    /// The trimmed text.
    pub text: &'a str,
    /// Byte offset of the line's start in the page.
    pub offset: usize,
}

/// White space as copied pages have it: ASCII and Unicode spaces, zero-width characters.
pub(crate) fn is_page_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// The page's lines (split by [`labels::lines`]), trimmed, with the offsets of their starts.
pub(crate) fn page_lines(src: &str) -> Vec<PageLine<'_>> {
    labels::lines(src)
        .into_iter()
        .map(|l| PageLine { text: l.text.trim_matches(is_page_space), offset: l.offset })
        .collect()
}

/// For text ending in `)`, the byte index of the `(` that opens that last group (nested
/// groups balanced); `None` when the text does not end in `)` or the group never opens.
pub(crate) fn matching_open(s: &str) -> Option<usize> {
    if !s.ends_with(')') {
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in s.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A list of inverted names as citation lines print them: `Family, Given, Family, Given`
/// (Kent), `Family, G., Family, G. and Family, G.` (EPrints default, Emerald), with an
/// optional Oxford comma or `&` before the last name. Names pair up as family and given;
/// a part that cannot pair (an organisation) is read on its own.
pub(crate) fn inverted_name_list(s: &str) -> Vec<crate::Person> {
    let s = crate::model::collapse_ws(s);
    let s = s.trim().trim_end_matches([',', ';']).trim();
    // UCL Discovery: `Shepperd, S; Iliffe, S; Doll, HA;`, one name between semicolons.
    if s.contains(';') {
        return s
            .split(';')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| match n.split_once(", ") {
                Some(_) => crate::Person::parse_inverted(n),
                None => crate::Person::parse(n),
            })
            .collect();
    }
    let mut groups: Vec<Vec<&str>> = Vec::new();
    for group in s.split(" and ").flat_map(|g| g.split(" & ")) {
        let tokens: Vec<&str> = group.split(',').map(str::trim).filter(|t| !t.is_empty()).collect();
        if !tokens.is_empty() {
            groups.push(tokens);
        }
    }
    let mut people = Vec::new();
    if groups.iter().all(|g| g.len().is_multiple_of(2)) {
        let tokens: Vec<&str> = groups.concat();
        for pair in tokens.chunks(2) {
            if let [family, given] = pair {
                people.push(crate::Person::parse_inverted(&format!("{family}, {given}")));
            }
        }
        return people;
    }
    // An odd group: pair what pairs, read a lone token as a whole name.
    for group in groups {
        let mut chunks = group.chunks_exact(2);
        for pair in chunks.by_ref() {
            if let [family, given] = pair {
                people.push(crate::Person::parse_inverted(&format!("{family}, {given}")));
            }
        }
        if let [lone] = chunks.remainder() {
            people.push(crate::Person::parse(lone));
        }
    }
    people
}

#[cfg(test)]
mod helper_tests {
    use super::*;
    use crate::Person;

    fn names(s: &str) -> Vec<String> {
        inverted_name_list(s).iter().filter_map(Person::display_inverted).collect()
    }

    #[test]
    fn name_lists() {
        assert_eq!(names("Checkland, Kath, Coleman, Anna"), ["Checkland, Kath", "Coleman, Anna"]);
        assert_eq!(
            names("Storey, J., Holti, R., Hartley, J. and Marshall, M."),
            ["Storey, J.", "Holti, R.", "Hartley, J.", "Marshall, M."]
        );
        assert_eq!(names("Smith, J., and Jones, A."), ["Smith, J.", "Jones, A."]);
        assert_eq!(names("van der Berg, Jan & Smith, A."), ["van der Berg, Jan", "Smith, A."]);
        assert_eq!(names("World Health Organization"), ["World Health Organization"]);
        assert_eq!(names(""), Vec::<String>::new());
        assert_eq!(
            names("Shepperd, S; Iliffe, S; Doll, HA; Gonçalves-Bradley, DC;"),
            ["Shepperd, S", "Iliffe, S", "Doll, HA", "Gonçalves-Bradley, DC"]
        );
    }

    #[test]
    fn lines_and_parens() {
        let lines = page_lines("a\r\n\u{a0} b \nc");
        let got: Vec<(&str, usize)> = lines.iter().map(|l| (l.text, l.offset)).collect();
        assert_eq!(got, [("a", 0), ("b", 3), ("c", 9)]);
        assert_eq!(matching_open("x (a (b)) (c)"), Some(10));
        assert_eq!(matching_open("x (a (b))"), Some(2));
        assert_eq!(matching_open("x a)"), None);
        assert_eq!(matching_open("x"), None);
    }
}

#[cfg(test)]
/// The CNKI-style and BVS readers on random text and on random pages built from both
/// layouts' labels and line shapes: `matches` and `parse` never panic.
mod page_properties {
    use proptest::prelude::*;

    use super::{bvs, cnki};

    type Reader = (fn(&str) -> bool, fn(&str) -> crate::Parsed);
    const READERS: &[Reader] = &[(cnki::matches, cnki::parse), (bvs::matches, bvs::parse)];

    /// Pieces of both layouts' lines, so random pages reach the deeper code paths.
    const PIECES: &[&str] = &[
        "\n",
        " ",
        ":",
        "：",
        ";",
        "；",
        ",",
        ".",
        "(",
        ")",
        "[",
        "]",
        "[1 ]",
        "[J]",
        "[M]",
        "//",
        "•",
        "|",
        "作者",
        "机构",
        "摘要",
        "相关论文",
        "D O I",
        "被引:3",
        "页码:4 / 5",
        "2021年14卷06期",
        "欧阳志远",
        "Checkland, Kath",
        "1.",
        "12.",
        " ; ",
        "45(Suppl 1): i54-i62, 2023 12 21.",
        "Article in English | MEDLINE | ID: mdl-1",
        "ABSTRACT",
        "Subject(s)",
        " , ",
        "s.n",
        "2020",
        "e728-34",
        "é",
        "\u{a0}",
        "10.1177/x",
        "São Paulo; s.n; 2021. 156 p.",
    ];

    fn page() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_text(s in "\\PC*") {
            for (matches, parse) in READERS {
                let _ = matches(&s);
                let _ = parse(&s);
            }
        }

        #[test]
        fn never_panics_on_page_like_text(s in page()) {
            for (matches, parse) in READERS {
                let _ = matches(&s);
                let _ = parse(&s);
            }
        }
    }
}

/// The EPrints and Emerald readers on their seeds: every seed line placed, the other seeds and
/// the other layout's pages not taken, partial copies and random text never a panic.
#[cfg(test)]
mod seed_tests {
    use super::{emerald, eprints};
    use crate::Parsed;

    struct Layout {
        seed: &'static str,
        other_fixtures: &'static str,
        matches: fn(&str) -> bool,
        parse: fn(&str) -> Parsed,
    }

    const SEEDS: &[&str] = &[
        "000_03074430344a2eb4",
        "001_324412edea90c2cb",
        "002_fc63fb150162b550",
        "003_52230baad5f3f45f",
    ];

    const LAYOUTS: &[Layout] = &[
        Layout {
            seed: "002_fc63fb150162b550",
            other_fixtures: "fixtures/read/emerald",
            matches: eprints::matches,
            parse: eprints::parse,
        },
        Layout {
            seed: "003_52230baad5f3f45f",
            other_fixtures: "fixtures/read/eprints",
            matches: emerald::matches,
            parse: emerald::parse,
        },
    ];

    fn read(path: &str) -> String {
        std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).expect("file")
    }

    /// Every line of the seed is placed or known chrome: no warnings.
    #[test]
    fn seed_places_every_line() {
        for l in LAYOUTS {
            let parsed = (l.parse)(&read(&format!("seeds/{}.txt", l.seed)));
            assert_eq!(parsed.diagnostics, [], "{}", l.seed);
        }
    }

    /// The other layouts' seeds are not taken for this one; its own is.
    #[test]
    fn other_seeds_do_not_match() {
        for l in LAYOUTS {
            for stem in SEEDS {
                let text = read(&format!("seeds/{stem}.txt"));
                assert_eq!((l.matches)(&text), *stem == l.seed, "{} on {stem}", l.seed);
            }
        }
    }

    /// The other page layout's fixture pages are not taken for this one.
    #[test]
    fn other_layout_fixtures_do_not_match() {
        for l in LAYOUTS {
            let dir = format!("{}/{}", env!("CARGO_MANIFEST_DIR"), l.other_fixtures);
            let mut seen = 0;
            for entry in std::fs::read_dir(dir).expect("fixture dir") {
                let path = entry.expect("entry").path();
                if path.extension().is_some_and(|e| e == "txt") {
                    seen += 1;
                    let text = std::fs::read_to_string(&path).expect("fixture");
                    assert!(!(l.matches)(&text), "{}", path.display());
                }
            }
            assert!(seen >= 3);
        }
    }

    /// Partial copies never panic: the seed cut at every character, and with each line
    /// left out.
    #[test]
    fn partial_copies_do_not_panic() {
        for l in LAYOUTS {
            let src = read(&format!("seeds/{}.txt", l.seed));
            for (i, _) in src.char_indices() {
                let _ = (l.parse)(&src[..i]);
                let _ = (l.parse)(&src[i..]);
            }
            let lines: Vec<&str> = src.lines().collect();
            for skip in 0..lines.len() {
                let text: Vec<&str> =
                    lines.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, l)| *l).collect();
                let _ = (l.parse)(&text.join("\n"));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_does_not_panic(s in "\\PC*") {
            for l in LAYOUTS {
                let _ = (l.parse)(&s);
            }
        }

        #[test]
        fn labelled_lines_do_not_panic(lines in proptest::collection::vec(
            "(Item Type|URI|Citation|Abstract|ISSN|Publication date|In|Vol\\.)?[:(), .\"a-z0-9]{0,30}",
            0..12,
        )) {
            for l in LAYOUTS {
                let _ = (l.parse)(&lines.join("\n"));
            }
        }
    }
}
