//! The class at a glance: the figures a class report shows besides the submissions themselves.
//! A student × exercise grid, each exercise's pass rate, the distribution of the students'
//! scores, and the cases that catch the most students. Computed from a [`ClassReport`] alone
//! (so a report read back from JSON gives the same figures), for [`super::html`] to draw.
//!
//! A student's score is out of every exercise in the class, not only the ones they handed in:
//! a missing submission counts as no points, and the grid shows it as missing.

use std::collections::BTreeMap;

use super::class::ClassReport;
use super::model::Status;
use crate::grade::Verdict;

/// Score buckets: 0–9 %, 10–19 %, …, 90–99 %, and 100 % on its own.
pub(crate) const BUCKETS: usize = 11;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Overview<'a> {
    /// One column per exercise, sorted by id.
    pub exercises: Vec<ExerciseStats<'a>>,
    /// One row per student, sorted by name.
    pub students: Vec<StudentRow<'a>>,
    /// The points a student who passed every exercise of the class would have.
    pub max_points: u64,
    /// How many students' scores fall in each of the [`BUCKETS`].
    pub distribution: [usize; BUCKETS],
    /// The cases that some student failed, most students first.
    pub catches: Vec<Catch<'a>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExerciseStats<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// The most any submission of it can score.
    pub max_points: u32,
    pub submitted: usize,
    pub passed: usize,
    /// The points of all its submissions together.
    pub points: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StudentRow<'a> {
    pub student: &'a str,
    /// Per exercise column: the index in `class.submissions` of this student's submission.
    pub cells: Vec<Option<usize>>,
    pub points: u64,
    /// The score out of [`Overview::max_points`], in whole percent, rounded down.
    pub percent: u32,
}

/// A case and the students it catches (whose submission it did not accept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Catch<'a> {
    pub exercise: &'a str,
    pub case: &'a str,
    pub hidden: bool,
    pub caught: usize,
    /// Submissions of its exercise that ran it.
    pub ran: usize,
    /// The verdicts it gave those students, most frequent first.
    pub verdicts: Vec<(Verdict, usize)>,
}

impl ExerciseStats<'_> {
    /// The share of its submissions that passed, in whole percent, rounded down.
    pub(crate) fn pass_percent(&self) -> u32 {
        percent(self.passed as u64, self.submitted as u64)
    }
}

impl<'a> Overview<'a> {
    pub(crate) fn of(class: &'a ClassReport) -> Overview<'a> {
        let mut exercises: BTreeMap<&str, ExerciseStats<'a>> = BTreeMap::new();
        for submission in &class.submissions {
            let report = &submission.report;
            let stats = exercises
                .entry(report.exercise.as_str())
                .or_insert_with(|| ExerciseStats {
                    id: &report.exercise,
                    title: &report.title,
                    max_points: 0,
                    submitted: 0,
                    passed: 0,
                    points: 0,
                });
            stats.max_points = stats.max_points.max(report.max_points);
            stats.submitted += 1;
            stats.passed += usize::from(report.status == Status::Pass);
            stats.points += u64::from(report.points);
        }
        let column: BTreeMap<&str, usize> = exercises
            .keys()
            .enumerate()
            .map(|(index, id)| (*id, index))
            .collect();
        let max_points = exercises.values().map(|e| u64::from(e.max_points)).sum();

        let mut rows: BTreeMap<&str, StudentRow<'a>> = BTreeMap::new();
        for (index, submission) in class.submissions.iter().enumerate() {
            let row = rows
                .entry(submission.student.as_str())
                .or_insert_with(|| StudentRow {
                    student: &submission.student,
                    cells: vec![None; column.len()],
                    points: 0,
                    percent: 0,
                });
            let cell = &mut row.cells[column[submission.report.exercise.as_str()]];
            // A student has one submission per exercise; should a report hold two, the grid
            // shows the first and the list of submissions shows both.
            if cell.is_none() {
                *cell = Some(index);
                row.points += u64::from(submission.report.points);
            }
        }
        let mut distribution = [0; BUCKETS];
        let students: Vec<StudentRow<'a>> = rows
            .into_values()
            .map(|mut row| {
                row.percent = percent(row.points, max_points);
                distribution[bucket(row.percent)] += 1;
                row
            })
            .collect();

        Overview {
            exercises: exercises.into_values().collect(),
            students,
            max_points,
            distribution,
            catches: catches(class),
        }
    }
}

/// `part` of `whole` in whole percent, rounded down so that only a full score reads 100 %.
/// Nothing to score counts as full marks: there was nothing to lose.
fn percent(part: u64, whole: u64) -> u32 {
    if whole == 0 {
        return 100;
    }
    u32::try_from((u128::from(part) * 100 / u128::from(whole)).min(100)).unwrap_or(100)
}

/// The bucket of a score: tens of percent, with 100 % alone in the last.
pub(crate) fn bucket(percent: u32) -> usize {
    (percent as usize / 10).min(BUCKETS - 1)
}

/// What one case did across the class, while counting.
#[derive(Default)]
struct Tally {
    hidden: bool,
    caught: usize,
    ran: usize,
    verdicts: BTreeMap<Verdict, usize>,
}

/// Every case some submission failed, by how many students it caught, then by exercise and
/// case name.
fn catches(class: &ClassReport) -> Vec<Catch<'_>> {
    // Keyed by exercise and case name: the same case of every student's submission.
    let mut tallies: BTreeMap<(&str, &str), Tally> = BTreeMap::new();
    for submission in &class.submissions {
        // A case that never ran caught no one: its submission's load error or stop did.
        for case in submission
            .report
            .cases
            .iter()
            .filter(|c| c.not_run.is_none())
        {
            let tally = tallies
                .entry((&submission.report.exercise, &case.name))
                .or_default();
            tally.hidden |= case.hidden;
            tally.ran += 1;
            if !case.verdict.is_accepted() {
                tally.caught += 1;
                *tally.verdicts.entry(case.verdict).or_default() += 1;
            }
        }
    }
    let mut catches: Vec<Catch<'_>> = tallies
        .into_iter()
        .filter(|(_, tally)| tally.caught > 0)
        .map(|((exercise, case), tally)| {
            let mut verdicts: Vec<(Verdict, usize)> = tally.verdicts.into_iter().collect();
            verdicts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            Catch {
                exercise,
                case,
                hidden: tally.hidden,
                caught: tally.caught,
                ran: tally.ran,
                verdicts,
            }
        })
        .collect();
    // Stable: ties stay in exercise and case order.
    catches.sort_by_key(|catch| std::cmp::Reverse(catch.caught));
    catches
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::StudentSubmission;
    use crate::report::fixtures::case;
    use crate::report::model::CaseReport;

