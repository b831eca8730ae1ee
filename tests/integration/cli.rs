//! The learner's commands and the error paths, through the binary.

use std::fs;

use kata::exercise::{Catalogue, CatalogueSource};
use predicates::prelude::*;

use crate::support::{check_path, fixtures, kata};

#[test]
fn help_explains_the_commands_and_exit_statuses() {
    kata()
        .arg("--help")
        .assert()
        .success()
        .stdout(
            predicate::str::contains("check").and(predicate::str::contains(
                "Exit status: 0 every case accepted",
            )),
        );
    kata()
        .args(["check", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("# kata: ID").and(predicate::str::contains("--sandbox")));
}

#[test]
fn no_arguments_is_a_usage_error() {
    kata()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Usage"));
}

#[test]
fn list_shows_the_built_in_catalogue_from_any_directory() {
    let elsewhere = tempfile::tempdir().unwrap();
    kata()
        .current_dir(elsewhere.path())
        .arg("list")
        .assert()
        .success()
        .stdout(
            predicate::str::contains("lru-cache")
                .and(predicate::str::contains("reverse-linked-list"))
                .and(predicate::str::contains("is-valid-bst"))
                .and(predicate::str::contains("three-sum")),
        );
}

#[test]
fn another_catalogue_comes_from_the_flag_or_the_environment() {
    let dir = fixtures().join("exercises");
    kata()
        .args(["--exercises", dir.to_str().unwrap(), "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("echo").and(predicate::str::contains("lru-cache").not()));
    kata()
        .env("KATA_EXERCISES", &dir)
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains("greeting"));
}

#[test]
fn show_prints_the_prompt_and_visible_examples() {
    kata()
        .args(["show", "lru-cache"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Build a cache that holds at most")
                .and(predicate::str::contains(">>> obj = LRUCache(2)"))
                .and(predicate::str::contains(">>> obj.get(1)\n1\n")),
        );
}

#[test]
fn an_unknown_exercise_suggests_the_closest_one() {
    kata().args(["show", "lru-cach"]).assert().code(2).stderr(
        predicate::str::contains("no exercise named `lru-cach`")
            .and(predicate::str::contains("did you mean `lru-cache`?")),
    );
}

#[test]
fn hints_come_one_at_a_time() {
    kata()
        .args(["hint", "lru-cache"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Hint 1 of 3")
                .and(predicate::str::contains("kata hint lru-cache 2")),
        );
    kata().args(["hint", "lru-cache", "9"]).assert().code(2);
}

#[test]
fn start_then_check_the_starter_fails_and_the_reference_passes() {
    let dir = tempfile::tempdir().unwrap();
    kata()
        .current_dir(dir.path())
        .args(["start", "lru-cache"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Wrote lru_cache.py"));
    let file = dir.path().join("lru_cache.py");
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("# kata: lru-cache\n"), "{text}");
    assert!(text.contains("# Build a cache that holds at most"));
    assert!(text.contains("class LRUCache:"));

    let starter = check_path(&file, "human", &[]);
    assert_eq!(starter.status, 1, "{}", starter.stdout);
    assert!(
        starter.stdout.ends_with("0 passed, 9 failed\n"),
        "{}",
        starter.stdout
    );

    // Starting again would lose the learner's work.
    kata()
        .current_dir(dir.path())
        .args(["start", "lru-cache"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("already exists").and(predicate::str::contains("--force")),
        );

    let catalogue = Catalogue::load(CatalogueSource::Embedded).unwrap();
    let reference = &catalogue.get("lru-cache").unwrap().reference;
    fs::write(&file, format!("# kata: lru-cache\n{reference}")).unwrap();
    let solved = check_path(&file, "human", &[]);
    assert_eq!(solved.status, 0, "{}", solved.stdout);
    assert!(
        solved.stdout.ends_with("9 passed, 0 failed\n"),
        "{}",
        solved.stdout
    );
}

#[test]
fn every_flagship_reference_passes_through_check() {
    let catalogue = Catalogue::load(CatalogueSource::Embedded).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for id in [
        "lru-cache",
        "reverse-linked-list",
        "is-valid-bst",
        "three-sum",
    ] {
        let exercise = catalogue.get(id).unwrap();
        let file = dir.path().join(exercise.file_name());
        fs::write(&file, format!("# kata: {id}\n{}", exercise.reference)).unwrap();
        let checked = check_path(&file, "json", &[]);
        assert_eq!(checked.status, 0, "{id}: {}", checked.stdout);
    }
}

#[test]
fn a_file_without_a_header_needs_an_exercise() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.py");
    fs::write(&file, "def three_sum(nums):\n    return []\n").unwrap();
    kata().arg("check").arg(&file).assert().code(2).stderr(
        predicate::str::contains("cannot tell which exercise")
            .and(predicate::str::contains("--exercise ID")),
    );
    kata()
        .arg("check")
        .arg(&file)
        .args(["--exercise", "three-sum"])
        .assert()
        .code(1);
}

#[test]
fn a_missing_file_is_a_usage_error() {
    kata()
        .args(["check", "no/such/file.py"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read `no/such/file.py`"));
}

#[test]
fn a_missing_interpreter_is_an_internal_error_with_help() {
    let file = crate::support::submission("echo_correct.py");
    kata()
        .args([
            "--exercises",
            fixtures().join("exercises").to_str().unwrap(),
            "check",
        ])
        .arg(&file)
        .args(["--python", "/no/such/python3"])
        .assert()
        .code(3)
        .stderr(
            predicate::str::contains("/no/such/python3").and(predicate::str::contains("help:")),
        );
}

#[test]
fn the_json_report_has_the_documented_shape() {
    let checked = crate::support::check("echo_wrong_answer.py", "json");
    let json = checked.json();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["exercise"], "echo");
    assert_eq!(json["sandbox"], "subprocess");
    assert_eq!(json["status"], "fail");
    for case in json["cases"].as_array().unwrap() {
        for key in [
            "name",
            "hidden",
            "verdict",
            "points",
            "max_points",
            "kind",
            "comparator",
        ] {
            assert!(case.get(key).is_some(), "case without `{key}`: {case}");
        }
        // Resource figures are for visible cases only: a hidden case's could encode its input.
        for key in ["time_ms", "cpu_ms", "memory_kb", "fuel"] {
            if case["hidden"] == true {
                assert!(
                    case.get(key).is_none(),
                    "a hidden case with `{key}`: {case}"
                );
            }
        }
        if case["hidden"] == false {
            assert!(
                case.get("time_ms").is_some(),
                "a visible case without a time: {case}"
            );
        }
        let verdict = case["verdict"].as_str().unwrap();
        assert!(
            verdict.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{verdict}"
        );
    }
}

#[test]
fn the_readme_quick_start_examples_fail_and_pass() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises/examples");
    let buggy = check_path(&examples.join("lru_cache_buggy.py"), "human", &[]);
    assert_eq!(buggy.status, 1, "{}", buggy.stdout);
    assert!(
        buggy.stdout.contains("✓ capacity one"),
        "some cases pass: {}",
        buggy.stdout
    );
    assert!(
        buggy
            .stdout
            .contains("- get(2)       ->  -1\n   + get(2)       ->  2"),
        "{}",
        buggy.stdout
    );
    let correct = check_path(&examples.join("lru_cache.py"), "human", &[]);
    assert_eq!(correct.status, 0, "{}", correct.stdout);
}
