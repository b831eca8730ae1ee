//! `kata.toml`: which catalogue and which sandbox a workspace uses, and the defaults of
//! `kata grade` (its `[grade]` table).
//!
//! `kata init` writes the file with comments explaining each key; kata only reads it after
//! that, so a learner's edits (and comments) are never rewritten.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::Deserialize;

use super::WorkspaceError;
use crate::report::Verbosity;

/// The file that marks a workspace's root.
pub(crate) const FILE_NAME: &str = "kata.toml";

/// The `kata.toml` format this kata reads.
pub(crate) const FORMAT: u32 = 1;

/// The value of `catalogue` that means "the exercises compiled into kata".
pub(crate) const BUILT_IN: &str = "built-in";

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
    /// `kata grade`'s defaults.
    #[serde(default)]
    grade: Option<RawGrade>,
}

/// The `[grade]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrade {
    #[serde(default)]
    sandbox: Option<String>,
    #[serde(default)]
    jobs: Option<usize>,
    #[serde(default)]
    max_timeouts: Option<usize>,
    #[serde(default)]
    output: Option<String>,
}

/// `kata grade`'s defaults from the `[grade]` table; a command-line flag wins over each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GradeConfig {
    pub sandbox: Option<SandboxChoice>,
    pub jobs: Option<usize>,
    /// Time-limit verdicts after which a submission's remaining cases are not run; 0 never.
    pub max_timeouts: Option<usize>,
    pub output: Option<Verbosity>,
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
        let raw = read_raw(path, text)?;
        // Checked with the rest of the file, so a mistake in it stops every command alike.
        grade_config(path, raw.grade.as_ref())?;
        let catalogue = match raw.catalogue.as_deref() {
            None | Some(BUILT_IN) => None,
            Some("") => return Err(invalid("`catalogue` is empty".to_string())),
            Some(dir) => Some(root.join(dir)),
        };
        let sandbox = raw
            .sandbox
            .as_deref()
            .map(|name| sandbox_choice(path, name))
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
            .unwrap_or(SandboxChoice::LOCAL_DEFAULT)
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
             # Where your code runs: \"subprocess\" (a native python3 per case, with limits; Linux\n\
             # only) or \"wasm\" (CPython in a WebAssembly sandbox). `--sandbox` overrides it.\n\
             sandbox = \"{sandbox}\"\n",
            toml_string(&catalogue)
        )
    }
}

impl GradeConfig {
    /// The `[grade]` table of `kata.toml` in `root` (all defaults when there is none).
    pub(crate) fn load(root: &Path) -> Result<GradeConfig, WorkspaceError> {
        let path = root.join(FILE_NAME);
        let text = std::fs::read_to_string(&path).map_err(|source| WorkspaceError::Read {
            path: path.clone(),
            source,
        })?;
        Self::parse(&path, &text)
    }

    fn parse(path: &Path, text: &str) -> Result<GradeConfig, WorkspaceError> {
        grade_config(path, read_raw(path, text)?.grade.as_ref())
    }
}

fn read_raw(path: &Path, text: &str) -> Result<RawConfig, WorkspaceError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| WorkspaceError::InvalidConfig {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    if raw.format > FORMAT {
        return Err(WorkspaceError::InvalidConfig {
            path: path.to_path_buf(),
            message: format!(
                "format {} is newer than this kata understands (format {FORMAT}); update kata",
                raw.format
            ),
        });
    }
    Ok(raw)
}

fn sandbox_choice(path: &Path, name: &str) -> Result<SandboxChoice, WorkspaceError> {
    SandboxChoice::from_str(name, false).map_err(|_| WorkspaceError::InvalidConfig {
        path: path.to_path_buf(),
        message: format!(
            "`sandbox = \"{name}\"` is not a sandbox kata has; use \"subprocess\" or \"wasm\""
        ),
    })
}

fn grade_config(path: &Path, raw: Option<&RawGrade>) -> Result<GradeConfig, WorkspaceError> {
    let Some(raw) = raw else {
        return Ok(GradeConfig::default());
    };
    let output = raw
        .output
        .as_deref()
        .map(|name| {
            Verbosity::parse(name).ok_or_else(|| WorkspaceError::InvalidConfig {
                path: path.to_path_buf(),
                message: format!(
                    "`[grade] output = \"{name}\"` is not an output kata has; use \"quiet\", \"normal\" or \"verbose\""
                ),
            })
        })
        .transpose()?;
    Ok(GradeConfig {
        sandbox: raw
            .sandbox
            .as_deref()
            .map(|name| sandbox_choice(path, name))
            .transpose()?,
        jobs: raw.jobs,
        max_timeouts: raw.max_timeouts,
        output,
    })
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Which sandbox runs the cases, as `--sandbox` and `kata.toml`'s `sandbox` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SandboxChoice {
    /// A native python3 process per case, with resource limits: fast, but it sees your files.
    Subprocess,
    /// CPython compiled to WebAssembly, in wasmtime: no files, network or processes, and a
    /// deterministic CPU budget (fuel). Installs its runtime with pip on first use.
    Wasm,
}

impl SandboxChoice {
    /// Where a learner's own code runs when nothing says otherwise: the native sandbox where
    /// kata has one (Linux), else the wasm sandbox (see `runner::native`).
    pub const LOCAL_DEFAULT: SandboxChoice = if crate::runner::native::AVAILABLE {
        SandboxChoice::Subprocess
    } else {
        SandboxChoice::Wasm
    };
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
                read.sandbox.unwrap_or(SandboxChoice::LOCAL_DEFAULT),
                config.sandbox.unwrap_or(SandboxChoice::LOCAL_DEFAULT)
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

    fn grade(text: &str) -> Result<GradeConfig, WorkspaceError> {
        GradeConfig::parse(Path::new("/ws/kata.toml"), text)
    }

    #[test]
    fn the_grade_table_gives_grade_its_defaults() {
        let text = "format = 1\n[grade]\nsandbox = \"subprocess\"\njobs = 2\nmax_timeouts = 0\noutput = \"quiet\"\n";
        assert_eq!(
            grade(text).unwrap(),
            GradeConfig {
                sandbox: Some(SandboxChoice::Subprocess),
                jobs: Some(2),
                max_timeouts: Some(0),
                output: Some(Verbosity::Quiet),
            }
        );
        assert_eq!(grade("format = 1\n").unwrap(), GradeConfig::default());
        // The workspace's own settings read the same file.
        assert!(parse(text).is_ok());
    }

    #[test]
    fn a_mistake_in_the_grade_table_says_where_it_is() {
        let text = "format = 1\n\n[grade]\njobs = 2\nmax_timeout = 3\n";
        for message in [
            grade(text).unwrap_err().to_string(),
            parse(text).unwrap_err().to_string(),
        ] {
            assert!(message.contains("/ws/kata.toml"), "{message}");
            assert!(message.contains("line 5, column 1"), "{message}");
            assert!(message.contains("unknown field `max_timeout`"), "{message}");
        }
        let message = grade("format = 1\n[grade]\noutput = \"loud\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("\"quiet\", \"normal\" or \"verbose\""),
            "{message}"
        );
    }
}
