//! The keeper: the helper process the grader starts for one box. It builds the box, enforces
//! the wall-clock limit, stops the box when the grader asks (by closing the control pipe) or
//! dies, verifies that no process of the box is left, and reports once.

use std::time::{Duration, Instant};

use super::leftovers;
use super::sys::{self, Forked};
use super::{confine, init, trace};
use crate::runner::subprocess::isolation::spec::{
    BoxExit, BoxSpec, CONTROL_FD, KeeperReport, Layout, REPORT_FD, ZYGOTE_FD, decode, encode,
};
use crate::runner::subprocess::isolation::starvation;
use crate::runner::subprocess::isolation::tree_usage::{self, TreeUsage};

/// The largest spec the keeper accepts.
const MAX_SPEC: usize = 1 << 20;

/// Reads the spec, runs the box and writes the report; the helper's exit code.
pub(super) fn main() -> i32 {
    // Dies with the grader. The grader starts keepers from threads that live as long as it
    // does (the parent-death signal follows the thread that forked).
    if sys::die_with_parent().is_err() {
        return 2;
    }
    let spec = match read_spec() {
        Ok(spec) => spec,
        Err(message) => {
            let _ = sys::write_all(2, format!("kata box helper: {message}\n").as_bytes());
            return 2;
        }
    };
    if sys::getppid() != spec.host_pid {
        return 2; // the grader is already gone
    }
    let _ = sys::set_cloexec(CONTROL_FD);
    let _ = sys::set_cloexec(REPORT_FD);
    // With tracing, every process of the box marks its stages on one pipe (CLOEXEC: the
    // program itself never sees it); the keeper reads it once they are all gone.
    let trace_read = match (spec.trace, sys::pipe()) {
        (true, Ok((read, write))) => {
            trace::to(write);
            trace::mark("keeper-started");
            Some((read, write))
        }
        _ => None,
    };
    let mut report = match spec.layout {
        Layout::Namespaces { user_namespace } => in_namespaces(&spec, user_namespace),
        Layout::HostFs => on_host_fs(&spec),
    };
    if let Some((read, write)) = trace_read {
        trace::mark("keeper-done");
        sys::close(write);
        report.trace = trace::parse(&sys::read_to_end(read, 1 << 16).unwrap_or_default());
    }
    match sys::write_all(REPORT_FD, &encode(&report)) {
        Ok(()) => 0,
        Err(_) => 2,
    }
}

fn read_spec() -> Result<BoxSpec, String> {
    let mut length = [0u8; 4];
    sys::read_exact(CONTROL_FD, &mut length).map_err(|e| format!("no spec: {e}"))?;
    let size = u32::from_le_bytes(length) as usize;
    if size > MAX_SPEC {
        return Err(format!("a {size}-byte spec is too large"));
    }
    let mut message = length.to_vec();
    message.resize(4 + size, 0);
    sys::read_exact(CONTROL_FD, &mut message[4..]).map_err(|e| format!("short spec: {e}"))?;
    decode(&message)
}

fn failed(error: String) -> KeeperReport {
    KeeperReport {
        exit: BoxExit::Stopped,
        cpu_us: 0,
        max_rss_kb: 0,
        wall_exceeded: false,
        leftovers: 0,
        error: Some(error),
        trace: Vec::new(),
    }
}

