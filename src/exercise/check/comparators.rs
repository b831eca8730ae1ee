//! `[compare]` and a case's own comparator, tolerances and `sequences`.

use toml::Spanned;

use super::Checker;
use crate::exercise::code::Code;
use crate::exercise::diagnostic::Diagnostic;
use crate::exercise::manifest::{RawCase, RawCompareDefaults};
use crate::exercise::model::{
    CaseInput, Sequences, TextComparator, TextInput, ValueComparator, ValueInput,
};

/// A case's input split by what it gives back, each with its comparator.
pub(super) enum Compared {
    Value(ValueInput, ValueComparator),
    Text(TextInput, TextComparator),
}

/// The comparators and tolerances a case gets unless it names its own.
pub(super) struct CompareDefaults {
    value: ValueComparator,
    text: TextComparator,
    abs_tol: f64,
    rel_tol: f64,
    pub(super) sequences: Sequences,
}

impl Checker<'_> {
    /// `[compare]`, checked once for the whole exercise.
    pub(super) fn compare_defaults(&mut self, raw: &RawCompareDefaults) -> CompareDefaults {
        let abs_tol = self.tolerance(raw.abs_tol.as_ref());
        let rel_tol = self.tolerance(raw.rel_tol.as_ref());
        let value = raw
            .value
            .as_ref()
            .and_then(|name| self.value_comparator(name, "`call` and `ops`", abs_tol, rel_tol))
            .unwrap_or(ValueComparator::Exact);
        let text = raw
            .text
            .as_ref()
            .and_then(|name| self.text_comparator(name, "`script` and `stdin`"))
            .unwrap_or(TextComparator::Rstrip);
        let sequences = raw.sequences.as_ref().map_or(Sequences::Typed, |name| {
            Sequences::parse(name.get_ref()).unwrap_or_else(|| {
                self.unknown_sequences(name);
                Sequences::Typed
            })
        });
        CompareDefaults {
            value,
            text,
            abs_tol,
            rel_tol,
            sequences,
        }
    }

    /// A case's own `sequences`: only value cases return lists or tuples.
    pub(super) fn sequences(&mut self, name: &Spanned<String>, input: &CaseInput) -> Sequences {
        let Some(sequences) = Sequences::parse(name.get_ref()) else {
            self.unknown_sequences(name);
            return Sequences::Typed;
        };
        if !input.returns_value() {
            self.push(Diagnostic::error(
                Code::SequencesOnText,
                name.span(),
                format!(
                    "`sequences` applies to returned values, but a `{}` case compares text",
                    input.kind()
                ),
            ));
        }
        sequences
    }

    pub(super) fn unknown_sequences(&mut self, name: &Spanned<String>) {
        let names: Vec<&str> = Sequences::ALL.iter().map(|s| s.as_str()).collect();
        self.unknown_name(Code::UnknownSequences, name, "`sequences` setting", &names);
    }

    pub(super) fn value_comparator(
        &mut self,
        name: &Spanned<String>,
        kinds: &str,
        abs_tol: f64,
        rel_tol: f64,
    ) -> Option<ValueComparator> {
        match name.get_ref().as_str() {
            "exact" => Some(ValueComparator::Exact),
            "unordered" => Some(ValueComparator::Unordered),
            "unordered-deep" => Some(ValueComparator::UnorderedDeep),
            "float" => Some(ValueComparator::Float { abs_tol, rel_tol }),
            other => {
                let names = ValueComparator::NAMES.join(", ");
                let help = if TextComparator::parse(other).is_some() {
                    format!(
                        "`{other}` compares text, but {kinds} cases return values; use one of: {names}"
                    )
                } else {
                    format!("use one of: {names}")
                };
                self.push(
                    Diagnostic::error(
                        Code::UnknownValueComparator,
                        name.span(),
                        format!("`{other}` is not a value comparator"),
                    )
                    .with_help(help),
                );
                None
            }
        }
    }

    pub(super) fn text_comparator(
        &mut self,
        name: &Spanned<String>,
        kinds: &str,
    ) -> Option<TextComparator> {
        let comparator = TextComparator::parse(name.get_ref());
        if comparator.is_none() {
            self.push(
                Diagnostic::error(
                    Code::UnknownTextComparator,
                    name.span(),
                    format!("`{}` is not a text comparator", name.get_ref()),
                )
                .with_help(format!(
                    "{kinds} cases compare printed text; use one of: {}",
                    TextComparator::NAMES.join(", ")
                )),
            );
        }
        comparator
    }

    /// The case's input with the comparator for its kind: its own `compare`, or the default.
    pub(super) fn compared(
        &mut self,
        defaults: &CompareDefaults,
        case: &RawCase,
        input: CaseInput,
    ) -> Compared {
        let abs_tol = match &case.abs_tol {
            Some(tolerance) => self.tolerance(Some(tolerance)),
            None => defaults.abs_tol,
        };
        let rel_tol = match &case.rel_tol {
            Some(tolerance) => self.tolerance(Some(tolerance)),
            None => defaults.rel_tol,
        };
        let tolerance_span = case
            .abs_tol
            .as_ref()
            .or(case.rel_tol.as_ref())
            .map(Spanned::span);
        let kind = format!("`{}`", input.kind());
        let value_input = match input {
            CaseInput::Call { expr } => Ok(ValueInput::Call { expr }),
            CaseInput::Ops { steps } => Ok(ValueInput::Ops { steps }),
            CaseInput::Script { code } => Err(TextInput::Script { code }),
            CaseInput::Stdin { text } => Err(TextInput::Stdin { text }),
        };
        match value_input {
            Ok(input) => {
                let comparator = match &case.compare {
                    Some(name) => self
                        .value_comparator(name, &kind, abs_tol, rel_tol)
                        .unwrap_or(ValueComparator::Exact),
                    None => match defaults.value {
                        ValueComparator::Float { .. } => {
                            ValueComparator::Float { abs_tol, rel_tol }
                        }
                        other => other,
                    },
                };
                if tolerance_span.is_some() && !matches!(comparator, ValueComparator::Float { .. })
                {
                    self.push(Diagnostic::error(
                        Code::ToleranceWithoutFloat,
                        tolerance_span,
                        "tolerances only apply with `compare = \"float\"`",
                    ));
                }
                Compared::Value(input, comparator)
            }
            Err(input) => {
                let comparator = match &case.compare {
                    Some(name) => self
                        .text_comparator(name, &kind)
                        .unwrap_or(TextComparator::Rstrip),
                    None => defaults.text,
                };
                if tolerance_span.is_some() {
                    self.push(Diagnostic::error(
                        Code::ToleranceOnText,
                        tolerance_span,
                        "tolerances only apply to value cases",
                    ));
                }
                Compared::Text(input, comparator)
            }
        }
    }

    pub(super) fn tolerance(&mut self, raw: Option<&Spanned<f64>>) -> f64 {
        match raw {
            None => ValueComparator::DEFAULT_TOLERANCE,
            Some(value) if value.get_ref().is_finite() && *value.get_ref() >= 0.0 => {
                *value.get_ref()
            }
            Some(value) => {
                self.push(Diagnostic::error(
                    Code::BadTolerance,
                    value.span(),
                    "a tolerance must be a finite number ≥ 0",
                ));
                ValueComparator::DEFAULT_TOLERANCE
            }
        }
    }
}
