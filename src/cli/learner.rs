//! The learner's commands: find an exercise, start it, check it, watch it, and keep progress.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Format, RunOptions, SandboxChoice};

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
