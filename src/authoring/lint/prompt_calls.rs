//! Calls in the prompt's code that the starter does not define: the learner is asked for a
//! function the starter does not give them, or the prompt has a typo.

use std::collections::BTreeSet;

use super::Flagged;
use crate::exercise::Exercise;
use crate::exercise::allow::{Lint, Scope};
use crate::sandbox_files;

/// Names Python provides, and kata's own `raises(...)` notation.
const PROVIDED: &[&str] = &[
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "bool",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "complex",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
    "aiter",
    "anext",
    "breakpoint",
    "compile",
    "help",
    "raises",
    "and",
    "or",
    "not",
    "in",
    "is",
    "if",
    "elif",
    "while",
    "for",
    "return",
    "yield",
    "lambda",
    "assert",
    "del",
    "await",
    "with",
    "except",
    "raise",
];

pub(super) fn findings(exercise: &Exercise) -> Vec<Flagged> {
    let code = code_in_markdown(&exercise.prompt);
    let mut defined = defined_names(&exercise.starter);
    defined.extend(defined_names(&exercise.support.code));
    defined.extend(defined_names(&code.join("\n")));
    for module in &exercise.support.modules {
        if let Some(source) = sandbox_files::stock_module(module) {
            defined.extend(defined_names(source));
        }
    }
    let in_reference = defined_names(&exercise.reference);
    let mut called = BTreeSet::new();
    for snippet in &code {
        let snippet = without_strings_and_comments(snippet);
        called.extend(called_names(&snippet));
        // A name the prompt's code binds (`c = make_counter()`, `compose(f, g)`) is a variable
        // the learner's code is handed, and one it calls as a method (`db.close()`) is that
        // object's: neither is a function the starter should define.
        defined.extend(bound_names(&snippet));
        defined.extend(method_names(&snippet));
    }
    called
        .into_iter()
        .filter(|name| !defined.contains(name) && !PROVIDED.contains(&name.as_str()))
        .filter(|name| !name.ends_with("Error") && !name.ends_with("Exception"))
        .map(|name| {
            if in_reference.contains(&name) {
                Flagged::warning(
                    Lint::PromptCall,
                    Scope::Exercise,
                    format!("the prompt asks for `{name}(...)`, but the starter does not define it"),
                    "define it in the starter, with the signature the prompt gives",
                )
            } else {
                Flagged::warning(
                    Lint::PromptCall,
                    Scope::Exercise,
                    format!(
                        "the prompt mentions `{name}(...)`, which neither the starter nor the reference defines"
                    ),
                    "check the name in the prompt against the starter",
                )
            }
        })
        .collect()
}

/// The code in a Markdown text: inline code spans, fenced blocks and indented blocks.
fn code_in_markdown(markdown: &str) -> Vec<String> {
    let mut code = Vec::new();
    let mut fenced: Option<String> = None;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            match fenced.take() {
                Some(block) => code.push(block),
                None => fenced = Some(String::new()),
            }
            continue;
        }
        if let Some(block) = fenced.as_mut() {
            block.push_str(line);
            block.push('\n');
            continue;
        }
        if line.starts_with("    ") || line.starts_with('\t') {
            code.push(line.trim().to_string());
            continue;
        }
        let mut parts = line.split('`');
        parts.next();
        while let Some(span) = parts.next() {
            code.push(span.to_string());
            parts.next();
        }
    }
    code.extend(fenced);
    code
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Names called as `name(` and not as `obj.name(`.
fn called_names(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut names = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        if is_name_char(chars[index]) && (index == 0 || !is_name_char(chars[index - 1])) {
            let start = index;
            while index < chars.len() && is_name_char(chars[index]) {
                index += 1;
            }
            let dotted = start > 0 && chars[start - 1] == '.';
            let starts_like_a_name = !chars[start].is_ascii_digit();
            if !dotted && starts_like_a_name && chars.get(index) == Some(&'(') {
                names.push(chars[start..index].iter().collect());
            }
        } else {
            index += 1;
        }
    }
    names
}

/// `code` with its string literals emptied and its comments removed: a call in an expected
/// output (`'Point(1, 2)'`, `# -> Point(1, 2)`) is not a call.
fn without_strings_and_comments(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut comment = false;
    for c in code.chars() {
        if comment {
            if c == '\n' {
                comment = false;
                out.push(c);
            }
            continue;
        }
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q || c == '\n' {
                    quote = None;
                    out.push(c);
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '#' => comment = true,
            None => out.push(c),
        }
    }
    out
}

