//! The terminal summary of a graded class: per student the exercises passed and the points,
//! the files that were not graded, and `N passed, M failed` (submissions) as the last line.
//! Student names and file paths have their control characters shown, not obeyed.

use std::fmt::Write;

use super::class::ClassReport;
use super::escape::visible_line;
use super::terminal::{BOLD, DIM, GREEN, RED, YELLOW, paint};
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
