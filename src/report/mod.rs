//! Reports: one model per scope, rendered by every format.
//!
//! - [`model`]: one submission ([`SubmissionReport`]), rendered by [`terminal`] and [`json`];
//! - [`class`]: a whole class ([`ClassReport`]), rendered by [`summary`] (terminal),
//!   [`junit`], [`tap`], [`gradebook`] (CSV), [`github`] (annotations), [`markdown`]
//!   (GitHub's step summary), [`html`] (a page for teachers, with the figures of
//!   [`overview`]) and as JSON.

pub mod class;
pub mod escape;
pub mod github;
pub mod gradebook;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod model;
pub mod overview;
pub mod summary;
pub mod tap;
pub mod terminal;

pub use class::{ClassReport, StudentSubmission};
pub use model::{CaseReport, Status, SubmissionReport};
