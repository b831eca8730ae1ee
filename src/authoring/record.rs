//! `kata record`: expected results from the reference solution, written into the file in place.
//!
//! Two jobs, kept apart: [`expectation`] decides what a run of the reference means as an
//! `expect` (the host reads the frame; the sandbox never says what to expect), and
//! [`insert_expectations`] edits the TOML with `toml_edit`, which keeps every comment, blank line
//! and quoting style of the file; only the new `expect` lines are added, each right after its
//! case's input.

use toml_edit::{DocumentMut, Item, Table, Value as TomlValue};

use crate::exercise::{CaseInput, Limits};
use crate::grade::judge;
use crate::runner::{Finished, HarnessOutcome, ProcessEnd, RunOutput};
use crate::value::{Value, literal, pretty, repr};

/// Values longer than this are written one element per line.
const LONG_VALUE: usize = 72;

/// An expected result, as it will be written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expectation {
    /// The `expect` string's contents: a Python literal, or the exact text printed.
    pub text: String,
    /// Whether the reference raised (a `call` case recorded as `raises(...)`): worth a look.
    pub raised: bool,
}

/// What the reference's run of a case means as an `expect`, or why it cannot be recorded.
///
/// A run that hit a limit is never recorded, and is judged by the graders' own rule
/// ([`judge::limit_outcome`]): a `MemoryError` is the memory limit, not `raises(MemoryError)`,
/// so `kata validate` never rejects what `kata record` wrote.
pub(crate) fn expectation(
    input: &CaseInput,
    limits: &Limits,
    output: &RunOutput,
) -> Result<Expectation, String> {
    if let Some((verdict, message)) = judge::limit_outcome(limits, output) {
        return Err(format!(
            "the reference {message} ({verdict}), so nothing was written: raise the case's \
             limit, or make the case smaller"
        ));
    }
    let frame = output
        .frame
        .as_ref()
        .map_err(|error| format!("the reference's run gave no usable result: {error}"))?;
    match &frame.outcome {
        HarnessOutcome::Finished(Finished::BadValue { type_name, .. }) => Err(format!(
            "the reference returned a `{type_name}`, which is not a built-in value: convert it in the case (e.g. `list(...)`)"
        )),
        HarnessOutcome::Finished(finished) if output.exit == ProcessEnd::Code(0) => {
            match (input.returns_value(), finished) {
                (true, Finished::Returned(value)) => value_expectation(value, false),
                (false, Finished::Printed) => Ok(Expectation {
                    text: frame.stdout.clone(),
                    raised: false,
                }),
                _ => Err("the sandbox's report does not fit this kind of case".to_string()),
            }
        }
        HarnessOutcome::Finished(_) => {
            Err("the reference's process did not end cleanly after the case".to_string())
        }
        HarnessOutcome::Raised {
            phase: crate::runner::Phase::Case,
            exception,
        } if matches!(input, CaseInput::Call { .. }) => {
            value_expectation(&Value::Raised(exception.clone()), true)
        }
        HarnessOutcome::Raised { exception, .. } => {
            let message = exception.message.as_deref().unwrap_or_default();
            Err(format!(
                "the reference raised {}{}{}",
                exception.class_name(),
                if message.is_empty() { "" } else { ": " },
                message
            ))
        }
        HarnessOutcome::SyntaxError(problem) => Err(format!(
            "the reference does not compile: {}: {}",
            problem.type_name, problem.message
        )),
        HarnessOutcome::OutputLimit { .. } => {
            Err("the reference went over the output limit".to_string())
        }
        HarnessOutcome::Exit { code, .. } => {
            Err(format!("the reference exited with status {code}"))
        }
        HarnessOutcome::Stopped { .. } => Err("the reference ran out of CPU time".to_string()),
        HarnessOutcome::SetupError { message } | HarnessOutcome::HarnessError { message } => {
            Err(format!("the case could not run: {message}"))
        }
    }
}

/// A value written so that kata reads back exactly that value.
fn value_expectation(value: &Value, raised: bool) -> Result<Expectation, String> {
    let flat = repr(value);
    let text = if flat.chars().count() > LONG_VALUE {
        pretty(value, LONG_VALUE)
    } else {
        flat
    };
    let round_trip = literal::parse(&text).map_err(|error| {
        format!(
            "kata cannot write this value as a literal ({})",
            error.message
        )
    })?;
    if !crate::grade::compare::compare_values(
        value,
        &round_trip,
        crate::exercise::ValueComparator::Exact,
    )
    .equal
    {
        return Err("kata cannot write this value as a literal it reads back".to_string());
    }
    Ok(Expectation { text, raised })
}

/// How a file quotes its single-line `expect` strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quotes {
    /// `'...'`: nothing is escaped, so the file shows exactly what is expected.
    Literal,
    /// `"..."`.
    Basic,
}

