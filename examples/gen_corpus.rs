//! Generates a deterministic corpus of realistic bibliographic records for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --records 100000 --format ris --out corpus.ris
//! ```
//!
//! Formats: `ris`, `nbib`, `bibtex`, `csl-json`. The same seed gives the same records in every
//! format (mostly journal articles, some books, chapters, theses and conference papers; names
//! with diacritics, particles and CJK; titles with acronyms and LaTeX specials; 1–2 KB
//! abstracts; keywords; DOIs), about 2 KB per record. Each format's syntax is written here
//! directly, independent of bibconv's writers, so that every tool reads the same files.

#![allow(clippy::print_stderr)]

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// A small xorshift64* generator: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Article,
    Book,
    Chapter,
    Thesis,
    Paper,
}

/// A person: family name, given names, a particle (`van der`), or an organisation.
struct Person {
    family: String,
    given: String,
    particle: &'static str,
    /// CJK names are written family-first without comma in their own script.
    cjk: bool,
    literal: bool,
}

/// One generated record, rendered by the per-format emitters below.
struct Rec {
    kind: Kind,
    id: usize,
    authors: Vec<Person>,
    editors: Vec<Person>,
    title: String,
    container: String,
    container_abbr: String,
    year: usize,
    month: Option<usize>,
    day: Option<usize>,
    volume: usize,
    issue: usize,
    first_page: usize,
    last_page: usize,
    article_number: Option<String>,
    publisher: &'static str,
    place: &'static str,
    issn: &'static str,
    isbn: String,
    doi: String,
    pmid: usize,
    abstract_: String,
    keywords: Vec<&'static str>,
    language: &'static str,
    url: Option<String>,
    affiliation: &'static str,
}

