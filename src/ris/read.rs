//! RIS reader.
use crate::Parsed;

/// Parses the text into records.
pub fn parse(src: &str) -> Parsed {
    let _ = src;
    Parsed {
        records: Vec::new(),
        diagnostics: vec![crate::Diagnostic::error(0, "reader not implemented yet")],
    }
}
