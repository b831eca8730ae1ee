//! Running a program without judging it, on the same workers and schedule as grading: for
//! authoring tools that need what the program did, not a verdict (`kata record` runs the
//! reference on the cases that have no `expect` yet).

use std::sync::Mutex;

use futures_util::StreamExt;

use super::schedule::Schedule;
use crate::runner::{RunOutput, RunRequest, Runner, RunnerError};

/// Runs every request (one program's runs: one submission to the scheduler), at most `jobs` at
/// a time, and returns what each run gave, in order.
pub(crate) async fn run_all<R: Runner>(
    runner: &R,
    requests: &[RunRequest],
    jobs: usize,
) -> Vec<Result<RunOutput, RunnerError>> {
    let schedule = Mutex::new(Schedule::new(vec![requests.len()]));
    let schedule = &schedule;
    let workers = (0..jobs.max(1)).map(|_| {
        futures_util::stream::unfold(None, move |current| async move {
            let (submission, index) = schedule
                .lock()
                .unwrap_or_else(|poison| poison.into_inner())
                .take(current, |_| false)?;
            let output = runner.run(requests[index].clone()).await;
            Some(((index, output), Some(submission)))
        })
        .boxed_local()
    });
    let mut outputs: Vec<Option<Result<RunOutput, RunnerError>>> =
        (0..requests.len()).map(|_| None).collect();
    let mut finished = futures_util::stream::select_all(workers);
    while let Some((index, output)) = finished.next().await {
        outputs[index] = Some(output);
    }
    outputs
        .into_iter()
        .map(|output| output.expect("the schedule hands out every request once"))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::exercise::{CaseInput, Limits, Support};
    use crate::runner::Program;

    /// Fails every run with its own expression, later requests sooner, so that they finish
    /// out of order.
    struct Echo;

    impl Runner for Echo {
        fn name(&self) -> &'static str {
            "echo"
        }

        async fn run(&self, request: RunRequest) -> Result<RunOutput, RunnerError> {
            let CaseInput::Call { expr } = request.input else {
                unreachable!("only calls here")
            };
            let delay: u64 = expr.parse().unwrap();
            tokio::time::sleep(Duration::from_millis(delay)).await;
            Err(RunnerError::Wasm(expr))
        }
    }

    #[test]
    fn every_request_runs_once_and_outputs_come_back_in_order() {
        let request = |delay: u64| RunRequest {
            program: Program {
                source: Arc::from(""),
                display_name: "p.py".into(),
            },
            support: Arc::new(Support::default()),
            input: CaseInput::Call {
                expr: delay.to_string(),
            },
            limits: Limits::default(),
            fixtures: Vec::new(),
            requires: Vec::new(),
        };
        let requests: Vec<RunRequest> = [30, 20, 10, 0].into_iter().map(request).collect();
        let outputs = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(run_all(&Echo, &requests, 3));
        let said: Vec<String> = outputs
            .into_iter()
            .map(|output| match output {
                Err(RunnerError::Wasm(expr)) => expr,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(said, ["30", "20", "10", "0"]);
    }
}
