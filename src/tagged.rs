//! Shared nom parsers for `TAG - value` lines (RIS and MEDLINE).
