//! What the watch loop says, as styled lines: the header, the prompt, the hint, the latest
//! result, the list and the one-line summary. Both displays use these; the full-screen one
//! ([`super::screen`]) fits them to the terminal, the plain one ([`super::plain`]) prints them.
//!
//! A result shows every case's line, then the first failing visible case in full through the
//! report renderer (`report::terminal`), so watch mode and `kata check` explain failures the
//! same way, and hidden cases never show more than their verdict.

use anstyle::Style;

use super::state::{FileEvents, Graded, LatestGrading, Page, WatchState};
use super::text::{truncate, width};
use crate::exercise::{Difficulty, Exercise};
use crate::report::terminal::{case_details, case_line};
use crate::report::{CaseReport, Status as ReportStatus};
use crate::style::{BOLD, CYAN, DIM, GREEN, RED, YELLOW, paint, verdict_style};
use crate::words::count;
use crate::workspace::{Progress, Status};

/// The mark and style `kata list` and `kata watch` show for a status.
pub(crate) fn status_mark(status: Status) -> (&'static str, Style) {
    match status {
        Status::Solved => ("✓", GREEN),
        Status::Attempted => ("~", YELLOW),
        Status::New => ("·", DIM),
    }
}

/// How far a learner got with an exercise, in a few characters: `solved`, `5/8`, `started`,
/// `new`.
pub(crate) fn status_text(progress: &Progress, id: &str) -> String {
    let exercise = progress.exercise(id);
    match progress.status(id) {
        Status::Solved => "solved".to_string(),
        Status::Attempted if exercise.checks > 0 => {
            format!("{}/{}", exercise.passed, exercise.cases)
        }
        Status::Attempted => "started".to_string(),
        Status::New => "new".to_string(),
    }
}

fn difficulty_style(difficulty: Difficulty) -> Style {
    match difficulty {
        Difficulty::Easy => GREEN,
        Difficulty::Medium => YELLOW,
        Difficulty::Hard => RED,
    }
}

/// The top line, left and right parts: the exercise, and how many are solved.
pub(crate) fn header(state: &WatchState) -> (String, String) {
    let exercise = state.exercise();
    let left = format!(
        "{} {} {}",
        paint(BOLD, &exercise.id),
        paint(DIM, format!("— {} ·", exercise.title)),
        paint(
            difficulty_style(exercise.difficulty),
            exercise.difficulty.as_str()
        )
    );
    let right = paint(
        DIM,
        format!(
            "{}/{} solved",
            state.solved_count(),
            state.exercises().len()
        ),
    );
    (left, right)
}

/// The prompt, with each paragraph and list item joined into one line so it wraps to the
/// terminal's width rather than the author's; code (indented four spaces) keeps its lines.
pub(crate) fn prompt(exercise: &Exercise) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    // Whether the last line is prose that the next line may continue.
    let mut open = false;
    for raw in exercise.prompt.trim().lines() {
        let line = raw.trim_end();
        let content = line.trim_start();
        if content.is_empty() {
            lines.push(String::new());
            open = false;
            continue;
        }
        let code = line.len() - content.len() >= 4;
        let item = content.starts_with("- ")
            || content.starts_with("* ")
            || content
                .split_once(". ")
                .is_some_and(|(number, _)| number.chars().all(|c| c.is_ascii_digit()));
        match lines.last_mut() {
            Some(last) if open && !code && !item => {
                last.push(' ');
                last.push_str(content);
            }
            _ => {
                lines.push(line.to_string());
                open = !code;
            }
        }
    }
    lines
}

/// The latest hint shown, under a heading that counts them; nothing before the first.
pub(crate) fn hint(exercise: &Exercise, shown: usize) -> Vec<String> {
    if shown == 0 {
        return Vec::new();
    }
    let mut lines = vec![paint(
        CYAN.bold(),
        format!("Hint {shown} of {}", exercise.hints.len()),
    )];
    lines.extend(
        exercise.hints[shown - 1]
            .trim()
            .lines()
            .map(|line| format!("  {}", paint(CYAN, line))),
    );
    lines
}

/// What the file watching situation asks of the learner, if anything.
pub(crate) fn file_events_notice(files: &FileEvents) -> Option<String> {
    match files {
        FileEvents::Watching => None,
        FileEvents::Manual => Some(paint(
            DIM,
            "Not watching files (--manual): press Enter or r after saving to grade.",
        )),
        FileEvents::Unavailable(reason) => Some(paint(
            YELLOW,
            format!(
                "File watching is unavailable ({reason}): press Enter or r after saving to grade."
            ),
        )),
    }
}

