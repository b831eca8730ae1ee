//! `kata list`: the exercises, one per line, optionally filtered by tag and difficulty.

use anstream::{eprintln, print, println};
use serde::Serialize;

use crate::cli::{DifficultyChoice, ListArgs, ListFormat};
use crate::error::Error;
use crate::exercise::{Difficulty, Exercise, index};
use crate::exit::ExitStatus;
use crate::report::terminal::{BOLD, DIM, GREEN, RED, YELLOW, paint};
use crate::settings::Globals;

pub fn run(globals: &Globals, args: &ListArgs) -> Result<ExitStatus, Error> {
    let catalogue = globals.catalogue()?;
    let difficulty = args.difficulty.map(|choice| match choice {
        DifficultyChoice::Easy => Difficulty::Easy,
        DifficultyChoice::Medium => Difficulty::Medium,
        DifficultyChoice::Hard => Difficulty::Hard,
    });
    let selected: Vec<&Exercise> = catalogue
        .exercises
        .iter()
        .filter(|e| difficulty.is_none_or(|d| e.difficulty == d))
        .filter(|e| args.tag.iter().all(|tag| e.tags.contains(tag)))
        .collect();
    match args.format {
        ListFormat::Markdown => {
            let owned: Vec<Exercise> = selected.into_iter().cloned().collect();
            print!("{}", index::markdown(&owned));
        }
        ListFormat::Json => {
            let entries: Vec<Entry> = selected.iter().map(|e| Entry::of(e)).collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&entries).expect("entries serialise")
            );
        }
        ListFormat::Human => table(&selected, &catalogue.describe(), catalogue.exercises.len()),
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

fn table(exercises: &[&Exercise], source: &str, total: usize) {
    let id_width = exercises
        .iter()
        .map(|e| e.id.len())
        .max()
        .unwrap_or(2)
        .max(2);
    let title_width = exercises
        .iter()
        .map(|e| e.title.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
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
    for exercise in exercises {
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
    if exercises.len() == total {
        println!("\n{total} exercises in {source}");
    } else {
        println!("\n{} of {total} exercises in {source}", exercises.len());
    }
}

/// One exercise in `kata list --format json`.
#[derive(Serialize)]
struct Entry<'a> {
    id: &'a str,
    title: &'a str,
    difficulty: &'static str,
    tags: &'a [String],
    teaches: Option<&'a str>,
    sources: &'a [String],
    requires: Vec<&'static str>,
    cases: usize,
    hidden_cases: usize,
}

impl<'a> Entry<'a> {
    fn of(exercise: &'a Exercise) -> Self {
        Entry {
            id: &exercise.id,
            title: &exercise.title,
            difficulty: exercise.difficulty.as_str(),
            tags: &exercise.tags,
            teaches: exercise.teaches.as_deref(),
            sources: &exercise.sources,
            requires: exercise.requires.iter().map(|c| c.as_str()).collect(),
            cases: exercise.cases.len(),
            hidden_cases: exercise.cases.iter().filter(|c| c.hidden).count(),
        }
    }
}
