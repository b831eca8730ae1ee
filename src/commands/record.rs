//! `kata record EXERCISE`: write the reference's results into cases that have no `expect`.
//!
//! The reference runs in the sandbox on every case. A case without `expect` gets what the
//! reference returned or printed, written into the file in place (see
//! [`crate::authoring::record`]); a case with one is graded like any submission, and a
//! disagreement is reported, never overwritten. `--check` writes nothing.

use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use anstream::println;

use crate::authoring::record::{
    Expectation, describe_mismatch, expectation, insert_expectations, summary,
};
use crate::authoring::{exercise_path, snippets};
use crate::cli::RecordArgs;
use crate::commands::block_on;
use crate::error::Error;
use crate::exercise::catalogue::read_exercise_file;
use crate::exercise::{CatalogueError, Draft, SourceFile, load};
use crate::exit::ExitStatus;
use crate::runner::{Backend, Program, RunRequest};
use crate::session::{self, Submission};
use crate::settings::{self, Globals};
use crate::style::{BOLD, DIM, GREEN, RED, YELLOW, paint};

/// What became of one case.
enum Fate {
    /// Its `expect` agrees with the reference.
    Agrees,
    /// Its `expect` does not: what the judge said.
    Disagrees(String),
    /// It had no `expect`; this is what the reference gives.
    Recorded(Expectation),
    /// It had no `expect`, and the reference's run cannot be one.
    Unrecordable(String),
}

pub(super) fn run(globals: &Globals, args: &RecordArgs) -> Result<ExitStatus, Error> {
    let (id, file, draft) = load_draft(globals, args)?;
    let backend = settings::backend(
        &args.run,
        crate::cli::SandboxChoice::Subprocess,
        &globals.hidden_paths(),
    )?;
    check_python(&backend, args, &draft)?;
    let fates = reference_fates(&backend, &draft, settings::jobs(&args.run))?;
    println!(
        "{} {} {}",
        paint(BOLD, if args.check { "Checking" } else { "Recording" }),
        file.name,
        paint(DIM, "against its reference solution")
    );
    let tally = print_fates(&fates, args.check);
    if args.check {
        print_unrecorded(args, &draft);
        return Ok(tally.status);
    }
    if !tally.recorded.is_empty() {
        write_recorded(&id, &file, &tally.recorded, draft.unrecorded.len())?;
        println!(
            "{} {} expected result{} into {}",
            paint(BOLD, "Wrote"),
            tally.recorded.len(),
            if tally.recorded.len() == 1 { "" } else { "s" },
            file.name
        );
    } else if draft.unrecorded.is_empty() {
        println!("Every case already has its `expect`.");
    }
    Ok(tally.status)
}

/// The exercise file `args` names, loaded as a draft (cases may lack `expect`).
fn load_draft(globals: &Globals, args: &RecordArgs) -> Result<(String, SourceFile, Draft), Error> {
    let path = exercise_path(globals.exercises.as_deref(), &args.exercise);
    if !path.is_file() {
        return Err(Error::usage(
            format!("there is no exercise file `{}`", path.display()),
            Some(
                "name a `.toml` file, or an id in the exercises directory (--exercises DIR, by default `exercises`)"
                    .to_string(),
            ),
        ));
    }
    let (id, file) = read_exercise_file(&path)?;
    let draft = load::parse_draft(&id, file.clone())
        .map_err(|invalid| CatalogueError::Invalid(Box::new(invalid)))?;
    Ok((id, file, draft))
}

/// Its Python is checked before the reference runs any of it (as `kata validate` does).
fn check_python(backend: &Backend, args: &RecordArgs, draft: &Draft) -> Result<(), Error> {
    let Some(python) = snippets::host_python(backend, args.run.python.as_deref()) else {
        return Ok(());
    };
    let errors = snippets::syntax_errors(&python, &[&draft.exercise.snippets])
        .map_err(Error::Internal)?
        .concat();
    if errors.is_empty() {
        return Ok(());
    }
    let invalid = draft.exercise.snippets.invalid(errors);
    Err(CatalogueError::Invalid(Box::new(invalid)).into())
}

