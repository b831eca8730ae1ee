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

use std::fmt::Write;
use std::path::{Path, PathBuf};

use std::io::IsTerminal;
use std::time::Instant;

use anstream::{eprint, eprintln, print, println};

use crate::authoring::lint::{self, Finding};
use crate::authoring::snippets;
use crate::cli::SandboxChoice;
use crate::cli::ValidateArgs;
use crate::commands::block_on;
use crate::error::Error;
use crate::exercise::catalogue::read_exercise_file;
use crate::exercise::diagnostic::Severity;
use crate::exercise::snippet::Snippets;
use crate::exercise::{Catalogue, CatalogueError, Exercise, InvalidExercise, load};
use crate::exit::ExitStatus;
use crate::grade::{CaseOutcome, Verdict};
use crate::mutation::{self, report as mutation_report};
use crate::runner::wasm_budget::WasmBudget;
use crate::runner::{Backend, Program, Runner};
use crate::session::{self, Event, Submission};
use crate::settings::{self, Globals};
use crate::style::{BOLD, DIM, GREEN, RED, YELLOW, paint, verdict_style};
use crate::units;
use crate::words::count;

/// Failing cases of a reference solution described in full.
const REFERENCE_FAILURES_SHOWN: usize = 3;

pub fn run(globals: &Globals, args: &ValidateArgs) -> Result<ExitStatus, Error> {
    let (exercises, invalid) = collect(globals, &args.paths)?;
    for problems in &invalid {
        eprint!("{}", problems.render());
    }
    if exercises.is_empty() && invalid.is_empty() {
        return Err(Error::usage(
            "found no exercise files to validate",
            Some("pass `.toml` files or directories that contain them".to_string()),
        ));
    }
    let mut status = if invalid.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Usage
    };
    if exercises.is_empty() {
        println!("{}", summary(0, invalid.len(), 0));
        return Ok(status);
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
    for problems in &broken {
        eprint!("{}", problems.render());
    }
    if !broken.is_empty() {
        status = ExitStatus::Usage;
    }
    let invalid_count = invalid.len() + broken.len();
    // An exercise that needs what this sandbox cannot give is left out, and says so.
    let (exercises, unsupported): (Vec<Exercise>, Vec<Exercise>) = exercises
        .into_iter()
        .partition(|exercise| backend.missing(&exercise.requires).is_empty());
    for exercise in &unsupported {
        let missing: Vec<&str> = backend
            .missing(&exercise.requires)
            .iter()
            .map(|c| c.as_str())
            .collect();
        println!(
            "{} {}",
            paint(BOLD, &exercise.id),
            paint(
                DIM,
                format!(
                    "skipped: needs {}, which the {} sandbox cannot provide (validate it with --sandbox subprocess)",
                    missing.join(" and "),
                    backend.name()
                )
            )
        );
    }
    let plan = Plan::new(&exercises);
    let submissions = plan.submissions(&exercises);
    let mut printer = Printer::new(&plan, &exercises);
    let outcomes = block_on(session::grade_all(
        &backend,
        &submissions,
        settings::jobs(&args.run),
        |event| printer.record(event),
    ))?;
    let mut failed = vec![false; exercises.len()];
    for (index, verdict) in printer.finish().into_iter().enumerate() {
        failed[index] = !verdict.problems.is_empty();
        status = status.max(if verdict.internal_error {
            ExitStatus::Internal
        } else if verdict.problems.is_empty() {
            ExitStatus::Success
        } else {
            ExitStatus::Usage
        });
    }
    if args.mutants {
        let passing: Vec<usize> = (0..exercises.len())
            .filter(|&index| plan.reference_passes(index, &outcomes))
            .collect();
        let mutation_status = mutants(&backend, args, &exercises, &passing, &mut failed)?;
        status = status.max(mutation_status);
    }
    let failed = invalid_count + failed.iter().filter(|&&failed| failed).count();
    println!(
        "\n{}",
        summary(
            exercises.len() + invalid_count - failed,
            failed,
            unsupported.len()
        )
    );
    Ok(status)
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

/// Mutation testing of the exercises at `passing` (those whose reference passes): prints each
/// exercise's section and the table of scores, and marks in `failed` those below --min-score.
fn mutants(
    backend: &Backend,
    args: &ValidateArgs,
    exercises: &[Exercise],
    passing: &[usize],
    failed: &mut [bool],
) -> Result<ExitStatus, Error> {
    let tested: Vec<&Exercise> = passing.iter().map(|&index| &exercises[index]).collect();
    let skipped = exercises.len() - tested.len();
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
    let mut status = ExitStatus::Success;
    let mut mutants = 0;
    let mut runs = 0;
    let mut timeouts = 0;
    for ((&index, exercise), result) in passing.iter().zip(&tested).zip(&results) {
        let (text, ok) = mutation_report::exercise_section(exercise, result, args.min_score);
        print!("{text}");
        if let Ok(result) = result {
            mutants += result.tested.len();
            runs += result.runs;
            timeouts += result.timeouts;
            if result.errors() > 0 {
                status = status.max(ExitStatus::Internal);
            }
        } else {
            status = status.max(ExitStatus::Internal);
        }
        if !ok {
            failed[index] = true;
            status = status.max(ExitStatus::Usage);
        }
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
    Ok(status)
}

/// `N exercises valid, M invalid`, and how many the sandbox could not run, if any.
fn summary(valid: usize, invalid: usize, skipped: usize) -> String {
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

/// Which program a run was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Reference,
    Starter,
    Wrong(usize),
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

    /// Whether the reference of exercise `index` passed every case.
    fn reference_passes(&self, index: usize, outcomes: &[Vec<CaseOutcome>]) -> bool {
        self.runs
            .iter()
            .zip(outcomes)
            .filter(|((exercise, role), _)| *exercise == index && *role == Role::Reference)
            .all(|(_, cases)| cases.iter().all(|case| case.verdict.is_accepted()))
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

/// What validation concluded about one exercise.
struct ExerciseVerdict {
    problems: Vec<String>,
    internal_error: bool,
}

/// Collects outcomes as they arrive and prints each exercise once it and all before it are done.
struct Printer<'a> {
    plan: &'a Plan,
    exercises: &'a [Exercise],
    outcomes: Vec<Vec<Option<CaseOutcome>>>,
    remaining: Vec<usize>,
    next_to_print: usize,
    verdicts: Vec<ExerciseVerdict>,
}

impl<'a> Printer<'a> {
    fn new(plan: &'a Plan, exercises: &'a [Exercise]) -> Self {
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
            next_to_print: 0,
            verdicts: Vec::new(),
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
        self.print_ready();
    }

    fn print_ready(&mut self) {
        while self.next_to_print < self.exercises.len() && self.remaining[self.next_to_print] == 0 {
            let index = self.next_to_print;
            let (text, verdict) = self.judge_exercise(index);
            print!("{text}");
            self.verdicts.push(verdict);
            self.next_to_print += 1;
        }
    }

    fn finish(mut self) -> Vec<ExerciseVerdict> {
        self.print_ready();
        self.verdicts
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

    fn judge_exercise(&self, index: usize) -> (String, ExerciseVerdict) {
        let exercise = &self.exercises[index];
        let mut lines = String::new();
        let mut problems = Vec::new();
        let mut internal_error = false;
        let mut reference_outcomes = None;
        let mut wrong_outcomes = Vec::new();
        for (role, outcomes) in self.runs_of(index) {
            internal_error |= outcomes.iter().any(|o| o.verdict == Verdict::InternalError);
            let (ok, text) = match role {
                Role::Reference => reference(exercise, &outcomes),
                Role::Starter => starter(&outcomes),
                Role::Wrong(wrong) => wrong_solution(exercise, wrong, &outcomes),
            };
            let mark = if ok {
                paint(GREEN, "✓")
            } else {
                paint(RED, "✗")
            };
            let _ = writeln!(lines, "  {mark} {text}");
            if !ok {
                problems.push(text);
            }
            match role {
                Role::Reference => reference_outcomes = Some((ok, outcomes)),
                Role::Wrong(_) => wrong_outcomes.push(outcomes),
                Role::Starter => {}
            }
        }
        let mut findings = lint::static_findings(exercise);
        if let Some((true, reference)) = &reference_outcomes {
            findings.extend(lint::run_findings(exercise, reference, &wrong_outcomes));
        }
        for finding in findings {
            let _ = write!(lines, "{}", render_finding(&finding));
            if finding.severity == Severity::Error {
                problems.push(finding.message);
            }
        }
        let heading = if problems.is_empty() {
            paint(BOLD, &exercise.id)
        } else {
            format!(
                "{} {}",
                paint(RED.bold(), &exercise.id),
                paint(DIM, &exercise.origin)
            )
        };
        (
            format!("{heading}\n{lines}"),
            ExerciseVerdict {
                problems,
                internal_error,
            },
        )
    }
}

/// In the wasm sandbox fuel is exact, so the reference's headroom can be checked without
/// noise: it may use at most this fraction of a case's fuel budget, leaving room for correct
/// solutions slower than it (docs/exercise-format.md, "Limits").
const REFERENCE_FUEL_SHARE: (u64, u64) = (1, 4);

/// The cases where the reference leaves too little fuel to spare, described.
fn tight_fuel(exercise: &Exercise, outcomes: &[&CaseOutcome]) -> Option<String> {
    let (numerator, denominator) = REFERENCE_FUEL_SHARE;
    let tight: Vec<String> = exercise
        .cases
        .iter()
        .zip(outcomes)
        .filter_map(|(case, outcome)| {
            let used = outcome.usage.fuel?;
            let budget = WasmBudget::for_limits(&case.limits).fuel;
            (used.saturating_mul(denominator) > budget.saturating_mul(numerator)).then(|| {
                format!(
                    "\n      {}: {} of a budget of {} ({} of CPU)",
                    case.name,
                    units::fuel(used),
                    units::fuel(budget),
                    units::duration(case.limits.cpu)
                )
            })
        })
        .collect();
    (!tight.is_empty()).then(|| {
        format!(
            "reference passes, but uses more than {numerator}/{denominator} of its fuel budget \
             (raise cpu_ms, or make the case smaller):{}",
            tight.concat()
        )
    })
}

/// `  ! warning` (or `  ✗ error`), then its help on the next line.
fn render_finding(finding: &Finding) -> String {
    let mark = match finding.severity {
        Severity::Warning => paint(YELLOW, "!"),
        Severity::Error => paint(RED, "✗"),
    };
    let mut text = format!("  {mark} {}\n", finding.message);
    if let Some(help) = &finding.help {
        let _ = writeln!(text, "      {}", paint(DIM, help));
    }
    text
}

fn reference(exercise: &Exercise, outcomes: &[&CaseOutcome]) -> (bool, String) {
    let failing: Vec<(usize, &&CaseOutcome)> = outcomes
        .iter()
        .enumerate()
        .filter(|(_, o)| !o.verdict.is_accepted())
        .collect();
    if failing.is_empty() {
        if let Some(problem) = tight_fuel(exercise, outcomes) {
            return (false, problem);
        }
        return (
            true,
            match outcomes.len() {
                1 => "reference passes its one case".to_string(),
                cases => format!("reference passes all {cases} cases"),
            },
        );
    }
    let mut text = format!(
        "reference fails {} of {}:",
        failing.len(),
        count(outcomes.len(), "case", "cases")
    );
    for (case, outcome) in failing.iter().take(REFERENCE_FAILURES_SHOWN) {
        let case = &exercise.cases[*case];
        let _ = write!(
            text,
            "\n      {} {}",
            case.name,
            paint(verdict_style(outcome.verdict), outcome.verdict.as_str())
        );
        if let Some(message) = &outcome.feedback.message {
            let _ = write!(text, ": {message}");
        }
        if let Some(mismatch) = &outcome.feedback.mismatch {
            let _ = write!(
                text,
                "\n        expected: {}\n        actual:   {}",
                mismatch
                    .expected
                    .trim_end()
                    .replace('\n', "\n                  "),
                mismatch
                    .actual
                    .trim_end()
                    .replace('\n', "\n                  ")
            );
        }
    }
    if failing.len() > REFERENCE_FAILURES_SHOWN {
        let _ = write!(
            text,
            "\n      … and {} more",
            failing.len() - REFERENCE_FAILURES_SHOWN
        );
    }
    (false, text)
}

fn starter(outcomes: &[&CaseOutcome]) -> (bool, String) {
    if let Some(outcome) = outcomes.iter().find(|o| o.verdict == Verdict::SyntaxError) {
        let message = outcome.feedback.message.clone().unwrap_or_default();
        return (false, format!("the starter does not compile: {message}"));
    }
    let rejected = outcomes.iter().filter(|o| !o.verdict.is_accepted()).count();
    if rejected == 0 {
        (
            false,
            "the starter passes every case: it gives the answer away".to_string(),
        )
    } else {
        (
            true,
            format!(
                "starter fails {rejected} of {}",
                count(outcomes.len(), "case", "cases")
            ),
        )
    }
}

fn wrong_solution(exercise: &Exercise, wrong: usize, outcomes: &[&CaseOutcome]) -> (bool, String) {
    let wrong = &exercise.wrong_solutions[wrong];
    // A case kata could not run catches nothing: an internal error is no verdict on the code.
    let caught: Vec<(&str, Verdict)> = exercise
        .cases
        .iter()
        .zip(outcomes)
        .filter(|(_, o)| !o.verdict.is_accepted() && o.verdict != Verdict::InternalError)
        .map(|(case, o)| (case.name.as_str(), o.verdict))
        .collect();
    let list = caught
        .iter()
        .map(|(name, verdict)| {
            format!(
                "{name} ({})",
                paint(verdict_style(*verdict), verdict.as_str())
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let name = format!("wrong `{}`", wrong.name);
    if caught.is_empty() {
        return (
            false,
            format!("{name} passes every case: add a case that catches it"),
        );
    }
    if let Some(expected) = wrong.verdict
        && !caught.iter().any(|(_, verdict)| *verdict == expected)
    {
        return (
            false,
            format!("{name} should get {expected} from some case, but got: {list}"),
        );
    }
    let missed: Vec<&str> = wrong
        .caught_by
        .iter()
        .map(String::as_str)
        .filter(|case| !caught.iter().any(|(name, _)| name == case))
        .collect();
    if !missed.is_empty() {
        return (
            false,
            format!(
                "{name} should be caught by {}, but passes it; caught by: {list}",
                missed.join(", ")
            ),
        );
    }
    (true, format!("{name} caught by {list}"))
}
