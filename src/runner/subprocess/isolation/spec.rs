//! What the host tells the box helper ([`BoxSpec`]) and what the helper tells the host back
//! ([`KeeperReport`]).
//!
//! Both travel through pipes as length-prefixed JSON: the spec on the helper's control
//! descriptor (which, once read, only signals "stop" by being closed), the report on its report
//! descriptor. Neither ever holds an expected value: the case's input is in the box directory,
//! which the box may read anyway.

use std::ffi::OsString;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The helper's descriptor for the box's result frame (the harness writes it).
pub(crate) const FRAME_FD: i32 = 3;
/// The helper reads the spec here; the host closing its end means "stop the box now".
pub(crate) const CONTROL_FD: i32 = 4;
/// The helper writes its [`KeeperReport`] here, once, just before it exits.
pub(crate) const REPORT_FD: i32 = 5;
/// A warm box's program (the fork server) talks to the grader on this Unix socket; nothing
/// else in the box keeps it (see [`BoxSpec::zygote`]).
pub(crate) const ZYGOTE_FD: i32 = 6;

/// How the box is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Layout {
    /// New mount, PID, network, IPC and UTS namespaces with a private root; with
    /// `user_namespace`, inside a new user namespace too (how an unprivileged user gets them).
    Namespaces { user_namespace: bool },
    /// The host's file system seen through Landlock rules, for when namespaces are unavailable.
    HostFs,
}

/// Everything the helper needs to build one box and run one program in it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct BoxSpec {
    pub layout: Layout,
    /// The grader's pid: the helper stops at once if its parent is no longer this process.
    pub host_pid: i32,
    /// The uid and gid the program runs as. With root, a box's own unprivileged ids; in a user
    /// namespace, the ids the caller is mapped to inside; otherwise the caller's own.
    pub uid: u32,
    pub gid: u32,
    /// Whether the helper starts as root and must drop to `uid`/`gid`.
    pub drop_to_box_ids: bool,
    pub program: PathBuf,
    /// Arguments after the program's name.
    pub args: Vec<OsString>,
    pub env: Vec<(OsString, OsString)>,
    /// The program's working directory, as the box sees it.
    pub cwd: PathBuf,
    pub view: HostView,
    pub dirs: BoxDirs,
    pub limits: BoxLimits,
    pub wall_ms: u64,
    pub grants: Grants,
    pub layers: Enabled,
    /// Time each set-up stage (for the benchmark); see [`KeeperReport::trace`].
    #[serde(default)]
    pub trace: bool,
    /// A warm box: the program is the fork server, which keeps [`ZYGOTE_FD`], may fork and
    /// may unshare (its cases stack a stricter filter), and runs many cases one at a time.
    #[serde(default)]
    pub zygote: bool,
}

/// The parts of the host file system a box may see.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HostView {
    /// Host trees visible read-only at the same path (the interpreter's prefix, /usr, ...).
    pub read_only: Vec<PathBuf>,
    /// Top-level symlinks recreated in the private root (merged-/usr systems: /lib -> usr/lib).
    pub symlinks: Vec<(PathBuf, PathBuf)>,
    /// Host paths inside a read-only tree that must stay hidden (the kata binary, exercises).
    pub masks: Vec<PathBuf>,
    /// The only files that may be executed: the interpreter and its ELF loader.
    pub executables: Vec<PathBuf>,
}

/// Host directories the host created for this box.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct BoxDirs {
    /// The `box/` folder (harness, submission and request), seen at `/box` and read-only
    /// inside.
    pub code: PathBuf,
    /// The case's fixtures, written by the host. With namespaces they are copied into the
    /// box's own tmpfs; on the host file system this is the working directory itself.
    pub work: PathBuf,
    /// An empty directory: the private root's mount point, or the box's /tmp on the host
    /// file system.
    pub scratch: PathBuf,
}

