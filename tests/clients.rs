//! The real programs judge bibconv's output: pdflatex + bibtex (plain, unsrt, plainnat),
//! biblatex + biber (and `biber --tool --validate-datamodel`), pandoc 2 and 3, citation-js,
//! rispy and bibtexparser. `scripts/install-clients.sh` installs them; a missing client fails
//! the test that needs it, with that hint.
//!
//! Cases: built-in records full of what breaks LaTeX and readers; the four seeds (without and
//! with `--related`) and a sample of `../shared/corpora` (`tests/clients/corpus-sample.txt`),
//! both converted by the `bibconv` binary; every writer fixture `fixtures/write/**/*.json`
//! (records as the model serialises them, or CSL-JSON). Each case is written as BibTeX,
//! BibTeX `--ascii`, BibLaTeX, BibLaTeX `--ascii`, RIS and CSL-JSON into
//! `target/tmp/clients/<case>/`, where every client's files and logs stay for inspection.
//!
//! The record model the case was written from is the yardstick: the number of records every
//! reader must find, and the fields whose absence alone may excuse a BibTeX or biber warning.

#[path = "clients/survive.rs"]
mod survive;
#[path = "clients/tex.rs"]
mod tex;
#[path = "clients/tools.rs"]
mod tools;

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use bibconv::{Date, Kind, OutputFormat, Person, Record, WriteOptions};
use serde_json::Value;

use survive::Strictness;
use tools::Clients;

/// The six files written for every case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Out {
    Bib,
    BibAscii,
    Biblatex,
    BiblatexAscii,
    Ris,
    Json,
}

impl Out {
    const ALL: [Out; 6] =
        [Out::Bib, Out::BibAscii, Out::Biblatex, Out::BiblatexAscii, Out::Ris, Out::Json];

    fn file(self) -> &'static str {
        match self {
            Out::Bib => "out.bib",
            Out::BibAscii => "out-ascii.bib",
            Out::Biblatex => "out-biblatex.bib",
            Out::BiblatexAscii => "out-biblatex-ascii.bib",
            Out::Ris => "out.ris",
            Out::Json => "out.json",
        }
    }

    fn format(self) -> OutputFormat {
        match self {
            Out::Bib | Out::BibAscii => OutputFormat::Bibtex,
            Out::Biblatex | Out::BiblatexAscii => OutputFormat::Biblatex,
            Out::Ris => OutputFormat::Ris,
            Out::Json => OutputFormat::CslJson,
        }
    }

    fn ascii(self) -> bool {
        matches!(self, Out::BibAscii | Out::BiblatexAscii)
    }

    fn cli_name(self) -> &'static str {
        match self.format() {
            OutputFormat::Bibtex => "bibtex",
            OutputFormat::Biblatex => "biblatex",
            OutputFormat::Ris => "ris",
            OutputFormat::CslJson => "csl-json",
        }
    }
}

/// One set of records, written in every output format.
struct Case {
    /// What it is (`seed 000_… --related`, `corpus rispy/ris/example_full.ris`).
    name: String,
    /// Its working directory.
    dir: PathBuf,
    /// The records the outputs were written from.
    records: Vec<Record>,
    /// Field survival is checked for this case (seeds, built-in records, fixtures).
    survival: bool,
}

impl Case {
    fn path(&self, out: Out) -> PathBuf {
        self.dir.join(out.file())
    }

    fn text(&self, out: Out) -> String {
        fs::read(self.path(out))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    /// A directory of its own for one client run.
    fn work_dir(&self, name: &str) -> Result<PathBuf, String> {
        let dir = self.dir.join(name);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(dir)
    }
}

/// Every case, with what went wrong while preparing them.
struct Prepared {
    cases: Vec<Case>,
    problems: Vec<String>,
    notes: Vec<String>,
}

fn prepared() -> &'static Prepared {
    static PREPARED: OnceLock<Prepared> = OnceLock::new();
    PREPARED.get_or_init(prepare)
}

fn base_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("clients")
}

/// `$BIBCONV_SHARED`, else the nearest `shared/` beside the repository or one of its parent
/// folders (CI clones with `shared/` beside; git worktrees sit a level deeper).
fn shared_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BIBCONV_SHARED") {
        return PathBuf::from(dir);
    }
    let root = tools::root();
    root.ancestors()
        .skip(1)
        .map(|a| a.join("shared"))
        .find(|s| s.join("corpora").is_dir())
        .unwrap_or_else(|| root.join("../shared"))
}

