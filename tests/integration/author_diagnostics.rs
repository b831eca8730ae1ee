//! An exercise's own mistakes are the author's diagnostics (exit 2, with their place in the
//! TOML), found before anything runs; `kata record` and `kata validate` agree on limits.

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::support::kata;

/// A small exercise, with `cases` appended (TOML text).
fn exercise(dir: &Path, id: &str, cases: &str) -> PathBuf {
    let file = dir.join(format!("{id}.toml"));
    let text = format!(
        r#"format = 1
title = "Two sum"
difficulty = "easy"
prompt = "Return the indices of the two numbers in `nums` that add up to `target`."
starter = '''
def two_sum(nums, target):
    pass
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
{cases}
[[wrong]]
name = "first-two"
code = '''
def two_sum(nums, target):
    return [0, 1]
'''
"#
    );
    fs::write(&file, text).unwrap();
    file
}

#[test]
fn a_call_that_is_not_python_is_the_exercises_diagnostic_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let file = exercise(
        dir.path(),
        "two-sum",
        r#"
[[case]]
name = "broken"
call = "two_sum([1, 2, 3], 100"
expect = "None"

[[case]]
name = "broken script"
script = '''
total = 1
print(total +)
'''
expect = "1\n"
"#,
    );
    let output = kata()
        .current_dir(dir.path())
        .args(["validate", "two-sum.toml"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stdout}\n{stderr}");
    // Nothing ran: no wrong solution is "caught", nobody blames kata.
    assert!(!stdout.contains("caught"), "{stdout}");
    assert!(!stderr.contains("internal-error"), "{stderr}");
    assert!(stdout.contains("0 exercises valid, 1 invalid"), "{stdout}");
    insta::with_settings!({prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("validate_python_syntax", stderr);
    });
    // `kata record` refuses it the same way, before running the reference.
    let before = fs::read_to_string(&file).unwrap();
    kata()
        .current_dir(dir.path())
        .args(["record", "two-sum.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the `call` of case `broken` is not valid Python: '(' was never closed",
        ))
        .stdout(predicate::str::contains("Recording").not());
    assert_eq!(fs::read_to_string(&file).unwrap(), before);
}

#[test]
fn check_and_grade_refuse_an_authors_broken_call_before_running_anything() {
    let dir = tempfile::tempdir().unwrap();
    let exercises = dir.path().join("exercises");
    fs::create_dir(&exercises).unwrap();
    exercise(
        &exercises,
        "two-sum",
        "\n[[case]]\nname = \"broken\"\ncall = \"two_sum([1, 2, 3], 100\"\nexpect = \"None\"\n",
    );
    let class = dir.path().join("class/ana");
    fs::create_dir_all(&class).unwrap();
    let answer = "def two_sum(nums, target):\n    return [0, 1]\n";
    fs::write(class.join("two_sum.py"), answer).unwrap();
    let says_where = || {
        predicate::str::contains(
            "the `call` of case `broken` is not valid Python: '(' was never closed",
        )
        .and(predicate::str::contains("two-sum.toml:"))
        .and(predicate::str::contains("internal-error").not())
    };
    kata()
        .current_dir(dir.path())
        .args(["--exercises", "exercises", "check", "class/ana/two_sum.py"])
        .assert()
        .code(2)
        .stderr(says_where())
        .stdout(predicate::str::contains("passed").not());
    kata()
        .current_dir(dir.path())
        .args([
            "--exercises",
            "exercises",
            "grade",
            "class",
            "--sandbox",
            "subprocess",
        ])
        .assert()
        .code(2)
        .stderr(says_where());
}

/// A clean syntax check is remembered (so an unchanged catalogue costs no interpreter start on
/// the next run); a broken one never is, however often it was clean before.
#[test]
fn a_clean_syntax_check_is_remembered_and_a_broken_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let exercises = dir.path().join("exercises");
    fs::create_dir(&exercises).unwrap();
    let answer = dir.path().join("two_sum.py");
    fs::write(&answer, "def two_sum(nums, target):\n    return [0, 1]\n").unwrap();
    let check = || {
        kata()
            .current_dir(dir.path())
            .env("KATA_CACHE_DIR", &cache)
            .args(["--exercises", "exercises", "check", "two_sum.py"])
            .args(["--sandbox", "subprocess"])
            .assert()
    };
    let remembered = || match fs::read_dir(cache.join("syntax-checked")) {
        Ok(entries) => entries.count(),
        Err(_) => 0,
    };

    exercise(&exercises, "two-sum", "");
    check().code(0);
    assert_eq!(remembered(), 1, "the clean check was not remembered");
    check().code(0);
    assert_eq!(remembered(), 1, "the same catalogue was remembered twice");

    exercise(
        &exercises,
        "two-sum",
        "\n[[case]]\nname = \"broken\"\ncall = \"two_sum([1, 2, 3], 100\"\nexpect = \"None\"\n",
    );
    for _ in 0..2 {
        check()
            .code(2)
            .stderr(predicate::str::contains("'(' was never closed"));
    }
    assert_eq!(remembered(), 1, "a broken check was remembered");
}

#[test]
fn without_a_host_python_a_broken_case_still_catches_no_wrong_solution() {
    let dir = tempfile::tempdir().unwrap();
    exercise(
        dir.path(),
        "two-sum",
        "\n[[case]]\nname = \"broken\"\ncall = \"two_sum([1, 2, 3], 100\"\nexpect = \"None\"\n",
    );
    // The wasm sandbox needs no host Python; without one the check is skipped, and says so.
    let output = kata()
        .current_dir(dir.path())
        .args([
            "validate",
            "--sandbox",
            "wasm",
            "--python",
            "/nonexistent/python3",
        ])
        .arg("two-sum.toml")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no usable host Python"), "{stderr}");
    assert!(stdout.contains("broken internal-error"), "{stdout}");
    assert!(
        stdout.contains("wrong `first-two` passes every case"),
        "a case kata could not run caught it:\n{stdout}"
    );
}

#[test]
fn the_support_code_and_wrong_solutions_are_checked_too() {
    let dir = tempfile::tempdir().unwrap();
    exercise(dir.path(), "two-sum", "");
    let file = dir.path().join("two-sum.toml");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("    return [0, 1]\n", "    return [0, 1\n")
        .replace(
            "[[case]]",
            "[support]\ncode = \"def helper(:\\n    pass\"\n\n[[case]]",
        );
    fs::write(&file, text).unwrap();
    kata()
        .current_dir(dir.path())
        .args(["validate", "two-sum.toml"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("the support code is not valid Python")
                // A basic string with escapes: the whole string is pointed at.
                .and(predicate::str::contains("two-sum.toml:19:8"))
                .and(predicate::str::contains(
                    "wrong `first-two` is not valid Python: '[' was never closed",
                ))
                .and(predicate::str::contains("two-sum.toml:30:12")),
        );
}

#[test]
fn a_misspelt_key_is_reported_once_not_also_as_a_missing_field() {
    let dir = tempfile::tempdir().unwrap();
    let file = exercise(dir.path(), "two-sum", "");
    let text = fs::read_to_string(&file).unwrap().replacen(
        "difficulty = \"easy\"",
        "dificulty = \"easy\"",
        1,
    );
    let text = text.replacen("call = \"two_sum", "cal = \"two_sum", 1);
    fs::write(&file, format!("#:schema ../kata.schema.json\n{text}")).unwrap();
    let output = kata()
        .current_dir(dir.path())
        .args(["validate", "two-sum.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("missing field"), "{stderr}");
    assert!(!stderr.contains("says nothing to run"), "{stderr}");
    assert!(
        stderr.contains("unknown key `dificulty` at the top level")
            && stderr.contains("did you mean `difficulty`?")
            && stderr.contains("two-sum.toml:4:1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unknown key `cal` in this `[[case]]`")
            && stderr.contains("did you mean `call`?"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error[E0105]:").count(), 2, "{stderr}");
    assert_eq!(stderr.matches("error").count(), 2, "{stderr}");
}

#[test]
fn record_writes_nothing_for_a_case_that_hits_a_limit_and_validate_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let file = exercise(
        dir.path(),
        "two-sum",
        r#"
[[case]]
name = "unrecorded"
call = "two_sum([3, 3], 6)"

[[case]]
name = "out of memory"
call = "two_sum([0] * 10**10, 1)"

[[case]]
name = "chatty"
call = "[print('x' * 1000) for _ in range(2000)] and two_sum([1, 2], 3)"
"#,
    );
    kata()
        .current_dir(dir.path())
        .args(["record", "-j", "2", "two-sum.toml"])
        .assert()
        .code(2)
        .stdout(
            predicate::str::contains("+ `unrecorded`: [0, 1]")
                .and(predicate::str::contains(
                    "✗ cannot record `out of memory`: the reference ran out of memory \
                     (the limit is 256 MiB) (memory-limit-exceeded), so nothing was written",
                ))
                .and(predicate::str::contains(
                    "✗ cannot record `chatty`: the reference printed more than 1 MiB to \
                     stdout (output-limit-exceeded), so nothing was written",
                ))
                .and(predicate::str::contains("Wrote 1 expected result into")),
        );
    let text = fs::read_to_string(&file).unwrap();
    assert!(!text.contains("MemoryError"), "{text}");
    assert_eq!(text.matches("expect =").count(), 2, "{text}");
    // Validate says the same of the same run, had the author written an expectation for it.
    let text = text
        .replace(
            "call = \"two_sum([0] * 10**10, 1)\"",
            "call = \"two_sum([0] * 10**10, 1)\"\nexpect = \"raises(MemoryError)\"",
        )
        .replace(
            "range(2000)] and two_sum([1, 2], 3)\"",
            "range(2000)] and two_sum([1, 2], 3)\"\nexpect = \"[0, 1]\"",
        );
    fs::write(&file, text).unwrap();
    kata()
        .current_dir(dir.path())
        .args(["validate", "-j", "2", "two-sum.toml"])
        .assert()
        .code(2)
        .stdout(
            predicate::str::contains("out of memory memory-limit-exceeded")
                .and(predicate::str::contains("chatty output-limit-exceeded")),
        );
}

#[test]
fn a_warning_allowed_with_a_reason_is_silent_and_a_bad_allow_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = exercise(
        dir.path(),
        "two-sum",
        "\n[[case]]\nname = \"later pair\"\ncall = \"two_sum([1, 5, 4], 9)\"\nexpect = \"[1, 2]\"\n",
    );
    let text = fs::read_to_string(&file).unwrap().replacen(
        "add up to `target`.",
        "add up to `target`, as `check_pair(nums, i, j)` would confirm.",
        1,
    );
    fs::write(&file, &text).unwrap();
    kata()
        .current_dir(dir.path())
        .args(["validate", "-j", "2", "two-sum.toml"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains(
                "! the prompt mentions `check_pair(...)`, which neither the starter nor the reference defines",
            )
            .and(predicate::str::contains(
                "allow = [{ lint = \"prompt-call\", reason = \"...\" }]",
            )),
        );

    let allowed = text.replacen(
        "[[case]]",
        "allow = [{ lint = \"prompt-call\", reason = \"check_pair is how a reader would check it\" }]\n\n[[case]]",
        1,
    );
    fs::write(&file, &allowed).unwrap();
    kata()
        .current_dir(dir.path())
        .args(["validate", "-j", "2", "two-sum.toml"])
        .assert()
        .success()
        .stdout(predicate::str::contains("check_pair").not());

    let misused = text
        .replacen(
            "[[case]]",
            "allow = [{ lint = \"prompt-cal\", reason = \"x\" }, { lint = \"todo\", reason = \" \" }]\n\n[[case]]",
            1,
        )
        .replacen(
            "expect = \"[0, 1]\"",
            "expect = \"[0, 1]\"\nallow = [{ lint = \"hidden-only\", reason = \"x\", colour = 1 }]",
            1,
        );
    fs::write(&file, &misused).unwrap();
    kata()
        .current_dir(dir.path())
        .args(["validate", "two-sum.toml"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("`prompt-cal` is not a lint")
                .and(predicate::str::contains("did you mean `prompt-call`?"))
                .and(predicate::str::contains("an `allow` needs a reason"))
                .and(predicate::str::contains(
                    "`hidden-only` is never about a `[[case]]`",
                ))
                .and(predicate::str::contains(
                    "allow it in the `[[wrong]]` it is about, or at the top of the file",
                ))
                .and(predicate::str::contains(
                    "unknown key `colour` in this `allow` entry",
                )),
        );
}
