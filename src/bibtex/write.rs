//! BibTeX/BibLaTeX writer: one `@type{key, …}` entry per record, fields in the fixed order of
//! [`write_entry`], one code path for both dialects (the differences are the tables in
//! [`super`] and the `bibtex` flags below).
//!
//! ```text
//! @article{checkland2013primary,
//!   author = {Checkland, Kath and Coleman, Anna},
//!   title = {Primary care-led commissioning in the {NHS}},
//!   journal = {Journal of Health Services Research {\&} Policy},
//!   year = {2013},
//!   month = jan,
//!   pages = {49--56},
//! }
//! ```

use std::borrow::Cow;
use std::ops::Range;

use super::{Dialect, MONTH_MACROS, PROTECTED_EXTRA, TYPE_EXTRA, langid_for, type_for_kind};
use crate::latex;
use crate::{Date, Kind, Person, Record, WriteOptions};

/// A field value: braced TeX (where it is in [`Entry::tex`]), or a bare macro (`jan`).
enum Value {
    Braced(Range<usize>),
    Macro(&'static str),
}

/// The fields of one entry, in the order they are added.
struct Entry {
    /// The entry type being written.
    ty: &'static str,
    fields: Vec<(Cow<'static, str>, Value)>,
    /// The TeX of every braced value, one after another: values are escaped straight into
    /// it, with no string of their own.
    tex: String,
    ascii: bool,
    unmapped: Vec<char>,
    /// `name: value` lines for BibLaTeX's `annotation` (extras with no data-model field).
    annotation: Vec<String>,
}

impl Entry {
    /// A text field, escaped; nothing when the text is blank.
    fn text(&mut self, name: impl Into<Cow<'static, str>>, value: Option<&str>) {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            let start = self.tex.len();
            latex::escape_into(v, self.ascii, &mut self.tex, &mut self.unmapped);
            self.fields.push((name.into(), Value::Braced(start..self.tex.len())));
        }
    }

    /// A field of TeX as it is.
    fn raw(&mut self, name: impl Into<Cow<'static, str>>, tex: &str) {
        let start = self.tex.len();
        self.tex.push_str(tex);
        self.fields.push((name.into(), Value::Braced(start..self.tex.len())));
    }

    /// Escapes `text` at the end of [`Self::tex`], for a value being put together there.
    fn escape(&mut self, text: &str) {
        latex::escape_into(text, self.ascii, &mut self.tex, &mut self.unmapped);
    }

    fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|(n, _)| n == name)
    }

    /// The TeX of a braced value.
    fn value(&self, range: &Range<usize>) -> &str {
        self.tex.get(range.clone()).unwrap_or_default()
    }

    /// Moves field `n` (when braced) to the `annotation` lines, as `name: value`.
    fn annotate(&mut self, name: &str, value: &Value) {
        if let Value::Braced(r) = value {
            let line =
                format!("{}: {}", latex::escape(name, false, &mut Vec::new()), self.value(r));
            self.annotation.push(line);
        }
    }
}

