//! The last step: a finished case's result, checked against the kind of case and compared
//! with what it expects.
//!
//! [`fit`] is the one place where a frame's result is held against the case's kind: a value
//! for a `script` or `stdin` case, or no value for a `call` or `ops` case, can only have been
//! written by the submission, so it is refused as tampering (never kata's failure).

use crate::exercise::{
    Expectation, OpStep, Sequences, TextComparator, ValueComparator, ValueInput,
};
use crate::runner::Finished;
use crate::runner::Phase;
use crate::runner::protocol::{TypeName, ValuePath};
use crate::value::{Raised, Value, pretty_capped, repr_capped};

use super::explain::{PRETTY_BYTES, describe_exception};
use crate::grade::compare::{compare_sequences, compare_text};
use crate::grade::{Feedback, Mismatch, Verdict};

/// Width at which long values are broken one element per line in diffs.
const PRETTY_WIDTH: usize = 72;
/// The most kept of one result in an ops table.
const STEP_BYTES: usize = 200;

/// Why a frame does not fit its case.
pub(super) const MISFIT: &str = "its report does not fit this kind of case";

/// A finished case's result beside what its case expects: only pairs that can happen.
pub(super) enum Fitted<'a> {
    /// A `call` or `ops` case returned a value, to be compared.
    Returned {
        check: ValueCheck<'a>,
        actual: &'a Value,
    },
    /// A cost-only call returned a value: any will do.
    AnyValue,
    /// A `call` or `ops` case returned something kata cannot compare.
    BadValue {
        type_name: &'a TypeName,
        path: &'a ValuePath,
    },
    /// A `script` or `stdin` case ended: what it printed is compared.
    Printed {
        expected: &'a str,
        comparator: TextComparator,
    },
}

/// What a value case expects, and how it compares.
#[derive(Clone, Copy)]
pub(super) struct ValueCheck<'a> {
    pub(super) input: &'a ValueInput,
    pub(super) expected: &'a Value,
    pub(super) comparator: ValueComparator,
    pub(super) sequences: Sequences,
    pub(super) hidden: bool,
}

impl<'a> ValueCheck<'a> {
    /// The value check of a case that compares its returned value, if it does.
    pub(super) fn of(expectation: &'a Expectation, hidden: bool) -> Option<Self> {
        match expectation {
            Expectation::Returns {
                input,
                expected,
                comparator,
                sequences,
            } => Some(ValueCheck {
                input,
                expected,
                comparator: *comparator,
                sequences: *sequences,
                hidden,
            }),
            Expectation::Prints { .. } | Expectation::CostOnly { .. } => None,
        }
    }
}

/// Holds a finished case's result against its expectation; `Err` when they cannot belong
/// together (see the module docs).
pub(super) fn fit<'a>(
    expectation: &'a Expectation,
    hidden: bool,
    finished: &'a Finished,
) -> Result<Fitted<'a>, &'static str> {
    match (finished, expectation) {
        (Finished::Returned(actual), Expectation::Returns { .. }) => {
            ValueCheck::of(expectation, hidden)
                .map(|check| Fitted::Returned { check, actual })
                .ok_or(MISFIT)
        }
        (Finished::Returned(_), Expectation::CostOnly { .. }) => Ok(Fitted::AnyValue),
        (
            Finished::BadValue { type_name, path },
            Expectation::Returns { .. } | Expectation::CostOnly { .. },
        ) => Ok(Fitted::BadValue { type_name, path }),
        (
            Finished::Printed,
            Expectation::Prints {
                expected,
                comparator,
                ..
            },
        ) => Ok(Fitted::Printed {
            expected,
            comparator: *comparator,
        }),
        (Finished::Returned(_) | Finished::BadValue { .. }, Expectation::Prints { .. })
        | (Finished::Printed, Expectation::Returns { .. } | Expectation::CostOnly { .. }) => {
            Err(MISFIT)
        }
    }
}

/// Compares printed text with the expected text.
pub(super) fn compare_printed(
    expected: &str,
    printed: &str,
    comparator: TextComparator,
    feedback: &mut Feedback,
) -> Verdict {
    let comparison = compare_text(expected, printed, comparator);
    if comparison.equal {
        return Verdict::Accepted;
    }
    feedback.mismatch = Some(Mismatch {
        expected: expected.to_string(),
        actual: printed.to_string(),
        whitespace_only: comparison.whitespace_only,
        note: comparison
            .whitespace_only
            .then(|| "only whitespace differs (shown as · and ⏎)".to_string()),
    });
    Verdict::WrongAnswer
}

