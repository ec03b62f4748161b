//! RIS: the `TY` code table shared by reader and writer.
//!
//! - A record is a run of tag lines from `TY  - CODE` to `ER  - `.
//! - A tag line is two characters, two spaces (one is tolerated), `-`, a space, the value:
//!   `AU  - Checkland, Kath`.
//! - A line without a tag inside a record continues the previous value.
//!
//! Type codes follow the 2011 RIS specification and Zotero's RIS translator (the tool our
//! RIS output is written for, see `../shared/GUIDE.md` §4).

use crate::{Date, Kind, Person, Record};

pub mod read;
pub mod write;

/// `TY` codes read as each kind. Several codes can name one kind; [`kind_to_ty`] picks the
/// one Zotero reads back as the same item type.
const TY_TO_KIND: &[(&str, Kind)] = &[
    ("JOUR", Kind::ArticleJournal),
    ("EJOUR", Kind::ArticleJournal),
    ("JFULL", Kind::ArticleJournal),
    ("ABST", Kind::ArticleJournal),
    ("INPR", Kind::ArticleJournal),
    ("MGZN", Kind::ArticleMagazine),
    ("NEWS", Kind::ArticleNewspaper),
    ("BOOK", Kind::Book),
    ("EBOOK", Kind::Book),
    ("EDBOOK", Kind::Book),
    ("CTLG", Kind::Book),
    ("SER", Kind::Book),
    ("CHAP", Kind::Chapter),
    ("ECHAP", Kind::Chapter),
    ("CONF", Kind::PaperConference),
    ("CPAPER", Kind::PaperConference),
    ("THES", Kind::Thesis),
    ("RPRT", Kind::Report),
    ("GOVDOC", Kind::Report),
    ("ELEC", Kind::Webpage),
    ("WEB", Kind::Webpage),
    ("ICOMM", Kind::Webpage),
    ("BLOG", Kind::PostWeblog),
    ("DATA", Kind::Dataset),
    ("DBASE", Kind::Dataset),
    ("AGGR", Kind::Dataset),
    ("GEN", Kind::Document),
    ("PAT", Kind::Patent),
    ("STAND", Kind::Standard),
    ("COMP", Kind::Software),
    ("MAP", Kind::Map),
    ("UNPB", Kind::Manuscript),
    ("MANSCPT", Kind::Manuscript),
    ("PCOMM", Kind::PersonalCommunication),
    ("CASE", Kind::LegalCase),
    ("BILL", Kind::Bill),
    ("STAT", Kind::Legislation),
    ("LEGAL", Kind::Legislation),
    ("HEAR", Kind::Hearing),
    ("ART", Kind::Graphic),
    ("FIGURE", Kind::Figure),
    ("CHART", Kind::Figure),
    ("MPCT", Kind::MotionPicture),
    ("VIDEO", Kind::MotionPicture),
    ("ADVS", Kind::MotionPicture),
    ("SOUND", Kind::Song),
    ("MUSIC", Kind::MusicalScore),
    ("ENCYC", Kind::EntryEncyclopedia),
    ("DICT", Kind::EntryDictionary),
    ("PAMP", Kind::Pamphlet),
    ("SLIDE", Kind::Speech),
    ("CLSWK", Kind::Classic),
    ("ANCIENT", Kind::Classic),
];

/// The kind a `TY` code names, or `None` for a code outside the table.
pub fn ty_to_kind(code: &str) -> Option<Kind> {
    let code = code.trim();
    TY_TO_KIND.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)).map(|(_, k)| *k)
}

/// The `TY` code written for a kind, and whether Zotero reads it back as the same kind
/// (`false`: the kind is carried in `M2  - type: …` as well).
pub fn kind_to_ty(kind: Kind) -> (&'static str, bool) {
    let exact = |code| (code, true);
    let near = |code| (code, false);
    match kind {
        Kind::ArticleJournal => exact("JOUR"),
        Kind::Article | Kind::Review | Kind::ReviewBook | Kind::Periodical => near("JOUR"),
        Kind::ArticleMagazine => exact("MGZN"),
        Kind::ArticleNewspaper => exact("NEWS"),
        Kind::Book => exact("BOOK"),
        Kind::Collection => near("BOOK"),
        Kind::Chapter => exact("CHAP"),
        Kind::Entry => near("CHAP"),
        Kind::EntryEncyclopedia => exact("ENCYC"),
        Kind::EntryDictionary => exact("DICT"),
        Kind::PaperConference => exact("CONF"),
        Kind::Thesis => exact("THES"),
        Kind::Report => exact("RPRT"),
        Kind::Webpage => exact("ELEC"),
        Kind::Post => near("ELEC"),
        Kind::PostWeblog => exact("BLOG"),
        Kind::Dataset => exact("DATA"),
        Kind::Patent => exact("PAT"),
        Kind::Standard => exact("STAND"),
        Kind::Software => exact("COMP"),
        Kind::Map => exact("MAP"),
        Kind::Manuscript => exact("MANSCPT"),
        Kind::PersonalCommunication => exact("PCOMM"),
        Kind::Interview => near("PCOMM"),
        Kind::LegalCase => exact("CASE"),
        Kind::Bill => exact("BILL"),
        Kind::Legislation => exact("STAT"),
        Kind::Regulation | Kind::Treaty => near("STAT"),
        Kind::Hearing => exact("HEAR"),
        Kind::Graphic => exact("ART"),
        Kind::Figure => exact("FIGURE"),
        Kind::MotionPicture => exact("MPCT"),
        Kind::Broadcast => near("MPCT"),
        Kind::Song => exact("SOUND"),
        Kind::MusicalScore => exact("MUSIC"),
        Kind::Pamphlet => exact("PAMP"),
        Kind::Speech => exact("SLIDE"),
        Kind::Classic => exact("CLSWK"),
        Kind::Document => exact("GEN"),
        Kind::Event | Kind::Performance => near("GEN"),
    }
}