const GIVEN: &[&str] = &[
    "José",
    "François",
    "Zoë",
    "Jürgen",
    "Åsa",
    "Søren",
    "Łukasz",
    "Małgorzata",
    "Ştefan",
    "Björn",
    "Inés",
    "Chloé",
    "Ana Lúcia",
    "Jean-Pierre",
    "Mary",
    "John",
    "David",
    "Sarah",
    "Kath",
    "Ahmed",
    "Olusegun",
    "Priya",
    "Hiroshi",
    "Yuki",
    "Émilie",
    "Ørjan",
    "Dóra",
    "Michael J.",
    "A. B.",
    "Carlos Eduardo",
    "Thị Hương",
    "Raúl",
    "Noémie",
    "Zbigniew",
];
const FAMILY: &[&str] = &[
    "Smith",
    "Müller",
    "García Márquez",
    "Øverland",
    "Dvořák",
    "Nguyễn",
    "O'Brien",
    "McAllister",
    "Kowalski",
    "Şahin",
    "Papadopoulos",
    "Johansson",
    "Silva",
    "Gonçalves",
    "Ferreira",
    "Andersen",
    "Novák",
    "Lefèvre",
    "Checkland",
    "Brown",
    "Wilson",
    "Taylor",
    "Jones",
    "Patel",
    "Okafor",
    "Tanaka",
    "Sato",
    "Kim",
    "Schröder",
    "Ibáñez",
    "Żukowski",
];
const PARTICLED: &[(&str, &str)] = &[
    ("van der", "Berg"),
    ("de la", "Cruz"),
    ("von", "Neumann"),
    ("van den", "Bosch"),
    ("da", "Silva"),
    ("di", "Stefano"),
    ("de", "Souza"),
    ("van", "Dijk"),
];
const CJK_FAMILY: &[&str] = &["王", "李", "张", "欧阳", "陈", "刘", "山田", "김", "黄", "赵"];
const CJK_GIVEN: &[&str] = &["伟", "志远", "晓明", "丽", "太郎", "민준", "秀英", "建国"];
const ORGS: &[&str] = &[
    "World Health Organization",
    "Cochrane Collaboration",
    "National Institute for Health and Care Excellence",
    "GBD 2019 Diseases and Injuries Collaborators",
];
const ADJ: &[&str] = &[
    "Primary",
    "Integrated",
    "Community-based",
    "Randomised",
    "Longitudinal",
    "Cost-effective",
    "Digital",
    "Multimodal",
    "Early",
    "Population-level",
    "Quantitative",
    "Qualitative",
];
const NOUN: &[&str] = &[
    "care-led commissioning",
    "screening programmes",
    "HIV prevention",
    "COVID-19 vaccination",
    "MRI-guided biopsy",
    "NF-κB signalling",
    "R&D investment",
    "DNA methylation",
    "mRNA expression",
    "WHO guidelines",
    "EU regulation",
    "machine learning",
    "health literacy",
    "antimicrobial resistance",
];
const CONTEXT: &[&str] = &[
    "in England",
    "among older adults",
    "in low- and middle-income countries",
    "in the USA and UK",
    "in São Paulo",
    "after the 2008 crisis",
    "in rural China",
    "for #MeToo survivors",
    "with a 50% budget cut",
    "under a $1,000 cap",
    "using the snake_case API",
    "at p < 0.05",
];
const DESIGN: &[&str] = &[
    "a systematic review",
    "a cohort study",
    "a randomised controlled trial",
    "a qualitative study",
    "a mixed-methods evaluation",
    "lessons from the field",
    "a meta-analysis",
];
const FOREIGN_TITLES: &[&str] = &[
    "卫生政策研究与医疗改革的实证分析",
    "Qualität der hausärztlichen Versorgung in Österreich",
    "Avaliação da atenção primária à saúde no Brasil",
    "Évaluation des politiques de santé publique en France",
    "高齢者の在宅医療に関する研究",
];
const JOURNALS: &[(&str, &str, &str)] = &[
    ("Journal of Health Services Research & Policy", "J Health Serv Res Policy", "1355-8196"),
    ("The Lancet", "Lancet", "0140-6736"),
    ("BMJ Open", "BMJ Open", "2044-6055"),
    ("PLoS ONE", "PLoS One", "1932-6203"),
    ("Social Science & Medicine", "Soc Sci Med", "0277-9536"),
    ("Revista de Saúde Pública", "Rev Saude Publica", "0034-8910"),
    ("中华医学杂志", "Zhonghua Yi Xue Za Zhi", "0376-2491"),
    ("Health Policy", "Health Policy", "0168-8510"),
    ("Nature Medicine", "Nat Med", "1078-8956"),
    ("Journal of the American Society for Information Science", "J Am Soc Inf Sci", "0002-8231"),
];
const PUBLISHERS: &[(&str, &str)] = &[
    ("Oxford University Press", "Oxford"),
    ("Springer", "Cham"),
    ("Routledge", "London"),
    ("Editora Fiocruz", "Rio de Janeiro"),
    ("人民卫生出版社", "北京"),
    ("Presses Universitaires de France", "Paris"),
];
const UNIVERSITIES: &[&str] = &[
    "University of Kent",
    "Universidade de São Paulo",
    "Eidgenössische Technische Hochschule Zürich",
    "北京大学",
    "University of Manchester",
];
const KEYWORDS: &[&str] = &[
    "primary care",
    "health policy",
    "commissioning",
    "NHS",
    "epidemiology",
    "COVID-19",
    "systematic review",
    "qualitative research",
    "cost-effectiveness",
    "health economics",
    "public health",
    "mental health",
    "Saúde Pública",
    "医疗改革",
    "machine learning",
    "antimicrobial resistance",
    "older adults",
    "inequalities",
];
const SENTENCES: &[&str] = &[
    "Clinical commissioning groups were established in England in 2013 to give general practitioners a leading role in purchasing care.",
    "We conducted semi-structured interviews with 96 participants across eight case-study sites between 2014 and 2016.",
    "Data were analysed thematically using a framework approach, and findings were validated in workshops with stakeholders.",
    "The pooled odds ratio was 1.42 (95% CI 1.18–1.71), with moderate heterogeneity across studies (I² = 48%).",
    "Participants described tensions between organisational autonomy and the accountability demanded by national bodies.",
    "Costs were estimated from the perspective of the health-care payer and expressed in 2019 US$ (approximately €0.89 per $1).",
    "Secondary outcomes included all-cause mortality, hospital admissions within 30 days, and patient-reported quality of life (EQ-5D-5L).",
    "Our findings suggest that the NF-κB pathway mediates the inflammatory response in this population.",
    "Sensitivity analyses excluding studies at high risk of bias did not materially change the estimates.",
    "Implementation varied widely: some sites embraced the reforms, while others reported \"initiative fatigue\" and staff shortages.",
    "These results have implications for policy makers seeking to integrate health and social care at scale.",
    "A total of 12 482 records were screened, 311 full texts assessed, and 47 studies included in the synthesis.",
    "Machine-learning models (random forests, gradient boosting) outperformed logistic regression, AUC 0.81 vs 0.74.",
    "Limitations include self-reported measures, a convenience sample, and limited follow-up beyond 12 months.",
    "Future research should examine long-term outcomes and the distributional effects across socio-economic groups.",
    "The intervention reduced emergency department visits by 18% (p < 0.01) relative to usual care.",
    "本研究采用多阶段分层抽样方法，调查了全国十个省份的基层医疗机构。",
    "Os resultados indicam desigualdades persistentes no acesso à atenção primária entre regiões.",
    "Background: antimicrobial resistance threatens the effectiveness of common treatments worldwide.",
    "Methods: we used interrupted time-series analysis of monthly prescribing data from 2010 to 2020.",
];

