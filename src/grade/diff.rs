//! Diffs of expected against actual, made with `similar`, as data a renderer can colour.

use similar::{ChangeTag, InlineChangeMode, InlineChangeOptions, TextDiff};

/// Lines of unchanged context kept around each change.
const CONTEXT: usize = 3;
/// Texts up to this many lines are never collapsed.
const SHOW_WHOLE: usize = 20;
/// Longest diff shown; the rest is summarised, so a flood of output stays readable.
const MAX_LINES: usize = 40;

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DiffLine {
    /// A line from both sides, only in the expected text, or only in the actual text.
    Line { tag: Tag, segments: Vec<Segment> },
    /// This many lines left out (unchanged context, or the tail of a long diff).
    Skipped { lines: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    Same,
    Expected,
    Actual,
}

/// Part of a line; `emphasized` marks the characters that differ within a changed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segment {
    pub emphasized: bool,
    pub text: String,
}

/// A line diff of `expected` against `actual`, with the differing words emphasised, unchanged
/// stretches collapsed and long diffs cut. With `show_whitespace`, spaces, tabs and line ends
/// are drawn as visible marks (for "only whitespace differs").
pub(crate) fn diff(expected: &str, actual: &str, show_whitespace: bool) -> Vec<DiffLine> {
    let (expected, actual) = if show_whitespace {
        (visible_whitespace(expected), visible_whitespace(actual))
    } else {
        (expected.to_string(), actual.to_string())
    };
    let text_diff = TextDiff::from_lines(&expected, &actual);
    // Character-level emphasis, cleaned up so it marks whole changed runs, not scattered letters.
    let mut inline = InlineChangeOptions::new();
    inline.mode(InlineChangeMode::Chars).semantic_cleanup(true);
    let mut lines = Vec::new();
    let mut next_old = 0;
    // Short texts are shown whole: collapsing two lines of an ops table hides more than it saves.
    let context = if text_diff.old_len().max(text_diff.new_len()) <= SHOW_WHOLE {
        SHOW_WHOLE
    } else {
        CONTEXT
    };
    for group in text_diff.grouped_ops(context) {
        let first_old = group.first().map_or(0, |op| op.old_range().start);
        if first_old > next_old {
            lines.push(DiffLine::Skipped {
                lines: first_old - next_old,
            });
        }
        for op in &group {
            for change in text_diff.iter_inline_changes_with_options(op, inline) {
                let tag = match change.tag() {
                    ChangeTag::Equal => Tag::Same,
                    ChangeTag::Delete => Tag::Expected,
                    ChangeTag::Insert => Tag::Actual,
                };
                let segments = change
                    .iter_strings_lossy()
                    .map(|(emphasized, text)| Segment {
                        emphasized,
                        text: text.trim_end_matches('\n').to_string(),
                    })
                    .filter(|segment| !segment.text.is_empty())
                    .collect();
                lines.push(DiffLine::Line { tag, segments });
            }
            next_old = op.old_range().end;
        }
    }
    let remaining = text_diff.old_len().saturating_sub(next_old);
    if remaining > 0 {
        lines.push(DiffLine::Skipped { lines: remaining });
    }
    truncate(lines)
}

fn truncate(mut lines: Vec<DiffLine>) -> Vec<DiffLine> {
    if lines.len() <= MAX_LINES {
        return lines;
    }
    let hidden: usize = lines
        .get(MAX_LINES..)
        .unwrap_or_default()
        .iter()
        .map(|line| match line {
            DiffLine::Line { .. } => 1,
            DiffLine::Skipped { lines } => *lines,
        })
        .sum();
    lines.truncate(MAX_LINES);
    lines.push(DiffLine::Skipped { lines: hidden });
    lines
}

/// Spaces as `·`, tabs as `→`, carriage returns as `␍` and line ends as `⏎`.
pub(crate) fn visible_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            ' ' => out.push('·'),
            '\t' => out.push('→'),
            '\r' => out.push('␍'),
            '\n' => out.push_str("⏎\n"),
            c => out.push(c),
        }
    }
    out
}

/// The diff as plain text (`-` expected, `+` actual), for reports without colour.
pub(crate) fn plain(lines: &[DiffLine]) -> String {
    let mut out = String::new();
    for line in lines {
        match line {
            DiffLine::Line { tag, segments } => {
                out.push_str(match tag {
                    Tag::Same => "  ",
                    Tag::Expected => "- ",
                    Tag::Actual => "+ ",
                });
                for segment in segments {
                    out.push_str(&segment.text);
                }
            }
            DiffLine::Skipped { lines } => {
                out.push_str(&format!(
                    "  … {lines} more line{}",
                    if *lines == 1 { "" } else { "s" }
                ));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_changed_line() {
        let lines = diff("[5, 4, 3]", "[5, 4, 9]", false);
        assert_eq!(plain(&lines), "- [5, 4, 3]\n+ [5, 4, 9]\n");
        let DiffLine::Line { segments, .. } = &lines[1] else {
            panic!()
        };
        let emphasized: Vec<&str> = segments
            .iter()
            .filter(|s| s.emphasized)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(emphasized, ["9"]);
    }

    #[test]
    fn long_unchanged_stretches_are_collapsed() {
        let expected: String = (0..100).map(|i| format!("{i}\n")).collect();
        let actual = expected.replace("50\n", "fifty\n");
        let text = plain(&diff(&expected, &actual, false));
        assert_eq!(
            text,
            "  … 47 more lines\n  47\n  48\n  49\n- 50\n+ fifty\n  51\n  52\n  53\n  … 46 more lines\n"
        );
    }

    #[test]
    fn floods_are_cut_with_a_count() {
        let actual: String = (0..10_000).map(|i| format!("line {i}\n")).collect();
        let lines = diff("", &actual, false);
        assert_eq!(lines.len(), MAX_LINES + 1);
        assert_eq!(
            lines.last(),
            Some(&DiffLine::Skipped {
                lines: 10_000 - MAX_LINES
            })
        );
    }

    #[test]
    fn whitespace_can_be_made_visible() {
        let text = plain(&diff("a b\n", "a  b \n", true));
        assert_eq!(text, "- a·b⏎\n+ a··b·⏎\n");
        assert_eq!(visible_whitespace("\tx\r\n"), "→x␍⏎\n");
    }
}
