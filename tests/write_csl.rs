//! CSL-JSON writer: goldens, round trip and properties.
//!
//! - Every `fixtures/write/csl-json/<case>.json` (records in the model's own JSON form) is
//!   written as CSL-JSON and must equal `<case>.csl.json` (`BLESS=1` rewrites it; then read
//!   it field by field against the model).
//! - Writing is idempotent through the reader: `write(read(write(r))) == write(r)` for the
//!   writer fixtures and for every CSL-JSON reader fixture.
//! - The reader never panics, on any text and on any JSON item; write→read→write is
//!   idempotent for any JSON item.

mod common;

use std::path::Path;

use bibconv::{InputFormat, OutputFormat, Record, WriteOptions, write_to_string};
use proptest::prelude::*;
use serde_json::Value;

fn write(records: &[Record]) -> String {
    write_to_string(records, OutputFormat::CslJson, &WriteOptions::default())
}

fn read(text: &str) -> Vec<Record> {
    bibconv::read(text, InputFormat::CslJson).expect("our own output reads").records
}

/// The writer fixtures: (path, records).
fn writer_cases() -> Vec<(std::path::PathBuf, Vec<Record>)> {
    let dir = common::root().join("fixtures/write/csl-json");
    common::files(&dir)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".json") && !name.ends_with(".csl.json")
        })
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let records: Vec<Record> = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not model records: {e}", p.display()));
            (p, records)
        })
        .collect()
}

#[test]
fn writer_goldens() {
    let cases = writer_cases();
    assert!(!cases.is_empty(), "no writer fixtures");
    let mut failures = Vec::new();
    for (path, records) in cases {
        let out = write(&records);
        let parsed: Vec<Value> = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{}: output is not JSON: {e}\n{out}", path.display()));
        assert_eq!(parsed.len(), records.len(), "{}", path.display());
        let golden = path.with_extension("csl.json");
        common::golden(&golden, &out, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} golden(s) differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn output_is_zotero_shaped() {
    for (path, records) in writer_cases() {
        let out: Vec<Value> = serde_json::from_str(&write(&records)).unwrap();
        for item in out {
            let kind = item["type"].as_str().unwrap();
            assert!(bibconv::Kind::from_csl(kind).is_some(), "{}: type {kind}", path.display());
            assert!(item["id"].is_string());
            for (key, value) in item.as_object().unwrap() {
                if ["author", "editor", "translator", "container-author", "collection-editor"]
                    .contains(&key.as_str())
                {
                    for name in value.as_array().unwrap() {
                        let obj = name.as_object().unwrap();
                        assert!(
                            obj.keys()
                                .all(|k| ["family", "given", "literal"].contains(&k.as_str()))
                        );
                    }
                }
                if ["issued", "accessed", "original-date", "available-date", "event-date"]
                    .contains(&key.as_str())
                {
                    assert!(value.is_object(), "{}: {key} is not an object", path.display());
                }
            }
            if let Some(pmid) = item.get("PMID") {
                let line = format!("PMID: {}", pmid.as_str().unwrap());
                assert!(item["note"].as_str().unwrap().lines().any(|l| l == line));
            }
            if let Some(short) = item.get("container-title-short") {
                assert_eq!(item.get("journalAbbreviation"), Some(short));
            }
        }
    }
}

#[test]
fn losses_are_reported() {
    let (_, records) = writer_cases()
        .into_iter()
        .find(|(p, _)| p.ends_with("article.json"))
        .expect("article fixture");
    let mut writer = bibconv::Writer::new(Vec::new(), OutputFormat::CslJson, Default::default());
    let losses = writer.write_records(&records).unwrap();
    let messages: Vec<&str> = losses.iter().map(|l| l.message.as_str()).collect();
    assert!(messages.contains(&"affiliations written to note"), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("funding")), "{messages:?}");
}

fn assert_idempotent(origin: &Path, records: &[Record]) {
    let first = write(records);
    let again = write(&read(&first));
    pretty_assertions::assert_eq!(
        first,
        again,
        "{}: write(read(write(r))) != write(r)",
        origin.display()
    );
}

#[test]
fn round_trip_is_idempotent_on_fixtures() {
    for (path, records) in writer_cases() {
        assert_idempotent(&path, &records);
    }
    // Every reader's expected records (all formats, and the seeds), as models.
    let mut goldens = Vec::new();
    for dir in common::dirs(&common::root().join("fixtures/read")) {
        goldens.extend(common::files(&dir));
    }
    goldens.extend(common::files(&common::root().join("fixtures/seeds")));
    let mut n = 0;
    for path in goldens {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".expected.json") && !name.ends_with(".related.json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(records) = serde_json::from_str::<Vec<Record>>(&text) else { continue };
        assert_idempotent(&path, &records);
        n += 1;
    }
    // And the CSL-JSON reader fixtures read afresh.
    let dir = common::root().join("fixtures/read/csl-json");
    for path in common::files(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".json") || name.ends_with(".expected.json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_idempotent(&path, &read(&text));
        n += 1;
    }
    assert!(n >= 12, "only {n} fixtures");
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        "[0-9]{1,4}".prop_map(Value::from),
        "(19|20)[0-9]{2}(-[01][0-9](-[0-3][0-9])?)?[~?]?".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(key(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// CSL variable names and name/date part names, plus anything.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "id",
            "type",
            "title",
            "author",
            "editor",
            "director",
            "issued",
            "accessed",
            "submitted",
            "date-parts",
            "season",
            "circa",
            "literal",
            "raw",
            "family",
            "given",
            "non-dropping-particle",
            "dropping-particle",
            "suffix",
            "parse-names",
            "affiliation",
            "isInstitution",
            "volume",
            "page",
            "DOI",
            "ISBN",
            "ISSN",
            "PMID",
            "PMCID",
            "keyword",
            "note",
            "journalAbbreviation",
            "container-title-short",
            "shortTitle",
            "title-short",
            "event",
            "event-title",
            "categories",
            "language",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z_-]{1,8}",
    ]
}

/// An item object built mostly from CSL keys, with arbitrary values.
fn item() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(key(), json_value(), 0..8)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

proptest! {
    #[test]
    fn reader_never_panics_on_text(s in "\\PC{0,200}") {
        let _ = bibconv::read(&s, InputFormat::CslJson);
    }

    #[test]
    fn reader_never_panics_on_json(v in json_value()) {
        let _ = bibconv::read(&v.to_string(), InputFormat::CslJson);
        let _ = bibconv::read(&Value::from(vec![v]).to_string(), InputFormat::CslJson);
    }

    #[test]
    fn write_read_write_is_idempotent(items in prop::collection::vec(item(), 1..3)) {
        let text = Value::from(items).to_string();
        let records = read(&text);
        let first = write(&records);
        let again = write(&read(&first));
        prop_assert_eq!(first, again);
    }
}
