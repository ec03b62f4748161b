//! The output side: a [`Writer`] streams records to BibTeX, BibLaTeX, RIS or CSL-JSON.
//!
//! Each format module formats one record into a `String` (`write_entry`); the writer gives
//! every record a unique cite key, frames the records (CSL-JSON's array) and reports what a
//! format could not hold. Large batches are formatted on all cores, output stays in order.

use std::io;

use rayon::prelude::*;

use crate::keys::KeyGen;
use crate::{OutputFormat, Record, bibtex, csl_json, ris};

/// Choices that change what the writers produce.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// BibTeX/BibLaTeX: write LaTeX escapes for every non-ASCII character that has one.
    pub ascii: bool,
}

/// Something a record had that the output format could not carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// Position of the record in the output, from 0.
    pub index: usize,
    /// The record's cite key in the output.
    pub key: String,
    /// What was lost or moved (`abstract dropped: …`).
    pub message: String,
}

/// Batches at least this large are formatted in parallel.
const PARALLEL_BATCH: usize = 256;

/// Records formatted into one buffer (on one thread).
const RUN: usize = 32;

/// Records formatted under their base keys, waiting for [`Writer::write_prepared`] to make
/// the keys unique and write them.
///
/// Formatting needs nothing of the writer's state, so it can run on the thread that read
/// the records, while they are still in its cache, and the records can be dropped there;
/// only the key check and the write are left in order.
#[derive(Debug, Default)]
pub struct Prepared {
    /// The format the records were formatted in; `None` for the empty default.
    format: Option<OutputFormat>,
    runs: Vec<Run>,
}

/// Records formatted into one buffer, each preceded by the separator that goes between two
/// records (`\n`, or `,\n` in CSL-JSON).
#[derive(Debug)]
struct Run {
    text: String,
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    /// The key the record was formatted with.
    base: String,
    /// Where the key ends in the run's text; `None` when the entry wrote no key.
    key_end: Option<usize>,
    /// What the record lost.
    lost: Vec<String>,
}

impl Prepared {
    /// Formats `records` in `format`, on the calling thread.
    pub fn new(records: &[Record], format: OutputFormat, options: &WriteOptions) -> Self {
        let runs = records.chunks(RUN).map(|run| Run::new(run, format, options)).collect();
        Prepared { format: Some(format), runs }
    }

    /// [`Prepared::new`] on all cores for a large batch.
    pub fn new_parallel(records: &[Record], format: OutputFormat, options: &WriteOptions) -> Self {
        if records.len() < PARALLEL_BATCH {
            return Prepared::new(records, format, options);
        }
        let runs = records.par_chunks(RUN).map(|run| Run::new(run, format, options)).collect();
        Prepared { format: Some(format), runs }
    }

    /// How many records are formatted.
    pub fn len(&self) -> usize {
        self.runs.iter().map(|run| run.entries.len()).sum()
    }

    /// True when no record is formatted.
    pub fn is_empty(&self) -> bool {
        self.runs.iter().all(|run| run.entries.is_empty())
    }
}

impl Run {
    fn new(records: &[Record], format: OutputFormat, options: &WriteOptions) -> Self {
        let mut text = String::with_capacity(records.len() * 2560);
        let mut entries = Vec::with_capacity(records.len());
        for rec in records {
            text.push_str(separator(format));
            let start = text.len();
            let base = crate::keys::base_key(rec);
            let mut lost = Vec::new();
            format_entry(format, rec, &base, options, &mut text, &mut lost);
            let key_end = key_end(format, &text, start, &base);
            entries.push(Entry { base, key_end, lost });
        }
        Run { text, entries }
    }
}

/// What goes between two records.
fn separator(format: OutputFormat) -> &'static str {
    if format == OutputFormat::CslJson { ",\n" } else { "\n" }
}

/// What comes before the key in a CSL-JSON entry: the object's brace and the `id` member.
const CSL_ID: &str = "  {\n    \"id\": \"";

