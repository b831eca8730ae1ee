//! The learner's workspace through the binary: init, start, check, list, hint, progress, reset
//! and solution, on real Python.

use std::fs;
use std::path::{Path, PathBuf};

use kata::exercise::{Catalogue, CatalogueSource, Exercise};
use predicates::prelude::*;
use tempfile::TempDir;

use crate::support::{fixtures, kata, redactions};

/// A fresh workspace made by `kata init`, inside a temporary folder.
pub(crate) struct Learner {
    _dir: TempDir,
    pub root: PathBuf,
}

/// The four flagship exercises and the learning order, copied into `dir/catalogue`: the
/// workspace tests count exercises and name the next one, which must not change whenever an
/// exercise is added to the built-in catalogue.
pub(crate) fn flagship_catalogue(dir: &Path) -> PathBuf {
    let catalogue = dir.join("catalogue");
    fs::create_dir_all(&catalogue).unwrap();
    let exercises = Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises");
    for name in [
        "is-valid-bst.toml",
        "lru-cache.toml",
        "reverse-linked-list.toml",
        "three-sum.toml",
        "order.txt",
    ] {
        fs::copy(exercises.join(name), catalogue.join(name)).unwrap();
    }
    catalogue
}

impl Learner {
    pub(crate) fn new() -> Learner {
        let dir = tempfile::tempdir().unwrap();
        let catalogue = flagship_catalogue(dir.path());
        let root = dir.path().join("learn");
        kata()
            .current_dir(dir.path())
            .args(["init", "learn", "--exercises"])
            .arg(&catalogue)
            .assert()
            .success()
            .stdout(predicate::str::contains("cd learn && kata watch"));
        Learner { _dir: dir, root }
    }

    /// `kata ARGS` run in the workspace.
    pub(crate) fn kata(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        kata().current_dir(&self.root).args(args).assert()
    }

    pub(crate) fn write(&self, name: &str, text: &str) {
        fs::write(self.root.join(name), text).unwrap();
    }

    pub(crate) fn read(&self, name: &str) -> String {
        fs::read_to_string(self.root.join(name)).unwrap()
    }
}

pub(crate) fn lru_cache() -> Exercise {
    Catalogue::load(CatalogueSource::Embedded)
        .unwrap()
        .get("lru-cache")
        .unwrap()
        .clone()
}

/// The reference solution of lru-cache, as a learner's file.
pub(crate) fn lru_solution() -> String {
    format!("# kata: lru-cache\n{}", lru_cache().reference)
}

/// A wrong lru-cache (a stored 0 reads as a miss) that fails one visible case, quickly.
pub(crate) fn lru_wrong() -> String {
    let wrong = lru_cache()
        .wrong_solutions
        .into_iter()
        .find(|wrong| wrong.name == "zero-is-a-miss")
        .unwrap();
    format!("# kata: lru-cache\n{}", wrong.code)
}

fn stdout_of(assert: assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

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
fn init_uses_the_built_in_catalogue_by_default() {
    let dir = tempfile::tempdir().unwrap();
    kata()
        .current_dir(dir.path())
        .args(["init", "mine"])
        .assert()
        .success();
    let config = fs::read_to_string(dir.path().join("mine/kata.toml")).unwrap();
    assert!(config.contains("catalogue = \"built-in\""), "{config}");
}

#[test]
fn init_makes_a_workspace_that_commands_find_from_below() {
    let learner = Learner::new();
    assert!(learner.root.join("kata.toml").is_file());
    assert!(learner.root.join(".kata/progress.toml").is_file());
    let config = learner.read("kata.toml");
    assert!(config.contains("/catalogue\""), "{config}");
    assert!(config.contains("sandbox = \"subprocess\""), "{config}");

    // Like git: from a folder below the root.
    let below = learner.root.join("notes");
    fs::create_dir(&below).unwrap();
    kata()
        .current_dir(&below)
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "0 of 4 solved · 0 attempted · 4 new",
        ));

    learner.kata(&["init"]).code(2).stderr(
        predicate::str::contains("is already a kata workspace")
            .and(predicate::str::contains("kata watch")),
    );
}

