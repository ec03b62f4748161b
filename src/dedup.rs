//! Finding and merging duplicate records across sources (`--dedup`).
//!
//! Two stages: [`dedup`] first *clusters* the records with four explicit rules (see
//! [`RULES_HELP`]), each looked up in a hash index so that the work grows linearly with the
//! number of records, never by comparing all pairs; then it *merges* each cluster into one
//! record, taking each field from the source that has it most completely and keeping the
//! other sources' differing values in [`Record::extra`] (`merged-<field>`), with a
//! provenance note in `extra["merged-from"]`.
//!
//! Clusters are built with a union-find whose roots remember the cluster's DOI, PMID and
//! title keys: a union that would put two different DOIs or two different PMIDs in one
//! cluster is refused, and the refusal is listed in the [`Report`].

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use unicode_normalization::UnicodeNormalization;

use crate::keys::ascii_fold;
use crate::model::{Date, Kind, Person, Record, clean_doi, clean_pmid, collapse_ws, is_cjk};

/// The duplicate rules, for the `--dedup` entry of `--help`.
pub const RULES_HELP: &str = "\
Merge records that are the same work, across all inputs. Two records are duplicates when
they have (1) the same DOI (case-insensitive, without https://doi.org/ or doi:), or (2) the
same PMID, or (3) the same normalised title (case, accents, punctuation and spaces ignored;
CJK characters kept), the same year and the same first-author family name (ASCII-folded),
or (4) when one of them has no title: the same journal (full title or its abbreviation:
`J Health Organ Manag` = `Journal of Health Organization and Management`, each significant
word a prefix of the other's, ignoring of/and/the/&/in/for/on), year, volume and first page
(and issue when both give one; leading zeros ignored). Records with different DOIs or
different PMIDs are never merged. Each merged record takes each field from the most
complete source (full journal title over abbreviation, the longer author list, a structured
abstract), unions keywords and identifiers, keeps the other values as `merged-…` extras and
names its sources in `merged-from`.";

/// Which duplicate rules to apply. All are on by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DedupOptions {
    /// Rule 1: same normalised DOI.
    pub by_doi: bool,
    /// Rule 2: same PMID.
    pub by_pmid: bool,
    /// Rule 3: same normalised title, year and first-author family name.
    pub by_title: bool,
    /// Rule 4: same journal, year, volume and first page when one side has no title.
    pub by_locator: bool,
}

impl Default for DedupOptions {
    fn default() -> Self {
        DedupOptions { by_doi: true, by_pmid: true, by_title: true, by_locator: true }
    }
}

/// The records of one input, named as the report should name it (a file path).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    /// The input's name (`seeds/001_324412edea90c2cb.txt`, `<stdin>`).
    pub name: String,
    /// Its records, in input order.
    pub records: Vec<Record>,
}

impl Source {
    /// A source from a name and its records.
    pub fn new(name: impl Into<String>, records: Vec<Record>) -> Source {
        Source { name: name.into(), records }
    }
}

/// The rule that linked two records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Rule {
    /// Same normalised DOI.
    Doi,
    /// Same PMID.
    Pmid,
    /// Same normalised title, year and first-author family name.
    Title,
    /// Same journal, year, volume and first page, one side without a title.
    Locator,
}

impl Rule {
    /// A short name for the report (`doi`, `pmid`, `title+year+author`, `journal+locator`).
    pub fn name(self) -> &'static str {
        match self {
            Rule::Doi => "doi",
            Rule::Pmid => "pmid",
            Rule::Title => "title+year+author",
            Rule::Locator => "journal+year+volume+page",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One input record as the report names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The source's name.
    pub source: String,
    /// Where in the source: `#3` for the third record read from it that is not a related
    /// record, `related [2]` for the second related record (CNKI's `[2]`), `reference [4]`
    /// for the fourth of a list whose records have `extra["relation"]` = `reference`. These
    /// count the records read, not the numbers a listing prints, which can skip (`10.`,
    /// `12.`): the summary tells which record it is.
    pub label: String,
    /// A one-line description: title (or journal citation), first author, year, ids.
    pub summary: String,
}

impl Member {
    /// `source label`, the form used in `merged-from`.
    pub fn name(&self) -> String {
        format!("{} {}", self.source, self.label)
    }
}

/// Why two records of a cluster were joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Index into [`Cluster::members`] of one side.
    pub a: usize,
    /// Index into [`Cluster::members`] of the other side.
    pub b: usize,
    /// The rule that matched.
    pub rule: Rule,
    /// The shared values (`doi 10.1177/…`, `year 2015, first author coleman`,
    /// `J Health Organ Manag = JOURNAL OF …, 2015, volume 29, first page 75`).
    pub detail: String,
}

/// Records merged into one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// The merged records, most complete first (the order of `merged-from`).
    pub members: Vec<Member>,
    /// The matches that joined them, in the order they were found.
    pub links: Vec<Link>,
}

/// Two records a rule matched but that were not merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// One record.
    pub a: Member,
    /// The other record.
    pub b: Member,
    /// The rule that matched them.
    pub rule: Rule,
    /// Why they stay apart (`different DOIs: … / …`).
    pub reason: String,
}

