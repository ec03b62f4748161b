//! RIS reader: lines → raw records (borrowed tag and value slices) → [`Record`]s.
//!
//! Tolerant as real exports require: one or two spaces before the dash, LF/CRLF/CR, a BOM,
//! blank lines, junk before the first `TY`, a missing final `ER`, continuation lines, empty
//! tags. Tags are read as the 2011 specification, EndNote and Zotero use them; a tag with no
//! place in the model is kept in [`Record::extra`] under its own name.
//!
//! Decisions:
//! - Continuation lines are joined to the previous value with a space (hard-wrapped
//!   abstracts), with a line break under `N1` (notes keep their lists); under `KW` each
//!   line is a keyword of its own, as in Zotero.
//! - `AU  - Family, Given`; a name without a comma is one word (a family name) or, when it
//!   has several words, a literal (an organisation), as Zotero reads it.
//! - `M2  - name: value` lines (what our writer and Zotero's Extra use) go back to their
//!   field (`PMID`, `PMCID`, `DOI`, CSL variables without a RIS tag) or to `extra[name]`.

use std::borrow::Cow;

use super::{editor_tags, is_book, series_number_tag, ty_to_kind};
use crate::model::{clean_doi, clean_isbn, clean_issn, clean_pmcid, clean_pmid, normalize_pages};
use crate::tagged::{self, Line, RawField};
use crate::{Date, Diagnostic, Kind, Parsed, Person, Record};

/// A record as written: its `TY` value and its tag lines, in order.
#[derive(Debug)]
struct RawRecord<'a> {
    offset: usize,
    ty: &'a str,
    fields: Vec<RawField<'a>>,
}

/// Parses RIS text into records. Problems never cost other records: they become
/// diagnostics pointing at the line.
pub fn parse(src: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut open: Option<RawRecord<'_>> = None;
    // The field list of the last finished record, emptied, for the next one.
    let mut spare: Vec<RawField<'_>> = Vec::new();
    let mut in_junk = false;
    for Line { offset, text } in tagged::lines(src) {
        let Some(line) = tagged::ris_tag_line(text) else {
            if tagged::trim(text).is_empty() {
                continue;
            }
            match open.as_mut().map(|r| r.fields.last_mut()) {
                Some(Some(field)) => field.more.push(tagged::trim(text)),
                Some(None) => parsed.diagnostics.push(Diagnostic::error(
                    offset,
                    "expected a `XX  - value` tag line after `TY`; line skipped",
                )),
                None if in_junk => {}
                None => {
                    in_junk = true;
                    parsed.diagnostics.push(Diagnostic::warning(
                        offset,
                        "expected a `TY  - ` line; text outside a record ignored",
                    ));
                }
            }
            continue;
        };
        in_junk = false;
        match (line.tag, open.take()) {
            ("TY", Some(mut rec)) if rec.fields.is_empty() => {
                parsed
                    .diagnostics
                    .push(Diagnostic::warning(offset, "repeated `TY` line; the last type is used"));
                rec.ty = line.value;
                open = Some(rec);
            }
            ("TY", previous) => {
                if let Some(rec) = previous {
                    parsed.diagnostics.push(Diagnostic::warning(
                        offset,
                        "expected `ER  - ` before a new `TY`; the record ends here",
                    ));
                    spare = finish(rec, &mut parsed);
                }
                open =
                    Some(RawRecord { offset, ty: line.value, fields: std::mem::take(&mut spare) });
            }
            ("ER", Some(rec)) => spare = finish(rec, &mut parsed),
            ("ER", None) => parsed
                .diagnostics
                .push(Diagnostic::warning(offset, "`ER` line outside a record ignored")),
            (tag, Some(mut rec)) => {
                rec.fields.push(RawField::new(tag, line.value));
                open = Some(rec);
            }
            (tag, None) => parsed.diagnostics.push(Diagnostic::error(
                offset,
                format!("`{tag}` line outside a record (no `TY` before it) skipped"),
            )),
        }
    }
    if let Some(rec) = open {
        parsed
            .diagnostics
            .push(Diagnostic::warning(rec.offset, "record has no closing `ER  - ` line; kept"));
        finish(rec, &mut parsed);
    }
    parsed.diagnostics.sort_by_key(|d| d.offset);
    parsed
}

