//! `kata grade` and `kata report merge` over a fixture class of correct, wrong, crashing and
//! hostile submissions.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{fixtures, kata, validate_junit};

/// Input of a hidden three-sum case: it must never appear in any report.
pub(crate) const HIDDEN_INPUT: &str = "-4, -2, -2, -2, 0, 1";

struct Graded {
    status: i32,
    stdout: String,
    stderr: String,
    dir: PathBuf,
}

impl Graded {
    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.file("class.json")).unwrap()
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// The whole class, graded once for all the tests that only read its reports.
fn whole() -> &'static Graded {
    static WHOLE: OnceLock<Graded> = OnceLock::new();
    WHOLE.get_or_init(|| grade("whole", &[]))
}

/// Shard `index` of 3, graded once.
fn shard(index: usize) -> &'static Graded {
    static SHARDS: [OnceLock<Graded>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    SHARDS[index - 1].get_or_init(|| {
        grade(
            &format!("shard-{index}"),
            &["--shard", &format!("{index}/3")],
        )
    })
}

/// Grades the fixture class, writing every report into `name` under cargo's test directory.
fn grade(name: &str, extra: &[&str]) -> Graded {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("grade")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let output = kata()
        .current_dir(fixtures())
        .args(["grade", "class"])
        .arg("--json")
        .arg(dir.join("class.json"))
        .arg("--junit")
        .arg(dir.join("class.xml"))
        .arg("--tap")
        .arg(dir.join("class.tap"))
        .arg("--csv")
        .arg(dir.join("class.csv"))
        .args(extra)
        .output()
        .unwrap();
    Graded {
        status: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
        dir,
    }
}

fn schema() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the documented schema is a valid JSON Schema")
}

pub(crate) fn assert_matches_schema(json: &Value) {
    let errors: Vec<String> = schema()
        .iter_errors(json)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the report does not match docs/report.schema.json:\n{}",
        errors.join("\n")
    );
}

