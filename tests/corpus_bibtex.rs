//! Every `.bib` (and `.bibtex`, `.biblatex`) file under the shared corpora
//! (`$CARGO_MANIFEST_DIR/../shared/corpora`, or `$BIBCONV_CORPORA`) is read without panic;
//! a missing folder fails the test. Where a corpus ships expected output (citation-js
//! BibTeX → CSL-JSON, Better BibTeX → Zotero JSON), field-level agreement is measured on
//! title, author family names, year, container, volume, pages and DOI. Every file is also
//! written as BibTeX and BibLaTeX (UTF-8 and `--ascii`) and read back: all records, no error;
//! files whose output changes on a second write are counted ("rewrite unstable").
//!
//! `fixtures/corpus/bibtex-pass.txt` lists the cases that agree on every compared field. A
//! listed case that regresses fails the test, and so does an unlisted case that starts to
//! pass, until the list is rewritten with `BLESS=1 cargo test --test corpus_bibtex` (the list
//! may only grow). `--nocapture` prints the per-corpus figures.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a test that reports figures

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn corpora() -> PathBuf {
    if let Some(dir) = std::env::var_os("BIBCONV_CORPORA") {
        return PathBuf::from(dir);
    }
    // The main checkout sits beside `shared/`; a worktree under `wt/` one level deeper.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let near = manifest.join("../shared/corpora");
    if near.is_dir() { near } else { manifest.join("../../shared/corpora") }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "bib" | "bibtex" | "biblatex"))
        {
            out.push(p);
        }
    }
}

fn read_text(path: &Path) -> String {
    let bytes = fs::read(path).unwrap();
    bibconv::decode(&bytes, None)
        .map(|d| d.text.into_owned())
        .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned())
}

/// Lowercase, braces dropped, dashes unified, white space collapsed.
fn norm(s: &str) -> String {
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, '{' | '}'))
        .map(|c| if matches!(c, '–' | '—' | '‐') { '-' } else { c })
        .collect::<String>()
        .to_lowercase();
    s.split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches('.').to_owned()
}

/// The compared fields of one item, each `None` when absent.
#[derive(Debug, Default)]
struct Fields {
    title: Option<String>,
    families: Option<String>,
    year: Option<String>,
    container: Option<String>,
    volume: Option<String>,
    pages: Option<String>,
    doi: Option<String>,
}

impl Fields {
    fn of_record(r: &bibconv::Record) -> Fields {
        let families: Vec<String> = r
            .author
            .iter()
            .filter_map(|p| p.full_family().or_else(|| p.literal.clone()))
            .map(|f| norm(&f))
            .collect();
        Fields {
            title: r.title.as_deref().map(norm),
            families: (!families.is_empty()).then(|| families.join("|")),
            year: r.year().map(|y| y.to_string()),
            container: r.container_title.as_deref().map(norm),
            volume: r.volume.as_deref().map(norm),
            pages: r.page.as_deref().map(norm),
            doi: r.doi.as_deref().map(norm),
        }
    }

