//! Making student-controlled text inert in each output format.
//!
//! Folder names, printed output and exception messages come from students. Each format has
//! its own syntax a name could smuggle in: a `#` directive or a newline in TAP, a formula in a
//! spreadsheet cell, control sequences on a terminal, a tag or an attribute in HTML. These functions neutralise text for one
//! format each; renderers call them on everything a student could have chosen. (GitHub
//! workflow commands have their own escaping in [`super::github`].)

use std::borrow::Cow;
use std::fmt::Write;

/// Text on one line: every control character (newlines, tabs and escapes included) is shown
/// as an escape like `\n` or `\x1b`. For terminals, which would obey the controls, and for XML
/// attributes, which cannot hold most of them and fold newlines into spaces.
pub(crate) fn visible_line(text: &str) -> Cow<'_, str> {
    show_controls(text, |_| false)
}

/// Text over several lines, keeping its line breaks and tabs but showing every other control
/// character: printed output, tracebacks and messages, on a terminal or in XML text.
pub(crate) fn visible_block(text: &str) -> Cow<'_, str> {
    show_controls(text, |c| c == '\n' || c == '\t')
}

fn show_controls(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    let hostile = |c: char| is_hostile(c) && !keep(c);
    if !text.chars().any(hostile) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !hostile(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    Cow::Owned(out)
}

/// Characters a terminal may act on rather than show (C0 and C1 controls, DEL, and the
/// bidirectional overrides and isolates that reorder the rest of a line), and the two
/// non-characters XML cannot hold.
fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// A TAP test point's description or subtest name: one line, with `\` and `#` escaped so that
/// no name can start a `# SKIP` or `# TODO` directive, and no control character left raw.
pub(crate) fn tap(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('#', "\\#");
    visible_line(&escaped).into_owned()
}

/// Text for one Markdown table cell (GitHub's step summary): on one line, with every ASCII
/// punctuation character backslash-escaped, as CommonMark allows for any of them. So no name
/// can close the cell (`|`), open HTML (`<`), a link, an image, emphasis or code, and `&`
/// cannot start an entity.
pub(crate) fn markdown(text: &str) -> String {
    let line = visible_line(text);
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A CSV cell a spreadsheet will not evaluate. As OWASP recommends for CSV injection, a cell
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, which
/// spreadsheets read as "this is text". (The CSV writer quotes the cell as needed.)
pub(crate) fn csv_cell(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// Text for HTML: in an element's content or in a quoted attribute value. `&`, `<`, `>`, `"`
/// and `'` become character references, so no text can open a tag, close an attribute or
/// start an entity. (Never for unquoted attributes, scripts or style sheets: the HTML report
/// puts student text in none of those.) Controls are left to the caller: [`visible_line`] or
/// [`visible_block`] first shows them, as for any other reader.
pub(crate) fn html(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminals_see_controls_as_text() {
        assert_eq!(visible_line("plain name"), "plain name");
        assert_eq!(
            visible_line("eve\x1b[2J\nok\r\t\u{7f}\u{9b}"),
            "eve\\x1b[2J\\nok\\r\\t\\x7f\\x9b"
        );
        assert_eq!(visible_line("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(visible_block("one\n\ttwo\x07\r\n"), "one\n\ttwo\\x07\\r\n");
    }

    #[test]
    fn tap_descriptions_cannot_carry_directives_or_lines() {
        assert_eq!(tap("eve # SKIP"), "eve \\# SKIP");
        assert_eq!(tap("a\\# TODO"), "a\\\\\\# TODO");
        assert_eq!(tap("x\nok 2 - forged"), "x\\nok 2 - forged");
    }

    #[test]
    fn markdown_cells_are_plain_text() {
        assert_eq!(markdown("ada"), "ada");
        assert_eq!(
            markdown("a|b <img src=x> [l](u) *e* `c` &amp;"),
            "a\\|b \\<img src\\=x\\> \\[l\\]\\(u\\) \\*e\\* \\`c\\` \\&amp\\;"
        );
        assert_eq!(markdown("x\n| y"), "x\\\\n\\| y");
    }

    #[test]
    fn html_text_opens_no_tag_and_closes_no_attribute() {
        assert_eq!(html("ada"), "ada");
        assert_eq!(
            html("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(html("a\" b='c' &amp;"), "a&quot; b=&#39;c&#39; &amp;amp;");
    }

    #[test]
    fn spreadsheet_formulas_become_text() {
        for formula in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(csv_cell(formula), format!("'{formula}"));
        }
        assert_eq!(csv_cell("ada"), "ada");
        assert_eq!(csv_cell(""), "");
    }
}
