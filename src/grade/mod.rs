//! Grading: comparing what a run produced with what was expected, and saying why.
//!
//! - [`judge`] decides a case's [`Verdict`] from a run's output (the one place that happens);
//! - [`compare`] holds the comparators;
//! - [`diff`] turns a mismatch into a line diff for people.

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

pub mod compare;
pub mod diff;
pub mod judge;
mod verdict;

pub use judge::judge;
pub use verdict::Verdict;

use crate::runner::Usage;

/// A judged case: the verdict, what to tell the author of the submission, and what it used.
#[derive(Debug, Clone)]
pub struct CaseOutcome {
    pub verdict: Verdict,
    pub feedback: Feedback,
    pub usage: Usage,
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
}

impl Feedback {
    pub fn message(message: impl Into<String>) -> Self {
        Feedback {
            message: Some(message.into()),
            ..Feedback::default()
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
