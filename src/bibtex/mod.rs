//! BibTeX and BibLaTeX: one reader (our own raw scanner, then the `biblatex` crate for TeX
//! decoding, names and dates) and one writer with a [`Dialect`].
//!
//! Stages of the reader ([`read::parse`]):
//! 1. [`raw`]: split the file into `@type{key, field = value, …}` entries, `@string`
//!    definitions, `@preamble` and `@comment` blocks, by brace/paren depth, without recursion.
//!    One malformed entry becomes an error diagnostic at its byte offset and the scanner
//!    resynchronises at the next `@` that starts a line.
//! 2. macros: `@string` values and `#` concatenation are resolved by us, case-insensitively as
//!    BibTeX does (`jan`…`dec` predefined).
//! 3. the `biblatex` crate resolves each field's TeX (`{\"o}` → `ö`, `--` → `–`, `{NASA}` as
//!    a verbatim chunk), parses names (particles, suffixes) and dates. A field the crate rejects
//!    is decoded by [`crate::latex::decode`] instead, with a warning.
//! 4. `crossref`/`xdata` inheritance, then the mapping onto [`crate::Record`].
//!
//! Why our own raw stage: measured on the crate 0.12, a `"…"` value ends at a `"` inside braces
//! (`"The {"}omics{"} revolution"`) and the rest of the entry is silently dropped; the first
//! syntax error stops the whole file; parenthesised entries (`@article(…)`) are not read;
//! duplicate keys are fatal; and `crossref` cycles recurse without end. Handing the crate one
//! field at a time avoids all of these.
//!
//! Case protection: the model's `title` holds the text without braces. Words the source
//! braced that the writer would not brace on its own (it braces acronyms such as `NHS`, `GP`
//! in `GPs`, and mixed-case words such as `iPhone`) are listed, one per line, in the extra
//! field [`PROTECTED_EXTRA`] so that a BibTeX → BibTeX round trip keeps them; the writers of
//! other formats should skip extras whose name starts with `bibtex-`.
//!
//! Writer ([`write::write_entry`]): we write the text ourselves (fixed field order, escaping in
//! [`crate::latex`]) rather than through the crate, whose output is in alphabetical order.
//! Extras: BibTeX ignores unknown fields, so extras are written as fields of their own name; in
//! BibLaTeX they would make `biber --validate-datamodel` warn, so extras that are not
//! BibLaTeX data-model fields are gathered in `annotation` as `name: value` lines, and so are fields the entry type does not accept
//! ([`biblatex_allows`]).

pub mod raw;
pub mod read;
pub mod write;

use crate::Kind;

/// Extra field listing, one per line, the title words the source protected with braces that
/// the writer would not protect on its own.
pub const PROTECTED_EXTRA: &str = crate::model::HINT_EXTRAS[0];

/// Extra field keeping an entry type that maps to no CSL type more specific than `document`.
pub const TYPE_EXTRA: &str = "bibtex-type";

/// Which flavour of `.bib` to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Classic BibTeX (`journal`, `year`, `month`, `address`).
    Bibtex,
    /// BibLaTeX for biber (`journaltitle`, `date`, `location`).
    Biblatex,
}

/// The kind an entry type (lowercase) reads as, and a default genre for thesis types.
pub fn kind_from_type(ty: &str) -> Option<(Kind, Option<&'static str>)> {
    let kind = match ty {
        "article" | "suppperiodical" => Kind::ArticleJournal,
        "book" | "mvbook" | "collection" | "mvcollection" | "proceedings" | "mvproceedings"
        | "reference" | "mvreference" | "manual" => Kind::Book,
        "booklet" => Kind::Pamphlet,
        "inbook" | "incollection" | "bookinbook" | "suppbook" | "suppcollection" => Kind::Chapter,
        "inreference" => Kind::EntryEncyclopedia,
        "inproceedings" | "conference" => Kind::PaperConference,
        "phdthesis" => return Some((Kind::Thesis, Some("PhD thesis"))),
        "mastersthesis" | "masterthesis" => return Some((Kind::Thesis, Some("Master's thesis"))),
        "thesis" => Kind::Thesis,
        "techreport" | "report" => Kind::Report,
        "unpublished" => Kind::Manuscript,
        "online" | "www" | "electronic" | "webpage" => Kind::Webpage,
        "patent" => Kind::Patent,
        "dataset" => Kind::Dataset,
        "software" => Kind::Software,
        "periodical" => Kind::Periodical,
        "standard" => Kind::Standard,
        "legislation" | "legal" => Kind::Legislation,
        "jurisdiction" => Kind::LegalCase,
        "letter" => Kind::PersonalCommunication,
        "movie" | "video" => Kind::MotionPicture,
        "audio" | "music" => Kind::Song,
        "artwork" | "image" => Kind::Graphic,
        "performance" => Kind::Performance,
        "review" => Kind::Review,
        "misc" => Kind::Document,
        _ => return None,
    };
    Some((kind, None))
}