fn in_namespaces(spec: &BoxSpec, user_namespace: bool) -> KeeperReport {
    let (outer_uid, outer_gid) = (sys::geteuid(), sys::getegid());
    let flags = libc::CLONE_NEWPID
        | if user_namespace {
            libc::CLONE_NEWUSER
        } else {
            0
        };
    if let Err(error) = sys::unshare(flags) {
        return failed(format!("create the box's PID namespace: {error}"));
    }
    if user_namespace && let Err(error) = map_ids(spec, outer_uid, outer_gid) {
        return failed(format!("map the box's uid and gid: {error}"));
    }
    trace::mark("pid-and-user-namespaces");
    // Only now: an undumpable process's /proc files belong to root, uid_map included.
    let _ = sys::undumpable();
    let (Ok((status_read, status_write)), Ok((error_read, error_write))) =
        (sys::pipe(), sys::pipe())
    else {
        return failed("create the keeper's pipes".into());
    };
    let init = match sys::fork() {
        Ok(Forked::Child) => init::run(spec, status_write, error_write, [status_read, error_read]),
        Ok(Forked::Parent(pid)) => pid,
        Err(error) => return failed(format!("start the box's PID 1: {error}")),
    };
    sys::close(status_write);
    sys::close(error_write);
    if spec.zygote {
        sys::close(ZYGOTE_FD);
    }
    release_box_stdio();
    // Read while PID 1 is alive (or at least unreaped), to look for survivors after.
    let namespace = leftovers::pid_namespace_of_children();
    let ending = supervise(init, spec.wall_ms);
    trace::mark("box-ended");
    let (usage, sampled) = match ending {
        Ending::Exited(_, usage) => (usage, TreeUsage::default()),
        Ending::Stop { .. } => {
            // The program is killed, not reaped by PID 1: what it used is read first.
            let sampled = tree_usage::of(init);
            // Killing PID 1 kills the whole namespace; wait4 returns once it is empty.
            let _ = sys::kill(init, libc::SIGKILL);
            match sys::wait4(init, 0) {
                Ok((_, _, usage)) => (usage, sampled),
                Err(error) => return failed(format!("reap the box's PID 1: {error}")),
            }
        }
    };
    let program_status = sys::read_to_end(status_read, 16).unwrap_or_default();
    let error = sys::read_to_end(error_read, 4096).unwrap_or_default();
    let namespace = match namespace {
        Ok(namespace) => namespace,
        Err(error) => return failed(format!("identify the box's PID namespace: {error}")),
    };
    let box_uid = spec.drop_to_box_ids.then_some(spec.uid);
    let leftovers = leftovers::count_survivors(Some(namespace), box_uid);
    trace::mark("leftovers-checked");
    if leftovers > 0 {
        leftovers::kill_namespace(namespace);
        if spec.drop_to_box_ids {
            leftovers::become_and_kill_uid(spec.uid, spec.gid);
        }
    }
    let exit = match <[u8; 4]>::try_from(program_status.as_slice()) {
        Ok(raw) => sys::describe_status(i32::from_le_bytes(raw)),
        Err(_) => BoxExit::Stopped,
    };
    KeeperReport {
        exit,
        cpu_us: sys::cpu_micros(&usage).max(sampled.cpu.as_micros() as u64),
        max_rss_kb: (usage.ru_maxrss.max(0) as u64).max(sampled.peak_kb),
        wall_exceeded: matches!(ending, Ending::Stop { wall: true }),
        leftovers,
        error: (!error.is_empty()).then(|| String::from_utf8_lossy(&error).into_owned()),
        trace: Vec::new(),
    }
}

/// Maps the caller's uid and gid to the box's inside a fresh user namespace.
fn map_ids(spec: &BoxSpec, outer_uid: u32, outer_gid: u32) -> std::io::Result<()> {
    std::fs::write("/proc/self/setgroups", "deny")?;
    std::fs::write(
        "/proc/self/uid_map",
        format!("{} {outer_uid} 1\n", spec.uid),
    )?;
    std::fs::write(
        "/proc/self/gid_map",
        format!("{} {outer_gid} 1\n", spec.gid),
    )
}

fn on_host_fs(spec: &BoxSpec) -> KeeperReport {
    if spec.zygote {
        // A fork server needs a PID namespace per case: warm boxes exist only with namespaces.
        return failed("a warm box needs namespaces".into());
    }
    // Orphans of the program come back to the keeper, which kills them at the end.
    if let Err(error) = sys::become_subreaper() {
        return failed(format!("become a child subreaper: {error}"));
    }
    let _ = sys::undumpable();
    let tasks_before = match host_tasks_before(spec) {
        Ok(tasks) => tasks,
        Err(why) => return failed(why),
    };
    let Ok((error_read, error_write)) = sys::pipe() else {
        return failed("create the keeper's pipes".into());
    };
    let keeper = sys::getpid();
    let program = match sys::fork() {
        Ok(Forked::Child) => {
            sys::close(error_read);
            sys::close(CONTROL_FD);
            sys::close(REPORT_FD);
            confine::exec(spec, keeper, error_write, tasks_before)
        }
        Ok(Forked::Parent(pid)) => pid,
        Err(error) => return failed(format!("start the program: {error}")),
    };
    sys::close(error_write);
    release_box_stdio();
    let ending = supervise(program, spec.wall_ms);
    trace::mark("box-ended");
    // A program stopped by a limit is killed, not reaped with its usage: read it first.
    let sampled = match ending {
        Ending::Stop { .. } => tree_usage::of(program),
        Ending::Exited(..) => TreeUsage::default(),
    };
    // The program is its own process group (setsid); while it is unreaped, its pid cannot be
    // reused, so the group can be killed without hitting anyone else.
    let _ = sys::kill(-program, libc::SIGKILL);
    let (status, usage) = match ending {
        Ending::Exited(status, usage) => (Some(status), usage),
        Ending::Stop { .. } => match sys::wait4(program, 0) {
            Ok((_, _, usage)) => (None, usage),
            Err(error) => return failed(format!("reap the program: {error}")),
        },
    };
    let mut cpu_us = sys::cpu_micros(&usage).max(sampled.cpu.as_micros() as u64);
    leftovers::kill_descendants(&mut cpu_us);
    trace::mark("leftovers-checked");
    let error = sys::read_to_end(error_read, 4096).unwrap_or_default();
    // Every descendant is gone (the subreaper saw to it); a box uid must have no process left.
    let leftovers = if spec.drop_to_box_ids {
        let found = leftovers::count_survivors(None, Some(spec.uid));
        if found > 0 {
            leftovers::become_and_kill_uid(spec.uid, spec.gid);
        }
        found
    } else {
        0
    };
    KeeperReport {
        exit: status.map_or(BoxExit::Stopped, sys::describe_status),
        cpu_us,
        max_rss_kb: (usage.ru_maxrss.max(0) as u64).max(sampled.peak_kb),
        wall_exceeded: matches!(ending, Ending::Stop { wall: true }),
        leftovers,
        error: (!error.is_empty()).then(|| String::from_utf8_lossy(&error).into_owned()),
        trace: Vec::new(),
    }
}

