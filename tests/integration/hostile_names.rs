//! A class whose student folders are named to forge reports: a TAP directive, a newline that
//! adds a test point, GitHub workflow commands, spreadsheet formulas and terminal escapes.
//! Every report must still say that each of them failed, and nothing in it may be live.

use std::path::Path;
use std::process::Command as Process;

use crate::support::{kata, validate_junit};

/// Folder names a student could choose, each aimed at one format.
const HOSTILE: [&str; 9] = [
    "eve # SKIP",
    "mal\nok 99 - forged",
    "::error title=Forged::all tests passed",
    "::add-mask::alice",
    "=HYPERLINK(\"x\",\"click\")",
    "+1+cmd",
    "-2",
    "@SUM(A1)",
    "tty\u{1b}[2J\u{1b}]0;owned\u{7}",
];

/// A three-sum that returns nothing: every case but the empty one fails.
const WRONG: &str = "def three_sum(nums):\n    return []\n";

struct Graded {
    stdout: String,
    stderr: String,
    tap: std::path::PathBuf,
    csv: String,
    junit: String,
    json: serde_json::Value,
}

fn grade_hostile_class(dir: &Path) -> Graded {
    let class = dir.join("class");
    for name in HOSTILE {
        let student = class.join(name);
        std::fs::create_dir_all(&student).unwrap();
        std::fs::write(student.join("three-sum.py"), WRONG).unwrap();
    }
    let tap = dir.join("class.tap");
    let output = kata()
        .current_dir(dir)
        .args(["grade", "class", "--sandbox", "subprocess"])
        .arg("--tap")
        .arg(&tap)
        .args([
            "--csv",
            "class.csv",
            "--junit",
            "class.xml",
            "--json",
            "class.json",
        ])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "every submission fails: {stdout}\n{stderr}"
    );
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    Graded {
        stdout,
        stderr,
        tap,
        csv: read("class.csv"),
        junit: read("class.xml"),
        json: serde_json::from_str(&read("class.json")).unwrap(),
    }
}

#[test]
fn hostile_folder_names_forge_nothing_in_any_report() {
    let dir = tempfile::tempdir().unwrap();
    let graded = grade_hostile_class(dir.path());

    // TAP: Perl's `prove` parses the file kata wrote and counts every submission as failed.
    let prove = Process::new("prove")
        .args(["--verbose", "-e", "cat"])
        .arg(&graded.tap)
        .output()
        .expect("`prove` (Perl's TAP::Harness) runs");
    let prove_out = String::from_utf8_lossy(&prove.stdout);
    assert!(
        !prove.status.success(),
        "prove passed the class:\n{prove_out}"
    );
    let failed = format!("Failed {}/{} subtests", HOSTILE.len(), HOSTILE.len());
    assert!(prove_out.contains(&failed), "{prove_out}");
    assert!(
        !prove_out.contains("skipped"),
        "a name became a SKIP:\n{prove_out}"
    );
    assert!(!prove_out.contains("Parse errors"), "{prove_out}");
    let tests = format!("Tests: {} Failed: {}", HOSTILE.len(), HOSTILE.len());
    assert!(
        prove_out.contains(&tests),
        "a name forged a test point:\n{prove_out}"
    );

    // CSV: no student cell is a formula a spreadsheet would evaluate.
    let mut reader = csv::Reader::from_reader(graded.csv.as_bytes());
    let students: Vec<String> = reader
        .records()
        .map(|record| record.unwrap()[0].to_string())
        .collect();
    assert_eq!(students.len(), HOSTILE.len(), "{}", graded.csv);
    for student in &students {
        assert!(
            !student.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a live formula: {student:?}"
        );
    }
    assert!(students.contains(&"'=HYPERLINK(\"x\",\"click\")".to_string()));

    // GitHub: the only workflow commands are kata's own annotations (one per failing
    // submission) and the fence around the summary table.
    let mut fence: Option<String> = None;
    let mut annotations = 0;
    for line in graded.stdout.lines() {
        let line = line.trim_start();
        if let Some(token) = &fence {
            if line == format!("::{token}::") {
                fence = None;
            }
            continue;
        }
        if let Some(token) = line.strip_prefix("::stop-commands::") {
            fence = Some(token.to_string());
            continue;
        }
        if line.starts_with("::") {
            assert!(line.starts_with("::error file=class/"), "forged: {line}");
            assert!(!line.contains("::error title"), "forged: {line}");
            annotations += 1;
        }
    }
    assert_eq!(annotations, HOSTILE.len(), "{}", graded.stdout);
    assert!(
        fence.is_none(),
        "the fence is never closed:\n{}",
        graded.stdout
    );

    // The progress lines on stderr (one per submission in CI) forge no command either.
    assert_eq!(
        graded.stderr.lines().count(),
        HOSTILE.len(),
        "{}",
        graded.stderr
    );
    for line in graded.stderr.lines() {
        assert!(line.starts_with("graded "), "{line:?}");
    }

    // Terminal: the escape sequences are shown, not sent.
    for output in [&graded.stdout, &graded.stderr] {
        assert!(!output.contains('\u{1b}'), "{output:?}");
    }
    assert!(graded.stdout.contains("tty\\x1b[2J"), "{}", graded.stdout);

    // JUnit parses, with a suite per submission, and stays valid for Jenkins' schema.
    let junit = quick_junit::Report::deserialize_from_str(&graded.junit).unwrap();
    assert_eq!(junit.test_suites.len(), HOSTILE.len());
    if let Err(error) = validate_junit(&dir.path().join("class.xml")) {
        panic!("{error}\n{}", graded.junit);
    }

    // JSON keeps the real names, exactly.
    let mut names: Vec<&str> = graded.json["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["student"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    let mut expected = HOSTILE.to_vec();
    expected.sort_unstable();
    assert_eq!(names, expected);
}
