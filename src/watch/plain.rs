//! The plain-text display, for when the output is not a terminal: no cursor movement, no
//! full-screen redraws; each change is printed once, in order, as a log a person or a program
//! can follow. Commands are read one per line (`h`, `n`, `r`, `l`, `p`, `q`; Enter alone
//! re-runs).

use std::io::BufRead;
use std::sync::mpsc::Sender;

use super::state::{Input, Key, LatestGrading, WatchState};
use super::view;
use crate::style::{BOLD, DIM, paint};

/// Remembers what was printed, to print only what changed.
#[derive(Debug, Default)]
pub(crate) struct PlainPrinter {
    exercise: Option<String>,
    /// The last run whose result (or start) was printed.
    result_run: Option<u64>,
    running_run: Option<u64>,
    hints: usize,
    notice: Option<String>,
    list_requests: u32,
    prompt_requests: u32,
}

impl PlainPrinter {
    /// What changed since the last call, as text to print (possibly empty).
    pub(crate) fn changes(&mut self, state: &WatchState) -> String {
        let mut out = Vec::new();
        let exercise = state.exercise();
        if self.exercise.as_deref() != Some(exercise.id.as_str()) {
            self.exercise = Some(exercise.id.clone());
            self.result_run = None;
            self.running_run = None;
            self.hints = state.hints_shown();
            let (left, right) = view::header(state);
            out.push(format!("{} {left}  {right}", paint(BOLD, "══")));
            out.extend(view::prompt(exercise));
            out.push(String::new());
            if let Some(notice) = view::file_events_notice(state.files()) {
                out.push(notice);
            }
            if self.hints > 0 {
                out.extend(view::hint(exercise, self.hints));
            }
            out.push(paint(
                DIM,
                "Commands, one per line: h hint, n next, r re-run (or Enter), l list, p prompt, q quit.",
            ));
            if matches!(state.outcome(), LatestGrading::NotRun) {
                out.extend(view::result(state, false));
            }
        }
        if state.prompt_requests() != self.prompt_requests {
            self.prompt_requests = state.prompt_requests();
            out.extend(view::prompt(exercise));
        }
        if state.list_requests() != self.list_requests {
            self.list_requests = state.list_requests();
            out.extend(view::list(state, None, None));
        }
        if state.hints_shown() > self.hints {
            self.hints = state.hints_shown();
            out.extend(view::hint(exercise, self.hints));
        }
        match state.outcome() {
            LatestGrading::Running { run, number, .. } if self.running_run != Some(*run) => {
                self.running_run = Some(*run);
                out.push(paint(DIM, format!("… grading run {number}")));
            }
            LatestGrading::Done(graded) if self.result_run != Some(graded.number) => {
                self.result_run = Some(graded.number);
                out.push(String::new());
                out.extend(view::result(state, false));
                out.push(view::summary(state));
            }
            LatestGrading::Failed { number, .. } if self.result_run != Some(*number) => {
                self.result_run = Some(*number);
                out.extend(view::result(state, false));
            }
            _ => {}
        }
        let notice = state.notice().map(str::to_string);
        if notice != self.notice {
            if let Some(text) = &notice {
                out.push(text.clone());
            }
            self.notice = notice;
        }
        if out.is_empty() {
            return String::new();
        }
        let mut text = out.join("\n");
        text.push('\n');
        text
    }
}

/// The key a line of input stands for.
pub(crate) fn command(line: &str) -> Key {
    match line.trim() {
        "" => Key::Enter,
        "h" | "hint" => Key::Hint,
        "n" | "next" => Key::Next,
        "r" | "run" => Key::Rerun,
        "l" | "list" => Key::List,
        "p" | "prompt" => Key::Prompt,
        "q" | "quit" | "exit" => Key::Quit,
        _ => Key::Unknown,
    }
}

/// Reads commands from stdin, one per line, until it ends (then the loop keeps watching files
/// until interrupted).
pub(crate) fn spawn_line_reader(inputs: Sender<Input>) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if inputs.send(Input::Key(command(&line))).is_err() {
                break;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::watch::state::tests::{catalogue, report};
    use crate::watch::state::{Display, Effect, FileEvents, GradeResult, WatchState};
    use crate::watch::text::strip;
    use crate::workspace::Progress;

    #[test]
    fn each_change_is_printed_once() {
        let catalogue = catalogue();
        let curriculum = crate::curriculum::Curriculum::new(&catalogue);
        let start = curriculum.position("lru-cache").unwrap();
        let (mut state, _) = WatchState::new(
            curriculum,
            std::path::Path::new("/ws"),
            Progress::default(),
            start,
            FileEvents::Manual,
            Display::Plain,
        );
        state.handle(Input::Opened {
            id: "lru-cache".into(),
            untouched: true,
            written: false,
        });
        let mut printer = PlainPrinter::default();
        let first = strip(&printer.changes(&state));
        assert!(first.contains("Build a cache that holds"), "{first}");
        assert!(first.contains("--manual"), "{first}");
        assert!(first.contains("save it, then press Enter"), "{first}");
        assert_eq!(printer.changes(&state), "");

        let effects = state.handle(Input::Key(command("")));
        let [Effect::Grade { run, .. }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        let run = *run;
        assert!(strip(&printer.changes(&state)).contains("grading run 1"));
        state.handle(Input::Graded {
            run,
            result: GradeResult::Report(Box::new(report(state.exercise(), &[0]))),
            elapsed: Duration::from_millis(5),
        });
        let result = strip(&printer.changes(&state));
        assert!(result.contains("Run 1: 8 of 9 cases passed"), "{result}");
        assert!(
            result
                .trim_end()
                .ends_with("hint 0/3 · first failing: the classic example"),
            "{result}"
        );

        state.handle(Input::Key(command("h")));
        assert!(strip(&printer.changes(&state)).starts_with("Hint 1 of 3"));
        state.handle(Input::Key(command("l")));
        assert!(strip(&printer.changes(&state)).contains("Exercises: 0 of 4 solved"));
        state.handle(Input::Key(command("what")));
        assert!(strip(&printer.changes(&state)).starts_with("Type h (hint)"));
        assert_eq!(printer.changes(&state), "");
    }
}
