//! `kata validate`: proving exercises, and reporting every problem in broken ones.

use predicates::prelude::*;

use crate::support::{fixtures, kata};

#[test]
fn the_whole_catalogue_validates() {
    let output = kata().arg("validate").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains(" 0 invalid"), "{stdout}");
    // Every warning is fixed, or allowed in its file with a reason (issue 18).
    assert!(!stdout.contains("\n  ! "), "{stdout}");
}

#[test]
fn the_test_fixtures_validate() {
    kata()
        .arg("validate")
        .arg(fixtures().join("exercises"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "wrong `returns-none` caught by a number (wrong-answer)",
        ));
}

#[test]
fn every_problem_in_a_file_is_reported_with_its_place() {
    let file = fixtures().join("invalid/many-problems.toml");
    let output = kata().arg("validate").arg(&file).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "`title` must not be empty",
        "`hardest` is not a difficulty",
        "use one of: easy, medium, hard",
        "tag `Bad Tag` is not lowercase-with-hyphens",
        "unknown key `colour` at the top level",
        "`rstrip` is not a value comparator",
        "not a Python literal: expected `]` or `,` in this list",
        "there is already a case named `unclosed list`",
        "has call and script at once",
        "`ops` needs `args`",
        "`null` is not Python; write `None`",
        "`cpu_ms` must be between 1 and 600000",
        "unknown key `memroy_mb` in these limits",
        "did you mean `memory_mb`?",
        "`wrong-anwser` is not a verdict",
        "`no such case` is not a case of this exercise",
    ] {
        assert!(
            stderr.contains(expected),
            "missing `{expected}` in:\n{stderr}"
        );
    }
    // The unclosed list is pointed at exactly: line 17, the character after `2`.
    assert!(stderr.contains("many-problems.toml:17:16"), "{stderr}");
}

#[test]
fn toml_syntax_errors_and_newer_formats_are_explained() {
    kata()
        .arg("validate")
        .arg(fixtures().join("invalid/broken-toml.toml"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("invalid multi-line basic string")
                .and(predicate::str::contains("broken-toml.toml:5:1")),
        );
    kata()
        .arg("validate")
        .arg(fixtures().join("invalid/newer-format.toml"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("uses format 2, but this kata reads format 1")
                .and(predicate::str::contains("shiny_new_key").not()),
        );
}

#[test]
fn weak_tests_are_caught() {
    kata()
        .arg("validate")
        .arg(fixtures().join("weak"))
        .assert()
        .code(2)
        .stdout(
            predicate::str::contains("the starter passes every case")
                .and(predicate::str::contains(
                    "wrong `square` passes every case: add a case that catches it",
                ))
                .and(predicate::str::contains("0 exercises valid, 1 invalid")),
        );
}

#[test]
fn an_invalid_exercise_stops_check_with_its_problems() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("invalid/many-problems.toml"),
        dir.path().join("many-problems.toml"),
    )
    .unwrap();
    let file = dir.path().join("mine.py");
    std::fs::write(&file, "# kata: many-problems\ndef f():\n    return 1\n").unwrap();
    kata()
        .args(["--exercises", dir.path().to_str().unwrap(), "check"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown key `colour`")
                .and(predicate::str::contains("problems; fix them and try again")),
        );
}

#[test]
fn the_catalogue_index_in_the_docs_is_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/catalogue.md");
    let document = std::fs::read_to_string(&path).unwrap();
    let output = kata()
        .args(["list", "--format", "markdown"])
        .output()
        .unwrap();
    let generated = String::from_utf8(output.stdout).unwrap();
    let current = kata::exercise::index::generated_part(&document)
        .expect("docs/catalogue.md has the generated markers");
    if current != generated.trim_matches('\n') {
        if std::env::var_os("KATA_BLESS").is_some() {
            let start = document.find(kata::exercise::index::BEGIN).unwrap()
                + kata::exercise::index::BEGIN.len();
            let end = document.find(kata::exercise::index::END).unwrap();
            let updated = format!(
                "{}\n{}\n{}",
                &document[..start],
                generated.trim_matches('\n'),
                &document[end..]
            );
            std::fs::write(&path, updated).unwrap();
        } else {
            panic!(
                "docs/catalogue.md is stale: run `cargo run -- list --format markdown` and paste its output \
                 between the markers, or rerun this test with KATA_BLESS=1"
            );
        }
    }
}

#[test]
fn list_filters_by_tag_and_difficulty() {
    let output = kata()
        .args(["list", "--tag", "linked-list", "--difficulty", "easy"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("reverse-linked-list"), "{stdout}");
    assert!(
        !stdout.contains("lru-cache"),
        "lru-cache is medium: {stdout}"
    );
    let json = kata()
        .args(["list", "--format", "json", "--tag", "threads"])
        .output()
        .unwrap();
    let entries: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    for entry in entries.as_array().unwrap() {
        assert!(
            entry["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "threads"),
            "{entry}"
        );
    }
}

#[test]
fn lint_warns_about_weak_spots_without_failing_the_exercise() {
    kata()
        .args(["validate", "-j", "2"])
        .arg(fixtures().join("lint/weak-spots.toml"))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("! case `four again` runs exactly what case `four` runs")
                .and(predicate::str::contains(
                    "! the prompt mentions `check_double(...)`, which neither the starter nor the reference defines",
                ))
                .and(predicate::str::contains("! the prompt still says `TODO`"))
                .and(predicate::str::contains(
                    "! case `roomy` allows 60 s of CPU time, but the reference needs",
                ))
                .and(predicate::str::contains(
                    "! wrong `absolute` is caught only by hidden cases (`negative`)",
                ))
                .and(predicate::str::contains("1 exercise valid, 0 invalid")),
        );
}

#[test]
fn lint_fails_cases_that_contradict_each_other() {
    kata()
        .args(["validate", "-j", "2"])
        .arg(fixtures().join("lint/contradiction.toml"))
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "✗ cases `four` and `four, wrongly` run the same input but expect different results",
        ));
}
