//! The `bibconv` command: argument parsing, file I/O and exit codes. Everything else lives
//! in the library.

#![allow(clippy::print_stderr, clippy::print_stdout)] // the CLI talks on stderr
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;

use anyhow::{Context, Result, bail};
use bibconv::stream::{self, BibtexPieces, CHUNK_SIZE, Chunk, ChunkReader};
use bibconv::{
    Diagnostic, InputFormat, LineIndex, OutputFormat, Prepared, Record, Severity, WriteOptions,
    Writer,
};
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};

/// Many small strings are made on one thread and freed on another: jemalloc does that at
/// two thirds of glibc malloc's cost, with peak memory still flat (docs/BENCHMARKS.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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

    /// Merge duplicate records across all inputs into one record each (rules below).
    #[arg(long, long_help = dedup_help())]
    dedup: bool,

    /// With --dedup: write every merged cluster (its records and the rule that matched) and
    /// every refused match to FILE.
    #[arg(long, value_name = "FILE", requires = "dedup")]
    dedup_report: Option<PathBuf>,

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

/// `--dedup`'s long help: what it does, then the library's rules.
fn dedup_help() -> String {
    format!(
        "Merge duplicate records across all inputs into one record each. Related records a \
         page lists take part in the matching; without --related, only merged records that \
         include a non-related record are written.\n\n{}",
        // Paragraphs reflowed: clap wraps the text itself.
        bibconv::dedup::RULES_HELP
            .split("\n\n")
            .map(|p| p.replace('\n', " "))
            .collect::<Vec<_>>()
            .join("\n\n")
    )
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
    /// With `--dedup`: how many records were merged away.
    merged: Option<usize>,
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

    let options = WriteOptions { ascii: args.ascii };
    let mut tally = Tally::default();
    // Records stream to the output as they are read. When nothing could be read the
    // output is left untouched: the temporary file is removed, and standard output has
    // received nothing (the writer writes only with records, and is not finished).
    let nothing_read = |tally: &Tally| tally.records == 0 && tally.skipped > 0;
    match &args.output {
        Some(path) => {
            let tmp = temp_path(path);
            let result = (|| -> Result<bool> {
                let file = fs::File::create(&tmp)
                    .with_context(|| format!("cannot create {}", tmp.display()))?;
                let out = io::BufWriter::with_capacity(OUT_BUFFER, file);
                let mut sink = Sink::new(out, to, options, args);
                convert_all(&inputs, args, &mut sink, &mut tally)?;
                if nothing_read(&tally) {
                    return Ok(false);
                }
                finish(sink, args, &mut tally)?;
                fs::rename(&tmp, path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Ok(true)
            })();
            if !matches!(result, Ok(true)) {
                let _ = fs::remove_file(&tmp);
            }
            result?;
        }
        None => {
            // Not `stdout().lock()`: the lock cannot move between threads, and writing
            // happens on a worker while the next chunk is parsed.
            let out = io::BufWriter::with_capacity(OUT_BUFFER, io::stdout());
            let mut sink = Sink::new(out, to, options, args);
            convert_all(&inputs, args, &mut sink, &mut tally)?;
            if !nothing_read(&tally) {
                finish(sink, args, &mut tally)?;
            }
        }
    }

    summary(&tally, args);
    Ok(if nothing_read(&tally) {
        2
    } else if tally.skipped > 0 {
        1
    } else {
        0
    })
}

/// Finishes the output; with `--dedup`, counts what was written and reports the clusters
/// (to the `--dedup-report` file, or on standard error with `--verbose`).
fn finish<W: Write>(sink: Sink<W>, args: &Args, tally: &mut Tally) -> Result<()> {
    let (Some(report), written) = sink.finish()? else { return Ok(()) };
    tally.records = written;
    tally.merged = Some(report.records_in - report.records_out);
    if let Some(path) = &args.dedup_report {
        fs::write(path, report.to_string())
            .with_context(|| format!("cannot write {}", path.display()))?;
    } else if args.verbose {
        eprint!("{report}");
    }
    Ok(())
}

/// Output buffer size: large writes, few system calls.
const OUT_BUFFER: usize = 1 << 20;

/// Inputs at least this large get a progress bar (when standard error is a terminal).
const PROGRESS_MIN_BYTES: u64 = 32 << 20;

/// The one-line summary on stderr.
fn summary(tally: &Tally, args: &Args) {
    if !args.quiet {
        let files_read = tally.files - tally.failed_files;
        let merged =
            tally.merged.map(|n| format!("; {n} merged as duplicates")).unwrap_or_default();
        eprintln!(
            "bibconv: converted {} record{} from {} file{}; {} skipped{merged}",
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

/// Reads every input in order into `sink`.
fn convert_all<W: Write + Send>(
    inputs: &[PathBuf],
    args: &Args,
    sink: &mut Sink<W>,
    tally: &mut Tally,
) -> Result<()> {
    for path in inputs {
        tally.files += 1;
        sink.source = path.display().to_string();
        let input = convert_input(path, args, sink)?;
        if input.records == 0 && input.errors > 0 {
            tally.failed_files += 1;
        }
        tally.skipped += input.errors;
    }
    tally.records = sink.records;
    Ok(())
}

/// Where converted records go, in input order.
///
/// Records are written batch by batch as they are read, so memory stays flat. An option
/// that must see every record before writing any (a future `--dedup`) sets `collected`:
/// batches are then kept and written by [`Sink::finish`].
struct Sink<W: Write> {
    writer: Writer<W>,
    /// How records are filtered and formatted where they are read: the writer's format
    /// and options, `--related`.
    formatter: Formatter,
    verbose: bool,
    /// Every record so far by input, when the output must wait for all of them (`--dedup`);
    /// `None` to stream.
    collected: Option<Vec<bibconv::dedup::Source>>,
    /// The input being read, for `--dedup`'s provenance.
    source: String,
    /// Records passed on (after the `--related` filter).
    records: usize,
}

impl<W: Write> Sink<W> {
    fn new(out: W, to: OutputFormat, options: WriteOptions, args: &Args) -> Self {
        Sink {
            formatter: Formatter {
                format: to,
                options: options.clone(),
                related: args.related,
                collect: args.dedup,
            },
            writer: Writer::new(out, to, options),
            verbose: args.verbose,
            collected: args.dedup.then(Vec::new),
            source: String::new(),
            records: 0,
        }
    }

    /// Takes a batch of records, in input order.
    fn push(&mut self, mut records: Vec<Record>) -> Result<()> {
        match &mut self.collected {
            Some(sources) => {
                // Related records take part in the matching; the filter applies after it.
                self.records += records.iter().filter(|r| self.formatter.keeps(r)).count();
                match sources.last_mut() {
                    Some(last) if last.name == self.source => last.records.append(&mut records),
                    _ => sources.push(bibconv::dedup::Source::new(self.source.clone(), records)),
                }
            }
            None => {
                records.retain(|r| self.formatter.keeps(r));
                self.records += records.len();
                self.write(&records)?;
            }
        }
        Ok(())
    }

    /// Takes batches of records, in input order.
    fn push_batches(&mut self, batches: Vec<Batch>) -> Result<()> {
        for batch in batches {
            match batch {
                Batch::Records(records) => self.push(records)?,
                Batch::Formatted(prepared) => {
                    self.records += prepared.len();
                    let losses = self.writer.write_prepared(prepared)?;
                    self.report_losses(losses)?;
                }
            }
        }
        Ok(())
    }

    fn write(&mut self, records: &[Record]) -> Result<()> {
        let losses = self.writer.write_records(records)?;
        self.report_losses(losses)
    }

    fn report_losses(&self, losses: Vec<bibconv::Loss>) -> Result<()> {
        if self.verbose {
            let mut err = io::stderr().lock();
            for loss in losses {
                writeln!(
                    err,
                    "bibconv: record {} ({}): {}",
                    loss.index + 1,
                    loss.key,
                    loss.message
                )?;
            }
        }
        Ok(())
    }

    /// Writes what was collected (merging duplicates first), closes the output and flushes
    /// it; returns the duplicate report when `--dedup` is on.
    fn finish(mut self) -> Result<(Option<bibconv::dedup::Report>, usize)> {
        let mut report = None;
        if let Some(sources) = self.collected.take() {
            let (mut all, r) = bibconv::dedup::dedup(sources, &Default::default());
            all.retain(|r| self.formatter.keeps(r));
            self.records = all.len();
            for batch in all.chunks(WRITE_BATCH) {
                self.write(batch)?;
            }
            report = Some(r);
        }
        self.writer.finish()?;
        Ok((report, self.records))
    }
}

/// Records on their way to the [`Sink`], in input order.
enum Batch {
    /// As read: the sink must see every record before writing (`--dedup`).
    Records(Vec<Record>),
    /// Formatted on the thread that read them (after the `--related` filter).
    Formatted(Prepared),
}

/// What the [`Sink`] does with records on the thread that read them: formats them in the
/// output's format, unless it must collect them.
#[derive(Debug, Clone)]
struct Formatter {
    format: OutputFormat,
    options: WriteOptions,
    related: bool,
    collect: bool,
}

impl Formatter {
    /// Whether `rec` is written: a related record only with `--related`.
    fn keeps(&self, rec: &Record) -> bool {
        self.related || rec.related_to.is_none()
    }

    fn batch(&self, mut records: Vec<Record>) -> Batch {
        if self.collect {
            return Batch::Records(records);
        }
        records.retain(|r| self.keeps(r));
        Batch::Formatted(Prepared::new(&records, self.format, &self.options))
    }

    /// A piece's records formatted where they were read; its diagnostics and the number
    /// of records read come along.
    fn piece(&self, parsed: bibconv::Parsed) -> (Vec<Diagnostic>, usize, Batch) {
        let read = parsed.records.len();
        (parsed.diagnostics, read, self.batch(parsed.records))
    }
}

/// Records formatted and written at once from a whole-file read: bounds the formatted
/// text held in memory.
const WRITE_BATCH: usize = 8192;

/// What one input gave: how many records, and how many errors (skipped parts) it reported.
#[derive(Debug, Default)]
struct Input {
    records: usize,
    errors: usize,
}

impl Input {
    fn failed() -> Input {
        Input { records: 0, errors: 1 }
    }
}

/// A progress bar on standard error for a long input, when standard error is a terminal.
struct Progress(Option<ProgressBar>);

impl Progress {
    fn new(name: &str, size: Option<u64>, quiet: bool) -> Progress {
        let show =
            !quiet && io::stderr().is_terminal() && size.is_some_and(|s| s >= PROGRESS_MIN_BYTES);
        let bar = size.filter(|_| show).map(|size| {
            let bar = ProgressBar::new(size);
            let style = ProgressStyle::with_template(
                "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.set_message(name.to_owned());
            bar
        });
        Progress(bar)
    }

    fn set(&self, bytes: u64) {
        if let Some(bar) = &self.0 {
            bar.set_position(bytes);
        }
    }

    /// Runs `f` (which prints) with the bar out of the way.
    fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.0 {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// Reads, decodes, detects and parses one input into `sink`, reporting its diagnostics on
/// stderr. RIS, MEDLINE and CSL-JSON inputs larger than a chunk stream through in chunks;
/// everything else is read whole.
fn convert_input<W: Write + Send>(path: &Path, args: &Args, sink: &mut Sink<W>) -> Result<Input> {
    let name =
        if path == Path::new("-") { "<stdin>".to_owned() } else { path.display().to_string() };
    let (mut reader, size) = match open(path) {
        Ok(opened) => opened,
        Err(err) => {
            eprintln!("{name}: error: cannot read: {err}");
            return Ok(Input::failed());
        }
    };
    let progress = Progress::new(&name, size, args.quiet);
    let mut prefix = Vec::new();
    if let Err(err) = (&mut reader).take(CHUNK_SIZE as u64).read_to_end(&mut prefix) {
        eprintln!("{name}: error: cannot read: {err}");
        return Ok(Input::failed());
    }
    if let Some(format) = stream_format(&prefix, args) {
        let chunks = ChunkReader::new(reader, format, CHUNK_SIZE, prefix);
        return convert_chunks(&name, format, chunks, args, sink, &progress);
    }
    let mut bytes = prefix;
    if let Err(err) = reader.read_to_end(&mut bytes) {
        eprintln!("{name}: error: cannot read: {err}");
        return Ok(Input::failed());
    }
    progress.set(bytes.len() as u64);
    convert_whole(&name, bytes, args, sink, &progress)
}

/// The format to stream an input in, judged from its first `prefix` bytes: `None` when the
/// input fits in one chunk, is not RIS, MEDLINE or a CSL-JSON array, or needs whole-file
/// decoding (UTF-16).
fn stream_format(prefix: &[u8], args: &Args) -> Option<InputFormat> {
    if prefix.len() < CHUNK_SIZE {
        return None;
    }
    // Detection on whole lines only; a cut UTF-8 character would fail decoding.
    let head = &prefix[..memchr::memrchr(b'\n', prefix)? + 1];
    let decoded = bibconv::decode(head, args.encoding.as_deref()).ok()?;
    // A blank head may be a blank file: the whole-file path says so.
    if decoded.encoding.starts_with("UTF-16") || bibconv::model::is_blank(&decoded.text) {
        return None;
    }
    let format = match args.from.format() {
        Some(format) => format,
        // Detection reads the first character (CSL-JSON) or the first 200 lines (RIS,
        // MEDLINE), so the head decides as the whole would.
        None => match bibconv::detect(&decoded.text)? {
            InputFormat::CslJson => InputFormat::CslJson,
            _ if stream::count_line_breaks(&decoded.text) < 200 => return None,
            other => other,
        },
    };
    stream::streamable_text(format, head).then_some(format)
}

/// Converts a whole input held in memory.
fn convert_whole<W: Write + Send>(
    name: &str,
    bytes: Vec<u8>,
    args: &Args,
    sink: &mut Sink<W>,
    progress: &Progress,
) -> Result<Input> {
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
    let format = args.from.format().or_else(|| bibconv::detect(text));
    if let Some(format) =
        format.filter(|f| matches!(f, InputFormat::Bibtex | InputFormat::Biblatex))
        && let Some(plan) = BibtexPieces::new(text, format)
    {
        if args.verbose {
            let guessed = if decoded.guessed { ", guessed" } else { "" };
            eprintln!("{name}: read as {format} ({}{guessed})", decoded.encoding);
        }
        return convert_pieces(name, text, &plan, args, sink, progress);
    }
    let parsed = match args.from.format() {
        Some(format) => stream::read_parallel(text, format).map(|p| (format, p)),
        None => stream::read_auto_parallel(text),
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
    let errors = progress.suspend(|| report(name, text, &parsed.diagnostics, args.quiet))?;
    // The records own their text: free the input before formatting the output.
    drop(decoded);
    drop(bytes);
    let records = parsed.records.len();
    let mut rest = parsed.records.into_iter();
    // Written in batches, each batch freed once written.
    loop {
        let batch: Vec<Record> = rest.by_ref().take(WRITE_BATCH).collect();
        if batch.is_empty() {
            break;
        }
        sink.push(batch)?;
    }
    Ok(Input { records, errors })
}

/// Pieces of a `.bib` text read per batch: about this many megabytes of input.
const BIBTEX_BATCH: usize = 8;

/// Converts a `.bib` text in batches of pieces: each batch parsed on all cores while the
/// one before it is written, so only two batches of records are held at a time.
fn convert_pieces<W: Write + Send>(
    name: &str,
    text: &str,
    plan: &BibtexPieces<'_>,
    args: &Args,
    sink: &mut Sink<W>,
    progress: &Progress,
) -> Result<Input> {
    let mut input = Input::default();
    let mut index: Option<LineIndex> = None;
    let mut unwritten: Vec<Batch> = Vec::new();
    let mut first = 0;
    let formatter = sink.formatter.clone();
    while first < plan.len() {
        let end = (first + BIBTEX_BATCH).min(plan.len());
        let batches = std::mem::take(&mut unwritten);
        let (pieces, written) = rayon::join(
            || plan.read_then(first..end, &|parsed| formatter.piece(parsed)),
            || sink.push_batches(batches),
        );
        written?;
        for (diagnostics, read, batch) in pieces {
            if !diagnostics.is_empty() {
                let index = index.get_or_insert_with(|| LineIndex::new(text));
                input.errors +=
                    progress.suspend(|| report_at(name, text, index, &diagnostics, args.quiet))?;
            }
            input.records += read;
            unwritten.push(batch);
        }
        progress.set(plan.end_of(end - 1) as u64);
        first = end;
    }
    sink.push_batches(unwritten)?;
    Ok(input)
}

/// One chunk read and parsed, with its diagnostics already placed in the input.
struct ParsedChunk {
    /// The chunk's records, formatted unless the sink collects them.
    batches: Vec<Batch>,
    /// How many records were read.
    records: usize,
    /// `file:line:column: level: message` lines, in input order.
    messages: Vec<String>,
    errors: usize,
    line_breaks: usize,
    encoding: &'static str,
    guessed: bool,
}

/// Streams a RIS, MEDLINE or CSL-JSON input: a reader thread cuts chunks at record
/// boundaries; each
/// chunk is decoded and parsed (in pieces, on all cores) while the one before it is
/// formatted and written.
fn convert_chunks<R: Read + Send, W: Write + Send>(
    name: &str,
    format: InputFormat,
    mut chunks: ChunkReader<R>,
    args: &Args,
    sink: &mut Sink<W>,
    progress: &Progress,
) -> Result<Input> {
    let (tx, rx) = mpsc::sync_channel::<io::Result<Chunk>>(0);
    std::thread::scope(|scope| {
        // Owned here, so that an early return drops it and the reader thread stops.
        let rx = rx;
        scope.spawn(move || {
            loop {
                let next = chunks.next_chunk();
                let stop = !matches!(next, Ok(Some(_)));
                let Some(chunk) = next.transpose() else { return };
                if tx.send(chunk).is_err() || stop {
                    return;
                }
            }
        });
        let mut input = Input::default();
        let mut lines_before = 0usize;
        let mut unwritten: Vec<Batch> = Vec::new();
        let mut first = true;
        let formatter = sink.formatter.clone();
        for chunk in &rx {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(err) => {
                    eprintln!("{name}: error: cannot read: {err}");
                    input.errors += 1;
                    break;
                }
            };
            progress.set(chunk.place.offset + chunk.bytes.len() as u64);
            let batches = std::mem::take(&mut unwritten);
            let (parsed, written) = rayon::join(
                || parse_chunk(name, format, &chunk, lines_before, args, &formatter),
                || sink.push_batches(batches),
            );
            written?;
            let parsed = match parsed {
                Ok(parsed) => parsed,
                Err(message) => {
                    progress.suspend(|| eprintln!("{message}"));
                    input.errors += 1;
                    continue;
                }
            };
            if first && args.verbose {
                let guessed = if parsed.guessed { ", guessed" } else { "" };
                eprintln!("{name}: read as {format} ({}{guessed})", parsed.encoding);
            }
            first = false;
            if !parsed.messages.is_empty() {
                progress.suspend(|| -> io::Result<()> {
                    let mut err = io::stderr().lock();
                    parsed.messages.iter().try_for_each(|m| writeln!(err, "{m}"))
                })?;
            }
            lines_before += parsed.line_breaks;
            input.errors += parsed.errors;
            input.records += parsed.records;
            unwritten = parsed.batches;
        }
        sink.push_batches(unwritten)?;
        Ok(input)
    })
}

/// Decodes and parses one chunk whose first line is line `lines_before + 1` of the input.
/// A chunk that cannot be decoded is an error message.
fn parse_chunk(
    name: &str,
    format: InputFormat,
    chunk: &Chunk,
    lines_before: usize,
    args: &Args,
    formatter: &Formatter,
) -> std::result::Result<ParsedChunk, String> {
    let decoded = bibconv::decode(&chunk.bytes, args.encoding.as_deref())
        .map_err(|err| format!("{name}:{}:1: error: {err}", lines_before + 1))?;
    let text = decoded.text.as_ref();
    let (parsed, line_breaks) = rayon::join(
        || {
            // The chunk reader's marks hold for the bytes as read: not after transcoding.
            let as_read = text.as_ptr() == chunk.bytes.as_ptr() && text.len() == chunk.bytes.len();
            let marks = chunk.marks.as_ref().filter(|_| as_read);
            let then = |parsed| formatter.piece(parsed);
            stream::read_marked_pieces(text, format, chunk.place, marks, &then)
        },
        || stream::count_line_breaks(text),
    );
    let pieces = parsed.map_err(|err| {
        let at = err.offset().map_or(1, |o| LineIndex::new(text).locate(text, o).line as usize);
        format!("{name}:{}: error: {err}", lines_before + at)
    })?;
    let mut messages = Vec::new();
    let mut errors = 0;
    let mut index: Option<LineIndex> = None;
    let (mut batches, mut records) = (Vec::with_capacity(pieces.len()), 0);
    for (diagnostics, read, batch) in pieces {
        records += read;
        batches.push(batch);
        if diagnostics.is_empty() {
            continue;
        }
        let index = index.get_or_insert_with(|| LineIndex::new(text));
        for d in &diagnostics {
            let level = match d.severity {
                Severity::Error => {
                    errors += 1;
                    "error"
                }
                Severity::Warning if args.quiet => continue,
                Severity::Warning => "warning",
            };
            let at = index.locate(text, d.offset);
            let line = lines_before + at.line as usize;
            messages.push(format!("{name}:{line}:{}: {level}: {}", at.column, d.message));
        }
    }
    Ok(ParsedChunk {
        batches,
        records,
        messages,
        errors,
        line_breaks,
        encoding: decoded.encoding,
        guessed: decoded.guessed,
    })
}

/// Prints diagnostics located in `text`; returns how many are errors.
fn report(name: &str, text: &str, diagnostics: &[Diagnostic], quiet: bool) -> io::Result<usize> {
    if diagnostics.is_empty() {
        return Ok(0);
    }
    report_at(name, text, &LineIndex::new(text), diagnostics, quiet)
}

/// Prints diagnostics located in `text` with its line `index`; returns how many are errors.
fn report_at(
    name: &str,
    text: &str,
    index: &LineIndex,
    diagnostics: &[Diagnostic],
    quiet: bool,
) -> io::Result<usize> {
    let mut err = io::stderr().lock();
    let mut errors = 0;
    for d in diagnostics {
        let (level, show) = match d.severity {
            Severity::Error => {
                errors += 1;
                ("error", true)
            }
            Severity::Warning => ("warning", !quiet),
        };
        if show {
            let at = index.locate(text, d.offset);
            writeln!(err, "{name}:{at}: {level}: {}", d.message)?;
        }
    }
    Ok(errors)
}

/// Opens an input for reading, with its size when known.
fn open(path: &Path) -> io::Result<(Box<dyn Read + Send>, Option<u64>)> {
    if path == Path::new("-") {
        return Ok((Box::new(io::stdin()), None));
    }
    if path.is_dir() {
        return Err(io::Error::other("is a directory"));
    }
    let file = fs::File::open(path)?;
    let size = file.metadata().ok().map(|m| m.len());
    Ok((Box::new(file), size))
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
