//! Integration tests of the subprocess sandbox, on the real binary with real Python: the
//! adversarial suite, `kata sandbox status`, and what happens when the grader itself dies.
//!
//! These tests run as root (as the project's CI does); the unprivileged paths are exercised by
//! running kata as other uids through `setpriv`. The subprocess sandbox exists only on Linux,
//! and so do these tests.
#![cfg(target_os = "linux")]

mod adversarial;
mod fixtures;
mod fresh;
mod host;
mod lifecycle;
mod starved;

#[path = "../shared/cpu_zero.rs"]
mod cpu_zero;
mod status;
