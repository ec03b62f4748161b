//! Emerald Insight article and book-chapter page reader.
//!
//! A copied page reads, top to bottom:
//! - chrome (`To read this content please select one of the options below:`);
//! - the header: title; the byline, one author a line, `Given Family (Affiliation)` (an
//!   author may have several `(…)` affiliations or none); the journal or book title;
//!   `ISSN:`/`ISBN:`, `Article publication date:` (online date) and `Issue publication date:`
//!   (a chapter has `Publication date:`); a bare usage count;
//! - sections, each opened by a heading line: `Abstract` (Emerald's structured headings
//!   `Purpose`, `Design/methodology/approach`, `Findings`, … on lines of their own),
//!   `Keywords` (one a line; may be empty), `Acknowledgements`, `Citation`, `Publisher` /
//!   `:` / `Emerald Publishing Limited`, then `Copyright ©…` and `Related articles` (ignored).
//!
//! The `Citation` block is the one place with volume, issue, pages and DOI:
//! `Storey, J., Holti, R. and Marshall, M. (2019), "Title", Journal, Vol. 33 No. 2,
//! pp. 188-203. https://doi.org/10.1108/…`; a chapter's reads `…, "Title", Editor, A. (Ed.)
//! Book Title (Series, Vol. 7), Emerald Publishing Limited, Leeds, pp. 1-20. https://…`.
//! It also names the title and the journal, which tells the header's lines apart, and its
//! author list checks the byline's.
//!
//! Mapping decisions:
//! - `issued` is the issue publication date (volume, issue and pages belong to the issue);
//!   the article publication date is `available-date`. Without an issue date, `issued` is
//!   the year the citation gives, or else the article publication date. A chapter's
//!   `Publication date:` is `issued`.
//! - The abstract keeps the page's paragraphs: each structured heading is a paragraph of its
//!   own followed by its text (`Purpose\n\nThe purpose of…`), paragraphs joined by a blank
//!   line, as printed.
//! - `Acknowledgements` go to `extra` `acknowledgements`; the copyright line and the usage
//!   count are page chrome and not kept.
//! - Byline names win over the citation's initials; when the citation shows a family name
//!   of several words (`García Pérez, J.`) that ends the byline name, that split is used.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till1};
use nom::combinator::opt;
use nom::sequence::preceded;
use nom::{IResult, Parser};

use super::{PageLine, inverted_name_list, is_page_space, matching_open, page_lines};
use crate::model::{clean_doi, clean_isbn, clean_issn, collapse_ws, normalize_pages};
use crate::{Date, Diagnostic, Kind, Parsed, Person, Record};

/// True when the text looks like an Emerald Insight page: Emerald's pair of date labels
/// (`Article publication date:` and `Issue publication date:`), or one publication-date
/// label with a `Citation` heading, Emerald's name, its DOI prefix or its access notice.
pub fn matches(src: &str) -> bool {
    let (mut article_date, mut issue_date, mut date_label) = (false, false, false);
    let (mut citation, mut emerald) = (false, false);
    for line in src.lines() {
        let t = line.trim_matches(is_page_space);
        let lower = t.to_ascii_lowercase();
        article_date |= lower.starts_with("article publication date:");
        issue_date |= lower.starts_with("issue publication date:");
        date_label |= article_date || issue_date || lower.starts_with("publication date:");
        citation |= lower == "citation" || lower == "citation:";
        emerald |= t.contains("Emerald Publishing")
            || t.contains("Emerald Group Publishing")
            || t.contains("doi.org/10.1108/")
            || t.contains("emerald.com/insight")
            || lower.starts_with("to read this content please select one of the options");
        if (article_date && issue_date) || (date_label && (citation || emerald)) {
            return true;
        }
    }
    false
}

/// Reads an Emerald Insight article or chapter page into one record.
///
/// A page without a title gives no record and an error; lines that fit nowhere give
/// warnings.
pub fn parse(src: &str) -> Parsed {
    let mut diagnostics = Vec::new();
    let page = scan(src, &mut diagnostics);
    if page.header.is_empty() && page.citation.is_empty() {
        diagnostics.push(Diagnostic::error(0, "expected an Emerald title line"));
        return Parsed { records: Vec::new(), diagnostics };
    }
    let record = build(&page, &mut diagnostics);
    Parsed { records: vec![record], diagnostics }
}

/// The sections of a page, opened by a heading line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Header,
    Abstract,
    Keywords,
    Acknowledgements,
    Citation,
    Publisher,
    /// A section kept whole in `extra` under this name.
    Extra(&'static str),
    /// `Related articles`, `References`: the rest of the page is not about this item.
    Done,
}

