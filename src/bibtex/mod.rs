//! BibTeX and BibLaTeX: one reader (on the `biblatex` crate) and one writer with a dialect.

pub mod read;
pub mod write;

/// Which flavour of `.bib` to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Classic BibTeX (`journal`, `year`, `month`, `address`).
    Bibtex,
    /// BibLaTeX for biber (`journaltitle`, `date`, `location`).
    Biblatex,
}
