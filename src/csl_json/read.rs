//! CSL-JSON reader: JSON text → items (each kept as its raw text, for its byte offset) →
//! one [`Record`] per item.
//!
//! Tolerant the way real files need: numbers or strings for any text, numeric strings in
//! `date-parts`, EDTF strings for dates, plain strings for names, a missing or unknown
//! `type`. One item that is not an object costs only that item (an error naming it);
//! everything an item holds that the model has no field for is kept in
//! [`Record::extra`] under its CSL name.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use std::ops::Range;

use super::item::{Field, Item};
use super::scan::{array_items, is_json_space};
use super::{CslDate, CslName, DATE_VARIABLES, NAME_VARIABLES, NOTE_KEYS, Text, note_line};
use crate::model::{clean_doi, clean_isbn, clean_issn, clean_pmcid, clean_pmid, collapse_ws};
use crate::{Date, Diagnostic, Error, InputFormat, Kind, Parsed, Person, Record};

/// Suffixes that Zotero and citeproc-js fold into the given name after a comma
/// (`"given": "Martin Luther, Jr."`).
const SUFFIXES: &[&str] = &["Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV", "2nd", "3rd", "Jnr"];

/// Other spellings of CSL variables: Zotero's `journalAbbreviation` and `shortTitle`, CSL
/// 1.0's `event`, and `archive-location`.
const ALIASES: &[&str] = &["journalAbbreviation", "shortTitle", "event", "archive-location"];

/// Parses CSL-JSON text into records: an array of items, a single item object, or an
/// `{"items": […]}` wrapper.
///
/// # Errors
/// [`Error::Parse`] when the text is not JSON, or is JSON but neither an array nor an
/// object.
pub fn parse(src: &str) -> Result<Parsed, Error> {
    parse_with(src, true)
}

/// [`parse`], with or without the one-pass path for items of the usual shape (without, for
/// the tests that hold the two paths to the same records).
fn parse_with(src: &str, one_pass: bool) -> Result<Parsed, Error> {
    // The usual case, an array, item by item: each in one pass with strings borrowed when
    // it has the usual shape, else through a JSON value. Should an item not be JSON, the
    // text is read again below, which says where.
    let body = src.strip_prefix('\u{feff}').unwrap_or(src);
    let bom = src.len() - body.len();
    if one_pass
        && let Some(spans) = array_items(body)
        && let Some(parsed) =
            read_items(src, spans.into_iter().map(|r| r.start + bom..r.end + bom), 0)
    {
        return Ok(parsed);
    }
    let mut parsed = Parsed::default();
    for (n, raw) in items(src)?.into_iter().enumerate() {
        let offset = offset_in(src, raw.get());
        match serde_json::from_str(raw.get()) {
            Ok(value) => read_item(&mut parsed, n, offset, value),
            // Cannot happen for text serde_json has already validated; kept as an error
            // rather than a panic.
            Err(e) => {
                parsed.diagnostics.push(Diagnostic::error(offset, format!("item {}: {e}", n + 1)));
            }
        }
    }
    Ok(parsed)
}

/// Reads the items of `src` at `spans` (byte ranges, white space around them allowed),
/// numbered in messages from `first + 1`. `None` when one of them is not JSON.
pub(crate) fn read_items(
    src: &str,
    spans: impl Iterator<Item = Range<usize>>,
    first: usize,
) -> Option<Parsed> {
    let mut parsed = Parsed::default();
    for (n, span) in spans.enumerate() {
        let text = src.get(span.clone())?;
        let offset = span.start + text.bytes().take_while(is_json_space).count();
        let n = first + n;
        if let Ok(item) = serde_json::from_str::<Item<'_>>(text) {
            let mut reader = ItemReader::new(offset, n + 1, &mut parsed.diagnostics);
            parsed.records.push(reader.read_item(item));
        } else {
            read_item(&mut parsed, n, offset, serde_json::from_str(text).ok()?);
        }
    }
    Some(parsed)
}

/// Reads item `n` (from 0), found at byte `offset`.
fn read_item(parsed: &mut Parsed, n: usize, offset: usize, value: Value) {
    match value {
        Value::Object(map) => {
            let mut item = ItemReader::new(offset, n + 1, &mut parsed.diagnostics);
            parsed.records.push(item.read_map(map));
        }
        other => parsed.diagnostics.push(Diagnostic::error(
            offset,
            format!("item {}: expected a JSON object, found {}", n + 1, json_kind(&other)),
        )),
    }
}

/// The raw items of the input, in order.
fn items(src: &str) -> Result<Vec<&RawValue>, Error> {
    // A byte-order mark is not JSON; offsets stay offsets into `src`.
    let body = src.strip_prefix('\u{feff}').unwrap_or(src);
    // An array (the usual case) is read in one pass; anything else, and an array that does
    // not parse, takes the path below, which says where the text is not JSON.
    if body.trim_start().starts_with('[')
        && let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(body)
    {
        return Ok(items);
    }
    let top: &RawValue = serde_json::from_str(body).map_err(|e| json_error(src, body, &e))?;
    let text = top.get();
    if text.starts_with('[') {
        return serde_json::from_str(text).map_err(|e| json_error(src, text, &e));
    }
    if text.starts_with('{') {
        let map: Map<String, Value> =
            serde_json::from_str(text).map_err(|e| json_error(src, text, &e))?;
        let looks_like_item = ["type", "id", "title"].iter().any(|k| map.contains_key(*k));
        if !looks_like_item {
            let wrapped: std::collections::BTreeMap<String, &RawValue> =
                serde_json::from_str(text).map_err(|e| json_error(src, text, &e))?;
            for key in ["items", "references"] {
                if let Some(inner) = wrapped.get(key)
                    && inner.get().starts_with('[')
                {
                    return serde_json::from_str(inner.get())
                        .map_err(|e| json_error(src, inner.get(), &e));
                }
            }
        }
        return Ok(vec![top]);
    }
    Err(Error::Parse {
        format: InputFormat::CslJson,
        offset: offset_in(src, text),
        message: "expected an array of CSL items or an item object".into(),
    })
}

