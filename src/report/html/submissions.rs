//! Every submission with its failing cases (a visible case's diff behind a click), and the files
//! that could not be graded.

use std::fmt::Write;

use super::markup::{block, line, outcome, status_word};
use crate::grade::growth::Measurement;
use crate::report::class::{ClassReport, StudentSubmission};
use crate::report::growth;
use crate::report::model::{CaseDetails, CaseReport, LoadError, NotRun, Status};
use crate::words;

pub(super) fn submissions(out: &mut String, class: &ClassReport) {
    out.push_str("<section id=\"submissions\">\n<h2>Submissions</h2>\n");
    if class.submissions.is_empty() {
        out.push_str("<p class=\"note\">No submissions.</p>\n");
    }
    // Submissions are sorted by student; a heading starts each student's.
    let mut previous: Option<&str> = None;
    for (index, submission) in class.submissions.iter().enumerate() {
        if previous != Some(submission.student.as_str()) {
            let _ = writeln!(out, "<h3>{}</h3>", line(&submission.student));
            previous = Some(&submission.student);
        }
        article(out, index, submission);
    }
    out.push_str("</section>\n");
}

fn article(out: &mut String, index: usize, submission: &StudentSubmission) {
    let report = &submission.report;
    let (status, _) = status_word(report.status);
    let _ = writeln!(
        out,
        "<article id=\"s{index}\" class=\"{status}\">\n<h4><span class=\"badge {status}\">{}</span> \
         {} <span class=\"note\">{}</span> · {}/{} points</h4>",
        outcome(report),
        line(&report.exercise),
        line(&report.title),
        report.points,
        report.max_points
    );
    let cases = report.cases.len();
    let _ = write!(out, "<p class=\"note\">");
    if let Some(file) = &report.file {
        let _ = write!(out, "{} · ", line(file));
    }
    let passed = report
        .cases
        .iter()
        .filter(|c| c.verdict.is_accepted())
        .count();
    let _ = writeln!(
        out,
        "{passed} of {} passed · {} sandbox</p>",
        words::count(cases, "case", "cases"),
        line(&report.sandbox)
    );
    if let Some(error) = &report.load_error {
        load_error(out, error);
    }
    // Cases that ran and failed, one by one; those that did not run, counted by the reason.
    let failing: Vec<&CaseReport> = report
        .cases
        .iter()
        .filter(|case| !case.verdict.is_accepted() && case.not_run.is_none())
        .collect();
    let mut not_run: Vec<(NotRun, usize)> = Vec::new();
    for reason in report.cases.iter().filter_map(|case| case.not_run) {
        match not_run.iter_mut().find(|(seen, _)| *seen == reason) {
            Some((_, count)) => *count += 1,
            None => not_run.push((reason, 1)),
        }
    }
    if !failing.is_empty() || !not_run.is_empty() {
        out.push_str("<ul class=\"cases\">\n");
        for case in failing {
            case_item(out, case);
        }
        for (reason, count) in not_run {
            let _ = writeln!(
                out,
                "<li class=\"note\">{} not run: {}</li>",
                words::count(count, "case", "cases"),
                reason.explain()
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</article>\n");
}

/// Why the submission did not load, said once: the exception and where, with its traceback a
/// click away.
fn load_error(out: &mut String, error: &LoadError) {
    let place = match (error.line, error.column) {
        (Some(line), Some(column)) => format!(" (line {line}, column {column})"),
        (Some(line), None) => format!(" (line {line})"),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "<p class=\"load-error\"><strong>Did not load:</strong> {}{place}</p>",
        block(&error.message)
    );
    if let Some(traceback) = &error.traceback {
        let _ = writeln!(
            out,
            "<details><summary>traceback</summary><pre>{}</pre></details>",
            block(traceback)
        );
    }
}

/// A case that was not accepted: a visible one opens onto what went wrong; a hidden one says
/// its verdict and nothing more.
fn case_item(out: &mut String, case: &CaseReport) {
    let class = if case.status == Status::Error {
        "verdict error"
    } else {
        "verdict"
    };
    let mark = if case.status == Status::Error {
        "⚠"
    } else {
        "✗"
    };
    let verdict = format!(
        "<span class=\"{class}\">{mark} {}</span>",
        case.verdict.label()
    );
    // A report read back from JSON has empty details where the model had none.
    match (&case.details, case.hidden) {
        (Some(details), false) if *details != CaseDetails::default() => {
            let _ = writeln!(
                out,
                "<li><details><summary>{verdict} {}</summary>",
                line(&case.name)
            );
            case_details(out, details, case.growth.as_ref());
            out.push_str("</details></li>\n");
        }
        _ => {
            let _ = writeln!(
                out,
                "<li>{verdict} {}{}</li>",
                line(&case.name),
                if case.hidden {
                    " <span class=\"hidden-case\">hidden case: verdict only</span>"
                } else {
                    ""
                }
            );
        }
    }
}

fn case_details(out: &mut String, details: &CaseDetails, growth: Option<&Measurement>) {
    out.push_str("<dl>\n");
    if let Some(message) = &details.message {
        let _ = writeln!(
            out,
            "<dt>what went wrong</dt><dd class=\"message\">{}</dd>",
            block(message)
        );
    }
    if let Some(growth) = growth {
        let _ = writeln!(
            out,
            "<dt>growth</dt><dd>{}<br>{}</dd>",
            line(&growth::summary(growth)),
            growth::svg(growth)
        );
    }
    if let Some(input) = &details.input {
        let _ = writeln!(out, "<dt>input</dt><dd><pre>{}</pre></dd>", block(input));
    }
    match &details.diff {
        Some(diff) => {
            out.push_str(
                "<dt>diff <span class=\"note\">(- expected, + actual)</span></dt><dd><pre>",
            );
            for text in diff.lines() {
                let kind = if text.starts_with("- ") {
                    "exp"
                } else if text.starts_with("+ ") {
                    "act"
                } else {
                    ""
                };
                // The line breaks stay in the text, so that a copied diff keeps its lines.
                if kind.is_empty() {
                    let _ = writeln!(out, "{}", block(text));
                } else {
                    let _ = writeln!(out, "<span class=\"{kind}\">{}</span>", block(text));
                }
            }
            out.push_str("</pre></dd>\n");
        }
        None => {
            for (label, text) in [("expected", &details.expected), ("actual", &details.actual)] {
                if let Some(text) = text {
                    let _ = writeln!(out, "<dt>{label}</dt><dd><pre>{}</pre></dd>", block(text));
                }
            }
        }
    }
    if details.whitespace_only {
        out.push_str("<dt>note</dt><dd>only whitespace differs</dd>\n");
    }
    let labelled = [
        ("note", &details.note),
        ("traceback", &details.traceback),
        ("printed (stdout)", &details.stdout),
        ("stderr", &details.stderr),
    ];
    for (label, text) in labelled {
        if let Some(text) = text {
            let _ = writeln!(out, "<dt>{label}</dt><dd><pre>{}</pre></dd>", block(text));
        }
    }
    out.push_str("</dl>\n");
}

pub(super) fn not_graded(out: &mut String, class: &ClassReport) {
    if class.problems.is_empty() {
        return;
    }
    out.push_str(
        "<section id=\"not-graded\">\n<h2>Not graded</h2>\n<table>\n<thead><tr>\
         <th scope=\"col\">file</th><th scope=\"col\">why</th></tr></thead>\n<tbody>\n",
    );
    for problem in &class.problems {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td></tr>",
            line(&problem.path),
            line(&problem.message)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}
