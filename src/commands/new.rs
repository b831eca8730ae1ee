//! `kata new ID`: start an exercise file, every section explained.

use std::fs;

use anstream::println;

use crate::authoring::scaffold::{self, Names};
use crate::authoring::{editor, exercises_dir};
use crate::cli::NewArgs;
use crate::error::Error;
use crate::exercise::is_valid_id;
use crate::exit::ExitStatus;
use crate::settings::Globals;
use crate::style::{BOLD, DIM, paint};

pub(super) fn run(globals: &Globals, args: &NewArgs) -> Result<ExitStatus, Error> {
    if !is_valid_id(&args.id) {
        return Err(Error::usage(
            format!("`{}` is not a valid exercise id", args.id),
            Some("use lowercase words joined by hyphens, like `two-sum`".to_string()),
        ));
    }
    let dir = exercises_dir(globals.exercises.as_deref());
    let path = dir.join(format!("{}.toml", args.id));
    if path.exists() && !args.force {
        return Err(Error::usage(
            format!("`{}` already exists", path.display()),
            Some("choose another id, or start over with --force".to_string()),
        ));
    }
    fs::create_dir_all(&dir).map_err(|source| Error::File {
        action: "create",
        path: dir.clone(),
        source,
    })?;
    let (schema, written) = editor::schema_for(&dir).map_err(|source| Error::File {
        action: "write the schema into",
        path: dir.clone(),
        source,
    })?;
    let names = Names::from_id(&args.id);
    let shown = path.display().to_string();
    let text = scaffold::exercise_file(&names, args.kind, &schema, &shown);
    fs::write(&path, text).map_err(|source| Error::File {
        action: "write",
        path: path.clone(),
        source,
    })?;
    println!("{} {shown}", paint(BOLD, "Wrote"));
    if let Some(schema) = written {
        println!(
            "{} {} (the format's JSON Schema, for editor completion)",
            paint(BOLD, "Wrote"),
            schema.display()
        );
    }
    println!(
        "{}",
        paint(
            DIM,
            format!(
                "Write the prompt, the starter, the reference and a first case, then run\n  \
                 kata record {}\n  kata validate --mutants {shown}",
                record_argument(globals, &args.id, &shown)
            )
        )
    );
    Ok(ExitStatus::Success)
}

/// How to name the new file to `kata record`: its id when that finds it, otherwise its path.
fn record_argument(globals: &Globals, id: &str, path: &str) -> String {
    if globals.exercises.is_none() {
        id.to_string()
    } else {
        path.to_string()
    }
}
