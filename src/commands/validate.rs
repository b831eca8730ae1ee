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

use std::path::{Path, PathBuf};

use std::io::IsTerminal;
use std::time::Instant;

use anstream::{eprint, eprintln, print, println};

use crate::authoring::snippets;
use crate::cli::{Format, SandboxChoice, ValidateArgs};
use crate::commands::block_on;
use crate::error::Error;
use crate::exercise::catalogue::read_exercise_file;
use crate::exercise::snippet::Snippets;
use crate::exercise::{Catalogue, CatalogueError, Exercise, InvalidExercise, load};
use crate::exit::ExitStatus;
use crate::grade::CaseOutcome;
use crate::mutation::score::ExerciseMutants;
use crate::mutation::{self, report as mutation_report};
use crate::proof::{self, ExerciseProof, Role, json as proof_json};
use crate::runner::{Backend, Program, Runner};
use crate::session::{self, Event, Submission};
use crate::settings::{self, Globals};
use crate::style::{BOLD, DIM, GREEN, RED, paint};
use crate::words::count;

pub fn run(globals: &Globals, args: &ValidateArgs) -> Result<ExitStatus, Error> {
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

/// Every exercise's proof, in the order they are reported, and the exit status so far.
struct Proofs {
    list: Vec<ExerciseProof>,
    status: ExitStatus,
    mutants: Vec<Option<ExerciseMutants>>,
}

impl Default for Proofs {
    fn default() -> Self {
        Proofs {
            list: Vec::new(),
            status: ExitStatus::Success,
            mutants: Vec::new(),
        }
    }
}

impl Proofs {
    /// Files that do not load or whose Python does not compile: their diagnostics.
    fn add_invalid(&mut self, invalid: &[InvalidExercise], human: bool) {
        for problems in invalid {
            if human {
                eprint!("{}", problems.render());
            }
            self.list.push(ExerciseProof::invalid(problems));
            self.status = ExitStatus::Usage;
        }
    }

    fn add_validated(&mut self, validated: Vec<ExerciseProof>) {
        for proof in validated {
            self.status = self.status.max(if proof.internal_error {
                ExitStatus::Internal
            } else if proof.has_errors() {
                ExitStatus::Usage
            } else {
                ExitStatus::Success
            });
            self.list.push(proof);
        }
    }

    /// The summary line, or the whole JSON report.
    /// `ran`: whether anything was run (then a blank line sets the summary apart).
    fn finish(&mut self, args: &ValidateArgs, sandbox: Option<&str>, human: bool, ran: bool) {
        let count = |status| self.list.iter().filter(|p| p.status == status).count();
        let summary = proof_json::Summary {
            valid: count(proof::Status::Valid),
            invalid: count(proof::Status::Invalid),
            skipped: count(proof::Status::Skipped),
        };
        if human {
            let line = summary_line(summary.valid, summary.invalid, summary.skipped);
            println!("{}{line}", if ran { "\n" } else { "" });
            return;
        }
        self.mutants.resize(self.list.len(), None);
        let exercises = self
            .list
            .iter()
            .zip(&self.mutants)
            .map(|(proof, mutants)| proof_json::exercise(proof, mutants.as_ref()))
            .collect();
        let report = proof_json::ValidateReport {
            schema_version: proof_json::SCHEMA_VERSION,
            sandbox,
            mutants: args.mutants,
            exercises,
            summary,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("the report serializes")
        );
    }
}

/// Leaves out the exercises that need what this sandbox cannot give, and says so.
fn skip_unsupported(
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
                        "skipped: needs {}, which the {} sandbox cannot provide (validate it with --sandbox subprocess)",
                        names.join(" and "),
                        backend.name()
                    )
                )
            );
        }
        proofs.list.push(ExerciseProof::skipped(exercise, missing));
    }
    supported
}

/// Runs every exercise's reference, starter and wrong solutions in one queue and proves each
/// exercise from its runs (printing each as soon as it can, in human output).
fn prove(
    backend: &Backend,
    args: &ValidateArgs,
    exercises: &[Exercise],
    human: bool,
) -> Result<Vec<ExerciseProof>, Error> {
    let plan = Plan::new(exercises);
    let submissions = plan.submissions(exercises);
    let mut printer = Printer::new(&plan, exercises, human);
    block_on(session::grade_all(
        backend,
        &submissions,
        settings::jobs(&args.run),
        |event| printer.record(event),
    ))?;
    Ok(printer.finish())
}