#[test]
fn a_workspace_remembers_its_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    kata()
        .current_dir(dir.path())
        .arg("--exercises")
        .arg(fixtures().join("exercises"))
        .args(["init", "mine"])
        .assert()
        .success();
    kata()
        .current_dir(dir.path().join("mine"))
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains("echo").and(predicate::str::contains("lru-cache").not()));
}

#[test]
fn start_writes_at_the_root_and_check_records_attempts_and_solves() {
    let learner = Learner::new();
    let below = learner.root.join("notes");
    fs::create_dir(&below).unwrap();
    kata()
        .current_dir(&below)
        .args(["start", "lru-cache"])
        .assert()
        .success()
        .stdout(predicate::str::contains("kata watch"));
    assert!(learner.root.join("lru_cache.py").is_file());
    assert!(!below.join("lru_cache.py").exists());
    learner
        .kata(&["list"])
        .success()
        .stdout(predicate::str::contains("~ started  lru-cache"));

    learner.write("lru_cache.py", &lru_wrong());
    let failed = stdout_of(learner.kata(&["check", "lru_cache.py"]).code(1));
    // The report is the same as outside a workspace: it ends with the counts.
    assert!(failed.ends_with("8 passed, 1 failed\n"), "{failed}");
    learner
        .kata(&["list"])
        .success()
        .stdout(predicate::str::contains("~ 8/9      lru-cache"));

    learner.write("lru_cache.py", &lru_solution());
    let solved = stdout_of(learner.kata(&["check", "lru_cache.py"]).success());
    assert!(solved.contains("9 passed, 0 failed\n"), "{solved}");
    assert!(
        solved.contains("✓ lru-cache solved. 1 of 4 exercises done. Next: reverse-linked-list"),
        "{solved}"
    );
    // Solving again says nothing more: it was already solved.
    let again = stdout_of(learner.kata(&["check", "lru_cache.py"]).success());
    assert!(again.ends_with("9 passed, 0 failed\n"), "{again}");
    // JSON stays one JSON document in a workspace.
    let json = stdout_of(
        learner
            .kata(&["check", "lru_cache.py", "--format", "json"])
            .success(),
    );
    let report: serde_json::Value = serde_json::from_str(&json).expect("pure JSON");
    assert_eq!(report["status"], "pass");

    let list = stdout_of(learner.kata(&["list"]).success());
    snapshot("workspace_list", &list);
}

#[test]
fn progress_survives_and_is_summarised_by_difficulty_and_tag() {
    let learner = Learner::new();
    learner.kata(&["start", "lru-cache"]).success();
    learner.write("lru_cache.py", &lru_solution());
    learner.kata(&["check", "lru_cache.py"]).success();
    learner.kata(&["start", "three-sum"]).success();
    learner.kata(&["hint", "three-sum"]).success();
    let progress = stdout_of(learner.kata(&["progress"]).success());
    snapshot("workspace_progress", &progress);
    assert!(progress.contains("Progress: 1 of 4 exercises solved (25%), 1 attempted, 2 new"));

    kata()
        .current_dir(learner.root.parent().unwrap())
        .arg("progress")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("not inside a kata workspace")
                .and(predicate::str::contains("kata init")),
        );
}