/// The result section. `compact` puts the case marks on one line instead of a line each.
pub(crate) fn result(state: &WatchState, compact: bool) -> Vec<String> {
    let file = state.exercise().file_name();
    match state.outcome() {
        LatestGrading::NotRun => {
            let how = match state.files() {
                FileEvents::Watching => "save it: kata grades it each time",
                FileEvents::Manual | FileEvents::Unavailable(_) => {
                    "save it, then press Enter to grade it"
                }
            };
            vec![format!(
                "{} Edit {} and {how}.",
                paint(BOLD, "→"),
                paint(BOLD, &file)
            )]
        }
        LatestGrading::Running {
            previous: None,
            done,
            total,
            ..
        } => vec![paint(DIM, format!("Grading {file}… {done}/{total} cases"))],
        LatestGrading::Running {
            previous: Some(graded),
            ..
        }
        | LatestGrading::Done(graded) => graded_lines(state, graded, compact),
        LatestGrading::Failed { message, .. } => vec![
            paint(RED.bold(), format!("Cannot grade {file}: {message}")),
            paint(
                DIM,
                format!(
                    "`kata reset {}` writes the starter again.",
                    state.exercise().id
                ),
            ),
        ],
    }
}

fn graded_lines(state: &WatchState, graded: &Graded, compact: bool) -> Vec<String> {
    let report = &graded.report;
    let total = report.cases.len();
    let mut lines = vec![format!(
        "{} {}",
        paint(
            BOLD,
            format!(
                "Run {}: {} of {} passed",
                graded.number,
                report.passed,
                count(total, "case", "cases")
            )
        ),
        paint(DIM, format!("({} ms)", graded.elapsed.as_millis()))
    )];
    if compact {
        let marks: Vec<String> = report.cases.iter().map(case_mark).collect();
        lines.push(format!("  {}", marks.join(" ")));
    } else {
        let width = report
            .cases
            .iter()
            .map(|case| case.name.chars().count())
            .max()
            .unwrap_or(0)
            .min(40);
        lines.extend(
            report
                .cases
                .iter()
                .map(|case| case_line(case, width).trim_end().to_string()),
        );
    }
    lines.push(String::new());
    match report.status {
        ReportStatus::Pass => lines.extend(solved_lines(state)),
        ReportStatus::Error => {
            lines.push(paint(
                verdict_style(crate::grade::Verdict::InternalError),
                "kata itself failed on some cases: this is not your code's fault (r tries again).",
            ));
            lines.extend(first_failure(report.cases.as_slice()));
        }
        ReportStatus::Fail => lines.extend(first_failure(report.cases.as_slice())),
    }
    lines
}

fn case_mark(case: &CaseReport) -> String {
    if case.verdict.is_accepted() {
        paint(GREEN, "✓")
    } else {
        paint(verdict_style(case.verdict), "✗")
    }
}

/// The first failing visible case in full, and how many more fail.
fn first_failure(cases: &[CaseReport]) -> Vec<String> {
    let failing: Vec<&CaseReport> = cases.iter().filter(|c| !c.verdict.is_accepted()).collect();
    let mut lines = Vec::new();
    match failing.iter().find(|case| case.details.is_some()) {
        Some(case) => lines.extend(case_details(case).lines().map(str::to_string)),
        None if !failing.is_empty() => lines.push(format!(
            "{} {}",
            paint(YELLOW, "Only hidden cases fail:"),
            "their inputs are secret. Re-read the prompt for the edge cases it mentions."
        )),
        None => {}
    }
    let more = failing.len().saturating_sub(1);
    if more > 0 && failing.iter().any(|case| case.details.is_some()) {
        lines.push(paint(
            DIM,
            format!(
                "   … and {more} more failing case{}; fix this one first",
                if more == 1 { "" } else { "s" }
            ),
        ));
    }
    lines
}

fn solved_lines(state: &WatchState) -> Vec<String> {
    let exercise = state.exercise();
    let mut lines = vec![format!(
        "{} {}",
        paint(GREEN.bold(), format!("✓ {} solved!", exercise.id)),
        format_args!(
            "{} of {} done.",
            state.solved_count(),
            count(state.exercises().len(), "exercise", "exercises")
        )
    )];
    match state.next_unsolved() {
        Some(next) => lines.push(format!(
            "{} {} {} Press {} to open it.",
            paint(BOLD, "Next:"),
            paint(BOLD, &next.id),
            paint(
                DIM,
                format!("— {} ({}).", next.title, next.difficulty.as_str())
            ),
            paint(BOLD, "n")
        )),
        None => lines.push("That was the last unsolved exercise: well done!".to_string()),
    }
    lines.push(paint(
        DIM,
        format!(
            "Compare with the reference solution: kata solution {}",
            exercise.id
        ),
    ));
    lines
}

