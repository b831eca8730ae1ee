//! The command-line conventions: shell completions, the man page, `kata check` finding the
//! exercise by the file's name as `kata grade` does, and `kata validate ID`.

use std::fs;
use std::process::Command;

use clap::CommandFactory;
use kata::cli::Cli;
use predicates::prelude::*;
use serde_json::Value;

use crate::support::{check_path, fixtures, kata};

fn stdout_of(args: &[&str]) -> String {
    let output = kata().args(args).output().unwrap();
    assert!(output.status.success(), "kata {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Sources a completion script ($1), sets up what bash sets before calling a completion
/// function for the line $2 (completing its last word), calls it and prints what it offers.
const COMPLETE_IN_BASH: &str = r#"source "$1"
complete -p kata >/dev/null || exit 7
COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}
read -r -a COMP_WORDS <<< "$2"
[[ "$2" == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
_kata kata "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"#;

/// What the script offers for `line` on Tab, in a real bash.
fn bash_completions(script: &std::path::Path, line: &str) -> Vec<String> {
    let output = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", COMPLETE_IN_BASH, "bash"])
        .arg(script)
        .arg(line)
        .output()
        .unwrap();
    assert!(output.status.success(), "{line:?}: {output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_subcommands_and_options() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("kata.bash");
    fs::write(&script, stdout_of(&["completions", "bash"])).unwrap();

    assert_eq!(bash_completions(&script, "kata ch"), ["check"]);
    let offered = bash_completions(&script, "kata va");
    assert_eq!(offered, ["validate"]);
    let options = bash_completions(&script, "kata grade --js");
    assert_eq!(options, ["--json"]);
    let everything = bash_completions(&script, "kata ");
    for command in ["check", "grade", "validate", "completions", "man"] {
        assert!(everything.iter().any(|c| c == command), "{everything:?}");
    }
}

#[test]
fn every_shell_gets_a_script_and_an_unknown_one_is_a_usage_error() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        assert!(
            // fish spells options without their dashes (`-l exercise`).
            script.contains("validate") && script.contains("exercise"),
            "{shell}: {script}"
        );
    }
    kata()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'tcsh'"));
}

#[test]
fn the_man_page_is_roff_that_groff_reads_and_lists_every_subcommand() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH kata 1"), "{page}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "no {section} in {page}");
    }
    let command = Cli::command();
    let subcommands: Vec<&str> = command.get_subcommands().map(|s| s.get_name()).collect();
    assert!(subcommands.len() > 15, "{subcommands:?}");
    for name in subcommands {
        // clap_mangen names each subcommand's page, with roff's escaped hyphen.
        assert!(
            page.contains(&format!("kata\\-{name}")),
            "no {name} in {page}"
        );
    }

    // groff itself parses it, with every warning on, and finds nothing to complain about.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kata.1");
    fs::write(&file, &page).unwrap();
    let output = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Grade Python coding exercises"), "{text}");
}

/// Bob's `reverse_words.py`, with no `# kata:` line, graded by `kata check` and by `kata grade`.
#[test]
fn check_finds_the_exercise_by_the_file_name_as_grade_does() {
    let class = tempfile::tempdir().unwrap();
    let bob = class.path().join("bob");
    fs::create_dir(&bob).unwrap();
    let file = bob.join("reverse_words.py");
    fs::write(
        &file,
        "def reverse_words(sentence):\n    return ' '.join(reversed(sentence.split()))\n",
    )
    .unwrap();

    let checked = check_path(&file, "json", &[]);
    assert_eq!(checked.status, 0, "{}{}", checked.stdout, checked.stderr);
    assert_eq!(checked.json()["exercise"], "reverse-words");

    let output = kata()
        .arg("grade")
        .arg(class.path())
        .args(["--quiet", "--json", "-", "--sandbox", "subprocess"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["submissions"][0]["exercise"], "reverse-words");

    // The file's name only decides when nothing else does: the header wins, then --exercise.
    fs::write(
        &file,
        "# kata: three-sum\ndef three_sum(nums):\n    return []\n",
    )
    .unwrap();
    let checked = check_path(&file, "json", &[]);
    assert_eq!(checked.json()["exercise"], "three-sum");
    let output = kata()
        .arg("check")
        .arg(&file)
        .args(["--exercise", "sum-integers-in-file", "--format", "json"])
        .output()
        .unwrap();
    let checked: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(checked["exercise"], "sum-integers-in-file");
}

#[test]
fn check_names_an_invalid_exercise_found_by_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("many_problems.py");
    fs::write(&file, "x = 1\n").unwrap();
    kata()
        .arg("--exercises")
        .arg(fixtures().join("invalid"))
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("many-problems.toml"));
}

#[test]
fn validate_takes_exercise_ids_as_well_as_paths() {
    kata()
        .args(["validate", "three-sum"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("three-sum")
                .and(predicate::str::contains("reference passes all"))
                .and(predicate::str::contains("1 exercise valid, 0 invalid")),
        );
    // An id in --exercises, next to a path.
    kata()
        .arg("--exercises")
        .arg(fixtures().join("exercises"))
        .arg("validate")
        .arg("echo")
        .arg(fixtures().join("exercises/greeting.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("2 exercises valid, 0 invalid"));
    // An invalid exercise named by id reports its problems, as its path would.
    kata()
        .arg("--exercises")
        .arg(fixtures().join("invalid"))
        .args(["validate", "many-problems"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("many-problems.toml"));
    kata()
        .args(["validate", "three-sun"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `three-sum`?"));
    // A path that does not exist is still reported as a missing file.
    kata()
        .args(["validate", "three-sum.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read `three-sum.toml`"));
}
