//! What `kata validate` concluded about an exercise, as data: the proof model and the policy
//! that builds it.
//!
//! [`prove`] reads the runs of an exercise's reference, starter and wrong solutions and decides,
//! without printing anything, what each proves ([`Proven`]) or what is wrong ([`Problem`]);
//! lint findings and mutation testing add problems of their own. [`terminal`] and [`json`]
//! render the model; the command only schedules the runs and prints.
//!
//! It sits above [`crate::authoring`] (lint) and [`crate::mutation`], whose results it
//! weighs, and below the commands.

pub(crate) mod json;
mod mutation;
pub(crate) mod terminal;

use serde::Serialize;

use crate::authoring::lint::{self, Finding};
use crate::exercise::diagnostic::{InvalidExercise, Severity};
use crate::exercise::{Capability, Exercise};
use crate::grade::{CaseOutcome, Verdict};
use crate::mutation::score::ExerciseMutants;
use crate::runner::wasm_budget::WasmBudget;

/// In the wasm sandbox fuel is exact, so the reference's headroom can be checked without
/// noise: it may use at most this fraction of a case's fuel budget, leaving room for correct
/// solutions slower than it (docs/exercise-format.md, "Limits").
pub(crate) const REFERENCE_FUEL_SHARE: (u64, u64) = (1, 4);

/// Which program a run was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Reference,
    Starter,
    /// The wrong solution at this index of the exercise's.
    Wrong(usize),
}

/// What validation concluded about one exercise.
#[derive(Debug, Clone)]
pub(crate) struct ExerciseProof {
    pub id: String,
    /// The file it came from.
    pub origin: String,
    pub status: Status,
    /// One per run, in order: the reference, the starter, each wrong solution.
    pub checks: Vec<Result<Proven, Problem>>,
    /// Lint findings.
    pub findings: Vec<Problem>,
    /// With `--mutants`, what mutation testing found.
    pub mutation: Vec<Problem>,
    /// Some case could not be run at all (kata's failure, not the exercise's).
    pub internal_error: bool,
    /// For a skipped exercise, what the sandbox cannot provide.
    pub needs: Vec<Capability>,
}

/// Whether an exercise was proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Status {
    Valid,
    Invalid,
    /// Left out: the sandbox cannot provide what it needs.
    Skipped,
}

/// Something a run proves.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum Proven {
    /// Every case accepts the reference.
    ReferencePasses { cases: usize },
    /// Some cases reject the starter.
    StarterFails { rejected: usize, cases: usize },
    /// Cases reject the wrong solution, as the file says they should.
    WrongCaught {
        wrong: String,
        caught_by: Vec<Caught>,
    },
}

/// A case that rejected a program, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Caught {
    pub case: String,
    pub verdict: Verdict,
}

/// One problem found in an exercise.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum Problem {
    /// The file does not load: one problem of it, with its stable code.
    Diagnostic {
        code: &'static str,
        #[serde(skip)]
        severity: Severity,
        message: String,
        help: Option<String>,
        /// 1-based, when the problem has a place in the file.
        line: Option<usize>,
        column: Option<usize>,
    },
    /// Some cases reject the reference.
    ReferenceFails {
        cases: usize,
        failing: Vec<FailingCase>,
    },
    /// The reference passes but leaves slower correct solutions too little fuel (wasm).
    ReferenceFuelTight {
        /// The share of a case's fuel budget the reference may use, e.g. `[1, 4]`.
        share: (u64, u64),
        cases: Vec<TightCase>,
    },
    /// The starter does not compile.
    StarterDoesNotCompile { message: String },
    /// Every case accepts the starter: it gives the answer away.
    StarterPasses,
    /// Every case accepts a wrong solution.
    WrongNotCaught { wrong: String },
    /// No case gives a wrong solution the verdict its `verdict` says.
    WrongVerdict {
        wrong: String,
        expected: Verdict,
        caught_by: Vec<Caught>,
    },
    /// Cases its `caught_by` names accept a wrong solution.
    WrongMissedBy {
        wrong: String,
        missed: Vec<String>,
        caught_by: Vec<Caught>,
    },
    /// A lint finding.
    Lint {
        #[serde(skip)]
        severity: Severity,
        message: String,
        help: Option<String>,
    },
    /// Mutation testing could not run for this exercise.
    MutationFailed { message: String },
    /// A mutant of the reference that every case accepts.
    SurvivingMutant {
        id: String,
        line: usize,
        operator: String,
        before: String,
        after: String,
    },
    /// A mutant the grader could not judge.
    MutantNotJudged {
        id: String,
        line: usize,
        message: String,
    },
    /// The mutation score is below `--min-score`.
    ScoreBelowMinimum { score: Option<f64>, min_score: u8 },
    /// Only a hidden case catches the mutants of these lines.
    OnlyHiddenCaseCatches { case: String, lines: Vec<usize> },
    /// A mutant marked `[[equivalent]]` that a case catches.
    EquivalentCaught {
        id: String,
        line: usize,
        case: String,
    },
    /// An `[[equivalent]]` entry for a mutant no longer generated.
    EquivalentUnknown { id: String, line: usize },
}