/// The section a heading line opens, if it is one.
fn heading(line: &str) -> Option<Section> {
    let l = line.trim_end_matches(':').trim().to_lowercase();
    Some(match l.as_str() {
        "abstract" => Section::Abstract,
        "keywords" | "keyword" => Section::Keywords,
        "acknowledgements" | "acknowledgments" | "acknowledgement" | "acknowledgment" => {
            Section::Acknowledgements
        }
        "citation" => Section::Citation,
        "publisher" => Section::Publisher,
        "funding" => Section::Extra("funding"),
        "licence" | "license" => Section::Extra("license"),
        "related articles" | "related content" | "references" | "recommended articles" => {
            Section::Done
        }
        _ => return None,
    })
}

/// Chrome of Emerald pages, matched on lowercase text.
fn is_noise(line: &str) -> bool {
    const LINES: &[&str] = &[
        "downloads",
        "views",
        "altmetric",
        "cite",
        "share",
        "reprints & permissions",
        "access and purchase options",
        "open access",
        "free access",
        "pdf",
        "html",
        "epub",
        "download pdf",
        "view pdf",
        "download as .ris",
        "download as .bib",
        "download citation",
        "author(s):",
        "authors:",
        ":",
    ];
    const STARTS: &[&str] = &[
        "to read this content please select",
        "you do not currently have access",
        "rent this content from deepdyve",
        "access through your institution",
        "copyright ©",
        "copyright (c)",
        "©",
    ];
    let lower = line.to_lowercase();
    lower.bytes().all(|b| b.is_ascii_digit() || b == b',')
        || LINES.contains(&lower.as_str())
        || STARTS.iter().any(|s| lower.starts_with(s))
}

/// Emerald's paper types, printed above the title on some pages.
const PAPER_TYPES: &[&str] = &[
    "research paper",
    "research article",
    "viewpoint",
    "technical paper",
    "conceptual paper",
    "case study",
    "literature review",
    "general review",
    "editorial",
    "book review",
];

/// The page sorted into its parts, lines borrowed.
#[derive(Debug, Default)]
struct Page<'a> {
    /// Title, byline and container lines, in order.
    header: Vec<PageLine<'a>>,
    /// `Label: value` lines of the header (`ISSN:`, dates).
    labels: Vec<(PageLine<'a>, &'a str, &'a str)>,
    abstract_paras: Vec<&'a str>,
    keywords: Vec<&'a str>,
    acknowledgements: Vec<&'a str>,
    citation: Vec<PageLine<'a>>,
    publisher: Vec<&'a str>,
    extra: Vec<(&'static str, &'a str)>,
}

/// A header label (`ISSN: 1477-7266`, `Article publication date: 25 January 2019`).
fn header_label(line: &str) -> Option<(&str, &str)> {
    const LABELS: &[&str] = &[
        "issn",
        "eissn",
        "isbn",
        "eisbn",
        "article publication date",
        "issue publication date",
        "publication date",
        "doi",
        "publisher",
    ];
    let (label, value) = line.split_once(':')?;
    let l = label.trim().to_lowercase();
    LABELS.contains(&l.as_str()).then(|| (label.trim(), value.trim()))
}

/// Sorts the page's lines into header, labels and sections.
fn scan<'a>(src: &'a str, diagnostics: &mut Vec<Diagnostic>) -> Page<'a> {
    let mut page = Page::default();
    let mut section = Section::Header;
    for line in page_lines(src) {
        let t = line.text;
        if t.is_empty() {
            continue;
        }
        if let Some(next) = heading(t) {
            section = next;
            if section == Section::Done {
                break;
            }
            continue;
        }
        if is_noise(t) {
            continue;
        }
        match section {
            Section::Header => match header_label(t) {
                Some((label, value)) => page.labels.push((line, label, value)),
                None => page.header.push(line),
            },
            Section::Abstract => page.abstract_paras.push(t),
            Section::Keywords => page.keywords.push(t),
            Section::Acknowledgements => page.acknowledgements.push(t),
            Section::Citation => page.citation.push(line),
            Section::Publisher => match header_label(t) {
                Some((_, value)) => page.publisher.push(value),
                None => page.publisher.push(t),
            },
            Section::Extra(name) => page.extra.push((name, t)),
            Section::Done => break,
        }
    }
    if page.header.is_empty() && page.citation.is_empty() {
        return page;
    }
    // Header lines after the first label are counts and chrome, not title or byline.
    if let Some(first_label) = page.labels.first().map(|(l, ..)| l.offset) {
        let (keep, late): (Vec<PageLine<'a>>, Vec<PageLine<'a>>) =
            page.header.iter().partition(|l| l.offset < first_label);
        for line in late {
            diagnostics
                .push(Diagnostic::warning(line.offset, format!("line not placed: {}", line.text)));
        }
        page.header = keep;
    }
    page
}