/// Formats one record as a `.bib` entry into `out`; what the dialect cannot hold is described
/// in `lost`.
pub fn write_entry(
    rec: &Record,
    key: &str,
    dialect: Dialect,
    options: &WriteOptions,
    out: &mut String,
    lost: &mut Vec<String>,
) {
    let bibtex = dialect == Dialect::Bibtex;
    let kind = rec.kind;
    let is_article = matches!(
        kind,
        Kind::Article
            | Kind::ArticleJournal
            | Kind::ArticleMagazine
            | Kind::ArticleNewspaper
            | Kind::Review
            | Kind::ReviewBook
    );
    let mut ty = type_for_kind(kind, dialect, rec.container_title.is_some());
    let mut thesis_type: Option<String> = rec.genre.clone();
    if kind == Kind::Thesis && bibtex {
        let genre = rec.genre.as_deref().unwrap_or_default().to_lowercase();
        ty = if genre.contains("master") || genre.contains("msc") || genre.contains("ma thesis") {
            "mastersthesis"
        } else {
            "phdthesis"
        };
        // The entry type says it; a default genre need not be repeated in `type`.
        if matches!(genre.as_str(), "phd thesis" | "master's thesis" | "") {
            thesis_type = None;
        }
    } else if kind == Kind::Thesis {
        thesis_type = Some(match rec.genre.as_deref().map(str::to_lowercase).as_deref() {
            None | Some("phd thesis") => "phdthesis".to_owned(),
            Some("master's thesis") => "mathesis".to_owned(),
            Some(_) => rec.genre.clone().unwrap_or_default(),
        });
    }
    if kind == Kind::Report && !bibtex && rec.genre.is_none() {
        thesis_type = Some("techreport".to_owned());
    }

    let mut e = Entry {
        ty,
        fields: Vec::with_capacity(24),
        tex: String::with_capacity(4096),
        ascii: options.ascii,
        unmapped: Vec::new(),
        annotation: Vec::new(),
    };

    // Persons.
    names(&mut e, "author", &rec.author);
    names(&mut e, "editor", &rec.editor);
    names(&mut e, "translator", &rec.translator);
    names(&mut e, "bookauthor", &rec.container_author);

    // Titles.
    if let Some(t) = &rec.title {
        let protected: Vec<&str> =
            rec.extra.get(PROTECTED_EXTRA).map(|p| p.lines().collect()).unwrap_or_default();
        let tex = latex::title(t, &protected, e.ascii, &mut e.unmapped);
        e.raw("title", &tex);
    }
    e.text("shorttitle", rec.title_short.as_deref());
    e.text("origtitle", rec.original_title.as_deref());

    // Container.
    let container_field = if is_article {
        if bibtex { "journal" } else { "journaltitle" }
    } else if ty == "online" {
        // BibLaTeX's `@online` has no `howpublished`; the site is its `organization`.
        "organization"
    } else if matches!(ty, "misc" | "booklet" | "unpublished") {
        "howpublished"
    } else {
        "booktitle"
    };
    let container = rec.container_title.as_deref().or(if is_article {
        rec.container_title_short.as_deref()
    } else {
        None
    });
    // A `howpublished` the reader kept as an extra goes back to its own field.
    let container = container.or_else(|| {
        (container_field == "howpublished")
            .then(|| rec.extra.get("howpublished").map(String::as_str))
            .flatten()
    });
    e.text(container_field, container);
    if kind == Kind::PaperConference && container.is_none() {
        e.text("booktitle", rec.event_title.as_deref());
    } else {
        e.text("eventtitle", rec.event_title.as_deref());
    }
    e.text("shortjournal", rec.container_title_short.as_deref());
    e.text("series", rec.collection_title.as_deref());

    // Numbers.
    e.text("volume", rec.volume.as_deref());
    if is_article {
        e.text("number", rec.issue.as_deref());
        e.text("reportnumber", rec.number.as_deref());
    } else {
        e.text("number", rec.number.as_deref().or(rec.collection_number.as_deref()));
        e.text("issue", rec.issue.as_deref());
        if rec.number.is_some() {
            e.text("seriesnumber", rec.collection_number.as_deref());
        }
    }
    if let Some(p) = &rec.page {
        let tex = latex::escape(p, e.ascii, &mut e.unmapped);
        // One hyphen in the model, `--` in TeX (`49--56`, `e611--e619`).
        // Only a range of two page-like tokens, as `normalize_pages` makes it.
        let range = p.split_once('-').is_some_and(|(a, b)| {
            !a.is_empty() && !b.is_empty() && !b.contains('-') && !p.contains(char::is_whitespace)
        });
        let tex = if range { tex.replace('-', "--") } else { tex };
        e.raw("pages", &tex);
    }
    e.text("chapter", rec.chapter_number.as_deref());
    e.text("pagetotal", rec.number_of_pages.as_deref());
    e.text("volumes", rec.number_of_volumes.as_deref());
    e.text("edition", rec.edition.as_deref());

    // Publication.
    let publisher_field = match (kind, bibtex) {
        (Kind::Thesis, true) => "school",
        (Kind::Thesis | Kind::Report, _) => "institution",
        _ => "publisher",
    };
    e.text(publisher_field, rec.publisher.as_deref());
    e.text(if bibtex { "address" } else { "location" }, rec.publisher_place.as_deref());
    e.text("venue", rec.event_place.as_deref());
    e.text("type", thesis_type.as_deref());
    e.text("pubstate", rec.status.as_deref());
    e.text("howpublished", rec.medium.as_deref().filter(|_| !e.has("howpublished")));

    // Dates.
    if let Some(d) = &rec.issued {
        date_fields(&mut e, d, bibtex);
    }
    date_field(&mut e, "eventdate", rec.event_date.as_ref());
    date_field(&mut e, "origdate", rec.original_date.as_ref());
    date_field(&mut e, "urldate", rec.accessed.as_ref());

    // Identifiers.
    if let Some(doi) = &rec.doi {
        e.raw("doi", &url_tex(doi, bibtex));
    }
    // biber validates `isbn` and `issn` as one number each: BibLaTeX gets the first, the
    // others go to `annotation`; BibTeX, which does not check, gets them all.
    for (name, ids) in [("isbn", &rec.isbn), ("issn", &rec.issn)] {
        match ids.split_first() {
            Some((first, rest)) if !bibtex => {
                e.text(name, Some(first));
                for other in rest {
                    extra(&mut e, name, other, bibtex);
                }
            }
            Some(_) => e.text(name, Some(&ids.join(", "))),
            None => {}
        }
    }
    if let Some(u) = &rec.url {
        e.raw("url", &url_tex(u, bibtex));
    }
    if let Some(pmid) = &rec.pmid {
        if bibtex {
            e.text("pmid", Some(pmid));
        } else {
            e.text("eprint", Some(pmid));
            e.text("eprinttype", Some("pubmed"));
        }
    }
    if let Some(pmcid) = &rec.pmcid {
        if bibtex || e.has("eprint") {
            extra(&mut e, "pmcid", pmcid, bibtex);
        } else {
            e.text("eprint", Some(pmcid));
            e.text("eprinttype", Some("pmc"));
        }
    }
    if let Some(arxiv) = rec.extra.get("arxiv") {
        if e.has("eprint") {
            extra(&mut e, "arxiv", arxiv, bibtex);
        } else {
            e.text("eprint", Some(arxiv));
            e.text("eprinttype", Some("arxiv"));
        }
    }

    // Content.
    e.text("abstract", rec.abstract_text.as_deref());
    if !rec.keyword.is_empty() {
        // biblatex splits `keywords` at commas: a keyword with a comma needs `;` between.
        let sep = if rec.keyword.iter().any(|k| k.contains(',')) { "; " } else { ", " };
        e.text("keywords", Some(&rec.keyword.join(sep)));
    }
    match rec.language.as_deref() {
        Some(l) if !bibtex => match langid_for(l) {
            Some(id) => e.text("langid", Some(id)),
            None => e.text("language", Some(l)),
        },
        l => e.text("language", l),
    }
    e.text("note", rec.note.as_deref());
    e.text("archive", rec.archive.as_deref());
    e.text("archive_location", rec.archive_location.as_deref());
    e.text(if bibtex { "callnumber" } else { "library" }, rec.call_number.as_deref());
    for (role, people) in [("collection-editor", &rec.collection_editor)] {
        if !people.is_empty() {
            let joined: Vec<String> = people.iter().filter_map(Person::display_inverted).collect();
            extra(&mut e, role, &joined.join("; "), bibtex);
        }
    }
    if !bibtex {
        // Non-data-model fields written above for BibTeX only.
        for name in ["reportnumber", "seriesnumber", "archive", "archive_location"] {
            if let Some(i) = e.fields.iter().position(|(n, _)| n == name) {
                let (n, v) = e.fields.remove(i);
                e.annotate(&n, &v);
            }
        }
    }

    if !bibtex {
        // What this entry type does not accept goes to `annotation`, so that biber's
        // `--validate-datamodel` has nothing to say and nothing is lost.
        let (kept, moved): (Vec<_>, Vec<_>) = std::mem::take(&mut e.fields)
            .into_iter()
            .partition(|(n, _)| super::biblatex_allows(ty, n));
        e.fields = kept;
        for (n, v) in moved {
            e.annotate(&n, &v);
        }
    }

    // Extras.
    for (name, value) in &rec.extra {
        if name == PROTECTED_EXTRA || name == "arxiv" {
            continue;
        }
        if name == "howpublished"
            && container_field == "howpublished"
            && rec.container_title.is_none()
        {
            continue;
        }
        if name == TYPE_EXTRA && bibtex {
            continue;
        }
        extra(&mut e, name, value, bibtex);
    }
    // A related paper a page listed names the page's record (CSL-JSON: a `related-to:` note
    // line; RIS: `M2`).
    if let Some(related) = &rec.related_to {
        extra(&mut e, "related-to", related, bibtex);
    }
    if !e.annotation.is_empty() {
        let joined = std::mem::take(&mut e.annotation).join("; ");
        e.raw(annotation_field(bibtex), &joined);
    }

    if rec.author.iter().chain(&rec.editor).any(|p| !p.affiliation.is_empty()) {
        lost.push("affiliations of authors dropped (no BibTeX field)".to_owned());
    }
    if !e.unmapped.is_empty() {
        let chars: String = e.unmapped.iter().collect();
        lost.push(format!("kept as UTF-8, no LaTeX escape for: {chars}"));
    }

    out.push('@');
    out.push_str(ty);
    out.push('{');
    out.push_str(key);
    out.push_str(",\n");
    for (name, value) in &e.fields {
        out.push_str("  ");
        out.push_str(name);
        out.push_str(" = ");
        match value {
            Value::Braced(r) => {
                out.push('{');
                out.push_str(e.value(r));
                out.push('}');
            }
            Value::Macro(m) => out.push_str(m),
        }
        out.push_str(",\n");
    }
    out.push_str("}\n");
}