/// The identifiers in `code`, each with the byte offsets just before and after it.
fn identifiers(code: &str) -> Vec<(usize, &str, usize)> {
    let mut found = Vec::new();
    let mut start = None;
    for (index, c) in code
        .char_indices()
        .chain(std::iter::once((code.len(), ' ')))
    {
        match (start, is_name_char(c)) {
            (None, true) => start = Some(index),
            (Some(begin), false) => {
                let name = &code[begin..index];
                if !name.starts_with(|c: char| c.is_ascii_digit()) {
                    found.push((begin, name, index));
                }
                start = None;
            }
            _ => {}
        }
    }
    found
}

/// Names the code binds: assigned (`c = ...`), looped over (`for x in`), named by `as` or
/// `lambda`, or passed bare as an argument (`compose(f, g)`, `def apply(func, x)`).
fn bound_names(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut depth: usize = 0;
    let mut previous_word = "";
    let ids = identifiers(code);
    let mut next_id = 0;
    let mut chars = code.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        let Some(&(begin, name, end)) = ids.get(next_id) else {
            continue;
        };
        if index != begin {
            continue;
        }
        next_id += 1;
        let before = code[..begin].trim_end();
        let after = code[end..].trim_start();
        let dotted = before.ends_with('.');
        let assigned = after.starts_with('=') && !after.starts_with("==");
        let argument = depth > 0
            && (before.ends_with('(') || before.ends_with(','))
            && (after.starts_with(',') || after.starts_with(')') || after.starts_with('='));
        let after_keyword = matches!(previous_word, "for" | "as" | "lambda");
        if !dotted && (assigned || argument || after_keyword) {
            names.insert(name.to_string());
        }
        previous_word = name;
        // Skip the rest of this identifier.
        while chars.peek().is_some_and(|&(i, _)| i < end) {
            chars.next();
        }
    }
    names
}

/// Names called as methods somewhere in the code: `obj.name(`.
fn method_names(code: &str) -> BTreeSet<String> {
    identifiers(code)
        .into_iter()
        .filter(|&(begin, _, end)| code[..begin].ends_with('.') && code[end..].starts_with('('))
        .map(|(_, name, _)| name.to_string())
        .collect()
}

/// Functions and classes a piece of Python defines (`def name`, `class name`, at any depth).
fn defined_names(code: &str) -> BTreeSet<String> {
    code.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let rest = line
                .strip_prefix("def ")
                .or_else(|| line.strip_prefix("async def "))
                .or_else(|| line.strip_prefix("class "))?;
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| is_name_char(*c))
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_found_in_code_only() {
        let prompt = "Write `two_sum(nums)` and use sorted(x) in prose.\n\n    three(1).real\n    obj.method(2)\n\n```python\ndef helper(x):\n    return x\nfour()\n```\n";
        let code = code_in_markdown(prompt);
        let called: BTreeSet<String> = code.iter().flat_map(|c| called_names(c)).collect();
        assert_eq!(
            called.into_iter().collect::<Vec<_>>(),
            ["four", "helper", "three", "two_sum"]
        );
        assert!(defined_names(&code.join("\n")).contains("helper"));
    }

    #[test]
    fn variables_methods_and_expected_output_are_not_asked_for() {
        let code = without_strings_and_comments(
            "c = make_counter()\nc(), c()\ncompose(f, g)(x) == f(g(x))\ndb.close()\n\
             str(p)  # -> 'Point(1, 2)'\nprint('hi(3)')\nfor fn in hooks: fn()\nclose()\n",
        );
        let bound = bound_names(&code);
        for name in ["c", "f", "g", "x", "fn"] {
            assert!(bound.contains(name), "{name}: {bound:?}");
        }
        assert!(!bound.contains("make_counter") && !bound.contains("compose"));
        assert_eq!(
            method_names(&code).into_iter().collect::<Vec<_>>(),
            ["close"]
        );
        let called: BTreeSet<String> = called_names(&code).into_iter().collect();
        assert!(
            !called.contains("Point") && !called.contains("hi"),
            "{called:?}"
        );
    }

    #[test]
    fn defined_names_include_methods_and_classes() {
        let names = defined_names(
            "class LRUCache:\n    def get(self, key):\n        pass\nasync def fetch():\n    pass\n",
        );
        assert_eq!(
            names.into_iter().collect::<Vec<_>>(),
            ["LRUCache", "fetch", "get"]
        );
    }
}
