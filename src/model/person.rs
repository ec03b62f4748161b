//! Persons, and the name splitting every reader shares.

use serde::{Deserialize, Serialize};

use super::text::{collapse_ws, collapse_ws_cow};

/// A person or an organisation named as an author, editor, translator….
///
/// A personal name has `family` (and usually `given`); an organisation or an unsplittable
/// name has only `literal`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Person {
    /// Family name, without particle or suffix.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub family: Option<String>,
    /// Given names or initials, as printed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub given: Option<String>,
    /// The whole name of an organisation, or a name that must not be split.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub literal: Option<String>,
    /// A particle that sorts with the family name (`van der` in `van der Berg`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub particle: Option<String>,
    /// A particle that is dropped when sorting (`de` in `Charles de Gaulle`, CSL
    /// `dropping-particle`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dropping_particle: Option<String>,
    /// Suffix (`Jr`, `III`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub suffix: Option<String>,
    /// Affiliations, in the order the source gives them.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub affiliation: Vec<String>,
}

/// Suffixes recognised after a family name.
const SUFFIXES: &[&str] = &["Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV", "V", "2nd", "3rd", "Jnr"];

/// Chinese compound (two-character) surnames.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "令狐", "夏侯", "轩辕", "端木", "西门", "南宫", "独孤", "澹台", "公冶", "宗政", "濮阳", "太叔",
    "申屠", "闻人", "呼延", "万俟", "司空", "钟离", "赫连", "歐陽", "司馬", "諸葛", "東方", "尉遲",
    "公孫", "長孫", "宇文", "令狐", "軒轅", "端木", "南宮", "獨孤", "鍾離",
];

/// Words that mark a name as an organisation rather than a person.
const ORG_WORDS: &[&str] = &[
    "organization",
    "organisation",
    "group",
    "association",
    "institute",
    "institut",
    "committee",
    "consortium",
    "collaboration",
    "society",
    "council",
    "university",
    "department",
    "ministry",
    "agency",
    "foundation",
    "network",
    "centre",
    "center",
    "office",
    "board",
    "commission",
    "programme",
    "program",
    "trust",
    "service",
    "services",
    "team",
    "initiative",
    "investigators",
    "working",
    "alliance",
    "federation",
    "academy",
    "college",
    "company",
    "corporation",
    "inc",
    "inc.",
    "ltd",
    "ltd.",
    "gmbh",
    "bank",
    "fund",
    "unit",
    "nhs",
    "who",
    "oecd",
    "unicef",
];

fn opt(s: &str) -> Option<String> {
    let s = collapse_ws_cow(s);
    (!s.is_empty()).then(|| s.into_owned())
}

/// True for a Han (CJK ideograph) character.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// True for a word that is a lowercase name particle (`van`, `de`, `d'`, `della`).
fn is_particle(word: &str) -> bool {
    let mut chars = word.chars();
    matches!(chars.next(), Some(c) if c.is_lowercase())
        && word.chars().all(|c| c.is_alphabetic() || c == '\'' || c == '’' || c == '-')
}

impl Person {
    /// An organisation or an unsplittable name.
    pub fn literal(name: &str) -> Person {
        Person { literal: opt(name), ..Person::default() }
    }

    /// A person from separate family and given parts; leading lowercase particles of the
    /// family part (`van der Berg`) are split off into [`Person::particle`].
    pub fn from_parts(family: &str, given: &str) -> Person {
        let family = collapse_ws_cow(family);
        // Where the first word that is not a particle starts (names are read by the
        // hundred thousand: no word list is built).
        let mut words = 0;
        let mut start = None;
        let mut offset = 0;
        for word in family.split(' ') {
            words += 1;
            if start.is_none() && !is_particle(word) {
                start = Some(offset);
            }
            offset += word.len() + 1;
        }
        let (particle, family) = match start {
            Some(at) if at > 0 && words > 1 => {
                let (particle, rest) = family.split_at(at);
                (opt(particle), opt(rest))
            }
            _ => (None, opt(&family)),
        };
        Person { family, given: opt(given), particle, ..Person::default() }
    }

