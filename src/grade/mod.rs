//! Grading: comparing what a run produced with what was expected, and saying why.
//!
//! - [`judge`] decides a case's [`Verdict`] from a run's output (the one place that happens);
//! - [`compare`] holds the comparators;
//! - [`diff`] turns a mismatch into a line diff for people;
//! - [`growth`] fits how a growth case's cost grows with `n`, and judges it.

// Everything here handles what the sandbox sent: no panicking shortcuts outside tests.
#![cfg_attr(
    not(test),
    deny(
        clippy::string_slice,
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo
    )
)]

pub(crate) mod compare;
pub(crate) mod diff;
pub mod growth;
pub(crate) mod judge;

pub use crate::verdict::Verdict;
pub use judge::judge;

use crate::runner::Usage;

/// A judged case: the verdict, what to tell the author of the submission, and what it used.
#[derive(Debug, Clone)]
pub struct CaseOutcome {
    pub verdict: Verdict,
    pub feedback: Feedback,
    pub usage: Usage,
    /// A growth case's measurement: how its cost grew with `n`.
    pub growth: Option<growth::Measurement>,
}

/// Everything known about why a case got its verdict. For hidden cases none of it may be
/// shown; the report model drops it (see `report::model`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feedback {
    /// One line: what went wrong.
    pub message: Option<String>,
    /// Expected against actual, for wrong answers.
    pub mismatch: Option<Mismatch>,
    /// The candidate's own traceback lines.
    pub traceback: Option<String>,
    /// What the candidate printed, when it is not the result itself.
    pub stdout: Option<String>,
    pub stderr: Option<String>,
    /// Set when the case failed because the submission itself did not load: it did not
    /// compile, or raised while its module was imported. The session decides whether that
    /// stands for the whole submission (see `session`).
    pub load: Option<LoadFailure>,
}

impl Feedback {
    pub fn message(message: impl Into<String>) -> Self {
        Feedback {
            message: Some(message.into()),
            ..Feedback::default()
        }
    }
}

/// A submission that could not be loaded, described for its author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadFailure {
    pub kind: LoadKind,
    /// The exception's class: `SyntaxError`, `IndentationError`, `NameError`, ...
    pub type_name: String,
    /// One line: the exception's class and message, with the place for a syntax error.
    pub message: String,
    /// Where in the submission, when known (for an exception at import, its innermost frame in
    /// the submission).
    pub line: Option<u64>,
    pub column: Option<u64>,
    /// Python's rendering: the line and carets of a syntax error, or the submission's frames.
    pub traceback: Option<String>,
}

/// How a submission failed to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadKind {
    /// It does not compile; decided by its source alone.
    SyntaxError,
    /// It raised while its module was being imported.
    ImportError,
}

impl LoadKind {
    /// The kebab-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            LoadKind::SyntaxError => "syntax-error",
            LoadKind::ImportError => "import-error",
        }
    }
}

/// Expected and actual, each rendered for a line diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub expected: String,
    pub actual: String,
    /// The two differ only in whitespace: the diff should show it.
    pub whitespace_only: bool,
    /// A hint the diff alone would not give (types that differ, sorting that was applied).
    pub note: Option<String>,
}
