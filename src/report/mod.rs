//! Reports: one model per scope, rendered by every format.
//!
//! - [`model`]: one submission ([`SubmissionReport`]), rendered by [`terminal`] and [`json`];
//! - [`class`]: a whole class ([`ClassReport`]), rendered by [`summary`] (terminal),
//!   [`junit`], [`tap`], [`gradebook`] (CSV), [`github`] (annotations), [`markdown`]
//!   (GitHub's step summary), [`html`] (a page for teachers, with the figures of
//!   [`overview`]) and as JSON.

pub mod class;
pub(crate) mod escape;
#[cfg(test)]
mod fixtures;
pub mod github;
pub mod gradebook;
pub mod growth;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod model;
pub(crate) mod overview;
pub mod summary;
pub mod tap;
pub mod terminal;

/// How much `kata check` and `kata grade` print: `quiet` only the summary and errors, `verbose`
/// every case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    #[default]
    Normal,
    Verbose,
}

impl Verbosity {
    /// From the flags; neither is [`Verbosity::Normal`] (clap refuses both).
    pub fn from_flags(quiet: bool, verbose: bool) -> Option<Verbosity> {
        match (quiet, verbose) {
            (true, _) => Some(Verbosity::Quiet),
            (_, true) => Some(Verbosity::Verbose),
            _ => None,
        }
    }

    /// As written in `kata.toml`.
    pub fn parse(name: &str) -> Option<Verbosity> {
        match name {
            "quiet" => Some(Verbosity::Quiet),
            "normal" => Some(Verbosity::Normal),
            "verbose" => Some(Verbosity::Verbose),
            _ => None,
        }
    }
}

pub use class::{ClassReport, StudentSubmission};
pub use model::{CaseReport, LoadError, LoadErrorKind, NotRun, Status, SubmissionReport};
