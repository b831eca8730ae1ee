//! The watch loop as a state machine: [`Input`]s in, [`Effect`]s out, and no I/O, so every
//! behaviour (a save re-grades, a stale result is dropped, `n` skips solved exercises, the hint
//! counter only grows) is tested without a terminal, a file system or Python.

mod effect;
mod grading;
mod input;
mod keys;
mod latest;
mod modes;
#[cfg(test)]
pub(crate) mod tests;

use std::path::{Path, PathBuf};

pub(crate) use self::effect::Effect;
pub(crate) use self::input::{GradeResult, Input, Key};
pub(crate) use self::latest::{Graded, LatestGrading};
pub(crate) use self::modes::{Display, FileEvents, Page};
use crate::curriculum::Curriculum;
use crate::exercise::Exercise;
use crate::report::Status as ReportStatus;
use crate::workspace::{Progress, ProgressEvent, Status};

/// Everything the watch loop knows.
#[derive(Debug)]
pub(crate) struct WatchState<'a> {
    curriculum: Curriculum<'a>,
    root: PathBuf,
    display: Display,
    current: usize,
    progress: Progress,
    outcome: LatestGrading,
    /// The number of the latest run asked for; results of older runs are dropped.
    run: u64,
    /// Gradings of the current exercise since it was opened, as shown to the learner.
    gradings: u64,
    /// Whether the file was still the starter when opened (and not graded since).
    untouched: bool,
    /// False until the driver reports the file is ready.
    opened: bool,
    view: Page,
    files: FileEvents,
    notice: Option<String>,
    /// Times the list and the full prompt were asked for (plain display prints them anew).
    list_requests: u32,
    prompt_requests: u32,
    /// The most the body can scroll, as the screen last measured it.
    scroll_limit: usize,
}

impl<'a> WatchState<'a> {
    /// The loop's state when it opens `start` (an index into `curriculum`).
    pub(crate) fn new(
        curriculum: Curriculum<'a>,
        root: &Path,
        progress: Progress,
        start: usize,
        files: FileEvents,
        display: Display,
    ) -> (Self, Vec<Effect>) {
        let mut state = WatchState {
            curriculum,
            root: root.to_path_buf(),
            display,
            current: start,
            progress,
            outcome: LatestGrading::NotRun,
            run: 0,
            gradings: 0,
            untouched: false,
            opened: false,
            view: Page::Exercise {
                full_prompt: false,
                scroll: 0,
            },
            files,
            notice: None,
            list_requests: 0,
            prompt_requests: 0,
            scroll_limit: usize::MAX,
        };
        let effects = state.open(start);
        (state, effects)
    }

    pub(crate) fn exercise(&self) -> &'a Exercise {
        self.curriculum.exercises()[self.current]
    }

    pub(crate) fn exercises(&self) -> &[&'a Exercise] {
        self.curriculum.exercises()
    }

    pub(crate) fn progress(&self) -> &Progress {
        &self.progress
    }

    pub(crate) fn outcome(&self) -> &LatestGrading {
        &self.outcome
    }

    pub(crate) fn view(&self) -> Page {
        self.view
    }

    pub(crate) fn files(&self) -> &FileEvents {
        &self.files
    }

    pub(crate) fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub(crate) fn list_requests(&self) -> u32 {
        self.list_requests
    }

    pub(crate) fn prompt_requests(&self) -> u32 {
        self.prompt_requests
    }

    pub(crate) fn hints_shown(&self) -> usize {
        (self.progress.hints_shown(&self.exercise().id) as usize).min(self.exercise().hints.len())
    }

    /// The file being watched.
    pub(crate) fn path(&self) -> PathBuf {
        self.root.join(self.exercise().file_name())
    }

    /// Whether the latest finished grading passed every case.
    pub(crate) fn passed(&self) -> bool {
        matches!(&self.outcome, LatestGrading::Done(graded) if graded.report.status == ReportStatus::Pass)
    }

    /// The exercise `n` would open.
    pub(crate) fn next_unsolved(&self) -> Option<&'a Exercise> {
        self.curriculum
            .next_unsolved(Some(&self.exercise().id), &self.progress)
    }

    pub(crate) fn solved_count(&self) -> usize {
        self.exercises()
            .iter()
            .filter(|e| self.progress.status(&e.id) == Status::Solved)
            .count()
    }

    /// Tells the state how far the body can scroll on the current screen.
    pub(crate) fn set_scroll_limit(&mut self, limit: usize) {
        self.scroll_limit = limit;
        if let Page::Exercise { scroll, .. } = &mut self.view {
            *scroll = (*scroll).min(limit);
        }
    }

    /// Handles one input and says what to do about it.
    pub(crate) fn handle(&mut self, input: Input) -> Vec<Effect> {
        match input {
            Input::Key(key) => {
                self.notice = None;
                match self.view {
                    Page::Exercise { .. } => self.exercise_key(key),
                    Page::List { selected } => self.list_key(key, selected),
                }
            }
            Input::FilesChanged(paths) => {
                let name = self.exercise().file_name();
                let ours = paths
                    .iter()
                    .any(|path| path.file_name().is_some_and(|n| *n == *name));
                if ours && self.opened && self.files == FileEvents::Watching {
                    self.grade(self.untouched)
                } else {
                    Vec::new()
                }
            }
            Input::WatchFailed(reason) => {
                self.files = FileEvents::Unavailable(reason);
                Vec::new()
            }
            Input::Opened {
                id,
                untouched,
                written,
            } => {
                if id != self.exercise().id {
                    return Vec::new();
                }
                self.opened = true;
                self.untouched = untouched;
                let mut effects = Vec::new();
                if written {
                    let event = ProgressEvent::Started { id };
                    self.progress.apply(&event);
                    effects.push(Effect::Record(event));
                }
                // A file the learner already has is graded at once, as a save would be (a
                // starter just written is not: the learner has done nothing yet). With --manual,
                // only the learner's key grades.
                if !untouched || (!written && self.files == FileEvents::Watching) {
                    effects.extend(self.grade(false));
                }
                effects
            }
            Input::CaseFinished { run } => {
                if let LatestGrading::Running {
                    run: running, done, ..
                } = &mut self.outcome
                    && *running == run
                {
                    *done += 1;
                }
                Vec::new()
            }
            Input::Graded {
                run,
                result,
                elapsed,
            } => self.graded(run, result, elapsed),
            Input::Problem(message) => {
                self.notice = Some(message);
                Vec::new()
            }
            Input::Resized => Vec::new(),
        }
    }

    fn open(&mut self, index: usize) -> Vec<Effect> {
        self.current = index;
        self.outcome = LatestGrading::NotRun;
        self.opened = false;
        self.untouched = false;
        self.view = Page::Exercise {
            full_prompt: false,
            scroll: 0,
        };
        // Results still on their way belong to the exercise left behind.
        self.run += 1;
        self.gradings = 0;
        let id = self.exercise().id.clone();
        let event = ProgressEvent::Opened { id: id.clone() };
        self.progress.apply(&event);
        vec![
            Effect::Open {
                id,
                path: self.path(),
            },
            Effect::Record(event),
        ]
    }
}
