//! The one error type of the engine.
//!
//! Every fallible public function returns [`Result`]. Variants carry the data a user needs to fix
//! the input (which argument, which index, which file/line/column); the message is written for the
//! person who will read it in a terminal or a notebook.

use std::fmt;

/// Shorthand for `std::result::Result<T, shiftwatch::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in shiftwatch.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A sample is too short for the requested computation.
    #[error("{what}: need at least {needed} values, got {got}")]
    TooFewPoints {
        /// Which input (e.g. `"baseline"`, `"x"`).
        what: &'static str,
        /// The minimum that would work.
        needed: usize,
        /// What was given.
        got: usize,
    },
    /// A sample holds NaN or ±∞ where only finite values make sense.
    #[error("{what}: value at index {index} is not finite ({value})")]
    NonFinite {
        /// Which input.
        what: &'static str,
        /// 0-based position of the first offending value.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Every value is the same, so the statistic is undefined (zero variance, all ties).
    #[error("{what}: all values are identical ({value}); {why}")]
    Constant {
        /// Which input.
        what: &'static str,
        /// The repeated value.
        value: f64,
        /// Why that is a problem for this computation.
        why: &'static str,
    },
    /// Two samples are each constant at different values: they differ, but without noise no
    /// p-value or interval exists.
    #[error(
        "baseline and candidate are each constant ({baseline} and {candidate}): they differ by \
         exactly {}, but without any variation no p-value or interval can be computed",
        candidate - baseline
    )]
    ConstantSamplesDiffer {
        /// The baseline's one value.
        baseline: f64,
        /// The candidate's one value.
        candidate: f64,
    },
    /// Two inputs that must have the same length do not.
    #[error("{what}: lengths differ ({left} vs {right})")]
    LengthMismatch {
        /// What was being paired.
        what: &'static str,
        /// Length of the first input.
        left: usize,
        /// Length of the second input.
        right: usize,
    },
    /// An argument is outside its domain (e.g. `alpha` not in (0, 1)).
    #[error("invalid {name}: {msg}")]
    InvalidArgument {
        /// The argument's name as users spell it.
        name: &'static str,
        /// What is wrong and what would be accepted.
        msg: String,
    },
    /// A name given as a string (method, cost, correction…) is not known.
    #[error("unknown {kind} '{value}'; expected one of: {expected}")]
    UnknownName {
        /// What kind of name (`"alternative"`, `"method"`…).
        kind: &'static str,
        /// What the user wrote.
        value: String,
        /// The accepted spellings, comma separated.
        expected: &'static str,
    },
    /// Malformed input data, located in its file.
    #[error("{location}: {msg}")]
    Parse {
        /// Where: file, line and column (or JSON path).
        location: Location,
        /// What was found and what was expected.
        msg: String,
    },
    /// A long computation was stopped by its progress hook (Ctrl-C in Python).
    #[error("cancelled")]
    Cancelled,
    /// A remote source (the Prometheus HTTP API) refused or failed a request. The message names
    /// the URL and the query, never credentials.
    #[error("{url}: query '{query}': {msg}")]
    Remote {
        /// The endpoint asked (no credentials: they are never part of a URL shiftwatch accepts).
        url: String,
        /// The PromQL expression.
        query: String,
        /// HTTP status when the server answered (`None`: no answer, e.g. connection refused or
        /// timed out).
        status: Option<u16>,
        /// What went wrong, with the server's `errorType` and `error` when it sent them.
        msg: String,
    },
    /// A file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// `true` for errors that mean "not enough (usable) data" rather than "wrong input";
    /// the Python layer raises `InsufficientDataError` for these.
    pub fn is_insufficient_data(&self) -> bool {
        matches!(
            self,
            Error::TooFewPoints { .. }
                | Error::Constant { .. }
                | Error::ConstantSamplesDiffer { .. }
        )
    }

    /// Builds an [`Error::InvalidArgument`].
    pub fn invalid(name: &'static str, msg: impl Into<String>) -> Self {
        Error::InvalidArgument {
            name,
            msg: msg.into(),
        }
    }
}

/// A position in an input file: `file:line:column` (1-based), or `file:$.json.path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// File name as given by the user (or `<stdin>`, `<buffer>`).
    pub file: String,
    /// 1-based line number (0 when unknown).
    pub line: usize,
    /// 1-based column number (0 when unknown).
    pub column: usize,
    /// JSON path such as `$.data.result[3].values[17]`, for JSON inputs.
    pub json_path: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.json_path {
            Some(path) => write!(f, "{}: {}", self.file, path),
            None if self.column > 0 => write!(f, "{}:{}:{}", self.file, self.line, self.column),
            None => write!(f, "{}:{}", self.file, self.line),
        }
    }
}
