//! The report of a whole class: every submission's [`SubmissionReport`], who wrote it, and the
//! files that could not be graded. `kata grade` builds it; `kata report merge` reads shard
//! reports back and combines them; every format (JSON, JUnit, TAP, CSV, GitHub annotations,
//! the terminal summary) is rendered from it.
//!
//! Like the single-submission report, its JSON form is a public contract (`schema_version` 1).
//!
//! A report read back from a file (a shard's, to merge) is checked before use: every total must
//! be what its cases add up to, with checked arithmetic, so a doctored or corrupt shard is
//! refused instead of skewing the class's points.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::escape::visible_line;
use super::model::{SCHEMA_VERSION, Status, SubmissionReport};
use crate::classroom::Problem;
use crate::words;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassReport {
    pub schema_version: u32,
    pub sandbox: String,
    /// `K/N` when this report covers one shard of the class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    pub summary: Summary,
    /// Sorted by student, then exercise.
    pub submissions: Vec<StudentSubmission>,
    /// Files that were found but not graded, sorted by path.
    #[serde(default)]
    pub problems: Vec<Problem>,
}

/// One student's submission for one exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentSubmission {
    pub student: String,
    #[serde(flatten)]
    pub report: SubmissionReport,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub submissions: usize,
    pub passed: usize,
    pub failed: usize,
    /// Submissions on which kata itself failed (internal errors).
    pub errors: usize,
    pub points: u32,
    pub max_points: u32,
}

/// Why a file could not be read as a class report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not JSON, not a class report, or a schema version this kata does not read.
    NotAReport(String),
    /// A class report whose totals do not add up.
    Inconsistent(String),
}

/// One student's line in the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentTotals {
    pub student: String,
    pub exercises: usize,
    pub passed: usize,
    pub points: u32,
    pub max_points: u32,
}

impl ClassReport {
    /// Builds the report, putting submissions and problems in their canonical order.
    pub fn new(
        sandbox: &str,
        shard: Option<String>,
        mut submissions: Vec<StudentSubmission>,
        mut problems: Vec<Problem>,
    ) -> ClassReport {
        submissions.sort_by(|a, b| {
            (&a.student, &a.report.exercise).cmp(&(&b.student, &b.report.exercise))
        });
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        problems.dedup();
        ClassReport {
            schema_version: SCHEMA_VERSION,
            sandbox: sandbox.to_string(),
            shard,
            summary: Summary::of(&submissions),
            submissions,
            problems,
        }
    }

    /// The class's status: `error` if kata failed on any submission, `fail` if any submission
    /// failed, `pass` otherwise.
    pub fn status(&self) -> Status {
        if self.summary.errors > 0 {
            Status::Error
        } else if self.summary.failed > 0 {
            Status::Fail
        } else {
            Status::Pass
        }
    }

    /// Where the submissions ran, for a summary line: `subprocess sandbox` when they all ran
    /// there, or the class's sandbox with the others counted, e.g. `wasm sandbox (1 submission
    /// in the subprocess sandbox)`. `kata grade` on wasm sends exercises that need native
    /// capabilities to the subprocess sandbox, so the sandbox asked for is not always the one
    /// that ran. Not escaped: each format escapes it its own way.
    pub fn sandboxes(&self) -> String {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for submission in &self.submissions {
            *counts
                .entry(submission.report.sandbox.as_str())
                .or_default() += 1;
        }
        let main = if counts.is_empty() || counts.contains_key(self.sandbox.as_str()) {
            self.sandbox.as_str()
        } else if counts.len() == 1 {
            counts.keys().next().copied().unwrap_or_default()
        } else {
            // None ran where the class says: name the one most ran in (the first on a tie).
            let most = counts.values().copied().max().unwrap_or_default();
            counts
                .iter()
                .find(|(_, count)| **count == most)
                .map_or("", |(sandbox, _)| *sandbox)
        };
        let others: Vec<String> = counts
            .iter()
            .filter(|(sandbox, _)| **sandbox != main)
            .map(|(sandbox, count)| {
                format!(
                    "{} in the {sandbox} sandbox",
                    words::count(*count, "submission", "submissions")
                )
            })
            .collect();
        if others.is_empty() {
            format!("{main} sandbox")
        } else {
            format!("{main} sandbox ({})", others.join(", "))
        }
    }