/// Byte offset of `part`, a slice of `src`, in `src`.
fn offset_in(src: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(src.as_ptr() as usize).min(src.len())
}

/// serde_json reports line and column (1-based, in bytes) in `part`, the slice of `src` it
/// was given; diagnostics want a byte offset into `src`.
fn json_error(src: &str, part: &str, e: &serde_json::Error) -> Error {
    let line_start: usize =
        part.split_inclusive('\n').take(e.line().saturating_sub(1)).map(str::len).sum();
    let offset = offset_in(src, part) + line_start + e.column().saturating_sub(1);
    let offset = offset.min(src.len());
    let message = e.to_string();
    // Drop serde_json's own " at line L column C": the offset says where.
    let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
    Error::Parse { format: InputFormat::CslJson, offset, message }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A scalar as text: strings trimmed, numbers and booleans printed; `None` for null, empty
/// strings, arrays and objects.
fn scalar(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// Any value as text for `extra`: scalars as text, the rest as compact JSON.
fn any_text(v: &Value) -> String {
    scalar(v).unwrap_or_else(|| v.to_string())
}

/// Reads one item into a record, with diagnostics pointing at the item's start.
struct ItemReader<'d> {
    offset: usize,
    n: usize,
    diagnostics: &'d mut Vec<Diagnostic>,
    rec: Record,
}

impl<'d> ItemReader<'d> {
    fn new(offset: usize, n: usize, diagnostics: &'d mut Vec<Diagnostic>) -> Self {
        ItemReader { offset, n, diagnostics, rec: Record::default() }
    }

    fn warn(&mut self, message: String) {
        let name = match &self.rec.key {
            Some(k) => format!("item {} ({k:?})", self.n),
            None => format!("item {}", self.n),
        };
        self.diagnostics.push(Diagnostic::warning(self.offset, format!("{name}: {message}")));
    }

    /// Keeps a value the model cannot hold, and says so.
    fn keep(&mut self, name: &str, value: &Value, why: &str) {
        self.rec.push_extra(name, &any_text(value));
        self.warn(format!("{name}: {why}; kept in extra"));
    }

    /// An item read as a JSON object.
    fn read_map(&mut self, mut map: Map<String, Value>) -> Record {
        self.id_and_type(map.remove("id"), map.remove("type"));
        // Second spellings (`journalAbbreviation`, `shortTitle`…) only fill what the CSL
        // variable left empty, so they come last.
        let (aliases, fields): (Vec<_>, Vec<_>) =
            map.into_iter().partition(|(name, _)| ALIASES.contains(&name.as_str()));
        for (name, value) in fields.iter().chain(&aliases) {
            self.field(name, value);
        }
        self.finish()
    }

    /// An item read in one pass ([`Item`]): the same steps as [`Self::read_map`], in the
    /// same order (variables sorted by name as in a JSON object, the last of two equal
    /// names counting), so that both give the same record and the same messages.
    fn read_item(&mut self, item: Item<'_>) -> Record {
        self.id_and_type(item.id, item.kind);
        let mut fields = item.fields;
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        // Aliases, rare: no allocation unless there is one.
        let mut last = Vec::new();
        let mut fields = fields.into_iter().peekable();
        while let Some((name, value)) = fields.next() {
            if fields.peek().is_some_and(|(next, _)| *next == name) {
                continue;
            }
            if ALIASES.contains(&name.as_ref()) {
                last.push((name, value));
            } else {
                self.item_field(&name, value);
            }
        }
        for (name, value) in last {
            self.item_field(&name, value);
        }
        self.finish()
    }

    fn id_and_type(&mut self, id: Option<Value>, kind: Option<Value>) {
        if let Some(id) = id {
            match scalar(&id) {
                Some(id) => self.rec.key = Some(id),
                None if id.is_null() => {}
                None => self.keep("id", &id, "expected a string or number"),
            }
        }
        match kind {
            Some(Value::String(t)) => match Kind::from_csl(&t.trim().to_lowercase()) {
                Some(kind) => self.rec.kind = kind,
                None => {
                    self.rec.push_extra("csl-type", &t);
                    if !t.trim().is_empty() {
                        self.warn(format!("type {t:?} is not a CSL type; read as document"));
                    }
                }
            },
            Some(other) => self.keep("csl-type", &other, "expected a type name"),
            None => self.warn("no type; read as document".into()),
        }
    }

    /// What the note says (Zotero's `Key: value` lines), then the record.
    fn finish(&mut self) -> Record {
        let note = self.rec.note.clone();
        if let Some(note) = note {
            self.note_lines(&note);
        }
        std::mem::take(&mut self.rec)
    }

    /// One variable of an [`Item`]: strings of the common variables straight into the
    /// record, name lists and date objects as [`Self::field`] reads them from a JSON value,
    /// everything else through [`Self::field`].
    fn item_field(&mut self, name: &str, value: Field<'_>) {
        match value {
            Field::Str(s) => {
                let text = s.trim();
                if text.is_empty() {
                    return self.field(name, &Value::String(s.into_owned()));
                }
                if name == "abstract" {
                    self.rec.abstract_text = Some(text.to_owned());
                } else if name == "note" {
                    self.rec.note = Some(text.to_owned());
                } else if name == "keyword" {
                    self.keyword_text(text);
                } else if let Some(clean) = id_cleaner(name) {
                    self.id_texts(name, vec![text.to_owned()], clean);
                } else if let Some(slot) = text_slot(&mut self.rec, name) {
                    *slot = Some(collapse_ws(text));
                } else {
                    self.field(name, &Value::String(s.into_owned()));
                }
            }
            Field::Names(names) => {
                let people = names.into_iter().map(|n| self.person(name, n)).collect();
                self.push_people(name, people);
            }
            Field::Date(csl) => self.date_read(name, Ok(date_object(*csl))),
            Field::Value(value) => self.field(name, &value),
        }
    }

    fn field(&mut self, name: &str, value: &Value) {
        if value.is_null() {
            return;
        }
        if NAME_VARIABLES.contains(&name) {
            return self.names(name, value);
        }
        if DATE_VARIABLES.contains(&name) {
            return self.date(name, value);
        }
        match name {
            "DOI" | "ISBN" | "ISSN" | "PMID" | "PMCID" => {
                if let Some(clean) = id_cleaner(name) {
                    self.ids(name, value, clean);
                }
            }
            "keyword" => self.keywords(value),
            "abstract" | "note" => match scalar(value) {
                Some(text) => {
                    let slot = if name == "note" {
                        &mut self.rec.note
                    } else {
                        &mut self.rec.abstract_text
                    };
                    *slot = Some(text);
                }
                None => self.keep(name, value, "expected a string"),
            },
            "journalAbbreviation" => match scalar(value) {
                Some(abbr) => self.alias(name, &abbr, |r| &mut r.container_title_short),
                None => self.keep(name, value, "expected a string"),
            },
            "shortTitle" => match scalar(value) {
                Some(short) => self.alias(name, &short, |r| &mut r.title_short),
                None => self.keep(name, value, "expected a string"),
            },
            "event" => match scalar(value) {
                Some(event) => self.alias(name, &event, |r| &mut r.event_title),
                None => self.keep(name, value, "expected a string"),
            },
            "archive-location" => match scalar(value) {
                Some(loc) => self.alias(name, &loc, |r| &mut r.archive_location),
                None => self.keep(name, value, "expected a string"),
            },
            "citation-key" if scalar(value) == self.rec.key => {}
            "categories" => match value {
                Value::Array(list) => {
                    for v in list {
                        self.rec.push_extra(name, &any_text(v));
                    }
                }
                _ => self.rec.push_extra(name, &any_text(value)),
            },
            _ => match text_slot(&mut self.rec, name) {
                Some(slot) => match scalar(value) {
                    Some(text) => *slot = Some(collapse_ws(&text)),
                    None => self.keep(name, value, "expected a string or number"),
                },
                None => self.rec.push_extra(name, &any_text(value)),
            },
        }
    }

    /// A second spelling of a variable (`journalAbbreviation` for `container-title-short`):
    /// fills the field when empty, else kept in extra when it differs.
    fn alias(&mut self, name: &str, value: &str, slot: fn(&mut Record) -> &mut Option<String>) {
        let value = collapse_ws(value);
        match slot(&mut self.rec) {
            Some(old) if *old == value => {}
            Some(_) => self.rec.push_extra(name, &value),
            empty @ None => *empty = Some(value),
        }
    }

    /// DOI, ISBN, ISSN, PMID, PMCID: cleaned; what does not clean is kept in extra.
    fn ids(&mut self, name: &str, value: &Value, clean: Cleaner) {
        let texts: Vec<String> = match value {
            Value::Array(list) => list.iter().filter_map(scalar).collect(),
            v => scalar(v).into_iter().collect(),
        };
        if texts.is_empty() {
            return self.keep(name, value, "expected a string");
        }
        self.id_texts(name, texts, clean);
    }

    fn id_texts(&mut self, name: &str, texts: Vec<String>, clean: Cleaner) {
        for text in texts {
            let (ids, complete) = clean(&text);
            if !complete {
                self.rec.push_extra(name, &text);
                self.warn(format!("{name} {text:?} not fully recognised; kept in extra"));
            }
            match name {
                "DOI" => set_once(&mut self.rec.doi, &ids),
                "PMID" => set_once(&mut self.rec.pmid, &ids),
                "PMCID" => set_once(&mut self.rec.pmcid, &ids),
                "ISBN" => push_new(&mut self.rec.isbn, ids),
                _ => push_new(&mut self.rec.issn, ids),
            }
        }
    }

    /// `keyword`: a string of keywords separated by `;` (or else `,`), or an array.
    fn keywords(&mut self, value: &Value) {
        match value {
            Value::Array(list) => {
                for v in list {
                    match scalar(v) {
                        Some(k) => push_new(&mut self.rec.keyword, vec![collapse_ws(&k)]),
                        None => self.keep("keyword", v, "expected a string"),
                    }
                }
            }
            v => match scalar(v) {
                Some(text) => self.keyword_text(&text),
                None => self.keep("keyword", v, "expected a string"),
            },
        }
    }

    fn keyword_text(&mut self, text: &str) {
        let sep = if text.contains(';') { ';' } else { ',' };
        let words = text.split(sep).map(collapse_ws).filter(|k| !k.is_empty());
        push_new(&mut self.rec.keyword, words.collect());
    }

    fn names(&mut self, role: &str, value: &Value) {
        let list: Vec<&Value> = match value {
            Value::Array(list) => list.iter().collect(),
            Value::String(s) => {
                // A plain string: one name, or several separated by `;`.
                let people: Vec<Person> = s.split(';').map(Person::parse).collect();
                self.push_people(role, people);
                return;
            }
            v => vec![v],
        };
        let mut people = Vec::new();
        for v in list {
            match v {
                Value::String(s) => people.push(Person::parse(s)),
                // Deserialized from the borrowed value: no copy of the object.
                Value::Object(_) => match CslName::deserialize(v) {
                    Ok(name) => people.push(self.person(role, name)),
                    Err(_) => self.keep(role, v, "expected a name object with text parts"),
                },
                Value::Null => {}
                other => self.keep(role, other, "expected a name object"),
            }
        }
        self.push_people(role, people);
    }

    fn push_people(&mut self, role: &str, people: Vec<Person>) {
        let people = people.into_iter().filter(|p| !p.is_empty());
        let list = match role {
            "author" => &mut self.rec.author,
            "editor" => &mut self.rec.editor,
            "translator" => &mut self.rec.translator,
            "container-author" => &mut self.rec.container_author,
            "collection-editor" => &mut self.rec.collection_editor,
            _ => {
                // Other roles (director, composer…) have no model field: kept in extra one
                // name a line, as Zotero's Extra writes them (`director: Family || Given`).
                for p in people {
                    let line = match (&p.literal, p.full_family(), &p.given) {
                        (Some(l), _, _) => l.clone(),
                        (None, Some(f), Some(g)) => format!("{f} || {g}"),
                        (None, f, g) => f.or(g.clone()).unwrap_or_default(),
                    };
                    self.rec.push_extra(role, &line);
                }
                return;
            }
        };
        if list.is_empty() {
            // Collected in place, in the list's own allocation.
            *list = people.collect();
        } else {
            list.extend(people);
        }
    }

    /// A CSL name object as a person; keys the model has no place for go to extra as
    /// `<role>.<key>: <name>: <value>`.
    fn person(&mut self, role: &str, mut name: CslName) -> Person {
        let text = |t: &Option<Text>| {
            t.as_ref().map(|t| collapse_ws(&t.as_text())).filter(|s| !s.is_empty())
        };
        let mut p = Person {
            family: text(&name.family),
            given: text(&name.given),
            literal: text(&name.literal),
            particle: text(&name.non_dropping_particle),
            dropping_particle: text(&name.dropping_particle),
            suffix: text(&name.suffix),
            affiliation: Vec::new(),
        };
        // citeproc-js's `isInstitution`: the family name is the whole name.
        let institution = name.other.get("isInstitution").is_some_and(truthy);
        if institution && p.literal.is_none() && p.given.is_none() {
            p.literal = p.family.take();
            name.other.remove("isInstitution");
        }
        let parse_names = name.parse_names.as_ref().is_none_or(truthy);
        if parse_names {
            split_particles(&mut p);
        }
        if let Some(aff) = &name.affiliation {
            p.affiliation = affiliations(aff);
        }
        if !name.other.is_empty() {
            let who = p.display_inverted().unwrap_or_default();
            for (key, value) in &name.other {
                let line = format!("{who}: {}", any_text(value));
                self.rec.push_extra(&format!("{role}.{key}"), &line);
            }
        }
        p
    }

    fn date(&mut self, name: &str, value: &Value) {
        match read_date(value) {
            Ok(date) => self.date_read(name, Ok(date)),
            Err(why) => self.keep(name, value, &why),
        }
    }

    /// A date variable's date as [`read_date`] read it.
    fn date_read(&mut self, name: &str, date: Result<DateRead, String>) {
        let Ok(Some((date, leftovers))) = date else { return };
        for (key, value) in leftovers {
            self.rec.push_extra(&format!("{name}.{key}"), &value);
        }
        let slot = match name {
            "issued" => &mut self.rec.issued,
            "available-date" => &mut self.rec.available_date,
            "original-date" => &mut self.rec.original_date,
            "accessed" => &mut self.rec.accessed,
            "event-date" => &mut self.rec.event_date,
            _ => {
                let text = date.to_edtf().or(date.literal).unwrap_or_default();
                self.rec.push_extra(name, &text);
                return;
            }
        };
        *slot = Some(date);
    }

    /// Zotero's Extra convention in `note`: `PMID: 123`, `original-date: 1990`,
    /// `affiliation: Family, Given: text`. Fills empty fields; the note stays as it is.
    fn note_lines(&mut self, note: &str) {
        fields_from_note(&mut self.rec, note);
        for line in note.lines() {
            if let Some(("affiliation", value)) = note_line(line) {
                self.affiliation_line(value);
            }
        }
    }

    /// `affiliation: Family, Given: text` (what our writer puts in the note): the
    /// affiliation goes back to the person of that name, if there is one.
    fn affiliation_line(&mut self, value: &str) {
        let rec = &mut self.rec;
        let people = rec
            .author
            .iter_mut()
            .chain(rec.editor.iter_mut())
            .chain(rec.translator.iter_mut())
            .chain(rec.container_author.iter_mut())
            .chain(rec.collection_editor.iter_mut());
        for p in people {
            let Some(who) = p.display_inverted() else { continue };
            let Some(aff) = value.strip_prefix(who.as_str()).and_then(|r| r.strip_prefix(": "))
            else {
                continue;
            };
            let aff = aff.trim();
            if !aff.is_empty() && !p.affiliation.iter().any(|a| a == aff) {
                p.affiliation.push(aff.to_owned());
            }
            return;
        }
    }
}

/// Fills the record's empty fields from `Key: value` note lines whose key names one
/// ([`NOTE_KEYS`]). The writer applies the same rule before writing, so that what it puts
/// in the note and what the reader takes from it agree.
pub(crate) fn fields_from_note(rec: &mut Record, note: &str) {
    for line in note.lines() {
        let Some((key, value)) = note_line(line) else { continue };
        let Some(&key) = NOTE_KEYS.iter().find(|k| k.eq_ignore_ascii_case(key)) else {
            continue;
        };
        match key {
            "PMID" => fill(&mut rec.pmid, clean_pmid(value)),
            "PMCID" => fill(&mut rec.pmcid, clean_pmcid(value)),
            "DOI" => fill(&mut rec.doi, doi(value)),
            "ISBN" if rec.isbn.is_empty() => rec.isbn = clean_list(clean_isbn)(value).0,
            "ISSN" if rec.issn.is_empty() => rec.issn = clean_list(clean_issn)(value).0,
            "original-date" => fill_date(&mut rec.original_date, value),
            "available-date" => fill_date(&mut rec.available_date, value),
            "event-date" => fill_date(&mut rec.event_date, value),
            _ => {
                if let Some(slot) = text_slot(rec, key) {
                    fill(slot, Some(collapse_ws(value)));
                }
            }
        }
    }
}

/// The model's plain text field for a CSL variable name, if it has one.
fn text_slot<'r>(rec: &'r mut Record, name: &str) -> Option<&'r mut Option<String>> {
    Some(match name {
        "title" => &mut rec.title,
        "title-short" => &mut rec.title_short,
        "original-title" => &mut rec.original_title,
        "container-title" => &mut rec.container_title,
        "container-title-short" => &mut rec.container_title_short,
        "collection-title" => &mut rec.collection_title,
        "collection-number" => &mut rec.collection_number,
        "volume" => &mut rec.volume,
        "issue" => &mut rec.issue,
        "page" => &mut rec.page,
        "number-of-pages" => &mut rec.number_of_pages,
        "number-of-volumes" => &mut rec.number_of_volumes,
        "number" => &mut rec.number,
        "edition" => &mut rec.edition,
        "chapter-number" => &mut rec.chapter_number,
        "publisher" => &mut rec.publisher,
        "publisher-place" => &mut rec.publisher_place,
        "event-title" => &mut rec.event_title,
        "event-place" => &mut rec.event_place,
        "genre" => &mut rec.genre,
        "medium" => &mut rec.medium,
        "status" => &mut rec.status,
        "URL" => &mut rec.url,
        "archive" => &mut rec.archive,
        "archive_location" => &mut rec.archive_location,
        "call-number" => &mut rec.call_number,
        "language" => &mut rec.language,
        _ => return None,
    })
}

