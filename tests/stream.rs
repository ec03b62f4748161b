//! Streaming through the binary: an input larger than a chunk, cut at record boundaries and
//! parsed in pieces, converts exactly as the library converts the whole text at once, with
//! the same diagnostics at the same `file:line:column`.

mod common;

use std::process::Command;

use bibconv::stream::CHUNK_SIZE;
use bibconv::{InputFormat, LineIndex, OutputFormat, Severity, WriteOptions};

fn tempdir(name: &str) -> common::ScratchDir {
    common::ScratchDir::new("stream", name)
}

/// A RIS record; `n` varies its content. Every 997th record carries a line that is no tag
/// line, and CRLF line ends are mixed in, so diagnostics land in later chunks too.
fn ris_record(n: usize) -> String {
    let odd = if n % 997 == 5 { "this line is not a tag line\n" } else { "" };
    let eol = if n.is_multiple_of(3) { "\r\n" } else { "\n" };
    format!(
        "TY  - JOUR{eol}AU  - Müller{n}, Jörg{eol}AU  - 王, 伟{eol}TI  - Record {n}: R&D at 50% in São Paulo{eol}\
         {odd}T2  - Journal of Health Services Research & Policy{eol}PY  - {}{eol}VL  - {}{eol}\
         SP  - 12{eol}EP  - 19{eol}DO  - 10.1000/x{n}{eol}AB  - {}{eol}KW  - primary care{eol}ER  - {eol}{eol}",
        1990 + n % 30,
        n % 50,
        "Clinical commissioning groups were established in England in 2013. ".repeat(8),
    )
}

/// A MEDLINE record, with an odd line every 997th record.
fn medline_record(n: usize) -> String {
    let odd = if n % 997 == 5 { "??? not a field\n" } else { "" };
    format!(
        "PMID- {}\nOWN - NLM\nDP  - {} Mar\nTI  - Record {n}: primary care in Zürich\n{odd}\
         PG  - 123-9\nAB  - {}\n      continued abstract line.\nFAU - Dvořák, Jan\nAU  - Dvořák J\n\
         LA  - eng\nPT  - Journal Article\nJT  - Health Policy\nAID - 10.1000/m{n} [doi]\n\n",
        10_000_000 + n,
        1990 + n % 30,
        "Interviews were analysed thematically across eight sites. ".repeat(8),
    )
}

/// Records `record(0)`, `record(1)`, … until the text is longer than `len`.
fn records_beyond(len: usize, record: fn(usize) -> String) -> String {
    let mut text = String::with_capacity(len + 4096);
    let mut n = 0;
    while text.len() <= len {
        text.push_str(&record(n));
        n += 1;
    }
    text
}

/// Runs the binary on `text` written to a file and checks output and diagnostics against
/// the library's whole-text conversion.
fn streams_like_whole_text(name: &str, format: InputFormat, text: &str) {
    assert!(text.len() > 2 * CHUNK_SIZE, "the input must span several chunks");
    if format == InputFormat::Bibtex {
        assert!(text.len() > 4 << 20, "a .bib text must span several pieces");
    }
    let dir = tempdir(name);
    let input = dir.join(format!("{name}.txt"));
    std::fs::write(&input, text).unwrap();
    let output = dir.join("out.bib");

    let run = Command::new(env!("CARGO_BIN_EXE_bibconv"))
        .arg(&input)
        .args(["--to", "bibtex", "-o"])
        .arg(&output)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);

    let parsed = bibconv::read(text, format).unwrap();
    let expected =
        bibconv::write_to_string(&parsed.records, OutputFormat::Bibtex, &WriteOptions::default());
    let streamed = std::fs::read_to_string(&output).unwrap();
    assert!(streamed == expected, "streamed output differs from the whole-text conversion");

    let index = LineIndex::new(text);
    let expected_messages: Vec<String> = parsed
        .diagnostics
        .iter()
        .map(|d| {
            let level = if d.severity == Severity::Error { "error" } else { "warning" };
            format!("{}:{}: {level}: {}", input.display(), index.locate(text, d.offset), d.message)
        })
        .collect();
    let messages: Vec<&str> = stderr.lines().filter(|l| !l.starts_with("bibconv:")).collect();
    assert_eq!(messages, expected_messages);
    let summary = format!("converted {} records from 1 file", parsed.records.len());
    assert!(stderr.contains(&summary), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}

/// A CSL-JSON array of items, one of them (every 997th) not an object.
fn csl_json(len: usize) -> String {
    let mut text = String::from("[\n");
    let mut n = 0;
    while text.len() <= len {
        if n > 0 {
            text.push_str(",\n");
        }
        if n % 997 == 5 {
            text.push_str("  \"not an item\"");
        } else {
            text.push_str(&format!(
                "  {{\n    \"id\": \"item{n}\",\n    \"type\": \"article-journal\",\n    \
                 \"title\": \"Record {n}: [R&D] {{50%}} \\\"quoted\\\"\",\n    \
                 \"author\": [{{\"family\": \"Dvořák\", \"given\": \"Jan\"}}],\n    \
                 \"issued\": {{\"date-parts\": [[{}]]}},\n    \"abstract\": \"{}\"\n  }}",
                1990 + n % 30,
                "Interviews were analysed thematically across eight sites. ".repeat(8),
            ));
        }
        n += 1;
    }
    text.push_str("\n]\n");
    text
}

/// A `.bib` text with a `@string` header; every 997th entry uses an undefined macro.
fn bibtex(len: usize) -> String {
    let mut text = String::from("@string{hsr = \"Health Serv Res\"}\n\n");
    let mut n = 0;
    while text.len() <= len {
        let journal = if n % 997 == 5 { "undefinedmacro" } else { "hsr" };
        text.push_str(&format!(
            "@article{{key{n},\n  author = {{M{{\\\"u}}ller, J and {{World Health Organization}}}},\n  \
             title = {{On {{HIV}} and R\\&D, part {n}}},\n  journal = {journal},\n  year = {},\n  \
             abstract = {{{}}}\n}}\n\n",
            1990 + n % 30,
            "Interviews were analysed thematically across eight sites. ".repeat(8),
        ));
        n += 1;
    }
    text
}

#[test]
fn bibtex_in_pieces_converts_like_whole_text() {
    streams_like_whole_text("bib", InputFormat::Bibtex, &bibtex(5 << 20));
}

#[test]
fn csl_json_streams_like_whole_text() {
    streams_like_whole_text("csl", InputFormat::CslJson, &csl_json(5 * CHUNK_SIZE / 2));
}

#[test]
fn ris_streams_like_whole_text() {
    let text = records_beyond(5 * CHUNK_SIZE / 2, ris_record);
    streams_like_whole_text("ris", InputFormat::Ris, &text);
}

#[test]
fn medline_streams_like_whole_text() {
    let text = records_beyond(5 * CHUNK_SIZE / 2, medline_record);
    streams_like_whole_text("nbib", InputFormat::Nbib, &text);
}
