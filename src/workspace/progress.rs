//! A learner's progress: which exercises are solved, attempted or new, and how many hints were
//! shown. Kept in `.kata/progress.toml` so it survives restarts.
//!
//! Several kata processes may share a workspace (`kata watch` in one terminal, `kata check` in
//! another), so every change is a [`ProgressEvent`] applied to the file as it is now
//! ([`ProgressStore::record`]), never a whole in-memory copy written over it, and the file is
//! replaced atomically so a reader never sees half of it. Load, apply and save happen under an
//! exclusive advisory lock (`flock` on `progress.toml.lock` beside the file, which is never
//! replaced), so two processes recording at the same moment cannot lose either update.

use std::collections::BTreeMap;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::WorkspaceError;
use crate::report::{Status as ReportStatus, SubmissionReport};

/// The progress file format this kata reads and writes.
pub(crate) const FORMAT: u32 = 1;

const HEADER: &str = "# Your kata progress, kept by kata. Deleting this file starts you afresh.\n";

/// Everything recorded about a workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub format: u32,
    /// The exercise `kata watch` opens when no id is given: the last one started or watched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    /// By exercise id. Ids the catalogue no longer has are kept (and ignored).
    #[serde(default)]
    pub exercises: BTreeMap<String, ExerciseProgress>,
}

/// What is known about one exercise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExerciseProgress {
    /// Every case passed at least once. Stays true: breaking the file later does not unsolve it.
    pub solved: bool,
    /// Its file was written by `kata start` (or `kata watch`).
    pub started: bool,
    /// Times it was graded.
    pub checks: u32,
    /// Cases passed by the latest grading, out of `cases`.
    pub passed: u32,
    pub cases: u32,
    /// Hints shown so far.
    pub hints: u32,
}

/// Where a learner stands with one exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Never started nor graded.
    New,
    /// Started or graded, not solved yet.
    Attempted,
    Solved,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Attempted => "attempted",
            Status::Solved => "solved",
        }
    }
}

/// One thing that happened, to be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressEvent {
    /// The exercise's file was written and it became the current exercise.
    Started { id: String },
    /// The learner moved to this exercise (in `kata watch`).
    Opened { id: String },
    /// A grading finished (an internal error is not recorded: it says nothing about the learner).
    Graded { id: String, passed: u32, cases: u32 },
    /// Hint number `count` was shown.
    HintShown { id: String, count: u32 },
}

impl ProgressEvent {
    /// The event for a graded submission; `None` when kata itself failed on some case (that
    /// says nothing about the learner).
    pub fn graded(report: &SubmissionReport) -> Option<ProgressEvent> {
        (report.status != ReportStatus::Error).then(|| ProgressEvent::Graded {
            id: report.exercise.clone(),
            passed: report.passed as u32,
            cases: report.cases.len() as u32,
        })
    }
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            format: FORMAT,
            current: None,
            exercises: BTreeMap::new(),
        }
    }
}

impl Progress {
    pub fn status(&self, id: &str) -> Status {
        match self.exercises.get(id) {
            Some(exercise) if exercise.solved => Status::Solved,
            Some(exercise) if exercise.started || exercise.checks > 0 => Status::Attempted,
            _ => Status::New,
        }
    }

    pub fn exercise(&self, id: &str) -> ExerciseProgress {
        self.exercises.get(id).cloned().unwrap_or_default()
    }

    pub fn hints_shown(&self, id: &str) -> u32 {
        self.exercises.get(id).map_or(0, |e| e.hints)
    }

    pub fn apply(&mut self, event: &ProgressEvent) {
        match event {
            ProgressEvent::Started { id } => {
                self.entry(id).started = true;
                self.current = Some(id.clone());
            }
            ProgressEvent::Opened { id } => self.current = Some(id.clone()),
            ProgressEvent::Graded { id, passed, cases } => {
                let exercise = self.entry(id);
                exercise.checks = exercise.checks.saturating_add(1);
                exercise.passed = *passed;
                exercise.cases = *cases;
                exercise.solved |= passed == cases;
            }
            ProgressEvent::HintShown { id, count } => {
                let exercise = self.entry(id);
                exercise.hints = exercise.hints.max(*count);
            }
        }
    }

    fn entry(&mut self, id: &str) -> &mut ExerciseProgress {
        self.exercises.entry(id.to_string()).or_default()
    }
}

/// The progress file of one workspace.
#[derive(Debug, Clone)]
pub struct ProgressStore {
    path: PathBuf,
}

