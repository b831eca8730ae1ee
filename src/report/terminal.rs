//! The human report: a line per case, then the failing visible cases in detail, then
//! `N passed, M failed` as the last line.
//!
//! Rendering writes ANSI styles unconditionally; callers print through `anstream`, which drops
//! them when colour is off (`NO_COLOR`, `--color never`, or output that is not a terminal).
//! Everything the submission or student controls (names, printed output, messages) has its
//! control characters shown as escapes, so none of it can drive the terminal.

use std::fmt::Write;

use anstyle::{AnsiColor, Effects, Style};

use super::escape::{visible_block, visible_line};
use super::model::{CaseReport, Status, SubmissionReport};
use crate::grade::diff::{self, DiffLine, Tag};
use crate::grade::{Verdict, judge};

/// Failing cases shown in full; the rest get their one line only.
const DETAILED_FAILURES: usize = 3;
/// Longest stretch of printed output quoted in a report.
const MAX_QUOTED_LINES: usize = 20;

pub(crate) const BOLD: Style = Style::new().effects(Effects::BOLD);
pub(crate) const DIM: Style = Style::new().effects(Effects::DIMMED);
pub(crate) const GREEN: Style = AnsiColor::Green.on_default();
pub(crate) const RED: Style = AnsiColor::Red.on_default();
pub(crate) const YELLOW: Style = AnsiColor::Yellow.on_default();
pub(crate) const CYAN: Style = AnsiColor::Cyan.on_default();

/// `text` in `style`.
pub(crate) fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

/// The colour a verdict is shown in.
pub(crate) fn verdict_style(verdict: Verdict) -> Style {
    match verdict {
        Verdict::Accepted => GREEN,
        Verdict::WrongAnswer | Verdict::RuntimeError | Verdict::SyntaxError => RED,
        Verdict::InternalError => AnsiColor::Magenta.on_default().effects(Effects::BOLD),
        _ => YELLOW,
    }
}

/// The full report for `kata check`.
pub fn render(report: &SubmissionReport) -> String {
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
    let width = report
        .cases
        .iter()
        .map(|case| visible_line(&case.name).chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    for case in &report.cases {
        out.push_str(&case_line(case, width));
    }

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
    for (case, repeats) in shown.iter().take(DETAILED_FAILURES) {
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
    if shown.len() > DETAILED_FAILURES {
        let more: usize = shown[DETAILED_FAILURES..]
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
    let _ = writeln!(
        out,
        "{}, {}",
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

pub(crate) fn case_line(case: &CaseReport, width: usize) -> String {
    let (mark, style) = if case.verdict.is_accepted() {
        ("✓", GREEN)
    } else {
        ("✗", verdict_style(case.verdict))
    };
    let name = visible_line(&case.name);
    let mut line = format!("  {} {name:width$}  ", paint(style, mark));
    if case.verdict.is_accepted() {
        // Hidden cases have no figures to show: the model leaves them out.
        match case.time_ms {
            Some(time_ms) => line.push_str(&paint(DIM, format!("{time_ms} ms"))),
            None if case.hidden => line.push_str(&paint(DIM, "(hidden)")),
            None => {}
        }
        if let Some(fuel) = case.fuel {
            line.push_str(&paint(DIM, format!(" · {}", judge::fuel(fuel))));
        }
    } else {
        line.push_str(&paint(style, case.verdict.label()));
        if case.hidden {
            line.push_str(&paint(DIM, "  (hidden)"));
        }
    }
    if case.max_points != 1 {
        line.push_str(&paint(
            DIM,
            format!("  {}/{} pts", case.points, case.max_points),
        ));
    }
    line.push('\n');
    line
}

pub(crate) fn case_details(case: &CaseReport) -> String {
    let details = case
        .details
        .as_ref()
        .expect("only visible cases are detailed");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} {}",
        paint(BOLD, format!("── {}", visible_line(&case.name))),
        paint(DIM, "·"),
        paint(verdict_style(case.verdict), case.verdict.label())
    );
    // An ops diff lists every call already.
    let diff_shows_input = case.kind == "ops" && details.expected.is_some();
    if let Some(input) = details.input.as_ref().filter(|_| !diff_shows_input) {
        let label = match case.kind.as_str() {
            "call" => "call",
            "ops" => "operations",
            "script" => "script",
            _ => "stdin",
        };
        out.push_str(&labelled(label, input));
    }
    if let Some(message) = &details.message {
        let _ = writeln!(
            out,
            "   {}",
            paint(verdict_style(case.verdict), visible_line(message))
        );
    }
    if let Some(traceback) = &details.traceback {
        out.push_str(&quoted("traceback", traceback, RED));
    }
    if let (Some(expected), Some(actual)) = (&details.expected, &details.actual) {
        let _ = writeln!(
            out,
            "   {}  {}  {}",
            paint(RED, "- expected"),
            paint(GREEN, "+ actual"),
            paint(DIM, format!("(compared: {})", case.comparator)),
        );
        for line in diff::diff(expected, actual, details.whitespace_only) {
            out.push_str(&diff_line(&line));
        }
    }
    if let Some(note) = &details.note {
        let _ = writeln!(out, "   {} {}", paint(CYAN, "note:"), visible_line(note));
    }
    if let Some(stdout) = &details.stdout {
        out.push_str(&quoted("printed", stdout, DIM));
    }
    if let Some(stderr) = &details.stderr {
        out.push_str(&quoted("stderr", stderr, DIM));
    }
    out
}

fn labelled(label: &str, text: &str) -> String {
    if !text.contains('\n') && text.chars().count() <= 70 {
        format!(
            "   {} {}\n",
            paint(DIM, format!("{label}:")),
            visible_line(text)
        )
    } else {
        quoted(label, text, Style::new())
    }
}

/// A block of text under a label, indented, cut to a readable length.
fn quoted(label: &str, text: &str, style: Style) -> String {
    let mut out = format!("   {}\n", paint(DIM, format!("{label}:")));
    let text = visible_block(text);
    let lines: Vec<&str> = text.trim_end_matches('\n').lines().collect();
    for line in lines.iter().take(MAX_QUOTED_LINES) {
        let _ = writeln!(out, "     {}", paint(style, line));
    }
    if lines.len() > MAX_QUOTED_LINES {
        let _ = writeln!(
            out,
            "     {}",
            paint(
                DIM,
                format!("… {} more lines", lines.len() - MAX_QUOTED_LINES)
            )
        );
    }
    out
}

fn diff_line(line: &DiffLine) -> String {
    match line {
        DiffLine::Line { tag, segments } => {
            let (sign, style) = match tag {
                Tag::Same => (" ", DIM),
                Tag::Expected => ("-", RED),
                Tag::Actual => ("+", GREEN),
            };
            let mut text = format!("   {} ", paint(style, sign));
            for segment in segments {
                let segment_style = if segment.emphasized {
                    style.effects(Effects::BOLD | Effects::UNDERLINE)
                } else {
                    style
                };
                text.push_str(&paint(segment_style, visible_line(&segment.text)));
            }
            text.push('\n');
            text
        }
        DiffLine::Skipped { lines } => format!(
            "     {}\n",
            paint(
                DIM,
                format!("… {lines} more line{}", if *lines == 1 { "" } else { "s" })
            )
        ),
    }
}
