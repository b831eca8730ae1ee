//! `kata watch [ID]`: grade on every save (see `crate::watch`).

use crate::cli::WatchArgs;
use crate::curriculum::Curriculum;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::{self, Globals};
use crate::watch::{self, Options};

pub(super) fn run(globals: &Globals, args: &WatchArgs) -> Result<ExitStatus, Error> {
    let workspace = globals.require_workspace()?;
    let catalogue = globals.catalogue()?;
    let curriculum = Curriculum::new(&catalogue);
    if curriculum.exercises().is_empty() {
        return Err(Error::usage(
            format!("{} has no exercises to watch", catalogue.describe()),
            Some("check `catalogue` in kata.toml, or --exercises".to_string()),
        ));
    }
    let start = match &args.id {
        // `get` explains an unknown or invalid id (with a suggestion).
        Some(id) => curriculum
            .position(&catalogue.get(id)?.id)
            .expect("every valid exercise is in the curriculum"),
        None => {
            let progress = workspace.progress().load()?;
            curriculum
                .resume(&progress)
                .or_else(|| {
                    // Everything is solved: reopen the current exercise, or the first.
                    progress
                        .current
                        .as_deref()
                        .and_then(|id| catalogue.get(id).ok())
                })
                .and_then(|exercise| curriculum.position(&exercise.id))
                .unwrap_or(0)
        }
    };
    let run_options = globals.run_options(&args.run)?;
    let backend = settings::backend(
        &run_options,
        crate::cli::SandboxChoice::Subprocess,
        &globals.hidden_paths(),
    )?;
    let options = Options {
        manual: args.manual,
        jobs: settings::jobs(&run_options),
    };
    watch::run(curriculum, workspace, start, backend, options)
}
