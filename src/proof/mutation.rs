//! The policy for mutation testing's results: which mutants are problems, and which
//! `[[equivalent]]` entries and hidden cases deserve a warning.

use super::Problem;
use crate::exercise::Exercise;
use crate::mutation::score::{ExerciseMutants, Fate};

/// What mutation testing found in one exercise.
pub(super) fn problems(
    exercise: &Exercise,
    result: &Result<ExerciseMutants, String>,
    min_score: Option<u8>,
) -> Vec<Problem> {
    let mutants = match result {
        Ok(mutants) => mutants,
        Err(message) => {
            return vec![Problem::MutationFailed {
                message: message.clone(),
            }];
        }
    };
    let mut problems = Vec::new();
    for tested in &mutants.tested {
        let mutant = &tested.mutant;
        match &tested.fate {
            Fate::Survived => problems.push(Problem::SurvivingMutant {
                id: mutant.id.clone(),
                line: mutant.line,
                operator: mutant.operator.clone(),
                before: mutant.before.clone(),
                after: mutant.after.clone(),
            }),
            Fate::Error(message) => problems.push(Problem::MutantNotJudged {
                id: mutant.id.clone(),
                line: mutant.line,
                message: message.clone(),
            }),
            Fate::Caught { .. } | Fate::Equivalent => {}
        }
    }
    if let Some(min_score) = min_score
        && !mutants.meets(min_score)
    {
        problems.push(Problem::ScoreBelowMinimum {
            score: mutants.score(),
            min_score,
        });
    }
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
        problems.push(Problem::OnlyHiddenCaseCatches {
            case: exercise.cases[case].name.clone(),
            lines,
        });
    }
    for entry in &mutants.stale {
        problems.push(Problem::EquivalentUnknown {
            id: entry.id.clone(),
            line: entry.line,
        });
    }
    for (entry, case) in &mutants.caught_equivalents {
        problems.push(Problem::EquivalentCaught {
            id: entry.id.clone(),
            line: entry.line,
            case: exercise.cases[*case].name.clone(),
        });
    }
    problems
}
