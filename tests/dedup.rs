//! `bibconv::dedup` on synthetic records: one test per duplicate rule, one per refusal, and
//! the merge of a cluster field by field. The seeds' acceptance test is in
//! `tests/dedup_seeds.rs`.

use bibconv::dedup::{DedupOptions, Rule, Source, dedup, journals_match, title_key};
use bibconv::{Date, Kind, Person, Record};

/// A journal article with the fields the rules look at.
fn article(title: Option<&str>, author: &str, year: i32) -> Record {
    Record {
        kind: Kind::ArticleJournal,
        title: title.map(str::to_owned),
        author: if author.is_empty() { Vec::new() } else { vec![Person::parse(author)] },
        issued: Some(Date::ymd(year, None, None)),
        ..Record::default()
    }
}

fn with_doi(mut r: Record, doi: &str) -> Record {
    r.doi = Some(doi.to_owned());
    r
}

fn with_pmid(mut r: Record, pmid: &str) -> Record {
    r.pmid = Some(pmid.to_owned());
    r
}

/// Journal (full title when `full`, else abbreviation), volume, issue, pages.
fn located(
    mut r: Record,
    journal: &str,
    full: bool,
    volume: &str,
    issue: &str,
    page: &str,
) -> Record {
    if full {
        r.container_title = Some(journal.to_owned());
    } else {
        r.container_title_short = Some(journal.to_owned());
    }
    r.volume = (!volume.is_empty()).then(|| volume.to_owned());
    r.issue = (!issue.is_empty()).then(|| issue.to_owned());
    r.page = (!page.is_empty()).then(|| page.to_owned());
    r
}

/// Runs dedup on two sources, `a.txt` and `b.txt`.
fn run(a: Vec<Record>, b: Vec<Record>) -> (Vec<Record>, bibconv::dedup::Report) {
    dedup(vec![Source::new("a.txt", a), Source::new("b.txt", b)], &DedupOptions::default())
}

/// Asserts that the two records were merged into one, by `rule`.
fn assert_merged(a: Record, b: Record, rule: Rule) -> Record {
    let (out, report) = run(vec![a], vec![b]);
    assert_eq!(out.len(), 1, "expected one record, got {out:#?}\n{report}");
    assert_eq!(report.clusters.len(), 1);
    assert_eq!(report.clusters[0].links[0].rule, rule, "{report}");
    assert!(report.refusals.is_empty(), "{report}");
    out.into_iter().next().unwrap()
}

/// Asserts that the two records stay apart; returns the report.
fn assert_apart(a: Record, b: Record) -> bibconv::dedup::Report {
    let (out, report) = run(vec![a.clone()], vec![b.clone()]);
    assert_eq!(out, vec![a, b], "expected both records unchanged\n{report}");
    assert!(report.clusters.is_empty());
    report
}

// ---- rule 1: DOI ----------------------------------------------------------------------

#[test]
fn same_doi_merges_whatever_the_case_and_resolver_prefix() {
    let a = with_doi(article(Some("One title"), "Smith, John", 2015), "10.1108/JHOM-09-2013-0191");
    let b = with_doi(
        article(Some("Another"), "Doe, Jane", 2014),
        "https://doi.org/10.1108/jhom-09-2013-0191",
    );
    let m = assert_merged(a, b, Rule::Doi);
    assert_eq!(m.title.as_deref(), Some("One title"));
    assert_eq!(m.extra.get("merged-title").map(String::as_str), Some("Another"));
}

#[test]
fn doi_copied_from_a_url_with_percent_escapes_matches() {
    let a = with_doi(article(Some("A"), "Smith, John", 2015), "https://doi.org/10.1002%2Fhpm.2297");
    let b = with_doi(article(Some("B"), "Doe, Jane", 2016), "doi:10.1002/HPM.2297");
    assert_merged(a, b, Rule::Doi);
}

// ---- rule 2: PMID ---------------------------------------------------------------------