/// (student, exercise) of every graded submission.
fn graded_pairs(json: &Value) -> BTreeSet<(String, String)> {
    json["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["student"].as_str().unwrap().to_string(),
                s["exercise"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The report with everything that varies from run to run removed.
fn stable(mut json: Value) -> Value {
    json.as_object_mut().unwrap().remove("shard");
    for submission in json["submissions"].as_array_mut().unwrap() {
        for case in submission["cases"].as_array_mut().unwrap() {
            let case = case.as_object_mut().unwrap();
            for key in ["time_ms", "cpu_ms", "memory_kb", "fuel"] {
                case.remove(key);
            }
        }
    }
    json
}

#[test]
fn grades_the_class_and_writes_every_report() {
    let graded = whole();
    assert_eq!(
        graded.status, 1,
        "some submissions fail: {}\n{}",
        graded.stdout, graded.stderr
    );

    // The gradebook: deterministic, so it can be compared whole. dee's forgery writes to the
    // subprocess sandbox's result descriptor, which the wasm sandbox (the default) does not
    // have: every case is a runtime error there.
    assert_eq!(
        graded.file("class.csv"),
        "student,exercise,points,max_points,status\n\
         ada,lru-cache,11,11,pass\n\
         ada,three-sum,17,17,pass\n\
         ben,lru-cache,8,11,fail\n\
         ben,three-sum,11,17,fail\n\
         cy,reverse-linked-list,1,12,fail\n\
         dee,is-valid-bst,0,18,fail\n"
    );

    // The terminal summary ends with submissions passed and failed.
    assert!(
        graded.stdout.ends_with("2 passed, 4 failed\n"),
        "{}",
        graded.stdout
    );
    assert!(
        graded
            .stdout
            .contains("notes.py: `notes` is not a known exercise"),
        "{}",
        graded.stdout
    );
    assert!(
        graded
            .stdout
            .contains("loose.py: not inside a student's folder"),
        "{}",
        graded.stdout
    );

    let json = graded.json();
    assert_matches_schema(&json);
    assert_eq!(json["summary"]["submissions"], 6);
    assert_eq!(json["problems"].as_array().unwrap().len(), 2);
    let cy = &json["submissions"].as_array().unwrap()[4];
    assert_eq!(cy["student"], "cy");
    assert_eq!(cy["cases"][0]["verdict"], "runtime-error");
}

#[test]
fn the_junit_report_names_the_student_exercise_and_file_of_every_case() {
    let graded = whole();
    let report =
        quick_junit::Report::deserialize_from_str(&graded.file("class.xml")).expect("JUnit parses");
    let json = graded.json();
    let submissions = json["submissions"].as_array().unwrap();

    // A suite per submission, in the JSON report's order, then the files not graded.
    let suites: Vec<&str> = report.test_suites.iter().map(|s| s.name.as_str()).collect();
    let mut expected: Vec<String> = submissions
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s["student"].as_str().unwrap(),
                s["exercise"].as_str().unwrap()
            )
        })
        .collect();
    expected.push("files not graded".into());
    assert_eq!(suites, expected);
    assert!(
        report.time.is_some(),
        "dorny's reporter shows NaN without it"
    );

    for (suite, submission) in report.test_suites.iter().zip(submissions) {
        let student = submission["student"].as_str().unwrap();
        let exercise = submission["exercise"].as_str().unwrap();
        // The file, relative to the class directory: `class/ben/week2/x.py` is `ben/week2/x.py`.
        let file = submission["file"].as_str().unwrap();
        let relative = file.strip_prefix("class/").unwrap();
        assert_eq!(
            suite.extra.get("file").map(|f| f.as_str()),
            Some(relative),
            "{}",
            suite.name.as_str()
        );
        assert!(
            suite.time.is_some() && suite.timestamp.is_some(),
            "{}",
            suite.name.as_str()
        );
        assert_eq!(
            suite.test_cases.len(),
            submission["cases"].as_array().unwrap().len()
        );
        assert_eq!(
            suite.failures as u64,
            submission["failed"].as_u64().unwrap()
        );
        for case in &suite.test_cases {
            assert_eq!(
                case.classname.as_ref().map(|c| c.as_str()),
                Some(format!("{student}.{exercise}").as_str())
            );
        }
    }

    let cases: usize = submissions
        .iter()
        .map(|s| s["cases"].as_array().unwrap().len())
        .sum();
    let failed_cases: usize = submissions
        .iter()
        .map(|s| s["failed"].as_u64().unwrap() as usize)
        .sum();
    assert_eq!(
        report.tests,
        cases + 2,
        "the two ungraded files are skipped cases"
    );
    assert_eq!(report.failures, failed_cases);
    assert_eq!(report.errors, 0);
    assert_eq!(report.test_suites.last().unwrap().skipped, 2);
}

#[test]
fn the_junit_report_is_valid_for_jenkins_schema() {
    let graded = whole();
    if let Err(error) = validate_junit(&graded.path("class.xml")) {
        panic!("{error}");
    }
    // The validator is really checking: the attribute quick-junit used to put on
    // <testsuites>, which the schema allows only on suites, is refused.
    let doctored = graded.path("doctored.xml");
    let xml = graded.file("class.xml");
    assert!(!xml.contains("<testsuites name=\"kata\" skipped"));
    std::fs::write(
        &doctored,
        xml.replacen("<testsuites ", "<testsuites skipped=\"2\" ", 1),
    )
    .unwrap();
    let error = validate_junit(&doctored).expect_err("skipped on <testsuites> is invalid");
    assert!(error.contains("skipped"), "{error}");
}

