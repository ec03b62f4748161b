//! Times `bibconv::dedup::dedup` on generated records (default 100 000; `dedup_bench N`).
//!
//! Every tenth record duplicates the one before it under one rule in turn (same DOI; same
//! PMID; same title, year and first author; same journal abbreviation, year, volume and
//! first page with no title), so a tenth of the records merge away. Past 117 000 records the
//! generated titles of the title-rule copies start to collide with different DOIs: those
//! matches are refused, as they should be.
//!
//! ```text
//! cargo run --release --example dedup_bench -- 100000
//! ```

#![allow(clippy::print_stdout)]

use std::time::Instant;

use bibconv::dedup::{DedupOptions, Source, dedup};
use bibconv::{Date, Kind, Person, Record};

fn original(k: usize) -> Record {
    Record {
        kind: Kind::ArticleJournal,
        title: Some(format!("Study number {k} of health services in region {}", k % 97)),
        author: vec![
            Person::parse(&format!("Author{}, Given", k % 977)),
            Person::parse(&format!("Second{}, G", k % 31)),
        ],
        issued: Some(Date::ymd(1990 + (k % 30) as i32, None, None)),
        doi: Some(format!("10.1000/j.{k}")),
        pmid: Some(format!("{}", 1_000_000 + k)),
        container_title: Some(format!("Journal of Topic {}", k % 500)),
        volume: Some(k.to_string()),
        issue: Some("1".into()),
        page: Some(format!("{}-{}", k % 300 + 1, k % 300 + 9)),
        abstract_text: Some(format!("OBJECTIVES: Study {k}. METHODS: Counting. RESULTS: None.")),
        keyword: vec!["Humans".into(), format!("Topic {}", k % 50)],
        ..Record::default()
    }
}

fn generated(n: usize) -> Vec<Record> {
    (0..n)
        .map(|i| {
            if i % 10 != 9 {
                return original(i);
            }
            let base = i - 1;
            let mut copy = original(base);
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
                    copy.container_title = None;
                    copy.container_title_short = Some(format!("J Topic {}", base % 500));
                }
            }
            copy
        })
        .collect()
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let records = generated(n);
    let start = Instant::now();
    let (out, report) = dedup(vec![Source::new("generated", records)], &DedupOptions::default());
    let elapsed = start.elapsed();
    let start = Instant::now();
    let text = report.to_string();
    let render = start.elapsed();
    println!(
        "{n} records -> {} ({} clusters, {} refusals) in {:.3} s; report of {} lines in {:.3} s",
        out.len(),
        report.clusters.len(),
        report.refusals.len(),
        elapsed.as_secs_f64(),
        text.lines().count(),
        render.as_secs_f64(),
    );
}
