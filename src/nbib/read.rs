//! MEDLINE/nbib reader: lines → raw records (borrowed tags and value lines) → [`Record`]s.
//!
//! Decisions:
//! - A record starts at `PMID-` or after a blank line; continuation lines (indented) are
//!   joined to the previous value with a space.
//! - Authors: `FAU` (full name) is preferred; the `AU` that follows it is its short form.
//!   An `AU` without `FAU` is read as `Family Initials`. `AD` lines attach to the author
//!   before them; `AUID` (ORCID) goes to `extra` with the author's name.
//! - `LA` is kept as given (MEDLINE's ISO 639-2 code such as `eng`): no mapping guesses.
//! - `MH` headings are kept verbatim, qualifiers (`/history`) and major-topic stars (`*`)
//!   included; `OT` keywords follow them.
//! - `GN` general notes become the note; `CI` is kept as `extra["copyright"]`, `GR` as
//!   `extra["grant"]`, `AID`/`LID` `[pii]` as `extra["pii"]`, `PHST` and the other dates
//!   under their tags.
//! - `PT` decides the kind (journal article, book, chapter); every publication type other
//!   than `Journal Article` is kept in `extra["publication-type"]`.

use std::borrow::Cow;

use crate::model::{
    clean_doi, clean_isbn, clean_issn, clean_pmcid, clean_pmid, collapse_ws_cow,
    expand_medline_pages,
};
use crate::ris::read::ris_person;
use crate::tagged::{self, Line, RawField};
use crate::{Date, Diagnostic, Kind, Parsed, Person, Record};

/// The value of a field: lines joined with a space, white space collapsed; borrowed when it
/// is one clean line.
fn field_value<'a>(field: &RawField<'a>) -> Cow<'a, str> {
    if field.more.is_empty() {
        return collapse_ws_cow(field.first);
    }
    let mut joined = String::with_capacity(field.parts().map(|p| p.len() + 1).sum());
    for part in field.parts() {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(part);
    }
    match collapse_ws_cow(&joined) {
        Cow::Borrowed(_) => Cow::Owned(joined),
        Cow::Owned(collapsed) => Cow::Owned(collapsed),
    }
}

/// A record as written: its tag lines in order.
#[derive(Debug)]
struct RawRecord<'a> {
    offset: usize,
    fields: Vec<RawField<'a>>,
}

/// Parses MEDLINE text into records. Problems never cost other records: they become
/// diagnostics pointing at the line.
pub fn parse(src: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut open: Option<RawRecord<'_>> = None;
    // The field list of the last finished record, emptied, for the next one.
    let mut spare: Vec<RawField<'_>> = Vec::new();
    // A blank line ends the record at the next tag line; a continuation line after it still
    // belongs to the record (exports that double their line breaks).
    let mut after_blank = false;
    for Line { offset, text } in tagged::lines(src) {
        if tagged::trim(text).is_empty() {
            after_blank = true;
            continue;
        }
        if let Some(line) = tagged::medline_tag_line(text) {
            if (line.tag == "PMID" || after_blank)
                && let Some(rec) = open.take()
            {
                spare = finish(rec, &mut parsed);
            }
            after_blank = false;
            let rec = open
                .get_or_insert_with(|| RawRecord { offset, fields: std::mem::take(&mut spare) });
            rec.fields.push(RawField::new(line.tag, line.value));
            continue;
        }
        let indented = text.starts_with([' ', '\t']);
        if after_blank
            && !indented
            && let Some(rec) = open.take()
        {
            spare = finish(rec, &mut parsed);
        }
        after_blank = false;
        match open.as_mut().and_then(|r| r.fields.last_mut()) {
            Some(field) if indented => field.more.push(tagged::trim(text)),
            Some(_) => parsed.diagnostics.push(Diagnostic::error(
                offset,
                "expected a `TAG - value` line or an indented continuation; line skipped",
            )),
            None => parsed.diagnostics.push(Diagnostic::warning(
                offset,
                "expected a `PMID- ` line; text outside a record ignored",
            )),
        }
    }
    if let Some(rec) = open {
        finish(rec, &mut parsed);
    }
    parsed
}

