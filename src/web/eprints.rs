//! EPrints repository abstract page reader (Kent Academic Repository, White Rose, LSE,
//! Southampton and the other EPrints 3 sites).
//!
//! A copied abstract page reads, top to bottom:
//! - chrome (`Skip to main content`, the repository name), then the title line;
//! - the citation line, `Creators (Year) Title. Rest.`, e.g.
//!   `Checkland, Kath, Coleman, Anna (2013) Title. British Journal of General Practice, 63
//!   (614). e611-e619. ISSN 0960-1643. (doi:10.3399/…) (KAR id:35069)`; the rest takes the
//!   item type's shape: `Journal, 63 (614). pp. 1-9.` (article), `In: Editor, E., ed. Book.
//!   Publisher, Place, pp. 1-20. ISBN …` (book section), `Publisher, Place. ISBN …` (book),
//!   `In: Event, 1-3 June 2015, Place.` (conference item), `Report. Series (12). Publisher,
//!   Place.` (monograph), `PhD thesis, University of Leeds.` (thesis);
//! - `Official URL:` and `Abstract` with its paragraphs (section headings such as
//!   `Background:` are paragraphs of their own and are kept);
//! - the metadata table, one `Label: value` a line (`Item Type:`, `Uncontrolled keywords:`,
//!   `Subjects:` …); a value may continue on the following lines, or start on the next line
//!   when the label stands alone;
//! - chrome again (view counters, `Depositors only (login required):`).
//!
//! Reading has two stages: `scan` sorts the lines into title, citation line, abstract and
//! labelled fields, borrowing from the page; `build` maps the labels onto a [`Record`] and
//! lets the citation line fill what the labels do not give (labels win: they are the
//! repository's own fields, the citation line is generated from them).
//!
//! Mapping notes: `Item Type` gives the CSL type (its parenthesised sub-type, `Thesis
//! (Doctoral)`, the genre); `Date Deposited`, `Last Modified`, `Depositing User`, `Subjects`
//! (Library of Congress classes) and `Divisions` go to `extra`, never to dates or keywords;
//! `Resource URI`/`URI` is the record's URL; an `Official URL` that only resolves the DOI is
//! not kept twice (it gives the DOI when no other label does), any other is the URL of a page
//! without a URI and else `extra` `official-url`; the repository's id in the citation line
//! (`(KAR id:35069)`) is `extra` `repository-id`; a creators table (White Rose
//! `Authors/Creators:`) gives the authors and `extra` `orcid`. A page without a citation
//! line takes its title from the first header line that is not chrome and its authors from
//! the name lines under it. When part of the citation line cannot be placed, the whole line
//! is kept in `extra` `citation` and a warning says so.

use nom::bytes::complete::{take_while_m_n, take_while1};
use nom::character::complete::{char, satisfy};
use nom::combinator::opt;
use nom::{IResult, Parser};

use super::{PageLine, inverted_name_list, is_page_space, matching_open, page_lines};
use crate::model::{clean_doi, clean_isbn, clean_issn, clean_pmid, collapse_ws, normalize_pages};
use crate::{Date, Diagnostic, Kind, Parsed, Person, Record};

/// True when the text looks like an EPrints abstract page: an `Item Type:` label and one of
/// the labels every EPrints record shows (`Date Deposited:`, `Last Modified:`, `URI:`,
/// `Resource URI:`, `Depositing User:`), each at the start of a line.
pub fn matches(src: &str) -> bool {
    let (mut item_type, mut record_label) = (false, false);
    // UCL labels its type `Type:`; with an EPrints record URI that is enough.
    let (mut plain_type, mut eprint_uri, mut deposit_label) = (false, false, false);
    for line in src.lines() {
        eprint_uri |= line.contains("/id/eprint/");
        let Some((label, _)) = line.trim_matches(is_page_space).split_once(':') else {
            continue;
        };
        match label.trim().to_ascii_lowercase().as_str() {
            "item type" | "record type" => item_type = true,
            "type" => plain_type = true,
            "date deposited" | "last modified" | "depositing user" => {
                record_label = true;
                deposit_label = true;
            }
            "uri" | "resource uri" => record_label = true,
            _ => {}
        }
        // White Rose eTheses shows no `Item Type`: its record URI and deposit labels do.
        if (item_type || (plain_type && eprint_uri)) && record_label
            || (eprint_uri && deposit_label)
        {
            return true;
        }
    }
    false
}

/// Reads an EPrints abstract page into one record.
///
/// A page with neither a title nor a citation line gives no record and an error; lines that
/// fit nowhere give warnings.
pub fn parse(src: &str) -> Parsed {
    let mut diagnostics = Vec::new();
    let page = scan(src, &mut diagnostics);
    if page.title.is_none() && page.citation.is_none() {
        if page.fields.is_empty() {
            diagnostics.push(Diagnostic::error(0, "expected an EPrints title and citation line"));
            return Parsed { records: Vec::new(), diagnostics };
        }
        diagnostics.push(Diagnostic::warning(0, "no title or citation line; read the labels only"));
    }
    let record = build(&page, &mut diagnostics);
    Parsed { records: vec![record], diagnostics }
}

/// What a label of the metadata table is read into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Abstract,
    ItemType,
    Identifier,
    OfficialUrl,
    Keywords,
    Uri,
    Editors,
    Isbn,
    Issn,
    Publisher,
    Place,
    EventTitle,
    EventPlace,
    EventDates,
    Dates,
    Status,
    Note,
    Container,
    Volume,
    Number,
    PageRange,
    NumberOfPages,
    Series,
    Language,
    Institution,
    ThesisType,
    Creators,
    PublishedDate,
    OnlineDate,
    Pmid,
    /// A `Title:` row (UCL): the title when the page shows none above the citation.
    Title,
    /// A contributors list in natural order (Southampton `Author: John Smith`): the authors
    /// when the citation line gives none.
    Contributor,
    /// Kent's `University of Kent Author Information` list: a name line, then
    /// `Creator's ORCID: https://orcid.org/…`; kept in `extra` `orcid`.
    CreatorOrcid,
    /// Page chrome with a label (`Export to:` and its menu lines): dropped.
    Chrome,
    /// Kept in `extra` under this name, one entry per line.
    Extra(&'static str),
}

/// The labels EPrints sites print (lowercase), and where each goes. Other labels of the
/// metadata table are kept in `extra` under their own name.
const LABELS: &[(&str, Target)] = &[
    ("abstract", Target::Abstract),
    ("item type", Target::ItemType),
    ("doi/identification number", Target::Identifier),
    ("identification number", Target::Identifier),
    ("doi", Target::Identifier),
    ("official url", Target::OfficialUrl),
    ("uncontrolled keywords", Target::Keywords),
    ("keywords", Target::Keywords),
    ("subjects", Target::Extra("subjects")),
    ("library of congress subject classification", Target::Extra("subjects")),
    ("authors/creators", Target::Creators),
    ("creators", Target::Creators),
    ("authors", Target::Creators),
    ("published date", Target::PublishedDate),
    ("date of publication", Target::PublishedDate),
    ("e-pub ahead of print date", Target::OnlineDate),
    ("divisions", Target::Extra("divisions")),
    ("academic units", Target::Extra("divisions")),
    ("depositing user", Target::Extra("depositing-user")),
    ("date deposited", Target::Extra("date-deposited")),
    ("last modified", Target::Extra("last-modified")),
    ("resource uri", Target::Uri),
    ("uri", Target::Uri),
    ("editors", Target::Editors),
    ("isbn", Target::Isbn),
    ("issn", Target::Issn),
    ("publisher", Target::Publisher),
    ("place of publication", Target::Place),
    ("event title", Target::EventTitle),
    ("event location", Target::EventPlace),
    ("event dates", Target::EventDates),
    ("event type", Target::Extra("event-type")),
    ("dates", Target::Dates),
    ("status", Target::Status),
    ("refereed", Target::Extra("refereed")),
    ("additional information", Target::Note),
    ("copyright, publisher and additional information", Target::Note),
    ("related urls", Target::Extra("related-urls")),
    ("journal or publication title", Target::Container),
    ("volume", Target::Volume),
    ("number", Target::Number),
    ("page range", Target::PageRange),
    ("pages", Target::NumberOfPages),
    ("series name", Target::Series),
    ("series", Target::Series),
    ("language", Target::Language),
    ("institution", Target::Institution),
    ("awarding institution", Target::Institution),
    ("thesis type", Target::ThesisType),
    ("department", Target::Extra("department")),
    ("funders", Target::Extra("funders")),
    ("projects", Target::Extra("projects")),
    ("journal name", Target::Container),
    ("issn (online)", Target::Issn),
    ("issn (print)", Target::Issn),
    ("e-issn", Target::Issn),
    ("online issn", Target::Issn),
    ("published online", Target::OnlineDate),
    ("pmid", Target::Pmid),
    ("pubmed id", Target::Pmid),
    ("creator's orcid", Target::CreatorOrcid),
    ("creator’s orcid", Target::CreatorOrcid),
    ("record type", Target::ItemType),
    ("type", Target::ItemType),
    ("title", Target::Title),
    ("publisher version", Target::OfficialUrl),
    ("accepted/in press date", Target::Extra("date-accepted")),
    ("author", Target::Contributor),
    ("export to", Target::Chrome),
    ("export as", Target::Chrome),
    ("share", Target::Chrome),
];

/// The target of a label, matched without regard to case or spacing.
fn target_of(label: &str) -> Option<Target> {
    let label = collapse_ws(label).to_lowercase();
    LABELS.iter().find(|(name, _)| *name == label).map(|&(_, t)| t)
}

/// `Label: value` (the value may be empty): a label starts with a capital letter and holds
/// letters, spaces and `/ ( ) , & ' -`, at most 60 bytes; the colon ends the line or is
/// followed by white space (so `http://…` is no label).
fn label_line(line: &str) -> Option<(&str, &str)> {
    fn parts(i: &str) -> IResult<&str, (&str, char)> {
        (take_while1(|c: char| c.is_alphabetic() || " /(),&'-".contains(c)), char(':')).parse(i)
    }
    let (value, (label, _)) = parts(line).ok()?;
    let label = label.trim_end();
    // Southampton prints some labels in lowercase (`e-pub ahead of print date:`).
    let starts_upper =
        label.chars().next().is_some_and(char::is_uppercase) || target_of(label).is_some();
    let ends_label = value.is_empty() || value.starts_with(is_page_space);
    (starts_upper && ends_label && label.len() <= 60).then(|| (label, value.trim()))
}

