//! The watch loop as a state machine: [`Input`]s in, [`Effect`]s out, and no I/O, so every
//! behaviour (a save re-grades, a stale result is dropped, `n` skips solved exercises, the hint
//! counter only grows) is tested without a terminal, a file system or Python.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::curriculum::Curriculum;
use crate::exercise::Exercise;
use crate::report::{Status as ReportStatus, SubmissionReport};
use crate::workspace::{Progress, ProgressEvent, Status};

/// What the learner asked for. Terminal keys and plain-text commands both map to these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Show one more hint.
    Hint,
    /// Go to the next unsolved exercise.
    Next,
    /// Grade again.
    Rerun,
    /// Show the exercises (and pick one, on a terminal).
    List,
    /// Show the whole prompt (or go back to the short one).
    Prompt,
    Quit,
    Up,
    Down,
    PageUp,
    PageDown,
    /// Open the selected exercise in the list; re-run otherwise.
    Enter,
    /// Leave the list.
    Back,
    /// A key that means nothing here.
    Unknown,
}

/// Something that happened.
#[derive(Debug)]
pub enum Input {
    Key(Key),
    /// Files in the workspace changed (after debouncing).
    FilesChanged(Vec<PathBuf>),
    /// File events stopped arriving: the watcher reported this error.
    WatchFailed(String),
    /// The exercise's file is ready; `untouched` when it is still exactly the starter,
    /// `written` when the starter was written just now.
    Opened {
        id: String,
        untouched: bool,
        written: bool,
    },
    /// One more case of run `run` finished.
    CaseFinished {
        run: u64,
    },
    /// Run `run` is over.
    Graded {
        run: u64,
        result: GradeResult,
        elapsed: Duration,
    },
    /// Something went wrong that the learner should hear about, without stopping.
    Problem(String),
    /// The terminal changed size.
    Resized,
}

/// How a grading ended.
#[derive(Debug)]
pub enum GradeResult {
    Report(Box<SubmissionReport>),
    /// The file could not be read.
    Unreadable(String),
    /// The file was still exactly the starter, and only a file event asked for the grading.
    Untouched,
}

/// What the driver must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Make sure the exercise's file exists (writing the starter if not), then report
    /// [`Input::Opened`].
    Open {
        id: String,
        path: PathBuf,
    },
    /// Grade the file as run number `run`, superseding any run in progress. With
    /// `unless_untouched`, a file that is still the starter is not graded.
    Grade {
        run: u64,
        id: String,
        path: PathBuf,
        unless_untouched: bool,
    },
    /// Record this in the progress file.
    Record(ProgressEvent),
    Quit,
}

/// How changes to the file are noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileEvents {
    /// Each save is graded.
    Watching,
    /// The learner asked not to watch (`--manual`): Enter grades.
    Manual,
    /// Watching failed, for this reason: Enter grades.
    Unavailable(String),
}

/// How the loop talks to the learner, which changes what some keys do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    /// A full-screen terminal: the list is a view to move around in.
    Screen,
    /// Plain text, one command per line: the list is printed once.
    Plain,
}

/// What is on show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Exercise {
        full_prompt: bool,
        /// Lines scrolled down the body.
        scroll: usize,
    },
    List {
        selected: usize,
    },
}

/// A finished grading.
#[derive(Debug, Clone)]
pub struct Graded {
    /// Which grading of this exercise it was (1 for the first since it was opened).
    pub number: u64,
    pub report: SubmissionReport,
    pub elapsed: Duration,
}

/// The latest grading of the current exercise.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Nothing graded since the exercise was opened.
    NotRun,
    Running {
        /// The request, as sent to the grader.
        run: u64,
        /// Which grading of this exercise it is.
        number: u64,
        done: usize,
        total: usize,
        /// The result on show until this one is ready.
        previous: Option<Box<Graded>>,
    },
    Done(Box<Graded>),
    /// The file could not be graded.
    Failed {
        number: u64,
        message: String,
    },
}

