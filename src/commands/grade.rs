//! `kata grade DIR`: grade a class, with reports for CI.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;

use anstream::{eprint, eprintln, print};
use indicatif::{ProgressBar, ProgressStyle};

use crate::classroom::{self, Found};
use crate::cli::{GradeArgs, RunOptions, SandboxChoice};
use crate::commands::{block_on, write_reports};
use crate::error::Error;
use crate::exercise::Exercise;
use crate::exit::ExitStatus;
use crate::report::escape::visible_line;
use crate::report::{
    ClassReport, Status, StudentSubmission, SubmissionReport, Verbosity, github, markdown, summary,
};
use crate::runner::native::{self, NativeSandboxUnavailable};
use crate::runner::wasm::supports_all as wasm_supports_all;
use crate::runner::{Backend, Program, Runner};
use crate::session::{self, Event, Graded, Stops, Submission, Update};
use crate::settings::{self, Globals};

/// `kata grade` runs strangers' code: it defaults to the sandbox that shares least with the host.
pub(super) const DEFAULT_SANDBOX: SandboxChoice = SandboxChoice::Wasm;

pub(super) fn run(globals: &Globals, args: &GradeArgs) -> Result<ExitStatus, Error> {
    let settings = globals.grade_settings(args)?;
    let catalogue = globals.catalogue()?;
    if let Some(invalid) = catalogue.invalid.first() {
        for invalid in &catalogue.invalid {
            eprint!("{}", invalid.render());
        }
        return Err(Error::usage(
            format!(
                "{} has problems; fix the catalogue before grading",
                invalid.file.name
            ),
            Some("`kata validate` lists every problem".to_string()),
        ));
    }
    if !args.dir.is_dir() {
        return Err(Error::usage(
            format!("`{}` is not a directory", args.dir.display()),
            Some("pass the class's directory: one folder per student".to_string()),
        ));
    }
    let ids: Vec<&str> = catalogue.exercises.iter().map(|e| e.id.as_str()).collect();
    let discovery = classroom::discover(&args.dir, &ids).map_err(|source| Error::File {
        action: "read",
        path: args.dir.clone(),
        source,
    })?;
    let found: Vec<Found> = discovery
        .submissions
        .into_iter()
        .filter(|f| {
            args.shard
                .is_none_or(|shard| shard.includes(&f.student, &f.exercise))
        })
        .collect();
    let exercises: HashMap<&str, &Exercise> = catalogue
        .exercises
        .iter()
        .map(|e| (e.id.as_str(), e))
        .collect();
    let needed: Vec<&Exercise> = found
        .iter()
        .map(|f| exercises[f.exercise.as_str()])
        .collect();
    let backend = grading_backend(globals, &settings.run, &needed)?;
    super::sandbox::refuse_weak(&backend, args.allow_weak_sandbox)?;
    let mut distinct = needed.clone();
    distinct.sort_by_key(|exercise| exercise.id.as_str());
    distinct.dedup_by_key(|exercise| exercise.id.as_str());
    super::ensure_exercises_compile(
        &catalogue.source,
        &backend,
        settings.run.python.as_deref(),
        &distinct,
    )?;
    let submissions: Vec<Submission<'_>> = found
        .iter()
        .map(|f| Submission {
            exercise: exercises[f.exercise.as_str()],
            program: Program {
                source: f.source.as_str().into(),
                display_name: f.path.file_name().map_or_else(
                    || "submission.py".into(),
                    |name| name.to_string_lossy().into_owned(),
                ),
            },
        })
        .collect();

    let mut progress = Progress::new(&found, &submissions, settings.verbosity);
    let stops = Stops {
        fail_fast: false,
        max_timeouts: settings.max_timeouts,
    };
    let outcomes = block_on(session::grade_with_stops(
        &backend,
        &submissions,
        settings::jobs(&settings.run),
        stops,
        |update| progress.record(update),
    ))?;
    progress.finish();

    let graded = found
        .iter()
        .zip(&submissions)
        .zip(&outcomes)
        .map(|((f, submission), graded)| StudentSubmission {
            student: f.student.clone(),
            report: SubmissionReport::from_graded(
                submission.exercise,
                backend.sandbox_for(&submission.exercise.requires),
                Some(f.path.display().to_string()),
                graded,
            ),
        })
        .collect();
    let class = ClassReport::new(
        backend.name(),
        args.shard.map(|shard| shard.to_string()),
        graded,
        discovery.problems,
    );
    write_reports(&class, &args.files)?;
    let actions = under_github_actions();
    if actions {
        print!("{}", github::render(&class));
        write_step_summary(&class);
    }
    let mut table = String::new();
    if settings.verbosity == Verbosity::Verbose {
        table.push_str(&summary::cases(&class));
    }
    table.push_str(&summary_for_log(&class, actions));
    let to_stdout = args.files.json_to_stdout();
    if to_stdout {
        eprint!("{table}");
    } else {
        print!("{table}");
    }
    Ok(class_status(&class))
}

