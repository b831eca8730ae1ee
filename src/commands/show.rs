//! `kata show ID`: the prompt and a few visible examples, as a Python session would show them.

use std::fmt::Write;

use anstream::println;

use crate::cli::ShowArgs;
use crate::error::Error;
use crate::exercise::{Case, Exercise, Expectation, OpStep, TextInput, ValueInput};
use crate::exit::ExitStatus;
use crate::settings::Globals;
use crate::style::{BOLD, CYAN, DIM, paint};
use crate::value::{Value, repr};
use crate::words::count;

/// Examples shown under the prompt.
const EXAMPLES: usize = 3;

pub(super) fn run(globals: &Globals, args: &ShowArgs) -> Result<ExitStatus, Error> {
    let catalogue = globals.catalogue()?;
    let exercise = catalogue.get(&args.id)?;
    println!("{}", render(exercise));
    Ok(ExitStatus::Success)
}

fn render(exercise: &Exercise) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint(BOLD, format!("{} — {}", exercise.id, exercise.title))
    );
    let mut meta = vec![exercise.difficulty.as_str().to_string()];
    meta.extend(exercise.tags.iter().cloned());
    let _ = writeln!(out, "{}\n", paint(DIM, meta.join(" · ")));
    let _ = writeln!(out, "{}", exercise.prompt.trim_end());
    let examples: Vec<&Case> = exercise
        .cases
        .iter()
        .filter(|c| !c.hidden)
        .take(EXAMPLES)
        .collect();
    if !examples.is_empty() {
        let _ = writeln!(out, "\n{}", paint(BOLD, "Examples"));
        for case in examples {
            let _ = writeln!(out, "\n{}", paint(DIM, format!("# {}", case.name)));
            out.push_str(&example(case));
        }
    }
    let hidden = exercise.cases.iter().filter(|c| c.hidden).count();
    let _ = write!(
        out,
        "\n{}",
        paint(
            DIM,
            format!(
                "{} ({hidden} hidden) · {} · start with `kata start {}`",
                count(exercise.cases.len(), "case", "cases"),
                count(exercise.hints.len(), "hint", "hints"),
                exercise.id
            )
        )
    );
    out
}

fn example(case: &Case) -> String {
    let prompt = paint(CYAN, ">>>");
    let mut out = String::new();
    match &case.expectation {
        Expectation::Returns {
            input: ValueInput::Call { expr },
            expected,
            ..
        } => {
            let _ = writeln!(out, "{prompt} {expr}");
            out.push_str(&result_line(expected));
        }
        Expectation::CostOnly { expr } => {
            let _ = writeln!(out, "{prompt} {expr}");
        }
        Expectation::Returns {
            input: ValueInput::Ops { steps },
            expected,
            ..
        } => {
            let calls: Vec<String> = steps.iter().map(OpStep::call).collect();
            if let Some(constructor) = calls.first() {
                let _ = writeln!(out, "{prompt} obj = {constructor}");
            }
            // The loader checked that an `ops` case expects a list of one result per step.
            let results = match expected {
                Value::List(results) => results.as_slice(),
                _ => &[],
            };
            for (call, result) in calls.iter().zip(results).skip(1) {
                let _ = writeln!(out, "{prompt} obj.{call}");
                out.push_str(&result_line(result));
            }
        }
        Expectation::Prints {
            input: TextInput::Script { code },
            expected,
            ..
        } => {
            for line in code.trim_end().lines() {
                let _ = writeln!(out, "{prompt} {line}");
            }
            out.push_str(expected.trim_end());
            out.push('\n');
        }
        Expectation::Prints {
            input: TextInput::Stdin { text },
            expected,
            ..
        } => {
            let _ = writeln!(out, "{}", paint(DIM, "input:"));
            out.push_str(text.trim_end());
            let _ = writeln!(out, "\n{}", paint(DIM, "output:"));
            out.push_str(expected.trim_end());
            out.push('\n');
        }
    }
    out
}

/// What the REPL would print for a result: nothing for None.
fn result_line(value: &Value) -> String {
    match value {
        Value::None => String::new(),
        Value::Raised(raised) => format!(
            "Traceback (most recent call last):\n  ...\n{}\n",
            raised.class_name()
        ),
        other => format!("{}\n", repr(other)),
    }
}
