//! Identifier clean-up: DOI, ISSN, ISBN, PMID, PMCID.

/// A DOI without resolver prefix or label (`https://doi.org/`, `doi:`), trailing sentence
/// punctuation removed; `None` when the text holds no `10.` DOI.
pub fn clean_doi(s: &str) -> Option<String> {
    let s = s.trim();
    let start = s.find("10.")?;
    let doi = &s[start..];
    let mut doi = doi.split(char::is_whitespace).next().unwrap_or(doi);
    // Strip sentence punctuation and closing brackets that open outside the DOI; SICI DOIs
    // keep their balanced `(…)` and `<…>`.
    loop {
        let t = doi.trim_end_matches(['.', ',', ';', '"', '\'']);
        let unbalanced = |open: char, close: char| {
            t.ends_with(close) && t.matches(open).count() < t.matches(close).count()
        };
        if unbalanced('(', ')') || unbalanced('[', ']') || unbalanced('<', '>') {
            doi = &t[..t.len() - 1];
        } else {
            doi = t;
            break;
        }
    }
    let (prefix, suffix) = doi.split_once('/')?;
    let registrant_ok =
        prefix.len() > 3 && prefix[3..].bytes().all(|b| b.is_ascii_digit() || b == b'.');
    (registrant_ok && !suffix.is_empty()).then(|| doi.to_owned())
}

/// An ISSN as `NNNN-NNNX`, or `None` when the text holds none.
pub fn clean_issn(s: &str) -> Option<String> {
    let chars: Vec<char> = s.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let digits: String = chars.iter().map(|c| c.to_ascii_uppercase()).collect();
    let digits = digits.strip_prefix("ISSN").unwrap_or(&digits);
    let ok = digits.len() == 8
        && digits[..7].bytes().all(|b| b.is_ascii_digit())
        && digits.as_bytes()[7].is_ascii_digit() | (digits.as_bytes()[7] == b'X');
    ok.then(|| format!("{}-{}", &digits[..4], &digits[4..]))
}

/// An ISBN's digits and hyphens as printed, without the `ISBN` label; `None` when it does not
/// have 10 or 13 digits.
pub fn clean_isbn(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.strip_prefix("ISBN").or_else(|| s.strip_prefix("isbn")).unwrap_or(s);
    let s = s.trim_start_matches([':', '-', ' ']).trim();
    let s = s.split(|c: char| c.is_whitespace() || c == '(').next().unwrap_or(s);
    let s = s.trim_end_matches(['.', ',', ';']);
    let n = s.chars().filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x').count();
    let only_isbn_chars = s.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | 'X' | 'x'));
    ((n == 10 || n == 13) && only_isbn_chars).then(|| s.to_owned())
}

/// A PubMed id's digits (`mdl-38127564`, `PMID: 38127564`), or `None`.
pub fn clean_pmid(s: &str) -> Option<String> {
    let digits: String = s
        .trim()
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty() && digits.len() <= 9).then_some(digits)
}

/// A PubMed Central id as `PMC` + digits, or `None`.
pub fn clean_pmcid(s: &str) -> Option<String> {
    let s = s.trim();
    let digits = s.strip_prefix("PMC").or_else(|| s.strip_prefix("pmc")).unwrap_or(s);
    let digits: String = digits.chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then(|| format!("PMC{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dois() {
        assert_eq!(
            clean_doi("https://doi.org/10.1108/JHOM-05-2018-0144").unwrap(),
            "10.1108/JHOM-05-2018-0144"
        );
        assert_eq!(clean_doi("(doi:10.3399/bjgp13X671597)").unwrap(), "10.3399/bjgp13X671597");
        assert_eq!(
            clean_doi("http://dx.doi.org/10.3399/bjgp13X671597").unwrap(),
            "10.3399/bjgp13X671597"
        );
        assert_eq!(
            clean_doi("10.17104/0017-1417_2018_3_257.").unwrap(),
            "10.17104/0017-1417_2018_3_257"
        );
        assert_eq!(
            clean_doi("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0").unwrap(),
            "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0"
        );
        assert_eq!(clean_doi("no doi here"), None);
        assert_eq!(clean_doi("10.x/abc"), None);
    }

    #[test]
    fn issns() {
        assert_eq!(clean_issn("ISSN 0960-1643").unwrap(), "0960-1643");
        assert_eq!(clean_issn("1477-726x").unwrap(), "1477-726X");
        assert_eq!(clean_issn("14777266").unwrap(), "1477-7266");
        assert_eq!(clean_issn("12345"), None);
    }

    #[test]
    fn isbns_and_pmids() {
        assert_eq!(clean_isbn("ISBN 978-1-78769-123-4").unwrap(), "978-1-78769-123-4");
        assert_eq!(clean_isbn("0-19-852663-6 (pbk.)").unwrap(), "0-19-852663-6");
        assert_eq!(clean_isbn("12"), None);
        assert_eq!(clean_pmid("mdl-38127564").unwrap(), "38127564");
        assert_eq!(clean_pmid("PMID: 123").unwrap(), "123");
        assert_eq!(clean_pmcid("PMC123456").unwrap(), "PMC123456");
    }
}
