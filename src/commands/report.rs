//! `kata report merge`: combine the JSON reports of shards, and render the result.

use std::fs;

use anstream::print;

use crate::cli::{MergeArgs, ReportCommand};
use crate::commands::grade::{
    class_status, summary_for_log, under_github_actions, write_step_summary,
};
use crate::commands::write_reports;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::report::ClassReport;
use crate::report::class::ReadError;

pub fn run(command: &ReportCommand) -> Result<ExitStatus, Error> {
    match command {
        ReportCommand::Merge(args) => merge(args),
    }
}

fn merge(args: &MergeArgs) -> Result<ExitStatus, Error> {
    let mut parts = Vec::new();
    for path in &args.reports {
        let text = fs::read_to_string(path).map_err(|source| Error::File {
            action: "read",
            path: path.clone(),
            source,
        })?;
        let part = ClassReport::from_json(&text).map_err(|error| match error {
            ReadError::NotAReport(why) => Error::usage(
                format!("`{}` is not a kata class report: {why}", path.display()),
                Some("merge the files written by `kata grade --json FILE`".to_string()),
            ),
            ReadError::Inconsistent(why) => Error::usage(
                format!("`{}` does not add up: {why}", path.display()),
                Some("merge shard reports as `kata grade` wrote them".to_string()),
            ),
        })?;
        parts.push(part);
    }
    let class = ClassReport::merge(parts).map_err(|why| Error::usage(why, None))?;
    write_reports(
        &class,
        args.json.as_deref(),
        args.junit.as_deref(),
        args.tap.as_deref(),
        args.csv.as_deref(),
    )?;
    let actions = under_github_actions();
    if actions {
        write_step_summary(&class);
    }
    if args.json.as_deref() != Some(std::path::Path::new("-")) {
        print!("{}", summary_for_log(&class, actions));
    }
    Ok(class_status(&class))
}
