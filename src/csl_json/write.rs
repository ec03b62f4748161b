//! CSL-JSON writer: one pretty-printed item object per record, written the way Zotero and
//! citeproc read it.
//!
//! - `id` is the cite key; `type` is always a CSL type.
//! - Names are objects with only `family`, `given` and `literal`: Zotero ignores particles
//!   and suffixes, so the non-dropping particle is folded into `family` (`van der Berg`), the
//!   dropping particle into `given` (`Charles de`), and the suffix into `given` after a comma
//!   (`Martin Luther, Jr.`), which is how citeproc-js splits it off again.
//! - Dates are objects: `{"date-parts": [[2019, 4, 5]]}` (two arrays for a range), with
//!   `season` (1–4) and `circa` when known; a date that is only text is `{"literal": …}`.
//! - `container-title-short` is doubled as `journalAbbreviation` (the one Zotero reads);
//!   several ISBNs or ISSNs are joined with `, `; keywords with `, ` (with `; ` when one of
//!   them holds a comma).
//! - `note` carries what CSL has no variable for, one `Key: value` line each (Zotero reads
//!   the note into Extra): `PMID: …` and `PMCID: …` (older Zotero ignores the variables),
//!   every [`Record::extra`] entry, and each person's affiliation as `affiliation: Family,
//!   Given: text`. Lines the note already holds are not repeated. A line that names a
//!   variable the record leaves empty (`DOI: …` in a note) is also written as that variable,
//!   as the reader would take it, so that write → read → write is idempotent.
//! - What moved into the note (extras, affiliations, `related-to`) is reported as lost.

use super::{CslDate, CslItem, CslName, Text};
use crate::{Date, Person, Record, WriteOptions};

/// Formats one record as a CSL-JSON item object, indented to sit inside the array the
/// [`Writer`](crate::Writer) frames, without a final newline. What moved into `note` is
/// reported in `lost`.
pub fn write_entry(
    rec: &Record,
    key: &str,
    options: &WriteOptions,
    out: &mut String,
    lost: &mut Vec<String>,
) {
    let _ = options;
    // What the note says of a field the record leaves empty (`DOI: …`), the reader of this
    // output will take: fill it first, so that the variable is written too and writing is
    // idempotent.
    // (A copy only when there is a note: most records have none.)
    let filled = note(rec, &mut Vec::new()).map(|text| {
        let mut filled = rec.clone();
        super::read::fields_from_note(&mut filled, &text);
        filled
    });
    let rec = filled.as_ref().unwrap_or(rec);
    let note = note(rec, lost);
    let item = CslItem {
        id: key,
        kind: rec.kind.as_csl(),
        title: rec.title.as_deref(),
        title_short: rec.title_short.as_deref(),
        original_title: rec.original_title.as_deref(),
        author: names(&rec.author),
        editor: names(&rec.editor),
        translator: names(&rec.translator),
        container_author: names(&rec.container_author),
        collection_editor: names(&rec.collection_editor),
        container_title: rec.container_title.as_deref(),
        container_title_short: rec.container_title_short.as_deref(),
        journal_abbreviation: rec.container_title_short.as_deref(),
        collection_title: rec.collection_title.as_deref(),
        collection_number: rec.collection_number.as_deref(),
        volume: rec.volume.as_deref(),
        issue: rec.issue.as_deref(),
        page: rec.page.as_deref(),
        number_of_pages: rec.number_of_pages.as_deref(),
        number_of_volumes: rec.number_of_volumes.as_deref(),
        number: rec.number.as_deref(),
        edition: rec.edition.as_deref(),
        chapter_number: rec.chapter_number.as_deref(),
        publisher: rec.publisher.as_deref(),
        publisher_place: rec.publisher_place.as_deref(),
        event_title: rec.event_title.as_deref(),
        event_place: rec.event_place.as_deref(),
        genre: rec.genre.as_deref(),
        medium: rec.medium.as_deref(),
        status: rec.status.as_deref(),
        issued: rec.issued.as_ref().and_then(date),
        available_date: rec.available_date.as_ref().and_then(date),
        original_date: rec.original_date.as_ref().and_then(date),
        accessed: rec.accessed.as_ref().and_then(date),
        event_date: rec.event_date.as_ref().and_then(date),
        doi: rec.doi.as_deref(),
        isbn: join(&rec.isbn, ", "),
        issn: join(&rec.issn, ", "),
        pmid: rec.pmid.as_deref(),
        pmcid: rec.pmcid.as_deref(),
        url: rec.url.as_deref(),
        archive: rec.archive.as_deref(),
        archive_location: rec.archive_location.as_deref(),
        call_number: rec.call_number.as_deref(),
        abstract_text: rec.abstract_text.as_deref(),
        keyword: keywords(&rec.keyword, lost),
        language: rec.language.as_deref(),
        note,
    };
    let json = match serde_json::to_string_pretty(&item) {
        Ok(json) => json,
        Err(e) => {
            // Serializing strings and numbers cannot fail; should it, say so.
            lost.push(format!("record not written: {e}"));
            return;
        }
    };
    // Indent the object one level so that the framed array reads as normal pretty JSON.
    for (i, line) in json.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("  ");
        out.push_str(line);
    }
}

