//! One module per subcommand. Each takes its resolved arguments and returns the exit status.

mod check;
mod completions;
mod grade;
mod hint;
mod init;
mod list;
mod man;
mod new;
mod progress;
mod record;
mod report;
mod reset;
mod runtime;
#[cfg_attr(not(target_os = "linux"), path = "sandbox_unavailable.rs")]
mod sandbox;
mod schema;
mod show;
mod solution;
mod start;
mod validate;
mod watch;

use std::future::Future;

use std::path::Path;

use crate::authoring::snippets;
use crate::cli::{Cli, Command, ReportFiles};
use crate::error::Error;
use crate::exercise::{CatalogueError, CatalogueSource, Exercise};
use crate::exit::ExitStatus;
use crate::report::{ClassReport, gradebook, html, json, junit, tap};
use crate::runner::Backend;
use crate::settings::Globals;

/// Runs the command the user asked for.
pub(crate) fn dispatch(cli: Cli) -> Result<ExitStatus, Error> {
    let globals = Globals::new(cli.exercises);
    match cli.command {
        Command::List(args) => list::run(&globals, &args),
        Command::Show(args) => show::run(&globals, &args),
        Command::Hint(args) => hint::run(&globals, &args),
        Command::Start(args) => start::run(&globals, &args),
        Command::Check(args) => check::run(&globals, &args),
        Command::Validate(args) => validate::run(&globals, &args),
        Command::Runtime(args) => runtime::run(&args),
        Command::Grade(args) => grade::run(&globals, &args),
        Command::Report(command) => report::run(&command),
        Command::New(args) => new::run(&globals, &args),
        Command::Record(args) => record::run(&globals, &args),
        Command::Schema(args) => schema::run(&args),
        Command::Init(args) => init::run(&globals, &args),
        Command::Watch(args) => watch::run(&globals, &args),
        Command::Progress(args) => progress::run(&globals, &args),
        Command::Reset(args) => reset::run(&globals, &args),
        Command::Solution(args) => solution::run(&globals, &args),
        Command::Sandbox(args) => sandbox::run(&globals, &args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
    }
}

/// Renders a class report in one format.
type Renderer = fn(&ClassReport) -> String;

/// Writes a class report in every format asked for; `-` means standard output.
fn write_reports(class: &ClassReport, files: &ReportFiles) -> Result<(), Error> {
    let renderers: [(Option<&Path>, Renderer); 5] = [
        (files.json.as_deref(), |class| json::render(class)),
        (files.junit.as_deref(), junit::render),
        (files.tap.as_deref(), tap::render),
        (files.csv.as_deref(), gradebook::render),
        (files.html.as_deref(), html::render),
    ];
    for (path, render) in renderers {
        let Some(path) = path else { continue };
        let text = render(class);
        if path == Path::new("-") {
            anstream::print!("{text}");
        } else {
            std::fs::write(path, text).map_err(|source| Error::File {
                action: "write",
                path: path.to_path_buf(),
                source,
            })?;
        }
    }
    Ok(())
}

/// Writes generated text (a completion script, the man page) to standard output as it is.
fn write_stdout(bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::Internal(format!("cannot write to standard output: {e}")))
}

/// Runs async work (the runners) to completion on a multi-threaded runtime.
fn block_on<F: Future>(future: F) -> Result<F::Output, Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the async runtime: {e}")))?;
    Ok(runtime.block_on(future))
}

/// Before anything runs: the Python of exercises read from a directory compiles, so an author's
/// broken `call` is the exercise's diagnostic (exit 2), not an internal error in the middle of
/// grading. The embedded catalogue is proven by its own tests, so it costs a learner nothing.
fn ensure_exercises_compile(
    source: &CatalogueSource,
    backend: &Backend,
    python: Option<&Path>,
    exercises: &[&Exercise],
) -> Result<(), Error> {
    if matches!(source, CatalogueSource::Embedded) {
        return Ok(());
    }
    // Without a host Python (wasm only) the case reports the error as it runs.
    let Some(python) = snippets::host_python(backend, python) else {
        return Ok(());
    };
    let all: Vec<_> = exercises
        .iter()
        .map(|exercise| &exercise.snippets)
        .collect();
    let errors = snippets::syntax_errors(&python, &all).map_err(Error::Internal)?;
    let mut broken = exercises
        .iter()
        .zip(errors)
        .filter(|(_, errors)| !errors.is_empty())
        .map(|(exercise, errors)| exercise.snippets.invalid(errors));
    let Some(first) = broken.next() else {
        return Ok(());
    };
    for other in broken {
        eprint!("{}", other.render());
    }
    Err(CatalogueError::Invalid(Box::new(first)).into())
}
