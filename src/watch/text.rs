//! Styled text measured as a terminal shows it: ANSI escape sequences take no room, wide
//! characters take two columns. The report renderers emit styles inline, so lines are wrapped
//! and cut here without losing or leaking them.

use unicode_width::UnicodeWidthChar;

const ESCAPE: char = '\x1b';
const RESET: &str = "\x1b[0m";

/// A piece of a styled line: visible text, or an escape sequence.
enum Piece<'a> {
    Char(char),
    Escape(&'a str),
}

/// Splits `line` into characters and whole escape sequences (CSI `ESC [ … final`; any other
/// `ESC x` pair is kept as two bytes).
fn pieces(line: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = line;
    std::iter::from_fn(move || {
        let c = rest.chars().next()?;
        if c == ESCAPE {
            let bytes = rest.as_bytes();
            let end = if bytes.get(1) == Some(&b'[') {
                bytes[2..]
                    .iter()
                    .position(|b| (0x40..=0x7e).contains(b))
                    .map_or(bytes.len(), |i| i + 3)
            } else {
                rest.char_indices().nth(2).map_or(rest.len(), |(i, _)| i)
            };
            let (sequence, tail) = rest.split_at(end);
            rest = tail;
            Some(Piece::Escape(sequence))
        } else {
            rest = &rest[c.len_utf8()..];
            Some(Piece::Char(c))
        }
    })
}

fn char_width(c: char) -> usize {
    if c == '\t' {
        return 4;
    }
    c.width().unwrap_or(0)
}

/// Columns `line` takes on screen.
pub(crate) fn width(line: &str) -> usize {
    pieces(line)
        .map(|piece| match piece {
            Piece::Char(c) => char_width(c),
            Piece::Escape(_) => 0,
        })
        .sum()
}

/// `line` without its escape sequences.
pub(crate) fn strip(line: &str) -> String {
    pieces(line)
        .filter_map(|piece| match piece {
            Piece::Char(c) => Some(c),
            Piece::Escape(_) => None,
        })
        .collect()
}

/// `line` broken into rows of at most `columns`, at spaces where possible. Each row ends with
/// its styles reset and the next starts with the styles that were active, so a red diff line
/// stays red when wrapped. Continuation rows hang under the text: indented like the first
/// row, and past a `- ` list marker. Tabs become four spaces.
pub(crate) fn wrap(line: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(8);
    if width(line) <= columns && !line.contains('\t') {
        return vec![line.to_string()];
    }
    let indent = hanging_indent(&strip(line));
    let indent = if indent < columns / 2 { indent } else { 0 };
    let mut rows = Vec::new();
    let mut row = String::new();
    let mut used = 0;
    // Style sequences since the last reset: re-applied on every continuation row.
    let mut active = String::new();
    // The last space in `row` past the indent: (byte offset, styles active there).
    let mut last_space: Option<(usize, String)> = None;
    for piece in pieces(line) {
        match piece {
            Piece::Escape(sequence) => {
                if sequence == RESET || sequence == "\x1b[m" {
                    active.clear();
                } else if sequence.ends_with('m') {
                    active.push_str(sequence);
                }
                row.push_str(sequence);
            }
            Piece::Char(c) => {
                let (text, needed) = if c == '\t' {
                    ("    ".to_string(), 4)
                } else {
                    (c.to_string(), char_width(c))
                };
                if c == ' ' && used + needed > columns && used > indent {
                    // Break at this very space, which no row carries.
                    if !active.is_empty() {
                        row.push_str(RESET);
                    }
                    rows.push(std::mem::take(&mut row));
                    row = format!("{}{active}", " ".repeat(indent));
                    used = indent;
                    last_space = None;
                    continue;
                }
                while used + needed > columns && used > indent {
                    let (head, tail, tail_styles) = match last_space.take() {
                        // Break at the space, carrying the word begun after it.
                        Some((at, styles)) => {
                            let tail = row[at + 1..].to_string();
                            row.truncate(at);
                            (std::mem::take(&mut row), tail, styles)
                        }
                        None => (std::mem::take(&mut row), String::new(), active.clone()),
                    };
                    let mut head = head;
                    if !tail_styles.is_empty() || !active.is_empty() {
                        head.push_str(RESET);
                    }
                    rows.push(head);
                    row = format!("{}{tail_styles}{tail}", " ".repeat(indent));
                    used = width(&row);
                }
                if c == ' ' && used > indent {
                    last_space = Some((row.len(), active.clone()));
                }
                row.push_str(&text);
                used += needed;
            }
        }
    }
    rows.push(row);
    rows
}

/// Where continuation rows start: under the first row's text, past a list marker.
fn hanging_indent(line: &str) -> usize {
    let spaces = line.chars().take_while(|c| *c == ' ').count();
    let rest = &line[spaces..];
    if rest.starts_with("- ") || rest.starts_with("* ") {
        spaces + 2
    } else {
        spaces
    }
}

/// `line` cut to `columns`, with `…` marking the cut; styles are reset after a cut.
pub(crate) fn truncate(line: &str, columns: usize) -> String {
    if width(line) <= columns {
        return line.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for piece in pieces(line) {
        match piece {
            Piece::Escape(sequence) => out.push_str(sequence),
            Piece::Char(c) => {
                let needed = char_width(c);
                if used + needed + 1 > columns {
                    break;
                }
                out.push(c);
                used += needed;
            }
        }
    }
    out.push('…');
    out.push_str(RESET);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RED: &str = "\x1b[31m";

    #[test]
    fn escapes_take_no_room_and_wide_characters_take_two() {
        assert_eq!(width(&format!("{RED}abc{RESET}")), 3);
        assert_eq!(width("✓ 你"), 4);
        assert_eq!(strip(&format!("{RED}a{RESET}b")), "ab");
    }

    #[test]
    fn wrapped_rows_break_at_spaces_and_keep_their_style_and_indent() {
        let line = format!("   {RED}- aaaa bbbb cccc{RESET}");
        let rows = wrap(&line, 12);
        assert!(rows.iter().all(|row| width(row) <= 12), "{rows:?}");
        let visible: Vec<String> = rows.iter().map(|row| strip(row)).collect();
        assert_eq!(visible, ["   - aaaa", "     bbbb", "     cccc"]);
        assert!(rows[1].starts_with(&format!("     {RED}")), "{rows:?}");
        assert!(rows[0].ends_with(RESET), "{rows:?}");
    }

    #[test]
    fn a_word_longer_than_a_row_is_cut() {
        let rows = wrap("abcdefghijklmnop", 8);
        let visible: Vec<String> = rows.iter().map(|row| strip(row)).collect();
        assert_eq!(visible, ["abcdefgh", "ijklmnop"]);
        let rows = wrap("aaa bbbb cc", 8);
        let visible: Vec<String> = rows.iter().map(|row| strip(row)).collect();
        assert_eq!(visible, ["aaa bbbb", "cc"]);
    }

    #[test]
    fn short_lines_are_left_alone_and_long_ones_cut_with_a_mark() {
        assert_eq!(wrap("short", 80), vec!["short".to_string()]);
        let cut = truncate(&format!("{RED}abcdefgh{RESET}"), 5);
        assert_eq!(strip(&cut), "abcd…");
        assert_eq!(width(&cut), 5);
    }
}
