//! The human report: a line per case, then the failing visible cases in detail, then
//! `N passed, M failed` as the last line.
//!
//! Rendering writes ANSI styles unconditionally; callers print through `anstream`, which drops
//! them when colour is off (`NO_COLOR`, `--color never`, or output that is not a terminal).
//! Everything the submission or student controls (names, printed output, messages) has its
//! control characters shown as escapes, so none of it can drive the terminal.

use std::fmt::Write;

use anstyle::{Effects, Style};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::Verbosity;
use super::escape::{visible_block, visible_line};
use super::model::{CaseReport, LoadError, LoadErrorKind, Status, SubmissionReport};
use crate::grade::Verdict;
use crate::grade::diff::{self, DiffLine, Tag};
use crate::style::{BOLD, CYAN, DIM, GREEN, RED, paint, verdict_style};
use crate::units;

/// Failing cases shown in full; the rest get their one line only.
const DETAILED_FAILURES: usize = 3;
/// Longest stretch of printed output quoted in a report.
const MAX_QUOTED_LINES: usize = 20;
/// The widest the case-name column gets; longer names are cut so the verdicts stay in a column.
const NAME_COLUMNS: usize = 48;
/// The narrowest it gets on a narrow terminal: a name cut shorter than this says nothing.
const MIN_NAME_COLUMNS: usize = 12;
/// What comes before a case's name (`  ✓ `) and between it and the rest of its line.
const NAME_MARGINS: usize = 4 + 2;

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

/// Where a load error is, as compilers say it: `file:line:column: `, or as much as is known.
pub(crate) fn place(file: Option<&str>, load_error: &LoadError) -> String {
    let mut place = file
        .map(|file| visible_line(file).into_owned())
        .unwrap_or_default();
    for number in [load_error.line, load_error.column].into_iter().flatten() {
        if place.is_empty() {
            place = format!("line {number}");
        } else {
            place.push_str(&format!(":{number}"));
        }
    }
    if place.is_empty() {
        place
    } else {
        place + ": "
    }
}

