//! `commands/sandbox.rs` off Linux, where kata has no native sandbox (see `runner::native`):
//! there is nothing to inspect, and no backend can hold a weak native sandbox to warn about.

use crate::cli::SandboxArgs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::runner::Backend;
use crate::runner::native::NativeSandboxUnavailable;
use crate::settings::Globals;

pub(super) fn run(_globals: &Globals, _args: &SandboxArgs) -> Result<ExitStatus, Error> {
    Err(Error::usage(
        NativeSandboxUnavailable.to_string(),
        Some(
            "kata runs cases in the wasm sandbox here; `kata runtime status` shows it".to_string(),
        ),
    ))
}

pub(super) fn warn_if_weak(_backend: &Backend) {}

pub(super) fn refuse_weak(_backend: &Backend, _allow_weak: bool) -> Result<(), Error> {
    Ok(())
}