/// What [`dedup`] did: every cluster of two or more records, and every refused match.
/// `Display` renders it as text for `--dedup-report`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Records given.
    pub records_in: usize,
    /// Records returned.
    pub records_out: usize,
    /// Clusters of two or more records, in output order.
    pub clusters: Vec<Cluster>,
    /// Matches refused because the records' identifiers or titles conflict.
    pub refusals: Vec<Refusal>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let merged: usize = self.clusters.iter().map(|c| c.members.len()).sum();
        writeln!(
            f,
            "dedup: {} records in, {} out; {} cluster{} merged {} records; {} match{} refused",
            self.records_in,
            self.records_out,
            self.clusters.len(),
            if self.clusters.len() == 1 { "" } else { "s" },
            merged,
            self.refusals.len(),
            if self.refusals.len() == 1 { "" } else { "es" },
        )?;
        for (n, cluster) in self.clusters.iter().enumerate() {
            writeln!(f, "\ncluster {}: {} records", n + 1, cluster.members.len())?;
            for member in &cluster.members {
                writeln!(f, "  {}: {}", member.name(), member.summary)?;
            }
            for link in &cluster.links {
                let (a, b) = (&cluster.members[link.a], &cluster.members[link.b]);
                writeln!(
                    f,
                    "  why: {} = {}: same {} ({})",
                    a.name(),
                    b.name(),
                    link.rule,
                    link.detail
                )?;
            }
        }
        if !self.refusals.is_empty() {
            writeln!(f, "\nnot merged:")?;
            for r in &self.refusals {
                writeln!(
                    f,
                    "  {} / {}: same {}, but {}",
                    r.a.name(),
                    r.b.name(),
                    r.rule,
                    r.reason
                )?;
                writeln!(f, "    {}", r.a.summary)?;
                writeln!(f, "    {}", r.b.summary)?;
            }
        }
        Ok(())
    }
}

/// Finds the duplicates among all `sources`' records and merges each cluster into one
/// record. Records keep their input order; a merged record takes the place of its first
/// member. See [`RULES_HELP`] for the rules and the module docs for the merge.
///
/// A merged record that includes any source's own (not related) record is no longer a
/// related record (`related_to` cleared); one merged only from related records stays
/// related to the first source's page record.
pub fn dedup(sources: Vec<Source>, options: &DedupOptions) -> (Vec<Record>, Report) {
    let mut entries = Vec::new();
    let mut names = Vec::with_capacity(sources.len());
    for (s, source) in sources.into_iter().enumerate() {
        names.push(source.name);
        // A count per list: own records, and each list of related records a page gives
        // (`extra["relation"]`: CNKI's related papers, references, citing papers).
        let mut counts: HashMap<String, usize> = HashMap::new();
        for rec in source.records {
            let list = match &rec.related_to {
                None => "#".to_owned(),
                Some(_) => rec.extra.get("relation").cloned().unwrap_or_else(|| "related".into()),
            };
            let count = counts.entry(list.clone()).or_default();
            *count += 1;
            let label = if rec.related_to.is_none() {
                format!("#{count}")
            } else {
                format!("{list} [{count}]")
            };
            entries.push(Entry { source: s, label, rec });
        }
    }
    let n = entries.len();
    let keys: Vec<Keys> = entries.iter().map(|e| Keys::of(&e.rec)).collect();
    let Clustering { mut uf, links, refusals } = cluster(&entries, &keys, options);

    // Members of each cluster, in input order, and the links that joined them.
    let mut members_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        members_of.entry(uf.find(i)).or_default().push(i);
    }
    let mut links_of: HashMap<usize, Found> = HashMap::new();
    for link in links {
        links_of.entry(uf.find(link.0)).or_default().push(link);
    }
    let refusals = refusals
        .into_iter()
        .map(|(a, b, rule, reason)| Refusal {
            a: entries[a].member(&names),
            b: entries[b].member(&names),
            rule,
            reason,
        })
        .collect();

    let mut slots: Vec<Option<Entry>> = entries.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(n);
    let mut clusters = Vec::new();
    for i in 0..n {
        let root = uf.find(i);
        let Some(group) = members_of.get(&root) else { continue };
        if group.first() != Some(&i) {
            continue;
        }
        let mut taken: Vec<(usize, Entry)> =
            group.iter().filter_map(|&j| slots[j].take().map(|e| (j, e))).collect();
        if taken.len() == 1 {
            out.extend(taken.pop().map(|(_, e)| e.rec));
            continue;
        }
        // Most complete first; ties keep input order (the sort is stable).
        taken.sort_by_key(|(_, e)| std::cmp::Reverse(completeness(&e.rec)));
        let position: HashMap<usize, usize> =
            taken.iter().enumerate().map(|(p, (j, _))| (*j, p)).collect();
        let members: Vec<Member> = taken.iter().map(|(_, e)| e.member(&names)).collect();
        let links = links_of
            .remove(&root)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(a, b, rule, detail)| {
                Some(Link { a: *position.get(&a)?, b: *position.get(&b)?, rule, detail })
            })
            .collect();
        let provenance: Vec<String> = members.iter().map(Member::name).collect();
        let mut merged = merge(taken.into_iter().map(|(_, e)| e.rec).collect());
        // A source that was itself merged before keeps its provenance, after this one.
        let earlier = merged.extra.insert("merged-from".to_owned(), provenance.join("; "));
        if let Some(earlier) = earlier {
            merged.push_extra("merged-from", &earlier);
        }
        out.push(merged);
        clusters.push(Cluster { members, links });
    }
    let report = Report { records_in: n, records_out: out.len(), clusters, refusals };
    (out, report)
}

/// A record with where it came from.
struct Entry {
    /// Index of its source.
    source: usize,
    /// `#3`, `related [2]`.
    label: String,
    rec: Record,
}

