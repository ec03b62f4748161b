//! Sniffing: which [`InputFormat`] is this text? Decided by content, never by file name.

use crate::{InputFormat, web};

/// The formats detection tries, for error messages.
pub(crate) const TRIED: &str =
    "CSL-JSON, RIS, MEDLINE/nbib, BibTeX, or a CNKI, BVS, EPrints or Emerald page";

/// How many lines detection looks at for the line formats.
const SNIFF_LINES: usize = 200;

/// How many bytes of a text the page-layout matchers look at first: their markers are near
/// the top of a copied page, and a 200 MB BibTeX file should not be scanned for them.
const PAGE_SNIFF_BYTES: usize = 64 * 1024;

/// The format `src` is written in, or `None` when nothing fits.
///
/// Interchange formats are recognised by their syntax: a JSON array or object for CSL-JSON,
/// a `TY  - ` tag line for RIS, a `PMID- ` line for MEDLINE, an `@type{` entry for BibTeX.
/// Copied pages are recognised by their labels ([`web::detect`]).
pub fn detect(src: &str) -> Option<InputFormat> {
    let text = src.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('[') || text.starts_with('{') {
        return Some(InputFormat::CslJson);
    }
    let lines = || text.lines().take(SNIFF_LINES).map(|l| l.trim_start_matches('\u{feff}'));
    if lines().any(is_ris_type_line) {
        return Some(InputFormat::Ris);
    }
    if lines().any(|l| l.starts_with("PMID-") || l.starts_with("PMID -"))
        || lines().filter(|l| is_medline_only_tag_line(l)).nth(1).is_some()
    {
        return Some(InputFormat::Nbib);
    }
    let head = page_head(src);
    if let Some(layout) = web::detect(head) {
        return Some(layout);
    }
    if text.lines().any(is_bibtex_entry_start) {
        return Some(InputFormat::Bibtex);
    }
    // No BibTeX either: a long page may carry its markers further down.
    if head.len() < src.len() {
        return web::detect(src);
    }
    None
}

/// The first [`PAGE_SNIFF_BYTES`] of `src`, cut after the last whole line in them (or at a
/// character boundary when there is no line break); all of `src` when it is shorter.
fn page_head(src: &str) -> &str {
    if src.len() <= PAGE_SNIFF_BYTES {
        return src;
    }
    let mut end = PAGE_SNIFF_BYTES;
    while !src.is_char_boundary(end) {
        end -= 1;
    }
    let head = src.get(..end).unwrap_or(src);
    match head.rfind('\n') {
        Some(nl) => head.get(..=nl).unwrap_or(head),
        None => head,
    }
}

/// `TY  - JOUR`, tolerating one or two spaces before the dash.
fn is_ris_type_line(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("TY") else { return false };
    let rest = rest.trim_start_matches(' ');
    rest.len() + 1 < line.len() - 1 && rest.starts_with('-')
}

/// A line with a tag only MEDLINE uses, in MEDLINE's four-column layout (`FAU - `,
/// `DP  - `, `PMC - `): a record copied without its `PMID-` line still has these.
fn is_medline_only_tag_line(line: &str) -> bool {
    const TAGS: &[&str] = &[
        "PMC ", "PMCR", "FAU ", "OWN ", "STAT", "DCOM", "LR  ", "BTI ", "FED ", "PHST", "JT  ",
        "TA  ", "DP  ", "LID ", "AID ", "MH  ", "PT  ", "PG  ", "IP  ", "VI  ", "EDAT", "MHDA",
        "CRDT", "AUID", "GR  ", "PL  ", "SB  ",
    ];
    line.get(..4).is_some_and(|tag| TAGS.contains(&tag)) && line.get(4..5) == Some("-")
}

/// `@article{`, `@Book (`, `@string{`: an entry type then an opening delimiter.
fn is_bibtex_entry_start(line: &str) -> bool {
    let Some(rest) = line.trim_start().strip_prefix('@') else { return false };
    let name_len = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
    name_len > 0 && rest[name_len..].trim_start().starts_with(['{', '('])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interchange_formats() {
        assert_eq!(detect("[{\"id\": \"a\"}]"), Some(InputFormat::CslJson));
        assert_eq!(detect("\u{feff}TY  - JOUR\nER  - \n"), Some(InputFormat::Ris));
        assert_eq!(detect("\n\nTY - BOOK\n"), Some(InputFormat::Ris));
        assert_eq!(detect("PMID- 123\nTI  - x\n"), Some(InputFormat::Nbib));
        assert_eq!(detect("PMC - 1\nTI  - x\nFAU - Doe, J\n"), Some(InputFormat::Nbib));
        assert_eq!(detect("% comment\n@Article{key,\n title={x}}"), Some(InputFormat::Bibtex));
        assert_eq!(detect("just some words\nmail me @ home"), None);
        assert_eq!(detect(""), None);
    }

    #[test]
    fn page_head_is_bounded_and_whole_lines() {
        let long = "é".repeat(PAGE_SNIFF_BYTES);
        assert!(page_head(&long).len() <= PAGE_SNIFF_BYTES);
        let lines = "a line\n".repeat(PAGE_SNIFF_BYTES / 4);
        let head = page_head(&lines);
        assert!(head.len() <= PAGE_SNIFF_BYTES && head.ends_with('\n'));
        assert_eq!(page_head("short"), "short");
    }

    #[test]
    fn large_bibtex_is_bibtex() {
        let mut text = String::from("@string{j = {J}}\n");
        while text.len() < 2 * PAGE_SNIFF_BYTES {
            text.push_str("@article{k, title = {Abstract: Keywords: DOI: x}, journal = j}\n");
        }
        assert_eq!(detect(&text), Some(InputFormat::Bibtex));
    }
}
