//! Running many cases at once: every case of every submission is served by `jobs` workers, so
//! a slow submission never holds up the others. Each worker keeps to one submission while
//! there are others left (see [`schedule`]). [`grade_all`] runs every case;
//! [`grade_until_rejected`] stops starting a submission's cases at its first rejection;
//! [`grade_with_stops`] stops as [`Stops`] says, and decides once per submission whether it
//! loaded at all; [`run_all`] runs one program without judging it.
//!
//! A submission that does not load is one failure, not one per case. A syntax error depends on
//! the source alone, so any case that reports one stands for them all. An exception at import
//! stands for them all only when the import could not have seen anything of the case: the
//! exercise gives no case files (a module may read them at import), and the case is visible
//! (code running at import can reach the harness's request, so a hidden case's error message
//! could carry its input out). Otherwise an exception at import stays that case's own
//! runtime error.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use std::panic::AssertUnwindSafe;

use futures_util::{FutureExt, StreamExt};

mod growth;
mod schedule;
mod unjudged;

pub use unjudged::run_all;

use crate::exercise::{Case, Exercise};
use crate::grade::{self, CaseOutcome, Feedback, LoadFailure, LoadKind, Verdict};
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

/// What [`grade_with_stops`] reports as it goes: every case either finishes or is not run, and
/// then its submission is done.
#[derive(Debug)]
pub enum Update<'a> {
    Finished(Event<'a>),
    NotRun {
        submission: usize,
        case: usize,
    },
    /// Every case of the submission has finished or been skipped.
    SubmissionDone {
        submission: usize,
        graded: &'a Graded,
    },
}

/// When [`grade_with_stops`] stops starting a submission's cases. A submission that does not
/// load always stops.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stops {
    /// At its first case that is not accepted (`kata check --fail-fast`).
    pub fail_fast: bool,
    /// After this many time-limit verdicts (`kata grade --max-timeouts`), so that a submission
    /// that loops costs a bounded time; `None` never.
    pub max_timeouts: Option<usize>,
}

/// One submission, graded by [`grade_with_stops`].
#[derive(Debug, Clone)]
pub struct Graded {
    /// In case order; `None` for a case that was not run, for the reason in `stopped`.
    pub cases: Vec<Option<CaseOutcome>>,
    /// Why the submission's cases stopped being started, when they did.
    pub stopped: Option<Stopped>,
}

/// Why a submission's cases stopped being run, and the verdict that stopped them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopped {
    pub reason: StopReason,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// The submission did not load; no case of it can say more than this.
    NotLoaded(LoadFailure),
    /// It reached this many time-limit verdicts.
    Timeouts(usize),
    /// A case failed and grading stops at the first failure.
    FailFast,
}

impl Graded {
    /// The load failure that stands for the whole submission, if any.
    pub fn load_error(&self) -> Option<&LoadFailure> {
        match &self.stopped {
            Some(Stopped {
                reason: StopReason::NotLoaded(load),
                ..
            }) => Some(load),
            _ => None,
        }
    }
}