/// The TOML for an `expect` string holding `text`: multi-line when the text is, otherwise in
/// the file's own quoting style when the text needs no escapes in it.
pub(crate) fn toml_string(text: &str, quotes: Quotes) -> String {
    let plain = !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t');
    if text.contains('\n') {
        if plain && !text.contains("'''") && !text.ends_with('\'') {
            // A newline right after the opening quotes is not part of the string.
            return format!("'''\n{text}'''");
        }
    } else if plain {
        let literal_fits = !text.contains('\'');
        let basic_fits = !text.contains(['"', '\\']);
        match quotes {
            Quotes::Basic if basic_fits => return format!("\"{text}\""),
            _ if literal_fits => return format!("'{text}'"),
            _ => {}
        }
    }
    // toml_edit picks a basic string and escapes what needs escaping.
    TomlValue::from(text).to_string().trim().to_string()
}

/// The quoting most of the file's single-line `expect` strings use (literal when there are none).
fn quotes_of(document: &DocumentMut) -> Quotes {
    let mut basic = 0;
    let mut literal = 0;
    let mut count = |value: Option<&TomlValue>| {
        let raw = value
            .and_then(|value| match value {
                TomlValue::String(string) => string.as_repr(),
                _ => None,
            })
            .and_then(|repr| repr.as_raw().as_str());
        match raw {
            Some(raw) if raw.starts_with("'''") || raw.starts_with("\"\"\"") => {}
            Some(raw) if raw.starts_with('\'') => literal += 1,
            Some(raw) if raw.starts_with('"') => basic += 1,
            _ => {}
        }
    };
    match document.get("case") {
        Some(Item::ArrayOfTables(cases)) => {
            for case in cases.iter() {
                count(case.get("expect").and_then(Item::as_value));
            }
        }
        Some(Item::Value(TomlValue::Array(cases))) => {
            for case in cases.iter().filter_map(TomlValue::as_inline_table) {
                count(case.get("expect"));
            }
        }
        _ => {}
    }
    if basic > literal {
        Quotes::Basic
    } else {
        Quotes::Literal
    }
}

/// Problems editing the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum EditError {
    #[error("the file is not TOML kata can edit: {0}")]
    Parse(String),
    #[error("no `[[case]]` named `{0}` in the file")]
    NoSuchCase(String),
}

/// Adds `expect = ...` to the named cases, right after each one's input, and returns the new
/// text. Everything else in the file is kept as it was.
pub(crate) fn insert_expectations(
    text: &str,
    expectations: &[(String, Expectation)],
) -> Result<String, EditError> {
    let mut document: DocumentMut = text
        .parse()
        .map_err(|error: toml_edit::TomlError| EditError::Parse(error.message().to_string()))?;
    let quotes = quotes_of(&document);
    for (name, expectation) in expectations {
        let value: TomlValue = toml_string(&expectation.text, quotes)
            .parse()
            .map_err(|error: toml_edit::TomlError| EditError::Parse(error.to_string()))?;
        let inserted = match document.get_mut("case") {
            Some(Item::ArrayOfTables(cases)) => cases
                .iter_mut()
                .find(|case| case_name(case.get("name").and_then(Item::as_str)) == Some(name))
                .map(|case| insert_into_table(case, value)),
            Some(Item::Value(TomlValue::Array(cases))) => cases
                .iter_mut()
                .filter_map(TomlValue::as_inline_table_mut)
                .find(|case| case_name(case.get("name").and_then(TomlValue::as_str)) == Some(name))
                .map(|case| insert_into_inline_table(case, value)),
            _ => None,
        };
        if inserted.is_none() {
            return Err(EditError::NoSuchCase(name.clone()));
        }
    }
    Ok(document.to_string())
}

/// A case's name as the loader reads it (trimmed).
fn case_name(name: Option<&str>) -> Option<&str> {
    name.map(str::trim)
}

/// Inserts `expect` into a `[[case]]` table, placed after the case's input and indented like it.
fn insert_into_table(case: &mut Table, mut value: TomlValue) {
    let anchor = ["args", "call", "ops", "script", "stdin"]
        .into_iter()
        .find(|key| case.contains_key(key))
        .unwrap_or("name");
    let indent = case
        .key(anchor)
        .and_then(|key| key.leaf_decor().prefix())
        .and_then(|prefix| prefix.as_str())
        .map(|prefix| {
            let last_line = prefix.rsplit('\n').next().unwrap_or_default();
            last_line
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect::<String>()
        })
        .unwrap_or_default();
    value.decor_mut().set_prefix(" ");
    case.insert("expect", Item::Value(value));
    if let Some(mut key) = case.key_mut("expect") {
        key.leaf_decor_mut().set_prefix(indent);
        key.leaf_decor_mut().set_suffix(" ");
    }
    // Move `expect` to just after the anchor: rank every key by where it should go.
    let order: Vec<String> = case.iter().map(|(key, _)| key.to_string()).collect();
    let rank = |key: &str| -> (usize, usize) {
        if key == "expect" {
            let anchor_at = order.iter().position(|k| k == anchor).unwrap_or(0);
            (anchor_at, 1)
        } else {
            (order.iter().position(|k| k == key).unwrap_or(usize::MAX), 0)
        }
    };
    case.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get())));
}