/// How many tasks the program's uid runs already, for its process cap (on the host file
/// system, where the uid is not the box's own); a box uid gets its directories first.
fn host_tasks_before(spec: &BoxSpec) -> Result<u64, String> {
    if spec.drop_to_box_ids {
        hand_over(spec)
            .map_err(|error| format!("hand the working directory to the box's uid: {error}"))?;
        Ok(0)
    } else if spec.limits.extra_tasks > 0 {
        // RLIMIT_NPROC counts every task of the uid: the cap must sit above what runs now.
        Ok(leftovers::tasks_of_uid(sys::geteuid()))
    } else {
        // No tasks to add: a cap of 1 refuses every fork, however many the uid runs (and
        // scanning /proc for them costs milliseconds).
        Ok(0)
    }
}

/// Gives the host-side working directory and /tmp (created by the grader a moment ago, so
/// nothing in them can have been planted) to the box's uid.
fn hand_over(spec: &BoxSpec) -> std::io::Result<()> {
    fn walk(path: &std::path::Path, uid: u32, gid: u32, depth: usize) -> std::io::Result<()> {
        std::os::unix::fs::lchown(path, Some(uid), Some(gid))?;
        let metadata = std::fs::symlink_metadata(path)?;
        if metadata.is_dir() && depth < 32 {
            for entry in std::fs::read_dir(path)? {
                walk(&entry?.path(), uid, gid, depth + 1)?;
            }
        }
        Ok(())
    }
    walk(&spec.dirs.work, spec.uid, spec.gid, 0)?;
    walk(&spec.dirs.scratch, spec.uid, spec.gid, 0)
}

/// The keeper's copies of the box's stdio and frame pipe: the grader must see them close when
/// the box's processes are gone.
fn release_box_stdio() {
    for fd in 0..=3 {
        sys::close(fd);
    }
}

enum Ending {
    /// The child ended by itself (and has been reaped).
    Exited(i32, libc::rusage),
    /// The grader asked (control closed), or the wall-clock limit passed (`wall`).
    Stop { wall: bool },
}

/// Waits for `child` to end, for the grader to close the control pipe, or for `wall_ms` plus
/// the time the box's processes waited for a CPU (see [`starvation`]).
fn supervise(child: i32, wall_ms: u64) -> Ending {
    let started = Instant::now();
    let wall = Duration::from_millis(wall_ms);
    let mut deadline = started + wall;
    let pidfd = sys::pidfd_open(child).ok();
    loop {
        let mut left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            // A busy machine must not end a case that was only waiting for its turn.
            deadline = started + starvation::stretched(wall, child);
            left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ending::Stop { wall: true };
            }
        }
        // Without pidfds (Linux < 5.3), poll in short steps and ask waitpid.
        let step = if pidfd.is_some() {
            left
        } else {
            left.min(Duration::from_millis(2))
        };
        let fds: Vec<i32> = std::iter::once(CONTROL_FD).chain(pidfd).collect();
        let ready = sys::poll_readable(&fds, step.as_millis().clamp(1, i32::MAX as u128) as i32)
            .unwrap_or_else(|_| vec![true; fds.len()]);
        if ready[0] {
            if let Some(fd) = pidfd {
                sys::close(fd);
            }
            return Ending::Stop { wall: false };
        }
        let flags = if ready.get(1) == Some(&true) {
            0
        } else {
            libc::WNOHANG
        };
        if (pidfd.is_none() || flags == 0)
            && let Ok((pid, status, usage)) = sys::wait4(child, flags)
            && pid == child
        {
            if let Some(fd) = pidfd {
                sys::close(fd);
            }
            return Ending::Exited(status, usage);
        }
    }
}