/// Builds the record (or reports it empty) and hands back its field list, emptied, for reuse.
fn finish<'a>(raw: RawRecord<'a>, parsed: &mut Parsed) -> Vec<RawField<'a>> {
    if raw.fields.iter().all(RawField::is_empty) {
        parsed.diagnostics.push(Diagnostic::error(raw.offset, "record has no values; skipped"));
    } else {
        parsed.records.push(build(&raw));
    }
    let mut fields = raw.fields;
    fields.clear();
    fields
}

/// Which list the last person went to, for `AU` after `FAU` and for `AD`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Author,
    Editor,
}

/// The person the last name tag produced.
#[derive(Clone, Copy)]
struct LastPerson {
    role: Role,
    index: usize,
    /// From a `FAU`/`FED` line whose `AU`/`ED` short form has not come yet.
    awaiting_short: bool,
}

fn build(raw: &RawRecord<'_>) -> Record {
    let mut rec = Record::new(Kind::Document);
    let mut last: Option<LastPerson> = None;
    let mut types = Vec::new();
    let mut book_title = None;
    for field in &raw.fields {
        let value = field_value(field);
        if value.is_empty() {
            continue;
        }
        let v: &str = &value;
        match field.tag {
            "PMID" => match clean_pmid(v) {
                Some(pmid) if rec.pmid.is_none() => rec.pmid = Some(pmid),
                _ => rec.push_extra("PMID", v),
            },
            "PMC" => match clean_pmcid(v) {
                Some(id) if rec.pmcid.is_none() => rec.pmcid = Some(id),
                _ => rec.push_extra("PMC", v),
            },
            "TI" => append(&mut rec.title, v),
            "BTI" => book_title = Some(v.to_owned()),
            "CTI" => first_or_extra(&mut rec, "CTI", v, |r| &mut r.collection_title),
            "TT" => first_or_extra(&mut rec, "TT", v, |r| &mut r.original_title),
            "AB" => append(&mut rec.abstract_text, v),
            "CI" => rec.push_extra("copyright", v),
            "GN" => match &mut rec.note {
                Some(note) => {
                    note.push('\n');
                    note.push_str(v);
                }
                None => rec.note = Some(v.to_owned()),
            },
            "FAU" | "FED" => {
                let role = if field.tag == "FAU" { Role::Author } else { Role::Editor };
                let list = people(&mut rec, role);
                list.push(ris_person(v));
                last = Some(LastPerson { role, index: list.len() - 1, awaiting_short: true });
            }
            "AU" | "ED" => {
                let role = if field.tag == "AU" { Role::Author } else { Role::Editor };
                match last {
                    Some(l) if l.role == role && l.awaiting_short => {
                        last = Some(LastPerson { awaiting_short: false, ..l });
                    }
                    _ => {
                        let list = people(&mut rec, role);
                        list.push(Person::parse_initials_last(v));
                        let index = list.len() - 1;
                        last = Some(LastPerson { role, index, awaiting_short: false });
                    }
                }
            }
            "CN" => {
                rec.author.push(Person::literal(v));
                let index = rec.author.len() - 1;
                last = Some(LastPerson { role: Role::Author, index, awaiting_short: false });
            }
            "AD" => match last.and_then(|l| people(&mut rec, l.role).get_mut(l.index)) {
                Some(person) => person.affiliation.push(v.to_owned()),
                None => rec.push_extra("AD", v),
            },
            "AUID" => {
                let who = last
                    .and_then(|l| people(&mut rec, l.role).get(l.index))
                    .and_then(Person::display_inverted);
                match who {
                    Some(who) => rec.push_extra("AUID", &format!("{v} ({who})")),
                    None => rec.push_extra("AUID", v),
                }
            }
            "DP" => match Date::parse(v) {
                Some(d) if rec.issued.is_none() => rec.issued = Some(d),
                _ => rec.push_extra("DP", v),
            },
            "DEP" => match compact_date(v) {
                Some(d) if rec.available_date.is_none() => rec.available_date = Some(d),
                _ => rec.push_extra("DEP", v),
            },
            "PG" => first_or_extra(&mut rec, "PG", &expand_medline_pages(v), |r| &mut r.page),
            "LID" | "AID" => read_article_id(&mut rec, field.tag, v),
            "IS" => read_serial_number(&mut rec, v),
            "ISBN" => match clean_isbn(v) {
                Some(isbn) if !rec.isbn.contains(&isbn) => rec.isbn.push(isbn),
                Some(_) => {}
                None => rec.push_extra("ISBN", v),
            },
            "VI" => first_or_extra(&mut rec, "VI", v, |r| &mut r.volume),
            "IP" => first_or_extra(&mut rec, "IP", v, |r| &mut r.issue),
            "TA" => first_or_extra(&mut rec, "TA", v, |r| &mut r.container_title_short),
            "JT" => first_or_extra(&mut rec, "JT", v, |r| &mut r.container_title),
            "MH" | "OT" => {
                if !rec.keyword.iter().any(|k| k == v) {
                    rec.keyword.push(v.to_owned());
                }
            }
            "PT" => types.push(v.to_owned()),
            "GR" => rec.push_extra("grant", v),
            "LA" => first_or_extra(&mut rec, "LA", v, |r| &mut r.language),
            "PL" => first_or_extra(&mut rec, "PL", v, |r| &mut r.publisher_place),
            "PB" => first_or_extra(&mut rec, "PB", v, |r| &mut r.publisher),
            "EN" => first_or_extra(&mut rec, "EN", v, |r| &mut r.edition),
            tag => rec.push_extra(tag, v),
        }
    }
    rec.kind = kind_of(&types, book_title.is_some(), &rec);
    if let Some(bt) = book_title {
        match rec.kind {
            Kind::Chapter if rec.container_title.is_none() => rec.container_title = Some(bt),
            Kind::Book if rec.title.is_none() => rec.title = Some(bt),
            _ => rec.push_extra("BTI", &bt),
        }
    }
    for t in types.iter().filter(|t| !t.eq_ignore_ascii_case("Journal Article")) {
        rec.push_extra("publication-type", t);
    }
    rec
}