#[test]
fn same_pmid_merges() {
    let a = with_pmid(article(None, "", 2015), "25735554");
    let b = with_pmid(
        article(Some("Leadership for health commissioning"), "Coleman, Anna", 2015),
        "25735554",
    );
    let m = assert_merged(a, b, Rule::Pmid);
    assert_eq!(m.title.as_deref(), Some("Leadership for health commissioning"));
}

#[test]
fn pmids_compare_without_leading_zeros_and_zero_is_no_pmid() {
    let a = with_pmid(article(Some("A"), "Smith, John", 2015), "PMID: 0123");
    let b = with_pmid(article(Some("B"), "Doe, Jane", 2016), "123");
    assert_merged(a, b, Rule::Pmid);
    assert_apart(
        with_pmid(article(Some("A"), "Smith, John", 2015), "0"),
        with_pmid(article(Some("B"), "Doe, Jane", 2016), "000"),
    );
}

// ---- rule 3: title + year + first author ------------------------------------------------

#[test]
fn same_title_year_and_first_author_merge_across_case_accents_and_punctuation() {
    let a = article(Some("Über die Gesundheit: eine “Studie”"), "Müller, Jörg", 2001);
    let b = article(Some("UBER DIE GESUNDHEIT - EINE STUDIE."), "Muller, J", 2001);
    assert_merged(a, b, Rule::Title);
}

#[test]
fn chinese_titles_compare_by_their_characters() {
    let a = article(Some("卫生政策研究：一项综述"), "王小明", 2020);
    let b = article(Some("卫生政策研究 一项综述"), "王小明", 2020);
    assert_merged(a, b, Rule::Title);
    // Two different titles that transliterate alike must not meet.
    assert_ne!(title_key("卫生政策"), title_key("卫生政册"));
    let c = article(Some("卫生政策研究"), "王小明", 2020);
    let d = article(Some("卫生改革研究"), "王小明", 2020);
    assert_apart(c, d);
}

#[test]
fn original_title_matches_a_title() {
    let mut a = article(Some("卫生政策研究"), "Wang, Xiaoming", 2020);
    a.original_title = Some("Health policy research".to_owned());
    let b = article(Some("Health Policy Research"), "Wang, X.", 2020);
    assert_merged(a, b, Rule::Title);
}

// ---- rule 4: journal + year + volume + first page, one side untitled ---------------------

#[test]
fn abbreviation_and_full_title_with_same_locator_merge_when_one_has_no_title() {
    let a = located(article(None, "", 2015), "J Health Organ Manag", false, "29", "1", "75-91");
    let b = located(
        article(Some("Leadership for health commissioning in the new NHS"), "Coleman, Anna", 2015),
        "JOURNAL OF HEALTH ORGANIZATION AND MANAGEMENT",
        true,
        "29",
        "01",
        "75 - 91",
    );
    let m = assert_merged(a, b, Rule::Locator);
    assert_eq!(m.container_title.as_deref(), Some("JOURNAL OF HEALTH ORGANIZATION AND MANAGEMENT"));
    assert_eq!(m.container_title_short.as_deref(), Some("J Health Organ Manag"));
    assert_eq!(m.issue.as_deref(), Some("1"), "the form without leading zero is kept");
}

#[test]
fn two_untitled_records_with_the_same_locator_merge() {
    let a = located(article(None, "", 2017), "J Health Serv Res Policy", false, "22", "1", "4-11");
    let b = located(article(None, "", 2017), "J. Health Serv. Res. Policy", false, "22", "", "4");
    assert_merged(a, b, Rule::Locator);
}

