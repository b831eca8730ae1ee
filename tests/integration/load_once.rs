//! A submission that cannot be loaded is reported once, in every format; `kata grade
//! --max-timeouts` bounds what a looping submission costs; `kata check --fail-fast`;
//! `--quiet` and `--verbose`; and `kata grade`'s defaults from `[grade]` in `kata.toml`.
//!
//! The class: a correct, a wrong, a looping, a syntax-error and an import-error submission of
//! an exercise with six cases (the last hidden), graded in the subprocess sandbox one case at a
//! time so that the number of time-outs before a stop is exact.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::grade::assert_matches_schema;
use crate::support::{kata, redactions, validate_junit};

/// The hidden case's argument: it must appear in no report.
const HIDDEN: &str = "7731";

const EXERCISE: &str = r#"format = 1
title = "Double"
difficulty = "easy"
prompt = "Write `double(n)`, which returns twice `n`."
starter = '''
def double(n):
    pass
'''
reference = '''
def double(n):
    return 2 * n
'''

[limits]
cpu_ms = 300
wall_ms = 600

[[case]]
name = "one"
call = "double(1)"
expect = "2"

[[case]]
name = "two"
call = "double(2)"
expect = "4"

[[case]]
name = "three"
call = "double(3)"
expect = "6"

[[case]]
name = "four"
call = "double(4)"
expect = "8"

[[case]]
name = "five"
call = "double(5)"
expect = "10"

[[case]]
name = "secret"
call = "double(7731)"
expect = "15462"
hidden = true
"#;

const CORRECT: &str = "def double(n):\n    return 2 * n\n";
/// Right on `double(2)` only.
const WRONG: &str = "def double(n):\n    return n + 2\n";
const LOOPS: &str = "def double(n):\n    while True:\n        pass\n";
/// `expected ':'` at line 1, column 14.
const SYNTAX_ERROR: &str = "def double(n)\n    return 2 * n\n";
/// A NameError raised on line 4, while the module is imported.
const IMPORT_ERROR: &str = "def double(n):\n    return 2 * n\n\nprint(undefined_name)\n";

/// A temporary class and its exercise; reports go next to them.
struct Class {
    dir: tempfile::TempDir,
}

