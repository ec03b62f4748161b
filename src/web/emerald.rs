//! emerald page reader.

/// True when the text looks like this layout.
pub fn matches(src: &str) -> bool {
    let _ = src;
    false
}

use crate::Parsed;

/// Parses the text into records.
pub fn parse(src: &str) -> Parsed {
    let _ = src;
    Parsed {
        records: Vec::new(),
        diagnostics: vec![crate::Diagnostic::error(0, "reader not implemented yet")],
    }
}