    /// Parses a name written in any of the usual ways: `Family, Given`, `Given Family`,
    /// a Chinese name (family name first, no space), or an organisation.
    pub fn parse(name: &str) -> Person {
        let name = collapse_ws(name);
        if name.is_empty() {
            return Person::default();
        }
        if name.chars().any(is_han) && !name.contains(',') {
            let compact: String = name.chars().filter(|c| *c != ' ').collect();
            if compact.chars().all(|c| is_han(c) || c == '·' || c == '•') {
                return Person::parse_cjk(&compact);
            }
        }
        if name.contains(',') {
            Person::parse_inverted(&name)
        } else {
            Person::parse_natural(&name)
        }
    }

    /// `Family, Given`, `Family, Jr, Given` (BibTeX) or `Family, Given, Jr`.
    pub fn parse_inverted(name: &str) -> Person {
        let mut parts = name.split(',').map(str::trim);
        let (Some(family), second, third) = (parts.next(), parts.next(), parts.next()) else {
            return Person::literal(name);
        };
        match (second, third) {
            (None, _) => Person::from_parts(family, ""),
            // An organisation inverted by some exporters: `Organization, World Health`.
            (Some(given), None)
                if given.split_whitespace().nth(1).is_some() && looks_like_org(name) =>
            {
                Person::literal(name)
            }
            (Some(given), None) if SUFFIXES.contains(&given) => {
                Person { suffix: opt(given), ..Person::from_parts(family, "") }
            }
            (Some(given), None) => Person::from_parts(family, given),
            (Some(middle), Some(given)) if SUFFIXES.contains(&middle) => {
                Person { suffix: opt(middle), ..Person::from_parts(family, given) }
            }
            (Some(given), Some(last)) if SUFFIXES.contains(&last) => {
                Person { suffix: opt(last), ..Person::from_parts(family, given) }
            }
            _ => Person::literal(name),
        }
    }

    /// `Given Family`, `Given van Family Jr`; a name with organisation words stays literal.
    pub fn parse_natural(name: &str) -> Person {
        let name = collapse_ws(name);
        if looks_like_org(&name) {
            return Person::literal(&name);
        }
        let mut words: Vec<&str> = name.split(' ').collect();
        let mut suffix = None;
        if words.len() > 2 && words.last().is_some_and(|w| SUFFIXES.contains(w)) {
            suffix = words.pop().map(str::to_owned);
        }
        let Some(last) = words.pop() else { return Person::default() };
        if words.is_empty() {
            return Person { family: opt(last), suffix, ..Person::default() };
        }
        // Particles: the lowercase words just before the family name.
        let first_particle = (1..words.len()).rev().take_while(|&i| is_particle(words[i])).last();
        let (given, particle) = match first_particle {
            Some(i) => (words[..i].join(" "), Some(words[i..].join(" "))),
            None => (words.join(" "), None),
        };
        Person { family: opt(last), given: opt(&given), particle, suffix, ..Person::default() }
    }

    /// A Chinese name, family name first: `欧阳志远` has the compound surname `欧阳`.
    pub fn parse_cjk(name: &str) -> Person {
        let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        let n = name.chars().count();
        if n < 2 {
            return Person { family: opt(&name), ..Person::default() };
        }
        let family_len =
            if n > 2 && COMPOUND_SURNAMES.iter().any(|s| name.starts_with(s)) { 2 } else { 1 };
        let split = name.char_indices().nth(family_len).map_or(name.len(), |(i, _)| i);
        let (family, given) = name.split_at(split);
        Person { family: opt(family), given: opt(given), ..Person::default() }
    }

    /// A MEDLINE `AU` name: `Checkland K`, `van der Berg JH`: initials last.
    pub fn parse_initials_last(name: &str) -> Person {
        let name = collapse_ws(name);
        match name.rsplit_once(' ') {
            Some((family, initials))
                if initials.chars().all(|c| c.is_uppercase() || c == '-' || c == '.') =>
            {
                Person::from_parts(family, initials)
            }
            _ => Person::literal(&name),
        }
    }

    /// The family name with its particle (`van der Berg`), or the literal name.
    pub fn family_or_literal(&self) -> Option<&str> {
        self.family.as_deref().or(self.literal.as_deref())
    }

