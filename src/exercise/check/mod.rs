//! Checking what an exercise file means: raw manifest → [`Exercise`], every problem reported.
//!
//! [`exercise`] walks the file in order; one [`Checker`] collects the diagnostics, and each
//! concern (the exercise's own keys, `[support]`, `[leetcode]`, limits, cases, fixtures,
//! comparators, wrong solutions, `allow`, equivalent mutants) adds its methods from its own file.

// Author input of any content must give diagnostics, never a panic: no string slicing, no
// unchecked indexing, no unwrap in this module.
#![deny(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used
)]

mod allowances;
mod cases;
mod comparators;
mod equivalents;
mod fixtures;
mod growth;
mod leetcode;
mod limits;
mod metadata;
mod support;
mod wrongs;

pub use metadata::is_valid_id;

use toml::Spanned;

use super::diagnostic::{Diagnostic, SourceFile};
use super::manifest::{RawCase, RawExercise, RawHeader, RawWrong};
use super::model::{Draft, Exercise, Limits};
use super::snippet::{SnippetMode, Snippets};

/// Builds the checked exercise, adding every problem found to `problems`.
pub(super) fn exercise(
    id: &str,
    file: &SourceFile,
    raw: RawExercise,
    mode: Completeness,
    problems: &mut Vec<Diagnostic>,
) -> Option<Draft> {
    let mut checker = Checker {
        file,
        problems,
        mode,
    };
    checker.id(id);
    let RawExercise {
        header,
        cases,
        wrongs,
        equivalents,
    } = raw;
    // Every case's name, even of cases with problems, so `caught_by` is checked against them.
    let mut case_names: Vec<String> = Vec::with_capacity(cases.len());
    for case in &cases {
        let name = case.name.get_ref().trim().to_string();
        if !case_names.contains(&name) {
            case_names.push(name);
        }
    }
    let snippets = snippets(file, &header, &cases, &wrongs);
    let allowed = checker.allowances(&header, &cases, &wrongs);
    let base_limits = checker.limits(&Limits::default(), &header.limits);
    let (cases, unrecorded) = checker.cases(&header, &base_limits, cases);
    let wrong_solutions = checker.wrongs(wrongs, &case_names);
    let equivalent_mutants = checker.equivalents(&equivalents);
    let leetcode = header
        .leetcode
        .as_ref()
        .and_then(|raw| checker.leetcode(raw, header.reference.get_ref()));
    let mut support = checker.support(&header);
    support.leetcode = leetcode.as_ref().map(|leetcode| leetcode.entry.clone());
    let exercise = Exercise {
        id: id.to_string(),
        origin: file.name.clone(),
        title: checker.required_text(&header.title, "title"),
        difficulty: checker.difficulty(&header.difficulty),
        tags: checker.tags(&header.tags),
        teaches: header
            .teaches
            .as_ref()
            .map(|t| checker.required_text(t, "teaches")),
        sources: header
            .sources
            .iter()
            .map(|s| checker.required_text(s, "sources"))
            .collect(),
        prompt: checker.required_text(&header.prompt, "prompt"),
        starter: checker.required_text(&header.starter, "starter"),
        hints: checker.hints(&header.hints),
        reference: checker.required_text(&header.reference, "reference"),
        requires: checker.requires(&header.requires),
        support,
        snippets,
        allowed,
        cases,
        wrong_solutions,
        equivalent_mutants,
        leetcode,
    };
    Some(Draft {
        exercise,
        unrecorded,
    })
}

/// The Python the file carries, for [`Snippets`]' syntax check.
fn snippets(
    file: &SourceFile,
    header: &RawHeader,
    cases: &[RawCase],
    wrongs: &[RawWrong],
) -> Snippets {
    let mut snippets = Snippets::new(file);
    let mut add = |what: String, code: &Spanned<String>, mode| {
        snippets.push(what, code.span(), code.get_ref(), mode);
    };
    add("the starter".into(), &header.starter, SnippetMode::Exec);
    add("the reference".into(), &header.reference, SnippetMode::Exec);
    if let Some(code) = &header.support.code {
        add("the support code".into(), code, SnippetMode::Exec);
    }
    if let Some(code) = &header.support.cases {
        add("the cases' helpers".into(), code, SnippetMode::Exec);
    }
    for case in cases {
        let name = case.name.get_ref().trim();
        if let Some(call) = &case.call {
            add(
                format!("the `call` of case `{name}`"),
                call,
                SnippetMode::Eval,
            );
        }
        if let Some(script) = &case.script {
            add(
                format!("the `script` of case `{name}`"),
                script,
                SnippetMode::Exec,
            );
        }
    }
    for wrong in wrongs {
        let name = wrong.name.get_ref().trim();
        add(format!("wrong `{name}`"), &wrong.code, SnippetMode::Exec);
    }
    snippets
}

/// What the loader accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Completeness {
    /// What graders need: every case has its `expect`.
    Complete,
    /// For authoring tools: a case may still lack its `expect`.
    Draft,
}

