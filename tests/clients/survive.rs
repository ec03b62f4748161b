//! Field survival: a CSL item an independent reader (pandoc, citation-js) made from our output
//! is compared with the record we wrote, for title, authors, journal, volume, issue, pages,
//! date, DOI and abstract.

use bibconv::{Person, Record};
use serde_json::Value;

/// How strictly text is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// Exact after whitespace collapsing and markup stripping (RIS, CSL-JSON).
    Exact,
    /// Exact, but only the year of the date: pandoc's RIS reader ignores `DA` and reads
    /// only ISO dates in `PY`/`Y1`, so from Zotero-style RIS it gets the year alone.
    YearOnly,
    /// Letter case and braces ignored too: BibTeX readers recase titles.
    CaseInsensitive,
}

/// Differences between `item` and `rec`, one line each.
pub fn compare(rec: &Record, item: &Value, how: Strictness) -> Vec<String> {
    let mut out = Vec::new();
    let text = |v: Option<&str>| v.map(|s| norm(s, how)).filter(|s| !s.is_empty());
    let field = |name: &str| {
        item.get(name).and_then(value_text).map(|s| norm(&s, how)).filter(|s| !s.is_empty())
    };

    let mut check = |what: &str, want: Option<String>, got: Option<String>| {
        if want != got {
            out.push(format!("{what}: wrote {}, read back {}", show(&want), show(&got)));
        }
    };
    check("title", text(rec.title.as_deref()), field("title"));
    let journal = rec.container_title.as_deref().or(rec.container_title_short.as_deref());
    check("journal", text(journal), field("container-title"));
    check("volume", text(rec.volume.as_deref()), field("volume"));
    check("issue", text(rec.issue.as_deref()), field("issue"));
    check("pages", rec.page.as_deref().map(pages), field("page").map(|p| pages(&p)));
    check("DOI", rec.doi.as_deref().map(str::to_lowercase), field("DOI").map(|d| d.to_lowercase()));
    check("abstract", text(rec.abstract_text.as_deref()), field("abstract"));
    let want_date = rec.issued.as_ref().and_then(|d| {
        let y = d.year?;
        let (m, day) = if how == Strictness::YearOnly { (None, None) } else { (d.month, d.day) };
        Some(
            [Some(y), m.map(i32::from), day.map(i32::from)]
                .into_iter()
                .map_while(|p| p)
                .collect::<Vec<i32>>(),
        )
    });
    let got_date = item
        .get("issued")
        .and_then(|d| d.get("date-parts"))
        .and_then(|p| p.get(0))
        .and_then(Value::as_array)
        .map(|parts| {
            let keep = if how == Strictness::YearOnly { 1 } else { 3 };
            parts
                .iter()
                .take(keep)
                .filter_map(|p| value_text(p)?.trim().parse().ok())
                .collect::<Vec<i32>>()
        })
        .filter(|p| !p.is_empty());
    check("date", want_date.map(|d| format!("{d:?}")), got_date.map(|d| format!("{d:?}")));

    let want_names: Vec<String> = rec.author.iter().map(|p| person(p, how)).collect();
    let got_names: Vec<String> = item
        .get("author")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|n| csl_name(n, how)).collect())
        .unwrap_or_default();
    if want_names != got_names {
        out.push(format!("authors: wrote {want_names:?}, read back {got_names:?}"));
    }
    out
}

fn show(v: &Option<String>) -> String {
    match v {
        None => "nothing".to_owned(),
        Some(s) if s.chars().count() > 90 => {
            format!("{:?}…", s.chars().take(90).collect::<String>())
        }
        Some(s) => format!("{s:?}"),
    }
}

/// A JSON string or number as text.
fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Collapses whitespace, drops the markup readers add (`<i>`, `<span class="nocase">`, …) and
/// entities; for BibTeX also braces and letter case.
fn norm(s: &str, how: Strictness) -> String {
    const TAGS: &[&str] = &["i", "b", "em", "strong", "sup", "sub", "sc", "span"];
    let mut plain = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('<') {
        plain.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let name = after.trim_start_matches('/');
        let is_tag = TAGS.iter().any(|t| {
            name.strip_prefix(t).is_some_and(|r| r.starts_with('>') || r.starts_with(' '))
        });
        match (is_tag, after.find('>')) {
            (true, Some(end)) => rest = &after[end + 1..],
            _ => {
                plain.push('<');
                rest = after;
            }
        }
    }
    plain.push_str(rest);
    let plain =
        plain.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&#38;", "&");
    let plain = if how == Strictness::CaseInsensitive {
        plain.replace(['{', '}'], "").to_lowercase()
    } else {
        plain
    };
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Page ranges with any dash as `-`, spaces dropped.
fn pages(p: &str) -> String {
    p.replace("--", "-").replace(['–', '—', '‒'], "-").split_whitespace().collect()
}

/// A person as `family|given` with every particle in front of the family name (readers
/// differ on dropping or not: `van der Berg, Jan` may come back with `van der` as either), or
/// the literal name.
fn person(p: &Person, how: Strictness) -> String {
    let family = [p.dropping_particle.as_deref(), p.particle.as_deref(), p.family.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let given = p.given.as_deref().unwrap_or_default().to_owned();
    match (&p.literal, family.is_empty()) {
        (Some(lit), true) => norm(lit, how),
        _ => format!("{}|{}", norm(&family, how), norm(&given, how)),
    }
}

fn csl_name(n: &Value, how: Strictness) -> String {
    let get = |k: &str| n.get(k).and_then(Value::as_str);
    let family = [get("dropping-particle"), get("non-dropping-particle"), get("family")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let given = get("given").unwrap_or_default().to_owned();
    match (get("literal"), family.is_empty()) {
        (Some(lit), true) => norm(lit, how),
        _ if given.is_empty()
            && !family.is_empty()
            && get("given").is_none()
            && family.contains(' ') =>
        {
            // A reader that keeps a corporate name whole may put it in `family` alone.
            norm(&family, how)
        }
        _ => format!("{}|{}", norm(&family, how), norm(&given, how)),
    }
}
