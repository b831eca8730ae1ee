//! Running one case of one submission in a sandbox.
//!
//! A [`Runner`] takes a [`RunRequest`] (the case's input, the candidate's code and the limits:
//! never the expected result) and returns a [`RunOutput`]: the harness's frame, how the process
//! ended, which limit stopped it and what it used. Runners report; they never judge. The
//! verdict is decided in `grade::judge`.

mod case_dir;
mod cleanup;
pub(crate) mod native;
pub mod protocol;
pub mod python;
#[cfg_attr(not(target_os = "linux"), path = "subprocess_unavailable.rs")]
pub mod subprocess;
pub mod wasm;
pub mod wasm_budget;

use std::sync::Arc;
use std::time::Duration;

use crate::exercise::{Capability, CaseInput, Fixture, Limits, Support};

pub use protocol::{Finished, Frame, FrameError, HarnessOutcome, Phase};
pub use subprocess::SubprocessRunner;
pub use wasm::WasmRunner;

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
    pub exit: ProcessEnd,
    /// The limit that ended the run, if one did.
    pub limit: Option<LimitHit>,
    /// Whatever reached the process's real stderr (the harness captures the candidate's
    /// `sys.stderr`; this is what bypassed it, e.g. the interpreter's own fatal errors).
    pub raw_stderr: String,
    pub usage: Usage,
}

/// How the process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessEnd {
    Code(i32),
    Signal(i32),
    /// The wasm guest was stopped by a trap that no limit explains.
    Trap(GuestTrap),
}

/// Why a wasm guest trapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestTrap {
    /// The interpreter ran out of C stack: recursion through built-ins went too deep.
    StackOverflow,
    /// Anything else: the interpreter aborted or hit a trap of its own.
    Crash,
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
    /// Files written in the case's working directory (the wasm sandbox has no tmpfs to fill).
    Files,
}

impl Stream {
    pub fn as_str(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
            Stream::Frame => "result",
            Stream::Files => "files",
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
    #[error("the wasm sandbox failed: {0}")]
    Wasm(String),
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
    Wasm(WasmRunner),
    /// The wasm sandbox, and the subprocess one for exercises that need what WASI cannot give
    /// (`kata grade`'s default: a class may mix both kinds of exercise).
    WasmOrSubprocess(WasmRunner, SubprocessRunner),
}

impl Backend {
    /// What this backend cannot give an exercise, of what it `requires`.
    pub fn missing(&self, requires: &[Capability]) -> Vec<Capability> {
        match self {
            Backend::Subprocess(_) | Backend::WasmOrSubprocess(..) => Vec::new(),
            Backend::Wasm(_) => requires
                .iter()
                .copied()
                .filter(|needed| !wasm::supports(*needed))
                .collect(),
        }
    }

    /// The sandbox an exercise with these `requires` runs in.
    pub fn sandbox_for(&self, requires: &[Capability]) -> &'static str {
        match self {
            Backend::WasmOrSubprocess(wasm, native) => {
                if wasm::supports_all(requires) {
                    wasm.name()
                } else {
                    native.name()
                }
            }
            other => other.name(),
        }
    }

    /// The isolation of the subprocess sandbox, when this backend uses one.
    #[cfg(target_os = "linux")]
    pub fn isolation(&self) -> Option<&subprocess::isolation::Isolation> {
        match self {
            Backend::Subprocess(runner) | Backend::WasmOrSubprocess(_, runner) => {
                Some(runner.isolation())
            }
            Backend::Wasm(_) => None,
        }
    }
}

impl Runner for Backend {
    fn name(&self) -> &'static str {
        match self {
            Backend::Subprocess(runner) => runner.name(),
            Backend::Wasm(runner) | Backend::WasmOrSubprocess(runner, _) => runner.name(),
        }
    }

    async fn run(&self, request: RunRequest) -> Result<RunOutput, RunnerError> {
        match self {
            Backend::Subprocess(runner) => runner.run(request).await,
            Backend::Wasm(runner) => runner.run(request).await,
            Backend::WasmOrSubprocess(wasm, native) => {
                if wasm::supports_all(&request.requires) {
                    wasm.run(request).await
                } else {
                    native.run(request).await
                }
            }
        }
    }
}
