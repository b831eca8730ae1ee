//! Command-line definitions (clap). Nothing here does work: `settings` resolves these into what
//! the commands need, and `commands` does it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "Grade Python coding exercises in a sandbox, with diffs that teach.";

const LONG_ABOUT: &str = "\
Grade Python coding exercises in a sandbox, with diffs that teach.

Learners: `kata list`, `kata show ID`, `kata start ID`, then `kata check FILE` until it passes.
Authors: write exercises in TOML and prove them with `kata validate`.

Exit status: 0 every case accepted, 1 some case not accepted, 2 usage error or invalid
exercise, 3 internal error.";

#[derive(Debug, Parser)]
#[command(name = "kata", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    /// Read exercises from this directory instead of the built-in catalogue.
    #[arg(long, global = true, value_name = "DIR", env = "KATA_EXERCISES")]
    pub exercises: Option<PathBuf>,

    /// When to use colour (NO_COLOR is honoured with `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the exercises: id, title, difficulty and tags.
    List(ListArgs),
    /// Show an exercise's prompt and its visible examples.
    Show(ShowArgs),
    /// Show one of an exercise's hints.
    Hint(HintArgs),
    /// Write an exercise's starter file, ready to edit and check.
    #[command(
        long_about = "Write an exercise's starter file, ready to edit and check.\n\n\
        The file is named after the exercise (`lru-cache` becomes `lru_cache.py`). Its first \
        line, `# kata: ID`, tells `kata check` which exercise it is for."
    )]
    Start(StartArgs),
    /// Grade a solution file against its exercise's cases.
    #[command(long_about = "Grade a solution file against its exercise's cases.\n\n\
        Every case runs in a fresh sandboxed Python process; the result is compared on the host \
        with the expected value, and a failing case shows a diff. The exercise is read from the \
        file's `# kata: ID` first line unless --exercise is given.\n\n\
        Exit status: 0 every case accepted, 1 some case not accepted, 2 usage error or invalid \
        exercise, 3 internal error.")]
    Check(CheckArgs),
    /// Prove exercises: the reference passes, the starter and every known-wrong solution fail.
    #[command(
        long_about = "Prove exercises: check each file's format and meaning, then run the \
        reference solution (every case must accept it), the starter (some case must reject it) \
        and every known-wrong solution (some case must reject it, with the stated verdict when \
        one is given). Prints which case catches which wrong solution.\n\n\
        With no PATH, validates the whole catalogue. Exit status: 0 all valid, 2 some exercise \
        invalid, 3 internal error."
    )]
    Validate(ValidateArgs),
    /// Inspect the subprocess sandbox.
    Sandbox(SandboxArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The exercise id, e.g. `lru-cache`.
    pub id: String,
}

#[derive(Debug, Args)]
pub struct HintArgs {
    /// The exercise id.
    pub id: String,
    /// Which hint (1 is the gentlest).
    #[arg(default_value_t = 1)]
    pub number: usize,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// The exercise id.
    pub id: String,
    /// Where to write the file.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The Python file to grade.
    pub file: PathBuf,
    /// The exercise to grade it against (default: from the file's `# kata: ID` line).
    #[arg(long, value_name = "ID")]
    pub exercise: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub run: RunOptions,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Exercise files or directories of them (default: the catalogue).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub run: RunOptions,
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
        Exit status: 0 every active layer was verified, 3 one was not (or no box could run)."
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

/// How cases are run.
#[derive(Debug, Clone, Args)]
pub struct RunOptions {
    /// The sandbox to run cases in.
    #[arg(long, value_enum, default_value_t = SandboxChoice::Subprocess)]
    pub sandbox: SandboxChoice,
    /// Cases run at once (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// The Python interpreter for the subprocess sandbox (default: python3 on PATH).
    #[arg(long, value_name = "PATH", env = "KATA_PYTHON")]
    pub python: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SandboxChoice {
    /// A native python3 process per case, with resource limits.
    Subprocess,
    /// CPython compiled to WebAssembly, in wasmtime.
    Wasm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable report with diffs.
    Human,
    /// One JSON object (schema_version 1).
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
