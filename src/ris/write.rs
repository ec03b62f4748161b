//! RIS writer, for Zotero's RIS import (`../shared/GUIDE.md` §4).
//!
//! - Fixed tag order: `TY` first, then titles, people, containers, dates, numbers,
//!   identifiers, text, `M2` lines, `ID`, and `ER  - ` last.
//! - Every value is on one line: line breaks and runs of white space are folded to one
//!   space, so no value can start a new tag (an abstract's paragraph breaks are folded
//!   too; Zotero's reader keeps line breaks only under `KW`, `L1`–`L3`). A multi-line note
//!   is written as one `N1` per line (our reader joins them back with line breaks).
//! - What RIS has no tag for (PMID, PMCID, CSL variables such as `original-title`, and every
//!   [`Record::extra`] entry) is written as `M2  - name: value`: Zotero appends `M2` to the
//!   item's Extra, where it reads `PMID:` and CSL variable names.
//! - Affiliations have no tag Zotero keeps (`AD` is dropped on articles): they are written as
//!   `M2  - affiliation: Family, Given: …` and reported as moved.

use super::read::{self, is_label_char};
use super::{M2_DATES, M2_NAMES, M2_TEXT, editor_tags, is_book, kind_to_ty, series_number_tag};
use crate::model::{collapse_ws, split_pages};
use crate::{Date, Kind, Person, Record, WriteOptions};

/// Formats one record as RIS into `out`; what RIS cannot hold as it was is described in
/// `lost`.
pub fn write_entry(
    rec: &Record,
    key: &str,
    options: &WriteOptions,
    out: &mut String,
    lost: &mut Vec<String>,
) {
    let _ = options;
    let mut w = Tags { out };
    let (ty, exact) = kind_to_ty(rec.kind);
    w.tag("TY", ty);
    w.opt("TI", &rec.title);
    w.opt("ST", &rec.title_short);

    let book = is_book(rec.kind);
    w.people("AU", &rec.author, lost);
    let (editor_tag, series_editor_tag) = editor_tags(rec.kind);
    w.people(editor_tag, &rec.editor, lost);
    w.people(series_editor_tag, &rec.collection_editor, lost);
    w.people("A4", &rec.translator, lost);

    if book {
        w.opt("JF", &rec.container_title);
        w.opt("T2", &rec.collection_title);
    } else if rec.kind == Kind::PaperConference {
        // Zotero: `T2` is the conference name, `C3` the proceedings title.
        w.opt("T2", &rec.event_title);
        w.opt("C3", &rec.container_title);
        w.opt("T3", &rec.collection_title);
    } else {
        w.opt("T2", &rec.container_title);
        w.opt("T3", &rec.collection_title);
    }
    // Zotero uses `J2` as the journal title when no `T2` comes: an abbreviation alone is
    // written once, as `J2`.
    w.opt("J2", &rec.container_title_short);

    if let Some(date) = &rec.issued {
        w.date(date, lost, "issued");
    }
    if let Some(date) = &rec.accessed
        && let Some(text) = ris_date(date)
    {
        w.tag("Y2", &text);
    }

    w.opt("VL", &rec.volume);
    w.opt("IS", &rec.issue);
    if let Some(page) = &rec.page {
        match split_pages(page) {
            // `8-8` is page 8: the reader reads `SP 8` + `EP 8` back as `8`.
            (first, Some(last)) if first == last => w.tag("SP", first),
            (first, Some(last)) if !page.contains([',', ';']) => {
                w.tag("SP", first);
                w.tag("EP", last);
            }
            _ => w.tag("SP", page),
        }
    }
    w.opt("NV", &rec.number_of_volumes);
    w.opt("ET", &rec.edition);
    let number_tag = number_tag(rec.kind);
    if let Some(tag) = number_tag {
        w.opt(tag, &rec.number);
    }
    let series_number_tag = series_number_tag(rec.kind);
    if let Some(tag) = series_number_tag {
        w.opt(tag, &rec.collection_number);
    }
    let genre_in_m3 = genre_in_m3(rec.kind);
    if genre_in_m3 {
        w.opt("M3", &rec.genre);
    }

    for issn in &rec.issn {
        w.tag("SN", issn);
    }
    for isbn in &rec.isbn {
        w.tag("SN", isbn);
    }
    w.opt("DO", &rec.doi);
    w.opt("UR", &rec.url);

    w.opt("AB", &rec.abstract_text);
    if let [only] = rec.keyword.as_slice()
        && only.contains(',')
    {
        lost.push(format!("keyword `{only}`: Zotero splits a lone keyword at commas"));
    }
    for kw in &rec.keyword {
        // RIS readers (Zotero's, ours) split a `KW` value at `;`: say so, and write the
        // parts as they will be read.
        let parts: Vec<&str> = kw.split(';').map(str::trim).filter(|p| !p.is_empty()).collect();
        if parts.len() > 1 {
            lost.push(format!("keyword `{kw}` written as {} keywords", parts.len()));
        }
        for part in parts {
            w.tag("KW", part);
        }
    }
    w.opt("LA", &rec.language);
    w.opt("PB", &rec.publisher);
    w.opt("CY", &rec.publisher_place);
    w.opt("CN", &rec.call_number);
    w.opt("DB", &rec.archive);
    w.opt("AN", &rec.archive_location);
    if let Some(note) = &rec.note {
        for line in note.lines() {
            w.tag("N1", line);
        }
    }

    // Extra: what RIS has no tag for.
    if !exact {
        w.m2("type", rec.kind.as_csl());
    }
    if let Some(pmid) = &rec.pmid {
        w.m2("PMID", pmid);
    }
    if let Some(pmcid) = &rec.pmcid {
        w.m2("PMCID", pmcid);
    }
    for field in M2_TEXT {
        let skip = (field.name == "number" && number_tag.is_some())
            || (field.name == "event-title" && rec.kind == Kind::PaperConference)
            || (field.name == "collection-number" && series_number_tag.is_some())
            || (field.name == "genre" && genre_in_m3);
        if !skip && let Some(v) = (field.get)(rec) {
            w.m2(field.name, v);
        }
    }
    for field in M2_DATES {
        if let Some(date) = (field.get)(rec) {
            let text = date.to_edtf().or_else(|| date.literal.clone()).unwrap_or_default();
            w.m2(field.name, &text);
        }
    }
    for field in M2_NAMES {
        for p in (field.get)(rec) {
            if let Some(n) = name_text(p, lost) {
                w.m2(field.name, &n);
            }
        }
    }
    let mut moved_affiliations = false;
    for p in rec.author.iter().chain(&rec.editor) {
        for aff in &p.affiliation {
            let who = p.display_inverted().unwrap_or_default();
            w.m2("affiliation", &format!("{who}: {aff}"));
            moved_affiliations = true;
        }
    }
    if moved_affiliations {
        lost.push("affiliations written as `M2  - affiliation: …` text".to_owned());
    }
    for (name, value) in rec.data_extras() {
        let name = m2_label(name);
        for line in value.lines() {
            // Free `M2` text read from RIS goes back bare unless it would read as a label.
            if name == "M2" && read::split_label(line).is_none() {
                w.tag("M2", line);
            } else {
                w.m2(&name, line);
            }
        }
    }

    w.tag("ID", key);
    w.out.push_str("ER  - \n");
}