/// Builds the record (or reports it empty) and hands back its field list, emptied, for reuse.
fn finish<'a>(raw: RawRecord<'a>, parsed: &mut Parsed) -> Vec<RawField<'a>> {
    if raw.fields.iter().all(RawField::is_empty) {
        parsed
            .diagnostics
            .push(Diagnostic::error(raw.offset, "record has no fields besides `TY`; skipped"));
    } else {
        parsed.records.push(build(&raw));
    }
    let mut fields = raw.fields;
    fields.clear();
    fields
}

/// The fields of one record, each taken at most once; what is left goes to `extra`.
///
/// A record has a few dozen fields and is asked for some sixty tags, most of them absent:
/// the first 64 fields are filed by a hash of their tag into bit sets, so that asking for a
/// tag reads one bit set and checks the few fields in it.
struct Fields<'r, 'a> {
    fields: &'r [RawField<'a>],
    /// Bit `i` of `buckets[bucket(tag)]` set when field `i` (of the first 64) has `tag`, or
    /// another tag of the same bucket.
    buckets: [u64; 64],
    /// Bit `i` set when field `i` is taken (fields past the 64th: `used_more`).
    used: u64,
    used_more: Vec<bool>,
}

/// Field indexes found by [`Fields::take_indexes`]: a bit set for the first 64 fields, a
/// list for the rest (no allocation for ordinary records).
struct Hits {
    low: u64,
    more: Vec<usize>,
}

impl Hits {
    /// The indexes in record order.
    fn iter(self) -> impl Iterator<Item = usize> {
        let mut low = self.low;
        let low_bits = std::iter::from_fn(move || {
            (low != 0).then(|| {
                let i = low.trailing_zeros() as usize;
                low &= low - 1;
                i
            })
        });
        low_bits.chain(self.more)
    }
}

/// The bucket of [`Fields::buckets`] a tag is filed in (a multiplicative hash of its bytes).
fn bucket(tag: &str) -> usize {
    let key = tag.bytes().fold(tag.len() as u32, |h, b| h.wrapping_mul(257) ^ u32::from(b));
    (key.wrapping_mul(0x9E37_79B1) >> 26) as usize
}

impl<'r, 'a> Fields<'r, 'a> {
    fn new(fields: &'r [RawField<'a>]) -> Self {
        let mut buckets = [0u64; 64];
        for (i, f) in fields.iter().take(64).enumerate() {
            if let Some(b) = buckets.get_mut(bucket(f.tag)) {
                *b |= 1 << i;
            }
        }
        let used_more = vec![false; fields.len().saturating_sub(64)];
        Fields { fields, buckets, used: 0, used_more }
    }

    fn is_used(&self, i: usize) -> bool {
        match i.checked_sub(64) {
            None => self.used >> i & 1 == 1,
            Some(j) => self.used_more.get(j).copied().unwrap_or(true),
        }
    }

    /// The first 64 fields with `tag`, taken or not, as a bit set.
    fn low(&self, tag: &str) -> u64 {
        let mut filed = self.buckets.get(bucket(tag)).copied().unwrap_or(0);
        let mut hits = 0;
        while filed != 0 {
            let i = filed.trailing_zeros() as usize;
            filed &= filed - 1;
            if self.fields.get(i).is_some_and(|f| f.tag == tag) {
                hits |= 1 << i;
            }
        }
        hits
    }

    /// Unused fields with one of `tags`, in record order, marked as used.
    fn take_indexes(&mut self, tags: &[&str]) -> Hits {
        let low = tags.iter().fold(0, |acc, tag| acc | self.low(tag)) & !self.used;
        self.used |= low;
        let mut more = Vec::new();
        let past = self.fields.get(64..).unwrap_or_default();
        for ((j, f), used) in past.iter().enumerate().zip(self.used_more.iter_mut()) {
            if !*used && tags.contains(&f.tag) {
                *used = true;
                more.push(64 + j);
            }
        }
        Hits { low, more }
    }

    /// Values of `tags`, in record order (continuation lines joined with a space), marked as
    /// used; empty values are dropped.
    fn take(
        &mut self,
        tags: &[&str],
    ) -> impl Iterator<Item = (&'a str, Cow<'a, str>)> + use<'r, 'a> {
        let fields = self.fields;
        self.take_indexes(tags).iter().filter_map(|i| fields.get(i)).filter_map(|f| {
            // Notes are free-form: their line structure (lists) is kept.
            let value = join(f, if f.tag == "N1" { "\n" } else { " " });
            (!value.is_empty()).then_some((f.tag, value))
        })
    }

    /// The value lines of `tag`, each field's lines separately, marked as used.
    fn take_lines(&mut self, tag: &str) -> Vec<&'a str> {
        let fields = self.fields;
        self.take_indexes(&[tag])
            .iter()
            .filter_map(|i| fields.get(i))
            .flat_map(|f| f.parts().filter(|p| !p.is_empty()))
            .collect()
    }

    /// True when a field has `tag` (taken or not).
    fn has(&self, tag: &str) -> bool {
        self.low(tag) != 0 || self.fields.get(64..).unwrap_or_default().iter().any(|f| f.tag == tag)
    }

    /// The first value among `tags`, by priority of the tag; every other value that differs
    /// from it is kept in `extra` under its tag.
    fn pick(&mut self, rec: &mut Record, tags: &[&str]) -> Option<Cow<'a, str>> {
        let mut chosen: Option<Cow<'a, str>> = None;
        for tag in tags {
            for (tag, value) in self.take(&[tag]) {
                match &chosen {
                    None => chosen = Some(value),
                    Some(c) if *c == value => {}
                    Some(_) => rec.push_extra(tag, &value),
                }
            }
        }
        chosen
    }
}