fn person(rng: &mut Rng) -> Person {
    let roll = rng.below(100);
    if roll < 8 {
        let &(particle, family) = rng.pick(PARTICLED);
        Person {
            family: family.into(),
            given: rng.word(GIVEN).into(),
            particle,
            cjk: false,
            literal: false,
        }
    } else if roll < 18 {
        Person {
            family: rng.word(CJK_FAMILY).into(),
            given: rng.word(CJK_GIVEN).into(),
            particle: "",
            cjk: true,
            literal: false,
        }
    } else if roll < 20 {
        Person {
            family: rng.word(ORGS).into(),
            given: String::new(),
            particle: "",
            cjk: false,
            literal: true,
        }
    } else {
        let mut family = String::from(rng.word(FAMILY));
        if rng.chance(5) {
            family.push('-');
            family.push_str(rng.word(FAMILY));
        }
        Person { family, given: rng.word(GIVEN).into(), particle: "", cjk: false, literal: false }
    }
}

fn people(rng: &mut Rng, lo: usize, hi: usize) -> Vec<Person> {
    let n = rng.range(lo, hi);
    (0..n).map(|_| person(rng)).collect()
}

fn title(rng: &mut Rng) -> String {
    if rng.chance(4) {
        return rng.word(FOREIGN_TITLES).into();
    }
    format!("{} {} {}: {}", rng.pick(ADJ), rng.pick(NOUN), rng.pick(CONTEXT), rng.pick(DESIGN))
}

fn abstract_text(rng: &mut Rng) -> String {
    let target = rng.range(1000, 2000);
    let mut text = String::with_capacity(target + 200);
    while text.len() < target {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(rng.word(SENTENCES));
    }
    text
}

fn doi(rng: &mut Rng, id: usize) -> String {
    match rng.below(20) {
        0 => format!("10.17104/{}.{id}", rng.range(1000, 9999)),
        1 => format!(
            "10.1002/(SICI)1097-4571({}06)49:8<{}::AID-ASI{id}>3.0.CO;2-C",
            rng.range(1990, 1999),
            rng.range(100, 999)
        ),
        2..=8 => format!("10.1016/j.socscimed.{}.{id:06}", rng.range(2000, 2025)),
        9..=13 => format!("10.1371/journal.pone.{id:07}"),
        _ => format!("10.{}/{}-{id}", rng.range(1000, 9999), rng.range(10, 99)),
    }
}

