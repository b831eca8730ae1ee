//! Limit messages say what happened and where: the line a program was stuck on when the CPU
//! limit stopped it, and that debugging prints are what went over the output limit.

use std::fs;
use std::path::Path;

use crate::support::{check_path, kata};

const EXERCISE: &str = r#"format = 1
title = "Double"
difficulty = "easy"
prompt = "Return `n` doubled."
starter = '''
def double(n):
    pass
'''
reference = '''
def double(n):
    return 2 * n
'''

[limits]
cpu_ms = 1000
wall_ms = 20000

[[case]]
name = "visible"
call = "double(2)"
expect = "4"

[[case]]
name = "secret"
call = "double(3)"
expect = "6"
hidden = true
"#;

fn check(dir: &Path, solution: &str) -> crate::support::Checked {
    fs::write(dir.join("double.toml"), EXERCISE).unwrap();
    let file = dir.join("double.py");
    fs::write(&file, format!("# kata: double\n{solution}")).unwrap();
    check_path(&file, "json", &["--exercises", dir.to_str().unwrap()])
}

#[test]
fn a_cpu_time_limit_says_where_the_code_was_stuck_except_in_hidden_cases() {
    let dir = tempfile::tempdir().unwrap();
    let checked = check(
        dir.path(),
        "def spin(n):\n    total = 0\n    while True:\n        total += n\n\n\ndef double(n):\n    spin(n)\n    return 2 * n\n",
    );
    assert_eq!(checked.status, 1, "{}", checked.stderr);
    let visible = checked.case("visible");
    assert_eq!(visible["verdict"], "time-limit-exceeded", "{visible}");
    let message = visible["message"].as_str().unwrap_or_default();
    // Line 4 of the file is `while True:` (line 1 is the `# kata:` header), line 5 its body.
    assert!(
        message.contains("stopped at line 4, in `spin`")
            || message.contains("stopped at line 5, in `spin`"),
        "{message}"
    );
    let hidden = checked.case("secret");
    assert_eq!(hidden["verdict"], "time-limit-exceeded", "{hidden}");
    assert!(!hidden.to_string().contains("stopped at"), "{hidden}");
}

#[test]
fn a_forged_stop_report_is_not_believed() {
    let dir = tempfile::tempdir().unwrap();
    // The code writes the harness's stop report itself and ends, without reaching any limit.
    let checked = check(
        dir.path(),
        "import os\n\ndef double(n):\n    body = b'{\"protocol\": 1, \"status\": \"stopped\", \"line\": 1, \"function\": \"x\"}'\n    os.write(3, b'KATA-FRAME 1 %d\\n' % len(body) + body)\n    os._exit(0)\n",
    );
    let visible = checked.case("visible");
    assert_eq!(visible["verdict"], "runtime-error", "{visible}");
    assert!(
        visible["message"]
            .as_str()
            .unwrap_or_default()
            .contains("tampered"),
        "{visible}"
    );
}

#[test]
fn a_hidden_case_cannot_forge_a_syntax_error_that_carries_its_input_out() {
    let dir = tempfile::tempdir().unwrap();
    // On its hidden input (3) the code reports a "syntax error" naming that input, as the
    // harness would for a source that does not compile, hoping it stands for the submission.
    let checked = check(
        dir.path(),
        "import os\n\ndef double(n):\n    if n == 3:\n        body = b'{\"protocol\": 1, \"status\": \"syntax-error\", \"type\": \"SyntaxError\", \"message\": \"input was %d HIDDEN-LEAK\"}' % n\n        os.write(3, b'KATA-FRAME 1 %d\\n' % len(body) + body)\n        os._exit(0)\n    return 2 * n\n",
    );
    assert_eq!(checked.case("secret")["verdict"], "runtime-error");
    assert!(
        !checked.stdout.contains("HIDDEN-LEAK") && !checked.stderr.contains("HIDDEN-LEAK"),
        "{}",
        checked.stdout
    );
}

#[test]
fn debugging_prints_over_the_output_limit_are_named_as_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let checked = check(
        dir.path(),
        "def double(n):\n    for step in range(20000):\n        print('debug: step', step, 'of a long loop' * 10)\n    return 2 * n\n",
    );
    let visible = checked.case("visible");
    assert_eq!(visible["verdict"], "output-limit-exceeded", "{visible}");
    let message = visible["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(
            "printed more than 1 MiB to stdout; this case checks only the returned value"
        ) && message.contains("remove those prints"),
        "{message}"
    );
    // The same words in the human report.
    let output = kata()
        .args(["--exercises", dir.path().to_str().unwrap(), "check"])
        .arg(dir.path().join("double.py"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("most likely debugging"), "{stdout}");
}
