//! The RIS and MEDLINE files of the peer corpora (`../shared/corpora/`, or the folder named
//! by `BIBCONV_CORPORA`) are read without panic, and where a project ships its expected
//! output the field-level agreement is measured:
//!
//! - JabRef: `ris/X.ris` → `X.bib` and `medline-nbib/X.{txt,nbib}` → `X.bib`;
//! - citation-js: `ris/ris-import/X.ris` → `X.expected.csl.json`;
//! - pandoc: `command/X.input.ris` → `X.expected.json` (CSL-JSON; read, never copied).
//!
//! Compared fields: title, authors' family names, year, volume, issue, pages, DOI, each
//! only where the expected output has it. A case passes when every compared field of every
//! record agrees and the record counts match. `fixtures/corpus/ris_nbib_PASSING` lists the
//! passing cases; the test fails when a listed case regresses or an unlisted one passes
//! (then add it: the list may only grow). `BLESS=1` rewrites the list.
//!
//! The figures are printed with `cargo test --test corpus_ris_nbib -- --nocapture`.
#![allow(clippy::print_stderr)]

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use bibconv::model::{collapse_ws, expand_medline_pages};
use bibconv::{InputFormat, Record, Severity};

/// The corpus folder; the test fails when it is missing.
fn corpora() -> PathBuf {
    let dir = std::env::var_os("BIBCONV_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::root().join("../shared/corpora"));
    assert!(
        dir.is_dir(),
        "corpus folder {} is missing (set BIBCONV_CORPORA to the corpora folder)",
        dir.display()
    );
    dir
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for d in common::dirs(dir) {
        walk(&d, out);
    }
    out.extend(common::files(dir));
}

/// The format a corpus file is in, by name: `.ris`, `.nbib`, and the `.txt` files of a
/// MEDLINE folder.
fn format_of(path: &Path) -> Option<InputFormat> {
    let name = path.file_name()?.to_str()?;
    let parent = path.parent()?.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".ris") {
        Some(InputFormat::Ris)
    } else if name.ends_with(".nbib")
        || (name.ends_with(".txt") && (parent.contains("medline") || parent.contains("nbib")))
    {
        Some(InputFormat::Nbib)
    } else {
        None
    }
}

/// The fields compared, as normalised text.
type Fields = BTreeMap<&'static str, String>;

fn norm(s: &str) -> String {
    let s: String = s.chars().filter(|c| !matches!(c, '{' | '}')).collect();
    collapse_ws(&s).trim_end_matches('.').to_lowercase()
}

fn norm_pages(s: &str) -> String {
    norm(&expand_medline_pages(&s.replace("--", "-")))
}

fn ours(rec: &Record) -> Fields {
    let mut f = Fields::new();
    let mut put = |k, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            f.insert(k, v);
        }
    };
    put("title", rec.title.as_deref().map(norm));
    let families: Vec<String> = rec
        .author
        .iter()
        .filter_map(|p| p.full_family().or_else(|| p.literal.clone()))
        .map(|s| norm(&s))
        .collect();
    put("authors", Some(families.join("; ")));
    put("year", rec.year().map(|y| y.to_string()));
    put("volume", rec.volume.as_deref().map(norm));
    put("issue", rec.issue.as_deref().map(norm));
    put("pages", rec.page.as_deref().map(norm_pages));
    put("doi", rec.doi.as_deref().map(norm));
    f
}

/// A small BibTeX field reader for the expected files (`name = {…}`, `"…"` or a bare word).
fn bibtex_entries(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut entries = Vec::new();
    for chunk in text.split('@').skip(1) {
        let Some((_, body)) = chunk.split_once(['{', '(']) else { continue };
        let Some((_, mut rest)) = body.split_once(',') else { continue };
        let mut fields = BTreeMap::new();
        while let Some((name, after)) = rest.split_once('=') {
            let name = name.trim().trim_start_matches(',').trim().to_lowercase();
            let after = after.trim_start();
            let (value, tail) = if let Some(inner) = after.strip_prefix('{') {
                let mut depth = 1;
                let mut end = inner.len();
                for (i, c) in inner.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = i;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                (&inner[..end], inner.get(end + 1..).unwrap_or(""))
            } else if let Some(inner) = after.strip_prefix('"') {
                let end = inner.find('"').unwrap_or(inner.len());
                (&inner[..end], inner.get(end + 1..).unwrap_or(""))
            } else {
                let end = after.find([',', '}', '\n']).unwrap_or(after.len());
                (&after[..end], &after[end..])
            };
            fields.insert(name, value.trim().to_owned());
            rest = tail;
        }
        entries.push(fields);
    }
    entries
}

fn bibtex_expected(entry: &BTreeMap<String, String>) -> Fields {
    let mut f = Fields::new();
    let get = |k: &str| entry.get(k).filter(|v| !v.is_empty());
    if let Some(t) = get("title") {
        f.insert("title", norm(t));
    }
    if let Some(a) = get("author") {
        let families: Vec<String> = a
            .split(" and ")
            .map(|name| {
                let name = name.trim();
                match name.split_once(',') {
                    Some((family, _)) => norm(family),
                    None => norm(name.rsplit(' ').next().unwrap_or(name)),
                }
            })
            .collect();
        f.insert("authors", families.join("; "));
    }
    if let Some(y) = get("year") {
        f.insert("year", norm(y));
    }
    if let Some(v) = get("volume") {
        f.insert("volume", norm(v));
    }
    if let Some(i) = get("issue").or_else(|| get("number")) {
        f.insert("issue", norm(i));
    }
    if let Some(p) = get("pages") {
        f.insert("pages", norm_pages(p));
    }
    if let Some(d) = get("doi") {
        f.insert("doi", norm(d));
    }
    f
}

