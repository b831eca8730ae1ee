//! The fresh directory each case runs in, in either sandbox.
//!
//! ```text
//! kata-box-XXXXXX/
//!     box/        harness.py, submission.py, request.json (read-only; a sandbox sees it at
//!                 /box)
//!     work/       the case's fixtures: copied into a native box's own tmpfs by the box
//!                 helper, or the working directory itself (no namespaces, or the wasm guest)
//!     scratch/    empty: the mount point of a native box's private root, or its /tmp
//! ```
//!
//! The native sandbox adds the compiled harness and, for a warm box, the fork server (see
//! `subprocess::bytecode`).
//!
//! Where it lives: see [`staging_parent`].
//! The host writes these files into a directory it has just created, and never reads anything
//! back from it: results travel through pipes. Removal goes through [`cleanup::remove_tree`],
//! which never follows symlinks a submission may have planted.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::cleanup;
use super::protocol::{HarnessRequest, LeetCodeRequest};
use super::{RunRequest, RunnerError};
use crate::exercise::{CaseInput, Fixture, FixtureContents, OpStep};
use crate::sandbox_files;
use crate::value::wire;

pub(super) struct CaseDir {
    root: PathBuf,
}

impl CaseDir {
    /// Creates the directory and writes the harness, the submission and the request.
    ///
    /// `guest_box` is where the sandbox will see the `box` directory, when that is not where it
    /// is on the host (a mount point inside a guest).
    /// With `in_memory`, the directory is made on a tmpfs when one is available (see
    /// [`staging_parent`]).
    pub(super) fn prepare(
        request: &RunRequest,
        guest_box: Option<&Path>,
        in_memory: bool,
    ) -> Result<CaseDir, RunnerError> {
        Self::create(request, guest_box, in_memory).map_err(RunnerError::Prepare)
    }

    fn create(
        request: &RunRequest,
        guest_box: Option<&Path>,
        in_memory: bool,
    ) -> io::Result<CaseDir> {
        let root = CaseDir {
            root: tempfile::Builder::new()
                .prefix("kata-box-")
                .tempdir_in(staging_parent(in_memory))?
                .keep(),
        };
        let case_dir = root.code_path();
        fs::create_dir(&case_dir)?;
        fs::create_dir(root.work_path())?;
        fs::create_dir(root.scratch_path())?;

        let json = harness_request(request, guest_box.unwrap_or(&case_dir), guest_box.is_some())?;
        write_read_only(
            &case_dir.join("harness.py"),
            sandbox_files::HARNESS.as_bytes(),
        )?;
        write_read_only(
            &case_dir.join("submission.py"),
            request.program.source.as_bytes(),
        )?;
        write_read_only(&case_dir.join("request.json"), &json)?;
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
    pub(super) fn code_path(&self) -> PathBuf {
        self.root.join("box")
    }

    /// The writable working directory.
    pub(super) fn work_path(&self) -> PathBuf {
        self.root.join("work")
    }

    /// An empty directory for the box helper (native sandbox only).
    pub(super) fn scratch_path(&self) -> PathBuf {
        self.root.join("scratch")
    }

    /// Lets other uids (a box's own) pass through the top directory, which is private
    /// otherwise. Only done right after `prepare`, before any box could have run.
    #[cfg(target_os = "linux")]
    pub(super) fn open_to_others(&self) -> io::Result<()> {
        fs::set_permissions(&self.root, fs::Permissions::from_mode(0o711))
    }
}

impl Drop for CaseDir {
    fn drop(&mut self) {
        cleanup::remove_tree(&self.root);
    }
}

/// Where box directories are made: the system's temporary directory; or, `in_memory` (boxes
/// with their own root, which never write here), `/dev/shm` (a tmpfs) when usable and `TMPDIR`
/// is not set, because creating and removing a few files per case on a busy disk's journal
/// costs several milliseconds. (A box on the host's file system writes into its working
/// directory, which is better on a disk than in memory.)
fn staging_parent(in_memory: bool) -> PathBuf {
    static SHM: OnceLock<Option<PathBuf>> = OnceLock::new();
    let shm = SHM.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let usable = std::env::var_os("TMPDIR").is_none()
            && rustix::fs::access(shm, rustix::fs::Access::WRITE_OK).is_ok();
        usable.then(|| shm.to_path_buf())
    });
    match shm {
        Some(shm) if in_memory => shm.clone(),
        _ => std::env::temp_dir(),
    }
}

/// The harness's request for one case, as JSON. `box_seen` is where the sandbox sees the `box`
/// directory; when that is a guest's path (`guest`), the harness changes into the working
/// directory beside it.
pub(super) fn harness_request(
    request: &RunRequest,
    box_seen: &Path,
    guest: bool,
) -> io::Result<Vec<u8>> {
    let submission_path = box_seen.join("submission.py");
    let submission_path = submission_path.to_string_lossy();
    let modules = request
        .support
        .modules
        .iter()
        .filter_map(|name| sandbox_files::stock_module(name).map(|code| (name.as_str(), code)))
        .collect();
    let (expr, script, ops, args) = match &request.input {
        CaseInput::Call { expr } => (Some(expr.as_str()), None, None, None),
        CaseInput::Script { code } => (None, Some(code.as_str()), None, None),
        CaseInput::Ops { steps } => {
            let encoded = wire::encode(&OpStep::argument_lists(steps))
                .ok_or_else(|| io::Error::other("the case's `args` cannot be encoded"))?;
            let methods = steps.iter().map(|step| step.method.as_str()).collect();
            (None, None, Some(methods), Some(encoded))
        }
        CaseInput::Stdin { .. } => (None, None, None, None),
    };
    // A guest that sees the box elsewhere sees the working directory next to it; the
    // harness changes into it.
    let guest_work = guest.then(|| box_seen.with_file_name("work"));
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
        leetcode: request.support.leetcode.as_ref().map(LeetCodeRequest::new),
    };
    serde_json::to_vec(&harness_request).map_err(io::Error::other)
}

/// Writes a file no sandbox may change (nor the grader, by mistake).
pub(crate) fn write_read_only(path: &Path, contents: &[u8]) -> io::Result<()> {
    fs::write(path, contents)?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o444))
}
