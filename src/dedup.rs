//! Finding and merging duplicate records across sources.