/// Joins a field's value lines with `sep`; a one-line value is borrowed.
fn join<'a>(field: &RawField<'a>, sep: &str) -> Cow<'a, str> {
    if field.more.is_empty() {
        return Cow::Borrowed(field.first.trim());
    }
    let mut lines = field.parts().map(str::trim).filter(|p| !p.is_empty());
    let Some(first) = lines.next() else { return Cow::Borrowed("") };
    let Some(second) = lines.next() else { return Cow::Borrowed(first) };
    let mut out = String::with_capacity(field.parts().map(|p| p.len() + sep.len()).sum());
    out.push_str(first);
    for p in std::iter::once(second).chain(lines) {
        out.push_str(sep);
        out.push_str(p);
    }
    Cow::Owned(out)
}

fn build(raw: &RawRecord<'_>) -> Record {
    let kind = ty_to_kind(raw.ty);
    let mut rec = Record::new(kind.unwrap_or(Kind::Document));
    if kind.is_none() {
        rec.push_extra("ris-type", raw.ty);
    }
    let mut f = Fields::new(&raw.fields);
    let book = is_book(rec.kind);

    // Titles.
    let title = f.pick(&mut rec, &["TI", "T1", "CT"]);
    set(&mut rec.title, title);
    let short = f.pick(&mut rec, &["ST"]);
    set(&mut rec.title_short, short);
    let translated = f.pick(&mut rec, &["TT"]);
    set(&mut rec.original_title, translated);
    read_containers(&mut f, &mut rec, book);

    // People.
    rec.author = people(f.take(&["AU", "A1"]));
    if editor_tags(rec.kind).1 == "A2" {
        rec.editor = people(f.take(&["ED", "A3"]));
        rec.collection_editor = people(f.take(&["A2"]));
    } else {
        rec.editor = people(f.take(&["A2", "ED"]));
        rec.collection_editor = people(f.take(&["A3"]));
    }
    rec.translator = people(f.take(&["A4"]));

    read_dates(&mut f, &mut rec);

    // Numbers.
    let volume = f.pick(&mut rec, &["VL"]);
    set(&mut rec.volume, volume);
    let issue = f.pick(&mut rec, &["IS"]);
    set(&mut rec.issue, issue);
    let volumes = f.pick(&mut rec, &["NV"]);
    set(&mut rec.number_of_volumes, volumes);
    let edition = f.pick(&mut rec, &["ET"]);
    set(&mut rec.edition, edition);
    read_pages(&mut f, &mut rec);
    if let Some(tag) = series_number_tag(rec.kind) {
        let number = f.pick(&mut rec, &[tag]);
        set(&mut rec.collection_number, number);
    }
    if matches!(
        rec.kind,
        Kind::Report
            | Kind::Patent
            | Kind::Bill
            | Kind::Hearing
            | Kind::Legislation
            | Kind::Standard
    ) {
        let number = f.pick(&mut rec, &["M1"]);
        set(&mut rec.number, number);
    }

    read_ids(&mut f, &mut rec);

    // Publication.
    let publisher = f.pick(&mut rec, &["PB"]);
    set(&mut rec.publisher, publisher);
    let place = f.pick(&mut rec, &["CY"]);
    set(&mut rec.publisher_place, place);
    let language = f.pick(&mut rec, &["LA"]);
    set(&mut rec.language, language);
    let call_number = f.pick(&mut rec, &["CN"]);
    set(&mut rec.call_number, call_number);
    let archive = f.pick(&mut rec, &["DB"]);
    set(&mut rec.archive, archive);
    let key = f.pick(&mut rec, &["ID"]);
    set(&mut rec.key, key);
    for (_, value) in f.take(&["M3"]) {
        // `M3` is the type of work; some exporters put the DOI there (Zotero reads it so).
        match clean_doi(&value) {
            Some(doi) if rec.doi.is_none() => rec.doi = Some(doi),
            Some(doi) if rec.doi.as_ref() == Some(&doi) => {}
            _ if rec.genre.is_none() => rec.genre = Some(value.into_owned()),
            _ => rec.push_extra("M3", &value),
        }
    }

    // Text.
    let abstract_text = f.pick(&mut rec, &["AB", "N2"]);
    set(&mut rec.abstract_text, abstract_text);
    let mut notes = Vec::new();
    for (_, value) in f.take(&["N1"]) {
        match labelled_pmid(&value) {
            Some(pmid) if rec.pmid.is_none() => rec.pmid = Some(pmid),
            _ => notes.push(value),
        }
    }
    if !notes.is_empty() {
        rec.note = Some(notes.join("\n"));
    }
    for line in f.take_lines("KW") {
        for kw in line.split(';').map(str::trim).filter(|k| !k.is_empty()) {
            if !rec.keyword.iter().any(|k| k == kw) {
                rec.keyword.push(kw.to_owned());
            }
        }
    }
    for (_, value) in f.take(&["M2"]) {
        read_m2(&mut rec, &value);
    }

    // Everything else, under its own tag.
    for (i, field) in raw.fields.iter().enumerate() {
        if !f.is_used(i) {
            rec.push_extra(field.tag, &join(field, " "));
        }
    }
    rec
}

