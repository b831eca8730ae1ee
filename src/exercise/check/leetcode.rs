//! `[leetcode]`: the LeetCode problem and its names for the exercise's entry points.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::{Checker, is_identifier};
use crate::exercise::code::Code;
use crate::exercise::diagnostic::Diagnostic;
use crate::exercise::manifest::RawLeetCode;
use crate::exercise::model::{LeetCode, LeetCodeEntry};

impl Checker<'_> {
    /// `[leetcode]`: the problem, and LeetCode's names for kata's entry points. Each kata name
    /// must be one the reference defines at the top level, so the mapping cannot drift from it.
    pub(super) fn leetcode(&mut self, raw: &RawLeetCode, reference: &str) -> Option<LeetCode> {
        let mut ok = true;
        let problem = *raw.problem.get_ref();
        if !(1..=99_999).contains(&problem) {
            self.push(Diagnostic::error(
                Code::LeetCodeProblem,
                raw.problem.span(),
                "`problem` must be LeetCode's problem number (1 to 99999)",
            ));
            ok = false;
        }
        let slug = raw.slug.get_ref();
        if slug.is_empty()
            || !slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            self.push(
                Diagnostic::error(
                    Code::LeetCodeSlug,
                    raw.slug.span(),
                    format!("`{slug}` is not a LeetCode slug"),
                )
                .with_help("write the problem's slug as in its address, e.g. `3sum`"),
            );
            ok = false;
        }
        let pairs = |map: &Option<Spanned<BTreeMap<String, String>>>| {
            map.as_ref().map_or_else(Vec::new, |map| {
                map.get_ref()
                    .iter()
                    .map(|(ours, theirs)| (ours.clone(), theirs.clone()))
                    .collect::<Vec<_>>()
            })
        };
        let functions = pairs(&raw.functions);
        let methods = pairs(&raw.methods);
        let span = raw.slug.span();
        let entry = match (&raw.class, functions.is_empty()) {
            (None, false) => {
                if let Some(methods) = &raw.methods {
                    self.push(Diagnostic::error(
                        Code::LeetCodeNeedsClass,
                        methods.span(),
                        "`methods` renames the methods of a design class: it needs `class`",
                    ));
                    ok = false;
                }
                if let Some(leetcode_class) = &raw.leetcode_class {
                    self.push(Diagnostic::error(
                        Code::LeetCodeNeedsClass,
                        leetcode_class.span(),
                        "`leetcode_class` needs `class`",
                    ));
                    ok = false;
                }
                LeetCodeEntry::Solution { functions }
            }
            (Some(class), true) => LeetCodeEntry::Design {
                class: class.get_ref().clone(),
                leetcode_class: raw
                    .leetcode_class
                    .as_ref()
                    .unwrap_or(class)
                    .get_ref()
                    .clone(),
                methods,
            },
            (Some(class), false) => {
                self.push(
                    Diagnostic::error(
                        Code::LeetCodeBothEntries,
                        class.span(),
                        "give `functions` or `class`, not both",
                    )
                    .with_help(
                        "`functions` maps to `class Solution`; `class` is for design problems",
                    ),
                );
                return None;
            }
            (None, true) => {
                self.push(
                    Diagnostic::error(Code::LeetCodeNoEntry, span, "`[leetcode]` names no entry point")
                        .with_help("add `functions = { kata_name = \"leetcodeName\" }`, or `class` for a design problem"),
                );
                return None;
            }
        };
        let mut names: Vec<(&str, Range<usize>)> = Vec::new();
        let map_span = |map: &Option<Spanned<BTreeMap<String, String>>>| {
            map.as_ref().map(Spanned::span).unwrap_or(span.clone())
        };
        match &entry {
            LeetCodeEntry::Solution { functions } => {
                for (ours, theirs) in functions {
                    names.push((ours, map_span(&raw.functions)));
                    names.push((theirs, map_span(&raw.functions)));
                }
            }
            LeetCodeEntry::Design {
                class,
                leetcode_class,
                methods,
            } => {
                let class_span = raw
                    .class
                    .as_ref()
                    .map(Spanned::span)
                    .unwrap_or(span.clone());
                names.push((class, class_span.clone()));
                names.push((leetcode_class, class_span));
                for (ours, theirs) in methods {
                    names.push((ours, map_span(&raw.methods)));
                    names.push((theirs, map_span(&raw.methods)));
                }
            }
        }
        for (name, span) in names {
            if !is_identifier(name) {
                self.push(Diagnostic::error(
                    Code::NotPythonName,
                    span,
                    format!("`{name}` is not a Python name"),
                ));
                ok = false;
            }
        }
        for name in entry.kata_names() {
            if is_identifier(name) && !defines_at_top_level(reference, name) {
                self.push(
                    Diagnostic::error(
                        Code::LeetCodeUndefined,
                        raw.slug.span(),
                        format!("the reference defines no `{name}` at the top level"),
                    )
                    .with_help(
                        "`[leetcode]` maps kata's entry points, which the reference defines",
                    ),
                );
                ok = false;
            }
        }
        ok.then(|| LeetCode {
            problem: problem as u32,
            slug: slug.clone(),
            entry,
        })
    }
}

/// Whether `source` has a top-level `def name` or `class name` (a line starting with it).
fn defines_at_top_level(source: &str, name: &str) -> bool {
    source.lines().any(|line| {
        ["def ", "async def ", "class "].iter().any(|keyword| {
            line.strip_prefix(keyword)
                .and_then(|rest| rest.strip_prefix(name))
                .is_some_and(|rest| rest.starts_with(['(', ':', ' ']))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_definitions_are_found_by_name() {
        let source =
            "class LRUCache:\n    def get(self):\n        pass\ndef three_sum(nums):\n    pass\n";
        assert!(defines_at_top_level(source, "LRUCache"));
        assert!(defines_at_top_level(source, "three_sum"));
        assert!(!defines_at_top_level(source, "get"));
        assert!(!defines_at_top_level(source, "three"));
    }
}