fn prepare() -> Prepared {
    let base = base_dir();
    let _ = fs::remove_dir_all(&base);
    let mut p = Prepared { cases: Vec::new(), problems: Vec::new(), notes: Vec::new() };
    if let Err(e) = fs::create_dir_all(&base) {
        p.problems.push(format!("cannot create {}: {e}", base.display()));
        return p;
    }
    let root = tools::root();

    p.cases.push(records_case(
        &base,
        "built-in records",
        "builtin",
        built_in_records(),
        &mut p.problems,
    ));

    for seed in common_files(&root.join("seeds"), "txt") {
        let stem = seed.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let plain = cli_case(
            &base,
            &format!("seed {stem}"),
            &format!("seed-{stem}"),
            &seed,
            false,
            true,
            &mut p,
        );
        let related = cli_case(
            &base,
            &format!("seed {stem} --related"),
            &format!("seed-{stem}-related"),
            &seed,
            true,
            true,
            &mut p,
        );
        if plain.records.is_empty() {
            p.problems.push(format!("seed {stem}: bibconv reads no records from it"));
        }
        if related.records.len() == plain.records.len() {
            p.notes
                .push(format!("seed {stem}: no related records, so `--related` is the same case"));
            p.cases.push(plain);
        } else {
            p.cases.push(plain);
            p.cases.push(related);
        }
    }

    let fixtures = root.join("fixtures/write");
    for path in walk(&fixtures).into_iter().filter(|f| f.extension().is_some_and(|e| e == "json")) {
        let rel = path.strip_prefix(&fixtures).unwrap_or(&path).display().to_string();
        // `x.csl.json` beside `x.json` is a writer's expected output of the same records.
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name
            .strip_suffix(".csl.json")
            .is_some_and(|stem| path.with_file_name(format!("{stem}.json")).is_file())
        {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap_or_default();
        let records = serde_json::from_str::<Vec<Record>>(&text)
            .or_else(|_| serde_json::from_str::<Record>(&text).map(|r| vec![r]))
            .ok()
            .or_else(|| bibconv::read(&text, bibconv::InputFormat::CslJson).ok().map(|p| p.records))
            .unwrap_or_default();
        if records.is_empty() {
            p.problems
                .push(format!("fixture {rel}: neither model records nor CSL-JSON with records"));
            continue;
        }
        let slug = format!("fixture-{}", slug(&rel));
        p.cases.push(records_case(
            &base,
            &format!("fixture {rel}"),
            &slug,
            records,
            &mut p.problems,
        ));
    }

    let corpora = shared_dir().join("corpora");
    let sample_list = root.join("tests/clients/corpus-sample.txt");
    let sample = fs::read_to_string(&sample_list).unwrap_or_default();
    for rel in sample.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let path = corpora.join(rel);
        if !path.is_file() {
            p.problems.push(format!(
                "corpus file {} missing: shared/ must sit beside the repository (or set BIBCONV_SHARED)",
                path.display()
            ));
            continue;
        }
        let case = cli_case(
            &base,
            &format!("corpus {rel}"),
            &format!("corpus-{}", slug(rel)),
            &path,
            false,
            false,
            &mut p,
        );
        if case.records.is_empty() {
            p.problems.push(format!("corpus {rel}: bibconv reads no records from it"));
        }
        p.cases.push(case);
    }
    p
}

fn common_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let s: Vec<&str> = s.split('-').filter(|p| !p.is_empty()).collect();
    let mut s = s.join("-");
    s.truncate(60);
    s
}

/// A case written with the library's `write_to_string`.
fn records_case(
    base: &Path,
    name: &str,
    slug: &str,
    records: Vec<Record>,
    problems: &mut Vec<String>,
) -> Case {
    let dir = base.join(slug);
    let _ = fs::create_dir_all(&dir);
    for out in Out::ALL {
        let text =
            bibconv::write_to_string(&records, out.format(), &WriteOptions { ascii: out.ascii() });
        if let Err(e) = fs::write(dir.join(out.file()), text) {
            problems.push(format!("{name}: cannot write {}: {e}", out.file()));
        }
    }
    Case { name: name.to_owned(), dir, records, survival: true }
}

/// A case converted by the `bibconv` binary; its records are what the library reads from
/// the same input.
fn cli_case(
    base: &Path,
    name: &str,
    slug: &str,
    input: &Path,
    related: bool,
    survival: bool,
    p: &mut Prepared,
) -> Case {
    let dir = base.join(slug);
    let _ = fs::create_dir_all(&dir);
    let bytes = fs::read(input).unwrap_or_default();
    let records: Vec<Record> = match bibconv::decode(&bytes, None) {
        Ok(decoded) => match bibconv::read_auto(&decoded.text) {
            Ok((_, parsed)) => {
                parsed.records.into_iter().filter(|r| related || r.related_to.is_none()).collect()
            }
            Err(_) => Vec::new(),
        },
        Err(_) => Vec::new(),
    };
    for out in Out::ALL {
        let target = dir.join(out.file());
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_bibconv"));
        cmd.arg(input).args(["--to", out.cli_name(), "-q", "-o"]).arg(&target);
        if out.ascii() {
            cmd.arg("--ascii");
        }
        if related {
            cmd.arg("--related");
        }
        match tools::run(&mut cmd, &dir, None) {
            Ok(o) if o.code == Some(0) || o.code == Some(1) => {
                if o.code == Some(1) && out == Out::Bib {
                    p.notes.push(format!(
                        "{name}: bibconv skipped parts of the input:\n{}",
                        o.stderr_tail(4)
                    ));
                }
            }
            Ok(o) if records.is_empty() => {
                let _ = fs::write(&target, "");
                let _ = o;
            }
            Ok(o) => p.problems.push(format!(
                "{name}: `bibconv --to {}` exited {:?}:\n{}",
                out.cli_name(),
                o.code,
                o.stderr_tail(6)
            )),
            Err(e) => p.problems.push(format!("{name}: {e}")),
        }
    }
    Case { name: name.to_owned(), dir, records, survival }
}

