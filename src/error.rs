//! Errors that stop a command, each with the exit status it maps to and what to do about it.
//!
//! A submission failing is not an error (that is a verdict, and exit status 1); these are the
//! cases where kata could not do what was asked.

use std::path::PathBuf;

use crate::exercise::CatalogueError;
use crate::exit::ExitStatus;
use crate::runner::native::NativeSandboxUnavailable;
use crate::runner::python::PythonError;
use crate::runtime::RuntimeError;
use crate::workspace::WorkspaceError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line asked for something impossible.
    #[error("{message}")]
    Usage {
        message: String,
        help: Option<String>,
    },
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    #[error(transparent)]
    Python(#[from] PythonError),
    /// The wasm sandbox's runtime is missing, damaged or cannot be fetched.
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// A file the user named could not be read or written.
    #[error("cannot {action} `{}`: {source}", path.display())]
    File {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// kata itself failed.
    #[error("{0}")]
    Internal(String),
}

/// Asking for the native sandbox where there is none is a usage error: the same command with
/// `--sandbox wasm` works.
impl From<NativeSandboxUnavailable> for Error {
    fn from(error: NativeSandboxUnavailable) -> Self {
        Error::usage(error.to_string(), Some(error.help().to_string()))
    }
}

impl Error {
    pub fn usage(message: impl Into<String>, help: impl Into<Option<String>>) -> Self {
        Error::Usage {
            message: message.into(),
            help: help.into(),
        }
    }

    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Error::Usage { .. }
            | Error::Catalogue(_)
            | Error::File { .. }
            | Error::Workspace(_) => ExitStatus::Usage,
            Error::Python(_) | Error::Runtime(_) | Error::Internal(_) => ExitStatus::Internal,
        }
    }

    /// What the user can do about it.
    pub fn help(&self) -> Option<String> {
        match self {
            Error::Usage { help, .. } => help.clone(),
            Error::Catalogue(CatalogueError::UnknownExercise { suggestion, .. }) => {
                Some(match suggestion {
                    Some(id) => format!("did you mean `{id}`? (`kata list` shows them all)"),
                    None => "`kata list` shows the exercises".to_string(),
                })
            }
            Error::Catalogue(CatalogueError::ReadDir { .. }) => {
                Some("check the --exercises path (or KATA_EXERCISES)".to_string())
            }
            Error::Python(error) => Some(error.help().to_string()),
            Error::Runtime(error) => error.help(),
            Error::Workspace(error) => error.help(),
            _ => None,
        }
    }
}