/// A case that rejects the reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FailingCase {
    pub case: String,
    pub verdict: Verdict,
    pub message: Option<String>,
    pub expected: Option<String>,
    pub actual: Option<String>,
}

/// A case on which the reference uses too much of its fuel budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TightCase {
    pub case: String,
    pub fuel_used: u64,
    pub fuel_budget: u64,
    pub cpu_ms: u64,
}

impl Problem {
    /// Errors make the exercise invalid; warnings are reported and nothing more.
    pub(crate) fn severity(&self) -> Severity {
        match self {
            Problem::Diagnostic { severity, .. } | Problem::Lint { severity, .. } => *severity,
            Problem::SurvivingMutant { .. }
            | Problem::OnlyHiddenCaseCatches { .. }
            | Problem::EquivalentCaught { .. }
            | Problem::EquivalentUnknown { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }

    fn from_finding(finding: Finding) -> Problem {
        Problem::Lint {
            severity: finding.severity,
            message: finding.message,
            help: finding.help,
        }
    }
}

impl ExerciseProof {
    /// Every problem: the failed checks, the findings, then what mutation testing found.
    pub(crate) fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.checks
            .iter()
            .filter_map(|check| check.as_ref().err())
            .chain(&self.findings)
            .chain(&self.mutation)
    }

    /// Whether every case accepts the reference (it may still use too much fuel).
    pub(crate) fn reference_passes(&self) -> bool {
        self.checks.iter().any(|check| {
            matches!(
                check,
                Ok(Proven::ReferencePasses { .. }) | Err(Problem::ReferenceFuelTight { .. })
            )
        })
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.problems().any(|p| p.severity() == Severity::Error)
    }

    /// An exercise file that does not load (or whose Python does not compile).
    pub(crate) fn invalid(invalid: &InvalidExercise) -> ExerciseProof {
        let findings = invalid
            .diagnostics
            .iter()
            .map(|diagnostic| {
                let place = diagnostic
                    .span
                    .as_ref()
                    .map(|span| invalid.file.line_column(span.start));
                Problem::Diagnostic {
                    code: diagnostic.code.as_str(),
                    severity: diagnostic.severity,
                    message: diagnostic.message.clone(),
                    help: diagnostic.help.clone(),
                    line: place.map(|(line, _)| line),
                    column: place.map(|(_, column)| column),
                }
            })
            .collect();
        let name = &invalid.file.name;
        let id = std::path::Path::new(name)
            .file_stem()
            .map_or_else(|| name.clone(), |s| s.to_string_lossy().into_owned());
        ExerciseProof {
            id,
            origin: name.clone(),
            status: Status::Invalid,
            checks: Vec::new(),
            findings,
            mutation: Vec::new(),
            internal_error: false,
            needs: Vec::new(),
        }
    }

    /// An exercise the sandbox cannot run: it needs `missing`.
    pub(crate) fn skipped(exercise: &Exercise, missing: Vec<Capability>) -> ExerciseProof {
        ExerciseProof {
            id: exercise.id.clone(),
            origin: exercise.origin.clone(),
            status: Status::Skipped,
            checks: Vec::new(),
            findings: Vec::new(),
            mutation: Vec::new(),
            internal_error: false,
            needs: missing,
        }
    }
}

/// The policy: what the runs of `exercise`'s programs prove, with its lint findings.
pub(crate) fn prove(exercise: &Exercise, runs: &[(Role, Vec<&CaseOutcome>)]) -> ExerciseProof {
    let mut checks = Vec::new();
    let mut internal_error = false;
    let mut reference_passes = None;
    let mut wrong_outcomes = Vec::new();
    for (role, outcomes) in runs {
        internal_error |= outcomes.iter().any(|o| o.verdict == Verdict::InternalError);
        let check = match role {
            Role::Reference => reference(exercise, outcomes),
            Role::Starter => starter(outcomes),
            Role::Wrong(wrong) => wrong_solution(exercise, *wrong, outcomes),
        };
        match role {
            Role::Reference => reference_passes = Some((check.is_ok(), outcomes)),
            Role::Wrong(_) => wrong_outcomes.push(outcomes.clone()),
            Role::Starter => {}
        }
        checks.push(check);
    }
    let mut findings = lint::static_findings(exercise);
    if let Some((true, reference)) = reference_passes {
        findings.extend(lint::run_findings(exercise, reference, &wrong_outcomes));
    }
    let mut proof = ExerciseProof {
        id: exercise.id.clone(),
        origin: exercise.origin.clone(),
        status: Status::Valid,
        checks,
        findings: findings.into_iter().map(Problem::from_finding).collect(),
        mutation: Vec::new(),
        internal_error,
        needs: Vec::new(),
    };
    proof.settle();
    proof
}

impl ExerciseProof {
    /// Adds what mutation testing found, and settles the status again.
    pub(crate) fn add_mutants(
        &mut self,
        exercise: &Exercise,
        result: &Result<ExerciseMutants, String>,
        min_score: Option<u8>,
    ) {
        self.mutation = mutation::problems(exercise, result, min_score);
        self.settle();
    }