    /// Per student: exercises passed and points, sorted by student.
    pub fn students(&self) -> Vec<StudentTotals> {
        let mut totals: BTreeMap<&str, StudentTotals> = BTreeMap::new();
        for submission in &self.submissions {
            let entry = totals
                .entry(&submission.student)
                .or_insert_with(|| StudentTotals {
                    student: submission.student.clone(),
                    exercises: 0,
                    passed: 0,
                    points: 0,
                    max_points: 0,
                });
            entry.exercises += 1;
            entry.passed += usize::from(submission.report.status == Status::Pass);
            entry.points += submission.report.points;
            entry.max_points += submission.report.max_points;
        }
        totals.into_values().collect()
    }

    /// Reads a report back from JSON (a shard's, to merge). Hidden details are dropped on the
    /// way in, whatever the file says, and every total is checked against the cases.
    pub fn from_json(text: &str) -> Result<ClassReport, ReadError> {
        let report = Self::parse(text).map_err(ReadError::NotAReport)?;
        report.check_totals().map_err(ReadError::Inconsistent)?;
        Ok(report)
    }

    fn parse(text: &str) -> Result<ClassReport, String> {
        let version: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        match version
            .get("schema_version")
            .and_then(serde_json::Value::as_u64)
        {
            Some(v) if v == u64::from(SCHEMA_VERSION) => {}
            Some(v) => {
                return Err(format!(
                    "schema_version {v} is not one this kata reads ({SCHEMA_VERSION})"
                ));
            }
            None => return Err("not a kata class report (no schema_version)".to_string()),
        }
        let mut report: ClassReport = serde_json::from_value(version).map_err(|e| e.to_string())?;
        report.submissions = std::mem::take(&mut report.submissions)
            .into_iter()
            .map(|mut submission| {
                submission.report = submission.report.without_hidden_details();
                submission
            })
            .collect();
        Ok(report)
    }

    /// Checks each submission's totals against its cases, and the summary against the
    /// submissions.
    fn check_totals(&self) -> Result<(), String> {
        for submission in &self.submissions {
            submission.report.check_totals().map_err(|why| {
                format!(
                    "{}'s `{}`: {why}",
                    visible_line(&submission.student),
                    visible_line(&submission.report.exercise)
                )
            })?;
        }
        let summary = Summary::checked(&self.submissions)?;
        if summary != self.summary {
            return Err(format!(
                "its summary ({}) is not what its submissions add up to ({})",
                self.summary, summary
            ));
        }
        Ok(())
    }

    /// Combines shard reports into one. Each submission may appear in one shard only.
    pub fn merge(parts: Vec<ClassReport>) -> Result<ClassReport, String> {
        let mut sandboxes: Vec<String> = parts.iter().map(|p| p.sandbox.clone()).collect();
        sandboxes.sort();
        sandboxes.dedup();
        let sandbox = match sandboxes.as_slice() {
            [one] => one.clone(),
            [] => return Err("nothing to merge".to_string()),
            many => {
                return Err(format!(
                    "the reports come from different sandboxes ({})",
                    visible_line(&many.join(", "))
                ));
            }
        };
        let mut submissions: Vec<StudentSubmission> = Vec::new();
        let mut seen: HashSet<(String, String)> = HashSet::new();
        let mut problems = Vec::new();
        for part in parts {
            for submission in part.submissions {
                let key = (
                    submission.student.clone(),
                    submission.report.exercise.clone(),
                );
                if !seen.insert(key) {
                    return Err(format!(
                        "{}'s `{}` is in more than one report: were the same shards merged twice?",
                        visible_line(&submission.student),
                        visible_line(&submission.report.exercise)
                    ));
                }
                submissions.push(submission);
            }
            problems.extend(part.problems);
        }
        // Each part adds up on its own; together they must still fit.
        Summary::checked(&submissions)
            .map_err(|why| format!("the merged class cannot be counted: {why}"))?;
        Ok(ClassReport::new(&sandbox, None, submissions, problems))
    }
}