/// Splits off the exercises whose Python does not compile, with their diagnostics. Without a
/// host Python (the wasm sandbox needs none) nothing is split off, and a note says so.
fn python_syntax(
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

/// Mutation testing of the exercises at `passing` (those whose reference passes): adds what it
/// finds to their proofs and keeps the results for the JSON report; in human output, prints
/// each exercise's section and the table of scores.
fn mutants(
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

/// `N exercises valid, M invalid`, and how many the sandbox could not run, if any.
fn summary_line(valid: usize, invalid: usize, skipped: usize) -> String {
    let valid = format!("{valid} exercise{} valid", plural(valid));
    let invalid = format!("{invalid} invalid");
    let mut line = if invalid.starts_with('0') {
        format!("{}, {invalid}", paint(GREEN.bold(), valid))
    } else {
        format!("{valid}, {}", paint(RED.bold(), invalid))
    };
    if skipped > 0 {
        line.push_str(&format!(", {skipped} skipped (see above)"));
    }
    line
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// The exercises named on the command line (files, or directories of `.toml` files), or the
/// whole catalogue.
fn collect(
    globals: &Globals,
    paths: &[PathBuf],
) -> Result<(Vec<Exercise>, Vec<InvalidExercise>), Error> {
    if paths.is_empty() {
        let catalogue = globals.catalogue()?;
        return Ok((catalogue.exercises, catalogue.invalid));
    }
    let mut exercises = Vec::new();
    let mut invalid = Vec::new();
    let mut catalogue = None;
    for path in paths {
        if path.is_dir() {
            let catalogue =
                Catalogue::load(crate::exercise::CatalogueSource::Directory(path.clone()))?;
            exercises.extend(catalogue.exercises);
            invalid.extend(catalogue.invalid);
        } else if let Some(id) = catalogue_id(path) {
            // Not a file here but shaped like an id: the catalogue's exercise of that name.
            let catalogue = catalogue.get_or_insert(globals.catalogue()?);
            match catalogue.get(id) {
                Ok(exercise) => exercises.push(exercise.clone()),
                Err(CatalogueError::Invalid(problems)) => invalid.push(*problems),
                Err(unknown) => return Err(unknown.into()),
            }
        } else {
            let (id, file) = read_file(path)?;
            match load::parse(&id, file) {
                Ok(exercise) => exercises.push(exercise),
                Err(problems) => invalid.push(problems),
            }
        }
    }
    Ok((exercises, invalid))
}

/// `path` as an exercise id, when nothing exists at it and it has an id's shape (no
/// separator, no `.toml`), so a mistyped file name still reports the missing file.
fn catalogue_id(path: &Path) -> Option<&str> {
    let id = path.to_str()?;
    let shaped = !id.is_empty()
        && !id.ends_with(".toml")
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (shaped && !path.exists()).then_some(id)
}

fn read_file(path: &Path) -> Result<(String, crate::exercise::SourceFile), Error> {
    Ok(read_exercise_file(path)?)
}

/// Every program to run: per exercise, the reference, the starter and each wrong solution.
struct Plan {
    /// (exercise index, role), in submission order.
    runs: Vec<(usize, Role)>,
}

impl Plan {
    fn new(exercises: &[Exercise]) -> Plan {
        let mut runs = Vec::new();
        for (index, exercise) in exercises.iter().enumerate() {
            runs.push((index, Role::Reference));
            runs.push((index, Role::Starter));
            runs.extend(
                (0..exercise.wrong_solutions.len()).map(|wrong| (index, Role::Wrong(wrong))),
            );
        }
        Plan { runs }
    }

    fn submissions<'a>(&self, exercises: &'a [Exercise]) -> Vec<Submission<'a>> {
        self.runs
            .iter()
            .map(|&(index, role)| {
                let exercise = &exercises[index];
                let (source, display_name) = match role {
                    Role::Reference => (exercise.reference.clone(), "reference.py".to_string()),
                    Role::Starter => (exercise.starter.clone(), exercise.file_name()),
                    Role::Wrong(wrong) => {
                        let wrong = &exercise.wrong_solutions[wrong];
                        (wrong.code.clone(), format!("wrong-{}.py", wrong.name))
                    }
                };
                Submission {
                    exercise,
                    program: Program {
                        source: source.into(),
                        display_name,
                    },
                }
            })
            .collect()
    }
}

/// Collects outcomes as they arrive and proves each exercise once its runs are done, printing
/// it (in human output) as soon as it and all before it are.
struct Printer<'a> {
    plan: &'a Plan,
    exercises: &'a [Exercise],
    outcomes: Vec<Vec<Option<CaseOutcome>>>,
    remaining: Vec<usize>,
    proofs: Vec<ExerciseProof>,
    print: bool,
}

impl<'a> Printer<'a> {
    fn new(plan: &'a Plan, exercises: &'a [Exercise], print: bool) -> Self {
        let outcomes = plan
            .runs
            .iter()
            .map(|&(index, _)| vec![None; exercises[index].cases.len()])
            .collect();
        let mut remaining = vec![0; exercises.len()];
        for &(index, _) in &plan.runs {
            remaining[index] += exercises[index].cases.len();
        }
        Printer {
            plan,
            exercises,
            outcomes,
            remaining,
            proofs: Vec::new(),
            print,
        }
    }

    fn record(&mut self, event: Event<'_>) {
        let Event::CaseFinished {
            submission,
            case,
            outcome,
        } = event;
        self.outcomes[submission][case] = Some(outcome.clone());
        self.remaining[self.plan.runs[submission].0] -= 1;
        self.prove_ready();
    }

    fn prove_ready(&mut self) {
        while self.proofs.len() < self.exercises.len() && self.remaining[self.proofs.len()] == 0 {
            let index = self.proofs.len();
            let runs: Vec<(Role, Vec<&CaseOutcome>)> = self.runs_of(index).collect();
            let proof = proof::prove(&self.exercises[index], &runs);
            if self.print {
                print!("{}", proof::terminal::exercise(&proof));
            }
            self.proofs.push(proof);
        }
    }

    fn finish(mut self) -> Vec<ExerciseProof> {
        self.prove_ready();
        self.proofs
    }

    fn runs_of(&self, index: usize) -> impl Iterator<Item = (Role, Vec<&CaseOutcome>)> {
        self.plan
            .runs
            .iter()
            .zip(&self.outcomes)
            .filter(move |((exercise, _), _)| *exercise == index)
            .map(|((_, role), outcomes)| {
                let outcomes = outcomes
                    .iter()
                    .map(|o| o.as_ref().expect("all runs finished"))
                    .collect();
                (*role, outcomes)
            })
    }
}
