//! The terminal palette: the styles kata paints text in, and the colour of each verdict. A leaf
//! module, so commands and renderers colour text without importing one another.
//!
//! Painting writes ANSI styles unconditionally; callers print through `anstream`, which drops
//! them when colour is off (`NO_COLOR`, `--color never`, or output that is not a terminal).

use anstyle::{AnsiColor, Effects, Style};

use crate::verdict::Verdict;

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
