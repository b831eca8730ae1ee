//! A case's one line: its mark, its name fitted to a column shared by every case, then its
//! figures or its verdict.

use anstyle::Style;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::report::escape::visible_line;
use crate::report::model::CaseReport;
use crate::style::{DIM, GREEN, paint, verdict_style};
use crate::units;

/// The widest the case-name column gets; longer names are cut so the verdicts stay in a column.
pub(super) const NAME_COLUMNS: usize = 48;
/// The narrowest it gets on a narrow terminal: a name cut shorter than this says nothing.
pub(super) const MIN_NAME_COLUMNS: usize = 12;
/// What comes before a case's name (`  ✓ `) and between it and the rest of its line.
pub(super) const NAME_MARGINS: usize = 4 + 2;

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
pub(super) fn fit(name: &str, width: usize) -> String {
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
