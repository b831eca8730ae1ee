//! docs/grading-in-ci.md, followed as written.
//!
//! The guide marks what can be checked with HTML comments, which Markdown does not show:
//!
//! - `<!-- guide-test: exit N -->` before a `sh` block: run it (bash, `-e -o pipefail`) in one
//!   scratch directory, in the guide's order, with this build's kata first on PATH; it must
//!   exit with N;
//! - `<!-- guide-test: stdout -->` before a `text` block: the block is exactly what the last
//!   command block printed on standard output;
//! - `<!-- guide-test: file PATH -->` before a `text` block: the block is exactly that file;
//! - `<!-- guide-test: report -->` before a `json` block: the example is a valid report.
//!
//! The scratch directory holds a link to this repository's `tests`, so the guide's commands can
//! copy the example class as a reader of a kata clone would. When every block has run, the
//! reports the guide wrote must be the reports the other tests accept.
//!
//! Every `kata grade` the test runs names `--sandbox subprocess` (the default becomes wasm with
//! the wasm sandbox, whose runtime the test does not install), and every kata command in any
//! `sh` block, run or not, must parse.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::ci_examples::{assert_parses, kata_commands, path_with_kata};
use crate::grade::{HIDDEN_INPUT, assert_matches_schema};

const GUIDE: &str = "docs/grading-in-ci.md";

#[derive(Debug)]
enum Check {
    Run { status: i32, script: String },
    Stdout(String),
    File { path: String, text: String },
    Report(String),
}

/// The marked blocks of the guide, in order, each with its line number.
fn checks(guide: &str) -> Vec<(usize, Check)> {
    let lines: Vec<&str> = guide.lines().collect();
    let mut checks = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(marker) = line
            .trim()
            .strip_prefix("<!-- guide-test:")
            .and_then(|rest| rest.strip_suffix("-->"))
        else {
            continue;
        };
        let fence = lines.get(index + 1).copied().unwrap_or_default();
        let body: Vec<&str> = lines[index + 2..]
            .iter()
            .take_while(|line| **line != "```")
            .copied()
            .collect();
        let block = body.join("\n") + "\n";
        let number = index + 1;
        let marker = marker.trim();
        let check = if let Some(status) = marker.strip_prefix("exit ") {
            assert_eq!(fence, "```sh", "{GUIDE}:{number}: a command block is ```sh");
            Check::Run {
                status: status.parse().expect("exit takes a number"),
                script: block,
            }
        } else if marker == "stdout" {
            assert_eq!(fence, "```text", "{GUIDE}:{number}");
            Check::Stdout(block)
        } else if let Some(path) = marker.strip_prefix("file ") {
            assert_eq!(fence, "```text", "{GUIDE}:{number}");
            Check::File {
                path: path.to_string(),
                text: block,
            }
        } else if marker == "report" {
            assert_eq!(fence, "```json", "{GUIDE}:{number}");
            Check::Report(block)
        } else {
            panic!("{GUIDE}:{number}: unknown guide-test marker `{marker}`");
        };
        checks.push((number, check));
    }
    checks
}

/// Every ```sh block of the guide, marked or not, with its line number.
fn shell_blocks(guide: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = guide.lines().collect();
    let mut blocks = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if *line == "```sh" {
            let body: Vec<&str> = lines[index + 1..]
                .iter()
                .take_while(|line| **line != "```")
                .copied()
                .collect();
            blocks.push((index + 1, body.join("\n") + "\n"));
        }
    }
    blocks
}

#[test]
fn every_kata_command_in_the_guide_parses() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(repo.join(GUIDE)).unwrap();
    let mut count = 0;
    for (line, block) in shell_blocks(&guide) {
        for command in kata_commands(&block) {
            assert_parses(&format!("{GUIDE}:{line}"), &command);
            count += 1;
        }
    }
    assert!(
        count >= 10,
        "the guide's kata commands were found ({count})"
    );
}

