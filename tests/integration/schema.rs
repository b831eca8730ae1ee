//! The JSON Schema for editors: in sync with the code, accepting every real exercise file, and
//! rejecting broken ones with messages that say what is wrong.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{fixtures, kata};

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn published_schema() -> Value {
    let text = fs::read_to_string(repository().join("docs/exercise.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::new(&published_schema()).expect("the schema is valid draft-07")
}

/// A TOML document as the JSON value editors validate.
fn as_json(toml_text: &str) -> Value {
    let value: toml::Value = toml::from_str(toml_text).unwrap();
    serde_json::to_value(value).unwrap()
}

fn errors_for(toml_text: &str) -> Vec<String> {
    validator()
        .iter_errors(&as_json(toml_text))
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_published_schema_is_the_one_kata_generates() {
    let output = kata().arg("schema").output().unwrap();
    assert!(output.status.success());
    let generated = String::from_utf8(output.stdout).unwrap();
    let published = fs::read_to_string(repository().join("docs/exercise.schema.json")).unwrap();
    assert!(
        generated == published,
        "docs/exercise.schema.json is out of date: run `cargo run -- schema > docs/exercise.schema.json`"
    );
}

#[test]
fn every_catalogue_file_points_at_the_schema_and_satisfies_it() {
    let validator = validator();
    let files = toml_files(&repository().join("exercises"));
    assert!(!files.is_empty());
    for file in files
        .iter()
        .chain(&toml_files(&fixtures().join("exercises")))
    {
        let text = fs::read_to_string(file).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&as_json(&text))
            .map(|error| error.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
    }
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        assert!(
            text.starts_with("#:schema ../docs/exercise.schema.json\n"),
            "{} does not start with the schema directive",
            file.display()
        );
    }
}

const MINIMAL: &str = r#"
format = 1
title = "T"
difficulty = "easy"
prompt = "p"
starter = "s"
reference = "r"

[[case]]
name = "c"
call = "f()"
"#;

#[test]
fn a_minimal_file_without_expect_is_accepted() {
    assert_eq!(errors_for(MINIMAL), Vec::<String>::new());
}

#[test]
fn mistakes_are_rejected_with_messages_that_name_them() {
    let cases = [
        (
            MINIMAL.replace("title = \"T\"", "title = \"T\"\ncolour = \"red\""),
            vec!["Additional properties are not allowed ('colour' was unexpected)"],
        ),
        (
            MINIMAL.replace("\"easy\"", "\"hardest\""),
            vec!["\"hardest\" is not one of", "/difficulty"],
        ),
        (
            MINIMAL.replace("format = 1", "format = 2"),
            vec!["1 was expected", "/format"],
        ),
        (
            MINIMAL.replace("reference = \"r\"\n", ""),
            vec!["\"reference\" is a required property"],
        ),
        (
            MINIMAL.replace("call = \"f()\"", "call = \"f()\"\nscript = \"print(1)\""),
            vec!["valid under more than one of the schemas", "/case/0"],
        ),
        (
            MINIMAL.replace("call = \"f()\"", "call = \"f()\"\nlimits = { cpu_ms = 0 }"),
            vec!["0 is less than the minimum of 1", "/case/0/limits/cpu_ms"],
        ),
        (
            MINIMAL.replace("call = \"f()\"", "call = \"f()\"\ncompare = \"sorted\""),
            vec!["\"sorted\" is not one of", "/case/0/compare"],
        ),
        (
            format!("{MINIMAL}\n[[equivalent]]\nmutant = \"xyz\"\nwhy = \"w\"\n"),
            vec!["does not match", "/equivalent/0/mutant"],
        ),
        (
            MINIMAL.replace("[[case]]\nname = \"c\"\ncall = \"f()\"\n", ""),
            vec!["\"case\" is a required property"],
        ),
    ];
    for (document, wanted) in cases {
        let errors = errors_for(&document).join("\n");
        for fragment in wanted {
            assert!(
                errors.contains(fragment),
                "expected `{fragment}` among:\n{errors}\nfor:\n{document}"
            );
        }
    }
}
