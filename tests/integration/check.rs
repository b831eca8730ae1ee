//! `kata check`: one submission per verdict, on real Python, through the binary.

use crate::support::{HIDDEN_TOKEN, check, processes_with};

fn all_verdicts_are(file: &str, verdict: &str) -> crate::support::Checked {
    let checked = check(file, "json");
    let verdicts = checked.verdicts();
    assert_eq!(verdicts.len(), 3, "{file}: {verdicts:?}");
    for (name, got) in &verdicts {
        assert_eq!(got, verdict, "{file}: case `{name}`\n{}", checked.stdout);
    }
    assert_eq!(checked.status, 1, "{file}: a failing submission exits 1");
    assert_eq!(checked.json()["status"], "fail");
    checked
}

#[test]
fn a_correct_solution_is_accepted_and_exits_0() {
    let checked = check("echo_correct.py", "json");
    assert_eq!(checked.status, 0, "{}", checked.stderr);
    let json = checked.json();
    assert_eq!(json["status"], "pass");
    assert_eq!(json["verdict"], "accepted");
    assert_eq!(json["points"], 3);
    assert_eq!(json["max_points"], 3);
    assert!(checked.verdicts().iter().all(|(_, v)| v == "accepted"));
}

#[test]
fn a_wrong_answer_shows_expected_actual_and_a_diff() {
    let checked = check("echo_wrong_answer.py", "json");
    assert_eq!(checked.status, 1);
    let case = checked.case("a list of mixed values");
    assert_eq!(case["verdict"], "wrong-answer");
    assert_eq!(case["expected"], "[1, 'two', None, (3.5,)]");
    assert_eq!(case["actual"], "[(3.5,), None, 'two', 1]");
    assert_eq!(case["comparator"], "exact");
    assert_eq!(
        case["diff"],
        "- [1, 'two', None, (3.5,)]\n+ [(3.5,), None, 'two', 1]\n"
    );
    assert_eq!(checked.case("a number")["verdict"], "accepted");
}

#[test]
fn a_runtime_error_shows_the_candidates_own_traceback() {
    let checked = check("echo_runtime_error.py", "json");
    let case = checked.case("a number");
    assert_eq!(case["verdict"], "runtime-error");
    assert_eq!(case["message"], "KeyError: 1");
    let traceback = case["traceback"].as_str().unwrap();
    assert!(
        traceback.contains("File \"echo_runtime_error.py\", line 3, in echo"),
        "{traceback}"
    );
    assert!(traceback.contains("line 7, in helper"), "{traceback}");
    assert!(
        !traceback.contains("harness"),
        "harness frames are trimmed: {traceback}"
    );
}

#[test]
fn a_syntax_error_says_where() {
    let checked = all_verdicts_are("echo_syntax_error.py", "syntax-error");
    // Once, for the submission: no case repeats it.
    let error = &checked.json()["load_error"];
    assert_eq!(error["kind"], "syntax-error", "{error}");
    assert_eq!(
        (error["line"].as_u64(), error["column"].as_u64()),
        (Some(2), Some(16))
    );
    assert!(
        error["traceback"]
            .as_str()
            .unwrap()
            .contains("def echo(value)"),
        "{error}"
    );
    let case = checked.case("a number");
    assert_eq!(case["not_run"], "not-loaded", "{case}");
    assert!(case.get("traceback").is_none(), "{case}");
}

#[test]
fn an_infinite_loop_is_stopped_within_twice_the_limit() {
    let checked = all_verdicts_are("echo_infinite_loop.py", "time-limit-exceeded");
    let json = checked.json();
    let visible = json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|case| case["hidden"] == false);
    for case in visible {
        // The exercise's wall limit is 2 s; this is a bound on hanging, not a speed target.
        let time_ms = case["time_ms"].as_u64().unwrap();
        assert!(time_ms <= 2 * 2000 + 1000, "stopped after {time_ms} ms");
    }
}

#[test]
fn a_sleeping_submission_hits_the_wall_clock_limit() {
    let checked = all_verdicts_are("echo_sleeps.py", "time-limit-exceeded");
    let message = checked.case("a number")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("wall-clock"), "{message}");
}

#[test]
fn a_memory_hog_exceeds_the_memory_limit() {
    let checked = all_verdicts_are("echo_memory_hog.py", "memory-limit-exceeded");
    assert!(
        checked.case("a number")["message"]
            .as_str()
            .unwrap()
            .contains("128 MiB")
    );
}

#[test]
fn an_output_flood_exceeds_the_output_limit() {
    all_verdicts_are("echo_output_flood.py", "output-limit-exceeded");
}

#[test]
fn a_flood_around_the_harness_is_capped_by_the_host() {
    all_verdicts_are("echo_raw_output_flood.py", "output-limit-exceeded");
}

#[test]
fn sys_exit_at_import_is_a_runtime_error() {
    let checked = all_verdicts_are("echo_exit_at_import.py", "runtime-error");
    // The submission's own error, said once: the module never loaded.
    let error = &checked.json()["load_error"];
    assert_eq!(error["kind"], "import-error", "{error}");
    assert_eq!(error["type"], "SystemExit", "{error}");
    assert_eq!(checked.case("a number")["not_run"], "not-loaded");
}

