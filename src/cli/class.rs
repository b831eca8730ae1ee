//! The teacher's commands: grade a class, and merge or render its reports.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::RunOptions;

#[derive(Debug, Args)]
pub struct GradeArgs {
    /// The class's directory: one folder per student.
    pub dir: PathBuf,
    #[command(flatten)]
    pub files: ReportFiles,
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
    #[command(flatten)]
    pub files: ReportFiles,
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

/// The files a class's report is written to, one option per format (`kata grade` and
/// `kata report merge` take the same ones).
#[derive(Debug, Default, Args)]
pub struct ReportFiles {
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
}

impl ReportFiles {
    /// Whether the JSON report goes to standard output, which must then carry nothing else.
    pub fn json_to_stdout(&self) -> bool {
        self.json.as_deref() == Some(std::path::Path::new("-"))
    }
}