/// The bottom line: how the latest grading went, in one line that never scrolls away.
pub(crate) fn summary(state: &WatchState) -> String {
    let file = state.exercise().file_name();
    // What happened, then the hint count, then what to look at next (cut first if too long).
    let mut tail = String::new();
    let line = match state.outcome() {
        LatestGrading::NotRun => paint(
            DIM,
            match state.files() {
                FileEvents::Watching => format!("· {file} not graded yet: save it to grade it"),
                _ => format!("· {file} not graded yet: press Enter to grade it"),
            },
        ),
        LatestGrading::Running {
            number,
            done,
            total,
            ..
        } => paint(
            YELLOW,
            format!("… grading run {number}: {done}/{total} cases"),
        ),
        LatestGrading::Failed { number, .. } => {
            paint(RED.bold(), format!("✗ cannot read {file} · run {number}"))
        }
        LatestGrading::Done(graded) => {
            let report = &graded.report;
            let counts = format!(
                "{}/{} passed · run {} ({} ms)",
                report.passed,
                report.cases.len(),
                graded.number,
                graded.elapsed.as_millis()
            );
            match report.status {
                ReportStatus::Pass => {
                    if let Some(next) = state.next_unsolved() {
                        tail = paint(BOLD, format!(" · n: next is {}", next.id));
                    }
                    paint(GREEN.bold(), format!("✓ {counts} · solved!"))
                }
                ReportStatus::Error => paint(
                    verdict_style(crate::grade::Verdict::InternalError),
                    format!("! {counts} · kata failed on some cases"),
                ),
                ReportStatus::Fail => {
                    if let Some(case) = report.cases.iter().find(|c| !c.verdict.is_accepted()) {
                        tail = paint(DIM, format!(" · first failing: {}", case.name));
                    }
                    paint(RED.bold(), format!("✗ {counts}"))
                }
            }
        }
    };
    let hints = state.exercise().hints.len();
    let hint_count = if hints > 0 {
        paint(DIM, format!(" · hint {}/{hints}", state.hints_shown()))
    } else {
        String::new()
    };
    // Once solved, the way on matters more than the hints.
    if state.passed() {
        format!("{line}{tail}{hint_count}")
    } else {
        format!("{line}{hint_count}{tail}")
    }
}

/// The keys that work in the current view.
pub(crate) fn keys(state: &WatchState) -> String {
    match state.view() {
        Page::Exercise { .. } => paint(
            DIM,
            "h hint · n next · r re-run · l list · p prompt · ↑↓ scroll · q quit",
        ),
        Page::List { .. } => paint(DIM, "↑↓ choose · Enter open · l back · q quit"),
    }
}

/// The fewest title characters the list keeps on a narrow terminal (the row is cut instead).
const MIN_TITLE: usize = 12;

/// Every exercise in learning order with its status; `selected` is marked with `▸`. Titles
/// get whatever room a terminal `columns` wide leaves (all of it without one), so a wide
/// terminal shows them whole and a narrow one still shows every difficulty.
pub(crate) fn list(
    state: &WatchState,
    selected: Option<usize>,
    columns: Option<usize>,
) -> Vec<String> {
    let exercises = state.exercises();
    let progress = state.progress();
    let id_width = exercises.iter().map(|e| e.id.len()).max().unwrap_or(2);
    let longest_title = exercises.iter().map(|e| width(&e.title)).max().unwrap_or(5);
    // Everything on a row but the title: pointer, mark and status (`▸ ✓ solved `), the id,
    // the gaps, the longest difficulty and `  (open)`.
    let rest = 4 + 7 + 2 + id_width + 2 + 2 + "medium".len() + "  (open)".len();
    let title_width = columns.map_or(longest_title, |columns| {
        longest_title.min(columns.saturating_sub(rest).max(MIN_TITLE))
    });
    let mut lines = vec![paint(
        BOLD,
        format!(
            "Exercises: {} of {} solved",
            state.solved_count(),
            exercises.len()
        ),
    )];
    for (index, exercise) in exercises.iter().enumerate() {
        let status = progress.status(&exercise.id);
        let (mark, style) = status_mark(status);
        let pointer = if Some(index) == selected { "▸" } else { " " };
        let title = truncate(&exercise.title, title_width);
        let title = format!(
            "{title}{}",
            " ".repeat(title_width.saturating_sub(width(&title)))
        );
        let mut line = format!(
            "{} {} {}  {:id_width$}  {}  {}",
            paint(BOLD, pointer),
            paint(style, mark),
            paint(style, format!("{:7}", status_text(progress, &exercise.id))),
            exercise.id,
            paint(DIM, title),
            paint(
                difficulty_style(exercise.difficulty),
                exercise.difficulty.as_str()
            ),
        );
        if exercise.id == state.exercise().id {
            line.push_str(&paint(DIM, "  (open)"));
        }
        lines.push(line);
    }
    lines
}
