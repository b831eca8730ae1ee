//! The class as one HTML page (`kata grade --html`, `kata report html`): the totals, the
//! distribution of the students' scores, each exercise's pass rate, a student × exercise grid,
//! the cases that catch the most students, and every submission with its failing cases, each
//! visible one's diff behind a click (`<details>`). Hidden cases show their verdict only: the
//! model holds nothing else for them.
//!
//! The page is self-contained and works offline, without JavaScript: one inline style sheet,
//! bars drawn as inline SVG, no script, no external resource. Its Content-Security-Policy
//! allows that style sheet (by hash) and nothing else, so even text that slipped through the
//! escaping could not run a script, load an image or apply a style. Every string from the
//! report goes through [`escape::html`] after its control characters are made visible. Status
//! is shown by a symbol and a word, never by colour alone.
//!
//! The page holds no timestamp: the same report renders to the same bytes, whether it comes
//! from `kata grade` or is read back from JSON.

mod figures;
mod head;
mod markup;
mod submissions;
#[cfg(test)]
mod tests;

use std::fmt::Write;

use self::figures::{catches, grid, header, pass_rates, scores};
use self::head::head;
use self::submissions::{not_graded, submissions};
use super::class::ClassReport;
use super::overview::Overview;

/// How many of the cases that catch students are listed.
pub const CATCHES_SHOWN: usize = 20;

/// The page for a class.
pub fn render(class: &ClassReport) -> String {
    let overview = Overview::of(class);
    let mut out = String::with_capacity(16 * 1024 + class.submissions.len() * 1024);
    head(&mut out, class);
    out.push_str("<body>\n");
    header(&mut out, class, &overview);
    out.push_str("<main>\n<div class=\"overview\">\n");
    scores(&mut out, &overview);
    pass_rates(&mut out, &overview);
    out.push_str("</div>\n");
    grid(&mut out, class, &overview);
    catches(&mut out, &overview);
    submissions(&mut out, class);
    not_graded(&mut out, class);
    out.push_str("</main>\n");
    let _ = writeln!(
        out,
        "<footer>Written by kata {}. Hidden cases show their verdict only.</footer>",
        env!("CARGO_PKG_VERSION")
    );
    out.push_str("</body>\n</html>\n");
    out
}