fn fill(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value;
    }
}

fn fill_date(slot: &mut Option<Date>, value: &str) {
    if slot.is_none() {
        *slot = parse_date_string(value);
    }
}

fn set_once(slot: &mut Option<String>, ids: &[String]) {
    if slot.is_none() {
        *slot = ids.first().cloned();
    }
}

fn push_new(list: &mut Vec<String>, values: Vec<String>) {
    for v in values {
        if !list.contains(&v) {
            list.push(v);
        }
    }
}

/// Splits a list of ISBNs or ISSNs at `,`, `;` and spaces and cleans each piece. The flag
/// is false when some of the text was neither an identifier nor its label (`(pbk.)`), so
/// that the caller keeps the text as well.
fn clean_list(clean: fn(&str) -> Option<String>) -> impl Fn(&str) -> (Vec<String>, bool) {
    move |text: &str| {
        let mut ids = Vec::new();
        let mut complete = true;
        for token in text.split([',', ';', ' ', '\t', '\n']).filter(|t| !t.is_empty()) {
            let label = token.trim_end_matches(':');
            if label.eq_ignore_ascii_case("isbn") || label.eq_ignore_ascii_case("issn") {
                continue;
            }
            match clean(token) {
                Some(id) => ids.push(id),
                None => complete = false,
            }
        }
        (ids, complete)
    }
}

