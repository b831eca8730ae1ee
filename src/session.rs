//! Running many cases at once: every case of every submission goes into one queue, served by
//! `jobs` workers, so a slow submission never holds up the others. [`grade_all`] runs every
//! case; [`grade_until_rejected`] stops starting a submission's cases at its first rejection.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use std::panic::AssertUnwindSafe;

use futures_util::{FutureExt, StreamExt};

use crate::exercise::{Case, Exercise};
use crate::grade::{self, CaseOutcome, Feedback, Verdict};
use crate::runner::{Program, RunRequest, Runner, Usage};

/// One program to grade against one exercise.
#[derive(Debug, Clone)]
pub struct Submission<'a> {
    pub exercise: &'a Exercise,
    pub program: Program,
}

/// Something that happened while grading, for progress displays.
#[derive(Debug)]
pub enum Event<'a> {
    CaseFinished {
        submission: usize,
        case: usize,
        outcome: &'a CaseOutcome,
    },
}

/// Runs and judges every case of every submission, at most `jobs` at a time, and returns the
/// outcomes in order: `result[submission][case]`.
pub async fn grade_all<R: Runner>(
    runner: &R,
    submissions: &[Submission<'_>],
    jobs: usize,
    on_event: impl FnMut(Event<'_>),
) -> Vec<Vec<CaseOutcome>> {
    grade(runner, submissions, jobs, Schedule::EveryCase, on_event)
        .await
        .into_iter()
        .map(|cases| {
            cases
                .into_iter()
                .map(|outcome| outcome.expect("every queued case finishes"))
                .collect()
        })
        .collect()
}

/// Like [`grade_all`], but a submission's cases stop being started once one of them is
/// rejected: those never run are `None`. Cases go in rounds (every submission's first case, then
/// every submission's second case, ...), so a rejection is usually known before the next case of
/// the same submission would start. For mutation testing, where most submissions fail early.
pub async fn grade_until_rejected<R: Runner>(
    runner: &R,
    submissions: &[Submission<'_>],
    jobs: usize,
    on_event: impl FnMut(Event<'_>),
) -> Vec<Vec<Option<CaseOutcome>>> {
    grade(runner, submissions, jobs, Schedule::UntilRejected, on_event).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Schedule {
    EveryCase,
    UntilRejected,
}

async fn grade<R: Runner>(
    runner: &R,
    submissions: &[Submission<'_>],
    jobs: usize,
    schedule: Schedule,
    mut on_event: impl FnMut(Event<'_>),
) -> Vec<Vec<Option<CaseOutcome>>> {
    let supports: Vec<_> = submissions
        .iter()
        .map(|submission| Arc::new(submission.exercise.support.clone()))
        .collect();
    let rejected: Vec<AtomicBool> = submissions.iter().map(|_| AtomicBool::new(false)).collect();
    let order: Vec<(usize, usize)> = match schedule {
        Schedule::EveryCase => submissions
            .iter()
            .enumerate()
            .flat_map(|(index, submission)| {
                (0..submission.exercise.cases.len()).map(move |case| (index, case))
            })
            .collect(),
        Schedule::UntilRejected => {
            let rounds = submissions
                .iter()
                .map(|submission| submission.exercise.cases.len())
                .max()
                .unwrap_or(0);
            (0..rounds)
                .flat_map(|case| {
                    submissions
                        .iter()
                        .enumerate()
                        .filter(move |(_, submission)| case < submission.exercise.cases.len())
                        .map(move |(index, _)| (index, case))
                })
                .collect()
        }
    };
    let queue = order.into_iter().map(|(index, case_index)| {
        let submission = &submissions[index];
        let case = &submission.exercise.cases[case_index];
        let request = RunRequest {
            program: submission.program.clone(),
            support: Arc::clone(&supports[index]),
            input: case.input.clone(),
            limits: case.limits,
            fixtures: case.fixtures.clone(),
            requires: submission.exercise.requires.clone(),
        };
        let rejected = &rejected[index];
        async move {
            if schedule == Schedule::UntilRejected && rejected.load(Ordering::Relaxed) {
                return (index, case_index, None);
            }
            let outcome = run_and_judge(runner, case, request).await;
            if !outcome.verdict.is_accepted() {
                rejected.store(true, Ordering::Relaxed);
            }
            (index, case_index, Some(outcome))
        }
    });
    let mut results: Vec<Vec<Option<CaseOutcome>>> = submissions
        .iter()
        .map(|submission| vec![None; submission.exercise.cases.len()])
        .collect();
    let mut finished = futures_util::stream::iter(queue).buffer_unordered(jobs.max(1));
    while let Some((submission, case, outcome)) = finished.next().await {
        let Some(outcome) = outcome else {
            continue;
        };
        on_event(Event::CaseFinished {
            submission,
            case,
            outcome: &outcome,
        });
        results[submission][case] = Some(outcome);
    }
    results
}

/// Runs one case and judges it, contained: a panic in either is an internal error of this case
/// alone, and the rest of the class is still graded. Judging works over what the submission
/// returned, so it runs on a blocking thread, off the async workers that serve the other cases.
async fn run_and_judge<R: Runner>(runner: &R, case: &Case, request: RunRequest) -> CaseOutcome {
    let Ok(run) = AssertUnwindSafe(runner.run(request)).catch_unwind().await else {
        return crashed("running");
    };
    let judged = match tokio::runtime::Handle::try_current() {
        Ok(handle) => {
            let case = case.clone();
            handle
                .spawn_blocking(move || {
                    std::panic::catch_unwind(AssertUnwindSafe(|| grade::judge(&case, run)))
                })
                .await
                .unwrap_or_else(|error| Err(Box::new(error.to_string())))
        }
        Err(_) => std::panic::catch_unwind(AssertUnwindSafe(|| grade::judge(case, run))),
    };
    judged.unwrap_or_else(|_| crashed("judging"))
}

fn crashed(stage: &str) -> CaseOutcome {
    CaseOutcome {
        verdict: Verdict::InternalError,
        feedback: Feedback::message(format!(
            "kata crashed while {stage} this case; the other cases were graded. This is a bug \
             in kata, not in the submission: please report it with the submission attached"
        )),
        usage: Usage::default(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::exercise::{CaseInput, SourceFile, load};
    use crate::runner::{ExitStatus, Frame, Outcome, RunOutput, RunnerError, Usage};
    use crate::value::Value;

    /// Answers `0` for every case, except that a program named `wrong` answers `1` on `f(0)`
    /// and kata panics on `f(1)` of a program named `crashes`; remembers what it ran, in order.
    #[derive(Default)]
    struct Scripted {
        ran: Mutex<Vec<String>>,
    }

    impl Runner for Scripted {
        fn name(&self) -> &'static str {
            "scripted"
        }

        async fn run(&self, request: RunRequest) -> Result<RunOutput, RunnerError> {
            let CaseInput::Call { expr } = &request.input else {
                unreachable!("only calls here")
            };
            let program = request.program.display_name.clone();
            self.ran.lock().unwrap().push(format!("{program} {expr}"));
            assert!(
                !(program == "crashes" && expr == "f(1)"),
                "a bug in kata, for the test"
            );
            let answer = i64::from(program == "wrong" && expr == "f(0)");
            Ok(RunOutput {
                frame: Ok(Frame {
                    outcome: Outcome::Finished {
                        value: Some(Value::Int(answer.into())),
                    },
                    stdout: String::new(),
                    stderr: String::new(),
                    setup_stdout: String::new(),
                    notes: Default::default(),
                }),
                exit: ExitStatus::Code(0),
                limit: None,
                raw_stderr: String::new(),
                usage: Usage::default(),
            })
        }
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    fn exercise() -> Exercise {
        let mut text = String::from(
            "format = 1\ntitle = \"T\"\ndifficulty = \"easy\"\nprompt = \"p\"\nstarter = \"s\"\nreference = \"r\"\n",
        );
        for k in 0..3 {
            text.push_str(&format!(
                "[[case]]\nname = \"c{k}\"\ncall = \"f({k})\"\nexpect = \"0\"\n"
            ));
        }
        let file = SourceFile {
            name: "t.toml".into(),
            text,
        };
        load::parse("t", file).unwrap()
    }

    fn submission<'a>(exercise: &'a Exercise, name: &str) -> Submission<'a> {
        Submission {
            exercise,
            program: Program {
                source: "".into(),
                display_name: name.to_string(),
            },
        }
    }

    #[test]
    fn until_rejected_goes_in_rounds_and_skips_the_rest_of_a_rejected_submission() {
        let exercise = exercise();
        let runner = Scripted::default();
        let submissions = [
            submission(&exercise, "wrong"),
            submission(&exercise, "right"),
        ];
        let outcomes = block_on(grade_until_rejected(&runner, &submissions, 1, |_| {}));
        assert_eq!(
            *runner.ran.lock().unwrap(),
            ["wrong f(0)", "right f(0)", "right f(1)", "right f(2)"]
        );
        let ran: Vec<Vec<bool>> = outcomes
            .iter()
            .map(|cases| cases.iter().map(Option::is_some).collect())
            .collect();
        assert_eq!(ran, [[true, false, false], [true, true, true]]);
        assert!(!outcomes[0][0].as_ref().unwrap().verdict.is_accepted());
    }

    #[test]
    fn grade_all_runs_every_case_in_submission_order() {
        let exercise = exercise();
        let runner = Scripted::default();
        let submissions = [
            submission(&exercise, "wrong"),
            submission(&exercise, "right"),
        ];
        let outcomes = block_on(grade_all(&runner, &submissions, 1, |_| {}));
        assert_eq!(runner.ran.lock().unwrap().len(), 6);
        assert_eq!(runner.ran.lock().unwrap()[1], "wrong f(1)");
        assert!(outcomes[1].iter().all(|o| o.verdict.is_accepted()));
    }

    #[test]
    fn a_panic_is_an_internal_error_of_that_case_alone() {
        let exercise = exercise();
        let runner = Scripted::default();
        let submissions = [
            submission(&exercise, "crashes"),
            submission(&exercise, "right"),
        ];
        let outcomes = block_on(grade_all(&runner, &submissions, 2, |_| {}));
        let verdicts: Vec<Vec<Verdict>> = outcomes
            .iter()
            .map(|cases| cases.iter().map(|outcome| outcome.verdict).collect())
            .collect();
        assert_eq!(
            verdicts,
            [
                [Verdict::Accepted, Verdict::InternalError, Verdict::Accepted],
                [Verdict::Accepted; 3]
            ]
        );
        let message = outcomes[0][1].feedback.message.as_deref().unwrap();
        assert!(message.contains("please report it"), "{message}");
    }
}