#[test]
fn os_exit_in_the_middle_of_a_case_is_a_runtime_error() {
    let checked = all_verdicts_are("echo_os_exit.py", "runtime-error");
    let message = checked.case("a number")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("before the case finished"), "{message}");
}

#[test]
fn an_object_that_equals_everything_is_not_a_value() {
    let checked = all_verdicts_are("echo_always_equal.py", "wrong-answer");
    let message = checked.case("a number")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("`Anything`") && message.contains("cannot compare"),
        "{message}"
    );
}

#[test]
fn printing_a_pass_does_not_pass() {
    let checked = all_verdicts_are("echo_prints_a_pass.py", "wrong-answer");
    let case = checked.case("a number");
    assert_eq!(case["actual"], "None");
    assert!(
        case["stdout"]
            .as_str()
            .unwrap()
            .contains("3 passed, 0 failed")
    );
}

#[test]
fn a_second_frame_on_the_result_channel_fails_closed() {
    let checked = all_verdicts_are("echo_forges_a_frame.py", "runtime-error");
    let message = checked.case("a number")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("tampered"), "{message}");
}

#[test]
fn a_frame_that_claims_a_verdict_fails_closed() {
    let checked = all_verdicts_are("echo_claims_a_verdict.py", "runtime-error");
    let message = checked.case("a number")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("tampered"), "{message}");
}

#[test]
fn a_process_the_exercise_did_not_ask_for_is_refused_and_nothing_outlives_the_case() {
    // `echo` does not declare `requires = ["subprocess"]`, so the box refuses the spawn; the
    // process-group clean-up for exercises that may spawn is covered by tests/sandbox.
    let checked = check("echo_leaves_a_child.py", "json");
    assert_eq!(checked.status, 1, "{}", checked.stdout);
    let case = checked.case("a number");
    assert_eq!(case["verdict"], "runtime-error", "{case}");
    assert!(
        case["message"]
            .as_str()
            .unwrap_or_default()
            .contains("not permitted"),
        "{case}"
    );
    let leftovers = processes_with("leftover-marker-5521");
    assert!(leftovers.is_empty(), "processes left behind: {leftovers:?}");
}

#[test]
fn a_submission_named_like_a_stdlib_module_shadows_nothing() {
    let checked = check("shadow/json.py", "json");
    assert_eq!(checked.status, 0, "{}", checked.stdout);
}

#[test]
fn hidden_cases_report_their_verdict_only() {
    for file in [
        "echo_wrong_answer.py",
        "echo_runtime_error.py",
        "echo_prints_a_pass.py",
        "echo_syntax_error.py",
    ] {
        for format in ["json", "human"] {
            let checked = check(file, format);
            assert!(
                !checked.stdout.contains(HIDDEN_TOKEN) && !checked.stderr.contains(HIDDEN_TOKEN),
                "{file} ({format}) leaked the hidden case:\n{}",
                checked.stdout
            );
        }
        let hidden = check(file, "json").case("the secret one");
        let keys: Vec<&str> = hidden
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for forbidden in [
            "input",
            "message",
            "expected",
            "actual",
            "diff",
            "traceback",
            "stdout",
            "stderr",
        ] {
            assert!(
                !keys.contains(&forbidden),
                "{file}: hidden case has `{forbidden}`: {hidden}"
            );
        }
    }
}

#[test]
fn stdin_programs_are_graded_on_what_they_print() {
    let checked = check("greeting_correct.py", "json");
    assert_eq!(checked.status, 0, "{}", checked.stdout);
    let checked = check("greeting_exit_status.py", "json");
    let case = checked.case("a name");
    assert_eq!(case["verdict"], "runtime-error");
    assert_eq!(case["message"], "exited with status 3");
}

#[test]
fn scripts_compare_printed_text_and_ignore_import_time_prints() {
    let checked = check("counter_correct.py", "json");
    assert_eq!(checked.status, 0, "{}", checked.stdout);
    let checked = check("counter_trailing_spaces.py", "json");
    assert_eq!(checked.status, 0, "{}", checked.stdout);
    assert_eq!(checked.case("counts up")["comparator"], "text (rstrip)");
    assert_eq!(
        checked.case("counters are independent")["comparator"],
        "text (tokens)"
    );
}

#[test]
fn unordered_results_are_compared_and_shown_sorted() {
    let checked = crate::support::check_path(
        &crate::support::submission("three_sum_wrong_order.py"),
        "json",
        &[],
    );
    assert_eq!(checked.status, 1);
    let case = checked.case("the classic example");
    assert_eq!(case["verdict"], "wrong-answer");
    assert_eq!(case["comparator"], "unordered-deep");
    assert_eq!(case["expected"], "[[-1, -1, 2], [-1, 0, 1]]");
    assert_eq!(case["actual"], "[[-1, -1, 2]]");
    assert_eq!(
        checked.case("a pair of equal numbers inside a triplet")["verdict"],
        "wrong-answer"
    );
    assert_eq!(checked.case("empty list")["verdict"], "accepted");
}