#[test]
fn journal_abbreviation_matching() {
    for (a, b) in [
        ("J Health Organ Manag", "JOURNAL OF HEALTH ORGANIZATION AND MANAGEMENT"),
        ("J Health Serv Res Policy", "JOURNAL OF HEALTH SERVICES RESEARCH & POLICY"),
        ("Br J Gen Pract", "British Journal of General Practice"),
        ("Soc Sci Med", "Social Science & Medicine"),
        ("J Public Health (Oxf)", "Journal of Public Health"),
        ("BMJ Open", "BMJ OPEN"),
    ] {
        assert!(journals_match(a, b), "{a} = {b}");
    }
    for (a, b) in [
        ("J Health Econ", "Journal of Health Organization and Management"),
        ("J Health", "Journal of Health Services Research and Policy"),
        ("BMJ", "BMJ-BRITISH MEDICAL JOURNAL"),
        ("Lancet Oncol", "LANCET"),
        ("J Topic 1", "Journal of Topic 12"),
    ] {
        assert!(!journals_match(a, b), "{a} != {b}");
    }
}

// ---- refusals ---------------------------------------------------------------------------

#[test]
fn different_dois_are_never_merged_even_with_the_same_title() {
    let a = with_doi(article(Some("Same title"), "Smith, John", 2015), "10.1000/one");
    let b = with_doi(article(Some("Same title"), "Smith, John", 2015), "10.1000/two");
    let report = assert_apart(a, b);
    assert_eq!(report.refusals.len(), 1);
    assert_eq!(report.refusals[0].rule, Rule::Title);
    assert!(report.refusals[0].reason.contains("different DOIs"), "{report}");
}

#[test]
fn different_pmids_are_never_merged_even_with_the_same_doi() {
    let a = with_pmid(with_doi(article(Some("T"), "Smith, John", 2015), "10.1000/x"), "111");
    let b = with_pmid(with_doi(article(Some("T"), "Smith, John", 2015), "10.1000/X"), "222");
    let report = assert_apart(a, b);
    assert!(report.refusals.iter().all(|r| r.reason.contains("different PMIDs")), "{report}");
    assert!(report.refusals.iter().any(|r| r.rule == Rule::Doi));
}

#[test]
fn a_cluster_never_gathers_conflicting_ids_through_a_third_record() {
    // b matches a by DOI and c by title; a and c have different PMIDs.
    let a = with_pmid(with_doi(article(Some("First"), "Smith, John", 2015), "10.1000/x"), "111");
    let b = with_doi(article(Some("Second"), "Smith, John", 2015), "10.1000/x");
    let c = with_pmid(article(Some("Second"), "Smith, John", 2015), "222");
    let (out, report) = run(vec![a, b], vec![c]);
    assert_eq!(out.len(), 2, "{report}");
    assert_eq!(report.clusters.len(), 1);
    assert_eq!(report.refusals.len(), 1);
    assert!(report.refusals[0].reason.contains("different PMIDs"));
}

#[test]
fn same_title_in_another_year_is_another_record() {
    assert_apart(
        article(Some("Annual report on health"), "Smith, John", 2015),
        article(Some("Annual report on health"), "Smith, John", 2016),
    );
}

#[test]
fn same_title_and_year_with_another_first_author_is_another_record() {
    assert_apart(
        article(Some("Editorial"), "Smith, John", 2015),
        article(Some("Editorial"), "Jones, Mary", 2015),
    );
}

#[test]
fn title_rule_needs_an_author_and_a_year() {
    assert_apart(article(Some("Editorial"), "", 2015), article(Some("Editorial"), "", 2015));
    let mut a = article(Some("Editorial"), "Smith, John", 2015);
    let mut b = a.clone();
    a.issued = None;
    b.issued = None;
    assert_apart(a, b);
}

#[test]
fn abbreviation_of_another_journal_does_not_merge() {
    assert_apart(
        located(article(None, "", 2015), "J Health Econ", false, "29", "1", "75-91"),
        located(
            article(Some("A paper"), "Coleman, Anna", 2015),
            "JOURNAL OF HEALTH ORGANIZATION AND MANAGEMENT",
            true,
            "29",
            "1",
            "75-91",
        ),
    );
}

