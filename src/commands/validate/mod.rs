//! `kata validate`: prove exercises.
//!
//! For each exercise: its file parses and means something (every problem reported), the
//! reference solution passes every case, the starter fails some case (and compiles), and every
//! known-wrong solution fails some case, with its stated verdict and by its stated cases when
//! the file gives them. On the wasm sandbox, where fuel is exact, the reference must also
//! leave room for slower correct solutions (at most a quarter of each case's fuel budget), and
//! exercises that need what WASI lacks are skipped with a note. All runs of all exercises share
//! one queue of `--jobs` workers; each exercise's result is printed as soon as it and those
//! before it are done, with lint findings (see [`crate::authoring::lint`]).
//!
//! With `--mutants`, the exercises whose reference passes then go through mutation testing
//! (see [`crate::mutation`]), all of their mutants again in one queue.
//!
//! What the runs prove, and what is a problem, is decided in [`crate::proof`]; this command
//! schedules the runs and prints the proofs, as lines or as one JSON object (`--format json`).

mod collect;
mod mutants;
mod precheck;
mod proofs;
mod prove;

use self::collect::collect;
use self::mutants::mutants;
use self::precheck::{python_syntax, skip_unsupported};
use self::proofs::Proofs;
use self::prove::prove;
use crate::cli::{Format, SandboxChoice, ValidateArgs};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::runner::Runner;
use crate::settings::{self, Globals};

pub(super) fn run(globals: &Globals, args: &ValidateArgs) -> Result<ExitStatus, Error> {
    let human = args.format == Format::Human;
    let (exercises, invalid) = collect(globals, &args.paths)?;
    if exercises.is_empty() && invalid.is_empty() {
        return Err(Error::usage(
            "found no exercise files to validate",
            Some("pass `.toml` files or directories that contain them".to_string()),
        ));
    }
    let mut proofs = Proofs::default();
    proofs.add_invalid(&invalid, human);
    if exercises.is_empty() {
        proofs.finish(args, None, human, false);
        return Ok(proofs.status);
    }

    let backend = settings::backend(
        &args.run,
        SandboxChoice::Subprocess,
        &globals.hidden_paths(),
    )?;
    super::sandbox::warn_if_weak(&backend);
    // The exercises' own Python is checked before any of it runs: a broken `call` is the
    // exercise's mistake, reported with its place, not a failure halfway through grading.
    let (exercises, broken) = python_syntax(&backend, args, exercises)?;
    proofs.add_invalid(&broken, human);
    let exercises = skip_unsupported(&backend, exercises, &mut proofs, human);
    let validated = prove(&backend, args, &exercises, human)?;
    let first = proofs.list.len();
    proofs.add_validated(validated);
    if args.mutants {
        let passing: Vec<usize> = (0..exercises.len())
            .filter(|&index| proofs.list[first + index].reference_passes())
            .collect();
        mutants(
            &backend,
            args,
            &exercises,
            &passing,
            &mut proofs,
            first,
            human,
        )?;
    }
    proofs.finish(args, Some(backend.name()), human, true);
    Ok(proofs.status)
}
