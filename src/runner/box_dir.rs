//! The fresh directory each case runs in.
//!
//! ```text
//! kata-box-XXXXXX/
//!     box/        harness.py, submission.py, request.json (read-only)
//!     work/       the working directory: the case's fixtures, writable, thrown away
//! ```
//!
//! The host writes these files into a directory it has just created, and never reads anything
//! back from it: results travel through pipes. Removal goes through [`cleanup::remove_tree`],
//! which never follows symlinks a submission may have planted.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::protocol::HarnessRequest;
use super::{RunRequest, RunnerError};
use super::{assets, cleanup};
use crate::exercise::{CaseInput, Fixture, FixtureContents};
use crate::value::{literal, wire};

pub struct BoxDir {
    root: PathBuf,
}

impl BoxDir {
    /// Creates the directory and writes the harness, the submission and the request.
    ///
    /// `guest_box` is where the sandbox will see the `box` directory, when that is not where it
    /// is on the host (a mount point inside a guest).
    pub fn prepare(request: &RunRequest, guest_box: Option<&Path>) -> Result<BoxDir, RunnerError> {
        Self::create(request, guest_box).map_err(RunnerError::Prepare)
    }

    fn create(request: &RunRequest, guest_box: Option<&Path>) -> io::Result<BoxDir> {
        let root = BoxDir {
            root: tempfile::Builder::new()
                .prefix("kata-box-")
                .tempdir()?
                .keep(),
        };
        let box_dir = root.box_path();
        fs::create_dir(&box_dir)?;
        fs::create_dir(root.work_path())?;

        let submission_path = guest_box.unwrap_or(&box_dir).join("submission.py");
        let submission_path = submission_path.to_string_lossy();
        let modules = request
            .support
            .modules
            .iter()
            .filter_map(|name| assets::stock_module(name).map(|code| (name.as_str(), code)))
            .collect();
        let (expr, script, ops, args) = match &request.input {
            CaseInput::Call { expr } => (Some(expr.as_str()), None, None, None),
            CaseInput::Script { code } => (None, Some(code.as_str()), None, None),
            CaseInput::Ops { ops, args } => {
                let encoded = literal::parse(args)
                    .ok()
                    .and_then(|value| wire::encode(&value))
                    .ok_or_else(|| io::Error::other("the case's `args` are not a value"))?;
                (None, None, Some(ops.as_slice()), Some(encoded))
            }
            CaseInput::Stdin { .. } => (None, None, None, None),
        };
        // A guest that sees the box elsewhere sees the working directory next to it, and only
        // when the case has files to put there; the harness changes into it.
        let guest_work = guest_box
            .filter(|_| !request.fixtures.is_empty())
            .map(|guest_box| guest_box.with_file_name("work"));
        let guest_work = guest_work.as_ref().map(|path| path.to_string_lossy());
        let harness_request = HarnessRequest {
            cwd: guest_work.as_deref(),
            kind: request.input.kind(),
            submission_path: &submission_path,
            display_name: &request.program.display_name,
            support_modules: modules,
            support_code: &request.support.code,
            case_support: &request.support.cases,
            output_bytes: request.limits.output_bytes,
            expr,
            script,
            ops,
            args,
        };
        let json = serde_json::to_vec(&harness_request).map_err(io::Error::other)?;
        write_read_only(&box_dir.join("harness.py"), assets::HARNESS.as_bytes())?;
        write_read_only(
            &box_dir.join("submission.py"),
            request.program.source.as_bytes(),
        )?;
        write_read_only(&box_dir.join("request.json"), &json)?;
        root.write_fixtures(&request.fixtures)?;
        Ok(root)
    }

    /// Writes the case's fixtures into the working directory, which this process just created
    /// (nothing the sandbox made can be in the way yet).
    fn write_fixtures(&self, fixtures: &[Fixture]) -> io::Result<()> {
        let work = self.work_path();
        for fixture in fixtures {
            let path = work.join(&fixture.path);
            match &fixture.contents {
                FixtureContents::Directory => fs::create_dir_all(&path)?,
                FixtureContents::File(bytes) => {
                    if let Some(parent) = path.parent() {
                        fs::create_dir_all(parent)?;
                    }
                    fs::write(&path, bytes)?;
                }
            }
        }
        Ok(())
    }

    /// The read-only directory with the harness, the submission and the request.
    pub fn box_path(&self) -> PathBuf {
        self.root.join("box")
    }

    /// The writable working directory.
    pub fn work_path(&self) -> PathBuf {
        self.root.join("work")
    }
}

impl Drop for BoxDir {
    fn drop(&mut self) {
        cleanup::remove_tree(&self.root);
    }
}

fn write_read_only(path: &Path, contents: &[u8]) -> io::Result<()> {
    fs::write(path, contents)?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o444))
}
