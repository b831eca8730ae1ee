//! Every verdict on the wasm sandbox, and submissions that try to get out of it: each is
//! rejected with a verdict and a clear message, and none makes kata itself fail.

use super::{check_wasm, exercises, first_case, kata, text};

/// Checks `source` against the tiny exercise and returns its one case, after making sure kata
/// judged it (exit status 1 for a rejected case, never 3).
fn judge(source: &str, verdict: &str) -> serde_json::Value {
    let (report, output) = check_wasm("tiny", source);
    let case = first_case(&report).clone();
    assert_eq!(
        text(&case["verdict"]),
        verdict,
        "case: {case:#}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected_status = if verdict == "accepted" { 0 } else { 1 };
    assert_eq!(output.status.code(), Some(expected_status));
    assert_eq!(text(&report["sandbox"]), "wasm");
    case
}

fn message(case: &serde_json::Value) -> &str {
    text(&case["message"])
}

#[test]
fn a_correct_solution_is_accepted_and_reports_its_fuel() {
    let case = judge("def one():\n    return 1\n", "accepted");
    assert!(case["fuel"].as_u64().unwrap() > 0);
    assert!(case["memory_kb"].as_u64().unwrap() > 0);
}

#[test]
fn an_infinite_loop_runs_out_of_fuel() {
    let case = judge(
        "def one():\n    while True:\n        pass\n",
        "time-limit-exceeded",
    );
    assert!(message(&case).contains("CPU budget"), "{case:#}");
    // The budget of 200 ms of CPU, and not a fuel unit more.
    assert_eq!(
        case["fuel"].as_u64(),
        Some(200 * kata::runner::wasm_budget::FUEL_PER_CPU_MS)
    );
}

#[test]
fn printing_forever_exceeds_the_output_limit() {
    let case = judge(
        "def one():\n    while True:\n        print('x' * 1000)\n",
        "output-limit-exceeded",
    );
    assert!(message(&case).contains("64 KiB"), "{case:#}");
}

#[test]
fn writing_past_the_harness_to_the_real_stdout_and_ignoring_errors_is_stopped_at_once() {
    // The harness captures sys.stdout; this writes to the descriptor that carries the result
    // frame, and keeps going when the sandbox refuses more.
    let case = judge(
        "import os\n\ndef one():\n    while True:\n        try:\n            os.write(1, b'x' * 4096)\n        except OSError:\n            pass\n",
        "output-limit-exceeded",
    );
    assert!(
        message(&case).contains("more than kata will read"),
        "{case:#}"
    );
}

#[test]
fn flooding_the_real_stderr_exceeds_the_output_limit() {
    let case = judge(
        "import os\n\ndef one():\n    os.write(2, b'e' * 10**6)\n    return 1\n",
        "output-limit-exceeded",
    );
    assert!(message(&case).contains("stderr"), "{case:#}");
}

#[test]
fn a_memory_hog_exceeds_the_memory_limit() {
    let case = judge(
        "def one():\n    hoard = []\n    while True:\n        hoard.append('x' * 10**6)\n",
        "memory-limit-exceeded",
    );
    assert!(message(&case).contains("64 MiB"), "{case:#}");
}

#[test]
fn one_allocation_over_the_limit_is_a_memory_limit_too() {
    judge(
        "def one():\n    return len(bytearray(200 * 2**20))\n",
        "memory-limit-exceeded",
    );
}

#[test]
fn deep_recursion_through_builtins_reaches_the_native_depth_then_is_a_recursion_error() {
    // Each level goes through max() and a generator, in C, on the interpreter's C stack: 400
    // levels fit (as natively), and deeper ones are a clean RecursionError, not a crash.
    let depth = "import sys\nsys.setrecursionlimit(100_000)\n\n\
         def depth(n):\n    return 1 + max(depth(k) for k in [n - 1]) if n else 0\n\n";
    judge(
        &format!("{depth}def one():\n    return 1 if depth(400) == 400 else 0\n"),
        "accepted",
    );
    let case = judge(
        &format!("{depth}def one():\n    return depth(3000)\n"),
        "runtime-error",
    );
    assert!(message(&case).starts_with("RecursionError"), "{case:#}");
}

#[test]
fn deep_python_recursion_is_a_recursion_error() {
    let case = judge(
        "def down(n):\n    return down(n + 1)\n\ndef one():\n    return down(0)\n",
        "runtime-error",
    );
    assert!(message(&case).starts_with("RecursionError"), "{case:#}");
}

#[test]
fn host_files_do_not_exist_in_the_sandbox() {
    let case = judge(
        "def one():\n    return open('/etc/passwd').read()\n",
        "runtime-error",
    );
    assert!(message(&case).contains("No such file"), "{case:#}");
}

#[test]
fn the_exercise_file_is_out_of_reach() {
    let path = exercises().join("tiny.toml");
    assert!(path.is_file());
    let case = judge(
        &format!(
            "def one():\n    return open({:?}).read()\n",
            path.display().to_string()
        ),
        "runtime-error",
    );
    assert!(message(&case).contains("No such file"), "{case:#}");
}

#[test]
fn the_file_system_root_shows_nothing_of_the_host() {
    let case = judge(
        "import os\n\ndef one():\n    return os.listdir('/')\n",
        "runtime-error",
    );
    assert!(message(&case).contains("No such file"), "{case:#}");
}

#[test]
fn sockets_are_not_supported() {
    let case = judge(
        "import socket\n\ndef one():\n    connection = socket.socket()\n    connection.connect(('127.0.0.1', 22))\n    return 1\n",
        "runtime-error",
    );
    assert!(message(&case).contains("Not supported"), "{case:#}");
}

#[test]
fn threads_and_processes_cannot_start() {
    let case = judge(
        "import threading\n\ndef one():\n    threading.Thread(target=print).start()\n    return 1\n",
        "runtime-error",
    );
    assert!(
        message(&case).contains("can't start new thread"),
        "{case:#}"
    );
    let case = judge(
        "import subprocess\n\ndef one():\n    return subprocess.run(['true']).returncode\n",
        "runtime-error",
    );
    assert!(
        message(&case).contains("does not support processes"),
        "{case:#}"
    );
}

#[test]
fn a_long_sleep_ends_at_the_wall_clock_limit() {
    let started = std::time::Instant::now();
    let case = judge(
        "import time\n\ndef one():\n    time.sleep(3600)\n    return 1\n",
        "time-limit-exceeded",
    );
    assert!(message(&case).contains("wall-clock"), "{case:#}");
    // Not a timing assertion: an hour-long sleep that was not cut short would hang the test.
    assert!(started.elapsed().as_secs() < 600);
}

#[test]
fn a_forged_frame_is_not_trusted() {
    let case = judge(
        "import os\n\ndef one():\n    os.write(1, b'KATA-FRAME 1 2\\n{}')\n    return 2\n",
        "runtime-error",
    );
    assert!(message(&case).contains("tampered"), "{case:#}");
}

#[test]
fn exiting_early_is_a_runtime_error() {
    let case = judge(
        "import os\n\ndef one():\n    os._exit(0)\n",
        "runtime-error",
    );
    assert!(
        message(&case).contains("before the case finished"),
        "{case:#}"
    );
}

#[test]
fn a_wrong_answer_is_still_a_wrong_answer() {
    let case = judge("def one():\n    return 2\n", "wrong-answer");
    assert_eq!(text(&case["expected"]), "1");
    assert_eq!(text(&case["actual"]), "2");
}

#[test]
fn a_syntax_error_is_reported_with_its_line() {
    judge("def one(:\n    return 1\n", "syntax-error");
    // Reported once, as the submission's: with its place, not repeated per case.
    let (report, _) = check_wasm("tiny", "def one(:\n    return 1\n");
    let load = &report["load_error"];
    assert_eq!(load["kind"], "syntax-error", "{report:#}");
    assert_eq!(load["line"], 1, "{report:#}");
}

#[test]
fn random_numbers_repeat_from_run_to_run() {
    let source =
        "import os, random\n\ndef one():\n    return (random.random(), os.urandom(8).hex())\n";
    let (first, _) = check_wasm("tiny", source);
    let (second, _) = check_wasm("tiny", source);
    assert_eq!(text(&first_case(&first)["verdict"]), "wrong-answer");
    assert_eq!(first_case(&first)["actual"], first_case(&second)["actual"]);
}

#[test]
fn fixtures_are_readable_and_the_working_directory_writable() {
    let reference = "def total(path):\n    with open(path) as handle:\n        result = sum(int(line) for line in handle if line.strip())\n    with open('total.txt', 'w') as handle:\n        handle.write(str(result))\n    with open('total.txt') as handle:\n        return int(handle.read())\n";
    let (report, output) = check_wasm("files", reference);
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    assert_eq!(text(&report["verdict"]), "accepted");
}

#[test]
fn stdin_programs_run_and_hidden_cases_stay_hidden() {
    let (report, output) = check_wasm("echo", "print(int(input()) + int(input()))\n");
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    let (report, _) = check_wasm("echo", "print(int(input()) * int(input()))\n");
    let hidden = &report["cases"][1];
    assert_eq!(text(&hidden["verdict"]), "wrong-answer");
    assert!(hidden.get("actual").is_none() && hidden.get("input").is_none());
}

#[test]
fn an_exercise_that_needs_threads_is_refused_with_what_to_do() {
    super::ensure_runtime();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("solution.py");
    std::fs::write(
        &file,
        "def run_in_thread(function):\n    return function()\n",
    )
    .unwrap();
    let output = kata()
        .arg("--exercises")
        .arg(exercises())
        .args(["check", "--sandbox", "wasm", "--exercise", "needs-threads"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("needs threads"), "{stderr}");
    assert!(stderr.contains("--sandbox subprocess"), "{stderr}");
}

#[test]
fn the_same_submission_uses_the_same_fuel_every_run() {
    let manifest: toml::Table = toml::from_str(include_str!("../../exercises/lru-cache.toml"))
        .expect("the LRU exercise parses");
    let source = manifest["reference"].as_str().unwrap().to_string();
    let catalogue = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises");
    let fuel: Vec<Vec<Option<u64>>> = (0..3)
        .map(|_| {
            let (report, output) = super::check_with(&catalogue, "lru-cache", &source, "wasm");
            assert_eq!(output.status.code(), Some(0), "{report:#}");
            report["cases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|case| match case["hidden"].as_bool() {
                    // A hidden case's fuel is the submission's to choose, so it is never shown.
                    Some(true) => {
                        assert!(case.get("fuel").is_none(), "{case:#}");
                        None
                    }
                    _ => Some(case["fuel"].as_u64().unwrap()),
                })
                .collect()
        })
        .collect();
    assert_eq!(fuel[0].len(), 9);
    assert_eq!(fuel[0].iter().filter(|fuel| fuel.is_some()).count(), 7);
    assert_eq!(fuel[0], fuel[1]);
    assert_eq!(fuel[1], fuel[2]);
}

#[test]
fn the_human_report_shows_fuel_and_the_sandbox() {
    super::ensure_runtime();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("one.py");
    std::fs::write(&file, "def one():\n    return 1\n").unwrap();
    let output = kata()
        .arg("--exercises")
        .arg(exercises())
        .args(["check", "--sandbox", "wasm", "--exercise", "tiny"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stdout = regex_free_filter(&stdout);
    insta::assert_snapshot!(stdout, @r"
    tiny · Tiny · [FILE] · wasm sandbox
      ✓ one  [TIME] · [FUEL]

    1 passed, 0 failed
    ");
}

/// Replaces the temporary file name, the time and the fuel figure, which change between
/// machines (time) or with every change to the harness (fuel).
fn regex_free_filter(text: &str) -> String {
    text.lines()
        .map(|line| {
            let mut line = line.to_string();
            if let Some(start) = line.find("· /") {
                let end = line[start..].find(" · ").map_or(line.len(), |e| start + e);
                line.replace_range(start + "· ".len()..end, "[FILE]");
            }
            if let (Some(ms), Some(fuel)) = (line.find(" ms · "), line.find(" fuel")) {
                let time_start = line[..ms].rfind(' ').unwrap() + 1;
                line = format!(
                    "{}[TIME] · [FUEL]{}",
                    &line[..time_start],
                    &line[fuel + " fuel".len()..]
                );
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}