#[test]
fn locator_rule_needs_the_same_year_volume_first_page_and_issue() {
    let full = |year, volume, issue, page| {
        located(
            article(Some("A paper"), "Coleman, Anna", year),
            "Journal of Health Policy",
            true,
            volume,
            issue,
            page,
        )
    };
    let abbr = located(article(None, "", 2015), "J Health Policy", false, "29", "1", "75-91");
    assert_apart(abbr.clone(), full(2016, "29", "1", "75-91"));
    assert_apart(abbr.clone(), full(2015, "30", "1", "75-91"));
    assert_apart(abbr.clone(), full(2015, "29", "1", "76-91"));
    assert_apart(abbr.clone(), full(2015, "29", "2", "75-91"));
    // No pages on one side (CNKI prints `3 (12):`): no match.
    assert_apart(abbr, full(2015, "29", "1", ""));
}

#[test]
fn locator_rule_does_not_apply_when_both_have_titles() {
    let a = located(
        article(Some("One paper"), "Smith, John", 2015),
        "J Health Policy",
        false,
        "29",
        "1",
        "75",
    );
    let b = located(
        article(Some("Other paper"), "Smith, John", 2015),
        "Journal of Health Policy",
        true,
        "29",
        "1",
        "75",
    );
    assert_apart(a, b);
}

#[test]
fn an_untitled_record_matching_two_different_papers_is_left_alone() {
    let abbr = located(article(None, "", 2015), "J Health Policy", false, "29", "1", "75");
    let one = located(
        article(Some("One paper"), "Smith, John", 2015),
        "Journal of Health Policy",
        true,
        "29",
        "1",
        "75",
    );
    let two = located(
        article(Some("Other paper"), "Jones, Mary", 2015),
        "Journal of Health Policy",
        true,
        "29",
        "1",
        "75",
    );
    let (out, report) = run(vec![abbr], vec![one, two]);
    assert_eq!(out.len(), 3, "{report}");
    assert!(report.clusters.is_empty());
    assert_eq!(report.refusals.len(), 1);
    assert!(report.refusals[0].reason.contains("ambiguous"), "{report}");
}

#[test]
fn rules_can_be_turned_off() {
    let a = with_doi(article(Some("T"), "Smith, John", 2015), "10.1000/x");
    let b = with_doi(article(Some("U"), "Doe, Jane", 2015), "10.1000/x");
    let options = DedupOptions { by_doi: false, ..DedupOptions::default() };
    let (out, _) = dedup(vec![Source::new("a", vec![a, b])], &options);
    assert_eq!(out.len(), 2);
}

// ---- merge -------------------------------------------------------------------------------

/// The BVS side of a pair: abbreviation, PMID, structured abstract, MeSH terms.
fn bvs_like() -> Record {
    let mut r = with_pmid(
        located(article(None, "", 2015), "J Health Organ Manag", false, "29", "1", "75-91"),
        "25735554",
    );
    r.abstract_text = Some(
        "PURPOSE: To explore. DESIGN/METHODOLOGY/APPROACH: Case studies. FINDINGS: Two.".into(),
    );
    r.keyword = vec!["Leadership".into(), "State Medicine/organization & administration".into()];
    r.language = Some("en".into());
    r.extra.insert("database".into(), "MEDLINE".into());
    r
}

/// The CNKI side: full journal title, title, authors, a related record.
fn cnki_like() -> Record {
    let mut r = located(
        article(Some("Leadership for health commissioning in the new NHS"), "Coleman, Anna", 2015),
        "JOURNAL OF HEALTH ORGANIZATION AND MANAGEMENT",
        true,
        "29",
        "01",
        "75-91",
    );
    r.author.push(Person::parse("Segar, Julia"));
    r.keyword = vec!["leadership".into(), "NHS".into()];
    r.related_to = Some("Enacting localist health policy".into());
    r
}

