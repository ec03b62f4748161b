//! Round trips: model records written in a format and read back keep every field that
//! format carries. `carried(format)` declares those fields once per format; a field outside
//! the set may be moved (to a note) but what is listed must come back equal.

use bibconv::{InputFormat, OutputFormat, Record, WriteOptions};
use serde_json::Value;

/// The model fields (in their serialized names) every format carries both ways.
const COMMON: &[&str] = &[
    "type",
    "title",
    "author",
    "editor",
    "container-title",
    "volume",
    "issue",
    "page",
    "issued",
    "DOI",
    "ISSN",
    "ISBN",
    "URL",
    "abstract",
    "keyword",
    "publisher",
    "publisher-place",
    "edition",
];

/// The model fields each format carries both ways: [`COMMON`] plus or minus its own.
fn carried(format: OutputFormat) -> Vec<&'static str> {
    let (more, less): (&[&str], &[&str]) = match format {
        OutputFormat::CslJson => (&["container-title-short", "PMID", "language", "genre"], &[]),
        OutputFormat::Ris => (&["container-title-short", "PMID", "language"], &[]),
        OutputFormat::Bibtex => (&[], &[]),
        // biblatex's data model has no `publisher` on @article: the writer keeps it in
        // `annotation` (reported as moved), so it does not come back as a field.
        OutputFormat::Biblatex => (&[], &["publisher"]),
    };
    COMMON.iter().chain(more).copied().filter(|f| !less.contains(f)).collect()
}

fn input_for(format: OutputFormat) -> InputFormat {
    match format {
        OutputFormat::Bibtex => InputFormat::Bibtex,
        OutputFormat::Biblatex => InputFormat::Biblatex,
        OutputFormat::Ris => InputFormat::Ris,
        OutputFormat::CslJson => InputFormat::CslJson,
    }
}

/// Names compared as `family`/`given`/`literal` with particles folded into the family,
/// since formats differ in where they keep a particle.
fn normalise(field: &str, v: &Value) -> Value {
    if !matches!(field, "author" | "editor") {
        return v.clone();
    }
    let people = v.as_array().cloned().unwrap_or_default();
    Value::Array(
        people
            .iter()
            .map(|p| {
                let get = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
                let family = [get("dropping-particle"), get("particle"), get("family")]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                serde_json::json!({"family": family, "given": get("given"), "literal": get("literal")})
            })
            .collect(),
    )
}

#[test]
fn every_format_keeps_what_it_carries() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/roundtrip/records.json");
    let records: Vec<Record> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut failures = Vec::new();
    for format in
        [OutputFormat::CslJson, OutputFormat::Ris, OutputFormat::Bibtex, OutputFormat::Biblatex]
    {
        let text = bibconv::write_to_string(&records, format, &WriteOptions::default());
        let back = match bibconv::read(&text, input_for(format)) {
            Ok(parsed) => parsed.records,
            Err(e) => {
                failures.push(format!("{format:?}: cannot read own output: {e}"));
                continue;
            }
        };
        if back.len() != records.len() {
            failures.push(format!("{format:?}: {} records back of {}", back.len(), records.len()));
            continue;
        }
        for (i, (a, b)) in records.iter().zip(&back).enumerate() {
            let (a, b) = (serde_json::to_value(a).unwrap(), serde_json::to_value(b).unwrap());
            for field in &carried(format) {
                let (x, y) = (normalise(field, &a[field]), normalise(field, &b[field]));
                if x != y {
                    failures
                        .push(format!("{format:?} record {i} `{field}`: wrote {x}, read back {y}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