/// The sub-labels of `Dates:` (`Published: 2013`, `Published (online): 5 May 2013`,
/// `Accepted: …`).
fn date_kind(label: &str) -> Option<&'static str> {
    let l = collapse_ws(label).to_lowercase();
    match l.as_str() {
        "published" => Some("published"),
        "published online" | "published (online)" | "published_online" | "online" => {
            Some("published-online")
        }
        "accepted" => Some("accepted"),
        "submitted" => Some("submitted"),
        "completed" => Some("completed"),
        "deposited" => Some("deposited"),
        "presented" => Some("presented"),
        _ => None,
    }
}

/// Chrome that copied EPrints pages carry, matched on lowercase text: whole lines, and
/// phrases long enough never to open a sentence of an abstract.
fn is_noise(line: &str) -> bool {
    const LINES: &[&str] = &[
        "export",
        "downloads",
        "download",
        "tools",
        "share",
        "altmetric",
        "view item",
        "edit item",
        "preview",
        "text",
        "pdf",
        "request a copy",
        "author's accepted manuscript",
        "author’s accepted manuscript",
        "accepted version",
        "published version",
        "submitted version",
        "publisher's version",
        "publisher pdf",
        "publisher's pdf",
        "author accepted manuscript",
        "accepted author manuscript",
        "version of record",
        "supplemental material",
        "supplementary material",
        "more information",
        "identifiers",
        "catalogue record",
        "export record",
        "altmetrics",
        "contributors",
        "metadata",
        "statistics",
        "actions",
        "full text",
    ];
    const STARTS: &[&str] = &[
        "skip to main content",
        "total unique views for this document",
        "full text not available from this repository",
        "the full text of this publication is not",
        "access to this publication is currently restricted",
        "download (",
        "download statistics",
        "actions (login required)",
        "repository staff only",
        "library staff only",
        "restricted to repository staff only",
        "contact us about this publication",
        "download this file",
        "available under license",
        "share this",
        "university staff: request a correction",
        "downloads since deposit",
        "download activity",
        "request a format suitable for use with assistive technology",
        "pdf (",
        "text (",
    ];
    let lower = collapse_ws(line).to_lowercase();
    let lower = lower.trim_start_matches(['•', '·', '*', '-', ' ']).trim_end_matches(':');
    lower.chars().all(|c| !c.is_alphanumeric())
        || is_file_size(lower)
        || is_document_version(lower)
        || lower.contains("(login required)")
        || lower.ends_with(" author information")
        || LINES.contains(&lower)
        || STARTS.iter().any(|s| lower.starts_with(s))
}

/// A download's size as the document block prints it: `(1MB)`, `(PDF/2MB)`, `(512kB)`.
fn is_file_size(lower: &str) -> bool {
    let Some(inner) = lower.strip_prefix('(').and_then(|s| s.strip_suffix(')')) else {
        return false;
    };
    let size = inner.rsplit('/').next().unwrap_or(inner).trim();
    let number = ["kb", "mb", "gb", "bytes"].iter().find_map(|u| size.strip_suffix(u));
    number.is_some_and(|n| {
        let n = n.trim();
        !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.')
    })
}

/// A document's file line: `e011968.full.pdf - Published Version`, `paper - Version of
/// Record`; or a download count run into its word (`1,234Downloads`).
fn is_document_version(lower: &str) -> bool {
    const VERSIONS: &[&str] = &[
        "published version",
        "version of record",
        "accepted version",
        "author's accepted manuscript",
        "accepted manuscript",
        "submitted version",
        "author's original",
        "other",
    ];
    let count = lower.strip_suffix("downloads").is_some_and(|n| {
        !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == ',' || c == ' ')
    });
    count
        || lower
            .rsplit_once(" - ")
            .is_some_and(|(file, v)| !file.contains(' ') && VERSIONS.contains(&v.trim()))
}

/// A labelled field of the metadata table, its value lines borrowed from the page.
#[derive(Debug)]
struct Field<'a> {
    label: &'a str,
    /// `None` for a label outside [`LABELS`], kept in `extra`.
    target: Option<Target>,
    offset: usize,
    values: Vec<&'a str>,
    /// For `Creator's ORCID:`, the name line above it.
    owner: Option<&'a str>,
}

/// The page sorted into its parts.
#[derive(Debug, Default)]
struct Page<'a> {
    title: Option<PageLine<'a>>,
    citation: Option<PageLine<'a>>,
    /// Name lines under the title when there is no citation line (`Green, Emma`).
    byline: Vec<&'a str>,
    abstract_paras: Vec<&'a str>,
    fields: Vec<Field<'a>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the citation line: chrome and the title.
    Header,
    /// Labels and chrome.
    Body,
    /// Paragraphs after `Abstract`.
    Abstract,
}

/// Sorts the page's lines into title, citation line, abstract paragraphs and fields.
fn scan<'a>(src: &'a str, diagnostics: &mut Vec<Diagnostic>) -> Page<'a> {
    let mut page = Page::default();
    let mut state = State::Header;
    let mut candidates: Vec<PageLine<'a>> = Vec::new();
    // Whether the last field takes the next line as (more of) its value.
    let mut open = false;
    let mut unplaced: Option<PageLine<'a>> = None;
    let (mut author_block, mut author_entry) = (false, None);
    for line in page_lines(src) {
        let t = line.text;
        if state == State::Header {
            if t.is_empty() || is_noise(t) {
                continue;
            }
            if is_citation_line(t, candidates.last().map(|c| c.text)) {
                page.citation = Some(line);
                page.title = candidates.last().copied();
                state = State::Body;
                continue;
            }
            if label_line(t).is_some_and(|(l, _)| target_of(l).is_some())
                || t.eq_ignore_ascii_case("abstract")
            {
                title_without_citation(&mut page, &candidates, diagnostics);
                state = State::Body;
            } else {
                candidates.push(line);
                continue;
            }
        }
        if t.is_empty() {
            open &= page.fields.last().is_some_and(|f| f.values.is_empty());
            continue;
        }
        if is_noise(t) {
            open = false;
            // White Rose's `Metadata`, Southampton's `More information`: the table follows.
            if ["metadata", "more information"].contains(&collapse_ws(t).to_lowercase().as_str()) {
                state = State::Body;
            }
            author_block |= collapse_ws(t).to_lowercase().ends_with(" author information");
            continue;
        }
        // Kent's author information: `Family, Given.` lines, each followed by its
        // `Creator's ORCID:` (empty for authors without one). The names repeat the authors.
        if author_block && t.ends_with('.') && is_author_entry(t.trim_end_matches('.')) {
            author_entry = Some(line);
            open = false;
            continue;
        }
        // The document block's licence: `This work is licensed under a Creative Commons …`.
        if collapse_ws(t).to_lowercase().starts_with("this work is licensed under") {
            let (offset, values) = (line.offset, vec![t]);
            let target = Some(Target::Extra("license"));
            page.fields.push(Field { label: "License", target, offset, values, owner: None });
            open = false;
            continue;
        }
        let label = label_line(t);
        let target = label.and_then(|(l, _)| target_of(l));
        // A table row (`Supervisors:<tab>Brown, Alan`) ends the abstract even when its label
        // is not one of ours; an inline heading (`Conclusion: …`) does not.
        let table_row = t.split_once(':').is_some_and(|(_, v)| v.starts_with('\t'));
        if state == State::Abstract && target.is_none() && !(label.is_some() && table_row) {
            page.abstract_paras.push(t);
            continue;
        }
        if let Some(field) = page.fields.last_mut()
            && field.target == Some(Target::Dates)
            && label.is_some_and(|(l, _)| date_kind(l).is_some())
        {
            field.values.push(t);
            open = true;
            continue;
        }
        if target == Some(Target::Abstract) || t.eq_ignore_ascii_case("abstract") {
            state = State::Abstract;
            open = false;
            if let Some((_, value)) = label.filter(|(_, v)| !v.is_empty()) {
                page.abstract_paras.push(value);
            }
            continue;
        }
        if let Some((label, value)) = label {
            state = State::Body;
            let values = if value.is_empty() { Vec::new() } else { vec![value] };
            let owner = if target == Some(Target::CreatorOrcid) {
                author_entry.take().or_else(|| unplaced.take()).map(|l: PageLine<'a>| l.text)
            } else {
                None
            };
            page.fields.push(Field { label, target, offset: line.offset, values, owner });
            open = true;
            continue;
        }
        if open && let Some(field) = page.fields.last_mut() {
            field.values.push(t);
            continue;
        }
        // Held back one line: a name line may belong to the `Creator's ORCID:` below it.
        if let Some(previous) = unplaced.replace(line) {
            not_placed(previous, diagnostics);
        }
    }
    if let Some(previous) = unplaced {
        not_placed(previous, diagnostics);
    }
    if state == State::Header {
        title_without_citation(&mut page, &candidates, diagnostics);
    }
    page
}

/// Warns about a line that fits nowhere on the page.
fn not_placed(line: PageLine<'_>, diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.push(Diagnostic::warning(line.offset, format!("line not placed: {}", line.text)));
}

/// Without a citation line the title is the first header line that is neither chrome
/// (the repository's name, navigation) nor a name; name lines after it are the byline.
fn title_without_citation<'a>(
    page: &mut Page<'a>,
    candidates: &[PageLine<'a>],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let is_chrome = |t: &str| {
        let l = t.to_lowercase();
        ["repository", "research online", "eprints", "theses online", "skip to"]
            .iter()
            .any(|w| l.contains(w))
            || ["home", "browse", "search", "about", "login", "help", "contact", "advanced search"]
                .contains(&l.as_str())
    };
    let mut lines = candidates.iter().filter(|l| !is_chrome(l.text));
    page.title = lines.by_ref().find(|l| !is_name_line(l.text)).copied();
    for line in lines {
        if is_name_line(line.text) {
            page.byline.push(line.text);
        } else {
            diagnostics
                .push(Diagnostic::warning(line.offset, format!("line not placed: {}", line.text)));
        }
    }
}