/// Letters and digits only, lowercase: for comparing titles printed in two places.
fn norm(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Maps the scanned page onto a record.
fn build(page: &Page<'_>, diagnostics: &mut Vec<Diagnostic>) -> Record {
    let mut rec = Record::new(Kind::ArticleJournal);
    let citation_text =
        collapse_ws(&page.citation.iter().map(|l| l.text).collect::<Vec<_>>().join(" "));
    let cited = if citation_text.is_empty() {
        None
    } else {
        let header: Vec<&str> = page.header.iter().map(|l| l.text).collect();
        let cited =
            read_citation(&citation_text).or_else(|| read_book_citation(&citation_text, &header));
        if cited.is_none()
            && let Some(first) = page.citation.first()
        {
            diagnostics.push(Diagnostic::warning(
                first.offset,
                "expected `Authors (Year), \"Title\", …` in the citation; kept in extra",
            ));
            rec.push_extra("citation", &citation_text);
        }
        cited
    };

    read_header(page, cited.as_ref(), &mut rec, diagnostics);

    let mut is_chapter = false;
    let mut issue_date = None;
    let mut article_date = None;
    for (line, label, value) in &page.labels {
        match label.to_lowercase().as_str() {
            "issn" | "eissn" => rec.issn.extend(value.split([',', ';']).filter_map(clean_issn)),
            "isbn" | "eisbn" => {
                is_chapter = true;
                // `ISBN: 978-…, eISBN: 978-…, ISSN: 1234-5678` on one line.
                for piece in value.split([',', ';']) {
                    let piece = piece.trim();
                    let value = piece.split_once(':').map_or(piece, |(_, v)| v);
                    if piece.to_ascii_lowercase().contains("issn") {
                        rec.issn.extend(clean_issn(value));
                    } else {
                        rec.isbn.extend(clean_isbn(value));
                    }
                }
            }
            "article publication date" => article_date = Date::parse(value),
            "issue publication date" => issue_date = Date::parse(value),
            "publication date" => {
                issue_date = Date::parse(value);
            }
            "doi" => rec.doi = clean_doi(value),
            "publisher" => Record::set(&mut rec.publisher, value),
            _ => diagnostics
                .push(Diagnostic::warning(line.offset, format!("label not placed: {label}"))),
        }
    }

    // A whole book's page shows its ISBN too: only its citation tells it from a chapter's.
    is_chapter &= cited.as_ref().is_none_or(|c| c.kind != Kind::Book);
    if let Some(cited) = cited {
        is_chapter |= cited.kind == Kind::Chapter;
        if cited.kind == Kind::Book {
            rec.kind = Kind::Book;
        }
        merge_citation(&mut rec, cited, diagnostics, page.citation.first().map_or(0, |l| l.offset));
    }
    if is_chapter {
        rec.kind = Kind::Chapter;
    }
    // Dates: the issue's date is `issued`; the online date is `available-date`.
    rec.available_date = article_date.clone();
    match issue_date {
        Some(date) => rec.issued = Some(date),
        None if rec.issued.is_none() => rec.issued = article_date,
        None => {}
    }

    let paras: Vec<String> = page.abstract_paras.iter().map(|p| collapse_ws(p)).collect();
    if !paras.is_empty() {
        rec.abstract_text = Some(paras.join("\n\n"));
    }
    rec.keyword = keywords(&page.keywords);
    let acks: Vec<String> = page.acknowledgements.iter().map(|p| collapse_ws(p)).collect();
    if !acks.is_empty() {
        rec.extra.insert("acknowledgements".to_owned(), acks.join("\n\n"));
    }
    for (name, value) in &page.extra {
        rec.push_extra(name, &collapse_ws(value));
    }
    if let Some(publisher) = page.publisher.first() {
        Record::set(&mut rec.publisher, publisher);
    }
    rec
}

/// Keywords: one a line; a single line holding `;` or `,` is a list.
fn keywords(lines: &[&str]) -> Vec<String> {
    let split: Vec<&str> = match lines {
        [one] if one.contains(';') => one.split(';').collect(),
        [one] if one.contains(',') => one.split(',').collect(),
        _ => lines.to_vec(),
    };
    split
        .iter()
        .map(|k| collapse_ws(k.trim_end_matches([',', ';', '.'])))
        .filter(|k| !k.is_empty())
        .collect()
}

/// Title, byline and container from the header lines. The citation's title and container
/// tell the lines apart when it has them; else the first line is the title and the last,
/// unless it ends in an affiliation, the container.
fn read_header(
    page: &Page<'_>,
    cited: Option<&Record>,
    rec: &mut Record,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut lines: Vec<PageLine<'_>> = page.header.clone();
    // A paper type above the title (`Research paper`), unless it is the title itself: the
    // citation's title (`"Editorial"`), or a byline follows it.
    let cited_title = cited.and_then(|c| c.title.as_deref()).map(norm);
    let is_type = |i: usize| {
        lines.get(i).is_some_and(|l| PAPER_TYPES.contains(&l.text.to_lowercase().as_str()))
    };
    let type_is_title = || match &cited_title {
        Some(t) => {
            lines.first().is_some_and(|l| norm(l.text) == *t)
                && lines.get(1).is_none_or(|l| norm(l.text) != *t)
        }
        None => lines.get(1).is_some_and(|l| l.text.ends_with(')') && looks_like_author(l.text)),
    };
    if lines.len() > 1 && is_type(0) && !type_is_title() {
        Record::set(&mut rec.genre, lines[0].text);
        lines.remove(0);
    }
    let title_at = cited_title
        .as_ref()
        .and_then(|t| lines.iter().position(|l| norm(l.text) == *t))
        .unwrap_or(0);
    for line in lines.drain(..title_at) {
        diagnostics
            .push(Diagnostic::warning(line.offset, format!("line not placed: {}", line.text)));
    }
    if lines.is_empty() {
        return;
    }
    let title = lines.remove(0);
    Record::set(&mut rec.title, title.text);

    let cited_container = cited.and_then(|c| c.container_title.as_deref()).map(norm);
    // The line the citation names as journal or book; failing that the last line (Emerald
    // always prints the journal or book), unless it ends with an affiliation.
    let matched =
        cited_container.as_ref().and_then(|c| lines.iter().position(|l| norm(l.text) == *c));
    let container_at =
        matched.or_else(|| lines.len().checked_sub(1).filter(|&i| !lines[i].text.ends_with(')')));
    if let Some(i) = container_at {
        let container = lines.remove(i);
        // A header line that differs from the citation's container is a shorter form of
        // it (the book's title without its subtitle): the citation's fuller form is kept.
        if matched.is_some() || cited_container.is_none() {
            Record::set(&mut rec.container_title, container.text);
        } else if let Some(series) = cited_series_without_volume(cited, container.text) {
            // `Book Title (Emerald Studies in Health Policy)` where the header prints
            // `Book Title`: the parenthesis names the series (without a volume).
            Record::set(&mut rec.container_title, container.text);
            Record::set(&mut rec.collection_title, series);
        }
        for line in lines.drain(i..) {
            diagnostics
                .push(Diagnostic::warning(line.offset, format!("line not placed: {}", line.text)));
        }
    }
    // When the citation names as many authors as lines are left, every line is a byline
    // entry, however long its name (`María del Carmen Rodríguez de la Torre`).
    let cited_authors = cited.map_or(0, |c| c.author.len());
    let all_authors = cited_authors > 0 && cited_authors == lines.len();
    for line in lines {
        if all_authors || looks_like_author(line.text) {
            rec.author.push(byline_author(line.text));
        } else {
            diagnostics
                .push(Diagnostic::warning(line.offset, format!("line not placed: {}", line.text)));
        }
    }
}

/// The series of a chapter's citation that names it without a volume: the citation's book
/// is the header's book title followed by `(Series)`.
fn cited_series_without_volume<'a>(cited: Option<&'a Record>, header: &str) -> Option<&'a str> {
    let cited = cited.filter(|c| c.collection_title.is_none())?;
    let book = cited.container_title.as_deref()?;
    let open = matching_open(book)?;
    let (title, group) = (book.get(..open)?.trim_end(), book.get(open + 1..book.len() - 1)?);
    (norm(title) == norm(header) && !group.trim().is_empty()).then_some(group.trim())
}

