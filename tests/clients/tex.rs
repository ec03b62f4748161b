//! LaTeX judges: pdflatex + bibtex (plain, unsrt, plainnat) and pdflatex + biblatex + biber,
//! and `biber --tool --validate-datamodel`; parsing their logs into errors and warnings, and
//! deciding which warnings are fair (a field the record truly lacks).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use bibconv::Record;

use crate::tools::{self, Clients};

/// What one compile found.
#[derive(Debug, Default)]
pub struct Verdict {
    /// Entries in the .bbl.
    pub entries: usize,
    /// Hard errors: LaTeX `!` errors, bibtex/biber errors, missing entries.
    pub errors: Vec<String>,
    /// Warnings a record's missing field explains.
    pub fair_warnings: Vec<String>,
    /// Warnings nothing in the record explains.
    pub unfair_warnings: Vec<String>,
    /// Characters no LaTeX escape exists for (CJK, …), declared as a placeholder glyph.
    pub tolerated_chars: BTreeSet<char>,
}

impl Verdict {
    /// The one-line tally for the report.
    pub fn tally(&self) -> String {
        let mut s = format!(
            "{} entries, {} errors, {} warnings ({} for fields the record lacks)",
            self.entries,
            self.errors.len(),
            self.fair_warnings.len() + self.unfair_warnings.len(),
            self.fair_warnings.len(),
        );
        if !self.tolerated_chars.is_empty() {
            let chars: String = self.tolerated_chars.iter().take(12).collect();
            let _ = write!(
                s,
                "; {} chars without any LaTeX escape: {chars}",
                self.tolerated_chars.len()
            );
        }
        s
    }

    /// Error and unfair-warning lines, for a failure.
    pub fn problems(&self) -> Vec<String> {
        let mut out: Vec<String> = self.errors.iter().map(|e| format!("error: {e}")).collect();
        out.extend(self.unfair_warnings.iter().map(|w| format!("warning: {w}")));
        out
    }
}

/// An entry of our .bib: its type, key and the record it was written from.
pub struct Entry<'a> {
    pub kind: String,
    pub key: String,
    pub record: Option<&'a Record>,
}

/// The entries of a .bib in order (`@type{key,` at the start of a line), paired by position
/// with the records they were written from.
pub fn entries<'a>(bib: &str, records: &'a [Record]) -> Vec<Entry<'a>> {
    let mut out = Vec::new();
    for line in bib.lines() {
        let Some(rest) = line.trim_start().strip_prefix('@') else { continue };
        let Some((kind, rest)) = rest.split_once(['{', '(']) else { continue };
        let kind = kind.trim().to_ascii_lowercase();
        if matches!(kind.as_str(), "comment" | "string" | "preamble") {
            continue;
        }
        let key = rest.split(',').next().unwrap_or("").trim().to_owned();
        let record = records.get(out.len());
        out.push(Entry { kind, key, record });
    }
    out
}

/// True for characters LaTeX has an escape for in a T1 document without extra packages:
/// Latin letters with accents (also as combining marks), punctuation, dashes and quotes,
/// letterlike and math symbols, ligatures, and the Greek letters math mode has (`$\alpha$`,
/// `$\Gamma$`). A writer must escape these with `--ascii`. Any other non-ASCII character
/// (CJK, Cyrillic, accented Greek, Greek capitals that look Latin, …) has no escape there
/// and stays as UTF-8.
pub fn escapable(c: char) -> bool {
    const GREEK: &str = "αβγδεζηθικλμνξπρστυφχψωςϑϕϖϱϵΓΔΘΛΞΠΣΥΦΨΩ";
    matches!(c as u32,
        0x00A0..=0x024F | 0x02B0..=0x036F | 0x1E00..=0x1EFF
        | 0x2000..=0x206F | 0x20A0..=0x20CF | 0x2100..=0x22FF | 0xFB00..=0xFB06)
        || GREEK.contains(c)
}

/// `\DeclareUnicodeCharacter` lines that render each character without an escape as a
/// placeholder, so that pdflatex reports the characters it truly cannot take.
fn declarations(bib: &str, tolerated: &mut BTreeSet<char>) -> String {
    let mut out = String::from("\\newcommand\\bibconvNoGlyph{\\fbox{?}}\n");
    for c in bib.chars().filter(|&c| (c as u32) >= 0xA0 && !escapable(c)) {
        if tolerated.insert(c) {
            let _ =
                writeln!(out, "\\DeclareUnicodeCharacter{{{:04X}}}{{\\bibconvNoGlyph}}", c as u32);
        }
    }
    out
}

