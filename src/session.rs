//! Running many cases at once: every case of every submission goes into one queue, served by
//! `jobs` workers, so a slow submission never holds up the others.

use std::sync::Arc;

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
    mut on_event: impl FnMut(Event<'_>),
) -> Vec<Vec<CaseOutcome>> {
    let supports: Vec<_> = submissions
        .iter()
        .map(|submission| Arc::new(submission.exercise.support.clone()))
        .collect();
    let queue = submissions
        .iter()
        .enumerate()
        .flat_map(|(index, submission)| {
            let support = &supports[index];
            submission
                .exercise
                .cases
                .iter()
                .enumerate()
                .map(move |(case_index, case)| {
                    let request = RunRequest {
                        program: submission.program.clone(),
                        support: Arc::clone(support),
                        input: case.input.clone(),
                        limits: case.limits,
                        fixtures: case.fixtures.clone(),
                        requires: submission.exercise.requires.clone(),
                    };
                    async move {
                        let outcome = grade::judge(case, runner.run(request).await);
                        (index, case_index, outcome)
                    }
                })
        });
    let mut results: Vec<Vec<Option<CaseOutcome>>> = submissions
        .iter()
        .map(|submission| vec![None; submission.exercise.cases.len()])
        .collect();
    let mut finished = futures_util::stream::iter(queue).buffer_unordered(jobs.max(1));
    while let Some((submission, case, outcome)) = finished.next().await {
        on_event(Event::CaseFinished {
            submission,
            case,
            outcome: &outcome,
        });
        results[submission][case] = Some(outcome);
    }
    results
        .into_iter()
        .map(|cases| {
            cases
                .into_iter()
                .map(|outcome| outcome.expect("every queued case finishes"))
                .collect()
        })
        .collect()
}
