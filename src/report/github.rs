//! GitHub Actions annotations (`::error file=…,line=…::…`), printed when `GITHUB_ACTIONS=true`:
//! one per submission that did not pass, pointing at the line of the first traceback frame in
//! the student's file when there is one, and a warning per file that could not be graded.
//! Hidden cases contribute their verdict only.

use std::fmt::Write;

use super::class::ClassReport;
use super::model::Status;

pub fn render(class: &ClassReport) -> String {
    let mut out = String::new();
    for submission in &class.submissions {
        let report = &submission.report;
        if report.status == Status::Pass {
            continue;
        }
        let file = report.file.as_deref().unwrap_or_default();
        let failing: Vec<String> = report
            .cases
            .iter()
            .filter(|case| !case.verdict.is_accepted())
            .map(|case| match &case.details {
                Some(details) => match &details.message {
                    Some(message) => format!("{}: {} ({message})", case.name, case.verdict.label()),
                    None => format!("{}: {}", case.name, case.verdict.label()),
                },
                None => format!("a hidden case: {}", case.verdict.label()),
            })
            .collect();
        let line = report
            .cases
            .iter()
            .filter_map(|case| case.details.as_ref()?.traceback.as_deref())
            .find_map(|traceback| traceback_line(traceback, file))
            .unwrap_or(1);
        let level = if report.status == Status::Error {
            "warning"
        } else {
            "error"
        };
        let title = format!(
            "{} {}: {} of {} cases failed",
            submission.student,
            report.exercise,
            report.failed,
            report.cases.len()
        );
        let _ = writeln!(
            out,
            "::{level} file={},line={line},title={}::{}",
            property(file),
            property(&title),
            data(&failing.join("\n"))
        );
    }
    for problem in &class.problems {
        let _ = writeln!(
            out,
            "::warning file={},title={}::{}",
            property(&problem.path),
            property("not graded"),
            data(&problem.message)
        );
    }
    out
}

/// The line of the first frame in `file` of a Python traceback.
fn traceback_line(traceback: &str, file: &str) -> Option<u32> {
    let name = std::path::Path::new(file)
        .file_name()?
        .to_string_lossy()
        .into_owned();
    traceback.lines().find_map(|line| {
        let rest = line
            .trim()
            .strip_prefix(&format!("File \"{name}\", line "))?;
        rest.split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    })
}

/// Escaping for a workflow command's message.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a workflow command's property values.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_students_line_in_a_traceback() {
        let traceback = "  File \"lru_cache.py\", line 12, in get\n    return x[k]\nKeyError: 1";
        assert_eq!(
            traceback_line(traceback, "class/alice/lru_cache.py"),
            Some(12)
        );
        assert_eq!(traceback_line(traceback, "class/alice/other.py"), None);
    }

    #[test]
    fn escapes_what_workflow_commands_need() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
