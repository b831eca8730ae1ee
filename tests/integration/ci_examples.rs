//! The example CI configurations in docs/ci/: they parse, they keep the jobs that run students'
//! code to reading the repository, they shard and merge, every kata command in them parses, and
//! those commands, run the way the CI would run them, grade a class and produce reports the
//! other tests accept.
//!
//! The examples grade with `--sandbox wasm` (the default of `kata grade` once the wasm sandbox
//! is merged); the tests run their `kata grade` commands with `--sandbox subprocess` instead, so
//! that they need no wasm runtime and pass with or without it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

use crate::grade::assert_matches_schema;
use crate::support::fixtures;

const EXAMPLES: [&str; 2] = ["github-actions.yml", "gitlab-ci.yml"];

fn load(name: &str) -> Yaml {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/ci")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut documents = YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()));
    assert_eq!(documents.len(), 1, "{name} is one document");
    documents.remove(0)
}

fn text(yaml: &Yaml) -> &str {
    yaml.as_str().unwrap_or_default()
}

fn steps(job: &Yaml) -> &[Yaml] {
    job["steps"].as_vec().map_or(&[], Vec::as_slice)
}

/// The `run:` script of the job's only step whose script mentions `needle`.
fn run_step<'a>(job: &'a Yaml, needle: &str) -> &'a str {
    let scripts: Vec<&str> = steps(job)
        .iter()
        .map(|step| text(&step["run"]))
        .filter(|run| run.contains(needle))
        .collect();
    assert_eq!(scripts.len(), 1, "one step runs `{needle}`: {scripts:?}");
    scripts[0]
}

