//! `kata start ID`: write the exercise's starter file (at the workspace's root when there is a
//! workspace, and then it becomes the current exercise).

use std::fs;
use std::path::{Path, PathBuf};

use anstream::println;

use crate::cli::StartArgs;
use crate::error::Error;
use crate::exercise::Exercise;
use crate::exit::ExitStatus;
use crate::settings::Globals;
use crate::style::{BOLD, DIM, paint};
pub(super) use crate::submission::starter_file;
use crate::workspace::{ProgressEvent, Workspace};

pub(super) fn run(globals: &Globals, args: &StartArgs) -> Result<ExitStatus, Error> {
    let catalogue = globals.catalogue()?;
    let exercise = catalogue.get(&args.id)?;
    let workspace = globals.workspace()?;
    let path = exercise_path(workspace, args.dir.as_deref(), exercise);
    if path.exists() && !args.force {
        return Err(Error::usage(
            format!("`{}` already exists", path.display()),
            Some(format!(
                "grade it with `kata check {}`, or start over with --force",
                path.display()
            )),
        ));
    }
    write_starter(&path, exercise)?;
    println!("{} {}", paint(BOLD, "Wrote"), path.display());
    if let Some(workspace) = workspace {
        workspace.progress().record(&ProgressEvent::Started {
            id: exercise.id.clone(),
        })?;
        println!(
            "{}",
            paint(
                DIM,
                format!(
                    "Edit it; `kata watch` grades it each time you save (or `kata check {}`).",
                    path.display()
                )
            )
        );
    } else {
        println!(
            "{}",
            paint(
                DIM,
                format!("Edit it, then run `kata check {}`.", path.display())
            )
        );
    }
    Ok(ExitStatus::Success)
}

/// Where an exercise's file goes: `--dir` if given, else the workspace's root, else the
/// current directory (as a bare file name, so messages say `lru_cache.py`, not
/// `./lru_cache.py`).
pub(super) fn exercise_path(
    workspace: Option<&Workspace>,
    dir: Option<&Path>,
    exercise: &Exercise,
) -> PathBuf {
    match (dir, workspace) {
        (Some(dir), _) if dir != Path::new(".") => dir.join(exercise.file_name()),
        (None, Some(workspace)) => shortest(&workspace.exercise_path(exercise)),
        _ => PathBuf::from(exercise.file_name()),
    }
}

/// `path` relative to the current directory when it is below it, for friendlier messages.
pub(super) fn shortest(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|here| path.strip_prefix(here).ok().map(Path::to_path_buf))
        .filter(|relative| !relative.as_os_str().is_empty())
        .unwrap_or_else(|| path.to_path_buf())
}

/// Writes the starter file for `exercise` at `path`, creating its folder if needed.
pub(super) fn write_starter(path: &Path, exercise: &Exercise) -> Result<(), Error> {
    if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|source| Error::File {
            action: "create",
            path: dir.to_path_buf(),
            source,
        })?;
    }
    fs::write(path, starter_file(exercise)).map_err(|source| Error::File {
        action: "write",
        path: path.to_path_buf(),
        source,
    })
}