fn join(list: &[String], sep: &str) -> Option<String> {
    (!list.is_empty()).then(|| list.join(sep))
}

/// Keywords joined with `, `, or with `; ` when a keyword holds a comma (`Neoplasms, Lung`),
/// which the reader splits at first (a lone such keyword gets a closing `;`). A keyword
/// holding `;` cannot survive the join: it is written split there, and reported.
fn keywords(list: &[String], lost: &mut Vec<String>) -> Option<String> {
    let pieces: Vec<&str> =
        list.iter().flat_map(|k| k.split(';')).map(str::trim).filter(|k| !k.is_empty()).collect();
    if pieces.len() != list.len() || pieces.iter().zip(list).any(|(p, k)| p != k) {
        lost.push("keywords holding `;` written split at it".into());
    }
    if pieces.is_empty() {
        return None;
    }
    if pieces.iter().any(|k| k.contains(',')) {
        let mut joined = pieces.join("; ");
        if pieces.len() == 1 {
            joined.push(';');
        }
        Some(joined)
    } else {
        Some(pieces.join(", "))
    }
}

fn names(people: &[Person]) -> Vec<CslName> {
    people.iter().filter(|p| !p.is_empty()).map(name).collect()
}

/// A person as Zotero reads a CSL name: particles and suffix folded into family and given.
fn name(p: &Person) -> CslName {
    let family = p.family.as_deref().map(|family| match &p.particle {
        Some(particle) if particle.ends_with(['\'', '’']) => format!("{particle}{family}"),
        Some(particle) => format!("{particle} {family}"),
        None => family.to_owned(),
    });
    let mut given = p.given.clone();
    if let Some(dropping) = &p.dropping_particle {
        given = Some(match given {
            Some(g) => format!("{g} {dropping}"),
            None => dropping.clone(),
        });
    }
    if let Some(suffix) = &p.suffix {
        given = Some(format!("{}, {suffix}", given.unwrap_or_default()));
    }
    let text = |s: Option<String>| s.map(Text::Str);
    CslName {
        family: text(family),
        given: text(given),
        literal: text(p.literal.clone()),
        ..CslName::default()
    }
}

/// A date as a CSL date object; `None` when it holds nothing.
fn date(d: &Date) -> Option<CslDate> {
    let part = |y: i32, m: Option<u8>, day: Option<u8>| {
        let mut parts = vec![Text::from(i64::from(y))];
        if let Some(m) = m {
            parts.push(Text::from(i64::from(m)));
            if let Some(day) = day {
                parts.push(Text::from(i64::from(day)));
            }
        }
        parts
    };
    let date_parts = d.year.map(|y| {
        let mut parts = vec![part(y, d.month, d.day)];
        if let Some((ey, em, ed)) = d.end() {
            parts.push(part(ey, em, ed));
        }
        parts
    });
    let out = CslDate {
        date_parts,
        season: d.season.map(|s| Text::from(i64::from(s))),
        circa: d.circa.then_some(serde_json::Value::Bool(true)),
        literal: d.literal.as_deref().map(Text::from),
        ..CslDate::default()
    };
    (out != CslDate::default()).then_some(out)
}

/// The note: the record's own note, then one `Key: value` line for each thing CSL (or
/// Zotero) has no variable for, unless the note already holds that line.
fn note(rec: &Record, lost: &mut Vec<String>) -> Option<String> {
    let mut note = rec.note.clone().unwrap_or_default();
    let mut add = |key: &str, value: &str| {
        let line = format!("{key}: {value}");
        if !note.lines().any(|l| l.trim() == line) {
            if !note.is_empty() {
                note.push('\n');
            }
            note.push_str(&line);
        }
    };
    if let Some(pmid) = &rec.pmid {
        add("PMID", pmid);
    }
    if let Some(pmcid) = &rec.pmcid {
        add("PMCID", pmcid);
    }
    let people =
        [&rec.author, &rec.editor, &rec.translator, &rec.container_author, &rec.collection_editor];
    let mut moved_affiliations = false;
    for p in people.into_iter().flatten() {
        let who = p.display_inverted().unwrap_or_default();
        for aff in &p.affiliation {
            add("affiliation", &format!("{who}: {aff}"));
            moved_affiliations = true;
        }
    }
    for (key, value) in rec.data_extras() {
        for line in value.lines().filter(|l| !l.trim().is_empty()) {
            add(key, line.trim());
        }
    }
    if let Some(related) = &rec.related_to {
        add("related-to", related);
        lost.push("related-to written to note".into());
    }
    if moved_affiliations {
        lost.push("affiliations written to note".into());
    }
    let keys: Vec<&str> = rec.data_extras().map(|(k, _)| k.as_str()).collect();
    if !keys.is_empty() {
        lost.push(format!("written to note: {}", keys.join(", ")));
    }
    (!note.trim().is_empty()).then_some(note)
}
