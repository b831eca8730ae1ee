//! Submission files: the starter file kata writes, and which exercise a file is for.

use std::path::Path;

use crate::exercise::Exercise;
use crate::sandbox_files;

/// The exercise id named by a `# kata: ID` line at the top of a file.
///
/// The line must come before any code; a shebang, an encoding line, other comments and blank
/// lines may precede it.
pub(crate) fn exercise_header(text: &str) -> Option<&str> {
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let comment = line.strip_prefix('#')?;
        if let Some(id) = comment.trim_start().strip_prefix("kata:") {
            let id = id.trim();
            let valid = !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            return valid.then_some(id);
        }
    }
    None
}

/// The exercise id a file's name suggests: its stem with underscores as hyphens, since Python
/// module names cannot hold hyphens (`reverse_words.py` is `reverse-words`).
pub(crate) fn exercise_from_file_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_string_lossy().replace('_', "-");
    (!stem.is_empty()).then_some(stem)
}

/// The header line, the prompt as comments, the helpers kata provides, then the starter.
pub(crate) fn starter_file(exercise: &Exercise) -> String {
    let mut text = format!(
        "# kata: {}\n#\n# {} ({})\n#\n",
        exercise.id,
        exercise.title,
        exercise.difficulty.as_str()
    );
    for line in exercise.prompt.trim().lines() {
        if line.trim().is_empty() {
            text.push_str("#\n");
        } else {
            text.push_str(&format!("# {}\n", line.trim_end()));
        }
    }
    let provided = provided_names(exercise);
    if !provided.is_empty() {
        text.push_str(&format!(
            "#\n# Provided by kata, no import needed: {}\n",
            provided.join(", ")
        ));
    }
    text.push_str(&format!(
        "#\n# Check your work with: kata check {}\n\n",
        exercise.file_name()
    ));
    text.push_str(exercise.starter.trim_start_matches('\n'));
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Public classes and functions the exercise's support code gives the candidate.
fn provided_names(exercise: &Exercise) -> Vec<String> {
    let stock = exercise
        .support
        .modules
        .iter()
        .filter_map(|m| sandbox_files::stock_module(m));
    stock
        .chain(std::iter::once(exercise.support.code.as_str()))
        .flat_map(str::lines)
        .filter_map(|line| {
            let rest = line
                .strip_prefix("class ")
                .or_else(|| line.strip_prefix("def "))?;
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty() && !name.starts_with('_')).then_some(name)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_header_before_any_code() {
        assert_eq!(
            exercise_header("# kata: lru-cache\nclass X: pass"),
            Some("lru-cache")
        );
        assert_eq!(
            exercise_header("#!/usr/bin/env python3\n#kata:three-sum\n"),
            Some("three-sum")
        );
        assert_eq!(
            exercise_header("\n# my notes\n#  kata:  is-valid-bst  \n"),
            Some("is-valid-bst")
        );
        assert_eq!(exercise_header("import os\n# kata: lru-cache\n"), None);
        assert_eq!(exercise_header("# kata: Not An Id\n"), None);
        assert_eq!(exercise_header(""), None);
    }

    #[test]
    fn a_file_name_suggests_its_exercise_with_hyphens() {
        let id = |name: &str| exercise_from_file_name(Path::new(name));
        assert_eq!(
            id("class/bob/reverse_words.py").as_deref(),
            Some("reverse-words")
        );
        assert_eq!(id("three-sum.py").as_deref(), Some("three-sum"));
        assert_eq!(id("/"), None);
    }
}
