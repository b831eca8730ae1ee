//! After `kata check` in a workspace: the graded submission goes into the learner's progress,
//! and when it solves its exercise for the first time, the learner hears so and what is next.

use crate::curriculum::Curriculum;
use crate::error::Error;
use crate::exercise::Catalogue;
use crate::report::SubmissionReport;
use crate::style::{BOLD, DIM, GREEN, paint};
use crate::words::count;
use crate::workspace::{self, ProgressEvent, Workspace};

/// Records `report`; when it solves its exercise for the first time, returns a line saying so
/// and naming the next exercise.
pub(super) fn record(
    workspace: &Workspace,
    catalogue: &Catalogue,
    report: &SubmissionReport,
) -> Result<Option<String>, Error> {
    let Some(event) = ProgressEvent::graded(report) else {
        return Ok(None);
    };
    let store = workspace.progress();
    let before = store.load()?.status(&report.exercise);
    let progress = store.record(&event)?;
    if before == workspace::Status::Solved
        || progress.status(&report.exercise) != workspace::Status::Solved
    {
        return Ok(None);
    }
    let curriculum = Curriculum::new(catalogue);
    let total = curriculum.exercises().len();
    let solved = curriculum
        .exercises()
        .iter()
        .filter(|e| progress.status(&e.id) == workspace::Status::Solved)
        .count();
    let mut text = format!(
        "\n{} {}",
        paint(GREEN.bold(), format!("✓ {} solved.", report.exercise)),
        format_args!(
            "{solved} of {} done.",
            count(total, "exercise", "exercises")
        ),
    );
    match curriculum.next_unsolved(Some(&report.exercise), &progress) {
        Some(next) => text.push_str(&format!(
            " Next: {} {}\n",
            paint(BOLD, &next.id),
            paint(DIM, format!("({}; `kata watch {}`)", next.title, next.id))
        )),
        None => text.push_str(" That was the last one: well done!\n"),
    }
    Ok(Some(text))
}
