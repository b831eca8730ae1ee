//! The syntax check of the Python an exercise file carries: every snippet of every exercise
//! (see [`crate::exercise::snippet`]) compiled in one batch by the host's Python, before
//! anything runs, so a broken `call` is the exercise's diagnostic (exit 2) with its place in the
//! TOML, not a failure of kata in the middle of grading.
//!
//! `compile()` only parses: none of the code runs, so this needs no sandbox.
//!
//! A batch that compiled cleanly is remembered in the user's cache (an empty file named by the
//! hash of the batch and the interpreter), so the next `kata check` of an unchanged catalogue
//! does not pay an interpreter start for it. Errors are never remembered.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::exercise::Diagnostic;
use crate::exercise::snippet::Snippets;
use crate::runner::Backend;
use crate::runner::python::{self, metadata_fingerprint};
use crate::runtime::{CacheDir, sha256_hex};

/// Reads `[[code, mode], ...]` on stdin; writes one entry per snippet: null, or Python's
/// `[message, line, column]` for it.
const COMPILE_ALL: &str = r#"
import json, sys
found = []
for code, mode in json.load(sys.stdin):
    try:
        compile(code, "<snippet>", mode, dont_inherit=True)
        found.append(None)
    except SyntaxError as exc:
        found.append([exc.msg, exc.lineno or 1, exc.offset or 1])
    except (ValueError, RecursionError, MemoryError) as exc:
        found.append([str(exc) or type(exc).__name__, 1, 1])
json.dump(found, sys.stdout)
"#;

#[derive(Deserialize)]
struct Found(String, usize, usize);

/// The syntax errors in each exercise's snippets, in the order of `exercises`.
pub(crate) fn syntax_errors(
    python: &Path,
    exercises: &[&Snippets],
) -> Result<Vec<Vec<Diagnostic>>, String> {
    let batch: Vec<(&str, &str)> = exercises
        .iter()
        .flat_map(|snippets| &snippets.list)
        .map(|snippet| (snippet.code.as_str(), snippet.mode.as_str()))
        .collect();
    let input = serde_json::to_vec(&batch).map_err(|error| error.to_string())?;
    let remembered = clean_marker(python, &input);
    let all_clean = || exercises.iter().map(|_| Vec::new()).collect();
    if remembered.as_deref().is_some_and(Path::exists) {
        return Ok(all_clean());
    }
    let mut child = Command::new(python)
        .args(["-I", "-S", "-c", COMPILE_ALL])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("could not run {}: {error}", python.display()))?;
    // Written from a thread: the child may fill its stdout pipe before it has read all of this.
    let mut stdin = child.stdin.take().ok_or("no pipe to Python")?;
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child
        .wait_with_output()
        .map_err(|error| error.to_string())?;
    let _ = writer.join();
    if !output.status.success() {
        return Err(format!(
            "{} exited with {}: {}",
            python.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let found: Vec<Option<Found>> =
        serde_json::from_slice(&output.stdout).map_err(|error| error.to_string())?;
    if found.len() != batch.len() {
        return Err(format!(
            "Python answered for {} snippets of {}",
            found.len(),
            batch.len()
        ));
    }
    if let Some(marker) = remembered.filter(|_| found.iter().all(Option::is_none)) {
        // Best effort: without it the next run checks again.
        let _ = marker
            .parent()
            .map(fs::create_dir_all)
            .transpose()
            .and_then(|_| fs::write(&marker, b""));
        return Ok(all_clean());
    }
    let mut found = found.into_iter();
    Ok(exercises
        .iter()
        .map(|snippets| {
            (0..snippets.list.len())
                .zip(found.by_ref())
                .filter_map(|(index, error)| {
                    let Found(message, line, column) = error?;
                    Some(snippets.syntax_error(index, &message, line, column))
                })
                .collect()
        })
        .collect())
}

/// Where a clean result for this batch and interpreter is remembered: the batch, the
/// interpreter's path and what its metadata says of the binary (a reinstalled Python checks
/// again).
fn clean_marker(python: &Path, input: &[u8]) -> Option<PathBuf> {
    let binary = fs::metadata(python).ok()?;
    let mut identity = input.to_vec();
    identity.extend_from_slice(b"\0");
    identity.extend_from_slice(python.as_os_str().as_encoded_bytes());
    identity.extend_from_slice(format!("\0{}", metadata_fingerprint(&binary)).as_bytes());
    let cache = CacheDir::resolve().ok()?;
    Some(
        cache
            .root()
            .join("syntax-checked")
            .join(&sha256_hex(&identity)[..32]),
    )
}

/// The Python to compile with: the subprocess sandbox's own, otherwise `python` (default
/// `python3` on PATH) if there is one; `None` when the host has none (the wasm sandbox needs
/// none), and the snippets are then compiled only when their cases run.
pub(crate) fn host_python(backend: &Backend, python: Option<&Path>) -> Option<PathBuf> {
    match backend {
        Backend::Subprocess(runner) | Backend::WasmOrSubprocess(_, runner) => {
            Some(runner.interpreter().path.clone())
        }
        Backend::Wasm(_) => python::resolve(python.unwrap_or(Path::new("python3")))
            .ok()
            .map(|interpreter| interpreter.path),
    }
}
