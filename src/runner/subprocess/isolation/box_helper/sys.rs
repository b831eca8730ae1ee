//! Thin, checked wrappers over the system calls the box helper makes.
//!
//! The helper is a fresh, single-threaded process (see `box_helper`), so forking it and
//! carrying on in the child with ordinary Rust is sound; none of this may be called from the
//! grader itself.
//!
//! rustix makes each call where it has a safe one. The rest stay raw libc, each with its
//! SAFETY note: calls on descriptor numbers (the helper hands descriptors on by number across
//! fork and exec, where no `OwnedFd` can follow), fork, execve and `_exit`, wait4 (for its
//! resource usage), mount with a raw flag word, unshare (unsafe in rustix too), kill of -1 or
//! a negated group, and prctl by number.

use std::ffi::{CString, OsStr};
use std::io;
use std::os::fd::IntoRawFd;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use rustix::process::{Resource, Rlimit};

use crate::runner::subprocess::isolation::spec::BoxExit;

pub(super) type Result<T> = std::result::Result<T, Failure>;

/// A failed step, named so the host can say which layer could not be set up.
#[derive(Debug)]
pub(super) struct Failure {
    pub step: String,
    pub error: io::Error,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.step, self.error)
    }
}

/// Attaches what was being done to an error.
pub(super) trait Step<T> {
    fn step(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T> Step<T> for io::Result<T> {
    fn step(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|error| Failure {
            step: what(),
            error,
        })
    }
}

impl<T> Step<T> for rustix::io::Result<T> {
    fn step(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(io::Error::from).step(what)
    }
}

pub(super) fn check(result: libc::c_int) -> io::Result<libc::c_int> {
    if result < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(result)
    }
}

pub(super) fn cstring(path: impl AsRef<OsStr>) -> io::Result<CString> {
    CString::new(path.as_ref().as_bytes()).map_err(|_| io::Error::other("a NUL byte in a path"))
}

pub(super) fn unshare(flags: libc::c_int) -> io::Result<()> {
    // SAFETY: unshare has no memory-safety preconditions; the helper is single-threaded.
    check(unsafe { libc::unshare(flags) }).map(drop)
}

pub(super) fn mount(
    source: Option<&Path>,
    target: &Path,
    fstype: Option<&str>,
    flags: libc::c_ulong,
    data: Option<&str>,
) -> io::Result<()> {
    let source = source.map(cstring).transpose()?;
    let target = cstring(target)?;
    let fstype = fstype.map(cstring).transpose()?;
    let data = data.map(cstring).transpose()?;
    let ptr = |value: &Option<CString>| value.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
    // SAFETY: every pointer is null or a NUL-terminated string that outlives the call.
    check(unsafe {
        libc::mount(
            ptr(&source),
            target.as_ptr(),
            ptr(&fstype),
            flags,
            ptr(&data).cast(),
        )
    })
    .map(drop)
}

pub(super) fn umount_detach(target: &Path) -> io::Result<()> {
    Ok(rustix::mount::unmount(
        target,
        rustix::mount::UnmountFlags::DETACH,
    )?)
}

/// `pivot_root(".", ".")`: stacks the old root under the new one, to be detached right after.
pub(super) fn pivot_root_here() -> io::Result<()> {
    Ok(rustix::process::pivot_root(".", ".")?)
}

pub(super) fn chdir(path: &Path) -> io::Result<()> {
    Ok(rustix::process::chdir(path)?)
}

pub(super) fn sethostname(name: &str) -> io::Result<()> {
    Ok(rustix::system::sethostname(name.as_bytes())?)
}

/// The prctl options rustix has no call of its own for (or none that takes a raw
/// capability number, as dropping the whole bounding set needs).
pub(super) fn prctl(option: libc::c_int, arg: libc::c_ulong) -> io::Result<libc::c_int> {
    // SAFETY: the options used here take plain integers.
    check(unsafe {
        libc::prctl(
            option,
            arg,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
        )
    })
}

/// The parent's pid; 0 when the parent is outside this PID namespace.
pub(super) fn getppid() -> i32 {
    rustix::process::Pid::as_raw(rustix::process::getppid())
}

pub(super) fn getpid() -> i32 {
    rustix::process::getpid().as_raw_nonzero().get()
}

pub(super) fn geteuid() -> u32 {
    rustix::process::geteuid().as_raw()
}

pub(super) fn getegid() -> u32 {
    rustix::process::getegid().as_raw()
}

pub(super) fn setsid() -> io::Result<()> {
    rustix::process::setsid()?;
    Ok(())
}

