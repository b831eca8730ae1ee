//! The example CI configurations in docs/ci/: they parse, they keep the jobs that run students'
//! code to reading the repository, they shard and merge, and their kata commands, run the way
//! the CI would run them, grade a class and produce reports the other tests accept.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

use crate::grade::assert_matches_schema;
use crate::support::fixtures;

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
                uses.contains('@'),
                "job {name}: `{uses}` is pinned to a version"
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
    let uploads: Vec<&str> = steps(grade)
        .iter()
        .filter(|step| text(&step["uses"]).starts_with("actions/upload-artifact@"))
        .map(|step| text(&step["with"]["path"]))
        .collect();
    assert_eq!(uploads, ["shard-${{ matrix.shard }}.json"]);

    let merge = &workflow["jobs"]["merge"];
    assert_eq!(text(&merge["needs"]), "grade");
    let script = run_step(merge, "kata report merge");
    for output in ["--json all.json", "--junit all.xml", "--csv gradebook.csv"] {
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
    assert_eq!(
        grade["artifacts"]["paths"][0].as_str(),
        Some("shard-*.json")
    );

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
    for job in ["build-kata", "grade", "merge"] {
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
    let kata = PathBuf::from(env!("CARGO_BIN_EXE_kata"));
    let mut paths = vec![kata.parent().unwrap().to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
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
        .env("PATH", std::env::join_paths(paths).unwrap())
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
}

#[test]
fn the_github_workflow_commands_grade_and_merge_a_class() {
    let workflow = load("github-actions.yml");
    let repo = class_repository();
    let dir = repo.path();
    let grade = run_step(&workflow["jobs"]["grade"], "kata grade");
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
        summary.contains("2 passed, 1 failed"),
        "the run's page shows the summary: {summary}"
    );
}

#[test]
fn the_gitlab_pipeline_commands_grade_and_merge_a_class() {
    let pipeline = load("gitlab-ci.yml");
    let repo = class_repository();
    let dir = repo.path();
    let grade = gitlab_script(&pipeline["grade"]);
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