/// An extra field: under its own name in BibTeX (which ignores unknown fields) when the name
/// is a plain identifier and not taken; in BibLaTeX only when it is a data-model field, else as
/// a `name: value` line of `annotation`.
fn extra(e: &mut Entry, name: &str, value: &str, bibtex: bool) {
    let field: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    let plain = !field.is_empty() && field.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    let value = value.replace('\n', "; ");
    if field == annotation_field(bibtex) {
        // The carrier itself, read back: its lines come first, in their order.
        let tex = latex::escape(&value, e.ascii, &mut e.unmapped);
        e.annotation.push(tex);
    } else if plain && !e.has(&field) && (bibtex || super::biblatex_allows(e.ty, &field)) {
        if matches!(field.as_str(), "doi" | "url" | "eprint") {
            e.raw(field, &url_tex(&value, bibtex));
        } else if matches!(field.as_str(), "file" | "pdf" | "uri" | "verba" | "verbb" | "verbc")
            && balanced(&value)
        {
            // Verbatim fields are read without TeX decoding: written as they are.
            for c in value.chars().filter(|c| !c.is_ascii()) {
                if e.ascii && !e.unmapped.contains(&c) {
                    e.unmapped.push(c);
                }
            }
            e.raw(field, &value);
        } else {
            e.text(field, Some(&value));
        }
    } else {
        let tex = latex::escape(&format!("{name}: {value}"), e.ascii, &mut e.unmapped);
        e.annotation.push(tex);
    }
}