#[test]
fn the_tap_report_is_tap_13_with_a_subtest_per_submission() {
    let tap = whole().file("class.tap");
    assert!(tap.starts_with("TAP version 13\n"), "{tap}");
    assert!(tap.contains("\n1..6\n"), "{tap}");
    assert!(
        tap.contains("# Subtest: ada lru-cache\n    1..9\n    ok 1 - the classic example\n"),
        "{tap}"
    );
    assert!(
        tap.contains("ok 1 - ada lru-cache # 11/11 points\n"),
        "{tap}"
    );
    assert!(
        tap.contains("not ok 3 - ben lru-cache # 8/11 points\n"),
        "{tap}"
    );
    assert!(tap.contains("      verdict: wrong-answer\n"), "{tap}");
}

#[test]
fn hidden_cases_never_leak_into_any_report() {
    let graded = whole();
    for name in ["class.json", "class.xml", "class.tap", "class.csv"] {
        assert!(
            !graded.file(name).contains(HIDDEN_INPUT),
            "{name} leaks a hidden input"
        );
    }
    assert!(!graded.stdout.contains(HIDDEN_INPUT) && !graded.stderr.contains(HIDDEN_INPUT));
    let annotations = kata()
        .current_dir(fixtures())
        .args(["grade", "class", "--quiet"])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&annotations.stdout);
    assert!(!stdout.contains(HIDDEN_INPUT));
    assert!(
        stdout.contains(
            "::error file=class/cy/reverse_linked_list.py,line=8,title=cy reverse-linked-list%3A"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("a hidden case: wrong answer"), "{stdout}");
    assert!(
        stdout.contains("::warning file=class/dee/notes.py"),
        "{stdout}"
    );
}

#[test]
fn hidden_cases_report_no_resource_figures() {
    let graded = whole();
    let json = graded.json();
    let mut hidden = BTreeSet::new();
    for submission in json["submissions"].as_array().unwrap() {
        for case in submission["cases"].as_array().unwrap() {
            if case["hidden"] == true {
                for key in ["time_ms", "cpu_ms", "memory_kb", "fuel"] {
                    assert!(
                        case.get(key).is_none(),
                        "a hidden case with `{key}`: {case}"
                    );
                }
                hidden.insert(case["name"].as_str().unwrap().to_string());
            } else {
                assert!(
                    case["time_ms"].is_u64(),
                    "a visible case without a time: {case}"
                );
            }
        }
    }
    assert!(!hidden.is_empty(), "the fixture class has hidden cases");
    let junit = quick_junit::Report::deserialize_from_str(&graded.file("class.xml")).unwrap();
    let mut timed_visible = 0;
    for case in junit.test_suites.iter().flat_map(|suite| &suite.test_cases) {
        if hidden.contains(case.name.as_str()) {
            // A constant 0, so that reporters do not show NaN: it tells nothing.
            assert_eq!(
                case.time,
                Some(std::time::Duration::ZERO),
                "hidden case {:?} has a time",
                case.name
            );
        } else {
            timed_visible += usize::from(case.time.is_some_and(|time| !time.is_zero()));
        }
    }
    assert!(timed_visible > 0, "visible cases keep their times");
}

#[test]
fn shards_are_disjoint_and_cover_the_class() {
    let everyone = graded_pairs(&whole().json());
    let mut union = BTreeSet::new();
    for index in 1..=3 {
        let json = shard(index).json();
        assert_matches_schema(&json);
        assert_eq!(json["shard"], format!("{index}/3"));
        let pairs = graded_pairs(&json);
        assert!(
            union.is_disjoint(&pairs),
            "shard {index} overlaps another: {pairs:?}"
        );
        union.extend(pairs);
    }
    assert_eq!(union, everyone);
}

