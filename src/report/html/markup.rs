//! Small pieces every part of the page uses: report text made safe for HTML, a status's mark
//! and word, and a bar.

use std::borrow::Cow;

use crate::report::escape::{self, visible_block, visible_line};
use crate::report::model::{Status, SubmissionReport};

/// A status's CSS class and mark.
pub(super) fn status_word(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Pass => ("pass", "✓"),
        Status::Fail => ("fail", "✗"),
        Status::Error => ("error", "⚠"),
    }
}

/// A submission's outcome in words: `✓ pass`, `✗ did not load`, or the mark and the verdict
/// that failed it.
pub(super) fn outcome(report: &SubmissionReport) -> String {
    let (word, mark) = status_word(report.status);
    match report.status {
        Status::Pass => format!("{mark} {word}"),
        _ if report.load_error.is_some() => format!("{mark} did not load"),
        _ => format!("{mark} {}", report.verdict.label()),
    }
}

/// A horizontal bar, `part` of `whole` long, drawn in SVG so that it needs no style attribute.
/// Decorative: the figure is always written next to it.
pub(super) fn bar(part: u64, whole: u64) -> String {
    let width = if whole == 0 {
        0.0
    } else {
        part.min(whole) as f64 * 100.0 / whole as f64
    };
    format!(
        "<svg class=\"bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" \
         aria-hidden=\"true\"><rect width=\"{width:.1}\" height=\"10\"/></svg>"
    )
}

/// One line of report text for HTML: controls shown, markup escaped.
pub(super) fn line(text: &str) -> String {
    into_html(visible_line(text))
}

/// Report text over several lines, for HTML.
pub(super) fn block(text: &str) -> String {
    into_html(visible_block(text))
}

fn into_html(text: Cow<'_, str>) -> String {
    escape::html(&text).into_owned()
}