/// True for the kinds whose `T2` is a series (Zotero's reading for `BOOK`).
pub(crate) fn is_book(kind: Kind) -> bool {
    matches!(kind, Kind::Book | Kind::Collection | Kind::Classic)
}

/// The tags of a kind's editors and series editors: Zotero reads `A2` as the series editor
/// of a book or report (and `A3` as a book's editor), `A2` as the editor and `A3` as the
/// series editor of the others. `ED` is an editor for every kind.
pub(crate) fn editor_tags(kind: Kind) -> (&'static str, &'static str) {
    if is_book(kind) || kind == Kind::Report { ("ED", "A2") } else { ("A2", "A3") }
}

/// The tag Zotero reads a kind's series number from (`M1` for a book, `SV` for a chapter).
pub(crate) fn series_number_tag(kind: Kind) -> Option<&'static str> {
    match kind {
        k if is_book(k) => Some("M1"),
        Kind::Chapter => Some("SV"),
        _ => None,
    }
}

/// A model field carried as `M2  - name: value`: its name and its accessors.
pub(crate) struct M2Field<T: 'static> {
    /// The CSL variable name written before the colon.
    pub name: &'static str,
    /// Reads the field.
    pub get: fn(&Record) -> &T,
    /// Writes the field.
    pub get_mut: fn(&mut Record) -> &mut T,
}

macro_rules! m2_fields {
    ($ty:ty; $($name:literal => $field:ident,)*) => {
        &[$(M2Field::<$ty> { name: $name, get: |r| &r.$field, get_mut: |r| &mut r.$field },)*]
    };
}

/// CSL text variables with no RIS tag of their own, carried as `M2  - name: value` (Zotero
/// keeps `M2` in Extra, where it also reads these names as CSL variables).
pub(crate) const M2_TEXT: &[M2Field<Option<String>>] = m2_fields![Option<String>;
    "original-title" => original_title,
    "event-title" => event_title,
    "event-place" => event_place,
    "collection-number" => collection_number,
    "number-of-pages" => number_of_pages,
    "number" => number,
    "chapter-number" => chapter_number,
    "genre" => genre,
    "medium" => medium,
    "status" => status,
    "related-to" => related_to,
];

/// CSL date variables with no RIS tag, carried as `M2  - name: YYYY-MM-DD` (EDTF).
pub(crate) const M2_DATES: &[M2Field<Option<Date>>] = m2_fields![Option<Date>;
    "available-date" => available_date,
    "original-date" => original_date,
    "event-date" => event_date,
];

/// Name variables carried as one `M2  - name: Family, Given` line per person.
pub(crate) const M2_NAMES: &[M2Field<Vec<Person>>] = m2_fields![Vec<Person>;
    "container-author" => container_author,
];

/// Sets the model field an `M2  - name: value` line names; false when `name` is not one of
/// [`M2_TEXT`], [`M2_DATES`], [`M2_NAMES`] or the field already has a value.
pub(crate) fn set_m2_field(rec: &mut Record, name: &str, value: &str) -> bool {
    if let Some(field) = M2_TEXT.iter().find(|f| f.name == name) {
        let slot = (field.get_mut)(rec);
        if slot.is_none() {
            Record::set(slot, value);
            return true;
        }
    } else if let Some(field) = M2_DATES.iter().find(|f| f.name == name) {
        let slot = (field.get_mut)(rec);
        if slot.is_none() {
            *slot = Date::parse(value);
            return slot.is_some();
        }
    } else if let Some(field) = M2_NAMES.iter().find(|f| f.name == name) {
        (field.get_mut)(rec).push(read::ris_person(value));
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_exact_code_reads_back_as_its_kind() {
        for kind in Kind::ALL {
            let (code, exact) = kind_to_ty(*kind);
            let back = ty_to_kind(code);
            assert!(back.is_some(), "{code} is not in the reading table");
            if exact {
                assert_eq!(back, Some(*kind), "{code}");
            }
        }
    }

    #[test]
    fn codes_are_case_insensitive() {
        assert_eq!(ty_to_kind("jour"), Some(Kind::ArticleJournal));
        assert_eq!(ty_to_kind("Journal Article"), None);
    }
}