impl Entry {
    fn member(&self, names: &[String]) -> Member {
        Member {
            source: names.get(self.source).cloned().unwrap_or_default(),
            label: self.label.clone(),
            summary: summary(&self.rec),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------

/// The normalised values the rules compare, computed once per record.
#[derive(Debug, Default)]
struct Keys {
    doi: Option<String>,
    pmid: Option<String>,
    /// Title keys of `title` and `original-title`.
    titles: Vec<String>,
    /// True when the record has a title at all (a title that normalises to nothing counts
    /// as none).
    has_title: bool,
    year: Option<i32>,
    author: Option<String>,
    /// Journal names (full and short) as significant words.
    journals: Vec<Vec<String>>,
    volume: Option<String>,
    issue: Option<String>,
    first_page: Option<String>,
}

impl Keys {
    fn of(rec: &Record) -> Keys {
        let mut titles: Vec<String> = [&rec.title, &rec.original_title]
            .into_iter()
            .flatten()
            .map(|t| title_key(t))
            .filter(|t| !t.is_empty())
            .collect();
        titles.dedup();
        let mut journals: Vec<Vec<String>> = [&rec.container_title, &rec.container_title_short]
            .into_iter()
            .flatten()
            .map(|j| journal_words(j))
            .filter(|w| !w.is_empty())
            .collect();
        journals.dedup();
        Keys {
            doi: rec.doi.as_deref().and_then(doi_key),
            pmid: rec.pmid.as_deref().and_then(pmid_key),
            has_title: !titles.is_empty(),
            titles,
            year: rec.year(),
            author: rec.first_author_family().map(ascii_fold).filter(|a| !a.is_empty()),
            journals,
            volume: rec.volume.as_deref().map(number_key).filter(|v| !v.is_empty()),
            issue: rec.issue.as_deref().map(number_key).filter(|v| !v.is_empty()),
            first_page: rec.page.as_deref().and_then(first_page_key),
        }
    }
}

/// A DOI compared case-insensitively, without resolver prefix, percent-escapes of a DOI
/// copied from a URL decoded (`%2F` = `/`).
pub fn doi_key(doi: &str) -> Option<String> {
    let doi = if doi.contains('%') { percent_decode(doi) } else { doi.to_owned() };
    clean_doi(&doi).map(|d| d.to_lowercase())
}

/// A PMID as digits without leading zeros; `None` for none or zero.
fn pmid_key(pmid: &str) -> Option<String> {
    let digits = clean_pmid(pmid)?;
    let key = digits.trim_start_matches('0');
    (!key.is_empty()).then(|| key.to_owned())
}

/// `%XX` escapes decoded; an escape that is not valid UTF-8 once decoded leaves the text
/// as it was.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// A title folded for comparison: Unicode compatibility forms folded (full-width letters,
/// ligatures), letters lowercased and stripped of accents, punctuation and white space
/// removed; CJK characters and kana are kept as they are rather than transliterated, so
/// that two Chinese titles compare by their characters.
pub fn title_key(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    if title.is_ascii() {
        // The common case, without the cost of normalisation.
        out.extend(
            title
                .bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        return out;
    }
    for c in title.nfkc() {
        if is_cjk(c) {
            if c.is_alphanumeric() {
                out.push(c);
            }
        } else if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            for f in deunicode::deunicode_char(c).unwrap_or("").chars() {
                if f.is_ascii_alphanumeric() {
                    out.push(f.to_ascii_lowercase());
                }
            }
        }
    }
    out
}

/// Words left out when comparing journal names.
const JOURNAL_STOPWORDS: &[&str] = &[
    "of", "and", "the", "in", "for", "on", "at", "de", "da", "do", "des", "du", "la", "et", "y",
    "und", "fur",
];

/// A journal name as lowercase ASCII-folded significant words; parenthesised parts (a
/// place qualifier such as `(Oxf)`) and stop words are left out. A word with CJK
/// characters keeps them.
pub fn journal_words(name: &str) -> Vec<String> {
    let mut depth = 0usize;
    let mut kept = String::with_capacity(name.len());
    for c in name.nfkc() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    kept.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| if w.chars().any(is_cjk) { w.to_lowercase() } else { ascii_fold(w) })
        .filter(|w| !w.is_empty() && !JOURNAL_STOPWORDS.contains(&w.as_str()))
        .collect()
}

/// True when two journal names name the same journal: the same number of significant
/// words (see [`journal_words`]), each a prefix of the other's word at the same place
/// (`J Health Organ Manag` = `JOURNAL OF HEALTH ORGANIZATION AND MANAGEMENT`); words with
/// digits must be equal.
pub fn journals_match(a: &str, b: &str) -> bool {
    words_match(&journal_words(a), &journal_words(b))
}

fn words_match(a: &[String], b: &[String]) -> bool {
    !a.is_empty()
        && a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            // Numbers are not abbreviated: `Topic 1` is not `Topic 12`.
            let numeric = |w: &str| w.chars().any(|c| c.is_ascii_digit());
            if numeric(x) || numeric(y) {
                x == y
            } else {
                x.starts_with(y.as_str()) || y.starts_with(x.as_str())
            }
        })
}

/// A volume or issue compared without case, spaces, punctuation and leading zeros
/// (`(01)` = `1`, `Suppl 1` = `suppl1`).
fn number_key(s: &str) -> String {
    let folded: String =
        s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    strip_leading_zeros(&folded)
}

fn strip_leading_zeros(s: &str) -> String {
    let t = s.trim_start_matches('0');
    if t.is_empty() && !s.is_empty() { "0".to_owned() } else { t.to_owned() }
}

/// The first page of a page field (`75-91` → `75`, `e059026`, `i54-i62` → `i54`), lowercase
/// without leading zeros.
fn first_page_key(page: &str) -> Option<String> {
    let first = page
        .trim()
        .split(|c: char| matches!(c, '-' | '–' | '—' | ',' | ';') || c.is_whitespace())
        .next()?;
    let key = number_key(first);
    (!key.is_empty()).then_some(key)
}

// ---------------------------------------------------------------------------------------
// Clustering
// ---------------------------------------------------------------------------------------

/// Union-find over record indices; each root holds its cluster's identifiers and titles.
struct UnionFind {
    parent: Vec<usize>,
    ids: Vec<ClusterIds>,
}