/// Records built in the model, full of what breaks LaTeX, BibTeX styles and readers.
fn built_in_records() -> Vec<Record> {
    let mut a = Record::new(Kind::ArticleJournal);
    a.title = Some("Costs & benefits of 100% coverage: $5 fees, #hashtags, snake_case, {braces}, ~tilde, ^caret and back\\slash in the NHS".into());
    a.author = vec![
        Person::from_parts("Checkland", "Kath"),
        Person::from_parts("van der Berg", "Jan H."),
        Person::literal("World Health Organization"),
    ];
    a.container_title = Some("Journal of Health Services Research & Policy".into());
    a.container_title_short = Some("J Health Serv Res Policy".into());
    a.volume = Some("22".into());
    a.issue = Some("1".into());
    a.page = Some("49-56".into());
    a.issued = Some(Date::ymd(2019, Some(4), Some(5)));
    a.doi = Some("10.1002/(SICI)1097-4636(199703)34:3<301::AID-JBM5>3.0.CO;2-C".into());
    a.url = Some("https://example.org/a_b/c%20d?x=1&y=2#frag".into());
    a.issn = vec!["1355-8196".into()];
    a.pmid = Some("29284294".into());
    a.abstract_text = Some(
        "Objectives: 50% of GPs & nurses_agreed.\n\nMethods: a $0 budget; results ~ {mixed}."
            .into(),
    );
    a.keyword = vec!["health policy".into(), "NHS".into()];
    a.language = Some("en".into());

    let mut b = Record::new(Kind::ArticleJournal);
    b.title = Some(
        "Müller’s “naïve” café: NF-κB, α-synuclein and β-blockers in Łódź — a ﬁeld study – 2nd ed."
            .into(),
    );
    b.author = vec![
        Person::from_parts("Müller", "Jürgen"),
        Person::from_parts("Núñez", "Ærøskøbing"),
        Person::from_parts("Dębski", "Łukasz"),
    ];
    b.container_title = Some("Revue française d’épidémiologie".into());
    b.volume = Some("7".into());
    b.issue = Some("Suppl 1".into());
    b.page = Some("e059026".into());
    b.issued = Some(Date::ymd(2023, Some(12), None));
    b.doi = Some("10.3399/bjgp13X671597".into());
    b.abstract_text = Some("Ça marche très bien à 37 °C ± 2 — n = 12.".into());

    let mut c = Record::new(Kind::ArticleJournal);
    c.title = Some("基于协同治理的家庭医生签约服务研究".into());
    c.original_title = Some("Research on contracted family doctor services".into());
    c.author = vec![Person::parse_cjk("欧阳志远"), Person::parse_cjk("王芳")];
    c.container_title = Some("中国卫生政策研究".into());
    c.volume = Some("14".into());
    c.issue = Some("6".into());
    c.page = Some("49-56".into());
    c.issued = Some(Date::ymd(2021, None, None));
    c.language = Some("zh".into());

    let mut d = Record::new(Kind::Book);
    d.title = Some("Handbook of Primary Care".into());
    d.editor = vec![Person::from_parts("Smith", "Anne")];
    d.publisher = Some("Oxford University Press".into());
    d.publisher_place = Some("Oxford".into());
    d.isbn = vec!["978-0-19-856878-0".into()];

    let mut e = Record::new(Kind::Chapter);
    e.title = Some("Commissioning in the English NHS".into());
    e.author = vec![Person::from_parts("Coleman", "Anna")];
    e.editor = vec![Person::from_parts("Smith", "Anne")];
    e.container_title = Some("Handbook of Primary Care".into());
    e.publisher = Some("Oxford University Press".into());
    e.page = Some("101-120".into());
    e.issued = Some(Date::ymd(2015, None, None));

    let mut f = Record::new(Kind::Thesis);
    f.title = Some("Clinical commissioning groups: a realist evaluation".into());
    f.author = vec![Person::from_parts("McDermott", "Imelda")];
    f.publisher = Some("University of Manchester".into());
    f.genre = Some("PhD thesis".into());
    f.issued = Some(Date::ymd(2017, None, None));

    let mut g = Record::new(Kind::Report);
    g.title = Some("Integrated care systems: what do they look like?".into());
    g.author = vec![Person::literal("The King's Fund")];
    g.publisher = Some("The King's Fund".into());
    g.number = Some("KF-2019/04".into());
    g.issued = Some(Date::ymd(2019, Some(6), None));
    g.url =
        Some("https://www.kingsfund.org.uk/publications/integrated-care-systems_explained".into());

    let mut h = Record::new(Kind::PaperConference);
    h.title = Some("Skill mix in general practice".into());
    h.author = vec![Person::from_parts("Harrison", "Stephen")];
    h.container_title = Some("Proceedings of the Health Services Research UK Conference".into());
    h.page = Some("12-13".into());
    h.issued = Some(Date::ymd(2018, Some(7), Some(4)));

    let mut i = Record::new(Kind::Webpage);
    i.title = Some("Only a title".into());

    vec![a, b, c, d, e, f, g, h, i]
}

// ------------------------------------------------------------------------------------------
// Running checks over the cases and reporting.

/// Runs `f` on every item, `available_parallelism` at a time, results in order.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4)
        .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    results.lock().unwrap()[i] = Some(r);
                }
            });
        }
    });
    results.into_inner().unwrap().into_iter().map(|r| r.expect("every item ran")).collect()
}

/// What one test saw: a tally line per case and client, and failures.
#[derive(Default)]
struct Report {
    rows: Vec<String>,
    failures: Vec<String>,
}

