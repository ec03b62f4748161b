//! Readers for text copied from web pages: one module per page layout. Each exposes
//! `matches(&str) -> bool` (a cheap look for the layout's markers) and
//! `parse(&str) -> Parsed`.

pub mod bvs;
pub mod cnki;
pub mod emerald;
pub mod eprints;

use crate::InputFormat;

/// The page layouts, in the order detection tries them.
type Matcher = fn(&str) -> bool;

const LAYOUTS: &[(InputFormat, Matcher)] = &[
    (InputFormat::Cnki, cnki::matches),
    (InputFormat::Bvs, bvs::matches),
    (InputFormat::Eprints, eprints::matches),
    (InputFormat::Emerald, emerald::matches),
];

/// The page layout `src` was copied from, if any.
pub fn detect(src: &str) -> Option<InputFormat> {
    LAYOUTS.iter().find(|(_, matches)| matches(src)).map(|(format, _)| *format)
}
mod labels;
