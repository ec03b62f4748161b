//! BibTeX/BibLaTeX writer.

use super::Dialect;
use crate::{Record, WriteOptions};

/// Formats one record as a `.bib` entry.
pub fn write_entry(
    rec: &Record,
    key: &str,
    dialect: Dialect,
    options: &WriteOptions,
    out: &mut String,
    lost: &mut Vec<String>,
) {
    let _ = (rec, dialect, options, lost);
    out.push_str("@misc{");
    out.push_str(key);
    out.push_str(",\n}\n");
}
