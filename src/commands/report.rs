//! `kata report merge`: combine the JSON reports of shards, and render the result.
//! `kata report html`: render JSON reports as the HTML class page.

use std::fs;
use std::path::{Path, PathBuf};

use anstream::print;

use crate::cli::{HtmlArgs, MergeArgs, ReportCommand, ReportFiles};
use crate::commands::grade::{
    class_status, summary_for_log, under_github_actions, write_step_summary,
};
use crate::commands::write_reports;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::report::ClassReport;
use crate::report::class::ReadError;

pub(super) fn run(command: &ReportCommand) -> Result<ExitStatus, Error> {
    match command {
        ReportCommand::Merge(args) => merge(args),
        ReportCommand::Html(args) => html(args),
    }
}

fn merge(args: &MergeArgs) -> Result<ExitStatus, Error> {
    let class = merged(read_reports(&args.reports)?)?;
    write_reports(&class, &args.files)?;
    let actions = under_github_actions();
    if actions {
        write_step_summary(&class);
    }
    if !args.files.json_to_stdout() {
        print!("{}", summary_for_log(&class, actions));
    }
    Ok(class_status(&class))
}

/// Renders the page. The class's grades are not this command's outcome: it exits 0 once the
/// page is written.
fn html(args: &HtmlArgs) -> Result<ExitStatus, Error> {
    let parts = read_reports(&args.reports)?;
    // A lone shard's report keeps its label; merged shards make the whole class.
    let shard = match parts.as_slice() {
        [one] => one.shard.clone(),
        _ => None,
    };
    // Merged even when there is one report, which refuses a submission listed twice.
    let mut class = merged(parts)?;
    class.shard = shard;
    let page = ReportFiles {
        html: Some(args.output.clone()),
        ..ReportFiles::default()
    };
    write_reports(&class, &page)?;
    Ok(ExitStatus::Success)
}

fn read_reports(paths: &[PathBuf]) -> Result<Vec<ClassReport>, Error> {
    paths.iter().map(|path| read_report(path)).collect()
}

/// The reports as one class: each submission may be in one report only, once.
fn merged(parts: Vec<ClassReport>) -> Result<ClassReport, Error> {
    ClassReport::merge(parts).map_err(|why| Error::usage(why, None))
}

/// One class report, read through the checked reader: hidden details dropped, totals checked.
fn read_report(path: &Path) -> Result<ClassReport, Error> {
    let text = fs::read_to_string(path).map_err(|source| Error::File {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    ClassReport::from_json(&text).map_err(|error| match error {
        ReadError::NotAReport(why) => Error::usage(
            format!("`{}` is not a kata class report: {why}", path.display()),
            Some("pass the files written by `kata grade --json FILE`".to_string()),
        ),
        ReadError::Inconsistent(why) => Error::usage(
            format!("`{}` does not add up: {why}", path.display()),
            Some("pass reports as `kata grade` wrote them".to_string()),
        ),
    })
}