fn people(rec: &mut Record, role: Role) -> &mut Vec<Person> {
    match role {
        Role::Author => &mut rec.author,
        Role::Editor => &mut rec.editor,
    }
}

/// A second `TI` or `AB` continues the first (JabRef's test files split long titles).
fn append(slot: &mut Option<String>, value: &str) {
    match slot {
        Some(old) => {
            old.push(' ');
            old.push_str(value);
        }
        None => *slot = Some(value.to_owned()),
    }
}

fn first_or_extra(
    rec: &mut Record,
    tag: &str,
    value: &str,
    slot: fn(&mut Record) -> &mut Option<String>,
) {
    let s = slot(rec);
    match s {
        None => *s = Some(value.to_owned()),
        Some(old) if old == value => {}
        Some(_) => rec.push_extra(tag, value),
    }
}

/// `PT` lines and the presence of a book title decide the kind.
fn kind_of(types: &[String], has_book_title: bool, rec: &Record) -> Kind {
    let has = |name: &str| types.iter().any(|t| t.eq_ignore_ascii_case(name));
    if has_book_title && rec.title.is_some() {
        Kind::Chapter
    } else if has_book_title || has("Book") || has("Books and Documents") {
        Kind::Book
    } else if has("Book Chapter") {
        Kind::Chapter
    } else if !types.is_empty()
        || rec.container_title.is_some()
        || rec.container_title_short.is_some()
    {
        Kind::ArticleJournal
    } else {
        Kind::Document
    }
}

/// `10.1136/x [doi]`, `S0140-6736(20)30000-1 [pii]`: DOI to its field, others to `extra`.
fn read_article_id(rec: &mut Record, tag: &str, value: &str) {
    let (id, kind) = match value.rsplit_once('[') {
        Some((id, kind)) => (id.trim(), kind.trim_end_matches(']').trim()),
        None => (value, ""),
    };
    // `doi:10.1016/…` without a bracketed type (seen in JabRef's test files) is a DOI too.
    let bare_doi = kind.is_empty() && {
        let lower = id.to_ascii_lowercase();
        lower.starts_with("doi") || lower.starts_with("10.")
    };
    match if bare_doi { "doi" } else { kind } {
        "doi" => match clean_doi(id) {
            Some(doi) if rec.doi.is_none() => rec.doi = Some(doi),
            Some(doi) if rec.doi.as_deref() == Some(doi.as_str()) => {}
            _ => rec.push_extra("doi", id),
        },
        "pii" => rec.push_extra("pii", id),
        "pmc" => match clean_pmcid(id) {
            Some(pmc) if rec.pmcid.is_none() => rec.pmcid = Some(pmc),
            _ => rec.push_extra(tag, value),
        },
        _ => rec.push_extra(tag, value),
    }
}