    /// The family name with its particles in front, as one string (`van der Berg`).
    pub fn full_family(&self) -> Option<String> {
        let family = self.family.as_deref()?;
        let mut out = String::new();
        for p in [&self.dropping_particle, &self.particle].into_iter().flatten() {
            out.push_str(p);
            if !p.ends_with('\'') && !p.ends_with('’') {
                out.push(' ');
            }
        }
        out.push_str(family);
        Some(out)
    }

    /// The name as `Family, Given` (`Family, Given, Jr`), or the literal; `None` when empty.
    pub fn display_inverted(&self) -> Option<String> {
        if let Some(l) = &self.literal {
            return Some(l.clone());
        }
        let family = self.full_family();
        match (family, &self.given, &self.suffix) {
            (Some(f), Some(g), Some(s)) => Some(format!("{f}, {g}, {s}")),
            (Some(f), Some(g), None) => Some(format!("{f}, {g}")),
            (Some(f), None, Some(s)) => Some(format!("{f}, {s}")),
            (Some(f), None, None) => Some(f),
            (None, Some(g), _) => Some(g.clone()),
            (None, None, _) => None,
        }
    }

    /// True when nothing is known of this person.
    pub fn is_empty(&self) -> bool {
        self.family.is_none() && self.given.is_none() && self.literal.is_none()
    }
}

/// True when a name reads like an organisation (`World Health Organization`).
fn looks_like_org(name: &str) -> bool {
    let words: Vec<&str> = name.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    words.len() >= 2
        && words.iter().any(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
            ORG_WORDS.iter().any(|o| o.eq_ignore_ascii_case(w))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fg(p: &Person) -> (Option<&str>, Option<&str>) {
        (p.family.as_deref(), p.given.as_deref())
    }

    #[test]
    fn inverted_names() {
        assert_eq!(fg(&Person::parse("Checkland, Kath")), (Some("Checkland"), Some("Kath")));
        assert_eq!(fg(&Person::parse("Bevan, G")), (Some("Bevan"), Some("G")));
        assert_eq!(fg(&Person::parse("Regmi, K.")), (Some("Regmi"), Some("K.")));
        let p = Person::parse("van der Berg, Jan");
        assert_eq!(fg(&p), (Some("Berg"), Some("Jan")));
        assert_eq!(p.particle.as_deref(), Some("van der"));
        let p = Person::parse("King, Jr, Martin Luther");
        assert_eq!(p.suffix.as_deref(), Some("Jr"));
        assert_eq!(fg(&p), (Some("King"), Some("Martin Luther")));
    }

    #[test]
    fn natural_names() {
        assert_eq!(fg(&Person::parse("John Storey")), (Some("Storey"), Some("John")));
        let p = Person::parse("Ludwig van Beethoven");
        assert_eq!(
            (fg(&p), p.particle.as_deref()),
            ((Some("Beethoven"), Some("Ludwig")), Some("van"))
        );
        let p = Person::parse("Martin Luther King Jr");
        assert_eq!(
            (fg(&p), p.suffix.as_deref()),
            ((Some("King"), Some("Martin Luther")), Some("Jr"))
        );
        assert_eq!(
            Person::parse("World Health Organization").literal.as_deref(),
            Some("World Health Organization")
        );
    }

    #[test]
    fn chinese_names() {
        assert_eq!(fg(&Person::parse("欧阳志远")), (Some("欧阳"), Some("志远")));
        assert_eq!(fg(&Person::parse("王小明")), (Some("王"), Some("小明")));
        assert_eq!(fg(&Person::parse("司马光")), (Some("司马"), Some("光")));
        // Two characters: the first is the family name even when it starts a compound.
        assert_eq!(fg(&Person::parse("欧阳")), (Some("欧"), Some("阳")));
    }

    #[test]
    fn medline_au() {
        assert_eq!(fg(&Person::parse_initials_last("Checkland K")), (Some("Checkland"), Some("K")));
        let p = Person::parse_initials_last("van der Berg JH");
        assert_eq!((fg(&p), p.particle.as_deref()), ((Some("Berg"), Some("JH")), Some("van der")));
    }

    #[test]
    fn display() {
        assert_eq!(
            Person::parse("van der Berg, Jan").display_inverted().unwrap(),
            "van der Berg, Jan"
        );
        assert_eq!(Person::literal("WHO").display_inverted().unwrap(), "WHO");
    }
}