fn set(slot: &mut Option<String>, value: Option<Cow<'_, str>>) {
    if let Some(v) = value {
        Record::set(slot, &v);
    }
}

/// Journal, book and series titles: which tag means what depends on the type.
fn read_containers(f: &mut Fields<'_, '_>, rec: &mut Record, book: bool) {
    let short = f.pick(rec, &["J2", "JA"]);
    set(&mut rec.container_title_short, short);
    if book {
        // Zotero: `T2` and `T3` of a book are its series; `BT` its own title.
        let series = f.pick(rec, &["T3", "T2"]);
        set(&mut rec.collection_title, series);
        for (tag, value) in f.take(&["BT"]) {
            if rec.title.is_none() {
                rec.title = Some(value.into_owned());
            } else if rec.title.as_deref() != Some(&*value) {
                rec.push_extra(tag, &value);
            }
        }
        let container = f.pick(rec, &["JF", "JO"]);
        set(&mut rec.container_title, container);
        return;
    }
    let series = f.pick(rec, &["T3"]);
    set(&mut rec.collection_title, series);
    // Zotero writes a conference paper's proceedings title as `C3` and the conference
    // name as `T2`.
    if rec.kind == Kind::PaperConference && f.has("C3") {
        let proceedings = f.pick(rec, &["C3"]);
        set(&mut rec.container_title, proceedings);
        let event = f.pick(rec, &["T2"]);
        set(&mut rec.event_title, event);
    }
    let container = f.pick(rec, &["T2", "JF", "BT"]);
    if rec.container_title.is_none() {
        set(&mut rec.container_title, container);
    } else if let Some(c) = container.filter(|c| rec.container_title.as_deref() != Some(&**c)) {
        rec.push_extra("T2", &c);
    }
    // `JO` is a full title in some exports and an abbreviation in others (Zotero reads an
    // abbreviation): it fills whichever slot is still empty.
    for (tag, value) in f.take(&["JO"]) {
        if rec.container_title.is_none() {
            rec.container_title = Some(value.into_owned());
        } else if rec.container_title.as_deref() == Some(&*value) {
        } else if rec.container_title_short.is_none() {
            rec.container_title_short = Some(value.into_owned());
        } else if rec.container_title_short.as_deref() != Some(&*value) {
            rec.push_extra(tag, &value);
        }
    }
}

