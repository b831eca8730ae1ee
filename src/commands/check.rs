//! `kata check FILE`: grade one solution file. Inside a workspace the result is also recorded
//! as progress.

mod solved;

use std::fs;
use std::path::Path;

use anstream::{eprintln, print};

use crate::cli::SandboxChoice;
use crate::cli::{CheckArgs, Format};
use crate::commands::block_on;
use crate::commands::grade::under_github_actions;
use crate::error::Error;
use crate::exercise::{Catalogue, CatalogueError, Exercise};
use crate::exit::ExitStatus;
use crate::report::{Status, SubmissionReport, Verbosity, github, json, terminal};
use crate::runner::{Program, Runner};
use crate::session::{self, Stops, Submission};
use crate::settings::{self, Globals};
use crate::style::{YELLOW, paint};
use crate::submission::{exercise_from_file_name, exercise_header};

pub(super) fn run(globals: &Globals, args: &CheckArgs) -> Result<ExitStatus, Error> {
    let source = fs::read(&args.file).map_err(|source| Error::File {
        action: "read",
        path: args.file.clone(),
        source,
    })?;
    let source = String::from_utf8_lossy(&source).into_owned();
    let catalogue = globals.catalogue()?;
    let exercise = exercise_for(&catalogue, &args.file, &source, args.exercise.as_deref())?;
    let backend = settings::backend(
        &globals.run_options(&args.run)?,
        SandboxChoice::Subprocess,
        &globals.hidden_paths(),
    )?;
    settings::ensure_supported(&backend, exercise)?;
    super::ensure_exercises_compile(
        &catalogue.source,
        &backend,
        args.run.python.as_deref(),
        &[exercise],
    )?;
    super::sandbox::warn_if_weak(&backend);
    let display_name = args.file.file_name().map_or_else(
        || "submission.py".to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    let submission = Submission {
        exercise,
        program: Program {
            source: source.into(),
            display_name,
        },
    };
    let jobs = settings::jobs(&args.run);
    let stops = Stops {
        fail_fast: args.fail_fast,
        max_timeouts: None,
    };
    let graded = block_on(session::grade_with_stops(
        &backend,
        std::slice::from_ref(&submission),
        jobs,
        stops,
        |_| {},
    ))?;
    let report = SubmissionReport::from_graded(
        exercise,
        backend.name(),
        Some(args.file.display().to_string()),
        &graded[0],
    );
    let verbosity = Verbosity::from_flags(args.quiet, args.verbose).unwrap_or_default();
    match args.format {
        // Under Actions, printed output quoted in the report must not become a workflow command.
        Format::Human if under_github_actions() => {
            print!(
                "{}",
                github::fence(&terminal::render_with(&report, verbosity))
            );
        }
        Format::Human => print!("{}", terminal::render_with(&report, verbosity)),
        Format::Json => print!("{}", json::render(&report)),
    }
    if let Some(workspace) = globals.workspace()? {
        let solved = solved::record(workspace, &catalogue, &report)?;
        if let (Some(solved), Format::Human) = (solved, args.format)
            && verbosity != Verbosity::Quiet
        {
            print!("{solved}");
        }
    }
    Ok(match report.status {
        Status::Pass => ExitStatus::Success,
        Status::Fail => ExitStatus::Failed,
        Status::Error => ExitStatus::Internal,
    })
}

/// `--exercise`, or else the file's `# kata: ID` line, or else its name. An unknown id is an error (with a
/// suggestion) before anything runs; a file whose header names another exercise than
/// `--exercise` is graded as asked, with a warning.
fn exercise_for<'c>(
    catalogue: &'c Catalogue,
    file: &Path,
    source: &str,
    given: Option<&str>,
) -> Result<&'c Exercise, Error> {
    let header = exercise_header(source);
    match (given, header) {
        (Some(given), header) => {
            let exercise = catalogue.get(given)?;
            let header_exercise = header.and_then(|header| catalogue.get(header).ok());
            if let Some(header) = header
                && header_exercise.is_none_or(|other| other.id != exercise.id)
            {
                eprintln!(
                    "{} `{}` says it is for `{header}`; grading it against `{}` as asked",
                    paint(YELLOW, "warning:"),
                    file.display(),
                    exercise.id
                );
            }
            Ok(exercise)
        }
        (None, Some(header)) => Ok(catalogue.get(header)?),
        // As `kata grade` does: a file with no header is for the exercise it is named after.
        (None, None) => match exercise_from_file_name(file).map(|id| catalogue.get(&id)) {
            Some(Ok(exercise)) => Ok(exercise),
            Some(Err(invalid @ CatalogueError::Invalid(_))) => Err(invalid.into()),
            _ => Err(Error::usage(
                format!("cannot tell which exercise `{}` is for", file.display()),
                Some(
                    "name it after the exercise (`reverse_words.py`), make its first line \
                     `# kata: ID`, or pass --exercise ID"
                        .to_string(),
                ),
            )),
        },
    }
}
