//! Tools for exercise authors, around the loader and the graders.
//!
//! - [`scaffold`]: the text `kata new` writes;
//! - [`record`]: filling in `expect` from the reference, editing the file in place;
//! - [`lint`]: warnings (and a few errors) about exercises that load but are weak or confusing;
//! - [`editor`]: pointing editors at the format's JSON Schema;
//! - [`snippets`]: the syntax check of the Python in exercise files, before anything runs.
//!
//! Mutation testing of test sets is in [`crate::mutation`].

pub(crate) mod editor;
pub(crate) mod lint;
pub(crate) mod record;
pub(crate) mod scaffold;
pub(crate) mod snippets;

use std::path::{Path, PathBuf};

/// Where authoring commands look for and write exercise files by id: `--exercises DIR` (or
/// `KATA_EXERCISES`), by default `exercises` in the current directory.
pub(crate) fn exercises_dir(exercises: Option<&Path>) -> PathBuf {
    exercises.map_or_else(|| PathBuf::from("exercises"), Path::to_path_buf)
}

/// The file an authoring command works on: `exercise` itself when it names a `.toml` file,
/// otherwise `<exercises dir>/<exercise>.toml`.
pub(crate) fn exercise_path(exercises: Option<&Path>, exercise: &str) -> PathBuf {
    let given = Path::new(exercise);
    if given.extension().is_some_and(|ext| ext == "toml") || given.components().count() > 1 {
        given.to_path_buf()
    } else {
        exercises_dir(exercises).join(format!("{exercise}.toml"))
    }
}
