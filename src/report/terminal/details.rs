//! A failing case in full (its input, message, traceback and diff), and a load error said once.

use std::fmt::Write;

use anstyle::{Effects, Style};

use crate::grade::diff::{self, DiffLine, Tag};
use crate::report::escape::{visible_block, visible_line};
use crate::report::growth;
use crate::report::model::{CaseReport, LoadError, LoadErrorKind};
use crate::style::{BOLD, CYAN, DIM, GREEN, RED, paint, verdict_style};

/// Longest stretch of printed output quoted in a report.
const MAX_QUOTED_LINES: usize = 20;

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
        for line in growth::bars(growth, "   ") {
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
