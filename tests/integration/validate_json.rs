//! `kata validate --format json`: the proof model for tools, checked against
//! docs/validate.schema.json on every output.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{fixtures, kata};

fn schema() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/validate.schema.json");
    let schema: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the documented schema is a valid JSON Schema")
}

/// Runs `kata validate --format json` on `paths`: the exit status and the parsed report, which
/// must match the schema.
fn validate(paths: &[&Path]) -> (i32, Value) {
    let output = kata()
        .args(["validate", "--format", "json"])
        .args(paths)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is one JSON object ({e}):\n{stdout}"));
    let errors: Vec<String> = schema()
        .iter_errors(&report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the report does not match docs/validate.schema.json:\n{}\n{report:#}",
        errors.join("\n")
    );
    (output.status.code().unwrap(), report)
}

fn exercise<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no exercise `{id}` in {report:#}"))
}

fn kinds(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item["kind"].as_str().unwrap())
        .collect()
}

/// The first problem of `kind`.
fn problem<'a>(exercise: &'a Value, kind: &str) -> &'a Value {
    exercise["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == kind)
        .unwrap_or_else(|| panic!("no `{kind}` problem in {exercise:#}"))
}

/// Two sum, with `extra` TOML (keys of the header first, then tables) and the given starter.
fn two_sum(dir: &Path, id: &str, starter: &str, extra: &str) -> PathBuf {
    let file = dir.join(format!("{id}.toml"));
    let text = format!(
        r#"format = 1
title = "Two sum"
difficulty = "easy"
prompt = "Return the indices of the two numbers in `nums` that add up to `target`."
starter = '''
{starter}
'''
reference = '''
def two_sum(nums, target):
    seen = {{}}
    for i, n in enumerate(nums):
        if target - n in seen:
            return [seen[target - n], i]
        seen[n] = i
'''

[[case]]
name = "small"
call = "two_sum([2, 7, 11, 15], 9)"
expect = "[0, 1]"

[[case]]
name = "later"
call = "two_sum([1, 2, 3], 5)"
expect = "[1, 2]"
{extra}"#
    );
    fs::write(&file, text).unwrap();
    file
}

const REFERENCE: &str = "def two_sum(nums, target):
    seen = {}
    for i, n in enumerate(nums):
        if target - n in seen:
            return [seen[target - n], i]
        seen[n] = i";

const FIRST_TWO: &str = "def two_sum(nums, target):\n    return [0, 1]";

#[test]
fn a_valid_exercise_is_valid_with_what_each_run_proves() {
    let (status, report) = validate(&[&fixtures().join("exercises/echo.toml")]);
    assert_eq!(status, 0, "{report:#}");
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["sandbox"], "subprocess");
    assert_eq!(report["mutants"], false);
    let echo = exercise(&report, "echo");
    assert_eq!(echo["status"], "valid");
    assert_eq!(echo["problems"], serde_json::json!([]));
    assert_eq!(
        kinds(&echo["proven"]),
        ["reference-passes", "starter-fails", "wrong-caught"]
    );
    assert_eq!(echo["proven"][0]["cases"], 3);
    assert_eq!(echo["proven"][2]["caught_by"][0]["verdict"], "wrong-answer");
    assert_eq!(
        report["summary"],
        serde_json::json!({ "valid": 1, "invalid": 0, "skipped": 0 })
    );
}