/// True when the braces in `s` pair up (and it does not end in a backslash).
fn balanced(s: &str) -> bool {
    let mut depth = 0i64;
    for c in s.chars() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0 && !s.ends_with('\\')
}

/// The field that carries `name: value` lines: `annote` (BibTeX) or `annotation` (BibLaTeX).
fn annotation_field(bibtex: bool) -> &'static str {
    if bibtex { "annote" } else { "annotation" }
}

/// `year` + `month = jan` for BibTeX (plus `date` when there is a day or a range); `date` for
/// BibLaTeX. A date without a year is written as text in `year` (BibTeX) or `note`-like
/// `pubstate` (BibLaTeX).
fn date_fields(e: &mut Entry, d: &Date, bibtex: bool) {
    match (d.year, edtf(d)) {
        (Some(year), Some(edtf)) => {
            if bibtex {
                e.raw("year", &format!("{year:04}"));
                if let Some(m) =
                    d.month.and_then(|m| MONTH_MACROS.get(usize::from(m).wrapping_sub(1)))
                {
                    e.fields.push(("month".into(), Value::Macro(m)));
                }
                if d.day.is_some() || d.is_range() || d.circa || d.season.is_some() {
                    e.raw("date", &edtf);
                }
            } else {
                e.raw("date", &edtf);
            }
        }
        _ => {
            let text = d.literal.as_deref().unwrap_or_default();
            if bibtex {
                e.text("year", Some(text));
            } else if !e.has("pubstate") {
                e.text("pubstate", Some(text));
            }
        }
    }
}

