//! GitHub Actions annotations (`::error file=…,line=…::…`), printed when `GITHUB_ACTIONS=true`:
//! an error per submission that did not pass, pointing at the line of the first traceback frame
//! in the student's file when there is one, and a warning per submission kata failed on and per
//! file that could not be graded. Hidden cases contribute their verdict only. A submission that
//! did not load is one error, at the line and column of its syntax error (or the line its
//! import raised on), not one per case.
//!
//! GitHub shows at most [`ERROR_LIMIT`] error and [`WARNING_LIMIT`] warning annotations per
//! step (and 50 per job) and drops the rest without a word, so kata prints no more than that,
//! the most useful first, and then one notice saying how many more there are and where to find
//! them (the step summary, [`super::markdown`], lists every submission).
//!
//! Every student-chosen string inside an annotation is escaped as GitHub documents (`%`, CR
//! and LF in the message; also `:` and `,` in properties), so it cannot end the command or
//! start another. Anything else kata prints under Actions (the summary table, a check report
//! quoting printed output) goes through [`fence`]: the runner ignores workflow commands
//! between `::stop-commands::TOKEN` and `::TOKEN::`, and the token is random per run, so a
//! name cannot close the fence early.

use std::cmp::Reverse;
use std::fmt::Write;

use super::class::{ClassReport, StudentSubmission};
use super::model::{NotRun, Status};

/// Error annotations GitHub shows for one step.
pub const ERROR_LIMIT: usize = 10;
/// Warning annotations GitHub shows for one step.
pub const WARNING_LIMIT: usize = 10;

/// One annotation before it is printed.
struct Annotation {
    file: String,
    /// The line printed: a submission's annotation needs one to show in the diff view.
    line: Option<u32>,
    /// The column, for a syntax error.
    column: Option<u64>,
    /// Whether that line is one a traceback pointed at, not a stand-in.
    located: bool,
    title: String,
    message: String,
    /// The share of the submission's points lost, in millionths (0 for files not graded).
    lost: u64,
}

pub fn render(class: &ClassReport) -> String {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for submission in &class.submissions {
        match submission.report.status {
            Status::Pass => {}
            Status::Fail => errors.push(submission_annotation(submission)),
            Status::Error => warnings.push(submission_annotation(submission)),
        }
    }
    for problem in &class.problems {
        warnings.push(Annotation {
            file: problem.path.clone(),
            line: None,
            column: None,
            located: false,
            title: "not graded".to_string(),
            message: problem.message.clone(),
            lost: 0,
        });
    }
    let mut out = String::new();
    let hidden_errors = print_most_useful(&mut out, "error", errors, ERROR_LIMIT);
    let hidden_warnings = print_most_useful(&mut out, "warning", warnings, WARNING_LIMIT);
    if hidden_errors + hidden_warnings > 0 {
        let _ = writeln!(
            out,
            "::notice title={}::{}",
            property("kata: more results than GitHub shows"),
            data(&more_notice(hidden_errors, hidden_warnings))
        );
    }
    out
}

/// Prints up to `limit` annotations, the most useful first, and returns how many it left out.
///
/// Most useful: one that points at a line of the student's file (a traceback's) before one
/// that can only point at the file, then the submissions furthest from passing; otherwise in
/// the class's order (by student, then exercise).
fn print_most_useful(
    out: &mut String,
    level: &str,
    mut annotations: Vec<Annotation>,
    limit: usize,
) -> usize {
    // A stable sort: ties keep the class's order.
    annotations.sort_by_key(|a| (!a.located, Reverse(a.lost)));
    for annotation in annotations.iter().take(limit) {
        let line = annotation
            .line
            .map(|line| format!(",line={line}"))
            .unwrap_or_default();
        let column = annotation
            .column
            .map(|column| format!(",col={column}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "::{level} file={}{line}{column},title={}::{}",
            property(&annotation.file),
            property(&annotation.title),
            data(&annotation.message)
        );
    }
    annotations.len().saturating_sub(limit)
}

fn more_notice(errors: usize, warnings: usize) -> String {
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(format!(
            "{errors} more failing submission{}",
            if errors == 1 { "" } else { "s" }
        ));
    }
    if warnings > 0 {
        parts.push(format!(
            "{warnings} more warning{}",
            if warnings == 1 { "" } else { "s" }
        ));
    }
    format!(
        "{} not annotated: GitHub shows at most {ERROR_LIMIT} errors and {WARNING_LIMIT} warnings \
         per step. Every submission is in this run's summary (the job's Summary page) and in \
         kata's reports (--json, --junit).",
        parts.join(" and ")
    )
}

fn submission_annotation(submission: &StudentSubmission) -> Annotation {
    let report = &submission.report;
    let file = report.file.clone().unwrap_or_default();
    let lost = u64::from(report.max_points.saturating_sub(report.points)) * 1_000_000
        / u64::from(report.max_points.max(1));
    if let Some(load_error) = &report.load_error {
        let line = load_error.line.and_then(|line| u32::try_from(line).ok());
        return Annotation {
            title: format!(
                "{} {}: did not load, so none of its {} cases ran",
                submission.student,
                report.exercise,
                report.cases.len()
            ),
            file,
            line: Some(line.unwrap_or(1)),
            column: line.and(load_error.column),
            located: line.is_some(),
            message: load_error.message.clone(),
            lost,
        };
    }
    let failing: Vec<String> = report
        .cases
        .iter()
        .filter(|case| !case.verdict.is_accepted())
        .map(|case| match &case.details {
            _ if case.not_run.is_some() => {
                let why = case.not_run.map(NotRun::explain).unwrap_or_default();
                let name = if case.hidden {
                    "a hidden case"
                } else {
                    &case.name
                };
                format!("{name}: not run ({why})")
            }
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
        .find_map(|traceback| traceback_line(traceback, &file));
    Annotation {
        title: format!(
            "{} {}: {} of {} cases failed",
            submission.student,
            report.exercise,
            report.failed,
            report.cases.len()
        ),
        file,
        line: Some(line.unwrap_or(1)),
        column: None,
        located: line.is_some(),
        message: failing.join("\n"),
        lost,
    }
}

/// `text` with workflow commands switched off around it. A token is drawn for each call.
pub fn fence(text: &str) -> String {
    let token = random_token();
    let mut out = format!("::stop-commands::{token}\n{text}");
    if !out.ends_with('\n') {
        out.push('\n');
    }
    let _ = writeln!(out, "::{token}::");
    out
}

/// 128 random bits in hex, from the kernel; if that fails, from the standard library's
/// randomly keyed hasher (seeded from the same source once per process).
fn random_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::io::Read;

    let mut bytes = [0u8; 16];
    let from_kernel = std::fs::File::open("/dev/urandom")
        .and_then(|mut file| file.read_exact(&mut bytes))
        .is_ok();
    if !from_kernel {
        for (index, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_usize(index);
            chunk.copy_from_slice(&hasher.finish().to_le_bytes());
        }
    }
    bytes.iter().fold(String::new(), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    })
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
    fn fences_with_a_fresh_token_each_time() {
        let fenced = fence("::error::forged\n");
        let lines: Vec<&str> = fenced.lines().collect();
        let token = lines[0].strip_prefix("::stop-commands::").unwrap();
        assert_eq!(token.len(), 32);
        assert_eq!(lines[1], "::error::forged");
        assert_eq!(lines[2], format!("::{token}::"));
        assert_ne!(fence("x"), fence("x"));
    }

    #[test]
    fn escapes_what_workflow_commands_need() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
