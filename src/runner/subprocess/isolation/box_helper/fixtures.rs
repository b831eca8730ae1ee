//! Copying the case's fixtures into the box's own working directory.
//!
//! The host wrote them into a staging directory nothing else has touched (no box ever sees it:
//! with namespaces the box's `/work` is a fresh tmpfs). Only plain files and directories are
//! copied; anything else would be a bug in the host, and is skipped rather than followed.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

/// Deeper than any fixture tree an exercise can declare.
const MAX_DEPTH: usize = 32;

/// Copies the tree under `from` into `to`; with `owner`, hands everything to that uid/gid.
pub(super) fn copy(from: &Path, to: &Path, owner: Option<(u32, u32)>) -> io::Result<()> {
    copy_dir(from, to, owner, 0)
}

fn copy_dir(from: &Path, to: &Path, owner: Option<(u32, u32)>, depth: usize) -> io::Result<()> {
    if depth > MAX_DEPTH {
        return Err(io::Error::other("fixture tree too deep"));
    }
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            fs::DirBuilder::new().mode(0o755).create(&target)?;
            copy_dir(&entry.path(), &target, owner, depth + 1)?;
        } else if kind.is_file() {
            let mut source = fs::File::open(entry.path())?;
            let mut copy = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .custom_flags(libc::O_NOFOLLOW)
                .mode(0o644)
                .open(&target)?;
            io::copy(&mut source, &mut copy)?;
        } else {
            continue;
        }
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::lchown(&target, Some(uid), Some(gid))?;
        }
    }
    Ok(())
}