#[test]
fn hints_in_a_workspace_come_one_more_each_time() {
    let learner = Learner::new();
    for number in 1..=3 {
        learner
            .kata(&["hint", "lru-cache"])
            .success()
            .stdout(predicate::str::contains(format!("Hint {number} of 3")));
    }
    learner.kata(&["hint", "lru-cache"]).success().stdout(
        predicate::str::contains("Hint 3 of 3")
            .and(predicate::str::contains("That was the last hint")),
    );
    assert!(learner.read(".kata/progress.toml").contains("hints = 3"));
    // Outside a workspace nothing is counted: the first hint, as before.
    kata()
        .current_dir(learner.root.parent().unwrap())
        .args(["hint", "lru-cache"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Hint 1 of 3"));
}

#[test]
fn reset_restores_the_starter_and_keeps_numbered_backups() {
    let learner = Learner::new();
    learner.kata(&["start", "lru-cache"]).success();
    let starter = learner.read("lru_cache.py");
    learner
        .kata(&["reset", "lru-cache"])
        .success()
        .stdout(predicate::str::contains("already the starter"));
    assert!(!learner.root.join(".kata/backups").exists());

    for (attempt, backup) in [
        ("first try", "lru_cache.py.~1~"),
        ("second", "lru_cache.py.~2~"),
    ] {
        learner.write("lru_cache.py", attempt);
        learner.kata(&["reset", "lru-cache"]).success().stdout(
            predicate::str::contains("Restored lru_cache.py")
                .and(predicate::str::contains(format!(".kata/backups/{backup}"))),
        );
        assert_eq!(learner.read("lru_cache.py"), starter);
        assert_eq!(learner.read(&format!(".kata/backups/{backup}")), attempt);
    }

    // A missing file is simply written.
    fs::remove_file(learner.root.join("lru_cache.py")).unwrap();
    learner.kata(&["reset", "lru-cache"]).success();
    assert_eq!(learner.read("lru_cache.py"), starter);
}

#[test]
fn reset_outside_a_workspace_keeps_the_backup_beside_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| kata().current_dir(dir.path()).args(args).assert();
    run(&["start", "three-sum"]).success();
    fs::write(dir.path().join("three_sum.py"), "mine").unwrap();
    run(&["reset", "three-sum"]).success();
    assert_eq!(
        fs::read_to_string(dir.path().join("three_sum.py.~1~")).unwrap(),
        "mine"
    );
    assert!(!dir.path().join(".kata").exists());
}

#[test]
fn the_solution_is_shown_after_a_pass_or_with_force() {
    let learner = Learner::new();
    learner.kata(&["solution", "lru-cache"]).code(2).stderr(
        predicate::str::contains("you have not solved lru-cache yet")
            .and(predicate::str::contains("--force")),
    );
    let forced = learner
        .kata(&["solution", "lru-cache", "--force"])
        .success();
    let stderr = String::from_utf8(forced.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("warning: showing the solution"), "{stderr}");
    let shown = stdout_of(forced);
    assert!(
        shown.starts_with("# Reference solution: lru-cache"),
        "{shown}"
    );
    assert!(shown.contains(lru_cache().reference.trim()), "{shown}");

    learner.kata(&["start", "lru-cache"]).success();
    learner.write("lru_cache.py", &lru_solution());
    learner.kata(&["check", "lru_cache.py"]).success();
    learner
        .kata(&["solution", "lru-cache"])
        .success()
        .stderr(predicate::str::is_empty())
        .stdout(predicate::str::contains("OrderedDict"));

    // Outside a workspace nothing says it was solved.
    kata()
        .current_dir(learner.root.parent().unwrap())
        .args(["solution", "lru-cache"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("recorded in a workspace"));
}

#[test]
fn a_broken_kata_toml_says_which_file_and_how_to_fix_it() {
    let learner = Learner::new();
    learner.write("kata.toml", "format = 1\nsandbox = \"docker\"\n");
    learner.kata(&["list"]).code(2).stderr(
        predicate::str::contains("kata.toml")
            .and(predicate::str::contains("\"subprocess\" or \"wasm\""))
            .and(predicate::str::contains("help:")),
    );
    learner.write("kata.toml", "format = 1\n");
    learner.write(".kata/progress.toml", "format = \"one\"\n");
    learner.kata(&["list"]).code(2).stderr(
        predicate::str::contains("progress.toml` is damaged")
            .and(predicate::str::contains("delete")),
    );
}
