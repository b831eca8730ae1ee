//! Judging one run so that a panic stays that case's internal error.

use std::panic::AssertUnwindSafe;

use crate::exercise::Case;
use crate::grade::{self, CaseOutcome, Feedback, Verdict};
use crate::runner::Usage;

/// Judges one run, contained. Judging works over what the submission returned, so it runs on
/// a blocking thread, off the async workers that serve the other cases.
pub(super) async fn judge_contained(
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

pub(super) fn crashed(stage: &str) -> CaseOutcome {
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
