//! Page ranges: one hyphen inside the model, MEDLINE abbreviations expanded.

use super::text::collapse_ws;

/// Normalises a page range as printed (`49 / 56`, `4 - 11`, `49–56`, `49--56`, `pp. 1-20`)
/// to `first-last`; anything else (an article number, `e611-e619`) is kept as printed.
pub fn normalize_pages(s: &str) -> String {
    let s = collapse_ws(s);
    let s = s.trim_end_matches(['.', ',', ';']);
    let s = s
        .strip_prefix("pp.")
        .or_else(|| s.strip_prefix("p."))
        .or_else(|| s.strip_prefix("pp "))
        .unwrap_or(s)
        .trim();
    match split_on_dash(s) {
        Some((a, b)) if !a.is_empty() && !b.is_empty() => format!("{a}-{b}"),
        _ => s.to_owned(),
    }
}

/// Splits at the first range separator: `-`, `--`, `–`, `—`, `/` (CNKI's `49 / 56`), with
/// optional spaces around it.
fn split_on_dash(s: &str) -> Option<(&str, &str)> {
    let i = s.find(['-', '–', '—', '/', '‐', '‑'])?;
    let (a, rest) = s.split_at(i);
    // Separators and spaces between them (`0/ /-5`) all go: the writers' `first-last`
    // must read back the same.
    let b = rest.trim_start_matches(['-', '–', '—', '/', '‐', '‑', ' ']);
    let (a, b) = (a.trim(), b.trim());
    // Both sides must be page-like tokens (no spaces inside).
    (!a.contains(' ') && !b.contains(' ')).then_some((a, b))
}

/// Splits a normalised range into first and last page (`126-133` → `126`, `133`).
pub fn split_pages(s: &str) -> (&str, Option<&str>) {
    match s.split_once('-') {
        Some((a, b)) if !a.is_empty() && !b.is_empty() => (a, Some(b)),
        _ => (s, None),
    }
}

/// Expands a MEDLINE abbreviated range: `126-33` → `126-133`, `e728-34` → `e728-e734`,
/// `1199-201` → `1199-1201`; full ranges (`i54-i62`), single pages and article numbers are
/// returned unchanged. Several ranges separated by `,` or `;` are expanded each.
pub fn expand_medline_pages(s: &str) -> String {
    let s = normalize_pages(s);
    if s.contains([',', ';']) {
        return s.split([',', ';']).map(|p| expand_one(p.trim())).collect::<Vec<_>>().join(", ");
    }
    expand_one(&s)
}

fn expand_one(s: &str) -> String {
    let Some((first, last)) = s.split_once('-') else { return s.to_owned() };
    let split = |p: &str| {
        let digits_at = p.find(|c: char| c.is_ascii_digit()).unwrap_or(p.len());
        let (prefix, digits) = p.split_at(digits_at);
        (prefix.to_owned(), digits.to_owned())
    };
    let (fp, fd) = split(first);
    let (lp, ld) = split(last);
    let numeric = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if !numeric(&fd) || !numeric(&ld) || (!lp.is_empty() && lp != fp) {
        return s.to_owned();
    }
    if ld.len() < fd.len() {
        let keep = fd.len() - ld.len();
        let expanded = format!("{}{}", &fd[..keep], ld);
        // Only a true abbreviation ends after the start page.
        if expanded.parse::<u64>().ok() > fd.parse::<u64>().ok() {
            return format!("{fp}{fd}-{fp}{expanded}");
        }
        return s.to_owned();
    }
    format!("{fp}{fd}-{fp}{ld}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the RIS write-read-write property: `SP  - 0/ /` + `EP  - ®` became
    /// `0-/-®`, which read back as `0-®`.
    #[test]
    fn separators_with_spaces_between_are_one_separator() {
        assert_eq!(normalize_pages("0/ /-®"), "0-®");
        assert_eq!(normalize_pages(&normalize_pages("0/ /-®")), "0-®");
        assert_eq!(normalize_pages("49 / 56"), "49-56");
        assert_eq!(normalize_pages("12 - - 15"), "12-15");
    }

    #[test]
    fn normalises_printed_ranges() {
        assert_eq!(normalize_pages("49 / 56"), "49-56");
        assert_eq!(normalize_pages("4 - 11"), "4-11");
        assert_eq!(normalize_pages("188–203"), "188-203");
        assert_eq!(normalize_pages("188--203"), "188-203");
        assert_eq!(normalize_pages("pp. 1-20"), "1-20");
        assert_eq!(normalize_pages("e059026"), "e059026");
        assert_eq!(normalize_pages("e611-e619"), "e611-e619");
    }

    #[test]
    fn expands_medline_abbreviations() {
        assert_eq!(expand_medline_pages("126-33"), "126-133");
        assert_eq!(expand_medline_pages("e728-34"), "e728-e734");
        assert_eq!(expand_medline_pages("i54-i62"), "i54-i62");
        assert_eq!(expand_medline_pages("1199-201"), "1199-1201");
        assert_eq!(expand_medline_pages("75-91"), "75-91");
        assert_eq!(expand_medline_pages("112888"), "112888");
        assert_eq!(expand_medline_pages("e059026"), "e059026");
        assert_eq!(expand_medline_pages("123-4, 130-2"), "123-124, 130-132");
        assert_eq!(expand_medline_pages("S1-S2"), "S1-S2");
    }

    #[test]
    fn splits() {
        assert_eq!(split_pages("126-133"), ("126", Some("133")));
        assert_eq!(split_pages("e059026"), ("e059026", None));
    }
}
