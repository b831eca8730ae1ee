//! The latest grading of the current exercise, as the screens show it.

use std::time::Duration;

use crate::report::SubmissionReport;

/// A finished grading.
#[derive(Debug, Clone)]
pub(crate) struct Graded {
    /// Which grading of this exercise it was (1 for the first since it was opened).
    pub number: u64,
    pub report: SubmissionReport,
    pub elapsed: Duration,
}

/// The latest grading of the current exercise.
#[derive(Debug, Clone)]
pub(crate) enum LatestGrading {
    /// Nothing graded since the exercise was opened.
    NotRun,
    Running {
        /// The request, as sent to the grader.
        run: u64,
        /// Which grading of this exercise it is.
        number: u64,
        done: usize,
        total: usize,
        /// The result on show until this one is ready.
        previous: Option<Box<Graded>>,
    },
    Done(Box<Graded>),
    /// The file could not be graded.
    Failed {
        number: u64,
        message: String,
    },
}
