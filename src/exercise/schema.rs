//! The JSON Schema of the exercise format, generated from the [`manifest`](super::manifest) types.
//!
//! Editors that speak TOML and JSON Schema (taplo, and VS Code's Even Better TOML, which runs
//! it) read it to complete keys, show each key's documentation and flag mistakes while an
//! author types. It is published as `docs/exercise.schema.json` (a test keeps that file equal to
//! [`json_schema`]) and printed by `kata schema`.
//!
//! The schema says what can be said about one file without running anything: key names, types,
//! the allowed names of difficulties, comparators, verdicts and stock modules, numeric ranges.
//! Meaning that needs more (Python literals, case names that exist, a reference that passes) is
//! left to `kata validate`.

use schemars::{JsonSchema, Schema, generate::SchemaSettings};
use serde::Deserialize;

use super::manifest::{RawCase, RawEquivalent, RawHeader, RawWrong};

/// A kata exercise (format 1): a prompt, a starter, cases, a reference solution and known-wrong
/// solutions. See docs/exercise-format.md.
#[derive(Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields, title = "kata exercise")]
#[allow(dead_code)] // only its schema is used: the loader reads the parts on their own
struct ExerciseFile {
    #[serde(flatten)]
    header: RawHeader,
    /// The cases: each runs the submission once, in a fresh sandbox, and compares the result.
    #[schemars(length(min = 1))]
    case: Vec<RawCase>,
    /// Known-wrong solutions: `kata validate` proves some case rejects each one.
    #[serde(default)]
    wrong: Vec<RawWrong>,
    /// Mutants of the reference that behave exactly like it (see `kata validate --mutants`).
    #[serde(default)]
    equivalent: Vec<RawEquivalent>,
}

/// The schema, as the JSON text published in `docs/exercise.schema.json`.
pub(crate) fn json_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).expect("a schema serializes");
    text.push('\n');
    text
}

/// The schema of an exercise file, in draft-07 (the newest draft every TOML editor reads).
pub(crate) fn json_schema() -> Schema {
    let mut settings = SchemaSettings::draft07();
    // Describe what a file may hold, not what kata would write.
    settings.contract = schemars::generate::Contract::Deserialize;
    let schema = settings
        .into_generator()
        .into_root_schema_for::<ExerciseFile>();
    let mut value = schema.to_value();
    tomlify(&mut value);
    Schema::try_from(value).expect("still an object")
}

/// TOML has no null, and a key that is absent is how an optional value is left out: drop the
/// `null` serde's `Option` adds to types, enums and defaults, and the Rust-specific number
/// formats.
fn tomlify(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(object) => {
            if let Some(Value::Array(types)) = object.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    object.insert("type".to_string(), only);
                }
            }
            if object.get("default").is_some_and(Value::is_null) {
                object.remove("default");
            }
            if let Some(Value::Array(names)) = object.get_mut("enum") {
                names.retain(|name| !name.is_null());
            }
            if matches!(object.get("format"), Some(Value::String(format)) if RUST_FORMATS.contains(&format.as_str()))
            {
                object.remove("format");
            }
            object.values_mut().for_each(tomlify);
        }
        Value::Array(items) => items.iter_mut().for_each(tomlify),
        _ => {}
    }
}

const RUST_FORMATS: &[&str] = &[
    "int64", "uint64", "int32", "uint32", "uint8", "double", "float",
];
