//! Growth cases on the subprocess sandbox: `tests/fixtures/growth/tally.toml` has a linear
//! reference and a wrong solution that is right on every input but quadratic.

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::grade::assert_matches_schema;
use crate::support::{Checked, fixtures, kata};

/// The fixture's reference and its known-slow solution, shared with the other sandbox's suite.
const LINEAR: &str = include_str!("../fixtures/growth/linear.py");
const QUADRATIC: &str = include_str!("../fixtures/growth/quadratic.py");

fn exercises() -> PathBuf {
    fixtures().join("growth")
}

fn with_sandbox(exercises: &Path, source: &str, format: &str) -> Checked {
    // The subprocess sandbox, whatever the default: this file is about CPU time.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tally.py");
    fs::write(&file, source).unwrap();
    let output = kata()
        .args(["--exercises", exercises.to_str().unwrap(), "check"])
        .arg(&file)
        .args(["--format", format, "--sandbox", "subprocess"])
        .output()
        .unwrap();
    Checked {
        status: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[test]
fn a_linear_solution_passes_and_a_quadratic_one_fails_by_growth() {
    let linear = with_sandbox(&exercises(), LINEAR, "json");
    assert_eq!(linear.status, 0, "{}\n{}", linear.stdout, linear.stderr);
    let case = linear.case("grows linearly");
    assert_eq!(case["verdict"], "accepted");
    assert_eq!(case["growth"]["counter"], "cpu-time");
    assert_eq!(case["growth"]["allows"], "n");
    assert_eq!(case["growth"]["points"].as_array().unwrap().len(), 5);
    assert_matches_schema(&linear.json());

    let quadratic = with_sandbox(&exercises(), QUADRATIC, "json");
    assert_eq!(quadratic.status, 1, "{}", quadratic.stderr);
    let case = quadratic.case("grows linearly");
    assert_eq!(case["verdict"], "time-limit-exceeded");
    let message = case["message"].as_str().unwrap();
    assert!(
        message.starts_with("cost grows like ")
            && message.contains(" (cpu-time")
            && message.ends_with("; this exercise asks for n or better"),
        "{message}"
    );
    let growth = &case["growth"];
    assert_eq!(growth["counter"], "cpu-time");
    // A busy machine may push a large size past the limit, and then a lower bound, which can
    // be steeper, decides; a fit alone is about 2.
    let exponent = growth["exponent"].as_f64().unwrap();
    let bounded = growth["lower_bound"] == true;
    assert!(exponent > 1.6 && (bounded || exponent < 2.4), "{growth}");
    assert_eq!(growth["allowed_exponent"], 1.5);
    assert_matches_schema(&quadratic.json());
    // The small case still passes: only the growth case fails.
    assert_eq!(quadratic.case("small")["verdict"], "accepted");
}

#[test]
fn the_terminal_plots_the_cost_of_each_size() {
    let checked = with_sandbox(&exercises(), QUADRATIC, "human");
    let out = &checked.stdout;
    assert!(
        out.contains("cost (cpu-time, log scale): ") && out.contains(", allowed up to n^1.5 (n)"),
        "{out}"
    );
    // The small sizes are far from the limit on any machine; the largest one reaches it.
    for n in ["500", "1,000", "2,000"] {
        assert!(out.contains(&format!("n = {n:>5} █")), "{n}: {out}");
    }
    assert!(out.contains("▶ time limit"), "{out}");
}

#[test]
fn a_hidden_growth_case_shows_its_verdict_only() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(exercises().join("tally.toml")).unwrap();
    let hidden = text.replacen("points = 2\n", "points = 2\nhidden = true\n", 1);
    assert_ne!(hidden, text);
    fs::write(dir.path().join("tally.toml"), hidden).unwrap();
    let checked = with_sandbox(dir.path(), QUADRATIC, "json");
    let case = checked.case("grows linearly");
    assert_eq!(case["verdict"], "time-limit-exceeded");
    for key in ["growth", "message", "input", "cpu_ms", "time_ms"] {
        assert!(case.get(key).is_none(), "{key} in {case}");
    }
    assert_matches_schema(&checked.json());
    let human = with_sandbox(dir.path(), QUADRATIC, "human").stdout;
    assert!(
        !human.contains("grows like") && !human.contains("n = "),
        "{human}"
    );
}

#[test]
fn validate_proves_the_reference_passes_and_the_quadratic_solution_fails_by_growth() {
    kata()
        .args(["validate", "-j", "1", "--sandbox", "subprocess"])
        .arg(exercises())
        .assert()
        .success()
        .stdout(
            predicate::str::contains("reference passes all 2 cases").and(predicate::str::contains(
                "wrong `count-each` caught by grows linearly (time-limit-exceeded)",
            )),
        );
}

#[test]
fn record_leaves_growth_cases_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tally.toml");
    fs::copy(exercises().join("tally.toml"), &file).unwrap();
    let before = fs::read_to_string(&file).unwrap();
    kata()
        .args(["record", "--check", "-j", "1"])
        .arg(&file)
        .assert()
        .success();
    kata()
        .args(["record", "-j", "1"])
        .arg(&file)
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&file).unwrap(), before);
}

#[test]
fn bad_growth_tables_are_reported_with_their_places() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(exercises().join("tally.toml")).unwrap();
    let broken = format!(
        "{text}
[[case]]
name = \"backwards\"
call = \"tally(words(n))\"
growth = {{ sizes = [400, 200, 1600], allows = \"n log n\" }}

[[case]]
name = \"narrow\"
call = \"tally(words(n))\"
growth = {{ sizes = [100, 200, 300], allows = \"nlogn\" }}

[[case]]
name = \"two sizes\"
call = \"tally(words(n))\"
growth = {{ sizes = [100, 800], allows = \"n\", extra = 1 }}

[[case]]
name = \"printed\"
stdin = \"\"
expect = \"\"
growth = {{ sizes = [100, 200, 400], allows = \"n\" }}
"
    );
    let file = dir.path().join("tally.toml");
    fs::write(&file, &broken).unwrap();
    let output = kata().arg("validate").arg(&file).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line_of = |needle: &str| broken.lines().position(|l| l.contains(needle)).unwrap() + 1;
    for (expected, place) in [
        (
            "sizes must be strictly increasing, and 200 follows 400",
            format!("tally.toml:{}:26", line_of("[400, 200")),
        ),
        (
            "the largest size (300) must be at least 4 times the smallest (100)",
            format!("tally.toml:{}:", line_of("[100, 200, 300]")),
        ),
        (
            "`nlogn` is not a growth class",
            format!("tally.toml:{}:", line_of("\"nlogn\"")),
        ),
        ("did you mean `n log n`?", String::new()),
        (
            "`sizes` has 2 sizes; a growth case needs 3 to 8",
            format!("tally.toml:{}:", line_of("[100, 800]")),
        ),
        ("unknown key `extra` in `growth`", String::new()),
        (
            "a `stdin` case cannot have `growth`",
            format!("tally.toml:{}:", line_of("[100, 200, 400]")),
        ),
    ] {
        assert!(
            stderr.contains(expected),
            "missing `{expected}` in:\n{stderr}"
        );
        assert!(stderr.contains(&place), "missing `{place}` in:\n{stderr}");
    }
}