/// A byline line: `Given Family (Affiliation)`, or a bare name of at most six words.
fn looks_like_author(line: &str) -> bool {
    let name = line.split(" (").next().unwrap_or(line);
    let words = name.split_whitespace().count();
    (1..=8).contains(&words)
        && !name.chars().any(|c| c.is_ascii_digit())
        && (line.ends_with(')') || words <= 4)
}

/// `John Storey (Business School, Open University, Milton Keynes, UK)`: the name, then each
/// parenthesised group an affiliation.
fn byline_author(line: &str) -> Person {
    let mut rest = line.trim();
    let mut affiliations = Vec::new();
    while let Some(open) = matching_open(rest) {
        if let Some(inner) = rest.get(open + 1..rest.len() - 1) {
            affiliations.push(collapse_ws(inner));
        }
        rest = rest.get(..open).unwrap_or_default().trim_end();
    }
    affiliations.reverse();
    let mut person = Person::parse_natural(rest.trim_end_matches(','));
    person.affiliation = affiliations.into_iter().filter(|a| !a.is_empty()).collect();
    person
}

/// Merges what the citation gives into the record read from the header: fields the header
/// lacks, and a check of the authors.
fn merge_citation(rec: &mut Record, cited: Record, diagnostics: &mut Vec<Diagnostic>, at: usize) {
    if rec.author.is_empty() {
        rec.author = cited.author;
    } else if !cited.author.is_empty() {
        if rec.author.len() != cited.author.len() {
            diagnostics.push(Diagnostic::warning(
                at,
                format!(
                    "the byline names {} authors, the citation {}",
                    rec.author.len(),
                    cited.author.len()
                ),
            ));
        }
        for (author, other) in rec.author.iter_mut().zip(&cited.author) {
            align_family(author, other);
        }
    }
    if rec.title.is_none() {
        rec.title = cited.title;
    }
    if rec.container_title.is_none() {
        rec.container_title = cited.container_title;
    }
    macro_rules! take {
        ($($field:ident),*) => {$(
            if rec.$field.is_none() {
                rec.$field = cited.$field;
            }
        )*};
    }
    take!(volume, issue, page, doi, status, issued, publisher, publisher_place);
    take!(collection_title, collection_number);
    if rec.editor.is_empty() {
        rec.editor = cited.editor;
    }
    if rec.isbn.is_empty() {
        rec.isbn = cited.isbn;
    }
}