#[test]
fn merging_shard_reports_gives_the_unsharded_report() {
    let shards: Vec<&Graded> = (1..=3).map(shard).collect();
    let merged = tempfile::tempdir().unwrap();
    let mut command = kata();
    command.args(["report", "merge"]);
    for shard in &shards {
        command.arg(shard.path("class.json"));
    }
    command
        .arg("--json")
        .arg(merged.path().join("all.json"))
        .arg("--junit")
        .arg(merged.path().join("all.xml"))
        .assert()
        .code(1)
        .stdout(predicate::str::ends_with("2 passed, 4 failed\n"));
    let merged_json: Value =
        serde_json::from_str(&std::fs::read_to_string(merged.path().join("all.json")).unwrap())
            .unwrap();
    assert_matches_schema(&merged_json);
    assert_eq!(stable(merged_json), stable(whole().json()));
    let junit = std::fs::read_to_string(merged.path().join("all.xml")).unwrap();
    assert!(quick_junit::Report::deserialize_from_str(&junit).is_ok());
    if let Err(error) = validate_junit(&merged.path().join("all.xml")) {
        panic!("{error}");
    }

    // The same shard twice is a mistake, not a bigger class.
    kata()
        .args(["report", "merge"])
        .arg(shards[0].path("class.json"))
        .arg(shards[0].path("class.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("in more than one report"));
}

#[test]
fn a_doctored_shard_report_cannot_reveal_hidden_details() {
    let mut json = whole().json();
    // Give a hidden case details it should never have, as a tampered file might.
    let case = json["submissions"][3]["cases"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|case| case["hidden"] == true)
        .unwrap();
    case["message"] = Value::String("SECRET-DETAIL".into());
    let dir = tempfile::tempdir().unwrap();
    let doctored = dir.path().join("doctored.json");
    std::fs::write(&doctored, serde_json::to_string(&json).unwrap()).unwrap();
    let output = kata()
        .args(["report", "merge"])
        .arg(&doctored)
        .args(["--json", "-"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&output.stdout).contains("SECRET-DETAIL"));
}

#[test]
fn a_shard_whose_totals_do_not_add_up_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, json: &Value| {
        let path = dir.path().join(name);
        std::fs::write(&path, serde_json::to_string(json).unwrap()).unwrap();
        path
    };
    // More points than the cases gave, as a doctored shard might claim.
    let mut inflated = whole().json();
    inflated["submissions"][1]["points"] = 4_000_000_000u32.into();
    let student = inflated["submissions"][1]["student"]
        .as_str()
        .unwrap()
        .to_string();
    kata()
        .args(["report", "merge"])
        .arg(write("inflated.json", &inflated))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("inflated.json")
                .and(predicate::str::contains("does not add up"))
                .and(predicate::str::contains(format!("{student}'s")))
                .and(predicate::str::contains("`points` says 4000000000")),
        );
    // A summary that is not what the submissions add up to.
    let mut summary = whole().json();
    summary["summary"]["passed"] = 6.into();
    kata()
        .args(["report", "merge"])
        .arg(write("summary.json", &summary))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("its summary"));
    // Two shards that add up on their own but overflow together.
    let huge = |student: &str| {
        let mut json = whole().json();
        let submission = &mut json["submissions"][0];
        submission["student"] = student.into();
        submission["points"] = 3_000_000_000u32.into();
        submission["max_points"] = 3_000_000_000u32.into();
        let cases = submission["cases"].as_array_mut().unwrap();
        cases.truncate(1);
        cases[0]["points"] = 3_000_000_000u32.into();
        cases[0]["max_points"] = 3_000_000_000u32.into();
        submission["passed"] = 1.into();
        submission["failed"] = 0.into();
        let only = submission.clone();
        json["submissions"] = Value::Array(vec![only]);
        json["problems"] = Value::Array(vec![]);
        json["summary"] = serde_json::json!({
            "submissions": 1, "passed": 1, "failed": 0, "errors": 0,
            "points": 3_000_000_000u32, "max_points": 3_000_000_000u32
        });
        json
    };
    kata()
        .args(["report", "merge"])
        .arg(write("a.json", &huge("a")))
        .arg(write("b.json", &huge("b")))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be counted"));
}

