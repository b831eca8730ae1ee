//! A busy machine cannot turn a wasm case's real-time net into a time verdict (issue 13 item
//! 4): fuel decides on CPU, and the net counts only the time the case's thread was on a CPU
//! or asleep, not the time it waited for one.
//!
//! The load is made real and the same on every machine, as in tests/sandbox/starved.rs: kata
//! and two busy-looping hogs are pinned to one CPU, so the case gets about a third of it. A
//! solution that burns 60 % of its fuel then needs about three times its idle real time, past
//! the net (2 × `wall_ms`), and must still be accepted.

use std::process::Command;

use kata::runner::wasm_budget::FUEL_PER_CPU_MS;

use super::{ensure_runtime, exercises, first_case, text};
use crate::cpu_zero::{Hogs, on_cpu_zero};

const CPU_MS: u64 = 500;

/// About 60 % of the starved exercise's fuel (checked below: the fuel is exact).
const STEADY: &str = "def work():\n    t = 0\n    for i in range(4_500_000):\n        \
                      t += i * i % 7\n    return 'done'\n";

const SLEEPER: &str = "import time\n\ndef work():\n    time.sleep(30)\n    return 'done'\n";

#[test]
fn a_starved_wasm_case_is_judged_by_its_fuel() {
    ensure_runtime();
    let _hogs = Hogs::start(2);

    let case = check_on_cpu_zero(STEADY);
    let fuel = case["fuel"].as_u64().unwrap();
    let budget = CPU_MS * FUEL_PER_CPU_MS;
    assert!(
        fuel > budget * 55 / 100 && fuel < budget * 65 / 100,
        "the steady solution should burn about 60 % of its fuel: {case:#}"
    );
    assert_eq!(text(&case["verdict"]), "accepted", "{case:#}");

    let case = check_on_cpu_zero(SLEEPER);
    assert_eq!(text(&case["verdict"]), "time-limit-exceeded", "{case:#}");
    assert!(text(&case["message"]).contains("wall-clock"), "{case:#}");
}

/// `kata check --sandbox wasm` of `source` against the starved exercise, on CPU 0.
fn check_on_cpu_zero(source: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("solution.py");
    std::fs::write(&file, source).unwrap();
    let mut command = Command::new(assert_cmd::cargo::cargo_bin!("kata"));
    for name in [
        "KATA_EXERCISES",
        "KATA_PYTHON",
        "KATA_PYTHON_WASM",
        "KATA_CACHE_DIR",
    ] {
        command.env_remove(name);
    }
    command
        .env("NO_COLOR", "1")
        .arg("--color=never")
        .arg("--exercises")
        .arg(exercises())
        .args(["check", "--format", "json", "--sandbox", "wasm"])
        .args(["--exercise", "starved"])
        .arg(&file);
    on_cpu_zero(&mut command);
    let output = command.output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}); stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    first_case(&report).clone()
}