/// Where `key` ends in the entry formatted at `text[start..]`, found where each format puts
/// it and checked: after `@type{` (BibTeX), as the `ID` line just before `ER  - ` (RIS),
/// as the first member, `"id": "…"` (CSL-JSON).
fn key_end(format: OutputFormat, text: &str, start: usize, key: &str) -> Option<usize> {
    let entry = text.get(start..)?;
    let (before, end) = match format {
        OutputFormat::Bibtex | OutputFormat::Biblatex => {
            let open = memchr::memchr(b'{', entry.as_bytes())?;
            ("{", start + open + 1 + key.len())
        }
        OutputFormat::Ris => ("ID  - ", text.len().checked_sub("\nER  - \n".len())?),
        OutputFormat::CslJson => (CSL_ID, start + CSL_ID.len() + key.len()),
    };
    let key_start = end.checked_sub(key.len())?;
    let found = text.get(key_start..end) == Some(key)
        && text.get(..key_start).is_some_and(|t| t.ends_with(before));
    found.then_some(end)
}

/// Streams records in one output format to `out`.
#[derive(Debug)]
pub struct Writer<W: io::Write> {
    out: W,
    format: OutputFormat,
    options: WriteOptions,
    keys: KeyGen,
    written: usize,
}

impl<W: io::Write> Writer<W> {
    /// A writer of `format` into `out`.
    pub fn new(out: W, format: OutputFormat, options: WriteOptions) -> Self {
        Writer { out, format, options, keys: KeyGen::default(), written: 0 }
    }

    /// Writes a batch of records, in order, and returns what they lost.
    ///
    /// # Errors
    /// Errors of the underlying sink.
    pub fn write_records(&mut self, records: &[Record]) -> io::Result<Vec<Loss>> {
        self.write_prepared(Prepared::new_parallel(records, self.format, &self.options))
    }

    /// Writes records formatted beforehand (in this writer's format and options), in order:
    /// each key is made unique, a suffix written after it where it collides, and what the
    /// records lost is returned.
    ///
    /// # Errors
    /// Errors of the underlying sink; records formatted in another format are refused
    /// (`InvalidInput`), nothing of them written.
    pub fn write_prepared(&mut self, prepared: Prepared) -> io::Result<Vec<Loss>> {
        if let Some(format) = prepared.format
            && format != self.format
        {
            let message =
                format!("records formatted as {format:?} given to a {:?} writer", self.format);
            return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
        }
        let mut losses = Vec::new();
        for run in prepared.runs {
            let text = run.text.as_bytes();
            let mut from = 0;
            for entry in run.entries {
                let index = self.written;
                if index == 0 {
                    // The first record opens the output: no separator, `[` in CSL-JSON.
                    if self.format == OutputFormat::CslJson {
                        self.out.write_all(b"[\n")?;
                    }
                    from += separator(self.format).len();
                }
                let base_len = entry.base.len();
                let key = self.keys.unique(entry.base);
                // A unique key is the base or the base with a suffix.
                let suffix = key.get(base_len..).unwrap_or_default();
                if let (Some(end), false) = (entry.key_end, suffix.is_empty()) {
                    self.out.write_all(text.get(from..end).unwrap_or_default())?;
                    self.out.write_all(suffix.as_bytes())?;
                    from = end;
                }
                losses.extend(entry.lost.into_iter().map(|message| Loss {
                    index,
                    key: key.clone(),
                    message,
                }));
                self.written += 1;
            }
            self.out.write_all(text.get(from..).unwrap_or_default())?;
        }
        Ok(losses)
    }

    /// Closes the output (CSL-JSON's `]`), flushes, and returns the sink.
    ///
    /// # Errors
    /// Errors of the underlying sink.
    pub fn finish(mut self) -> io::Result<W> {
        if self.format == OutputFormat::CslJson {
            let end: &[u8] = if self.written == 0 { b"[]\n" } else { b"\n]\n" };
            self.out.write_all(end)?;
        }
        self.out.flush()?;
        Ok(self.out)
    }

    /// How many records have been written.
    pub fn written(&self) -> usize {
        self.written
    }
}