/// One exercise being checked: where problems go, and what the loader accepts.
struct Checker<'a> {
    file: &'a SourceFile,
    problems: &'a mut Vec<Diagnostic>,
    mode: Completeness,
}

impl Checker<'_> {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.problems.push(diagnostic);
    }
}

/// Whether `text` is a Python name (what `ops` and `[leetcode]` call).
fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]
mod tests {
    use super::*;
    use crate::exercise::model::{LeetCodeEntry, Sequences};

    #[test]
    fn identifiers() {
        assert!(is_identifier("LRUCache"));
        assert!(is_identifier("_put2"));
        assert!(!is_identifier("2x"));
        assert!(!is_identifier("get()"));
    }

    const HEADER: &str = r#"format = 1
title = "T"
difficulty = "easy"
prompt = "p"
starter = "s"
reference = '''
def three_sum(nums):
    return []

class Queue:
    pass
'''
[[case]]
name = "c"
call = "three_sum([])"
expect = "[]"
"#;

    fn load(extra: &str) -> Result<Exercise, Vec<String>> {
        let file = SourceFile {
            name: "t.toml".into(),
            text: format!("{HEADER}{extra}"),
        };
        super::super::load::parse("t", file).map_err(|invalid| {
            invalid
                .diagnostics
                .iter()
                .map(|d| format!("{} {}", d.message, d.help.clone().unwrap_or_default()))
                .collect()
        })
    }

    #[test]
    fn leetcode_tables_become_checked_entry_points() {
        let exercise = load(
            "[leetcode]\nproblem = 15\nslug = \"3sum\"\nfunctions = { three_sum = \"threeSum\" }\n",
        )
        .unwrap();
        let expected = LeetCodeEntry::Solution {
            functions: vec![("three_sum".into(), "threeSum".into())],
        };
        assert_eq!(exercise.support.leetcode.as_ref(), Some(&expected));
        let leetcode = exercise.leetcode.unwrap();
        assert_eq!((leetcode.problem, leetcode.slug.as_str()), (15, "3sum"));

        let design = load(
            "[leetcode]\nproblem = 232\nslug = \"q\"\nclass = \"Queue\"\nleetcode_class = \"MyQueue\"\nmethods = { enqueue = \"push\" }\n",
        )
        .unwrap();
        assert_eq!(
            design.support.leetcode,
            Some(LeetCodeEntry::Design {
                class: "Queue".into(),
                leetcode_class: "MyQueue".into(),
                methods: vec![("enqueue".into(), "push".into())],
            })
        );
        // Without a table, nothing changes.
        assert_eq!(load("").unwrap().support.leetcode, None);
    }

    #[test]
    fn bad_leetcode_tables_are_refused_with_reasons() {
        for (table, reason) in [
            (
                "problem = 0\nslug = \"x\"\nfunctions = { three_sum = \"a\" }",
                "problem number",
            ),
            (
                "problem = 1\nslug = \"Three Sum\"\nfunctions = { three_sum = \"a\" }",
                "not a LeetCode slug",
            ),
            (
                "problem = 1\nslug = \"x\"\nfunctions = { three_sum = \"three-sum\" }",
                "`three-sum` is not a Python name",
            ),
            (
                "problem = 1\nslug = \"x\"\nfunctions = { two_sum = \"twoSum\" }",
                "the reference defines no `two_sum`",
            ),
            ("problem = 1\nslug = \"x\"", "names no entry point"),
            (
                "problem = 1\nslug = \"x\"\nfunctions = { three_sum = \"a\" }\nclass = \"Queue\"",
                "not both",
            ),
            (
                "problem = 1\nslug = \"x\"\nfunctions = { three_sum = \"a\" }\nmethods = { a = \"b\" }",
                "it needs `class`",
            ),
            (
                "problem = 1\nslug = \"x\"\nfunction = { three_sum = \"a\" }",
                "did you mean `functions`?",
            ),
        ] {
            let problems = load(&format!("[leetcode]\n{table}\n")).unwrap_err();
            assert!(
                problems.iter().any(|problem| problem.contains(reason)),
                "{table}: {problems:?}"
            );
        }
    }

    fn sequences(case: &crate::exercise::Case) -> Sequences {
        match &case.expectation {
            crate::exercise::Expectation::Returns { sequences, .. } => *sequences,
            other => panic!("not a value case: {other:?}"),
        }
    }

    #[test]
    fn sequences_settings_are_checked() {
        let exercise = load("[compare]\nsequences = \"any\"\n").unwrap();
        assert_eq!(sequences(&exercise.cases[0]), Sequences::Any);
        assert_eq!(sequences(&load("").unwrap().cases[0]), Sequences::Typed);
        let problems = load("[compare]\nsequences = \"anytop\"\n").unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("is not a `sequences` setting")),
            "{problems:?}"
        );
    }
}
