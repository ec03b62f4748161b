//! Reader for a BVS / Virtual Health Library result listing (MEDLINE and LILACS records).
//!
//! The copied page is header noise, then numbered records, then footer noise:
//! - a record starts with its number alone on a line (`7.`); numbers may skip;
//! - optional title and author lines (`Family, Given; Family, Given.`), then the citation
//!   line `Journal Abbrev ; Vol(Issue): pages, date.` (or, for theses and books,
//!   `Place; Publisher; 2021. 156 p.`; for LILACS chapters `In. … p.45-60.`), which may wrap
//!   onto a second line;
//! - `Article in English | MEDLINE | ID: mdl-38127564` (type, language, databases, id);
//! - `ABSTRACT` / `RESUMO` / `RESUMEN` and its paragraphs; `Subject(s)` and its terms
//!   separated by ` , `.
//!
//! Choices: the journal is an NLM/LILACS abbreviation, so it fills
//! `container-title-short` only. Languages are mapped to ISO 639-1 codes (`English`,
//! `Español`, `Português`… → `en`, `es`, `pt`); a name we do not know is kept as printed,
//! and when several are given the first is the record's language and all go to
//! `extra["languages"]`. `mdl-` ids give the PMID; other ids (`biblio-1234567`) are kept in
//! `archive-location`; the databases (`MEDLINE`, `LILACS`…) go to `extra["database"]`.

use nom::{
    IResult, Parser,
    character::complete::{char, digit1, space0},
    combinator::{all_consuming, verify},
    sequence::{delimited, terminated},
};

use super::labels::{Line, lines};
use crate::model::{
    Date, Kind, Person, Record, clean_doi, clean_pmid, collapse_ws, expand_medline_pages,
};
use crate::{Diagnostic, Parsed};

/// `12.`: a record number alone on its line.
fn record_number(line: &str) -> IResult<&str, &str> {
    all_consuming(delimited(
        space0,
        terminated(verify(digit1, |d: &str| d.len() <= 5), char('.')),
        space0,
    ))
    .parse(line)
}

/// True when `line` is a record number alone on its line.
fn is_record_start(line: &str) -> bool {
    record_number(line.trim()).is_ok()
}

/// The parts of a `Article in English | MEDLINE | ID: mdl-38127564` line, or `None`.
fn id_line(line: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = line.split('|').map(str::trim).collect();
    let has_id = parts.iter().any(|p| p.strip_prefix("ID:").is_some());
    (parts.len() >= 2 && has_id).then_some(parts)
}

/// True when the text looks like a BVS listing: a record number alone on a line and an
/// `… | ID: …` line.
pub fn matches(src: &str) -> bool {
    let mut number = false;
    let mut id = false;
    for line in src.lines().take(2000) {
        number |= is_record_start(line);
        // `| ID:` with any kind of space (copies keep no-break spaces).
        id |= line.contains("ID:") && line.contains('|') && id_line(line).is_some();
        if number && id {
            return true;
        }
    }
    false
}

/// Lines that are page chrome in any interface language.
fn is_noise(text: &str) -> bool {
    let collapsed = collapse_ws(text);
    let t = collapsed.as_str();
    let lower = t.to_lowercase();
    const EXACT: &[&str] = &[
        "",
        "...",
        "…",
        "loading",
        "cargando",
        "carregando",
        "filter",
        "filters",
        "filtrar",
        "filtros",
        "filtres",
        "full text",
        "texto completo",
        "texte intégral",
        "export",
        "exportar",
        "print",
        "imprimir",
        "send",
        "enviar",
        "free full text",
        "similar",
        "similares",
        "similaires",
        "show more",
        "show less",
        "mostrar mais",
        "mostrar menos",
        "mostrar más",
        "ver más",
        "ver mais",
        "afficher plus",
        "afficher moins",
        "selection of citations",
        "selección de citas",
        "seleção de referências",
        "sélection de citations",
        "search detail",
        "detalle de la búsqueda",
        "detalhe da pesquisa",
        "détail de la recherche",
        "sélection de références",
    ];
    const PREFIXES: &[&str] = &[
        "your browser doesn",
        "su navegador no",
        "votre navigateur",
        "chargement",
        "seu navegador não",
        "show:",
        "mostrar:",
        "afficher:",
        "sort by",
        "ordenar por",
        "trier par",
    ];
    if EXACT.contains(&lower.as_str()) || PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    // Page navigation: `« ‹ 1 2 3 › »`.
    if t.contains(['«', '‹', '›', '»'])
        && t.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || "«‹›»…".contains(c))
    {
        return true;
    }
    // `Results 1 - 20 de 26`, `Resultados 1 - 20 de 26`, `Résultats 1 - 20 de 26`.
    let mut words = lower.split_whitespace();
    matches!(words.next(), Some("results" | "resultados" | "résultats" | "resultats"))
        && words.next().is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()))
}

