//! Every `fixtures/read/<format>/<case>.<ext>` is detected as `<format>` (the directory
//! name, a `--from` name), read, and its records, as pretty JSON, must equal
//! `<case>.expected.json`. Expected files are written by hand or, after reading a diff,
//! accepted with `BLESS=1 cargo test --test read` and then checked field by field.

mod common;

use bibconv::InputFormat;

fn format_named(name: &str) -> InputFormat {
    *InputFormat::ALL
        .iter()
        .chain([InputFormat::Biblatex].iter())
        .find(|f| f.name() == name)
        .unwrap_or_else(|| panic!("fixtures/read/{name}: not a format name"))
}

#[test]
fn read_fixtures() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for dir in common::dirs(&common::root().join("fixtures/read")) {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let format = format_named(&name);
        for input in common::files(&dir) {
            let file = input.file_name().unwrap().to_string_lossy().into_owned();
            if file.ends_with(".expected.json") || file.starts_with('.') || file.ends_with(".md") {
                continue;
            }
            cases += 1;
            let bytes = std::fs::read(&input).unwrap();
            let text = bibconv::decode(&bytes, None).unwrap().text.into_owned();
            let detected = bibconv::detect(&text);
            let same = detected == Some(format)
                || (format == InputFormat::Biblatex && detected == Some(InputFormat::Bibtex));
            if !same {
                failures.push(format!("{}: detected as {detected:?}", input.display()));
            }
            let actual = match bibconv::read(&text, format) {
                Ok(parsed) => common::to_pretty_json(&parsed.records),
                Err(e) => format!("ERROR: {e}\n"),
            };
            let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
            common::golden(&dir.join(format!("{stem}.expected.json")), &actual, &mut failures);
        }
    }
    assert!(cases > 0 || std::env::var_os("BLESS").is_some(), "no fixtures found");
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
