//! Finding the real Python interpreter.
//!
//! `python3` on PATH is often a shim (pyenv's is a bash script that costs ~55 ms a start), so it
//! is asked once for `sys.executable` and the real binary is spawned for every case after that.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The oldest Python the harness supports.
const MINIMUM: (u32, u32) = (3, 8);

/// A resolved interpreter.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    fn a_missing_interpreter_is_a_clear_error() {
        let error = resolve(Path::new("/nonexistent/python9")).unwrap_err();
        assert!(matches!(error, PythonError::NotFound { .. }));
        assert!(error.to_string().contains("/nonexistent/python9"));
    }
}
