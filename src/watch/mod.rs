//! `kata watch`: the learner's loop. Open an exercise, save, see the result, move on.
//!
//! - [`state`]: the loop as a state machine (inputs in, effects out, no I/O);
//! - [`view`]: what it says, as styled lines; [`screen`] fits them to a terminal and
//!   [`plain`] prints them as a log when there is no terminal;
//! - [`terminal`]: crossterm (raw mode, drawing, keys), and nothing else touches the terminal;
//! - [`files`]: file events, debounced; [`grader`]: grading on its own thread;
//! - [`text`]: measuring and wrapping styled text.
//!
//! This module wires them: one channel of [`Input`]s, fed by the key reader, the file watcher
//! and the grader, drained by one loop that hands each input to the state and carries out the
//! effects it returns.

pub(crate) mod files;
pub(crate) mod grader;
pub(crate) mod plain;
pub(crate) mod screen;
pub(crate) mod state;
pub(crate) mod terminal;
pub(crate) mod text;
pub(crate) mod view;

use std::collections::VecDeque;
use std::io::Write as _;
use std::path::Path;
use std::sync::mpsc::{Receiver, channel};

use anstream::print;

use crate::curriculum::Curriculum;
use crate::error::Error;
use crate::exercise::Exercise;
use crate::exit::ExitStatus;
use crate::runner::Backend;
use crate::submission::starter_file;
use crate::workspace::{ProgressStore, Workspace};

use self::grader::{Grader, Job};
use self::plain::PlainPrinter;
use self::state::{Display, Effect, FileEvents, Input, WatchState};
use self::terminal::Screen;

/// How the loop was asked to run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// Grade only on Enter or `r`, not on save.
    pub manual: bool,
    /// Cases run at once.
    pub jobs: usize,
}

/// Runs the loop on `curriculum`'s exercise number `start` until the learner quits.
pub(crate) fn run(
    curriculum: Curriculum<'_>,
    workspace: &Workspace,
    start: usize,
    backend: Backend,
    options: Options,
) -> Result<ExitStatus, Error> {
    let store = workspace.progress();
    let progress = store.load()?;
    let (sender, inputs) = channel();
    let grader = Grader::spawn(backend, options.jobs, sender.clone())?;
    let (files, _watcher) = if options.manual {
        (FileEvents::Manual, None)
    } else {
        match files::watch(&workspace.root, sender.clone()) {
            Ok(watcher) => (FileEvents::Watching, Some(watcher)),
            Err(reason) => (FileEvents::Unavailable(reason), None),
        }
    };
    let interactive = terminal::is_interactive();
    let display = if interactive {
        Display::Screen
    } else {
        Display::Plain
    };
    let (state, effects) =
        WatchState::new(curriculum, &workspace.root, progress, start, files, display);
    let mut session = Session {
        state,
        store,
        grader,
        pending: VecDeque::new(),
    };
    if interactive {
        let mut screen = Screen::enter(terminal::colour())
            .map_err(|e| Error::Internal(format!("cannot take over the terminal: {e}")))?;
        terminal::spawn_hang_up_watch(sender.clone());
        terminal::spawn_key_reader(sender);
        let mut draw = |state: &mut WatchState| -> Result<(), Error> {
            let (columns, rows) = screen.size();
            let frame = screen::frame(state, columns, rows);
            state.set_scroll_limit(frame.scroll_limit);
            match screen.draw(&frame.rows) {
                Err(_) if terminal::hung_up() => Ok(()),
                drawn => {
                    drawn.map_err(|e| Error::Internal(format!("cannot draw on the terminal: {e}")))
                }
            }
        };
        session.run(effects, &inputs, &mut draw)?;
        drop(screen);
        // Not `println!`, which panics when the terminal has gone away.
        let _ = writeln!(anstream::stdout(), "{}", farewell(&session.state));
    } else {
        plain::spawn_line_reader(sender);
        let mut printer = PlainPrinter::default();
        let mut draw = |state: &mut WatchState| -> Result<(), Error> {
            print!("{}", printer.changes(state));
            Ok(())
        };
        session.run(effects, &inputs, &mut draw)?;
    }
    Ok(ExitStatus::Success)
}

/// The loop's moving parts.
struct Session<'a> {
    state: WatchState<'a>,
    store: ProgressStore,
    grader: Grader,
    /// Inputs the loop produced itself, handled before anything from the channel.
    pending: VecDeque<Input>,
}

impl Session<'_> {
    fn run(
        &mut self,
        effects: Vec<Effect>,
        inputs: &Receiver<Input>,
        draw: &mut dyn FnMut(&mut WatchState) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if self.carry_out(effects) {
            return Ok(());
        }
        loop {
            // Handle everything already waiting, then draw once.
            while let Some(input) = self.pending.pop_front().or_else(|| inputs.try_recv().ok()) {
                let effects = self.state.handle(input);
                if self.carry_out(effects) {
                    return Ok(());
                }
            }
            draw(&mut self.state)?;
            match inputs.recv() {
                Ok(input) => self.pending.push_back(input),
                Err(_) => return Ok(()),
            }
        }
    }

    /// Carries out `effects`; true when the loop should end.
    fn carry_out(&mut self, effects: Vec<Effect>) -> bool {
        for effect in effects {
            match effect {
                Effect::Open { id, path } => {
                    let exercise = self.state.exercise();
                    debug_assert_eq!(exercise.id, id);
                    self.pending.push_back(self.open(exercise, &path));
                }
                Effect::Grade {
                    run,
                    id,
                    path,
                    unless_untouched,
                } => {
                    let exercise = self.state.exercise();
                    debug_assert_eq!(exercise.id, id);
                    self.grader.grade(Job {
                        run,
                        exercise: exercise.clone(),
                        path,
                        unless_untouched,
                    });
                }
                Effect::Record(event) => {
                    if let Err(error) = self.store.record(&event) {
                        self.pending
                            .push_back(Input::Problem(format!("Progress not saved: {error}")));
                    }
                }
                Effect::Quit => return true,
            }
        }
        false
    }

    /// Makes sure the exercise's file exists, writing the starter if not.
    fn open(&self, exercise: &Exercise, path: &Path) -> Input {
        let starter = starter_file(exercise);
        match std::fs::read(path) {
            Ok(text) => Input::Opened {
                id: exercise.id.clone(),
                untouched: text == starter.as_bytes(),
                written: false,
            },
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                if let Err(error) = std::fs::write(path, &starter) {
                    return Input::Problem(format!("Cannot write {}: {error}", path.display()));
                }
                Input::Opened {
                    id: exercise.id.clone(),
                    untouched: true,
                    written: true,
                }
            }
            Err(error) => Input::Problem(format!("Cannot read {}: {error}", path.display())),
        }
    }
}

/// The line left in the shell after the screen closes (short enough for 80 columns).
fn farewell(state: &WatchState) -> String {
    let exercise = state.exercise();
    format!(
        "{}: {} · {}/{} solved · `kata watch` carries on",
        exercise.id,
        state.progress().status(&exercise.id).as_str(),
        state.solved_count(),
        state.exercises().len(),
    )
}
