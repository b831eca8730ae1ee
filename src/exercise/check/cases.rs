//! `[[case]]`: names, what each runs (`call`, `ops`, `script` or `stdin`) and what it expects.

use std::collections::HashSet;

use toml::Spanned;

use super::comparators::Compared;
use super::growth;
use super::{Checker, Completeness, is_identifier};
use crate::exercise::code::Code;
use crate::exercise::diagnostic::{Diagnostic, span_in_string};
use crate::exercise::manifest::{RawCase, RawHeader};
use crate::exercise::model::{
    Case, CaseInput, Expectation, Limits, OpStep, Sequences, UnrecordedCase, ValueInput,
};
use crate::value::{Value, literal};

impl Checker<'_> {
    /// The cases with their expected results, and (in draft mode) those still without.
    pub(super) fn cases(
        &mut self,
        header: &RawHeader,
        base: &Limits,
        raw: Vec<RawCase>,
    ) -> (Vec<Case>, Vec<UnrecordedCase>) {
        let compare = self.compare_defaults(&header.compare);
        if raw.is_empty() {
            self.push(
                Diagnostic::error(Code::NoCases, None, "this exercise has no cases")
                    .with_help("add at least one `[[case]]`"),
            );
        }
        let shared_fixtures = self.fixtures(&header.fixtures, &[]);
        let mut names = HashSet::new();
        let mut cases = Vec::with_capacity(raw.len());
        let mut unrecorded = Vec::new();
        for case in raw {
            let name = case.name.get_ref().trim().to_string();
            if name.is_empty() {
                self.push(Diagnostic::error(
                    Code::EmptyCaseName,
                    case.name.span(),
                    "a case name must not be empty",
                ));
            } else if !names.insert(name.clone()) {
                self.push(Diagnostic::error(
                    Code::DuplicateCaseName,
                    case.name.span(),
                    format!("there is already a case named `{name}`"),
                ));
            }
            let line = self.file.line_column(case.name.span().start).0;
            let Some(input) = self.case_input(&case) else {
                continue;
            };
            let compared = self.compared(&compare, &case, input.clone());
            let sequences = match &case.sequences {
                Some(name) => self.sequences(name, &input),
                None => compare.sequences,
            };
            let limits = self.limits(base, &case.limits);
            let fixtures = self.fixtures(&case.fixtures, &shared_fixtures);
            // `None` when the table is invalid (already reported): the case is then left out.
            let growth = match &case.growth {
                Some(raw) => growth::check(raw, &input, self.problems).map(Some),
                None => Some(None),
            };
            if case.expect.is_none() && case.growth.is_none() && self.mode == Completeness::Draft {
                unrecorded.push(UnrecordedCase {
                    name,
                    line,
                    input,
                    limits,
                    fixtures,
                });
                continue;
            }
            let expectation = self.expectation(&case, compared, sequences);
            let points = match &case.points {
                Some(points) if !(0..=Case::POINTS_MAX).contains(points.get_ref()) => {
                    self.push(Diagnostic::error(
                        Code::PointsRange,
                        points.span(),
                        format!("`points` must be between 0 and {}", Case::POINTS_MAX),
                    ));
                    1
                }
                Some(points) => *points.get_ref() as u32,
                None => 1,
            };
            if let (Some(expectation), Some(growth)) = (expectation, growth) {
                cases.push(Case {
                    name,
                    line,
                    expectation,
                    hidden: case.hidden,
                    points,
                    limits,
                    fixtures,
                    growth,
                });
            }
        }
        (cases, unrecorded)
    }
    pub(super) fn case_input(&mut self, case: &RawCase) -> Option<CaseInput> {
        let given: Vec<&str> = [
            case.call.as_ref().map(|_| "call"),
            case.ops.as_ref().map(|_| "ops"),
            case.script.as_ref().map(|_| "script"),
            case.stdin.as_ref().map(|_| "stdin"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if given.len() != 1 {
            let message = if given.is_empty() {
                format!("case `{}` says nothing to run", case.name.get_ref())
            } else {
                format!(
                    "case `{}` has {} at once",
                    case.name.get_ref(),
                    given.join(" and ")
                )
            };
            self.push(
                Diagnostic::error(Code::CaseInput, case.name.span(), message)
                    .with_help("give exactly one of `call`, `ops`, `script` or `stdin`"),
            );
            return None;
        }
        if case.args.is_some() && case.ops.is_none() {
            let span = case.args.as_ref().map(Spanned::span);
            self.push(Diagnostic::error(
                Code::ArgsWithoutOps,
                span,
                "`args` only goes with `ops`",
            ));
        }
        if let Some(expr) = &case.call {
            self.not_blank(expr, "call")?;
            return Some(CaseInput::Call {
                expr: expr.get_ref().trim().to_string(),
            });
        }
        if let Some(code) = &case.script {
            self.not_blank(code, "script")?;
            return Some(CaseInput::Script {
                code: code.get_ref().clone(),
            });
        }
        if let Some(text) = &case.stdin {
            return Some(CaseInput::Stdin {
                text: text.get_ref().clone(),
            });
        }
        let ops = case.ops.as_ref()?;
        self.ops_input(case, ops)
    }

    pub(super) fn not_blank(&mut self, text: &Spanned<String>, key: &str) -> Option<()> {
        if text.get_ref().trim().is_empty() {
            self.push(Diagnostic::error(
                Code::EmptyText,
                text.span(),
                format!("`{key}` must not be empty"),
            ));
            None
        } else {
            Some(())
        }
    }

    pub(super) fn ops_input(
        &mut self,
        case: &RawCase,
        ops: &Spanned<Vec<String>>,
    ) -> Option<CaseInput> {
        if ops.get_ref().is_empty() {
            self.push(
                Diagnostic::error(Code::EmptyOps, ops.span(), "`ops` must not be empty")
                    .with_help("start with the class name, e.g. `ops = [\"LRUCache\", \"get\"]`"),
            );
            return None;
        }
        if let Some(bad) = ops.get_ref().iter().find(|op| !is_identifier(op)) {
            self.push(Diagnostic::error(
                Code::NotPythonName,
                ops.span(),
                format!("`{bad}` is not a Python name"),
            ));
            return None;
        }
        let Some(args) = &case.args else {
            self.push(
                Diagnostic::error(Code::OpsWithoutArgs, ops.span(), "`ops` needs `args`")
                    .with_help(
                        "give one argument list per operation, e.g. `args = \"[[2], [1]]\"`",
                    ),
            );
            return None;
        };
        let parsed = self.literal(args)?;
        let lists = match parsed {
            Value::List(items) if items.len() == ops.get_ref().len() => items
                .into_iter()
                .map(|item| match item {
                    Value::List(args) | Value::Tuple(args) => Some(args),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>(),
            _ => None,
        };
        let Some(lists) = lists else {
            self.push(
                Diagnostic::error(
                    Code::ArgsShape,
                    args.span(),
                    format!(
                        "`args` must be a list of {} argument lists, one per entry of `ops`",
                        ops.get_ref().len()
                    ),
                )
                .with_help("use `[]` for an operation without arguments"),
            );
            return None;
        };
        let steps = ops
            .get_ref()
            .iter()
            .zip(lists)
            .map(|(method, args)| OpStep {
                method: method.clone(),
                args,
            })
            .collect();
        Some(CaseInput::Ops { steps })
    }

    /// The case's expectation: its input, what it must produce and the comparator, or `None`
    /// when that is missing or invalid (reported).
    fn expectation(
        &mut self,
        case: &RawCase,
        compared: Compared,
        sequences: Sequences,
    ) -> Option<Expectation> {
        let Some(expect) = &case.expect else {
            return match compared {
                // A growth case without `expect` is judged on its cost alone.
                Compared::Value(ValueInput::Call { expr }, _) if case.growth.is_some() => {
                    Some(Expectation::CostOnly { expr })
                }
                // Growth on another kind of case was reported where it was checked.
                _ if case.growth.is_some() => None,
                _ => {
                    self.missing_expect(case);
                    None
                }
            };
        };
        match compared {
            Compared::Text(input, comparator) => Some(Expectation::Prints {
                input,
                expected: expect.get_ref().clone(),
                comparator,
            }),
            Compared::Value(input, comparator) => {
                let expected = self.literal(expect)?;
                if let ValueInput::Ops { steps } = &input {
                    self.ops_results(expect, &expected, steps.len())?;
                }
                Some(Expectation::Returns {
                    input,
                    expected,
                    comparator,
                    sequences,
                })
            }
        }
    }

    fn missing_expect(&mut self, case: &RawCase) {
        self.push(
            Diagnostic::error(Code::MissingExpect,
                case.name.span(),
                format!("case `{}` has no `expect`", case.name.get_ref()),
            )
            .with_help("write the expected result, or run `kata record` to fill it in from the reference solution"),
        );
    }

    /// An `ops` case expects one result per step.
    fn ops_results(&mut self, expect: &Spanned<String>, value: &Value, steps: usize) -> Option<()> {
        if matches!(value, Value::List(items) if items.len() == steps) {
            return Some(());
        }
        self.push(
            Diagnostic::error(
                Code::OpsExpectShape,
                expect.span(),
                format!("an `ops` case expects a list of {steps} results, one per operation"),
            )
            .with_help("use `None` for the constructor and for methods that return nothing"),
        );
        None
    }

    /// Parses a Python literal written in a TOML string, pointing errors at the exact character
    /// when the string's text appears verbatim in the file.
    pub(super) fn literal(&mut self, raw: &Spanned<String>) -> Option<Value> {
        match literal::parse(raw.get_ref()) {
            Ok(value) => Some(value),
            Err(error) => {
                let span = span_in_string(self.file, raw.span(), raw.get_ref(), error.offset);
                self.push(
                    Diagnostic::error(
                        Code::NotLiteral,
                        span,
                        format!("not a Python literal: {}", error.message),
                    )
                    .with_help("write the value the way Python's `repr` prints it"),
                );
                None
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use crate::exercise::model::{
        Exercise, Expectation, TextComparator, TextInput, ValueComparator, ValueInput,
    };
    use crate::exercise::{SourceFile, load};
    use crate::value::repr;

    const HEADER: &str = "format = 1\ntitle = \"T\"\ndifficulty = \"easy\"\nprompt = \"p\"\n\
                          starter = \"s\"\nreference = \"r\"\n";

    /// Loads cases under a fixed six-line header; problems come back one per line,
    /// `t.toml:line:column: error[code]: message`.
    fn load(cases: &str) -> Result<Exercise, String> {
        let file = SourceFile {
            name: "t.toml".into(),
            text: format!("{HEADER}{cases}"),
        };
        load::parse("t", file).map_err(|invalid| invalid.to_string())
    }

    #[test]
    fn each_kind_of_case_gets_the_expectation_of_its_kind() {
        let exercise = load(
            "[[case]]\nname = \"call\"\ncall = \"f(1)\"\nexpect = \"[1]\"\n\
             [[case]]\nname = \"ops\"\nops = [\"Stack\", \"push\", \"pop\"]\n\
             args = \"[[], (1, 'a'), []]\"\nexpect = \"[None, None, 1]\"\n\
             [[case]]\nname = \"script\"\nscript = \"print(1)\"\nexpect = \"1\"\ncompare = \"tokens\"\n\
             [[case]]\nname = \"stdin\"\nstdin = \"2\"\nexpect = \"4\"\n\
             [[case]]\nname = \"grows\"\ncall = \"f(n)\"\n\
             growth = { sizes = [100, 200, 400], allows = \"n\" }\n",
        )
        .unwrap();
        let [call, ops, script, stdin, grows] = &exercise.cases[..] else {
            panic!("five cases")
        };
        assert!(matches!(
            &call.expectation,
            Expectation::Returns {
                input: ValueInput::Call { expr },
                comparator: ValueComparator::Exact,
                ..
            } if expr == "f(1)"
        ));
        let Expectation::Returns {
            input: ValueInput::Ops { steps },
            expected,
            ..
        } = &ops.expectation
        else {
            panic!("not an ops case: {:?}", ops.expectation)
        };
        let calls: Vec<String> = steps.iter().map(|step| step.call()).collect();
        assert_eq!(calls, ["Stack()", "push(1, 'a')", "pop()"]);
        assert_eq!(repr(expected), "[None, None, 1]");
        assert!(matches!(
            &script.expectation,
            Expectation::Prints {
                input: TextInput::Script { .. },
                comparator: TextComparator::Tokens,
                ..
            }
        ));
        assert!(matches!(
            &stdin.expectation,
            Expectation::Prints {
                input: TextInput::Stdin { text },
                expected,
                comparator: TextComparator::Rstrip,
            } if text == "2" && expected == "4"
        ));
        assert!(matches!(
            &grows.expectation,
            Expectation::CostOnly { expr } if expr == "f(n)"
        ));
        assert_eq!(
            exercise
                .cases
                .iter()
                .map(|case| case.kind())
                .collect::<Vec<_>>(),
            ["call", "ops", "script", "stdin", "call"]
        );
    }

    #[test]
    fn a_comparator_of_the_other_kind_is_refused() {
        let problems = load(
            "[[case]]\nname = \"call\"\ncall = \"f()\"\nexpect = \"1\"\ncompare = \"rstrip\"\n",
        )
        .unwrap_err();
        assert!(
            problems.starts_with("t.toml:11:11: error[")
                && problems.contains("`rstrip` is not a value comparator"),
            "{problems}"
        );
        let problems = load(
            "[[case]]\nname = \"script\"\nscript = \"print(1)\"\nexpect = \"1\"\ncompare = \"unordered\"\n",
        )
        .unwrap_err();
        assert!(
            problems.starts_with("t.toml:11:11: error[")
                && problems.contains("`unordered` is not a text comparator"),
            "{problems}"
        );
    }

    #[test]
    fn ops_arguments_that_do_not_parse_point_at_the_character() {
        let problems = load(
            "[[case]]\nname = \"ops\"\nops = [\"Stack\", \"push\"]\n\
             args = \"[[], [1,, 2]]\"\nexpect = \"[None, None]\"\n",
        )
        .unwrap_err();
        // `args = "[[], [1,` is 16 characters: the second comma is the 17th.
        assert!(
            problems.starts_with("t.toml:10:17: error[")
                && problems.contains("not a Python literal"),
            "{problems}"
        );
        assert_eq!(problems.lines().count(), 1, "{problems}");
        let problems = load(
            "[[case]]\nname = \"ops\"\nops = [\"Stack\", \"push\"]\n\
             args = \"[[], 1]\"\nexpect = \"[None, None]\"\n",
        )
        .unwrap_err();
        assert!(
            problems.starts_with("t.toml:10:8: error[")
                && problems.contains("`args` must be a list of 2 argument lists"),
            "{problems}"
        );
    }

    #[test]
    fn growth_without_expect_on_a_text_case_is_reported_once() {
        let problems = load(
            "[[case]]\nname = \"script\"\nscript = \"print(n)\"\n\
             growth = { sizes = [100, 200, 400], allows = \"n\" }\n",
        )
        .unwrap_err();
        assert!(
            problems.contains("a `script` case cannot have `growth`"),
            "{problems}"
        );
        assert_eq!(problems.lines().count(), 1, "{problems}");
    }
}
