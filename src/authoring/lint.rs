//! Lint: exercises that load and pass but are weaker or more confusing than they should be.
//!
//! Findings are warnings (the exercise is still valid) unless they mean the exercise is wrong,
//! in which case they are errors and `kata validate` fails it. `docs/authoring.md` lists them.
//! Two cases with the same name are already an error of the loader.
//!
//! - [`static_findings`] need only the file: cases that run the same thing, calls in the prompt
//!   the starter does not define, `TODO` left in the prompt;
//! - [`run_findings`] need the reference's and the wrong solutions' runs: limits far above what
//!   the reference needs, wrong solutions only hidden cases catch.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use crate::exercise::diagnostic::Severity;
use crate::exercise::{Case, CaseInput, Comparison, Exercise, Expected, Limits};
use crate::grade::compare::compare_values;
use crate::grade::judge::{bytes, duration};
use crate::grade::{CaseOutcome, Verdict};
use crate::runner::assets;

/// A limit this many times what the reference used is "far above" it.
pub const LIMIT_RATIO: u32 = 20;

/// One thing lint found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
}

impl Finding {
    fn warning(message: impl Into<String>, help: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Warning,
            message: message.into(),
            help: Some(help.into()),
        }
    }

    fn error(message: impl Into<String>, help: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Error,
            ..Finding::warning(message, help)
        }
    }
}

/// Findings that need nothing but the exercise.
pub fn static_findings(exercise: &Exercise) -> Vec<Finding> {
    let mut findings = identical_inputs(exercise);
    findings.extend(undefined_calls_in_prompt(exercise));
    if exercise.prompt.contains("TODO") || exercise.title.contains("TODO") {
        findings.push(Finding::warning(
            "the prompt still says `TODO`",
            "finish writing it: the prompt is all a learner has to go on",
        ));
    }
    findings
}

/// Findings about how the exercise's programs ran: `reference[case]`, and for each wrong
/// solution `wrongs[wrong][case]`.
pub fn run_findings(
    exercise: &Exercise,
    reference: &[&CaseOutcome],
    wrongs: &[Vec<&CaseOutcome>],
) -> Vec<Finding> {
    let mut findings = generous_limits(exercise, reference);
    for (wrong, outcomes) in exercise.wrong_solutions.iter().zip(wrongs) {
        let catchers: Vec<&Case> = exercise
            .cases
            .iter()
            .zip(outcomes)
            .filter(|(_, outcome)| shows_behaviour(outcome.verdict))
            .map(|(case, _)| case)
            .collect();
        if let Some(finding) = hidden_only(&catchers, &format!("wrong `{}`", wrong.name)) {
            findings.push(finding);
        }
    }
    findings
}

/// Verdicts that say something is wrong with what a program does (not how fast or how big it
/// is, which a hidden timed case is a fine place to check).
pub fn shows_behaviour(verdict: Verdict) -> bool {
    matches!(verdict, Verdict::WrongAnswer | Verdict::RuntimeError)
}

/// A warning when every case in `catchers` is hidden: learners who make this mistake never see
/// an example of it.
pub fn hidden_only(catchers: &[&Case], what: &str) -> Option<Finding> {
    if catchers.is_empty() || catchers.iter().any(|case| !case.hidden) {
        return None;
    }
    let names = quoted(catchers.iter().map(|case| case.name.as_str()));
    Some(Finding::warning(
        format!("{what} is caught only by hidden cases ({names})"),
        "a learner who makes this mistake sees no example of it: make one of those cases \
         visible, or add a visible case that shows it",
    ))
}

fn quoted<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------- identical inputs

/// What a case runs, with spacing that cannot change its meaning taken out.
fn input_key(case: &Case) -> String {
    let fixtures: Vec<String> = case
        .fixtures
        .iter()
        .map(|fixture| format!("{}:{:?}", fixture.path, fixture.contents))
        .collect();
    let input = match &case.input {
        CaseInput::Call { expr } => format!("call {}", squeeze_code(expr)),
        CaseInput::Ops { ops, args } => format!("ops {} {}", ops.join(","), squeeze_code(args)),
        CaseInput::Script { code } => {
            let lines: Vec<&str> = code
                .lines()
                .map(str::trim_end)
                .filter(|line| !line.trim().is_empty())
                .collect();
            format!("script {}", lines.join("\n"))
        }
        CaseInput::Stdin { text } => format!("stdin {text}"),
    };
    format!("{input}\0{}", fixtures.join("\0"))
}

