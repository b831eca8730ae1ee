//! Answers written for LeetCode on the wasm sandbox: the fixtures of
//! `tests/integration/leetcode.rs` (our own, in LeetCode's style), against the real catalogue.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::check_with;

fn catalogue() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises")
}

fn check(file: &str, exercise: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/leetcode")
        .join(file);
    let source = std::fs::read_to_string(path).unwrap();
    check_with(&catalogue(), exercise, &source, "wasm").0
}

/// The names of the cases that were not accepted.
fn failed(report: &Value) -> Vec<&str> {
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|case| case["verdict"] != "accepted")
        .map(|case| case["name"].as_str().unwrap())
        .collect()
}

fn accepted_through(file: &str, exercise: &str, via: &str) {
    let report = check(file, exercise);
    assert!(failed(&report).is_empty(), "{file}: {report:#}");
    let note = format!("Graded through LeetCode's entry point `{via}`");
    assert_eq!(report["cases"][0]["message"], note.as_str(), "{report:#}");
}

#[test]
fn leetcode_style_answers_are_accepted_on_wasm() {
    accepted_through("three_sum_tuples.py", "three-sum", "Solution().threeSum");
    accepted_through(
        "is_valid_bst_old_treenode.py",
        "is-valid-bst",
        "Solution().isValidBST",
    );
    accepted_through(
        "reverse_list_old_listnode.py",
        "reverse-linked-list",
        "Solution().reverseList",
    );
    accepted_through("my_queue.py", "queue-with-two-stacks", "MyQueue");
}

#[test]
fn sys_maxsize_as_infinity_passes_on_wasm_too() {
    // The wasm CPython is 32-bit, but the snapshot's entry gives it the native `sys.maxsize`, so
    // the cases with values at and beyond 32 bits pass as they do natively.
    let report = check("is_valid_bst_maxsize.py", "is-valid-bst");
    assert!(failed(&report).is_empty(), "{report:#}");
}

#[test]
fn a_missing_entry_point_is_explained_on_wasm_too() {
    let report = check("three_sum_near_miss.py", "three-sum");
    let message = report["load_error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("kata calls `three_sum`, but the submission defines no `three_sum`")
            && message.contains("Did you mean `threeSum`?"),
        "{message}"
    );
}
