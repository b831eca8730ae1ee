//! Running many cases at once: every case of every submission goes into one queue, served by
//! `jobs` workers, so a slow submission never holds up the others. [`grade_all`] runs every
//! case; [`grade_until_rejected`] stops starting a submission's cases at its first rejection.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::StreamExt;

use crate::exercise::Exercise;
use crate::grade::{self, CaseOutcome};
use crate::runner::{Program, RunRequest, Runner};

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
        };
        let rejected = &rejected[index];
        async move {
            if schedule == Schedule::UntilRejected && rejected.load(Ordering::Relaxed) {
                return (index, case_index, None);
            }
            let outcome = grade::judge(case, runner.run(request).await);
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
