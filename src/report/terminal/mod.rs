//! The human report: a line per case, then the failing visible cases in detail, then
//! `N passed, M failed` as the last line.
//!
//! Rendering writes ANSI styles unconditionally; callers print through `anstream`, which drops
//! them when colour is off (`NO_COLOR`, `--color never`, or output that is not a terminal).
//! Everything the submission or student controls (names, printed output, messages) has its
//! control characters shown as escapes, so none of it can drive the terminal.

mod case_line;
mod details;
#[cfg(test)]
mod tests;

use std::fmt::Write;

use anstyle::Effects;

pub(crate) use self::case_line::{case_line, name_column};
pub(crate) use self::details::{case_details, load_error_block, place};
use super::Verbosity;
use super::escape::visible_line;
use super::model::{CaseReport, Status, SubmissionReport};
use crate::grade::Verdict;
use crate::style::{BOLD, DIM, GREEN, RED, paint, verdict_style};

/// Failing cases shown in full; the rest get their one line only.
const DETAILED_FAILURES: usize = 3;

/// The full report for `kata check`, fitted to the terminal it is printed on.
pub fn render(report: &SubmissionReport) -> String {
    render_with(report, Verbosity::Normal)
}

/// The report for `kata check`, as much of it as `verbosity` asks for.
pub fn render_with(report: &SubmissionReport, verbosity: Verbosity) -> String {
    match verbosity {
        Verbosity::Quiet => render_quiet(report),
        Verbosity::Normal => render_for(report, terminal_columns()),
        Verbosity::Verbose => render_detailed(report, terminal_columns(), usize::MAX),
    }
}

/// Only what kept the submission from loading, if anything did, and the summary line.
fn render_quiet(report: &SubmissionReport) -> String {
    let mut out = String::new();
    if let Some(load_error) = &report.load_error {
        out.push_str(&load_error_block(load_error, report.file.as_deref()));
        out.push('\n');
    }
    out.push_str(&totals(report));
    out
}

/// Columns of the terminal on stdout; `None` when stdout is not a terminal (a pipe or a file
/// has no width to fit).
fn terminal_columns() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .map(|(columns, _)| usize::from(columns))
        .filter(|&columns| columns > 0)
}

/// The full report, its case lines fitted to `columns` when the width is known.
pub fn render_for(report: &SubmissionReport, columns: Option<usize>) -> String {
    render_detailed(report, columns, DETAILED_FAILURES)
}

/// The full report with at most `detailed` distinct failures shown in full.
fn render_detailed(report: &SubmissionReport, columns: Option<usize>, detailed: usize) -> String {
    let mut out = String::new();
    let file = report.file.as_deref().unwrap_or("submission");
    let _ = writeln!(
        out,
        "{} {}",
        paint(BOLD, visible_line(&report.exercise)),
        paint(
            DIM,
            format!(
                "· {} · {} · {} sandbox",
                visible_line(&report.title),
                visible_line(file),
                visible_line(&report.sandbox)
            )
        ),
    );
    out.push_str(&case_lines(report, columns));

    let failing: Vec<&CaseReport> = report
        .cases
        .iter()
        .filter(|case| !case.verdict.is_accepted() && case.details.is_some())
        .collect();
    // Cases that failed the same way (a syntax error, an import-time crash) are shown once.
    let mut shown: Vec<(&CaseReport, usize)> = Vec::new();
    for case in &failing {
        match shown
            .iter_mut()
            .find(|(first, _)| same_failure(first, case))
        {
            Some((_, repeats)) => *repeats += 1,
            None => shown.push((case, 0)),
        }
    }
    for (case, repeats) in shown.iter().take(detailed) {
        out.push('\n');
        out.push_str(&case_details(case));
        if *repeats > 0 {
            let _ = writeln!(
                out,
                "   {}",
                paint(
                    DIM,
                    format!("(the same in {repeats} more case{})", plural(*repeats))
                )
            );
        }
    }
    if shown.len() > detailed {
        let more: usize = shown[detailed..]
            .iter()
            .map(|(_, repeats)| repeats + 1)
            .sum();
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                DIM,
                format!(
                    "… {more} more failing case{}; fix these first, or use --format json to see them all",
                    plural(more)
                )
            )
        );
    }
    if report.status == Status::Error {
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                verdict_style(Verdict::InternalError),
                "kata itself failed on some cases: this is not the submission's fault (exit status 3)"
            )
        );
    }
    out.push('\n');
    out.push_str(&totals(report));
    out
}

/// A line per case; for a submission that did not load, its error once instead.
fn case_lines(report: &SubmissionReport, columns: Option<usize>) -> String {
    if let Some(load_error) = &report.load_error {
        return load_error_block(load_error, report.file.as_deref());
    }
    let width = name_column(&report.cases, columns);
    report
        .cases
        .iter()
        .map(|case| case_line(case, width))
        .collect()
}
/// The points, when they are not one per case, and `N passed, M failed` as the last line.
fn totals(report: &SubmissionReport) -> String {
    let mut out = String::new();
    if report.max_points != report.cases.len() as u32 {
        let _ = writeln!(
            out,
            "{}",
            paint(
                DIM,
                format!("points: {}/{}", report.points, report.max_points)
            )
        );
    }
    let passed = format!("{} passed", report.passed);
    let failed = format!("{} failed", report.failed);
    let not_run = if report.not_run > 0 {
        paint(DIM, format!(" ({} not run)", report.not_run))
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{}, {}{not_run}",
        if report.failed == 0 {
            paint(GREEN.effects(Effects::BOLD), passed)
        } else {
            passed
        },
        if report.failed > 0 {
            paint(RED.effects(Effects::BOLD), failed)
        } else {
            failed
        }
    );
    out
}

/// Whether two failures say exactly the same thing (and neither has a diff of its own).
fn same_failure(a: &CaseReport, b: &CaseReport) -> bool {
    let (Some(x), Some(y)) = (&a.details, &b.details) else {
        return false;
    };
    a.verdict == b.verdict
        && x.expected.is_none()
        && y.expected.is_none()
        && x.message == y.message
        && x.traceback == y.traceback
}
fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