/// Everything the watch loop knows.
#[derive(Debug)]
pub struct WatchState<'a> {
    curriculum: Curriculum<'a>,
    root: PathBuf,
    display: Display,
    current: usize,
    progress: Progress,
    outcome: Outcome,
    /// The number of the latest run asked for; results of older runs are dropped.
    run: u64,
    /// Gradings of the current exercise since it was opened, as shown to the learner.
    gradings: u64,
    /// Whether the file was still the starter when opened (and not graded since).
    untouched: bool,
    /// False until the driver reports the file is ready.
    opened: bool,
    view: View,
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
    pub fn new(
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
            outcome: Outcome::NotRun,
            run: 0,
            gradings: 0,
            untouched: false,
            opened: false,
            view: View::Exercise {
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

    pub fn exercise(&self) -> &'a Exercise {
        self.curriculum.exercises()[self.current]
    }

    pub fn exercises(&self) -> &[&'a Exercise] {
        self.curriculum.exercises()
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    pub fn outcome(&self) -> &Outcome {
        &self.outcome
    }

    pub fn view(&self) -> View {
        self.view
    }

    pub fn files(&self) -> &FileEvents {
        &self.files
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn display(&self) -> Display {
        self.display
    }

    pub fn list_requests(&self) -> u32 {
        self.list_requests
    }

    pub fn prompt_requests(&self) -> u32 {
        self.prompt_requests
    }

    /// Whether the current file is the untouched starter and has not been graded.
    pub fn untouched(&self) -> bool {
        self.untouched
    }

    pub fn hints_shown(&self) -> usize {
        (self.progress.hints_shown(&self.exercise().id) as usize).min(self.exercise().hints.len())
    }

    /// The file being watched.
    pub fn path(&self) -> PathBuf {
        self.root.join(self.exercise().file_name())
    }

    /// The latest finished grading on show (while a new one runs, the one before it).
    pub fn latest(&self) -> Option<&Graded> {
        match &self.outcome {
            Outcome::Done(graded) => Some(graded),
            Outcome::Running { previous, .. } => previous.as_deref(),
            Outcome::NotRun | Outcome::Failed { .. } => None,
        }
    }

    /// Whether the latest finished grading passed every case.
    pub fn passed(&self) -> bool {
        matches!(&self.outcome, Outcome::Done(graded) if graded.report.status == ReportStatus::Pass)
    }

    /// The exercise `n` would open.
    pub fn next_unsolved(&self) -> Option<&'a Exercise> {
        self.curriculum
            .next_unsolved(Some(&self.exercise().id), &self.progress)
    }

    pub fn solved_count(&self) -> usize {
        self.exercises()
            .iter()
            .filter(|e| self.progress.status(&e.id) == Status::Solved)
            .count()
    }

    /// Tells the state how far the body can scroll on the current screen.
    pub fn set_scroll_limit(&mut self, limit: usize) {
        self.scroll_limit = limit;
        if let View::Exercise { scroll, .. } = &mut self.view {
            *scroll = (*scroll).min(limit);
        }
    }

    /// Handles one input and says what to do about it.
    pub fn handle(&mut self, input: Input) -> Vec<Effect> {
        match input {
            Input::Key(key) => {
                self.notice = None;
                match self.view {
                    View::Exercise { .. } => self.exercise_key(key),
                    View::List { selected } => self.list_key(key, selected),
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
                if let Outcome::Running {
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

    fn exercise_key(&mut self, key: Key) -> Vec<Effect> {
        match key {
            Key::Hint => self.hint(),
            Key::Next => match self.next_unsolved() {
                Some(next) => {
                    let index = self
                        .curriculum
                        .position(&next.id)
                        .expect("in the curriculum");
                    self.open(index)
                }
                None => {
                    self.notice = Some(
                        if self.passed() || self.solved_count() == self.exercises().len() {
                            "Every exercise is solved: well done! (l lists them all)".to_string()
                        } else {
                            "This is the only unsolved exercise left.".to_string()
                        },
                    );
                    Vec::new()
                }
            },
            Key::Rerun | Key::Enter => self.grade(false),
            Key::List => {
                match self.display {
                    Display::Screen => {
                        self.view = View::List {
                            selected: self.current,
                        }
                    }
                    Display::Plain => self.list_requests += 1,
                }
                Vec::new()
            }
            Key::Prompt => {
                match (self.display, &mut self.view) {
                    (
                        Display::Screen,
                        View::Exercise {
                            full_prompt,
                            scroll,
                        },
                    ) => {
                        *full_prompt = !*full_prompt;
                        *scroll = 0;
                    }
                    _ => self.prompt_requests += 1,
                }
                Vec::new()
            }
            Key::Up | Key::Down | Key::PageUp | Key::PageDown => {
                if let View::Exercise { scroll, .. } = &mut self.view {
                    *scroll = match key {
                        Key::Up => scroll.saturating_sub(1),
                        Key::Down => *scroll + 1,
                        Key::PageUp => scroll.saturating_sub(10),
                        _ => *scroll + 10,
                    }
                    .min(self.scroll_limit);
                }
                Vec::new()
            }
            Key::Quit => vec![Effect::Quit],
            Key::Back => Vec::new(),
            Key::Unknown => {
                self.notice = Some(match self.display {
                    Display::Screen => "Keys: h hint, n next, r re-run, l list, p prompt, q quit.",
                    Display::Plain => {
                        "Type h (hint), n (next), r (re-run), l (list), p (prompt) or q (quit), then Enter."
                    }
                }
                .to_string());
                Vec::new()
            }
        }
    }

    fn list_key(&mut self, key: Key, selected: usize) -> Vec<Effect> {
        let last = self.exercises().len().saturating_sub(1);
        let select = |selected| View::List { selected };
        match key {
            Key::Up => self.view = select(selected.saturating_sub(1)),
            Key::Down => self.view = select((selected + 1).min(last)),
            Key::PageUp => self.view = select(selected.saturating_sub(10)),
            Key::PageDown => self.view = select((selected + 10).min(last)),
            Key::Enter if selected != self.current => return self.open(selected),
            Key::Quit => return vec![Effect::Quit],
            _ => {
                self.view = View::Exercise {
                    full_prompt: false,
                    scroll: 0,
                }
            }
        }
        Vec::new()
    }

    fn hint(&mut self) -> Vec<Effect> {
        let exercise = self.exercise();
        let total = exercise.hints.len();
        let shown = self.hints_shown();
        if total == 0 {
            self.notice = Some("This exercise has no hints: the prompt says it all.".to_string());
            return Vec::new();
        }
        if shown >= total {
            self.notice = Some(format!("That was the last hint ({total} of {total})."));
            return Vec::new();
        }
        if let View::Exercise { scroll, .. } = &mut self.view {
            *scroll = 0;
        }
        let event = ProgressEvent::HintShown {
            id: exercise.id.clone(),
            count: shown as u32 + 1,
        };
        self.progress.apply(&event);
        vec![Effect::Record(event)]
    }

    fn open(&mut self, index: usize) -> Vec<Effect> {
        self.current = index;
        self.outcome = Outcome::NotRun;
        self.opened = false;
        self.untouched = false;
        self.view = View::Exercise {
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

    fn grade(&mut self, unless_untouched: bool) -> Vec<Effect> {
        if !self.opened {
            return Vec::new();
        }
        self.run += 1;
        // A grading overtaken before it finished keeps its number: the learner counts results.
        let number = match &self.outcome {
            Outcome::Running { number, .. } => *number,
            _ => {
                self.gradings += 1;
                self.gradings
            }
        };
        let previous = match std::mem::replace(&mut self.outcome, Outcome::NotRun) {
            Outcome::Done(graded) => Some(graded),
            Outcome::Running { previous, .. } => previous,
            Outcome::NotRun | Outcome::Failed { .. } => None,
        };
        self.outcome = Outcome::Running {
            run: self.run,
            number,
            done: 0,
            total: self.exercise().cases.len(),
            previous,
        };
        vec![Effect::Grade {
            run: self.run,
            id: self.exercise().id.clone(),
            path: self.path(),
            unless_untouched,
        }]
    }

    fn graded(&mut self, run: u64, result: GradeResult, elapsed: Duration) -> Vec<Effect> {
        if run != self.run {
            return Vec::new();
        }
        let (number, previous) = match std::mem::replace(&mut self.outcome, Outcome::NotRun) {
            Outcome::Running {
                number, previous, ..
            } => (number, previous),
            other => {
                self.outcome = other;
                return Vec::new();
            }
        };
        if let View::Exercise { scroll, .. } = &mut self.view {
            *scroll = 0;
        }
        match result {
            GradeResult::Report(report) => {
                self.untouched = false;
                let event = ProgressEvent::graded(&report);
                self.outcome = Outcome::Done(Box::new(Graded {
                    number,
                    report: *report,
                    elapsed,
                }));
                match event {
                    Some(event) => {
                        self.progress.apply(&event);
                        vec![Effect::Record(event)]
                    }
                    None => Vec::new(),
                }
            }
            GradeResult::Unreadable(message) => {
                self.outcome = Outcome::Failed { number, message };
                Vec::new()
            }
            GradeResult::Untouched => {
                // Nothing was graded: the next grading takes this one's number.
                self.gradings -= 1;
                self.outcome = match previous {
                    Some(graded) => Outcome::Done(graded),
                    None => Outcome::NotRun,
                };
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::exercise::{Catalogue, CatalogueSource};
    use crate::grade::{CaseOutcome, Feedback, Mismatch, Verdict};
    use crate::runner::Usage;

    /// The four flagship exercises of the built-in catalogue: the tests pin an order and screens
    /// that must not change whenever an exercise is added.
    pub(crate) fn catalogue() -> Catalogue {
        let mut catalogue = Catalogue::load(CatalogueSource::Embedded).unwrap();
        let flagship = [
            "is-valid-bst",
            "lru-cache",
            "reverse-linked-list",
            "three-sum",
        ];
        catalogue
            .exercises
            .retain(|e| flagship.contains(&e.id.as_str()));
        catalogue
    }

    /// A report for `exercise` in which the cases listed in `failing` get a wrong answer.
    pub(crate) fn report(exercise: &Exercise, failing: &[usize]) -> SubmissionReport {
        let outcomes: Vec<CaseOutcome> = (0..exercise.cases.len())
            .map(|index| {
                if failing.contains(&index) {
                    CaseOutcome {
                        verdict: Verdict::WrongAnswer,
                        feedback: Feedback {
                            mismatch: Some(Mismatch {
                                expected: "[None, None, None, 1]".to_string(),
                                actual: "[None, None, None, -1]".to_string(),
                                whitespace_only: false,
                                note: None,
                            }),
                            ..Feedback::default()
                        },
                        usage: Usage::default(),
                        growth: None,
                    }
                } else {
                    CaseOutcome {
                        verdict: Verdict::Accepted,
                        feedback: Feedback::default(),
                        usage: Usage {
                            wall: Duration::from_millis(20),
                            ..Usage::default()
                        },
                        growth: None,
                    }
                }
            })
            .collect();
        SubmissionReport::new(
            exercise,
            "subprocess",
            Some(exercise.file_name()),
            &outcomes,
        )
    }

    pub(crate) fn state<'a>(catalogue: &'a Catalogue, id: &str) -> WatchState<'a> {
        let curriculum = Curriculum::new(catalogue);
        let start = curriculum.position(id).unwrap();
        let (mut state, effects) = WatchState::new(
            curriculum,
            Path::new("/ws"),
            Progress::default(),
            start,
            FileEvents::Watching,
            Display::Screen,
        );
        assert!(matches!(&effects[0], Effect::Open { id: opened, .. } if opened == id));
        let effects = state.handle(Input::Opened {
            id: id.to_string(),
            untouched: true,
            written: true,
        });
        assert_eq!(
            effects,
            [Effect::Record(ProgressEvent::Started {
                id: id.to_string()
            })],
            "a new starter is recorded, and not graded"
        );
        assert_eq!(state.progress().status(id), Status::Attempted);
        state
    }

    fn saved(state: &mut WatchState) -> u64 {
        let effects = state.handle(Input::FilesChanged(vec![PathBuf::from("/ws/lru_cache.py")]));
        match effects.as_slice() {
            [Effect::Grade { run, .. }] => *run,
            other => panic!("a save should grade, got {other:?}"),
        }
    }

    fn finish(state: &mut WatchState, run: u64, failing: &[usize]) -> Vec<Effect> {
        let report = report(state.exercise(), failing);
        state.handle(Input::Graded {
            run,
            result: GradeResult::Report(Box::new(report)),
            elapsed: Duration::from_millis(300),
        })
    }

    #[test]
    fn a_save_grades_and_the_result_is_recorded() {
        let catalogue = catalogue();
        let mut state = state(&catalogue, "lru-cache");
        let run = saved(&mut state);
        assert!(matches!(
            state.outcome(),
            Outcome::Running {
                done: 0,
                total: 9,
                ..
            }
        ));
        state.handle(Input::CaseFinished { run });
        assert!(matches!(state.outcome(), Outcome::Running { done: 1, .. }));
        let effects = finish(&mut state, run, &[2]);
        assert_eq!(
            effects,
            [Effect::Record(ProgressEvent::Graded {
                id: "lru-cache".into(),
                passed: 8,
                cases: 9
            })]
        );
        assert!(!state.passed());
        assert_eq!(state.progress().status("lru-cache"), Status::Attempted);
    }

    #[test]
    fn a_file_that_was_already_there_is_graded_when_it_opens() {
        let catalogue = catalogue();
        for (files, graded) in [(FileEvents::Watching, true), (FileEvents::Manual, false)] {
            let curriculum = Curriculum::new(&catalogue);
            let start = curriculum.position("lru-cache").unwrap();
            let (mut state, _) = WatchState::new(
                curriculum,
                Path::new("/ws"),
                Progress::default(),
                start,
                files,
                Display::Screen,
            );
            // Still the starter (`kata start` wrote it), but not written just now.
            let effects = state.handle(Input::Opened {
                id: "lru-cache".into(),
                untouched: true,
                written: false,
            });
            let grades = matches!(
                effects.as_slice(),
                [Effect::Grade {
                    unless_untouched: false,
                    ..
                }]
            );
            assert_eq!(grades, graded, "{effects:?}");
        }
    }

    #[test]
    fn other_files_do_not_trigger_a_grading() {
        let catalogue = catalogue();
        let mut state = state(&catalogue, "lru-cache");
        let effects = state.handle(Input::FilesChanged(vec![PathBuf::from("/ws/three_sum.py")]));
        assert!(effects.is_empty());
    }

    #[test]
    fn the_first_save_of_an_untouched_starter_is_graded_only_if_it_changed() {
        let catalogue = catalogue();
        let mut state = state(&catalogue, "lru-cache");
        let effects = state.handle(Input::FilesChanged(vec![PathBuf::from("/ws/lru_cache.py")]));
        let [
            Effect::Grade {
                run,
                unless_untouched: true,
                ..
            },
        ] = effects.as_slice()
        else {
            panic!("{effects:?}");
        };
        let run = *run;
        state.handle(Input::Graded {
            run,
            result: GradeResult::Untouched,
            elapsed: Duration::ZERO,
        });
        assert!(matches!(state.outcome(), Outcome::NotRun));
        // Asking explicitly grades whatever is there.
        let effects = state.handle(Input::Key(Key::Rerun));
        assert!(matches!(
            effects.as_slice(),
            [Effect::Grade {
                unless_untouched: false,
                ..
            }]
        ));
    }

    #[test]
    fn a_result_overtaken_by_a_newer_save_is_dropped() {
        let catalogue = catalogue();
        let mut state = state(&catalogue, "lru-cache");
        let first = saved(&mut state);
        let second = saved(&mut state);
        assert!(finish(&mut state, first, &[]).is_empty());
        assert!(matches!(state.outcome(), Outcome::Running { run, .. } if *run == second));
        finish(&mut state, second, &[1]);
        // The overtaken grading showed nothing: the result is the first.
        assert!(matches!(state.outcome(), Outcome::Done(graded) if graded.number == 1));
        let third = saved(&mut state);
        finish(&mut state, third, &[]);
        assert!(matches!(state.outcome(), Outcome::Done(graded) if graded.number == 2));
    }

    #[test]
    fn hints_come_one_more_at_a_time_and_stop_at_the_last() {
        let catalogue = catalogue();
        let mut state = state(&catalogue, "lru-cache");
        for count in 1..=3 {
            let effects = state.handle(Input::Key(Key::Hint));
            assert_eq!(
                effects,
                [Effect::Record(ProgressEvent::HintShown {
                    id: "lru-cache".into(),
                    count
                })]
            );
            assert_eq!(state.hints_shown(), count as usize);
        }
        assert!(state.handle(Input::Key(Key::Hint)).is_empty());
        assert_eq!(state.notice(), Some("That was the last hint (3 of 3)."));
        // Any key clears the notice.
        state.handle(Input::Key(Key::Up));
        assert_eq!(state.notice(), None);
    }

    #[test]
    fn solving_offers_the_next_unsolved_exercise_and_n_opens_it() {
        let catalogue = catalogue();
        let mut state = state(&catalogue, "lru-cache");
        let run = saved(&mut state);
        finish(&mut state, run, &[]);
        assert!(state.passed());
        assert_eq!(state.progress().status("lru-cache"), Status::Solved);
        let next = state.next_unsolved().unwrap().id.clone();
        assert_ne!(next, "lru-cache");
        let effects = state.handle(Input::Key(Key::Next));
        assert!(
            matches!(&effects[0], Effect::Open { id, .. } if *id == next),
            "{effects:?}"
        );
        assert_eq!(
            effects[1],
            Effect::Record(ProgressEvent::Opened { id: next.clone() })
        );
        assert_eq!(state.exercise().id, next);
        assert!(matches!(state.outcome(), Outcome::NotRun));
        // A late result for the exercise left behind changes nothing.
        finish(&mut state, run, &[1]);
        assert!(matches!(state.outcome(), Outcome::NotRun));
        // Saves before the new file is ready are not graded yet.
        assert!(
            state
                .handle(Input::FilesChanged(vec![state.path()]))
                .is_empty()
        );
    }

    #[test]
    fn the_list_moves_a_selection_and_opens_what_is_chosen() {
        let catalogue = catalogue();
        let mut state = state(&catalogue, "lru-cache");
        let current = state.curriculum.position("lru-cache").unwrap();
        state.handle(Input::Key(Key::List));
        assert_eq!(state.view(), View::List { selected: current });
        state.handle(Input::Key(Key::Up));
        let effects = state.handle(Input::Key(Key::Enter));
        let chosen = state.exercises()[current - 1].id.clone();
        assert!(matches!(&effects[0], Effect::Open { id, .. } if *id == chosen));
        assert!(matches!(state.view(), View::Exercise { .. }));
        // `l` again, then `l` leaves the list without changing anything.
        state.handle(Input::Key(Key::List));
        assert!(state.handle(Input::Key(Key::List)).is_empty());
        assert!(matches!(state.view(), View::Exercise { .. }));
    }

    #[test]
    fn without_file_events_enter_grades() {
        let catalogue = catalogue();
        let mut state = state(&catalogue, "lru-cache");
        state.handle(Input::WatchFailed("inotify limit".into()));
        assert!(
            state
                .handle(Input::FilesChanged(vec![state.path()]))
                .is_empty()
        );
        let effects = state.handle(Input::Key(Key::Enter));
        assert!(matches!(effects.as_slice(), [Effect::Grade { .. }]));
    }

    #[test]
    fn scrolling_stays_within_what_the_screen_measured() {
        let catalogue = catalogue();
        let mut state = state(&catalogue, "lru-cache");
        state.set_scroll_limit(3);
        for _ in 0..5 {
            state.handle(Input::Key(Key::Down));
        }
        assert_eq!(
            state.view(),
            View::Exercise {
                full_prompt: false,
                scroll: 3
            }
        );
    }
}
