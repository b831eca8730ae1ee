//! Reading an exercise file: TOML → [`manifest`](super::manifest) types → checked [`Exercise`].
//!
//! Every problem is reported, not just the first: TOML syntax errors are collected with the
//! parser's recovery, unknown keys are found by walking the document against the fields serde
//! expects, and each `[[case]]`, `[[wrong]]` and `[[equivalent]]` is deserialized on its own so
//! a type error in one does not hide the others. Meaning (literals, names, comparators, limits)
//! is checked in [`super::check`].
//!
//! Graders load with [`parse`]: every case must have its `expect`. Authoring tools that fill
//! expectations in (`kata record`) load with [`parse_draft`], the same loader with that one rule
//! relaxed.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::check::{self, Completeness};
use super::code::Code;
use super::diagnostic::{Diagnostic, InvalidExercise, SourceFile};
use super::field_names::{closest, field_names};
use super::manifest::{
    RawAllow, RawCase, RawCompareDefaults, RawEquivalent, RawExercise, RawFixture, RawGrowth,
    RawHeader, RawLeetCode, RawLimits, RawSupport, RawWrong,
};
use super::model::{Draft, Exercise, FORMAT};

/// Parses and checks one exercise. `id` is the file stem.
pub fn parse(id: &str, file: SourceFile) -> Result<Exercise, InvalidExercise> {
    parse_with(id, file, Completeness::Complete).map(|draft| draft.exercise)
}

/// Like [`parse`], but a case without `expect` is not an error: it is set apart in
/// [`Draft::unrecorded`], for `kata record` to fill in.
pub fn parse_draft(id: &str, file: SourceFile) -> Result<Draft, InvalidExercise> {
    parse_with(id, file, Completeness::Draft)
}

fn parse_with(id: &str, file: SourceFile, mode: Completeness) -> Result<Draft, InvalidExercise> {
    let mut problems = Vec::new();
    let raw = read_raw(&file.text, &mut problems);
    let exercise = raw.and_then(|raw| check::exercise(id, &file, raw, mode, &mut problems));
    // Report in file order, whichever check found them.
    problems.sort_by_key(|problem| problem.span.as_ref().map_or(0, |span| span.start));
    match exercise {
        Some(exercise) if problems.is_empty() => Ok(exercise),
        _ => Err(InvalidExercise {
            file,
            diagnostics: problems,
        }),
    }
}

fn read_raw(text: &str, problems: &mut Vec<Diagnostic>) -> Option<RawExercise> {
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    if !syntax_errors.is_empty() {
        for error in syntax_errors {
            problems.push(Diagnostic::error(
                Code::TomlSyntax,
                error.span(),
                error.message().trim().to_string(),
            ));
        }
        return None;
    }
    let root_span = root.span();
    let mut table = root.into_inner();
    check_format(&table, problems)?;

    let mut known: Vec<&str> = field_names::<RawHeader>().to_vec();
    known.extend(["case", "wrong", "equivalent"]);
    let misspelt = unknown_keys(&table, &known, "at the top level", problems);
    read_as_meant(&mut table, misspelt);
    for (key, fields) in [
        ("support", field_names::<RawSupport>()),
        ("compare", field_names::<RawCompareDefaults>()),
        ("limits", field_names::<RawLimits>()),
        ("leetcode", field_names::<RawLeetCode>()),
    ] {
        if let Some(DeValue::Table(nested)) = table.get(key).map(Spanned::get_ref) {
            unknown_keys(nested, fields, &format!("in `[{key}]`"), problems);
        }
    }
    fixture_keys(table.get("fixture"), "in this `[[fixture]]`", problems);
    allow_keys(&table, problems);

    let case_tables = take_array_of_tables(&mut table, "case", problems);
    let wrong_tables = take_array_of_tables(&mut table, "wrong", problems);
    let equivalent_tables = take_array_of_tables(&mut table, "equivalent", problems);
    let header = deserialize::<RawHeader>(Spanned::new(root_span, DeValue::Table(table)), problems);

    let mut cases = Vec::new();
    for mut case in case_tables {
        if let DeValue::Table(fields) = case.get_mut() {
            let misspelt = unknown_keys(
                fields,
                field_names::<RawCase>(),
                "in this `[[case]]`",
                problems,
            );
            read_as_meant(fields, misspelt);
            allow_keys(fields, problems);
            if let Some(DeValue::Table(limits)) = fields.get("limits").map(Spanned::get_ref) {
                unknown_keys(
                    limits,
                    field_names::<RawLimits>(),
                    "in these limits",
                    problems,
                );
            }
            if let Some(DeValue::Table(growth)) = fields.get("growth").map(Spanned::get_ref) {
                unknown_keys(growth, field_names::<RawGrowth>(), "in `growth`", problems);
            }
        }
        cases.extend(deserialize::<RawCase>(case, problems));
    }
    let mut wrongs = Vec::new();
    for mut wrong in wrong_tables {
        if let DeValue::Table(fields) = wrong.get_mut() {
            let misspelt = unknown_keys(
                fields,
                field_names::<RawWrong>(),
                "in this `[[wrong]]`",
                problems,
            );
            read_as_meant(fields, misspelt);
            allow_keys(fields, problems);
        }
        wrongs.extend(deserialize::<RawWrong>(wrong, problems));
    }
    let mut equivalents = Vec::new();
    for mut equivalent in equivalent_tables {
        if let DeValue::Table(fields) = equivalent.get_mut() {
            let misspelt = unknown_keys(
                fields,
                field_names::<RawEquivalent>(),
                "in this `[[equivalent]]`",
                problems,
            );
            read_as_meant(fields, misspelt);
        }
        equivalents.extend(deserialize::<RawEquivalent>(equivalent, problems));
    }
    Some(RawExercise {
        header: header?,
        cases,
        wrongs,
        equivalents,
    })
}

