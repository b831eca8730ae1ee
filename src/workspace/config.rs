//! `kata.toml`: which catalogue and which sandbox a workspace uses.
//!
//! `kata init` writes the file with comments explaining each key; kata only reads it after
//! that, so a learner's edits (and comments) are never rewritten.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::Deserialize;

use super::WorkspaceError;
use crate::cli::SandboxChoice;

/// The file that marks a workspace's root.
pub const FILE_NAME: &str = "kata.toml";

/// The `kata.toml` format this kata reads.
pub const FORMAT: u32 = 1;

/// The value of `catalogue` that means "the exercises compiled into kata".
pub const BUILT_IN: &str = "built-in";

/// `kata.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    /// The file format; a newer one than this kata knows is refused.
    format: u32,
    /// `"built-in"`, or a directory of exercise files (relative to `kata.toml`).
    #[serde(default)]
    catalogue: Option<String>,
    /// `"subprocess"` or `"wasm"`.
    #[serde(default)]
    sandbox: Option<String>,
}

/// A workspace's settings, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// A directory of exercises, or `None` for the built-in catalogue.
    pub catalogue: Option<PathBuf>,
    /// The sandbox to run cases in, unless `--sandbox` says otherwise.
    pub sandbox: Option<SandboxChoice>,
}

impl Config {
    /// Reads and checks `kata.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, WorkspaceError> {
        let path = root.join(FILE_NAME);
        let text = std::fs::read_to_string(&path).map_err(|source| WorkspaceError::Read {
            path: path.clone(),
            source,
        })?;
        Config::parse(root, &path, &text)
    }

    fn parse(root: &Path, path: &Path, text: &str) -> Result<Config, WorkspaceError> {
        let invalid = |message: String| WorkspaceError::InvalidConfig {
            path: path.to_path_buf(),
            message,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        if raw.format > FORMAT {
            return Err(invalid(format!(
                "format {} is newer than this kata understands (format {FORMAT}); update kata",
                raw.format
            )));
        }
        let catalogue = match raw.catalogue.as_deref() {
            None | Some(BUILT_IN) => None,
            Some("") => return Err(invalid("`catalogue` is empty".to_string())),
            Some(dir) => Some(root.join(dir)),
        };
        let sandbox = raw
            .sandbox
            .as_deref()
            .map(|name| {
                SandboxChoice::from_str(name, false).map_err(|_| {
                    invalid(format!(
                        "`sandbox = \"{name}\"` is not a sandbox kata has; use \"subprocess\" or \"wasm\""
                    ))
                })
            })
            .transpose()?;
        Ok(Config { catalogue, sandbox })
    }

    /// The text `kata init` writes: every key, with what it means.
    pub fn render(&self) -> String {
        let catalogue = match &self.catalogue {
            None => BUILT_IN.to_string(),
            Some(dir) => dir.display().to_string(),
        };
        let sandbox = self
            .sandbox
            .unwrap_or(SandboxChoice::Subprocess)
            .to_possible_value()
            .map_or_else(|| "subprocess".to_string(), |v| v.get_name().to_string());
        format!(
            "# A kata workspace: kata commands run in this folder, or below it, use these settings\n\
             # and record your progress in .kata/progress.toml.\n\
             format = {FORMAT}\n\
             \n\
             # Where the exercises come from: \"{BUILT_IN}\" (the ones shipped with kata), or a\n\
             # directory of exercise files, relative to this file. `--exercises DIR` overrides it.\n\
             catalogue = {}\n\
             \n\
             # Where your code runs: \"subprocess\" (a native python3 per case, with limits) or\n\
             # \"wasm\" (CPython in a WebAssembly sandbox). `--sandbox` overrides it.\n\
             sandbox = \"{sandbox}\"\n",
            toml_string(&catalogue)
        )
    }
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, WorkspaceError> {
        Config::parse(Path::new("/ws"), Path::new("/ws/kata.toml"), text)
    }

    #[test]
    fn what_init_writes_reads_back() {
        for config in [
            Config {
                catalogue: None,
                sandbox: None,
            },
            Config {
                catalogue: Some(PathBuf::from("/ws/my exercises")),
                sandbox: Some(SandboxChoice::Wasm),
            },
        ] {
            let read = parse(&config.render()).unwrap();
            assert_eq!(read.catalogue, config.catalogue);
            assert_eq!(
                read.sandbox.unwrap_or(SandboxChoice::Subprocess),
                config.sandbox.unwrap_or(SandboxChoice::Subprocess)
            );
        }
    }

    #[test]
    fn a_relative_catalogue_is_relative_to_the_workspace() {
        let config = parse("format = 1\ncatalogue = \"ex\"\n").unwrap();
        assert_eq!(config.catalogue, Some(PathBuf::from("/ws/ex")));
    }

    #[test]
    fn mistakes_are_reported_with_what_to_do() {
        let message = |text| parse(text).unwrap_err().to_string();
        assert!(
            message("format = 1\nsandbox = \"docker\"\n").contains("\"subprocess\" or \"wasm\"")
        );
        assert!(message("format = 1\ncolour = true\n").contains("unknown field `colour`"));
        assert!(message("format = 9\n").contains("update kata"));
        assert!(message("catalogue = \"x\"\n").contains("missing field `format`"));
    }
}