/// Compares a returned value (or the exception a case expected) with the expected value.
pub(super) fn compare_value(
    check: ValueCheck<'_>,
    actual: &Value,
    feedback: &mut Feedback,
) -> Verdict {
    let comparison = compare_sequences(check.expected, actual, check.comparator, check.sequences);
    if comparison.equal {
        return Verdict::Accepted;
    }
    if let ValueInput::Ops { steps } = check.input {
        // A method that raised where a value was expected is a crash, not a wrong value.
        if let Some((step, raised)) = first_unexpected_raise(check.expected, actual) {
            let call = steps.get(step).map(OpStep::call).unwrap_or_default();
            describe_exception(Phase::Case, raised, feedback);
            feedback.message = Some(format!(
                "{call} raised {}",
                feedback.message.take().unwrap_or_default()
            ));
            return Verdict::RuntimeError;
        }
        if !check.hidden {
            feedback.mismatch = Some(Mismatch {
                expected: ops_table(steps, &comparison.expected),
                actual: ops_table(steps, &comparison.actual),
                whitespace_only: false,
                note: comparison.note,
            });
        }
        return Verdict::WrongAnswer;
    }
    let mut note = comparison.note;
    if matches!(
        check.comparator,
        ValueComparator::Unordered | ValueComparator::UnorderedDeep
    ) && note.is_none()
    {
        note = Some("any order is accepted; both sides are shown sorted".into());
    }
    if !check.hidden {
        feedback.mismatch = Some(Mismatch {
            expected: pretty_capped(&comparison.expected, PRETTY_WIDTH, PRETTY_BYTES),
            actual: pretty_capped(&comparison.actual, PRETTY_WIDTH, PRETTY_BYTES),
            whitespace_only: false,
            note,
        });
    }
    Verdict::WrongAnswer
}

fn first_unexpected_raise<'a>(expected: &Value, actual: &'a Value) -> Option<(usize, &'a Raised)> {
    let (Value::List(expected), Value::List(actual)) = (expected, actual) else {
        return None;
    };
    expected
        .iter()
        .zip(actual)
        .enumerate()
        .find_map(|(step, pair)| match pair {
            (Value::Raised(_), _) => None,
            (_, Value::Raised(raised)) => Some((step, raised)),
            _ => None,
        })
}

/// One line per step, `call  ->  result`, so a line diff points at the step that differs.
fn ops_table(steps: &[OpStep], results: &Value) -> String {
    let calls: Vec<String> = steps.iter().map(OpStep::call).collect();
    let width = calls
        .iter()
        .map(|call| call.chars().count())
        .max()
        .unwrap_or(0);
    let results: Vec<String> = match results {
        Value::List(items) => items
            .iter()
            .take(calls.len())
            .map(|item| repr_capped(item, STEP_BYTES))
            .collect(),
        other => vec![repr_capped(other, STEP_BYTES)],
    };
    calls
        .iter()
        .zip(
            results
                .iter()
                .map(String::as_str)
                .chain(std::iter::repeat("(missing)")),
        )
        .map(|(call, result)| format!("{call:width$}  ->  {result}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::literal;

    fn steps(ops: &[&str], args: &str) -> Vec<OpStep> {
        let Value::List(lists) = literal::parse(args).unwrap() else {
            panic!("not a list")
        };
        ops.iter()
            .zip(lists)
            .map(|(method, args)| OpStep {
                method: method.to_string(),
                args: match args {
                    Value::List(items) | Value::Tuple(items) => items,
                    other => panic!("not an argument list: {other:?}"),
                },
            })
            .collect()
    }

    #[test]
    fn ops_tables_line_up_calls_and_results() {
        let steps = steps(&["LRUCache", "put", "get"], "[[2], [1, 1], [1]]");
        let results = literal::parse("[None, None, -1]").unwrap();
        assert_eq!(
            ops_table(&steps, &results),
            "LRUCache(2)  ->  None\nput(1, 1)    ->  None\nget(1)       ->  -1\n"
        );
    }

    #[test]
    fn frames_fit_their_kind_of_case() {
        let value = Expectation::Returns {
            input: ValueInput::Call { expr: "f()".into() },
            expected: Value::None,
            comparator: ValueComparator::Exact,
            sequences: Sequences::Typed,
        };
        let cost = Expectation::CostOnly { expr: "f()".into() };
        let text = Expectation::Prints {
            input: crate::exercise::TextInput::Stdin {
                text: String::new(),
            },
            expected: String::new(),
            comparator: TextComparator::Rstrip,
        };
        let returned = Finished::Returned(Value::None);
        let printed = Finished::Printed;
        let json = r#"{"protocol":1,"status":"bad-value","type":"Point","path":"$"}"#;
        let framed = format!("KATA-FRAME 1 {}\n{json}", json.len());
        let Ok(crate::runner::Frame {
            outcome: crate::runner::HarnessOutcome::Finished(bad),
            ..
        }) = crate::runner::protocol::parse(framed.as_bytes())
        else {
            panic!("not a bad value")
        };
        let fits = |expectation, finished| fit(expectation, false, finished).is_ok();
        assert!(fits(&value, &returned) && fits(&cost, &returned) && fits(&text, &printed));
        assert!(fits(&value, &bad) && fits(&cost, &bad));
        assert!(!fits(&value, &printed) && !fits(&cost, &printed));
        assert!(!fits(&text, &returned) && !fits(&text, &bad));
    }
}
