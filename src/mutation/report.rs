//! The human report of mutation testing: an exercise's score line, a mutant's change, and the
//! closing table of scores. Each exercise's section is drawn from its proof (`kata validate`'s
//! proof model renders it).

use std::fmt::Write;

use crate::exercise::Exercise;
use crate::style::{BOLD, DIM, GREEN, RED, paint, verdict_style};

use super::score::ExerciseMutants;

/// Lines of a changed statement shown before eliding the rest.
const LINES_SHOWN: usize = 3;

/// `-    old line` / `+    new line`, indented under the mutant.
pub(crate) fn change(before: &str, after: &str) -> String {
    let mut text = String::new();
    for (sign, style, body) in [("-", RED, before), ("+", GREEN, after)] {
        let lines: Vec<&str> = body.lines().collect();
        for line in lines.iter().take(LINES_SHOWN) {
            let _ = writeln!(text, "      {}", paint(style, format!("{sign} {line}")));
        }
        if lines.len() > LINES_SHOWN {
            let _ = writeln!(
                text,
                "      {}",
                paint(DIM, format!("  … {} more lines", lines.len() - LINES_SHOWN))
            );
        }
    }
    text
}

/// `score 95.2%: 60 of 63 mutants caught, 1 equivalent, 2 survived`.
pub(crate) fn score_line(mutants: &ExerciseMutants) -> String {
    let total = mutants.tested.len();
    let mut parts = vec![format!("{} of {total} mutants caught", mutants.caught())];
    if mutants.equivalent() > 0 {
        parts.push(format!("{} equivalent", mutants.equivalent()));
    }
    if mutants.survived() > 0 {
        parts.push(format!("{} survived", mutants.survived()));
    }
    if mutants.errors() > 0 {
        parts.push(format!("{} not judged", mutants.errors()));
    }
    let score = match mutants.score() {
        Some(score) if mutants.survived() == 0 => paint(GREEN, format!("{score:.1}%")),
        Some(score) => paint(
            verdict_style(crate::grade::Verdict::WrongAnswer),
            format!("{score:.1}%"),
        ),
        None => "n/a".to_string(),
    };
    format!("mutation score {score} ({})", parts.join(", "))
}

/// The closing table: one line per exercise.
pub(crate) fn score_table(rows: &[(&Exercise, &Result<ExerciseMutants, String>)]) -> String {
    let width = rows
        .iter()
        .map(|(exercise, _)| exercise.id.len())
        .max()
        .unwrap_or(0);
    let mut text = format!("{}\n", paint(BOLD, "Mutation scores"));
    for (exercise, result) in rows {
        let line = match result {
            Ok(mutants) => {
                let score = mutants
                    .score()
                    .map_or_else(|| "n/a".to_string(), |score| format!("{score:.1}%"));
                format!(
                    "{score:>6}  {:>3} caught, {:>2} survived, {:>2} equivalent, of {:>3} mutants",
                    mutants.caught(),
                    mutants.survived(),
                    mutants.equivalent(),
                    mutants.tested.len()
                )
            }
            Err(_) => "not tested".to_string(),
        };
        let _ = writeln!(text, "  {:width$}  {line}", exercise.id);
    }
    text
}