/// A Python expression without the spaces and line breaks outside string literals.
fn squeeze_code(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in code.chars() {
        match quote {
            Some(q) => {
                out.push(c);
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c.is_whitespace() => {}
            None => out.push(c),
        }
    }
    out
}

fn identical_inputs(exercise: &Exercise) -> Vec<Finding> {
    let mut first_with: HashMap<String, &Case> = HashMap::new();
    let mut findings = Vec::new();
    for case in &exercise.cases {
        let Some(earlier) = first_with.get(&input_key(case)).copied() else {
            first_with.insert(input_key(case), case);
            continue;
        };
        if contradicts(earlier, case) {
            findings.push(Finding::error(
                format!(
                    "cases `{}` and `{}` run the same input but expect different results",
                    earlier.name, case.name
                ),
                "at most one of them can be right: fix the other, or give it another input",
            ));
        } else {
            findings.push(Finding::warning(
                format!(
                    "case `{}` runs exactly what case `{}` runs",
                    case.name, earlier.name
                ),
                "it catches nothing the other does not: change its input or remove it",
            ));
        }
    }
    findings
}

/// Same comparator, different expectations: no program can pass both.
fn contradicts(a: &Case, b: &Case) -> bool {
    if a.comparison != b.comparison {
        return false;
    }
    match (&a.expected, &b.expected, a.comparison) {
        (Expected::Value(x), Expected::Value(y), Comparison::Value(comparator)) => {
            !compare_values(x, y, comparator).equal
        }
        (Expected::Text(x), Expected::Text(y), Comparison::Text(comparator)) => {
            !crate::grade::compare::compare_text(x, y, comparator).equal
        }
        _ => false,
    }
}

// ---------------------------------------------------------------- the prompt's calls

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

fn undefined_calls_in_prompt(exercise: &Exercise) -> Vec<Finding> {
    let code = code_in_markdown(&exercise.prompt);
    let mut defined = defined_names(&exercise.starter);
    defined.extend(defined_names(&exercise.support.code));
    defined.extend(defined_names(&code.join("\n")));
    for module in &exercise.support.modules {
        if let Some(source) = assets::stock_module(module) {
            defined.extend(defined_names(source));
        }
    }
    let in_reference = defined_names(&exercise.reference);
    let mut called = BTreeSet::new();
    for snippet in &code {
        called.extend(called_names(snippet));
    }
    called
        .into_iter()
        .filter(|name| !defined.contains(name) && !PROVIDED.contains(&name.as_str()))
        .filter(|name| !name.ends_with("Error") && !name.ends_with("Exception"))
        .map(|name| {
            if in_reference.contains(&name) {
                Finding::warning(
                    format!("the prompt asks for `{name}(...)`, but the starter does not define it"),
                    "define it in the starter, with the signature the prompt gives",
                )
            } else {
                Finding::warning(
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

/// Functions and classes a piece of Python defines (`def name`, `class name`, at any depth).
pub fn defined_names(code: &str) -> BTreeSet<String> {
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

// ---------------------------------------------------------------- limits

fn generous_limits(exercise: &Exercise, reference: &[&CaseOutcome]) -> Vec<Finding> {
    let defaults = Limits::default();
    let mut findings = Vec::new();
    for (case, outcome) in exercise.cases.iter().zip(reference) {
        if !outcome.verdict.is_accepted() {
            continue;
        }
        if let Some(used) = outcome.usage.cpu
            && case.limits.cpu > defaults.cpu
            && case.limits.cpu > used.max(Duration::from_millis(1)) * LIMIT_RATIO
        {
            findings.push(Finding::warning(
                format!(
                    "case `{}` allows {} of CPU time, but the reference needs {}",
                    case.name,
                    duration(case.limits.cpu),
                    duration(used)
                ),
                format!(
                    "a solution {}× slower than the reference passes it: lower `cpu_ms`",
                    (case.limits.cpu.as_secs_f64() / used.as_secs_f64().max(0.001)) as u64
                ),
            ));
        }
        if let Some(peak_kb) = outcome.usage.peak_memory_kb
            && case.limits.memory_bytes > defaults.memory_bytes
            && case.limits.memory_bytes > (peak_kb.max(1) << 10) * u64::from(LIMIT_RATIO)
        {
            findings.push(Finding::warning(
                format!(
                    "case `{}` allows {} of memory, but the reference needs {}",
                    case.name,
                    bytes(case.limits.memory_bytes),
                    bytes(peak_kb << 10)
                ),
                "lower `memory_mb`, or say in the prompt why it is this high",
            ));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_outside_strings_does_not_matter() {
        assert_eq!(squeeze_code("f([1, 2],\n  'a b')"), "f([1,2],'a b')");
        assert_eq!(squeeze_code(r#"f("it's \" x")"#), r#"f("it's \" x")"#);
    }

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
