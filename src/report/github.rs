//! GitHub Actions annotations (`::error file=…,line=…::…`), printed when `GITHUB_ACTIONS=true`:
//! one per submission that did not pass, pointing at the line of the first traceback frame in
//! the student's file when there is one, and a warning per file that could not be graded.
//! Hidden cases contribute their verdict only.
//!
//! Every student-chosen string inside an annotation is escaped as GitHub documents (`%`, CR
//! and LF in the message; also `:` and `,` in properties), so it cannot end the command or
//! start another. Anything else kata prints under Actions (the summary table, a check report
//! quoting printed output) goes through [`fence`]: the runner ignores workflow commands
//! between `::stop-commands::TOKEN` and `::TOKEN::`, and the token is random per run, so a
//! name cannot close the fence early.

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
