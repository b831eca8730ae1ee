//! `--mutants`: mutation testing of the exercises whose reference passes, added to their proofs.

use std::io::IsTerminal;
use std::time::Instant;

use anstream::{eprint, print, println};

use super::proofs::Proofs;
use crate::cli::ValidateArgs;
use crate::commands::block_on;
use crate::error::Error;
use crate::exercise::Exercise;
use crate::exit::ExitStatus;
use crate::mutation::{self, report as mutation_report};
use crate::proof;
use crate::runner::Backend;
use crate::settings;
use crate::style::{BOLD, DIM, paint};
use crate::words::count;

/// Mutation testing of the exercises at `passing` (those whose reference passes): adds what it
/// finds to their proofs and keeps the results for the JSON report; in human output, prints
/// each exercise's section and the table of scores.
pub(super) fn mutants(
    backend: &Backend,
    args: &ValidateArgs,
    exercises: &[Exercise],
    passing: &[usize],
    proofs: &mut Proofs,
    first: usize,
    human: bool,
) -> Result<(), Error> {
    let tested: Vec<&Exercise> = passing.iter().map(|&index| &exercises[index]).collect();
    let skipped = exercises.len() - tested.len();
    if human {
        println!(
            "\n{}{}",
            paint(BOLD, "Mutation testing"),
            if skipped > 0 {
                paint(
                    DIM,
                    format!(
                        " ({} left out: their reference fails some case)",
                        count(skipped, "exercise", "exercises")
                    ),
                )
            } else {
                String::new()
            }
        );
    }
    let show_progress = std::io::stderr().is_terminal();
    let started = Instant::now();
    let results = block_on(mutation::test_exercises(
        backend,
        &tested,
        settings::jobs(&args.run),
        |decided, total| {
            if show_progress {
                eprint!("\r  {decided}/{total} mutants graded");
            }
        },
    ))?;
    if show_progress {
        eprint!("\r\x1b[2K");
    }
    let elapsed = started.elapsed();
    let mut mutants = 0;
    let mut runs = 0;
    let mut timeouts = 0;
    proofs.mutants.resize(proofs.list.len(), None);
    for ((&index, exercise), result) in passing.iter().zip(&tested).zip(&results) {
        let proof = &mut proofs.list[first + index];
        proof.add_mutants(exercise, result, args.min_score);
        if human {
            print!("{}", proof::terminal::mutation_section(proof, result));
        }
        let kata_failed = match result {
            Ok(result) => {
                mutants += result.tested.len();
                runs += result.runs;
                timeouts += result.timeouts;
                proofs.mutants[first + index] = Some(result.clone());
                result.errors() > 0
            }
            Err(_) => true,
        };
        if kata_failed {
            proofs.status = proofs.status.max(ExitStatus::Internal);
        }
        if proof.has_errors() {
            proofs.status = proofs.status.max(ExitStatus::Usage);
        }
    }
    if !human {
        return Ok(());
    }
    let rows: Vec<_> = tested.iter().copied().zip(&results).collect();
    print!("\n{}", mutation_report::score_table(&rows));
    println!(
        "{}",
        paint(
            DIM,
            format!(
                "{} graded in {:.1} s ({}, {timeouts} of them stopped by a time limit; \
                 --jobs {})",
                count(mutants, "mutant", "mutants"),
                elapsed.as_secs_f64(),
                count(runs, "sandbox run", "sandbox runs"),
                settings::jobs(&args.run)
            )
        )
    );
    Ok(())
}
