//! Warm boxes: with namespaces, one box per submission per worker instead of one per case.
//!
//! The box is built as usual (`kata __box-helper`), but its program is the fork server
//! `sandbox/zygote.py`: it imports the harness and compiles the submission once, then runs
//! each case in a fork of itself with its own PID namespace, descriptors, rlimits, capabilities
//! dropped and a seccomp filter of its own (see the module's docstring and docs/security.md).
//! The grader talks to it on a Unix socket: one message per case, with the case's stdin,
//! stdout, stderr and frame pipe passed as SCM_RIGHTS, and one answer (the case's wait status
//! and usage). Outputs and the frame are read and judged exactly as for a cold box.
//!
//! Any doubt ends the box: a wall-clock limit, an output cap, an answer that is missing,
//! malformed or an error, the fork server gone. The next case of the submission starts a fresh
//! box. Boxes are kept by the submission's source, support, limits, `requires` and fixtures;
//! idle ones beyond a few are stopped.

mod case;
mod pool;
mod socket;
mod start;

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::Ordering;

use self::case::run_case;
pub(super) use self::pool::WarmPool;
use self::start::{Start, start};
use super::plan::Plan;
use crate::runner::{RunOutput, RunRequest, RunnerError};

/// Processes of the box's uid besides a case's own: the fork server and the case's PID 1 (the
/// case's process cap counts in the fork server's user namespace).
const SERVER_TASKS: u64 = 2;

/// Runs one case in a warm box of this submission, starting one if needed. `None`: no fork
/// server can run here (the caller uses a cold box).
pub(super) async fn run(
    plan: &Plan,
    pool: &WarmPool,
    request: &RunRequest,
) -> Option<Result<RunOutput, RunnerError>> {
    let key = key_of(request);
    let mut warm = match pool.take(key) {
        Some(warm) => warm,
        None => match start(plan, request, key).await {
            Ok(warm) => warm,
            Err(Start::Unsupported(why)) => {
                note_cold_fallback(&why);
                pool.broken.store(true, Ordering::Relaxed);
                return None;
            }
            Err(Start::Failed(error)) => return Some(Err(error)),
        },
    };
    let (result, healthy) = run_case(&mut warm, request).await;
    if healthy {
        pool.give_back(warm);
    } else {
        tokio::task::spawn_blocking(move || drop(warm));
    }
    Some(result)
}

/// Says once, on stderr with `KATA_DEBUG`, why warm boxes were given up.
fn note_cold_fallback(why: &str) {
    if std::env::var_os("KATA_DEBUG").is_some() {
        eprintln!("kata: warm boxes are off: {why}");
    }
}

/// What identifies a submission's box: anything that changes what the fork server holds or
/// what the box looks like.
fn key_of(request: &RunRequest) -> u64 {
    let mut hasher = DefaultHasher::new();
    request.program.source.hash(&mut hasher);
    request.program.display_name.hash(&mut hasher);
    request.support.modules.hash(&mut hasher);
    request.support.code.hash(&mut hasher);
    request.support.cases.hash(&mut hasher);
    format!("{:?}", request.limits).hash(&mut hasher);
    request.requires.hash(&mut hasher);
    format!("{:?}", request.fixtures).hash(&mut hasher);
    hasher.finish()
}