/// Runs pdflatex after bibtex or biber, once more when LaTeX or biblatex asks for it.
fn pdflatex_final(clients: &Clients, dir: &Path) -> Result<(), String> {
    pdflatex(clients, dir)?;
    let log = read(dir, "doc.log");
    if log.contains("Please rerun LaTeX") || log.contains("Rerun to get") {
        pdflatex(clients, dir)?;
    }
    Ok(())
}

/// The font setup of a usual pdflatex document: T1 encoding (which `\\k`, `\\DH`, `\\th`
/// and the guillemets need) with Latin Modern.
const PREAMBLE: &str = "\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n";

fn pdflatex(clients: &Clients, dir: &Path) -> Result<tools::Output, String> {
    let exe = clients.program("pdflatex")?;
    tools::run(
        Command::new(exe)
            .args(["-interaction=nonstopmode", "-no-shell-escape", "doc.tex"])
            .env("max_print_line", "10000"),
        dir,
        None,
    )
}

/// Compiles `bib` (already written to `dir/refs.bib`) with a natbib-free or natbib document
/// under `style`, and judges the logs.
pub fn bibtex(
    clients: &Clients,
    dir: &Path,
    style: &str,
    bib: &str,
    records: &[Record],
) -> Result<Verdict, String> {
    let mut v = Verdict::default();
    let natbib = if style.ends_with("nat") { "\\usepackage{natbib}\n" } else { "" };
    let decl = declarations(bib, &mut v.tolerated_chars);
    let doc = format!(
        "\\documentclass{{article}}\n{PREAMBLE}\\usepackage{{url}}\n{natbib}{decl}\\begin{{document}}\n\\nocite{{*}}\n\
         \\bibliographystyle{{{style}}}\n\\bibliography{{refs}}\n\\end{{document}}\n"
    );
    write(dir, "doc.tex", &doc)?;
    pdflatex(clients, dir)?;
    let bt = tools::run(Command::new(clients.program("bibtex")?).arg("doc"), dir, None)?;
    pdflatex_final(clients, dir)?;
    let blg = read(dir, "doc.blg");
    let bbl = read(dir, "doc.bbl");
    let entries = entries(bib, records);
    judge_blg(&blg, &entries, &mut v);
    if bt.code.unwrap_or(3) >= 2 && v.errors.is_empty() {
        v.errors.push(format!("bibtex exited with {:?}:\n{}", bt.code, tools::tail(&bt.stdout, 6)));
    }
    let cited: BTreeSet<String> = bbl
        .split("\\bibitem")
        .skip(1)
        .filter_map(|item| {
            let item = item.trim_start();
            let item = if item.starts_with('[') { skip_group(item, '[', ']')? } else { item };
            let (key, _) = item.strip_prefix('{')?.split_once('}')?;
            Some(key.to_owned())
        })
        .collect();
    v.entries = bbl.matches("\\bibitem").count();
    check_all_cited(&entries, &cited, &mut v);
    judge_latex_log(&read(dir, "doc.log"), &bbl, "\\bibitem", &mut v);
    Ok(v)
}

/// Compiles the BibLaTeX `bib` (written to `dir/refs.bib`) with biblatex and biber.
pub fn biblatex(
    clients: &Clients,
    dir: &Path,
    bib: &str,
    records: &[Record],
) -> Result<Verdict, String> {
    let mut v = Verdict::default();
    let mut decl = declarations(bib, &mut v.tolerated_chars);
    // biber decodes an accent over a letter with no precomposed form (`{\\=P}`) into the
    // letter plus a combining mark, which pdflatex cannot set whatever the .bib says; such
    // a mark shows as the placeholder (the writer itself never writes a bare combining mark
    // in --ascii mode: `latex` tests that).
    for mark in [
        '\u{300}', '\u{301}', '\u{302}', '\u{303}', '\u{304}', '\u{306}', '\u{307}', '\u{308}',
        '\u{30a}', '\u{30b}', '\u{30c}', '\u{323}', '\u{327}', '\u{328}', '\u{331}',
    ] {
        let _ =
            writeln!(decl, "\\DeclareUnicodeCharacter{{{:04X}}}{{\\bibconvNoGlyph}}", mark as u32);
    }
    let doc = format!(
        "\\documentclass{{article}}\n{PREAMBLE}\\usepackage[backend=biber,style=authoryear]{{biblatex}}\n\
         \\addbibresource{{refs.bib}}\n{decl}\\begin{{document}}\n\\nocite{{*}}\n\\printbibliography\n\
         \\end{{document}}\n"
    );
    write(dir, "doc.tex", &doc)?;
    pdflatex(clients, dir)?;
    let biber = tools::run(Command::new(clients.program("biber")?).arg("doc"), dir, None)?;
    pdflatex_final(clients, dir)?;
    let entries = entries(bib, records);
    judge_biber(&read(dir, "doc.blg"), &entries, &mut v);
    if biber.code != Some(0) && v.errors.is_empty() {
        v.errors.push(format!(
            "biber exited with {:?}:\n{}",
            biber.code,
            tools::tail(&biber.stdout, 8)
        ));
    }
    let bbl = read(dir, "doc.bbl");
    let cited: BTreeSet<String> = bbl
        .split("\\entry{")
        .skip(1)
        .filter_map(|e| e.split_once('}').map(|(k, _)| k.to_owned()))
        .collect();
    v.entries = cited.len();
    check_all_cited(&entries, &cited, &mut v);
    judge_latex_log(&read(dir, "doc.log"), &bbl, "\\entry{", &mut v);
    Ok(v)
}

