//! Resolving command-line arguments into what commands work with: the catalogue to read, the
//! runner to use, how many cases run at once.

use std::path::PathBuf;
use std::thread::available_parallelism;

use anstream::eprintln;

use crate::cli::{RunOptions, SandboxChoice};
use crate::error::Error;
use crate::exercise::{Catalogue, CatalogueError, CatalogueSource, Exercise};
use crate::report::terminal::{DIM, paint};
use crate::runner::python;
use crate::runner::{Backend, SubprocessRunner, WasmRunner};
use crate::runtime::{self, CacheDir, Manifest};

/// The sandbox for a learner's own code (`kata check`, `kata validate`): fast, native.
pub const LEARNER_DEFAULT: SandboxChoice = SandboxChoice::Subprocess;
/// The sandbox for other people's code (`kata grade`): isolated.
pub const GRADER_DEFAULT: SandboxChoice = SandboxChoice::Wasm;

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

/// Builds the sandbox backend the options ask for, the learner's default (subprocess) when
/// they name none.
pub fn backend(options: &RunOptions) -> Result<Backend, Error> {
    backend_or(options, LEARNER_DEFAULT)
}

/// Builds the sandbox backend the options ask for, `default` when they name none.
pub fn backend_or(options: &RunOptions, default: SandboxChoice) -> Result<Backend, Error> {
    match options.sandbox.unwrap_or(default) {
        SandboxChoice::Subprocess => {
            let command = options
                .python
                .clone()
                .unwrap_or_else(|| PathBuf::from("python3"));
            let interpreter = python::resolve(&command)?;
            Ok(Backend::Subprocess(SubprocessRunner::new(interpreter)))
        }
        SandboxChoice::Wasm => Ok(Backend::Wasm(wasm_runner()?)),
    }
}

/// The wasm sandbox. Its first use installs the runtime (through `npm pack`) and compiles it,
/// with a one-line notice; later uses load the compiled module from the cache.
pub fn wasm_runner() -> Result<WasmRunner, Error> {
    let manifest = Manifest::pinned()?;
    let cache = CacheDir::resolve()?;
    let mut announced = false;
    let runtime = match runtime::locate(&manifest, &cache)? {
        Some(runtime) => runtime,
        None => {
            notice(&format!(
                "first use of the wasm sandbox: fetching its Python ({}) with npm and compiling \
                 it for this machine (once; about 10 s)",
                manifest.spec()
            ));
            announced = true;
            runtime::install(&manifest, &cache)?;
            runtime::locate(&manifest, &cache)?.ok_or_else(|| {
                Error::Internal("the wasm runtime was installed but cannot be found".into())
            })?
        }
    };
    Ok(WasmRunner::new(&runtime, &cache, || {
        if !announced {
            notice("preparing the wasm sandbox's Python for this machine (once; a few seconds)");
        }
    })?)
}

fn notice(message: &str) {
    eprintln!("{}", paint(DIM, format!("kata: {message}")));
}

/// Refuses an exercise that needs something the backend cannot give it.
pub fn ensure_supported(backend: &Backend, exercise: &Exercise) -> Result<(), Error> {
    let missing = backend.missing(&exercise.requires);
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = missing.iter().map(|c| c.as_str()).collect();
    Err(Error::usage(
        format!(
            "exercise `{}` needs {}, which the wasm sandbox cannot provide",
            exercise.id,
            names.join(" and ")
        ),
        Some("run it with --sandbox subprocess".to_string()),
    ))
}
