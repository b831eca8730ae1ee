//! `kata list`: the exercises, one per line.

use anstream::{eprintln, println};

use crate::cli::ListArgs;
use crate::error::Error;
use crate::exercise::Difficulty;
use crate::exit::ExitStatus;
use crate::report::terminal::{BOLD, DIM, GREEN, RED, YELLOW, paint};
use crate::settings::Globals;

pub fn run(globals: &Globals, _args: &ListArgs) -> Result<ExitStatus, Error> {
    let catalogue = globals.catalogue()?;
    let id_width = catalogue
        .exercises
        .iter()
        .map(|e| e.id.len())
        .max()
        .unwrap_or(2);
    let title_width = catalogue
        .exercises
        .iter()
        .map(|e| e.title.chars().count())
        .max()
        .unwrap_or(5);
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
        let difficulty = format!("{:10}", exercise.difficulty.as_str());
        let difficulty = match exercise.difficulty {
            Difficulty::Easy => paint(GREEN, difficulty),
            Difficulty::Medium => paint(YELLOW, difficulty),
            Difficulty::Hard => paint(RED, difficulty),
        };
        println!(
            "{:id_width$}  {:title_width$}  {difficulty}  {}",
            exercise.id,
            exercise.title,
            paint(DIM, exercise.tags.join(", "))
        );
    }
    println!(
        "\n{} exercises in {}",
        catalogue.exercises.len(),
        catalogue.describe()
    );
    if !catalogue.invalid.is_empty() {
        eprintln!(
            "{} {} exercise file(s) could not be loaded; `kata validate` shows why",
            paint(YELLOW, "warning:"),
            catalogue.invalid.len()
        );
    }
    Ok(ExitStatus::Success)
}