fn format_entry(
    format: OutputFormat,
    rec: &Record,
    key: &str,
    options: &WriteOptions,
    out: &mut String,
    lost: &mut Vec<String>,
) {
    match format {
        OutputFormat::Bibtex => {
            bibtex::write::write_entry(rec, key, bibtex::Dialect::Bibtex, options, out, lost);
        }
        OutputFormat::Biblatex => {
            bibtex::write::write_entry(rec, key, bibtex::Dialect::Biblatex, options, out, lost);
        }
        OutputFormat::Ris => ris::write::write_entry(rec, key, options, out, lost),
        OutputFormat::CslJson => csl_json::write::write_entry(rec, key, options, out, lost),
    }
}

/// Writes `records` into a new `String`.
pub fn write_to_string(records: &[Record], format: OutputFormat, options: &WriteOptions) -> String {
    let mut writer = Writer::new(Vec::new(), format, options.clone());
    // Writing into a Vec cannot fail.
    let bytes = writer.write_records(records).and_then(|_| writer.finish()).unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Kind, Person};

    /// Record `i`; every seventh has an affiliated author, which BibTeX cannot hold.
    fn record(i: usize) -> Record {
        let mut rec = Record::new(Kind::ArticleJournal);
        rec.title = Some(format!("Title {i}"));
        let mut author = Person::from_parts(&format!("Family{i}"), "Ann");
        if i.is_multiple_of(7) {
            author.affiliation.push("Somewhere".into());
        }
        rec.author.push(author);
        rec
    }

    #[test]
    fn batches_in_runs_write_what_records_one_by_one_write() {
        // Two batches, the second large enough to be formatted in parallel runs.
        let records: Vec<Record> = (0..2 * PARALLEL_BATCH + 5).map(record).collect();
        let (head, tail) = records.split_at(3);
        for format in [OutputFormat::Bibtex, OutputFormat::Ris, OutputFormat::CslJson] {
            let mut batched = Writer::new(Vec::new(), format, WriteOptions::default());
            let mut losses = batched.write_records(head).unwrap();
            losses.extend(batched.write_records(tail).unwrap());
            let batched = batched.finish().unwrap();

            let mut single = Writer::new(Vec::new(), format, WriteOptions::default());
            let mut expected = Vec::new();
            for rec in &records {
                expected.extend(single.write_records(std::slice::from_ref(rec)).unwrap());
            }
            assert_eq!(single.written(), records.len());
            let single = single.finish().unwrap();
            assert!(batched == single, "{format:?}: batched output differs");

            let at: Vec<(usize, &str)> = losses.iter().map(|l| (l.index, l.key.as_str())).collect();
            let want: Vec<(usize, &str)> =
                expected.iter().map(|l| (l.index, l.key.as_str())).collect();
            assert_eq!(at, want, "{format:?}");
            // Each loss is reported once, at its record: every seventh record's author.
            let indexes: Vec<usize> = losses.iter().map(|l| l.index).collect();
            let sevenths: Vec<usize> = (0..records.len()).step_by(7).collect();
            assert_eq!(indexes, sevenths, "{format:?}");
            assert!(losses.iter().all(|l| l.key.starts_with("family")), "{losses:?}");
        }
    }

    /// The output as the writer defines it, made the plain way: each record's unique key
    /// handed out in order, the entry formatted with it, entries joined and framed.
    fn reference(records: &[Record], format: OutputFormat) -> (String, Vec<(usize, String)>) {
        let mut keys = KeyGen::default();
        let mut entries = Vec::new();
        let mut lost_at = Vec::new();
        for (i, rec) in records.iter().enumerate() {
            let key = keys.key_for(rec);
            let (mut text, mut lost) = (String::new(), Vec::new());
            format_entry(format, rec, &key, &WriteOptions::default(), &mut text, &mut lost);
            lost_at.extend(lost.iter().map(|_| (i, key.clone())));
            entries.push(text);
        }
        let text = match format {
            OutputFormat::CslJson if entries.is_empty() => "[]\n".to_owned(),
            OutputFormat::CslJson => format!("[\n{}\n]\n", entries.join(",\n")),
            _ => entries.join("\n"),
        };
        (text, lost_at)
    }

    #[test]
    fn colliding_keys_get_their_suffix_where_the_key_stands() {
        // Three families, one title: most keys collide (`family02024title`, then `…a`, `…b`,
        // … up to two-letter suffixes); some records bring a key of their own, which collides
        // with a made one or with each other.
        let records: Vec<Record> = (0..3 * PARALLEL_BATCH)
            .map(|i| {
                let mut rec = record(i % 3);
                rec.title = Some("Title".into());
                rec.issued = crate::Date::parse("2024");
                if i % 11 == 0 {
                    rec.key =
                        Some(if i % 2 == 0 { "family02024title".into() } else { "own".into() });
                }
                // Non-ASCII in a key the source gave: the suffix goes after its last byte.
                if i % 13 == 0 {
                    rec.key = Some("Müller2020".into());
                }
                // A zero-width space, which the RIS writer would collapse to a space: keys
                // are written as they are, so the key is found where the format puts it.
                if i % 17 == 0 {
                    rec.key = Some("zero\u{200b}width".into());
                }
                rec
            })
            .collect();
        for format in
            [OutputFormat::Bibtex, OutputFormat::Biblatex, OutputFormat::Ris, OutputFormat::CslJson]
        {
            let (want, want_lost) = reference(&records, format);
            // In uneven batches, small (formatted on one thread) and large (in parallel).
            let mut writer = Writer::new(Vec::new(), format, WriteOptions::default());
            let mut losses = Vec::new();
            for batch in [&records[..1], &records[1..40], &records[40..]] {
                losses.extend(writer.write_records(batch).unwrap());
            }
            let text = String::from_utf8(writer.finish().unwrap()).unwrap();
            assert!(text == want, "{format:?}: output differs from the reference");
            let lost: Vec<(usize, String)> = losses.into_iter().map(|l| (l.index, l.key)).collect();
            assert_eq!(lost, want_lost, "{format:?}");
            assert!(want.contains("family02024titleaa") && want.contains("owna"), "{format:?}");
            assert!(want.contains("Müller2020b"), "{format:?}");
            assert!(want.contains("zero_widthb") && !want.contains('\u{200b}'), "{format:?}");
        }
    }

    #[test]
    fn an_empty_batch_writes_nothing_and_an_empty_output_is_framed() {
        for format in [OutputFormat::Bibtex, OutputFormat::Ris, OutputFormat::CslJson] {
            let mut writer = Writer::new(Vec::new(), format, WriteOptions::default());
            assert!(writer.write_records(&[]).unwrap().is_empty());
            assert!(writer.write_prepared(Prepared::default()).unwrap().is_empty());
            let text = String::from_utf8(writer.finish().unwrap()).unwrap();
            assert_eq!(text, reference(&[], format).0, "{format:?}");
        }
    }

    #[test]
    fn records_formatted_in_another_format_are_refused() {
        let options = WriteOptions::default();
        let mut writer = Writer::new(Vec::new(), OutputFormat::Bibtex, options.clone());
        let ris = Prepared::new(&[record(1)], OutputFormat::Ris, &options);
        let err = writer.write_prepared(ris).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(writer.written(), 0);
        let bibtex = Prepared::new(&[record(1)], OutputFormat::Bibtex, &options);
        assert_eq!(bibtex.len(), 1);
        writer.write_prepared(bibtex).unwrap();
        let text = String::from_utf8(writer.finish().unwrap()).unwrap();
        assert!(text.starts_with("@article{family1"), "{text}");
    }

    proptest::proptest! {
        /// Whatever key a source gives, the key as made safe is found where each format
        /// puts it (or a colliding key's suffix could not be written).
        #[test]
        fn every_source_key_is_found_in_its_entry(key in "\\PC{0,12}|[ \u{200b}\u{feff}\u{a0}\t{}\"\\\\a-z]{0,12}") {
            let mut rec = record(3);
            rec.key = Some(key);
            let base = crate::keys::base_key(&rec);
            for format in
                [OutputFormat::Bibtex, OutputFormat::Biblatex, OutputFormat::Ris, OutputFormat::CslJson]
            {
                let (mut text, mut lost) = (String::from("\n"), Vec::new());
                format_entry(format, &rec, &base, &WriteOptions::default(), &mut text, &mut lost);
                proptest::prop_assert!(key_end(format, &text, 1, &base).is_some(), "{:?} {:?}", format, base);
            }
        }
    }
}