impl Report {
    fn merge(&mut self, other: Report) {
        self.rows.extend(other.rows);
        self.failures.extend(other.failures);
    }

    fn fail(&mut self, client: &str, case: &Case, file: &Path, lines: &[String]) {
        let mut s = format!("[{client}] {} — {}", case.name, file.display());
        for l in lines.iter().take(25) {
            let _ = write!(s, "\n    {}", l.replace('\n', "\n    "));
        }
        if lines.len() > 25 {
            let _ = write!(s, "\n    … and {} more", lines.len() - 25);
        }
        self.failures.push(s);
    }

    /// Prints the tally (uncaptured, so it shows in every run) and fails with the failures.
    fn finish(self, title: &str) {
        let mut text = format!("\n=== {title}\n");
        for row in &self.rows {
            let _ = writeln!(text, "  {row}");
        }
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
        assert!(
            self.failures.is_empty(),
            "{title}: {} problems (files and logs stay under {})\n\n{}\n",
            self.failures.len(),
            base_dir().display(),
            self.failures.join("\n\n")
        );
    }
}

/// The reports of parallel jobs, merged in order.
impl FromIterator<Report> for Report {
    fn from_iter<I: IntoIterator<Item = Report>>(reports: I) -> Self {
        let mut all = Report::default();
        reports.into_iter().for_each(|r| all.merge(r));
        all
    }
}

/// The clients a test needs, or a failure naming the install script.
fn need(names: &[&str]) -> &'static Clients {
    let clients = tools::clients();
    let mut missing = Vec::new();
    for name in names {
        let found = match *name {
            "python" => clients.python.as_ref().map(|_| ()).map_err(Clone::clone),
            "pandoc3" => clients.pandoc3.as_ref().map(|_| ()).map_err(Clone::clone),
            "citation-js" => clients.citation_js.as_ref().map(|_| ()).map_err(Clone::clone),
            program => clients.program(program).map(|_| ()),
        };
        if let Err(e) = found {
            missing.push(e);
        }
    }
    assert!(
        missing.is_empty(),
        "clients missing (a failure, never a skip):\n{}",
        missing.join("\n")
    );
    clients
}

/// The cases with records (a case without any is a failure of its own test).
fn cases() -> Vec<&'static Case> {
    prepared().cases.iter().filter(|c| !c.records.is_empty()).collect()
}

// ------------------------------------------------------------------------------------------
// The tests.

#[test]
fn clients_are_installed() {
    let clients = tools::clients();
    let _ = std::io::stderr()
        .lock()
        .write_all(format!("\n=== client versions\n{}", clients.version_table()).as_bytes());
    let missing = clients.missing();
    assert!(missing.is_empty(), "clients missing:\n{}", missing.join("\n"));
}

#[test]
fn every_case_has_records_and_outputs() {
    let p = prepared();
    let mut report = Report::default();
    for case in &p.cases {
        let sizes: Vec<String> = Out::ALL
            .iter()
            .map(|o| {
                format!("{} {}B", o.file(), fs::metadata(case.path(*o)).map_or(0, |m| m.len()))
            })
            .collect();
        report.rows.push(format!(
            "{}: {} records; {}",
            case.name,
            case.records.len(),
            sizes.join(", ")
        ));
    }
    report.rows.extend(p.notes.iter().map(|n| format!("note: {n}")));
    report.failures.extend(p.problems.iter().cloned());
    report.finish("cases");
}

#[test]
fn bibtex_compiles_under_plain_unsrt_and_plainnat() {
    let clients = need(&["pdflatex", "bibtex"]);
    let jobs: Vec<(&Case, &str)> = cases()
        .into_iter()
        .flat_map(|c| ["plain", "unsrt", "plainnat"].map(move |s| (c, s)))
        .collect();
    let reports = par_map(&jobs, |&(case, style)| {
        let mut r = Report::default();
        let bib = case.text(Out::BibAscii);
        let verdict = case
            .work_dir(&format!("bibtex-{style}"))
            .and_then(|dir| tex::write(&dir, "refs.bib", &bib).map(|()| dir))
            .and_then(|dir| {
                tex::bibtex(clients, &dir, style, &bib, &case.records).map(|v| (dir, v))
            });
        match verdict {
            Ok((dir, v)) => {
                r.rows.push(format!("{} [{style}]: {}", case.name, v.tally()));
                let mut problems = v.problems();
                if v.entries != case.records.len() {
                    problems.push(format!(
                        "{} entries in the bibliography, {} records written",
                        v.entries,
                        case.records.len()
                    ));
                }
                if !problems.is_empty() {
                    r.fail(
                        &format!("pdflatex+bibtex {style}"),
                        case,
                        &dir.join("doc.blg"),
                        &problems,
                    );
                }
            }
            Err(e) => {
                r.fail(&format!("pdflatex+bibtex {style}"), case, &case.path(Out::BibAscii), &[e])
            }
        }
        r
    });
    reports
        .into_iter()
        .collect::<Report>()
        .finish("pdflatex + bibtex (plain, unsrt, plainnat) on the --ascii BibTeX");
}

