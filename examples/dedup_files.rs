//! Reads files (format detected), deduplicates them with `bibconv::dedup` and prints the
//! report on standard error and the merged records as JSON on standard output — what
//! `bibconv FILES --related --dedup --dedup-report /dev/stderr` will do once wired.
//!
//! ```text
//! cargo run --example dedup_files -- seeds/*.txt
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use bibconv::dedup::{DedupOptions, Source, dedup};

fn main() {
    let mut sources = Vec::new();
    for path in std::env::args().skip(1) {
        let records = std::fs::read(&path)
            .ok()
            .and_then(|bytes| bibconv::decode(&bytes, None).ok().map(|d| d.text.into_owned()))
            .and_then(|text| bibconv::read_auto(&text).ok())
            .map(|(_, parsed)| parsed.records)
            .unwrap_or_default();
        sources.push(Source::new(path, records));
    }
    let (records, report) = dedup(sources, &DedupOptions::default());
    eprint!("{report}");
    let merged: Vec<_> = records.iter().filter(|r| r.extra.contains_key("merged-from")).collect();
    println!("{}", serde_json::to_string_pretty(&merged).unwrap_or_default());
}
