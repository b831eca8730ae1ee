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

use super::contained::{crashed, judge_contained};
use crate::exercise::{Case, CaseInput, Expectation, Growth};
use crate::grade::growth::{self as fit, Counter, Point};
use crate::grade::{CaseOutcome, Feedback, Verdict};
use crate::runner::{LimitHit, RunRequest, Runner};
use crate::units;

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
    let at = |expression: String| RunRequest {
        input: CaseInput::Call { expr: expression },
        ..request.clone()
    };
    // The baseline returns `None`, which only a case without `expect` would accept.
    let baseline_case = Case {
        expectation: Expectation::CostOnly {
            expr: Growth::BASELINE.to_string(),
        },
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
            let run = run_once(runner, case, at(Growth::expression(&growth.call, n))).await;
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
    ) {
        // A box stopped by the wall clock may not say what it used: then only the fit counts.
        let used = reading(counter, &outcome).unwrap_or(0);
        let limit = Point {
            n,
            cost: used.saturating_sub(baseline),
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
        *message = format!("at n = {}: {message}", units::thousands(n));
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

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use super::*;
    use crate::exercise::{Exercise, SourceFile, load};
    use crate::runner::protocol::Frame;
    use crate::runner::{
        Finished, HarnessOutcome, ProcessEnd, Program, RunOutput, RunnerError, Usage,
    };
    use crate::value::Value;

    /// Costs `n^power` microseconds of CPU (plus 1 ms for the baseline's work), or runs into the
    /// CPU limit from `stops_at` on; remembers every expression it ran, in order.
    struct Costed {
        power: i32,
        stops_at: u64,
        ran: Mutex<Vec<String>>,
    }

    impl Runner for Costed {
        fn name(&self) -> &'static str {
            "costed"
        }

        async fn run(&self, request: RunRequest) -> Result<RunOutput, RunnerError> {
            let CaseInput::Call { expr } = &request.input else {
                unreachable!("growth cases are calls")
            };
            self.ran.lock().unwrap().push(expr.clone());
            let n: u64 = expr
                .rsplit_once('(')
                .and_then(|(_, n)| n.trim_end_matches(')').parse().ok())
                .unwrap_or(0);
            let stopped = n >= self.stops_at;
            let micros = if stopped {
                request.limits.cpu.as_micros() as u64
            } else {
                1_000 + n.pow(self.power as u32)
            };
            Ok(RunOutput {
                frame: Ok(Frame {
                    outcome: HarnessOutcome::Finished(Finished::Returned(Value::Int(0.into()))),
                    stdout: String::new(),
                    stderr: String::new(),
                    setup_stdout: String::new(),
                    notes: Default::default(),
                }),
                exit: ProcessEnd::Code(0),
                limit: stopped.then_some(LimitHit::Cpu),
                raw_stderr: String::new(),
                usage: Usage {
                    cpu: Some(Duration::from_micros(micros)),
                    ..Usage::default()
                },
            })
        }
    }

    fn exercise(allows: &str) -> Exercise {
        let text = format!(
            "format = 1\ntitle = \"T\"\ndifficulty = \"easy\"\nprompt = \"p\"\nstarter = \"s\"\n\
             reference = \"r\"\n[[case]]\nname = \"grows\"\ncall = \"f(n)\"\n\
             growth = {{ sizes = [100, 200, 400], allows = \"{allows}\" }}\n"
        );
        let file = SourceFile {
            name: "t.toml".into(),
            text,
        };
        load::parse("t", file).unwrap()
    }

    fn run(power: i32, stops_at: u64, allows: &str) -> (CaseOutcome, Vec<String>) {
        let exercise = exercise(allows);
        let case = &exercise.cases[0];
        let runner = Costed {
            power,
            stops_at,
            ran: Mutex::new(Vec::new()),
        };
        let request = RunRequest {
            program: Program {
                source: "".into(),
                display_name: "s.py".into(),
            },
            support: Default::default(),
            input: case.input(),
            limits: case.limits,
            fixtures: Vec::new(),
            requires: Vec::new(),
        };
        let growth = case.growth.as_ref().unwrap();
        let outcome = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(run_and_judge(&runner, case, growth, request));
        let ran = runner.ran.into_inner().unwrap();
        (outcome, ran)
    }

    #[test]
    fn the_baseline_runs_first_then_each_size_three_times_in_order() {
        let (outcome, ran) = run(2, u64::MAX, "n^2");
        let expected: Vec<String> = ["None"; 3]
            .into_iter()
            .map(String::from)
            .chain(
                [100, 200, 400]
                    .into_iter()
                    .flat_map(|n| std::iter::repeat_n(format!("(lambda n: f(n))({n})"), 3)),
            )
            .collect();
        assert_eq!(ran, expected);
        assert_eq!(outcome.verdict, Verdict::Accepted);
        let growth = outcome.growth.unwrap();
        // The baseline's millisecond is taken off: the costs are n² exactly.
        let costs: Vec<u64> = growth.points.iter().map(|p| p.cost).collect();
        assert_eq!(costs, [10_000, 40_000, 160_000]);
        assert!((growth.exponent.unwrap() - 2.0).abs() < 1e-9);
    }

    #[test]
    fn growing_faster_than_allowed_is_a_time_limit_verdict_with_the_growth() {
        let (outcome, _) = run(2, u64::MAX, "n");
        assert_eq!(outcome.verdict, Verdict::TimeLimitExceeded);
        assert_eq!(
            outcome.feedback.message.as_deref(),
            Some(
                "cost grows like n^2.0 between n = 100 and n = 400 (cpu-time); this exercise \
                 asks for n or better"
            )
        );
    }

    #[test]
    fn a_size_stopped_by_the_limit_ends_the_case_and_bounds_the_growth() {
        // 40 ms at 200, still running at the 2 s limit at 400: at least n^5.6.
        let (outcome, ran) = run(2, 400, "n^2");
        assert_eq!(ran.len(), 3 + 3 + 3 + 1, "{ran:?}");
        assert_eq!(outcome.verdict, Verdict::TimeLimitExceeded);
        let message = outcome.feedback.message.unwrap();
        assert!(
            message.starts_with("cost grows like at least n^5.6 between n = 200 and n = 400"),
            "{message}"
        );
        assert_eq!(outcome.growth.unwrap().limit_at, Some(400));
        // With no size costly enough to measure before it, the stop is an ordinary time-out.
        let (outcome, _) = run(1, 400, "n^3");
        assert_eq!(outcome.verdict, Verdict::TimeLimitExceeded);
        let message = outcome.feedback.message.unwrap();
        assert!(message.starts_with("at n = 400: "), "{message}");
    }
}