fn record(rng: &mut Rng, id: usize) -> Rec {
    let kind = match rng.below(100) {
        0..=79 => Kind::Article,
        80..=86 => Kind::Book,
        87..=93 => Kind::Chapter,
        94..=97 => Kind::Thesis,
        _ => Kind::Paper,
    };
    let authors = match kind {
        Kind::Thesis => people(rng, 1, 1),
        Kind::Book => people(rng, 1, 3),
        _ => people(rng, 1, 8),
    };
    let editors = match kind {
        Kind::Chapter => people(rng, 1, 3),
        Kind::Paper if rng.chance(50) => people(rng, 1, 2),
        _ => Vec::new(),
    };
    let &(journal, abbr, issn) = rng.pick(JOURNALS);
    let &(publisher, place) = rng.pick(PUBLISHERS);
    let container = match kind {
        Kind::Article => journal.to_owned(),
        Kind::Chapter => format!("Handbook of {}", rng.pick(NOUN)),
        Kind::Paper => {
            format!("Proceedings of the {} Conference on {}", id % 40 + 1, rng.pick(NOUN))
        }
        Kind::Book | Kind::Thesis => String::new(),
    };
    let first_page = rng.range(1, 2000);
    let last_page = first_page + rng.range(1, 40);
    let article_number = (kind == Kind::Article && rng.chance(15))
        .then(|| format!("e{:07}", rng.range(1_000_000, 9_999_999)));
    let month = rng.chance(70).then(|| rng.range(1, 12));
    let day = (month.is_some() && rng.chance(40)).then(|| rng.range(1, 28));
    let kw_count = rng.range(2, 8);
    let mut keywords = Vec::with_capacity(kw_count);
    for _ in 0..kw_count {
        let kw = rng.word(KEYWORDS);
        if !keywords.contains(&kw) {
            keywords.push(kw);
        }
    }
    Rec {
        kind,
        id,
        authors,
        editors,
        title: title(rng),
        container,
        container_abbr: abbr.into(),
        year: rng.range(1965, 2025),
        month,
        day,
        volume: rng.range(1, 400),
        issue: rng.range(1, 12),
        first_page,
        last_page,
        article_number,
        publisher: if kind == Kind::Thesis { rng.word(UNIVERSITIES) } else { publisher },
        place,
        issn,
        isbn: format!(
            "978-{}-{:03}-{:05}-{}",
            rng.range(0, 9),
            rng.below(1000),
            id % 100_000,
            rng.below(10)
        ),
        doi: doi(rng, id),
        pmid: 10_000_000 + id * 7 + rng.below(7),
        abstract_: abstract_text(rng),
        keywords,
        language: rng.word(&["en", "en", "en", "en", "pt", "zh", "de", "fr"]),
        url: rng.chance(30).then(|| format!("https://example.org/articles/{id}?ref=rss&lang=en")),
        affiliation: rng.word(UNIVERSITIES),
    }
}

