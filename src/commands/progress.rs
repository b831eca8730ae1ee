//! `kata progress`: how far the learner has got, overall, by difficulty and by tag.

use std::collections::BTreeMap;

use anstream::println;

use crate::cli::ProgressArgs;
use crate::curriculum::Curriculum;
use crate::error::Error;
use crate::exercise::{Difficulty, Exercise};
use crate::exit::ExitStatus;
use crate::settings::Globals;
use crate::style::{BOLD, DIM, GREEN, paint};
use crate::words::count;
use crate::workspace::{Progress, Status};

/// Width of the bars, in characters.
const BAR: usize = 20;

pub(super) fn run(globals: &Globals, _args: &ProgressArgs) -> Result<ExitStatus, Error> {
    let workspace = globals.require_workspace()?;
    let catalogue = globals.catalogue()?;
    let progress = workspace.progress().load()?;
    let curriculum = Curriculum::new(&catalogue);
    let exercises = curriculum.exercises();

    let all = Tally::of(exercises.iter().copied(), &progress);
    println!(
        "{} {} of {} solved ({}%), {} attempted, {} new",
        paint(BOLD, "Progress:"),
        paint(GREEN.bold(), all.solved),
        count(all.total, "exercise", "exercises"),
        all.percent(),
        all.attempted,
        all.total - all.solved - all.attempted
    );
    let hints: u32 = exercises.iter().map(|e| progress.hints_shown(&e.id)).sum();
    println!(
        "{}",
        paint(
            DIM,
            format!("{} used", count(hints as usize, "hint", "hints"))
        )
    );

    println!("\n{}", paint(BOLD, "By difficulty"));
    for difficulty in Difficulty::ALL {
        let tally = Tally::of(
            exercises
                .iter()
                .copied()
                .filter(|e| e.difficulty == difficulty),
            &progress,
        );
        if tally.total > 0 {
            println!("{}", tally.line(difficulty.as_str(), 8));
        }
    }

    let mut by_tag: BTreeMap<&str, Vec<&Exercise>> = BTreeMap::new();
    for exercise in exercises {
        for tag in &exercise.tags {
            by_tag.entry(tag).or_default().push(exercise);
        }
    }
    // Only tags the learner has begun: a row per tag in the catalogue would bury the few that
    // say anything under dozens of empty bars.
    let tallies: Vec<(&str, Tally)> = by_tag
        .iter()
        .map(|(tag, tagged)| (*tag, Tally::of(tagged.iter().copied(), &progress)))
        .collect();
    let (begun, untouched): (Vec<_>, Vec<_>) = tallies
        .into_iter()
        .partition(|(_, tally)| tally.solved + tally.attempted > 0);
    if !by_tag.is_empty() {
        println!("\n{}", paint(BOLD, "By tag"));
    }
    let width = begun.iter().map(|(tag, _)| tag.len()).max().unwrap_or(0);
    for (tag, tally) in &begun {
        println!("{}", tally.line(tag, width));
    }
    if !untouched.is_empty() {
        let and = if begun.is_empty() { "" } else { "and " };
        println!(
            "{}",
            paint(
                DIM,
                format!(
                    "  {and}{} not begun yet; `kata list --tag TAG` shows a tag's exercises",
                    count(untouched.len(), "tag", "tags")
                )
            )
        );
    }
    if let Some(next) = curriculum.resume(&progress) {
        println!(
            "\n{}",
            paint(DIM, format!("Next: {} (`kata watch {}`)", next.id, next.id))
        );
    }
    Ok(ExitStatus::Success)
}

/// Counts for a group of exercises.
struct Tally {
    total: usize,
    solved: usize,
    attempted: usize,
}

impl Tally {
    fn of<'a>(exercises: impl Iterator<Item = &'a Exercise>, progress: &Progress) -> Tally {
        let mut tally = Tally {
            total: 0,
            solved: 0,
            attempted: 0,
        };
        for exercise in exercises {
            tally.total += 1;
            match progress.status(&exercise.id) {
                Status::Solved => tally.solved += 1,
                Status::Attempted => tally.attempted += 1,
                Status::New => {}
            }
        }
        tally
    }

    fn percent(&self) -> usize {
        (self.solved * 100).checked_div(self.total).unwrap_or(0)
    }

    /// `  medium    ██████░░░░  2/4  (1 attempted)`
    fn line(&self, label: &str, width: usize) -> String {
        let filled = (self.solved * BAR).checked_div(self.total).unwrap_or(0);
        let mut line = format!(
            "  {label:width$}  {}{}  {}/{}",
            paint(GREEN, "█".repeat(filled)),
            paint(DIM, "░".repeat(BAR - filled)),
            self.solved,
            self.total
        );
        if self.attempted > 0 {
            line.push_str(&paint(DIM, format!("  ({} attempted)", self.attempted)));
        }
        line
    }
}
