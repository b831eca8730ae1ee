//! Mutation testing of test sets: the survivors of a deliberately weak exercise, the score going
//! up as cases are added, equivalent mutants, and the generator on awkward Python.

use std::fs;

use predicates::prelude::*;

use crate::support::{fixtures, kata};

/// `kata validate --mutants` of one file: (exit status, stdout).
fn mutants(file: &std::path::Path, extra: &[&str]) -> (i32, String) {
    let output = kata()
        .args(["validate", "--mutants", "-j", "2"])
        .args(extra)
        .arg(file)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    (output.status.code().unwrap(), format!("{stdout}{stderr}"))
}

/// The `(line, change)` of every surviving mutant, e.g. `(4, "    if x >= high:")`.
fn survivors(report: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = report.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix("✗ survived ") else {
            continue;
        };
        let line_number: usize = rest
            .split("line ")
            .nth(1)
            .and_then(|after| after.split_whitespace().next())
            .and_then(|number| number.parse().ok())
            .expect("a line number");
        let change = lines[index + 1..]
            .iter()
            .find_map(|line| line.trim_start().strip_prefix("+ "))
            .expect("the changed line")
            .to_string();
        found.push((line_number, change));
    }
    found
}

/// The id of the surviving mutant whose new line is `change`.
fn id_of(report: &str, change: &str) -> String {
    let lines: Vec<&str> = report.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        if let Some(rest) = line.trim_start().strip_prefix("✗ survived ")
            && lines[index + 1..]
                .iter()
                .take(4)
                .any(|l| l.trim_start().strip_prefix("+ ") == Some(change))
        {
            return rest.split_whitespace().next().unwrap().to_string();
        }
    }
    panic!("no survivor changing to `{change}` in:\n{report}");
}

#[test]
fn a_weak_test_set_shows_its_survivors_and_the_score_rises_as_cases_are_added() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clamp.toml");
    fs::copy(fixtures().join("mutants/clamp.toml"), &file).unwrap();

    // Two cases: nothing above the range, nothing on a boundary.
    let (status, report) = mutants(&file, &[]);
    assert_eq!(status, 0, "{report}");
    assert!(
        report.contains("mutation score 54.5% (6 of 11 mutants caught, 5 survived)"),
        "{report}"
    );
    assert_eq!(
        survivors(&report),
        vec![
            (2, "    if x <= low:".to_string()),
            (4, "    pass".to_string()),
            (4, "    if x >= high:".to_string()),
            (5, "        pass".to_string()),
            (5, "        return None".to_string()),
        ],
        "{report}"
    );
    let (status, report) = mutants(&file, &["--min-score", "90"]);
    assert_eq!(status, 2, "{report}");
    assert!(report.contains("the score is below 90%"), "{report}");

    // The case the survivors ask for.
    let mut text = fs::read_to_string(&file).unwrap();
    text.push_str(
        "\n[[case]]\nname = \"above the range\"\ncall = \"clamp(15, 0, 10)\"\nexpect = \"10\"\n",
    );
    fs::write(&file, &text).unwrap();
    let (_, report) = mutants(&file, &[]);
    assert!(
        report.contains("mutation score 81.8% (9 of 11 mutants caught, 2 survived)"),
        "{report}"
    );
    assert_eq!(
        survivors(&report),
        vec![
            (2, "    if x <= low:".to_string()),
            (4, "    if x >= high:".to_string()),
        ]
    );

    // Both remaining ones return `x` itself at the boundary: equivalent, and marked so.
    for change in ["    if x <= low:", "    if x >= high:"] {
        text.push_str(&format!(
            "\n[[equivalent]]\nmutant = \"{}\"\nwhy = \"At the boundary x is the bound.\"\n",
            id_of(&report, change)
        ));
    }
    fs::write(&file, &text).unwrap();
    let (status, report) = mutants(&file, &["--min-score", "100"]);
    assert_eq!(status, 0, "{report}");
    assert!(
        report.contains("mutation score 100.0% (9 of 11 mutants caught, 2 equivalent)"),
        "{report}"
    );
    assert!(survivors(&report).is_empty());
}

#[test]
fn stale_and_wrong_equivalence_marks_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clamp.toml");
    let text = fs::read_to_string(fixtures().join("mutants/clamp.toml")).unwrap();
    // Without its second case, `return low` → `return None` (line 3) survives: note its id.
    let first_case_only = &text[..text.find("[[case]]\nname = \"below").unwrap()];
    fs::write(&file, first_case_only).unwrap();
    let (_, report) = mutants(&file, &[]);
    let caught_later = id_of(&report, "        return None");

    let marked = format!(
        "{text}\n[[equivalent]]\nmutant = \"{caught_later}\"\nwhy = \"Not really.\"\n\n[[equivalent]]\nmutant = \"0badc0de\"\nwhy = \"Gone.\"\n"
    );
    fs::write(&file, marked).unwrap();
    let (status, report) = mutants(&file, &[]);
    assert_eq!(status, 0, "{report}");
    assert!(
        report.contains(&format!(
            "mutant `{caught_later}` is marked equivalent, but case `below the range` catches it"
        )),
        "{report}"
    );
    assert!(
        report.contains("`[[equivalent]]` names mutant `0badc0de`"),
        "{report}"
    );
}

