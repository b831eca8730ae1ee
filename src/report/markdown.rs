//! The class as Markdown, for GitHub's step summary (`$GITHUB_STEP_SUMMARY`): the totals, one
//! table row per submission (student, exercise, status, points, cases failed, file) and the
//! files that were not graded. It is where every result is when there are more than GitHub's
//! annotations can show. Student-chosen text is escaped cell by cell ([`escape::markdown`]), so
//! no name can break the table or add HTML, links or images to the page.
//!
//! GitHub refuses a step summary over 1 MiB, so rows stop before that, with a line saying how
//! many were left out.

use std::fmt::Write;

use super::class::ClassReport;
use super::escape::{self, visible_line};
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
        "**{} of {} submissions passed**, {} failed{}; {}/{} points; graded in the {} sandbox.\n",
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
        escape::markdown(&class.sandbox)
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
            "\n{left_out} more submissions do not fit in GitHub's 1 MiB summary: see kata's reports \
             (--json, --junit, --csv)."
        );
    }
    if !class.problems.is_empty() {
        let _ = writeln!(out, "\n### Not graded\n");
        out.push_str("| file | why |\n| --- | --- |\n");
        for problem in &class.problems {
            let row = format!(
                "| {} | {} |\n",
                escape::markdown(&problem.path),
                escape::markdown(&visible_line(&problem.message))
            );
            if out.len() + row.len() > limit.saturating_sub(256) {
                let _ = writeln!(out, "\n(more files not graded: see kata's reports)");
                break;
            }
            out.push_str(&row);
        }
    }
    out
}
