//! Under GitHub Actions: no more annotations than GitHub shows, the most useful first, one
//! notice for the rest, and every submission in the step summary, escaped.

use std::path::Path;

use crate::support::{fixtures, kata, submission};

/// A student name aimed at the step summary's Markdown: a cell break and HTML.
const HOSTILE: &str = "<img src=x onerror=alert(1)>|cell";

fn copy(from: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(submission(from), to).unwrap();
}

#[test]
fn annotations_stop_at_githubs_limits_and_the_summary_has_everyone() {
    let dir = tempfile::tempdir().unwrap();
    let class = dir.path().join("class");
    // 13 failing submissions: 11 wrong answers, a hostile name, and last in the class's
    // order the only one whose traceback points at a line.
    for index in 1..=11 {
        copy(
            "echo_wrong_answer.py",
            &class.join(format!("s{index:02}")).join("echo.py"),
        );
    }
    copy("echo_wrong_answer.py", &class.join(HOSTILE).join("echo.py"));
    copy("echo_runtime_error.py", &class.join("zed").join("echo.py"));
    // 12 files that cannot be graded: 12 warnings.
    for index in 1..=12 {
        std::fs::write(class.join(format!("loose-{index:02}.py")), "x = 1\n").unwrap();
    }
    let summary = dir.path().join("summary.md");
    let output = kata()
        .current_dir(dir.path())
        .args(["grade", "class", "--sandbox", "subprocess", "--quiet"])
        .arg("--exercises")
        .arg(fixtures().join("exercises"))
        .args(["--json", "class.json"])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stdout}");

    let lines = |prefix: &str| -> Vec<&str> {
        stdout
            .lines()
            .filter(|line| line.starts_with(prefix))
            .collect()
    };
    let errors = lines("::error ");
    assert_eq!(errors.len(), 10, "{stdout}");
    assert!(
        errors[0].starts_with("::error file=class/zed/echo.py,line=")
            && !errors[0].contains(",line=1,"),
        "the annotation that points at a line comes first: {stdout}"
    );
    assert_eq!(lines("::warning ").len(), 10, "{stdout}");
    let notices = lines("::notice ");
    assert_eq!(notices.len(), 1, "{stdout}");
    assert!(
        notices[0].contains("3 more failing submissions and 2 more warnings not annotated"),
        "{}",
        notices[0]
    );

    // The step summary lists all 13 submissions and all 12 files, with the name made inert.
    let markdown = std::fs::read_to_string(&summary).unwrap();
    let rows = markdown
        .lines()
        .filter(|line| line.contains("| echo |"))
        .count();
    assert_eq!(rows, 13, "{markdown}");
    assert_eq!(markdown.matches("loose\\-").count(), 12, "{markdown}");
    assert!(
        !markdown.replace("\\<", "").contains('<'),
        "every < is escaped: {markdown}"
    );
    assert!(
        markdown.contains("| \\<img src\\=x onerror\\=alert\\(1\\)\\>\\|cell | echo |"),
        "{markdown}"
    );

    // `kata report merge` writes the merged class's summary the same way.
    std::fs::remove_file(&summary).unwrap();
    let merged = kata()
        .current_dir(dir.path())
        .args(["report", "merge", "class.json"])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(merged.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), markdown);
}
