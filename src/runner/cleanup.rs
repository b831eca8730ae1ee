//! Removing a sandbox directory without trusting anything inside it.
//!
//! A submission can leave directories it made unreadable, or swap a directory for a symlink to
//! somewhere else on the host. `std::fs::remove_dir_all` never follows symlinks (fixed for
//! CVE-2022-21658), but it gives up on unreadable directories. When it does, the directories are
//! made accessible again through file descriptors opened with `O_NOFOLLOW`, so a planted symlink
//! can never redirect a `chmod` to a host file (the mistake behind Judge0's CVE-2024-28189).

use std::fs;
use std::path::Path;

/// Removes `root` and everything below it, as far as possible; never follows a symlink.
pub(super) fn remove_tree(root: &Path) {
    if fs::remove_dir_all(root).is_ok() || fs::symlink_metadata(root).is_err() {
        return;
    }
    #[cfg(target_os = "linux")]
    unlock::unlock_tree(root);
    let _ = fs::remove_dir_all(root);
}

#[cfg(target_os = "linux")]
mod unlock {
    use std::os::fd::{AsFd, AsRawFd, OwnedFd};
    use std::path::Path;

    use rustix::fs::{CWD, Dir, FileType, Mode, OFlags, chmod, openat};

    /// Deeper than any real sandbox tree; stops a pathological one from exhausting descriptors.
    const MAX_DEPTH: usize = 64;

    pub(super) fn unlock_tree(root: &Path) {
        if let Ok(dir) = open_dir_nofollow(CWD, root) {
            unlock(dir, 0);
        }
    }

    fn open_dir_nofollow<P: rustix::path::Arg>(
        parent: impl AsFd,
        name: P,
    ) -> rustix::io::Result<OwnedFd> {
        openat(
            parent,
            name,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )
    }

    fn unlock(dir: OwnedFd, depth: usize) {
        // chmod through /proc/self/fd acts on the inode the descriptor holds, which was opened
        // without following links: this cannot reach outside the tree.
        let magic = format!("/proc/self/fd/{}", dir.as_raw_fd());
        if chmod(magic.as_str(), Mode::RWXU).is_err() || depth >= MAX_DEPTH {
            return;
        }
        let Ok(readable) = openat(
            &dir,
            ".",
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        ) else {
            return;
        };
        let Ok(mut entries) = Dir::read_from(&readable) else {
            return;
        };
        while let Some(Ok(entry)) = entries.read() {
            let name = entry.file_name();
            if name.to_bytes() == b"." || name.to_bytes() == b".." {
                continue;
            }
            if matches!(entry.file_type(), FileType::Directory | FileType::Unknown)
                && let Ok(child) = open_dir_nofollow(&readable, name)
            {
                unlock(child, depth + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn removes_unreadable_directories_without_following_symlinks() {
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("victim");
        fs::create_dir(&victim).unwrap();
        fs::set_permissions(&victim, fs::Permissions::from_mode(0o500)).unwrap();

        let root = tempfile::tempdir().unwrap().keep();
        let locked = root.join("locked");
        fs::create_dir_all(locked.join("inner")).unwrap();
        fs::write(locked.join("inner/file"), "x").unwrap();
        std::os::unix::fs::symlink(&victim, root.join("link")).unwrap();
        fs::set_permissions(locked.join("inner"), fs::Permissions::from_mode(0o000)).unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();

        remove_tree(&root);
        assert!(!root.exists(), "the tree is gone");
        let mode = fs::metadata(&victim).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o500, "the symlink's target was not touched");
    }

    /// Root ignores permission bits, so the test above may never need to unlock anything;
    /// this one checks the unlocking itself.
    #[cfg(target_os = "linux")]
    #[test]
    fn unlocking_reaches_every_directory_and_nothing_outside() {
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("victim");
        fs::create_dir(&victim).unwrap();
        fs::set_permissions(&victim, fs::Permissions::from_mode(0o500)).unwrap();

        let root = tempfile::tempdir().unwrap();
        let inner = root.path().join("a/b");
        fs::create_dir_all(&inner).unwrap();
        std::os::unix::fs::symlink(&victim, root.path().join("a/link")).unwrap();
        fs::set_permissions(&inner, fs::Permissions::from_mode(0o000)).unwrap();
        fs::set_permissions(root.path().join("a"), fs::Permissions::from_mode(0o100)).unwrap();

        unlock::unlock_tree(root.path());
        let mode = |path: &Path| fs::symlink_metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&root.path().join("a")), 0o700);
        assert_eq!(mode(&inner), 0o700);
        assert_eq!(mode(&victim), 0o500);
    }
}
