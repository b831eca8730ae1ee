//! Making sure nothing of a box outlives it, and saying so when something did.

use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;

use super::sys;

/// The identity of a PID namespace: device and inode of its nsfs file.
pub(super) type NamespaceId = (u64, u64);

/// The PID namespace this process's children are in (only once the first one exists).
pub(super) fn pid_namespace_of_children() -> io::Result<NamespaceId> {
    let metadata = fs::metadata("/proc/self/ns/pid_for_children")?;
    Ok((metadata.dev(), metadata.ino()))
}

/// Counts the processes that belong to the box after it was torn down: members of its PID
/// namespace (`namespace`), and processes owned by its uid (`uid`, root graders only). The
/// kernel empties a PID namespace when its PID 1 dies, so this finds nothing unless that
/// guarantee failed; it costs a couple of stats per visible process. Processes of other users
/// cannot be examined without root (EACCES); none of a box's are theirs.
pub(super) fn count_survivors(namespace: Option<NamespaceId>, uid: Option<u32>) -> u32 {
    let mut found = 0;
    for pid in visible_pids() {
        let in_namespace = namespace.is_some_and(|namespace| is_in_namespace(pid, namespace));
        let owned = uid.is_some_and(|uid| {
            fs::metadata(format!("/proc/{pid}")).is_ok_and(|metadata| metadata.uid() == uid)
        });
        if in_namespace || owned {
            found += 1;
        }
    }
    found
}

/// The processes /proc lists now (none when it cannot be read).
fn visible_pids() -> impl Iterator<Item = i32> {
    fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<i32>().ok())
}

/// Whether `pid` is a member of the PID namespace `namespace`.
fn is_in_namespace(pid: i32, namespace: NamespaceId) -> bool {
    fs::metadata(format!("/proc/{pid}/ns/pid"))
        .is_ok_and(|metadata| (metadata.dev(), metadata.ino()) == namespace)
}

/// Takes `uid` for good and kills every other process that runs as it. Only for a process
/// with nothing left to do (after its PID namespace is gone it cannot fork a child for this).
pub(super) fn become_and_kill_uid(uid: u32, gid: u32) {
    if sys::become_user(uid, gid).is_ok() {
        let _ = sys::kill(-1, libc::SIGKILL);
    }
}

/// Kills the members of `namespace` by pid (a user namespace's own processes: the grader's
/// uid, so nobody else's could be hit).
pub(super) fn kill_namespace(namespace: NamespaceId) {
    for pid in visible_pids().filter(|&pid| is_in_namespace(pid, namespace)) {
        let _ = sys::kill(pid, libc::SIGKILL);
    }
}

/// Kills every descendant of this process (a child subreaper: orphans come back to it) and
/// reaps them, adding their CPU time to `cpu_us`. Returns when there are no children left.
pub(super) fn kill_descendants(cpu_us: &mut u64) {
    loop {
        for child in children() {
            let _ = sys::kill(child, libc::SIGKILL);
        }
        match sys::wait4(-1, 0) {
            Ok((_, _, usage)) => *cpu_us += sys::cpu_micros(&usage),
            Err(_) => return, // ECHILD: nothing left
        }
    }
}

/// This process's children.
fn children() -> Vec<i32> {
    let me = sys::getpid();
    if let Ok(text) = fs::read_to_string(format!("/proc/{me}/task/{me}/children")) {
        return text
            .split_whitespace()
            .filter_map(|p| p.parse().ok())
            .collect();
    }
    // Kernels without CONFIG_PROC_CHILDREN: look for our pid as the parent.
    visible_pids()
        .filter(|&pid| parent_of(pid) == Some(me))
        .collect()
}

fn parent_of(pid: i32) -> Option<i32> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// Tasks (processes and threads) whose real uid is `uid`: what RLIMIT_NPROC counts.
pub(super) fn tasks_of_uid(uid: u32) -> u64 {
    let mut tasks = 0;
    for pid in visible_pids() {
        let Ok(status) = fs::read_to_string(format!("/proc/{pid}/status")) else {
            continue;
        };
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|value| value.parse::<u64>().ok())
        };
        if field("Uid:") == Some(u64::from(uid)) {
            tasks += field("Threads:").unwrap_or(1);
        }
    }
    tasks
}