#[test]
fn usage_errors_exit_2() {
    kata()
        .args(["grade", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a directory"));
    kata()
        .current_dir(fixtures())
        .args(["grade", "class", "--shard", "4/3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a shard"));
    let not_a_report = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(not_a_report.path(), "{}").unwrap();
    kata()
        .args(["report", "merge"])
        .arg(not_a_report.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a kata class report"));
}

#[test]
fn check_json_matches_the_documented_schema_too() {
    let checked = crate::support::check("echo_wrong_answer.py", "json");
    assert_matches_schema(&checked.json());
}

#[test]
fn junit_messages_keep_their_line_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let student = dir.path().join("class").join("amy");
    std::fs::create_dir_all(&student).unwrap();
    std::fs::write(
        student.join("echo.py"),
        "def echo(value):\n    raise ValueError(\"line one\\nline two\")\n",
    )
    .unwrap();
    kata()
        .current_dir(dir.path())
        .args(["grade", "class", "--sandbox", "subprocess", "--quiet"])
        .arg("--exercises")
        .arg(fixtures().join("exercises"))
        .args(["--junit", "class.xml"])
        .assert()
        .code(1);
    let path = dir.path().join("class.xml");
    let xml = std::fs::read_to_string(&path).unwrap();
    // Raw, a parser would fold the break into a space; as a character reference it stays.
    assert!(
        xml.contains("message=\"ValueError: line one&#10;line two\""),
        "{xml}"
    );
    let report = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    let case = &report.test_suites[0].test_cases[0];
    let quick_junit::TestCaseStatus::NonSuccess { message, .. } = &case.status else {
        panic!("the case failed: {xml}");
    };
    assert_eq!(
        message.as_ref().map(|m| m.as_str()),
        Some("ValueError: line one\nline two")
    );
    if let Err(error) = validate_junit(&path) {
        panic!("{error}");
    }
}

/// Grades `files` (student, file name, text) against the fixture exercises plus one that needs
/// threads, in the default (wasm) sandbox, and returns the terminal summary.
fn grade_with_threads(files: &[(&str, &str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let exercises = dir.path().join("exercises");
    std::fs::create_dir(&exercises).unwrap();
    std::fs::copy(
        fixtures().join("exercises/greeting.toml"),
        exercises.join("greeting.toml"),
    )
    .unwrap();
    std::fs::write(
        exercises.join("needs-threads.toml"),
        r#"format = 1
title = "Needs threads"
difficulty = "easy"
requires = ["threads"]
prompt = "Return the result of `function()`, called in a thread."
starter = '''
def run_in_thread(function):
    pass
'''
reference = '''
import threading


def run_in_thread(function):
    result = []
    worker = threading.Thread(target=lambda: result.append(function()))
    worker.start()
    worker.join()
    return result[0]
'''

[[case]]
name = "forty-two"
call = "run_in_thread(lambda: 42)"
expect = "42"
"#,
    )
    .unwrap();
    for (student, name, text) in files {
        let folder = dir.path().join("class").join(student);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(name), text).unwrap();
    }
    let output = kata()
        .current_dir(dir.path())
        .args(["--exercises", "exercises", "grade", "class"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

const THREADED: &str = "# kata: needs-threads\nimport threading\n\n\ndef run_in_thread(function):\n    \
    out = []\n    t = threading.Thread(target=lambda: out.append(function()))\n    t.start()\n    \
    t.join()\n    return out[0]\n";
const GREETING: &str = "# kata: greeting\nprint(f'Hello, {input().strip()}!')\n";

#[test]
fn the_summary_names_the_sandbox_that_ran_a_lone_native_submission() {
    let summary = grade_with_threads(&[("ada", "threads.py", THREADED)]);
    assert!(
        summary.contains("1/1 points, subprocess sandbox\n"),
        "{summary}"
    );
}

#[test]
fn the_summary_counts_submissions_that_left_the_wasm_sandbox() {
    let summary = grade_with_threads(&[
        ("ada", "threads.py", THREADED),
        ("ada", "greeting.py", GREETING),
        ("ben", "greeting.py", GREETING),
    ]);
    assert!(
        summary.contains(", wasm sandbox (1 submission in the subprocess sandbox)\n"),
        "{summary}"
    );
}
