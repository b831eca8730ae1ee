//! The full-screen layout: a header, the body, the keys and the summary, fitted to the terminal.
//!
//! The summary is always the bottom row and the keys the row above it, whatever the body
//! holds. The body is fitted by giving things up in order: the prompt shrinks to its first
//! paragraph, the case list to one line of marks, the prompt goes; what still does not fit
//! scrolls, with a row saying how much is hidden. Pure: a state and a size in, rows out.

use super::state::{Page, WatchState};
use super::text::{truncate, width, wrap};
use super::view;
use crate::style::{DIM, YELLOW, paint};

/// Smallest sizes laid out in full; below them only the summary is shown.
const MIN_WIDTH: usize = 20;
const MIN_HEIGHT: usize = 6;

/// Rows to draw, one per terminal row, and how far the body could scroll.
#[derive(Debug)]
pub(crate) struct Frame {
    pub rows: Vec<String>,
    pub scroll_limit: usize,
}

/// Lays `state` out on a `columns` × `rows` terminal.
pub(crate) fn frame(state: &WatchState, columns: usize, rows: usize) -> Frame {
    let summary = view::summary(state);
    if columns < MIN_WIDTH || rows < MIN_HEIGHT {
        let mut lines = vec![String::new(); rows.saturating_sub(1)];
        lines.push(truncate(&summary, columns));
        return Frame {
            rows: lines,
            scroll_limit: 0,
        };
    }
    let body_rows = rows - 4;
    let (body, scroll_limit) = match state.view() {
        Page::Exercise {
            full_prompt,
            scroll,
        } => exercise_body(state, full_prompt, scroll, columns, body_rows),
        Page::List { selected } => (list_body(state, selected, columns, body_rows), 0),
    };
    let mut lines = Vec::with_capacity(rows);
    lines.push(header(state, columns));
    lines.push(paint(DIM, "─".repeat(columns)));
    lines.extend(body);
    lines.resize(rows - 2, String::new());
    let keys = match state.notice() {
        Some(notice) => paint(YELLOW, notice),
        None => view::keys(state),
    };
    lines.push(truncate(&keys, columns));
    lines.push(truncate(&summary, columns));
    Frame {
        rows: lines,
        scroll_limit,
    }
}

fn header(state: &WatchState, columns: usize) -> String {
    let (left, right) = view::header(state);
    let room = columns.saturating_sub(width(&right) + 1);
    let left = truncate(&left, room);
    let gap = columns.saturating_sub(width(&left) + width(&right));
    format!("{left}{}{right}", " ".repeat(gap))
}

/// The body's rows. The prompt comes first, cut to the room the rest leaves; the case list
/// shrinks to one line of marks before the prompt shrinks below a few rows; the prompt goes
/// before the result does. What still does not fit scrolls.
fn exercise_body(
    state: &WatchState,
    full_prompt: bool,
    scroll: usize,
    columns: usize,
    body_rows: usize,
) -> (Vec<String>, usize) {
    let before = wrapped(
        &view::file_events_notice(state.files())
            .map_or_else(Vec::new, |notice| vec![notice, String::new()]),
        columns,
    );
    let prompt = wrapped(&view::prompt(state.exercise()), columns);
    let rest = |compact| wrapped(&after_prompt(state, compact), columns);
    let join = |prompt: &[String], rest: Vec<String>| {
        let mut rows = before.clone();
        rows.extend_from_slice(prompt);
        if !prompt.is_empty() && !rest.is_empty() {
            rows.push(String::new());
        }
        rows.extend(rest);
        rows
    };
    if full_prompt {
        return fit(join(&prompt, rest(true)), scroll, body_rows);
    }
    for compact in [false, true] {
        let rest = rest(compact);
        let fixed = before.len() + rest.len() + usize::from(!rest.is_empty());
        if fixed + prompt.len() <= body_rows {
            return (join(&prompt, rest), 0);
        }
        // Room for part of the prompt and the line saying there is more.
        let room = body_rows.saturating_sub(fixed + 1);
        if room >= MIN_PROMPT_ROWS {
            let mut cut = prompt[..room].to_vec();
            cut.push(paint(DIM, "… (p shows the whole prompt)"));
            return (join(&cut, rest), 0);
        }
    }
    fit(join(&[], rest(true)), scroll, body_rows)
}

/// Rows of prompt worth showing; below this the prompt gives way to the result.
const MIN_PROMPT_ROWS: usize = 1;

