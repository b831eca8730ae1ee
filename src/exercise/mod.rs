//! Exercises: the TOML format, its checked model and the catalogue.
//!
//! - [`manifest`]: the file as written (serde types, documented for authors);
//! - [`load`] and `check`: file → [`Exercise`], reporting every problem with its place;
//! - [`model`]: what the rest of kata works with ([`case`]: a case's input and expectation);
//! - [`schema`] (with `field_schema`): the format's JSON Schema, for editors;
//! - [`catalogue`]: the embedded exercises, or another directory of them.

pub(crate) mod allow;
pub(crate) mod case;
pub(crate) mod catalogue;
mod check;
mod code;
pub(crate) mod diagnostic;
mod field_names;
mod field_schema;
pub mod growth;
pub mod index;
pub mod load;
pub(crate) mod manifest;
pub mod model;
pub(crate) mod schema;
pub(crate) mod snippet;

pub use catalogue::{Catalogue, CatalogueError, CatalogueSource};
pub use check::is_valid_id;
pub use code::Code;
pub use diagnostic::{Diagnostic, InvalidExercise, SourceFile};
pub use model::{
    Capability, Case, CaseInput, Comparison, Difficulty, Draft, EquivalentMutant, Exercise,
    Expectation, Fixture, FixtureContents, Growth, GrowthClass, LeetCode, LeetCodeEntry, Limits,
    OpStep, Sequences, Support, TextComparator, TextInput, UnrecordedCase, ValueComparator,
    ValueInput, WrongSolution,
};