/// A GitHub `permissions:` block as (scope, access) pairs.
fn permissions(block: &Yaml) -> Vec<(String, String)> {
    block
        .as_hash()
        .map(|hash| {
            hash.iter()
                .map(|(scope, access)| (text(scope).to_string(), text(access).to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// The actions the example workflow may name, each at its current major version. Moving an
/// action to a new version means checking what it needs (dorny/test-reporter v3, for one,
/// needs `actions: read`) and updating this list.
const CURRENT_ACTIONS: [&str; 7] = [
    "actions/checkout@v6",
    "actions/cache@v5",
    "actions/upload-artifact@v6",
    "actions/download-artifact@v7",
    "actions/setup-node@v6",
    "dtolnay/rust-toolchain@stable",
    "dorny/test-reporter@v3",
];

#[test]
fn the_github_workflow_grades_in_shards_with_least_privilege() {
    let workflow = load("github-actions.yml");
    assert!(
        !workflow["on"].is_badvalue(),
        "the workflow says when it runs"
    );
    assert_eq!(
        permissions(&workflow["permissions"]),
        [("contents".to_string(), "read".to_string())],
        "the workflow's token can only read the repository"
    );

    let jobs = workflow["jobs"].as_hash().expect("jobs");
    for (name, job) in jobs {
        let name = text(name);
        let runs_kata_grade = steps(job)
            .iter()
            .any(|step| text(&step["run"]).contains("kata grade"));
        for (scope, access) in permissions(&job["permissions"]) {
            if access == "write" {
                assert!(
                    !runs_kata_grade && scope == "checks",
                    "job {name}: only a job that runs no student code may write, and only checks"
                );
            }
        }
        for step in steps(job) {
            let uses = text(&step["uses"]);
            if uses.is_empty() {
                continue;
            }
            assert!(
                CURRENT_ACTIONS.contains(&uses),
                "job {name}: `{uses}` is not the current version of an action the example may \
                 use ({CURRENT_ACTIONS:?}); update the workflow and this list together"
            );
            if uses.starts_with("actions/checkout@") {
                assert_eq!(
                    step["with"]["persist-credentials"].as_bool(),
                    Some(false),
                    "job {name}: checkouts leave no token on disk"
                );
            }
        }
    }

    let grade = &workflow["jobs"]["grade"];
    let shards: Vec<i64> = grade["strategy"]["matrix"]["shard"]
        .as_vec()
        .expect("a matrix over shards")
        .iter()
        .filter_map(Yaml::as_i64)
        .collect();
    assert_eq!(shards, [1, 2, 3]);
    let script = run_step(grade, "kata grade");
    assert!(
        script.contains("--shard \"${{ matrix.shard }}/3\""),
        "{script}"
    );
    assert!(script.contains("--json \"shard-${{ matrix.shard }}.json\""));
    assert!(
        script.contains("|| test $? -eq 1"),
        "failing students do not fail the job"
    );
    assert!(script.contains("--sandbox wasm"), "{script}");
    let cache = steps(grade)
        .iter()
        .position(|step| {
            text(&step["uses"]).starts_with("actions/cache@")
                && text(&step["with"]["path"]) == "~/.cache/kata"
        })
        .expect("the grade jobs keep the wasm runtime in the cache");
    let install = steps(grade)
        .iter()
        .position(|step| text(&step["run"]).trim() == "kata runtime install")
        .expect("the grade jobs install the wasm runtime");
    let grading = steps(grade)
        .iter()
        .position(|step| text(&step["run"]).contains("kata grade"))
        .unwrap();
    assert!(
        cache < install && install < grading,
        "cache, install, then grade"
    );
    let uploads: Vec<&str> = steps(grade)
        .iter()
        .filter(|step| text(&step["uses"]).starts_with("actions/upload-artifact@"))
        .map(|step| text(&step["with"]["path"]))
        .collect();
    assert_eq!(uploads, ["shard-${{ matrix.shard }}.json"]);

    let merge = &workflow["jobs"]["merge"];
    assert_eq!(text(&merge["needs"]), "grade");
    let script = run_step(merge, "kata report merge");
    for output in [
        "--json all.json",
        "--junit all.xml",
        "--csv gradebook.csv",
        "--html class.html",
    ] {
        assert!(script.contains(output), "{script}");
    }

    let publish = &workflow["jobs"]["publish"];
    assert_eq!(text(&publish["needs"]), "merge");
    let reporter = steps(publish)
        .iter()
        .find(|step| text(&step["uses"]).starts_with("dorny/test-reporter@"))
        .expect("the JUnit report is published");
    assert_eq!(text(&reporter["with"]["path"]), "all.xml");
    assert_eq!(text(&reporter["with"]["reporter"]), "java-junit");
    assert_eq!(
        permissions(&publish["permissions"]),
        [
            ("contents".to_string(), "read".to_string()),
            ("actions".to_string(), "read".to_string()),
            ("checks".to_string(), "write".to_string()),
        ],
        "test-reporter v3 needs actions: read, and writes checks"
    );
}

/// The images the example pipeline may name: kata's minimum Rust, a current Python (its pip
/// fetches the wasm runtime) and Debian stable, all on the same Debian release so that the
/// binary built in one runs in the others.
const CURRENT_IMAGES: [&str; 3] = [
    "rust:1.95-trixie",
    "python:3.13-trixie",
    "debian:trixie-slim",
];

#[test]
fn the_gitlab_pipeline_names_current_images_of_one_debian_release() {
    let pipeline = load("gitlab-ci.yml");
    let mut images = Vec::new();
    for (name, job) in pipeline.as_hash().expect("a pipeline") {
        let image = text(&job["image"]);
        if image.is_empty() {
            continue;
        }
        assert!(
            CURRENT_IMAGES.contains(&image),
            "job {}: image `{image}` is not in {CURRENT_IMAGES:?}; update both together",
            text(name)
        );
        images.push(image);
    }
    assert_eq!(images.len(), 4, "every job names its image");
}

#[test]
fn the_gitlab_pipeline_grades_in_parallel_and_reports_junit() {
    let pipeline = load("gitlab-ci.yml");
    let grade = &pipeline["grade"];
    assert_eq!(grade["parallel"].as_i64(), Some(3));
    let script = gitlab_script(grade);
    assert!(
        script.contains("--shard \"$CI_NODE_INDEX/$CI_NODE_TOTAL\""),
        "{script}"
    );
    assert!(script.contains("|| test $? -eq 1"));
    assert!(script.contains("--sandbox wasm"), "{script}");
    assert_eq!(
        grade["artifacts"]["paths"][0].as_str(),
        Some("shard-*.json")
    );
    let runtime = &pipeline["kata-runtime"];
    assert!(gitlab_script(runtime).contains("kata runtime install"));
    assert_eq!(
        text(&runtime["cache"]["paths"][0]),
        ".kata-cache/",
        "the wasm runtime is kept in GitLab's cache"
    );
    assert_eq!(
        text(&pipeline["variables"]["KATA_CACHE_DIR"]),
        "$CI_PROJECT_DIR/.kata-cache"
    );
    let needs: Vec<&str> = grade["needs"]
        .as_vec()
        .expect("needs")
        .iter()
        .map(text)
        .collect();
    assert!(needs.contains(&"kata-runtime"), "{needs:?}");

    let merge = &pipeline["merge"];
    let needs: Vec<&str> = merge["needs"]
        .as_vec()
        .expect("needs")
        .iter()
        .map(text)
        .collect();
    assert!(needs.contains(&"grade"), "{needs:?}");
    assert!(gitlab_script(merge).contains("kata report merge shard-*.json"));
    assert_eq!(text(&merge["artifacts"]["reports"]["junit"]), "all.xml");
    let stages: Vec<&str> = pipeline["stages"]
        .as_vec()
        .expect("stages")
        .iter()
        .map(text)
        .collect();
    for job in ["build-kata", "kata-runtime", "grade", "merge"] {
        assert!(
            stages.contains(&text(&pipeline[job]["stage"])),
            "{job}'s stage is declared"
        );
    }
}

/// A GitLab job's `script:` lines, as one shell script.
fn gitlab_script(job: &Yaml) -> String {
    job["script"]
        .as_vec()
        .expect("a script")
        .iter()
        .map(|line| format!("{}\n", text(line)))
        .collect()
}

/// `script` grading with the subprocess sandbox instead of the wasm sandbox the examples use, so
/// that it runs without the wasm runtime, before and after the wasm sandbox is merged.
fn with_subprocess_sandbox(script: &str) -> String {
    assert!(
        script.contains("kata grade ") && script.contains("--sandbox wasm"),
        "the example grades with the wasm sandbox: {script}"
    );
    script.replace("--sandbox wasm", "--sandbox subprocess")
}

/// A scratch repository holding a small class in `submissions/`: two students, three
/// submissions, one of them failing.
fn class_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("class/ada/lru_cache.py", "submissions/ada/lru_cache.py"),
        ("class/ada/three-sum.py", "submissions/ada/three-sum.py"),
        (
            "class/cy/reverse_linked_list.py",
            "submissions/cy/reverse_linked_list.py",
        ),
    ] {
        let to = dir.path().join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixtures().join(from), to).unwrap();
    }
    dir
}

/// Runs a CI script the way the runners do (bash, stop at the first failure) in `dir`, with
/// this build's kata on PATH.
fn run_script(dir: &Path, script: &str, env: &[(&str, &str)]) {
    let output = Command::new("bash")
        .args([
            "--noprofile",
            "--norc",
            "-e",
            "-o",
            "pipefail",
            "-c",
            script,
        ])
        .current_dir(dir)
        .env("PATH", path_with_kata())
        .env_remove("KATA_EXERCISES")
        .env_remove("KATA_PYTHON")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the CI script failed ({}):\n{script}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn assert_merged_class(dir: &Path) {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("all.json")).unwrap()).unwrap();
    assert_matches_schema(&json);
    assert_eq!(json["summary"]["submissions"], 3, "every shard was merged");
    assert_eq!(json["summary"]["failed"], 1);
    let junit = std::fs::read_to_string(dir.join("all.xml")).unwrap();
    quick_junit::Report::deserialize_from_str(&junit).expect("all.xml is JUnit");
    let page = std::fs::read_to_string(dir.join("class.html")).unwrap();
    assert!(
        page.starts_with("<!DOCTYPE html>") && page.matches("submissions/").count() >= 3,
        "the merge writes the class's HTML page, naming every submission"
    );
}

#[test]
fn the_github_workflow_commands_grade_and_merge_a_class() {
    let workflow = load("github-actions.yml");
    let repo = class_repository();
    let dir = repo.path();
    let grade = with_subprocess_sandbox(run_step(&workflow["jobs"]["grade"], "kata grade"));
    for shard in 1..=3 {
        let script = grade.replace("${{ matrix.shard }}", &shard.to_string());
        run_script(dir, &script, &[("GITHUB_ACTIONS", "true")]);
    }
    // What download-artifact with `pattern: shard-*` and `merge-multiple: true` does.
    std::fs::create_dir(dir.join("shards")).unwrap();
    for shard in 1..=3 {
        let name = format!("shard-{shard}.json");
        std::fs::rename(dir.join(&name), dir.join("shards").join(&name)).unwrap();
    }
    let summary = dir.join("step-summary.md");
    let merge = run_step(&workflow["jobs"]["merge"], "kata report merge");
    run_script(
        dir,
        merge,
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ],
    );
    assert_merged_class(dir);
    let csv = std::fs::read_to_string(dir.join("gradebook.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4, "a header and three submissions");
    let summary = std::fs::read_to_string(summary).unwrap();
    assert!(
        summary.contains("**2 of 3 submissions passed**, 1 failed")
            && summary.matches("| submissions\\/").count() == 3,
        "the run's page shows kata's table of the class: {summary}"
    );
}

#[test]
fn the_gitlab_pipeline_commands_grade_and_merge_a_class() {
    let pipeline = load("gitlab-ci.yml");
    let repo = class_repository();
    let dir = repo.path();
    let grade = with_subprocess_sandbox(&gitlab_script(&pipeline["grade"]));
    for shard in 1..=3 {
        let index = shard.to_string();
        run_script(
            dir,
            &grade,
            &[("CI_NODE_INDEX", index.as_str()), ("CI_NODE_TOTAL", "3")],
        );
    }
    run_script(dir, &gitlab_script(&pipeline["merge"]), &[]);
    assert_merged_class(dir);
}

#[test]
fn every_kata_command_in_the_examples_parses() {
    for name in EXAMPLES {
        let yaml = load(name);
        let mut scripts = Vec::new();
        collect_scripts(&yaml, &mut scripts);
        let commands: Vec<String> = scripts
            .iter()
            .flat_map(|script| kata_commands(&github_expressions_filled(script)))
            .collect();
        assert!(
            commands.len() >= 3,
            "{name}: runtime install, grade and merge: {commands:?}"
        );
        for command in &commands {
            assert_parses(name, command);
        }
    }
}

/// Every shell script in a CI file: GitHub steps' `run`, GitLab jobs' `script`,
/// `before_script` and `after_script`.
fn collect_scripts(yaml: &Yaml, scripts: &mut Vec<String>) {
    match yaml {
        Yaml::Hash(hash) => {
            for (key, value) in hash {
                match (text(key), value) {
                    ("run", Yaml::String(script)) => scripts.push(script.clone()),
                    ("script" | "before_script" | "after_script", Yaml::Array(lines)) => {
                        scripts.extend(lines.iter().map(|line| text(line).to_string()));
                    }
                    ("script" | "before_script" | "after_script", Yaml::String(script)) => {
                        scripts.push(script.clone());
                    }
                    _ => collect_scripts(value, scripts),
                }
            }
        }
        Yaml::Array(items) => items.iter().for_each(|item| collect_scripts(item, scripts)),
        _ => {}
    }
}

/// `script` with every GitHub expression (`${{ matrix.shard }}`) replaced by a sample value.
fn github_expressions_filled(script: &str) -> String {
    let mut filled = String::new();
    let mut rest = script;
    while let Some(start) = rest.find("${{") {
        let end = rest[start..].find("}}").expect("an expression is closed") + start + 2;
        filled.push_str(&rest[..start]);
        filled.push('1');
        rest = &rest[end..];
    }
    filled + rest
}

/// The kata commands of a shell script, as written (continued lines joined), each up to the
/// first shell operator or redirection after it. Good enough for the simple scripts of CI
/// files and of the guide, not a shell parser.
pub(crate) fn kata_commands(script: &str) -> Vec<String> {
    let mut commands = Vec::new();
    for line in script.replace("\\\n", " ").lines() {
        let mut at_start = true;
        let mut current: Option<Vec<String>> = None;
        for token in shell_words(line) {
            if token.starts_with('#') {
                break;
            }
            let (word, ends_command) = match token.strip_suffix(';') {
                Some(word) => (word.to_string(), true),
                None => (token.clone(), false),
            };
            let operator = matches!(word.as_str(), "||" | "&&" | "|" | "&" | ";");
            let redirection = word.contains('>') || word.contains('<');
            if let Some(command) = &mut current {
                if operator || redirection {
                    commands.push(current.take().unwrap().join(" "));
                } else {
                    command.push(word.clone());
                    if ends_command {
                        commands.push(current.take().unwrap().join(" "));
                    }
                }
            } else if at_start && word == "kata" {
                current = Some(vec![word.clone()]);
                if ends_command {
                    commands.push(current.take().unwrap().join(" "));
                }
            }
            let keyword = matches!(
                word.as_str(),
                "do" | "then" | "else" | "if" | "while" | "until" | "!" | "{" | "("
            );
            let assignment = word.split_once('=').is_some_and(|(name, _)| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            at_start = operator || ends_command || (at_start && (keyword || assignment));
        }
        if let Some(command) = current {
            commands.push(command.join(" "));
        }
    }
    commands
}

/// A line split into words at unquoted white space; quotes are kept.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    for c in line.chars() {
        match (quote, c) {
            (None, '\'' | '"') => {
                quote = Some(c);
                word.push(c);
            }
            (Some(q), _) if c == q => {
                quote = None;
                word.push(c);
            }
            (None, c) if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Sample values for the shell variables the documented kata commands use.
const SAMPLE_VARIABLES: &[(&str, &str)] =
    &[("CI_NODE_INDEX", "2"), ("CI_NODE_TOTAL", "3"), ("k", "2")];

/// Checks that a documented kata command parses: with `--help` after its last argument, kata
/// checks its subcommand, every option and every option's value before it prints the help.
pub(crate) fn assert_parses(origin: &str, command: &str) {
    let (success, stdout, stderr) = shell(&format!("{command} --help"));
    // `kata --version --help` prints the version, every other command its usage.
    assert!(
        success && (stdout.contains("Usage: kata") || stdout.starts_with("kata ")),
        "{origin}: `{command}` does not parse:\n{stderr}"
    );
}

/// Runs a line of shell with this build's kata first on PATH and the sample variables set.
fn shell(line: &str) -> (bool, String, String) {
    let output = Command::new("bash")
        .args(["--noprofile", "--norc", "-c", line])
        .env("PATH", path_with_kata())
        .envs(SAMPLE_VARIABLES.iter().copied())
        .env_remove("KATA_EXERCISES")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// PATH with the kata under test first.
pub(crate) fn path_with_kata() -> std::ffi::OsString {
    let kata = PathBuf::from(env!("CARGO_BIN_EXE_kata"));
    let mut paths = vec![kata.parent().unwrap().to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

#[test]
fn kata_commands_are_found_in_shell_scripts() {
    let script = "for k in 1 2 3; do\n  kata grade c --shard \"$k/3\" \\\n    --json \"s-$k.json\" || test $? -eq 1\ndone\n\
                  GITHUB_ACTIONS=true kata grade c --quiet 2>/dev/null | grep '^::'\n\
                  echo kata grade; kata report merge a.json > out.txt # kata --no\n";
    assert_eq!(
        kata_commands(script),
        [
            "kata grade c --shard \"$k/3\" --json \"s-$k.json\"",
            "kata grade c --quiet",
            "kata report merge a.json",
        ]
    );
}