/// The tag Zotero reads a kind's number from: `SN` for report and patent numbers, `M1` for
/// bill, hearing and public law numbers; `None` for the others.
fn number_tag(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Report | Kind::Patent => Some("SN"),
        Kind::Bill | Kind::Hearing | Kind::Legislation => Some("M1"),
        _ => None,
    }
}

/// An extra field's name as an `M2` label the reader recognises: characters other than
/// letters, digits, spaces, `-` and `_` become `-`, and a label starts with a letter.
fn m2_label(name: &str) -> String {
    let label: String =
        collapse_ws(name).chars().map(|c| if is_label_char(c) { c } else { '-' }).collect();
    match label.chars().next() {
        Some(c) if c.is_alphabetic() => label,
        _ => format!("extra-{label}"),
    }
}

/// Kinds whose `M3` Zotero reads as a type of work; for the others it reads a DOI there.
fn genre_in_m3(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Thesis
            | Kind::Report
            | Kind::Manuscript
            | Kind::Map
            | Kind::Webpage
            | Kind::PostWeblog
            | Kind::Speech
            | Kind::PersonalCommunication
            | Kind::Graphic
    )
}

/// `YYYY/MM/DD/` with empty parts for what is unknown, as Zotero writes it; a date without
/// a year is written as its text.
fn ris_date(date: &Date) -> Option<String> {
    match date.year {
        Some(y) => {
            let two = |n: Option<u8>| n.map(|n| format!("{n:02}")).unwrap_or_default();
            Some(format!(
                "{y:04}/{}/{}/",
                two(date.month),
                two(date.day.filter(|_| date.month.is_some()))
            ))
        }
        None => date.literal.clone(),
    }
}

/// `Family, Given[, Suffix]`, or the literal name. A family name of several words without a
/// given name gets a trailing comma, so that it is not read back as an organisation.
fn name_text(p: &Person, lost: &mut Vec<String>) -> Option<String> {
    let text = p.display_inverted()?;
    if let Some(literal) = &p.literal {
        if literal.contains(',') {
            lost.push(format!("name `{literal}`: Zotero splits it at the comma"));
        }
        return Some(literal.clone());
    }
    if p.given.is_none() && p.suffix.is_none() && text.contains(' ') {
        return Some(format!("{text},"));
    }
    Some(text)
}

/// The output of one record: tag lines with folded values.
struct Tags<'o> {
    out: &'o mut String,
}

impl Tags<'_> {
    /// `TAG  - value`, the value folded to one line; nothing for an empty value.
    fn tag(&mut self, tag: &str, value: &str) {
        let value = collapse_ws(value);
        if value.is_empty() {
            return;
        }
        self.out.push_str(tag);
        self.out.push_str("  - ");
        self.out.push_str(&value);
        self.out.push('\n');
    }

    fn opt(&mut self, tag: &str, value: &Option<String>) {
        if let Some(v) = value {
            self.tag(tag, v);
        }
    }

    fn m2(&mut self, name: &str, value: &str) {
        let value = collapse_ws(value);
        if !value.is_empty() {
            self.tag("M2", &format!("{name}: {value}"));
        }
    }

    fn people(&mut self, tag: &str, people: &[Person], lost: &mut Vec<String>) {
        for p in people {
            if let Some(name) = name_text(p, lost) {
                self.tag(tag, &name);
            }
        }
    }

    /// `DA  - YYYY/MM/DD/` and `PY  - YYYY`; what these cannot say is reported.
    fn date(&mut self, date: &Date, lost: &mut Vec<String>, what: &str) {
        if let Some(text) = ris_date(date) {
            self.tag("DA", &text);
        }
        if let Some(y) = date.year {
            self.tag("PY", &format!("{y:04}"));
        }
        if date.is_range() || date.season.is_some() || date.circa {
            let full = date.to_edtf().unwrap_or_default();
            lost.push(format!("{what} date `{full}`: RIS keeps only the start"));
        }
    }
}
