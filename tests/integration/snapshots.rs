//! What people see: the human reports, pinned as snapshots with timings redacted.

use crate::support::{check, check_path, fixtures, kata, redactions, submission};

fn snapshot(name: &str, text: &str) {
    let redactions = redactions();
    let filters: Vec<(&str, &str)> = redactions
        .iter()
        .map(|(from, to)| (from.as_str(), *to))
        .collect();
    insta::with_settings!({filters => filters, prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn human_report_of_a_wrong_answer() {
    snapshot(
        "check_wrong_answer",
        &check("echo_wrong_answer.py", "human").stdout,
    );
}

#[test]
fn human_report_of_a_syntax_error() {
    snapshot(
        "check_syntax_error",
        &check("echo_syntax_error.py", "human").stdout,
    );
}

#[test]
fn human_report_of_a_runtime_error() {
    snapshot(
        "check_runtime_error",
        &check("echo_runtime_error.py", "human").stdout,
    );
}

#[test]
fn human_report_of_unordered_results() {
    let checked = check_path(&submission("three_sum_wrong_order.py"), "human", &[]);
    snapshot("check_unordered", &checked.stdout);
}

#[test]
fn human_report_of_the_lru_starter() {
    let dir = tempfile::tempdir().unwrap();
    kata()
        .current_dir(dir.path())
        .args(["start", "lru-cache"])
        .assert()
        .success();
    let checked = check_path(&dir.path().join("lru_cache.py"), "human", &[]);
    snapshot("check_lru_starter", &checked.stdout);
}

#[test]
fn human_report_of_whitespace_only_differences() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("greeting.py");
    std::fs::write(
        &file,
        "# kata: greeting\nprint(f'Hello,  {input().strip()}!')\n",
    )
    .unwrap();
    let checked = check_path(
        &file,
        "human",
        &[
            "--exercises",
            fixtures().join("exercises").to_str().unwrap(),
        ],
    );
    snapshot(
        "check_whitespace",
        &checked
            .stdout
            .replace(dir.path().to_str().unwrap(), "[DIR]"),
    );
}

#[test]
fn diagnostics_of_an_invalid_exercise() {
    let output = kata()
        .current_dir(fixtures())
        .args(["validate", "invalid/many-problems.toml"])
        .output()
        .unwrap();
    snapshot(
        "validate_diagnostics",
        &String::from_utf8_lossy(&output.stderr),
    );
}

#[test]
fn the_list_of_exercises() {
    let output = kata()
        .args([
            "--exercises",
            fixtures().join("exercises").to_str().unwrap(),
            "list",
        ])
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&output.stdout).replace(fixtures().to_str().unwrap(), "[FIXTURES]");
    snapshot("list", &text);
}