const MONTHS: &[&str] =
    &["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const BIB_MONTHS: &[&str] =
    &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

// ---------------------------------------------------------------- RIS

fn ris_name(p: &Person) -> String {
    if p.literal || p.cjk {
        format!("{}{}", p.family, if p.cjk { p.given.as_str() } else { "" })
    } else if p.particle.is_empty() {
        format!("{}, {}", p.family, p.given)
    } else {
        format!("{} {}, {}", p.particle, p.family, p.given)
    }
}

fn write_ris(r: &Rec, out: &mut String) {
    let ty = match r.kind {
        Kind::Article => "JOUR",
        Kind::Book => "BOOK",
        Kind::Chapter => "CHAP",
        Kind::Thesis => "THES",
        Kind::Paper => "CPAPER",
    };
    let _ = writeln!(out, "TY  - {ty}");
    for a in &r.authors {
        let _ = writeln!(out, "AU  - {}", ris_name(a));
    }
    for e in &r.editors {
        let _ = writeln!(out, "A2  - {}", ris_name(e));
    }
    let _ = writeln!(out, "TI  - {}", r.title);
    if !r.container.is_empty() {
        let _ = writeln!(out, "T2  - {}", r.container);
    }
    if r.kind == Kind::Article {
        let _ = writeln!(out, "J2  - {}", r.container_abbr);
    }
    let _ = writeln!(out, "PY  - {}", r.year);
    match (r.month, r.day) {
        (Some(m), Some(d)) => {
            let _ = writeln!(out, "DA  - {}/{m:02}/{d:02}/", r.year);
        }
        (Some(m), None) => {
            let _ = writeln!(out, "DA  - {}/{m:02}//", r.year);
        }
        _ => {}
    }
    if r.kind == Kind::Article {
        let _ = writeln!(out, "VL  - {}\nIS  - {}", r.volume, r.issue);
    }
    match (&r.article_number, r.kind) {
        (Some(n), _) => {
            let _ = writeln!(out, "SP  - {n}");
        }
        (None, Kind::Book | Kind::Thesis) => {
            let _ = writeln!(out, "SP  - {}", r.last_page);
        }
        (None, _) => {
            let _ = writeln!(out, "SP  - {}\nEP  - {}", r.first_page, r.last_page);
        }
    }
    match r.kind {
        Kind::Article => {
            let _ = writeln!(out, "SN  - {}", r.issn);
        }
        Kind::Book | Kind::Chapter => {
            let _ = writeln!(out, "SN  - {}\nPB  - {}\nCY  - {}", r.isbn, r.publisher, r.place);
        }
        Kind::Thesis => {
            let _ = writeln!(out, "PB  - {}\nM3  - PhD thesis", r.publisher);
        }
        Kind::Paper => {
            let _ = writeln!(out, "PB  - {}\nCY  - {}", r.publisher, r.place);
        }
    }
    let _ = writeln!(out, "DO  - {}", r.doi);
    if let Some(url) = &r.url {
        let _ = writeln!(out, "UR  - {url}");
    }
    let _ = writeln!(out, "AB  - {}", r.abstract_);
    for kw in &r.keywords {
        let _ = writeln!(out, "KW  - {kw}");
    }
    let _ = writeln!(out, "LA  - {}", r.language);
    out.push_str("ER  - \n\n");
}

// ---------------------------------------------------------------- MEDLINE (nbib)

/// Writes `TAG - value` with MEDLINE's wrapping: lines of at most 88 characters, continued
/// with six spaces.
fn medline_field(out: &mut String, tag: &str, value: &str) {
    let _ = write!(out, "{tag:<4}- ");
    let mut width = 6;
    let mut first = true;
    for word in value.split(' ') {
        let len = word.chars().count();
        if !first && width + 1 + len > 88 {
            out.push_str("\n      ");
            width = 6;
        } else if !first {
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += len;
        first = false;
    }
    out.push('\n');
}

fn medline_initials(given: &str) -> String {
    given
        .split([' ', '-', '.'])
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphabetic())
        .collect()
}

fn write_nbib(r: &Rec, out: &mut String) {
    let _ = writeln!(out, "PMID- {}", r.pmid);
    out.push_str("OWN - NLM\nSTAT- MEDLINE\n");
    let _ = writeln!(
        out,
        "DCOM- {}{:02}{:02}",
        r.year.max(1996),
        r.month.unwrap_or(1),
        r.day.unwrap_or(1)
    );
    let _ = writeln!(out, "IS  - {} (Electronic)", r.issn);
    let _ = writeln!(out, "VI  - {}\nIP  - {}", r.volume, r.issue);
    match (r.month, r.day) {
        (Some(m), Some(d)) => {
            let _ = writeln!(out, "DP  - {} {} {d}", r.year, MONTHS[m - 1]);
        }
        (Some(m), None) => {
            let _ = writeln!(out, "DP  - {} {}", r.year, MONTHS[m - 1]);
        }
        _ => {
            let _ = writeln!(out, "DP  - {}", r.year);
        }
    }
    medline_field(out, "TI", &r.title);
    match &r.article_number {
        Some(n) => {
            let _ = writeln!(out, "PG  - {n}");
        }
        None => {
            // MEDLINE abbreviates the last page: 1234-45.
            let (f, l) = (r.first_page.to_string(), r.last_page.to_string());
            let common = f
                .len()
                .min(l.len())
                .min(f.bytes().zip(l.bytes()).take_while(|(a, b)| a == b).count());
            let short = if f.len() == l.len() { &l[common.min(l.len() - 1)..] } else { &l[..] };
            let _ = writeln!(out, "PG  - {f}-{short}");
        }
    }
    let _ = writeln!(out, "LID - {} [doi]", r.doi);
    medline_field(out, "AB", &r.abstract_);
    for a in &r.authors {
        if a.literal {
            let _ = writeln!(out, "CN  - {}", a.family);
            continue;
        }
        let family = if a.particle.is_empty() {
            a.family.clone()
        } else {
            format!("{} {}", a.particle, a.family)
        };
        if a.cjk {
            let _ = writeln!(out, "FAU - {family}, {}", a.given);
            let _ = writeln!(out, "AU  - {family} {}", a.given);
        } else {
            let _ = writeln!(out, "FAU - {family}, {}", a.given);
            let _ = writeln!(out, "AU  - {family} {}", medline_initials(&a.given));
        }
        medline_field(out, "AD", a_affiliation(r));
    }
    let lang = match r.language {
        "pt" => "por",
        "zh" => "chi",
        "de" => "ger",
        "fr" => "fre",
        _ => "eng",
    };
    let _ = writeln!(out, "LA  - {lang}");
    out.push_str("PT  - Journal Article\n");
    if r.id.is_multiple_of(5) {
        out.push_str("PT  - Review\n");
    }
    let _ = writeln!(out, "TA  - {}", r.container_abbr);
    let journal = if r.kind == Kind::Article { &r.container } else { "Health Policy" };
    let _ = writeln!(out, "JT  - {journal}");
    for kw in &r.keywords {
        let _ = writeln!(out, "OT  - {kw}");
    }
    let _ = writeln!(out, "AID - {} [doi]", r.doi);
    let _ = writeln!(
        out,
        "SO  - {}. {};{}({}):{}-{}. doi: {}.",
        r.container_abbr, r.year, r.volume, r.issue, r.first_page, r.last_page, r.doi
    );
    out.push('\n');
}

fn a_affiliation(r: &Rec) -> &'static str {
    r.affiliation
}

