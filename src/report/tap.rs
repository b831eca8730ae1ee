//! TAP version 13: one test point per submission, with its cases as a subtest (the indented
//! form TAP 14 standardised, which TAP 13 consumers skip over). Failing visible cases carry a
//! YAML diagnostic block (verdict, message, expected, actual); hidden ones their verdict only.
//! Files that could not be graded are listed as comments. Cases not run are `# SKIP` points;
//! a submission that did not load carries its error once, in the YAML block of its own point.
//!
//! The header says 13 because widely used consumers (Perl's `prove`, TAP::Harness 3.44)
//! refuse a file that says 14. Every name a student chose goes through [`escape::tap`].

use std::fmt::Write;

use super::class::ClassReport;
use super::escape;
use super::model::{CaseReport, Status};

pub fn render(class: &ClassReport) -> String {
    let mut out = String::from("TAP version 13\n");
    for problem in &class.problems {
        let _ = writeln!(
            out,
            "# not graded: {}: {}",
            escape::tap(&problem.path),
            escape::tap(&problem.message)
        );
    }
    let _ = writeln!(out, "1..{}", class.submissions.len());
    for (index, submission) in class.submissions.iter().enumerate() {
        let report = &submission.report;
        let name = escape::tap(&format!("{} {}", submission.student, report.exercise));
        let _ = writeln!(out, "# Subtest: {name}");
        let _ = writeln!(out, "    1..{}", report.cases.len());
        for (case_index, case) in report.cases.iter().enumerate() {
            out.push_str(&case_point(case_index + 1, case));
        }
        let ok = if report.status == Status::Pass {
            "ok"
        } else {
            "not ok"
        };
        let _ = writeln!(
            out,
            "{ok} {} - {name} # {}/{} points",
            index + 1,
            report.points,
            report.max_points
        );
        if let Some(error) = &report.load_error {
            let yaml = |value: &str| serde_json::to_string(value).expect("strings serialise");
            out.push_str("  ---\n");
            let _ = writeln!(out, "  load_error: {}", yaml(error.kind.as_str()));
            let _ = writeln!(out, "  message: {}", yaml(&error.message));
            if let Some(file) = &report.file {
                let _ = writeln!(out, "  file: {}", yaml(file));
            }
            for (key, value) in [("line", error.line), ("column", error.column)] {
                if let Some(value) = value {
                    let _ = writeln!(out, "  {key}: {value}");
                }
            }
            if let Some(traceback) = &error.traceback {
                let _ = writeln!(out, "  traceback: {}", yaml(traceback));
            }
            out.push_str("  ...\n");
        }
    }
    out
}

fn case_point(number: usize, case: &CaseReport) -> String {
    let mut out = String::new();
    let ok = if case.verdict.is_accepted() {
        "ok"
    } else {
        "not ok"
    };
    if let Some(not_run) = case.not_run {
        // Skipped, not passed: the submission's own point says `not ok`.
        let _ = writeln!(
            out,
            "    ok {number} - {} # SKIP not run: {}",
            escape::tap(&case.name),
            not_run.explain()
        );
        return out;
    }
    let _ = writeln!(out, "    {ok} {number} - {}", escape::tap(&case.name));
    if case.verdict.is_accepted() {
        return out;
    }
    // YAML accepts JSON strings, which escape everything that could break the block.
    let yaml = |value: &str| serde_json::to_string(value).expect("strings serialise");
    out.push_str("      ---\n");
    let _ = writeln!(out, "      verdict: {}", case.verdict.as_str());
    let _ = writeln!(out, "      hidden: {}", case.hidden);
    if let Some(details) = &case.details {
        for (key, value) in [
            ("message", &details.message),
            ("input", &details.input),
            ("expected", &details.expected),
            ("actual", &details.actual),
            ("traceback", &details.traceback),
        ] {
            if let Some(value) = value {
                let _ = writeln!(out, "      {key}: {}", yaml(value));
            }
        }
    }
    if let Some(growth) = &case.growth {
        let _ = writeln!(
            out,
            "      growth: {}",
            yaml(&super::growth::summary(growth))
        );
    }
    out.push_str("      ...\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn a_growth_case_says_how_its_cost_grew() {
        let class = fixtures::class_with_a_growth_case();
        let tap = render(&class);
        assert!(
            tap.contains(
                "      growth: \"cost grows like n^2.0 between n = 100 and n = 400 (cpu-time); \
                 allowed: n (up to n^1.5)\"\n"
            ),
            "{tap}"
        );
    }
}