#[test]
fn biblatex_compiles_with_biber() {
    let clients = need(&["pdflatex", "biber"]);
    let reports = par_map(&cases(), |case| {
        let mut r = Report::default();
        let bib = case.text(Out::BiblatexAscii);
        let verdict = case
            .work_dir("biblatex")
            .and_then(|dir| tex::write(&dir, "refs.bib", &bib).map(|()| dir))
            .and_then(|dir| tex::biblatex(clients, &dir, &bib, &case.records).map(|v| (dir, v)));
        match verdict {
            Ok((dir, v)) => {
                r.rows.push(format!("{}: {}", case.name, v.tally()));
                let mut problems = v.problems();
                if v.entries != case.records.len() {
                    problems.push(format!(
                        "{} entries in the bibliography, {} records written",
                        v.entries,
                        case.records.len()
                    ));
                }
                if !problems.is_empty() {
                    r.fail("pdflatex+biblatex+biber", case, &dir.join("doc.blg"), &problems);
                }
            }
            Err(e) => r.fail("pdflatex+biblatex+biber", case, &case.path(Out::BiblatexAscii), &[e]),
        }
        r
    });
    reports
        .into_iter()
        .collect::<Report>()
        .finish("pdflatex + biblatex + biber on the --ascii BibLaTeX");
}

#[test]
fn biber_validates_the_datamodel() {
    let clients = need(&["biber"]);
    let reports = par_map(&cases(), |case| {
        let mut r = Report::default();
        let bib = case.text(Out::Biblatex);
        let verdict = case
            .work_dir("biber-validate")
            .and_then(|dir| tex::write(&dir, "refs.bib", &bib).map(|()| dir))
            .and_then(|dir| tex::validate(clients, &dir, &bib, &case.records).map(|v| (dir, v)));
        match verdict {
            Ok((dir, v)) => {
                r.rows.push(format!("{}: {}", case.name, v.tally()));
                let mut problems = v.problems();
                if v.entries != case.records.len() {
                    problems.push(format!(
                        "{} entries in the .bib, {} records written",
                        v.entries,
                        case.records.len()
                    ));
                }
                if !problems.is_empty() {
                    r.fail(
                        "biber --tool --validate-datamodel",
                        case,
                        &dir.join("refs.bib"),
                        &problems,
                    );
                }
            }
            Err(e) => {
                r.fail("biber --tool --validate-datamodel", case, &case.path(Out::Biblatex), &[e])
            }
        }
        r
    });
    reports
        .into_iter()
        .collect::<Report>()
        .finish("biber --tool --validate-datamodel on the UTF-8 BibLaTeX");
}

/// pandoc reading one of our files as `from`, to CSL-JSON items.
fn pandoc_items(
    pandoc: &Path,
    from: &str,
    file: &Path,
) -> Result<(Vec<Value>, Vec<String>), String> {
    let out = tools::run(
        Command::new(pandoc).args(["-f", from, "-t", "csljson"]).arg(file),
        file.parent().unwrap_or(Path::new(".")),
        None,
    )?;
    let warnings: Vec<String> =
        out.stderr.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect();
    if out.code != Some(0) {
        return Err(format!(
            "pandoc -f {from} exited {:?}:\n{}",
            out.code,
            tools::tail(&out.stderr, 8)
        ));
    }
    match serde_json::from_str::<Value>(&out.stdout) {
        Ok(Value::Array(items)) => Ok((items, warnings)),
        _ => Err(format!(
            "pandoc -f {from} gave no JSON array: {}",
            out.stdout.chars().take(200).collect::<String>()
        )),
    }
}

/// A pandoc run: its label, the program, the `-f` format, and the file it reads.
type PandocReader<'a> = (&'a str, &'a Path, &'a str, Out);

#[test]
fn pandoc_reads_every_output_with_the_same_count() {
    let clients = need(&["pandoc", "pandoc3"]);
    let pandoc2 = clients.program("pandoc").expect("checked").to_path_buf();
    let pandoc3 = clients.pandoc3.clone().expect("checked");
    let readers: Vec<PandocReader<'_>> = vec![
        ("pandoc 2", &pandoc2, "bibtex", Out::Bib),
        ("pandoc 2", &pandoc2, "bibtex", Out::BibAscii),
        ("pandoc 2", &pandoc2, "biblatex", Out::Biblatex),
        ("pandoc 2", &pandoc2, "csljson", Out::Json),
        ("pandoc 3", &pandoc3, "bibtex", Out::Bib),
        ("pandoc 3", &pandoc3, "bibtex", Out::BibAscii),
        ("pandoc 3", &pandoc3, "biblatex", Out::Biblatex),
        ("pandoc 3", &pandoc3, "csljson", Out::Json),
        ("pandoc 3", &pandoc3, "ris", Out::Ris),
    ];
    let jobs: Vec<(&Case, &PandocReader<'_>)> =
        cases().into_iter().flat_map(|c| readers.iter().map(move |r| (c, r))).collect();
    let reports = par_map(&jobs, |&(case, &(name, exe, from, out))| {
        let mut r = Report::default();
        let file = case.path(out);
        let client = format!("{name} -f {from}");
        match pandoc_items(exe, from, &file) {
            Ok((items, warnings)) => {
                r.rows.push(format!(
                    "{} {} [{client}]: {} records, {} warnings",
                    case.name,
                    out.file(),
                    items.len(),
                    warnings.len()
                ));
                let mut problems = warnings;
                if items.len() != case.records.len() {
                    problems.push(format!(
                        "read {} records, {} written",
                        items.len(),
                        case.records.len()
                    ));
                }
                if !problems.is_empty() {
                    r.fail(&client, case, &file, &problems);
                }
            }
            Err(e) => r.fail(&client, case, &file, &[e]),
        }
        r
    });
    reports
        .into_iter()
        .collect::<Report>()
        .finish("pandoc 2 and 3 read the .bib, BibLaTeX, CSL-JSON and (pandoc 3) RIS");
}

