//! Finding the real Python interpreter.
//!
//! `python3` on PATH is often a shim (pyenv's is a bash script that costs ~55 ms a start), so it
//! is asked once for `sys.executable` and the real binary is spawned for every case after that.
//!
//! When the command is itself the real binary (`--python /usr/bin/python3`, or a `python3` on
//! PATH that is no shim), its answer is kept in the user's cache, keyed by the binary and its
//! `pyvenv.cfg` as the file system describes them, and later kata processes skip the start
//! (about 10 ms). A shim's answer depends on its environment and is never kept.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};

use crate::runtime::{CacheDir, sha256_hex};

/// The oldest Python the harness supports.
const MINIMUM: (u32, u32) = (3, 8);

/// A resolved interpreter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interpreter {
    /// The real executable, not a shim.
    pub path: PathBuf,
    pub version: (u32, u32),
    /// `sys.base_prefix` and `sys.base_exec_prefix`: the trees the interpreter loads its
    /// standard library and extension modules from (a sandbox must show them).
    pub prefixes: Vec<PathBuf>,
}

impl Interpreter {
    /// Whether `-P` (do not put the script's directory on `sys.path`) is available: 3.11+.
    pub fn has_safe_path_flag(&self) -> bool {
        self.version >= (3, 11)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PythonError {
    #[error("could not run `{command}`: {source}")]
    NotFound {
        command: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{command}` did not say where its interpreter is: {detail}")]
    Unusable { command: String, detail: String },
    #[error("`{command}` is Python {major}.{minor}; kata needs Python {}.{} or newer", MINIMUM.0, MINIMUM.1)]
    TooOld {
        command: String,
        major: u32,
        minor: u32,
    },
}

impl PythonError {
    /// What the user can do about it.
    pub fn help(&self) -> &'static str {
        "install Python 3 and put `python3` on PATH, or point kata at one with --python PATH (or KATA_PYTHON)"
    }
}

/// Resolves `command` (a path, or a name looked up on PATH) to the real interpreter.
pub fn resolve(command: &Path) -> Result<Interpreter, PythonError> {
    let cache = CacheDir::resolve().ok();
    resolve_with(command, cache.as_ref().map(|cache| cache.root()))
}

/// [`resolve`], with the cache under `cache` (none: always ask).
fn resolve_with(command: &Path, cache: Option<&Path>) -> Result<Interpreter, PythonError> {
    let entry = cache.and_then(|cache| CacheEntry::for_command(command, cache));
    if let Some(known) = entry.as_ref().and_then(CacheEntry::read) {
        return Ok(known);
    }
    let interpreter = ask(command)?;
    if let Some(entry) = entry
        && entry.binary == interpreter.path
    {
        entry.write(&interpreter);
    }
    Ok(interpreter)
}

/// Where the answer for one binary is kept.
struct CacheEntry {
    /// The command as a path (found on PATH if it was a name).
    binary: PathBuf,
    file: PathBuf,
}

impl CacheEntry {
    fn for_command(command: &Path, cache: &Path) -> Option<CacheEntry> {
        let binary = if command.components().count() > 1 {
            std::path::absolute(command).ok()?
        } else {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .map(|dir| dir.join(command))
                .find(|candidate| candidate.is_file())?
        };
        // What the interpreter's answer depends on: the binary (through any symlinks) and the
        // pyvenv.cfg that would make it a virtual environment's.
        let mut identity = binary.as_os_str().as_encoded_bytes().to_vec();
        let parent = binary.parent()?;
        for path in [
            binary.clone(),
            parent.join("pyvenv.cfg"),
            parent.parent().unwrap_or(parent).join("pyvenv.cfg"),
        ] {
            let described = match std::fs::metadata(&path) {
                Ok(meta) => format!("\0{}", metadata_fingerprint(&meta)),
                Err(_) => "\0-".to_string(),
            };
            identity.extend_from_slice(described.as_bytes());
        }
        if let Ok(target) = std::fs::read_link(&binary) {
            identity.extend_from_slice(target.as_os_str().as_encoded_bytes());
        }
        let key = &sha256_hex(&identity)[..32];
        Some(CacheEntry {
            binary,
            file: cache.join("interpreters").join(format!("{key}.json")),
        })
    }

    fn read(&self) -> Option<Interpreter> {
        let known: Interpreter = serde_json::from_slice(&std::fs::read(&self.file).ok()?).ok()?;
        (known.path == self.binary && known.version >= MINIMUM).then_some(known)
    }

    /// Best effort: without a writable cache, the next process asks again.
    fn write(&self, interpreter: &Interpreter) {
        let Ok(json) = serde_json::to_vec(interpreter) else {
            return;
        };
        let Some(dir) = self.file.parent() else {
            return;
        };
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| tempfile::NamedTempFile::new_in(dir))
            .and_then(|mut temp| {
                std::io::Write::write_all(&mut temp, &json)?;
                temp.persist(&self.file).map_err(|e| e.error)
            });
        drop(written);
    }
}

/// Asks `command` itself.
fn ask(command: &Path) -> Result<Interpreter, PythonError> {
    let shown = command.display().to_string();
    let output = Command::new(command)
        .args([
            "-I",
            "-S",
            "-c",
            "import sys; print(sys.executable); print(*sys.version_info[:2]); \
             print(sys.base_prefix); print(sys.base_exec_prefix)",
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::var_os("HOME").unwrap_or_default())
        .output()
        .map_err(|source| PythonError::NotFound {
            command: shown.clone(),
            source,
        })?;
    let unusable = |detail: String| PythonError::Unusable {
        command: shown.clone(),
        detail,
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(unusable(format!(
            "it exited with {}: {}",
            output.status,
            stderr.trim()
        )));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = stdout.lines();
    let path = lines.next().unwrap_or_default().trim();
    let version = lines.next().unwrap_or_default();
    let mut prefixes: Vec<PathBuf> = lines
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(PathBuf::from)
        .collect();
    prefixes.dedup();
    let mut parts = version.split_whitespace().map(str::parse::<u32>);
    let (Some(Ok(major)), Some(Ok(minor))) = (parts.next(), parts.next()) else {
        return Err(unusable(format!("unexpected output {stdout:?}")));
    };
    if path.is_empty() {
        return Err(unusable("sys.executable is empty".into()));
    }
    if (major, minor) < MINIMUM {
        return Err(PythonError::TooOld {
            command: shown,
            major,
            minor,
        });
    }
    if prefixes.is_empty() {
        return Err(unusable("sys.base_prefix is empty".into()));
    }
    Ok(Interpreter {
        path: PathBuf::from(path),
        version: (major, minor),
        prefixes,
    })
}

/// What a file's metadata says of its contents, for cache keys: device, inode, size and both
/// times, so a replaced or rewritten file (a reinstalled Python) gets a new key.
pub fn metadata_fingerprint(meta: &std::fs::Metadata) -> String {
    format!(
        "{} {} {} {} {} {}",
        meta.dev(),
        meta.ino(),
        meta.len(),
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ctime()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_python3_on_path_to_a_real_binary() {
        let interpreter = resolve(Path::new("python3")).expect("python3 is installed");
        assert!(interpreter.path.is_absolute());
        assert!(interpreter.version >= MINIMUM);
        assert!(interpreter.prefixes.iter().all(|prefix| prefix.is_dir()));
        // The real binary answers for itself.
        assert_eq!(resolve(&interpreter.path).unwrap(), interpreter);
    }

    #[test]
    fn the_real_binary_s_answer_is_cached_and_a_shim_s_is_not() {
        let cache = tempfile::tempdir().unwrap();
        let real = resolve(Path::new("python3")).unwrap();
        let entries = || {
            std::fs::read_dir(cache.path().join("interpreters"))
                .map(|dir| dir.count())
                .unwrap_or(0)
        };
        // A wrapper script is no binary of its own: its answer names another path.
        let shim = cache.path().join("python-shim");
        std::fs::write(
            &shim,
            format!("#!/bin/sh\nexec {} \"$@\"\n", real.path.display()),
        )
        .unwrap();
        std::fs::set_permissions(&shim, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        assert_eq!(resolve_with(&shim, Some(cache.path())).unwrap(), real);
        assert_eq!(entries(), 0);

        assert_eq!(resolve_with(&real.path, Some(cache.path())).unwrap(), real);
        assert_eq!(entries(), 1);
        // The next resolution is the cached answer: planted, it is what comes back.
        let entry = CacheEntry::for_command(&real.path, cache.path()).unwrap();
        let mut planted = real.clone();
        planted.prefixes = vec![PathBuf::from("/planted")];
        entry.write(&planted);
        assert_eq!(
            resolve_with(&real.path, Some(cache.path())).unwrap(),
            planted
        );
        // Another binary (here: another path to it) is another entry.
        let link = cache.path().join("python-link");
        std::os::unix::fs::symlink(&real.path, &link).unwrap();
        let linked = resolve_with(&link, Some(cache.path())).unwrap();
        assert_eq!(linked.prefixes, real.prefixes);
    }

    #[test]
    fn a_missing_interpreter_is_a_clear_error() {
        let error = resolve(Path::new("/nonexistent/python9")).unwrap_err();
        assert!(matches!(error, PythonError::NotFound { .. }));
        assert!(error.to_string().contains("/nonexistent/python9"));
    }
}