// ---------------------------------------------------------------- BibTeX

/// Escapes LaTeX specials; some diacritics as LaTeX commands (as older exports do), the rest
/// kept as UTF-8.
fn tex(text: &str, accents_as_macros: bool) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            'κ' => out.push_str("$\\kappa$"),
            'ü' if accents_as_macros => out.push_str("{\\\"u}"),
            'é' if accents_as_macros => out.push_str("{\\'e}"),
            'á' if accents_as_macros => out.push_str("{\\'a}"),
            'ç' if accents_as_macros => out.push_str("{\\c{c}}"),
            'ø' if accents_as_macros => out.push_str("{\\o}"),
            _ => out.push(c),
        }
    }
    out
}

fn bib_name(p: &Person, macros: bool) -> String {
    if p.literal {
        format!("{{{}}}", tex(&p.family, macros))
    } else if p.cjk {
        format!("{}, {}", p.family, p.given)
    } else if p.particle.is_empty() {
        format!("{}, {}", tex(&p.family, macros), tex(&p.given, macros))
    } else {
        format!("{} {}, {}", p.particle, tex(&p.family, macros), tex(&p.given, macros))
    }
}

/// Protects acronyms (two or more capitals) with braces.
fn protect_acronyms(title: &str) -> String {
    title
        .split(' ')
        .map(|w| {
            let caps = w.chars().filter(char::is_ascii_uppercase).count();
            if caps >= 2 && !w.contains('\\') { format!("{{{w}}}") } else { w.to_owned() }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

const BIB_STRINGS: &[(&str, &str)] = &[
    ("jhsrp", "Journal of Health Services Research \\& Policy"),
    ("lancet", "The Lancet"),
    ("ssm", "Social Science \\& Medicine"),
];

fn write_bibtex_header(out: &mut String) {
    out.push_str("% Generated by gen_corpus (bibconv benchmarks)\n\n");
    for (name, value) in BIB_STRINGS {
        let _ = writeln!(out, "@string{{{name} = \"{value}\"}}");
    }
    out.push('\n');
}

fn write_bibtex(r: &Rec, out: &mut String) {
    let macros = r.id.is_multiple_of(3);
    let ty = match r.kind {
        Kind::Article => "article",
        Kind::Book => "book",
        Kind::Chapter => "incollection",
        Kind::Thesis => "phdthesis",
        Kind::Paper => "inproceedings",
    };
    let first = r.authors.first().map_or("anon", |p| p.family.as_str());
    let key_family: String = first.chars().filter(char::is_ascii_alphabetic).collect();
    let _ = writeln!(out, "@{ty}{{{}{}_{},", key_family.to_lowercase(), r.year, r.id);
    let names: Vec<String> = r.authors.iter().map(|p| bib_name(p, macros)).collect();
    let _ = writeln!(out, "  author = {{{}}},", names.join(" and "));
    if !r.editors.is_empty() {
        let names: Vec<String> = r.editors.iter().map(|p| bib_name(p, macros)).collect();
        let _ = writeln!(out, "  editor = {{{}}},", names.join(" and "));
    }
    let title = protect_acronyms(&tex(&r.title, macros));
    if r.id.is_multiple_of(7) && !title.contains('"') {
        let _ = writeln!(out, "  title = \"{title}\",");
    } else {
        let _ = writeln!(out, "  title = {{{title}}},");
    }
    match r.kind {
        Kind::Article => {
            let string = BIB_STRINGS.iter().find(|(_, v)| v.replace("\\&", "&") == r.container);
            match string {
                Some((name, _)) => {
                    let _ = writeln!(out, "  journal = {name},");
                }
                None => {
                    let _ = writeln!(out, "  journal = {{{}}},", tex(&r.container, macros));
                }
            }
            let _ = writeln!(out, "  volume = {{{}}},\n  number = {{{}}},", r.volume, r.issue);
            let _ = writeln!(out, "  issn = {{{}}},", r.issn);
        }
        Kind::Chapter | Kind::Paper => {
            let _ = writeln!(out, "  booktitle = {{{}}},", tex(&r.container, macros));
            let _ = writeln!(out, "  publisher = {{{}}},", tex(r.publisher, macros));
            let _ = writeln!(out, "  address = {{{}}},", r.place);
        }
        Kind::Book => {
            let _ = writeln!(out, "  publisher = {{{}}},", tex(r.publisher, macros));
            let _ = writeln!(out, "  address = {{{}}},\n  isbn = {{{}}},", r.place, r.isbn);
        }
        Kind::Thesis => {
            let _ = writeln!(out, "  school = {{{}}},", tex(r.publisher, macros));
        }
    }
    let _ = writeln!(out, "  year = {},", r.year);
    if let Some(m) = r.month {
        let _ = writeln!(out, "  month = {},", BIB_MONTHS[m - 1]);
    }
    match (&r.article_number, r.kind) {
        (Some(n), _) => {
            let _ = writeln!(out, "  pages = {{{n}}},");
        }
        (None, Kind::Book | Kind::Thesis) => {
            let _ = writeln!(out, "  pagetotal = {{{}}},", r.last_page);
        }
        (None, _) => {
            let _ = writeln!(out, "  pages = {{{}--{}}},", r.first_page, r.last_page);
        }
    }
    let _ = writeln!(out, "  doi = {{{}}},", r.doi);
    if let Some(url) = &r.url {
        let _ = writeln!(out, "  url = {{{}}},", url.replace('%', "\\%"));
    }
    let _ = writeln!(out, "  abstract = {{{}}},", tex(&r.abstract_, false));
    let _ = writeln!(out, "  keywords = {{{}}},", r.keywords.join(", "));
    let _ = writeln!(out, "  language = {{{}}}", r.language);
    out.push_str("}\n\n");
}

// ---------------------------------------------------------------- CSL-JSON

fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn json_field(out: &mut String, name: &str, value: &str) {
    out.push_str(",\n    ");
    json_str(out, name);
    out.push_str(": ");
    json_str(out, value);
}

fn json_names(out: &mut String, role: &str, people: &[Person]) {
    if people.is_empty() {
        return;
    }
    let _ = write!(out, ",\n    \"{role}\": [");
    for (i, p) in people.iter().enumerate() {
        out.push_str(if i == 0 { "\n      {" } else { ",\n      {" });
        if p.literal {
            out.push_str("\"literal\": ");
            json_str(out, &p.family);
        } else {
            out.push_str("\"family\": ");
            json_str(out, &p.family);
            out.push_str(", \"given\": ");
            json_str(out, &p.given);
            if !p.particle.is_empty() {
                out.push_str(", \"non-dropping-particle\": ");
                json_str(out, p.particle);
            }
        }
        out.push('}');
    }
    out.push_str("\n    ]");
}

fn write_csl(r: &Rec, out: &mut String) {
    let ty = match r.kind {
        Kind::Article => "article-journal",
        Kind::Book => "book",
        Kind::Chapter => "chapter",
        Kind::Thesis => "thesis",
        Kind::Paper => "paper-conference",
    };
    let _ = write!(out, "  {{\n    \"id\": \"item{}\",\n    \"type\": \"{ty}\"", r.id);
    json_field(out, "title", &r.title);
    json_names(out, "author", &r.authors);
    json_names(out, "editor", &r.editors);
    if !r.container.is_empty() {
        json_field(out, "container-title", &r.container);
    }
    if r.kind == Kind::Article {
        json_field(out, "container-title-short", &r.container_abbr);
        json_field(out, "volume", &r.volume.to_string());
        json_field(out, "issue", &r.issue.to_string());
        json_field(out, "ISSN", r.issn);
    }
    match r.kind {
        Kind::Book | Kind::Chapter | Kind::Paper => {
            json_field(out, "publisher", r.publisher);
            json_field(out, "publisher-place", r.place);
        }
        Kind::Thesis => {
            json_field(out, "publisher", r.publisher);
            json_field(out, "genre", "PhD thesis");
        }
        Kind::Article => {}
    }
    if matches!(r.kind, Kind::Book | Kind::Chapter) {
        json_field(out, "ISBN", &r.isbn);
    }
    match (&r.article_number, r.kind) {
        (Some(n), _) => json_field(out, "page", n),
        (None, Kind::Book | Kind::Thesis) => {
            json_field(out, "number-of-pages", &r.last_page.to_string());
        }
        (None, _) => json_field(out, "page", &format!("{}-{}", r.first_page, r.last_page)),
    }
    let _ = write!(out, ",\n    \"issued\": {{\"date-parts\": [[{}", r.year);
    if let Some(m) = r.month {
        let _ = write!(out, ", {m}");
        if let Some(d) = r.day {
            let _ = write!(out, ", {d}");
        }
    }
    out.push_str("]]}");
    json_field(out, "DOI", &r.doi);
    if let Some(url) = &r.url {
        json_field(out, "URL", url);
    }
    json_field(out, "abstract", &r.abstract_);
    json_field(out, "keyword", &r.keywords.join(", "));
    json_field(out, "language", r.language);
    out.push_str("\n  }");
}

// ---------------------------------------------------------------- main

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Ris,
    Nbib,
    Bibtex,
    CslJson,
}

struct Options {
    records: usize,
    format: Format,
    out: Option<String>,
    seed: u64,
}

fn parse_args() -> Result<Options, String> {
    let mut opts = Options { records: 1000, format: Format::Ris, out: None, seed: 0x5eed_b1bc };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--records" | "-n" => {
                opts.records =
                    value()?.replace('_', "").parse().map_err(|e| format!("--records: {e}"))?;
            }
            "--format" | "-f" => {
                opts.format = match value()?.as_str() {
                    "ris" => Format::Ris,
                    "nbib" | "medline" => Format::Nbib,
                    "bibtex" | "bib" => Format::Bibtex,
                    "csl-json" | "json" => Format::CslJson,
                    other => return Err(format!("unknown format {other}")),
                };
            }
            "--out" | "-o" => opts.out = Some(value()?),
            "--seed" => opts.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--help" | "-h" => {
                return Err("usage: gen_corpus --records N --format ris|nbib|bibtex|csl-json [--out FILE] [--seed N]".into());
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(opts)
}

fn generate(opts: &Options, out: &mut dyn Write) -> io::Result<()> {
    let mut rng = Rng(opts.seed | 1);
    let mut buf = String::with_capacity(1 << 20);
    match opts.format {
        Format::Bibtex => write_bibtex_header(&mut buf),
        Format::CslJson => buf.push_str("[\n"),
        Format::Ris | Format::Nbib => {}
    }
    for id in 0..opts.records {
        let rec = record(&mut rng, id);
        match opts.format {
            Format::Ris => write_ris(&rec, &mut buf),
            Format::Nbib => write_nbib(&rec, &mut buf),
            Format::Bibtex => write_bibtex(&rec, &mut buf),
            Format::CslJson => {
                if id > 0 {
                    buf.push_str(",\n");
                }
                write_csl(&rec, &mut buf);
            }
        }
        if buf.len() > (1 << 20) - 8192 {
            out.write_all(buf.as_bytes())?;
            buf.clear();
        }
    }
    if opts.format == Format::CslJson {
        buf.push_str("\n]\n");
    }
    out.write_all(buf.as_bytes())?;
    out.flush()
}

fn main() -> ExitCode {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("gen_corpus: {msg}");
            return ExitCode::from(2);
        }
    };
    let result = match &opts.out {
        Some(path) => File::create(path).and_then(|f| generate(&opts, &mut BufWriter::new(f))),
        None => generate(&opts, &mut BufWriter::new(io::stdout().lock())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("gen_corpus: {err}");
            ExitCode::FAILURE
        }
    }
}
