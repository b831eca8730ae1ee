//! What became of each mutant, and an exercise's mutation score.
//!
//! The score is the share of mutants some case catches, among those not marked equivalent:
//! `caught / (caught + survived)`. A mutant the grader could not judge (an internal error) counts
//! in neither and is reported.

use crate::exercise::{Case, EquivalentMutant, Exercise};
use crate::grade::{CaseOutcome, Verdict};

use super::Mutant;
use super::generate::Generated;

/// What became of one mutant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Some case rejected it: `case` is the first that did (an index into the exercise's
    /// cases), with its verdict.
    Caught { case: usize, verdict: Verdict },
    /// Every case accepted it: a case is missing.
    Survived,
    /// Every case accepted it, and the author has marked it equivalent.
    Equivalent,
    /// The grader could not judge it.
    Error(String),
}

/// One mutant and its fate.
#[derive(Debug, Clone)]
pub struct Tested {
    pub mutant: Mutant,
    pub fate: Fate,
    /// Caught, but not by any visible case (every visible case accepted it): this hidden case
    /// (an index into the exercise's cases) is the first that catches it.
    pub hidden_catch: Option<usize>,
}

/// The mutation testing of one exercise.
#[derive(Debug, Clone)]
pub struct ExerciseMutants {
    pub tested: Vec<Tested>,
    /// Candidate edits the generator dropped (they did not parse as intended).
    pub dropped: u64,
    /// `[[equivalent]]` entries that name no mutant the generator produced.
    pub stale: Vec<EquivalentMutant>,
    /// `[[equivalent]]` entries whose mutant some case catches, with that case's index.
    pub caught_equivalents: Vec<(EquivalentMutant, usize)>,
    /// Sandbox runs it took.
    pub runs: usize,
    /// Of those, runs that ended at a time limit (each cost its case's whole limit).
    pub timeouts: usize,
}

impl ExerciseMutants {
    pub fn count(&self, wanted: fn(&Fate) -> bool) -> usize {
        self.tested.iter().filter(|t| wanted(&t.fate)).count()
    }

    pub fn caught(&self) -> usize {
        self.count(|fate| matches!(fate, Fate::Caught { .. }))
    }

    pub fn survived(&self) -> usize {
        self.count(|fate| matches!(fate, Fate::Survived))
    }

    pub fn equivalent(&self) -> usize {
        self.count(|fate| matches!(fate, Fate::Equivalent))
    }

    pub fn errors(&self) -> usize {
        self.count(|fate| matches!(fate, Fate::Error(_)))
    }

    /// Caught mutants as a percentage of the caught and surviving ones; `None` when there are
    /// none (nothing to score).
    pub fn score(&self) -> Option<f64> {
        let scored = self.caught() + self.survived();
        (scored > 0).then(|| 100.0 * self.caught() as f64 / scored as f64)
    }

    /// Whether the score is at least `percent` (exactly, without rounding).
    pub fn meets(&self, percent: u8) -> bool {
        let scored = self.caught() + self.survived();
        scored == 0 || self.caught() * 100 >= usize::from(percent) * scored
    }
}

/// A copy of `exercise` with its visible cases first (each group in file order), and for each
/// of its cases the index of the same case in `exercise`.
pub(crate) fn visible_first(exercise: &Exercise) -> (Exercise, Vec<usize>) {
    let mut order: Vec<usize> = (0..exercise.cases.len()).collect();
    order.sort_by_key(|&index| exercise.cases[index].hidden);
    let mut view = exercise.clone();
    view.cases = order
        .iter()
        .map(|&index| exercise.cases[index].clone())
        .collect();
    (view, order)
}

/// Decides each mutant's fate from its outcomes (`outcomes[mutant][case]`, cases in the order
/// of `order`, `None` for cases never run).
pub(crate) fn judge_mutants(
    exercise: &Exercise,
    order: &[usize],
    generated: Generated,
    outcomes: &[Vec<Option<CaseOutcome>>],
) -> ExerciseMutants {
    let is_equivalent = |id: &str| exercise.equivalent_mutants.iter().any(|e| e.id == id);
    let mut caught_equivalents = Vec::new();
    let mut runs = 0;
    let mut timeouts = 0;
    let mut tested = Vec::with_capacity(generated.mutants.len());
    for (mutant, outcomes) in generated.mutants.into_iter().zip(outcomes) {
        runs += outcomes.iter().flatten().count();
        timeouts += outcomes
            .iter()
            .flatten()
            .filter(|outcome| outcome.verdict == Verdict::TimeLimitExceeded)
            .count();
        let first_rejection = outcomes
            .iter()
            .enumerate()
            .filter_map(|(position, outcome)| Some((position, outcome.as_ref()?)))
            .find(|(_, outcome)| !outcome.verdict.is_accepted());
        let fate = match first_rejection {
            Some((_, outcome)) if outcome.verdict == Verdict::InternalError => Fate::Error(
                outcome
                    .feedback
                    .message
                    .clone()
                    .unwrap_or_else(|| "internal error".to_string()),
            ),
            Some((position, outcome)) => Fate::Caught {
                case: order[position],
                verdict: outcome.verdict,
            },
            None if outcomes.iter().any(Option::is_none) => {
                Fate::Error("some of its cases were never run".to_string())
            }
            None if is_equivalent(&mutant.id) => Fate::Equivalent,
            None => Fate::Survived,
        };
        if let Fate::Caught { case, .. } = fate
            && let Some(entry) = exercise
                .equivalent_mutants
                .iter()
                .find(|e| e.id == mutant.id)
        {
            caught_equivalents.push((entry.clone(), case));
        }
        let hidden_catch = hidden_catch(exercise, order, outcomes, &fate);
        tested.push(Tested {
            mutant,
            fate,
            hidden_catch,
        });
    }
    let stale = exercise
        .equivalent_mutants
        .iter()
        .filter(|entry| !tested.iter().any(|t| t.mutant.id == entry.id))
        .cloned()
        .collect();
    ExerciseMutants {
        tested,
        dropped: generated.dropped,
        stale,
        caught_equivalents,
        runs,
        timeouts,
    }
}

/// The hidden case that first catches a mutant by what it does (a wrong answer or a crash,
/// not a limit), when every visible case ran and accepted it.
fn hidden_catch(
    exercise: &Exercise,
    order: &[usize],
    outcomes: &[Option<CaseOutcome>],
    fate: &Fate,
) -> Option<usize> {
    let Fate::Caught { case, verdict } = fate else {
        return None;
    };
    let case_of = |position: usize| -> &Case { &exercise.cases[order[position]] };
    let every_visible_passed = outcomes.iter().enumerate().all(|(position, outcome)| {
        case_of(position).hidden
            || outcome
                .as_ref()
                .is_some_and(|outcome| outcome.verdict.is_accepted())
    });
    (every_visible_passed
        && exercise.cases[*case].hidden
        && crate::authoring::lint::shows_behaviour(*verdict))
    .then_some(*case)
}