/// A line of inverted names (`Green, Emma`, `Patel, R. and Khan, S.`): a comma, no digits
/// or colons, at most eight words, each capitalised, an initial or `and`.
fn is_name_line(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    t.contains(", ")
        && words.len() <= 8
        && !t.contains(|c: char| c.is_ascii_digit() || c == ':')
        && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase) || *w == "and")
}

/// A name of Kent's author information list: `van der Berg, Pieter-Jan` (particles in
/// lowercase), a comma, no digits or colons, at most eight words.
fn is_author_entry(t: &str) -> bool {
    t.contains(", ")
        && t.split_whitespace().count() <= 8
        && !t.contains(|c: char| c.is_ascii_digit() || c == ':')
}

/// True for the citation line: `Creators (Year) Title…`, whose creators read like names
/// (a comma) or whose title part repeats the page title above it.
fn is_citation_line(line: &str, title_above: Option<&str>) -> bool {
    let Some(head) = citation_head(line) else { return false };
    head.creators.contains(',')
        || title_above.is_some_and(|t| head.rest.starts_with(collapse_ws(t).as_str()))
}

/// The start of a citation line, split at the first `(Year)`.
#[derive(Debug, PartialEq, Eq)]
struct Head<'a> {
    /// `Checkland, Kath, Coleman, Anna` (editors end in `, ed.`/`, eds.`).
    creators: &'a str,
    /// What the parentheses hold: `2013`, `2013a`, `In press`.
    when: &'a str,
    /// Title and the rest.
    rest: &'a str,
}

/// Splits `Creators (When) Rest` at the first parenthesised year or publication status.
fn citation_head(line: &str) -> Option<Head<'_>> {
    for (i, _) in line.match_indices(" (") {
        let (Some(creators), Some(after)) = (line.get(..i), line.get(i + 2..)) else {
            continue;
        };
        let Some((when, rest)) = after.split_once(')') else { continue };
        let rest = rest.trim_start();
        if is_when(when) && !creators.trim().is_empty() && !rest.is_empty() {
            return Some(Head { creators: creators.trim(), when: when.trim(), rest });
        }
    }
    None
}

/// The year a citation's parentheses open with: `2013`, `2013a`, `2013 [online]`,
/// `2013-2014` (a short note may follow the year, not more digits).
fn when_year(s: &str) -> Option<&str> {
    fn year(i: &str) -> IResult<&str, &str> {
        let (rest, year) = take_while_m_n(4, 4, |c: char| c.is_ascii_digit()).parse(i)?;
        let (rest, _) = opt(satisfy(|c| c.is_ascii_lowercase())).parse(rest)?;
        Ok((rest, year))
    }
    let (note, year) = year(s.trim()).ok()?;
    let note_ok = note.is_empty()
        || (!note.starts_with(|c: char| c.is_ascii_digit()) && note.chars().count() <= 16);
    (note_ok && year.starts_with(['1', '2'])).then_some(year)
}

/// A year or a publication status (`In press`, `n.d.`) in place of one.
fn is_when(s: &str) -> bool {
    when_year(s).is_some() || status_word(s).is_some() || s.trim().eq_ignore_ascii_case("n.d.")
}

/// A publication status printed in place of a year or after a citation, as printed.
fn status_word(s: &str) -> Option<&str> {
    const WORDS: &[&str] =
        &["in press", "submitted", "unpublished", "forthcoming", "accepted", "in preparation"];
    let s = s.trim();
    WORDS.iter().any(|w| s.eq_ignore_ascii_case(w)).then_some(s)
}

/// Strips the editor marker from a name list (`Smith, J., ed.`, `Smith, J. (eds.)`).
fn strip_editor_marker(s: &str) -> Option<&str> {
    const MARKERS: &[&str] = &[
        ", eds.", ", ed.", ", (eds.)", ", (ed.)", " (eds.)", " (ed.)", " (Eds.)", " (Ed.)",
        " (eds)", " (ed)", " (Eds)", " (Ed)", ", eds", ", ed",
    ];
    let s = s.trim();
    MARKERS.iter().find_map(|m| s.strip_suffix(m)).map(str::trim)
}

/// Finds the editor marker inside `In: Editors, eds. Book…`: the names and the rest.
fn split_editors(s: &str) -> Option<(&str, &str)> {
    const MARKERS: &[&str] = &[
        ", eds. ",
        ", ed. ",
        ", (eds.) ",
        ", (ed.) ",
        " (eds.) ",
        " (ed.) ",
        " (Eds.) ",
        " (Ed.) ",
        " (Eds) ",
        " (Ed) ",
        " (eds) ",
        " (ed) ",
    ];
    MARKERS
        .iter()
        .filter_map(|m| s.find(m).map(|i| (i, m.len())))
        .min()
        .and_then(|(i, len)| Some((s.get(..i)?, s.get(i + len..)?)))
}

/// Maps an `Item Type` value onto a kind and its parenthesised sub-type
/// (`Thesis (Doctoral)` → thesis, `Doctoral`).
fn item_kind(value: &str) -> (Kind, Option<&str>) {
    let value = value.trim();
    let (base, sub) = match matching_open(value) {
        Some(open) => (
            value.get(..open).unwrap_or(value).trim(),
            value.get(open + 1..value.len() - 1).map(str::trim),
        ),
        None => (value, None),
    };
    // Enlighten (Glasgow) names its types in the plural: `Articles`, `Book Sections`.
    let lower = base.to_lowercase();
    let kind = kind_named(&lower)
        .or_else(|| match lower.as_str() {
            "theses" => Some(Kind::Thesis),
            "monographs and working papers" => Some(Kind::Report),
            plural => plural.strip_suffix('s').and_then(kind_named),
        })
        .unwrap_or(Kind::Document);
    (kind, sub.filter(|s| !s.is_empty()))
}

/// The kind an `Item Type` names (lowercase, without its sub-type).
fn kind_named(name: &str) -> Option<Kind> {
    Some(match name {
        "article" | "journal article" => Kind::ArticleJournal,
        "book section" | "chapter" | "book chapter" => Kind::Chapter,
        "book" | "edited book" | "authored book" => Kind::Book,
        "conference or workshop item"
        | "conference item"
        | "conference paper"
        | "conference proceedings" => Kind::PaperConference,
        "monograph" | "report" | "working paper" | "technical report" | "research report" => {
            Kind::Report
        }
        "thesis" | "dissertation" => Kind::Thesis,
        "patent" => Kind::Patent,
        "dataset" => Kind::Dataset,
        _ => return None,
    })
}

/// What `build` still has to decide once every field is read.
#[derive(Debug, Default)]
struct Pending {
    official_url: Option<String>,
    sub_type: Option<String>,
    thesis_type: Option<String>,
    institution: Option<String>,
    number: Option<String>,
    published: Option<Date>,
    contributors: Vec<Person>,
}

/// Maps the scanned page onto a record.
fn build(page: &Page<'_>, diagnostics: &mut Vec<Diagnostic>) -> Record {
    let mut rec = Record::default();
    let mut pending = Pending::default();
    let mut item_type_seen = false;
    for field in &page.fields {
        item_type_seen |= field.target == Some(Target::ItemType);
        apply_field(&mut rec, &mut pending, field, diagnostics);
    }
    if rec.author.is_empty() {
        rec.author = page.byline.iter().flat_map(|l| inverted_name_list(l)).collect();
    }
    if let Some(t) = page.title {
        Record::set(&mut rec.title, t.text);
    }
    let title = rec.title.clone();

    if let Some(line) = page.citation {
        let text = collapse_ws(line.text).replace(" ,", ",");
        match read_citation(&text, title.as_deref(), rec.kind, item_type_seen) {
            Some((cited, complete)) => {
                if !complete {
                    diagnostics.push(Diagnostic::warning(
                        line.offset,
                        "part of the citation line not placed; kept in extra `citation`",
                    ));
                    rec.push_extra("citation", &text);
                }
                if !item_type_seen {
                    rec.kind = cited.kind;
                }
                fill_from(&mut rec, cited);
            }
            None => diagnostics
                .push(Diagnostic::warning(line.offset, "expected a `Creators (Year) Title.` line")),
        }
    }

    let paras: Vec<String> =
        page.abstract_paras.iter().map(|p| collapse_ws(p)).filter(|p| !p.is_empty()).collect();
    if !paras.is_empty() {
        rec.abstract_text = Some(paras.join("\n\n"));
    }
    if rec.author.is_empty() && rec.editor.is_empty() {
        rec.author = std::mem::take(&mut pending.contributors);
    }
    finish(&mut rec, pending);
    rec
}

