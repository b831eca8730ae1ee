//! A learner's workspace: a folder with a `kata.toml` ([`config`]), the learner's exercise
//! files, and `.kata/` (progress and backups).
//!
//! Commands find the workspace the way git finds a repository: from the current directory
//! upward. Outside any workspace the learner's commands work as they always did; inside one
//! they put exercise files at the workspace root and record progress ([`progress`]).

pub(crate) mod config;
pub(crate) mod progress;

use std::fs;
use std::path::{Path, PathBuf};

pub(crate) use config::Config;
pub(crate) use progress::{Progress, ProgressEvent, ProgressStore, Status};

use crate::exercise::Exercise;

/// kata's own files inside a workspace.
const STATE_DIR: &str = ".kata";

/// A workspace found on disk.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The folder holding `kata.toml`.
    pub root: PathBuf,
    pub config: Config,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("not inside a kata workspace (no kata.toml in `{}` or any folder above it)", start.display())]
    NotFound { start: PathBuf },
    #[error("`{}` is already a kata workspace", root.display())]
    AlreadyExists { root: PathBuf },
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` is not a valid workspace file: {message}", path.display())]
    InvalidConfig { path: PathBuf, message: String },
    #[error("`{}` is damaged: {message}", path.display())]
    InvalidProgress { path: PathBuf, message: String },
}

impl WorkspaceError {
    /// What the user can do about it.
    pub fn help(&self) -> Option<String> {
        match self {
            WorkspaceError::NotFound { .. } => Some(
                "make one with `kata init DIR`, then run kata inside it".to_string(),
            ),
            WorkspaceError::AlreadyExists { .. } => {
                Some("carry on where you left off: `kata watch`".to_string())
            }
            WorkspaceError::InvalidConfig { .. } => Some(
                "fix it (the comments `kata init` wrote explain each key), or delete it and run `kata init` again"
                    .to_string(),
            ),
            WorkspaceError::InvalidProgress { path, .. } => Some(format!(
                "fix it, or delete `{}` to start afresh (your exercise files are kept)",
                path.display()
            )),
            WorkspaceError::Read { .. } | WorkspaceError::Write { .. } => None,
        }
    }
}

impl Workspace {
    /// The workspace around `start` (that folder or one above it), if there is one.
    pub fn discover(start: &Path) -> Result<Option<Workspace>, WorkspaceError> {
        for dir in start.ancestors() {
            if dir.join(config::FILE_NAME).is_file() {
                return Workspace::open(dir).map(Some);
            }
        }
        Ok(None)
    }

    /// The workspace whose root is `root`.
    pub fn open(root: &Path) -> Result<Workspace, WorkspaceError> {
        Ok(Workspace {
            root: root.to_path_buf(),
            config: Config::load(root)?,
        })
    }

    /// Makes `root` a workspace (creating the folder if needed) with these settings.
    pub fn init(root: &Path, config: Config) -> Result<Workspace, WorkspaceError> {
        let config_path = root.join(config::FILE_NAME);
        if config_path.exists() {
            return Err(WorkspaceError::AlreadyExists {
                root: root.to_path_buf(),
            });
        }
        let write = |path: &Path| {
            let path = path.to_path_buf();
            move |source| WorkspaceError::Write { path, source }
        };
        fs::create_dir_all(root).map_err(write(root))?;
        fs::write(&config_path, config.render()).map_err(write(&config_path))?;
        let workspace = Workspace {
            root: root.to_path_buf(),
            config,
        };
        let store = workspace.progress();
        if !store.path().exists() {
            store.save(&Progress::default())?;
        }
        Ok(workspace)
    }

    /// Where the learner's file for `exercise` lives: at the root, named as `kata start` names it.
    pub fn exercise_path(&self, exercise: &Exercise) -> PathBuf {
        self.root.join(exercise.file_name())
    }

    pub fn progress(&self) -> ProgressStore {
        ProgressStore::new(self.root.join(STATE_DIR).join("progress.toml"))
    }

    /// Where `kata reset` keeps the learner's files before restoring a starter.
    pub fn backups_dir(&self) -> PathBuf {
        self.root.join(STATE_DIR).join("backups")
    }
}

/// The first free numbered backup name for `file_name` in `dir`: `lru_cache.py.~1~`, `~2~`, …
/// (the numbering GNU tools use, so editors and `ls` treat them as backups).
pub(crate) fn backup_path(dir: &Path, file_name: &str) -> PathBuf {
    (1..)
        .map(|number| dir.join(format!("{file_name}.~{number}~")))
        .find(|path| !path.exists())
        .expect("some number is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_is_found_from_any_folder_below_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("learn");
        Workspace::init(
            &root,
            Config {
                catalogue: None,
                sandbox: None,
            },
        )
        .unwrap();
        let deep = root.join("notes/today");
        fs::create_dir_all(&deep).unwrap();
        let found = Workspace::discover(&deep).unwrap().unwrap();
        assert_eq!(found.root, root);
        assert!(found.progress().path().exists());
        assert!(Workspace::discover(dir.path()).unwrap().is_none());
    }

    #[test]
    fn init_refuses_to_overwrite_a_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config {
            catalogue: None,
            sandbox: None,
        };
        Workspace::init(dir.path(), config.clone()).unwrap();
        let error = Workspace::init(dir.path(), config).unwrap_err();
        assert!(matches!(error, WorkspaceError::AlreadyExists { .. }));
    }

    #[test]
    fn backups_are_numbered() {
        let dir = tempfile::tempdir().unwrap();
        let first = backup_path(dir.path(), "a.py");
        assert!(first.ends_with("a.py.~1~"));
        fs::write(&first, "x").unwrap();
        assert!(backup_path(dir.path(), "a.py").ends_with("a.py.~2~"));
    }
}