/// The hint and the result: everything below the prompt.
fn after_prompt(state: &WatchState, compact: bool) -> Vec<String> {
    let mut lines = view::hint(state.exercise(), state.hints_shown());
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.extend(view::result(state, compact));
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// `rows` as they are if they fit, else scrolled.
fn fit(rows: Vec<String>, scroll: usize, body_rows: usize) -> (Vec<String>, usize) {
    if rows.len() <= body_rows {
        (rows, 0)
    } else {
        scrolled(rows, scroll, body_rows)
    }
}

fn wrapped(lines: &[String], columns: usize) -> Vec<String> {
    lines.iter().flat_map(|line| wrap(line, columns)).collect()
}

/// `rows` in a window of `body_rows`, from `scroll` down, with the last row saying what is
/// hidden above and below.
fn scrolled(rows: Vec<String>, scroll: usize, body_rows: usize) -> (Vec<String>, usize) {
    let window = body_rows.saturating_sub(1).max(1);
    let limit = rows.len().saturating_sub(window);
    let offset = scroll.min(limit);
    let below = rows.len() - offset - window.min(rows.len() - offset);
    let mut shown: Vec<String> = rows.into_iter().skip(offset).take(window).collect();
    let marker = match (offset, below) {
        (0, below) => format!("↓ {below} more line{} (↓ scrolls)", plural(below)),
        (above, 0) => format!("↑ {above} line{} above (↑ scrolls)", plural(above)),
        (above, below) => format!("↑ {above} above · ↓ {below} below"),
    };
    shown.push(paint(DIM, marker));
    (shown, limit)
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// The list, scrolled so the selected exercise is in view.
fn list_body(state: &WatchState, selected: usize, columns: usize, body_rows: usize) -> Vec<String> {
    let lines = view::list(state, Some(selected), Some(columns));
    let (heading, entries) = lines.split_first().expect("the list has a heading");
    let room = body_rows.saturating_sub(2).max(1);
    let first = (selected + 1).saturating_sub(room);
    let mut rows = vec![truncate(heading, columns), String::new()];
    rows.extend(
        entries
            .iter()
            .skip(first)
            .take(room)
            .map(|line| truncate(line, columns)),
    );
    rows
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::time::Duration;

    use super::*;
    use crate::watch::state::tests::{catalogue, report, state};
    use crate::watch::state::{Effect, GradeResult, Input, Key};
    use crate::watch::text::strip;

    fn plain(frame: &Frame) -> String {
        frame
            .rows
            .iter()
            .map(|row| strip(row).trim_end().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn graded(state: &mut WatchState, failing: &[usize]) {
        let effects = state.handle(Input::Key(Key::Rerun));
        let [Effect::Grade { run, .. }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        let report = report(state.exercise(), failing);
        state.handle(Input::Graded {
            run: *run,
            result: GradeResult::Report(Box::new(report)),
            elapsed: Duration::from_millis(312),
        });
    }

    fn assert_fits(frame: &Frame, columns: usize, rows: usize) {
        assert_eq!(frame.rows.len(), rows);
        for row in &frame.rows {
            assert!(width(row) <= columns, "too wide: {:?}", strip(row));
        }
    }

    #[test]
    fn an_untouched_exercise_shows_its_prompt_and_what_to_do() {
        let catalogue = catalogue();
        let state = state(&catalogue, "lru-cache");
        let frame = frame(&state, 80, 24);
        assert_fits(&frame, 80, 24);
        insta::assert_snapshot!("watch_untouched_80x24", plain(&frame));
    }

    #[test]
    fn a_failure_keeps_the_summary_on_the_bottom_row() {
        let catalogue = catalogue();
        let mut state = state(&catalogue, "lru-cache");
        graded(&mut state, &[2, 5, 6]);
        state.handle(Input::Key(Key::Hint));
        let frame = frame(&state, 80, 24);
        assert_fits(&frame, 80, 24);
        insta::assert_snapshot!("watch_failure_80x24", plain(&frame));
        let text = plain(&frame);
        let last = text.lines().last().unwrap();
        assert!(
            last.starts_with("✗ 6/9 passed · run 1 (312 ms) · hint 1/3 · first failing: put on"),
            "{last}"
        );
    }

    #[test]
    fn a_tall_result_scrolls_and_says_how_much_is_hidden() {
        let catalogue = catalogue();
        let mut state = state(&catalogue, "lru-cache");
        graded(&mut state, &[2]);
        let frame = frame(&state, 80, 10);
        assert_fits(&frame, 80, 10);
        let text = plain(&frame);
        assert!(text.contains("more lines (↓ scrolls)"), "{text}");
        assert!(frame.scroll_limit > 0);
        state.set_scroll_limit(frame.scroll_limit);
        for _ in 0..100 {
            state.handle(Input::Key(Key::Down));
        }
        let text = plain(&frame_of(&state, 80, 10));
        assert!(text.contains("above (↑ scrolls)"), "{text}");
        assert!(
            text.lines().last().unwrap().starts_with("✗ 8/9 passed"),
            "{text}"
        );
    }

    fn frame_of(state: &WatchState, columns: usize, rows: usize) -> Frame {
        frame(state, columns, rows)
    }

    #[test]
    fn solving_offers_the_next_exercise() {
        let catalogue = catalogue();
        let mut state = state(&catalogue, "lru-cache");
        graded(&mut state, &[]);
        let text = plain(&frame(&state, 80, 24));
        let next = state.next_unsolved().unwrap().id.clone();
        assert!(text.contains("✓ lru-cache solved!"), "{text}");
        assert!(text.contains(&format!("Next: {next}")), "{text}");
        assert!(
            text.lines()
                .last()
                .unwrap()
                .contains(&format!("n: next is {next}")),
            "{text}"
        );
    }

    #[test]
    fn the_list_marks_statuses_and_the_selection() {
        let catalogue = catalogue();
        let mut state = state(&catalogue, "lru-cache");
        graded(&mut state, &[]);
        state.handle(Input::Key(Key::List));
        let text = plain(&frame(&state, 80, 24));
        assert!(text.contains("▸ ✓ solved   lru-cache"), "{text}");
        assert!(text.contains("Exercises: 1 of 4 solved"), "{text}");
        assert!(text.contains("↑↓ choose · Enter open"), "{text}");
    }

    #[test]
    fn a_tiny_terminal_still_gets_the_summary() {
        let catalogue = catalogue();
        let state = state(&catalogue, "lru-cache");
        let frame = frame(&state, 15, 3);
        assert_fits(&frame, 15, 3);
        assert!(strip(&frame.rows[2]).starts_with("· lru_cache.py"));
    }

    #[test]
    fn files_that_are_not_ours_change_nothing_on_screen() {
        let catalogue = catalogue();
        let mut state = state(&catalogue, "lru-cache");
        let before = plain(&frame(&state, 80, 24));
        state.handle(Input::FilesChanged(vec![PathBuf::from("/ws/notes.txt")]));
        assert_eq!(plain(&frame(&state, 80, 24)), before);
    }
}
