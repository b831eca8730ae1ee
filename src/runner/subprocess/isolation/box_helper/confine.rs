//! The last steps before the program starts: its own session, no inherited descriptors, the
//! box's identity without capabilities, rlimits, no_new_privs, Landlock and seccomp, in that
//! order (each later step relies on the earlier ones), then exec.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;

use rustix::process::Resource;

use super::landlock::{self as rules, HostRules};
use super::seccomp;
use super::sys::{self, Failure, Result, Step};
use super::trace;
use crate::runner::subprocess::isolation::spec::{BoxSpec, Layout, ZYGOTE_FD};

/// Where the error descriptor is moved, so that everything from 5 up can be closed.
const ERROR_FD: i32 = 4;

/// Highest capability number tried when emptying the bounding set.
const LAST_CAPABILITY: libc::c_ulong = 63;

/// Becomes the program. `parent` is the pid this process must still be the child of after the
/// parent-death signal is armed; `tasks_before` is how many tasks the box's uid already runs
/// (the helper's own, in a user namespace), so the process cap counts only the program's.
pub(super) fn exec(spec: &BoxSpec, parent: i32, error_fd: i32, tasks_before: u64) -> ! {
    let failure = confine_and_exec(spec, parent, error_fd, tasks_before);
    let message = failure.to_string();
    let _ = sys::write_all(ERROR_FD, message.as_bytes());
    sys::exit_now(127)
}

fn confine_and_exec(spec: &BoxSpec, parent: i32, error_fd: i32, tasks_before: u64) -> Failure {
    match confine(spec, parent, error_fd, tasks_before) {
        Err(failure) => failure,
        Ok((argv, envp)) => Failure {
            step: format!("start {}", spec.program.display()),
            error: sys::execve(&spec.program, &argv, &envp),
        },
    }
}

type Strings = Vec<CString>;

/// Everything between the fork and the exec, in order; returns the program's arguments and
/// environment, prepared before the last layers go on.
fn confine(
    spec: &BoxSpec,
    parent: i32,
    error_fd: i32,
    tasks_before: u64,
) -> Result<(Strings, Strings)> {
    keep_only_own_descriptors(spec, error_fd)?;
    become_the_box(spec, parent)?;
    trace::mark("identity-and-capabilities");
    set_rlimits(spec, tasks_before)?;
    trace::mark("rlimits");
    let (argv, envp) = command_line(spec)?;
    lock_down(spec)?;
    trace::mark("exec");
    Ok((argv, envp))
}

/// Moves the error pipe to `ERROR_FD` and closes every other descriptor the helper had (but
/// the trace pipe and a fork server's socket).
fn keep_only_own_descriptors(spec: &BoxSpec, error_fd: i32) -> Result<()> {
    if error_fd != ERROR_FD {
        // SAFETY: dup3 on descriptors this process owns, given by number (rustix's dup3 wants
        // owned descriptors, which the helper does not keep across its forks).
        sys::check(unsafe { libc::dup3(error_fd, ERROR_FD, libc::O_CLOEXEC) })
            .step(|| "keep the error pipe".into())?;
    }
    trace::mark("program-forked");
    // The trace pipe, if any, is above ERROR_FD: keep it until exec (it is close-on-exec). A
    // fork server keeps its socket too (and closes it in every case it forks).
    let keep: Vec<i32> = trace::fd()
        .into_iter()
        .chain(spec.zygote.then_some(ZYGOTE_FD))
        .collect();
    close_above(ERROR_FD, &keep);
    Ok(())
}

/// Its own session and working directory, no capabilities, the box's uid, and death with its
/// parent (which must still be `parent`).
fn become_the_box(spec: &BoxSpec, parent: i32) -> Result<()> {
    // Its own session: no controlling terminal to inject keystrokes into, no signals from one.
    sys::setsid().step(|| "start a new session".into())?;
    sys::chdir(&spec.cwd).step(|| format!("enter {}", spec.cwd.display()))?;

    drop_bounding_set();
    rustix::thread::clear_ambient_capability_set()
        .step(|| "clear the ambient capabilities".into())?;
    if spec.drop_to_box_ids {
        sys::become_user(spec.uid, spec.gid)
            .step(|| format!("become uid {} gid {}", spec.uid, spec.gid))?;
    }
    // Armed after the last credential change, which would clear it.
    sys::die_with_parent().step(|| "arm the parent-death signal".into())?;
    if sys::getppid() != parent {
        sys::exit_now(126);
    }
    Ok(())
}