/// `AU  - Family, Given[, Suffix]`; a name without a comma is a family name (one word) or
/// an organisation (several words).
pub(crate) fn ris_person(value: &str) -> Person {
    let value = value.trim();
    if value.contains(',') {
        Person::parse_inverted(value)
    } else if value.contains(char::is_whitespace) {
        Person::literal(value)
    } else {
        Person::from_parts(value, "")
    }
}

fn people<'a>(values: impl Iterator<Item = (&'a str, Cow<'a, str>)>) -> Vec<Person> {
    values.map(|(_, v)| ris_person(&v)).filter(|p| !p.is_empty()).collect()
}

/// Issued date: `DA` beats `Y1` beats `PY`, among dates with a year; a better-ranked date
/// without a year (`DA  - July` next to `PY  - 1948`) lends its month and day. A date that
/// agrees with the one used is dropped; one that disagrees is kept in `extra` under its tag.
fn read_dates(f: &mut Fields<'_, '_>, rec: &mut Record) {
    let mut dated = Vec::new();
    for tag in ["DA", "Y1", "PY"] {
        for (tag, value) in f.take(&[tag]) {
            match ris_date(&value) {
                Some((date, info)) => {
                    let info = info.map(str::to_owned);
                    dated.push((tag, value.clone(), date, info));
                }
                None => rec.push_extra(tag, &value),
            }
        }
    }
    let best = dated.iter().position(|(_, _, d, _)| d.year.is_some()).unwrap_or(0);
    if let Some((_, _, date, info)) = dated.get(best) {
        let mut issued = date.clone();
        if let Some(info) = info {
            rec.push_extra("date-info", info);
        }
        let mut lent = None;
        for (i, (_, value, d, _)) in dated.iter().enumerate().take(best) {
            let (Some(year), None, None) = (issued.year, issued.month, d.year) else { continue };
            // Read the yearless text with the year added: `July` → `July 1948`.
            let with_year = Date::parse(&format!("{} {year}", value.trim_matches('/')));
            if let Some(m) = with_year.filter(|m| m.year == Some(year) && m.literal.is_none())
                && m.month.is_some()
            {
                issued.month = m.month;
                issued.day = m.day;
                lent = Some(i);
            }
        }
        for (i, (tag, value, d, _)) in dated.iter().enumerate() {
            if i != best && Some(i) != lent && !agrees(&issued, d) {
                rec.push_extra(tag, value);
            }
        }
        rec.issued = Some(issued);
    }
    for (tag, value) in f.take(&["Y2"]) {
        match ris_date(&value) {
            Some((date, _)) if rec.accessed.is_none() => rec.accessed = Some(date),
            _ => rec.push_extra(tag, &value),
        }
    }
}

/// True when `less` says nothing `more` contradicts (`2019` against `2019/04/05`).
fn agrees(more: &Date, less: &Date) -> bool {
    more == less
        || (less.literal.is_none()
            && less.year == more.year
            && (less.month.is_none() || less.month == more.month)
            && (less.day.is_none() || less.day == more.day))
}

/// A RIS date: `YYYY/MM/DD/other info` with any part empty (`2014//`, `1948/07//`) or `0`
/// for unknown, or a free-form date. Returns the date and the free-text part after the
/// third slash.
fn ris_date(value: &str) -> Option<(Date, Option<&str>)> {
    let value = value.trim();
    let mut parts = value.splitn(4, '/');
    let year = parts.next().unwrap_or_default().trim();
    if !value.contains('/') || year.is_empty() || !year.bytes().all(|b| b.is_ascii_digit()) {
        if value.trim_matches('/').trim().is_empty() {
            return None;
        }
        return Date::parse(value).map(|d| (d, None));
    }
    let number = |s: Option<&str>, max: u8| {
        s.and_then(|s| s.trim().parse::<u8>().ok()).filter(|n| (1..=max).contains(n))
    };
    let month = number(parts.next(), 12);
    let day = number(parts.next(), 31).filter(|_| month.is_some());
    let info = parts.next().map(str::trim).filter(|s| !s.is_empty());
    let year: i32 = year.parse().ok()?;
    if year == 0 {
        return None;
    }
    Some((Date::ymd(year, month, day), info))
}

