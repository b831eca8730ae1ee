//! What one field of an exercise file may hold, for the JSON Schema: the allowed names of
//! difficulties, comparators, verdicts and stock modules, and the shapes of ids and tags.
//!
//! The [`manifest`](super::manifest) types name these with `#[schemars(with = …)]`;
//! [`super::schema`] generates the whole file's schema from the manifest.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use super::allow::Lint;
use super::model::{
    Capability, Difficulty, FORMAT, GrowthClass, Sequences, TextComparator, ValueComparator,
};
use crate::sandbox_files;
use crate::verdict::Verdict;

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
        "const": FORMAT,
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
        one_of(sandbox_files::STOCK_MODULE_NAMES, "A helper module shipped with kata.")
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
