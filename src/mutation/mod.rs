//! Mutation testing of an exercise's test set (`kata validate --mutants`).
//!
//! A test set is only as good as the wrong programs it rejects. Known-wrong solutions cover the
//! mistakes an author thought of; mutants cover the ones nobody did: small deliberate bugs in the
//! reference (a `<` that became `<=`, a constant off by one, a dropped statement, ...). Each
//! mutant is graded like a submission, by the normal judge; one that every case accepts is a
//! case the author is missing, or a mutant that behaves exactly like the reference (which the
//! author marks `[[equivalent]]` in the file, with a reason).
//!
//! - [`generate`]: `sandbox/mutants.py`, run in the sandbox, proposes text edits; the host
//!   applies and names them;
//! - [`score`]: what became of each mutant, and the exercise's mutation score;
//! - [`report`]: the survivors, with the lines they changed, and the scores;
//! - this module: generating and grading every exercise's mutants in one queue.

pub mod generate;
pub(crate) mod report;
pub(crate) mod score;

use crate::exercise::Exercise;
use crate::runner::{Program, Runner};
use crate::session::{self, Event, Submission};

pub use score::{ExerciseMutants, Fate, Tested};

/// One mutant of a reference solution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutant {
    /// Eight hexadecimal digits; what `[[equivalent]]` entries name.
    pub id: String,
    /// The kind of change, e.g. `compare-boundary` or `drop-statement`.
    pub operator: String,
    /// The 1-based line of the reference where the change starts.
    pub line: usize,
    /// The whole mutated program.
    pub source: String,
    /// The reference's lines the change touches, and what they become.
    pub before: String,
    pub after: String,
}

impl Mutant {
    /// The mutant that replaces bytes `start..end` of `reference` with `replacement`; `None` if
    /// that range is not inside the text on character boundaries.
    pub fn from_edit(
        reference: &str,
        operator: &str,
        start: usize,
        end: usize,
        replacement: &str,
    ) -> Option<Mutant> {
        if start > end {
            return None;
        }
        let head = reference.get(..start)?;
        let tail = reference.get(end..)?;
        let source = format!("{head}{replacement}{tail}");
        let line_start = head.rfind('\n').map_or(0, |at| at + 1);
        let line_end = end + tail.find('\n').unwrap_or(tail.len());
        let mutated_end = line_end + replacement.len() + start - end;
        Some(Mutant {
            id: String::new(),
            operator: operator.to_string(),
            line: head.matches('\n').count() + 1,
            before: reference[line_start..line_end].to_string(),
            after: source[line_start..mutated_end].to_string(),
            source,
        })
    }
}

/// Generates and grades the mutants of each exercise's reference, `jobs` runs at a time, and
/// calls `progress(decided, total)` as mutants are decided. Each exercise's reference must pass
/// all its cases (a mutant of a failing reference proves nothing).
pub async fn test_exercises<R: Runner>(
    runner: &R,
    exercises: &[&Exercise],
    jobs: usize,
    mut progress: impl FnMut(usize, usize),
) -> Vec<Result<ExerciseMutants, String>> {
    use futures_util::StreamExt;

    let generated: Vec<_> = futures_util::stream::iter(
        exercises
            .iter()
            .map(|exercise| generate::generate(runner, &exercise.reference)),
    )
    .buffered(jobs.max(1))
    .collect()
    .await;

    // Visible cases first: when a hidden case is the first to catch a mutant, every visible
    // case has already passed it.
    let views: Vec<(Exercise, Vec<usize>)> = exercises
        .iter()
        .map(|exercise| score::visible_first(exercise))
        .collect();
    let mut owners = Vec::new();
    let mut submissions = Vec::new();
    for (index, generated) in generated.iter().enumerate() {
        let Ok(generated) = generated else { continue };
        for (mutant_index, mutant) in generated.mutants.iter().enumerate() {
            owners.push((index, mutant_index));
            submissions.push(Submission {
                exercise: &views[index].0,
                program: Program {
                    source: mutant.source.clone().into(),
                    display_name: "mutant.py".to_string(),
                },
            });
        }
    }

    let total = submissions.len();
    let mut finished_cases = vec![0usize; total];
    let mut decided = vec![false; total];
    let mut decided_count = 0;
    let outcomes = session::grade_until_rejected(runner, &submissions, jobs, |event| {
        let Event::CaseFinished {
            submission,
            outcome,
            ..
        } = event;
        finished_cases[submission] += 1;
        let done = !outcome.verdict.is_accepted()
            || finished_cases[submission] == submissions[submission].exercise.cases.len();
        if done && !decided[submission] {
            decided[submission] = true;
            decided_count += 1;
            progress(decided_count, total);
        }
    })
    .await;

    let mut per_exercise: Vec<Vec<_>> = exercises.iter().map(|_| Vec::new()).collect();
    for ((index, mutant_index), outcomes) in owners.into_iter().zip(outcomes) {
        per_exercise[index].push((mutant_index, outcomes));
    }
    generated
        .into_iter()
        .zip(per_exercise)
        .enumerate()
        .map(|(index, (generated, outcomes))| {
            let generated = generated?;
            let outcomes: Vec<_> = outcomes.into_iter().map(|(_, o)| o).collect();
            Ok(score::judge_mutants(
                exercises[index],
                &views[index].1,
                generated,
                &outcomes,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_shows_the_whole_lines_it_touches() {
        let reference = "a = 1\nif a < 2 and b:\n    pass\n";
        let start = reference.find('<').unwrap();
        let mutant =
            Mutant::from_edit(reference, "compare-boundary", start, start + 1, "<=").unwrap();
        assert_eq!(mutant.line, 2);
        assert_eq!(mutant.before, "if a < 2 and b:");
        assert_eq!(mutant.after, "if a <= 2 and b:");
        let whole = reference.find("if").unwrap();
        let mutant = Mutant::from_edit(
            reference,
            "drop-statement",
            whole,
            reference.len() - 1,
            "pass",
        )
        .unwrap();
        assert_eq!(mutant.before, "if a < 2 and b:\n    pass");
        assert_eq!(mutant.after, "pass");
        assert_eq!(mutant.source, "a = 1\npass\n");
        assert!(Mutant::from_edit(reference, "x", 3, 2, "").is_none());
    }
}