    fn of_csl(v: &Value) -> Fields {
        let s = |k: &str| {
            v.get(k).and_then(|x| match x {
                Value::String(s) => Some(norm(s)),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
        };
        let families: Vec<String> = v
            .get("author")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|p| {
                        let fam = p.get("family").or(p.get("literal")).and_then(Value::as_str)?;
                        let part = p.get("non-dropping-particle").and_then(Value::as_str);
                        Some(norm(&match part {
                            Some(pa) => format!("{pa} {fam}"),
                            None => fam.to_owned(),
                        }))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let year = v.pointer("/issued/date-parts/0/0").and_then(|y| match y {
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) => Some(s.clone()),
            _ => None,
        });
        Fields {
            title: s("title"),
            families: (!families.is_empty()).then(|| families.join("|")),
            year,
            container: s("container-title"),
            volume: s("volume"),
            pages: s("page"),
            doi: s("DOI"),
        }
    }

    fn of_zotero(v: &Value) -> Fields {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(norm);
        let families: Vec<String> = v
            .get("creators")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter(|p| p.get("creatorType").and_then(Value::as_str) == Some("author"))
                    .filter_map(|p| {
                        p.get("lastName").or(p.get("name")).and_then(Value::as_str).map(norm)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let year = v.get("date").and_then(Value::as_str).and_then(|d| {
            let digits: String = d
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(char::is_ascii_digit)
                .collect();
            (digits.len() == 4).then_some(digits)
        });
        let container = [
            "publicationTitle",
            "bookTitle",
            "proceedingsTitle",
            "websiteTitle",
            "blogTitle",
            "encyclopediaTitle",
            "dictionaryTitle",
        ]
        .iter()
        .find_map(|k| s(k));
        Fields {
            title: s("title"),
            families: (!families.is_empty()).then(|| families.join("|")),
            year,
            container,
            volume: s("volume"),
            pages: s("pages"),
            doi: s("DOI"),
        }
    }

    /// (fields compared, fields equal): a field counts when the expectation has it.
    fn agreement(expected: &Fields, got: &Fields) -> (usize, usize) {
        let pairs = [
            (&expected.title, &got.title),
            (&expected.families, &got.families),
            (&expected.year, &got.year),
            (&expected.container, &got.container),
            (&expected.volume, &got.volume),
            (&expected.pages, &got.pages),
            (&expected.doi, &got.doi),
        ];
        let mut compared = 0;
        let mut equal = 0;
        for (e, g) in pairs {
            if let Some(e) = e {
                compared += 1;
                if Some(e) == g.as_ref() {
                    equal += 1;
                }
            }
        }
        (compared, equal)
    }
}

#[derive(Default)]
struct Tally {
    files: usize,
    records: usize,
    errors: usize,
    warnings: usize,
    cases: usize,
    cases_passing: usize,
    compared: usize,
    equal: usize,
    /// Files whose BibTeX/BibLaTeX output changes when written, read and written again.
    unstable: usize,
}

#[test]
fn corpus_bibtex() {
    let root = corpora();
    assert!(root.is_dir(), "corpora folder missing: {} (set BIBCONV_CORPORA)", root.display());
    let mut files = Vec::new();
    walk(&root, &mut files);
    assert!(!files.is_empty(), "no .bib files under {}", root.display());

    let mut tallies: std::collections::BTreeMap<String, Tally> = Default::default();
    let mut passing = BTreeSet::new();

    for path in &files {
        let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let corpus = rel.split('/').next().unwrap_or("").to_owned();
        let text = read_text(path);
        let parsed = bibconv::bibtex::read::parse(&text);
        let t = tallies.entry(corpus.clone()).or_default();
        t.files += 1;
        t.records += parsed.records.len();
        t.errors +=
            parsed.diagnostics.iter().filter(|d| d.severity == bibconv::Severity::Error).count();
        t.warnings +=
            parsed.diagnostics.iter().filter(|d| d.severity == bibconv::Severity::Warning).count();

        // Our own output reads back whole (every record, no error), and writing what was read
        // back gives the same text.
        for format in [bibconv::OutputFormat::Bibtex, bibconv::OutputFormat::Biblatex] {
            for ascii in [false, true] {
                let options = bibconv::WriteOptions { ascii };
                let written = bibconv::write_to_string(&parsed.records, format, &options);
                let again = bibconv::bibtex::read::parse(&written);
                let errors: Vec<_> = again
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == bibconv::Severity::Error)
                    .collect();
                assert!(errors.is_empty(), "{rel} → {format:?} (ascii {ascii}): {errors:?}");
                assert_eq!(
                    again.records.len(),
                    parsed.records.len(),
                    "{rel} → {format:?} (ascii {ascii})"
                );
                let rewritten = bibconv::write_to_string(&again.records, format, &options);
                if rewritten != written {
                    t.unstable += 1;
                    if std::env::var_os("CORPUS_DEBUG").is_some() {
                        for (a, b) in
                            written.lines().zip(rewritten.lines()).filter(|(a, b)| a != b).take(2)
                        {
                            eprintln!("{rel} {format:?} {ascii}:\n  - {a}\n  + {b}");
                        }
                    }
                }
            }
        }

        // Better BibTeX: `X.bib` with `X.json` (Zotero items, in entry order).
        if corpus == "zotero-better-bibtex" {
            let json = path.with_extension("json");
            if let Ok(j) = fs::read_to_string(&json)
                && let Ok(v) = serde_json::from_str::<Value>(&j)
                && let Some(items) = v.get("items").and_then(Value::as_array)
            {
                // Zotero's items are not in entry order: pair each with its best-agreeing record.
                let expected: Vec<Fields> = items.iter().map(Fields::of_zotero).collect();
                let got: Vec<bibconv::Record> = expected
                    .iter()
                    .filter_map(|e| {
                        parsed
                            .records
                            .iter()
                            .max_by_key(|r| Fields::agreement(e, &Fields::of_record(r)).1)
                            .cloned()
                    })
                    .collect();
                if parsed.records.len() == expected.len() {
                    score(&rel, &expected, &got, t, &mut passing);
                } else {
                    score(&rel, &expected, &[], t, &mut passing);
                }
            }
        }
    }

    // citation-js: `input.json` names the input file of each test and its CSL-JSON.
    let cjs = root.join("citation-js/bibtex");
    let input: Value =
        serde_json::from_str(&fs::read_to_string(cjs.join("input.json")).unwrap()).unwrap();
    let t = tallies.entry("citation-js (BibTeX→CSL)".to_owned()).or_default();
    if let Some(tests) = input.get("@biblatex/text").and_then(Value::as_object) {
        for (name, case) in tests {
            let text = match case.get(0) {
                Some(Value::String(inline)) => inline.clone(),
                _ => {
                    let file =
                        cjs.join("input").join(format!("{}.bib", name.trim_start_matches("with ")));
                    if !file.is_file() {
                        continue;
                    }
                    read_text(&file)
                }
            };
            let expected: Vec<Fields> = case
                .get(1)
                .and_then(Value::as_array)
                .map(|a| a.iter().map(Fields::of_csl).collect())
                .unwrap_or_default();
            let parsed = bibconv::bibtex::read::parse(&text);
            score(&format!("citation-js: {name}"), &expected, &parsed.records, t, &mut passing);
        }
    }
    // citation-js mapping files: entry i of `<t>-input.bib` ↔ item i of `<t>-csl.json`.
    for dialect in ["bibtex", "biblatex"] {
        let text = read_text(&cjs.join(format!("mapping/{dialect}-input.bib")));
        let csl: Value = serde_json::from_str(
            &fs::read_to_string(cjs.join(format!("mapping/{dialect}-csl.json"))).unwrap(),
        )
        .unwrap();
        let expected: Vec<Fields> =
            csl.as_array().map(|a| a.iter().map(Fields::of_csl).collect()).unwrap_or_default();
        let parsed = bibconv::bibtex::read::parse(&text);
        for (i, (e, r)) in expected.iter().zip(&parsed.records).enumerate() {
            score(
                &format!("citation-js mapping {dialect} #{i}"),
                std::slice::from_ref(e),
                std::slice::from_ref(r),
                t,
                &mut passing,
            );
        }
    }

    let mut report = String::from(
        "corpus | files | records | errors | warnings | rewrite unstable | cases passing | fields agreeing\n",
    );
    for (name, t) in &tallies {
        report.push_str(&format!(
            "{name} | {} | {} | {} | {} | {} | {}/{} | {}/{} ({:.1}%)\n",
            t.files,
            t.records,
            t.errors,
            t.warnings,
            t.unstable,
            t.cases_passing,
            t.cases,
            t.equal,
            t.compared,
            if t.compared == 0 { 0.0 } else { 100.0 * t.equal as f64 / t.compared as f64 }
        ));
    }
    println!("{report}");

    let list_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus/bibtex-pass.txt");
    if std::env::var_os("BLESS").is_some() {
        let mut text = String::from(
            "# Cases that agree with the expected output on every compared field (tests/corpus_bibtex.rs).\n",
        );
        for p in &passing {
            text.push_str(p);
            text.push('\n');
        }
        fs::write(&list_path, text).unwrap();
        return;
    }
    let listed: BTreeSet<String> = fs::read_to_string(&list_path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_owned)
        .collect();
    let regressed: Vec<&String> = listed.difference(&passing).collect();
    let new: Vec<&String> = passing.difference(&listed).collect();
    assert!(regressed.is_empty(), "listed cases no longer agree:\n{regressed:#?}\n\n{report}");
    assert!(new.is_empty(), "cases now agree; add them with BLESS=1:\n{new:#?}");
}

fn score(
    name: &str,
    expected: &[Fields],
    records: &[bibconv::Record],
    t: &mut Tally,
    passing: &mut BTreeSet<String>,
) {
    if expected.is_empty() {
        return;
    }
    t.cases += 1;
    let mut all = records.len() == expected.len();
    for (i, e) in expected.iter().enumerate() {
        let got = records.get(i).map(Fields::of_record).unwrap_or_default();
        let (c, eq) = Fields::agreement(e, &got);
        t.compared += c;
        t.equal += eq;
        all &= c == eq;
        if c != eq && std::env::var_os("CORPUS_DEBUG").is_some() {
            eprintln!("{name} #{i}:\n  expected {e:?}\n  got      {got:?}");
        }
    }
    if all {
        t.cases_passing += 1;
        passing.insert(name.to_owned());
    }
}
