//! The proof model for people: a line per check (`✓` or `✗`), then the lint findings; and with
//! `--mutants`, each exercise's section of mutation testing.

use std::fmt::Write;

use super::{Caught, ExerciseProof, Problem, Proven};
use crate::exercise::diagnostic::Severity;
use crate::mutation::report::{change, score_line};
use crate::mutation::score::ExerciseMutants;
use crate::style::{BOLD, DIM, GREEN, RED, YELLOW, paint, verdict_style};
use crate::units;
use crate::words::count;

/// Failing cases of a reference solution described in full.
const REFERENCE_FAILURES_SHOWN: usize = 3;

/// The heading, a line per check and the findings of one validated exercise.
pub(crate) fn exercise(proof: &ExerciseProof) -> String {
    let mut lines = String::new();
    for check in &proof.checks {
        let (mark, text) = match check {
            Ok(proven) => (paint(GREEN, "✓"), proven_text(proven)),
            Err(problem) => (paint(RED, "✗"), problem_text(problem)),
        };
        let _ = writeln!(lines, "  {mark} {text}");
    }
    for finding in &proof.findings {
        lines.push_str(&finding_text(finding));
    }
    let heading = if proof.has_errors() {
        format!(
            "{} {}",
            paint(RED.bold(), &proof.id),
            paint(DIM, &proof.origin)
        )
    } else {
        paint(BOLD, &proof.id)
    };
    format!("{heading}\n{lines}")
}

/// One exercise's section of mutation testing: its score, each surviving mutant with the line
/// it changed, and what else mutation testing found (`proof` after
/// [`ExerciseProof::add_mutants`]).
pub(crate) fn mutation_section(
    proof: &ExerciseProof,
    result: &Result<ExerciseMutants, String>,
) -> String {
    let mut text = String::new();
    let mutants = match result {
        Ok(mutants) => mutants,
        Err(error) => {
            let _ = writeln!(
                text,
                "{}\n  {} {error}",
                paint(RED.bold(), &proof.id),
                paint(RED, "✗")
            );
            return text;
        }
    };
    let failed = proof
        .mutation
        .iter()
        .any(|problem| problem.severity() == Severity::Error);
    let heading = if failed {
        paint(RED.bold(), &proof.id)
    } else {
        paint(BOLD, &proof.id)
    };
    let _ = writeln!(text, "{heading}  {}", score_line(mutants));
    for problem in &proof.mutation {
        match problem {
            Problem::SurvivingMutant {
                id,
                line,
                operator,
                before,
                after,
            } => {
                let _ = writeln!(
                    text,
                    "  {} survived {}  line {line}  {}",
                    paint(RED, "✗"),
                    paint(BOLD, id),
                    paint(DIM, operator)
                );
                text.push_str(&change(before, after));
            }
            Problem::MutantNotJudged { .. } => {
                let _ = writeln!(text, "  {} {}", paint(RED, "✗"), problem_text(problem));
            }
            _ => {}
        }
    }
    if mutants.survived() > 0 {
        let _ = writeln!(
            text,
            "      {}",
            paint(
                DIM,
                "each survivor is a change no case notices: add a case on which it gives another \
                 result, or if no input can, mark it [[equivalent]] by its id"
            )
        );
    }
    for problem in &proof.mutation {
        if let Problem::ScoreBelowMinimum { .. } = problem {
            let _ = writeln!(text, "  {} {}", paint(RED, "✗"), problem_text(problem));
        }
    }
    for problem in &proof.mutation {
        if problem.severity() == Severity::Warning
            && !matches!(problem, Problem::SurvivingMutant { .. })
        {
            text.push_str(&finding_text(problem));
        }
    }
    text
}

/// What to do about a warning of mutation testing.
fn mutation_help(problem: &Problem) -> Option<&'static str> {
    match problem {
        Problem::OnlyHiddenCaseCatches { .. } => {
            Some("no visible case shows learners what it checks: add one that does")
        }
        Problem::EquivalentUnknown { .. } => Some("the reference changed: remove the entry"),
        Problem::EquivalentCaught { .. } => {
            Some("it is not equivalent: remove the `[[equivalent]]` entry")
        }
        _ => None,
    }
}

/// `  ! warning` (or `  ✗ error`), then its help on the next line.
fn finding_text(finding: &Problem) -> String {
    let (message, help) = match finding {
        Problem::Lint { message, help, .. } => (message.clone(), help.as_deref()),
        other => (problem_text(other), mutation_help(other)),
    };
    let mark = match finding.severity() {
        Severity::Warning => paint(YELLOW, "!"),
        Severity::Error => paint(RED, "✗"),
    };
    let mut text = format!("  {mark} {message}\n");
    if let Some(help) = help {
        let _ = writeln!(text, "      {}", paint(DIM, help));
    }
    text
}