/// Runs and judges every case of every submission, at most `jobs` at a time, and returns the
/// outcomes in order: `result[submission][case]`.
pub async fn grade_all<R: Runner>(
    runner: &R,
    submissions: &[Submission<'_>],
    jobs: usize,
    on_event: impl FnMut(Event<'_>),
) -> Vec<Vec<CaseOutcome>> {
    let policy = Policy {
        stops: Stops::default(),
        stop_on_load: false,
    };
    grade(runner, submissions, jobs, policy, finished_only(on_event))
        .await
        .into_iter()
        .map(|graded| {
            graded
                .cases
                .into_iter()
                .map(|outcome| outcome.expect("every queued case finishes"))
                .collect()
        })
        .collect()
}

/// Like [`grade_all`], but a submission's cases stop being started once one of them is
/// rejected: those never run are `None`. A worker runs its submission's cases one after
/// another, so a rejection is known before the next case of the same submission would start
/// (unless workers share the submission, at the end). For mutation testing, where most
/// submissions fail early.
pub async fn grade_until_rejected<R: Runner>(
    runner: &R,
    submissions: &[Submission<'_>],
    jobs: usize,
    on_event: impl FnMut(Event<'_>),
) -> Vec<Vec<Option<CaseOutcome>>> {
    let policy = Policy {
        stops: Stops {
            fail_fast: true,
            max_timeouts: None,
        },
        stop_on_load: false,
    };
    grade(runner, submissions, jobs, policy, finished_only(on_event))
        .await
        .into_iter()
        .map(|graded| graded.cases)
        .collect()
}

/// Grades every submission, stopping a submission's cases as `stops` says or when it does not
/// load (see the module's notes). A submission that did not load has none of its cases'
/// outcomes: every case is `None`, unless it ran and failed some other way (which only an
/// import that behaves differently from one run to the next can do), and its load failure is
/// in [`Graded::stopped`].
pub async fn grade_with_stops<R: Runner>(
    runner: &R,
    submissions: &[Submission<'_>],
    jobs: usize,
    stops: Stops,
    on_update: impl FnMut(Update<'_>),
) -> Vec<Graded> {
    let policy = Policy {
        stops,
        stop_on_load: true,
    };
    grade(runner, submissions, jobs, policy, on_update).await
}

/// Passes on the finished cases only, for callers that have no use for stops.
fn finished_only(mut on_event: impl FnMut(Event<'_>)) -> impl FnMut(Update<'_>) {
    move |update| {
        if let Update::Finished(event) = update {
            on_event(event);
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Policy {
    stops: Stops,
    stop_on_load: bool,
}

/// What is known so far of one submission's run.
#[derive(Debug, Default)]
struct Progress {
    timeouts: usize,
    stopped: Option<Stopped>,
}

impl Progress {
    /// Takes in one finished case, stopping the submission if `policy` says so. A load failure
    /// wins over any other reason, as it says the most.
    fn record(&mut self, policy: &Policy, exercise: &Exercise, case: &Case, outcome: &CaseOutcome) {
        let verdict = outcome.verdict;
        if policy.stop_on_load
            && let Some(load) = &outcome.feedback.load
            && stands_for_submission(exercise, case, load)
            && !matches!(
                self.stopped,
                Some(Stopped {
                    reason: StopReason::NotLoaded(_),
                    ..
                })
            )
        {
            self.stopped = Some(Stopped {
                reason: StopReason::NotLoaded(load.clone()),
                verdict,
            });
            return;
        }
        if verdict == Verdict::TimeLimitExceeded {
            self.timeouts += 1;
            if let Some(limit) = policy.stops.max_timeouts
                && self.timeouts >= limit
                && self.stopped.is_none()
            {
                self.stopped = Some(Stopped {
                    reason: StopReason::Timeouts(limit),
                    verdict,
                });
            }
        }
        if policy.stops.fail_fast && !verdict.is_accepted() && self.stopped.is_none() {
            self.stopped = Some(Stopped {
                reason: StopReason::FailFast,
                verdict,
            });
        }
    }
}

/// Whether a case's load failure is the whole submission's (see the module's notes).
fn stands_for_submission(exercise: &Exercise, case: &Case, load: &LoadFailure) -> bool {
    match load.kind {
        LoadKind::SyntaxError => true,
        LoadKind::ImportError => {
            !case.hidden && exercise.cases.iter().all(|case| case.fixtures.is_empty())
        }
    }
}

async fn grade<R: Runner>(
    runner: &R,
    submissions: &[Submission<'_>],
    jobs: usize,
    policy: Policy,
    mut on_update: impl FnMut(Update<'_>),
) -> Vec<Graded> {
    let supports: Vec<_> = submissions
        .iter()
        .map(|submission| Arc::new(submission.exercise.support.clone()))
        .collect();
    let progress: Vec<Mutex<Progress>> = submissions
        .iter()
        .map(|_| Mutex::new(Progress::default()))
        .collect();
    // Set once a submission stops, read without the lock by every case about to start.
    let stopped: Vec<AtomicBool> = submissions.iter().map(|_| AtomicBool::new(false)).collect();
    let run_case = |index: usize, case_index: usize| {
        let submission = &submissions[index];
        let case = &submission.exercise.cases[case_index];
        let request = RunRequest {
            program: submission.program.clone(),
            support: Arc::clone(&supports[index]),
            input: case.input(),
            limits: case.limits,
            fixtures: case.fixtures.clone(),
            requires: submission.exercise.requires.clone(),
        };
        let progress = &progress[index];
        let stopped = &stopped[index];
        async move {
            if stopped.load(Ordering::Relaxed) {
                return (index, case_index, None);
            }
            let outcome = run_and_judge(runner, case, request).await;
            let mut progress = progress.lock().unwrap_or_else(|poison| poison.into_inner());
            progress.record(&policy, submission.exercise, case, &outcome);
            if progress.stopped.is_some() {
                stopped.store(true, Ordering::Relaxed);
            }
            (index, case_index, Some(outcome))
        }
    };
    let mut results: Vec<Graded> = submissions
        .iter()
        .map(|submission| Graded {
            cases: vec![None; submission.exercise.cases.len()],
            stopped: None,
        })
        .collect();
    let mut remaining: Vec<usize> = submissions.iter().map(|s| s.exercise.cases.len()).collect();
    for (submission, graded) in results.iter().enumerate() {
        if remaining[submission] == 0 {
            on_update(Update::SubmissionDone { submission, graded });
        }
    }
    let schedule = Mutex::new(schedule::Schedule::new(
        submissions.iter().map(|s| s.exercise.cases.len()).collect(),
    ));
    let (schedule, stopped, run_case) = (&schedule, &stopped, &run_case);
    let workers = (0..jobs.max(1)).map(|_| {
        futures_util::stream::unfold(None, move |current| async move {
            let (index, case_index) = schedule
                .lock()
                .unwrap_or_else(|poison| poison.into_inner())
                .take(current, |s| stopped[s].load(Ordering::Relaxed))?;
            Some((run_case(index, case_index).await, Some(index)))
        })
        .boxed_local()
    });
    let mut finished = futures_util::stream::select_all(workers);
    while let Some((submission, case, outcome)) = finished.next().await {
        match outcome {
            Some(outcome) => {
                on_update(Update::Finished(Event::CaseFinished {
                    submission,
                    case,
                    outcome: &outcome,
                }));
                results[submission].cases[case] = Some(outcome);
            }
            None => on_update(Update::NotRun { submission, case }),
        }
        remaining[submission] -= 1;
        if remaining[submission] == 0 {
            let graded = &mut results[submission];
            let mut progress = progress[submission]
                .lock()
                .unwrap_or_else(|poison| poison.into_inner());
            graded.stopped = progress.stopped.take();
            if graded.load_error().is_some() {
                // Said once, for the submission: cases that only repeat it count as not run.
                for outcome in &mut graded.cases {
                    if outcome.as_ref().is_some_and(|o| o.feedback.load.is_some()) {
                        *outcome = None;
                    }
                }
            }
            on_update(Update::SubmissionDone { submission, graded });
        }
    }
    results
}

/// Runs one case and judges it, contained: a panic in either is an internal error of this case
/// alone, and the rest of the class is still graded. A growth case is several runs, judged
/// together (see [`growth`]).
async fn run_and_judge<R: Runner>(runner: &R, case: &Case, request: RunRequest) -> CaseOutcome {
    if let Some(growth) = &case.growth {
        return growth::run_and_judge(runner, case, growth, request).await;
    }
    let Ok(run) = AssertUnwindSafe(runner.run(request)).catch_unwind().await else {
        return crashed("running");
    };
    judge_contained(case, run).await
}

/// Judges one run, contained. Judging works over what the submission returned, so it runs on
/// a blocking thread, off the async workers that serve the other cases.
async fn judge_contained(
    case: &Case,
    run: Result<crate::runner::RunOutput, crate::runner::RunnerError>,
) -> CaseOutcome {
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
        growth: None,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::exercise::{CaseInput, SourceFile, load};
    use crate::exercise::{Fixture, FixtureContents};
    use crate::runner::protocol::{Phase, SyntaxProblem};
    use crate::runner::{
        ExitStatus, Finished, Frame, LimitHit, Outcome, RunOutput, RunnerError, Usage,
    };
    use crate::value::{Raised, Value};

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
            let outcome = match program.as_str() {
                "syntax" => Outcome::SyntaxError(SyntaxProblem {
                    type_name: "SyntaxError".into(),
                    message: "invalid syntax".into(),
                    line: Some(3),
                    column: Some(7),
                    text: None,
                    traceback: None,
                }),
                "import" => Outcome::Raised {
                    phase: Phase::Import,
                    exception: Raised {
                        class_names: vec!["NameError".into(), "Exception".into()],
                        message: Some("name 'x' is not defined".into()),
                        traceback: Some("  File \"s.py\", line 4, in <module>\n    x\n".into()),
                    },
                },
                _ => Outcome::Finished(Finished::Returned(Value::Int(answer.into()))),
            };
            Ok(RunOutput {
                limit: (program == "loops").then_some(LimitHit::Wall),
                frame: Ok(Frame {
                    outcome,
                    stdout: String::new(),
                    stderr: String::new(),
                    setup_stdout: String::new(),
                    notes: Default::default(),
                }),
                exit: ExitStatus::Code(0),
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
    fn until_rejected_skips_the_rest_of_a_rejected_submission() {
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
    fn with_two_workers_a_rejected_submission_runs_no_case_after_its_rejection() {
        let exercise = exercise();
        let runner = Scripted::default();
        let submissions = [
            submission(&exercise, "wrong"),
            submission(&exercise, "wrong"),
            submission(&exercise, "right"),
            submission(&exercise, "right"),
        ];
        let outcomes = block_on(grade_until_rejected(&runner, &submissions, 2, |_| {}));
        let mut ran = runner.ran.lock().unwrap().clone();
        ran.sort();
        assert_eq!(
            ran,
            [
                "right f(0)",
                "right f(0)",
                "right f(1)",
                "right f(1)",
                "right f(2)",
                "right f(2)",
                "wrong f(0)",
                "wrong f(0)"
            ]
        );
        assert!(outcomes[0][1..].iter().all(Option::is_none));
        assert!(outcomes[3].iter().all(Option::is_some));
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

    fn stopping(exercise: &Exercise, program: &str, stops: Stops) -> (Graded, Vec<String>) {
        let runner = Scripted::default();
        let submissions = [submission(exercise, program)];
        let mut graded = block_on(grade_with_stops(&runner, &submissions, 1, stops, |_| {}));
        let ran = runner.ran.lock().unwrap().clone();
        (graded.remove(0), ran)
    }

    #[test]
    fn a_syntax_error_is_the_submissions_and_its_cases_are_not_run() {
        let exercise = exercise();
        let (graded, ran) = stopping(&exercise, "syntax", Stops::default());
        assert_eq!(ran, ["syntax f(0)"]);
        assert!(graded.cases.iter().all(Option::is_none));
        let load = graded.load_error().unwrap();
        assert_eq!(load.kind, LoadKind::SyntaxError);
        assert_eq!((load.line, load.column), (Some(3), Some(7)));
        assert_eq!(load.message, "SyntaxError: invalid syntax");
        assert_eq!(graded.stopped.unwrap().verdict, Verdict::SyntaxError);
    }

    #[test]
    fn grade_all_still_runs_every_case_of_a_submission_that_does_not_load() {
        let exercise = exercise();
        let runner = Scripted::default();
        let outcomes = block_on(grade_all(
            &runner,
            &[submission(&exercise, "syntax")],
            1,
            |_| {},
        ));
        assert_eq!(runner.ran.lock().unwrap().len(), 3);
        assert!(
            outcomes[0]
                .iter()
                .all(|o| o.verdict == Verdict::SyntaxError)
        );
    }

    #[test]
    fn an_exception_at_import_is_the_submissions_once_a_visible_case_meets_it() {
        let mut exercise = exercise();
        exercise.cases[0].hidden = true;
        let (graded, ran) = stopping(&exercise, "import", Stops::default());
        // The hidden case's error could carry its input: only the visible one decides.
        assert_eq!(ran, ["import f(0)", "import f(1)"]);
        let load = graded.load_error().unwrap();
        assert_eq!((load.kind, load.line), (LoadKind::ImportError, Some(4)));
        assert_eq!(load.type_name, "NameError");
        assert!(graded.cases.iter().all(Option::is_none));
    }

    #[test]
    fn an_exception_at_import_stays_each_cases_own_when_cases_could_change_it() {
        let mut hidden = exercise();
        for case in &mut hidden.cases {
            case.hidden = true;
        }
        let mut with_files = exercise();
        with_files.cases[2].fixtures.push(Fixture {
            path: "data.txt".into(),
            contents: FixtureContents::File(b"1".to_vec()),
        });
        for exercise in [hidden, with_files] {
            let (graded, ran) = stopping(&exercise, "import", Stops::default());
            assert_eq!(ran.len(), 3);
            assert!(graded.stopped.is_none());
            assert!(
                graded
                    .cases
                    .iter()
                    .all(|o| o.as_ref().unwrap().verdict == Verdict::RuntimeError)
            );
        }
    }

    #[test]
    fn a_submission_stops_after_its_allowed_time_outs() {
        let exercise = exercise();
        let stops = Stops {
            fail_fast: false,
            max_timeouts: Some(2),
        };
        let (graded, ran) = stopping(&exercise, "loops", stops);
        assert_eq!(ran.len(), 2);
        assert_eq!(
            graded.stopped.unwrap(),
            Stopped {
                reason: StopReason::Timeouts(2),
                verdict: Verdict::TimeLimitExceeded
            }
        );
        assert!(graded.cases[2].is_none());
        let (graded, ran) = stopping(&exercise, "loops", Stops::default());
        assert_eq!(ran.len(), 3);
        assert!(graded.stopped.is_none());
    }

    #[test]
    fn fail_fast_stops_at_the_first_failure() {
        let exercise = exercise();
        let stops = Stops {
            fail_fast: true,
            max_timeouts: None,
        };
        let (graded, ran) = stopping(&exercise, "wrong", stops);
        assert_eq!(ran, ["wrong f(0)"]);
        assert_eq!(graded.stopped.unwrap().reason, StopReason::FailFast);
        let (graded, ran) = stopping(&exercise, "right", stops);
        assert_eq!(ran.len(), 3);
        assert!(graded.stopped.is_none());
    }
}
