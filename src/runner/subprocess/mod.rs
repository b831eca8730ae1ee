//! The native sandbox: each case runs a real CPython in a box.
//!
//! A *box* is one sandboxed interpreter process tree with its own directory (a
//! [`CaseDir`](crate::runner::case_dir::CaseDir)) and, where the machine allows them, its own
//! namespaces (a private read-only root, no network, its own PIDs, one unprivileged uid per box
//! when the grader is root); Landlock and seccomp confine it on the host file system where
//! namespaces cannot be had. Either way the program gets a cleared environment with
//! `PYTHONHASHSEED=0`, rlimits (CPU, address space, file size, open files, processes), a
//! wall-clock deadline and capped readers on stdout, stderr and the result frame (fd 3);
//! hitting a cap stops the whole box at once.
//!
//! Linux only: elsewhere `subprocess_unavailable.rs` takes this module's place (see
//! [`super::native`]).
//!
//! Where things are:
//! - this file: [`SubprocessRunner`], which picks one of three ways to run a case;
//! - `fresh.rs`: a fresh box per case, built by the box helper process;
//! - `warm/`: a warm box per submission (namespaces only), whose fork server forks each case;
//! - `direct.rs`: `KATA_ISOLATION=off`, the interpreter with rlimits only (its own session,
//!   killed as a process group): the baseline the isolation's cost is measured against;
//! - `plan.rs`, `launch.rs`, `capture.rs`, `bytecode.rs`: what those three share (the runner's
//!   settings, the interpreter's arguments and environment, the capped pipes, the compiled
//!   harness);
//! - [`isolation`]: the layers, what the machine allows, and the box helper process
//!   (`kata __box-helper`) that builds each box; it knows nothing of runners;
//! - [`selftest`]: a real case that checks from inside a box that each layer holds.

mod bytecode;
mod capture;
mod direct;
mod fresh;
pub mod isolation;
mod launch;
mod plan;
pub(crate) mod selftest;
mod warm;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use fresh::Trace;
use fresh::monotonic_ns;
use isolation::slots::SlotPool;
use isolation::spec::HostView;
use isolation::{Isolation, IsolationError, Mode, view};
use plan::Plan;
use warm::WarmPool;

use super::python::Interpreter;
use super::{RunOutput, RunRequest, Runner, RunnerError};

/// Runs cases with a real CPython.
#[derive(Debug, Clone)]
pub struct SubprocessRunner {
    plan: Arc<Plan>,
    /// Warm boxes (namespaces only): see `warm/`.
    warm: Arc<WarmPool>,
}

/// Why the subprocess sandbox could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum SandboxSetupError {
    #[error(transparent)]
    Isolation(#[from] IsolationError),
    #[error("cannot work out what the sandbox may show of the interpreter: {0}")]
    HostView(#[source] io::Error),
    #[error(transparent)]
    Slots(#[from] isolation::slots::SlotError),
    #[error(
        "the boxes run as an unprivileged uid and cannot reach the interpreter at {}, because \
         {} is not open to other users (without namespaces there is no private root to show it \
         in); point kata at a system-wide Python with --python",
        .interpreter.display(), .blocked.display()
    )]
    Unreachable {
        interpreter: PathBuf,
        blocked: PathBuf,
    },
}

impl SandboxSetupError {
    /// What the user can do about it, when it is theirs to fix (a bad `KATA_ISOLATION`); the
    /// other failures are kata's.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            SandboxSetupError::Isolation(IsolationError::BadOverride(_)) => {
                Some("unset it, or set it to auto")
            }
            _ => None,
        }
    }
}

impl SubprocessRunner {
    /// Detects what isolation this machine allows (see `kata sandbox status`) and prepares it.
    /// `hidden` are host paths a box must never see even if they lie inside the interpreter's
    /// tree (the exercises directory); the kata binary and the working directory always are.
    pub fn new(interpreter: Interpreter, hidden: &[PathBuf]) -> Result<Self, SandboxSetupError> {
        let isolation = Isolation::detect(PathBuf::from("/proc/self/exe"))?;
        Self::with_isolation(interpreter, isolation, hidden)
    }

