//! Running one case of one submission in a sandbox.
//!
//! A [`Runner`] takes a [`RunRequest`] (the case's input, the candidate's code and the limits:
//! never the expected result) and returns a [`RunOutput`]: the harness's frame, how the process
//! ended, which limit stopped it and what it used. Runners report; they never judge. The
//! verdict is decided in `grade::judge`.

pub mod assets;
mod box_dir;
pub mod boxed;
mod capture;
mod cleanup;
pub mod protocol;
pub mod python;
pub mod subprocess;

use std::sync::Arc;
use std::time::Duration;

use crate::exercise::{Capability, CaseInput, Fixture, Limits, Support};

pub use protocol::{Frame, FrameError, Outcome, Phase};
pub use subprocess::SubprocessRunner;

/// The code under test: one file.
#[derive(Debug, Clone)]
pub struct Program {
    pub source: Arc<str>,
    /// The file name tracebacks show, e.g. `lru_cache.py`.
    pub display_name: String,
}

/// Everything a runner needs for one case, and nothing it must not see.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub program: Program,
    pub support: Arc<Support>,
    pub input: CaseInput,
    pub limits: Limits,
    /// Files the working directory starts with.
    pub fixtures: Vec<Fixture>,
    /// What the exercise needs from the sandbox beyond computation (its `requires`).
    pub requires: Vec<Capability>,
}

/// What came back from one run.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// The harness's report, or why there is none to use.
    pub frame: Result<Frame, FrameError>,
    pub exit: ExitStatus,
    /// The limit that ended the run, if one did.
    pub limit: Option<LimitHit>,
    /// Whatever reached the process's real stderr (the harness captures the candidate's
    /// `sys.stderr`; this is what bypassed it, e.g. the interpreter's own fatal errors).
    pub raw_stderr: String,
    pub usage: Usage,
}

/// How the process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Code(i32),
    Signal(i32),
}

/// Which limit stopped a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitHit {
    Wall,
    Cpu,
    /// Deterministic CPU budget of the wasm sandbox.
    Fuel,
    Memory,
    Output(Stream),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
    Frame,
}

impl Stream {
    pub fn as_str(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
            Stream::Frame => "result",
        }
    }
}

/// Resources a run used, as far as the backend can tell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub wall: Duration,
    pub cpu: Option<Duration>,
    pub peak_memory_kb: Option<u64>,
    /// Instructions-like units burnt by the wasm sandbox: the same on every run.
    pub fuel: Option<u64>,
}

/// The grader could not run a case (the submission is not to blame).
#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    #[error("could not prepare the sandbox directory: {0}")]
    Prepare(#[source] std::io::Error),
    #[error("could not start `{program}`: {source}")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("lost track of the sandboxed process: {0}")]
    Wait(#[source] std::io::Error),
    /// The sandbox's isolation could not be set up or did not hold.
    #[error("the sandbox failed: {0}")]
    Sandbox(String),
}

/// A sandbox backend.
pub trait Runner: Send + Sync {
    /// The name reports use: `subprocess` or `wasm`.
    fn name(&self) -> &'static str;

    /// Runs one case in a fresh sandbox.
    fn run(
        &self,
        request: RunRequest,
    ) -> impl std::future::Future<Output = Result<RunOutput, RunnerError>> + Send;
}

/// The backend chosen on the command line.
#[derive(Debug, Clone)]
pub enum Backend {
    Subprocess(SubprocessRunner),
}

impl Backend {
    /// The isolation of a subprocess sandbox (`None` for sandboxes that need none).
    pub fn isolation(&self) -> Option<&crate::isolation::Isolation> {
        match self {
            Backend::Subprocess(runner) => Some(runner.isolation()),
        }
    }
}

impl Runner for Backend {
    fn name(&self) -> &'static str {
        match self {
            Backend::Subprocess(runner) => runner.name(),
        }
    }

    async fn run(&self, request: RunRequest) -> Result<RunOutput, RunnerError> {
        match self {
            Backend::Subprocess(runner) => runner.run(request).await,
        }
    }
}
