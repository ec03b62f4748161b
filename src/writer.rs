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
        // Base keys are made in parallel; only the uniqueness check is sequential.
        let bases: Vec<String> = if records.len() >= PARALLEL_BATCH {
            records.par_iter().map(crate::keys::base_key).collect()
        } else {
            records.iter().map(crate::keys::base_key).collect()
        };
        let keys: Vec<String> = bases.into_iter().map(|b| self.keys.unique(b)).collect();
        // Records are formatted in runs into one buffer each, separators included: one
        // allocation and one write per run, not per record.
        let first = self.written;
        let (format, options) = (self.format, &self.options);
        let format_run = |(run, (recs, keys)): (usize, (&[Record], &[String]))| {
            let mut text = String::with_capacity(recs.len() * 2560);
            let mut lost = Vec::new();
            for (i, (rec, key)) in recs.iter().zip(keys).enumerate() {
                let index = first + run * RUN + i;
                text.push_str(match (format, index) {
                    (OutputFormat::CslJson, 0) => "[\n",
                    (OutputFormat::CslJson, _) => ",\n",
                    (_, 0) => "",
                    (_, _) => "\n",
                });
                let mut messages = Vec::new();
                format_entry(format, rec, key, options, &mut text, &mut messages);
                lost.extend(messages.into_iter().map(|message| Loss {
                    index,
                    key: key.clone(),
                    message,
                }));
            }
            (text, lost)
        };
        let formatted: Vec<(String, Vec<Loss>)> = if records.len() >= PARALLEL_BATCH {
            records.par_chunks(RUN).zip(keys.par_chunks(RUN)).enumerate().map(format_run).collect()
        } else {
            records.chunks(RUN).zip(keys.chunks(RUN)).enumerate().map(format_run).collect()
        };
        let mut losses = Vec::new();
        for (text, lost) in formatted {
            self.out.write_all(text.as_bytes())?;
            losses.extend(lost);
        }
        self.written += records.len();
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
}
