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

/// Case names of 100 characters, visible and hidden, beside a short one.
const LONG_NAMES_EXERCISE: &str = r#"format = 1
title = "Long names"
difficulty = "easy"
prompt = "Return twice `n`."
starter = '''
def double(n):
    pass
'''
reference = '''
def double(n):
    return 2 * n
'''

[[case]]
name = "doubles a small positive number, which is the case most people think of first when they read it"
call = "double(2)"
expect = "4"

[[case]]
name = "three"
call = "double(3)"
expect = "6"

[[case]]
name = "doubles a number that is kept secret from the learner, so that nobody can hard-code the answer!!"
hidden = true
call = "double(5)"
expect = "10"

[[case]]
name = "doubles zero, which is its own double, and which a solution that special-cases small inputs misses"
hidden = true
call = "double(0)"
expect = "0"
"#;

#[test]
fn long_case_names_are_cut_and_the_verdicts_stay_aligned() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("long-names.toml"), LONG_NAMES_EXERCISE).unwrap();
    let file = dir.path().join("double.py");
    std::fs::write(
        &file,
        "# kata: long-names\ndef double(n):\n    return 0 if n == 3 else 2 * n + (n == 0)\n",
    )
    .unwrap();
    let checked = check_path(
        &file,
        "human",
        &["--exercises", dir.path().to_str().unwrap()],
    );
    assert_eq!(checked.status, 1, "{}\n{}", checked.stdout, checked.stderr);

    // Every case line puts what follows the name in the same column, and no name runs on.
    let case_lines: Vec<&str> = checked
        .stdout
        .lines()
        .filter(|line| line.starts_with("  ✓ ") || line.starts_with("  ✗ "))
        .collect();
    assert_eq!(case_lines.len(), 4, "{}", checked.stdout);
    let after_name: Vec<usize> = case_lines
        .iter()
        .map(|line| {
            let chars: Vec<char> = line.chars().collect();
            (4..chars.len() - 1)
                .find(|&i| chars[i] == ' ' && chars[i + 1] == ' ' && chars[i + 2] != ' ')
                .map_or(0, |i| i + 2)
        })
        .collect();
    assert!(
        after_name.iter().all(|&column| column == after_name[0]),
        "{after_name:?}\n{}",
        checked.stdout
    );
    assert_eq!(
        case_lines.iter().filter(|line| line.contains('…')).count(),
        3,
        "{}",
        checked.stdout
    );
    snapshot(
        "check_long_case_names",
        &checked
            .stdout
            .replace(dir.path().to_str().unwrap(), "[DIR]"),
    );
}