/// Runs a driver script (node or Python) on `jobs` and returns its JSON results.
fn driver(exe: &Path, script: &str, jobs: &[Value]) -> Result<Vec<Value>, String> {
    let input = serde_json::to_vec(jobs).expect("jobs serialise");
    let script = tools::root().join("tests/clients").join(script);
    let out = tools::run(Command::new(exe).arg(&script), &tools::root(), Some(&input))?;
    if out.code != Some(0) {
        return Err(format!(
            "{} exited {:?}:\n{}",
            script.display(),
            out.code,
            out.stderr_tail(12)
        ));
    }
    serde_json::from_str(&out.stdout).map_err(|e| {
        format!(
            "{}: bad JSON ({e}): {}",
            script.display(),
            out.stdout.chars().take(300).collect::<String>()
        )
    })
}

fn job(case: &Case, out: Out, format: &str) -> Value {
    serde_json::json!({ "path": case.path(out), "format": format })
}

#[test]
fn citation_js_reads_every_output_with_the_same_count() {
    let clients = need(&["node", "citation-js"]);
    let node = clients.program("node").expect("checked");
    let kinds = [
        (Out::Bib, "bibtex"),
        (Out::BibAscii, "bibtex"),
        (Out::Biblatex, "biblatex"),
        (Out::Ris, "ris"),
        (Out::Json, "csl-json"),
    ];
    let cases = cases();
    let jobs: Vec<(&Case, Out)> = cases.iter().flat_map(|c| kinds.map(|(o, _)| (*c, o))).collect();
    let specs: Vec<Value> = cases.iter().flat_map(|c| kinds.map(|(o, f)| job(c, o, f))).collect();
    let results = driver(node, "citation-js.cjs", &specs)
        .unwrap_or_else(|e| panic!("citation-js driver failed: {e}"));
    let mut report = Report::default();
    for ((case, out), res) in jobs.iter().zip(&results) {
        let count = res["count"].as_u64().map(|n| n as usize);
        let logs: Vec<String> = res["logs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|l| l.as_str().map(str::to_owned))
            .collect();
        report.rows.push(format!(
            "{} {} [citation-js]: {} records, {} warnings",
            case.name,
            out.file(),
            count.map_or("no".into(), |n| n.to_string()),
            logs.len()
        ));
        let mut problems = logs;
        if let Some(err) = res["error"].as_str() {
            problems.push(format!("error: {err}"));
        }
        if count != Some(case.records.len()) {
            problems.push(format!("read {count:?} records, {} written", case.records.len()));
        }
        if !problems.is_empty() {
            report.fail("citation-js", case, &case.path(*out), &problems);
        }
    }
    report.finish("citation-js reads the .bib, BibLaTeX, RIS and CSL-JSON");
}

#[test]
fn rispy_and_bibtexparser_read_every_output_with_the_same_count() {
    let clients = need(&["python"]);
    let python = clients.python.as_ref().expect("checked");
    let kinds = [
        (Out::Bib, "bibtex"),
        (Out::BibAscii, "bibtex"),
        (Out::Biblatex, "biblatex"),
        (Out::Ris, "ris"),
    ];
    let cases = cases();
    let jobs: Vec<(&Case, Out)> = cases.iter().flat_map(|c| kinds.map(|(o, _)| (*c, o))).collect();
    let specs: Vec<Value> = cases.iter().flat_map(|c| kinds.map(|(o, f)| job(c, o, f))).collect();
    let results = driver(python, "py_readers.py", &specs)
        .unwrap_or_else(|e| panic!("Python driver failed: {e}"));
    let mut report = Report::default();
    for ((case, out), res) in jobs.iter().zip(&results) {
        let reader = res["reader"].as_str().unwrap_or("python");
        let count = res["count"].as_u64().map(|n| n as usize);
        let mut problems: Vec<String> = res["problems"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|l| l.as_str().map(str::to_owned))
            .collect();
        report.rows.push(format!(
            "{} {} [{reader}]: {} records, {} problems",
            case.name,
            out.file(),
            count.map_or("no".into(), |n| n.to_string()),
            problems.len()
        ));
        if let Some(err) = res["error"].as_str() {
            problems.push(format!("error: {err}"));
        }
        if count != Some(case.records.len()) {
            problems.push(format!("read {count:?} records, {} written", case.records.len()));
        }
        if !problems.is_empty() {
            report.fail(reader, case, &case.path(*out), &problems);
        }
    }
    report.finish("rispy reads the RIS, bibtexparser the .bib and BibLaTeX");
}

/// Compares the items a reader made of `out` with the case's records.
fn survival(
    report: &mut Report,
    client: &str,
    case: &Case,
    out: Out,
    items: &[Value],
    how: Strictness,
) {
    let file = case.path(out);
    if items.len() != case.records.len() {
        report.fail(
            client,
            case,
            &file,
            &[format!(
                "read {} records, {} written: fields not compared",
                items.len(),
                case.records.len()
            )],
        );
        return;
    }
    let mut problems = Vec::new();
    for (i, (rec, item)) in case.records.iter().zip(items).enumerate() {
        for diff in survive::compare(rec, item, how) {
            let label = rec
                .title
                .as_deref()
                .or(rec.original_title.as_deref())
                .or(rec.container_title_short.as_deref())
                .unwrap_or("untitled")
                .chars()
                .take(40)
                .collect::<String>();
            problems.push(format!("record {} ({label}…): {diff}", i + 1));
        }
    }
    report.rows.push(format!(
        "{} {} [{client}]: {} records, {} fields lost or changed",
        case.name,
        out.file(),
        items.len(),
        problems.len()
    ));
    if !problems.is_empty() {
        report.fail(client, case, &file, &problems);
    }
}

#[test]
fn fields_survive_through_pandoc_and_citation_js() {
    let clients = need(&["pandoc3", "node", "citation-js"]);
    let pandoc3 = clients.pandoc3.as_ref().expect("checked");
    let node = clients.program("node").expect("checked");
    let cases: Vec<&Case> = cases().into_iter().filter(|c| c.survival).collect();
    let pandoc_paths = [
        ("ris", Out::Ris, Strictness::PandocRis),
        ("csljson", Out::Json, Strictness::Exact),
        ("bibtex", Out::Bib, Strictness::Bib),
        ("bibtex", Out::BibAscii, Strictness::BibAscii),
        ("biblatex", Out::Biblatex, Strictness::Bib),
    ];
    let jobs: Vec<(&Case, (&str, Out, Strictness))> =
        cases.iter().flat_map(|c| pandoc_paths.map(|p| (*c, p))).collect();
    let reports = par_map(&jobs, |&(case, (from, out, how))| {
        let mut r = Report::default();
        let client = format!("pandoc 3 -f {from}");
        match pandoc_items(pandoc3, from, &case.path(out)) {
            Ok((items, _)) => survival(&mut r, &client, case, out, &items, how),
            Err(e) => r.fail(&client, case, &case.path(out), &[e]),
        }
        r
    });
    let mut report = Report::default();
    reports.into_iter().for_each(|r| report.merge(r));

    let kinds = [(Out::Ris, "ris"), (Out::Json, "csl-json")];
    let specs: Vec<Value> = cases.iter().flat_map(|c| kinds.map(|(o, f)| job(c, o, f))).collect();
    let results = driver(node, "citation-js.cjs", &specs)
        .unwrap_or_else(|e| panic!("citation-js driver failed: {e}"));
    let jobs: Vec<(&Case, Out)> = cases.iter().flat_map(|c| kinds.map(|(o, _)| (*c, o))).collect();
    for ((case, out), res) in jobs.iter().zip(&results) {
        let items: Vec<Value> = res["items"].as_array().cloned().unwrap_or_default();
        let how = if *out == Out::Ris { Strictness::CitationJsRis } else { Strictness::Exact };
        survival(&mut report, "citation-js", case, *out, &items, how);
    }
    report.finish("title, authors, journal, volume, issue, pages, date, DOI and abstract survive");
}

// ------------------------------------------------------------------------------------------
// The harness itself: it must catch what it is there to catch, and pass what is right.

fn self_test_case(name: &str, records: Vec<Record>) -> Case {
    let dir = base_dir().join("self-test").join(name);
    let _ = fs::create_dir_all(&dir);
    Case { name: format!("self-test {name}"), dir, records, survival: true }
}

#[test]
fn harness_catches_broken_bibtex_and_passes_good_bibtex() {
    let clients = need(&["pdflatex", "bibtex"]);
    let mut rec = Record::new(Kind::ArticleJournal);
    rec.title = Some("Costs & benefits".into());
    rec.author = vec![Person::from_parts("Checkland", "Kath")];
    rec.container_title = Some("Research & Policy".into());
    rec.issued = Some(Date::ymd(2013, None, None));
    let mut untitled = Record::new(Kind::Webpage);
    untitled.title = Some("Only a title".into());
    let case = self_test_case("bibtex", vec![rec, untitled]);

    let good = "@article{checkland2013costs,\n  author = {Checkland, Kath},\n  title = {Costs \\& benefits},\n  journal = {Research \\& Policy},\n  year = {2013},\n}\n\n@misc{anononly,\n  title = {Only a title},\n}\n";
    let dir = case.work_dir("good").unwrap();
    tex::write(&dir, "refs.bib", good).unwrap();
    let v = tex::bibtex(clients, &dir, "plainnat", good, &case.records).unwrap();
    assert!(v.problems().is_empty() && v.entries == 2, "a correct .bib was judged wrong: {v:?}");
    assert!(!v.fair_warnings.is_empty(), "the untitled misc should give fair warnings: {v:?}");

    // Unescaped `&`, no journal though the record has one, and a 3rd character LaTeX lacks.
    let bad = "@article{checkland2013costs,\n  author = {Checkland, Kath},\n  title = {Costs & benefits \u{3b1}},\n  year = {2013},\n}\n\n@misc{anononly,\n  title = {Only a title},\n}\n";
    let dir = case.work_dir("bad").unwrap();
    tex::write(&dir, "refs.bib", bad).unwrap();
    let v = tex::bibtex(clients, &dir, "plain", bad, &case.records).unwrap();
    let all = v.problems().join("\n");
    assert!(all.contains("Misplaced alignment tab character &"), "unescaped & not caught:\n{all}");
    assert!(
        all.contains("empty journal in checkland2013costs"),
        "missing journal not caught:\n{all}"
    );
    assert!(all.contains("U+03B1"), "Greek α (has an escape) not caught:\n{all}");
}

#[test]
fn harness_catches_biber_complaints() {
    let clients = need(&["pdflatex", "biber"]);
    let mut rec = Record::new(Kind::ArticleJournal);
    rec.title = Some("T".into());
    rec.author = vec![Person::from_parts("Checkland", "Kath")];
    rec.container_title = Some("J".into());
    let case = self_test_case("biber", vec![rec]);
    let bad = "@article{k,\n  author = {Checkland, Kath},\n  title = {T},\n  journaltitle = {J},\n  date = {2019/04/05},\n  funding = {x},\n}\n";
    let dir = case.work_dir("validate").unwrap();
    tex::write(&dir, "refs.bib", bad).unwrap();
    let v = tex::validate(clients, &dir, bad, &case.records).unwrap();
    let all = v.problems().join("\n");
    assert!(
        all.contains("Invalid format '2019/04/05' of date field"),
        "bad date not caught:\n{all}"
    );
    assert!(
        all.contains("Field 'funding' invalid in data model"),
        "unknown field not caught:\n{all}"
    );
    assert!(
        v.fair_warnings.iter().any(|w| w.contains("date, year")),
        "missing date is fair here: {v:?}"
    );

    let dir = case.work_dir("compile").unwrap();
    tex::write(&dir, "refs.bib", bad).unwrap();
    let v = tex::biblatex(clients, &dir, bad, &case.records).unwrap();
    assert_eq!(v.entries, 1, "{v:?}");
    assert!(
        v.problems().join("\n").contains("Invalid format"),
        "biber's date warning not caught: {v:?}"
    );
}

#[test]
fn harness_passes_correct_ris_and_csl_json_through_pandoc_and_citation_js() {
    let clients = need(&["pandoc3", "node", "citation-js"]);
    let mut rec = Record::new(Kind::ArticleJournal);
    rec.title = Some("Müller’s “naïve” café & the NHS".into());
    rec.author =
        vec![Person::from_parts("Checkland", "Kath"), Person::from_parts("van der Berg", "Jan H.")];
    rec.container_title = Some("Journal of Health Services Research & Policy".into());
    rec.volume = Some("22".into());
    rec.issue = Some("1".into());
    rec.page = Some("49-56".into());
    rec.issued = Some(Date::ymd(2019, Some(4), Some(5)));
    rec.doi = Some("10.1177/1355819617739039".into());
    rec.abstract_text = Some("Objectives: one.\n\nMethods: two.".into());
    let case = self_test_case("survival", vec![rec]);
    let ris = "TY  - JOUR\nAU  - Checkland, Kath\nAU  - van der Berg, Jan H.\nTI  - Müller’s “naïve” café & the NHS\nT2  - Journal of Health Services Research & Policy\nVL  - 22\nIS  - 1\nSP  - 49\nEP  - 56\nPY  - 2019\nDA  - 2019/04/05/\nDO  - 10.1177/1355819617739039\nAB  - Objectives: one. Methods: two.\nER  - \n";
    let json = r#"[{"id":"checkland2019muller","type":"article-journal","title":"Müller’s “naïve” café & the NHS","author":[{"family":"Checkland","given":"Kath"},{"family":"van der Berg","given":"Jan H."}],"container-title":"Journal of Health Services Research & Policy","volume":"22","issue":"1","page":"49-56","issued":{"date-parts":[[2019,4,5]]},"DOI":"10.1177/1355819617739039","abstract":"Objectives: one.\n\nMethods: two."}]"#;
    fs::write(case.path(Out::Ris), ris).unwrap();
    fs::write(case.path(Out::Json), json).unwrap();
    let mut report = Report::default();
    for (from, out) in [("ris", Out::Ris), ("csljson", Out::Json)] {
        let (items, _) =
            pandoc_items(clients.pandoc3.as_ref().unwrap(), from, &case.path(out)).unwrap();
        let how = if out == Out::Ris { Strictness::PandocRis } else { Strictness::Exact };
        survival(&mut report, &format!("pandoc 3 -f {from}"), &case, out, &items, how);
    }
    let specs = vec![job(&case, Out::Ris, "ris"), job(&case, Out::Json, "csl-json")];
    let results = driver(clients.program("node").unwrap(), "citation-js.cjs", &specs).unwrap();
    for (out, res) in [Out::Ris, Out::Json].into_iter().zip(&results) {
        let items = res["items"].as_array().cloned().unwrap_or_default();
        let how = if out == Out::Ris { Strictness::CitationJsRis } else { Strictness::Exact };
        survival(&mut report, "citation-js", &case, out, &items, how);
    }
    // And a changed field is caught.
    let mut wrong = case.records[0].clone();
    wrong.volume = Some("23".into());
    let items: Vec<Value> = serde_json::from_str(json).unwrap();
    assert_eq!(survive::compare(&wrong, &items[0], Strictness::Exact).len(), 1);
    report.finish("self-test: correct RIS and CSL-JSON survive");
}
