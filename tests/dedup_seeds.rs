//! Acceptance of issue 8 on the seeds: reading every `seeds/*.txt` with the library's readers
//! and deduplicating them (as `bibconv seeds/*.txt --related --dedup` does) merges exactly two
//! pairs — BVS item 18 (J Health Organ Manag 29(1): 75-91, 2015) with CNKI related paper [2],
//! and BVS item 15 (J Health Serv Res Policy 22(1): 4-11, 2017) with CNKI related paper [1] —
//! and nothing else. Each merged record has the title and authors of the CNKI side and the
//! PMID, abstract and MeSH keywords of the BVS side.
//!
//! This needs the CNKI-style and BVS readers; it fails until they are in place.

mod common;

use bibconv::dedup::{DedupOptions, Rule, Source, dedup};

fn seed_sources() -> Vec<Source> {
    let root = common::root();
    common::files(&root.join("seeds"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|path| {
            let bytes = std::fs::read(&path).expect("read seed");
            let text = bibconv::decode(&bytes, None).expect("decode seed").text.into_owned();
            let records = bibconv::read_auto(&text).map(|(_, p)| p.records).unwrap_or_default();
            let name = format!("seeds/{}", path.file_name().unwrap().to_string_lossy());
            Source::new(name, records)
        })
        .collect()
}

#[test]
fn seeds_merge_exactly_the_two_known_pairs() {
    let sources = seed_sources();
    let (records, report) = dedup(sources, &DedupOptions::default());
    assert_eq!(report.clusters.len(), 2, "{report}");
    assert_eq!(report.records_out, report.records_in - 2, "{report}");

    for (pmid, title_start, first_author, journal, page, mesh) in [
        (
            "25735554",
            "Leadership for health commissioning in the new NHS",
            "Coleman",
            "JOURNAL OF HEALTH ORGANIZATION AND MANAGEMENT",
            "75-91",
            "Leadership",
        ),
        (
            "27151153",
            "Engaging GPs in commissioning",
            "McDermott",
            "JOURNAL OF HEALTH SERVICES RESEARCH & POLICY",
            "4-11",
            "Health Policy",
        ),
    ] {
        let merged: Vec<_> = records.iter().filter(|r| r.pmid.as_deref() == Some(pmid)).collect();
        assert_eq!(merged.len(), 1, "one record with PMID {pmid}\n{report}");
        let m = merged[0];
        let from = m.extra.get("merged-from").map(String::as_str).unwrap_or_default();
        assert!(
            from.contains("seeds/001_")
                && from.contains("seeds/000_")
                && from.contains("related ["),
            "PMID {pmid} merged from the BVS listing and a CNKI related paper: {from}\n{report}"
        );
        assert!(
            m.title.as_deref().is_some_and(|t| t.starts_with(title_start)),
            "title of the CNKI side: {:?}",
            m.title
        );
        assert_eq!(m.first_author_family(), Some(first_author));
        assert!(m.author.len() >= 6, "the CNKI author list: {:?}", m.author);
        assert!(m.abstract_text.is_some(), "the BVS abstract");
        assert!(m.keyword.iter().any(|k| k == mesh), "the BVS MeSH terms: {:?}", m.keyword);
        assert_eq!(m.container_title.as_deref(), Some(journal));
        assert!(m.container_title_short.is_some(), "the NLM abbreviation kept");
        assert_eq!(m.page.as_deref(), Some(page));
        assert_eq!(m.related_to, None, "merged with a BVS record: no longer only related");
    }
    for cluster in &report.clusters {
        assert_eq!(cluster.members.len(), 2, "{report}");
        assert!(cluster.links.iter().all(|l| l.rule == Rule::Locator), "{report}");
    }
}