/// Footer headings: after them, unknown lines are page chrome.
fn is_footer(text: &str) -> bool {
    let lower = collapse_ws(text).to_lowercase();
    [
        "selection of citations",
        "selección de citas",
        "seleção de referências",
        "sélection de citations",
        "sélection de références",
        "search detail",
    ]
    .iter()
    .any(|f| lower == *f)
        || lower.starts_with("detalle de la b")
        || lower.starts_with("detalhe da pesquisa")
        || lower.starts_with("détail de la recherche")
}

/// Section headings inside a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heading {
    Abstract,
    Subjects,
}

fn heading(text: &str) -> Option<Heading> {
    match text.trim().to_lowercase().as_str() {
        "abstract" | "resumo" | "resumen" | "résumé" | "resume" => Some(Heading::Abstract),
        "subject(s)" | "subjects" | "assunto(s)" | "asunto(s)" | "sujet(s)" | "assuntos"
        | "asuntos" => Some(Heading::Subjects),
        _ => None,
    }
}

/// ISO 639-1 code for a language name in English, Spanish, Portuguese or French.
fn language_code(name: &str) -> Option<&'static str> {
    let n = name.trim().trim_end_matches('.').to_lowercase();
    Some(match n.as_str() {
        "english" | "inglés" | "ingles" | "inglês" | "anglais" => "en",
        "spanish" | "español" | "espanol" | "espanhol" | "espagnol" => "es",
        "portuguese" | "portugués" | "portugues" | "português" | "portugais" => "pt",
        "french" | "francés" | "frances" | "francês" | "français" => "fr",
        "german" | "alemán" | "aleman" | "alemão" | "allemand" => "de",
        "italian" | "italiano" | "italien" => "it",
        "dutch" | "neerlandés" | "holandês" | "néerlandais" => "nl",
        "chinese" | "chino" | "chinês" | "chinois" => "zh",
        "japanese" | "japonés" | "japonês" | "japonais" => "ja",
        "russian" | "ruso" | "russo" | "russe" => "ru",
        "korean" | "coreano" | "coréen" => "ko",
        "polish" | "polaco" | "polonês" | "polonais" => "pl",
        "turkish" | "turco" | "turc" => "tr",
        "arabic" | "árabe" | "arabe" => "ar",
        _ => return None,
    })
}

/// Kind from the document type word of the id line (`Article`, `Tese`, `Monografía`…).
fn kind_from_type(word: &str) -> Option<Kind> {
    let w = word.trim().to_lowercase();
    let first = w.split_whitespace().next().unwrap_or("");
    Some(match first {
        "article" | "artículo" | "articulo" | "artigo" | "artículos" => Kind::ArticleJournal,
        "thesis" | "tesis" | "tese" | "thèse" | "dissertation" | "dissertação" => Kind::Thesis,
        "monograph" | "monography" | "monografía" | "monografia" | "monographie" | "book"
        | "libro" | "livro" => Kind::Book,
        "congress" | "congreso" | "congresso" | "conference" => Kind::PaperConference,
        "chapter" | "capítulo" | "capitulo" | "chapitre" => Kind::Chapter,
        "preprint" => Kind::Article,
        "report" | "informe" | "relatório" | "rapport" => Kind::Report,
        "video" | "vídeo" => Kind::MotionPicture,
        "website" | "sitio" | "site" => Kind::Webpage,
        _ => return None,
    })
}

/// Parses a BVS listing: one record per numbered item.
pub fn parse(src: &str) -> Parsed {
    let all = lines(src);
    let mut records = Vec::new();
    let mut diagnostics = Vec::new();
    let mut current: Option<Vec<Line<'_>>> = None;
    let mut footer = false;
    for line in &all {
        if is_record_start(line.text) {
            if let Some(body) = current.take() {
                records.push(read_record(&body, &mut diagnostics));
            }
            current = Some(Vec::new());
            footer = false;
            continue;
        }
        if is_footer(line.text) {
            footer = true;
        }
        if footer || is_noise(line.text) {
            continue;
        }
        match current.as_mut() {
            Some(body) => body.push(*line),
            None => {
                let msg = format!("line before the first record not placed: {}", excerpt(line));
                diagnostics.push(Diagnostic::warning(line.offset, msg));
            }
        }
    }
    if let Some(body) = current.take() {
        records.push(read_record(&body, &mut diagnostics));
    }
    Parsed { records, diagnostics }
}

/// The first 60 characters of a line, for messages.
fn excerpt(line: &Line<'_>) -> String {
    let text = line.trimmed();
    let t: String = text.chars().take(60).collect();
    if t.len() < text.len() { format!("{t}…") } else { t }
}

