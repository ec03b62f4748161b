//! Field survival: a CSL item an independent reader (pandoc, citation-js) made from our output
//! is compared with the record we wrote, for title, authors, journal, volume, issue, pages,
//! date, DOI and abstract.
//!
//! Text is compared after Unicode NFC, whitespace collapsing, stripping the markup readers add
//! (`<i>`, `<span class="nocase">`) and folding curly quotes to straight ones (pandoc's smart
//! typography turns `'` into `’`). Everything else must arrive as written.

use bibconv::{Kind, Person, Record};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

/// Which reader made the item, for the few things a reader is known not to carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// Everything exact (CSL-JSON through any reader, RIS through citation-js).
    Exact,
    /// pandoc's RIS reader: it ignores `DA` and reads only ISO dates in `PY`/`Y1`, so from
    /// Zotero-style RIS it gets the year alone; it reads `AU  - Family, Given, Suffix` with the
    /// suffix as the given name; and it splits a corporate `AU` (no comma) into given and
    /// family. Those three are not held against us.
    PandocRis,
    /// citation-js's RIS reader: for types other than articles it reads the date from
    /// `PY` (the year) and maps `T2` its own way, so those are judged on articles only.
    CitationJsRis,
    /// A BibTeX reader: letter case and braces are ignored (BibTeX readers recase titles).
    Bib,
    /// pandoc on `--ascii` BibTeX: as [`Strictness::Bib`], and math-mode escapes pandoc leaves
    /// as TeX (`$\alpha$`, `$\pm$`) count as the character they stand for.
    BibAscii,
}

impl Strictness {
    fn case_insensitive(self) -> bool {
        matches!(self, Strictness::Bib | Strictness::BibAscii)
    }

    fn ris(self) -> bool {
        matches!(self, Strictness::PandocRis | Strictness::CitationJsRis)
    }
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
            out.push(format!("{what}: {}", show_diff(want.as_deref(), got.as_deref())));
        }
    };
    check("title", text(rec.title.as_deref()), field("title"));
    // Where the journal or book title goes outside articles, chapters and papers differs by
    // format (series, `howpublished`, event): only CSL-JSON must carry it for every type.
    let journal_kind = matches!(
        rec.kind,
        Kind::ArticleJournal
            | Kind::ArticleMagazine
            | Kind::ArticleNewspaper
            | Kind::Chapter
            | Kind::PaperConference
    );
    // pandoc's RIS reader maps `T2` of other types to what it likes (event, series).
    let article =
        matches!(rec.kind, Kind::ArticleJournal | Kind::ArticleMagazine | Kind::ArticleNewspaper);
    match (rec.container_title.as_deref(), rec.container_title_short.as_deref()) {
        _ if !journal_kind && how != Strictness::Exact => {}
        _ if !article && how.ris() => {}
        (Some(full), _) => check("journal", text(Some(full)), field("container-title")),
        // pandoc's RIS reader ignores `J2`, where an abbreviation alone is written.
        (None, Some(_)) if how == Strictness::PandocRis => {}
        (None, Some(short)) => {
            // Only an abbreviation: any of the places a reader keeps one will do.
            let got = ["container-title", "container-title-short", "journalAbbreviation"]
                .iter()
                .filter_map(|k| field(k))
                .find(|g| Some(g) == text(Some(short)).as_ref())
                .or_else(|| field("container-title"));
            check("journal (abbreviation only)", text(Some(short)), got);
        }
        // A BibTeX writer may put the event as `booktitle` when there is no proceedings title.
        (None, None)
            if how.case_insensitive()
                && field("container-title") == text(rec.event_title.as_deref()) => {}
        (None, None) => check("journal", None, field("container-title")),
    }
    check("volume", text(rec.volume.as_deref()), field("volume"));
    check("issue", text(rec.issue.as_deref()), field("issue"));
    check(
        "pages",
        rec.page.as_deref().map(pages),
        item.get("page").and_then(value_text).map(|p| pages(&p)),
    );
    check("DOI", rec.doi.as_deref().map(str::to_lowercase), field("DOI").map(|d| d.to_lowercase()));
    check("abstract", text(rec.abstract_text.as_deref()), field("abstract"));
    // A season (CSL months 21-24) comes back as a month: compare the year alone.
    let seasonal = rec.issued.as_ref().is_some_and(|d| d.season.is_some());
    let parts_kept = match how {
        Strictness::PandocRis => 1,
        Strictness::CitationJsRis if !article => 1,
        _ if seasonal => 1,
        _ => 3,
    };
    let want_date = rec.issued.as_ref().and_then(|d| {
        let parts = [d.year, d.month.map(i32::from), d.day.map(i32::from)];
        let parts: Vec<i32> = parts.into_iter().take(parts_kept).map_while(|p| p).collect();
        (!parts.is_empty()).then(|| format!("{parts:?}"))
    });
    let got_date = item
        .get("issued")
        .and_then(|d| d.get("date-parts"))
        .and_then(|p| p.get(0))
        .and_then(Value::as_array)
        .map(|parts| {
            parts
                .iter()
                .take(parts_kept)
                .filter_map(|p| value_text(p)?.trim().parse().ok())
                .collect::<Vec<i32>>()
        })
        .filter(|p| !p.is_empty())
        .map(|p| format!("{p:?}"));
    check("date", want_date, got_date);

    let got: Vec<&Value> = item
        .get("author")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let names_match = rec.author.len() == got.len()
        && rec.author.iter().zip(&got).all(|(p, n)| name_matches(p, n, how));
    if !names_match {
        let want: Vec<String> = rec.author.iter().map(|p| person(p, how)).collect();
        let got: Vec<String> = got.iter().map(|n| csl_name(n, how)).collect();
        out.push(format!("authors: wrote {want:?}, read back {got:?}"));
    }
    out
}