fn csl_expected(item: &serde_json::Value) -> Fields {
    let mut f = Fields::new();
    let text = |k: &str| match item.get(k)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    if let Some(t) = text("title") {
        f.insert("title", norm(&t));
    }
    if let Some(authors) = item.get("author").and_then(|a| a.as_array()) {
        let families: Vec<String> = authors
            .iter()
            .filter_map(|a| a.get("family").or_else(|| a.get("literal"))?.as_str())
            .map(norm)
            .collect();
        f.insert("authors", families.join("; "));
    }
    if let Some(y) = item.pointer("/issued/date-parts/0/0") {
        f.insert("year", y.to_string().trim_matches('"').to_owned());
    }
    for (ours, theirs) in [("volume", "volume"), ("issue", "issue"), ("doi", "DOI")] {
        if let Some(v) = text(theirs) {
            f.insert(ours, norm(&v));
        }
    }
    if let Some(p) = text("page") {
        f.insert("pages", norm_pages(&p));
    }
    f
}

/// Counts for one corpus source.
#[derive(Default)]
struct Tally {
    files: usize,
    records: usize,
    errors: usize,
    warnings: usize,
    cases: usize,
    cases_passed: usize,
    fields: usize,
    fields_agreed: usize,
}

fn read(path: &Path, format: InputFormat) -> bibconv::Parsed {
    let bytes = std::fs::read(path).unwrap();
    let text = bibconv::decode(&bytes, None).map(|d| d.text.into_owned()).unwrap_or_default();
    bibconv::read(&text, format).unwrap_or_default()
}

/// Compares records with the expected fields; returns whether the case passes and adds the
/// field counts to `tally`.
fn compare(records: &[Record], expected: &[Fields], tally: &mut Tally, log: &mut String) -> bool {
    let mut pass = records.len() == expected.len();
    if !pass {
        let _ = writeln!(log, "  records: ours {} expected {}", records.len(), expected.len());
    }
    for (rec, exp) in records.iter().zip(expected) {
        let got = ours(rec);
        for (k, v) in exp {
            tally.fields += 1;
            if got.get(k) == Some(v) {
                tally.fields_agreed += 1;
            } else {
                pass = false;
                let _ = writeln!(log, "  {k}: ours {:?} expected {v:?}", got.get(k));
            }
        }
    }
    pass
}

#[test]
fn corpus_ris_nbib() {
    let root = corpora();
    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut passing = Vec::new();
    let mut log = String::new();
    for path in &files {
        let Some(format) = format_of(path) else { continue };
        let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let source = rel.split('/').next().unwrap_or_default().to_owned();
        let tally = tallies.entry(source.clone()).or_default();
        let parsed = read(path, format);
        tally.files += 1;
        tally.records += parsed.records.len();
        tally.errors += parsed.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        tally.warnings +=
            parsed.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();

        let stem = rel.rsplit_once('.').map_or(rel.as_str(), |(s, _)| s).to_owned();
        let expected: Option<Vec<Fields>> = if source == "jabref" {
            let bib = path.with_extension("bib");
            bib.is_file().then(|| {
                let text = std::fs::read_to_string(&bib).unwrap_or_default();
                bibtex_entries(&text).iter().map(bibtex_expected).collect()
            })
        } else if source == "citation-js" || source == "pandoc" {
            let json = [".expected.csl.json", ".expected.json"]
                .iter()
                .map(|ext| root.join(format!("{}{ext}", stem.trim_end_matches(".input"))))
                .find(|p| p.is_file())
                .unwrap_or_default();
            json.is_file().then(|| {
                let text = std::fs::read_to_string(&json).unwrap_or_default();
                let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                value.as_array().map(|a| a.iter().map(csl_expected).collect()).unwrap_or_default()
            })
        } else {
            None
        };
        if let Some(expected) = expected {
            tally.cases += 1;
            let mut case_log = String::new();
            if compare(&parsed.records, &expected, tally, &mut case_log) {
                tally.cases_passed += 1;
                passing.push(stem);
            } else {
                let _ = write!(log, "{stem}:\n{case_log}");
            }
        }
    }

    let mut figures = String::new();
    for (source, t) in &tallies {
        let _ = writeln!(
            figures,
            "{source}: {} files, {} records, {} errors, {} warnings; expected outputs: \
             {}/{} cases pass, {}/{} fields agree",
            t.files,
            t.records,
            t.errors,
            t.warnings,
            t.cases_passed,
            t.cases,
            t.fields_agreed,
            t.fields
        );
    }
    eprintln!("{figures}\n{log}");
    assert!(tallies.values().map(|t| t.files).sum::<usize>() > 0, "no RIS or nbib files found");

    let list_path = common::root().join("fixtures/corpus/ris_nbib_PASSING");
    passing.sort();
    if std::env::var_os("BLESS").is_some() {
        let header = "# RIS and MEDLINE corpus cases whose expected output agrees field by field \
                      (tests/corpus_ris_nbib.rs).\n# This list may only grow; regenerate with \
                      BLESS=1 after checking the newly passing cases.\n";
        std::fs::write(&list_path, header.to_owned() + &passing.join("\n") + "\n").unwrap();
        return;
    }
    let listed: Vec<String> = std::fs::read_to_string(&list_path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    let regressed: Vec<&String> = listed.iter().filter(|c| !passing.contains(c)).collect();
    let new: Vec<&String> = passing.iter().filter(|c| !listed.contains(c)).collect();
    assert!(regressed.is_empty(), "listed cases no longer pass: {regressed:?}\n{log}");
    assert!(new.is_empty(), "cases now pass; add them to {}: {new:?}", list_path.display());
}
