//! The exercise's own keys: its id, title and other texts, difficulty, tags, hints and
//! required capabilities; and the "is not a …" diagnostic every named setting shares.

use std::collections::HashSet;

use toml::Spanned;

use super::Checker;
use crate::exercise::code::Code;
use crate::exercise::diagnostic::Diagnostic;
use crate::exercise::field_names::closest;
use crate::exercise::model::{Capability, Difficulty};

impl Checker<'_> {
    pub(super) fn id(&mut self, id: &str) {
        if !is_valid_id(id) {
            self.push(
                Diagnostic::error(
                    Code::InvalidId,
                    None,
                    format!("`{id}` is not a valid exercise id"),
                )
                .with_help(
                    "name the file in lowercase words joined by hyphens, like `lru-cache.toml`",
                ),
            );
        }
    }

    pub(super) fn required_text(&mut self, text: &Spanned<String>, key: &str) -> String {
        if text.get_ref().trim().is_empty() {
            self.push(Diagnostic::error(
                Code::EmptyText,
                text.span(),
                format!("`{key}` must not be empty"),
            ));
        }
        text.get_ref().clone()
    }

    pub(super) fn difficulty(&mut self, raw: &Spanned<String>) -> Difficulty {
        Difficulty::parse(raw.get_ref()).unwrap_or_else(|| {
            let names: Vec<&str> = Difficulty::ALL.iter().map(|d| d.as_str()).collect();
            self.unknown_name(Code::UnknownDifficulty, raw, "difficulty", &names);
            Difficulty::Medium
        })
    }

    pub(super) fn unknown_name(
        &mut self,
        code: Code,
        raw: &Spanned<String>,
        what: &str,
        names: &[&str],
    ) {
        let help = match closest(raw.get_ref(), names) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => format!("use one of: {}", names.join(", ")),
        };
        self.push(
            Diagnostic::error(
                code,
                raw.span(),
                format!("`{}` is not a {what}", raw.get_ref()),
            )
            .with_help(help),
        );
    }

    pub(super) fn tags(&mut self, raw: &[Spanned<String>]) -> Vec<String> {
        let mut seen = HashSet::new();
        for tag in raw {
            let text = tag.get_ref();
            let valid = !text.is_empty()
                && text
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !valid {
                self.push(
                    Diagnostic::error(
                        Code::BadTag,
                        tag.span(),
                        format!("tag `{text}` is not lowercase-with-hyphens"),
                    )
                    .with_help("write tags like `linked-list`"),
                );
            } else if !seen.insert(text.as_str()) {
                self.push(Diagnostic::error(
                    Code::DuplicateTag,
                    tag.span(),
                    format!("tag `{text}` is listed twice"),
                ));
            }
        }
        raw.iter().map(|tag| tag.get_ref().clone()).collect()
    }

    pub(super) fn hints(&mut self, raw: &[Spanned<String>]) -> Vec<String> {
        for hint in raw {
            if hint.get_ref().trim().is_empty() {
                self.push(Diagnostic::error(
                    Code::EmptyText,
                    hint.span(),
                    "a hint must not be empty",
                ));
            }
        }
        raw.iter().map(|hint| hint.get_ref().clone()).collect()
    }

    pub(super) fn requires(&mut self, raw: &[Spanned<String>]) -> Vec<Capability> {
        let names: Vec<&str> = Capability::ALL.iter().map(|c| c.as_str()).collect();
        raw.iter()
            .filter_map(|name| {
                let capability = Capability::parse(name.get_ref());
                if capability.is_none() {
                    self.unknown_name(Code::UnknownCapability, name, "capability", &names);
                }
                capability
            })
            .collect()
    }
}

/// Whether `id` is lowercase words (letters and digits) joined by single hyphens.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}