#[derive(Debug, Default, Clone)]
struct ClusterIds {
    doi: Option<String>,
    pmid: Option<String>,
    titles: Vec<String>,
}

impl UnionFind {
    fn new(keys: &[Keys]) -> UnionFind {
        UnionFind {
            parent: (0..keys.len()).collect(),
            ids: keys
                .iter()
                .map(|k| ClusterIds {
                    doi: k.doi.clone(),
                    pmid: k.pmid.clone(),
                    titles: k.titles.clone(),
                })
                .collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        let mut root = i;
        while self.parent[root] != root {
            root = self.parent[root];
        }
        while self.parent[i] != root {
            let next = self.parent[i];
            self.parent[i] = root;
            i = next;
        }
        root
    }

    /// Why the clusters of `a` and `b` cannot be one, if they cannot.
    fn conflict(&mut self, a: usize, b: usize) -> Option<String> {
        let (ra, rb) = (self.find(a), self.find(b));
        let (x, y) = (&self.ids[ra], &self.ids[rb]);
        match (&x.doi, &y.doi) {
            (Some(p), Some(q)) if p != q => return Some(format!("different DOIs: {p} / {q}")),
            _ => {}
        }
        match (&x.pmid, &y.pmid) {
            (Some(p), Some(q)) if p != q => return Some(format!("different PMIDs: {p} / {q}")),
            _ => {}
        }
        None
    }

    /// True when the two clusters' titles agree or one has none.
    fn titles_agree(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        let (x, y) = (&self.ids[ra].titles, &self.ids[rb].titles);
        x.is_empty() || y.is_empty() || x.iter().any(|t| y.contains(t))
    }

    /// Joins the clusters of `a` and `b`; returns false when they were one already.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        // The lower index stays root, so roots are deterministic.
        let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[child] = root;
        let moved = std::mem::take(&mut self.ids[child]);
        let ids = &mut self.ids[root];
        ids.doi = ids.doi.take().or(moved.doi);
        ids.pmid = ids.pmid.take().or(moved.pmid);
        for t in moved.titles {
            if !ids.titles.contains(&t) {
                ids.titles.push(t);
            }
        }
        true
    }
}

/// The outcome of the rules: the clusters, the links that made them (record indices, rule,
/// shared value) and the matches refused.
struct Clustering {
    uf: UnionFind,
    links: Found,
    refusals: Found,
}

/// Applies the rules in order — DOI, PMID, title, locator — each through its index.
fn cluster(entries: &[Entry], keys: &[Keys], options: &DedupOptions) -> Clustering {
    let mut uf = UnionFind::new(keys);
    let (mut links, mut refusals) = (Vec::new(), Vec::new());
    if options.by_doi {
        let index = group_by(keys, |k| k.doi.as_deref());
        join_groups(&mut uf, index, Rule::Doi, &mut links, &mut refusals, |k| format!("doi {k}"));
    }
    if options.by_pmid {
        let index = group_by(keys, |k| k.pmid.as_deref());
        join_groups(&mut uf, index, Rule::Pmid, &mut links, &mut refusals, |k| format!("pmid {k}"));
    }
    if options.by_title {
        let index = group_by(keys, |k| {
            let (year, author) = (k.year, k.author.as_deref());
            k.titles.iter().filter_map(move |t| Some((t.as_str(), year?, author?)))
        });
        join_groups(&mut uf, index, Rule::Title, &mut links, &mut refusals, |(_, year, author)| {
            format!("year {year}, first author {author}")
        });
    }
    if options.by_locator {
        join_by_locator(entries, keys, &mut uf, &mut links, &mut refusals);
    }
    Clustering { uf, links, refusals }
}

/// Record indices by key, each group in input order; groups in order of first appearance
/// so that the outcome never depends on hash order. Keys borrow from `keys`, and a key met
/// once costs no allocation of its own.
fn group_by<'k, K: std::hash::Hash + Eq + Copy, I: IntoIterator<Item = K>>(
    keys: &'k [Keys],
    key_of: impl Fn(&'k Keys) -> I,
) -> Vec<(K, Vec<usize>)> {
    // Key → (first record, group index once a second record shares it).
    let mut slot: HashMap<K, (usize, Option<usize>)> = HashMap::with_capacity(keys.len());
    let mut groups: Vec<(K, Vec<usize>)> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        for key in key_of(k) {
            let entry = slot.entry(key).or_insert((i, None));
            if entry.0 == i {
                continue;
            }
            let g = *entry.1.get_or_insert_with(|| {
                groups.push((key, vec![entry.0]));
                groups.len() - 1
            });
            if groups[g].1.last() != Some(&i) {
                groups[g].1.push(i);
            }
        }
    }
    groups
}

/// How many clusters of one key group a record tries to join before giving up; only
/// groups whose records carry conflicting identifiers have more than one.
const MAX_TRIES: usize = 8;

/// Matches found: two record indices, the rule, and the shared value or refusal reason.
type Found = Vec<(usize, usize, Rule, String)>;

/// Joins the records of each group: each record joins the first cluster of the group it
/// does not conflict with; when it conflicts with all, the refusal is kept.
fn join_groups<K>(
    uf: &mut UnionFind,
    groups: Vec<(K, Vec<usize>)>,
    rule: Rule,
    links: &mut Found,
    refusals: &mut Found,
    detail: impl Fn(&K) -> String,
) {
    for (key, members) in groups {
        // One representative record per cluster met in this group.
        let mut reps: Vec<usize> = Vec::new();
        for &i in &members {
            let mut first_conflict = None;
            let mut joined = false;
            for &r in reps.iter().take(MAX_TRIES) {
                if uf.find(r) == uf.find(i) {
                    joined = true;
                    break;
                }
                match uf.conflict(r, i) {
                    Some(reason) => {
                        first_conflict.get_or_insert((r, reason));
                    }
                    None => {
                        uf.union(r, i);
                        links.push((r, i, rule, detail(&key)));
                        joined = true;
                        break;
                    }
                }
            }
            if !joined {
                if let Some((r, reason)) = first_conflict {
                    refusals.push((r, i, rule, reason));
                }
                reps.push(i);
            }
        }
    }
}