/// Uses the citation's family name for a byline name when it has several words and ends
/// the byline name (`José García Pérez` / `García Pérez, J.`).
fn align_family(author: &mut Person, cited: &Person) {
    let (Some(family), Some(cited_family)) = (author.full_family(), cited.full_family()) else {
        return;
    };
    if family == cited_family || !cited_family.contains(' ') {
        return;
    }
    let whole = match &author.given {
        Some(given) => format!("{given} {family}"),
        None => family,
    };
    if let Some(given) = whole.strip_suffix(cited_family.as_str())
        && given.ends_with(' ')
    {
        let affiliation = std::mem::take(&mut author.affiliation);
        *author = Person { affiliation, ..Person::from_parts(&cited_family, given) };
    }
}

/// `Authors (2019), "Title", rest`: the parts of an Emerald citation.
fn citation_head(s: &str) -> Option<(&str, &str, &str, &str)> {
    for (i, _) in s.match_indices('(') {
        let after = s.get(i + 1..)?;
        let Some((year, rest)) = after.split_once(')') else { continue };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let rest = rest.trim_start_matches([',', ' ']);
        let Some(quoted) = rest.strip_prefix('"').or_else(|| rest.strip_prefix('“')) else {
            continue;
        };
        let end = ["\", ", "\",", "”, ", "”,", ",\" ", ",” "]
            .iter()
            .filter_map(|q| quoted.find(q).map(|j| (j, q.len())))
            .min()?;
        let title = quoted.get(..end.0)?;
        let rest = quoted.get(end.0 + end.1..)?.trim();
        return Some((s.get(..i)?.trim(), year, title.trim(), rest));
    }
    None
}

/// Finds `pat` outside parentheses.
fn find_top_level(s: &str, pat: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 && s.get(i..).is_some_and(|r| r.starts_with(pat)) => return Some(i),
            _ => {}
        }
    }
    None
}

/// `33 No. 2, pp. 188-203` after `Vol. ` (with or without the commas):
/// volume, issue, pages.
fn volume_issue_pages(i: &str) -> IResult<&str, (&str, Option<&str>, Option<&str>)> {
    let token = || take_till1(|c: char| c == ',' || c == ' ');
    (
        token(),
        opt(preceded((opt(tag(",")), tag(" No. ")), token())),
        opt(preceded(
            (opt(tag(",")), opt(tag(" "))),
            preceded(
                alt((tag("pp. "), tag("pp."), tag("p. "), tag("p."))),
                take_till1(|c| c == ' '),
            ),
        )),
    )
        .parse(i)
}

/// Splits a trailing `, pp. 1-20` / `, p. 5` off: the text before and the pages.
fn pages_suffix(s: &str) -> Option<(&str, String)> {
    for prefix in [", pp. ", ", pp.", ", p. "] {
        if let Some(i) = s.rfind(prefix) {
            let pages = s.get(i + prefix.len()..)?.trim();
            if pages.chars().any(|c| c.is_ascii_digit()) && !pages.contains(' ') {
                return Some((s.get(..i)?, normalize_pages(pages)));
            }
        }
    }
    None
}