/// Cleans an identifier variable's text: the identifiers found, and false when some of the
/// text was not one.
type Cleaner = fn(&str) -> (Vec<String>, bool);

/// The cleaner of an identifier variable.
fn id_cleaner(name: &str) -> Option<Cleaner> {
    Some(match name {
        "DOI" => |t| single(doi)(t),
        "ISBN" => |t| clean_list(clean_isbn)(t),
        "ISSN" => |t| clean_list(clean_issn)(t),
        "PMID" => |t| single(clean_pmid)(t),
        "PMCID" => |t| single(clean_pmcid)(t),
        _ => return None,
    })
}

fn single(clean: fn(&str) -> Option<String>) -> impl Fn(&str) -> (Vec<String>, bool) {
    move |text: &str| {
        let id = clean(text);
        let complete = id.is_some();
        (id.into_iter().collect(), complete)
    }
}

/// A DOI without resolver prefix; a short DOI (`10/abcd`) is kept as it is.
fn doi(text: &str) -> Option<String> {
    clean_doi(text).or_else(|| {
        let t = text.trim();
        let short = t.strip_prefix("10/").is_some_and(|rest| {
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric())
        });
        short.then(|| t.to_owned())
    })
}

/// True for `true`, a non-zero number, and strings other than `""`, `"0"`, `"false"`.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !matches!(s.trim(), "" | "0" | "false"),
        _ => false,
    }
}

