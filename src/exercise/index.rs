//! The catalogue's index in Markdown: what `docs/catalogue.md` is generated from, so the list
//! of exercises there can never drift from the exercises themselves.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::model::{Difficulty, Exercise};

/// Marks the generated part of `docs/catalogue.md`; everything outside it is written by hand.
pub const BEGIN: &str = "<!-- BEGIN GENERATED: kata list --format markdown -->";
pub const END: &str = "<!-- END GENERATED -->";

/// The index: counts, one table row per exercise (by difficulty, then id), and the tags.
pub fn markdown(exercises: &[Exercise]) -> String {
    let mut sorted: Vec<&Exercise> = exercises.iter().collect();
    sorted.sort_by(|a, b| (a.difficulty, &a.id).cmp(&(b.difficulty, &b.id)));
    let mut out = String::new();
    let counts: Vec<String> = Difficulty::ALL
        .iter()
        .map(|d| {
            let count = exercises.iter().filter(|e| e.difficulty == *d).count();
            format!("{count} {}", d.as_str())
        })
        .collect();
    let _ = writeln!(
        out,
        "{} exercises: {}.\n",
        exercises.len(),
        counts.join(", ")
    );
    out.push_str("| id | title | difficulty | tags | source | what it teaches |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for exercise in &sorted {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            exercise.id,
            cell(&exercise.title),
            exercise.difficulty.as_str(),
            cell(&exercise.tags.join(", ")),
            cell(&exercise.sources.join("; ")),
            cell(exercise.teaches.as_deref().unwrap_or("")),
        );
    }
    let mut tags: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for exercise in &sorted {
        for tag in &exercise.tags {
            tags.entry(tag).or_default().push(&exercise.id);
        }
    }
    out.push_str("\n### By tag\n\n");
    for (tag, ids) in tags {
        let ids: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
        let _ = writeln!(out, "- **{tag}** ({}): {}", ids.len(), ids.join(", "));
    }
    out
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The generated part of a document, between [`BEGIN`] and [`END`].
pub fn generated_part(document: &str) -> Option<&str> {
    let start = document.find(BEGIN)? + BEGIN.len();
    let end = start + document[start..].find(END)?;
    Some(document[start..end].trim_matches('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
    }

    #[test]
    fn the_generated_part_is_found_between_the_markers() {
        let document = format!("intro\n{BEGIN}\n\ntable\n\n{END}\nafter");
        assert_eq!(generated_part(&document), Some("table"));
        assert_eq!(generated_part("no markers"), None);
    }
}
