//! JUnit XML (via quick-junit), as Jenkins, GitLab and GitHub's test reporters read it.
//!
//! One `<testsuite>` per submission, named `student exercise`, with the submission's `file`
//! (relative to the class directory), a `timestamp` and a `time`; one `<testcase>` per case,
//! whose `classname` is `student.exercise`. Every consumer builds its titles from classname,
//! name or suite, so each failure names its student and exercise wherever it is shown, and
//! Jenkins reads `student.exercise` as package and class. A failing case is a `<failure>` (an
//! `<error>` when kata itself failed); visible cases carry their message and diff, hidden ones
//! their verdict only. Files that could not be graded are `<skipped>` cases of a suite of their
//! own, so they show up without failing the build. Cases not run are `<skipped>`; a submission
//! that did not load gets one more case, first in its suite, whose `<failure>` is its error
//! (a failure, not an `<error>`: `<error>` is kept for kata's own).
//!
//! The file validates against Jenkins' `junit-10.xsd` (the test suite checks it). quick-junit
//! writes two things that schema or XML parsers get wrong, so its output goes through
//! [`conform`]: it puts `skipped` on `<testsuites>` (the schema allows it only on suites), and
//! it leaves line breaks raw inside attributes, where every parser reads them as spaces.
//!
//! Student-controlled text has its control characters shown as escapes (XML 1.0 cannot carry
//! most of them at all); messages keep their line breaks, written as character references.

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, FixedOffset, Utc};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::{Reader, Writer};

use super::class::{ClassReport, StudentSubmission};
use super::escape::{visible_block, visible_line};
use super::model::{CaseReport, Status};

/// The report, with every suite stamped now.
pub fn render(class: &ClassReport) -> String {
    render_at(class, SystemTime::now())
}

/// The report, with every suite stamped `at` (when the report is written: a merged report
/// has no single grading time).
pub fn render_at(class: &ClassReport, at: SystemTime) -> String {
    // Whole milliseconds: the schema's timestamp is a string, but consumers parse RFC 3339.
    let stamp: DateTime<FixedOffset> = DateTime::<Utc>::from(at).fixed_offset();
    let mut report = Report::new("kata");
    let mut total = Duration::ZERO;
    for submission in &class.submissions {
        let suite = submission_suite(submission, stamp);
        total += suite.time.unwrap_or_default();
        report.add_test_suite(suite);
    }
    if !class.problems.is_empty() {
        let mut suite = TestSuite::new("files not graded");
        suite.set_timestamp(stamp).set_time(Duration::ZERO);
        for problem in &class.problems {
            let mut status = TestCaseStatus::skipped();
            status.set_message(visible_block(&problem.message));
            let mut case = TestCase::new(visible_line(&problem.path), status);
            case.set_classname("not graded").set_time(Duration::ZERO);
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.set_time(total);
    let xml = report
        .to_string()
        .expect("a JUnit report always serialises");
    conform(&xml)
}

fn submission_suite(submission: &StudentSubmission, stamp: DateTime<FixedOffset>) -> TestSuite {
    let student = visible_line(&submission.student);
    let exercise = visible_line(&submission.report.exercise);
    let mut suite = TestSuite::new(format!("{student} {exercise}"));
    if let Some(file) = &submission.report.file {
        suite.extra.insert(
            "file".into(),
            visible_line(&relative_to_class(file, &submission.student)).into(),
        );
    }
    // Hidden cases have no time (it would be a channel out for their inputs): they say 0, a
    // constant, because consumers show a missing time as NaN. The suite's time is that of its
    // visible cases.
    let mut time = Duration::ZERO;
    if let Some(error) = &submission.report.load_error {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status.set_type(error.kind.as_str());
        let place = match (error.line, error.column) {
            (Some(line), Some(column)) => format!(" (line {line}, column {column})"),
            (Some(line), None) => format!(" (line {line})"),
            _ => String::new(),
        };
        status.set_message(visible_block(&format!("{}{place}", error.message)));
        if let Some(traceback) = &error.traceback {
            status.set_description(visible_block(traceback));
        }
        let mut test_case = TestCase::new("the submission loads", status);
        test_case
            .set_classname(format!("{student}.{exercise}"))
            .set_time(Duration::ZERO);
        suite.add_test_case(test_case);
    }
    for case in &submission.report.cases {
        let mut test_case = TestCase::new(visible_line(&case.name), status(case));
        test_case.set_classname(format!("{student}.{exercise}"));
        let case_time = Duration::from_millis(case.time_ms.unwrap_or(0));
        test_case.set_time(case_time);
        time += case_time;
        suite.add_test_case(test_case);
    }
    suite.set_timestamp(stamp).set_time(time);
    suite
}

/// The submission's path from the student's folder on: reports name files as they were given
/// (`my-class/ben/lru_cache.py`), and the student's folder is the first one under the class
/// directory.
fn relative_to_class<'a>(file: &'a str, student: &str) -> Cow<'a, str> {
    let normalised = file.replace('\\', "/");
    let parts: Vec<&str> = normalised.split('/').collect();
    match parts.iter().position(|part| *part == student) {
        Some(index) => Cow::Owned(parts[index..].join("/")),
        None => Cow::Borrowed(file),
    }
}