/// Applies one labelled field.
fn apply_field(
    rec: &mut Record,
    pending: &mut Pending,
    field: &Field<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let unread = |what: &str| {
        Diagnostic::warning(field.offset, format!("{what} not recognised; kept in extra"))
    };
    let joined = collapse_ws(&field.values.join(" "));
    if joined.is_empty() && field.target != Some(Target::Dates) {
        return;
    }
    let Some(target) = field.target else {
        let name = slug(field.label);
        for value in &field.values {
            rec.push_extra(&name, &collapse_ws(value));
        }
        return;
    };
    match target {
        Target::Abstract => {}
        Target::ItemType => {
            let (kind, sub) = item_kind(&joined);
            rec.kind = kind;
            pending.sub_type = sub.map(str::to_owned);
        }
        Target::Identifier => match clean_doi(&joined) {
            Some(doi) => rec.doi = Some(doi),
            None => rec.push_extra("identification-number", &joined),
        },
        Target::OfficialUrl => pending.official_url = Some(joined),
        Target::Keywords => {
            let sep = if joined.contains(';') { ';' } else { ',' };
            rec.keyword.extend(
                joined.split(sep).map(str::trim).filter(|k| !k.is_empty()).map(str::to_owned),
            );
        }
        Target::Uri => {
            if let Some(url) = joined.split_whitespace().find(|w| w.contains("://")) {
                rec.url = Some(url.to_owned());
            } else {
                rec.push_extra("uri", &joined);
            }
        }
        Target::Editors => read_people(rec, field, true),
        Target::Isbn => {
            let isbns = isbn_list(&joined);
            if isbns.is_empty() {
                diagnostics.push(unread("ISBN"));
                rec.push_extra("isbn", &joined);
            }
            rec.isbn.extend(isbns);
        }
        Target::Issn => {
            let issns: Vec<String> = joined.split([',', ';']).filter_map(clean_issn).collect();
            if issns.is_empty() {
                diagnostics.push(unread("ISSN"));
                rec.push_extra("issn", &joined);
            }
            rec.issn.extend(issns);
        }
        Target::Publisher => Record::set(&mut rec.publisher, &joined),
        Target::Place => Record::set(&mut rec.publisher_place, &joined),
        Target::EventTitle => Record::set(&mut rec.event_title, &joined),
        Target::EventPlace => Record::set(&mut rec.event_place, &joined),
        Target::EventDates => rec.event_date = Date::parse(&joined),
        Target::Dates => read_dates(rec, pending, field),
        Target::Status => {
            if joined.eq_ignore_ascii_case("published") {
                rec.push_extra("status", &joined);
            } else {
                rec.status = Some(joined);
            }
        }
        Target::Note => {
            let note: Vec<String> = field.values.iter().map(|v| collapse_ws(v)).collect();
            rec.note = Some(note.join("\n"));
        }
        Target::Container => Record::set(&mut rec.container_title, &joined),
        Target::Volume => Record::set(&mut rec.volume, &joined),
        Target::Number => pending.number = Some(joined),
        Target::PageRange => rec.page = Some(normalize_pages(&joined)),
        Target::NumberOfPages => Record::set(&mut rec.number_of_pages, &joined),
        Target::Series => Record::set(&mut rec.collection_title, &joined),
        Target::Language => Record::set(&mut rec.language, &joined),
        Target::Institution => pending.institution = Some(joined),
        Target::ThesisType => pending.thesis_type = Some(joined),
        Target::Creators => read_people(rec, field, false),
        Target::PublishedDate => pending.published = Date::parse(&joined),
        Target::Pmid => match clean_pmid(&joined) {
            Some(pmid) => rec.pmid = Some(pmid),
            None => rec.push_extra("pmid", &joined),
        },
        Target::CreatorOrcid => {
            let id = joined.rsplit('/').next().unwrap_or(&joined);
            let who = field
                .owner
                .map(|n| Person::parse_inverted(n.trim_end_matches('.')))
                .and_then(|p| p.display_inverted());
            match who {
                Some(who) => rec.push_extra("orcid", &format!("{who}: {id}")),
                None => rec.push_extra("orcid", id),
            }
        }
        Target::Chrome => {}
        Target::Title => Record::set(&mut rec.title, &joined),
        Target::Contributor => {
            for value in &field.values {
                let name = collapse_ws(value);
                let name = name.strip_suffix("ORCID iD").unwrap_or(&name).trim();
                pending.contributors.push(Person::parse_natural(name));
            }
        }
        Target::OnlineDate => rec.available_date = Date::parse(&joined),
        Target::Extra(name) => {
            for value in &field.values {
                rec.push_extra(name, &collapse_ws(value));
            }
        }
    }
}

/// A creators or editors table (White Rose `Authors/Creators:`, `Editors:`): one name a
/// line, maybe followed by a tab and an ORCID iD, under an `Authors  ORCID` header; or
/// `Family, G. and Family, G.` on one line. ORCID iDs go to `extra` `orcid` as
/// `Family, Given: iD`.
fn read_people(rec: &mut Record, field: &Field<'_>, editors: bool) {
    for value in &field.values {
        let mut cells = value.split('\t').map(str::trim).filter(|c| !c.is_empty());
        let Some(mut name) = cells.next() else { continue };
        // A copy that turned the tab into spaces: `Allen, T. 0000-0002-1825-0097`.
        let mut orcid_in_name = None;
        if let Some((before, last)) = name.rsplit_once(' ')
            && is_orcid(last)
        {
            name = before.trim_end();
            orcid_in_name = Some(last);
        }
        let header = name.split_whitespace().all(|w| {
            ["authors", "creators", "authors/creators", "editors", "name", "orcid", "email"]
                .contains(&w.to_lowercase().as_str())
        });
        if header {
            continue;
        }
        let people = inverted_name_list(name);
        let orcid = orcid_in_name.or_else(|| cells.find(|c| is_orcid(c)));
        if let (Some(orcid), [person]) = (orcid, people.as_slice()) {
            let who = person.display_inverted().unwrap_or_default();
            rec.push_extra("orcid", &format!("{who}: {orcid}"));
        }
        if editors {
            rec.editor.extend(people);
        } else {
            rec.author.extend(people);
        }
    }
}

/// An ORCID iD, bare or as a URL: `0000-0002-1825-0097`.
fn is_orcid(s: &str) -> bool {
    let id = s.rsplit('/').next().unwrap_or(s);
    let groups: Vec<&str> = id.split('-').collect();
    groups.len() == 4
        && groups.iter().all(|g| g.len() == 4)
        && id.chars().all(|c| c.is_ascii_digit() || c == '-' || c == 'X')
}

/// `Dates:` lines: `Published: 2013` is the issue date, `Published (online): …` the online
/// date, the rest (`Accepted: …`) go to `extra` as `date-accepted` and so on.
fn read_dates(rec: &mut Record, pending: &mut Pending, field: &Field<'_>) {
    for value in &field.values {
        let (kind, date) = match label_line(value) {
            Some((label, date)) => (date_kind(label), date),
            None => (None, *value),
        };
        match kind {
            Some("published") => pending.published = Date::parse(date),
            Some("published-online") => rec.available_date = Date::parse(date),
            Some(other) => rec.push_extra(&format!("date-{other}"), &collapse_ws(date)),
            None => rec.push_extra("dates", &collapse_ws(value)),
        }
    }
}

/// ISBNs in a label value or citation tail: `978-1-2345-6789-0, 1234567890`.
fn isbn_list(s: &str) -> Vec<String> {
    s.split([',', ';']).filter_map(clean_isbn).collect()
}

/// An `extra` name made from a label: lowercase words joined by `-`.
fn slug(label: &str) -> String {
    let words: Vec<String> = label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.join("-")
}

/// Decisions that need every field: genre, thesis institution, report number, the
/// published date and the official URL.
fn finish(rec: &mut Record, pending: Pending) {
    if rec.genre.is_none() {
        rec.genre = pending.thesis_type.or(pending.sub_type);
    }
    // A thesis's institution awards it (CSL puts that in `publisher`); on other items the
    // label names the depositing university.
    if let Some(inst) = pending.institution {
        if rec.kind == Kind::Thesis && rec.publisher.is_none() {
            rec.publisher = Some(inst);
        } else if rec.publisher.as_deref() != Some(inst.as_str()) {
            rec.push_extra("institution", &inst);
        }
    }
    if let Some(number) = pending.number {
        match rec.kind {
            Kind::ArticleJournal | Kind::ArticleMagazine | Kind::ArticleNewspaper => {
                rec.issue = Some(number)
            }
            _ => rec.number = Some(number),
        }
    }
    if let Some(published) = pending.published {
        // A fuller date of the same year (or any date when the citation gave none) wins.
        let same_year = rec.issued.as_ref().is_none_or(|d| d.year == published.year);
        if same_year {
            rec.issued = Some(published);
        }
    }
    if let Some(url) = pending.official_url {
        let doi_link = url.contains("doi.org/") || url.starts_with("doi:");
        match (doi_link, clean_doi(&url)) {
            (true, Some(doi)) if rec.doi.is_none() => rec.doi = Some(doi),
            (true, Some(doi)) if rec.doi.as_deref() == Some(doi.as_str()) => {}
            _ if rec.url.is_none() => rec.url = Some(url),
            _ => rec.push_extra("official-url", &url),
        }
    }
}

/// Fills every field of `rec` the labels left empty from the citation line's record.
fn fill_from(rec: &mut Record, cited: Record) {
    macro_rules! fill {
        ($($field:ident),*) => {$(
            if rec.$field.is_none() {
                rec.$field = cited.$field;
            }
        )*};
    }
    macro_rules! fill_vec {
        ($($field:ident),*) => {$(
            if rec.$field.is_empty() {
                rec.$field = cited.$field;
            }
        )*};
    }
    fill!(
        title,
        container_title,
        collection_title,
        collection_number,
        volume,
        issue,
        page,
        number_of_pages,
        number,
        edition,
        publisher,
        publisher_place,
        event_title,
        event_place,
        event_date,
        genre,
        status,
        issued,
        doi,
        pmid
    );
    fill_vec!(author, editor, isbn, issn);
    for (name, value) in cited.extra {
        rec.extra.entry(name).or_insert(value);
    }
}

/// Reads a citation line into a record of its own: the kind it implies (used when the
/// page has no `Item Type`) and the fields it gives; `false` when some part of it could not
/// be placed. `kind` is the page's item type, which decides the shape of the rest.
fn read_citation(
    line: &str,
    title: Option<&str>,
    kind: Kind,
    kind_known: bool,
) -> Option<(Record, bool)> {
    let head = citation_head(line)?;
    let mut cit = Record::default();
    let mut complete = true;
    let (creators, orcids) = split_orcids(head.creators);
    match strip_editor_marker(&creators) {
        Some(editors) => cit.editor = inverted_name_list(editors),
        None => cit.author = inverted_name_list(&creators),
    }
    for (before, id) in orcids {
        // The iD follows its owner: the last name of the list up to it.
        let people = inverted_name_list(strip_editor_marker(&before).unwrap_or(&before));
        match people.last().and_then(Person::display_inverted) {
            Some(who) => cit.push_extra("orcid", &format!("{who}: {id}")),
            None => cit.push_extra("orcid", &id),
        }
    }
    match (status_word(head.when), when_year(head.when)) {
        (Some(status), _) => cit.status = Some(status.to_owned()),
        (None, Some(year)) => cit.issued = Date::parse(year),
        // `n.d.`: no date.
        (None, None) => {}
    }
    let (cited_title, after) = split_title(head.rest, title);
    cit.title = cited_title;
    let core = strip_tail(after, &mut cit);
    let kind = if kind_known { kind } else { guess_kind(core, !cit.isbn.is_empty()) };
    cit.kind = kind;
    if !core.is_empty() {
        complete = match kind {
            Kind::Chapter => in_book(core, &mut cit, false),
            Kind::PaperConference if core.starts_with("In:") => in_book(core, &mut cit, true),
            Kind::PaperConference => conference_tail(core, &mut cit),
            Kind::Book => book_tail(core, &mut cit),
            Kind::Report => report_tail(core, &mut cit),
            Kind::Thesis => thesis_tail(core, &mut cit),
            _ if core.starts_with("In:") => in_book(core, &mut cit, false),
            _ => journal_tail(core, &mut cit),
        };
    }
    Some((cit, complete))
}