fn affiliations(v: &Value) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::Object(o) => o.get("name").and_then(scalar),
        v => scalar(v),
    };
    match v {
        Value::Array(list) => list.iter().filter_map(one).map(|s| collapse_ws(&s)).collect(),
        v => one(v).map(|s| collapse_ws(&s)).into_iter().collect(),
    }
}

/// citeproc-js conventions when a name has no explicit particles or suffix: a family name
/// starting with lowercase words (`van der Berg`), a given name ending with them (`Charles
/// de`), and a suffix after a comma in the given name (`Martin Luther, Jr.`).
fn split_particles(p: &mut Person) {
    if p.suffix.is_none()
        && let Some(given) = &p.given
        && let Some((g, s)) = given.rsplit_once(',')
        && SUFFIXES.contains(&s.trim())
    {
        p.suffix = Some(s.trim().to_owned());
        p.given = Some(g.trim().to_owned()).filter(|g| !g.is_empty());
    }
    if p.particle.is_none()
        && let Some(family) = &p.family
    {
        let words: Vec<&str> = family.split(' ').collect();
        let n = words.iter().take_while(|w| is_particle(w)).count();
        // `de' Frinkle`: an apostrophe particle written apart; the model would join them.
        let apart = n > 0 && words[n - 1].ends_with(['\'', '’']);
        if n > 0 && n < words.len() && !apart {
            p.particle = Some(words[..n].join(" "));
            p.family = Some(words[n..].join(" "));
        }
    }
    if p.dropping_particle.is_none()
        && let Some(given) = &p.given
    {
        let words: Vec<&str> = given.split(' ').collect();
        let n = words.iter().rev().take_while(|w| is_particle(w)).count();
        if n > 0 && n < words.len() {
            let keep = words.len() - n;
            p.dropping_particle = Some(words[keep..].join(" "));
            p.given = Some(words[..keep].join(" "));
        }
    }
}

