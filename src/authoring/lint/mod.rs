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

use crate::exercise::allow::{self, Lint, Scope};
use crate::exercise::diagnostic::Severity;
use crate::exercise::{Case, Exercise};
use crate::grade::{CaseOutcome, Verdict};

/// One thing lint found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
}

/// A finding, with the lint that made it and what it is about when an `allow` can silence it
/// (errors cannot be silenced).
pub(super) struct Flagged {
    allowable: Option<(Lint, Scope)>,
    finding: Finding,
}

impl Flagged {
    pub(super) fn warning(
        lint: Lint,
        subject: Scope,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Flagged {
        let help = format!(
            "{}; if it is on purpose, say why with `allow = [{{ lint = \"{}\", reason = \"...\" }}]`",
            help.into(),
            lint.as_str()
        );
        Flagged {
            allowable: Some((lint, subject)),
            finding: Finding {
                severity: Severity::Warning,
                message: message.into(),
                help: Some(help),
            },
        }
    }

    pub(super) fn error(message: impl Into<String>, help: impl Into<String>) -> Flagged {
        Flagged {
            allowable: None,
            finding: Finding {
                severity: Severity::Error,
                message: message.into(),
                help: Some(help.into()),
            },
        }
    }
}

/// The findings the exercise's `allow` entries do not silence.
fn unless_allowed(exercise: &Exercise, flagged: Vec<Flagged>) -> Vec<Finding> {
    flagged
        .into_iter()
        .filter(|flagged| match &flagged.allowable {
            Some((lint, subject)) => !allow::allows(&exercise.allowed, *lint, subject),
            None => true,
        })
        .map(|flagged| flagged.finding)
        .collect()
}

/// Findings that need nothing but the exercise.
pub(crate) fn static_findings(exercise: &Exercise) -> Vec<Finding> {
    let mut findings = same_input::findings(exercise);
    findings.extend(prompt_calls::findings(exercise));
    if exercise.prompt.contains("TODO") || exercise.title.contains("TODO") {
        findings.push(Flagged::warning(
            Lint::Todo,
            Scope::Exercise,
            "the prompt still says `TODO`",
            "finish writing it: the prompt is all a learner has to go on",
        ));
    }
    unless_allowed(exercise, findings)
}

/// Findings about how the exercise's programs ran: `reference[case]`, and for each wrong
/// solution `wrongs[wrong][case]`.
pub(crate) fn run_findings(
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
            findings.push(Flagged::warning(
                Lint::HiddenOnly,
                Scope::Wrong(wrong.name.clone()),
                finding.message,
                finding.help.unwrap_or_default(),
            ));
        }
    }
    unless_allowed(exercise, findings)
}

/// Verdicts that say something is wrong with what a program does (not how fast or how big it
/// is, which a hidden timed case is a fine place to check).
pub(crate) fn shows_behaviour(verdict: Verdict) -> bool {
    matches!(verdict, Verdict::WrongAnswer | Verdict::RuntimeError)
}

/// A warning when every case in `catchers` is hidden: learners who make this mistake never see
/// an example of it.
pub(crate) fn hidden_only(catchers: &[&Case], what: &str) -> Option<Finding> {
    if catchers.is_empty() || catchers.iter().any(|case| !case.hidden) {
        return None;
    }
    let names = quoted(catchers.iter().map(|case| case.name.as_str()));
    Some(Finding {
        severity: Severity::Warning,
        message: format!("{what} is caught only by hidden cases ({names})"),
        help: Some(
            "a learner who makes this mistake sees no example of it: make one of those cases \
             visible, or add a visible case that shows it"
                .to_string(),
        ),
    })
}

fn quoted<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercise::{Catalogue, CatalogueSource};

    /// The shipped exercises' files: every warning that needs no run is fixed or allowed with
    /// a reason (the ones that need runs are checked by `kata validate`'s integration test).
    #[test]
    fn the_catalogue_has_no_static_findings() {
        let source = CatalogueSource::Directory(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises"),
        );
        let catalogue = Catalogue::load(source).unwrap();
        assert!(catalogue.invalid.is_empty(), "{:?}", catalogue.invalid);
        let found: Vec<String> = catalogue
            .exercises
            .iter()
            .flat_map(|exercise| {
                static_findings(exercise)
                    .into_iter()
                    .map(move |finding| format!("{}: {}", exercise.id, finding.message))
            })
            .collect();
        assert!(found.is_empty(), "{}", found.join("\n"));
    }
}