    /// Uses `isolation` as detected elsewhere (with its helper program).
    pub fn with_isolation(
        interpreter: Interpreter,
        isolation: Isolation,
        hidden: &[PathBuf],
    ) -> Result<Self, SandboxSetupError> {
        let mut secrets: Vec<PathBuf> = hidden.to_vec();
        secrets.extend(std::env::current_exe().ok());
        secrets.extend(std::env::current_dir().ok());
        secrets.push(isolation.helper.clone());
        let view = match isolation.mode {
            Mode::Namespaces { .. } => view::for_namespaces(python_of(&interpreter), &secrets),
            Mode::HostFs => view::for_host_fs(python_of(&interpreter), &secrets),
            Mode::Off => Ok(HostView::default()),
        }
        .map_err(SandboxSetupError::HostView)?;
        let slots = if isolation.root && isolation.mode != Mode::Off {
            Some(SlotPool::new()?)
        } else {
            None
        };
        if slots.is_some() && isolation.mode == Mode::HostFs {
            for path in view.read_only.iter().chain(&view.executables) {
                if let Some(blocked) = closed_ancestor(path) {
                    return Err(SandboxSetupError::Unreachable {
                        interpreter: interpreter.path.clone(),
                        blocked,
                    });
                }
            }
        }
        Ok(SubprocessRunner {
            plan: Arc::new(Plan::new(interpreter, isolation, view, slots)),
            warm: Arc::new(WarmPool::new()),
        })
    }

    pub fn interpreter(&self) -> &Interpreter {
        &self.plan.interpreter
    }

    /// What isolation the boxes get.
    pub fn isolation(&self) -> &Isolation {
        &self.plan.isolation
    }

    /// Runs one case like [`Runner::run`], also timing each stage of the box's set-up and
    /// teardown (empty without isolation). For the overhead benchmark.
    pub async fn run_traced(&self, request: RunRequest) -> Result<(RunOutput, Trace), RunnerError> {
        match self.plan.isolation.mode {
            Mode::Off => {
                let started = monotonic_ns();
                let output = direct::run(&self.plan, &request).await?;
                let ended = monotonic_ns();
                // The interpreter's own time, to compare with a box's exec..program-ended.
                let spawned = ended.saturating_sub(output.usage.wall.as_nanos() as u64);
                let trace = [
                    ("host-start", started),
                    ("host-spawn", spawned),
                    ("program-ended", ended),
                ];
                Ok((output, trace.map(|(s, t)| (s.to_string(), t)).into()))
            }
            Mode::Namespaces { .. } | Mode::HostFs => fresh::run(&self.plan, &request, true).await,
        }
    }

    /// What of the host a box sees.
    pub fn view(&self) -> &HostView {
        &self.plan.view
    }

    /// Whether cases run in warm boxes (a fork server per submission) here: with namespaces,
    /// unless `KATA_WARM_BOXES=off` or a fork server failed to start.
    pub fn warm_boxes(&self) -> bool {
        matches!(self.plan.isolation.mode, Mode::Namespaces { .. }) && self.warm.enabled()
    }
}

/// What the view must show of `interpreter`.
fn python_of(interpreter: &Interpreter) -> view::Python<'_> {
    view::Python {
        program: &interpreter.path,
        prefixes: &interpreter.prefixes,
    }
}

/// The first directory on the way to `path` that other users cannot pass through, or `path`
/// itself if they cannot read it.
fn closed_ancestor(path: &Path) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.permissions().mode());
    if mode(path) & 0o004 == 0 {
        return Some(path.to_path_buf());
    }
    path.ancestors()
        .skip(1)
        .find(|dir| mode(dir) & 0o001 == 0)
        .map(Path::to_path_buf)
}

impl Runner for SubprocessRunner {
    fn name(&self) -> &'static str {
        "subprocess"
    }

    async fn run(&self, request: RunRequest) -> Result<RunOutput, RunnerError> {
        match self.plan.isolation.mode {
            Mode::Off => direct::run(&self.plan, &request).await,
            Mode::Namespaces { .. } if self.warm.enabled() => {
                match warm::run(&self.plan, &self.warm, &request).await {
                    Some(result) => result,
                    None => fresh::run(&self.plan, &request, false)
                        .await
                        .map(|(output, _)| output),
                }
            }
            Mode::Namespaces { .. } | Mode::HostFs => fresh::run(&self.plan, &request, false)
                .await
                .map(|(output, _)| output),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_python_view_hides_the_kata_binary_when_it_is_inside_the_prefix() {
        let interpreter = crate::runner::python::resolve(Path::new("python3")).unwrap();
        let prefix = interpreter.prefixes[0].clone();
        let inside = prefix.join("bin");
        let view = view::for_namespaces(
            python_of(&interpreter),
            &[inside.clone(), PathBuf::from("/nonexistent")],
        )
        .unwrap();
        assert_eq!(view.masks, [std::fs::canonicalize(&inside).unwrap()]);
        assert!(view.read_only.iter().any(|tree| prefix.starts_with(tree)));
        assert!(view.executables.len() == 2, "{:?}", view.executables);
    }
}
