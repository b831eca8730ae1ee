//! Box uids for a grader running as root: each box that runs at the same time gets its own
//! unprivileged uid and gid (`BASE_ID + slot`), locked with a file lock so that two kata
//! processes never share one either (isolate does the same with its box ids).

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustix::fs::{FlockOperation, flock};

/// The first box uid and gid. No /etc/passwd entry is needed. The range is far from the ids
/// distributions give users and services, from systemd's dynamic users (61184-65519) and
/// container ranges (524288-1879048191), and from isolate's boxes (60000 up): a box must
/// never share its uid with a process that is not its own.
pub(crate) const BASE_ID: u32 = 1_900_000_000;
/// Boxes that may run at once on one machine.
pub(crate) const SLOTS: u32 = 256;
/// Where the slot locks live: root-only, on a tmpfs that is emptied at boot.
const LOCK_DIR: &str = "/run/kata-boxes";

/// The box uids of one grader.
#[derive(Debug)]
pub(crate) struct SlotPool {
    dir: PathBuf,
    taken: Mutex<Vec<bool>>,
}

/// One box uid, held until dropped.
#[derive(Debug)]
pub(crate) struct Slot {
    pub uid: u32,
    pub gid: u32,
    index: usize,
    pool: Arc<SlotPool>,
    _lock: File,
}

#[derive(Debug, thiserror::Error)]
pub enum SlotError {
    #[error("cannot use {} for the box locks: {reason}", dir.display())]
    Directory { dir: PathBuf, reason: String },
    #[error("all {SLOTS} box uids are in use by other kata processes")]
    Exhausted,
    #[error("cannot lock a box uid: {0}")]
    Lock(#[source] io::Error),
}

impl SlotPool {
    pub(crate) fn new() -> Result<Arc<SlotPool>, SlotError> {
        let dir = PathBuf::from(LOCK_DIR);
        secure_dir(&dir).map_err(|reason| SlotError::Directory {
            dir: dir.clone(),
            reason,
        })?;
        Ok(Arc::new(SlotPool {
            dir,
            taken: Mutex::new(vec![false; SLOTS as usize]),
        }))
    }

    /// A free uid: free in this process, and not locked by another.
    pub(crate) fn acquire(self: &Arc<Self>) -> Result<Slot, SlotError> {
        let mut taken = self.taken.lock().expect("slot table lock");
        for index in 0..taken.len() {
            if taken[index] {
                continue;
            }
            let path = self.dir.join(format!("{index}.lock"));
            let lock = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
                .open(&path)
                .map_err(SlotError::Lock)?;
            match flock(&lock, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => {
                    taken[index] = true;
                    let id = BASE_ID + index as u32;
                    return Ok(Slot {
                        uid: id,
                        gid: id,
                        index,
                        pool: Arc::clone(self),
                        _lock: lock,
                    });
                }
                Err(rustix::io::Errno::WOULDBLOCK) => continue,
                Err(error) => return Err(SlotError::Lock(error.into())),
            }
        }
        Err(SlotError::Exhausted)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        // The file lock goes with the descriptor.
        if let Ok(mut taken) = self.pool.taken.lock() {
            taken[self.index] = false;
        }
    }
}

/// Creates `dir` if needed and checks that only root can write there (a lock directory that
/// someone else controls could be used to make two boxes share a uid).
fn secure_dir(dir: &Path) -> Result<(), String> {
    match fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
        Err(error) => return Err(error.to_string()),
    }
    let metadata = fs::symlink_metadata(dir).map_err(|e| e.to_string())?;
    if !metadata.is_dir() {
        return Err("it is not a directory".into());
    }
    if metadata.uid() != 0 || metadata.permissions().mode() & 0o022 != 0 {
        return Err("it must be a directory owned by root and writable only by root".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Box uids are for a root grader; without root, making the pool must fail instead.
    fn pool_if_root() -> Option<Arc<SlotPool>> {
        if rustix::process::geteuid().is_root() {
            Some(SlotPool::new().expect("root can create the lock directory"))
        } else {
            let result = SlotPool::new().and_then(|pool| pool.acquire().map(drop));
            assert!(
                result.is_err(),
                "an unprivileged grader cannot lock box uids"
            );
            None
        }
    }

    #[test]
    fn concurrent_slots_get_distinct_uids_and_are_reused() {
        let Some(pool) = pool_if_root() else { return };
        let first = pool.acquire().unwrap();
        let second = pool.acquire().unwrap();
        assert_ne!(first.uid, second.uid);
        assert!(first.uid >= BASE_ID && first.uid < BASE_ID + SLOTS);
        let freed = first.uid;
        drop(first);
        let again = pool.acquire().unwrap();
        assert_eq!(
            again.uid, freed,
            "a released slot is the first free one again"
        );
    }

    #[test]
    fn another_process_holding_a_lock_skips_that_slot() {
        let (Some(one), Some(other)) = (pool_if_root(), pool_if_root()) else {
            return;
        };
        let mine = one.acquire().unwrap();
        let theirs = other.acquire().unwrap();
        assert_ne!(mine.uid, theirs.uid, "flock keeps the pools apart");
    }
}
