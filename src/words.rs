//! Counted nouns for messages: `1 hint`, `3 hints`, never `3 hint(s)`. A leaf module, so every
//! layer can use it.

/// `count` followed by `one` or `many`, whichever agrees with it.
pub(crate) fn count(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(count(1, "hint", "hints"), "1 hint");
        assert_eq!(count(0, "hint", "hints"), "0 hints");
        assert_eq!(
            count(3, "exercise file", "exercise files"),
            "3 exercise files"
        );
    }
}