/// Both values, shortened around the first place they differ.
fn show_diff(want: Option<&str>, got: Option<&str>) -> String {
    let (Some(w), Some(g)) = (want, got) else {
        let show = |v: Option<&str>| match v {
            None => "nothing".to_owned(),
            Some(s) => format!("{:?}", clip(s, 0, 90)),
        };
        return format!("wrote {}, read back {}", show(want), show(got));
    };
    let at = w.chars().zip(g.chars()).take_while(|(a, b)| a == b).count();
    let from = at.saturating_sub(30);
    format!(
        "differs at character {at}: wrote …{:?}…, read back …{:?}…",
        clip(w, from, 70),
        clip(g, from, 70)
    )
}

fn clip(s: &str, from: usize, len: usize) -> String {
    s.chars().skip(from).take(len).collect()
}

/// A JSON string or number as text.
fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Math-mode escapes pandoc leaves as TeX, and the characters they stand for.
const MATH: &[(&str, &str)] = &[
    ("alpha", "α"),
    ("beta", "β"),
    ("gamma", "γ"),
    ("delta", "δ"),
    ("epsilon", "ϵ"),
    ("varepsilon", "ε"),
    ("zeta", "ζ"),
    ("eta", "η"),
    ("theta", "θ"),
    ("vartheta", "ϑ"),
    ("iota", "ι"),
    ("kappa", "κ"),
    ("lambda", "λ"),
    ("mu", "μ"),
    ("nu", "ν"),
    ("xi", "ξ"),
    ("pi", "π"),
    ("varpi", "ϖ"),
    ("rho", "ρ"),
    ("varrho", "ϱ"),
    ("sigma", "σ"),
    ("varsigma", "ς"),
    ("tau", "τ"),
    ("upsilon", "υ"),
    ("phi", "ϕ"),
    ("varphi", "φ"),
    ("chi", "χ"),
    ("psi", "ψ"),
    ("omega", "ω"),
    ("Gamma", "Γ"),
    ("Delta", "Δ"),
    ("Theta", "Θ"),
    ("Lambda", "Λ"),
    ("Xi", "Ξ"),
    ("Pi", "Π"),
    ("Sigma", "Σ"),
    ("Upsilon", "Υ"),
    ("Phi", "Φ"),
    ("Psi", "Ψ"),
    ("Omega", "Ω"),
    ("pm", "±"),
    ("mp", "∓"),
    ("times", "×"),
    ("div", "÷"),
    ("leq", "≤"),
    ("le", "≤"),
    ("geq", "≥"),
    ("ge", "≥"),
    ("neq", "≠"),
    ("ne", "≠"),
    ("approx", "≈"),
    ("sim", "∼"),
    ("infty", "∞"),
    ("cdot", "·"),
    ("rightarrow", "→"),
    ("to", "→"),
    ("leftarrow", "←"),
    ("degree", "°"),
    ("circ", "∘"),
];

fn unmath(s: &str) -> String {
    let mut out = s.to_owned();
    for (name, ch) in MATH {
        for form in
            [format!("$\\{name}$"), format!("$\\{name}{{}}$"), format!("\\ensuremath{{\\{name}}}")]
        {
            out = out.replace(&form, ch);
        }
    }
    out
}

