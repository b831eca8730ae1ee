//! Which exercises the command line names: files, directories of them, catalogue ids, or the
//! whole catalogue.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::exercise::catalogue::read_exercise_file;
use crate::exercise::{Catalogue, CatalogueError, Exercise, InvalidExercise, load};
use crate::settings::Globals;

/// The exercises named on the command line (files, or directories of `.toml` files), or the
/// whole catalogue.
pub(super) fn collect(
    globals: &Globals,
    paths: &[PathBuf],
) -> Result<(Vec<Exercise>, Vec<InvalidExercise>), Error> {
    if paths.is_empty() {
        let catalogue = globals.catalogue()?;
        return Ok((catalogue.exercises, catalogue.invalid));
    }
    let mut exercises = Vec::new();
    let mut invalid = Vec::new();
    let mut catalogue = None;
    for path in paths {
        if path.is_dir() {
            let catalogue =
                Catalogue::load(crate::exercise::CatalogueSource::Directory(path.clone()))?;
            exercises.extend(catalogue.exercises);
            invalid.extend(catalogue.invalid);
        } else if let Some(id) = catalogue_id(path) {
            // Not a file here but shaped like an id: the catalogue's exercise of that name.
            let catalogue = catalogue.get_or_insert(globals.catalogue()?);
            match catalogue.get(id) {
                Ok(exercise) => exercises.push(exercise.clone()),
                Err(CatalogueError::Invalid(problems)) => invalid.push(*problems),
                Err(unknown) => return Err(unknown.into()),
            }
        } else {
            let (id, file) = read_file(path)?;
            match load::parse(&id, file) {
                Ok(exercise) => exercises.push(exercise),
                Err(problems) => invalid.push(problems),
            }
        }
    }
    Ok((exercises, invalid))
}

/// `path` as an exercise id, when nothing exists at it and it has an id's shape (no
/// separator, no `.toml`), so a mistyped file name still reports the missing file.
fn catalogue_id(path: &Path) -> Option<&str> {
    let id = path.to_str()?;
    let shaped = !id.is_empty()
        && !id.ends_with(".toml")
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (shaped && !path.exists()).then_some(id)
}

fn read_file(path: &Path) -> Result<(String, crate::exercise::SourceFile), Error> {
    Ok(read_exercise_file(path)?)
}
