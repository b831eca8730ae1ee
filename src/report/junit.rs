//! JUnit XML (via quick-junit), as GitLab, Jenkins and GitHub test reporters read it: a test
//! suite per student, a test case per case of each exercise. A failing case is a `<failure>`
//! (an `<error>` when kata itself failed); visible cases carry their message and diff, hidden
//! ones their verdict only. Files that could not be graded are `<skipped>` cases of a suite of
//! their own, so they show up without failing the build.
//!
//! Student-controlled text has its control characters shown as escapes: XML 1.0 cannot carry
//! most of them at all, and a parser folds a newline in an attribute into a space.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::class::ClassReport;
use super::escape::{visible_block, visible_line};
use super::model::{CaseReport, Status};

pub fn render(class: &ClassReport) -> String {
    let mut report = Report::new("kata");
    let mut suites: Vec<TestSuite> = Vec::new();
    for submission in &class.submissions {
        if suites
            .last()
            .is_none_or(|suite| suite.name.as_str() != visible_line(&submission.student))
        {
            suites.push(TestSuite::new(visible_line(&submission.student)));
        }
        let suite = suites.last_mut().expect("just pushed");
        for case in &submission.report.cases {
            let mut test_case = TestCase::new(visible_line(&case.name), status(case));
            test_case.set_classname(visible_line(&submission.report.exercise));
            // Hidden cases have no time: it would be a channel out for their inputs.
            if let Some(time_ms) = case.time_ms {
                test_case.set_time(Duration::from_millis(time_ms));
            }
            suite.add_test_case(test_case);
        }
    }
    if !class.problems.is_empty() {
        let mut suite = TestSuite::new("files not graded");
        for problem in &class.problems {
            let mut status = TestCaseStatus::skipped();
            status.set_message(visible_line(&problem.message));
            suite.add_test_case(TestCase::new(visible_line(&problem.path), status));
        }
        suites.push(suite);
    }
    report.add_test_suites(suites);
    report
        .to_string()
        .expect("a JUnit report always serialises")
}

fn status(case: &CaseReport) -> TestCaseStatus {
    if case.verdict.is_accepted() {
        return TestCaseStatus::success();
    }
    let kind = if case.status == Status::Error {
        NonSuccessKind::Error
    } else {
        NonSuccessKind::Failure
    };
    let mut status = TestCaseStatus::non_success(kind);
    status.set_type(case.verdict.as_str());
    match &case.details {
        None => {
            status.set_message(format!("{} (hidden case)", case.verdict.label()));
        }
        Some(details) => {
            status.set_message(visible_line(
                details
                    .message
                    .as_deref()
                    .unwrap_or_else(|| case.verdict.label()),
            ));
            let mut text = String::new();
            if let Some(input) = &details.input {
                text.push_str(&format!("input: {input}\n"));
            }
            if let Some(diff) = &details.diff {
                text.push_str(&format!(
                    "compared: {}\n--- expected\n+++ actual\n{diff}",
                    case.comparator
                ));
            }
            if let Some(traceback) = &details.traceback {
                text.push_str(traceback);
                text.push('\n');
            }
            if !text.is_empty() {
                status.set_description(visible_block(&text));
            }
        }
    }
    status
}
