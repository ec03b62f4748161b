//! The CSL-JSON in `../shared/corpora/` (or `$BIBCONV_CORPORA`): every file is read without
//! panic, and CSL-JSON → model → CSL-JSON keeps title, authors, issued, container-title,
//! volume, page and DOI of every item (field agreement).
//!
//! Sources: citeproc's 900 CSL test-suite inputs (`citeproc-csl-json/`), citation-js's
//! CSL-JSON files and the CSL-JSON inside its `bibtex/input.json` and `bibtex/output.json`
//! (`citation-js/`), and pandoc's `*.expected.json` CSL-JSON outputs (`pandoc/`).
//!
//! A case (a file, or one test inside a citation-js `.json` index) agrees when every item
//! agrees on every compared field. `fixtures/corpus/csl-<source>.pass` lists the cases that
//! agree; the list may only grow: a listed case that stops agreeing fails the test, and so
//! does an unlisted case that starts agreeing, until it is added (`BLESS=1` rewrites the
//! lists; check the diff only adds lines).
//!
//! Figures: `cargo test --test corpus_csl -- --nocapture`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use bibconv::{InputFormat, OutputFormat, WriteOptions};
use serde_json::Value;

/// The compared fields.
const FIELDS: &[&str] = &["title", "author", "issued", "container-title", "volume", "page", "DOI"];

fn corpora() -> PathBuf {
    let dir = std::env::var_os("BIBCONV_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::root().join("../shared/corpora"));
    assert!(dir.is_dir(), "corpus folder {} is missing (set BIBCONV_CORPORA)", dir.display());
    dir
}

/// Every file under `dir`, recursively, sorted.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = common::files(dir);
    for sub in common::dirs(dir) {
        out.extend(walk(&sub));
    }
    out.sort();
    out
}

/// One CSL-JSON text to read, named for the pass list.
struct Case {
    name: String,
    text: String,
}

fn cases(root: &Path, source: &str) -> Vec<Case> {
    let dir = root.join(source);
    assert!(dir.is_dir(), "{} is missing", dir.display());
    let mut out = Vec::new();
    for path in walk(&dir) {
        let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = || std::fs::read_to_string(&path).unwrap();
        match source {
            "citeproc-csl-json" if file.ends_with(".json") => {
                out.push(Case { name: rel, text: text() });
            }
            "pandoc" if file.ends_with(".expected.json") => {
                out.push(Case { name: rel, text: text() });
            }
            "citation-js" if file.ends_with(".csl.json") || file.ends_with("-csl.json") => {
                out.push(Case { name: rel, text: text() });
            }
            // `{format: {test: [input, expected CSL-JSON]}}`.
            "citation-js" if file == "input.json" => {
                out.extend(embedded(&rel, &text(), 1));
            }
            // `{format: {test: [CSL-JSON input, expected, options]}}`.
            "citation-js" if file == "output.json" => {
                out.extend(embedded(&rel, &text(), 0));
            }
            _ => {}
        }
    }
    out
}

/// The CSL-JSON at position `index` of each test of a citation-js test index.
fn embedded(rel: &str, text: &str, index: usize) -> Vec<Case> {
    let index_json: Value = serde_json::from_str(text).unwrap();
    let mut out = Vec::new();
    for (format, tests) in index_json.as_object().into_iter().flatten() {
        for (test, spec) in tests.as_object().into_iter().flatten() {
            let Some(csl) = spec.get(index) else { continue };
            if csl.is_array() || csl.is_object() {
                let name = format!("{rel}#{format}/{test}");
                out.push(Case { name, text: csl.to_string() });
            }
        }
    }
    out
}