/// Rule 4: an untitled record joins the records of the same journal, year, volume and
/// first page (and issue, when both give one). Records are indexed by (year, volume, first
/// page, first letter of the journal's first significant word): an abbreviation keeps the
/// first letter of the word it shortens.
fn join_by_locator(
    entries: &[Entry],
    keys: &[Keys],
    uf: &mut UnionFind,
    links: &mut Found,
    refusals: &mut Found,
) {
    let groups = group_by(keys, locator_keys);
    let index: HashMap<_, &[usize]> = groups.iter().map(|(k, g)| (*k, g.as_slice())).collect();
    for (u, ku) in keys.iter().enumerate() {
        if ku.has_title {
            continue;
        }
        // Candidates in input order, each with the journal names that matched.
        let mut candidates: Vec<(usize, String)> = Vec::new();
        for key in locator_keys(ku) {
            for &c in index.get(&key).copied().unwrap_or_default() {
                if c == u || candidates.iter().any(|(d, _)| *d == c) {
                    continue;
                }
                let kc = &keys[c];
                let issues_differ = matches!((&ku.issue, &kc.issue), (Some(a), Some(b)) if a != b);
                if issues_differ {
                    continue;
                }
                if let Some(why) = journal_match_detail(&entries[u].rec, &entries[c].rec, ku) {
                    candidates.push((c, why));
                }
            }
        }
        candidates.sort_by_key(|(c, _)| *c);
        if candidates.is_empty() {
            continue;
        }
        // Two candidates with different titles: the untitled record could be either.
        let titled: Vec<usize> =
            candidates.iter().map(|(c, _)| *c).filter(|&c| keys[c].has_title).collect();
        if let Some(&first) = titled.first()
            && let Some(&other) = titled.iter().find(|&&c| !uf.titles_agree(first, c))
        {
            refusals.push((
                u,
                other,
                Rule::Locator,
                format!(
                    "ambiguous: it matches papers with different titles ({} / {})",
                    short_title(&entries[first].rec),
                    short_title(&entries[other].rec)
                ),
            ));
            continue;
        }
        for (c, why) in candidates {
            if uf.find(c) == uf.find(u) {
                continue;
            }
            let reason = uf.conflict(u, c).or_else(|| {
                (!uf.titles_agree(u, c)).then(|| "their clusters have different titles".to_owned())
            });
            match reason {
                Some(reason) => refusals.push((u, c, Rule::Locator, reason)),
                None => {
                    uf.union(u, c);
                    links.push((u, c, Rule::Locator, why));
                }
            }
        }
    }
}

/// Rule 4's index keys: (year, volume, first page, first letter of the journal's first
/// significant word), one per journal name the record gives.
fn locator_keys(k: &Keys) -> Vec<(i32, &str, &str, char)> {
    let (Some(year), Some(volume), Some(page)) = (k.year, &k.volume, &k.first_page) else {
        return Vec::new();
    };
    k.journals
        .iter()
        .filter_map(|words| words.first()?.chars().next())
        .map(|c| (year, volume.as_str(), page.as_str(), c))
        .collect()
}

