//! `kata reset ID`: put the starter back, keeping a numbered backup of the learner's file
//! (in `.kata/backups/` inside a workspace, next to the file otherwise).

use std::fs;
use std::io::ErrorKind;

use anstream::println;

use crate::cli::ResetArgs;
use crate::commands::start::{exercise_path, shortest, starter_file, write_starter};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::Globals;
use crate::style::{BOLD, DIM, paint};
use crate::workspace::{ProgressEvent, backup_path};

pub(super) fn run(globals: &Globals, args: &ResetArgs) -> Result<ExitStatus, Error> {
    let catalogue = globals.catalogue()?;
    let exercise = catalogue.get(&args.id)?;
    let workspace = globals.workspace()?;
    let path = exercise_path(workspace, args.dir.as_deref(), exercise);
    let starter = starter_file(exercise);
    let backup = match fs::read(&path) {
        Ok(current) if current == starter.as_bytes() => {
            println!("`{}` is already the starter.", path.display());
            return Ok(ExitStatus::Success);
        }
        Ok(current) => {
            let dir = match workspace {
                Some(workspace) if args.dir.is_none() => workspace.backups_dir(),
                _ => path
                    .parent()
                    .map(std::path::Path::to_path_buf)
                    .unwrap_or_default(),
            };
            if !dir.as_os_str().is_empty() {
                fs::create_dir_all(&dir).map_err(|source| Error::File {
                    action: "create",
                    path: dir.clone(),
                    source,
                })?;
            }
            let backup = backup_path(&dir, &exercise.file_name());
            fs::write(&backup, current).map_err(|source| Error::File {
                action: "write",
                path: backup.clone(),
                source,
            })?;
            Some(backup)
        }
        Err(error) if error.kind() == ErrorKind::NotFound => None,
        Err(source) => {
            return Err(Error::File {
                action: "read",
                path,
                source,
            });
        }
    };
    write_starter(&path, exercise)?;
    if let Some(workspace) = workspace {
        workspace.progress().record(&ProgressEvent::Started {
            id: exercise.id.clone(),
        })?;
    }
    println!(
        "{} {} {}",
        paint(BOLD, "Restored"),
        path.display(),
        paint(DIM, "to the starter")
    );
    if let Some(backup) = backup {
        println!(
            "{}",
            paint(
                DIM,
                format!("Your version is saved as {}", shortest(&backup).display())
            )
        );
    }
    Ok(ExitStatus::Success)
}
