//! Encodings: each test file decodes to the right text, in the right encoding.
//! Inputs: `fixtures/encoding/` (JabRef's encoding tests, MIT) and, read in place, the
//! GB18030 file of rbibutils' suite in `../shared/corpora` (GPL: not copied).

use std::path::{Path, PathBuf};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/encoding").join(name))
        .unwrap()
}

fn corpora() -> PathBuf {
    std::env::var_os("BIBCONV_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"))
}

fn decoded(bytes: &[u8]) -> (String, &'static str) {
    let d = bibconv::decode(bytes, None).unwrap();
    (d.text.into_owned(), d.encoding)
}

#[test]
fn jabref_encoding_cases() {
    let cases: &[(&str, &str, &str)] = &[
        ("encoding-us-ascii-with-header.bib", "UTF-8", "title = {testtitle}"),
        ("encoding-utf-8-with-header.bib", "UTF-8", "Ü ist ein Umlaut"),
        ("encoding-utf-8-without-header.bib", "UTF-8", "Ü ist ein Umlaut"),
        ("encoding-utf-8-with-header-with-databasetypecomment.bib", "UTF-8", "Ü ist ein Umlaut"),
        ("encoding-utf-8-without-header-with-databasetypecomment.bib", "UTF-8", "Ü ist ein Umlaut"),
        ("encoding-utf-16BE-with-header.bib", "UTF-16BE", "\r  title = {Ü ist ein Umlaut},\r"),
        ("encoding-utf-16BE-without-header.bib", "UTF-16BE", "title = {Ü ist ein Umlaut}"),
        ("encoding-windows-1252-with-header.bib", "windows-1252", "abstract = {25° C}"),
        ("encoding-windows-1252-without-header.bib", "windows-1252", "abstract = {25° C}"),
        (
            "encoding-windows-1252-but-utf-8-declared--decoding-fails.bib",
            "windows-1252",
            "Test\u{a0}I. Last",
        ),
    ];
    for (name, encoding, needle) in cases {
        let (text, enc) = decoded(&fixture(name));
        assert_eq!(enc, *encoding, "{name}");
        assert!(text.contains(needle), "{name}: {text:?}");
        assert!(!text.starts_with('\u{feff}'), "{name}: BOM kept");
    }
}

#[test]
fn utf16_with_and_without_bom_decode_alike() {
    let texts: Vec<(String, &str)> =
        ["tiny-LE-withBOM.bib", "tiny-LE-noBOM.bib", "tiny-BE-withBOM.bib", "tiny-BE-noBOM.bib"]
            .iter()
            .map(|n| decoded(&fixture(n)))
            .collect();
    assert_eq!(
        texts.iter().map(|t| t.1).collect::<Vec<_>>(),
        ["UTF-16LE", "UTF-16LE", "UTF-16BE", "UTF-16BE"]
    );
    for (text, _) in &texts {
        assert!(text.contains("@STRING{ACM-ad = {New York, NY, USA}}"), "{text:?}");
        // The header line differs (LE/BE); the records are the same.
        assert_eq!(text.split_once('\n').unwrap().1, texts[0].0.split_once('\n').unwrap().1);
    }
}

#[test]
fn gb18030_chinese_export_decodes_like_its_utf8_twin() {
    let dir = corpora().join("rbibutils/bibtex");
    let gb = std::fs::read(dir.join("xeCJK_gb18030.bib")).expect("shared corpora present");
    let utf8 = std::fs::read_to_string(dir.join("xeCJK_utf8.bib")).unwrap();
    let (text, enc) = decoded(&gb);
    assert_eq!(enc, "gb18030");
    assert_eq!(text, utf8);
    assert!(text.contains("陈骁 and 黄声华"));
}

#[test]
fn explicit_encoding_overrides_detection() {
    let bytes = fixture("encoding-windows-1252-without-header.bib");
    let d = bibconv::decode(&bytes, Some("latin1")).unwrap();
    assert!(d.text.contains("25° C"));
    assert!(bibconv::decode(&bytes, Some("utf-8")).is_err());
    assert!(bibconv::decode(b"x", Some("klingon")).is_err());
}