/// Whether kata runs as a GitHub Actions step, whose runner obeys `::command::` lines.
pub(crate) fn under_github_actions() -> bool {
    std::env::var_os("GITHUB_ACTIONS").is_some_and(|value| value == "true")
}

/// Appends the class's table, as Markdown, to the step summary GitHub shows on the run's page
/// (the file `$GITHUB_STEP_SUMMARY` names). The grades are already in the reports and the
/// log, so a summary that cannot be written is a warning, not a failure.
pub(crate) fn write_step_summary(class: &ClassReport) {
    use std::io::Write as _;

    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|path| !path.is_empty()) else {
        return;
    };
    let written = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .and_then(|mut file| file.write_all(markdown::render(class).as_bytes()));
    if let Err(error) = written {
        eprintln!(
            "warning: could not write the step summary to {}: {error}",
            Path::new(&path).display()
        );
    }
}

/// The class summary as printed: under Actions, fenced so that no student name in it can be
/// read as a workflow command.
pub(crate) fn summary_for_log(class: &ClassReport, actions: bool) -> String {
    let table = summary::render(class);
    if actions {
        github::fence(&table)
    } else {
        table
    }
}

/// The sandbox the options ask for. On wasm, submissions to exercises that need what WASI
/// cannot give (threads, processes, sockets) run in the subprocess sandbox instead, and their
/// reports say so: a class may mix both kinds of exercise.
fn grading_backend(
    globals: &Globals,
    run: &RunOptions,
    exercises: &[&Exercise],
) -> Result<Backend, Error> {
    let backend = settings::backend(run, DEFAULT_SANDBOX, &globals.hidden_paths())?;
    // A `match`, not `let … else`: off Linux the other variants cannot exist, and the
    // pattern would be irrefutable there.
    let wasm = match backend {
        Backend::Wasm(wasm) => wasm,
        other => return Ok(other),
    };
    let mut native: Vec<&str> = exercises
        .iter()
        .filter(|exercise| !wasm_supports_all(&exercise.requires))
        .map(|exercise| exercise.id.as_str())
        .collect();
    if native.is_empty() {
        return Ok(Backend::Wasm(wasm));
    }
    native.sort_unstable();
    native.dedup();
    if !native::AVAILABLE {
        return Err(needs_native(&native));
    }
    eprintln!(
        "{} {} need{} what the wasm sandbox cannot give; {} submissions run in the subprocess \
         sandbox",
        crate::style::paint(crate::style::DIM, "kata:"),
        native.join(", "),
        if native.len() == 1 { "s" } else { "" },
        if native.len() == 1 { "its" } else { "their" },
    );
    let subprocess = settings::subprocess_runner(run.python.as_deref(), &globals.hidden_paths())?;
    Ok(Backend::WasmOrSubprocess(wasm, subprocess))
}

