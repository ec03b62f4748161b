//! Properties: no reader panics on arbitrary text, and for every format bibconv both reads
//! and writes, writing is idempotent: `write(read(write(r))) == write(r)`.

use bibconv::{Date, InputFormat, Kind, OutputFormat, Person, Record, WriteOptions};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn readers_never_panic(text in "\\PC*") {
        for format in InputFormat::ALL {
            let _ = bibconv::read(&text, *format);
        }
        let _ = bibconv::detect(&text);
    }

    #[test]
    fn readers_never_panic_on_line_soup(lines in prop::collection::vec(line(), 0..40)) {
        let text = lines.join("\n");
        for format in InputFormat::ALL {
            let _ = bibconv::read(&text, *format);
        }
    }

    #[test]
    fn writing_is_idempotent(records in prop::collection::vec(record(), 1..4)) {
        let opts = WriteOptions::default();
        for (out, input) in [
            (OutputFormat::Ris, InputFormat::Ris),
            (OutputFormat::CslJson, InputFormat::CslJson),
            (OutputFormat::Bibtex, InputFormat::Bibtex),
            (OutputFormat::Biblatex, InputFormat::Biblatex),
        ] {
            let first = bibconv::write_to_string(&records, out, &opts);
            let parsed = bibconv::read(&first, input).expect("own output reads");
            prop_assert_eq!(parsed.records.len(), records.len(), "{:?}\n{}", out, first);
            let second = bibconv::write_to_string(&parsed.records, out, &opts);
            prop_assert_eq!(&first, &second, "{:?}", out);
        }
    }
}

/// Lines that look like the formats' own syntax, to reach deeper into the readers.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        "(TY|AU|TI|PY|DA|ER|KW|SP|EP|DO)  - \\PC{0,20}",
        "(PMID|FAU |AU  |TI  |DP  |PG  |AD  )- \\PC{0,20}",
        "      \\PC{0,20}",
        "@(article|book|string|comment)\\{\\PC{0,20}",
        "\\PC{0,10}(=|#|\\{|\\}|\"|,)\\PC{0,10}",
        "(作者|机构|摘要|关键词|D O I|相关论文|页码:|Subject\\(s\\)|ABSTRACT|Item Type:|Citation|Abstract)",
        "[0-9]{1,3}\\.",
        "  • \\[[0-9]\\] \\PC{0,20}",
        "\\[J\\]\\. [A-Z ]{1,20}, [0-9]{4}, [0-9]{1,3} \\([0-9]{2}\\) : [0-9]{1,3} - [0-9]{1,3}",
        "[A-Za-z ]{1,20} ; [0-9]{1,3}\\([0-9]\\): [0-9]{1,3}-[0-9]{1,3}, [0-9]{4}\\.",
        "\\PC{0,30}",
    ]
}

/// Text with the characters formats care about: LaTeX specials, quotes, non-ASCII letters.
fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9 éüßçøł中文&%$#_{}~^\"'.,:;()/-]{1,30}".prop_map(|s| {
        let s = bibconv::model::collapse_ws(&s);
        if s.is_empty() { "x".to_owned() } else { s }
    })
}

fn person() -> impl Strategy<Value = Person> {
    ("[A-Z][a-z]{1,10}", "[A-Z][a-z]{0,8}").prop_map(|(f, g)| Person::from_parts(&f, &g))
}

fn record() -> impl Strategy<Value = Record> {
    (
        prop::sample::select(vec![
            Kind::ArticleJournal,
            Kind::Book,
            Kind::Chapter,
            Kind::Thesis,
            Kind::Report,
        ]),
        text(),
        prop::collection::vec(person(), 0..3),
        prop::option::of(text()),
        prop::option::of((1900i32..2030, prop::option::of(1u8..=12))),
        prop::option::of("[0-9]{1,3}"),
        prop::option::of("[0-9]{1,4}-[0-9]{1,4}"),
        prop::option::of("10\\.[0-9]{4}/[a-z0-9.]{0,10}[a-z0-9]"),
        prop::collection::vec("[a-z]{2,10}", 0..3),
    )
        .prop_map(|(kind, title, author, container, date, volume, page, doi, keyword)| {
            Record {
                kind,
                title: Some(title),
                author,
                container_title: container,
                issued: date.map(|(y, m)| Date::ymd(y, m, None)),
                volume,
                page,
                doi,
                keyword,
                ..Record::default()
            }
        })
}
