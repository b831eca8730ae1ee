//! Reports: one model ([`model`]), rendered for people ([`terminal`]) and machines ([`json`]).

pub mod json;
pub mod model;
pub mod terminal;

pub use model::{CaseReport, Status, SubmissionReport};
