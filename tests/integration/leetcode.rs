//! Answers written for LeetCode, pasted as they are (issue 15): graded through LeetCode's entry
//! points with LeetCode's implicit names, kata's own support classes whatever the submission
//! defines, a missing entry point explained once, lists and tuples only as strict as the prompt.
//!
//! The fixtures in `tests/fixtures/leetcode/` are our own, written in LeetCode's style. The same
//! fixtures run on the wasm sandbox in `tests/wasm/leetcode.rs`.

use serde_json::Value;

use crate::support::{fixtures, kata};

/// `kata check` of a fixture against a catalogue exercise, on the subprocess sandbox: the JSON
/// report and the exit status.
fn check(file: &str, exercise: &str) -> (Value, i32) {
    let output = kata()
        .args(["check", "--format", "json", "--sandbox", "subprocess"])
        .args(["--exercise", exercise])
        .arg(fixtures().join("leetcode").join(file))
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (report, output.status.code().unwrap())
}

fn cases(report: &Value) -> &Vec<Value> {
    report["cases"].as_array().unwrap()
}

fn failed(report: &Value) -> Vec<&Value> {
    cases(report)
        .iter()
        .filter(|case| case["verdict"] != "accepted")
        .collect()
}

fn message(case: &Value) -> &str {
    case["message"].as_str().unwrap_or_default()
}

/// Every case accepted, and each visible one says it went through LeetCode's entry point.
fn accepted_through(file: &str, exercise: &str, via: &str) {
    let (report, status) = check(file, exercise);
    assert!(failed(&report).is_empty(), "{file}: {report:#}");
    assert_eq!(status, 0);
    let note = format!("Graded through LeetCode's entry point `{via}`");
    for case in cases(&report).iter().filter(|case| case["hidden"] != true) {
        assert_eq!(message(case), note, "{file}: {case:#}");
    }
}

#[test]
fn a_solution_class_with_implicit_typing_names_and_tuple_triplets_is_accepted() {
    accepted_through("three_sum_tuples.py", "three-sum", "Solution().threeSum");
}

#[test]
fn an_old_style_tree_node_of_the_learners_does_not_break_kata_s_helpers() {
    accepted_through(
        "is_valid_bst_old_treenode.py",
        "is-valid-bst",
        "Solution().isValidBST",
    );
}

#[test]
fn sys_maxsize_as_infinity_is_accepted_natively() {
    accepted_through(
        "is_valid_bst_maxsize.py",
        "is-valid-bst",
        "Solution().isValidBST",
    );
}

#[test]
fn an_old_style_list_node_of_the_learners_does_not_break_kata_s_helpers() {
    accepted_through(
        "reverse_list_old_listnode.py",
        "reverse-linked-list",
        "Solution().reverseList",
    );
}

#[test]
fn a_design_class_under_leetcode_s_name_is_graded_with_leetcode_s_method_names() {
    accepted_through("my_queue.py", "queue-with-two-stacks", "MyQueue");
}

#[test]
fn a_failure_with_a_class_of_the_learners_own_says_kata_used_its_own() {
    let (report, status) = check(
        "reverse_list_builds_its_own_nodes.py",
        "reverse-linked-list",
    );
    assert_eq!(status, 1);
    let failures = failed(&report);
    assert!(!failures.is_empty(), "{report:#}");
    for case in failures.iter().filter(|case| case["hidden"] != true) {
        let message = message(case);
        assert!(
            message.contains("the submission defines its own `ListNode`: kata builds the case's inputs with kata's version"),
            "{message}"
        );
    }
    // Where it passes, the class of its own is not worth a word.
    let passed = cases(&report)
        .iter()
        .find(|case| case["verdict"] == "accepted" && case["hidden"] != true)
        .expect("copying the values still gives the right values");
    assert!(!message(passed).contains("ListNode"), "{passed:#}");
}

#[test]
fn a_missing_entry_point_is_explained_once_with_a_suggestion() {
    let (report, status) = check("three_sum_near_miss.py", "three-sum");
    assert_eq!(status, 1);
    let cases = cases(&report);
    assert!(
        cases.iter().all(|case| case["verdict"] == "runtime-error"),
        "{report:#}"
    );
    let expected = "kata calls `three_sum`, but the submission defines no `three_sum` at the top \
                    level of the file. Did you mean `threeSum`? Define `three_sum` at the top \
                    level, with the name and parameters the prompt gives. LeetCode's `class \
                    Solution` with a method `threeSum` works too.";
    // Said once, as the submission's load error, and not as a NameError per case.
    assert_eq!(report["load_error"]["message"], expected, "{report:#}");
    let text = report.to_string();
    assert_eq!(
        text.matches("Did you mean `threeSum`?").count(),
        1,
        "{report:#}"
    );
    assert!(
        !report["cases"].to_string().contains("NameError")
            && !report["load_error"]["message"]
                .to_string()
                .contains("NameError"),
        "no NameError per case or in the explanation: {report:#}"
    );
}

#[test]
fn a_list_where_the_prompt_asks_for_a_tuple_is_told_exactly_that() {
    let (report, _) = check("search_matrix_list.py", "search-sorted-matrix");
    let failures = failed(&report);
    assert_eq!(
        failures.len(),
        cases(&report).len(),
        "every case expects a tuple: {report:#}"
    );
    let visible = failures.iter().find(|case| case["hidden"] != true).unwrap();
    let note = visible["note"].as_str().unwrap();
    assert!(
        note.starts_with("types differ: expected a tuple (1, 2), got a list [1, 2]; only the container type differs"),
        "{note}"
    );
}

#[test]
fn leetcode_s_implicit_names_are_only_for_leetcode_exercises() {
    // invert-dict is not a LeetCode problem: a missing import is the learner's NameError, in
    // their own code, and not mistaken for a missing entry point.
    let (report, _) = check("invert_dict_without_import.py", "invert-dict");
    let case = &cases(&report)[0];
    assert_eq!(case["verdict"], "runtime-error");
    assert_eq!(
        message(case),
        "NameError: name 'defaultdict' is not defined",
        "{case:#}"
    );
    assert!(
        case["traceback"]
            .as_str()
            .unwrap()
            .contains("inverted = defaultdict(list)"),
        "{case:#}"
    );
}

#[test]
fn a_solution_class_on_an_exercise_that_is_not_from_leetcode_is_named_not_called() {
    let (report, _) = check("invert_dict_solution_class.py", "invert-dict");
    let case = &cases(&report)[0];
    assert_eq!(case["verdict"], "runtime-error");
    assert_eq!(
        report["load_error"]["message"],
        "kata calls `invert_dict`, but the submission defines no `invert_dict` at the top level \
         of the file. It defines a LeetCode-style `class Solution` (invertDict); this exercise \
         is not a LeetCode problem, so kata does not call it. Did you mean \
         `Solution.invertDict`? Define `invert_dict` at the top level, with the name and \
         parameters the prompt gives.",
    );
}