/// Reads an Emerald citation into a record (kind `chapter` for a book's chapter).
fn read_citation(s: &str) -> Option<Record> {
    let (authors, year, title, rest) = citation_head(s)?;
    let mut cit = Record::new(Kind::ArticleJournal);
    cit.author = inverted_name_list(authors);
    cit.issued = Date::parse(year);
    Record::set(&mut cit.title, title);
    let mut rest = rest.trim();
    for marker in ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"] {
        if let Some(i) = rest.find(marker) {
            cit.doi = clean_doi(rest.get(i..)?);
            rest = rest.get(..i)?.trim_end();
            break;
        }
    }
    let rest = rest.trim_end_matches(['.', ' ']);
    if let Some(i) = find_top_level(rest, ", Vol. ") {
        Record::set(&mut cit.container_title, rest.get(..i)?);
        let numbers = rest.get(i + ", Vol. ".len()..)?;
        if let Ok((_, (volume, issue, pages))) = volume_issue_pages(numbers) {
            if volume.eq_ignore_ascii_case("ahead-of-print") {
                cit.status = Some(volume.to_owned());
            } else {
                cit.volume = Some(volume.to_owned());
                cit.issue =
                    issue.filter(|i| !i.eq_ignore_ascii_case("ahead-of-print")).map(str::to_owned);
            }
            cit.page = pages.map(normalize_pages);
        }
        return Some(cit);
    }
    book_citation(rest, &mut cit);
    Some(cit)
}

/// A whole book's citation, its title unquoted: `Walshe, K. and Smith, J. (2019), Book
/// Title, Emerald Publishing Limited, Leeds. https://doi.org/…`. The title has commas of
/// its own, so it is recognised as one of the page's header lines.
fn read_book_citation(s: &str, header: &[&str]) -> Option<Record> {
    let (authors, year, rest) = s.match_indices('(').find_map(|(i, _)| {
        let (year, rest) = s.get(i + 1..)?.split_once("), ")?;
        let is_year = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
        is_year.then(|| (s.get(..i).map(str::trim), year, rest.trim()))
    })?;
    let (title, after) = header.iter().find_map(|h| {
        let h = collapse_ws(h);
        let after = rest.strip_prefix(h.as_str())?;
        after.starts_with([',', '.']).then(|| (h.clone(), after.trim_start_matches([',', '.'])))
    })?;
    let mut cit = Record::new(Kind::Book);
    cit.author = inverted_name_list(authors.unwrap_or_default());
    cit.issued = Date::parse(year);
    cit.title = Some(title);
    let mut after = after.trim();
    if let Some(i) = after.find("https://doi.org/").or_else(|| after.find("http://doi.org/")) {
        cit.doi = clean_doi(after.get(i..)?);
        after = after.get(..i)?.trim_end();
    }
    let after = after.trim_end_matches(['.', ' ']);
    match after.rsplit_once(", ") {
        Some((publisher, place)) => {
            Record::set(&mut cit.publisher, publisher);
            Record::set(&mut cit.publisher_place, place);
        }
        None => Record::set(&mut cit.publisher, after),
    }
    Some(cit)
}