/// The entry type a kind is written as. `has_container` tells a chapter with a book title
/// (`incollection`) from one without (`inbook`).
pub fn type_for_kind(kind: Kind, dialect: Dialect, has_container: bool) -> &'static str {
    let bibtex = dialect == Dialect::Bibtex;
    match kind {
        Kind::Article
        | Kind::ArticleJournal
        | Kind::ArticleMagazine
        | Kind::ArticleNewspaper
        | Kind::Review
        | Kind::ReviewBook => "article",
        Kind::Book | Kind::Classic | Kind::Collection => "book",
        Kind::Pamphlet => "booklet",
        Kind::Chapter | Kind::EntryDictionary | Kind::EntryEncyclopedia | Kind::Entry => {
            if has_container {
                "incollection"
            } else {
                "inbook"
            }
        }
        Kind::PaperConference => "inproceedings",
        Kind::Thesis => "thesis",
        Kind::Report => {
            if bibtex {
                "techreport"
            } else {
                "report"
            }
        }
        Kind::Manuscript => "unpublished",
        Kind::Webpage | Kind::Post | Kind::PostWeblog if !bibtex => "online",
        Kind::Patent if !bibtex => "patent",
        Kind::Dataset if !bibtex => "dataset",
        Kind::Software if !bibtex => "software",
        Kind::Periodical if !bibtex => "periodical",
        _ => "misc",
    }
}

/// Fields every BibLaTeX entry type accepts (biblatex's `blx-dm.def`, the ones we write).
const BIBLATEX_ALL: &[&str] = &[
    "abstract",
    "annotation",
    "doi",
    "eprint",
    "eprintclass",
    "eprinttype",
    "entrysubtype",
    "file",
    "ids",
    "isan",
    "ismn",
    "iswc",
    "keywords",
    "label",
    "langid",
    "library",
    "nameaddon",
    "origlocation",
    "origpublisher",
    "origtitle",
    "shortjournal",
    "shorttitle",
    "shorthand",
    "sortkey",
    "url",
    "date",
    "urldate",
    "origdate",
    "indextitle",
    "xdata",
    "crossref",
];

/// Fields each BibLaTeX entry type accepts besides [`BIBLATEX_ALL`] (from `blx-dm.def`).
fn biblatex_type_fields(ty: &str) -> &'static [&'static str] {
    match ty {
        "article" => &[
            "addendum",
            "annotator",
            "author",
            "commentator",
            "editor",
            "eid",
            "issn",
            "issue",
            "issuetitle",
            "issuesubtitle",
            "journalsubtitle",
            "journaltitle",
            "language",
            "note",
            "number",
            "origlanguage",
            "pages",
            "pubstate",
            "series",
            "subtitle",
            "title",
            "titleaddon",
            "translator",
            "version",
            "volume",
        ],
        "book" => &[
            "author",
            "addendum",
            "afterword",
            "annotator",
            "chapter",
            "commentator",
            "edition",
            "editor",
            "eid",
            "foreword",
            "introduction",
            "isbn",
            "language",
            "location",
            "maintitle",
            "note",
            "number",
            "origlanguage",
            "pages",
            "pagetotal",
            "part",
            "publisher",
            "pubstate",
            "series",
            "subtitle",
            "title",
            "titleaddon",
            "translator",
            "volume",
            "volumes",
        ],
        "inbook" | "incollection" => &[
            "addendum",
            "afterword",
            "annotator",
            "author",
            "booktitle",
            "bookauthor",
            "booksubtitle",
            "chapter",
            "commentator",
            "edition",
            "editor",
            "eid",
            "foreword",
            "introduction",
            "isbn",
            "language",
            "location",
            "maintitle",
            "note",
            "number",
            "origlanguage",
            "part",
            "publisher",
            "pages",
            "pubstate",
            "series",
            "subtitle",
            "title",
            "titleaddon",
            "translator",
            "volume",
            "volumes",
        ],
        "booklet" => &[
            "addendum",
            "author",
            "chapter",
            "editor",
            "eid",
            "howpublished",
            "language",
            "location",
            "note",
            "pages",
            "pagetotal",
            "pubstate",
            "subtitle",
            "title",
            "titleaddon",
            "type",
        ],
        "dataset" => &[
            "addendum",
            "author",
            "edition",
            "editor",
            "language",
            "location",
            "note",
            "number",
            "organization",
            "publisher",
            "pubstate",
            "series",
            "subtitle",
            "title",
            "titleaddon",
            "type",
            "version",
        ],
        "misc" | "software" => &[
            "addendum",
            "author",
            "editor",
            "howpublished",
            "language",
            "location",
            "note",
            "organization",
            "pubstate",
            "subtitle",
            "title",
            "titleaddon",
            "type",
            "version",
        ],
        "online" => &[
            "addendum",
            "author",
            "editor",
            "language",
            "note",
            "organization",
            "pubstate",
            "subtitle",
            "title",
            "titleaddon",
            "version",
        ],
        "patent" => &[
            "addendum",
            "author",
            "holder",
            "location",
            "note",
            "number",
            "pubstate",
            "subtitle",
            "title",
            "titleaddon",
            "type",
            "version",
        ],
        "periodical" => &[
            "addendum",
            "editor",
            "issn",
            "issue",
            "issuetitle",
            "language",
            "note",
            "number",
            "pubstate",
            "series",
            "subtitle",
            "title",
            "titleaddon",
            "volume",
        ],
        "inproceedings" => &[
            "addendum",
            "author",
            "booksubtitle",
            "booktitle",
            "chapter",
            "editor",
            "eid",
            "eventdate",
            "eventtitle",
            "isbn",
            "language",
            "location",
            "maintitle",
            "note",
            "number",
            "organization",
            "pages",
            "part",
            "publisher",
            "pubstate",
            "series",
            "subtitle",
            "title",
            "titleaddon",
            "venue",
            "volume",
            "volumes",
        ],
        "report" => &[
            "addendum",
            "author",
            "chapter",
            "eid",
            "institution",
            "isrn",
            "language",
            "location",
            "note",
            "number",
            "pages",
            "pagetotal",
            "pubstate",
            "subtitle",
            "title",
            "titleaddon",
            "type",
            "version",
        ],
        "thesis" => &[
            "addendum",
            "author",
            "chapter",
            "eid",
            "institution",
            "language",
            "location",
            "note",
            "pages",
            "pagetotal",
            "pubstate",
            "subtitle",
            "title",
            "titleaddon",
            "type",
        ],
        "unpublished" => &[
            "addendum",
            "author",
            "eventdate",
            "eventtitle",
            "howpublished",
            "language",
            "location",
            "note",
            "pubstate",
            "subtitle",
            "title",
            "titleaddon",
            "type",
            "venue",
        ],
        _ => &[],
    }
}