/// `biber --tool --validate-datamodel` on the BibLaTeX `bib` (UTF-8) in `dir/refs.bib`.
pub fn validate(
    clients: &Clients,
    dir: &Path,
    bib: &str,
    records: &[Record],
) -> Result<Verdict, String> {
    let mut v = Verdict::default();
    let out = tools::run(
        Command::new(clients.program("biber")?).args([
            "--tool",
            "--validate-datamodel",
            "refs.bib",
        ]),
        dir,
        None,
    )?;
    let entries = entries(bib, records);
    judge_biber(&out.stdout, &entries, &mut v);
    if out.code != Some(0) && v.errors.is_empty() {
        v.errors.push(format!("biber --tool exited with {:?}:\n{}", out.code, out.stderr_tail(8)));
    }
    v.entries = entries.len();
    Ok(v)
}

fn skip_group(s: &str, open: char, close: char) -> Option<&str> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return s.get(i + c.len_utf8()..);
            }
        }
    }
    None
}

fn check_all_cited(entries: &[Entry<'_>], cited: &BTreeSet<String>, v: &mut Verdict) {
    let missing: Vec<&str> =
        entries.iter().map(|e| e.key.as_str()).filter(|k| !cited.contains(*k)).collect();
    if !missing.is_empty() {
        v.errors.push(format!(
            "{} of {} entries missing from the bibliography (\\nocite{{*}}): {}",
            missing.len(),
            entries.len(),
            missing.iter().take(10).copied().collect::<Vec<_>>().join(", ")
        ));
    }
}

/// LaTeX errors (`! …` up to the `l.N` context line) and lost characters; `l.N` lines in
/// the .bbl are traced to the entry they belong to.
fn judge_latex_log(log: &str, bbl: &str, entry_marker: &str, v: &mut Verdict) {
    let lines: Vec<&str> = log.lines().collect();
    let mut i = 0;
    let mut in_bbl = false;
    while i < lines.len() {
        let line = lines[i];
        if line.contains("doc.bbl") {
            in_bbl = true;
        }
        if let Some(msg) = line.strip_prefix("! ") {
            let mut text = msg.to_owned();
            let mut j = i + 1;
            while j < lines.len() && j < i + 8 {
                let l = lines[j];
                if let Some(rest) = l.strip_prefix("l.") {
                    let n: usize = rest.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0);
                    let _ = write!(text, " | {}", l.trim());
                    if let Some(key) = bbl_entry_at(bbl, n, entry_marker).filter(|_| in_bbl) {
                        let _ = write!(text, " (doc.bbl line {n}, entry {key})");
                    }
                    break;
                }
                j += 1;
            }
            let keys = entries_with_char(&text, bbl, entry_marker);
            if let Some(keys) = keys.filter(|_| !text.contains(", entry ")) {
                let _ = write!(text, " (in entries {keys})");
            }
            v.errors.push(text);
            i = j;
        } else if line.starts_with("Missing character: There is no") {
            v.errors.push(format!("character dropped from the output: {line}"));
        } else if (line.contains("Citation") && line.contains("undefined"))
            || line.contains("There were undefined references")
        {
            v.errors.push(line.trim().to_owned());
        }
        i += 1;
    }
}