/// A lowercase name particle (`van`, `de`, `d'`, `della`).
fn is_particle(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_lowercase)
        && word.chars().all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-'))
}

/// What [`read_date`] makes of a date value: the date and `(key, text)` pairs it could not
/// place (kept by the caller in extra), or `None` when the value holds no date.
type DateRead = Option<(Date, Vec<(String, String)>)>;

/// A CSL date: an object, an EDTF or free-text string, a bare year, or (citeproc-js's
/// older form) an array of date objects of which the first counts.
fn read_date(value: &Value) -> Result<DateRead, String> {
    match value {
        Value::String(s) => Ok(parse_date_string(s).map(|d| (d, Vec::new()))),
        Value::Number(n) => match n.as_i64().and_then(|y| i32::try_from(y).ok()) {
            Some(y) => Ok(Some((Date::ymd(y, None, None), Vec::new()))),
            None => Err("expected a year".into()),
        },
        Value::Array(list) => match list.as_slice() {
            [] => Ok(None),
            [one @ Value::Object(_)] => read_date(one),
            // `[[2019, 4, 5]]`: date-parts without their object.
            [Value::Array(_), ..] => {
                let mut obj = Map::new();
                obj.insert("date-parts".into(), value.clone());
                read_date(&Value::Object(obj))
            }
            _ => Err("expected one date object".into()),
        },
        Value::Object(_) => {
            let csl: CslDate =
                CslDate::deserialize(value).map_err(|e| format!("date not understood ({e})"))?;
            Ok(date_object(csl))
        }
        _ => Err("expected a date object".into()),
    }
}

fn date_object(csl: CslDate) -> DateRead {
    let mut leftovers: Vec<(String, String)> =
        csl.other.iter().map(|(k, v)| (k.clone(), any_text(v))).collect();
    let text =
        |t: &Option<Text>| t.as_ref().map(|t| collapse_ws(&t.as_text())).filter(|s| !s.is_empty());
    let raw = text(&csl.raw);
    let edtf = text(&csl.edtf);
    // The parts as text, for the rare dates that keep them.
    let parts_text = || {
        let p = csl.date_parts.as_ref()?;
        let joined: Vec<String> = p
            .iter()
            .map(|d| d.iter().map(Text::to_text).collect::<Vec<_>>().join("-"))
            .filter(|s| !s.is_empty())
            .collect();
        (!joined.is_empty()).then(|| joined.join("/"))
    };
    let mut date = match csl.date_parts.as_deref().and_then(from_parts) {
        Some((date, end_season_lost)) => {
            if end_season_lost && let Some(p) = parts_text() {
                leftovers.push(("date-parts".into(), p));
            }
            for (key, t) in [("raw", &raw), ("edtf", &edtf)] {
                if let Some(t) = t
                    && parse_date_string(t).as_ref() != Some(&date)
                {
                    leftovers.push((key.to_owned(), t.clone()));
                }
            }
            date
        }
        None => match raw.as_deref().or(edtf.as_deref()).and_then(parse_date_string) {
            Some(d) => {
                if let Some(p) = parts_text() {
                    leftovers.push(("date-parts".into(), p));
                }
                d
            }
            // Parts that are not a date (`[["forthcoming"]]`, month 60) stay as text.
            None => parts_text().map(|p| Date::literal(&p)).unwrap_or_default(),
        },
    };
    if let Some(l) = text(&csl.literal) {
        date.literal = Some(l);
    }
    if let Some(s) = &csl.season {
        match season(&s.to_text()) {
            Some(n) => date.season = Some(n),
            None => leftovers.push(("season".into(), s.to_text())),
        }
    }
    if csl.circa.as_ref().is_some_and(truthy) {
        date.circa = true;
    }
    (date != Date::default()).then_some((date, leftovers))
}

/// Year, month, day and season of one `date-parts` array.
type Parts = (i32, Option<u8>, Option<u8>, Option<u8>);

/// `date-parts`: `[[y, m, d]]` or `[[y, m, d], [y, m, d]]`, numbers or numeric strings; a
/// month of 13–16 or 21–24 is a season (CSL's convention). `None` when the parts are not a
/// valid date. The flag is true when the end of the range has a season of its own, which the model
/// cannot hold (the caller keeps the parts as text).
fn from_parts(parts: &[Vec<Text>]) -> Option<(Date, bool)> {
    let one = |p: &[Text]| -> Option<Option<Parts>> {
        let mut nums = Vec::new();
        for t in p {
            let s = t.as_text();
            let s = s.trim();
            if s.is_empty() {
                break;
            }
            nums.push(s.parse::<i64>().ok()?);
        }
        let (&y, rest) = match nums.split_first() {
            Some(x) => x,
            None => return Some(None),
        };
        let y = i32::try_from(y).ok()?;
        let (mut month, mut season, mut day) = (None, None, None);
        match rest.first() {
            Some(&m @ 1..=12) => month = Some(m as u8),
            Some(&m @ 13..=16) => season = Some((m - 12) as u8),
            Some(&m @ 21..=24) => season = Some((m - 20) as u8),
            Some(_) => return None,
            None => {}
        }
        match rest.get(1) {
            Some(&d @ 1..=31) if month.is_some() => day = Some(d as u8),
            Some(_) => return None,
            None => {}
        }
        (rest.len() <= 2).then_some(Some((y, month, day, season)))
    };
    let start = one(parts.first()?)??;
    let mut date = Date::ymd(start.0, start.1, start.2);
    date.season = start.3;
    let mut end_season_lost = false;
    if let Some(end) = parts.get(1)
        && let Some((y, m, d, season)) = one(end)?
    {
        end_season_lost = season.is_some() && season != start.3;
        if (y, m, d) != (start.0, start.1, start.2) {
            date.end_year = Some(y);
            date.end_month = m;
            date.end_day = d;
        }
    }
    (parts.len() <= 2).then_some((date, end_season_lost))
}