/// Appends `expect` to an inline case table, taking over the space the last value kept before
/// the closing brace.
fn insert_into_inline_table(case: &mut toml_edit::InlineTable, mut value: TomlValue) {
    let mut before_brace = None;
    if let Some((_, last)) = case.iter_mut().last() {
        before_brace = last.decor().suffix().cloned();
        last.decor_mut().set_suffix("");
    }
    value.decor_mut().set_prefix(" ");
    if let Some(suffix) = before_brace {
        value.decor_mut().set_suffix(suffix);
    }
    case.insert("expect", value);
}

/// A short form of an expectation for one line of a report.
pub(crate) fn summary(text: &str) -> String {
    const WIDTH: usize = 60;
    let one_line = text.trim_end().replace('\n', "⏎");
    if one_line.chars().count() > WIDTH {
        let cut: String = one_line.chars().take(WIDTH).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

/// The judge's wording of a disagreement, for the report.
pub(crate) fn describe_mismatch(outcome: &crate::grade::CaseOutcome) -> String {
    match (&outcome.feedback.mismatch, &outcome.feedback.message) {
        (Some(mismatch), _) => format!(
            "the file expects {}, the reference gives {}",
            summary(&mismatch.expected),
            summary(&mismatch.actual)
        ),
        (None, Some(message)) => format!("{}: {message}", outcome.verdict.label()),
        (None, None) => outcome.verdict.label().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_written_as_literally_as_possible() {
        use Quotes::{Basic, Literal};
        assert_eq!(toml_string("[1, 2]", Literal), "'[1, 2]'");
        assert_eq!(toml_string("[1, 2]", Basic), "\"[1, 2]\"");
        assert_eq!(toml_string("['a']", Literal), "\"['a']\"");
        assert_eq!(toml_string("\"a\"", Basic), "'\"a\"'");
        assert_eq!(toml_string("1\n2\n", Basic), "'''\n1\n2\n'''");
        assert_eq!(toml_string("bell\u{7}", Literal), "\"bell\\u0007\"");
        let texts = [
            "[1, 2]",
            "'a'",
            "\"a\"",
            "'\"\\",
            "1\n2\n",
            "bell\u{7}",
            "a'''b\n",
            "it's\n'",
        ];
        for text in texts {
            for quotes in [Basic, Literal] {
                let parsed: TomlValue = toml_string(text, quotes).parse().unwrap();
                assert_eq!(parsed.as_str(), Some(text), "{text:?}");
            }
        }
    }

    #[test]
    fn expectations_go_after_the_input_and_keep_everything_else() {
        let text = "\
# top comment
format = 1

[[case]]
name = \"first\"   # trailing
call = \"f(1)\"    # the call
hidden = true

[[case]]
  name = 'second'
  ops = [\"C\", \"m\"]
  args = \"[[], []]\"
  # a note
  points = 2
";
        let out = insert_expectations(
            text,
            &[
                (
                    "second".to_string(),
                    Expectation {
                        text: "[None, 1]".into(),
                        raised: false,
                    },
                ),
                (
                    "first".to_string(),
                    Expectation {
                        text: "2".into(),
                        raised: false,
                    },
                ),
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            "\
# top comment
format = 1

[[case]]
name = \"first\"   # trailing
call = \"f(1)\"    # the call
expect = '2'
hidden = true

[[case]]
  name = 'second'
  ops = [\"C\", \"m\"]
  args = \"[[], []]\"
  expect = '[None, 1]'
  # a note
  points = 2
"
        );
        assert_eq!(
            insert_expectations(
                text,
                &[(
                    "third".into(),
                    Expectation {
                        text: "1".into(),
                        raised: false
                    }
                )]
            ),
            Err(EditError::NoSuchCase("third".into()))
        );
    }

    #[test]
    fn inline_case_tables_get_expect_before_their_closing_brace() {
        let text = "case = [\n    { name = \"one\", call = \"f(1)\" },  # first\n]\n";
        let expectation = Expectation {
            text: "[1]".into(),
            raised: false,
        };
        assert_eq!(
            insert_expectations(text, &[("one".into(), expectation)]).unwrap(),
            "case = [\n    { name = \"one\", call = \"f(1)\", expect = '[1]' },  # first\n]\n"
        );
    }
}
