//! Running a growth case: one unit of work on one worker, so that all its runs share one warm
//! sandbox.
//!
//! First the baseline (the case with the expression `None`, which costs the harness and the
//! module's import and nothing else), then each size in increasing order, the call bound to `n`.
//! With CPU time each is run [`Counter::repetitions`] times and the least kept, since noise only
//! ever adds; fuel is exact, so once is enough. The first size that fails ends the case. What
//! the costs say is decided in `grade::growth`.

use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

use super::{crashed, judge_contained};
use crate::exercise::{Case, CaseInput, Expected, Growth};
use crate::grade::growth::{self as fit, Counter, Point};
use crate::grade::{CaseOutcome, Feedback, Verdict};
use crate::runner::{LimitHit, RunRequest, Runner};

/// One judged run and the limit that stopped it, if one did.
struct Run {
    outcome: CaseOutcome,
    limit: Option<LimitHit>,
}

pub(super) async fn run_and_judge<R: Runner>(
    runner: &R,
    case: &Case,
    growth: &Growth,
    request: RunRequest,
) -> CaseOutcome {
    let CaseInput::Call { expr } = &case.input else {
        // The loader only gives `call` cases a growth table.
        return crashed("running");
    };
    let at = |expression: String| RunRequest {
        input: CaseInput::Call { expr: expression },
        ..request.clone()
    };
    // The baseline returns `None`, which only a case without `expect` would accept.
    let baseline_case = Case {
        expected: Expected::Any,
        growth: None,
        ..case.clone()
    };
    let first = run_once(runner, &baseline_case, at(Growth::BASELINE.to_string())).await;
    if !first.outcome.verdict.is_accepted() {
        return first.outcome;
    }
    let Some((counter, mut baseline)) = Counter::read(&first.outcome.usage) else {
        return unmeasurable();
    };
    for _ in 1..counter.repetitions() {
        let again = run_once(runner, &baseline_case, at(Growth::BASELINE.to_string())).await;
        if !again.outcome.verdict.is_accepted() {
            return again.outcome;
        }
        baseline = baseline.min(reading(counter, &again.outcome).unwrap_or(u64::MAX));
    }

    let mut points = Vec::with_capacity(growth.sizes.len());
    let mut last = first.outcome;
    for &n in &growth.sizes {
        let mut least = u64::MAX;
        for _ in 0..counter.repetitions() {
            let run = run_once(runner, case, at(Growth::expression(expr, n))).await;
            if !run.outcome.verdict.is_accepted() {
                return failed_at(counter, growth, &points, baseline, n, run);
            }
            let Some(cost) = reading(counter, &run.outcome) else {
                return unmeasurable();
            };
            least = least.min(cost);
            last = run.outcome;
        }
        points.push(Point {
            n,
            cost: least.saturating_sub(baseline),
        });
    }
    let judged = fit::assess(counter, growth.allows, &points, None);
    let mut outcome = last;
    if let Some(message) = judged.too_fast {
        outcome.verdict = Verdict::TimeLimitExceeded;
        outcome.feedback.message = Some(message);
    }
    outcome.growth = Some(judged.measurement);
    outcome
}

/// Runs one request and judges it against `case`, contained like any case.
async fn run_once<R: Runner>(runner: &R, case: &Case, request: RunRequest) -> Run {
    let Ok(run) = AssertUnwindSafe(runner.run(request)).catch_unwind().await else {
        return Run {
            outcome: crashed("running"),
            limit: None,
        };
    };
    let limit = run.as_ref().ok().and_then(|output| output.limit);
    Run {
        outcome: judge_contained(case, run).await,
        limit,
    }
}

fn reading(counter: Counter, outcome: &CaseOutcome) -> Option<u64> {
    Counter::read(&outcome.usage)
        .filter(|(read, _)| *read == counter)
        .map(|(_, cost)| cost)
}

/// The outcome of a growth case whose run at `n` failed. When a time limit stopped it, the sizes
/// measured so far are still fitted, and what the stopped run had used (the CPU or fuel limit,
/// or less when the wall-clock limit came first on a busy machine) bounds its cost from below:
/// either may say more than "too slow".
fn failed_at(
    counter: Counter,
    growth: &Growth,
    points: &[Point],
    baseline: u64,
    n: u64,
    run: Run,
) -> CaseOutcome {
    let mut outcome = run.outcome;
    if matches!(
        run.limit,
        Some(LimitHit::Cpu | LimitHit::Fuel | LimitHit::Wall)
    ) && let Some(cost) = reading(counter, &outcome)
    {
        let limit = Point {
            n,
            cost: cost.saturating_sub(baseline),
        };
        let judged = fit::assess(counter, growth.allows, points, Some(limit));
        outcome.growth = Some(judged.measurement);
        if let Some(message) = judged.too_fast {
            outcome.verdict = Verdict::TimeLimitExceeded;
            outcome.feedback.message = Some(message);
            return outcome;
        }
    }
    if let Some(message) = &mut outcome.feedback.message {
        *message = format!("at n = {}: {message}", fit::thousands(n));
    }
    outcome
}

fn unmeasurable() -> CaseOutcome {
    CaseOutcome {
        verdict: Verdict::InternalError,
        feedback: Feedback::message(
            "this sandbox reports neither fuel nor CPU time, so the growth of this case cannot \
             be measured",
        ),
        usage: Default::default(),
        growth: None,
    }
}
