//! CSL-JSON (CSL 1.0.2 input data): the vocabulary and serde types shared by reader and
//! writer.
//!
//! - A file is a JSON array of item objects (`[{"id": "a", "type": "book", …}]`); a single
//!   item object and an `{"items": […]}` wrapper are read too.
//! - Names are objects (`{"family": "Berg", "given": "Jan", "non-dropping-particle": "van
//!   der"}` or `{"literal": "WHO"}`); dates are objects (`{"date-parts": [[2019, 4, 5]]}`,
//!   `{"literal": "in press"}`, `{"raw": "2019-04-05"}`) or EDTF strings.
//! - Numeric variables (`volume`, `issue`, `page`…) may be numbers or strings.
//!
//! [`read`](mod@read) maps items onto [`Record`](crate::Record); [`write`](mod@write)
//! writes records the way Zotero and citeproc read them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

mod item;
pub mod read;
pub(crate) mod scan;
pub mod write;

/// The CSL name variables (1.0.2 and the 1.0.2 schema), in the spec's order.
pub(crate) const NAME_VARIABLES: &[&str] = &[
    "author",
    "chair",
    "collection-editor",
    "compiler",
    "composer",
    "container-author",
    "contributor",
    "curator",
    "director",
    "editor",
    "editor-translator",
    "editorial-director",
    "executive-producer",
    "guest",
    "host",
    "illustrator",
    "interviewer",
    "narrator",
    "organizer",
    "original-author",
    "performer",
    "producer",
    "recipient",
    "reviewed-author",
    "script-writer",
    "series-creator",
    "translator",
];

/// The CSL date variables.
pub(crate) const DATE_VARIABLES: &[&str] =
    &["accessed", "available-date", "event-date", "issued", "original-date", "submitted"];

/// A CSL name as it appears in the JSON, every part optional.
///
/// Reading keeps what this struct does not know in `other`; writing fills only `family`,
/// `given` and `literal` (particles and suffixes are folded in: Zotero ignores them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct CslName {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub family: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub given: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub literal: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub non_dropping_particle: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dropping_particle: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub suffix: Option<Text>,
    /// `parse-names: false` asks processors not to split particles off.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parse_names: Option<Value>,
    /// Not CSL, but Crossref and others add it: strings or `{"name": …}` objects.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub affiliation: Option<Value>,
    /// Every other key (`comma-suffix`, `isInstitution`, `ORCID`, `sequence`…).
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A CSL date object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct CslDate {
    /// One array (a date) or two (a range) of year, month, day; numbers or numeric strings.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date_parts: Option<Vec<Vec<Text>>>,
    /// 1–4 (spring to winter) or a season name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub season: Option<Text>,
    /// True, `1`, `"true"` when the date is approximate.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub circa: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub literal: Option<Text>,
    /// A date as typed by a person, for the processor to parse.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub raw: Option<Text>,
    /// An EDTF string.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub edtf: Option<Text>,
    /// Every other key.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A value CSL allows as a string or a number (`"volume": 5`, `"date-parts": [["1965"]]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub(crate) enum Text {
    /// A string.
    Str(String),
    /// A number, kept as serde_json prints it.
    Num(serde_json::Number),
}

/// By hand rather than `untagged`: serde's untagged enums buffer the value and try each
/// variant in turn, building an error for every number in every date.
impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl serde::de::Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::Str(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::Str(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text::Num(v.into()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text::Num(v.into()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Text, E> {
                serde_json::Number::from_f64(v)
                    .map(Text::Num)
                    .ok_or_else(|| E::custom("a number that is not finite"))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

impl Text {
    /// The value as text.
    pub fn to_text(&self) -> String {
        self.as_text().into_owned()
    }

    /// The value as text, borrowed when it is a string.
    pub fn as_text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Text::Str(s) => s.as_str().into(),
            Text::Num(n) => n.to_string().into(),
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Str(s.to_owned())
    }
}

impl From<i64> for Text {
    fn from(n: i64) -> Self {
        Text::Num(n.into())
    }
}

/// The item the writer serializes: the variables of [`Record`](crate::Record) in a fixed
/// order, as CSL names them.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct CslItem<'a> {
    pub id: &'a str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_short: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<CslName>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub editor: Vec<CslName>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub translator: Vec<CslName>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub container_author: Vec<CslName>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub collection_editor: Vec<CslName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_title_short: Option<&'a str>,
    /// Zotero reads the abbreviation from here, not from `container-title-short`.
    #[serde(rename = "journalAbbreviation", skip_serializing_if = "Option::is_none")]
    pub journal_abbreviation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_of_pages: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_of_volumes: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chapter_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher_place: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_place: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genre: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medium: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_date: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_date: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accessed: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_date: Option<CslDate>,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    pub doi: Option<&'a str>,
    #[serde(rename = "ISBN", skip_serializing_if = "Option::is_none")]
    pub isbn: Option<String>,
    #[serde(rename = "ISSN", skip_serializing_if = "Option::is_none")]
    pub issn: Option<String>,
    #[serde(rename = "PMID", skip_serializing_if = "Option::is_none")]
    pub pmid: Option<&'a str>,
    #[serde(rename = "PMCID", skip_serializing_if = "Option::is_none")]
    pub pmcid: Option<&'a str>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive: Option<&'a str>,
    /// CSL spells this one with an underscore.
    #[serde(rename = "archive_location", skip_serializing_if = "Option::is_none")]
    pub archive_location: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_number: Option<&'a str>,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    pub abstract_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Note line keys (Zotero's Extra convention, `Key: value`) that name a record field the
/// reader fills from the note when the item itself does not give it.
pub(crate) const NOTE_KEYS: &[&str] = &[
    "PMID",
    "PMCID",
    "DOI",
    "ISBN",
    "ISSN",
    "original-date",
    "available-date",
    "event-date",
    "original-title",
    "container-title-short",
    "event-place",
    "publisher-place",
];

/// The key of a `Key: value` note line: letters, digits, `-`, `_`, ` ` and `.`, no longer
/// than 40 characters. `None` for a line of prose.
pub(crate) fn note_line(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim();
    let value = value.trim();
    let ok = !key.is_empty()
        && key.len() <= 40
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' ' | '.'))
        && !value.is_empty();
    ok.then_some((key, value))
}