/// NFC, whitespace collapsed, reader markup and entities dropped, curly quotes folded; for
/// BibTeX also braces and letter case.
fn norm(s: &str, how: Strictness) -> String {
    const TAGS: &[&str] = &["i", "b", "em", "strong", "sup", "sub", "sc", "span"];
    let s = if how == Strictness::BibAscii { unmath(s) } else { s.to_owned() };
    let mut plain = String::with_capacity(s.len());
    let mut rest = s.as_str();
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
    let plain = plain
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        // pandoc's smart typography turns `'x'` into `“x”` and `'` into `’`: any quote is
        // the same quote here.
        .replace(['‘', '’', '‛', '“', '”', '„', '\'', '`'], "\"");
    let plain =
        if how.case_insensitive() { plain.replace(['{', '}'], "").to_lowercase() } else { plain };
    // `--ascii` writes a typographic ligature as its letters (`ﬁ` → `fi`): compare those
    // compatibility-equal (NFKC) in ASCII BibTeX.
    let plain: String =
        if how == Strictness::BibAscii { plain.nfkc().collect() } else { plain.nfc().collect() };
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Page ranges with any dash as `-`, spaces dropped, lowercase.
fn pages(p: &str) -> String {
    p.replace("--", "-")
        .replace(['–', '—', '‒'], "-")
        .split_whitespace()
        .collect::<String>()
        .to_lowercase()
}

/// Joins name parts with spaces, except after an apostrophe (`d'` + `Alembert`).
fn join_name(parts: &[Option<&str>]) -> String {
    let mut out = String::new();
    for part in parts.iter().flatten().filter(|p| !p.is_empty()) {
        if !out.is_empty() && !out.ends_with(['\'', '’']) {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// A person as `family|given` with every particle in front of the family name, or the
/// literal name: how a mismatch is shown.
fn person(p: &Person, how: Strictness) -> String {
    match (&p.literal, &p.family) {
        (Some(lit), None) => norm(lit, how),
        _ => {
            let family = join_name(&[
                p.dropping_particle.as_deref(),
                p.particle.as_deref(),
                p.family.as_deref(),
            ]);
            format!("{}|{}", norm(&family, how), norm(p.given.as_deref().unwrap_or_default(), how))
        }
    }
}

/// Every `family|given` a faithful reader may give for `p`: the dropping particle before the
/// family name or after the given names, and the suffix kept apart or folded into the given
/// names (`Martin Luther, Jr.`), as Zotero folds them.
fn person_variants(p: &Person, how: Strictness) -> Vec<String> {
    let (dp, particle, family, given, suffix) = (
        p.dropping_particle.as_deref(),
        p.particle.as_deref(),
        p.family.as_deref(),
        p.given.as_deref(),
        p.suffix.as_deref(),
    );
    let mut out = Vec::new();
    for (fam, giv) in [
        (join_name(&[dp, particle, family]), join_name(&[given])),
        (join_name(&[particle, family]), join_name(&[given, dp])),
    ] {
        let mut givens = vec![giv.clone()];
        if let Some(sfx) = suffix {
            givens.push(format!("{giv}, {sfx}"));
            givens.push(join_name(&[Some(&giv), Some(sfx)]));
        }
        for g in givens {
            out.push(format!("{}|{}", norm(&fam, how), norm(&g, how)));
        }
    }
    out
}

fn csl_name(n: &Value, how: Strictness) -> String {
    let get = |k: &str| n.get(k).and_then(Value::as_str);
    let family =
        join_name(&[get("dropping-particle"), get("non-dropping-particle"), get("family")]);
    match (get("literal"), family.is_empty()) {
        (Some(lit), true) => norm(lit, how),
        _ => format!("{}|{}", norm(&family, how), norm(get("given").unwrap_or_default(), how)),
    }
}

/// Whether a CSL name is the person we wrote. A corporate (literal) name may come back as a
/// literal, or whole in `family`; from pandoc's RIS reader also split as `given family`.
fn name_matches(p: &Person, n: &Value, how: Strictness) -> bool {
    let got = csl_name(n, how);
    if p.literal.is_some() && p.family.is_none() {
        let lit = person(p, how);
        let get = |k: &str| n.get(k).and_then(Value::as_str).unwrap_or_default();
        let natural = norm(&format!("{} {}", get("given"), get("family")), how);
        let inverted = norm(&format!("{}, {}", get("family"), get("given")), how);
        // RIS has no way to mark a corporate name but the lack of a comma: a literal name
        // with a comma can only come back split.
        return got == lit
            || got == format!("{lit}|")
            || (how == Strictness::PandocRis && natural == lit)
            || (how.ris() && inverted == lit);
    }
    let variants = person_variants(p, how);
    if variants.contains(&got) {
        return true;
    }
    // pandoc's RIS reader takes the suffix of `Family, Given, Suffix` as the given name.
    how == Strictness::PandocRis
        && p.suffix.is_some()
        && variants.iter().any(|v| v.split('|').next() == got.split('|').next())
}