/// A date string: EDTF (`2019-04-05`, `2019-04/2019-06`, `1900~`, `2020-21` for spring
/// 2020) or what [`Date::parse`] reads.
fn parse_date_string(s: &str) -> Option<Date> {
    let s = s.trim();
    let (s, circa) = match s.strip_suffix(['~', '?', '%']) {
        Some(rest) => (rest, true),
        None => (s, false),
    };
    if let Some((y, code)) = s.split_once('-')
        && y.len() == 4
        && y.bytes().all(|b| b.is_ascii_digit())
        && let Some(n @ 21..=24) = code.parse::<u8>().ok()
    {
        let year = y.parse().ok()?;
        return Some(Date { season: Some(n - 20), circa, ..Date::ymd(year, None, None) });
    }
    let mut date = Date::parse(s)?;
    date.circa |= circa;
    Some(date)
}

/// A season, 1 (spring) to 4 (winter), from a number or an English name.
fn season(s: &str) -> Option<u8> {
    let s = s.trim().to_lowercase();
    match s.as_str() {
        "1" | "spring" => Some(1),
        "2" | "summer" => Some(2),
        "3" | "autumn" | "fall" => Some(3),
        "4" | "winter" => Some(4),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every JSON text under `dir`, and every array of objects inside each, as inputs.
    fn json_inputs(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                json_inputs(&path, out);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
            let name = path.display().to_string();
            let mut arrays = Vec::new();
            object_arrays(&value, &mut arrays);
            out.push((name.clone(), text));
            for (i, a) in arrays.into_iter().enumerate() {
                out.push((format!("{name} #{i}"), a.to_string()));
            }
        }
    }

    fn object_arrays(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Array(list) => {
                if list.iter().any(Value::is_object) {
                    out.push(v.clone());
                }
                list.iter().for_each(|x| object_arrays(x, out));
            }
            Value::Object(map) => map.values().for_each(|x| object_arrays(x, out)),
            _ => {}
        }
    }

    /// The one-pass path gives what the JSON-value path gives, records and messages, on
    /// every CSL-JSON text of the corpora and fixtures (citeproc's test suite has most of
    /// the odd shapes: string names, EDTF dates, numbers for text, unknown keys…).
    #[test]
    fn one_pass_reads_as_the_value_path_on_the_corpora() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut inputs = Vec::new();
        json_inputs(&root.join("../shared/corpora"), &mut inputs);
        json_inputs(&root.join("fixtures"), &mut inputs);
        assert!(inputs.len() > 1000, "corpora missing: {} inputs", inputs.len());
        let mut items = 0;
        for (name, text) in &inputs {
            let fast = parse_with(text, true);
            assert_eq!(fast, parse_with(text, false), "{name}");
            items += fast.map_or(0, |p| p.records.len());
        }
        assert!(items > 5000, "{items} items");
    }

    /// Texts that are not quite an array of items: both paths give the same error (or the
    /// same records).
    #[test]
    fn odd_texts_read_as_the_value_path() {
        for text in [
            "[1,,2]",
            "[,]",
            "[{\"id\": 1} x]",
            "[{\"id\": 1}",
            "[{\"id\": 1}]]",
            "[] x",
            "\u{feff} [ {\"id\": \"a]\", \"type\": \"book\"} ] ",
            "[{\"id\": 1}]\u{c}",
            "[{\"title\": \"\\ud800\"}]",
            "[\"a\", null, [], {}]",
            "  [\n]\n",
            "[{\"id\": 1}, {\"id\": 1, \"id\": 2, \"type\": 3}]",
        ] {
            assert_eq!(parse_with(text, true), parse_with(text, false), "{text:?}");
        }
    }

    /// Values of the shapes CSL-JSON files have, and some they should not.
    fn json_value() -> impl Strategy<Value = Value> {
        let text = prop_oneof![
            Just(String::new()),
            Just("  ".to_owned()),
            "[ a-zA-Z0-9;,:.\\-]{1,20}",
            "[ \\n\\t\"éü\\\\]{0,6}[a-z]{1,5}",
            Just("10.1000/xyz".to_owned()),
            Just("0028-0836, 1476-4687".to_owned()),
            Just("PMID: 123\nDOI: 10.1/x".to_owned()),
        ];
        let scalar = prop_oneof![
            text.clone().prop_map(Value::String),
            any::<i32>().prop_map(Value::from),
            Just(Value::from(1.5)),
            any::<bool>().prop_map(Value::Bool),
            Just(Value::Null),
        ];
        let name_part = prop_oneof![
            "family",
            "given",
            "literal",
            "non-dropping-particle",
            "dropping-particle",
            "suffix",
            "parse-names",
            "isInstitution",
            "affiliation",
            "sequence"
        ];
        let name = prop::collection::vec((name_part, scalar.clone()), 0..4)
            .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()));
        let date_part = prop_oneof![
            any::<u16>().prop_map(Value::from),
            "[0-9]{1,4}".prop_map(Value::String),
            Just(Value::from(13))
        ];
        let parts = prop::collection::vec(prop::collection::vec(date_part, 0..4), 0..3)
            .prop_map(|p| Value::Array(p.into_iter().map(Value::Array).collect()));
        let date_key = prop_oneof!["raw", "literal", "season", "circa", "edtf", "other"];
        let date = (parts, prop::collection::vec((date_key, scalar.clone()), 0..2)).prop_map(
            |(parts, kv)| {
                let mut map: Map<String, Value> =
                    kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                map.insert("date-parts".into(), parts);
                Value::Object(map)
            },
        );
        prop_oneof![
            4 => scalar.clone(),
            2 => prop::collection::vec(name, 0..3).prop_map(Value::Array),
            2 => date,
            1 => prop::collection::vec(scalar, 0..3).prop_map(Value::Array),
        ]
    }

    fn item() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            "id",
            "type",
            "title",
            "author",
            "editor",
            "director",
            "issued",
            "accessed",
            "original-date",
            "container-title",
            "journalAbbreviation",
            "container-title-short",
            "shortTitle",
            "title-short",
            "volume",
            "page",
            "DOI",
            "ISBN",
            "ISSN",
            "PMID",
            "keyword",
            "abstract",
            "note",
            "citation-key",
            "categories",
            "event",
            "event-title",
            "archive-location",
            "archive_location",
            "custom",
            "URL",
            "language"
        ];
        let kind = prop_oneof!["book", "article-journal", "Chapter", "nonsense", " thesis "]
            .prop_map(|t| Value::String(t.to_owned()));
        (prop::collection::vec((key, json_value()), 0..12), prop::option::of(kind)).prop_map(
            |(kv, kind)| {
                // Written by hand: the same key may come twice, in any order.
                let mut fields: Vec<String> =
                    kv.iter().map(|(k, v)| format!("{k:?}: {v}")).collect();
                if let Some(kind) = kind {
                    fields.insert(0, format!("\"type\": {kind}"));
                }
                format!("{{{}}}", fields.join(", "))
            },
        )
    }

    /// The generated items exercise both paths, not only the JSON-value one.
    #[test]
    fn generated_items_take_both_paths() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let strategy = item();
        let n = 1000;
        let fast = (0..n)
            .filter(|_| {
                let text = strategy.new_tree(&mut runner).unwrap().current();
                serde_json::from_str::<Item<'_>>(&text).is_ok()
            })
            .count();
        assert!((n / 4..n * 3 / 4).contains(&fast), "{fast} of {n} in one pass");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The one-pass path and the JSON-value path agree on any item.
        #[test]
        fn one_pass_reads_as_the_value_path(items in prop::collection::vec(item(), 1..4)) {
            let text = format!("[{}]", items.join(",\n"));
            prop_assert_eq!(parse_with(&text, true), parse_with(&text, false), "{}", text);
        }
    }

    fn one(src: &str) -> Record {
        let parsed = parse(src).unwrap();
        assert_eq!(parsed.records.len(), 1, "{:?}", parsed.diagnostics);
        parsed.records.into_iter().next().unwrap()
    }

    #[test]
    fn invalid_json_is_an_error_with_offset() {
        let err = parse("[\n  {\"id\": 1,}\n]").unwrap_err();
        assert_eq!(err.offset(), Some(13), "{err}");
        assert!(parse("").is_err());
        let err = parse("\u{feff}[1,]").unwrap_err();
        assert_eq!(err.offset(), Some(6), "{err}");
        assert_eq!(parse("\u{feff}[{\"id\": \"a\"}]").unwrap().records.len(), 1);
        assert!(parse("42").is_err());
    }

    #[test]
    fn bad_item_costs_only_itself() {
        let src = r#"[{"id": "a", "type": "book"}, 42, {"id": "b", "type": "book"}]"#;
        let parsed = parse(src).unwrap();
        assert_eq!(parsed.records.len(), 2);
        let errors: Vec<_> =
            parsed.diagnostics.iter().filter(|d| d.severity == crate::Severity::Error).collect();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].offset, 30);
        assert!(errors[0].message.contains("item 2"), "{}", errors[0].message);
    }

    #[test]
    fn wrapper_and_single_object() {
        assert_eq!(one(r#"{"items": [{"id": "x", "type": "book"}]}"#).key.as_deref(), Some("x"));
        assert_eq!(one(r#"{"id": "y", "type": "book"}"#).key.as_deref(), Some("y"));
    }

    #[test]
    fn date_shapes() {
        let d = |json: &str| {
            let r = one(&format!(r#"[{{"type": "book", "issued": {json}}}]"#));
            r.issued.map(|d| (d.to_edtf(), d.literal))
        };
        assert_eq!(
            d(r#"{"date-parts": [["1965", "6", "1"]]}"#),
            Some((Some("1965-06-01".into()), None))
        );
        assert_eq!(
            d(r#"{"date-parts": [[2019, 4], [2019, 6]]}"#),
            Some((Some("2019-04/2019-06".into()), None))
        );
        assert_eq!(d(r#"{"date-parts": [[2020, 22]]}"#), Some((Some("2020-22".into()), None)));
        assert_eq!(d(r#""2019-04-05""#), Some((Some("2019-04-05".into()), None)));
        assert_eq!(d(r#"{"raw": "2019-04-05"}"#), Some((Some("2019-04-05".into()), None)));
        assert_eq!(d(r#"{"literal": "in press"}"#), Some((None, Some("in press".into()))));
        assert_eq!(
            d(r#"{"date-parts": [[1900]], "circa": 1}"#),
            Some((Some("1900~".into()), None))
        );
        assert_eq!(d(r#"[{"literal": "1908-1912"}]"#), Some((None, Some("1908-1912".into()))));
        assert_eq!(d(r#"{"date-parts": [[]]}"#), None);
    }

    #[test]
    fn name_conventions() {
        let r = one(r#"[{"type": "book", "author": [
                {"family": "van der Berg", "given": "Jan"},
                {"family": "King", "given": "Martin Luther, Jr."},
                {"family": "Gaulle", "given": "Charles de"},
                {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"},
                "Checkland, Kath",
                {"literal": "WHO"}]}]"#);
        let a = &r.author;
        assert_eq!(
            (a[0].particle.as_deref(), a[0].family.as_deref()),
            (Some("van der"), Some("Berg"))
        );
        assert_eq!(
            (a[1].given.as_deref(), a[1].suffix.as_deref()),
            (Some("Martin Luther"), Some("Jr."))
        );
        assert_eq!(a[2].dropping_particle.as_deref(), Some("de"));
        assert_eq!(a[3], a[0]);
        assert_eq!(a[4].family.as_deref(), Some("Checkland"));
        assert_eq!(a[5].literal.as_deref(), Some("WHO"));
    }
}
