//! Command-line definitions (clap). Nothing here does work: `settings` resolves these into what
//! the commands need, and `commands` does it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "Grade Python coding exercises in a sandbox, with diffs that teach.";

const LONG_ABOUT: &str = "\
Grade Python coding exercises in a sandbox, with diffs that teach.

Learners: `kata init DIR` makes a workspace; inside it, `kata watch` opens the next exercise
and grades it on every save. `kata list`, `kata progress`, `kata hint ID`, `kata reset ID` and
`kata solution ID` help along the way. Without a workspace: `kata start ID`, then
`kata check FILE` until it passes.
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
    /// Make a workspace: a folder that keeps your exercise files and your progress.
    #[command(
        long_about = "Make a workspace: a folder that keeps your exercise files and your \
        progress.\n\n\
        Writes `kata.toml` (the catalogue and the sandbox to use; --exercises and --sandbox set \
        them) and `.kata/progress.toml`. kata commands run in the folder, or below it, use the \
        workspace, the way git finds a repository."
    )]
    Init(InitArgs),
    /// Grade an exercise on every save, with hints and the next exercise a key away.
    #[command(
        long_about = "Grade an exercise on every save, with hints and the next exercise \
        a key away.\n\n\
        Opens ID (default: the current exercise, or the next unsolved one), writing its starter \
        file if there is none, and re-grades the file each time it is saved. Keys: h hint (one \
        more each time), n next unsolved exercise, r re-run, l list, p full prompt, arrows \
        scroll, q quit. When the output is not a terminal it prints plain text and reads the \
        same letters, one per line (Enter alone re-runs). Needs a workspace (`kata init`)."
    )]
    Watch(WatchArgs),
    /// Your progress by difficulty and by tag.
    Progress(ProgressArgs),
    /// Put an exercise's starter back, keeping a backup of your file.
    Reset(ResetArgs),
    /// Show an exercise's reference solution, once your own has passed.
    Solution(SolutionArgs),
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
    /// Which hint (1 is the gentlest). Default: in a workspace, the next one not yet shown;
    /// elsewhere, the first.
    pub number: Option<usize>,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// The exercise id.
    pub id: String,
    /// Where to write the file (default: the workspace's folder, or else the current one).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
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
pub struct InitArgs {
    /// The folder to make a workspace of (created if needed).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The sandbox the workspace runs cases in.
    #[arg(long, value_enum, default_value_t = SandboxChoice::Subprocess)]
    pub sandbox: SandboxChoice,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The exercise to open (default: the current one, or the next unsolved).
    pub id: Option<String>,
    /// Do not watch files: grade when you press Enter or r (for file systems that send no
    /// change events, such as some network or container mounts).
    #[arg(long)]
    pub manual: bool,
    #[command(flatten)]
    pub run: RunOptions,
}

#[derive(Debug, Args)]
pub struct ProgressArgs {}

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// The exercise id.
    pub id: String,
    /// Where the file is (default: the workspace's folder, or else the current one).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SolutionArgs {
    /// The exercise id.
    pub id: String,
    /// Show it even though your own solution has not passed yet.
    #[arg(long)]
    pub force: bool,
}

/// How cases are run.
#[derive(Debug, Clone, Args)]
pub struct RunOptions {
    /// The sandbox to run cases in (default: the workspace's, or else subprocess).
    #[arg(long, value_enum)]
    pub sandbox: Option<SandboxChoice>,
    /// Cases run at once (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// The Python interpreter for the subprocess sandbox (default: python3 on PATH).
    #[arg(long, value_name = "PATH", env = "KATA_PYTHON")]
    pub python: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum SandboxChoice {
    /// A native python3 process per case, with resource limits.
    #[default]
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
