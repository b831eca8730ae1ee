//! `kata list`: the exercises, one per line, optionally filtered by tag and difficulty. Inside a
//! workspace they come in learning order, each marked solved, attempted or new, with the totals
//! and the next exercise at the bottom. `--format json|markdown` prints the catalogue for
//! scripts and for docs/catalogue.md.

use anstream::{eprintln, print, println};
use serde::Serialize;

use crate::cli::{DifficultyChoice, ListArgs, ListFormat};
use crate::curriculum::Curriculum;
use crate::error::Error;
use crate::exercise::{Catalogue, Difficulty, Exercise, index};
use crate::exit::ExitStatus;
use crate::settings::Globals;
use crate::style::{BOLD, DIM, GREEN, RED, YELLOW, paint};
use crate::watch::view::{status_mark, status_text};
use crate::words::count;
use crate::workspace::{Status, Workspace};

pub(super) fn run(globals: &Globals, args: &ListArgs) -> Result<ExitStatus, Error> {
    let catalogue = globals.catalogue()?;
    check_tags(&catalogue, &args.tag)?;
    let filter = Filter::of(args);
    match args.format {
        ListFormat::Markdown => {
            let selected: Vec<Exercise> =
                filter.apply(catalogue.exercises.iter()).cloned().collect();
            print!("{}", index::markdown(&selected));
        }
        ListFormat::Json => {
            let entries: Vec<Entry> = filter
                .apply(catalogue.exercises.iter())
                .map(Entry::of)
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&entries).expect("entries serialise")
            );
        }
        ListFormat::Human => match globals.workspace()? {
            Some(workspace) => list_progress(&catalogue, workspace, &filter)?,
            None => list_catalogue(&catalogue, &filter),
        },
    }
    if !catalogue.invalid.is_empty() {
        eprintln!(
            "{} {} could not be loaded; `kata validate` shows why",
            paint(YELLOW, "warning:"),
            count(catalogue.invalid.len(), "exercise file", "exercise files")
        );
    }
    Ok(ExitStatus::Success)
}

/// An unknown `--tag` is a mistake to point out, like an unknown id: filtering by it would
/// only print an empty table.
fn check_tags(catalogue: &Catalogue, tags: &[String]) -> Result<(), Error> {
    let known = catalogue.tags();
    let Some(unknown) = tags.iter().find(|tag| !known.contains(&tag.as_str())) else {
        return Ok(());
    };
    let help = match catalogue.closest_tag(unknown) {
        Some(tag) => format!("did you mean `{tag}`? (`kata list` shows every exercise's tags)"),
        None => "`kata list` shows every exercise's tags".to_string(),
    };
    Err(Error::usage(
        format!(
            "no exercise in {} has the tag `{unknown}`",
            catalogue.describe()
        ),
        Some(help),
    ))
}

/// `--tag` and `--difficulty`.
struct Filter<'a> {
    tags: &'a [String],
    difficulty: Option<Difficulty>,
}

impl<'a> Filter<'a> {
    fn of(args: &'a ListArgs) -> Self {
        Filter {
            tags: &args.tag,
            difficulty: args.difficulty.map(|choice| match choice {
                DifficultyChoice::Easy => Difficulty::Easy,
                DifficultyChoice::Medium => Difficulty::Medium,
                DifficultyChoice::Hard => Difficulty::Hard,
            }),
        }
    }

    fn keeps(&self, exercise: &Exercise) -> bool {
        self.difficulty.is_none_or(|d| exercise.difficulty == d)
            && self.tags.iter().all(|tag| exercise.tags.contains(tag))
    }

    fn apply<'e>(
        &self,
        exercises: impl Iterator<Item = &'e Exercise>,
    ) -> impl Iterator<Item = &'e Exercise> {
        exercises.filter(|exercise| self.keeps(exercise))
    }

    fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.difficulty.is_none()
    }

    /// The filter as it was typed, for messages.
    fn describe(&self) -> String {
        let mut parts: Vec<String> = self.tags.iter().map(|tag| format!("--tag {tag}")).collect();
        if let Some(difficulty) = self.difficulty {
            parts.push(format!("--difficulty {}", difficulty.as_str()));
        }
        parts.join(" ")
    }
}

/// Said instead of an empty table, so a filter that matches nothing is not mistaken for a
/// broken list.
fn nothing_matches(catalogue: &Catalogue, filter: &Filter<'_>) {
    println!(
        "No exercise in {} matches `{}`; `kata list` without it shows all {}.",
        catalogue.describe(),
        filter.describe(),
        catalogue.exercises.len()
    );
}

struct Widths {
    id: usize,
    title: usize,
}

impl Widths {
    fn of<'a>(exercises: impl Iterator<Item = &'a Exercise> + Clone) -> Widths {
        Widths {
            id: exercises
                .clone()
                .map(|e| e.id.len())
                .max()
                .unwrap_or(2)
                .max(2),
            title: exercises
                .map(|e| e.title.chars().count())
                .max()
                .unwrap_or(5)
                .max(5),
        }
    }
}

fn list_catalogue(catalogue: &Catalogue, filter: &Filter<'_>) {
    let selected: Vec<&Exercise> = filter.apply(catalogue.exercises.iter()).collect();
    if selected.is_empty() && !filter.is_empty() {
        nothing_matches(catalogue, filter);
        return;
    }
    let widths = Widths::of(selected.iter().copied());
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
    for exercise in &selected {
        println!("{}", row(exercise, &widths));
    }
    let total = catalogue.exercises.len();
    if filter.is_empty() {
        println!(
            "\n{} in {}",
            count(total, "exercise", "exercises"),
            catalogue.describe()
        );
    } else {
        println!(
            "\n{} of {} in {}",
            selected.len(),
            count(total, "exercise", "exercises"),
            catalogue.describe()
        );
    }
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

pub(super) fn difficulty(difficulty: Difficulty) -> String {
    let text = format!("{:10}", difficulty.as_str());
    match difficulty {
        Difficulty::Easy => paint(GREEN, text),
        Difficulty::Medium => paint(YELLOW, text),
        Difficulty::Hard => paint(RED, text),
    }
}

fn list_progress(
    catalogue: &Catalogue,
    workspace: &Workspace,
    filter: &Filter<'_>,
) -> Result<(), Error> {
    let progress = workspace.progress().load()?;
    let curriculum = Curriculum::new(catalogue);
    let exercises: Vec<&Exercise> = filter
        .apply(curriculum.exercises().iter().copied())
        .collect();
    if exercises.is_empty() && !filter.is_empty() {
        nothing_matches(catalogue, filter);
        return Ok(());
    }
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
    for exercise in &exercises {
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
