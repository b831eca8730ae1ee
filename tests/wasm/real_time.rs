//! Real time is bounded in the wasm sandbox (see "Limits" in docs/exercise-format.md): time
//! spent in host calls counts against the wall limit, the real-time net stops any guest at
//! `NET_FACTOR` × `wall_ms` of its own time (waiting for a CPU not counted), and the hard stop
//! at `HARD_STOP_FACTOR` × `wall_ms` of real time, so a hostile case costs the grader a bounded
//! amount of real time. Each attack runs against the tiny exercise (200 ms of CPU, 1 s of
//! wall-clock time).

use std::time::{Duration, Instant};

use kata::runner::wasm_budget::{FUEL_PER_CPU_MS, HARD_STOP_FACTOR};

use super::{check_wasm, first_case, text};

/// The tiny exercise's limits.
const CPU_MS: u64 = 200;
const WALL: Duration = Duration::from_millis(1000);

/// Slack past the hard stop for the host's checks (about every millisecond of the guest's
/// computing, and after every host call) and for one host call that cannot be interrupted,
/// on a machine as loaded as a shared CI runner.
const SLACK: Duration = Duration::from_secs(2);

/// Runs `source` against the tiny exercise, checks it is `time-limit-exceeded` and that it
/// did not run past the hard stop (the net itself depends on the load), and returns its case.
fn stopped_in_time(source: &str) -> serde_json::Value {
    let started = Instant::now();
    let (report, output) = check_wasm("tiny", source);
    let case = first_case(&report).clone();
    assert_eq!(
        text(&case["verdict"]),
        "time-limit-exceeded",
        "case: {case:#}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(1));
    let hard_stop = WALL * HARD_STOP_FACTOR;
    let ran = Duration::from_millis(case["time_ms"].as_u64().unwrap());
    assert!(
        ran <= hard_stop + SLACK,
        "ran {ran:?}, the hard stop is {hard_stop:?}: {case:#}"
    );
    // Not a speed assertion: the whole command, runtime loading included, stays well inside
    // what the old 20 × wall hard stop let one case take.
    assert!(started.elapsed() < Duration::from_secs(60));
    case
}

/// Whether the case was stopped by its CPU budget (fuel) or by the wall clock.
fn stopped_by_cpu_or_wall_clock(case: &serde_json::Value) -> bool {
    let message = text(&case["message"]);
    message.contains("CPU budget") || message.contains("wall-clock")
}

#[test]
fn time_in_host_calls_counts_against_the_wall_limit() {
    // Fuel hardly moves while the host fills the buffers: this ran 20 × its wall limit before.
    let case =
        stopped_in_time("import os\n\ndef one():\n    while True:\n        os.urandom(8 << 20)\n");
    assert!(text(&case["message"]).contains("wall-clock"), "{case:#}");
    assert!(
        case["fuel"].as_u64().unwrap() < CPU_MS * FUEL_PER_CPU_MS,
        "{case:#}"
    );
}

#[test]
fn a_catastrophic_regex_is_stopped_in_time() {
    let case = stopped_in_time(
        "import re\n\ndef one():\n    re.match(r'(a+)+$', 'a' * 40 + 'b')\n    return 1\n",
    );
    assert!(stopped_by_cpu_or_wall_clock(&case), "{case:#}");
}

#[test]
fn a_huge_power_is_stopped_in_time() {
    let case = stopped_in_time("def one():\n    return pow(3, 10**8) and 1\n");
    assert!(stopped_by_cpu_or_wall_clock(&case), "{case:#}");
}

#[test]
fn a_hundred_thousand_frame_traceback_is_stopped_in_time() {
    let case = stopped_in_time(
        "import sys\n\ndef down(n):\n    return down(n - 1) if n else 1 / 0\n\n\
         def one():\n    sys.setrecursionlimit(200_000)\n    return down(100_000)\n",
    );
    assert!(stopped_by_cpu_or_wall_clock(&case), "{case:#}");
}

#[test]
fn a_busy_loop_is_stopped_by_its_cpu_budget() {
    // The fuel budget burns well inside the net at the interpreter's speed, and a busy
    // machine does not bring the net closer: the verdict is the CPU's, as natively.
    let case = stopped_in_time("def one():\n    while True:\n        pass\n");
    assert!(text(&case["message"]).contains("CPU budget"), "{case:#}");
    assert_eq!(case["fuel"].as_u64().unwrap(), CPU_MS * FUEL_PER_CPU_MS);
}

#[test]
fn computing_after_a_long_sleep_is_stopped_at_the_wall_limit_not_its_fuel() {
    // Sleeping 0.9 s leaves 0.1 s of the wall limit, half the CPU budget at the native rate:
    // the guest is stopped between two of its slices, long before its fuel runs out.
    let case = stopped_in_time(
        "import time\n\ndef one():\n    time.sleep(0.9)\n    while True:\n        pass\n",
    );
    assert!(text(&case["message"]).contains("wall-clock"), "{case:#}");
    let fuel = case["fuel"].as_u64().unwrap();
    assert!(fuel < CPU_MS * FUEL_PER_CPU_MS * 3 / 4, "{case:#}");
}

#[test]
fn copying_and_filling_big_buffers_burns_fuel() {
    // The clocks are looked at when the guest yields, every few million fuel: code that did a
    // lot of work per instruction (WebAssembly's bulk `memory.copy` and `memory.fill` cost one
    // unit whatever their size) would yield rarely. wasi-libc's memcpy and memset here are
    // loops, so big copies burn fuel like any other computing.
    for body in [
        "x = bytes(8_000_000)\n    while True:\n        y = x + b'a'",
        "while True:\n        y = b'a' * 8_000_000",
    ] {
        let case = stopped_in_time(&format!("def one():\n    {body}\n"));
        assert!(text(&case["message"]).contains("CPU budget"), "{case:#}");
    }
}

#[test]
fn a_short_sleep_within_the_wall_limit_is_accepted() {
    // Sleeping counts by the real clock, but a case that stays inside its wall limit passes.
    let (report, output) = check_wasm(
        "tiny",
        "import time\n\ndef one():\n    time.sleep(0.05)\n    return 1\n",
    );
    let case = first_case(&report);
    assert_eq!(text(&case["verdict"]), "accepted", "{case:#}");
    assert_eq!(output.status.code(), Some(0));
}