fn proven_text(proven: &Proven) -> String {
    match proven {
        Proven::ReferencePasses { cases: 1 } => "reference passes its one case".to_string(),
        Proven::ReferencePasses { cases } => format!("reference passes all {cases} cases"),
        Proven::StarterFails { rejected, cases } => {
            format!(
                "starter fails {rejected} of {}",
                count(*cases, "case", "cases")
            )
        }
        Proven::WrongCaught { wrong, caught_by } => {
            format!("wrong `{wrong}` caught by {}", caught_list(caught_by))
        }
    }
}

/// `case (verdict), case (verdict)`.
fn caught_list(caught: &[Caught]) -> String {
    caught
        .iter()
        .map(|caught| {
            format!(
                "{} ({})",
                caught.case,
                paint(verdict_style(caught.verdict), caught.verdict.as_str())
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A failed check, as its `✗` line (and the lines under it).
fn problem_text(problem: &Problem) -> String {
    match problem {
        Problem::ReferenceFails { cases, failing } => {
            let mut text = format!(
                "reference fails {} of {}:",
                failing.len(),
                count(*cases, "case", "cases")
            );
            for case in failing.iter().take(REFERENCE_FAILURES_SHOWN) {
                let _ = write!(
                    text,
                    "\n      {} {}",
                    case.case,
                    paint(verdict_style(case.verdict), case.verdict.as_str())
                );
                if let Some(message) = &case.message {
                    let _ = write!(text, ": {message}");
                }
                if let (Some(expected), Some(actual)) = (&case.expected, &case.actual) {
                    let _ = write!(
                        text,
                        "\n        expected: {}\n        actual:   {}",
                        expected.trim_end().replace('\n', "\n                  "),
                        actual.trim_end().replace('\n', "\n                  ")
                    );
                }
            }
            if failing.len() > REFERENCE_FAILURES_SHOWN {
                let _ = write!(
                    text,
                    "\n      … and {} more",
                    failing.len() - REFERENCE_FAILURES_SHOWN
                );
            }
            text
        }
        Problem::ReferenceFuelTight {
            share: (numerator, denominator),
            cases,
        } => {
            let tight: String = cases
                .iter()
                .map(|case| {
                    format!(
                        "\n      {}: {} of a budget of {} ({} of CPU)",
                        case.case,
                        units::fuel(case.fuel_used),
                        units::fuel(case.fuel_budget),
                        units::duration(std::time::Duration::from_millis(case.cpu_ms))
                    )
                })
                .collect();
            format!(
                "reference passes, but uses more than {numerator}/{denominator} of its fuel \
                 budget (raise cpu_ms, or make the case smaller):{tight}"
            )
        }
        Problem::StarterDoesNotCompile { message } => {
            format!("the starter does not compile: {message}")
        }
        Problem::StarterPasses => {
            "the starter passes every case: it gives the answer away".to_string()
        }
        Problem::WrongNotCaught { wrong } => {
            format!("wrong `{wrong}` passes every case: add a case that catches it")
        }
        Problem::WrongVerdict {
            wrong,
            expected,
            caught_by,
        } => format!(
            "wrong `{wrong}` should get {expected} from some case, but got: {}",
            caught_list(caught_by)
        ),
        Problem::WrongMissedBy {
            wrong,
            missed,
            caught_by,
        } => format!(
            "wrong `{wrong}` should be caught by {}, but passes it; caught by: {}",
            missed.join(", "),
            caught_list(caught_by)
        ),
        // Not checks of a run: `kata validate` shows diagnostics with their source lines and
        // mutation testing in its own section; these one-liners are for anything else.
        Problem::Diagnostic {
            code,
            message,
            line,
            ..
        } => match line {
            Some(line) => format!("line {line}: [{code}] {message}"),
            None => format!("[{code}] {message}"),
        },
        Problem::Lint { message, .. } => message.clone(),
        Problem::MutationFailed { message } => format!("mutation testing failed: {message}"),
        Problem::SurvivingMutant { id, line, .. } => format!("mutant {id} (line {line}) survived"),
        Problem::MutantNotJudged { id, line, message } => {
            format!("mutant {id} (line {line}) could not be judged: {message}")
        }
        Problem::ScoreBelowMinimum { min_score, .. } => format!(
            "the score is below {min_score}%: add cases that catch the mutants above, or mark \
             the ones that behave exactly like the reference as [[equivalent]]"
        ),
        Problem::OnlyHiddenCaseCatches { case, lines } => {
            let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
            format!(
                "hidden case `{case}` is the only one that catches mutants of line{} {}",
                if lines.len() == 1 { "" } else { "s" },
                lines.join(", ")
            )
        }
        Problem::EquivalentCaught { id, case, .. } => {
            format!("mutant `{id}` is marked equivalent, but case `{case}` catches it")
        }
        Problem::EquivalentUnknown { id, line } => format!(
            "`[[equivalent]]` names mutant `{id}` (line {line} of the file), which is no longer generated"
        ),
    }
}
