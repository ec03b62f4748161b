//! The record model every reader fills and every writer reads.
//!
//! Field names follow CSL variables (`container-title`, `issued`, …), the richest of our
//! output vocabularies; each format module maps its own names onto these. Whatever a source
//! holds that CSL has no variable for goes to [`Record::extra`], so nothing read is lost.

mod date;
mod ids;
mod kind;
mod pages;
mod person;
mod text;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use date::Date;
pub use ids::{clean_doi, clean_isbn, clean_issn, clean_pmcid, clean_pmid};
pub use kind::Kind;
pub use pages::{expand_medline_pages, normalize_pages, split_pages};
pub use person::Person;
pub(crate) use person::is_han;
pub(crate) use text::is_space;
pub use text::{collapse_ws, collapse_ws_cow, is_blank, is_cjk};

/// Extras that only tell a writer how to format its own format (BibTeX case protection);
/// other formats leave them out.
pub const HINT_EXTRAS: &[&str] = &["bibtex-protected"];

/// One bibliographic item, independent of the format it was read from.
///
/// Every `Option` is `None` and every `Vec` empty when the source does not give the value:
/// readers never invent a field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Record {
    /// The item type, a CSL type.
    #[serde(rename = "type")]
    pub kind: Kind,
    /// Citation key, if the source had one (BibTeX, CSL `id`); writers make one otherwise.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub key: Option<String>,
    /// Set on records a page lists as related to its own record (CNKI 相关论文): the title
    /// of that page record. Such records are written only on request (`--related`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub related_to: Option<String>,

    /// The title, verbatim (letter case kept).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title: Option<String>,
    /// A short form of the title.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title_short: Option<String>,
    /// The title in another language or the original language (for example the English
    /// title of a Chinese article).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub original_title: Option<String>,

    /// Authors, in order.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub author: Vec<Person>,
    /// Editors of this item or of the book that contains it.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub editor: Vec<Person>,
    /// Translators.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub translator: Vec<Person>,
    /// Authors of the container (a book's author for a chapter).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub container_author: Vec<Person>,
    /// Editors of the collection or series.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub collection_editor: Vec<Person>,

    /// Journal, book or proceedings title, in full.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub container_title: Option<String>,
    /// Abbreviated container title (NLM journal abbreviation, `J2`, `journalAbbreviation`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub container_title_short: Option<String>,
    /// Series title.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub collection_title: Option<String>,
    /// Number within the series.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub collection_number: Option<String>,
    /// Volume.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub volume: Option<String>,
    /// Issue, kept as printed (`Suppl 1`, `4`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub issue: Option<String>,
    /// Pages: a range with a hyphen (`126-133`), a single page or an article number.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub page: Option<String>,
    /// Total number of pages.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub number_of_pages: Option<String>,
    /// Total number of volumes.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub number_of_volumes: Option<String>,
    /// Report, patent or standard number.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub number: Option<String>,
    /// Edition.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub edition: Option<String>,
    /// Chapter number.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub chapter_number: Option<String>,

    /// Publisher (or the institution of a thesis or report).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub publisher: Option<String>,
    /// Place of publication.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub publisher_place: Option<String>,
    /// Conference or event name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub event_title: Option<String>,
    /// Conference or event place.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub event_place: Option<String>,
    /// Sub-type (`PhD thesis`, `Technical report`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub genre: Option<String>,
    /// Medium or format.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub medium: Option<String>,
    /// Publication status (`in press`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<String>,

    /// Date of publication (for a journal article: of the issue).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub issued: Option<Date>,
    /// Date the item was first made available (online-first date).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub available_date: Option<Date>,
    /// Date of the original publication.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub original_date: Option<Date>,
    /// Date the item was accessed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub accessed: Option<Date>,
    /// Date of the event.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub event_date: Option<Date>,

    /// DOI without resolver prefix (`10.1177/1355819617739039`).
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none", default)]
    pub doi: Option<String>,
    /// ISBNs, as printed but without the `ISBN` label.
    #[serde(rename = "ISBN", skip_serializing_if = "Vec::is_empty", default)]
    pub isbn: Vec<String>,
    /// ISSNs as `NNNN-NNNX`.
    #[serde(rename = "ISSN", skip_serializing_if = "Vec::is_empty", default)]
    pub issn: Vec<String>,
    /// PubMed id (digits).
    #[serde(rename = "PMID", skip_serializing_if = "Option::is_none", default)]
    pub pmid: Option<String>,
    /// PubMed Central id (`PMC1234567`).
    #[serde(rename = "PMCID", skip_serializing_if = "Option::is_none", default)]
    pub pmcid: Option<String>,
    /// The item's URL (a repository record page, for instance).
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none", default)]
    pub url: Option<String>,
    /// Archive or database the item was found in.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub archive: Option<String>,
    /// Location within the archive (an accession number).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub archive_location: Option<String>,
    /// Call number or classification.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub call_number: Option<String>,

    /// Abstract, with its section labels, paragraphs separated by a blank line.
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none", default)]
    pub abstract_text: Option<String>,
    /// Keywords or subject headings, one per entry.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub keyword: Vec<String>,
    /// Language, as given (an ISO code or a name).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub language: Option<String>,
    /// A free-text note from the source.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub note: Option<String>,

    /// Source fields with no CSL variable (funding, CLC code, database, citation count…),
    /// by name. Writers carry them where the target format allows (a note, `M2`, extra
    /// BibTeX fields) so that nothing read is lost.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub extra: BTreeMap<String, String>,
}

impl Record {
    /// A record of the given kind with every field empty.
    pub fn new(kind: Kind) -> Self {
        Record { kind, ..Record::default() }
    }

    /// Adds an extra field; a second value for the same name is appended on a new line.
    pub fn push_extra(&mut self, name: &str, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        match self.extra.get_mut(name) {
            Some(old) if old.split('\n').any(|v| v == value) => {}
            Some(old) => {
                old.push('\n');
                old.push_str(value);
            }
            None => {
                self.extra.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    /// Sets `slot` from `value` when the trimmed value is not empty.
    pub fn set(slot: &mut Option<String>, value: &str) {
        let value = collapse_ws(value);
        if !value.is_empty() {
            *slot = Some(value);
        }
    }

    /// The extras that are data, without the formatting hints one writer leaves for itself
    /// (the title words a `.bib` source protected with braces): what other formats carry.
    pub fn data_extras(&self) -> impl Iterator<Item = (&String, &String)> {
        self.extra.iter().filter(|(k, _)| !HINT_EXTRAS.contains(&k.as_str()))
    }

    /// First author's family name (or literal name), if any.
    pub fn first_author_family(&self) -> Option<&str> {
        self.author.first().or(self.editor.first()).and_then(|p| p.family_or_literal())
    }

    /// The year of `issued`, if known.
    pub fn year(&self) -> Option<i32> {
        self.issued.as_ref().and_then(|d| d.year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_extras_leave_out_formatting_hints() {
        let mut r = Record::default();
        r.push_extra("bibtex-protected", "NHS");
        r.push_extra("funding", "ESRC");
        r.push_extra("funding", "ESRC");
        r.push_extra("funding", "NIHR");
        let names: Vec<&str> = r.data_extras().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["funding"]);
        assert_eq!(r.extra["funding"], "ESRC\nNIHR");
    }
}