/// The rest of a chapter's citation: `Editor, A. (Ed.) Book Title (Series, Vol. 7),
/// Publisher, Place, pp. 1-20`.
fn book_citation(rest: &str, cit: &mut Record) {
    cit.kind = Kind::Chapter;
    let mut rest = rest;
    for marker in [" (Ed.) ", " (Eds) ", " (Eds.) ", " (ed.) ", " (eds) ", " (eds.) ", " (Ed) "] {
        if let Some(i) = rest.find(marker) {
            cit.editor = inverted_name_list(rest.get(..i).unwrap_or_default());
            rest = rest.get(i + marker.len()..).unwrap_or_default();
            break;
        }
    }
    if let Some((before, pages)) = pages_suffix(rest) {
        cit.page = Some(pages);
        rest = before;
    }
    // Top-level commas: the book title (and series) first, then publisher and place.
    let mut parts = Vec::new();
    let mut from = 0;
    while let Some(i) = rest.get(from..).and_then(|r| find_top_level(r, ", ")) {
        parts.push(rest.get(from..from + i).unwrap_or_default());
        from += i + 2;
    }
    parts.push(rest.get(from..).unwrap_or_default());
    let (book, publisher, place) = match parts.as_slice() {
        [book] => (book.to_string(), None, None),
        [book, publisher] => (book.to_string(), Some(*publisher), None),
        [book @ .., publisher, place] => (book.join(", "), Some(*publisher), Some(*place)),
        [] => (String::new(), None, None),
    };
    let mut book = book.trim();
    if let Some(open) = matching_open(book)
        && let Some(inner) = book.get(open + 1..book.len() - 1)
        && let Some((series, number)) = inner.split_once(", Vol. ")
    {
        Record::set(&mut cit.collection_title, series);
        Record::set(&mut cit.collection_number, number);
        book = book.get(..open).unwrap_or(book).trim_end();
    }
    Record::set(&mut cit.container_title, book);
    if let Some(publisher) = publisher {
        Record::set(&mut cit.publisher, publisher);
    }
    if let Some(place) = place {
        Record::set(&mut cit.publisher_place, place);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(people: &[Person]) -> Vec<String> {
        people.iter().filter_map(Person::display_inverted).collect()
    }

    #[test]
    fn article_citation() {
        let c = read_citation(
            "Storey, J., Holti, R., Hartley, J. and Marshall, M. (2019), \"Devolving healthcare \
             services redesign to local clinical leaders: does it work in practice?\", Journal \
             of Health Organization and Management, Vol. 33 No. 2, pp. 188-203. \
             https://doi.org/10.1108/JHOM-05-2018-0144",
        )
        .unwrap();
        assert_eq!(names(&c.author), ["Storey, J.", "Holti, R.", "Hartley, J.", "Marshall, M."]);
        assert_eq!(
            c.container_title.as_deref(),
            Some("Journal of Health Organization and Management")
        );
        assert_eq!(
            (c.volume.as_deref(), c.issue.as_deref(), c.page.as_deref()),
            (Some("33"), Some("2"), Some("188-203"))
        );
        assert_eq!(c.doi.as_deref(), Some("10.1108/JHOM-05-2018-0144"));
        assert_eq!(c.issued.unwrap().year, Some(2019));
    }

    /// `(volume, issue, pages)` after `Vol. `, one case a line.
    #[test]
    fn volume_shapes() {
        type Parts = (&'static str, Option<&'static str>, Option<&'static str>);
        let cases: &[(&str, Parts)] = &[
            ("33 No. 2, pp. 188-203", ("33", Some("2"), Some("188-203"))),
            ("12 No. 3/4, pp. 1-20", ("12", Some("3/4"), Some("1-20"))),
            ("5, pp. 1-20", ("5", None, Some("1-20"))),
            ("44 No. 5, p. 12", ("44", Some("5"), Some("12"))),
            ("ahead-of-print No. ahead-of-print", ("ahead-of-print", Some("ahead-of-print"), None)),
            ("7", ("7", None, None)),
            ("33, No. 2, pp. 1-9", ("33", Some("2"), Some("1-9"))),
            ("33 No. 2 pp. 1-9", ("33", Some("2"), Some("1-9"))),
        ];
        for (input, want) in cases {
            assert_eq!(volume_issue_pages(input).map(|(_, v)| v), Ok(*want), "{input}");
        }
    }

    /// A whole book's page: its citation leaves the title unquoted.
    #[test]
    fn book_citation_unquoted() {
        let c = read_book_citation(
            "Walshe, K. and Smith, J. (2019), Managing Health Services: Who Leads, Who \
             Follows?, Emerald Publishing Limited, Leeds. https://doi.org/10.1108/9781787698116",
            &["Managing Health Services: Who Leads, Who Follows?", "Kieran Walshe"],
        )
        .unwrap();
        assert_eq!(c.kind, Kind::Book);
        assert_eq!(c.title.as_deref(), Some("Managing Health Services: Who Leads, Who Follows?"));
        assert_eq!(names(&c.author), ["Walshe, K.", "Smith, J."]);
        assert_eq!(c.publisher.as_deref(), Some("Emerald Publishing Limited"));
        assert_eq!(c.publisher_place.as_deref(), Some("Leeds"));
        assert_eq!(c.doi.as_deref(), Some("10.1108/9781787698116"));
        assert!(read_book_citation("Smith, J. (2019), Other, X, Leeds.", &["Title"]).is_none());
    }

    /// Byline names longer than the usual shape are kept when the citation names as many
    /// authors as the byline has lines.
    #[test]
    fn long_byline_names() {
        let src = "A title\n\nMaría del Carmen Rodríguez de la Torre (Universidad, Madrid, Spain)\n\
                   Juan Pablo Sánchez de León\n\nA Journal\n\nIssue publication date: 11 June \
                   2018\n\nCitation\n\nRodríguez de la Torre, M.d.C. and Sánchez de León, J.P. \
                   (2018), \"A title\", A Journal, Vol. 31 No. 5, pp. 1-9.\n";
        let parsed = parse(src);
        let r = &parsed.records[0];
        assert_eq!(
            names(&r.author),
            ["Rodríguez de la Torre, María del Carmen", "Sánchez de León, Juan Pablo"]
        );
        assert_eq!(r.author[0].affiliation, ["Universidad, Madrid, Spain"]);
        assert_eq!(parsed.diagnostics, []);
    }

    /// A paper-type word is the title when the citation quotes it as the title.
    #[test]
    fn paper_type_as_title() {
        let src = "Editorial\n\nRuth McDonald (Some School, Manchester, UK)\n\nA Journal\n\n\
                   Issue publication date: 17 February 2020\n\nCitation\n\nMcDonald, R. \
                   (2020), \"Editorial\", A Journal, Vol. 34 No. 1, pp. 1-2.\n";
        let r = &parse(src).records[0];
        assert_eq!(r.title.as_deref(), Some("Editorial"));
        assert_eq!(r.genre, None);
        assert_eq!(r.author[0].affiliation, ["Some School, Manchester, UK"]);
        let src = "Research paper\n\nA study\n\nRuth McDonald (Some School)\n\nA Journal\n\n\
                   Issue publication date: 17 February 2020\n\nCitation\n\nMcDonald, R. \
                   (2020), \"A study\", A Journal, Vol. 34 No. 1, pp. 1-2.\n";
        let r = &parse(src).records[0];
        assert_eq!(
            (r.title.as_deref(), r.genre.as_deref()),
            (Some("A study"), Some("Research paper"))
        );
    }

    #[test]
    fn chapter_citation() {
        let c = read_citation(
            "Smith, A. and Jones, B. (2018), \"A chapter\", Brown, C. and Green, D. (Ed.) \
             Health Care Reform (Research in the Sociology of Health Care, Vol. 36), Emerald \
             Publishing Limited, Leeds, pp. 1-20. https://doi.org/10.1108/S0275-495920180000036001",
        )
        .unwrap();
        assert_eq!(c.kind, Kind::Chapter);
        assert_eq!(names(&c.editor), ["Brown, C.", "Green, D."]);
        assert_eq!(c.container_title.as_deref(), Some("Health Care Reform"));
        assert_eq!(c.collection_title.as_deref(), Some("Research in the Sociology of Health Care"));
        assert_eq!(c.collection_number.as_deref(), Some("36"));
        assert_eq!(c.publisher.as_deref(), Some("Emerald Publishing Limited"));
        assert_eq!(c.publisher_place.as_deref(), Some("Leeds"));
        assert_eq!(c.page.as_deref(), Some("1-20"));
    }

    #[test]
    fn chapter_citation_without_editors() {
        let c = read_citation(
            "Jones, R. (2012), \"Chapter one\", Managing Health Care (Advances in Health Care \
             Management, Vol. 12), Emerald Group Publishing Limited, Bingley, pp. 3-25.",
        )
        .unwrap();
        assert_eq!(c.kind, Kind::Chapter);
        assert!(c.editor.is_empty());
        assert_eq!(c.container_title.as_deref(), Some("Managing Health Care"));
        assert_eq!(c.collection_number.as_deref(), Some("12"));
        assert_eq!(c.publisher.as_deref(), Some("Emerald Group Publishing Limited"));
        assert_eq!(c.publisher_place.as_deref(), Some("Bingley"));
        assert_eq!(c.page.as_deref(), Some("3-25"));
        assert_eq!(c.doi, None);
    }

    #[test]
    fn header_container_differs_from_citation() {
        let src = "Chapter one\nRuth Jones (Leeds)\nManaging Health\nPublication date: 1 May \
                   2012\nCitation\nJones, R. (2012), \"Chapter one\", Managing Health Care, \
                   Emerald, Bingley, pp. 3-25.\n";
        let parsed = parse(src);
        let r = &parsed.records[0];
        assert_eq!(r.container_title.as_deref(), Some("Managing Health Care"));
        assert_eq!(r.author.len(), 1);
        assert_eq!(parsed.diagnostics, []);
    }

    #[test]
    fn bylines() {
        let p = byline_author("John Storey (Business School, Open University, Milton Keynes, UK)");
        assert_eq!((p.family.as_deref(), p.given.as_deref()), (Some("Storey"), Some("John")));
        assert_eq!(p.affiliation, ["Business School, Open University, Milton Keynes, UK"]);
        let p = byline_author("Ann Lee (University of Leeds, Leeds, UK) (NIHR CLAHRC (YH), UK)");
        assert_eq!(p.affiliation, ["University of Leeds, Leeds, UK", "NIHR CLAHRC (YH), UK"]);
        assert!(byline_author("Ann Lee").affiliation.is_empty());
        let mut p = byline_author("José García Pérez (Universidad de Sevilla, Spain)");
        align_family(&mut p, &Person::parse("García Pérez, J."));
        assert_eq!((p.family.as_deref(), p.given.as_deref()), (Some("García Pérez"), Some("José")));
        assert_eq!(p.affiliation.len(), 1);
    }

    #[test]
    fn detection() {
        assert!(matches("T\nArticle publication date: 1 May 2020\nCitation\nx"));
        assert!(matches("T\nPublication date: 1 May 2020\nEmerald Publishing Limited\n"));
        assert!(matches("T\nArticle publication date: 1 May 2020\nIssue publication date: 2020"));
        assert!(!matches("T\nPublication date: 1 May 2020\n"));
        assert!(!matches("Citation\nEmerald Publishing Limited\n"));
        assert!(!matches("Item Type: Article\nDate Deposited: 1 May 2020\nPublisher: Emerald"));
        assert!(!matches("TY  - JOUR\nPB  - Emerald Publishing Limited\nER  - \n"));
        assert!(!matches("摘要\n关键词\n"));
        assert!(!matches(""));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for src in ["", "Citation\n(", "Citation\nA (2019), \"", "x\nISBN: ,", "Abstract"] {
            let _ = parse(src);
        }
    }
}
