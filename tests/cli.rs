//! The built binary, run as a user would: standard input and output, `-o`, the output
//! format inferred from the extension, exit codes 0/1/2, help text, and the refusal to
//! overwrite an input.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const RIS: &str = "TY  - JOUR\nAU  - Checkland, Kath\nAU  - Coleman, Anna\nTI  - Primary care-led commissioning\nT2  - British Journal of General Practice\nPY  - 2013\nVL  - 63\nIS  - 614\nSP  - e611\nEP  - e619\nDO  - 10.3399/bjgp13X671597\nER  - \n";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bibconv"))
}

fn run_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn tempdir(name: &str) -> common::ScratchDir {
    common::ScratchDir::new("cli", name)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn seeds() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut v: Vec<String> =
        std::fs::read_dir(root).unwrap().map(|e| e.unwrap().path().display().to_string()).collect();
    v.sort();
    v
}

#[test]
fn stdin_to_stdout_defaults_to_bibtex() {
    let o = run_with_stdin(&[], RIS);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("@article{checkland2013primary,"), "{out}");
    assert!(out.contains("10.3399/bjgp13X671597"), "{out}");
    assert!(stderr(&o).contains("converted 1 record from 1 file; 0 skipped"), "{}", stderr(&o));
}

#[test]
fn dash_reads_stdin_and_to_selects_the_format() {
    let o = run_with_stdin(&["-", "--to", "csl-json"], RIS);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json[0]["title"], "Primary care-led commissioning");
    assert_eq!(json[0]["type"], "article-journal");
}

