//! bibconv turns bibliographic records — text copied from database and repository pages, and
//! the interchange formats — into clean BibTeX, BibLaTeX, RIS and CSL-JSON.
//!
//! ```
//! # fn main() -> Result<(), bibconv::Error> {
//! let ris = "TY  - JOUR\nAU  - Checkland, Kath\nTI  - Primary care-led commissioning\nPY  - 2013\nER  - \n";
//! let parsed = bibconv::read(ris, bibconv::InputFormat::Ris)?;
//! let bib = bibconv::write_to_string(&parsed.records, bibconv::OutputFormat::Bibtex, &Default::default());
//! assert!(bib.starts_with("@article{checkland2013primary,"));
//! # Ok(())
//! # }
//! ```
//!
//! The pipeline has four stages:
//! 1. [`decode`]: bytes to text (UTF-8, UTF-16, Windows-1252, GB18030);
//! 2. [`detect`]: which [`InputFormat`] the text is, by content;
//! 3. [`read`]: text to [`Record`]s (the model, named after CSL variables), with
//!    [`Diagnostic`]s for what was skipped;
//! 4. [`Writer`]: records to BibTeX, BibLaTeX, RIS or CSL-JSON, reporting what a format
//!    cannot hold.
//!
//! Formats: BibTeX/BibLaTeX (read with the `biblatex` crate), RIS (RIS 1.0 and the 2011
//! spec, EndNote/Zotero habits), CSL-JSON (CSL 1.0.2), MEDLINE/PubMed `.nbib`, and the copied
//! text of four page layouts: a CNKI-style Chinese labelled record, a BVS/VHL listing, an
//! EPrints abstract page and an Emerald Insight article page.

// Library code never panics on input: errors and diagnostics instead. Tests may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod bibtex;
mod blocks;
pub mod csl_json;
pub mod dedup;
mod detect;
mod encoding;
mod error;
pub mod keys;
pub mod latex;
mod location;
pub mod model;
pub mod nbib;
pub mod ris;
pub mod stream;
mod swar;
mod tagged;
pub mod web;
mod writer;

pub use detect::detect;
pub use encoding::{Decoded, decode};
pub use error::{Diagnostic, Error, Parsed, Severity};
pub use location::{LineIndex, Location};
pub use model::{Date, Kind, Person, Record};
pub use writer::{Loss, Prepared, WriteOptions, Writer, write_to_string};

use std::fmt;

/// A format bibconv reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum InputFormat {
    /// BibTeX (`.bib`).
    Bibtex,
    /// BibLaTeX (`.bib`); read by the same reader as BibTeX.
    Biblatex,
    /// RIS (`.ris`).
    Ris,
    /// CSL-JSON (`.json`).
    CslJson,
    /// MEDLINE/PubMed (`.nbib`, `.txt`).
    Nbib,
    /// Copied text of a CNKI-style Chinese field-labelled record page.
    Cnki,
    /// Copied text of a BVS/Virtual Health Library result listing.
    Bvs,
    /// Copied text of an EPrints repository abstract page.
    Eprints,
    /// Copied text of an Emerald Insight article or chapter page.
    Emerald,
}

impl InputFormat {
    /// Every format, in the order detection tries them.
    pub const ALL: &[InputFormat] = &[
        InputFormat::CslJson,
        InputFormat::Ris,
        InputFormat::Nbib,
        InputFormat::Bibtex,
        InputFormat::Cnki,
        InputFormat::Bvs,
        InputFormat::Eprints,
        InputFormat::Emerald,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Bibtex => "bibtex",
            InputFormat::Biblatex => "biblatex",
            InputFormat::Ris => "ris",
            InputFormat::CslJson => "csl-json",
            InputFormat::Nbib => "nbib",
            InputFormat::Cnki => "cnki",
            InputFormat::Bvs => "bvs",
            InputFormat::Eprints => "eprints",
            InputFormat::Emerald => "emerald",
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format bibconv writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum OutputFormat {
    /// BibTeX for bibtex with the standard styles (plain, unsrt, plainnat).
    Bibtex,
    /// BibLaTeX for biber.
    Biblatex,
    /// RIS as Zotero imports it.
    Ris,
    /// CSL-JSON as Zotero and citeproc read it.
    CslJson,
}

impl OutputFormat {
    /// The format a file name's extension implies (`.bib`, `.ris`, `.json`), if any.
    pub fn from_extension(path: &std::path::Path) -> Option<OutputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "bib" | "bibtex" => Some(OutputFormat::Bibtex),
            "ris" => Some(OutputFormat::Ris),
            "json" => Some(OutputFormat::CslJson),
            _ => None,
        }
    }
}

/// Reads `src` as `format`.
///
/// # Errors
/// [`Error::Parse`] when nothing of the input can be used (for example CSL-JSON that is not
/// JSON). Problems with single records are [`Diagnostic`]s in the result instead.
pub fn read(src: &str, format: InputFormat) -> Result<Parsed, Error> {
    match format {
        InputFormat::Bibtex | InputFormat::Biblatex => Ok(bibtex::read::parse(src)),
        InputFormat::Ris => Ok(ris::read::parse(src)),
        InputFormat::CslJson => csl_json::read::parse(src),
        InputFormat::Nbib => Ok(nbib::read::parse(src)),
        InputFormat::Cnki => Ok(web::cnki::parse(src)),
        InputFormat::Bvs => Ok(web::bvs::parse(src)),
        InputFormat::Eprints => Ok(web::eprints::parse(src)),
        InputFormat::Emerald => Ok(web::emerald::parse(src)),
    }
}

/// Detects the format of `src` and reads it.
///
/// # Errors
/// [`Error::UnknownFormat`] when no format fits; otherwise as [`read`].
pub fn read_auto(src: &str) -> Result<(InputFormat, Parsed), Error> {
    let format = detect(src).ok_or(Error::UnknownFormat { tried: detect::TRIED })?;
    read(src, format).map(|parsed| (format, parsed))
}