/// SIGKILL when the parent dies (cleared by a credential change: arm it after the last one).
pub(super) fn die_with_parent() -> io::Result<()> {
    Ok(rustix::process::set_parent_process_death_signal(Some(
        rustix::process::Signal::KILL,
    ))?)
}

/// No core dumps, no ptrace by the same uid, /proc/PID owned by root.
pub(super) fn undumpable() -> io::Result<()> {
    Ok(rustix::process::set_dumpable_behavior(
        rustix::process::DumpableBehavior::NotDumpable,
    )?)
}

/// Orphaned descendants are re-parented to this process, which can then reap them.
pub(super) fn become_subreaper() -> io::Result<()> {
    Ok(rustix::process::set_child_subreaper(Some(
        rustix::process::getpid(),
    ))?)
}

/// Nothing exec'd from here on can gain privileges (set-uid bits, file capabilities).
pub(super) fn no_new_privs() -> io::Result<()> {
    Ok(rustix::thread::set_no_new_privs(true)?)
}

/// Drops to `uid`/`gid` for good: no supplementary groups, real, effective and saved ids all
/// changed (which also clears the capability sets).
pub(super) fn become_user(uid: u32, gid: u32) -> io::Result<()> {
    // SAFETY: plain credential system calls; the helper is single-threaded, so there are no
    // other threads whose credentials libc would have to keep in step.
    unsafe {
        check(libc::setgroups(0, std::ptr::null()))?;
        check(libc::setresgid(gid, gid, gid))?;
        check(libc::setresuid(uid, uid, uid))?;
    }
    Ok(())
}

pub(super) enum Forked {
    Child,
    Parent(i32),
}

pub(super) fn fork() -> io::Result<Forked> {
    // SAFETY: the helper is single-threaded, so the child may carry on normally.
    match check(unsafe { libc::fork() })? {
        0 => Ok(Forked::Child),
        pid => Ok(Forked::Parent(pid)),
    }
}

/// `kill(2)` itself: `pid` may also be -1 (every process this one may signal) or a negated
/// process group, which rustix's calls do not take.
pub(super) fn kill(pid: i32, signal: i32) -> io::Result<()> {
    // SAFETY: kill has no memory-safety preconditions.
    check(unsafe { libc::kill(pid, signal) }).map(drop)
}

