//! One module per subcommand. Each takes its resolved arguments and returns the exit status.

mod check;
mod hint;
mod list;
mod sandbox;
mod show;
mod start;
mod validate;

use std::future::Future;

use crate::cli::{Cli, Command};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::Globals;

/// Runs the command the user asked for.
pub fn dispatch(cli: Cli) -> Result<ExitStatus, Error> {
    let globals = Globals {
        exercises: cli.exercises,
    };
    match cli.command {
        Command::List(args) => list::run(&globals, &args),
        Command::Show(args) => show::run(&globals, &args),
        Command::Hint(args) => hint::run(&globals, &args),
        Command::Start(args) => start::run(&globals, &args),
        Command::Check(args) => check::run(&globals, &args),
        Command::Validate(args) => validate::run(&globals, &args),
        Command::Sandbox(args) => sandbox::run(&globals, &args),
    }
}

/// Runs async work (the runners) to completion on a multi-threaded runtime.
fn block_on<F: Future>(future: F) -> Result<F::Output, Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the async runtime: {e}")))?;
    Ok(runtime.block_on(future))
}
