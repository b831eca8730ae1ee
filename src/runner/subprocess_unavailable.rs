//! `runner::subprocess` off Linux, where kata has no native sandbox (see `runner::native`).
//!
//! The same names as the real module, so the backends and commands above compile unchanged,
//! but a [`SubprocessRunner`] has no values: making one fails with
//! [`NativeSandboxUnavailable`], and every method on it is unreachable.

use std::path::PathBuf;

use super::native::NativeSandboxUnavailable;
use super::python::Interpreter;
use super::{RunOutput, RunRequest, Runner, RunnerError};

/// The native sandbox's runner, which cannot exist on this system.
#[derive(Debug, Clone)]
pub enum SubprocessRunner {}

/// Why the native sandbox could not be prepared: here, always because there is none.
#[derive(Debug, thiserror::Error)]
pub enum SandboxSetupError {
    #[error(transparent)]
    Unavailable(#[from] NativeSandboxUnavailable),
}

impl SandboxSetupError {
    /// What the user can do about it.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            SandboxSetupError::Unavailable(error) => Some(error.help()),
        }
    }
}

impl SubprocessRunner {
    pub fn new(_interpreter: Interpreter, _hidden: &[PathBuf]) -> Result<Self, SandboxSetupError> {
        Err(NativeSandboxUnavailable.into())
    }

    pub fn interpreter(&self) -> &Interpreter {
        match *self {}
    }
}

impl Runner for SubprocessRunner {
    fn name(&self) -> &'static str {
        match *self {}
    }

    async fn run(&self, _request: RunRequest) -> Result<RunOutput, RunnerError> {
        match *self {}
    }
}
