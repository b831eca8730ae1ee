//! Resolving command-line arguments into what commands work with: the catalogue to read, the
//! runner to use, how many cases run at once.

use std::path::PathBuf;
use std::thread::available_parallelism;

use crate::cli::{RunOptions, SandboxChoice};
use crate::error::Error;
use crate::exercise::{Catalogue, CatalogueError, CatalogueSource};
use crate::runner::python;
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
}

/// How many cases run at once: `--jobs`, or one per CPU.
pub fn jobs(options: &RunOptions) -> usize {
    options
        .jobs
        .filter(|&jobs| jobs > 0)
        .unwrap_or_else(|| available_parallelism().map_or(1, |n| n.get()))
}

/// Builds the sandbox backend the options ask for, or the command's `default`.
pub fn backend(options: &RunOptions, default: SandboxChoice) -> Result<Backend, Error> {
    match options.sandbox.unwrap_or(default) {
        SandboxChoice::Subprocess => {
            let command = options
                .python
                .clone()
                .unwrap_or_else(|| PathBuf::from("python3"));
            let interpreter = python::resolve(&command)?;
            Ok(Backend::Subprocess(SubprocessRunner::new(interpreter)))
        }
        SandboxChoice::Wasm => Err(Error::usage(
            "the wasm sandbox is not available in this version of kata",
            Some("use --sandbox subprocess".to_string()),
        )),
    }
}