/// Runs the reference on every case (through the session's workers and schedule: judged where
/// the case has its `expect`, only run where it has none) and says what became of each, in
/// file order.
fn reference_fates<'a>(
    backend: &Backend,
    draft: &'a Draft,
    jobs: usize,
) -> Result<Vec<(usize, &'a str, Fate)>, Error> {
    let reference = Program {
        source: draft.exercise.reference.clone().into(),
        display_name: "reference.py".to_string(),
    };
    let support = Arc::new(draft.exercise.support.clone());
    let requests: Vec<RunRequest> = draft
        .unrecorded
        .iter()
        .map(|case| RunRequest {
            program: reference.clone(),
            support: Arc::clone(&support),
            input: case.input.clone(),
            limits: case.limits,
            fixtures: case.fixtures.clone(),
            requires: draft.exercise.requires.clone(),
        })
        .collect();
    let runs = block_on(session::run_all(backend, &requests, jobs))?;
    let graded = block_on(session::grade_all(
        backend,
        &[Submission {
            exercise: &draft.exercise,
            program: reference,
        }],
        jobs,
        |_| {},
    ))?
    .pop()
    .unwrap_or_default();

    let mut fates: Vec<(usize, &str, Fate)> = Vec::new();
    for (case, outcome) in draft.exercise.cases.iter().zip(&graded) {
        let fate = if outcome.verdict.is_accepted() {
            Fate::Agrees
        } else {
            Fate::Disagrees(describe_mismatch(outcome))
        };
        fates.push((case.line, &case.name, fate));
    }
    for (case, run) in draft.unrecorded.iter().zip(runs) {
        let fate = match run {
            Ok(output) => match expectation(&case.input, &case.limits, &output) {
                Ok(expectation) => Fate::Recorded(expectation),
                Err(why) => Fate::Unrecordable(why),
            },
            Err(error) => Fate::Unrecordable(format!("kata could not run it: {error}")),
        };
        fates.push((case.line, &case.name, fate));
    }
    fates.sort_by_key(|(line, _, _)| *line);
    Ok(fates)
}

/// What [`print_fates`] found: the exit status, and the expectations to write.
struct Tally {
    status: ExitStatus,
    recorded: Vec<(String, Expectation)>,
}

/// A line per case that needs one, and one for all that agree.
fn print_fates(fates: &[(usize, &str, Fate)], check: bool) -> Tally {
    let mut status = ExitStatus::Success;
    let mut agreeing = 0;
    let mut recorded = Vec::new();
    for (_, name, fate) in fates {
        match fate {
            Fate::Agrees => agreeing += 1,
            Fate::Disagrees(why) => {
                println!("  {} `{name}`: {why}", paint(RED, "✗"));
                status = status.max(ExitStatus::Failed);
            }
            Fate::Recorded(expectation) if check => {
                println!(
                    "  {} `{name}` has no `expect`; the reference gives {}",
                    paint(YELLOW, "!"),
                    summary(&expectation.text)
                );
                status = status.max(ExitStatus::Failed);
            }
            Fate::Recorded(expectation) => {
                let note = if expectation.raised {
                    paint(
                        DIM,
                        "  (the reference raises: is that what this case is for?)",
                    )
                } else {
                    String::new()
                };
                println!(
                    "  {} `{name}`: {}{note}",
                    paint(GREEN, "+"),
                    summary(&expectation.text)
                );
                recorded.push((name.to_string(), expectation.clone()));
            }
            Fate::Unrecordable(why) => {
                println!("  {} cannot record `{name}`: {why}", paint(RED, "✗"));
                status = status.max(ExitStatus::Usage);
            }
        }
    }
    if agreeing > 0 {
        println!(
            "  {} {agreeing} case{} already agree{} with the reference",
            paint(GREEN, "✓"),
            if agreeing == 1 { "" } else { "s" },
            if agreeing == 1 { "s" } else { "" },
        );
    }
    Tally { status, recorded }
}

/// With `--check`: how many cases still lack `expect`, and the command that fills them in.
fn print_unrecorded(args: &RecordArgs, draft: &Draft) {
    let missing = draft.unrecorded.len();
    if missing > 0 {
        println!(
            "{missing} case{} without `expect`: run `kata record {}` to write {}",
            if missing == 1 { "" } else { "s" },
            args.exercise,
            if missing == 1 { "it" } else { "them" }
        );
    }
}

/// Writes the new text next to the file and moves it into place, once it is known to load with
/// exactly the recorded cases filled in.
fn write_recorded(
    id: &str,
    file: &SourceFile,
    recorded: &[(String, Expectation)],
    unrecorded_before: usize,
) -> Result<(), Error> {
    let text = insert_expectations(&file.text, recorded)
        .map_err(|error| Error::Internal(format!("cannot edit {}: {error}", file.name)))?;
    let reloaded = load::parse_draft(
        id,
        SourceFile {
            name: file.name.clone(),
            text: text.clone(),
        },
    );
    match reloaded {
        Ok(draft) if draft.unrecorded.len() + recorded.len() == unrecorded_before => {}
        Ok(_) => {
            return Err(Error::Internal(format!(
                "editing {} did not fill in the cases it should have; the file is unchanged",
                file.name
            )));
        }
        Err(invalid) => {
            return Err(Error::Internal(format!(
                "editing {} would make it invalid, so it is unchanged:\n{invalid}",
                file.name
            )));
        }
    }
    let path = Path::new(&file.name);
    let dir = path
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_error = |source| Error::File {
        action: "write",
        path: path.to_path_buf(),
        source,
    };
    let mut temporary = tempfile::NamedTempFile::new_in(dir).map_err(file_error)?;
    temporary.write_all(text.as_bytes()).map_err(file_error)?;
    if let Ok(metadata) = std::fs::metadata(path) {
        let _ = temporary.as_file().set_permissions(metadata.permissions());
    }
    temporary
        .persist(path)
        .map_err(|error| file_error(error.error))?;
    Ok(())
}
