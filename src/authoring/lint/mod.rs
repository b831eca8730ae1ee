//! Lint: exercises that load and pass but are weaker or more confusing than they should be.
//!
//! Findings are warnings (the exercise is still valid) unless they mean the exercise is wrong,
//! in which case they are errors and `kata validate` fails it. `docs/authoring.md` lists them.
//! Two cases with the same name are already an error of the loader.
//!
//! - [`static_findings`] need only the file: cases that run the same thing, calls in the prompt
//!   the starter does not define, `TODO` left in the prompt;
//! - [`run_findings`] need the reference's and the wrong solutions' runs: limits far above what
//!   the reference needs, wrong solutions only hidden cases catch.

mod limits;
mod prompt_calls;
mod same_input;

use crate::exercise::diagnostic::Severity;
use crate::exercise::{Case, Exercise};
use crate::grade::{CaseOutcome, Verdict};

/// One thing lint found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
}

impl Finding {
    pub(super) fn warning(message: impl Into<String>, help: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Warning,
            message: message.into(),
            help: Some(help.into()),
        }
    }

    pub(super) fn error(message: impl Into<String>, help: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Error,
            ..Finding::warning(message, help)
        }
    }
}

/// Findings that need nothing but the exercise.
pub fn static_findings(exercise: &Exercise) -> Vec<Finding> {
    let mut findings = same_input::findings(exercise);
    findings.extend(prompt_calls::findings(exercise));
    if exercise.prompt.contains("TODO") || exercise.title.contains("TODO") {
        findings.push(Finding::warning(
            "the prompt still says `TODO`",
            "finish writing it: the prompt is all a learner has to go on",
        ));
    }
    findings
}

/// Findings about how the exercise's programs ran: `reference[case]`, and for each wrong
/// solution `wrongs[wrong][case]`.
pub fn run_findings(
    exercise: &Exercise,
    reference: &[&CaseOutcome],
    wrongs: &[Vec<&CaseOutcome>],
) -> Vec<Finding> {
    let mut findings = limits::findings(exercise, reference);
    for (wrong, outcomes) in exercise.wrong_solutions.iter().zip(wrongs) {
        let catchers: Vec<&Case> = exercise
            .cases
            .iter()
            .zip(outcomes)
            .filter(|(_, outcome)| shows_behaviour(outcome.verdict))
            .map(|(case, _)| case)
            .collect();
        if let Some(finding) = hidden_only(&catchers, &format!("wrong `{}`", wrong.name)) {
            findings.push(finding);
        }
    }
    findings
}

/// Verdicts that say something is wrong with what a program does (not how fast or how big it
/// is, which a hidden timed case is a fine place to check).
pub fn shows_behaviour(verdict: Verdict) -> bool {
    matches!(verdict, Verdict::WrongAnswer | Verdict::RuntimeError)
}

/// A warning when every case in `catchers` is hidden: learners who make this mistake never see
/// an example of it.
pub fn hidden_only(catchers: &[&Case], what: &str) -> Option<Finding> {
    if catchers.is_empty() || catchers.iter().any(|case| !case.hidden) {
        return None;
    }
    let names = quoted(catchers.iter().map(|case| case.name.as_str()));
    Some(Finding::warning(
        format!("{what} is caught only by hidden cases ({names})"),
        "a learner who makes this mistake sees no example of it: make one of those cases \
         visible, or add a visible case that shows it",
    ))
}

fn quoted<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
