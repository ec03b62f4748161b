//! Each `seeds/*.txt` (pages exactly as copied, never edited) is detected, read, and its
//! own records compared with `fixtures/seeds/<stem>.expected.json`; the related records a
//! page lists (written only with `--related`) with `<stem>.related.json`.
//!
//! `fixtures/seeds/PASSING` lists the stems expected to match: the test fails when a listed
//! seed regresses and when an unlisted seed starts to match (add it to the list).

mod common;

use std::collections::BTreeSet;

#[test]
fn seeds_match_their_expectations() {
    let root = common::root();
    let passing_path = root.join("fixtures/seeds/PASSING");
    let passing: BTreeSet<String> = std::fs::read_to_string(&passing_path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    let mut problems = Vec::new();
    let mut seen = 0;
    for seed in common::files(&root.join("seeds")) {
        let stem = seed.file_stem().unwrap().to_string_lossy().into_owned();
        seen += 1;
        let bytes = std::fs::read(&seed).unwrap();
        let text = bibconv::decode(&bytes, None).unwrap().text.into_owned();
        let mut failures = Vec::new();
        match bibconv::read_auto(&text) {
            Err(e) => failures.push(format!("{stem}: {e}")),
            Ok((_, parsed)) => {
                let (related, own): (Vec<_>, Vec<_>) =
                    parsed.records.into_iter().partition(|r| r.related_to.is_some());
                let dir = root.join("fixtures/seeds");
                common::golden(
                    &dir.join(format!("{stem}.expected.json")),
                    &common::to_pretty_json(&own),
                    &mut failures,
                );
                let related_path = dir.join(format!("{stem}.related.json"));
                if !related.is_empty() || related_path.exists() {
                    common::golden(&related_path, &common::to_pretty_json(&related), &mut failures);
                }
                for d in
                    parsed.diagnostics.iter().filter(|d| d.severity == bibconv::Severity::Error)
                {
                    failures.push(format!("{stem}: error at byte {}: {}", d.offset, d.message));
                }
            }
        }
        match (passing.contains(&stem), failures.is_empty()) {
            (true, false) => {
                problems.push(format!("listed in PASSING but differs:\n{}", failures.join("\n")))
            }
            (false, true) => {
                problems.push(format!("{stem} now matches: add it to fixtures/seeds/PASSING"))
            }
            _ => {}
        }
    }
    assert_eq!(seen, 4, "expected the four seeds");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
