//! kata's own set-up: the sandbox on this machine, the WebAssembly runtime, shell completions
//! and the manual page.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Format;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {}

#[derive(Debug, Args)]
pub struct RuntimeArgs {
    #[command(subcommand)]
    pub command: RuntimeCommand,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum RuntimeCommand {
    /// Fetch the pinned runtime with pip, check its hashes, build and compile its snapshot.
    Install,
    /// Say which runtime is installed, where, and whether it is compiled.
    Status,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    #[command(subcommand)]
    pub command: SandboxCommand,
}

#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// Which isolation layers protect a box on this machine, and why the others do not.
    #[command(
        long_about = "Which isolation layers protect a box on this machine, and why the \
        others do not.\n\n\
        Each layer kata says is active is checked from inside a real box (its uid, namespaces, \
        capabilities, limits, what it is refused). Also says whether `kata grade` would accept \
        this sandbox for code you did not write.\n\n\
        Exit status: 0 every active layer was verified, 2 off Linux (there is no native \
        sandbox), 3 one was not (or no box could run)."
    )]
    Status(SandboxStatusArgs),
}

#[derive(Debug, Args)]
pub struct SandboxStatusArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The Python interpreter the boxes run (default: python3 on PATH).
    #[arg(long, value_name = "PATH", env = "KATA_PYTHON")]
    pub python: Option<PathBuf>,
}