/// `SP` and `EP` into one range; a second range or a stray end page goes to `extra`.
fn read_pages(f: &mut Fields<'_, '_>, rec: &mut Record) {
    let start = f.pick(rec, &["SP"]);
    let end = f.pick(rec, &["EP"]);
    rec.page = match (start, end) {
        (Some(s), Some(e)) if s.contains(['-', '–']) => {
            rec.push_extra("EP", &e);
            Some(normalize_pages(&s))
        }
        (Some(s), Some(e)) if s == e => Some(normalize_pages(&s)),
        (Some(s), Some(e)) => Some(normalize_pages(&format!("{}-{}", s.trim(), e.trim()))),
        (Some(s), None) => Some(normalize_pages(&s)),
        (None, Some(e)) => Some(normalize_pages(&e)),
        (None, None) => None,
    };
}

fn read_ids(f: &mut Fields<'_, '_>, rec: &mut Record) {
    for (tag, value) in f.take(&["SN"]) {
        // Zotero writes report and patent numbers as `SN`.
        let numbered = matches!(rec.kind, Kind::Report | Kind::Patent);
        if numbered && rec.number.is_none() && !is_standard_number(&value) {
            rec.number = Some(value.into_owned());
            continue;
        }
        for piece in value.split([';', ',', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
            // `1932-6208 (electronic)`: the qualifier is not part of the number.
            let number = piece.split('(').next().unwrap_or(piece).trim();
            let bare = number.trim_start_matches("ISSN").trim_start_matches("ISBN");
            let alnum = bare.chars().filter(char::is_ascii_alphanumeric).count();
            if alnum == 8
                && let Some(issn) = clean_issn(bare)
            {
                if !rec.issn.contains(&issn) {
                    rec.issn.push(issn);
                }
            } else if let Some(isbn) = clean_isbn(number) {
                if !rec.isbn.contains(&isbn) {
                    rec.isbn.push(isbn);
                }
            } else {
                rec.push_extra(tag, piece);
            }
        }
    }
    for (tag, value) in f.take(&["DO"]) {
        match clean_doi(&value) {
            Some(doi) if rec.doi.is_none() => rec.doi = Some(doi),
            Some(doi) if rec.doi.as_deref() == Some(doi.as_str()) => {}
            _ => rec.push_extra(tag, &value),
        }
    }
    // `UR` is never split at `;`: SICI DOIs contain one (`…>3.0.CO;2-C`).
    for (tag, value) in f.take(&["UR"]) {
        if rec.url.is_none() {
            rec.url = Some(value.into_owned());
        } else {
            rec.push_extra(tag, &value);
        }
    }
    let pubmed_db =
        f.has("DB") && f.fields.iter().any(|x| x.tag == "DB" && x.parts().any(is_pubmed_name));
    for (tag, value) in f.take(&["AN"]) {
        let pmid = labelled_pmid(&value)
            .or_else(|| pubmed_db.then(|| clean_pmid(&value)).flatten().filter(|p| *p == value));
        match pmid {
            Some(pmid) if rec.pmid.is_none() => rec.pmid = Some(pmid),
            _ if rec.archive_location.is_none() => rec.archive_location = Some(value.into_owned()),
            _ => rec.push_extra(tag, &value),
        }
    }
}

/// True when `value` starts with an ISSN or ISBN.
fn is_standard_number(value: &str) -> bool {
    let first = value.split([';', ',', '(']).next().unwrap_or(value).trim();
    clean_issn(first).is_some() || clean_isbn(first).is_some()
}

fn is_pubmed_name(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    s.contains("pubmed") || s.contains("medline")
}

/// `PMID: 123`, `PMID:123`, `PMID 123`, `PubMed ID: 123` → `123`; anything else → `None`.
fn labelled_pmid(value: &str) -> Option<String> {
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = compact.to_ascii_lowercase();
    let rest = lower.strip_prefix("pmid").or_else(|| lower.strip_prefix("pubmedid"))?;
    let digits = rest.trim_start_matches(':');
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| clean_pmid(digits))
        .flatten()
}

