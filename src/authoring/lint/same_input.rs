//! Cases that run the same thing: redundant, or contradictory when they expect different
//! results under the same comparator.

use std::collections::HashMap;

use super::Flagged;
use crate::exercise::allow::{Lint, Scope};
use crate::exercise::{Case, CaseInput, Exercise, Expectation, OpStep};
use crate::grade::compare::{compare_text, compare_values};

/// What a case runs, with spacing that cannot change its meaning taken out.
fn input_key(case: &Case) -> String {
    let fixtures: Vec<String> = case
        .fixtures
        .iter()
        .map(|fixture| format!("{}:{:?}", fixture.path, fixture.contents))
        .collect();
    let input = match &case.input() {
        CaseInput::Call { expr } => format!("call {}", squeeze_code(expr)),
        CaseInput::Ops { steps } => {
            let calls: Vec<String> = steps.iter().map(OpStep::call).collect();
            format!("ops {}", calls.join(","))
        }
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

pub(super) fn findings(exercise: &Exercise) -> Vec<Flagged> {
    let mut first_with: HashMap<String, &Case> = HashMap::new();
    let mut findings = Vec::new();
    for case in &exercise.cases {
        let Some(earlier) = first_with.get(&input_key(case)).copied() else {
            first_with.insert(input_key(case), case);
            continue;
        };
        if contradicts(earlier, case) {
            findings.push(Flagged::error(
                format!(
                    "cases `{}` and `{}` run the same input but expect different results",
                    earlier.name, case.name
                ),
                "at most one of them can be right: fix the other, or give it another input",
            ));
        } else {
            findings.push(Flagged::warning(
                Lint::SameInput,
                Scope::Case(case.name.clone()),
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
    match (&a.expectation, &b.expectation) {
        (
            Expectation::Returns {
                expected: x,
                comparator,
                ..
            },
            Expectation::Returns {
                expected: y,
                comparator: other,
                ..
            },
        ) if comparator == other => !compare_values(x, y, *comparator).equal,
        (
            Expectation::Prints {
                expected: x,
                comparator,
                ..
            },
            Expectation::Prints {
                expected: y,
                comparator: other,
                ..
            },
        ) if comparator == other => !compare_text(x, y, *comparator).equal,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_outside_strings_does_not_matter() {
        assert_eq!(squeeze_code("f([1, 2],\n  'a b')"), "f([1,2],'a b')");
        assert_eq!(squeeze_code(r#"f("it's \" x")"#), r#"f("it's \" x")"#);
    }
}
