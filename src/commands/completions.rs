//! `kata completions SHELL`: print a completion script generated from the clap definitions, so
//! it always matches the commands and options kata has.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::Error;
use crate::exit::ExitStatus;

pub(super) fn run(args: &CompletionsArgs) -> Result<ExitStatus, Error> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "kata", &mut script);
    super::write_stdout(&script)?;
    Ok(ExitStatus::Success)
}
