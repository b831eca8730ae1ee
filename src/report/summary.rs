//! The terminal summary of a graded class: per student the exercises passed and the points,
//! the submissions that did not load or were cut short (once each), the files that were not
//! graded, and `N passed, M failed` (submissions) as the last line. With `--verbose`, [`cases`]
//! comes first: every submission's case lines. Student names and file paths have their control
//! characters shown, not obeyed.

use std::fmt::Write;

use super::class::ClassReport;
use super::escape::visible_line;
use super::model::NotRun;
use super::terminal::{case_line, load_error_block, name_column, place};
use crate::style::{BOLD, DIM, GREEN, RED, YELLOW, paint, verdict_style};
use crate::words;

pub fn render(class: &ClassReport) -> String {
    let mut out = String::new();
    let students = class.students();
    let width = students
        .iter()
        .map(|s| visible_line(&s.student).chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    let _ = writeln!(
        out,
        "{}",
        paint(
            BOLD,
            format!("{:width$}  {:>9}  {:>9}", "student", "exercises", "points")
        )
    );
    for totals in &students {
        let exercises = format!("{}/{}", totals.passed, totals.exercises);
        let points = format!("{}/{}", totals.points, totals.max_points);
        let style = if totals.passed == totals.exercises {
            GREEN
        } else {
            RED
        };
        let _ = writeln!(
            out,
            "{:width$}  {}  {:>9}",
            visible_line(&totals.student),
            paint(style, format!("{exercises:>9}")),
            points
        );
    }
    out.push_str(&stopped(class));
    if !class.problems.is_empty() {
        let _ = writeln!(out, "\n{}", paint(YELLOW, "not graded:"));
        for problem in &class.problems {
            let _ = writeln!(
                out,
                "  {}: {}",
                visible_line(&problem.path),
                visible_line(&problem.message)
            );
        }
    }
    let summary = &class.summary;
    let shard = class
        .shard
        .as_deref()
        .map(|shard| format!(" (shard {})", visible_line(shard)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\n{}",
        paint(
            DIM,
            format!(
                "{}, {}{shard}, {}/{} points, {}",
                words::count(students.len(), "student", "students"),
                words::count(summary.submissions, "submission", "submissions"),
                summary.points,
                summary.max_points,
                visible_line(&class.sandboxes())
            )
        )
    );
    if summary.errors > 0 {
        let _ = writeln!(
            out,
            "{}",
            paint(
                RED,
                format!(
                    "kata itself failed on {}: exit status 3",
                    words::count(summary.errors, "submission", "submissions")
                )
            )
        );
    }
    let failed = summary.failed + summary.errors;
    let passed = format!("{} passed", summary.passed);
    let failed_text = format!("{failed} failed");
    let _ = writeln!(
        out,
        "{}, {}",
        if failed == 0 {
            paint(GREEN.bold(), passed)
        } else {
            passed
        },
        if failed > 0 {
            paint(RED.bold(), failed_text)
        } else {
            failed_text
        }
    );
    out
}

/// The submissions that did not load, each with its error on one line, and those cut short
/// by their time-outs.
fn stopped(class: &ClassReport) -> String {
    let mut out = String::new();
    let not_loaded: Vec<_> = class
        .submissions
        .iter()
        .filter_map(|s| s.report.load_error.as_ref().map(|error| (s, error)))
        .collect();
    if !not_loaded.is_empty() {
        let _ = writeln!(out, "\n{}", paint(RED, "did not load:"));
        for (submission, error) in not_loaded {
            let file = submission
                .report
                .file
                .as_deref()
                .unwrap_or(&submission.report.exercise);
            let _ = writeln!(
                out,
                "  {}{}",
                place(Some(file), error),
                visible_line(&error.message)
            );
        }
    }
    let cut_short: Vec<_> = class
        .submissions
        .iter()
        .filter(|s| {
            s.report
                .cases
                .iter()
                .any(|case| case.not_run == Some(NotRun::Timeouts))
        })
        .collect();
    if !cut_short.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                YELLOW,
                "cut short after too many time-outs (--max-timeouts):"
            )
        );
        for submission in cut_short {
            let file = submission
                .report
                .file
                .as_deref()
                .unwrap_or(&submission.report.exercise);
            let _ = writeln!(
                out,
                "  {}: {}",
                visible_line(file),
                words::count(submission.report.not_run, "case not run", "cases not run")
            );
        }
    }
    out
}

/// Every submission's case lines (a submission that did not load: its error, once), for
/// `kata grade --verbose`.
pub fn cases(class: &ClassReport) -> String {
    let mut out = String::new();
    for submission in &class.submissions {
        let report = &submission.report;
        let _ = writeln!(
            out,
            "{} {} {}",
            paint(
                BOLD,
                format!(
                    "{} {}",
                    visible_line(&submission.student),
                    visible_line(&report.exercise)
                )
            ),
            paint(DIM, "·"),
            paint(
                verdict_style(report.verdict),
                format!(
                    "{} · {}/{} points",
                    report.verdict.label(),
                    report.points,
                    report.max_points
                )
            )
        );
        match &report.load_error {
            Some(error) => out.push_str(&load_error_block(error, report.file.as_deref())),
            None => {
                let width = name_column(&report.cases, None);
                for case in &report.cases {
                    out.push_str(&case_line(case, width));
                }
            }
        }
        out.push('\n');
    }
    out
}