#[test]
fn merged_record_takes_the_best_of_each_source() {
    let (out, report) = run(vec![bvs_like()], vec![Record::default(), cnki_like()]);
    assert_eq!(out.len(), 2, "{report}");
    let m = &out[0];
    assert_eq!(m.title.as_deref(), Some("Leadership for health commissioning in the new NHS"));
    assert_eq!(m.author.len(), 2);
    assert_eq!(m.pmid.as_deref(), Some("25735554"));
    assert!(m.abstract_text.as_deref().unwrap().starts_with("PURPOSE:"));
    assert_eq!(m.container_title.as_deref(), Some("JOURNAL OF HEALTH ORGANIZATION AND MANAGEMENT"));
    assert_eq!(m.container_title_short.as_deref(), Some("J Health Organ Manag"));
    assert_eq!(m.keyword, ["Leadership", "State Medicine/organization & administration", "NHS"]);
    assert_eq!(m.language.as_deref(), Some("en"));
    assert_eq!(m.extra.get("database").map(String::as_str), Some("MEDLINE"));
    assert_eq!(m.related_to, None, "merged with an own record: no longer only related");
    assert_eq!(m.extra.get("merged-from").map(String::as_str), Some("a.txt #1; b.txt related [1]"));
    assert_eq!(m.extra.get("merged-issue"), None, "`01` and `1` are the same issue");
    // The empty record of b.txt stays, after the merged one (input order).
    assert_eq!(out[1], Record::default());
}

#[test]
fn a_merge_of_related_records_only_stays_related() {
    let mut other = cnki_like();
    other.related_to = Some("Another page".into());
    let (out, _) = run(vec![cnki_like()], vec![other]);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].related_to.as_deref(), Some("Enacting localist health policy"));
    assert_eq!(out[0].extra.get("merged-related-to").map(String::as_str), Some("Another page"));
}

#[test]
fn longer_author_list_and_written_out_given_names_win() {
    let mut a = with_doi(article(Some("T"), "Smith, J", 2015), "10.1/x");
    a.author.push(Person::parse("Doe, J"));
    let mut b = with_doi(article(Some("T"), "Smith, John", 2015), "10.1/x");
    b.author.push(Person::parse("Doe, Jane"));
    let mut c = with_doi(article(Some("T"), "Smith, John", 2015), "10.1/x");
    c.abstract_text = Some("makes this record the most complete".into());
    let m = assert_merged_all(vec![a, b, c]);
    let given: Vec<_> = m.author.iter().map(|p| p.given.clone().unwrap_or_default()).collect();
    assert_eq!(given, ["John", "Jane"]);
    assert!(m.extra["merged-author"].contains("Smith, J; Doe, J"));
}

fn assert_merged_all(records: Vec<Record>) -> Record {
    let (out, report) = dedup(vec![Source::new("a", records)], &DedupOptions::default());
    assert_eq!(out.len(), 1, "{report}");
    out.into_iter().next().unwrap()
}

#[test]
fn structured_abstract_wins_over_a_longer_plain_one() {
    let mut a = with_doi(article(Some("T"), "Smith, John", 2015), "10.1/x");
    a.abstract_text = Some(
        "A long plain abstract that goes on and on about the study without any headings.".into(),
    );
    let mut b = with_doi(article(Some("T"), "Smith, John", 2015), "10.1/x");
    b.abstract_text = Some("OBJECTIVES: Short. METHODS: Shorter.".into());
    let m = assert_merged_all(vec![a, b]);
    assert_eq!(m.abstract_text.as_deref(), Some("OBJECTIVES: Short. METHODS: Shorter."));
    assert!(m.extra["merged-abstract"].starts_with("A long plain"));
}

