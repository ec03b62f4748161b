//! Partial dates and the tolerant date parser every reader shares.

use serde::{Deserialize, Serialize};

use super::text::collapse_ws;

/// A date as precise as the source gives it: a year, a month, a day, maybe a range, a
/// season, or only a literal text when no year can be read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Date {
    /// Year (astronomical: 0 is 1 BC).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub year: Option<i32>,
    /// Month, 1–12.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub month: Option<u8>,
    /// Day of the month, 1–31.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub day: Option<u8>,
    /// End of a range: year.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub end_year: Option<i32>,
    /// End of a range: month.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub end_month: Option<u8>,
    /// End of a range: day.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub end_day: Option<u8>,
    /// Season, 1 (spring) to 4 (winter).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub season: Option<u8>,
    /// The date is approximate.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub circa: bool,
    /// The date as text, when it could not be read into parts.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub literal: Option<String>,
}

/// Month names and their numbers in English, Spanish, Portuguese, French and German; a
/// token matches a name it is a prefix of (at least three letters: `Jun`, `abr.`, `févr`).
const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("januar", 1),
    ("februar", 2),
    ("märz", 3),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("sept", 9),
];

const SEASONS: &[(&str, u8)] = &[
    ("spring", 1),
    ("summer", 2),
    ("autumn", 3),
    ("fall", 3),
    ("winter", 4),
    ("primavera", 1),
    ("verano", 2),
    ("verão", 2),
    ("otoño", 3),
    ("outono", 3),
    ("invierno", 4),
    ("inverno", 4),
];

/// The month a word names, if any (`Jun`, `abr.`, `September`).
pub(crate) fn month_from_name(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.chars().count() < 3 {
        return None;
    }
    MONTHS.iter().find(|(name, _)| name.starts_with(&w)).map(|&(_, m)| m)
}

fn season_from_name(word: &str) -> Option<u8> {
    let w = word.to_lowercase();
    SEASONS.iter().find(|(name, _)| *name == w).map(|&(_, s)| s)
}

fn valid_month(m: u32) -> Option<u8> {
    (1..=12).contains(&m).then_some(m as u8)
}

fn valid_day(d: u32) -> Option<u8> {
    (1..=31).contains(&d).then_some(d as u8)
}

/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, also with `/` (RIS `2019/04/05/`, `2019/04//`).
fn parse_numeric(s: &str) -> Option<(i32, Option<u8>, Option<u8>)> {
    let mut parts = s.split(['-', '/']);
    let y = parts.next()?;
    if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut next = |max: fn(u32) -> Option<u8>| -> Result<Option<u8>, ()> {
        match parts.next() {
            None | Some("") => Ok(None),
            Some(p) if p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse().ok().and_then(max).map(Some).ok_or(())
            }
            Some(_) => Err(()),
        }
    };
    let m = next(valid_month).ok()?;
    let d = next(valid_day).ok()?;
    if m.is_none() && d.is_some() {
        return None;
    }
    // Whatever follows (RIS's free-text part after the third slash) is ignored.
    Some((y.parse().ok()?, m, d))
}

impl Date {
    /// A date from its parts.
    pub fn ymd(year: i32, month: Option<u8>, day: Option<u8>) -> Date {
        Date { year: Some(year), month, day, ..Date::default() }
    }

    /// A date that is only text.
    pub fn literal(text: &str) -> Date {
        Date { literal: Some(collapse_ws(text)), ..Date::default() }
    }

