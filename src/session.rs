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

mod contained;
mod growth;
mod progress;
mod schedule;
mod unjudged;

pub(crate) use unjudged::run_all;

use contained::{crashed, judge_contained};
use progress::{Policy, Progress};

use crate::exercise::{Case, Exercise};
use crate::grade::{CaseOutcome, LoadFailure, Verdict};
use crate::runner::{Program, RunRequest, Runner};

/// One program to grade against one exercise.
#[derive(Debug, Clone)]
pub(crate) struct Submission<'a> {
    pub exercise: &'a Exercise,
    pub program: Program,
}

/// Something that happened while grading, for progress displays.
#[derive(Debug)]
pub(crate) enum Event<'a> {
    CaseFinished {
        submission: usize,
        case: usize,
        outcome: &'a CaseOutcome,
    },
}

/// What [`grade_with_stops`] reports as it goes: every case either finishes or is not run, and
/// then its submission is done.
#[derive(Debug)]
pub(crate) enum Update<'a> {
    Finished(Event<'a>),
    /// A case was not run: its submission had been stopped.
    NotRun,
    /// Every case of the submission has finished or been skipped.
    SubmissionDone {
        submission: usize,
        graded: &'a Graded,
    },
}

/// When [`grade_with_stops`] stops starting a submission's cases. A submission that does not
/// load always stops.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Stops {
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
pub(crate) async fn grade_all<R: Runner>(
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
pub(crate) async fn grade_until_rejected<R: Runner>(
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
pub(crate) async fn grade_with_stops<R: Runner>(
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
            None => on_update(Update::NotRun),
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

#[cfg(test)]
mod tests;
