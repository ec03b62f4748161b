//! Errors (an input that cannot be used at all) and diagnostics (a problem at one place in
//! an input that cost a record or a field, or that the user should know of).

use crate::InputFormat;

/// Everything that makes a whole input unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Detection found no format that fits the text.
    #[error("unrecognised input: not {tried}; name the format with --from")]
    UnknownFormat {
        /// The formats that were tried, for the message.
        tried: &'static str,
    },
    /// The text is not valid in the format it was read as, and nothing could be recovered.
    #[error("{format} error at byte {offset}: {message}")]
    Parse {
        /// The format the text was read as.
        format: InputFormat,
        /// Byte offset of the problem.
        offset: usize,
        /// What was expected or found.
        message: String,
    },
    /// The bytes could not be decoded as text in the requested or detected encoding.
    #[error("cannot decode input as {encoding}: {message}")]
    Decode {
        /// The encoding tried.
        encoding: String,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// Byte offset the error points at, when it points at one.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Error::Parse { offset, .. } => Some(*offset),
            _ => None,
        }
    }
}

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something was skipped: a record, or part of one, did not make it into the output.
    Error,
    /// Everything was kept, but the user should know (an unplaced line, a duplicate key).
    Warning,
}

/// A problem at one place in an input. The message is lowercase with no final period and
/// says what was expected (`expected a "TAG  - value" line`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Byte offset in the input text the diagnostic points at.
    pub offset: usize,
    /// What happened.
    pub message: String,
}

impl Diagnostic {
    /// Something at `offset` was skipped.
    pub fn error(offset: usize, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, offset, message: message.into() }
    }

    /// Something at `offset` deserves a word, but nothing was lost.
    pub fn warning(offset: usize, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, offset, message: message.into() }
    }
}

/// What a reader made of one input: its records and what it has to say about them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The records, in input order.
    pub records: Vec<crate::Record>,
    /// Errors (something skipped) and warnings, in input order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// True when any diagnostic is an error (something was skipped).
    pub fn skipped_anything(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}