/// EDTF for a date, with years before 1 written with four digits (`-0876`) as EDTF wants.
fn edtf(d: &Date) -> Option<String> {
    let mut s = d.to_edtf()?;
    for y in [d.year, d.end_year].into_iter().flatten().filter(|y| *y < 0) {
        s = s.replacen(&format!("{y}"), &format!("-{:04}", -y), 1);
    }
    Some(s)
}

fn date_field(e: &mut Entry, name: &'static str, d: Option<&Date>) {
    if let Some(d) = d {
        match edtf(d) {
            Some(edtf) => e.raw(name, &edtf),
            None => e.text(name, d.literal.as_deref()),
        }
    }
}

/// A URL or DOI for `\url`: never TeX-escaped, except what would break the file: braces and
/// spaces are percent-encoded; for BibTeX `%` and `#` get a backslash (hyperref's `\url`
/// reads `\%` as `%`, and a bare `%` in a `.bbl` line starts a comment); biber reads `url`
/// verbatim, so BibLaTeX gets them bare.
fn url_tex(url: &str, bibtex: bool) -> String {
    let mut out = String::with_capacity(url.len());
    let pct = if bibtex { "\\%" } else { "%" };
    for c in url.trim().chars() {
        match c {
            '{' | '}' | ' ' | '\\' => {
                out.push_str(pct);
                out.push_str(match c {
                    '{' => "7B",
                    '}' => "7D",
                    ' ' => "20",
                    _ => "5C",
                });
            }
            '%' | '#' if bibtex => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `Family, Given and …`; organisations in braces; `others` bare.
fn names(e: &mut Entry, field: &'static str, people: &[Person]) {
    let start = e.tex.len();
    for p in people {
        let before = e.tex.len();
        if before > start {
            e.tex.push_str(" and ");
        }
        let at = e.tex.len();
        name(e, p);
        // A person with nothing to write is left out.
        if e.tex.len() == at {
            e.tex.truncate(before);
        }
    }
    if e.tex.len() > start {
        e.fields.push((field.into(), Value::Braced(start..e.tex.len())));
    }
}

/// One person as BibTeX reads names, at the end of [`Entry::tex`].
fn name(e: &mut Entry, p: &Person) {
    if p.literal.as_deref() == Some("others") {
        e.tex.push_str("others");
        return;
    }
    if let Some(l) = &p.literal {
        e.tex.push('{');
        e.escape(l);
        e.tex.push('}');
        return;
    }
    let start = e.tex.len();
    let fam = p.family.as_deref().unwrap_or_default();
    // A family name that holds a comma or the word `and`, or a word BibTeX would take for a
    // particle (`Fonseca de la Bella`), must be braced to stay one part.
    let particle_like = |w: &str| !w.starts_with(char::is_uppercase);
    let brace = fam.contains(',')
        || (fam.contains(char::is_whitespace) && fam.split_whitespace().any(particle_like));
    let family = |e: &mut Entry| {
        if brace {
            e.tex.push('{');
        }
        e.escape(fam);
        if brace {
            e.tex.push('}');
        }
    };
    let particle = match (p.dropping_particle.as_deref(), p.particle.as_deref()) {
        (Some(d), Some(p)) => format!("{d} {p}").into(),
        (Some(one), None) | (None, Some(one)) => Cow::Borrowed(one),
        (None, None) => Cow::Borrowed(""),
    };
    if particle.is_empty() {
        family(e);
    } else {
        // The family name is escaped first, as it always was (the order of unmapped
        // characters in messages), and put after the particle.
        let fam_start = e.tex.len();
        family(e);
        let fam_tex = e.tex.split_off(fam_start);
        // BibTeX recognises a particle only when it starts lowercase.
        let lower = particle.starts_with(char::is_lowercase);
        if !lower {
            e.tex.push('{');
        }
        e.escape(&particle);
        e.tex.push(' ');
        e.tex.push_str(&fam_tex);
        if !lower {
            e.tex.push('}');
        }
    }
    match (&p.suffix, &p.given) {
        (Some(s), Some(_)) => {
            e.tex.push_str(", ");
            e.escape(s);
        }
        // `Last, Jr, ` with an empty first part is an error for BibTeX: keep it whole.
        (Some(s), None) => {
            e.tex.insert(start, '{');
            e.tex.push(' ');
            e.escape(s);
            e.tex.push('}');
        }
        _ => {}
    }
    if let Some(g) = &p.given {
        e.tex.push_str(", ");
        let brace = g.contains(',') || g.split_whitespace().any(|w| w.eq_ignore_ascii_case("and"));
        if brace {
            e.tex.push('{');
        }
        e.escape(g);
        if brace {
            e.tex.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bib(rec: &Record, dialect: Dialect, ascii: bool) -> (String, Vec<String>) {
        let mut out = String::new();
        let mut lost = Vec::new();
        write_entry(rec, "k", dialect, &WriteOptions { ascii }, &mut out, &mut lost);
        (out, lost)
    }

    #[test]
    fn dialect_differences() {
        let mut rec = Record::new(Kind::ArticleJournal);
        rec.container_title = Some("J".into());
        rec.issued = Date::parse("2019-04-05");
        rec.publisher_place = Some("Leeds".into());
        rec.pmid = Some("123".into());
        rec.language = Some("en".into());
        let (b, _) = bib(&rec, Dialect::Bibtex, false);
        assert!(b.contains("  journal = {J},\n  address = {Leeds},\n  year = {2019},\n  month = apr,\n  date = {2019-04-05},\n"), "{b}");
        assert!(b.contains("pmid = {123}") && b.contains("language = {en}"), "{b}");
        let (l, _) = bib(&rec, Dialect::Biblatex, false);
        // An article has no `location` in BibLaTeX's data model: it moves to `annotation`.
        assert!(
            l.contains("journaltitle = {J}")
                && l.contains("annotation = {location: Leeds}")
                && l.contains("date = {2019-04-05}"),
            "{l}"
        );
        assert!(
            l.contains("eprint = {123},\n  eprinttype = {pubmed}")
                && l.contains("langid = {english}"),
            "{l}"
        );
        assert!(!l.contains("month"), "{l}");
    }

    #[test]
    fn urls_stay_usable() {
        assert_eq!(url_tex("http://x.org/a%20b#c{d}", true), "http://x.org/a\\%20b\\#c\\%7Bd\\%7D");
        assert_eq!(url_tex("http://x.org/a%20b#c", false), "http://x.org/a%20b#c");
    }

    #[test]
    fn names_round_trip_shapes() {
        let mut rec = Record::new(Kind::Book);
        rec.author = vec![
            Person {
                family: Some("Berg".into()),
                given: Some("Jan".into()),
                particle: Some("van der".into()),
                ..Person::default()
            },
            Person {
                family: Some("King".into()),
                given: Some("Martin".into()),
                suffix: Some("Jr".into()),
                ..Person::default()
            },
            Person::literal("World Health Organization"),
            Person::literal("others"),
        ];
        let (b, _) = bib(&rec, Dialect::Bibtex, false);
        assert!(b.contains("author = {van der Berg, Jan and King, Jr, Martin and {World Health Organization} and others}"), "{b}");
    }

    #[test]
    fn ascii_reports_what_it_keeps() {
        let mut rec = Record::new(Kind::Book);
        rec.title = Some("Gödel and 王".into());
        let (b, lost) = bib(&rec, Dialect::Bibtex, true);
        assert!(b.contains("title = {G{\\\"o}del and 王}"), "{b}");
        assert_eq!(lost, ["kept as UTF-8, no LaTeX escape for: 王"]);
    }
}