/// For a `Unicode character X (U+…)` error: the keys of the .bbl entries holding `X`.
fn entries_with_char(error: &str, bbl: &str, marker: &str) -> Option<String> {
    let (_, rest) = error.split_once("Unicode character ")?;
    let c = rest.chars().next()?;
    let keys: Vec<String> = bbl
        .split(marker)
        .skip(1)
        .filter(|e| e.contains(c))
        .filter_map(|e| {
            let e = e.trim_start();
            let e = if e.starts_with('[') { skip_group(e, '[', ']')? } else { e };
            let e = e.trim_start();
            let e = e.strip_prefix('{').unwrap_or(e);
            e.split_once('}').map(|(k, _)| k.to_owned())
        })
        .take(5)
        .collect();
    (!keys.is_empty()).then(|| keys.join(", "))
}

/// The key of the .bbl entry that line `n` (1-based) belongs to; a `\\bibitem[label]{key}`
/// may span lines.
fn bbl_entry_at(bbl: &str, n: usize, marker: &str) -> Option<String> {
    let upto: usize = bbl.lines().take(n).map(|l| l.len() + 1).sum();
    let head = bbl.get(..upto.min(bbl.len()))?;
    let start = head.rfind(marker)?;
    let rest = bbl.get(start + marker.len()..)?.trim_start();
    let rest = if rest.starts_with('[') { skip_group(rest, '[', ']')? } else { rest };
    let (key, _) = rest.trim_start().strip_prefix('{')?.split_once('}')?;
    Some(key.to_owned()).filter(|k| !k.is_empty())
}

/// BibTeX's .blg: errors (`…---line N of file …` with their context) and warnings
/// (`Warning--…`), each warning judged against the record.
fn judge_blg(blg: &str, entries: &[Entry<'_>], v: &mut Verdict) {
    let lines: Vec<&str> = blg.lines().collect();
    let mut i = 0;
    let mut listed_errors = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(w) = line.strip_prefix("Warning--") {
            match fair_bibtex_warning(w, entries) {
                Ok(()) => v.fair_warnings.push(w.to_owned()),
                Err(why) => v.unfair_warnings.push(format!("{w} ({why})")),
            }
        } else if line.starts_with("while executing---") {
            // A style (.bst) error: the message is the line before.
            let msg = if i > 0 { lines[i - 1] } else { "" };
            v.errors.push(format!("{msg} | {line}"));
            listed_errors += 1;
        } else if line.contains("---line ")
            || line.starts_with("I couldn't open")
            || line.contains("---this can't happen")
        {
            let mut text = line.to_owned();
            while i + 1 < lines.len()
                && (lines[i + 1].starts_with(" : ") || lines[i + 1].starts_with("I'm skipping"))
            {
                i += 1;
                let _ = write!(text, " | {}", lines[i].trim());
            }
            v.errors.push(text);
            listed_errors += 1;
        } else if let Some(n) = summary_count(line, "error message").filter(|&n| n > listed_errors)
        {
            v.errors
                .push(format!("bibtex reports {n} errors, {listed_errors} of them shown above"));
        }
        i += 1;
    }
}

/// `(There were 3 error messages)` → 3; `(There was 1 error message)` → 1.
fn summary_count(line: &str, what: &str) -> Option<usize> {
    let rest = line.strip_prefix("(There w")?;
    if !rest.contains(what) {
        return None;
    }
    rest.split_whitespace().find_map(|w| w.parse().ok())
}