#[test]
fn each_kind_of_problem_is_reported_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    // The starter is the reference; one wrong solution is right, one gets the wrong verdict,
    // one is not caught by the case its `caught_by` names.
    let gaps = two_sum(
        dir.path(),
        "gaps",
        REFERENCE,
        &format!(
            r#"
[[wrong]]
name = "right-after-all"
code = '''
{REFERENCE}
'''

[[wrong]]
name = "wrong-verdict"
verdict = "runtime-error"
code = '''
{FIRST_TWO}
'''

[[wrong]]
name = "missed"
caught_by = ["small"]
code = '''
{FIRST_TWO}
'''
"#
        ),
    );
    // The reference disagrees with a case.
    let failing = two_sum(
        dir.path(),
        "failing",
        "def two_sum(nums, target):\n    pass",
        "\n[[case]]\nname = \"mistaken\"\ncall = \"two_sum([3, 3], 6)\"\nexpect = \"[1, 0]\"\n",
    );
    let invalid = fixtures().join("invalid/many-problems.toml");
    let contradiction = fixtures().join("lint/contradiction.toml");
    let (status, report) = validate(&[&gaps, &failing, &invalid, &contradiction]);
    assert_eq!(status, 2, "{report:#}");

    let gaps = exercise(&report, "gaps");
    assert_eq!(gaps["status"], "invalid");
    assert_eq!(
        kinds(&gaps["problems"]),
        [
            "starter-passes",
            "wrong-not-caught",
            "wrong-verdict",
            "wrong-missed-by"
        ],
        "{gaps:#}"
    );
    assert_eq!(
        problem(gaps, "wrong-not-caught")["wrong"],
        "right-after-all"
    );
    let verdict = problem(gaps, "wrong-verdict");
    assert_eq!(verdict["expected"], "runtime-error");
    assert_eq!(
        verdict["caught_by"],
        serde_json::json!([{ "case": "later", "verdict": "wrong-answer" }])
    );
    let missed = problem(gaps, "wrong-missed-by");
    assert_eq!(missed["missed"], serde_json::json!(["small"]));
    assert!(
        gaps["problems"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["severity"] == "error")
    );
    assert_eq!(kinds(&gaps["proven"]), ["reference-passes"]);

    let failing = exercise(&report, "failing");
    let fails = problem(failing, "reference-fails");
    assert_eq!(fails["cases"], 3);
    assert_eq!(fails["failing"][0]["case"], "mistaken");
    assert_eq!(fails["failing"][0]["verdict"], "wrong-answer");
    assert_eq!(fails["failing"][0]["expected"], "[1, 0]");
    assert_eq!(fails["failing"][0]["actual"], "[0, 1]");

    let invalid = exercise(&report, "many-problems");
    assert_eq!(invalid["status"], "invalid");
    let unknown = invalid["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "E0105")
        .unwrap_or_else(|| panic!("an unknown key (E0105) in {invalid:#}"));
    assert_eq!(unknown["kind"], "diagnostic");
    assert_eq!(unknown["severity"], "error");
    assert!(unknown["line"].as_u64().unwrap() > 0, "{unknown:#}");
    assert!(
        unknown["message"].as_str().unwrap().contains("unknown key"),
        "{unknown:#}"
    );

    let contradiction = exercise(&report, "contradiction");
    let lint = problem(contradiction, "lint");
    assert_eq!(lint["severity"], "error", "{contradiction:#}");
    assert_eq!(contradiction["status"], "invalid");

    assert_eq!(
        report["summary"],
        serde_json::json!({ "valid": 0, "invalid": 4, "skipped": 0 })
    );
}

#[test]
fn lint_warnings_leave_an_exercise_valid() {
    let (status, report) = validate(&[&fixtures().join("lint/weak-spots.toml")]);
    assert_eq!(status, 0, "{report:#}");
    let weak = exercise(&report, "weak-spots");
    assert_eq!(weak["status"], "valid");
    let problems = weak["problems"].as_array().unwrap();
    assert!(!problems.is_empty(), "{weak:#}");
    assert!(
        problems
            .iter()
            .all(|p| p["kind"] == "lint" && p["severity"] == "warning"),
        "{weak:#}"
    );
}

#[test]
fn only_invalid_files_still_give_a_report() {
    let (status, report) = validate(&[&fixtures().join("invalid/broken-toml.toml")]);
    assert_eq!(status, 2, "{report:#}");
    assert_eq!(report["sandbox"], Value::Null);
    let broken = exercise(&report, "broken-toml");
    assert_eq!(problem(broken, "diagnostic")["code"], "E0101");
}

#[test]
fn mutation_testing_adds_its_problems_and_a_score() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clamp.toml");
    let text = fs::read_to_string(fixtures().join("mutants/clamp.toml")).unwrap();
    fs::write(
        &file,
        format!("{text}\n[[equivalent]]\nmutant = \"0badc0de\"\nwhy = \"Gone.\"\n"),
    )
    .unwrap();
    let output = kata()
        .args([
            "validate",
            "--format",
            "json",
            "--mutants",
            "--min-score",
            "100",
        ])
        .arg(&file)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(schema().is_valid(&report), "{report:#}");
    assert_eq!(output.status.code(), Some(2), "{report:#}");
    assert_eq!(report["mutants"], true);
    let clamp = exercise(&report, "clamp");
    assert_eq!(clamp["status"], "invalid");
    let mutants = &clamp["mutants"];
    let survived = mutants["survived"].as_u64().unwrap();
    assert!(survived > 0, "{clamp:#}");
    let surviving = clamp["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "surviving-mutant")
        .collect::<Vec<_>>();
    assert_eq!(surviving.len() as u64, survived, "{clamp:#}");
    assert_eq!(surviving[0]["severity"], "warning");
    assert!(surviving[0]["id"].as_str().unwrap().len() == 8);
    assert_ne!(surviving[0]["before"], surviving[0]["after"]);
    let below = problem(clamp, "score-below-minimum");
    assert_eq!(below["min_score"], 100);
    assert_eq!(below["severity"], "error");
    assert_eq!(below["score"], mutants["score"]);
    let unknown = problem(clamp, "equivalent-unknown");
    assert_eq!(unknown["id"], "0badc0de");
    // Nothing but the object on standard output: no section, no table.
    assert!(!String::from_utf8_lossy(&output.stdout).contains("Mutation scores"));
}
