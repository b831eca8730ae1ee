//! Resolving command-line arguments into what commands work with: the catalogue to read, the
//! runner to use, how many cases run at once.

use std::path::{Path, PathBuf};
use std::thread::available_parallelism;

use crate::cli::{RunOptions, SandboxChoice};
use crate::error::Error;
use crate::exercise::{Catalogue, CatalogueError, CatalogueSource};
use crate::isolation::IsolationError;
use crate::runner::python;
use crate::runner::subprocess::SandboxSetupError;
use crate::runner::{Backend, SubprocessRunner};

/// Options every command shares.
#[derive(Debug, Clone)]
pub struct Globals {
    pub exercises: Option<PathBuf>,
}

impl Globals {
    pub fn catalogue_source(&self) -> CatalogueSource {
        match &self.exercises {
            Some(dir) => CatalogueSource::Directory(dir.clone()),
            None => CatalogueSource::Embedded,
        }
    }

    pub fn catalogue(&self) -> Result<Catalogue, CatalogueError> {
        Catalogue::load(self.catalogue_source())
    }

    /// Host paths no sandbox may show: the exercises directory (hidden cases live there).
    pub fn hidden_paths(&self) -> Vec<PathBuf> {
        self.exercises.iter().cloned().collect()
    }
}

/// How many cases run at once: `--jobs`, or one per CPU.
pub fn jobs(options: &RunOptions) -> usize {
    options
        .jobs
        .filter(|&jobs| jobs > 0)
        .unwrap_or_else(|| available_parallelism().map_or(1, |n| n.get()))
}

/// Builds the sandbox backend the options ask for.
pub fn backend(options: &RunOptions) -> Result<Backend, Error> {
    backend_hiding(options, &[])
}

/// Builds the sandbox backend, keeping `hidden` (e.g. the exercises directory) out of every box
/// even where it lies inside a tree a box must see.
pub fn backend_hiding(options: &RunOptions, hidden: &[PathBuf]) -> Result<Backend, Error> {
    match options.sandbox {
        SandboxChoice::Subprocess => Ok(Backend::Subprocess(subprocess_runner(
            options.python.as_deref(),
            hidden,
        )?)),
        SandboxChoice::Wasm => Err(Error::usage(
            "the wasm sandbox is not available in this version of kata",
            Some("use --sandbox subprocess".to_string()),
        )),
    }
}

/// The subprocess sandbox with `python` (default: python3 on PATH), isolated as far as this
/// machine allows.
pub fn subprocess_runner(
    python: Option<&Path>,
    hidden: &[PathBuf],
) -> Result<SubprocessRunner, Error> {
    let interpreter = python::resolve(python.unwrap_or(Path::new("python3")))?;
    SubprocessRunner::new(interpreter, hidden).map_err(sandbox_error)
}

fn sandbox_error(error: SandboxSetupError) -> Error {
    match error {
        SandboxSetupError::Isolation(bad @ IsolationError::BadOverride(_)) => Error::usage(
            bad.to_string(),
            Some("unset it, or set it to auto".to_string()),
        ),
        other => Error::Internal(other.to_string()),
    }
}
