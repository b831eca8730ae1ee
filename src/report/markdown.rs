//! The class as Markdown, for GitHub's step summary (`$GITHUB_STEP_SUMMARY`): the totals, one
//! table row per submission (student, exercise, status, points, cases failed, file), the
//! submissions that did not load (once each, with their error) and the files that were not
//! graded. It is where every result is when there are more than GitHub's
//! annotations can show. Student-chosen text is escaped cell by cell ([`escape::markdown`]), so
//! no name can break the table or add HTML, links or images to the page.
//!
//! GitHub refuses a step summary over 1 MiB, so rows stop before that, with a line saying how
//! many were left out.

use std::fmt::Write;

use super::class::ClassReport;
use super::escape;
use super::model::Status;

/// GitHub's limit on one step's summary.
pub const SUMMARY_LIMIT: usize = 1024 * 1024;

pub fn render(class: &ClassReport) -> String {
    render_within(class, SUMMARY_LIMIT)
}

/// The summary in at most about `limit` bytes: rows that would pass it are counted instead.
pub fn render_within(class: &ClassReport, limit: usize) -> String {
    let summary = &class.summary;
    let mut out = String::new();
    let shard = class
        .shard
        .as_deref()
        .map(|shard| format!(", shard {}", escape::markdown(shard)))
        .unwrap_or_default();
    let _ = writeln!(out, "## kata: the class's grades{shard}\n");
    let _ = writeln!(
        out,
        "**{} of {} submissions passed**, {} failed{}; {}/{} points; graded in the {}.\n",
        summary.passed,
        summary.submissions,
        summary.failed,
        if summary.errors > 0 {
            format!(" ({} on kata's own error)", summary.errors)
        } else {
            String::new()
        },
        summary.points,
        summary.max_points,
        escape::markdown(&class.sandboxes())
    );
    // Room for the closing lines below, whatever happens to the rows.
    let budget = limit.saturating_sub(4096);
    let mut left_out = 0;
    if !class.submissions.is_empty() {
        out.push_str("| student | exercise | status | points | cases failed | file |\n");
        out.push_str("| --- | --- | --- | ---: | ---: | --- |\n");
        for submission in &class.submissions {
            let report = &submission.report;
            let status = match report.status {
                Status::Pass => "✅ pass",
                Status::Fail if report.load_error.is_some() => "❌ did not load",
                Status::Fail => "❌ fail",
                Status::Error => "⚠️ error",
            };
            let row = format!(
                "| {} | {} | {status} | {}/{} | {}/{} | {} |\n",
                escape::markdown(&submission.student),
                escape::markdown(&report.exercise),
                report.points,
                report.max_points,
                report.failed,
                report.cases.len(),
                escape::markdown(report.file.as_deref().unwrap_or_default())
            );
            if out.len() + row.len() > budget {
                left_out += 1;
            } else {
                out.push_str(&row);
            }
        }
    }
    if left_out > 0 {
        let _ = writeln!(
            out,
            "\n{left_out} more {} not fit in GitHub's 1 MiB summary: see kata's reports \
             (--json, --junit, --csv).",
            if left_out == 1 {
                "submission does"
            } else {
                "submissions do"
            }
        );
    }
    let not_loaded: Vec<_> = class
        .submissions
        .iter()
        .filter_map(|s| Some((s, s.report.load_error.as_ref()?)))
        .collect();
    if !not_loaded.is_empty() {
        let _ = writeln!(out, "\n### Did not load\n");
        out.push_str("| file | line | column | error |\n| --- | ---: | ---: | --- |\n");
        let mut rows_left_out = 0;
        for (submission, error) in not_loaded {
            let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
            let row = format!(
                "| {} | {} | {} | {} |\n",
                escape::markdown(submission.report.file.as_deref().unwrap_or_default()),
                number(error.line),
                number(error.column),
                escape::markdown(&error.message)
            );
            if out.len() + row.len() > budget {
                rows_left_out += 1;
            } else {
                out.push_str(&row);
            }
        }
        if rows_left_out > 0 {
            let _ = writeln!(out, "\n{rows_left_out} more: see kata's reports.");
        }
    }
    if !class.problems.is_empty() {
        let _ = writeln!(out, "\n### Not graded\n");
        out.push_str("| file | why |\n| --- | --- |\n");
        let mut files_left_out = 0;
        for problem in &class.problems {
            let row = format!(
                "| {} | {} |\n",
                escape::markdown(&problem.path),
                escape::markdown(&problem.message)
            );
            if out.len() + row.len() > budget {
                files_left_out += 1;
            } else {
                out.push_str(&row);
            }
        }
        if files_left_out > 0 {
            let _ = writeln!(
                out,
                "\n{files_left_out} more {} not graded: see kata's reports.",
                if files_left_out == 1 { "file" } else { "files" }
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classroom::Problem;
    use crate::report::StudentSubmission;
    use crate::report::model::SubmissionReport;

    fn class(students: usize) -> ClassReport {
        let submissions = (0..students)
            .map(|index| StudentSubmission {
                student: format!("student-{index:04}"),
                report: SubmissionReport {
                    schema_version: 1,
                    exercise: "echo".into(),
                    title: "Echo".into(),
                    file: Some(format!("class/student-{index:04}/echo.py")),
                    sandbox: "wasm".into(),
                    status: Status::Pass,
                    verdict: crate::grade::Verdict::Accepted,
                    points: 0,
                    max_points: 0,
                    passed: 0,
                    failed: 0,
                    not_run: 0,
                    load_error: None,
                    cases: Vec::new(),
                },
            })
            .collect();
        let problems = vec![Problem {
            path: "class/loose.py".into(),
            message: "not inside a student's folder".into(),
        }];
        ClassReport::new("wasm", None, submissions, problems)
    }

    #[test]
    fn every_submission_has_a_row_when_it_fits() {
        let markdown = render(&class(3));
        assert_eq!(
            markdown.matches("| echo | ✅ pass |").count(),
            3,
            "{markdown}"
        );
        assert!(markdown.contains("| class\\/loose\\.py |"), "{markdown}");
        assert!(!markdown.contains("more submissions"), "{markdown}");
    }

    #[test]
    fn rows_stop_before_the_limit_and_say_how_many_are_missing() {
        let markdown = render_within(&class(200), 4096 + 2000);
        assert!(markdown.len() <= 4096 + 2000, "{}", markdown.len());
        let rows = markdown.matches("| echo | ✅ pass |").count();
        assert!(rows > 0 && rows < 200, "{rows}");
        assert!(
            markdown.contains(&format!("\n{} more submissions do not fit", 200 - rows)),
            "{markdown}"
        );
        assert!(markdown.contains("1 more file not graded"), "{markdown}");
    }
}