/// Where there is no native sandbox, the submissions to exercises the wasm sandbox cannot run
/// have nowhere to run: better to say so before grading than to fail them all.
fn needs_native(exercises: &[&str]) -> Error {
    Error::usage(
        format!(
            "{} need{} what the wasm sandbox cannot give, and {}",
            exercises.join(", "),
            if exercises.len() == 1 { "s" } else { "" },
            NativeSandboxUnavailable
        ),
        Some("grade their submissions on Linux".to_string()),
    )
}

/// The exit status a class report stands for.
pub(super) fn class_status(class: &ClassReport) -> ExitStatus {
    match class.status() {
        Status::Pass => ExitStatus::Success,
        Status::Fail => ExitStatus::Failed,
        Status::Error => ExitStatus::Internal,
    }
}

/// A progress bar on a terminal; otherwise one plain line per graded submission; nothing when
/// quiet.
struct Progress<'a> {
    found: &'a [Found],
    plain_lines: bool,
    submissions: usize,
    done: usize,
    bar: Option<ProgressBar>,
}

impl<'a> Progress<'a> {
    fn new(found: &'a [Found], submissions: &[Submission<'_>], verbosity: Verbosity) -> Self {
        let total: usize = submissions.iter().map(|s| s.exercise.cases.len()).sum();
        let quiet = verbosity == Verbosity::Quiet;
        let terminal = std::io::stderr().is_terminal();
        let bar = (!quiet && terminal).then(|| {
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} grading {bar:30} {pos}/{len} cases · {msg} · {elapsed}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar
        });
        Progress {
            found,
            plain_lines: !quiet && !terminal,
            submissions: submissions.len(),
            done: 0,
            bar,
        }
    }

    fn record(&mut self, update: Update<'_>) {
        match update {
            Update::Finished(Event::CaseFinished { .. }) | Update::NotRun => {
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
            }
            Update::SubmissionDone { submission, graded } => {
                self.done += 1;
                if let Some(bar) = &self.bar {
                    bar.set_message(format!("{}/{} submissions", self.done, self.submissions));
                }
                if self.plain_lines {
                    let found = &self.found[submission];
                    // One line per submission, whatever the student put in the folder's name.
                    eprintln!(
                        "graded {} {}: {}",
                        visible_line(&found.student),
                        visible_line(&found.exercise),
                        progress_line(graded)
                    );
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `pass (8/8 cases)`, `fail (5/8 cases)`, `did not load (8 cases not run)`, ...
fn progress_line(graded: &Graded) -> String {
    let cases = graded.cases.len();
    let passed = graded
        .cases
        .iter()
        .flatten()
        .filter(|outcome| outcome.verdict.is_accepted())
        .count();
    let not_run = graded.cases.iter().filter(|case| case.is_none()).count();
    if graded.load_error().is_some() {
        return format!("did not load ({not_run}/{cases} cases not run)");
    }
    let status = if passed == cases { "pass" } else { "fail" };
    if not_run > 0 {
        format!("{status} ({passed}/{cases} cases, {not_run} not run)")
    } else {
        format!("{status} ({passed}/{cases} cases)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_that_needs_the_missing_native_sandbox_is_refused_by_name() {
        let one = needs_native(&["thread-safe-lazy-init"]);
        assert_eq!(one.exit_status(), ExitStatus::Usage);
        assert_eq!(
            one.to_string(),
            "thread-safe-lazy-init needs what the wasm sandbox cannot give, and the native \
             sandbox needs Linux (namespaces, seccomp, Landlock)"
        );
        assert_eq!(
            one.help().as_deref(),
            Some("grade their submissions on Linux")
        );
        let two = needs_native(&["bounded-gather", "tcp-echo-roundtrip"]);
        assert!(
            two.to_string()
                .starts_with("bounded-gather, tcp-echo-roundtrip need what")
        );
    }
}
