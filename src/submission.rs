//! Submission files: which exercise a file is for.

/// The exercise id named by a `# kata: ID` line at the top of a file.
///
/// The line must come before any code; a shebang, an encoding line, other comments and blank
/// lines may precede it.
pub fn exercise_header(text: &str) -> Option<&str> {
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
}