/// Ok when the warning is about fields the record truly lacks; Err with the reason otherwise.
fn fair_bibtex_warning(w: &str, entries: &[Entry<'_>]) -> Result<(), String> {
    let (what, key) = w.rsplit_once(" in ").ok_or("not about a field")?;
    let entry =
        entries.iter().find(|e| e.key == key.trim()).ok_or("entry not found in the .bib")?;
    let rec = entry.record.ok_or("no record for this entry")?;
    let fields: Vec<&str> = if let Some(f) = what.strip_prefix("empty ") {
        split_fields(f)
    } else if let Some(f) = what.strip_prefix("to sort, need ") {
        split_fields(f).into_iter().filter(|f| *f != "key").collect()
    } else if let Some(f) = what.strip_prefix("there's a number but no ") {
        vec![f]
    } else if what == "all relevant fields are empty" {
        vec!["author", "title", "howpublished", "month", "year", "note"]
    } else if let Some(pair) =
        what.strip_prefix("can't use both ").and_then(|w| w.strip_suffix(" fields"))
    {
        // The record truly has both and the standard styles print only one: a limit of the
        // style, not something the writer could do better without dropping data.
        return match pair.split_once(" and ") {
            Some((a, b)) if has_field(rec, a) == Some(true) && has_field(rec, b) == Some(true) => {
                Ok(())
            }
            _ => Err(format!("the record does not have both {pair}: the writer invented one")),
        };
    } else {
        return Err("not a missing-field warning".into());
    };
    all_lacking(rec, &fields, &entry.kind)
}

fn split_fields(list: &str) -> Vec<&str> {
    list.split([',', ' '])
        .map(str::trim)
        .filter(|f| !f.is_empty() && !matches!(*f, "and" | "or"))
        .collect()
}

fn all_lacking(rec: &Record, fields: &[&str], kind: &str) -> Result<(), String> {
    for f in fields {
        match has_field(rec, f) {
            None => return Err(format!("field `{f}` is not mapped in tests/clients/tex.rs")),
            Some(true) => {
                return Err(format!(
                    "the record has {f} (@{kind}): the writer did not write it where the style looks"
                ));
            }
            Some(false) => {}
        }
    }
    Ok(())
}

/// Whether the record has what a BibTeX/BibLaTeX field would be written from; None for a
/// field name this table does not know.
pub fn has_field(rec: &Record, field: &str) -> Option<bool> {
    let date = rec.issued.as_ref();
    Some(match field {
        "author" => !rec.author.is_empty(),
        "editor" => !rec.editor.is_empty(),
        "title" => rec.title.is_some(),
        "journal" | "journaltitle" => {
            rec.container_title.is_some() || rec.container_title_short.is_some()
        }
        "booktitle" | "maintitle" => rec.container_title.is_some(),
        "year" | "date" => date.and_then(|d| d.year).is_some(),
        "month" => date.and_then(|d| d.month).is_some(),
        "publisher" | "school" | "institution" | "organization" => rec.publisher.is_some(),
        "address" | "location" => rec.publisher_place.is_some(),
        "chapter" => rec.chapter_number.is_some(),
        "pages" => rec.page.is_some(),
        "note" => rec.note.is_some(),
        "series" => rec.collection_title.is_some(),
        "volume" => rec.volume.is_some(),
        "number" => rec.issue.is_some() || rec.number.is_some() || rec.collection_number.is_some(),
        "type" => rec.genre.is_some(),
        "url" => rec.url.is_some(),
        "doi" => rec.doi.is_some(),
        "eprint" => rec.pmid.is_some() || rec.pmcid.is_some(),
        "howpublished" | "key" => false,
        _ => return None,
    })
}

/// biber's log or `--tool` output: `ERROR - …` lines are errors; `WARN - …` lines are fair
/// only for a missing mandatory field the record lacks.
fn judge_biber(log: &str, entries: &[Entry<'_>], v: &mut Verdict) {
    for line in log.lines() {
        if let Some((_, msg)) = line.split_once("ERROR - ") {
            v.errors.push(msg.trim().to_owned());
        } else if let Some((_, msg)) = line.split_once("WARN - ") {
            let msg = msg.trim();
            match fair_biber_warning(msg, entries) {
                Ok(()) => v.fair_warnings.push(msg.to_owned()),
                Err(why) => v.unfair_warnings.push(format!("{msg} ({why})")),
            }
        }
    }
}

fn fair_biber_warning(msg: &str, entries: &[Entry<'_>]) -> Result<(), String> {
    if let Some(result) = fair_identifier_warning(msg, entries) {
        return result;
    }
    if msg.contains("Invalid value of field 'volume' must be datatype 'integer'") {
        // Fair when the source's volume is not a number (`A` of a multi-volume work).
        let key = msg.split_once("Entry '").and_then(|(_, r)| r.split_once('\'')).map(|(k, _)| k);
        let rec = entries.iter().find(|e| Some(e.key.as_str()) == key).and_then(|e| e.record);
        let volume = rec.and_then(|r| r.volume.as_deref()).unwrap_or("");
        return if !volume.is_empty() && !volume.chars().all(|c| c.is_ascii_digit()) {
            Ok(())
        } else {
            Err(format!("the record's volume is {volume:?}"))
        };
    }
    let (_, rest) =
        msg.split_once("Missing mandatory field").ok_or("not a missing-field warning")?;
    let key = msg
        .split_once("Entry '")
        .and_then(|(_, r)| r.split_once('\''))
        .map(|(k, _)| k)
        .ok_or("no entry key in the warning")?;
    let entry = entries.iter().find(|e| e.key == key).ok_or("entry not found in the .bib")?;
    let rec = entry.record.ok_or("no record for this entry")?;
    let quoted = rest.split('\'').nth(1).unwrap_or("");
    let fields = split_fields(quoted);
    all_lacking(rec, &fields, &entry.kind)
}

/// biber's ISBN/ISSN checks: fair only when the record itself holds an invalid number (the
/// writer kept the source's value), never for a value the writer made up or joined.
fn fair_identifier_warning(msg: &str, entries: &[Entry<'_>]) -> Option<Result<(), String>> {
    let quoted =
        |after: &str| msg.split_once(after).and_then(|(_, r)| r.split_once('\'')).map(|(v, _)| v);
    let (kind, key, value) = if msg.starts_with("ISBN '") {
        ("isbn", quoted(" in entry '")?, quoted("ISBN '"))
    } else if msg.contains("Invalid ISBN in value of field") {
        ("isbn", quoted("Entry '")?, None)
    } else if msg.contains("Invalid ISSN in value of field") {
        ("issn", quoted("Entry '")?, None)
    } else {
        return None;
    };
    let Some(rec) = entries.iter().find(|e| e.key == key).and_then(|e| e.record) else {
        return Some(Err("entry not found in the .bib".into()));
    };
    let (values, valid): (&[String], fn(&str) -> bool) =
        if kind == "isbn" { (&rec.isbn, isbn_valid) } else { (&rec.issn, issn_valid) };
    let ok = match value {
        Some(v) => values.iter().any(|r| r == v) && !valid(v),
        None => values.iter().any(|v| !valid(v)),
    };
    Some(if ok {
        Ok(())
    } else {
        Err(format!("the record's {kind} {values:?} is valid: the writer changed or joined it"))
    })
}

fn digits(s: &str) -> Vec<u32> {
    s.chars().filter_map(|c| if c == 'X' || c == 'x' { Some(10) } else { c.to_digit(10) }).collect()
}

/// ISBN-10 or ISBN-13 checksum.
pub fn isbn_valid(s: &str) -> bool {
    let d = digits(s);
    match d.len() {
        10 => d.iter().enumerate().map(|(i, x)| (10 - i as u32) * x).sum::<u32>() % 11 == 0,
        13 => {
            d.iter().all(|&x| x < 10)
                && d.iter()
                    .enumerate()
                    .map(|(i, x)| if i % 2 == 0 { *x } else { 3 * x })
                    .sum::<u32>()
                    % 10
                    == 0
        }
        _ => false,
    }
}

/// ISSN checksum.
pub fn issn_valid(s: &str) -> bool {
    let d = digits(s);
    d.len() == 8 && d.iter().enumerate().map(|(i, x)| (8 - i as u32) * x).sum::<u32>() % 11 == 0
}

/// Writes `dir/name`.
pub fn write(dir: &Path, name: &str, text: &str) -> Result<(), String> {
    std::fs::write(dir.join(name), text)
        .map_err(|e| format!("cannot write {}: {e}", dir.join(name).display()))
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read(dir.join(name))
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blg_warnings_are_judged_against_the_record() {
        let rec = Record {
            title: Some("T".into()),
            container_title: Some("J".into()),
            ..Record::default()
        };
        let records = vec![rec];
        let bib = "@article{k1,\n  title = {T},\n}\n";
        let entries = entries(bib, &records);
        assert!(fair_bibtex_warning("empty year in k1", &entries).is_ok());
        assert!(fair_bibtex_warning("empty author and editor in k1", &entries).is_ok());
        assert!(fair_bibtex_warning("empty journal in k1", &entries).is_err());
        assert!(fair_bibtex_warning("I didn't find a database entry for \"x\"", &entries).is_err());
        assert!(isbn_valid("978-0-19-856878-0") && !isbn_valid("978-0-19-856878-9"));
        assert!(isbn_valid("0198534531") && issn_valid("1355-8196") && !issn_valid("1355-8197"));
        let mut v = Verdict::default();
        judge_blg(
            "I was expecting a `,' or a `}'---line 3 of file refs.bib\n : x\nI'm skipping whatever remains of this entry\nWarning--empty journal in k1\n(There was 1 error message)\n",
            &entries,
            &mut v,
        );
        assert_eq!(v.errors.len(), 1, "{v:?}");
        assert_eq!(v.unfair_warnings.len(), 1, "{v:?}");
    }
}
