//! Parity: every exercise in the catalogue gives its reference and each of its known-wrong
//! solutions the same pass/fail on the subprocess and the wasm sandbox. Exercises that need
//! what WASI cannot give must be refused by the wasm sandbox, clearly, instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{ensure_runtime, kata};

/// One program of one exercise.
struct Program {
    exercise: String,
    name: String,
    code: String,
    /// The exercise declares capabilities the wasm sandbox lacks.
    needs_native: bool,
}

fn catalogue() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises")
}

/// The reference and the known-wrong solutions of every exercise in the catalogue.
fn programs() -> Vec<Program> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(catalogue())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    let mut programs = Vec::new();
    for file in files {
        let exercise = file.file_stem().unwrap().to_string_lossy().into_owned();
        let manifest: toml::Table = toml::from_str(&std::fs::read_to_string(&file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let needs_native = manifest
            .get("requires")
            .and_then(toml::Value::as_array)
            .is_some_and(|requires| !requires.is_empty());
        let text = |value: Option<&toml::Value>| {
            value
                .and_then(toml::Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        programs.push(Program {
            exercise: exercise.clone(),
            name: "reference".into(),
            code: text(manifest.get("reference")),
            needs_native,
        });
        for wrong in manifest
            .get("wrong")
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
        {
            programs.push(Program {
                exercise: exercise.clone(),
                name: format!("wrong `{}`", text(wrong.get("name"))),
                code: text(wrong.get("code")),
                needs_native,
            });
        }
    }
    programs
}

/// What `kata check` made of a program: its exit status and the verdict of every case.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Outcome {
    status: Option<i32>,
    verdicts: Vec<String>,
}

impl Outcome {
    fn passed(&self) -> bool {
        self.status == Some(0)
    }
}

fn run(program: &Program, sandbox: &str) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("solution.py");
    std::fs::write(&file, &program.code).unwrap();
    let output = kata()
        .arg("--exercises")
        .arg(catalogue())
        .args([
            "check",
            "--format",
            "json",
            "--jobs",
            "1",
            "--sandbox",
            sandbox,
        ])
        .args(["--exercise", &program.exercise])
        .arg(&file)
        .output()
        .unwrap();
    let verdicts = serde_json::from_slice::<serde_json::Value>(&output.stdout)
        .ok()
        .and_then(|report| {
            report["cases"].as_array().map(|cases| {
                cases
                    .iter()
                    .map(|case| case["verdict"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
        })
        .unwrap_or_default();
    Outcome {
        status: output.status.code(),
        verdicts,
    }
}

#[test]
fn every_reference_and_wrong_solution_passes_or_fails_alike_on_both_sandboxes() {
    ensure_runtime();
    let programs = programs();
    assert!(!programs.is_empty(), "the catalogue has exercises");
    let jobs: Vec<(usize, &str)> = (0..programs.len())
        .flat_map(|index| [(index, "subprocess"), (index, "wasm")])
        .collect();
    let queue = Mutex::new(jobs.into_iter());
    let results = Mutex::new(BTreeMap::new());
    // Two kata processes at a time, each running one case at a time: the machine's two cores.
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().unwrap().next();
                    let Some((index, sandbox)) = next else { break };
                    let outcome = run(&programs[index], sandbox);
                    results.lock().unwrap().insert((index, sandbox), outcome);
                }
            });
        }
    });
    let results = results.into_inner().unwrap();

    let mut problems = Vec::new();
    for (index, program) in programs.iter().enumerate() {
        let native = &results[&(index, "subprocess")];
        let wasm = &results[&(index, "wasm")];
        let label = format!("{} {}", program.exercise, program.name);
        if native.status == Some(3) || wasm.status == Some(3) {
            problems.push(format!("{label}: kata failed: {native:?} / {wasm:?}"));
        } else if program.needs_native {
            if wasm.status != Some(2) {
                problems.push(format!(
                    "{label}: needs the subprocess sandbox, but wasm gave {wasm:?}"
                ));
            }
        } else if native.passed() != wasm.passed() {
            problems.push(format!(
                "{label}: subprocess {} {:?}, wasm {} {:?}",
                if native.passed() { "passes" } else { "fails" },
                native.verdicts,
                if wasm.passed() { "passes" } else { "fails" },
                wasm.verdicts
            ));
        } else if program.name == "reference" && !native.passed() {
            problems.push(format!("{label}: fails on both sandboxes: {native:?}"));
        } else if program.name != "reference" && native.passed() {
            problems.push(format!("{label}: passes on both sandboxes"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} programs differ:\n{}",
        problems.len(),
        programs.len(),
        problems.join("\n")
    );
}
