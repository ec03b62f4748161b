//! RIS writer.
use crate::{Record, WriteOptions};

/// Formats one record.
pub fn write_entry(
    rec: &Record,
    key: &str,
    options: &WriteOptions,
    out: &mut String,
    lost: &mut Vec<String>,
) {
    let _ = (rec, options, lost);
    out.push_str(key);
    out.push(10 as char);
}
