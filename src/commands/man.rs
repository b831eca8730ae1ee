//! `kata man`: print kata's manual page in roff, generated from the clap definitions so it
//! always matches the commands and options kata has.

use clap::CommandFactory;
use clap_mangen::Man;

use crate::cli::{Cli, ManArgs};
use crate::error::Error;
use crate::exit::ExitStatus;

pub(super) fn run(_args: &ManArgs) -> Result<ExitStatus, Error> {
    let mut page = Vec::new();
    Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| Error::Internal(format!("cannot render the man page: {e}")))?;
    super::write_stdout(&page)?;
    Ok(ExitStatus::Success)
}