/// `format` is checked first: a file from a newer kata should say so, not list every new key.
fn check_format(table: &DeTable<'_>, problems: &mut Vec<Diagnostic>) -> Option<()> {
    let Some(format) = table.get("format") else {
        problems.push(
            Diagnostic::error(Code::MissingFormat, 0..0, "this file has no `format` key")
                .with_help(format!("start the file with `format = {FORMAT}`")),
        );
        return None;
    };
    let version = format
        .get_ref()
        .as_integer()
        .and_then(|i| i.as_str().parse::<i64>().ok());
    match version {
        Some(FORMAT) => Some(()),
        Some(newer) if newer > FORMAT => {
            problems.push(
                Diagnostic::error(
                    Code::NewerFormat,
                    format.span(),
                    format!(
                        "this exercise uses format {newer}, but this kata reads format {FORMAT}"
                    ),
                )
                .with_help("upgrade kata to read it"),
            );
            None
        }
        _ => {
            problems.push(
                Diagnostic::error(
                    Code::BadFormat,
                    format.span(),
                    format!("`format` must be the integer {FORMAT}"),
                )
                .with_help(format!("write `format = {FORMAT}`")),
            );
            None
        }
    }
}

/// Reports the keys of `table` that are not in `known`, and returns each misspelt key with the
/// known key it most likely stands for.
fn unknown_keys<'k>(
    table: &DeTable<'_>,
    known: &[&'k str],
    place: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(String, &'k str)> {
    let mut misspelt = Vec::new();
    for key in table.keys() {
        let name: &str = key.get_ref();
        if known.contains(&name) {
            continue;
        }
        let mut diagnostic = Diagnostic::error(
            Code::UnknownKey,
            key.span(),
            format!("unknown key `{name}` {place}"),
        );
        diagnostic = match closest(name, known) {
            Some(suggestion) => {
                misspelt.push((name.to_string(), suggestion));
                diagnostic.with_help(format!("did you mean `{suggestion}`?"))
            }
            None => {
                diagnostic.with_help(format!("the keys allowed here are: {}", known.join(", ")))
            }
        };
        problems.push(diagnostic);
    }
    misspelt
}

/// Reads each misspelt key as the key it most likely stands for (when that one is not also
/// there), so its typo is reported once, as an unknown key, and not again as a missing field;
/// the rest of the table is still checked. The file stays invalid: the typo was reported.
fn read_as_meant(table: &mut DeTable<'_>, misspelt: Vec<(String, &str)>) {
    for (name, meant) in misspelt {
        if table.contains_key(meant) {
            continue;
        }
        if let Some((key, value)) = table.remove_entry(name.as_str()) {
            let key = Spanned::new(key.span(), std::borrow::Cow::Owned(meant.to_string()));
            table.insert(key, value);
        }
    }
}

/// Checks the keys of every table in an array of fixtures.
fn fixture_keys(value: Option<&Spanned<DeValue<'_>>>, place: &str, problems: &mut Vec<Diagnostic>) {
    array_keys(value, field_names::<RawFixture>(), place, problems);
}

/// Checks the keys of every `allow` entry in `table`.
fn allow_keys(table: &DeTable<'_>, problems: &mut Vec<Diagnostic>) {
    array_keys(
        table.get("allow"),
        field_names::<RawAllow>(),
        "in this `allow` entry",
        problems,
    );
}

/// Checks the keys of every table in an array.
fn array_keys(
    value: Option<&Spanned<DeValue<'_>>>,
    known: &[&str],
    place: &str,
    problems: &mut Vec<Diagnostic>,
) {
    let Some(DeValue::Array(items)) = value.map(Spanned::get_ref) else {
        return;
    };
    for item in items {
        if let DeValue::Table(fields) = item.get_ref() {
            unknown_keys(fields, known, place, problems);
        }
    }
}

fn take_array_of_tables<'i>(
    table: &mut DeTable<'i>,
    key: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Spanned<DeValue<'i>>> {
    let Some(value) = table.remove(key) else {
        return Vec::new();
    };
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(items) if items.iter().all(|item| item.get_ref().is_table()) => {
            items.into_iter().collect()
        }
        _ => {
            problems.push(
                Diagnostic::error(
                    Code::NotArrayOfTables,
                    span,
                    format!("`{key}` must be a list of tables"),
                )
                .with_help(format!("write each one under its own `[[{key}]]` header")),
            );
            Vec::new()
        }
    }
}

fn deserialize<'de, T: Deserialize<'de>>(
    value: Spanned<DeValue<'de>>,
    problems: &mut Vec<Diagnostic>,
) -> Option<T> {
    let whole: Range<usize> = value.span();
    match T::deserialize(toml::de::ValueDeserializer::from(value)) {
        Ok(parsed) => Some(parsed),
        Err(error) => {
            let span = error.span().unwrap_or(whole);
            problems.push(Diagnostic::error(
                Code::WrongType,
                span,
                error.message().trim().to_string(),
            ));
            None
        }
    }
}