/// Takes the `ORCID: 0000-…` marks out of a creators list (LSE prints one after each
/// name that has an iD): the list without them, and for each iD the list up to it.
fn split_orcids(creators: &str) -> (String, Vec<(String, String)>) {
    let mut parts = creators.split("ORCID:");
    let mut clean = parts.next().unwrap_or_default().trim_end().to_owned();
    let mut orcids = Vec::new();
    for part in parts {
        let part = part.trim_start();
        let (id, rest) = part.split_once(char::is_whitespace).unwrap_or((part, ""));
        let bare = id.trim_end_matches([',', ';']);
        if is_orcid(bare) {
            let bare = bare.rsplit('/').next().unwrap_or(bare);
            orcids.push((clean.clone(), bare.to_owned()));
            if id.ends_with(',') {
                clean.push(',');
            }
        } else {
            // Not an iD after all: keep the text as printed.
            clean.push_str(" ORCID: ");
            clean.push_str(id);
        }
        if !rest.is_empty() {
            clean.push(' ');
            clean.push_str(rest.trim());
        }
    }
    (clean, orcids)
}

/// The kind a citation's rest implies when the page has no `Item Type`.
fn guess_kind(core: &str, has_isbn: bool) -> Kind {
    if core.starts_with("In:") {
        Kind::Chapter
    } else if core.to_ascii_lowercase().contains(" thesis") {
        Kind::Thesis
    } else if core.split(", ").last().is_some_and(|v| v.chars().any(|c| c.is_ascii_digit())) {
        Kind::ArticleJournal
    } else if has_isbn {
        Kind::Book
    } else {
        Kind::Document
    }
}

/// Splits the title from what follows it: at the page title when the citation repeats it,
/// else at the first sentence end (`. `, `? `, `! `).
fn split_title<'a>(rest: &'a str, title: Option<&str>) -> (Option<String>, &'a str) {
    let after_title = |after: &'a str| after.trim_start_matches(['.', ' ']);
    if let Some(title) = title
        && let Some(after) = rest.strip_prefix(title)
    {
        return (Some(title.to_owned()), after_title(after));
    }
    // A `?` or `!` may end a title or open its subtitle (`Who decides? Commissioning …
    // borders. In: …`): it ends the title when what follows starts the citation's rest
    // (`In:`, or a segment with a comma or digit: `Journal, 220`, `Press, Bristol`) or no
    // `. ` follows at all.
    let ends_title = |i: usize, p: &str| {
        let after = rest.get(i + p.len()..).unwrap_or_default();
        let next = after.split(". ").next().unwrap_or_default();
        p == ". "
            || after.starts_with("In:")
            || next.contains(|c: char| c == ',' || c.is_ascii_digit())
            || !after.contains(". ")
    };
    let end = [". ", "? ", "! "]
        .iter()
        .flat_map(|p| rest.match_indices(p).map(|(i, _)| (i, *p)))
        .filter(|&(i, p)| ends_title(i, p))
        .min();
    match end {
        Some((i, p)) => {
            let keep = if p == ". " { i } else { i + 1 };
            let title = rest.get(..keep).unwrap_or(rest);
            (Some(title.to_owned()), after_title(rest.get(i + 2..).unwrap_or_default()))
        }
        None => (Some(rest.trim_end_matches('.').to_owned()), ""),
    }
}

/// Takes the identifiers and notes off the end of a citation: `(doi:…)`, `(KAR id:35069)`,
/// `(In Press)`, `(The full text …)`, `ISSN …`, `ISBN …`. Returns what is left.
fn strip_tail<'a>(s: &'a str, cit: &mut Record) -> &'a str {
    let trim = |s: &'a str| s.trim().trim_end_matches(['.', ',']).trim_end();
    let mut s = trim(s);
    loop {
        if let Some(open) = matching_open(s) {
            let inner = s.get(open + 1..s.len() - 1).unwrap_or_default().trim();
            let lower = inner.to_lowercase();
            if lower.starts_with("doi:") || lower.contains("doi.org/") {
                cit.doi = clean_doi(inner);
            } else if lower.starts_with("pmid") && clean_pmid(inner).is_some() {
                // Enlighten: `(PMID:32661011)`.
                cit.pmid = clean_pmid(inner);
            } else if let Some((_, id)) = inner.split_once("id:").filter(|(name, id)| {
                !name.trim().contains(' ') && !id.trim().is_empty() && id.trim().len() < 20
            }) {
                cit.push_extra("repository-id", id.trim());
            } else if let Some(status) = status_word(inner) {
                cit.status = Some(status.to_owned());
            } else if !lower.starts_with("the full text")
                && !lower.starts_with("access to this publication")
                && !lower.starts_with("full text")
            {
                return s;
            }
            s = trim(s.get(..open).unwrap_or_default());
            continue;
        }
        // UCL: `… Article e011968. 10.1136/bmjopen-2016-011968`.
        if let Some((before, last)) = s.rsplit_once(". ")
            && last.starts_with("10.")
            && !last.contains(' ')
            && let Some(doi) = clean_doi(last)
        {
            cit.doi = Some(doi);
            s = trim(before);
            continue;
        }
        if let Some(i) = s.rfind("ISSN ") {
            let issns: Option<Vec<String>> = s
                .get(i + 5..)
                .unwrap_or_default()
                .split([',', ';', ' '])
                .map(|t| t.trim_end_matches('.'))
                .filter(|t| !t.is_empty())
                .map(clean_issn)
                .collect();
            if let Some(issns) = issns.filter(|v| !v.is_empty()) {
                // `ISSN 0960-1643. E-ISSN 1478-5242`: the electronic one is printed last.
                let before = s.get(..i).unwrap_or_default();
                let before = before
                    .strip_suffix("E-")
                    .or_else(|| before.strip_suffix("e-"))
                    .or_else(|| before.strip_suffix("Online "))
                    .unwrap_or(before);
                for issn in issns.into_iter().rev() {
                    if !cit.issn.contains(&issn) {
                        cit.issn.insert(0, issn);
                    }
                }
                s = trim(before);
                continue;
            }
        }
        if let Some(i) = s.rfind("ISBN ") {
            let isbns = isbn_list(s.get(i + 5..).unwrap_or_default());
            if !isbns.is_empty() {
                // `ISBN 978-…. E-ISBN 978-…`: read from the end, kept in printed order.
                let before = s.get(..i).unwrap_or_default();
                let before = before.strip_suffix("E-").or_else(|| before.strip_suffix("e-"));
                for isbn in isbns.into_iter().rev() {
                    if !cit.isbn.contains(&isbn) {
                        cit.isbn.insert(0, isbn);
                    }
                }
                s = trim(before.unwrap_or(s.get(..i).unwrap_or_default()));
                continue;
            }
        }
        return s;
    }
}

/// A page range or article number: a short token with a digit and no spaces.
fn is_pages(s: &str) -> bool {
    let s = normalize_pages(s);
    !s.is_empty()
        && s.len() <= 24
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars().all(|c| c.is_alphanumeric() || c == '-')
}

/// Splits `… pp. 1-20` / `… p. 5` at its page prefix: the text before and the pages.
fn split_pp(s: &str) -> Option<(&str, String)> {
    for prefix in ["pp. ", "pp.", "pp ", "p. ", "p."] {
        let Some(i) = s.rfind(prefix) else { continue };
        let before = s.get(..i)?;
        let at_word_start = before.is_empty() || before.ends_with([' ', '.', ',', '(']);
        let pages = s.get(i + prefix.len()..)?.trim();
        if at_word_start && is_pages(pages) {
            return Some((before.trim_end_matches([' ', '.', ',']), normalize_pages(pages)));
        }
    }
    None
}

/// A `pp. 45-52` segment inside a citation's rest (followed by `. ` and more): the rest
/// without it, and the pages.
fn inner_pp(s: &str) -> Option<(String, String)> {
    for (i, _) in s.match_indices("pp. ") {
        let before = s.get(..i)?;
        if !(before.is_empty() || before.ends_with([' ', '.', ',', '('])) {
            continue;
        }
        let after = s.get(i + 4..)?;
        let (pages, rest) = after.split_once(". ").unwrap_or((after, ""));
        let pages = pages.trim_end_matches(['.', ',']);
        if is_pages(pages) {
            let before = before.trim_end_matches([' ', '.', ',']);
            return Some((format!("{before}. {rest}"), normalize_pages(pages)));
        }
    }
    None
}

/// `Journal, 63 (614). e611-e619` / `Journal, 12 (3). pp. 1-20` / `Journal, 12` /
/// `Journal`: container, volume, issue, pages. Always places everything.
fn journal_tail(core: &str, cit: &mut Record) -> bool {
    let mut s = core.trim();
    let article_number = [". ", ", "].iter().find_map(|sep| {
        let (before, last) = s.rsplit_once(sep)?;
        let number =
            ["Article Number ", "Article number ", "Article no. ", "Article No. ", "Article "]
                .iter()
                .find_map(|p| last.strip_prefix(p))
                // Southampton: `BMJ Open, 9 (3), [e024567]`.
                .or_else(|| last.strip_prefix('[').and_then(|l| l.strip_suffix(']')))?;
        is_pages(number).then_some((before, number))
    });
    if let Some((before, number)) = article_number {
        cit.page = Some(number.to_owned());
        s = before;
    } else if let Some((before, pages)) = split_pp(s) {
        cit.page = Some(pages);
        s = before;
    } else if let Some((before, last)) = s.rsplit_once(". ").or_else(|| s.rsplit_once(", "))
        && is_pages(last)
        && before.ends_with(')')
    {
        cit.page = Some(normalize_pages(last));
        s = before;
    } else if let Some((before, last)) = s.rsplit_once(". ")
        && is_pages(last)
    {
        cit.page = Some(normalize_pages(last));
        s = before;
    }
    s = s.trim_end_matches(['.', ',']).trim_end();
    if let Some(open) = matching_open(s)
        && let Some(inner) = s.get(open + 1..s.len() - 1)
        && inner.chars().any(|c| c.is_ascii_digit())
    {
        cit.issue = Some(inner.trim().to_owned());
        s = s.get(..open).unwrap_or_default().trim_end().trim_end_matches(',');
    }
    if let Some((before, last)) = s.rsplit_once(", ") {
        let last = last.trim();
        let vol = last
            .strip_prefix("Vol. ")
            .or_else(|| last.strip_prefix("vol. "))
            .or_else(|| last.strip_prefix("Volume "))
            .unwrap_or(last);
        if vol.len() <= 16 && vol.chars().any(|c| c.is_ascii_digit()) {
            cit.volume = Some(vol.to_owned());
            s = before;
        }
    }
    Record::set(&mut cit.container_title, s);
    true
}