/// Folds a CSL name the way the writer does (particles into family and given, suffix into
/// given), so that input and output compare.
fn name_key(v: &Value) -> String {
    let get = |k: &str| match v.get(k) {
        Some(Value::String(s)) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    if let Value::String(s) = v {
        return s.clone();
    }
    let lit = get("literal");
    if !lit.is_empty() {
        return lit;
    }
    // citeproc-js's `isInstitution`: the family name is the whole name (we write `literal`).
    let institution = v.get("isInstitution").is_some_and(|i| !matches!(i, Value::Bool(false)));
    if institution && get("given").is_empty() {
        return get("family");
    }
    let mut family = get("family");
    let ndp = get("non-dropping-particle");
    if !ndp.is_empty() {
        let sep = if ndp.ends_with(['\'', '’']) { "" } else { " " };
        family = format!("{ndp}{sep}{family}");
    }
    let mut given = get("given");
    let dp = get("dropping-particle");
    if !dp.is_empty() {
        given = [given.as_str(), dp.as_str()].join(" ").trim().to_owned();
    }
    let suffix = get("suffix");
    if !suffix.is_empty() {
        given = format!("{given}, {suffix}");
    }
    format!("{family} | {given}")
}

/// A date as comparable text: its parts (numbers, month 13–16 and 21–24 read as seasons),
/// season, circa and literal. `None` when there is nothing to compare or the input gives
/// the date only as text for a processor to parse (`raw`, EDTF strings).
fn date_key(v: &Value) -> Option<String> {
    let v = match v {
        Value::Array(list) => list.first()?,
        v => v,
    };
    let obj = v.as_object()?;
    let no_parts = obj
        .get("date-parts")
        .and_then(Value::as_array)
        .is_none_or(|p| p.iter().all(|d| d.as_array().is_none_or(Vec::is_empty)));
    if obj.contains_key("raw") && no_parts {
        return None;
    }
    let num = |p: &Value| match p {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    let mut season = obj.get("season").and_then(|s| match s {
        Value::String(s) => match s.to_lowercase().as_str() {
            "spring" | "1" => Some(1),
            "summer" | "2" => Some(2),
            "autumn" | "fall" | "3" => Some(3),
            "winter" | "4" => Some(4),
            _ => None,
        },
        v => num(v),
    });
    let mut parts: Vec<Vec<i64>> = Vec::new();
    for p in obj.get("date-parts").and_then(Value::as_array).into_iter().flatten() {
        let mut nums: Vec<i64> = p.as_array().into_iter().flatten().map_while(num).collect();
        if let Some(&m) = nums.get(1)
            && (13..=16).contains(&m) | (21..=24).contains(&m)
        {
            season = Some(if m > 20 { m - 20 } else { m - 12 });
            nums.truncate(1);
        }
        if !nums.is_empty() {
            parts.push(nums);
        }
    }
    if parts.len() == 2 && parts[0] == parts[1] {
        parts.pop();
    }
    let circa = obj.get("circa").is_some_and(|c| !matches!(c, Value::Bool(false) | Value::Null));
    let literal = obj.get("literal").and_then(Value::as_str).map(str::trim);
    if parts.is_empty() && season.is_none() && literal.is_none_or(str::is_empty) {
        return None;
    }
    Some(format!("{parts:?} season={season:?} circa={circa} literal={literal:?}"))
}

fn text_key(v: &Value) -> String {
    match v {
        Value::String(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// Compares one field of an input item with the written item: `None` when the input does
/// not give the field or gives it in a form that is not compared (see [`date_key`]).
fn agrees(field: &str, input: &Value, output: &Value) -> Option<bool> {
    let a = input.get(field).filter(|v| !v.is_null())?;
    let b = output.get(field);
    Some(match field {
        "author" => {
            let names = |v: Option<&Value>| -> Vec<String> {
                let names = v.and_then(Value::as_array).into_iter().flatten();
                // An empty name object (`{}`) is no name.
                names.map(name_key).filter(|n| n != " | ").collect()
            };
            names(Some(a)) == names(b)
        }
        "issued" => {
            let key = date_key(a)?;
            b.and_then(date_key) == Some(key)
        }
        // DOIs are written without resolver (GUIDE §3): compare without it.
        "DOI" => b.map(|b| doi_key(&text_key(b))) == Some(doi_key(&text_key(a))),
        _ => b.map(text_key) == Some(text_key(a)),
    })
}

fn doi_key(doi: &str) -> String {
    let lower = doi.trim().to_lowercase();
    let prefixes = [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ];
    let stripped = prefixes.iter().find_map(|p| lower.strip_prefix(p)).unwrap_or(&lower);
    stripped.trim().to_owned()
}

/// What one corpus source gave.
#[derive(Default)]
struct Tally {
    files: usize,
    items: usize,
    errors: usize,
    warnings: usize,
    parse_failures: Vec<String>,
    compared: usize,
    agreeing: usize,
    by_field: Vec<(usize, usize)>,
    passing: BTreeSet<String>,
    disagreements: Vec<String>,
}

fn run(root: &Path, source: &str) -> Tally {
    let mut t = Tally { by_field: vec![(0, 0); FIELDS.len()], ..Tally::default() };
    for case in cases(root, source) {
        t.files += 1;
        let read = std::panic::catch_unwind(|| bibconv::read(&case.text, InputFormat::CslJson));
        let parsed = match read {
            Ok(Ok(parsed)) => parsed,
            Ok(Err(e)) => {
                t.parse_failures.push(format!("{}: {e}", case.name));
                continue;
            }
            Err(_) => panic!("{}: the reader panicked", case.name),
        };
        t.items += parsed.records.len();
        t.errors +=
            parsed.diagnostics.iter().filter(|d| d.severity == bibconv::Severity::Error).count();
        t.warnings += parsed.diagnostics.len()
            - parsed.diagnostics.iter().filter(|d| d.severity == bibconv::Severity::Error).count();

        // Field agreement, item by item, between the input and what we write.
        let input: Value = serde_json::from_str(&case.text).unwrap();
        let input_items: Vec<&Value> = match &input {
            Value::Array(list) => list.iter().filter(|v| v.is_object()).collect(),
            Value::Object(map) => match map.get("items").or(map.get("references")) {
                Some(Value::Array(list)) if !map.contains_key("type") => list.iter().collect(),
                _ => vec![&input],
            },
            _ => Vec::new(),
        };
        let written = bibconv::write_to_string(
            &parsed.records,
            OutputFormat::CslJson,
            &WriteOptions::default(),
        );
        let output: Vec<Value> = serde_json::from_str(&written)
            .unwrap_or_else(|e| panic!("{}: our output is not JSON: {e}", case.name));
        let mut ok = input_items.len() == output.len();
        if !ok {
            t.disagreements.push(format!(
                "{}: {} items in, {} out",
                case.name,
                input_items.len(),
                output.len()
            ));
        }
        for (a, b) in input_items.iter().zip(&output) {
            for (i, field) in FIELDS.iter().enumerate() {
                let Some(same) = agrees(field, a, b) else { continue };
                t.compared += 1;
                t.by_field[i].0 += 1;
                if same {
                    t.agreeing += 1;
                    t.by_field[i].1 += 1;
                } else {
                    ok = false;
                    t.disagreements.push(format!(
                        "{}: {field}: {} → {}",
                        case.name,
                        a.get(*field).map(Value::to_string).unwrap_or_default(),
                        b.get(*field).map(Value::to_string).unwrap_or_default()
                    ));
                }
            }
        }
        if ok {
            t.passing.insert(case.name);
        }
    }
    t
}

fn pass_list(source: &str) -> PathBuf {
    let short = match source {
        "citeproc-csl-json" => "citeproc",
        other => other,
    };
    common::root().join(format!("fixtures/corpus/csl-{short}.pass"))
}

#[test]
#[allow(clippy::print_stderr)] // the figures are the point of running it with --nocapture
fn corpus_csl_json() {
    let root = corpora();
    let mut failures = Vec::new();
    for source in ["citeproc-csl-json", "citation-js", "pandoc"] {
        let t = run(&root, source);
        eprintln!(
            "{source}: {} files, {} items, {} errors, {} warnings, {} unreadable; field agreement {}/{} ({} of {} cases agree fully)",
            t.files,
            t.items,
            t.errors,
            t.warnings,
            t.parse_failures.len(),
            t.agreeing,
            t.compared,
            t.passing.len(),
            t.files,
        );
        for (field, (n, ok)) in FIELDS.iter().zip(&t.by_field) {
            eprintln!("  {field:16} {ok}/{n}");
        }
        for d in t.disagreements.iter().take(40) {
            eprintln!("  differs: {d}");
        }
        assert!(t.files > 0, "{source}: no CSL-JSON found");
        failures.extend(t.parse_failures.iter().cloned());

        let path = pass_list(source);
        if std::env::var_os("BLESS").is_some() {
            let mut text: String = t.passing.iter().map(|c| format!("{c}\n")).collect();
            if text.is_empty() {
                text.push('\n');
            }
            std::fs::write(&path, text).unwrap();
            continue;
        }
        let listed: BTreeSet<String> = std::fs::read_to_string(&path)
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect();
        for case in listed.difference(&t.passing) {
            failures.push(format!("{source}: {case} is in the pass list but no longer agrees"));
        }
        for case in t.passing.difference(&listed) {
            failures.push(format!("{source}: {case} agrees now; add it to {}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{} problem(s):\n{}", failures.len(), failures.join("\n"));
}