/// One record's lines (after its number) to a record.
fn read_record(body: &[Line<'_>], diagnostics: &mut Vec<Diagnostic>) -> Record {
    let mut rec = Record::new(Kind::ArticleJournal);
    // Lines before the first heading: title, authors, citation, id line, other labelled
    // lines; then the headings' sections.
    let first_heading = body.iter().position(|l| heading(l.text).is_some()).unwrap_or(body.len());
    let (head, sections) = body.split_at(first_heading);
    let id_at = head.iter().position(|l| id_line(l.text).is_some());
    let before_id: Vec<&Line<'_>> = head[..id_at.unwrap_or(head.len())].iter().collect();
    // The citation is the line just above the id line, or the last citation-shaped line.
    let citation_end = match id_at {
        Some(_) => before_id.len().checked_sub(1),
        None => before_id.iter().rposition(|l| looks_like_citation(l.trimmed())),
    };
    // A citation may wrap onto a second line (`Journal ; 7: CD011865,` / `2018 07 20.`).
    let citation = citation_end.and_then(|end| citation_lines(&before_id, end));
    if let Some((start, end, ref text)) = citation {
        read_citation(text, before_id[start], &mut rec, diagnostics);
        read_title_authors(&before_id[..start], &mut rec);
        if id_at.is_none() {
            for line in before_id.get(end + 1..).unwrap_or(&[]) {
                read_labelled_line(line, &mut rec, diagnostics);
            }
        }
    } else {
        read_title_authors(&before_id, &mut rec);
    }
    if let Some(i) = id_at {
        read_id_line(head[i].trimmed(), &mut rec);
        for line in &head[i + 1..] {
            read_labelled_line(line, &mut rec, diagnostics);
        }
    }

    let mut current: Option<(Heading, Vec<&Line<'_>>)> = None;
    let mut done: Vec<(Heading, Vec<&Line<'_>>)> = Vec::new();
    for line in sections {
        if let Some(h) = heading(line.text) {
            done.extend(current.take());
            current = Some((h, Vec::new()));
        } else if let Some((_, lines)) = current.as_mut() {
            lines.push(line);
        }
    }
    done.extend(current.take());
    // LILACS shows the abstract in each language it has: the first is the abstract, the
    // others (blank-line separated, like paragraphs) go to `extra["original-abstract"]`.
    let mut other_abstracts = Vec::new();
    for (h, lines) in done {
        match h {
            Heading::Abstract => {
                let texts: Vec<String> = lines
                    .iter()
                    .map(|l| collapse_ws(l.trimmed()))
                    .filter(|t| !t.is_empty())
                    .collect();
                let text = texts.join("\n\n");
                if text.is_empty() {
                } else if rec.abstract_text.is_none() {
                    rec.abstract_text = Some(text);
                } else {
                    other_abstracts.push(text);
                }
            }
            Heading::Subjects => read_subjects(&lines, &mut rec, diagnostics),
        }
    }
    rec.push_extra("original-abstract", &other_abstracts.join("\n\n"));
    rec
}

/// The `Subject(s)` section: terms separated by ` , ` on one line (a wrapped list goes on
/// with lines of the same shape, or after a line ending in a comma), or one term a line.
/// A line of another shape after the list is reported, not taken for a term.
fn read_subjects(lines: &[&Line<'_>], rec: &mut Record, diagnostics: &mut Vec<Diagnostic>) {
    // `Some(true)`: a ` , ` list; `Some(false)`: one term a line.
    let mut listed: Option<bool> = None;
    let mut open = false;
    for line in lines {
        // No-break spaces around the commas separate terms as well.
        let text = collapse_ws(line.trimmed());
        let text = text.as_str();
        if text.is_empty() {
            continue;
        }
        let list = text.contains(" , ");
        let fits = match listed {
            None => true,
            Some(true) => list || open || text.starts_with(','),
            Some(false) => !list && text.chars().count() <= 100 && !text.ends_with('.'),
        };
        if !fits {
            let msg = format!("line after the subjects not placed: {}", excerpt(line));
            diagnostics.push(Diagnostic::warning(line.offset, msg));
            continue;
        }
        listed.get_or_insert(list);
        open = text.ends_with(',');
        for term in text.split(" , ") {
            let term = collapse_ws(term.trim_matches([',', ' ']));
            if !term.is_empty() && !rec.keyword.contains(&term) {
                rec.keyword.push(term);
            }
        }
    }
}

/// The citation ending at `before_id[end]`: that line, or, when it does not read as a
/// citation by itself, that line joined to the one before it when the break fell inside
/// the citation (the line before ends in `;`, `,` or `:`, or holds the ` ; ` after the
/// journal). Returns the first and last line index and the text.
fn citation_lines(before_id: &[&Line<'_>], end: usize) -> Option<(usize, usize, String)> {
    let last = before_id.get(end)?.trimmed();
    if looks_like_citation(last) {
        return Some((end, end, last.to_owned()));
    }
    let start = end.checked_sub(1)?;
    let first = before_id.get(start)?.trimmed();
    let broken = first.ends_with([';', ',', ':']) || first.contains(" ; ");
    let joined = format!("{first} {last}");
    (broken && !looks_like_author_list(last) && looks_like_citation(&joined))
        .then_some((start, end, joined))
}

/// Lines after the id line and before the abstract: `Responsible library: BR1.1`,
/// `DOI: 10.…`; anything else is reported.
fn read_labelled_line(line: &Line<'_>, rec: &mut Record, diagnostics: &mut Vec<Diagnostic>) {
    let text = line.trimmed();
    let lower = collapse_ws(text).to_lowercase();
    let value = text.split_once(':').map(|(_, v)| v.trim()).unwrap_or("");
    if lower.starts_with("responsible library")
        || lower.starts_with("biblioteca respons")
        || lower.starts_with("bibliothèque responsable")
    {
        rec.push_extra("responsible-library", value);
    } else if lower.starts_with("doi") && clean_doi(value).is_some() {
        rec.doi = clean_doi(value);
    } else if lower.starts_with("affiliation") || lower.starts_with("afiliaç") {
        rec.push_extra("affiliation", value);
    } else if ["collection", "colección", "coleção"].iter().any(|p| lower.starts_with(p)) {
        rec.push_extra("collection", value);
    } else {
        let msg = format!("line not placed: {}", excerpt(line));
        diagnostics.push(Diagnostic::warning(line.offset, msg));
    }
}

/// True for a line shaped like a citation: `Journal ; 45(1): …, 2023.` or
/// `São Paulo; s.n; 2021. 156 p.`: a `;` and a number after it.
fn looks_like_citation(text: &str) -> bool {
    text.split_once(';').is_some_and(|(_, rest)| rest.contains(|c: char| c.is_ascii_digit()))
        || in_book(text).is_some()
}

/// A LILACS chapter's source, `In. Editor. Book. Place, Publisher, 2018. p.45-60.`: the
/// text after `In.` / `In:`, when it has a year.
fn in_book(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("In.").or_else(|| text.strip_prefix("In:"))?.trim();
    year_at(rest).map(|_| rest)
}

/// Reads a chapter's source: the pages (`p.45-60`) and the year; the rest (editors, book,
/// place and publisher run together, not reliably told apart) is kept in `extra["source"]`.
fn read_in_book(text: &str, rec: &mut Record) {
    rec.kind = Kind::Chapter;
    let mut source = text.trim_end_matches('.').trim();
    if let Some((before, pages)) = source.rsplit_once("p.")
        && pages.trim().starts_with(|c: char| c.is_ascii_alphanumeric())
        && pages.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        rec.page = Some(expand_medline_pages(pages.trim()));
        source = before.trim_end_matches([' ', '.', ',']);
    }
    if let Some(end) = source.rfind(|c: char| c.is_ascii_digit()).map(|i| i + 1)
        && let Some(start) = end.checked_sub(4)
        && let Some(year) = source.get(start..end)
        && year_at(year) == Some(4)
    {
        rec.issued = Date::parse(year);
    }
    rec.push_extra("source", source);
}

/// Title line(s) then an author line; either may be missing.
fn read_title_authors(lines: &[&Line<'_>], rec: &mut Record) {
    let texts: Vec<String> =
        lines.iter().map(|l| collapse_ws(l.trimmed())).filter(|t| !t.is_empty()).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    // The page shows the title on one line and the authors on the next; a lone line is
    // the author line only when it reads as one (`Family, Given; Family, Given.`).
    // A last line that starts in lower case continues a title that wrapped.
    let continues = |t: &str| t.chars().next().is_some_and(char::is_lowercase);
    let (title_lines, author_line) = match texts.split_last() {
        Some((last, _)) if looks_like_author_list(last) => (&texts[..texts.len() - 1], Some(*last)),
        Some((last, rest)) if !rest.is_empty() && !continues(last) => (rest, Some(*last)),
        _ => (texts.as_slice(), None),
    };
    if !title_lines.is_empty() {
        let title = collapse_ws(&title_lines.join(" "));
        // MEDLINE titles end with a period that is not part of the title.
        let title = match title.strip_suffix('.') {
            Some(t) if !t.ends_with('.') => t.to_owned(),
            _ => title,
        };
        Record::set(&mut rec.title, &title);
    }
    if let Some(line) = author_line {
        for name in strip_list_period(line).split(';') {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            if matches!(name.to_lowercase().as_str(), "et al" | "et al.") {
                // CSL has no way to say the list is cut short; keep the fact.
                rec.push_extra("author-list", "et al.");
                continue;
            }
            // BVS inverts personal names; a name without a comma is an organisation.
            let person =
                if name.contains(',') { Person::parse(name) } else { Person::literal(name) };
            rec.author.push(person);
        }
    }
}

/// The author line without the period that ends it. When the last name ends in an
/// initial (`Park, J.`) and the other names write their initials with periods
/// (`Kim, S. H`), that period is the initial's and stays.
fn strip_list_period(line: &str) -> &str {
    let Some(bare) = line.strip_suffix('.') else { return line };
    let dotted_initial = |name: &str| {
        name.split([' ', ',']).any(|w| {
            let mut c = w.chars();
            matches!((c.next(), c.next(), c.next()), (Some(l), Some('.'), None) if l.is_uppercase())
        })
    };
    let (others, last) = bare.rsplit_once(';').unwrap_or(("", bare));
    let last_is_initial = last
        .rsplit([' ', ','])
        .next()
        .is_some_and(|w| w.chars().count() == 1 && w.chars().all(char::is_uppercase));
    if last_is_initial && (dotted_initial(others) || dotted_initial(last)) { line } else { bare }
}

/// `Family, Given; Family, Given.`: every `;`-separated piece is a short inverted name.
fn looks_like_author_list(text: &str) -> bool {
    let text = text.trim().trim_end_matches('.');
    let pieces: Vec<&str> = text.split(';').map(str::trim).filter(|p| !p.is_empty()).collect();
    !pieces.is_empty()
        && pieces.iter().all(|p| {
            if matches!(p.to_lowercase().as_str(), "et al" | "et al.") {
                return true;
            }
            let Some((family, given)) = p.split_once(',') else { return false };
            let (family, given) = (family.trim(), given.trim());
            let capital = |s: &str| s.chars().next().is_some_and(char::is_uppercase);
            !given.contains(',')
                && (1..=4).contains(&family.split_whitespace().count())
                && (1..=5).contains(&given.split_whitespace().count())
                && capital(given)
                && family.split_whitespace().last().is_some_and(capital)
        })
}

/// `Article in English | MEDLINE | ID: mdl-38127564`.
fn read_id_line(text: &str, rec: &mut Record) {
    let Some(parts) = id_line(text) else { return };
    let mut databases = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        if let Some(id) = part.strip_prefix("ID:") {
            let id = id.trim();
            match id.strip_prefix("mdl-").and_then(clean_pmid) {
                Some(pmid) => rec.pmid = Some(pmid),
                None => Record::set(&mut rec.archive_location, id),
            }
        } else if i == 0 && read_type_and_language(part, rec) {
        } else if let Some(kind) = kind_from_type(part).filter(|_| i == 0) {
            // `Informe | WHOLIS | ID: …`: a type without a language.
            rec.kind = kind;
        } else if !part.is_empty() && !is_noise(part) {
            databases.push(collapse_ws(part));
        }
    }
    rec.push_extra("database", &databases.join(", "));
}

/// `Article in English`, `Artigo em Português, Inglês`, `Tese em Português`: the type and
/// the languages. Returns false when the text has no `in`/`en`/`em` connector.
fn read_type_and_language(text: &str, rec: &mut Record) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let Some(at) = words.iter().position(|w| matches!(*w, "in" | "en" | "em" | "dans")) else {
        return false;
    };
    let type_name = words[..at].join(" ");
    let languages = words[at + 1..].join(" ");
    match kind_from_type(&type_name) {
        Some(kind) => rec.kind = kind,
        None => {
            rec.kind = Kind::Document;
            rec.push_extra("type", &type_name);
        }
    }
    let names: Vec<&str> =
        languages.split([',', '/']).map(str::trim).filter(|l| !l.is_empty()).collect();
    let codes: Vec<String> = names
        .iter()
        .map(|n| language_code(n).map_or_else(|| collapse_ws(n), str::to_owned))
        .collect();
    if let Some(first) = codes.first() {
        rec.language = Some(first.clone());
    }
    if codes.len() > 1 {
        rec.push_extra("languages", &codes.join(", "));
    }
    true
}

/// The citation line: a journal (`Abbrev ; 45(Suppl 1): i54-i62, 2023 12 21.`) or a
/// monograph or thesis (`São Paulo; s.n; 2021. 156 p.`).
fn read_citation(text: &str, line: &Line<'_>, rec: &mut Record, diagnostics: &mut Vec<Diagnostic>) {
    let text = collapse_ws(text);
    if let Some((journal, rest)) = text.split_once(" ; ") {
        Record::set(&mut rec.container_title_short, journal);
        let parts = journal_parts(rest);
        rec.volume = parts.volume;
        rec.issue = parts.issue;
        rec.page = parts.pages.map(|p| single_page(&expand_medline_pages(&p)));
        rec.issued = parts.date.as_deref().and_then(Date::parse);
        if let Some(rest) = parts.rest {
            rec.push_extra("description", &rest);
        }
    } else if let Some(source) = in_book(&text) {
        read_in_book(source, rec);
    } else if text.contains(';') {
        read_monograph(&text, rec);
    } else {
        let msg = format!("citation line not understood: {}", excerpt(line));
        diagnostics.push(Diagnostic::warning(line.offset, msg));
        rec.push_extra("source", &text);
    }
}

/// IBECS prints an article number as a range from itself to itself (`102254-102254`):
/// that is one page.
fn single_page(pages: &str) -> String {
    match pages.split_once('-') {
        Some((first, last)) if !first.is_empty() && first == last => first.to_owned(),
        _ => pages.to_owned(),
    }
}

/// What a journal citation holds after `Journal ; `.
#[derive(Debug, Default, PartialEq, Eq)]
struct JournalParts {
    volume: Option<String>,
    issue: Option<String>,
    pages: Option<String>,
    date: Option<String>,
    /// Text after the date (`tab, graf`).
    rest: Option<String>,
}

fn non_empty(s: &str) -> Option<String> {
    let s = collapse_ws(s);
    (!s.is_empty()).then_some(s)
}

/// `45(Suppl 1): i54-i62, 2023 12 21.`, `70(suppl 1)2020 Jun.`, `250: 112888, 2020 Feb 24.`,
/// `29(1): 75-91, 2015.`, `17(44): 2980, jan.-dez. 2022. ilus, tab`.
fn journal_parts(s: &str) -> JournalParts {
    let mut parts = JournalParts::default();
    let vol_end = s.find(['(', ':', ',']).unwrap_or(s.len());
    let mut rest = s;
    // A volume is a short token; a date directly after `;` is not one.
    let volume = s.get(..vol_end).unwrap_or("").trim();
    if !volume.is_empty() && year_at(volume).is_none() {
        parts.volume = non_empty(volume);
        rest = s.get(vol_end..).unwrap_or("");
    }
    let trimmed = rest.trim_start();
    if let Some(r) = trimmed.strip_prefix('(') {
        let close = r.find(')').unwrap_or(r.len());
        parts.issue = non_empty(r.get(..close).unwrap_or(""));
        rest = r.get(close + 1..).unwrap_or("");
    }
    let trimmed = rest.trim_start();
    if let Some(r) = trimmed.strip_prefix(':') {
        // Pages run to the comma before the date.
        let (pages, after) = r.split_once(',').unwrap_or((r, ""));
        if year_at(pages).is_some() && after.is_empty() {
            rest = pages;
        } else {
            parts.pages = non_empty(pages.trim().trim_end_matches('.'));
            rest = after;
        }
    }
    let rest = rest.trim_start_matches([',', ' ']);
    match year_at(rest) {
        Some(year_end) => {
            // The date runs from here to the period after the year.
            let dot = rest.get(year_end..).and_then(|r| r.find('.')).map(|i| year_end + i);
            let end = dot.unwrap_or(rest.len());
            parts.date = non_empty(rest.get(..end).unwrap_or(rest));
            let after = rest.get(end..).unwrap_or("").trim_start_matches(['.', ' ']);
            parts.rest = non_empty(after.trim_end_matches('.'));
        }
        None => parts.rest = non_empty(rest.trim_end_matches('.')),
    }
    parts
}

/// The byte offset just after the first four-digit year (1000–2999) in `s`.
fn year_at(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 && matches!(bytes[start], b'1' | b'2') {
                return Some(i);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// `São Paulo; s.n; 2021. 156 p. ilus, tab.`: place, publisher (`s.n` = none named),
/// date, number of pages, then a series in parentheses or a physical description.
fn read_monograph(text: &str, rec: &mut Record) {
    let parts: Vec<&str> = text.split(';').map(str::trim).collect();
    let Some((last, names)) = parts.split_last() else { return };
    let unnamed = |s: &str| {
        matches!(s.trim_end_matches('.').to_lowercase().as_str(), "s.n" | "s.l" | "s.n." | "s.l.")
    };
    match names {
        [place, publisher, ..] => {
            if !unnamed(place) {
                Record::set(&mut rec.publisher_place, place);
            }
            if !unnamed(publisher) {
                Record::set(&mut rec.publisher, publisher);
            }
        }
        [place] if !unnamed(place) => Record::set(&mut rec.publisher_place, place),
        _ => {}
    }
    let mut rest = *last;
    if let Some(year_end) = year_at(rest) {
        let date = rest.get(..year_end).unwrap_or("");
        rec.issued = Date::parse(date);
        rest = rest.get(year_end..).unwrap_or("").trim_start_matches(['.', ' ']);
    }
    // `156 p.`
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && let Some(after) = rest.get(digits..).and_then(|r| r.trim_start().strip_prefix("p."))
    {
        rec.number_of_pages = rest.get(..digits).map(str::to_owned);
        rest = after.trim_start();
    } else if digits > 0
        && let Some(after) = rest.get(digits..).and_then(|r| r.trim_start().strip_prefix("v."))
    {
        // `2 v.`: a work in two volumes.
        rec.number_of_volumes = rest.get(..digits).map(str::to_owned);
        rest = after.trim_start();
    }
    // `(Série A. Normas e Manuais Técnicos)`.
    if let Some(inner) = rest.strip_prefix('(')
        && let Some((series, after)) = inner.split_once(')')
    {
        Record::set(&mut rec.collection_title, series);
        rest = after.trim_start_matches(['.', ' ']);
    }
    let rest = rest.trim_end_matches('.');
    if !rest.is_empty() {
        rec.push_extra("description", rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (citation text after `Journal ; `, volume, issue, pages as printed, date, rest)
    type Opt = Option<&'static str>;
    type Case = (&'static str, Opt, Opt, Opt, Opt, Opt);

    const CITATIONS: &[Case] = &[
        (
            "45(Suppl 1): i54-i62, 2023 12 21.",
            Some("45"),
            Some("Suppl 1"),
            Some("i54-i62"),
            Some("2023 12 21"),
            None,
        ),
        ("70(suppl 1)2020 Jun.", Some("70"), Some("suppl 1"), None, Some("2020 Jun"), None),
        (
            "12(4): e059026, 2022 04 12.",
            Some("12"),
            Some("4"),
            Some("e059026"),
            Some("2022 04 12"),
            None,
        ),
        ("250: 112888, 2020 Feb 24.", Some("250"), None, Some("112888"), Some("2020 Feb 24"), None),
        ("29(1): 75-91, 2015.", Some("29"), Some("1"), Some("75-91"), Some("2015"), None),
        ("21(2): 126-33, 2016 Apr.", Some("21"), Some("2"), Some("126-33"), Some("2016 Apr"), None),
        (
            "17(44): 2980, jan.-dez. 2022. ilus, tab",
            Some("17"),
            Some("44"),
            Some("2980"),
            Some("jan.-dez. 2022"),
            Some("ilus, tab"),
        ),
        ("56: 12, 2022.", Some("56"), None, Some("12"), Some("2022"), None),
        ("2021.", None, None, None, Some("2021"), None),
        (
            "(3): 45-50, out.-dez. 2022.",
            None,
            Some("3"),
            Some("45-50"),
            Some("out.-dez. 2022"),
            None,
        ),
    ];

    #[test]
    fn citation_shapes() {
        for &(text, volume, issue, pages, date, rest) in CITATIONS {
            let p = journal_parts(text);
            assert_eq!(p.volume.as_deref(), volume, "{text}");
            assert_eq!(p.issue.as_deref(), issue, "{text}");
            assert_eq!(p.pages.as_deref(), pages, "{text}");
            assert_eq!(p.date.as_deref(), date, "{text}");
            assert_eq!(p.rest.as_deref(), rest, "{text}");
        }
    }

    #[test]
    fn wrapped_citations_and_chrome() {
        let page = "1.\nTitle.\nKredo, Tamara; Pienaar, Elizabeth D.\nCochrane Database Syst Rev ; (7): CD007331,\n2014 Jul 01.\nArticle in English | MEDLINE | ID: mdl-24980859\n\nSubject(s)\nHumans , Adult\nSimilaires\n« ‹ 1 2 › »\n";
        let parsed = parse(page);
        let rec = &parsed.records[0];
        assert_eq!(rec.container_title_short.as_deref(), Some("Cochrane Database Syst Rev"));
        assert_eq!(rec.page.as_deref(), Some("CD007331"));
        assert_eq!(rec.author.len(), 2);
        assert_eq!(rec.keyword, ["Humans", "Adult"]);
        // One term a line.
        let page = "1.\nBMJ ; 1: 2, 2020.\nArticle in English | MEDLINE | ID: mdl-1\nSubject(s)\nHumans\nPrimary Health Care/organization & administration\n";
        assert_eq!(
            parse(page).records[0].keyword,
            ["Humans", "Primary Health Care/organization & administration"]
        );
        // An author line is never taken for the first half of a citation.
        let page =
            "1.\nTitle.\nRoe, Ann; Doe, Jo.\n2014.\nArticle in English | MEDLINE | ID: mdl-1\n";
        let rec = &parse(page).records[0];
        assert_eq!(rec.author.len(), 2);
        assert_eq!(strip_list_period("Kim, S. H; Park, J."), "Kim, S. H; Park, J.");
        assert_eq!(
            strip_list_period("Drennan, Vari M; Grant, Robert L."),
            "Drennan, Vari M; Grant, Robert L"
        );
        assert_eq!(
            strip_list_period("Ham, Chris; Zollinger-Read, Paul."),
            "Ham, Chris; Zollinger-Read, Paul"
        );
        // A title that wrapped is one title; an organisation under a title is its author.
        let page = "1.\nWorkforce planning in the Americas: a\nreview of national policies.\nRev Panam Salud Publica ; 46: e1, 2022.\nArticle in English | LILACS | ID: biblio-1\n2.\nGlobal report\nWorld Health Organization.\nGeneva; WHO; 2020. 10 p.\nMonography in English | WHO IRIS | ID: who-1\n";
        let parsed = parse(page);
        let titles: Vec<_> = parsed.records.iter().map(|r| r.title.as_deref()).collect();
        assert_eq!(
            titles,
            [
                Some("Workforce planning in the Americas: a review of national policies"),
                Some("Global report")
            ]
        );
        assert!(parsed.records[0].author.is_empty());
        assert_eq!(parsed.records[1].author, [Person::literal("World Health Organization")]);
        assert_eq!(single_page("102254-102254"), "102254");
        let mut rec = Record::default();
        read_in_book("Silva, A. Saúde coletiva. São Paulo, Hucitec, 2006. p.531-62.", &mut rec);
        assert_eq!(
            (rec.kind, rec.page.as_deref(), rec.year()),
            (Kind::Chapter, Some("531-562"), Some(2006))
        );
        assert_eq!(in_book("In: sem ano"), None);
        assert_eq!(single_page("e12-e13"), "e12-e13");
        assert!(is_noise("Mostrar mais") && is_noise("« ‹ 1 2 3 › »") && !is_noise("12"));
    }

    #[test]
    fn monograph_shapes() {
        let mut rec = Record::default();
        read_monograph("São Paulo; s.n; 2021. 156 p. ilus, tab.", &mut rec);
        assert_eq!(rec.publisher_place.as_deref(), Some("São Paulo"));
        assert_eq!(rec.publisher, None);
        assert_eq!(rec.year(), Some(2021));
        assert_eq!(rec.number_of_pages.as_deref(), Some("156"));
        assert_eq!(rec.extra.get("description").map(String::as_str), Some("ilus, tab"));

        let mut rec = Record::default();
        read_monograph("Brasília; Ministério da Saúde; 2020. 80 p. (Série A. Normas).", &mut rec);
        assert_eq!(rec.publisher.as_deref(), Some("Ministério da Saúde"));
        assert_eq!(rec.collection_title.as_deref(), Some("Série A. Normas"));
    }

    #[test]
    fn id_lines() {
        let mut rec = Record::default();
        read_id_line("Article in English | MEDLINE | ID: mdl-38127564", &mut rec);
        assert_eq!((rec.kind, rec.language.as_deref()), (Kind::ArticleJournal, Some("en")));
        assert_eq!(rec.pmid.as_deref(), Some("38127564"));
        assert_eq!(rec.extra.get("database").map(String::as_str), Some("MEDLINE"));

        let mut rec = Record::default();
        read_id_line("Tese em Português | LILACS, BDENF | ID: biblio-1380000", &mut rec);
        assert_eq!((rec.kind, rec.language.as_deref()), (Kind::Thesis, Some("pt")));
        assert_eq!(rec.archive_location.as_deref(), Some("biblio-1380000"));

        let mut rec = Record::default();
        read_id_line("Artículo en Español, Inglés | LILACS | ID: biblio-1", &mut rec);
        assert_eq!(rec.language.as_deref(), Some("es"));
        assert_eq!(rec.extra.get("languages").map(String::as_str), Some("es, en"));
    }

    #[test]
    fn author_lists() {
        assert!(looks_like_author_list("Checkland, Kath; Hammond, Jonathan."));
        assert!(looks_like_author_list("Silva, Maria da Conceição."));
        assert!(looks_like_author_list("van der Berg, Jan; Smith, J; et al."));
        assert!(!looks_like_author_list("Primary care, the NHS and skill mix."));
        assert!(!looks_like_author_list("Patient experiences of skill mix changes."));
    }

    #[test]
    fn detection() {
        assert!(matches(
            "1.\nBMJ Open ; 6(1): e1, 2016.\nArticle in English | MEDLINE | ID: mdl-1\n"
        ));
        assert!(!matches("TY  - JOUR\nER  - \n"));
        assert!(!matches("Title\n作者\nA, B [1 ]\n机构\n[1] X\n"));
        assert!(!matches("1.\nsome text | more text\n"));
    }

    #[test]
    fn record_numbers() {
        assert!(is_record_start("7."));
        assert!(is_record_start(" 12. "));
        assert!(!is_record_start("7"));
        assert!(!is_record_start("7. Title"));
    }
}

#[cfg(test)]
mod seed_tests {
    /// Every prefix of the seed (cut at character boundaries) parses without panicking.
    #[test]
    fn truncated_seed_never_panics() {
        let seed = include_str!("../../seeds/001_324412edea90c2cb.txt");
        for (i, _) in seed.char_indices().step_by(29) {
            let _ = super::parse(&seed[..i]);
        }
    }

    #[test]
    fn seed_listing_places_every_line() {
        let parsed = super::parse(include_str!("../../seeds/001_324412edea90c2cb.txt"));
        assert_eq!(parsed.diagnostics, vec![]);
        assert_eq!(parsed.records.len(), 18);
    }
}
