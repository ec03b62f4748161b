//! Cite keys: stable, unique, ASCII: first author's family name, year, first significant
//! title word (`checkland2013primary`), with `a`, `b`, … appended on collision.
//!
//! Non-Latin names are transliterated with `deunicode` (Chinese as pinyin syllables:
//! `欧阳` → `ouyang`). With no author the key starts with the first editor, else `anon`;
//! with no year the year is left out. Keys a source gives (BibTeX, CSL `id`) are kept,
//! with characters BibTeX cannot take in a key replaced by `_`.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};

use crate::Record;

/// Title words that never make a key.
const STOPWORDS: &[&str] = &[
    "a", "an", "the", "on", "of", "in", "and", "for", "to", "with", "from", "by", "at", "is",
    "are", "as", "or", "its", "into", "about", "how", "what", "why", "when", "does", "do", "le",
    "la", "les", "el", "los", "las", "der", "die", "das", "un", "une", "de", "des", "du", "o",
    "os", "um", "uma",
];

/// Hands out unique keys.
///
/// Memory stays small on a million records: only a 64-bit hash of each key is kept (a hash
/// collision can only add a needless suffix, never repeat a key), and each base key that
/// collided remembers its next suffix, so many records sharing a base cost no rescans.
#[derive(Debug, Default)]
pub struct KeyGen {
    used: HashSet<u64, KeyHashed>,
    next_suffix: HashMap<u64, usize, KeyHashed>,
}

/// The sets hold [`key_hash`]es, already hashed with fixed keys: they are used as they are,
/// not hashed a second time.
type KeyHashed = BuildHasherDefault<AsHashed>;

/// A hasher that passes on the `u64` it is given.
#[derive(Debug, Default)]
struct AsHashed(u64);

impl Hasher for AsHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }

    /// Only `u64`s are hashed here; other bytes are folded in all the same.
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
}

fn key_hash(key: &str) -> u64 {
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

/// `text` transliterated to lowercase ASCII letters and digits only.
pub fn ascii_fold(text: &str) -> String {
    deunicode::deunicode(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The key a record would get before collisions are resolved.
pub fn base_key(rec: &Record) -> String {
    if let Some(key) = rec.key.as_deref().map(sanitize).filter(|k| !k.is_empty()) {
        return key;
    }
    let person = rec.author.first().or(rec.editor.first());
    let mut key = person
        .and_then(|p| p.full_family().or_else(|| p.literal.clone()))
        .map(|f| ascii_fold(&f))
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| "anon".to_owned());
    key.truncate(40);
    if let Some(year) = rec.year() {
        key.push_str(&year.to_string());
    }
    if let Some(word) = rec.title.as_deref().and_then(first_significant_word) {
        key.push_str(&word);
    }
    key
}

fn first_significant_word(title: &str) -> Option<String> {
    title
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | ':' | '—' | '–'))
        .map(|w| {
            // CJK titles have no spaces: take the first two characters.
            if w.chars().any(crate::model::is_han) {
                ascii_fold(&w.chars().take(2).collect::<String>())
            } else {
                ascii_fold(w)
            }
        })
        .find(|w| !w.is_empty() && !STOPWORDS.contains(&w.as_str()))
        .map(|mut w| {
            w.truncate(20);
            w
        })
}

/// A source key made safe for BibTeX: no white space (zero-width spaces included), braces,
/// commas, quotes, `#`, `%`, `~`, `=`, backslashes or parentheses. Every writer then writes
/// the key as it is (the RIS writer would collapse a zero-width space to a space).
fn sanitize(key: &str) -> String {
    key.trim()
        .chars()
        .map(|c| {
            if crate::model::is_space(c) || "{}(),\"#%~=\\'".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

impl KeyGen {
    /// A key for `rec` not handed out before.
    pub fn key_for(&mut self, rec: &Record) -> String {
        self.unique(base_key(rec))
    }

    /// A unique key from a record's [`base_key`] (made beforehand, on any thread): the base
    /// itself or the base with the first free suffix.
    pub fn unique(&mut self, base: String) -> String {
        let base_hash = key_hash(&base);
        if self.used.insert(base_hash) {
            return base;
        }
        // Suffixes before the remembered one were all handed out already.
        let mut n = self.next_suffix.get(&base_hash).copied().unwrap_or(0);
        loop {
            let candidate = format!("{base}{}", suffix(n));
            n += 1;
            if self.used.insert(key_hash(&candidate)) {
                self.next_suffix.insert(base_hash, n);
                return candidate;
            }
        }
    }
}

/// The `n`th suffix: `a`, `b`, …, `z`, `aa`, `ab`, …
fn suffix(mut n: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'a' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Date, Person};

    fn rec(family: &str, year: i32, title: &str) -> Record {
        Record {
            author: vec![Person::parse(family)],
            issued: Some(Date::ymd(year, None, None)),
            title: Some(title.into()),
            ..Record::default()
        }
    }

    #[test]
    fn keys() {
        let mut g = KeyGen::default();
        let r = rec("Checkland, Kath", 2013, "Primary care-led commissioning");
        assert_eq!(g.key_for(&r), "checkland2013primary");
        assert_eq!(g.key_for(&r), "checkland2013primarya");
        assert_eq!(g.key_for(&r), "checkland2013primaryb");
        assert_eq!(g.key_for(&rec("Müller, Jörg", 2001, "The Über case")), "muller2001uber");
        assert_eq!(g.key_for(&rec("欧阳志远", 2020, "卫生政策研究")), "ouyang2020weisheng");
        let anon = Record { title: Some("On the origin".into()), ..Record::default() };
        assert_eq!(g.key_for(&anon), "anonorigin");
        let keyed = Record { key: Some("my key{1}".into()), ..Record::default() };
        assert_eq!(g.key_for(&keyed), "my_key_1_");
    }

    #[test]
    fn many_records_with_one_base_key_stay_unique_and_fast() {
        let mut g = KeyGen::default();
        let r = rec("Smith, J", 2000, "Same");
        let keys: HashSet<String> = (0..20_000).map(|_| g.key_for(&r)).collect();
        assert_eq!(keys.len(), 20_000);
        // A key taken as a base by another record is skipped as a suffix.
        let mut g = KeyGen::default();
        assert_eq!(g.key_for(&rec("Smith, J", 2000, "Samea")), "smith2000samea");
        assert_eq!(g.key_for(&r), "smith2000same");
        assert_eq!(g.key_for(&r), "smith2000sameb");
    }

    #[test]
    fn many_identical_records_get_distinct_keys() {
        // Regression: the suffix search restarted at `a` for every record (quadratic).
        let mut g = KeyGen::default();
        let clash = Record { key: Some("doe2020ab".into()), ..Record::default() };
        assert_eq!(g.key_for(&clash), "doe2020ab");
        let r = rec("Doe, Jane", 2020, "");
        let keys: HashSet<String> = (0..5000).map(|_| g.key_for(&r)).collect();
        assert_eq!(keys.len(), 5000);
        assert!(!keys.contains("doe2020ab"));
        assert!(
            keys.contains("doe2020") && keys.contains("doe2020aa") && keys.contains("doe2020ac")
        );
    }

    #[test]
    fn suffix_sequence() {
        let s: Vec<String> = (0..28).map(suffix).collect();
        assert_eq!(
            (s[0].as_str(), s[25].as_str(), s[26].as_str(), s[27].as_str()),
            ("a", "z", "aa", "ab")
        );
    }
}