/// `Publisher, Place`: the place is the last comma part, or the last two when the last
/// names a country or state (`Bristol, UK`, `San Francisco, CA`); the publisher is the rest
/// (`Centre for Health Services Studies, University of Kent`).
fn publisher_place(s: &str, cit: &mut Record) {
    let s = s.trim().trim_end_matches('.');
    let mut parts: Vec<&str> = s.split(", ").collect();
    if let Some(n) = parts.last().and_then(|p| page_count(p))
        && parts.len() > 1
    {
        cit.number_of_pages = Some(n.to_owned());
        parts.pop();
    }
    let place_parts = match parts.as_slice() {
        [] | [_] => 0,
        [_, _] => 1,
        [.., last] if is_region(last) => 2,
        _ => 1,
    };
    let split = parts.len() - place_parts;
    Record::set(&mut cit.publisher, &parts[..split].join(", "));
    Record::set(&mut cit.publisher_place, &parts[split..].join(", "));
}

/// A country or state that follows a city in a place of publication.
fn is_region(s: &str) -> bool {
    const REGIONS: &[&str] = &[
        "England",
        "Scotland",
        "Wales",
        "Ireland",
        "Northern Ireland",
        "United Kingdom",
        "United States",
        "Canada",
        "Australia",
        "New Zealand",
        "Germany",
        "France",
        "Italy",
        "Spain",
        "Portugal",
        "Netherlands",
        "The Netherlands",
        "Switzerland",
        "Sweden",
        "Norway",
        "Denmark",
        "Finland",
        "Belgium",
        "Austria",
        "India",
        "China",
        "Japan",
        "Singapore",
        "South Africa",
        "Brazil",
    ];
    let s = s.trim();
    (s.len() <= 3 && s.len() >= 2 && s.chars().all(|c| c.is_ascii_uppercase() || c == '.'))
        || REGIONS.contains(&s)
}

/// A series segment: `Series Name (7)` or `Series Name, 7`; `None` otherwise.
fn series(s: &str) -> Option<(&str, Option<&str>)> {
    let s = s.trim();
    if let Some(open) = matching_open(s) {
        let number = s.get(open + 1..s.len() - 1)?.trim();
        if number.chars().any(|c| c.is_ascii_digit()) && number.len() <= 16 {
            return Some((s.get(..open)?.trim(), Some(number)));
        }
    }
    if let Some((name, number)) = s.rsplit_once(", ")
        && number.len() <= 16
        && number.chars().any(|c| c.is_ascii_digit())
    {
        return Some((name, Some(number)));
    }
    None
}

/// `In: Editors, eds. Book Title. Series (7). Publisher, Place, pp. 1-20` (book section,
/// proceedings), or for a conference item without proceedings `In: Event, Dates, Place`.
fn in_book(core: &str, cit: &mut Record, conference: bool) -> bool {
    let mut s = core.strip_prefix("In:").unwrap_or(core).trim();
    if let Some((names, rest)) = split_editors(s) {
        cit.editor = inverted_name_list(names);
        s = rest.trim();
    }
    let without_pp;
    if let Some((before, pages)) = split_pp(s) {
        cit.page = Some(pages);
        s = before;
    } else if let Some((rest, pages)) = inner_pp(s) {
        // `In: Proceedings. . pp. 45-52. Publisher, Place` (Kent's proceedings papers).
        cit.page = Some(pages);
        without_pp = rest;
        s = &without_pp;
    }
    // Empty slots of the citation template leave `. .`: segments without a letter or digit.
    let segments: Vec<&str> =
        s.split(". ").map(str::trim).filter(|p| p.chars().any(char::is_alphanumeric)).collect();
    if conference && segments.len() == 1 && cit.page.is_none() && cit.editor.is_empty() {
        event(segments[0], cit);
        return true;
    }
    match segments.as_slice() {
        [] => {}
        [book] => Record::set(&mut cit.container_title, book),
        [book, middle @ .., publisher] => {
            let mut book = (*book).to_owned();
            for part in middle {
                if let Some(edition) = edition(part) {
                    Record::set(&mut cit.edition, edition);
                    continue;
                }
                match series(part) {
                    Some((name, number)) if cit.collection_title.is_none() => {
                        Record::set(&mut cit.collection_title, name);
                        cit.collection_number = number.map(str::to_owned);
                    }
                    _ => {
                        book.push_str(". ");
                        book.push_str(part);
                    }
                }
            }
            Record::set(&mut cit.container_title, &book);
            publisher_place(publisher, cit);
        }
    }
    true
}

/// `Event Title, 1-3 June 2015, Place`: the segment with a year is the date, what precedes
/// it the event's name, what follows its place.
fn event(s: &str, cit: &mut Record) {
    let parts: Vec<&str> = s.split(", ").collect();
    let has_year = |p: &str| {
        p.split(|c: char| !c.is_ascii_digit()).any(|n| n.len() == 4 && n.starts_with(['1', '2']))
    };
    match parts.iter().position(|p| has_year(p)) {
        Some(i) if i > 0 => {
            Record::set(&mut cit.event_title, &parts[..i].join(", "));
            cit.event_date = Date::parse(parts[i]);
            Record::set(&mut cit.event_place, &parts[i + 1..].join(", "));
        }
        _ => Record::set(&mut cit.event_title, s),
    }
}

/// A conference item's rest without `In:` (Southampton): `Event, Place. 03 - 06 Jul 2017.
/// 10 pp.`: the event, its dates, a page count.
fn conference_tail(core: &str, cit: &mut Record) -> bool {
    let mut placed = true;
    for (i, segment) in core.split(". ").map(str::trim).filter(|p| !p.is_empty()).enumerate() {
        let date = Date::parse(segment).filter(|d| d.literal.is_none());
        if let Some(n) = page_count(segment) {
            cit.number_of_pages = Some(n.to_owned());
        } else if date.is_some() && cit.event_date.is_none() {
            cit.event_date = date;
        } else if i == 0 {
            event(segment, cit);
        } else {
            placed = false;
        }
    }
    placed
}