/// `0955-2359 (Print)`, `(Electronic)`, `(Linking)`: one ISSN each, duplicates dropped.
fn read_serial_number(rec: &mut Record, value: &str) {
    let number = value.split('(').next().unwrap_or(value).trim();
    if let Some(issn) = clean_issn(number) {
        if !rec.issn.contains(&issn) {
            rec.issn.push(issn);
        }
    } else if let Some(isbn) = clean_isbn(number) {
        if !rec.isbn.contains(&isbn) {
            rec.isbn.push(isbn);
        }
    } else {
        rec.push_extra("IS", value);
    }
}

/// `20160419` (MEDLINE's compact dates), else any date [`Date::parse`] reads.
fn compact_date(value: &str) -> Option<Date> {
    let digits = value.trim();
    if digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let year = digits.get(..4)?.parse().ok()?;
        let month = digits.get(4..6)?.parse().ok().filter(|m| (1..=12).contains(m));
        let day = digits.get(6..)?.parse().ok().filter(|d| (1..=31).contains(d));
        return Some(Date::ymd(year, month, day.filter(|_| month.is_some())));
    }
    Date::parse(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_pair_full_and_short_names_and_take_affiliations() {
        let src = "PMID- 1\nFAU - Long, Vicky\nAU  - Long V\nAD  - Centre for History,\n      \
                   Manchester.\nAU  - Marland H\nTI  - T\n";
        let rec = parse(src).records.remove(0);
        assert_eq!(rec.author.len(), 2);
        assert_eq!(rec.author[0].given.as_deref(), Some("Vicky"));
        assert_eq!(rec.author[0].affiliation, ["Centre for History, Manchester."]);
        assert_eq!(rec.author[1].family.as_deref(), Some("Marland"));
        assert_eq!(rec.author[1].given.as_deref(), Some("H"));
    }

    #[test]
    fn records_split_at_blank_lines_and_pmid() {
        let parsed = parse("PMID- 1\nTI  - a\n\nPMID- 2\nTI  - b\nPMID- 3\nTI  - c\n");
        let pmids: Vec<_> = parsed.records.iter().map(|r| r.pmid.clone().unwrap()).collect();
        assert_eq!(pmids, ["1", "2", "3"]);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(s in "\\PC*") {
            let _ = parse(&s);
        }

        #[test]
        fn never_panics_on_tag_soup(
            lines in proptest::collection::vec(
                "(PMID|FAU|AU|AD|AUID|DP|DEP|PG|LID|AID|IS|PT|BTI|      |\\PC{0,2})( {0,3}-( )?)?\\PC{0,12}",
                0..40,
            )
        ) {
            let _ = parse(&lines.join("\n"));
        }
    }

    #[test]
    fn doubled_line_breaks_keep_records_whole() {
        let parsed =
            parse("PMID- 1\r\r\nTI  - a\r\r\n      b\r\r\n\r\r\nPMID- 2\r\r\nTI  - c\r\r\n");
        let titles: Vec<_> = parsed.records.iter().map(|r| r.title.as_deref()).collect();
        assert_eq!(titles, [Some("a b"), Some("c")]);
        // A continuation after a blank line still continues; a tag line starts a record.
        let parsed = parse("TI  - a\n\n      b\nAU  - X Y\n\nTI  - c\n");
        let titles: Vec<_> = parsed.records.iter().map(|r| r.title.as_deref()).collect();
        assert_eq!(titles, [Some("a b"), Some("c")]);
    }

    #[test]
    fn ids_and_pages() {
        let src = "PMID- 1\nIS  - 0955-2359 (Print)\nIS  - 0955-2359 (Linking)\nPG  - 454-81\n\
                   LID - 10.4103/2277-9175.180636 [doi]\nAID - S01 [pii]\n";
        let rec = parse(src).records.remove(0);
        assert_eq!(rec.issn, ["0955-2359"]);
        assert_eq!(rec.page.as_deref(), Some("454-481"));
        assert_eq!(rec.doi.as_deref(), Some("10.4103/2277-9175.180636"));
        assert_eq!(rec.extra.get("pii").map(String::as_str), Some("S01"));
    }
}