#[test]
fn ids_are_unioned_and_the_most_specific_kind_is_kept() {
    let mut a = with_doi(article(Some("T"), "Smith, John", 2015), "10.1/x");
    a.kind = Kind::Document;
    a.issn = vec!["1477-7266".into()];
    let mut b = with_pmid(with_doi(article(Some("T"), "Smith, John", 2015), "10.1/x"), "123");
    b.issn = vec!["1758-7247".into(), "1477-7266".into()];
    b.pmcid = Some("PMC42".into());
    let m = assert_merged_all(vec![a, b]);
    assert_eq!(m.kind, Kind::ArticleJournal);
    assert_eq!(m.issn, ["1758-7247", "1477-7266"]);
    assert_eq!((m.pmid.as_deref(), m.pmcid.as_deref()), (Some("123"), Some("PMC42")));
    assert_eq!(m.doi.as_deref(), Some("10.1/x"));
}

#[test]
fn most_precise_date_is_kept_and_a_contradicting_one_set_aside() {
    let mut a = with_doi(article(Some("T"), "Smith, John", 2017), "10.1/x");
    a.issued = Some(Date::ymd(2017, Some(1), None));
    let b = with_doi(article(Some("T"), "Smith, John", 2017), "10.1/x");
    let c = with_doi(article(Some("T"), "Smith, John", 2016), "10.1/x");
    let m = assert_merged_all(vec![b, a, c]);
    assert_eq!(m.issued, Some(Date::ymd(2017, Some(1), None)));
    assert_eq!(m.extra.get("merged-issued").map(String::as_str), Some("2016"));
}

// ---- report -------------------------------------------------------------------------------

#[test]
fn report_names_every_member_and_the_rule() {
    let (_, report) = run(vec![bvs_like()], vec![cnki_like()]);
    let text = report.to_string();
    assert!(
        text.starts_with(
            "dedup: 2 records in, 1 out; 1 cluster merged 2 records; 0 matches refused"
        ),
        "{text}"
    );
    assert!(
        text.contains("a.txt #1: (no title); J Health Organ Manag 2015;29(1):75-91 pmid:25735554"),
        "{text}"
    );
    assert!(text.contains("b.txt related [1]: \"Leadership for health commissioning in the new NHS\" Coleman et al."), "{text}");
    assert!(
        text.contains("why: a.txt #1 = b.txt related [1]: same journal+year+volume+page (J Health Organ Manag = JOURNAL OF HEALTH ORGANIZATION AND MANAGEMENT, 2015, volume 29, first page 75)"),
        "{text}"
    );
}

// ---- scale ----------------------------------------------------------------------------------

/// `n` records in which every tenth is a copy of the one before it under a different rule
/// (DOI, PMID, title, locator in turn).
fn generated(n: usize) -> Vec<Record> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let base = i - i % 10;
        let original = |k: usize| {
            let mut r = article(
                Some(&format!("Study number {k} of health services")),
                &format!("Author{}, Given", k % 977),
                1990 + (k % 30) as i32,
            );
            r.doi = Some(format!("10.1000/j.{k}"));
            r.pmid = Some(format!("{}", 1_000_000 + k));
            located(
                r,
                &format!("Journal of Topic {}", k % 500),
                true,
                &k.to_string(),
                "1",
                &format!("{}-{}", k % 300 + 1, k % 300 + 9),
            )
        };
        if i % 10 == 9 {
            let mut copy = original(base + 8);
            match (i / 10) % 4 {
                0 => {
                    copy.title = Some("Different title".into());
                    copy.pmid = None;
                }
                1 => copy.doi = None,
                2 => {
                    copy.doi = None;
                    copy.pmid = None;
                }
                _ => {
                    copy.doi = None;
                    copy.pmid = None;
                    copy.title = None;
                    copy.author.clear();
                    copy.container_title_short = Some(format!("J Topic {}", (base + 8) % 500));
                    copy.container_title = None;
                }
            }
            out.push(copy);
        } else {
            out.push(original(i));
        }
    }
    out
}

#[test]
fn twenty_thousand_generated_records_with_a_tenth_duplicated() {
    let records = generated(20_000);
    let (out, report) = dedup(vec![Source::new("gen", records)], &DedupOptions::default());
    assert_eq!(out.len(), 18_000, "{}", report.refusals.len());
    assert_eq!(report.clusters.len(), 2_000);
    assert!(report.refusals.is_empty());
}