/// True when BibLaTeX's data model accepts `field` in an entry of type `ty`, so that
/// `biber --validate-datamodel` does not warn about it.
pub fn biblatex_allows(ty: &str, field: &str) -> bool {
    if ty == "incollection" && field == "bookauthor" {
        return false;
    }
    BIBLATEX_ALL.contains(&field) || biblatex_type_fields(ty).contains(&field)
}

/// Babel language names for `langid`, by ISO 639-1/639-2 code or English name.
pub fn langid_for(language: &str) -> Option<&'static str> {
    let l = language.trim().to_ascii_lowercase();
    let l = l.split(['-', '_']).next().unwrap_or("");
    Some(match l {
        "en" | "eng" | "english" => "english",
        "de" | "ger" | "deu" | "german" | "ngerman" => "ngerman",
        "fr" | "fre" | "fra" | "french" => "french",
        "es" | "spa" | "spanish" => "spanish",
        "pt" | "por" | "portuguese" | "portuges" => "portuguese",
        "it" | "ita" | "italian" => "italian",
        "nl" | "dut" | "nld" | "dutch" => "dutch",
        "sv" | "swe" | "swedish" => "swedish",
        "da" | "dan" | "danish" => "danish",
        "no" | "nor" | "nb" | "norwegian" => "norsk",
        "fi" | "fin" | "finnish" => "finnish",
        "pl" | "pol" | "polish" => "polish",
        "ru" | "rus" | "russian" => "russian",
        "el" | "gre" | "ell" | "greek" => "greek",
        "tr" | "tur" | "turkish" => "turkish",
        "cs" | "cze" | "ces" | "czech" => "czech",
        "hu" | "hun" | "hungarian" => "magyar",
        "ca" | "cat" | "catalan" => "catalan",
        _ => return None,
    })
}

/// BibTeX's month macros, in order.
pub const MONTH_MACROS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// The month (1–12) a `month` value names: a number, a macro's expansion or an English name
/// or abbreviation (`jan`, `January`, `Jan.`).
pub fn month_number(value: &str) -> Option<u8> {
    let v = value.trim().trim_end_matches('.');
    if let Ok(n) = v.parse::<u8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    let lower = v.to_ascii_lowercase();
    let prefix = lower.get(..3)?;
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let i = MONTH_MACROS.iter().position(|m| *m == prefix)?;
    NAMES[i].starts_with(lower.as_str()).then_some(i as u8 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months() {
        assert_eq!(month_number("jan"), Some(1));
        assert_eq!(month_number("September"), Some(9));
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("12"), Some(12));
        assert_eq!(month_number("13"), None);
        assert_eq!(month_number("Janx"), None);
        assert_eq!(month_number(""), None);
    }

    #[test]
    fn types_round_trip_for_common_kinds() {
        for (ty, kind) in [
            ("article", Kind::ArticleJournal),
            ("book", Kind::Book),
            ("inproceedings", Kind::PaperConference),
            ("unpublished", Kind::Manuscript),
        ] {
            assert_eq!(kind_from_type(ty).map(|k| k.0), Some(kind));
            assert_eq!(type_for_kind(kind, Dialect::Bibtex, true), ty);
        }
        assert_eq!(type_for_kind(Kind::Chapter, Dialect::Bibtex, false), "inbook");
        assert_eq!(type_for_kind(Kind::Report, Dialect::Biblatex, false), "report");
        assert_eq!(type_for_kind(Kind::Webpage, Dialect::Bibtex, false), "misc");
    }
}
