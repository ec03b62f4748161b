//! The `bibconv` command: argument parsing, file I/O and exit codes. Everything else lives
//! in the library.

#![allow(clippy::print_stderr, clippy::print_stdout)] // the CLI talks on stderr

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use bibconv::{
    Diagnostic, InputFormat, LineIndex, OutputFormat, Record, Severity, WriteOptions, Writer,
};
use clap::Parser;

const AFTER_HELP: &str = "\
Examples:
  bibconv seeds/*.txt -o review.bib          copied pages to BibTeX
  bibconv export.ris --to csl-json > out.json
  bibconv pubmed.nbib refs.bib -o all.ris    several inputs, one output, in input order
  cat page.txt | bibconv --from bvs --to ris

Input formats are detected from the content: CSL-JSON, RIS, MEDLINE/nbib, BibTeX/BibLaTeX,
and the copied text of CNKI-style, BVS/VHL listing, EPrints and Emerald Insight pages.

Diagnostics go to standard error as `file:line:column: error|warning: message`, followed by
a one-line summary. An error means something was skipped; the other records still convert.

Exit status:
  0  every record converted
  1  some records or files were skipped (each reported on standard error)
  2  usage error, or nothing could be read";

/// Convert bibliographic records between formats.
///
/// Reads copied web pages (CNKI-style, BVS, EPrints, Emerald) and BibTeX, BibLaTeX, RIS,
/// CSL-JSON and MEDLINE files; writes BibTeX, BibLaTeX, RIS or CSL-JSON.
#[derive(Debug, Parser)]
#[command(name = "bibconv", version, about, long_about, after_help = AFTER_HELP)]
struct Args {
    /// Input files; `-` or none reads standard input.
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,

    /// Input format; `auto` detects it from each input's content.
    #[arg(short = 'f', long, value_enum, default_value = "auto")]
    from: FromFormat,

    /// Output format [default: from the -o extension (.bib, .ris, .json), else bibtex].
    #[arg(short = 't', long, value_enum)]
    to: Option<OutputFormat>,

    /// Output file, written atomically; standard output when omitted.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Also output the related records a page lists (CNKI's 相关论文), each marked with the
    /// page record it is related to.
    #[arg(long)]
    related: bool,

    /// BibTeX/BibLaTeX: write LaTeX escapes for non-ASCII characters (for pdflatex + bibtex).
    #[arg(long)]
    ascii: bool,

    /// Input encoding (`utf-8`, `utf-16le`, `windows-1252`, `gb18030`, …); detected when
    /// omitted.
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,

    /// Report the encoding and format chosen for each input and what each record lost in
    /// the output format.
    #[arg(short, long)]
    verbose: bool,

    /// Print nothing on standard error but errors.
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
}

/// `--from`: a format, or detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FromFormat {
    Auto,
    Bibtex,
    Biblatex,
    Ris,
    CslJson,
    Nbib,
    Cnki,
    Bvs,
    Eprints,
    Emerald,
}

impl FromFormat {
    fn format(self) -> Option<InputFormat> {
        Some(match self {
            FromFormat::Auto => return None,
            FromFormat::Bibtex => InputFormat::Bibtex,
            FromFormat::Biblatex => InputFormat::Biblatex,
            FromFormat::Ris => InputFormat::Ris,
            FromFormat::CslJson => InputFormat::CslJson,
            FromFormat::Nbib => InputFormat::Nbib,
            FromFormat::Cnki => InputFormat::Cnki,
            FromFormat::Bvs => InputFormat::Bvs,
            FromFormat::Eprints => InputFormat::Eprints,
            FromFormat::Emerald => InputFormat::Emerald,
        })
    }
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    match run(&args) {
        Ok(outcome) => ExitCode::from(outcome),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bibconv: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Counts for the summary line and the exit code.
#[derive(Debug, Default)]
struct Tally {
    files: usize,
    failed_files: usize,
    records: usize,
    skipped: usize,
}

/// Converts every input; returns the exit code (0, 1 or 2).
fn run(args: &Args) -> Result<u8> {
    let to = args
        .to
        .or_else(|| args.output.as_deref().and_then(OutputFormat::from_extension))
        .unwrap_or(OutputFormat::Bibtex);
    let inputs: Vec<PathBuf> =
        if args.inputs.is_empty() { vec![PathBuf::from("-")] } else { args.inputs.clone() };
    if let Some(out) = &args.output {
        refuse_overwriting_input(out, &inputs)?;
    }

    let mut tally = Tally::default();
    let mut records = Vec::new();
    for path in &inputs {
        tally.files += 1;
        let input = read_input(path, args)?;
        if input.records.is_empty() && input.errors > 0 {
            tally.failed_files += 1;
        }
        tally.skipped += input.errors;
        records
            .extend(input.records.into_iter().filter(|r| args.related || r.related_to.is_none()));
    }
    tally.records = records.len();
    if tally.records == 0 && tally.skipped > 0 {
        // Nothing could be read: leave any existing output untouched.
        summary(&tally, args);
        return Ok(2);
    }

    let options = WriteOptions { ascii: args.ascii };
    match &args.output {
        Some(path) => {
            let tmp = temp_path(path);
            let result = (|| -> Result<()> {
                let file = fs::File::create(&tmp)
                    .with_context(|| format!("cannot create {}", tmp.display()))?;
                write_all(io::BufWriter::new(file), to, options, &records, args)?;
                fs::rename(&tmp, path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Ok(())
            })();
            if result.is_err() {
                let _ = fs::remove_file(&tmp);
            }
            result?;
        }
        None => {
            let stdout = io::stdout().lock();
            write_all(io::BufWriter::with_capacity(1 << 16, stdout), to, options, &records, args)?;
        }
    }

    summary(&tally, args);
    Ok(if tally.records == 0 && tally.skipped > 0 {
        2
    } else if tally.skipped > 0 {
        1
    } else {
        0
    })
}

/// The one-line summary on stderr.
fn summary(tally: &Tally, args: &Args) {
    if !args.quiet {
        let files_read = tally.files - tally.failed_files;
        eprintln!(
            "bibconv: converted {} record{} from {} file{}; {} skipped",
            tally.records,
            plural(tally.records),
            files_read,
            plural(files_read),
            tally.skipped,
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn write_all(
    out: impl Write,
    to: OutputFormat,
    options: WriteOptions,
    records: &[Record],
    args: &Args,
) -> Result<()> {
    let mut writer = Writer::new(out, to, options);
    let losses = writer.write_records(records)?;
    writer.finish()?;
    if args.verbose {
        for loss in losses {
            eprintln!("bibconv: record {} ({}): {}", loss.index + 1, loss.key, loss.message);
        }
    }
    Ok(())
}

/// What one input gave: its records, and how many errors (skipped parts) it reported.
struct Input {
    records: Vec<Record>,
    errors: usize,
}

impl Input {
    fn failed() -> Input {
        Input { records: Vec::new(), errors: 1 }
    }
}

/// Reads, decodes, detects and parses one input, reporting its diagnostics on stderr.
fn read_input(path: &Path, args: &Args) -> Result<Input> {
    let name =
        if path == Path::new("-") { "<stdin>".to_owned() } else { path.display().to_string() };
    let bytes = match read_bytes(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("{name}: error: cannot read: {err}");
            return Ok(Input::failed());
        }
    };
    let decoded = match bibconv::decode(&bytes, args.encoding.as_deref()) {
        Ok(d) => d,
        Err(err) => {
            eprintln!("{name}: error: {err}");
            return Ok(Input::failed());
        }
    };
    let text = decoded.text.as_ref();
    if bibconv::model::is_blank(text) {
        eprintln!("{name}: error: empty input");
        return Ok(Input::failed());
    }
    let parsed = match args.from.format() {
        Some(format) => bibconv::read(text, format).map(|p| (format, p)),
        None => bibconv::read_auto(text),
    };
    let (format, parsed) = match parsed {
        Ok(ok) => ok,
        Err(err) => {
            match err.offset().map(|o| LineIndex::new(text).locate(text, o)) {
                Some(at) => eprintln!("{name}:{at}: error: {err}"),
                None => eprintln!("{name}: error: {err}"),
            }
            return Ok(Input::failed());
        }
    };
    if args.verbose {
        let guessed = if decoded.guessed { ", guessed" } else { "" };
        eprintln!("{name}: read as {format} ({}{guessed})", decoded.encoding);
    }
    report(&name, text, &parsed.diagnostics, args.quiet)?;
    let errors = parsed.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    Ok(Input { records: parsed.records, errors })
}

fn report(name: &str, text: &str, diagnostics: &[Diagnostic], quiet: bool) -> io::Result<()> {
    if diagnostics.is_empty() {
        return Ok(());
    }
    let index = LineIndex::new(text);
    let mut err = io::stderr().lock();
    for d in diagnostics {
        let (level, show) = match d.severity {
            Severity::Error => ("error", true),
            Severity::Warning => ("warning", !quiet),
        };
        if show {
            let at = index.locate(text, d.offset);
            writeln!(err, "{name}:{at}: {level}: {}", d.message)?;
        }
    }
    Ok(())
}

fn read_bytes(path: &Path) -> io::Result<Vec<u8>> {
    if path == Path::new("-") {
        let mut buf = Vec::new();
        io::stdin().lock().read_to_end(&mut buf)?;
        return Ok(buf);
    }
    if path.is_dir() {
        return Err(io::Error::other("is a directory"));
    }
    fs::read(path)
}

/// Refuses an output path that names one of the inputs.
fn refuse_overwriting_input(out: &Path, inputs: &[PathBuf]) -> Result<()> {
    let Ok(out_abs) = fs::canonicalize(out) else { return Ok(()) };
    for input in inputs {
        if fs::canonicalize(input).is_ok_and(|i| i == out_abs) {
            bail!("refusing to overwrite input file {} with the output", out.display());
        }
    }
    Ok(())
}

/// A temporary file next to `path`, so that the final rename stays on one file system.
fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = format!(".{name}.bibconv-{}.tmp", std::process::id());
    path.with_file_name(tmp)
}