#[test]
fn output_format_follows_the_extension() {
    let dir = tempdir("ext");
    let input = dir.join("in.ris");
    std::fs::write(&input, RIS).unwrap();
    for (name, starts) in [("out.ris", "TY  - JOUR"), ("out.json", "["), ("out.bib", "@article{")] {
        let out = dir.join(name);
        let o = run(&[input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).is_empty());
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with(starts), "{name}: {text}");
    }
    // --to wins over the extension.
    let out = dir.join("x.json");
    let o = run(&[input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--to", "ris"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("TY  - JOUR"));
}

#[test]
fn exit_1_when_one_input_is_skipped_and_the_others_convert() {
    let dir = tempdir("exit1");
    let good = dir.join("good.ris");
    let bad = dir.join("bad.txt");
    std::fs::write(&good, RIS).unwrap();
    std::fs::write(&bad, "nothing bibliographic here\njust words\n").unwrap();
    let o = run(&[bad.to_str().unwrap(), good.to_str().unwrap(), "--to", "ris"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("Primary care-led commissioning"));
    let err = stderr(&o);
    assert!(err.contains(&format!("{}: error: unrecognised input", bad.display())), "{err}");
    assert!(err.contains("--from"), "{err}");
    assert!(err.contains("converted 1 record from 1 file; 1 skipped"), "{err}");
}

#[test]
fn exit_2_when_nothing_could_be_read() {
    let o = run_with_stdin(&[], "plain prose, no records\n");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("<stdin>: error: unrecognised input"), "{}", stderr(&o));
    let o = run(&["/definitely/not/here.ris"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/definitely/not/here.ris: error: cannot read"), "{}", stderr(&o));
}

#[test]
fn exit_2_on_usage_errors() {
    let o = run(&["--to", "docx"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn failed_run_leaves_existing_output_untouched() {
    let dir = tempdir("untouched");
    let out = dir.join("review.bib");
    std::fs::write(&out, "precious\n").unwrap();
    let bad = dir.join("bad.txt");
    std::fs::write(&bad, "not a record\n").unwrap();
    let o = run(&[bad.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious\n");
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
}

#[test]
fn refuses_to_overwrite_an_input() {
    let dir = tempdir("overwrite");
    let input = dir.join("refs.ris");
    std::fs::write(&input, RIS).unwrap();
    let o = run(&[input.to_str().unwrap(), "-o", input.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("refusing to overwrite"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&input).unwrap(), RIS);
}

#[test]
fn help_documents_formats_exit_codes_and_examples() {
    let o = run(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    for needle in [
        "--from",
        "--to",
        "--output",
        "--related",
        "csl-json",
        "nbib",
        "cnki",
        "bvs",
        "eprints",
        "emerald",
        "biblatex",
        "Exit status",
        "Examples",
        "file:line:column",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}:\n{help}");
    }
}

#[test]
fn every_output_format_runs_on_all_seeds() {
    let seeds = seeds();
    assert_eq!(seeds.len(), 4);
    for to in ["bibtex", "biblatex", "ris", "csl-json"] {
        let mut args: Vec<&str> = seeds.iter().map(String::as_str).collect();
        args.extend(["--to", to]);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "--to {to}: {}", stderr(&o));
        assert!(!o.stdout.is_empty());
        // 1 CNKI + 18 BVS + 1 EPrints + 1 Emerald records; related papers only on request.
        assert!(
            stderr(&o).contains("converted 21 records from 4 files; 0 skipped"),
            "{}",
            stderr(&o)
        );
    }
    let mut args: Vec<&str> = seeds.iter().map(String::as_str).collect();
    args.extend(["--to", "csl-json", "--related"]);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 31);
}

#[test]
fn broken_pipe_ends_quietly() {
    let dir = tempdir("pipe");
    let input = dir.join("many.ris");
    std::fs::write(&input, RIS.repeat(20_000)).unwrap();
    let script = format!(
        "{} {} --to ris | head -c 10 >/dev/null; echo \"${{PIPESTATUS[0]}}\"",
        env!("CARGO_BIN_EXE_bibconv"),
        input.display()
    );
    let o = Command::new("bash").args(["-c", &script]).output().unwrap();
    assert_eq!(stdout(&o).trim(), "0", "stderr: {}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}

#[test]
fn related_records_are_marked_in_every_format() {
    let seed = seeds().into_iter().find(|s| s.contains("/000_")).unwrap();
    for to in ["bibtex", "biblatex", "ris", "csl-json"] {
        let o = run(&[&seed, "--related", "--to", to]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        assert_eq!(out.matches("related-to").count(), 10, "--to {to}:\n{out}");
        // Without --related the page's own record only.
        let o = run(&[&seed, "--to", to]);
        assert_eq!(stdout(&o).matches("related-to").count(), 0);
    }
}

#[test]
fn dedup_merges_the_two_seed_pairs_and_reports_them() {
    let dir = tempdir("dedup");
    let report = dir.join("clusters.txt");
    let mut args: Vec<String> = seeds();
    args.extend(["--related", "--dedup", "--to", "csl-json", "--dedup-report"].map(String::from));
    args.push(report.display().to_string());
    let o = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("converted 29 records from 4 files; 0 skipped; 2 merged"),
        "{}",
        stderr(&o)
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let merged: Vec<&serde_json::Value> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["note"].as_str().is_some_and(|n| n.contains("merged-from")))
        .collect();
    assert_eq!(merged.len(), 2);
    for (rec, pmid, first_author) in
        [(merged[0], "27151153", "McDermott"), (merged[1], "25735554", "Coleman")]
    {
        assert_eq!(rec["PMID"], pmid);
        assert_eq!(rec["author"][0]["family"], first_author);
        assert!(rec["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(rec["abstract"].as_str().is_some_and(|a| a.len() > 500));
    }
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.starts_with("dedup: 31 records in, 29 out; 2 clusters"), "{text}");

    // Without --related only the page records and the merged ones are written.
    let mut args: Vec<&str> = Vec::new();
    let seeds = seeds();
    args.extend(seeds.iter().map(String::as_str));
    args.extend(["--dedup", "--to", "ris"]);
    let o = run(&args);
    assert!(
        stderr(&o).contains("converted 21 records from 4 files; 0 skipped; 2 merged"),
        "{}",
        stderr(&o)
    );

    // The report needs --dedup.
    let o = run(&["--dedup-report", "x.txt"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["--help"]);
    assert!(stdout(&o).contains("--dedup"));
    let o = run(&["--help"]);
    assert!(
        stdout(&o).contains("Never merged") || stdout(&o).contains("never merged"),
        "{}",
        stdout(&o)
    );
}
