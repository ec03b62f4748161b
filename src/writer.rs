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
        let format_one = |(rec, key): (&Record, &String)| {
            let mut text = String::with_capacity(2048);
            let mut lost = Vec::new();
            format_entry(self.format, rec, key, &self.options, &mut text, &mut lost);
            (text, lost)
        };
        let formatted: Vec<(String, Vec<String>)> = if records.len() >= PARALLEL_BATCH {
            records.par_iter().zip(keys.par_iter()).map(format_one).collect()
        } else {
            records.iter().zip(keys.iter()).map(format_one).collect()
        };
        let mut losses = Vec::new();
        for ((text, lost), key) in formatted.into_iter().zip(keys) {
            let sep: &[u8] = match (self.format, self.written) {
                (OutputFormat::CslJson, 0) => b"[\n",
                (OutputFormat::CslJson, _) => b",\n",
                (_, 0) => b"",
                (_, _) => b"\n",
            };
            self.out.write_all(sep)?;
            self.out.write_all(text.as_bytes())?;
            let index = self.written;
            losses.extend(lost.into_iter().map(|message| Loss {
                index,
                key: key.clone(),
                message,
            }));
            self.written += 1;
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
