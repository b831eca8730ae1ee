//! The order learners meet exercises in, and which one comes next.
//!
//! Easy exercises come first, then medium, then hard. Within a difficulty, the exercises named
//! in the catalogue's `order.txt` come first, in its order, and the rest follow by id. So an
//! exercise added without touching `order.txt` still lands among its peers, and an id that
//! `order.txt` names but the catalogue no longer has is simply skipped.

use crate::exercise::{Catalogue, Exercise};
use crate::workspace::{Progress, Status};

/// The file beside the exercises that lists the curated order, one id per line.
pub(crate) const ORDER_FILE: &str = "order.txt";

/// A catalogue's exercises in learning order.
#[derive(Debug, Clone)]
pub(crate) struct Curriculum<'a> {
    exercises: Vec<&'a Exercise>,
}

impl<'a> Curriculum<'a> {
    /// The catalogue's exercises, ordered by its `order.txt` (if any).
    pub(crate) fn new(catalogue: &'a Catalogue) -> Self {
        let listed = catalogue
            .companion_file(ORDER_FILE)
            .map(|text| parse_order(&text))
            .unwrap_or_default();
        Curriculum::ordered(&catalogue.exercises, &listed)
    }

    /// `exercises` ordered by difficulty, then by position in `listed`, then by id.
    pub(crate) fn ordered(exercises: &'a [Exercise], listed: &[String]) -> Self {
        let mut exercises: Vec<&Exercise> = exercises.iter().collect();
        let rank = |exercise: &Exercise| {
            listed
                .iter()
                .position(|id| *id == exercise.id)
                .unwrap_or(usize::MAX)
        };
        exercises
            .sort_by(|a, b| (a.difficulty, rank(a), &a.id).cmp(&(b.difficulty, rank(b), &b.id)));
        Curriculum { exercises }
    }

    pub(crate) fn exercises(&self) -> &[&'a Exercise] {
        &self.exercises
    }

    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.exercises.iter().position(|e| e.id == id)
    }

    /// Where to carry on: the current exercise while it is unsolved, else the next unsolved
    /// one after it. `None` when everything is solved.
    pub(crate) fn resume(&self, progress: &Progress) -> Option<&'a Exercise> {
        let current = progress.current.as_deref();
        current
            .and_then(|id| self.position(id))
            .map(|index| self.exercises[index])
            .filter(|exercise| progress.status(&exercise.id) != Status::Solved)
            .or_else(|| self.next_unsolved(current, progress))
    }

    /// The first unsolved exercise after `after` (wrapping round to the start), or from the
    /// start when `after` is `None`. Never `after` itself.
    pub(crate) fn next_unsolved(
        &self,
        after: Option<&str>,
        progress: &Progress,
    ) -> Option<&'a Exercise> {
        let start = after
            .and_then(|id| self.position(id))
            .map_or(0, |index| index + 1);
        let count = self.exercises.len();
        (0..count)
            .map(|offset| self.exercises[(start + offset) % count])
            .filter(|exercise| Some(exercise.id.as_str()) != after)
            .find(|exercise| progress.status(&exercise.id) != Status::Solved)
    }
}

/// The ids in an order file: one per line; blank lines and `#` comments are ignored.
fn parse_order(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercise::CatalogueSource;
    use crate::workspace::ProgressEvent;

    fn ids<'a>(curriculum: &Curriculum<'a>) -> Vec<&'a str> {
        curriculum
            .exercises()
            .iter()
            .map(|e| e.id.as_str())
            .collect()
    }

    #[test]
    fn easy_first_then_the_curated_order_then_by_id() {
        let catalogue = Catalogue::flagship();
        let listed = ["three-sum", "no-such-exercise", "lru-cache"].map(String::from);
        let curriculum = Curriculum::ordered(&catalogue.exercises, &listed);
        let order = ids(&curriculum);
        // reverse-linked-list is the only easy one; is-valid-bst is medium but unlisted.
        assert_eq!(order[0], "reverse-linked-list");
        let position = |id| order.iter().position(|x| *x == id).unwrap();
        assert!(position("three-sum") < position("lru-cache"));
        assert!(position("lru-cache") < position("is-valid-bst"));
        assert_eq!(order.len(), catalogue.exercises.len());
    }

    #[test]
    fn the_built_in_order_file_names_only_real_exercises() {
        let catalogue = Catalogue::load(CatalogueSource::Embedded).unwrap();
        let text = catalogue
            .companion_file(ORDER_FILE)
            .expect("exercises/order.txt exists");
        for id in parse_order(&text) {
            // Exactly: `get` would also take `lru_cache`, which the ordering does not.
            assert!(
                catalogue.exercises.iter().any(|e| e.id == id),
                "order.txt names `{id}`, which is not in the catalogue"
            );
        }
    }

    #[test]
    fn next_unsolved_skips_solved_ones_and_wraps_round() {
        let catalogue = Catalogue::flagship();
        let curriculum = Curriculum::ordered(&catalogue.exercises, &[]);
        let order = ids(&curriculum);
        let mut progress = Progress::default();
        let next = |progress: &Progress, after| {
            curriculum
                .next_unsolved(after, progress)
                .map(|e| e.id.as_str())
        };
        assert_eq!(next(&progress, None), Some(order[0]));
        assert_eq!(next(&progress, Some(order[0])), Some(order[1]));
        for id in &order[1..3] {
            progress.apply(&ProgressEvent::Graded {
                id: id.to_string(),
                passed: 1,
                cases: 1,
            });
        }
        assert_eq!(next(&progress, Some(order[0])), Some(order[3]));
        // From the last one, round to the first unsolved.
        assert_eq!(next(&progress, Some(order[3])), Some(order[0]));
        for id in &order {
            progress.apply(&ProgressEvent::Graded {
                id: id.to_string(),
                passed: 1,
                cases: 1,
            });
        }
        assert_eq!(next(&progress, Some(order[0])), None);
        assert!(curriculum.resume(&progress).is_none());
    }

    #[test]
    fn resume_stays_on_the_current_exercise_until_it_is_solved() {
        let catalogue = Catalogue::flagship();
        let curriculum = Curriculum::ordered(&catalogue.exercises, &[]);
        let order = ids(&curriculum);
        let mut progress = Progress::default();
        assert_eq!(curriculum.resume(&progress).unwrap().id, order[0]);
        progress.apply(&ProgressEvent::Started {
            id: order[2].to_string(),
        });
        assert_eq!(curriculum.resume(&progress).unwrap().id, order[2]);
        progress.apply(&ProgressEvent::Graded {
            id: order[2].to_string(),
            passed: 2,
            cases: 2,
        });
        assert_eq!(curriculum.resume(&progress).unwrap().id, order[3]);
    }

    #[test]
    fn order_files_allow_comments_and_blank_lines() {
        assert_eq!(
            parse_order("# intro\n\na\n  b  # then b\n"),
            vec!["a".to_string(), "b".to_string()]
        );
    }
}
