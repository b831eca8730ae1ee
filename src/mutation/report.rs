//! The human report of mutation testing: per exercise, the score and every surviving mutant
//! with the line it changed; then a table of scores.

use std::fmt::Write;

use crate::authoring::lint::Finding;
use crate::exercise::Exercise;
use crate::style::{BOLD, DIM, GREEN, RED, YELLOW, paint, verdict_style};

use super::score::{ExerciseMutants, Fate};

/// Lines of a changed statement shown before eliding the rest.
const LINES_SHOWN: usize = 3;

/// One exercise's section, and whether it passes (`min_score`, no grader errors).
pub fn exercise_section(
    exercise: &Exercise,
    result: &Result<ExerciseMutants, String>,
    min_score: Option<u8>,
) -> (String, bool) {
    let mut text = String::new();
    let mutants = match result {
        Ok(mutants) => mutants,
        Err(error) => {
            let _ = writeln!(
                text,
                "{}\n  {} {error}",
                paint(RED.bold(), &exercise.id),
                paint(RED, "✗")
            );
            return (text, false);
        }
    };
    let below = min_score.is_some_and(|min| !mutants.meets(min));
    let ok = !below && mutants.errors() == 0;
    let heading = if ok {
        paint(BOLD, &exercise.id)
    } else {
        paint(RED.bold(), &exercise.id)
    };
    let _ = writeln!(text, "{heading}  {}", score_line(mutants));
    for tested in &mutants.tested {
        match &tested.fate {
            Fate::Survived => {
                let _ = writeln!(
                    text,
                    "  {} survived {}  line {}  {}",
                    paint(RED, "✗"),
                    paint(BOLD, &tested.mutant.id),
                    tested.mutant.line,
                    paint(DIM, &tested.mutant.operator)
                );
                let _ = write!(
                    text,
                    "{}",
                    change(&tested.mutant.before, &tested.mutant.after)
                );
            }
            Fate::Error(message) => {
                let _ = writeln!(
                    text,
                    "  {} mutant {} (line {}) could not be judged: {message}",
                    paint(RED, "✗"),
                    tested.mutant.id,
                    tested.mutant.line
                );
            }
            Fate::Caught { .. } | Fate::Equivalent => {}
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
    if let Some(min) = min_score
        && below
    {
        let _ = writeln!(
            text,
            "  {} the score is below {min}%: add cases that catch the mutants above, or mark \
             the ones that behave exactly like the reference as [[equivalent]]",
            paint(RED, "✗")
        );
    }
    for finding in findings(exercise, mutants) {
        let _ = writeln!(text, "  {} {}", paint(YELLOW, "!"), finding.message);
        if let Some(help) = finding.help {
            let _ = writeln!(text, "      {}", paint(DIM, help));
        }
    }
    (text, ok)
}

/// `-    old line` / `+    new line`, indented under the mutant.
fn change(before: &str, after: &str) -> String {
    let mut text = String::new();
    for (sign, style, body) in [("-", RED, before), ("+", GREEN, after)] {
        let lines: Vec<&str> = body.lines().collect();
        for line in lines.iter().take(LINES_SHOWN) {
            let _ = writeln!(text, "      {}", paint(style, format!("{sign} {line}")));
        }
        if lines.len() > LINES_SHOWN {
            let _ = writeln!(
                text,
                "      {}",
                paint(DIM, format!("  … {} more lines", lines.len() - LINES_SHOWN))
            );
        }
    }
    text
}

/// `score 95.2%: 60 of 63 mutants caught, 1 equivalent, 2 survived`.
pub fn score_line(mutants: &ExerciseMutants) -> String {
    let total = mutants.tested.len();
    let mut parts = vec![format!("{} of {total} mutants caught", mutants.caught())];
    if mutants.equivalent() > 0 {
        parts.push(format!("{} equivalent", mutants.equivalent()));
    }
    if mutants.survived() > 0 {
        parts.push(format!("{} survived", mutants.survived()));
    }
    if mutants.errors() > 0 {
        parts.push(format!("{} not judged", mutants.errors()));
    }
    let score = match mutants.score() {
        Some(score) if mutants.survived() == 0 => paint(GREEN, format!("{score:.1}%")),
        Some(score) => paint(
            verdict_style(crate::grade::Verdict::WrongAnswer),
            format!("{score:.1}%"),
        ),
        None => "n/a".to_string(),
    };
    format!("mutation score {score} ({})", parts.join(", "))
}

/// Warnings about the test set that mutants reveal, and about stale `[[equivalent]]` entries.
pub fn findings(exercise: &Exercise, mutants: &ExerciseMutants) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Mutants that only hidden cases catch, grouped by the case that catches them.
    let mut by_case: Vec<(usize, Vec<usize>)> = Vec::new();
    for tested in &mutants.tested {
        if let Some(case) = tested.hidden_catch {
            match by_case.iter_mut().find(|(c, _)| *c == case) {
                Some((_, lines)) => lines.push(tested.mutant.line),
                None => by_case.push((case, vec![tested.mutant.line])),
            }
        }
    }
    for (case, mut lines) in by_case {
        lines.sort_unstable();
        lines.dedup();
        let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
        findings.push(Finding {
            severity: crate::exercise::diagnostic::Severity::Warning,
            message: format!(
                "hidden case `{}` is the only one that catches mutants of line{} {}",
                exercise.cases[case].name,
                if lines.len() == 1 { "" } else { "s" },
                lines.join(", ")
            ),
            help: Some(
                "no visible case shows learners what it checks: add one that does".to_string(),
            ),
        });
    }
    for entry in &mutants.stale {
        findings.push(Finding {
            severity: crate::exercise::diagnostic::Severity::Warning,
            message: format!(
                "`[[equivalent]]` names mutant `{}` (line {} of the file), which is no longer generated",
                entry.id, entry.line
            ),
            help: Some("the reference changed: remove the entry".to_string()),
        });
    }
    for (entry, case) in &mutants.caught_equivalents {
        findings.push(Finding {
            severity: crate::exercise::diagnostic::Severity::Warning,
            message: format!(
                "mutant `{}` is marked equivalent, but case `{}` catches it",
                entry.id, exercise.cases[*case].name
            ),
            help: Some("it is not equivalent: remove the `[[equivalent]]` entry".to_string()),
        });
    }
    findings
}

/// The closing table: one line per exercise.
pub fn score_table(rows: &[(&Exercise, &Result<ExerciseMutants, String>)]) -> String {
    let width = rows
        .iter()
        .map(|(exercise, _)| exercise.id.len())
        .max()
        .unwrap_or(0);
    let mut text = format!("{}\n", paint(BOLD, "Mutation scores"));
    for (exercise, result) in rows {
        let line = match result {
            Ok(mutants) => {
                let score = mutants
                    .score()
                    .map_or_else(|| "n/a".to_string(), |score| format!("{score:.1}%"));
                format!(
                    "{score:>6}  {:>3} caught, {:>2} survived, {:>2} equivalent, of {:>3} mutants",
                    mutants.caught(),
                    mutants.survived(),
                    mutants.equivalent(),
                    mutants.tested.len()
                )
            }
            Err(_) => "not tested".to_string(),
        };
        let _ = writeln!(text, "  {:width$}  {line}", exercise.id);
    }
    text
}