impl ProgressStore {
    pub fn new(path: PathBuf) -> Self {
        ProgressStore { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The progress as recorded; a missing file is a fresh start.
    pub fn load(&self) -> Result<Progress, WorkspaceError> {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(error) if error.kind() == ErrorKind::NotFound => return Ok(Progress::default()),
            Err(source) => {
                return Err(WorkspaceError::Read {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let invalid = |message: String| WorkspaceError::InvalidProgress {
            path: self.path.clone(),
            message,
        };
        let progress: Progress = toml::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        if progress.format > FORMAT {
            return Err(invalid(format!(
                "format {} is newer than this kata understands (format {FORMAT}); update kata",
                progress.format
            )));
        }
        Ok(progress)
    }

    /// Applies `event` to the file as it is now and returns the result.
    pub fn record(&self, event: &ProgressEvent) -> Result<Progress, WorkspaceError> {
        let _lock = self.lock()?;
        let mut progress = self.load()?;
        progress.apply(event);
        self.save(&progress)?;
        Ok(progress)
    }

    /// Waits for the workspace's progress lock; it is held until the returned file is dropped.
    /// The lock is on a file of its own because `save` replaces `progress.toml` itself.
    fn lock(&self) -> Result<fs::File, WorkspaceError> {
        let path = self.path.with_extension("toml.lock");
        let error = |source| WorkspaceError::Write {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(error)?;
        }
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(error)?;
        loop {
            match rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive) {
                Ok(()) => return Ok(file),
                Err(rustix::io::Errno::INTR) => continue,
                Err(errno) => return Err(error(errno.into())),
            }
        }
    }

    /// Writes `progress`, replacing the file in one step.
    pub fn save(&self, progress: &Progress) -> Result<(), WorkspaceError> {
        let write = |source| WorkspaceError::Write {
            path: self.path.clone(),
            source,
        };
        let text = format!(
            "{HEADER}{}",
            toml::to_string(progress).expect("progress always serialises")
        );
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir).map_err(write)?;
        }
        let temporary = self
            .path
            .with_extension(format!("toml.{}.tmp", std::process::id()));
        fs::write(&temporary, text).map_err(write)?;
        fs::rename(&temporary, &self.path).map_err(|error| {
            let _ = fs::remove_file(&temporary);
            write(error)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graded(id: &str, passed: u32, cases: u32) -> ProgressEvent {
        ProgressEvent::Graded {
            id: id.to_string(),
            passed,
            cases,
        }
    }

    #[test]
    fn statuses_follow_what_happened() {
        let mut progress = Progress::default();
        assert_eq!(progress.status("a"), Status::New);
        progress.apply(&ProgressEvent::Started { id: "a".into() });
        assert_eq!(progress.status("a"), Status::Attempted);
        assert_eq!(progress.current.as_deref(), Some("a"));
        progress.apply(&graded("b", 3, 8));
        assert_eq!(progress.status("b"), Status::Attempted);
        progress.apply(&graded("b", 8, 8));
        assert_eq!(progress.status("b"), Status::Solved);
        // Breaking a solved exercise afterwards does not unsolve it.
        progress.apply(&graded("b", 0, 8));
        assert_eq!(progress.status("b"), Status::Solved);
        assert_eq!(progress.exercise("b").checks, 3);
        assert_eq!(progress.exercise("b").passed, 0);
    }

    #[test]
    fn the_hint_count_only_grows() {
        let mut progress = Progress::default();
        for count in [2, 1, 3] {
            progress.apply(&ProgressEvent::HintShown {
                id: "a".into(),
                count,
            });
        }
        assert_eq!(progress.hints_shown("a"), 3);
        assert_eq!(progress.status("a"), Status::New);
    }

    #[test]
    fn the_file_round_trips_and_events_merge_with_what_is_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::new(dir.path().join(".kata/progress.toml"));
        assert_eq!(store.load().unwrap(), Progress::default());
        store.record(&graded("a", 8, 8)).unwrap();
        // Another process records something in between.
        let other = ProgressStore::new(store.path().to_path_buf());
        other
            .record(&ProgressEvent::Started { id: "b".into() })
            .unwrap();
        let progress = store
            .record(&ProgressEvent::HintShown {
                id: "c".into(),
                count: 1,
            })
            .unwrap();
        assert_eq!(progress.status("a"), Status::Solved);
        assert_eq!(progress.status("b"), Status::Attempted);
        assert_eq!(progress.hints_shown("c"), 1);
        assert_eq!(store.load().unwrap(), progress);
        let text = fs::read_to_string(store.path()).unwrap();
        assert!(text.starts_with("# Your kata progress"), "{text}");
    }

    #[test]
    fn concurrent_records_lose_no_update() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".kata/progress.toml");
        let (threads, each) = (8, 25);
        std::thread::scope(|scope| {
            for thread in 0..threads {
                let store = ProgressStore::new(path.clone());
                scope.spawn(move || {
                    for _ in 0..each {
                        // Every thread grades the same exercise: each record is one more check.
                        store.record(&graded("shared", 1, 2)).unwrap();
                        store
                            .record(&ProgressEvent::Started {
                                id: format!("own-{thread}"),
                            })
                            .unwrap();
                    }
                });
            }
        });
        let progress = ProgressStore::new(path).load().unwrap();
        assert_eq!(progress.exercise("shared").checks, threads * each);
        for thread in 0..threads {
            assert_eq!(
                progress.status(&format!("own-{thread}")),
                Status::Attempted,
                "thread {thread}'s start was lost"
            );
        }
    }

    #[test]
    fn a_damaged_file_is_an_error_that_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.toml");
        fs::write(&path, "format = 1\nexercises = 3\n").unwrap();
        let error = ProgressStore::new(path).load().unwrap_err();
        assert!(error.to_string().contains("progress.toml"), "{error}");
    }
}