/// Why the submission did not load, said once.
pub(crate) fn load_error_block(load_error: &LoadError, file: Option<&str>) -> String {
    let mut out = String::new();
    let what = match load_error.kind {
        LoadErrorKind::SyntaxError => "does not compile",
        LoadErrorKind::ImportError => "raised while it was imported",
    };
    let _ = writeln!(
        out,
        "  {} {}",
        paint(RED, "✗"),
        paint(BOLD, format!("the submission {what}, so no case ran")),
    );
    let _ = writeln!(
        out,
        "   {}{}",
        paint(DIM, place(file, load_error)),
        paint(RED, visible_line(&load_error.message))
    );
    if let Some(traceback) = &load_error.traceback {
        out.push_str(&quoted("traceback", traceback, RED));
    }
    out
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

/// How wide the case-name column is: as wide as the longest name, but at most
/// [`NAME_COLUMNS`], and narrow enough that the widest verdict still fits on a terminal
/// `columns` wide (never below [`MIN_NAME_COLUMNS`]).
pub(crate) fn name_column(cases: &[CaseReport], columns: Option<usize>) -> usize {
    let longest = cases
        .iter()
        .map(|case| visible_line(&case.name).width())
        .max()
        .unwrap_or(0);
    let room = columns.map_or(NAME_COLUMNS, |columns| {
        let widest_rest = cases
            .iter()
            .map(|case| {
                rest_of_line(case)
                    .iter()
                    .map(|(_, text)| text.width())
                    .sum()
            })
            .max()
            .unwrap_or(0);
        columns
            .saturating_sub(NAME_MARGINS + widest_rest)
            .clamp(MIN_NAME_COLUMNS, NAME_COLUMNS)
    });
    longest.min(room)
}

/// `name` in exactly `width` columns: padded with spaces, or cut with `…` when it is wider.
fn fit(name: &str, width: usize) -> String {
    let mut fitted = String::new();
    let mut used = 0;
    if name.width() <= width {
        fitted.push_str(name);
        used = name.width();
    } else {
        let room = width.saturating_sub(1);
        for c in name.chars() {
            let c_width = c.width().unwrap_or(0);
            if used + c_width > room {
                break;
            }
            fitted.push(c);
            used += c_width;
        }
        if width > 0 {
            fitted.push('…');
            used += 1;
        }
    }
    fitted.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    fitted
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// A case's line: its mark, its name fitted to a column `width` wide, then its figures or
/// its verdict.
pub(crate) fn case_line(case: &CaseReport, width: usize) -> String {
    let (mark, style) = mark(case);
    let name = fit(&visible_line(&case.name), width);
    let mut line = format!("  {} {name}  ", paint(style, mark));
    for (style, text) in rest_of_line(case) {
        line.push_str(&paint(style, text));
    }
    line.push('\n');
    line
}

fn mark(case: &CaseReport) -> (&'static str, Style) {
    if case.not_run.is_some() {
        ("·", DIM)
    } else if case.verdict.is_accepted() {
        ("✓", GREEN)
    } else {
        ("✗", verdict_style(case.verdict))
    }
}

/// What follows a case's name on its line, as styled pieces (measured to size the name column).
fn rest_of_line(case: &CaseReport) -> Vec<(Style, String)> {
    let mut rest = Vec::new();
    if let Some(not_run) = case.not_run {
        rest.push((DIM, format!("not run: {}", not_run.explain())));
        if case.hidden {
            rest.push((DIM, "  (hidden)".to_string()));
        }
    } else if case.verdict.is_accepted() {
        // Hidden cases have no figures to show: the model leaves them out.
        match case.time_ms {
            Some(time_ms) => rest.push((DIM, format!("{time_ms} ms"))),
            None if case.hidden => rest.push((DIM, "(hidden)".to_string())),
            None => {}
        }
        if let Some(fuel) = case.fuel {
            rest.push((DIM, format!(" · {}", units::fuel(fuel))));
        }
        if let Some(exponent) = case.growth.as_ref().and_then(|growth| growth.exponent) {
            rest.push((DIM, format!(" · grows like n^{exponent:.1}")));
        }
    } else {
        rest.push((mark(case).1, case.verdict.label().to_string()));
        if case.hidden {
            rest.push((DIM, "  (hidden)".to_string()));
        }
    }
    if case.max_points != 1 {
        rest.push((DIM, format!("  {}/{} pts", case.points, case.max_points)));
    }
    rest
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
    if let Some(growth) = &case.growth {
        for line in super::growth::bars(growth, "   ") {
            let _ = writeln!(out, "{}", paint(DIM, line));
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn case(name: &str, verdict: Verdict, hidden: bool) -> CaseReport {
        CaseReport {
            name: name.to_string(),
            hidden,
            status: Status::of(verdict),
            verdict,
            points: 0,
            max_points: 1,
            kind: "call".to_string(),
            comparator: "exact".to_string(),
            not_run: None,
            time_ms: None,
            cpu_ms: None,
            memory_kb: None,
            fuel: None,
            growth: None,
            details: None,
        }
    }

    /// The line as a terminal shows it, without styles.
    fn plain(line: &str) -> String {
        let mut out = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                // A style is `ESC [ … m`.
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn short_names_are_padded_and_long_ones_cut_to_the_column() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcde", 5), "abcde");
        assert_eq!(fit("abcdef", 5), "abcd…");
        // A wide character that would straddle the cut is left out, and the gap padded.
        assert_eq!(fit("ab漢字", 4), "ab… ");
        assert_eq!(fit("anything", 0), "");
    }

    #[test]
    fn the_name_column_is_capped_without_a_terminal() {
        let long = "x".repeat(100);
        let cases = [case(&long, Verdict::Accepted, false)];
        assert_eq!(name_column(&cases, None), NAME_COLUMNS);
        let short = [case("short", Verdict::Accepted, false)];
        assert_eq!(name_column(&short, None), 5);
    }

    #[test]
    fn the_name_column_leaves_room_for_the_widest_verdict_on_a_narrow_terminal() {
        let long = "x".repeat(100);
        let cases = [
            case(&long, Verdict::Accepted, true),
            case("b", Verdict::OutputLimitExceeded, true),
        ];
        let rest = "output-limit-exceeded  (hidden)".len();
        assert_eq!(name_column(&cases, Some(60)), 60 - NAME_MARGINS - rest);
        assert_eq!(name_column(&cases, Some(200)), NAME_COLUMNS);
        assert_eq!(name_column(&cases, Some(20)), MIN_NAME_COLUMNS);
        for columns in [60, 80] {
            let width = name_column(&cases, Some(columns));
            for case in &cases {
                let line = plain(&case_line(case, width));
                assert!(
                    line.trim_end().width() <= columns,
                    "{line:?} is wider than {columns}"
                );
            }
        }
    }

    #[test]
    fn verdicts_line_up_after_cut_names_hidden_or_not() {
        let long = "a very long case name ".repeat(5);
        let cases = [
            case(&long, Verdict::WrongAnswer, false),
            case(&long, Verdict::Accepted, true),
            case("short", Verdict::RuntimeError, false),
        ];
        let width = name_column(&cases, Some(80));
        for case in &cases {
            let line: Vec<char> = plain(&case_line(case, width)).chars().collect();
            let name: String = line[4..4 + width].iter().collect();
            let gap: String = line[4 + width..4 + width + 2].iter().collect();
            assert!(case.name == "short" || name.ends_with('…'), "{name:?}");
            assert_eq!(gap, "  ", "{line:?}");
            assert_ne!(line[4 + width + 2], ' ', "{line:?}");
        }
    }
}