#[test]
fn hidden_only_catches_are_pointed_out() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clamp.toml");
    let mut text = fs::read_to_string(fixtures().join("mutants/clamp.toml")).unwrap();
    text.push_str("\n[[case]]\nname = \"above the range\"\ncall = \"clamp(15, 0, 10)\"\nexpect = \"10\"\nhidden = true\n");
    fs::write(&file, &text).unwrap();
    let (_, report) = mutants(&file, &[]);
    assert!(
        report.contains(
            "hidden case `above the range` is the only one that catches mutants of lines 4, 5"
        ),
        "{report}"
    );
}

#[test]
fn the_catalogue_command_reports_every_score() {
    // The documented catalogue run, on the test fixtures (the real catalogue is slow).
    kata()
        .args(["validate", "--mutants", "-j", "2"])
        .arg(fixtures().join("exercises"))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Mutation scores")
                .and(predicate::str::contains("counter"))
                .and(predicate::str::contains("greeting"))
                .and(predicate::str::contains("mutants graded in")),
        );
}

#[cfg(target_os = "linux")]
/// A reference with the syntax the generator must get right: non-ASCII text before the code
/// (byte offsets), f-strings, slices, negative constants, `not`, `is`, lambdas, generators.
const ZOO: &str = r#"# é: a comment with non-ASCII text shifts every byte offset below
NAME = "café"


def zoo(items, start, flag=False):
    label = f"{len(items) + 1} items"
    head = items[start:len(items)]
    tail = items[-2:]
    total = 0
    for item in items:
        if item is None or not flag:
            continue
        total += item ** 2
    count = sum(1 for item in items if item)
    return (total, label, head, tail, count, lambda x: x * 3)
"#;

// Linux only: it runs the generator in the native sandbox directly, which exists only there.
#[cfg(target_os = "linux")]
#[test]
fn the_generator_handles_awkward_python() {
    let interpreter = kata::runner::python::resolve(std::path::Path::new("python3")).unwrap();
    // The box helper is the kata binary: this test binary cannot play that part.
    let isolation =
        kata::runner::subprocess::isolation::Isolation::detect(env!("CARGO_BIN_EXE_kata").into())
            .unwrap();
    let runner = kata::runner::SubprocessRunner::with_isolation(interpreter, isolation, &[])
        .expect("the sandbox can be set up");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let generated = runtime
        .block_on(kata::mutation::generate::generate(&runner, ZOO))
        .unwrap();
    assert_eq!(generated.dropped, 0);
    let mut ids = std::collections::HashSet::new();
    let mut changes = Vec::new();
    for mutant in &generated.mutants {
        assert!(ids.insert(mutant.id.clone()), "duplicate id {}", mutant.id);
        assert!(mutant.id.len() == 8 && mutant.id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(mutant.source, ZOO);
        let line = ZOO.lines().nth(mutant.line - 1).unwrap();
        assert!(
            mutant.before.starts_with(line),
            "line {} is `{line}`, the mutant says `{}`",
            mutant.line,
            mutant.before
        );
        // A statement holding an f-string may be dropped, but nothing inside it is changed.
        assert!(
            !mutant.after.contains("f\"") || mutant.after.contains("f\"{len(items) + 1} items\""),
            "an f-string was mutated: {mutant:?}"
        );
        changes.push(format!("{} {}", mutant.operator, mutant.after.trim()));
    }
    for expected in [
        "slice-bound head = items[start:len(items) + 1]",
        "slice-bound head = items[start - 1:len(items)]",
        "constant tail = items[-3:]",
        "constant tail = items[-1:]",
        "and-or if item is None and not flag:",
        "drop-not if item is None or flag:",
        "compare-negate if item is not None or not flag:",
        "break-continue break",
        "arithmetic total += item * 2",
        "arithmetic total -= item ** 2",
        "constant def zoo(items, start, flag=True):",
        "return-none return None",
        "constant return (total, label, head, tail, count, lambda x: x * 4)",
        "drop-statement pass",
    ] {
        assert!(
            changes.iter().any(|change| change == expected),
            "no `{expected}` among:\n{}",
            changes.join("\n")
        );
    }
    // Slice bounds that are constants are mutated as constants, not twice.
    assert!(
        !changes.iter().any(|c| c.contains("(-2) + 1")),
        "{changes:?}"
    );
}
