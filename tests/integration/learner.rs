//! What a new learner meets first, through the real binary: the README's way onto PATH, the
//! progress summary, counted nouns, unknown tags and ids, and the underscore form of an id.

use std::path::Path;

use predicates::prelude::*;

use crate::ci_examples::{assert_parses, kata_commands};
use crate::support::kata;
use crate::workspace::{Learner, lru_solution};

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

/// The `sh` blocks of a Markdown document, in order.
fn shell_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), line) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn the_readme_gets_kata_onto_path_before_using_it_and_keeps_its_quick_start() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let blocks = shell_blocks(&readme);
    // The quick start: one command runs the main job, one runs the tests.
    assert_eq!(
        blocks[0].trim(),
        "cargo run --release -- check exercises/examples/lru_cache_buggy.py"
    );
    assert_eq!(blocks[1].trim(), "cargo test");
    // The install step comes before the first block that calls `kata` by name.
    let install = blocks
        .iter()
        .position(|block| block.contains("cargo install --locked --path ."))
        .expect("the README says how to install kata");
    let first_kata = blocks
        .iter()
        .position(|block| !kata_commands(block).is_empty())
        .expect("the README uses kata");
    assert!(
        install < first_kata,
        "install at block {install}, kata at {first_kata}"
    );
    assert!(readme.contains("The first build takes several minutes"));
    assert!(readme.contains("`~/.cargo/bin` must be on your `PATH`"));
    for block in &blocks {
        for command in kata_commands(block) {
            assert_parses("README.md", &command);
        }
    }
}

#[test]
fn progress_shows_only_the_tags_begun_in_the_built_in_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    kata()
        .current_dir(dir.path())
        .args(["init", "learn"])
        .assert()
        .success();
    let root = dir.path().join("learn");
    kata()
        .current_dir(&root)
        .args(["start", "lru-cache"])
        .assert()
        .success();
    std::fs::write(root.join("lru_cache.py"), lru_solution()).unwrap();
    kata()
        .current_dir(&root)
        .args(["check", "lru_cache.py"])
        .assert()
        .success();
    let assert = kata().current_dir(&root).arg("progress").assert().success();
    let progress = stdout_of(&assert);
    let by_tag = progress.split("By tag\n").nth(1).expect("a by-tag section");
    let rows: Vec<&str> = by_tag.lines().take_while(|line| !line.is_empty()).collect();
    // lru-cache's own tags, each with one solve, then one line for the rest.
    let (tag_rows, rest) = rows.split_at(rows.len() - 1);
    let tags: Vec<&str> = tag_rows
        .iter()
        .map(|row| row.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(tags, ["design", "hash-map", "linked-list"], "{progress}");
    for row in tag_rows {
        assert!(row.contains("  1/"), "{row}\n{progress}");
    }
    assert!(
        rest[0].trim_start().starts_with("and ")
            && rest[0]
                .contains("tags not begun yet; `kata list --tag TAG` shows a tag's exercises"),
        "{progress}"
    );
    assert!(progress.contains("0 hints used"), "{progress}");
}

#[test]
fn counts_agree_with_their_nouns() {
    let learner = Learner::new();
    learner.kata(&["hint", "three-sum"]).success();
    let progress = stdout_of(&learner.kata(&["progress"]).success());
    assert!(progress.contains("1 hint used\n"), "{progress}");

    let show = stdout_of(&kata().args(["show", "lru-cache"]).assert().success());
    assert!(show.contains("9 cases (2 hidden) · 3 hints ·"), "{show}");

    let refused = kata().args(["hint", "lru-cache", "9"]).assert().code(2);
    let stderr = stderr_of(&refused);
    assert!(
        stderr.contains("lru-cache has 3 hints; there is no hint 9"),
        "{stderr}"
    );

    for output in [progress, show, stderr] {
        assert!(!output.contains("(s)"), "{output}");
    }
}

#[test]
fn an_unknown_tag_is_an_error_with_a_suggestion() {
    let assert = kata()
        .args(["list", "--tag", "linked-lists"])
        .assert()
        .code(2);
    assert_eq!(stdout_of(&assert), "", "no empty table");
    assert_eq!(
        stderr_of(&assert),
        "error: no exercise in the built-in catalogue has the tag `linked-lists`\n  \
         help: did you mean `linked-list`? (`kata list` shows every exercise's tags)\n"
    );
    // Nothing close: where to look instead.
    kata()
        .args(["list", "--tag", "quantum-chromodynamics"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "help: `kata list` shows every exercise's tags",
        ));
    // A known tag still filters.
    kata()
        .args(["list", "--tag", "linked-list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("reverse-linked-list"));
}

#[test]
fn a_filter_that_matches_nothing_says_so() {
    let expected = "No exercise in {CATALOGUE} matches `--tag design --difficulty easy`; \
                    `kata list` without it shows all {COUNT}.\n";
    let built_in = stdout_of(
        &kata()
            .args(["list", "--tag", "design", "--difficulty", "easy"])
            .assert()
            .success(),
    );
    let count = stdout_of(&kata().args(["list", "--format", "json"]).assert().success())
        .matches("\"id\":")
        .count();
    assert_eq!(
        built_in,
        expected
            .replace("{CATALOGUE}", "the built-in catalogue")
            .replace("{COUNT}", &count.to_string())
    );
    // In a workspace too (the list with progress marks).
    let learner = Learner::new();
    let listed = stdout_of(
        &learner
            .kata(&["list", "--tag", "design", "--difficulty", "easy"])
            .success(),
    );
    assert!(
        listed.starts_with("No exercise in `") && listed.ends_with("shows all 4.\n"),
        "{listed}"
    );
}

#[test]
fn commands_accept_the_underscore_form_of_an_id() {
    let learner = Learner::new();
    learner
        .kata(&["start", "lru_cache"])
        .success()
        .stdout(predicate::str::contains("Wrote lru_cache.py"));
    assert!(
        learner
            .read("lru_cache.py")
            .starts_with("# kata: lru-cache\n")
    );
    assert!(learner.read(".kata/progress.toml").contains("lru-cache"));
    learner
        .kata(&["hint", "lru_cache"])
        .success()
        .stdout(predicate::str::contains("Hint 1 of 3"));
    kata()
        .args(["show", "reverse_linked_list"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("reverse-linked-list"));
    // A misspelling is still refused, with the hyphenated suggestion.
    kata()
        .args(["show", "lru_cach"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `lru-cache`?"));
}

#[test]
fn check_refuses_a_misspelt_exercise_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.py");
    std::fs::write(&file, lru_solution()).unwrap();
    let assert = kata()
        .arg("check")
        .arg(&file)
        .args(["--exercise", "lru-cach"])
        .assert()
        .code(2);
    assert_eq!(stdout_of(&assert), "", "nothing was graded");
    assert_eq!(
        stderr_of(&assert),
        "error: no exercise named `lru-cach` in the built-in catalogue\n  \
         help: did you mean `lru-cache`? (`kata list` shows them all)\n"
    );
    // The underscore form names the file's own exercise: no warning.
    kata()
        .arg("check")
        .arg(&file)
        .args(["--exercise", "lru_cache"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").not());
    // A real mismatch is graded as asked, with the warning.
    kata()
        .arg("check")
        .arg(&file)
        .args(["--exercise", "three-sum"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "says it is for `lru-cache`; grading it against `three-sum` as asked",
        ));
}