/// Resource limits applied to the program just before it starts.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(crate) struct BoxLimits {
    pub cpu_seconds: u64,
    pub address_space: u64,
    pub file_size: u64,
    pub open_files: u64,
    /// Processes and threads the program may add to itself (RLIMIT_NPROC is set to this plus
    /// whatever the box's uid already runs).
    pub extra_tasks: u64,
    /// Size of each tmpfs the box can write (/tmp, the working directory, /dev/shm).
    pub tmpfs_bytes: u64,
    pub tmpfs_inodes: u64,
}

/// What the exercise's `requires` opens up; everything is closed by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Grants {
    /// Loopback up inside the box's own network namespace, and TCP/UDP sockets.
    pub sockets: bool,
    /// A /dev/shm for multiprocessing's semaphores.
    pub shared_memory: bool,
    /// Threads (`clone` with CLONE_THREAD).
    pub threads: bool,
    /// New processes (fork, vfork, clone without CLONE_THREAD); implies threads.
    pub processes: bool,
}

/// Which optional kernel features the host found and the helper must use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Enabled {
    pub seccomp: bool,
    /// Landlock ABI version to rely on (0: none).
    pub landlock_abi: i32,
}

/// How the program ended, as its parent saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum BoxExit {
    Exited(i32),
    Signaled(i32),
    /// The box was stopped before the program ended (the host asked, or the wall limit).
    Stopped,
}

/// The helper's account of one box.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct KeeperReport {
    pub exit: BoxExit,
    /// CPU time of every process the box ran, in microseconds.
    pub cpu_us: u64,
    pub max_rss_kb: u64,
    pub wall_exceeded: bool,
    /// Processes of the box found alive after it was torn down (then killed). Always 0 unless
    /// an isolation layer failed.
    pub leftovers: u32,
    /// Why the box could not be built or the program not started: the grader's fault.
    pub error: Option<String>,
    /// With `BoxSpec::trace`: when each stage ended, in nanoseconds on CLOCK_MONOTONIC.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<(String, u64)>,
}

/// What the helper found when it tried to create each namespace (`None`: it worked).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeReport {
    pub user_namespace: Option<String>,
    pub pid_namespace: Option<String>,
    pub mount_namespace: Option<String>,
    pub network_namespace: Option<String>,
    pub ipc_namespace: Option<String>,
    pub uts_namespace: Option<String>,
    /// Mounting a tmpfs in the new mount namespace.
    pub tmpfs: Option<String>,
}

/// Length-prefixed JSON: a little-endian u32 length, then the bytes.
pub(crate) fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let json = serde_json::to_vec(value).expect("box wire types always serialise");
    let mut framed = (json.len() as u32).to_le_bytes().to_vec();
    framed.extend_from_slice(&json);
    framed
}

/// The inverse of [`encode`], for a buffer that holds exactly one message.
pub(crate) fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, String> {
    let Some((length, json)) = bytes.split_first_chunk::<4>() else {
        return Err(format!("{} bytes is too short for a message", bytes.len()));
    };
    let length = u32::from_le_bytes(*length) as usize;
    if json.len() != length {
        return Err(format!(
            "the message says {length} bytes but {} arrived",
            json.len()
        ));
    }
    serde_json::from_slice(json).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_survive_the_round_trip() {
        let report = KeeperReport {
            exit: BoxExit::Signaled(9),
            cpu_us: 12,
            max_rss_kb: 3,
            wall_exceeded: true,
            leftovers: 0,
            error: None,
            trace: Vec::new(),
        };
        let back: KeeperReport = decode(&encode(&report)).unwrap();
        assert_eq!(back.exit, BoxExit::Signaled(9));
        assert!(back.wall_exceeded);
    }

    #[test]
    fn truncated_messages_are_refused() {
        let bytes = encode(&BoxExit::Exited(0));
        assert!(decode::<BoxExit>(&bytes[..bytes.len() - 1]).is_err());
        assert!(decode::<BoxExit>(&bytes[..2]).is_err());
    }
}
