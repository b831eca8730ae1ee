//! What is known of one submission while its cases run, and when to stop starting the rest:
//! a load failure that stands for the whole submission, too many time-outs, or `--fail-fast`.

use super::{StopReason, Stopped, Stops};
use crate::exercise::{Case, Exercise};
use crate::grade::{CaseOutcome, LoadFailure, LoadKind, Verdict};

/// When a submission's remaining cases are not started.
#[derive(Debug, Clone, Copy)]
pub(super) struct Policy {
    pub(super) stops: Stops,
    pub(super) stop_on_load: bool,
}

/// What is known so far of one submission's run.
#[derive(Debug, Default)]
pub(super) struct Progress {
    timeouts: usize,
    pub(super) stopped: Option<Stopped>,
}

impl Progress {
    /// Takes in one finished case, stopping the submission if `policy` says so. A load failure
    /// wins over any other reason, as it says the most.
    pub(super) fn record(
        &mut self,
        policy: &Policy,
        exercise: &Exercise,
        case: &Case,
        outcome: &CaseOutcome,
    ) {
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