// ---- properties -------------------------------------------------------------------------

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Small value pools so that records collide often, odd text included.
    fn pick(pool: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
        prop::option::of(prop::sample::select(pool).prop_map(str::to_owned))
    }

    fn record() -> impl Strategy<Value = Record> {
        (
            (
                pick(&["A study", "a STUDY!", "卫生政策", "", "Ünïcode tïtle", "\u{a0}"]),
                pick(&["Smith, John", "Smith, J", "王小明", "Jones, Mary"]),
                prop::option::of(2014..2017i32),
                pick(&["10.1/x", "https://doi.org/10.1/X", "10.1/y", "doi:", "10.1%2Fx"]),
                pick(&["1", "01", "2", "0", "PMID: 3"]),
            ),
            (
                pick(&["J Health Policy", "JOURNAL OF HEALTH POLICY", "J Health", "(Oxf)", "&"]),
                pick(&["29", "029", "30", ""]),
                pick(&["1", "(01)", "2", "Suppl 1"]),
                pick(&["75-91", "75", " - ", "e1", "—"]),
                any::<bool>(),
            ),
        )
            .prop_map(
                |((title, author, year, doi, pmid), (journal, volume, issue, page, related))| {
                    Record {
                        title,
                        author: author.map(|a| vec![Person::parse(&a)]).unwrap_or_default(),
                        issued: year.map(|y| Date::ymd(y, None, None)),
                        doi,
                        pmid,
                        container_title: journal,
                        volume,
                        issue,
                        page,
                        related_to: related.then(|| "page".to_owned()),
                        ..Record::default()
                    }
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Never panics; every record is accounted for; no merged record holds two DOIs or
        /// two PMIDs (a set-aside `merged-DOI`/`merged-PMID` would mean one did).
        #[test]
        fn clusters_account_for_every_record_and_never_mix_ids(
            a in prop::collection::vec(record(), 0..12),
            b in prop::collection::vec(record(), 0..12),
        ) {
            let n = a.len() + b.len();
            let (out, report) = run(a, b);
            let merged: usize = report.clusters.iter().map(|c| c.members.len() - 1).sum();
            prop_assert_eq!(out.len() + merged, n);
            prop_assert_eq!(report.records_out, out.len());
            // Only values that are no identifier at all (`doi:`, `0`) may be set aside.
            for r in &out {
                let aside = |name: &str| r.extra.get(name).map(|v| v.lines().map(str::to_owned).collect::<Vec<_>>()).unwrap_or_default();
                for v in aside("merged-DOI") {
                    prop_assert!(bibconv::dedup::doi_key(&v).is_none(), "{:#?}\n{}", r, report);
                }
                for v in aside("merged-PMID") {
                    prop_assert!(v.chars().all(|c| !c.is_ascii_digit() || c == '0'), "{:#?}\n{}", r, report);
                }
            }
            let _ = report.to_string();
        }
    }
}

#[test]
fn labels_count_own_records_and_each_related_list_apart() {
    let own = |t: &str| article(Some(t), "Smith, John", 2015);
    let related = |t: &str, relation: Option<&str>| {
        let mut r = own(t);
        r.related_to = Some("The page".into());
        if let Some(relation) = relation {
            r.extra.insert("relation".into(), relation.into());
        }
        r
    };
    // Each title appears twice so that every record lands in a cluster.
    let page =
        vec![own("A"), related("B", None), related("C", Some("reference")), related("D", None)];
    let other = vec![own("B"), own("C"), own("D"), own("A")];
    let (_, report) = run(page, other);
    let names: Vec<String> =
        report.clusters.iter().flat_map(|c| c.members.iter().map(|m| m.name())).collect();
    for expected in
        ["a.txt #1", "a.txt related [1]", "a.txt reference [1]", "a.txt related [2]", "b.txt #4"]
    {
        assert!(names.iter().any(|n| n == expected), "{expected} in {names:?}");
    }
}
