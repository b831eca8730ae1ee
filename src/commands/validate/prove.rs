//! Every exercise's reference, starter and wrong solutions in one queue of runs, and each
//! exercise proved (and printed) as soon as its runs are done.

use anstream::print;

use crate::cli::ValidateArgs;
use crate::commands::block_on;
use crate::error::Error;
use crate::exercise::Exercise;
use crate::grade::CaseOutcome;
use crate::proof::{self, ExerciseProof, Role};
use crate::runner::{Backend, Program};
use crate::session::{self, Event, Submission};
use crate::settings;

/// Runs every exercise's reference, starter and wrong solutions in one queue and proves each
/// exercise from its runs (printing each as soon as it can, in human output).
pub(super) fn prove(
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
