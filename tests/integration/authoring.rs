//! Authoring: `kata new` → fill in → `kata record` → `kata validate`, and what `record` writes.

use std::fs;
use std::path::Path;

use predicates::prelude::*;

use crate::support::{fixtures, kata, redactions};

/// What an author writes into a new file of each kind: (text in the scaffold, replacement).
fn fills(kind: &str) -> Vec<(&'static str, &'static str)> {
    match kind {
        "call" => vec![
            (
                "    raise NotImplementedError(\"write the reference solution\")",
                "    return value * 2",
            ),
            ("call = \"demo(0)\"", "call = \"demo(21)\""),
        ],
        "ops" => vec![
            (
                "        raise NotImplementedError(\"write the reference solution\")",
                "        self.total = 0",
            ),
            (
                "        raise NotImplementedError\n",
                "        self.total += value\n        return self.total\n",
            ),
        ],
        "script" => vec![(
            "    raise NotImplementedError(\"write the reference solution\")",
            "    print(value + 1)",
        )],
        "stdin" => vec![(
            "    raise NotImplementedError(\"write the reference solution\")",
            "    print(int(line) * 2)",
        )],
        other => panic!("no fill for {other}"),
    }
}

#[test]
fn scaffold_fill_record_validate_round_trip() {
    for (kind, recorded) in [
        ("call", "42"),
        ("ops", "[None, 1]"),
        ("script", "1"),
        ("stdin", "2"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let exercises = dir.path().join("exercises");
        let exercises_arg = exercises.to_str().unwrap();
        kata()
            .args(["--exercises", exercises_arg, "new", "demo", "--kind", kind])
            .assert()
            .success()
            .stdout(
                predicate::str::contains("demo.toml").and(predicate::str::contains(
                    "exercise.schema.json (the format's JSON Schema",
                )),
            );
        let file = exercises.join("demo.toml");
        let text = fs::read_to_string(&file).unwrap();
        assert!(
            text.starts_with("#:schema ./exercise.schema.json\n"),
            "{text}"
        );
        assert!(exercises.join("exercise.schema.json").is_file());

        // As written, it loads, but is not valid yet: the case has no `expect`.
        kata().arg("validate").arg(&file).assert().code(2).stderr(
            predicate::str::contains("has no `expect`")
                .and(predicate::str::contains("kata record")),
        );

        let mut filled = text.clone();
        for (from, to) in fills(kind) {
            assert!(filled.contains(from), "{kind}: no `{from}` in\n{text}");
            filled = filled.replacen(from, to, 1);
        }
        fs::write(&file, &filled).unwrap();
        kata()
            .args(["--exercises", exercises_arg, "record", "demo", "-j", "2"])
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "+ `the example from the prompt`: {recorded}"
            )));
        kata()
            .args(["validate", "-j", "2"])
            .arg(&file)
            .assert()
            .success()
            .stdout(
                predicate::str::contains("1 exercise valid, 0 invalid")
                    .and(predicate::str::contains("the prompt still says `TODO`")),
            );
    }
}

#[test]
fn new_refuses_bad_ids_and_existing_files() {
    let dir = tempfile::tempdir().unwrap();
    let exercises = dir.path().to_str().unwrap();
    kata()
        .args(["--exercises", exercises, "new", "Two_Sum"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a valid exercise id"));
    kata()
        .args(["--exercises", exercises, "new", "two-sum"])
        .assert()
        .success();
    kata()
        .args(["--exercises", exercises, "new", "two-sum"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("already exists").and(predicate::str::contains("--force")),
        );
}

#[test]
fn new_points_at_the_repository_schema_when_there_is_one() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("docs")).unwrap();
    fs::write(dir.path().join("docs/exercise.schema.json"), "{}").unwrap();
    kata()
        .current_dir(dir.path())
        .args(["new", "from-repo"])
        .assert()
        .success();
    let text = fs::read_to_string(dir.path().join("exercises/from-repo.toml")).unwrap();
    assert!(text.starts_with("#:schema ../docs/exercise.schema.json\n"));
    assert!(!dir.path().join("exercises/exercise.schema.json").exists());
}

fn copy_fixture(dir: &Path, name: &str) -> std::path::PathBuf {
    let to = dir.join(Path::new(name).file_name().unwrap());
    fs::copy(fixtures().join(name), &to).unwrap();
    to
}

/// Whether every line of `old` appears in `new`, in order (only lines were added).
fn only_added_lines(old: &str, new: &str) -> bool {
    let mut new_lines = new.lines();
    old.lines()
        .all(|line| new_lines.any(|candidate| candidate == line))
}

#[test]
fn record_writes_expectations_and_keeps_the_rest_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy_fixture(dir.path(), "authoring/unrecorded.toml");
    let before = fs::read_to_string(&file).unwrap();

    // --check changes nothing and fails: some cases have no `expect`.
    kata()
        .args(["record", "--check", "-j", "2"])
        .arg(&file)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("`one value` has no `expect`; the reference gives")
                .and(predicate::str::contains("5 cases without `expect`")),
        );
    assert_eq!(fs::read_to_string(&file).unwrap(), before);

    let output = kata()
        .args(["record", "-j", "2"])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("the reference raises: is that what this case is for?"),
        "{stdout}"
    );
    let after = fs::read_to_string(&file).unwrap();
    assert!(only_added_lines(&before, &after), "{after}");
    let filters: Vec<(String, &str)> = redactions();
    let filters: Vec<(&str, &str)> = filters.iter().map(|(a, b)| (a.as_str(), *b)).collect();
    insta::with_settings!({filters => filters, prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("record_unrecorded", after);
    });

    // Now complete and consistent: --check passes, and the grader accepts the file.
    kata()
        .args(["record", "--check", "-j", "2"])
        .arg(&file)
        .assert()
        .success();
    kata()
        .args(["validate", "-j", "2"])
        .arg(&file)
        .assert()
        .success();
}

#[test]
fn record_reports_a_disagreeing_case_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy_fixture(dir.path(), "authoring/unrecorded.toml");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("'max': 3, 'mean': 2.0}", "'max': 4, 'mean': 2.0}");
    fs::write(&file, &text).unwrap();
    kata()
        .args(["record", "-j", "2"])
        .arg(&file)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("✗ `already written`: the file expects")
                .and(predicate::str::contains("Wrote 5 expected results")),
        );
    let after = fs::read_to_string(&file).unwrap();
    assert!(after.contains("'max': 4, 'mean': 2.0}"));
}

#[test]
fn record_explains_a_reference_that_cannot_run_a_case() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy_fixture(dir.path(), "authoring/unrecorded.toml");
    let text = fs::read_to_string(&file).unwrap().replace(
        "print(\"done\")",
        "print(\"done\")\n    raise SystemExit(3)",
    );
    fs::write(&file, &text).unwrap();
    kata()
        .args(["record", "-j", "2"])
        .arg(&file)
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "✗ cannot record `printed lines`: the reference raised SystemExit: 3",
        ));
    kata()
        .args(["record", "no-such-exercise"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "there is no exercise file `exercises/no-such-exercise.toml`",
        ));
}