    fn settle(&mut self) {
        self.status = if self.has_errors() {
            Status::Invalid
        } else {
            Status::Valid
        };
    }
}

fn reference(exercise: &Exercise, outcomes: &[&CaseOutcome]) -> Result<Proven, Problem> {
    let failing: Vec<FailingCase> = exercise
        .cases
        .iter()
        .zip(outcomes)
        .filter(|(_, o)| !o.verdict.is_accepted())
        .map(|(case, outcome)| FailingCase {
            case: case.name.clone(),
            verdict: outcome.verdict,
            message: outcome.feedback.message.clone(),
            expected: outcome
                .feedback
                .mismatch
                .as_ref()
                .map(|m| m.expected.clone()),
            actual: outcome.feedback.mismatch.as_ref().map(|m| m.actual.clone()),
        })
        .collect();
    if !failing.is_empty() {
        return Err(Problem::ReferenceFails {
            cases: outcomes.len(),
            failing,
        });
    }
    let tight = tight_fuel(exercise, outcomes);
    if !tight.is_empty() {
        return Err(Problem::ReferenceFuelTight {
            share: REFERENCE_FUEL_SHARE,
            cases: tight,
        });
    }
    Ok(Proven::ReferencePasses {
        cases: outcomes.len(),
    })
}

/// The cases where the reference leaves too little fuel to spare.
fn tight_fuel(exercise: &Exercise, outcomes: &[&CaseOutcome]) -> Vec<TightCase> {
    let (numerator, denominator) = REFERENCE_FUEL_SHARE;
    exercise
        .cases
        .iter()
        .zip(outcomes)
        .filter_map(|(case, outcome)| {
            let used = outcome.usage.fuel?;
            let budget = WasmBudget::for_limits(&case.limits).fuel;
            (used.saturating_mul(denominator) > budget.saturating_mul(numerator)).then(|| {
                TightCase {
                    case: case.name.clone(),
                    fuel_used: used,
                    fuel_budget: budget,
                    cpu_ms: case.limits.cpu.as_millis() as u64,
                }
            })
        })
        .collect()
}

fn starter(outcomes: &[&CaseOutcome]) -> Result<Proven, Problem> {
    if let Some(outcome) = outcomes.iter().find(|o| o.verdict == Verdict::SyntaxError) {
        let message = outcome.feedback.message.clone().unwrap_or_default();
        return Err(Problem::StarterDoesNotCompile { message });
    }
    let rejected = outcomes.iter().filter(|o| !o.verdict.is_accepted()).count();
    if rejected == 0 {
        return Err(Problem::StarterPasses);
    }
    Ok(Proven::StarterFails {
        rejected,
        cases: outcomes.len(),
    })
}

fn wrong_solution(
    exercise: &Exercise,
    wrong: usize,
    outcomes: &[&CaseOutcome],
) -> Result<Proven, Problem> {
    let wrong = &exercise.wrong_solutions[wrong];
    // A case kata could not run catches nothing: an internal error is no verdict on the code.
    let caught_by: Vec<Caught> = exercise
        .cases
        .iter()
        .zip(outcomes)
        .filter(|(_, o)| !o.verdict.is_accepted() && o.verdict != Verdict::InternalError)
        .map(|(case, o)| Caught {
            case: case.name.clone(),
            verdict: o.verdict,
        })
        .collect();
    let name = wrong.name.clone();
    if caught_by.is_empty() {
        return Err(Problem::WrongNotCaught { wrong: name });
    }
    if let Some(expected) = wrong.verdict
        && !caught_by.iter().any(|caught| caught.verdict == expected)
    {
        return Err(Problem::WrongVerdict {
            wrong: name,
            expected,
            caught_by,
        });
    }
    let missed: Vec<String> = wrong
        .caught_by
        .iter()
        .filter(|case| !caught_by.iter().any(|caught| &caught.case == *case))
        .cloned()
        .collect();
    if !missed.is_empty() {
        return Err(Problem::WrongMissedBy {
            wrong: name,
            missed,
            caught_by,
        });
    }
    Ok(Proven::WrongCaught {
        wrong: name,
        caught_by,
    })
}