    fn submission(student: &str, exercise: &str, cases: Vec<CaseReport>) -> StudentSubmission {
        crate::report::fixtures::submission(
            student,
            exercise,
            &exercise.to_uppercase(),
            None,
            cases,
        )
    }

    fn class() -> ClassReport {
        use Verdict::*;
        let submissions = vec![
            submission(
                "ada",
                "echo",
                vec![case("one", Accepted, false), case("two", Accepted, true)],
            ),
            submission("ada", "sum", vec![case("small", Accepted, false)]),
            submission(
                "bob",
                "echo",
                vec![
                    case("one", WrongAnswer, false),
                    case("two", WrongAnswer, true),
                ],
            ),
            submission(
                "cy",
                "echo",
                vec![
                    case("one", TimeLimitExceeded, false),
                    case("two", Accepted, true),
                ],
            ),
            submission("cy", "sum", vec![case("small", SyntaxError, false)]),
        ];
        ClassReport::new("wasm", None, submissions, Vec::new())
    }

    #[test]
    fn the_grid_has_a_row_per_student_and_a_column_per_exercise() {
        let class = class();
        let overview = Overview::of(&class);
        let ids: Vec<&str> = overview.exercises.iter().map(|e| e.id).collect();
        assert_eq!(ids, ["echo", "sum"]);
        let students: Vec<&str> = overview.students.iter().map(|s| s.student).collect();
        assert_eq!(students, ["ada", "bob", "cy"]);
        // bob handed in no `sum`: his cell is empty and it costs him its point.
        assert_eq!(overview.students[1].cells, [Some(2), None]);
        assert_eq!(overview.max_points, 3);
        let scores: Vec<(u64, u32)> = overview
            .students
            .iter()
            .map(|s| (s.points, s.percent))
            .collect();
        assert_eq!(scores, [(3, 100), (0, 0), (1, 33)]);
        let mut distribution = [0; BUCKETS];
        distribution[0] = 1;
        distribution[3] = 1;
        distribution[10] = 1;
        assert_eq!(overview.distribution, distribution);
    }

    #[test]
    fn pass_rates_count_submissions_handed_in() {
        let class = class();
        let overview = Overview::of(&class);
        let echo = &overview.exercises[0];
        assert_eq!((echo.submitted, echo.passed, echo.points), (3, 1, 3));
        assert_eq!(echo.pass_percent(), 33);
        assert_eq!(echo.title, "ECHO");
        assert_eq!(overview.exercises[1].pass_percent(), 50);
    }

    #[test]
    fn the_cases_that_catch_most_students_come_first() {
        let class = class();
        let overview = Overview::of(&class);
        let catches: Vec<(&str, &str, bool, usize, usize)> = overview
            .catches
            .iter()
            .map(|c| (c.exercise, c.case, c.hidden, c.caught, c.ran))
            .collect();
        assert_eq!(
            catches,
            [
                ("echo", "one", false, 2, 3),
                ("echo", "two", true, 1, 3),
                ("sum", "small", false, 1, 2),
            ]
        );
        assert_eq!(
            overview.catches[0].verdicts,
            [(Verdict::TimeLimitExceeded, 1), (Verdict::WrongAnswer, 1)]
        );
    }

    #[test]
    fn a_case_that_never_ran_caught_no_one() {
        let mut not_loaded = case("small", Verdict::SyntaxError, false);
        not_loaded.not_run = Some(crate::report::model::NotRun::NotLoaded);
        let class = ClassReport::new(
            "wasm",
            None,
            vec![submission("dee", "sum", vec![not_loaded])],
            Vec::new(),
        );
        assert!(Overview::of(&class).catches.is_empty());
    }

    #[test]
    fn scores_round_down_so_only_full_marks_read_100() {
        assert_eq!(percent(999, 1000), 99);
        assert_eq!(percent(0, 0), 100);
        assert_eq!(percent(u64::MAX, u64::MAX), 100);
        assert_eq!(bucket(99), 9);
        assert_eq!(bucket(100), 10);
    }

    #[test]
    fn an_empty_class_has_no_rows() {
        let class = ClassReport::new("wasm", None, Vec::new(), Vec::new());
        let overview = Overview::of(&class);
        assert!(overview.students.is_empty() && overview.exercises.is_empty());
        assert_eq!(overview.distribution, [0; BUCKETS]);
    }
}
