//! Writer goldens: every `fixtures/write/bibtex/<case>.json` (a JSON array of model records)
//! is written as BibTeX to `<case>.bib`, as BibLaTeX to `<case>.biblatex.bib`, and with
//! `--ascii` to `<case>.ascii.bib`. `BLESS=1 cargo test --test write_bibtex` rewrites them;
//! read every changed line against the record before committing.

mod common;

use bibconv::{OutputFormat, Record, WriteOptions};

#[test]
fn write_fixtures() {
    let dir = common::root().join("fixtures/write/bibtex");
    let mut failures = Vec::new();
    let mut cases = 0;
    for input in common::files(&dir) {
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".json") else { continue };
        cases += 1;
        let records: Vec<Record> = serde_json::from_str(&std::fs::read_to_string(&input).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", input.display()));
        for (suffix, format, ascii) in [
            ("bib", OutputFormat::Bibtex, false),
            ("biblatex.bib", OutputFormat::Biblatex, false),
            ("ascii.bib", OutputFormat::Bibtex, true),
        ] {
            let text = bibconv::write_to_string(&records, format, &WriteOptions { ascii });
            common::golden(&dir.join(format!("{stem}.{suffix}")), &text, &mut failures);
        }
    }
    assert!(cases > 0, "no writer fixtures");
    assert!(
        failures.is_empty(),
        "{} golden(s) differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Writing what the reader read gives the same text again (BibTeX → BibTeX is stable).
#[test]
fn write_read_write_is_stable() {
    let dir = common::root().join("fixtures/write/bibtex");
    for input in common::files(&dir) {
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".json") {
            continue;
        }
        let records: Vec<Record> =
            serde_json::from_str(&std::fs::read_to_string(&input).unwrap()).unwrap();
        for format in [OutputFormat::Bibtex, OutputFormat::Biblatex] {
            let once = bibconv::write_to_string(&records, format, &WriteOptions::default());
            let parsed = bibconv::bibtex::read::parse(&once);
            assert!(parsed.diagnostics.is_empty(), "{name} {format:?}: {:?}", parsed.diagnostics);
            let twice = bibconv::write_to_string(&parsed.records, format, &WriteOptions::default());
            pretty_assertions::assert_eq!(once, twice, "{name} {format:?}");
        }
    }
}