#[test]
fn the_guide_works_as_written() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(repo.join(GUIDE)).unwrap();
    let checks = checks(&guide);
    let runs = checks
        .iter()
        .filter(|(_, check)| matches!(check, Check::Run { .. }))
        .count();
    assert!(runs >= 6, "the guide's commands are marked to be run");
    // `kata grade` defaults to the wasm sandbox once it is merged: the commands run here name the
    // subprocess sandbox, so that they need no wasm runtime and pass with or without it.
    for (line, check) in &checks {
        if let Check::Run { script, .. } = check {
            for command in kata_commands(script) {
                if command.starts_with("kata grade") {
                    assert!(
                        command.contains("--sandbox subprocess"),
                        "{GUIDE}:{line}: `{command}` names its sandbox, --sandbox subprocess"
                    );
                }
            }
        }
    }

    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    std::os::unix::fs::symlink(repo.join("tests"), dir.join("tests")).unwrap();
    let mut last_stdout = String::new();
    for (line, check) in &checks {
        match check {
            Check::Run { status, script } => {
                let output = Command::new("bash")
                    .args(["-e", "-o", "pipefail", "-c", script])
                    .current_dir(dir)
                    .env("PATH", path_with_kata())
                    .env("NO_COLOR", "1")
                    .env_remove("GITHUB_ACTIONS")
                    .env_remove("KATA_EXERCISES")
                    .env_remove("KATA_PYTHON")
                    .output()
                    .unwrap();
                last_stdout = String::from_utf8(output.stdout).unwrap();
                assert_eq!(
                    output.status.code(),
                    Some(*status),
                    "{GUIDE}:{line}: the block exits with another status\n{script}\n\
                     stdout:\n{last_stdout}\nstderr:\n{}",
                    String::from_utf8_lossy(&output.stderr)
                );
            }
            Check::Stdout(text) => {
                assert_eq!(
                    &last_stdout, text,
                    "{GUIDE}:{line}: the output shown is not what the command printed"
                );
            }
            Check::File { path, text } => {
                let actual = std::fs::read_to_string(dir.join(path))
                    .unwrap_or_else(|e| panic!("{GUIDE}:{line}: {path}: {e}"));
                assert_eq!(&actual, text, "{GUIDE}:{line}: {path} is not as shown");
            }
            Check::Report(text) => {
                let example: Value = serde_json::from_str(text)
                    .unwrap_or_else(|e| panic!("{GUIDE}:{line}: the example is not JSON: {e}"));
                assert_matches_schema(&example);
            }
        }
    }

    // The reports the guide wrote are the ones kata's own tests accept.
    let reports = dir.join("reports");
    for name in [
        "class.json",
        "all.json",
        "shard-1.json",
        "shard-2.json",
        "shard-3.json",
    ] {
        let json: Value =
            serde_json::from_str(&std::fs::read_to_string(reports.join(name)).unwrap()).unwrap();
        assert_matches_schema(&json);
    }
    for name in ["class.xml", "all.xml"] {
        let xml = std::fs::read_to_string(reports.join(name)).unwrap();
        let junit = quick_junit::Report::deserialize_from_str(&xml)
            .unwrap_or_else(|e| panic!("{name} is not JUnit: {e}"));
        assert_eq!(
            junit.test_suites.len(),
            7,
            "{name}: six submissions and the ungraded files"
        );
        if let Err(error) = crate::support::validate_junit(&reports.join(name)) {
            panic!("{name}: {error}");
        }
    }
    for name in ["class.tap", "all.tap"] {
        let tap = std::fs::read_to_string(reports.join(name)).unwrap();
        assert!(tap.starts_with("TAP version 13\n"), "{name}: {tap}");
        assert!(tap.contains("\n1..6\n"), "{name}: six submissions\n{tap}");
    }
    assert_eq!(
        std::fs::read_to_string(reports.join("all.csv")).unwrap(),
        std::fs::read_to_string(reports.join("gradebook.csv")).unwrap(),
        "merging the shards gives the gradebook of one unsharded run"
    );
    for entry in std::fs::read_dir(&reports).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains(HIDDEN_INPUT),
            "{} leaks a hidden input",
            path.display()
        );
    }
}