impl Class {
    fn new() -> Class {
        let dir = tempfile::tempdir().unwrap();
        let exercises = dir.path().join("exercises");
        std::fs::create_dir(&exercises).unwrap();
        std::fs::write(exercises.join("double.toml"), EXERCISE).unwrap();
        for (student, text) in [
            ("ann", CORRECT),
            ("bob", WRONG),
            ("cat", LOOPS),
            ("dan", SYNTAX_ERROR),
            ("eve", IMPORT_ERROR),
        ] {
            let folder = dir.path().join("class").join(student);
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join("double.py"), text).unwrap();
        }
        Class { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// `kata grade class` in the subprocess sandbox, one case at a time, every report written.
    fn grade(&self, extra: &[&str], env: &[(&str, &Path)]) -> Run {
        let mut command = kata();
        command
            .current_dir(self.dir.path())
            .args(["--exercises", "exercises", "grade", "class"])
            .args(["--sandbox", "subprocess", "--jobs", "1"])
            .args(["--json", "class.json", "--junit", "class.xml"])
            .args(["--tap", "class.tap", "--csv", "class.csv"])
            .args(extra)
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_STEP_SUMMARY");
        for (key, value) in env {
            command.env(key, value);
        }
        Run::of(command.output().unwrap())
    }

    /// `kata check` of one student's file.
    fn check(&self, student: &str, extra: &[&str]) -> Run {
        let output = kata()
            .current_dir(self.dir.path())
            .args(["--exercises", "exercises", "check"])
            .arg(format!("class/{student}/double.py"))
            .args(["--sandbox", "subprocess", "--jobs", "1"])
            .args(extra)
            .output()
            .unwrap();
        Run::of(output)
    }

    fn submission(&self, student: &str) -> Value {
        let json: Value = serde_json::from_str(&self.read("class.json")).unwrap();
        json["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["student"] == student)
            .unwrap_or_else(|| panic!("no submission of {student}"))
            .clone()
    }
}

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn of(output: std::process::Output) -> Run {
        Run {
            status: output.status.code().unwrap(),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }
}

/// `not_run` of every case of a submission, `None` for those that ran.
fn not_run(submission: &Value) -> Vec<Option<String>> {
    submission["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| case["not_run"].as_str().map(str::to_string))
        .collect()
}

fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

#[test]
fn a_class_with_a_syntax_error_an_import_error_and_a_loop_is_graded_in_every_format() {
    let class = Class::new();
    let summary = class.path("summary.md");
    let run = class.grade(&[], &[]);
    assert_eq!(run.status, 1, "{}\n{}", run.stdout, run.stderr);

    let json: Value = serde_json::from_str(&class.read("class.json")).unwrap();
    assert_matches_schema(&json);

    // The syntax error: said once, at its line and column; every case not run, none passed.
    let dan = class.submission("dan");
    let error = &dan["load_error"];
    assert_eq!(error["kind"], "syntax-error");
    assert_eq!(error["type"], "SyntaxError");
    assert_eq!(error["message"], "SyntaxError: expected ':'");
    assert_eq!(
        (error["line"].as_u64(), error["column"].as_u64()),
        (Some(1), Some(14))
    );
    assert_eq!(dan["not_run"], 6);
    assert_eq!(
        (dan["passed"].as_u64(), dan["failed"].as_u64()),
        (Some(0), Some(6))
    );
    assert_eq!(dan["points"], 0);
    assert_eq!(dan["verdict"], "syntax-error");
    assert_eq!(not_run(&dan), vec![Some("not-loaded".to_string()); 6]);
    for case in dan["cases"].as_array().unwrap() {
        assert!(
            case.get("message").is_none() && case.get("traceback").is_none(),
            "{case}"
        );
    }

    // The exception at import: the same, with the line it was raised on.
    let eve = class.submission("eve");
    let error = &eve["load_error"];
    assert_eq!(error["kind"], "import-error");
    assert_eq!(error["type"], "NameError");
    assert_eq!(error["line"], 4);
    assert!(
        error["traceback"]
            .as_str()
            .unwrap()
            .contains("undefined_name")
    );
    assert_eq!(not_run(&eve), vec![Some("not-loaded".to_string()); 6]);

    // The loop: two time-outs (the default), then the other four cases not run.
    let cat = class.submission("cat");
    assert!(cat.get("load_error").is_none());
    let verdicts: Vec<&str> = cat["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| case["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["time-limit-exceeded"; 6]);
    let mut expected = vec![None, None];
    expected.extend(vec![Some("timeouts".to_string()); 4]);
    assert_eq!(not_run(&cat), expected);
    assert_eq!(cat["not_run"], 4);

    // The others ran every case, and say nothing of stops.
    for student in ["ann", "bob"] {
        let submission = class.submission(student);
        assert!(submission.get("not_run").is_none(), "{submission}");
        assert!(submission.get("load_error").is_none(), "{submission}");
    }
    assert_eq!(class.submission("bob")["passed"], 1);

    // The terminal summary names each submission that did not load, once.
    assert_eq!(count(&run.stdout, "expected ':'"), 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("class/dan/double.py:1:14: SyntaxError: expected ':'"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("class/eve/double.py:4: NameError: name 'undefined_name' is not defined"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("class/cat/double.py: 4 cases not run"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("graded dan double: did not load (6/6 cases not run)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("graded cat double: fail (0/6 cases, 4 not run)"),
        "{}",
        run.stderr
    );

    // JUnit: one failing case for the submission, its six cases skipped.
    let junit = class.read("class.xml");
    validate_junit(&class.path("class.xml")).unwrap();
    let dan_suite = suite(&junit, "dan double");
    assert_eq!(count(dan_suite, "<failure"), 1, "{dan_suite}");
    assert_eq!(count(dan_suite, "type=\"syntax-error\""), 1, "{dan_suite}");
    assert!(
        dan_suite.contains("<testcase name=\"the submission loads\""),
        "{dan_suite}"
    );
    assert_eq!(
        count(
            dan_suite,
            "<skipped message=\"not run: the submission did not load\"/>"
        ),
        6,
        "{dan_suite}"
    );
    let cat_suite = suite(&junit, "cat double");
    assert_eq!(count(cat_suite, "<failure"), 2, "{cat_suite}");
    assert_eq!(count(cat_suite, "<skipped"), 4, "{cat_suite}");

    // TAP: the error once, in the submission's own YAML block; the cases skipped.
    let tap = class.read("class.tap");
    assert_eq!(count(&tap, "load_error: \"syntax-error\""), 1, "{tap}");
    assert_eq!(count(&tap, "load_error: \"import-error\""), 1, "{tap}");
    assert_eq!(
        count(&tap, "# SKIP not run: the submission did not load"),
        12,
        "{tap}"
    );
    assert_eq!(count(&tap, "verdict: syntax-error"), 0, "{tap}");
    assert!(
        tap.contains("not ok 4 - dan double # 0/6 points\n  ---\n  load_error"),
        "{tap}"
    );

    // CSV: one row per submission, as before.
    let csv = class.read("class.csv");
    assert!(csv.contains("dan,double,0,6,fail\n"), "{csv}");

    // GitHub: one annotation at the syntax error's line and column; the step summary lists it
    // once.
    let actions = class.grade(
        &["--quiet"],
        &[
            ("GITHUB_ACTIONS", Path::new("true")),
            ("GITHUB_STEP_SUMMARY", &summary),
        ],
    );
    let annotations: Vec<&str> = actions
        .stdout
        .lines()
        .filter(|line| line.starts_with("::error"))
        .collect();
    let dan_annotations: Vec<&&str> = annotations
        .iter()
        .filter(|line| line.contains("file=class/dan/double.py"))
        .collect();
    assert_eq!(dan_annotations.len(), 1, "{annotations:#?}");
    assert!(
        dan_annotations[0].starts_with("::error file=class/dan/double.py,line=1,col=14,"),
        "{}",
        dan_annotations[0]
    );
    assert!(
        dan_annotations[0].ends_with("::SyntaxError: expected ':'"),
        "{}",
        dan_annotations[0]
    );
    let markdown = std::fs::read_to_string(&summary).unwrap();
    assert!(
        markdown.contains("| dan | double | ❌ did not load |"),
        "{markdown}"
    );
    assert_eq!(count(&markdown, "expected \\'\\:\\'"), 1, "{markdown}");

    // Nothing of the hidden case anywhere.
    for (name, text) in [
        ("json", class.read("class.json")),
        ("junit", junit.clone()),
        ("tap", tap.clone()),
        ("summary", run.stdout.clone()),
        ("annotations", actions.stdout.clone()),
        ("markdown", markdown.clone()),
    ] {
        assert!(
            !text.contains(HIDDEN),
            "{name} leaks the hidden case:\n{text}"
        );
    }
}

/// The text of the `<testsuite>` named `name`.
fn suite<'a>(junit: &'a str, name: &str) -> &'a str {
    let start = junit
        .find(&format!("<testsuite name=\"{name}\""))
        .unwrap_or_else(|| panic!("no suite {name}:\n{junit}"));
    let end = junit[start..].find("</testsuite>").unwrap() + start;
    &junit[start..end]
}

#[test]
fn check_says_a_syntax_error_once() {
    let class = Class::new();
    let run = class.check("dan", &[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    // The message line and the last line of Python's traceback; no case repeats it.
    assert_eq!(count(&run.stdout, "expected ':'"), 2, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("class/dan/double.py:1:14: SyntaxError: expected ':'"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("0 passed, 6 failed (6 not run)\n"),
        "{}",
        run.stdout
    );
    let json = class.check("dan", &["--format", "json"]);
    let json: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_matches_schema(&json);
    assert_eq!(json["load_error"]["column"], 14);
}

#[test]
fn check_quiet_prints_the_load_error_and_the_summary_only() {
    let class = Class::new();
    let run = class.check("dan", &["--quiet"]);
    assert_eq!(run.status, 1);
    assert!(
        !run.stdout.contains("double ·"),
        "no header: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("SyntaxError: expected ':'"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("0 passed, 6 failed (6 not run)\n"),
        "{}",
        run.stdout
    );

    let run = class.check("bob", &["--quiet"]);
    assert_eq!(run.stdout, "1 passed, 5 failed\n");
}

#[test]
fn check_verbose_details_every_failing_case() {
    let class = Class::new();
    let normal = class.check("bob", &[]);
    let verbose = class.check("bob", &["--verbose"]);
    // Four visible failures: three in detail by default, all four with --verbose.
    assert_eq!(count(&normal.stdout, "── "), 3, "{}", normal.stdout);
    assert!(
        normal.stdout.contains("1 more failing case"),
        "{}",
        normal.stdout
    );
    assert_eq!(count(&verbose.stdout, "── "), 4, "{}", verbose.stdout);
    assert!(
        !verbose.stdout.contains("more failing case"),
        "{}",
        verbose.stdout
    );

    let both = class.check("bob", &["--quiet", "--verbose"]);
    assert_eq!(both.status, 2, "{}", both.stderr);
}

#[test]
fn check_fail_fast_stops_at_the_first_failing_case() {
    let class = Class::new();
    let run = class.check("bob", &["--fail-fast", "--format", "json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_matches_schema(&json);
    let mut expected = vec![None];
    expected.extend(vec![Some("fail-fast".to_string()); 5]);
    assert_eq!(not_run(&json), expected);
    assert_eq!(
        (json["passed"].as_u64(), json["not_run"].as_u64()),
        (Some(0), Some(5))
    );

    let human = class.check("bob", &["--fail-fast"]);
    assert!(
        human
            .stdout
            .contains("two     not run: stopped at the first failing case (--fail-fast)"),
        "{}",
        human.stdout
    );
    // A passing submission runs everything.
    let ann = class.check("ann", &["--fail-fast"]);
    assert_eq!(ann.status, 0, "{}", ann.stdout);
    assert!(
        ann.stdout.ends_with("6 passed, 0 failed\n"),
        "{}",
        ann.stdout
    );
}

#[test]
fn max_timeouts_and_the_grade_table_bound_a_loop() {
    let class = Class::new();
    // From kata.toml: never stop; the loop runs all six cases.
    std::fs::write(
        class.path("kata.toml"),
        "format = 1\n\n[grade]\nmax_timeouts = 0\noutput = \"quiet\"\n",
    )
    .unwrap();
    let run = class.grade(&[], &[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_eq!(
        class.submission("cat")["cases"].as_array().unwrap().len(),
        6
    );
    assert!(class.submission("cat").get("not_run").is_none());
    // output = "quiet": no line per submission.
    assert!(!run.stderr.contains("graded "), "{}", run.stderr);

    // The flag wins over the file.
    let run = class.grade(&["--max-timeouts", "1", "--verbose"], &[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_eq!(class.submission("cat")["not_run"], 5);
    // --verbose: every case's line, submission by submission, before the summary.
    assert!(
        run.stdout
            .contains("cat double · time limit exceeded · 0/6 points\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  ✗ one     time limit exceeded\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        count(
            &run.stdout,
            "the submission exceeded the time limit too often"
        ),
        5
    );
    assert!(run.stderr.contains("graded cat double"), "{}", run.stderr);
}

#[test]
fn an_unknown_key_in_the_grade_table_is_an_error_with_its_place() {
    let class = Class::new();
    std::fs::write(
        class.path("kata.toml"),
        "format = 1\n\n[grade]\nmax_timeout = 1\n",
    )
    .unwrap();
    let run = class.grade(&[], &[]);
    assert_eq!(run.status, 2, "{}", run.stdout);
    assert!(run.stderr.contains("kata.toml"), "{}", run.stderr);
    assert!(run.stderr.contains("line 4, column 1"), "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown field `max_timeout`"),
        "{}",
        run.stderr
    );
    assert!(!class.path("class.json").exists());
}

#[test]
fn the_verbose_class_report_shows_a_load_error_once() {
    let class = Class::new();
    let run = class.grade(&["--verbose"], &[]);
    let redactions = redactions();
    let filters: Vec<(&str, &str)> = redactions
        .iter()
        .map(|(from, to)| (from.as_str(), *to))
        .collect();
    insta::with_settings!({filters => filters, prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("grade_verbose_load_errors", run.stdout);
    });
}