/// `10 pp` / `250 pp.`: a page count.
fn page_count(s: &str) -> Option<&str> {
    let n = s.trim_end_matches('.').strip_suffix(" pp")?.trim();
    (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then_some(n)
}

/// `Series. Publisher, Place` after a book's title.
fn book_tail(core: &str, cit: &mut Record) -> bool {
    let segments: Vec<&str> = core.split(". ").map(str::trim).filter(|p| !p.is_empty()).collect();
    let Some((publisher, rest)) = segments.split_last() else { return true };
    publisher_place(publisher, cit);
    let mut placed = true;
    for part in rest {
        if let Some(edition) = edition(part) {
            Record::set(&mut cit.edition, edition);
        } else if cit.collection_title.is_none() {
            let (name, number) = series(part).unwrap_or((part, None));
            Record::set(&mut cit.collection_title, name);
            cit.collection_number = number.map(str::to_owned);
        } else {
            placed = false;
        }
    }
    placed
}

/// `2nd ed` / `3rd edn` / `Second edition`: the edition as printed, without `ed.`.
fn edition(s: &str) -> Option<&str> {
    let s = s.trim().trim_end_matches('.');
    let (number, word) = s.rsplit_once(' ')?;
    let is_ed = ["ed", "edn", "edition", "Edition", "Ed"].contains(&word);
    let ordinal = number.ends_with("st")
        || number.ends_with("nd")
        || number.ends_with("rd")
        || number.ends_with("th")
        || ["First", "Second", "Third", "Fourth", "Fifth", "Revised", "New"].contains(&number);
    (is_ed && ordinal && !number.contains(' ')).then_some(number)
}

/// `Report type. Series (12). Publisher, Place` after a monograph's title.
fn report_tail(core: &str, cit: &mut Record) -> bool {
    let segments: Vec<&str> = core.split(". ").map(str::trim).filter(|p| !p.is_empty()).collect();
    let looks_like_genre = |s: &str| {
        let l = s.to_lowercase();
        ["report", "paper", "briefing", "note", "brief", "monograph", "documentation"]
            .iter()
            .any(|w| l.contains(w))
            && !s.contains(", ")
    };
    match segments.as_slice() {
        [] => true,
        [one] if looks_like_genre(one) => {
            Record::set(&mut cit.genre, one);
            true
        }
        [one] => {
            publisher_place(one, cit);
            true
        }
        [first, middle @ .., publisher] => {
            let mut placed = true;
            let mut middle = middle.to_vec();
            if looks_like_genre(first) {
                Record::set(&mut cit.genre, first);
            } else {
                middle.insert(0, first);
            }
            for part in middle {
                match series(part) {
                    Some((name, number)) if cit.collection_title.is_none() => {
                        Record::set(&mut cit.collection_title, name);
                        cit.collection_number = number.map(str::to_owned);
                    }
                    _ if cit.collection_title.is_none() => {
                        Record::set(&mut cit.collection_title, part)
                    }
                    _ => placed = false,
                }
            }
            publisher_place(publisher, cit);
            placed
        }
    }
}

/// `Doctor of Philosophy (PhD) thesis, University of Kent` / `PhD thesis, University of
/// Leeds`: the genre up to `thesis`, the institution after it.
fn thesis_tail(core: &str, cit: &mut Record) -> bool {
    // ASCII lowercase keeps byte offsets, so `i` indexes `core` too.
    let lower = core.to_ascii_lowercase();
    let Some(i) = lower.find(" thesis").or_else(|| lower.find("thesis")) else {
        return false;
    };
    let end = if lower.get(i..).is_some_and(|s| s.starts_with(' ')) { i + 7 } else { i + 6 };
    Record::set(&mut cit.genre, core.get(..end).unwrap_or(core));
    let rest = core.get(end..).unwrap_or_default().trim_start_matches([',', ' ']);
    Record::set(&mut cit.publisher, rest.trim_end_matches(['.', ',', ' ']));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cite(line: &str, title: Option<&str>, kind: Kind) -> Record {
        read_citation(line, title, kind, kind != Kind::Document).expect("a citation").0
    }

    fn names(people: &[Person]) -> Vec<String> {
        people.iter().filter_map(Person::display_inverted).collect()
    }

    #[test]
    fn label_lines() {
        assert_eq!(label_line("Item Type: Article"), Some(("Item Type", "Article")));
        assert_eq!(label_line("Official URL:"), Some(("Official URL", "")));
        assert_eq!(label_line("Item Type:\tBook Section"), Some(("Item Type", "Book Section")));
        assert_eq!(
            label_line("DOI/Identification number: 10.3399/x"),
            Some(("DOI/Identification number", "10.3399/x"))
        );
        assert_eq!(label_line("http://example.org"), None);
        assert_eq!(label_line("Ratio 1:2"), None);
        assert_eq!(label_line("background: x"), None);
    }

    #[test]
    fn citation_heads() {
        let h = citation_head("Smith, J. (2013) Title. J, 1.").unwrap();
        assert_eq!((h.creators, h.when, h.rest), ("Smith, J.", "2013", "Title. J, 1."));
        let h = citation_head("Smith, J. (ed.) (2013b) Title.").unwrap();
        assert_eq!((h.creators, h.when), ("Smith, J. (ed.)", "2013b"));
        assert_eq!(citation_head("Smith, J. (In press) T.").unwrap().when, "In press");
        assert_eq!(citation_head("A title (with words) here"), None);
        assert_eq!(citation_head("Smith, J. (2013 [online]) T.").unwrap().when, "2013 [online]");
        assert_eq!(citation_head("Smith, J. (n.d.) T.").unwrap().when, "n.d.");
        assert_eq!(citation_head("Lab (12345) T."), None);
        assert_eq!(when_year("2013a"), Some("2013"));
        assert_eq!(when_year("2013-2014"), Some("2013"));
        assert_eq!(when_year("20134"), None);
        assert_eq!(citation_head("Only (2013)"), None);
    }

    #[test]
    fn item_types() {
        assert_eq!(item_kind("Article"), (Kind::ArticleJournal, None));
        assert_eq!(item_kind("Book Section"), (Kind::Chapter, None));
        assert_eq!(item_kind("Thesis (Doctoral)"), (Kind::Thesis, Some("Doctoral")));
        assert_eq!(item_kind("Monograph (Working Paper)"), (Kind::Report, Some("Working Paper")));
        assert_eq!(
            item_kind("Conference or Workshop Item (Paper)"),
            (Kind::PaperConference, Some("Paper"))
        );
        assert_eq!(item_kind("Image"), (Kind::Document, None));
        assert_eq!(item_kind("Articles"), (Kind::ArticleJournal, None));
        assert_eq!(item_kind("Book Sections"), (Kind::Chapter, None));
        assert_eq!(item_kind("Theses"), (Kind::Thesis, None));
        assert_eq!(item_kind("Conference Proceedings"), (Kind::PaperConference, None));
    }

    /// Shapes seen on other sites' pages: ORCID iDs inside the creators (LSE), `(PMID:…)`
    /// and `70(698), e657-e664` (Enlighten), `. . pp. 45-52.` inside a proceedings
    /// citation, `ISBN …. E-ISBN …` (Kent).
    #[test]
    fn other_sites_citations() {
        let r = cite(
            "Cooper, Zack ORCID: 0000-0002-3410-5555, Gibbons, Stephen ORCID: \
             https://orcid.org/0000-0003-4123-9876 and Skellern, Matthew (2018) T. J, 61. 1 - 14.",
            None,
            Kind::ArticleJournal,
        );
        assert_eq!(names(&r.author), ["Cooper, Zack", "Gibbons, Stephen", "Skellern, Matthew"]);
        assert_eq!(
            r.extra.get("orcid").map(String::as_str),
            Some("Cooper, Zack: 0000-0002-3410-5555\nGibbons, Stephen: 0000-0003-4123-9876")
        );
        assert_eq!(r.page.as_deref(), Some("1-14"));
        let r = cite(
            "MacDonald, S. , de Vries, R. and Ahmed, N. (2020) T. British Journal of General \
             Practice, 70(698), e657-e664. (doi: 10.3399/bjgp20X712385) (PMID:32661011)"
                .replace(" ,", ",")
                .as_str(),
            None,
            Kind::ArticleJournal,
        );
        assert_eq!(r.container_title.as_deref(), Some("British Journal of General Practice"));
        assert_eq!((r.volume.as_deref(), r.issue.as_deref()), (Some("70"), Some("698")));
        assert_eq!(r.page.as_deref(), Some("e657-e664"));
        assert_eq!(r.doi.as_deref(), Some("10.3399/bjgp20X712385"));
        assert_eq!(r.pmid.as_deref(), Some("32661011"));
        let r = cite(
            "Smith, Ann (2019) T. In: Proceedings of the 14th Conference. . pp. 45-52. \
             Some Association, Oxford, UK (KAR id:77123)",
            None,
            Kind::PaperConference,
        );
        assert_eq!(r.container_title.as_deref(), Some("Proceedings of the 14th Conference"));
        assert_eq!(r.page.as_deref(), Some("45-52"));
        assert_eq!(r.publisher.as_deref(), Some("Some Association"));
        assert_eq!(r.publisher_place.as_deref(), Some("Oxford, UK"));
        let r = cite(
            "Smith, Ann (2021) T. Palgrave, Cham, 312 pp. ISBN 978-3-030-71234-5. \
             E-ISBN 978-3-030-71235-2.",
            None,
            Kind::Book,
        );
        assert_eq!(r.isbn, ["978-3-030-71234-5", "978-3-030-71235-2"]);
        assert_eq!(r.number_of_pages.as_deref(), Some("312"));
    }

    /// Kent's author information block: a name line, then `Creator's ORCID:`; `Export to:`
    /// and its menu are chrome.
    #[test]
    fn kent_author_information() {
        let src = "T\nSmith, Ann (2019) T. J, 1.\nItem Type: Article\nURI: http://x/1\n\n\
                   University of Kent Author Information\n\nvan der Berg, Jan.\n\
                   Creator's ORCID: https://orcid.org/0000-0002-4411-9876\n\
                   CReDIT Contributor Roles:\n\nAllan, Stephen.\nCreator's ORCID:\n\
                   CReDIT Contributor Roles:\n\nExport to:\nRefWorks\nBibTeX\n\
                   This work is licensed under a Creative Commons Attribution 4.0 License.\n";
        let parsed = parse(src);
        let r = &parsed.records[0];
        assert_eq!(
            r.extra.get("orcid").map(String::as_str),
            Some("van der Berg, Jan: 0000-0002-4411-9876")
        );
        assert!(!r.extra.contains_key("export-to"));
        assert!(!r.extra.contains_key("credit-contributor-roles"));
        assert_eq!(
            r.extra.get("license").map(String::as_str),
            Some("This work is licensed under a Creative Commons Attribution 4.0 License.")
        );
        assert_eq!(parsed.diagnostics, []);
    }

    /// One citation line per shape: the fields it must give, as `field=value` pairs.
    #[test]
    fn citation_shapes() {
        type Case = (&'static str, Kind, &'static [(&'static str, &'static str)]);
        let cases: &[Case] = &[
            (
                "Checkland, Kath, Coleman, Anna (2013) Primary care. British Journal of General \
                 Practice, 63 (614). e611-e619. ISSN 0960-1643. (doi:10.3399/bjgp13X671597) \
                 (KAR id:35069)",
                Kind::ArticleJournal,
                &[
                    ("author", "Checkland, Kath; Coleman, Anna"),
                    ("issued", "2013"),
                    ("title", "Primary care"),
                    ("container", "British Journal of General Practice"),
                    ("volume", "63"),
                    ("issue", "614"),
                    ("page", "e611-e619"),
                    ("issn", "0960-1643"),
                    ("doi", "10.3399/bjgp13X671597"),
                    ("repository-id", "35069"),
                ],
            ),
            (
                "Smith, J. and Jones, A.B. (2019) Does it work? Social Science & Medicine, 220. \
                 pp. 45-67. ISSN 0277-9536",
                Kind::ArticleJournal,
                &[
                    ("author", "Smith, J.; Jones, A.B."),
                    ("title", "Does it work?"),
                    ("container", "Social Science & Medicine"),
                    ("volume", "220"),
                    ("page", "45-67"),
                    ("issn", "0277-9536"),
                ],
            ),
            (
                "Smith, John (In press) A title. Journal of Things.",
                Kind::ArticleJournal,
                &[("status", "In press"), ("container", "Journal of Things"), ("issued", "")],
            ),
            (
                "Peckham, Stephen (2014) Chapter. In: Exworthy, Mark and Powell, Martin, eds. \
                 Health Policy. Policy Press, Bristol, pp. 1-20. ISBN 978-1-4473-0544-6",
                Kind::Chapter,
                &[
                    ("editor", "Exworthy, Mark; Powell, Martin"),
                    ("container", "Health Policy"),
                    ("publisher", "Policy Press"),
                    ("place", "Bristol"),
                    ("page", "1-20"),
                    ("isbn", "978-1-4473-0544-6"),
                ],
            ),
            (
                "Smith, A. (2010) Chapter. In: Jones, B., (ed.) Book Title. Studies in Policy \
                 (7). Routledge, London, UK, pp. 33-50.",
                Kind::Chapter,
                &[
                    ("editor", "Jones, B."),
                    ("container", "Book Title"),
                    ("series", "Studies in Policy"),
                    ("series-number", "7"),
                    ("publisher", "Routledge"),
                    ("place", "London, UK"),
                    ("page", "33-50"),
                ],
            ),
            (
                "Brown, C. (2008) A Book. Palgrave Macmillan, Basingstoke. ISBN 9780230000001",
                Kind::Book,
                &[
                    ("publisher", "Palgrave Macmillan"),
                    ("place", "Basingstoke"),
                    ("isbn", "9780230000001"),
                ],
            ),
            (
                "Lee, D., eds. (2011) Edited Book. Sage, London.",
                Kind::Book,
                &[("author", ""), ("editor", "Lee, D."), ("publisher", "Sage")],
            ),
            (
                "Green, E. (2015) Talk. In: 10th Conference on Care, 1-3 June 2015, Leeds, UK.",
                Kind::PaperConference,
                &[
                    ("event", "10th Conference on Care"),
                    ("event-date", "2015-06-01/2015-06-03"),
                    ("event-place", "Leeds, UK"),
                    ("container", ""),
                ],
            ),
            (
                "Gray, F. (2012) Report. Working Paper. CHSS Working Papers (12). University of \
                 Kent, Canterbury.",
                Kind::Report,
                &[
                    ("genre", "Working Paper"),
                    ("series", "CHSS Working Papers"),
                    ("series-number", "12"),
                    ("publisher", "University of Kent"),
                    ("place", "Canterbury"),
                ],
            ),
            (
                "White, G. (2016) Thesis Title. Doctor of Philosophy (PhD) thesis, University \
                 of Kent.",
                Kind::Thesis,
                &[
                    ("genre", "Doctor of Philosophy (PhD) thesis"),
                    ("publisher", "University of Kent"),
                ],
            ),
            (
                "Grey, I. (2019) Trial. BMJ Open, 9 (3). Article Number e024567. ISSN \
                 2044-6055. E-ISSN 2044-6055. (doi:10.1136/bmjopen-2018-024567)",
                Kind::ArticleJournal,
                &[("page", "e024567"), ("issue", "3"), ("container", "BMJ Open")],
            ),
            (
                "Checkland, K. (2013) T. British Journal of General Practice, 63 (614). \
                 e611-e619. ISSN 0960-1643. E-ISSN 1478-5242.",
                Kind::ArticleJournal,
                &[("issn", "0960-1643; 1478-5242"), ("page", "e611-e619")],
            ),
            (
                "Stone, J. (2016) T. Doctor of Philosophy (PhD) thesis, University of Kent,. \
                 (Access to this publication is currently restricted. You may be able to \
                 access a copy if URLs are provided) (KAR id:54321)",
                Kind::Thesis,
                &[("publisher", "University of Kent"), ("repository-id", "54321")],
            ),
            (
                "Hill, K. (2010) A Book. Palgrave Macmillan, Basingstoke, UK, 256 pp. ISBN \
                 978-0-230-00000-1",
                Kind::Book,
                &[
                    ("publisher", "Palgrave Macmillan"),
                    ("place", "Basingstoke, UK"),
                    ("pages", "256"),
                    ("isbn", "978-0-230-00000-1"),
                ],
            ),
            (
                "Young, N. (2012) Health Policy. 2nd ed. Sage, London. ISBN 9781446200001",
                Kind::Book,
                &[("edition", "2nd"), ("series", ""), ("publisher", "Sage"), ("place", "London")],
            ),
            (
                "Ward, L. (2015) Talk. In: Proceedings of the 5th Conference on Care. Springer, \
                 pp. 1-10. ISBN 978-3-319-00000-2",
                Kind::PaperConference,
                &[
                    ("container", "Proceedings of the 5th Conference on Care"),
                    ("publisher", "Springer"),
                    ("page", "1-10"),
                ],
            ),
            (
                "Wood, M. (2015) Talk. In: 5th Conference on Care, 12-14 June 2015, Canterbury, \
                 UK. (Unpublished) (KAR id:50000)",
                Kind::PaperConference,
                &[
                    ("event", "5th Conference on Care"),
                    ("event-place", "Canterbury, UK"),
                    ("status", "Unpublished"),
                ],
            ),
            (
                "Black, H (2015) Title. PhD thesis, University of Leeds.",
                Kind::Document,
                &[
                    ("kind", "thesis"),
                    ("genre", "PhD thesis"),
                    ("publisher", "University of Leeds"),
                ],
            ),
        ];
        for (line, kind, want) in cases {
            let r = cite(line, None, *kind);
            for (field, value) in *want {
                let got = match *field {
                    "author" => names(&r.author).join("; "),
                    "editor" => names(&r.editor).join("; "),
                    "issued" => r.issued.as_ref().and_then(Date::to_edtf).unwrap_or_default(),
                    "title" => r.title.clone().unwrap_or_default(),
                    "container" => r.container_title.clone().unwrap_or_default(),
                    "volume" => r.volume.clone().unwrap_or_default(),
                    "issue" => r.issue.clone().unwrap_or_default(),
                    "page" => r.page.clone().unwrap_or_default(),
                    "issn" => r.issn.join("; "),
                    "isbn" => r.isbn.join("; "),
                    "doi" => r.doi.clone().unwrap_or_default(),
                    "status" => r.status.clone().unwrap_or_default(),
                    "publisher" => r.publisher.clone().unwrap_or_default(),
                    "place" => r.publisher_place.clone().unwrap_or_default(),
                    "series" => r.collection_title.clone().unwrap_or_default(),
                    "series-number" => r.collection_number.clone().unwrap_or_default(),
                    "event" => r.event_title.clone().unwrap_or_default(),
                    "event-place" => r.event_place.clone().unwrap_or_default(),
                    "event-date" => {
                        r.event_date.as_ref().and_then(Date::to_edtf).unwrap_or_default()
                    }
                    "genre" => r.genre.clone().unwrap_or_default(),
                    "pages" => r.number_of_pages.clone().unwrap_or_default(),
                    "edition" => r.edition.clone().unwrap_or_default(),
                    "kind" => r.kind.as_csl().to_owned(),
                    other => r.extra.get(other).cloned().unwrap_or_default(),
                };
                assert_eq!(got, *value, "{field} of {line:?}");
            }
        }
    }

    #[test]
    fn creators_tables() {
        let src = "T\nSmith, J. (2019) T. J, 1.\nItem Type: Article\nAuthors/Creators:\n\
                   Authors\tORCID\nAllen, T.\t0000-0002-1825-0097\nBrown, C. 0000-0001-5109-3700\n\
                   Sutton, M.\t\nURI: http://x/1\n";
        let r = &parse(src).records[0];
        assert_eq!(names(&r.author), ["Allen, T.", "Brown, C.", "Sutton, M."]);
        assert_eq!(
            r.extra.get("orcid").map(String::as_str),
            Some("Allen, T.: 0000-0002-1825-0097\nBrown, C.: 0000-0001-5109-3700")
        );
    }

    #[test]
    fn page_without_citation_line() {
        let src = "ePrints Soton\nHome\nA study of things\nGreen, Emma\nPatel, R. and Khan, S.\n\n\
                   Abstract\nText.\n\nItem Type: Article\nURI: http://eprints.example/1\n";
        let parsed = parse(src);
        let r = &parsed.records[0];
        assert_eq!(r.title.as_deref(), Some("A study of things"));
        assert_eq!(names(&r.author), ["Green, Emma", "Patel, R.", "Khan, S."]);
        assert_eq!(parsed.diagnostics, []);
    }

    /// The abstract ends at a table row even when its label is unknown; an inline heading
    /// stays in it.
    #[test]
    fn abstract_ends_at_table_row() {
        let src = "T\nSmith, J. (2018) T. PhD thesis, U.\n\nAbstract\n\nText.\n\
                   Conclusion: more text.\n\nSupervisors:\tBrown, Alan\nURI:\thttp://x/id/eprint/1\n";
        let r = &parse(src).records[0];
        assert_eq!(r.abstract_text.as_deref(), Some("Text.\n\nConclusion: more text."));
        assert_eq!(r.extra.get("supervisors").map(String::as_str), Some("Brown, Alan"));
    }

    #[test]
    fn title_split_uses_page_title() {
        let (title, after) = split_title("A. B. testing. Journal, 1.", Some("A. B. testing"));
        assert_eq!((title.as_deref(), after), (Some("A. B. testing"), "Journal, 1."));
        // Without the page title: a `?` that opens a subtitle does not end the title.
        let (title, after) = split_title("Who decides? Commissioning care. In: Proc. X.", None);
        assert_eq!(
            (title.as_deref(), after),
            (Some("Who decides? Commissioning care"), "In: Proc. X.")
        );
        let (title, after) = split_title("Does it work? Social Science, 220. pp. 4-6.", None);
        assert_eq!(
            (title.as_deref(), after),
            (Some("Does it work?"), "Social Science, 220. pp. 4-6.")
        );
    }

    #[test]
    fn detection() {
        assert!(matches("Item Type: Article\nDate Deposited: 1 Jan 2020\n"));
        assert!(matches("Item Type:\tBook\nURI: http://eprints.example.ac.uk/1/\n"));
        assert!(!matches("Item Type: Article\n"));
        assert!(matches("Record type: Article\nDate deposited: 14 Mar 2019 17:30\n"));
        assert!(matches("Type:\tArticle\nURI:\thttps://discovery.ucl.ac.uk/id/eprint/1\n"));
        assert!(!matches("Type: Article\nURI: https://example.org/1\n"));
        assert!(matches("Date Deposited:\t9 Oct 2018\nURI:\thttps://e.ac.uk/id/eprint/2\n"));
        assert!(!matches("URI:\thttps://e.ac.uk/id/eprint/2\n"));
        assert!(is_document_version("e011968.full.pdf - published version"));
        assert!(is_document_version("1,234downloads"));
        assert!(!is_document_version("health care - published version of a report"));
        assert!(!matches("TY  - JOUR\nER  - \n"));
        assert!(!matches("@article{k, title={Item Type: x}}"));
        assert!(!matches("作者\n机构\n摘要\n"));
        assert!(!matches(""));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for src in ["", "(", "x (2013", "a (2013) ", "Item Type:", "é (2013) é. (", "Abstract"] {
            let _ = parse(src);
        }
    }
}
