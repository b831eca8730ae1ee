//! Grading on a thread of its own, so the screen and the keys stay responsive while cases run.
//!
//! A newer job supersedes the one running: the running grading is dropped, which kills its
//! sandboxed processes and removes their directories (the runner's drop guards), and the new
//! file is graded at once. A save during a slow grading therefore costs nothing extra.
//!
//! The thread also turns SIGINT, SIGTERM and SIGHUP into a quit, so the terminal is restored
//! and sandboxes are cleaned up however the loop is stopped.

use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;
use std::time::Instant;

use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::state::{GradeResult, Input, Key};
use crate::error::Error;
use crate::exercise::Exercise;
use crate::report::SubmissionReport;
use crate::runner::{Backend, Program, Runner};
use crate::session::{self, Event, Submission};
use crate::submission::starter_file;

/// One grading to do.
#[derive(Debug)]
pub(crate) struct Job {
    pub run: u64,
    pub exercise: Exercise,
    pub path: PathBuf,
    /// Skip the grading if the file is still exactly the starter.
    pub unless_untouched: bool,
}

/// The grading thread.
pub(crate) struct Grader {
    jobs: Option<UnboundedSender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Grader {
    /// Starts the thread; results go to `inputs`.
    pub(crate) fn spawn(
        backend: Backend,
        jobs: usize,
        inputs: Sender<Input>,
    ) -> Result<Grader, Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Internal(format!("cannot start the async runtime: {e}")))?;
        let (sender, receiver) = unbounded_channel();
        let thread = std::thread::Builder::new()
            .name("kata-grader".to_string())
            .spawn(move || {
                runtime.block_on(async move {
                    tokio::spawn(quit_on_signals(inputs.clone()));
                    serve(backend, jobs, receiver, inputs).await;
                });
            })
            .map_err(|e| Error::Internal(format!("cannot start the grading thread: {e}")))?;
        Ok(Grader {
            jobs: Some(sender),
            thread: Some(thread),
        })
    }

    /// Grades `job`, dropping any grading still running.
    pub(crate) fn grade(&self, job: Job) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(job);
        }
    }
}

/// Stopping: grading ends (cleaning up any running sandbox) and the thread is waited for.
impl Drop for Grader {
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    backend: Backend,
    jobs: usize,
    mut receiver: UnboundedReceiver<Job>,
    inputs: Sender<Input>,
) {
    let mut next = None;
    loop {
        let job = match next.take() {
            Some(job) => job,
            None => match receiver.recv().await {
                Some(job) => job,
                None => return,
            },
        };
        tokio::select! {
            result = grade(&backend, jobs, &job, &inputs) => {
                let _ = inputs.send(result);
            }
            newer = receiver.recv() => match newer {
                Some(newer) => next = Some(newer),
                None => return,
            },
        }
    }
}

async fn grade(backend: &Backend, jobs: usize, job: &Job, inputs: &Sender<Input>) -> Input {
    let started = Instant::now();
    let finished = |result| Input::Graded {
        run: job.run,
        result,
        elapsed: started.elapsed(),
    };
    let source = match tokio::fs::read(&job.path).await {
        Ok(source) => String::from_utf8_lossy(&source).into_owned(),
        Err(error) => return finished(GradeResult::Unreadable(error.to_string())),
    };
    if job.unless_untouched && source == starter_file(&job.exercise) {
        return finished(GradeResult::Untouched);
    }
    let submission = Submission {
        exercise: &job.exercise,
        program: Program {
            source: source.into(),
            display_name: job.exercise.file_name(),
        },
    };
    let run = job.run;
    let outcomes = session::grade_all(backend, std::slice::from_ref(&submission), jobs, |event| {
        let Event::CaseFinished { .. } = event;
        let _ = inputs.send(Input::CaseFinished { run });
    })
    .await;
    let report = SubmissionReport::new(
        &job.exercise,
        backend.name(),
        Some(job.exercise.file_name()),
        &outcomes[0],
    );
    finished(GradeResult::Report(Box::new(report)))
}

/// Sends a quit when the process is asked to stop.
async fn quit_on_signals(inputs: Sender<Input>) {
    let (Ok(mut interrupt), Ok(mut terminate), Ok(mut hangup)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        return;
    };
    loop {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
            _ = hangup.recv() => {}
        }
        if inputs.send(Input::Key(Key::Quit)).is_err() {
            return;
        }
    }
}
