//! Parity: every exercise in the catalogue is proven on the wasm sandbox exactly as on the
//! subprocess one (the integration suite's `the_whole_catalogue_validates`): the reference
//! passes every case, the starter and every known-wrong solution fail, with their stated
//! verdicts. Exercises that need what WASI cannot give are refused by name instead, and only
//! those.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{ensure_runtime, kata};

fn catalogue() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises")
}

/// The exercises whose `requires` names something the wasm sandbox lacks (all of it does).
fn needing_native() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(catalogue()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "toml") {
            continue;
        }
        let manifest: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if manifest
            .get("requires")
            .and_then(toml::Value::as_array)
            .is_some_and(|requires| !requires.is_empty())
        {
            ids.insert(path.file_stem().unwrap().to_string_lossy().into_owned());
        }
    }
    ids
}

#[test]
fn the_whole_catalogue_validates_on_wasm_except_what_needs_native_capabilities() {
    ensure_runtime();
    let output = kata()
        .args(["validate", "--sandbox", "wasm"])
        .arg(catalogue())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains(" 0 invalid"), "{stdout}");
    let skipped: BTreeSet<String> = stdout
        .lines()
        .filter(|line| line.contains("skipped: needs"))
        .map(|line| line.split_whitespace().next().unwrap().to_string())
        .collect();
    let expected = needing_native();
    assert!(
        !expected.is_empty(),
        "the catalogue has exercises that need threads or the like"
    );
    assert_eq!(skipped, expected, "{stdout}");
}
