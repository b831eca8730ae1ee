//! What the state machine asks its driver to do.

use std::path::PathBuf;

use crate::workspace::ProgressEvent;

/// What the driver must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Effect {
    /// Make sure the exercise's file exists (writing the starter if not), then report
    /// [`Input::Opened`].
    Open {
        id: String,
        path: PathBuf,
    },
    /// Grade the file as run number `run`, superseding any run in progress. With
    /// `unless_untouched`, a file that is still the starter is not graded.
    Grade {
        run: u64,
        id: String,
        path: PathBuf,
        unless_untouched: bool,
    },
    /// Record this in the progress file.
    Record(ProgressEvent),
    Quit,
}