fn status(case: &CaseReport) -> TestCaseStatus {
    if let Some(not_run) = case.not_run {
        let mut status = TestCaseStatus::skipped();
        status.set_message(format!("not run: {}", not_run.explain()));
        return status;
    }
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
            status.set_message(visible_block(
                details
                    .message
                    .as_deref()
                    .unwrap_or_else(|| case.verdict.label()),
            ));
            let mut text = String::new();
            if let Some(input) = &details.input {
                text.push_str(&format!("input: {input}\n"));
            }
            if let Some(growth) = &case.growth {
                text.push_str(&format!("growth: {}\n", super::growth::summary(growth)));
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

/// quick-junit's XML, made valid for Jenkins' schema and read alike by every parser: no
/// `skipped` on `<testsuites>`, and line breaks and tabs in attribute values written as
/// character references (raw, XML's attribute normalisation turns them into spaces). A
/// streaming rewrite of the parsed events: text and structure pass through untouched.
fn conform(xml: &str) -> String {
    let mut reader = Reader::from_str(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 64));
    loop {
        let event = reader
            .read_event()
            .expect("quick-junit writes well-formed XML");
        let event = match event {
            Event::Eof => break,
            Event::Start(tag) => Event::Start(conform_tag(&tag)),
            Event::Empty(tag) => Event::Empty(conform_tag(&tag)),
            other => other,
        };
        writer
            .write_event(event)
            .expect("writing to memory cannot fail");
    }
    String::from_utf8(writer.into_inner()).expect("quick-junit writes UTF-8")
}

fn conform_tag(tag: &BytesStart<'_>) -> BytesStart<'static> {
    let name = tag.name();
    let mut out = BytesStart::new(String::from_utf8_lossy(name.as_ref()).into_owned());
    for attribute in tag.attributes() {
        let attribute = attribute.expect("quick-junit writes well-formed attributes");
        if name.as_ref() == b"testsuites" && attribute.key.as_ref() == b"skipped" {
            continue;
        }
        // The value is still escaped as quick-junit wrote it; only raw breaks need encoding.
        let mut value = Vec::with_capacity(attribute.value.len());
        for &byte in attribute.value.iter() {
            match byte {
                b'\n' => value.extend_from_slice(b"&#10;"),
                b'\r' => value.extend_from_slice(b"&#13;"),
                b'\t' => value.extend_from_slice(b"&#9;"),
                byte => value.push(byte),
            }
        }
        out.push_attribute(Attribute {
            key: QName(attribute.key.as_ref()),
            value: Cow::Owned(value),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_growth_case_says_how_its_cost_grew() {
        use crate::report::fixtures;
        let class = fixtures::class_with_a_growth_case();
        let xml = render(&class);
        assert!(
            xml.contains(
                "growth: cost grows like n^2.0 between n = 100 and n = 400 (cpu-time); \
                 allowed: n (up to n^1.5)"
            ),
            "{xml}"
        );
    }

    #[test]
    fn paths_start_at_the_students_folder() {
        assert_eq!(
            relative_to_class("my-class/ben/lru_cache.py", "ben"),
            "ben/lru_cache.py"
        );
        assert_eq!(relative_to_class("ben/sub/x.py", "ben"), "ben/sub/x.py");
        assert_eq!(relative_to_class("elsewhere.py", "ben"), "elsewhere.py");
    }

    #[test]
    fn conforming_drops_skipped_from_testsuites_and_encodes_breaks() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kata\" tests=\"1\" skipped=\"0\">\n<testsuite name=\"s\" skipped=\"0\"><testcase name=\"a\"><failure message=\"one\ntwo\tthree &amp; four\">body\nline</failure></testcase></testsuite>\n</testsuites>\n";
        let out = conform(xml);
        assert!(
            out.contains("<testsuites name=\"kata\" tests=\"1\">"),
            "{out}"
        );
        assert!(
            out.contains("<testsuite name=\"s\" skipped=\"0\">"),
            "{out}"
        );
        assert!(
            out.contains("message=\"one&#10;two&#9;three &amp; four\""),
            "{out}"
        );
        assert!(out.contains(">body\nline</failure>"), "{out}");
    }
}