    /// Reads a date written in any of the usual ways: `2015`, `2020 Jun`, `2023 12 21`,
    /// `2020 Feb 24`, `25 January 2019`, `January 25, 2019`, `2019-04-05`, `2019/04/05/`,
    /// `abr.-jun. 2022`, `2019-2020`, `Spring 2020`, `c. 1900`. Text with no year becomes a
    /// literal date; empty text gives `None`.
    pub fn parse(text: &str) -> Option<Date> {
        let text = collapse_ws(text);
        let text = text.trim_end_matches(['.', ',', ';']).trim();
        if text.is_empty() {
            return None;
        }
        if let Some((y, m, d)) = parse_numeric(text) {
            return Some(Date::ymd(y, m, d));
        }
        // EDTF interval `2019-04/2019-06`.
        if let Some((a, b)) = text.split_once('/')
            && let (Some(a), Some(b)) = (parse_numeric(a), parse_numeric(b))
        {
            return Some(Date {
                end_year: Some(b.0),
                end_month: b.1,
                end_day: b.2,
                ..Date::ymd(a.0, a.1, a.2)
            });
        }
        Some(Date::parse_words(text).unwrap_or_else(|| Date::literal(text)))
    }

    fn parse_words(text: &str) -> Option<Date> {
        let mut date = Date::default();
        let mut months = Vec::new();
        let mut years = Vec::new();
        // Numbers that are not years, with whether they came before the first year.
        let mut numbers = Vec::new();
        let lower = text.to_lowercase();
        for prefix in ["ca.", "c.", "circa", "approx."] {
            if lower.starts_with(prefix) {
                date.circa = true;
            }
        }
        for token in text.split([' ', ',', '/']).filter(|t| !t.is_empty()) {
            for (i, piece) in token.split('-').filter(|p| !p.is_empty()).enumerate() {
                let piece = piece.trim_matches(|c: char| c == '.' || c == '(' || c == ')');
                if piece.is_empty() {
                    continue;
                }
                if piece.bytes().all(|b| b.is_ascii_digit()) {
                    let n: u32 = piece.parse().ok()?;
                    if piece.len() == 4 {
                        years.push(n as i32);
                    } else if piece.len() <= 2 {
                        numbers.push((n, years.is_empty(), months.len()));
                    } else {
                        return None;
                    }
                } else if let Some(m) = month_from_name(piece) {
                    months.push(m);
                } else if let Some(s) = season_from_name(piece) {
                    date.season = Some(s);
                } else if i == 0 && matches!(piece, "c" | "ca" | "circa") {
                    date.circa = true;
                } else {
                    // `1st`, `21st`: a day with an English ordinal suffix.
                    let digits = piece.trim_end_matches(|c: char| c.is_ascii_alphabetic());
                    let suffix = &piece[digits.len()..];
                    if !digits.is_empty()
                        && digits.bytes().all(|b| b.is_ascii_digit())
                        && matches!(suffix, "st" | "nd" | "rd" | "th")
                    {
                        numbers.push((digits.parse().ok()?, years.is_empty(), months.len()));
                    } else {
                        return None;
                    }
                }
            }
        }
        let (&year, rest) = years.split_first()?;
        date.year = Some(year);
        if let Some(&end) = rest.first()
            && end != year
        {
            date.end_year = Some(end);
        }
        match months.as_slice() {
            [] => {
                // All numeric: `2023 12 21` (year first) or `21 12 2023` (day first).
                let before: Vec<u32> = numbers.iter().filter(|n| n.1).map(|n| n.0).collect();
                let after: Vec<u32> = numbers.iter().filter(|n| !n.1).map(|n| n.0).collect();
                match (before.as_slice(), after.as_slice()) {
                    ([], []) => {}
                    ([], [m]) | ([m], []) => date.month = Some(valid_month(*m)?),
                    ([], [m, d]) => {
                        date.month = Some(valid_month(*m)?);
                        date.day = Some(valid_day(*d)?);
                    }
                    ([d, m], []) => {
                        date.month = Some(valid_month(*m)?);
                        date.day = Some(valid_day(*d)?);
                    }
                    _ => return None,
                }
            }
            [m, more @ ..] => {
                date.month = Some(*m);
                if let Some(&end) = more.first() {
                    date.end_month = Some(end);
                    if date.end_year.is_none() && end < *m {
                        date.end_year = Some(year + 1);
                    }
                }
                match numbers.as_slice() {
                    [] => {}
                    [(d, ..)] => date.day = Some(valid_day(*d)?),
                    // `Jun 3-5 2020`: a day range within the month.
                    [(d, ..), (e, _, months_seen)] if *months_seen <= 1 => {
                        date.day = Some(valid_day(*d)?);
                        date.end_day = Some(valid_day(*e)?);
                        date.end_month.get_or_insert(*m);
                    }
                    _ => return None,
                }
            }
        }
        if date.end_year.is_some() && date.end_month.is_none() && date.month.is_some() {
            date.end_month = date.month;
        }
        Some(date)
    }