/// `J Health Organ Manag = JOURNAL OF …, 2015, volume 29, first page 75` when the two
/// records' journals match (`ku` are the keys of `u`; the two records are already known to
/// agree on year, volume and first page).
fn journal_match_detail(u: &Record, c: &Record, ku: &Keys) -> Option<String> {
    let names = |r: &Record| -> Vec<String> {
        [&r.container_title, &r.container_title_short].into_iter().flatten().cloned().collect()
    };
    for a in names(u) {
        for b in names(c) {
            if words_match(&journal_words(&a), &journal_words(&b)) {
                let (year, volume, page) =
                    (ku.year?, ku.volume.as_deref()?, ku.first_page.as_deref()?);
                return Some(format!("{a} = {b}, {year}, volume {volume}, first page {page}"));
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// Merging
// ---------------------------------------------------------------------------------------

/// How much a record holds, to rank the sources of a cluster.
fn completeness(r: &Record) -> usize {
    let texts = [
        &r.title,
        &r.container_title,
        &r.container_title_short,
        &r.volume,
        &r.issue,
        &r.page,
        &r.doi,
        &r.pmid,
        &r.pmcid,
        &r.abstract_text,
        &r.publisher,
        &r.language,
        &r.url,
    ];
    texts.iter().filter(|t| t.is_some()).count()
        + usize::from(!r.author.is_empty())
        + usize::from(!r.keyword.is_empty())
        + usize::from(r.issued.is_some())
        + usize::from(r.kind != Kind::Document)
}

/// Merges the records of one cluster, most complete first, into one.
fn merge(records: Vec<Record>) -> Record {
    let mut extra = std::collections::BTreeMap::new();
    let mut m = Merger { records: &records, extra: &mut extra };

    let related_to = if records.iter().all(|r| r.related_to.is_some()) {
        m.text("related-to", |r| &r.related_to, same_text)
    } else {
        None
    };
    let (container_title, container_title_short) = m.journal();
    let mut merged = Record {
        kind: m.kind(),
        key: m.text("key", |r| &r.key, same_text),
        related_to,
        title: m.text("title", |r| &r.title, same_title),
        title_short: m.text("title-short", |r| &r.title_short, same_title),
        original_title: m.text("original-title", |r| &r.original_title, same_title),
        author: m.people("author", |r| &r.author),
        editor: m.people("editor", |r| &r.editor),
        translator: m.people("translator", |r| &r.translator),
        container_author: m.people("container-author", |r| &r.container_author),
        collection_editor: m.people("collection-editor", |r| &r.collection_editor),
        container_title,
        container_title_short,
        collection_title: m.text("collection-title", |r| &r.collection_title, same_title),
        collection_number: m.text("collection-number", |r| &r.collection_number, same_number),
        volume: m.number("volume", |r| &r.volume),
        issue: m.number("issue", |r| &r.issue),
        page: m.page(),
        number_of_pages: m.text("number-of-pages", |r| &r.number_of_pages, same_number),
        number_of_volumes: m.text("number-of-volumes", |r| &r.number_of_volumes, same_number),
        number: m.text("number", |r| &r.number, same_text),
        edition: m.text("edition", |r| &r.edition, same_text),
        chapter_number: m.text("chapter-number", |r| &r.chapter_number, same_number),
        publisher: m.text("publisher", |r| &r.publisher, same_text),
        publisher_place: m.text("publisher-place", |r| &r.publisher_place, same_text),
        event_title: m.text("event-title", |r| &r.event_title, same_title),
        event_place: m.text("event-place", |r| &r.event_place, same_text),
        genre: m.text("genre", |r| &r.genre, same_text),
        medium: m.text("medium", |r| &r.medium, same_text),
        status: m.text("status", |r| &r.status, same_text),
        issued: m.date("issued", |r| &r.issued),
        available_date: m.date("available-date", |r| &r.available_date),
        original_date: m.date("original-date", |r| &r.original_date),
        accessed: m.date("accessed", |r| &r.accessed),
        event_date: m.date("event-date", |r| &r.event_date),
        doi: m.identifier("DOI", |r| &r.doi, doi_key),
        isbn: union_list(records.iter().map(|r| &r.isbn)),
        issn: union_list(records.iter().map(|r| &r.issn)),
        pmid: m.identifier("PMID", |r| &r.pmid, pmid_key),
        pmcid: m.text("PMCID", |r| &r.pmcid, same_text),
        url: m.text("URL", |r| &r.url, |a, b| a.trim() == b.trim()),
        archive: m.text("archive", |r| &r.archive, same_text),
        archive_location: m.text("archive-location", |r| &r.archive_location, same_text),
        call_number: m.text("call-number", |r| &r.call_number, same_text),
        abstract_text: m.abstract_text(),
        keyword: union_list(records.iter().map(|r| &r.keyword)),
        language: m.text("language", |r| &r.language, same_text),
        note: m.text("note", |r| &r.note, same_text),
        extra: Default::default(),
    };
    // The sources' own extras first (a name two sources share keeps both values, one per
    // line), then what the merge set aside.
    for r in &records {
        for (name, value) in &r.extra {
            // Which page list a related record came from (CNKI's `relation`) does not
            // describe a record that is no longer related; `merged-from` still tells it.
            if name == "relation" && r.related_to.is_some() && merged.related_to.is_none() {
                continue;
            }
            merged.push_extra(name, value);
        }
    }
    for (name, values) in extra {
        for value in values {
            merged.push_extra(&name, &value);
        }
    }
    merged
}

/// Picks field values from a cluster's records (most complete first) and sets aside the
/// values it does not pick, by `merged-<field>` name.
struct Merger<'a> {
    records: &'a [Record],
    extra: &'a mut std::collections::BTreeMap<String, Vec<String>>,
}

impl Merger<'_> {
    fn set_aside(&mut self, field: &str, value: String) {
        let list = self.extra.entry(format!("merged-{field}")).or_default();
        if !list.contains(&value) {
            list.push(value);
        }
    }

    /// The value at `best` in `values`; the others that are not `same` as it are set aside.
    fn choose(
        &mut self,
        field: &str,
        values: Vec<String>,
        best: usize,
        same: impl Fn(&str, &str) -> bool,
    ) -> Option<String> {
        let chosen = values.get(best)?.clone();
        for v in values {
            if !same(&chosen, &v) {
                self.set_aside(field, v);
            }
        }
        Some(chosen)
    }

    fn texts(&self, get: impl Fn(&Record) -> &Option<String>) -> Vec<String> {
        self.records.iter().filter_map(|r| get(r).clone()).collect()
    }

    /// The first value, from the most complete record that has one.
    fn text(
        &mut self,
        field: &str,
        get: impl Fn(&Record) -> &Option<String>,
        same: impl Fn(&str, &str) -> bool,
    ) -> Option<String> {
        let values = self.texts(get);
        self.choose(field, values, 0, same)
    }

    /// An identifier: the first value that is a valid one (`key` gives its normalised
    /// form); the clustering saw to it that the valid values agree.
    fn identifier(
        &mut self,
        field: &str,
        get: impl Fn(&Record) -> &Option<String>,
        key: fn(&str) -> Option<String>,
    ) -> Option<String> {
        let values = self.texts(get);
        let best = values.iter().position(|v| key(v).is_some()).unwrap_or(0);
        self.choose(field, values, best, |a, b| key(a) == key(b))
    }

    /// A volume or issue: the first value, in a form without leading zeros when another
    /// source prints it so (`1` over `01`).
    fn number(&mut self, field: &str, get: impl Fn(&Record) -> &Option<String>) -> Option<String> {
        let values = self.texts(get);
        let first_key = number_key(values.first()?);
        let best = values
            .iter()
            .position(|v| number_key(v) == first_key && !v.trim().starts_with('0'))
            .unwrap_or(0);
        self.choose(field, values, best, same_number)
    }

    /// Pages: a range over a single page.
    fn page(&mut self) -> Option<String> {
        let values = self.texts(|r| &r.page);
        let best = values.iter().position(|v| v.contains('-')).unwrap_or(0);
        self.choose("page", values, best, |a, b| compact(a) == compact(b))
    }

    /// The most specific type: anything over `article`, which is over `document`.
    fn kind(&mut self) -> Kind {
        let specificity = |k: Kind| match k {
            Kind::Document => 0,
            Kind::Article => 1,
            _ => 2,
        };
        let best = self.records.iter().map(|r| r.kind).max_by_key(|&k| specificity(k));
        let best = self
            .records
            .iter()
            .map(|r| r.kind)
            .find(|&k| Some(specificity(k)) == best.map(specificity))
            .unwrap_or_default();
        let others: Vec<Kind> = self.records.iter().map(|r| r.kind).collect();
        for k in others {
            if specificity(k) == 2 && k != best {
                self.set_aside("type", k.as_csl().to_owned());
            }
        }
        best
    }

    /// The full journal title (the longest name given) and its abbreviation.
    fn journal(&mut self) -> (Option<String>, Option<String>) {
        let fulls = self.texts(|r| &r.container_title);
        let shorts = self.texts(|r| &r.container_title_short);
        // A `container-title` that is another source's abbreviation counts as one.
        let is_short = |v: &str| shorts.iter().any(|s| same_text(s, v));
        let full = fulls
            .iter()
            .enumerate()
            .filter(|(_, v)| !is_short(v))
            .max_by_key(|(i, v)| (journal_words(v).concat().len(), std::cmp::Reverse(*i)))
            .map(|(_, v)| v)
            .or_else(|| fulls.first())
            .cloned();
        let short = shorts.first().cloned().or_else(|| {
            // No abbreviation given: a shorter name of the same journal is one.
            let full = full.as_deref()?;
            fulls.iter().find(|v| !same_text(v, full) && journals_match(v, full)).cloned()
        });
        for v in fulls.iter().chain(&shorts) {
            let kept = [&full, &short].into_iter().flatten().any(|k| same_text(k, v));
            if !kept {
                self.set_aside("container-title", v.clone());
            }
        }
        (full, short)
    }

    /// The longest list of people; at equal length the one with more written-out given
    /// names. The others are set aside as `Family, Given; …` when they differ.
    fn people(&mut self, field: &str, get: impl Fn(&Record) -> &Vec<Person>) -> Vec<Person> {
        let lists: Vec<&Vec<Person>> =
            self.records.iter().map(get).filter(|l| !l.is_empty()).collect();
        let score = |l: &Vec<Person>| {
            let full_given =
                l.iter().filter(|p| p.given.as_deref().is_some_and(has_written_given_name)).count();
            (l.len(), full_given)
        };
        let Some(best) = lists
            .iter()
            .enumerate()
            .max_by_key(|(i, l)| (score(l), std::cmp::Reverse(*i)))
            .map(|(_, l)| (*l).clone())
        else {
            return Vec::new();
        };
        let render = |l: &Vec<Person>| {
            l.iter().filter_map(Person::display_inverted).collect::<Vec<_>>().join("; ")
        };
        let chosen = render(&best);
        for l in &lists {
            let r = render(l);
            if r != chosen {
                self.set_aside(field, r);
            }
        }
        best
    }

    /// The most precise date; dates that disagree with it are set aside.
    fn date(&mut self, field: &str, get: impl Fn(&Record) -> &Option<Date>) -> Option<Date> {
        let dates: Vec<&Date> = self.records.iter().filter_map(|r| get(r).as_ref()).collect();
        let precision = |d: &Date| {
            usize::from(d.year.is_some())
                + usize::from(d.month.is_some())
                + usize::from(d.day.is_some())
        };
        let best = dates
            .iter()
            .enumerate()
            .max_by_key(|(i, d)| (precision(d), std::cmp::Reverse(*i)))
            .map(|(_, d)| (*d).clone())?;
        for d in dates {
            if !dates_agree(&best, d) {
                let text = d.to_edtf().or_else(|| d.literal.clone()).unwrap_or_default();
                self.set_aside(field, text);
            }
        }
        Some(best)
    }

    /// A structured abstract (with section headings) over one without; then the longer.
    fn abstract_text(&mut self) -> Option<String> {
        let values = self.texts(|r| &r.abstract_text);
        let best = values
            .iter()
            .enumerate()
            .max_by_key(|(i, v)| (is_structured(v), v.chars().count(), std::cmp::Reverse(*i)))
            .map(|(i, _)| i)?;
        self.choose("abstract", values, best, |a, b| collapse_ws(a) == collapse_ws(b))
    }
}

fn same_text(a: &str, b: &str) -> bool {
    collapse_ws(a).to_lowercase() == collapse_ws(b).to_lowercase()
}

fn same_title(a: &str, b: &str) -> bool {
    title_key(a) == title_key(b)
}

fn same_number(a: &str, b: &str) -> bool {
    number_key(a) == number_key(b)
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// True when two dates do not contradict each other (`2017` and `2017-01` agree).
fn dates_agree(a: &Date, b: &Date) -> bool {
    let part = |x: Option<i32>, y: Option<i32>| x.is_none() || y.is_none() || x == y;
    if a.year.is_none() && b.year.is_none() {
        return a.literal == b.literal;
    }
    a.year.is_some()
        && b.year.is_some()
        && part(a.year, b.year)
        && part(a.month.map(i32::from), b.month.map(i32::from))
        && part(a.day.map(i32::from), b.day.map(i32::from))
}

/// True for a given name with a written-out name in it (`Kath`, `Jan H.`), not only
/// initials (`K`, `JH`, `K.`).
fn has_written_given_name(given: &str) -> bool {
    given.split([' ', '-', '.']).any(|w| {
        let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() >= 2 && letters.iter().skip(1).any(|c| c.is_lowercase())
            || letters.iter().any(|c| crate::model::is_han(*c))
    })
}

/// Section headings of structured abstracts.
const HEADINGS: &[&str] = &[
    "background",
    "objective",
    "objectives",
    "aim",
    "aims",
    "purpose",
    "introduction",
    "methods",
    "method",
    "design",
    "setting",
    "participants",
    "results",
    "findings",
    "conclusion",
    "conclusions",
    "interpretation",
    "originality/value",
    "design/methodology/approach",
    "目的",
    "方法",
    "结果",
    "结论",
];

/// True when at least two different section headings open a sentence or end in a colon
/// (`OBJECTIVES: …`, `Methods …`, `目的：…`).
fn is_structured(text: &str) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    let mut sentence_start = true;
    for word in text.split_whitespace() {
        let bare = word.trim_end_matches([':', '：']);
        let lower = bare.to_lowercase();
        let heading = HEADINGS.iter().find(|h| **h == lower);
        let colon = bare.len() != word.len();
        let capital = bare.chars().next().is_some_and(char::is_uppercase);
        if let Some(h) = heading
            && (colon || (sentence_start && capital))
            && !seen.contains(h)
        {
            seen.push(h);
        }
        sentence_start = word.ends_with(['.', ':', '?', '!', '。']);
    }
    // CJK headings are not separated by spaces: `目的：` anywhere.
    for h in ["目的", "方法", "结果", "结论"] {
        if (text.contains(&format!("{h}：")) || text.contains(&format!("{h}:")))
            && !seen.contains(&h)
        {
            seen.push(h);
        }
    }
    seen.len() >= 2
}

/// The union of several lists, first spelling of each entry (compared without case and
/// spacing) kept, in order.
fn union_list<'a>(lists: impl Iterator<Item = &'a Vec<String>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for v in lists.flatten() {
        if seen.insert(collapse_ws(v).to_lowercase()) {
            out.push(v.clone());
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Report text
// ---------------------------------------------------------------------------------------

fn short_title(r: &Record) -> String {
    match &r.title {
        Some(t) => format!("\"{}\"", truncate(t, 70)),
        None => "(no title)".to_owned(),
    }
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or(s)),
        None => s.to_owned(),
    }
}

/// One line describing a record: title or journal citation, first author, year, ids.
fn summary(r: &Record) -> String {
    let mut out = String::new();
    match &r.title {
        Some(t) => {
            let _ = write!(out, "\"{}\"", truncate(t, 70));
        }
        None => out.push_str("(no title)"),
    }
    if let Some(a) = r.first_author_family() {
        let _ = write!(out, " {a}");
        if r.author.len() > 1 {
            out.push_str(" et al.");
        }
    }
    let journal = r.container_title.as_deref().or(r.container_title_short.as_deref());
    if let Some(j) = journal {
        let _ = write!(out, "; {}", truncate(j, 50));
    }
    if let Some(y) = r.year() {
        let _ = write!(out, " {y}");
    }
    if let Some(v) = &r.volume {
        let _ = write!(out, ";{v}");
    }
    if let Some(i) = &r.issue {
        let _ = write!(out, "({i})");
    }
    if let Some(p) = &r.page {
        let _ = write!(out, ":{p}");
    }
    if let Some(d) = &r.doi {
        let _ = write!(out, " doi:{d}");
    }
    if let Some(p) = &r.pmid {
        let _ = write!(out, " pmid:{p}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_keys() {
        assert_eq!(title_key("The Über-Case: a “study”!"), "theubercaseastudy");
        assert_eq!(title_key("ＡＢＣ　ｄｅｆ"), "abcdef");
        assert_eq!(title_key("卫生政策研究：一项 综述"), "卫生政策研究一项综述");
        assert_eq!(title_key("..."), "");
    }

    #[test]
    fn journal_abbreviations() {
        assert!(journals_match(
            "J Health Organ Manag",
            "JOURNAL OF HEALTH ORGANIZATION AND MANAGEMENT"
        ));
        assert!(journals_match(
            "J Health Serv Res Policy",
            "JOURNAL OF HEALTH SERVICES RESEARCH & POLICY"
        ));
        assert!(journals_match("J. Public Health (Oxf)", "Journal of Public Health"));
        assert!(journals_match(
            "Res Social Adm Pharm",
            "Research in Social and Administrative Pharmacy"
        ));
        assert!(!journals_match("J Health Econ", "Journal of Health Organization and Management"));
        assert!(!journals_match("BMJ", "BMJ-BRITISH MEDICAL JOURNAL"));
        assert!(!journals_match("", ""));
    }

    #[test]
    fn numbers_and_pages() {
        assert_eq!(number_key("(01)"), "1");
        assert_eq!(number_key("Suppl 1"), "suppl1");
        assert_eq!(number_key("0"), "0");
        assert_eq!(first_page_key("75 - 91").as_deref(), Some("75"));
        assert_eq!(first_page_key("e059026").as_deref(), Some("e059026"));
        assert_eq!(first_page_key("i54-i62").as_deref(), Some("i54"));
        assert_eq!(first_page_key(" - "), None);
    }

    #[test]
    fn structured_abstracts() {
        assert!(is_structured("OBJECTIVES: To see. METHODS: We looked."));
        assert!(is_structured("Objectives The act. Methods A case study."));
        assert!(is_structured("目的：了解。方法：调查。"));
        assert!(!is_structured("We report results of a study. The methods were new."));
    }

    #[test]
    fn given_names() {
        assert!(has_written_given_name("Kath"));
        assert!(has_written_given_name("Jan H."));
        assert!(!has_written_given_name("JH"));
        assert!(!has_written_given_name("K."));
    }
}
