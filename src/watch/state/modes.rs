//! How the loop runs and what is on show: the settings the driver chose and the view the
//! learner moved to.

/// How changes to the file are noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileEvents {
    /// Each save is graded.
    Watching,
    /// The learner asked not to watch (`--manual`): Enter grades.
    Manual,
    /// Watching failed, for this reason: Enter grades.
    Unavailable(String),
}

/// How the loop talks to the learner, which changes what some keys do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Display {
    /// A full-screen terminal: the list is a view to move around in.
    Screen,
    /// Plain text, one command per line: the list is printed once.
    Plain,
}

/// What is on show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Page {
    Exercise {
        full_prompt: bool,
        /// Lines scrolled down the body.
        scroll: usize,
    },
    List {
        selected: usize,
    },
}