/// Waits for `pid` (or any child, with -1); returns the pid, its raw wait status and the
/// resource usage of it and the descendants it waited for.
pub(super) fn wait4(pid: i32, flags: libc::c_int) -> io::Result<(i32, i32, libc::rusage)> {
    let mut status = 0;
    // SAFETY: `usage` is plain data that wait4 fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: the pointers are valid for the call.
        let result = unsafe { libc::wait4(pid, &mut status, flags, &mut usage) };
        if result >= 0 {
            return Ok((result, status, usage));
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

pub(super) fn pidfd_open(pid: i32) -> io::Result<i32> {
    let pid = rustix::process::Pid::from_raw(pid).ok_or(io::ErrorKind::InvalidInput)?;
    let fd = rustix::process::pidfd_open(pid, rustix::process::PidfdFlags::empty())?;
    Ok(fd.into_raw_fd())
}

/// Polls `fds` for readability (or hang-up); returns which are ready, or none on timeout.
pub(super) fn poll_readable(fds: &[i32], timeout_ms: i32) -> io::Result<Vec<bool>> {
    let mut polls: Vec<libc::pollfd> = fds
        .iter()
        .map(|&fd| libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    loop {
        // SAFETY: `polls` is a valid array of the given length.
        let result =
            unsafe { libc::poll(polls.as_mut_ptr(), polls.len() as libc::nfds_t, timeout_ms) };
        if result >= 0 {
            return Ok(polls.iter().map(|p| p.revents != 0).collect());
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

/// A pipe whose ends close on exec: (read, write).
pub(super) fn pipe() -> io::Result<(i32, i32)> {
    let (read, write) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?;
    Ok((read.into_raw_fd(), write.into_raw_fd()))
}

pub(super) fn close(fd: i32) {
    // SAFETY: closing a descriptor this process owns; errors are irrelevant here.
    unsafe {
        libc::close(fd);
    }
}

/// Closes every descriptor from `first` up.
pub(super) fn close_from(first: u32) {
    // SAFETY: plain integers; on kernels without close_range, fall back to closing one by one.
    let result = unsafe { libc::syscall(libc::SYS_close_range, first, u32::MAX, 0) };
    if result < 0 {
        for fd in first..1024 {
            close(fd as i32);
        }
    }
}

pub(super) fn set_cloexec(fd: i32) -> io::Result<()> {
    // SAFETY: plain descriptor flags.
    unsafe {
        let flags = check(libc::fcntl(fd, libc::F_GETFD))?;
        check(libc::fcntl(fd, libc::F_SETFD, flags | libc::FD_CLOEXEC))?;
    }
    Ok(())
}

pub(super) fn write_all(fd: i32, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        // SAFETY: the pointer and length describe `bytes`.
        let written = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        if written < 0 {
            let error = io::Error::last_os_error();
            if error.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(error);
        }
        bytes = &bytes[written as usize..];
    }
    Ok(())
}

/// Reads until EOF, at most `limit` bytes.
pub(super) fn read_to_end(fd: i32, limit: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    while bytes.len() < limit {
        // SAFETY: `chunk` is writable for its length.
        let read = unsafe { libc::read(fd, chunk.as_mut_ptr().cast(), chunk.len()) };
        match read {
            0 => break,
            n if n > 0 => bytes.extend_from_slice(&chunk[..n as usize]),
            _ => {
                let error = io::Error::last_os_error();
                if error.kind() != io::ErrorKind::Interrupted {
                    return Err(error);
                }
            }
        }
    }
    Ok(bytes)
}

/// Reads exactly `buffer.len()` bytes.
pub(super) fn read_exact(fd: i32, buffer: &mut [u8]) -> io::Result<()> {
    let mut filled = 0;
    while filled < buffer.len() {
        let rest = &mut buffer[filled..];
        // SAFETY: `rest` is writable for its length.
        let read = unsafe { libc::read(fd, rest.as_mut_ptr().cast(), rest.len()) };
        match read {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n if n > 0 => filled += n as usize,
            _ => {
                let error = io::Error::last_os_error();
                if error.kind() != io::ErrorKind::Interrupted {
                    return Err(error);
                }
            }
        }
    }
    Ok(())
}

pub(super) fn set_rlimit(resource: Resource, soft: u64, hard: u64) -> io::Result<()> {
    let limit = Rlimit {
        current: Some(soft),
        maximum: Some(hard),
    };
    Ok(rustix::process::setrlimit(resource, limit)?)
}

/// Replaces this process with `program`; returns only on failure.
pub(super) fn execve(program: &Path, argv: &[CString], envp: &[CString]) -> io::Error {
    let Ok(program) = cstring(program) else {
        return io::Error::other("a NUL byte in the program's path");
    };
    let mut argv_ptrs: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
    argv_ptrs.push(std::ptr::null());
    let mut envp_ptrs: Vec<*const libc::c_char> = envp.iter().map(|e| e.as_ptr()).collect();
    envp_ptrs.push(std::ptr::null());
    // SAFETY: both arrays are NULL-terminated and point at strings that outlive the call.
    unsafe {
        libc::execve(program.as_ptr(), argv_ptrs.as_ptr(), envp_ptrs.as_ptr());
    }
    io::Error::last_os_error()
}

/// Ends the process at once, without running destructors or flushing anything.
pub(super) fn exit_now(code: i32) -> ! {
    // SAFETY: _exit never returns and has no preconditions.
    unsafe { libc::_exit(code) }
}

/// `"lo"` up in the current network namespace (the only interface a fresh one has).
pub(super) fn loopback_up() -> io::Result<()> {
    // SAFETY: an ordinary socket used only for the interface ioctls, closed below.
    let socket =
        check(unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) })?;
    // SAFETY: `request` is plain data; the name fits in IFNAMSIZ.
    let result = unsafe {
        let mut request: libc::ifreq = std::mem::zeroed();
        for (slot, byte) in request.ifr_name.iter_mut().zip(b"lo\0") {
            *slot = *byte as libc::c_char;
        }
        let mut result = libc::ioctl(socket, libc::SIOCGIFFLAGS, &mut request);
        if result == 0 {
            request.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
            result = libc::ioctl(socket, libc::SIOCSIFFLAGS, &request);
        }
        result
    };
    let outcome = check(result).map(drop);
    close(socket);
    outcome
}

/// The wait status of a child as (exited code | signal).
pub(super) fn describe_status(status: i32) -> BoxExit {
    if libc::WIFSIGNALED(status) {
        BoxExit::Signaled(libc::WTERMSIG(status))
    } else {
        BoxExit::Exited(libc::WEXITSTATUS(status))
    }
}

pub(super) fn cpu_micros(usage: &libc::rusage) -> u64 {
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    micros(usage.ru_utime) + micros(usage.ru_stime)
}