/// The spec's limits; the process cap counts only the program's own tasks.
fn set_rlimits(spec: &BoxSpec, tasks_before: u64) -> Result<()> {
    let limits = spec.limits;
    let rlimits = [
        (Resource::Cpu, limits.cpu_seconds, limits.cpu_seconds + 1),
        (Resource::As, limits.address_space, limits.address_space),
        (Resource::Fsize, limits.file_size, limits.file_size),
        (Resource::Nofile, limits.open_files, limits.open_files),
        (Resource::Core, 0, 0),
        (Resource::Memlock, 0, 0),
        (Resource::Msgqueue, 0, 0),
    ];
    for (resource, soft, hard) in rlimits {
        sys::set_rlimit(resource, soft, hard).step(|| format!("set rlimit {resource:?}"))?;
    }
    let tasks = tasks_before + 1 + limits.extra_tasks;
    sys::set_rlimit(Resource::Nproc, tasks, tasks).step(|| "cap processes and threads".into())
}

/// The program's arguments and environment as C strings.
fn command_line(spec: &BoxSpec) -> Result<(Strings, Strings)> {
    let argv = strings(
        std::iter::once(spec.program.as_os_str().as_bytes())
            .chain(spec.args.iter().map(|a| a.as_bytes())),
    )
    .step(|| "prepare the arguments".into())?;
    let envp = strings(spec.env.iter().map(|(key, value)| {
        let mut pair = key.as_bytes().to_vec();
        pair.push(b'=');
        pair.extend_from_slice(value.as_bytes());
        pair
    }))
    .step(|| "prepare the environment".into())?;
    Ok((argv, envp))
}

/// no_new_privs, then the Landlock rules and the seccomp filter the spec enables.
fn lock_down(spec: &BoxSpec) -> Result<()> {
    sys::no_new_privs().step(|| "set no_new_privs".into())?;
    let host_fs = spec.layout == Layout::HostFs;
    // A fork server applies the same rules to each of its cases itself: Landlock would refuse
    // the mount of each case's own /proc.
    if spec.layers.landlock_abi > 0 && !spec.zygote {
        if host_fs {
            rules::confine_to(&HostRules {
                read_only: &spec.view.read_only,
                code: &spec.dirs.code,
                writable: [&spec.dirs.work, &spec.dirs.scratch],
                executables: &spec.view.executables,
                tcp: spec.grants.sockets,
            })
        } else {
            rules::only_execute(&spec.view.executables)
        }
        .step(|| "apply the Landlock rules".into())?;
        trace::mark("landlock");
    }
    if spec.layers.seccomp {
        seccomp::install(seccomp::Policy {
            threads: spec.grants.threads || spec.grants.processes || spec.zygote,
            processes: spec.grants.processes || spec.zygote,
            ipc: !host_fs,
            inet_sockets: spec.grants.sockets,
            unix_sockets: !host_fs,
            // Landlock ABI 6 scopes signals to the box; without it, refuse group signals.
            no_group_signals: host_fs && spec.layers.landlock_abi < 6,
            fork_server: spec.zygote,
        })
        .step(|| "install the seccomp filter".into())?;
        trace::mark("seccomp");
    }
    Ok(())
}

/// Closes every descriptor above `floor` except those in `keep`.
fn close_above(floor: i32, keep: &[i32]) {
    let mut next = floor + 1;
    let mut kept: Vec<i32> = keep.iter().copied().filter(|&fd| fd > floor).collect();
    kept.sort_unstable();
    for fd in kept {
        for closing in next..fd {
            sys::close(closing);
        }
        next = fd + 1;
    }
    sys::close_from(next as u32);
}

/// Empties the capability bounding set, so nothing exec'd later can regain a capability. Only
/// possible with CAP_SETPCAP (root, or inside the box's user namespace); without it there is
/// nothing to drop.
fn drop_bounding_set() {
    for capability in 0..=LAST_CAPABILITY {
        if sys::prctl(libc::PR_CAPBSET_DROP, capability).is_err() {
            // EINVAL past the last capability the kernel knows; EPERM without CAP_SETPCAP.
            break;
        }
    }
}

fn strings<I, S>(items: I) -> std::io::Result<Vec<CString>>
where
    I: IntoIterator<Item = S>,
    S: Into<Vec<u8>>,
{
    items
        .into_iter()
        .map(|item| CString::new(item).map_err(|_| std::io::Error::other("a NUL byte")))
        .collect()
}
