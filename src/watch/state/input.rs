//! What the state machine is told: the learner's keys, file events and the grader's results.

use std::path::PathBuf;
use std::time::Duration;

use crate::report::SubmissionReport;

/// What the learner asked for. Terminal keys and plain-text commands both map to these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// Show one more hint.
    Hint,
    /// Go to the next unsolved exercise.
    Next,
    /// Grade again.
    Rerun,
    /// Show the exercises (and pick one, on a terminal).
    List,
    /// Show the whole prompt (or go back to the short one).
    Prompt,
    Quit,
    Up,
    Down,
    PageUp,
    PageDown,
    /// Open the selected exercise in the list; re-run otherwise.
    Enter,
    /// Leave the list.
    Back,
    /// A key that means nothing here.
    Unknown,
}

/// Something that happened.
#[derive(Debug)]
pub(crate) enum Input {
    Key(Key),
    /// Files in the workspace changed (after debouncing).
    FilesChanged(Vec<PathBuf>),
    /// File events stopped arriving: the watcher reported this error.
    WatchFailed(String),
    /// The exercise's file is ready; `untouched` when it is still exactly the starter,
    /// `written` when the starter was written just now.
    Opened {
        id: String,
        untouched: bool,
        written: bool,
    },
    /// One more case of run `run` finished.
    CaseFinished {
        run: u64,
    },
    /// Run `run` is over.
    Graded {
        run: u64,
        result: GradeResult,
        elapsed: Duration,
    },
    /// Something went wrong that the learner should hear about, without stopping.
    Problem(String),
    /// The terminal changed size.
    Resized,
}

/// How a grading ended.
#[derive(Debug)]
pub(crate) enum GradeResult {
    Report(Box<SubmissionReport>),
    /// The file could not be read.
    Unreadable(String),
    /// The file was still exactly the starter, and only a file event asked for the grading.
    Untouched,
}