    /// True when the date has a year.
    pub fn has_parts(&self) -> bool {
        self.year.is_some()
    }

    /// True when the date is a range.
    pub fn is_range(&self) -> bool {
        self.end_year.is_some() || self.end_month.is_some() || self.end_day.is_some()
    }

    /// The end of a range as (year, month, day), filled from the start where omitted.
    pub fn end(&self) -> Option<(i32, Option<u8>, Option<u8>)> {
        if !self.is_range() {
            return None;
        }
        let y = self.end_year.or(self.year)?;
        Some((y, self.end_month.or(self.month), self.end_day))
    }

    /// ISO 8601 / EDTF form: `2019-04-05`, `2019-04`, `2019`, `2019-04/2019-06`, a season
    /// as `2020-21`; `None` for a literal date.
    pub fn to_edtf(&self) -> Option<String> {
        let year = self.year?;
        let mut out = ymd_string(year, self.month, self.day);
        if self.month.is_none()
            && let Some(s) = self.season
        {
            out = format!("{year:04}-{}", 20 + s);
        }
        if let Some((y, m, d)) = self.end() {
            out.push('/');
            out.push_str(&ymd_string(y, m, d));
        }
        if self.circa {
            out.push('~');
        }
        Some(out)
    }
}

fn ymd_string(y: i32, m: Option<u8>, d: Option<u8>) -> String {
    match (m, d) {
        (Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! date_ok {
        ($($name:ident: $input:expr => $edtf:expr;)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(Date::parse($input).and_then(|d| d.to_edtf()).as_deref(), $edtf, "{:?}", $input);
            }
        )*};
    }

    date_ok! {
        year_only: "2015" => Some("2015");
        year_month_name: "2020 Jun" => Some("2020-06");
        medline_numeric: "2023 12 21" => Some("2023-12-21");
        medline_year_month: "2023 01" => Some("2023-01");
        year_mon_day: "2020 Feb 24" => Some("2020-02-24");
        day_month_year: "25 January 2019" => Some("2019-01-25");
        us_style: "January 25, 2019" => Some("2019-01-25");
        iso: "2019-04-05" => Some("2019-04-05");
        ris_slashes: "2019/04/05/" => Some("2019-04-05");
        ris_year_only_slashes: "2019///" => Some("2019");
        ris_free_text: "2019/04//Spring" => Some("2019-04");
        portuguese_range: "abr.-jun. 2022" => Some("2022-04/2022-06");
        portuguese_out_dez: "out.-dez. 2022" => Some("2022-10/2022-12");
        year_range: "2019-2020" => Some("2019/2020");
        season: "Spring 2020" => Some("2020-21");
        circa: "c. 1900" => Some("1900~");
        edtf_interval: "2019-04/2019-06" => Some("2019-04/2019-06");
        trailing_dot: "2015." => Some("2015");
        dec_jan_range: "Dec-Jan 2020" => Some("2020-12/2021-01");
        no_year: "forthcoming" => None;
    }

    #[test]
    fn literal_keeps_text() {
        assert_eq!(Date::parse("forthcoming").unwrap().literal.as_deref(), Some("forthcoming"));
        assert_eq!(Date::parse("  "), None);
        assert_eq!(Date::parse("2023 13 40").unwrap().literal.as_deref(), Some("2023 13 40"));
    }
}
