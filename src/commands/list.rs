//! `kata list`: the exercises, one per line. Inside a workspace they come in learning order,
//! each marked solved, attempted or new, with the totals and the next exercise at the bottom.

use anstream::{eprintln, println};

use crate::cli::ListArgs;
use crate::curriculum::Curriculum;
use crate::error::Error;
use crate::exercise::{Catalogue, Difficulty, Exercise};
use crate::exit::ExitStatus;
use crate::report::terminal::{BOLD, DIM, GREEN, RED, YELLOW, paint};
use crate::settings::Globals;
use crate::watch::view::{status_mark, status_text};
use crate::workspace::{Status, Workspace};

pub fn run(globals: &Globals, _args: &ListArgs) -> Result<ExitStatus, Error> {
    let catalogue = globals.catalogue()?;
    match globals.workspace()? {
        Some(workspace) => list_progress(&catalogue, workspace)?,
        None => list_catalogue(&catalogue),
    }
    if !catalogue.invalid.is_empty() {
        eprintln!(
            "{} {} exercise file(s) could not be loaded; `kata validate` shows why",
            paint(YELLOW, "warning:"),
            catalogue.invalid.len()
        );
    }
    Ok(ExitStatus::Success)
}

struct Widths {
    id: usize,
    title: usize,
}

impl Widths {
    fn of<'a>(exercises: impl Iterator<Item = &'a Exercise> + Clone) -> Widths {
        Widths {
            id: exercises.clone().map(|e| e.id.len()).max().unwrap_or(2),
            title: exercises
                .map(|e| e.title.chars().count())
                .max()
                .unwrap_or(5),
        }
    }
}

fn list_catalogue(catalogue: &Catalogue) {
    let widths = Widths::of(catalogue.exercises.iter());
    let (id_width, title_width) = (widths.id, widths.title);
    println!(
        "{}",
        paint(
            BOLD,
            format!(
                "{:id_width$}  {:title_width$}  {:10}  tags",
                "id", "title", "difficulty"
            )
        )
    );
    for exercise in &catalogue.exercises {
        println!("{}", row(exercise, &widths));
    }
    println!(
        "\n{} exercises in {}",
        catalogue.exercises.len(),
        catalogue.describe()
    );
}

/// id, title, difficulty and tags, padded to `widths`.
fn row(exercise: &Exercise, widths: &Widths) -> String {
    let (id_width, title_width) = (widths.id, widths.title);
    format!(
        "{:id_width$}  {:title_width$}  {}  {}",
        exercise.id,
        exercise.title,
        difficulty(exercise.difficulty),
        paint(DIM, exercise.tags.join(", "))
    )
}

pub fn difficulty(difficulty: Difficulty) -> String {
    let text = format!("{:10}", difficulty.as_str());
    match difficulty {
        Difficulty::Easy => paint(GREEN, text),
        Difficulty::Medium => paint(YELLOW, text),
        Difficulty::Hard => paint(RED, text),
    }
}

fn list_progress(catalogue: &Catalogue, workspace: &Workspace) -> Result<(), Error> {
    let progress = workspace.progress().load()?;
    let curriculum = Curriculum::new(catalogue);
    let exercises = curriculum.exercises();
    let widths = Widths::of(exercises.iter().copied());
    let (id_width, title_width) = (widths.id, widths.title);
    println!(
        "{}",
        paint(
            BOLD,
            format!(
                "   {:7}  {:id_width$}  {:title_width$}  {:10}  tags",
                "status", "id", "title", "difficulty"
            )
        )
    );
    for exercise in exercises {
        let status = progress.status(&exercise.id);
        let (mark, style) = status_mark(status);
        println!(
            " {} {}  {}",
            paint(style, mark),
            paint(style, format!("{:7}", status_text(&progress, &exercise.id))),
            row(exercise, &widths)
        );
    }
    let count = |wanted| {
        exercises
            .iter()
            .filter(|e| progress.status(&e.id) == wanted)
            .count()
    };
    println!(
        "\n{} of {} solved · {} attempted · {} new",
        paint(BOLD, count(Status::Solved)),
        exercises.len(),
        count(Status::Attempted),
        count(Status::New)
    );
    match curriculum.resume(&progress) {
        Some(next) => println!(
            "{}",
            paint(DIM, format!("Next: {} (`kata watch {}`)", next.id, next.id))
        ),
        None => println!("{}", paint(GREEN, "Every exercise solved!")),
    }
    Ok(())
}