/// `name: value`: a short name of letters, digits, spaces, `-` or `_`, a colon and a space
/// (so that `http://…` is no label), then a value.
pub(crate) fn split_label(value: &str) -> Option<(&str, &str)> {
    let (name, rest) = value.split_once(": ")?;
    let name_ok = name.chars().count() <= 40 && name.chars().all(is_label_char);
    let name_ok = name_ok && name.chars().next().is_some_and(char::is_alphabetic);
    let rest = rest.trim();
    (name_ok && !rest.is_empty()).then_some((name.trim(), rest))
}

/// A character an `M2` label may hold.
pub(crate) fn is_label_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ' ' | '-' | '_')
}

/// One `M2` line: an identifier, a CSL variable our writer put there, or `extra[name]`.
fn read_m2(rec: &mut Record, value: &str) {
    let Some((name, v)) = split_label(value) else {
        rec.push_extra("M2", value);
        return;
    };
    match name.to_ascii_lowercase().as_str() {
        "pmid" if rec.pmid.is_none() && clean_pmid(v).is_some() => rec.pmid = clean_pmid(v),
        "pmcid" if rec.pmcid.is_none() && clean_pmcid(v).is_some() => {
            rec.pmcid = clean_pmcid(v);
        }
        "doi" if rec.doi.is_none() && clean_doi(v).is_some() => rec.doi = clean_doi(v),
        "type" if Kind::from_csl(v).is_some() => rec.kind = Kind::from_csl(v).unwrap_or(rec.kind),
        _ => {
            if !super::set_m2_field(rec, name, v) {
                rec.push_extra(name, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;

    fn one(src: &str) -> Record {
        let parsed = parse(src);
        assert_eq!(parsed.records.len(), 1, "{parsed:?}");
        parsed.records.into_iter().next().unwrap()
    }

    #[test]
    fn ris_dates() {
        let d = |s| ris_date(s).map(|(d, i)| (d.year, d.month, d.day, i.map(str::to_owned)));
        assert_eq!(d("2019/04/05/"), Some((Some(2019), Some(4), Some(5), None)));
        assert_eq!(d("2014//"), Some((Some(2014), None, None, None)));
        assert_eq!(d("2001/00/00/"), Some((Some(2001), None, None, None)));
        assert_eq!(d("2001/09/01/Fall"), Some((Some(2001), Some(9), Some(1), Some("Fall".into()))));
        assert_eq!(d("///"), None);
        assert_eq!(d("2004"), Some((Some(2004), None, None, None)));
    }

    #[test]
    fn a_month_without_year_borrows_the_year() {
        let rec = one("TY  - JOUR\nPY  - 1948\nDA  - July\nTI  - x\nER  -\n");
        let issued = rec.issued.unwrap();
        assert_eq!((issued.year, issued.month), (Some(1948), Some(7)));
        assert!(rec.extra.is_empty(), "{:?}", rec.extra);
    }

    #[test]
    fn continuation_lines_join_and_keywords_split() {
        let rec = one("TY  - JOUR\nTI  - A long\n   title\nKW  - a; b\nKW  - c\nd\nER  - \n");
        assert_eq!(rec.title.as_deref(), Some("A long title"));
        assert_eq!(rec.keyword, ["a", "b", "c", "d"]);
    }

    #[test]
    fn m2_lines_go_back_to_their_fields() {
        let rec = one("TY  - JOUR\nTI  - x\nM2  - PMID: 123\nM2  - grant: G1\nM2  - 435/5\nER  -");
        assert_eq!(rec.pmid.as_deref(), Some("123"));
        assert_eq!(rec.extra.get("grant").map(String::as_str), Some("G1"));
        assert_eq!(rec.extra.get("M2").map(String::as_str), Some("435/5"));
    }

    #[test]
    fn fields_past_the_64th_are_read_and_carried() {
        // Used-field bookkeeping switches from a bit set to a list after 64 fields.
        let mut src = String::from("TY  - JOUR\n");
        for i in 0..70 {
            src.push_str(&format!("KW  - k{i}\nZZ  - z{i}\n"));
        }
        src.push_str("TI  - last\nER  - \n");
        let rec = one(&src);
        assert_eq!(rec.title.as_deref(), Some("last"));
        assert_eq!(rec.keyword.len(), 70);
        assert_eq!(rec.keyword.last().map(String::as_str), Some("k69"));
        let zz = rec.extra.get("ZZ").map(String::as_str).unwrap_or_default();
        assert!(zz.starts_with("z0") && zz.ends_with("z69"), "{zz}");
    }

    #[test]
    fn tags_filed_in_one_bucket_are_told_apart() {
        // Tags that share a bucket with `TI` and `AU`, placed before them.
        let tags = (b'A'..=b'Z').flat_map(|a| {
            (b'0'..=b'9').chain(b'A'..=b'Z').map(move |b| String::from_utf8(vec![a, b]))
        });
        let same = |of: &str| {
            tags.clone()
                .flatten()
                .find(|t| t != of && bucket(t) == bucket(of))
                .unwrap_or_else(|| panic!("no tag shares {of}'s bucket"))
        };
        let (near_ti, near_au) = (same("TI"), same("AU"));
        let src = format!(
            "TY  - JOUR\n{near_ti}  - not a title\n{near_au}  - Not, An Author\n\
             TI  - The title\nAU  - Doe, Jane\nER  - \n"
        );
        let rec = one(&src);
        assert_eq!(rec.title.as_deref(), Some("The title"));
        let families: Vec<_> = rec.author.iter().map(|p| p.family.as_deref()).collect();
        assert_eq!(families, [Some("Doe")]);
        // The first such tags (`AL`, `BB`) have no place in the model: carried.
        assert_eq!(rec.extra.get(near_ti.as_str()).map(String::as_str), Some("not a title"));
        assert_eq!(rec.extra.get(near_au.as_str()).map(String::as_str), Some("Not, An Author"));
    }

    #[test]
    fn sici_url_is_not_split() {
        let url = "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0";
        let rec = one(&format!("TY  - JOUR\nUR  - {url}\nER  - \n"));
        assert_eq!(rec.url.as_deref(), Some(url));
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(s in "\\PC*") {
            let _ = parse(&s);
        }

        #[test]
        fn never_panics_on_tag_soup(
            lines in proptest::collection::vec(
                "(TY|ER|AU|A2|KW|DA|PY|SP|EP|SN|M2|N1|UR|DO|XX|  |\\PC{0,2})( {0,3}-( |\r)?)?\\PC{0,12}",
                0..40,
            )
        ) {
            let _ = parse(&lines.join("\n"));
        }

        #[test]
        fn write_read_write_is_idempotent(
            lines in proptest::collection::vec(
                "(AU|A2|A3|ED|TI|T2|J2|KW|DA|PY|SP|EP|SN|M2|N1|UR|DO|VL|IS|AB|ID|LA|XY)  - \\PC{0,16}",
                0..20,
            )
        ) {
            let src = format!("TY  - JOUR\n{}\nER  - \n", lines.join("\n"));
            let write = |records: &[Record]| {
                crate::write_to_string(records, crate::OutputFormat::Ris, &Default::default())
            };
            let once = write(&parse(&src).records);
            let twice = write(&parse(&once).records);
            proptest::prop_assert_eq!(once, twice);
        }
    }

    #[test]
    fn bad_lines_cost_nothing_else() {
        let src = "junk\nTI  - stray\nTY  - JOUR\nTI  - kept\nER  - \nTY  - BOOK\nER  -\n\
                   ER  - \nTY  - GEN\nTI  - last, no ER\n";
        let parsed = parse(src);
        let titles: Vec<_> = parsed.records.iter().map(|r| r.title.as_deref()).collect();
        assert_eq!(titles, [Some("kept"), Some("last, no ER")]);
        let got: Vec<(usize, Severity, &str)> =
            parsed.diagnostics.iter().map(|d| (d.offset, d.severity, d.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (0, Severity::Warning, "expected a `TY  - ` line; text outside a record ignored"),
                (5, Severity::Error, "`TI` line outside a record (no `TY` before it) skipped"),
                (46, Severity::Error, "record has no fields besides `TY`; skipped"),
                (63, Severity::Warning, "`ER` line outside a record ignored"),
                (70, Severity::Warning, "record has no closing `ER  - ` line; kept"),
            ]
        );
    }
}
