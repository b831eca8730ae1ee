//! Exercises set aside before anything runs: those whose Python does not compile, and those
//! that need what the sandbox cannot give.

use anstream::{eprintln, println};

use super::proofs::Proofs;
use crate::authoring::snippets;
use crate::cli::ValidateArgs;
use crate::error::Error;
use crate::exercise::snippet::Snippets;
use crate::exercise::{Exercise, InvalidExercise};
use crate::proof::ExerciseProof;
use crate::runner::{Backend, Runner};
use crate::style::{BOLD, DIM, paint};

/// Leaves out the exercises that need what this sandbox cannot give, and says so.
pub(super) fn skip_unsupported(
    backend: &Backend,
    exercises: Vec<Exercise>,
    proofs: &mut Proofs,
    human: bool,
) -> Vec<Exercise> {
    let (supported, unsupported): (Vec<Exercise>, Vec<Exercise>) = exercises
        .into_iter()
        .partition(|exercise| backend.missing(&exercise.requires).is_empty());
    for exercise in &unsupported {
        let missing = backend.missing(&exercise.requires);
        if human {
            let names: Vec<&str> = missing.iter().map(|c| c.as_str()).collect();
            println!(
                "{} {}",
                paint(BOLD, &exercise.id),
                paint(
                    DIM,
                    format!(
                        "skipped: needs {}, which the {} sandbox cannot provide (validate it {}with --sandbox subprocess)",
                        names.join(" and "),
                        backend.name(),
                        if crate::runner::native::AVAILABLE {
                            ""
                        } else {
                            "on Linux "
                        }
                    )
                )
            );
        }
        proofs.list.push(ExerciseProof::skipped(exercise, missing));
    }
    supported
}

/// Splits off the exercises whose Python does not compile, with their diagnostics. Without a
/// host Python (the wasm sandbox needs none) nothing is split off, and a note says so.
pub(super) fn python_syntax(
    backend: &Backend,
    args: &ValidateArgs,
    exercises: Vec<Exercise>,
) -> Result<(Vec<Exercise>, Vec<InvalidExercise>), Error> {
    let Some(python) = snippets::host_python(backend, args.run.python.as_deref()) else {
        eprintln!(
            "{}",
            paint(
                DIM,
                "kata: no usable host Python (python3 on PATH, or --python) to check the \
                 exercises' Python before it runs; a case that does not compile fails as it runs"
            )
        );
        return Ok((exercises, Vec::new()));
    };
    let all: Vec<&Snippets> = exercises.iter().map(|e| &e.snippets).collect();
    let errors = snippets::syntax_errors(&python, &all).map_err(Error::Internal)?;
    let mut valid = Vec::with_capacity(exercises.len());
    let mut broken = Vec::new();
    for (exercise, errors) in exercises.into_iter().zip(errors) {
        if errors.is_empty() {
            valid.push(exercise);
        } else {
            broken.push(exercise.snippets.invalid(errors));
        }
    }
    Ok((valid, broken))
}
