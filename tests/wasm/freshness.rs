//! Per-case freshness in the wasm sandbox: each case is a new instance of the snapshot, so a
//! case cannot see a file, a module attribute or memory that an earlier case of the same
//! submission left behind (`exercises/fresh.toml`).

use super::{ensure_runtime, exercises, kata, text};

/// `kata check --jobs 1` of the fresh exercise's reference, so its cases run in file order.
fn check_in_order(sandbox: &str) -> serde_json::Value {
    ensure_runtime();
    let dir = tempfile::tempdir().unwrap();
    let exercise: toml::Table =
        toml::from_str(&std::fs::read_to_string(exercises().join("fresh.toml")).unwrap()).unwrap();
    let file = dir.path().join("fresh.py");
    std::fs::write(&file, exercise["reference"].as_str().unwrap()).unwrap();
    let output = kata()
        .arg("--exercises")
        .arg(exercises())
        .args([
            "check",
            "--format",
            "json",
            "--jobs",
            "1",
            "--sandbox",
            sandbox,
        ])
        .args(["--exercise", "fresh"])
        .arg(&file)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}):\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    report
}

#[test]
fn a_case_sees_nothing_an_earlier_case_of_the_submission_left() {
    let report = check_in_order("wasm");
    let cases = report["cases"].as_array().unwrap();
    let names: Vec<&str> = cases.iter().map(|case| text(&case["name"])).collect();
    assert_eq!(
        names,
        [
            "leave traces",
            "see none",
            "leave traces again",
            "still see none"
        ]
    );
    for case in cases {
        assert_eq!(text(&case["verdict"]), "accepted", "{case:#}");
    }
}

#[test]
fn memory_a_case_kept_is_not_in_the_next_one() {
    let report = check_in_order("wasm");
    let memory = |index: usize| report["cases"][index]["memory_kb"].as_u64().unwrap();
    // The leaving case holds a 24 MB buffer; the looking case after it starts from the
    // snapshot's memory again.
    for (left, looked) in [(0, 1), (2, 3)] {
        assert!(
            memory(looked) + 20_000 < memory(left),
            "case {looked} used {} KiB after case {left} used {} KiB",
            memory(looked),
            memory(left)
        );
    }
}

#[test]
fn the_subprocess_sandbox_is_as_fresh() {
    let report = check_in_order("subprocess");
    for case in report["cases"].as_array().unwrap() {
        assert_eq!(text(&case["verdict"]), "accepted", "{case:#}");
    }
}
