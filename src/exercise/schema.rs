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

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, generate::SchemaSettings, json_schema};
use serde::Deserialize;

use super::allow::Lint;
use super::growth::GrowthClass;
use super::manifest::{RawCase, RawEquivalent, RawHeader, RawWrong};
use super::model::{Capability, Difficulty, Sequences, TextComparator, ValueComparator};
use crate::grade::Verdict;
use crate::runner::assets;

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
pub fn json_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).expect("a schema serializes");
    text.push('\n');
    text
}

/// The schema of an exercise file, in draft-07 (the newest draft every TOML editor reads).
pub fn json_schema() -> Schema {
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

/// A string that must be one of `names`.
fn one_of(names: &[&str], description: &str) -> Schema {
    json_schema!({
        "type": "string",
        "enum": names,
        "description": description,
    })
}

/// Declares a schema-only type: what one field of the manifest may hold.
macro_rules! field_schema {
    ($(#[$doc:meta])* $name:ident => |$generator:ident| $body:expr) => {
        $(#[$doc])*
        pub(crate) struct $name;

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }

            fn json_schema($generator: &mut SchemaGenerator) -> Schema {
                $body
            }
        }
    };
}

field_schema! {
    /// `format = 1`.
    FormatVersion => |_generator| json_schema!({
        "type": "integer",
        "const": super::load::FORMAT,
    })
}

field_schema! {
    DifficultyName => |_generator| {
        let names: Vec<&str> = Difficulty::ALL.iter().map(|d| d.as_str()).collect();
        one_of(&names, "How hard the exercise is.")
    }
}

field_schema! {
    TagName => |_generator| json_schema!({
        "type": "string",
        "pattern": "^[a-z0-9-]+$",
        "description": "A topic, in lowercase words joined by hyphens, e.g. `linked-list`.",
    })
}

field_schema! {
    CapabilityName => |_generator| {
        let names: Vec<&str> = Capability::ALL.iter().map(|c| c.as_str()).collect();
        one_of(&names, "Something the sandbox must provide beyond pure computation.")
    }
}

field_schema! {
    LintName => |_generator| {
        let names: Vec<&str> = Lint::ALL.iter().map(|lint| lint.as_str()).collect();
        one_of(&names, "A lint warning of `kata validate` (docs/exercise-format.md, \"Lint\").")
    }
}

field_schema! {
    StockModuleName => |_generator| {
        one_of(assets::STOCK_MODULE_NAMES, "A helper module shipped with kata.")
    }
}

field_schema! {
    ValueComparatorName => |_generator| {
        one_of(&ValueComparator::NAMES, "How returned values are compared with `expect`.")
    }
}

field_schema! {
    SequencesName => |_generator| {
        let names: Vec<&str> = Sequences::ALL.iter().map(|s| s.as_str()).collect();
        one_of(&names, "Whether lists and tuples are interchangeable: typed, any-top or any.")
    }
}

field_schema! {
    GrowthClassName => |_generator| {
        let names: Vec<&str> = GrowthClass::ALL.iter().map(|c| c.as_str()).collect();
        one_of(&names, "The fastest growth of a case's cost in `n` the exercise allows.")
    }
}

field_schema! {
    Identifier => |_generator| json_schema!({
        "type": "string",
        "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
        "description": "A Python name, e.g. `threeSum`.",
    })
}

field_schema! {
    TextComparatorName => |_generator| {
        one_of(&TextComparator::NAMES, "How printed text is compared with `expect`.")
    }
}

field_schema! {
    /// A case's comparator: a value comparator for `call` and `ops` cases, a text comparator for
    /// `script` and `stdin` cases (`exact` is both).
    ComparatorName => |_generator| {
        let mut names: Vec<&str> = ValueComparator::NAMES.to_vec();
        for name in TextComparator::NAMES {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        one_of(
            &names,
            "A comparator for this case: exact, unordered, unordered-deep or float for values; \
             exact, rstrip or tokens for printed text.",
        )
    }
}

field_schema! {
    VerdictName => |_generator| {
        let names: Vec<&str> = Verdict::ALL
            .iter()
            .filter(|verdict| !verdict.is_accepted())
            .map(|verdict| verdict.as_str())
            .collect();
        one_of(&names, "A verdict that is not `accepted`.")
    }
}

field_schema! {
    MutantId => |_generator| json_schema!({
        "type": "string",
        "pattern": "^[0-9a-f]{8}$",
        "description": "A mutant's id, as `kata validate --mutants` prints it.",
    })
}