impl Summary {
    /// The summary of submissions graded in this run (whose points come from checked
    /// exercises; reports read from files go through [`Summary::checked`] first).
    pub fn of(submissions: &[StudentSubmission]) -> Summary {
        Summary {
            points: submissions.iter().map(|s| s.report.points).sum(),
            max_points: submissions.iter().map(|s| s.report.max_points).sum(),
            ..Summary::of_counts(submissions)
        }
    }

    /// The counts of the summary, with no points yet.
    fn of_counts(submissions: &[StudentSubmission]) -> Summary {
        let count = |status: Status| {
            submissions
                .iter()
                .filter(|s| s.report.status == status)
                .count()
        };
        Summary {
            submissions: submissions.len(),
            passed: count(Status::Pass),
            failed: count(Status::Fail),
            errors: count(Status::Error),
            points: 0,
            max_points: 0,
        }
    }

    /// The summary, or an error if the points do not fit in a `u32`.
    pub fn checked(submissions: &[StudentSubmission]) -> Result<Summary, String> {
        let total = |points: fn(&SubmissionReport) -> u32, what: &str| {
            submissions
                .iter()
                .try_fold(0u32, |sum, s| sum.checked_add(points(&s.report)))
                .ok_or_else(|| format!("its {what} add up to more than {}", u32::MAX))
        };
        let points = total(|r| r.points, "points")?;
        let max_points = total(|r| r.max_points, "maximum points")?;
        Ok(Summary {
            points,
            max_points,
            ..Summary::of_counts(submissions)
        })
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, {} passed, {} failed, {}, {}/{} points",
            words::count(self.submissions, "submission", "submissions"),
            self.passed,
            self.failed,
            words::count(self.errors, "error", "errors"),
            self.points,
            self.max_points
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::Verdict;

    /// A class graded with `sandbox` whose submissions ran in `ran`, one each.
    fn class(sandbox: &str, ran: &[&str]) -> ClassReport {
        let submissions = ran
            .iter()
            .enumerate()
            .map(|(index, ran)| StudentSubmission {
                student: format!("student-{index}"),
                report: SubmissionReport {
                    schema_version: SCHEMA_VERSION,
                    exercise: "echo".into(),
                    title: "Echo".into(),
                    file: None,
                    sandbox: (*ran).into(),
                    status: Status::Pass,
                    verdict: Verdict::Accepted,
                    points: 0,
                    max_points: 0,
                    passed: 0,
                    failed: 0,
                    not_run: 0,
                    load_error: None,
                    cases: Vec::new(),
                },
            })
            .collect();
        ClassReport::new(sandbox, None, submissions, Vec::new())
    }

    #[test]
    fn the_sandbox_named_is_the_one_that_ran() {
        assert_eq!(class("wasm", &[]).sandboxes(), "wasm sandbox");
        assert_eq!(class("wasm", &["wasm", "wasm"]).sandboxes(), "wasm sandbox");
        assert_eq!(
            class("wasm", &["subprocess"]).sandboxes(),
            "subprocess sandbox"
        );
        assert_eq!(
            class("wasm", &["wasm", "subprocess", "wasm"]).sandboxes(),
            "wasm sandbox (1 submission in the subprocess sandbox)"
        );
        assert_eq!(
            class("wasm", &["subprocess", "wasm", "subprocess"]).sandboxes(),
            "wasm sandbox (2 submissions in the subprocess sandbox)"
        );
        // A merged report naming a sandbox none of its submissions ran in.
        assert_eq!(
            class("other", &["subprocess", "wasm", "subprocess"]).sandboxes(),
            "subprocess sandbox (1 submission in the wasm sandbox)"
        );
    }
}
