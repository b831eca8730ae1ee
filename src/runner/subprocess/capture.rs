//! A native sandbox's pipes and process: writing a case's stdin, reading its outputs into
//! memory each up to a cap, and waiting for the process.

use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustix::process::{Pid, Signal, WaitId, WaitIdOptions, kill_process, waitid};
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::unix::pipe;
use tokio::sync::mpsc;

use crate::exercise::CaseInput;
use crate::runner::protocol;
use crate::runner::{LimitHit, ProcessEnd, RunOutput, RunRequest, Stream, Usage};

/// How long to keep reading pipes after the sandbox is gone (a descendant that escaped it could
/// hold them open forever).
const DRAIN_GRACE: Duration = Duration::from_millis(250);

/// A pipe being read into memory, up to a cap.
pub(super) struct Reader {
    buffer: Arc<Mutex<Captured>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

#[derive(Default)]
pub(super) struct Captured {
    pub bytes: Vec<u8>,
    pub overflowed: bool,
}

/// Starts reading a sandboxed run's stdout and stderr (each capped at `output_cap`) and its
/// result frame (capped by [`protocol::frame_cap`]); a stream past its cap is sent on
/// `overflow`.
pub(super) fn read_outputs(
    child: &mut std::process::Child,
    frame: OwnedFd,
    output_cap: u64,
    overflow: &mpsc::Sender<Stream>,
) -> (Reader, Reader, Reader) {
    (
        spawn_reader(
            child.stdout.take().map(OwnedFd::from),
            output_cap,
            Stream::Stdout,
            overflow,
        ),
        spawn_reader(
            child.stderr.take().map(OwnedFd::from),
            output_cap,
            Stream::Stderr,
            overflow,
        ),
        spawn_reader(
            Some(frame),
            protocol::frame_cap(output_cap),
            Stream::Frame,
            overflow,
        ),
    )
}

/// Starts reading `fd`; when more than `cap` bytes arrive, `stream` is sent on `overflow`.
pub(super) fn spawn_reader(
    fd: Option<OwnedFd>,
    cap: u64,
    stream: Stream,
    overflow: &mpsc::Sender<Stream>,
) -> Reader {
    let buffer = Arc::new(Mutex::new(Captured::default()));
    let task = fd
        .and_then(|fd| pipe::Receiver::from_owned_fd(fd).ok())
        .map(|receiver| {
            let buffer = Arc::clone(&buffer);
            let overflow = overflow.clone();
            tokio::spawn(async move {
                if read_capped(receiver, cap, &buffer).await {
                    let _ = overflow.send(stream).await;
                }
            })
        });
    Reader { buffer, task }
}

/// Reads until EOF or until more than `cap` bytes arrive; returns whether the cap was passed.
async fn read_capped(
    mut source: impl AsyncRead + Unpin,
    cap: u64,
    buffer: &Mutex<Captured>,
) -> bool {
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match source.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        let mut captured = buffer.lock().expect("reader buffer lock");
        let room = (cap as usize).saturating_sub(captured.bytes.len());
        if n > room {
            captured.bytes.extend_from_slice(&chunk[..room]);
            captured.overflowed = true;
            return true;
        }
        captured.bytes.extend_from_slice(&chunk[..n]);
    }
}

impl Reader {
    /// What was read, after giving the pipe a moment to reach EOF.
    pub(super) async fn finish(mut self) -> Captured {
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(DRAIN_GRACE, task).await.is_err() {
                // Something outside the sandbox still holds the pipe; keep what arrived.
                abort.abort();
            }
        }
        std::mem::take(&mut *self.buffer.lock().expect("reader buffer lock"))
    }
}

/// A child of this process, waited for without reaping until [`Child::reap`], so its pid
/// cannot be reused while it may still be signalled.
pub(super) struct Child {
    pub pid: libc::pid_t,
    pidfd: Option<AsyncFd<OwnedFd>>,
}

impl Child {
    pub(super) fn new(pid: libc::pid_t) -> Child {
        let pidfd = rustix::process::Pid::from_raw(pid)
            .and_then(|pid| {
                rustix::process::pidfd_open(pid, rustix::process::PidfdFlags::empty()).ok()
            })
            // SAFETY: the OwnedFd stays open, unchanged, for as long as the AsyncFd owns it.
            .and_then(|fd| unsafe { AsyncFd::register_with_interest(fd, Interest::READABLE) }.ok());
        Child { pid, pidfd }
    }

    /// Resolves once the child has exited (it stays a zombie until reaped).
    pub(super) async fn exited(&self) -> io::Result<()> {
        match &self.pidfd {
            Some(pidfd) => pidfd.readable().await.map(|mut guard| guard.retain_ready()),
            None => {
                // No pidfd (Linux < 5.3): a blocking waitid(WNOWAIT) on a worker thread.
                let pid = self.pid;
                tokio::task::spawn_blocking(move || wait_exited(pid))
                    .await
                    .map_err(io::Error::other)?
            }
        }
    }

    /// Sends SIGKILL; safe until [`Child::reap`], since the pid is not free before that.
    pub(super) fn kill(&self) {
        kill(self.pid);
    }

    /// Reaps the exited child: how it ended and what it and its reaped descendants used.
    pub(super) fn reap(self) -> io::Result<(ProcessEnd, ResourceUsage)> {
        reap(self.pid)
    }
}

/// Blocks until `pid` has exited, without reaping it.
fn wait_exited(pid: libc::pid_t) -> io::Result<()> {
    let pid = Pid::from_raw(pid).ok_or(io::ErrorKind::InvalidInput)?;
    loop {
        match waitid(
            WaitId::Pid(pid),
            WaitIdOptions::EXITED | WaitIdOptions::NOWAIT,
        ) {
            Ok(_) => return Ok(()),
            Err(rustix::io::Errno::INTR) => {}
            Err(error) => return Err(error.into()),
        }
    }
}

/// SIGKILL to `pid` (a positive pid); ESRCH (already gone) is fine.
pub(super) fn kill(pid: libc::pid_t) {
    if let Some(pid) = Pid::from_raw(pid) {
        let _ = kill_process(pid, Signal::KILL);
    }
}

/// The CPU time and peak memory of a case's processes.
pub(super) struct ResourceUsage {
    pub cpu: Duration,
    pub max_rss_kb: u64,
}

/// Reaps an exited `pid`, returning how it ended and what it used.
fn reap(pid: libc::pid_t) -> io::Result<(ProcessEnd, ResourceUsage)> {
    let mut status = 0;
    // SAFETY: `usage` is zeroed plain data that wait4 fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both pointers are to live locals of the types wait4 fills in. (rustix has
        // no wait4: its waits do not return the resource usage.)
        let result = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if result == pid {
            break;
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    let exit = if libc::WIFSIGNALED(status) {
        ProcessEnd::Signal(libc::WTERMSIG(status))
    } else {
        ProcessEnd::Code(libc::WEXITSTATUS(status))
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Ok((
        exit,
        ResourceUsage {
            cpu: time(usage.ru_utime) + time(usage.ru_stime),
            max_rss_kb: usage.ru_maxrss as u64,
        },
    ))
}

/// Puts each `(fd, target)` at `target`, inheritable, whatever the numbers (a source may sit
/// where another target goes). Async-signal-safe: only fcntl and dup2, for use between fork
/// and exec.
pub(super) fn place_fds(pairs: &[(i32, i32)]) -> io::Result<()> {
    const HIGH: i32 = 100;
    let mut moved = [0i32; 8];
    assert!(pairs.len() <= moved.len());
    for (slot, &(fd, _)) in moved.iter_mut().zip(pairs) {
        // SAFETY: plain descriptor calls on descriptors this process owns.
        *slot = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, HIGH) };
        if *slot < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    for (&high, &(_, target)) in moved.iter().zip(pairs) {
        // SAFETY: as above; dup2 leaves the new descriptor without close-on-exec.
        if unsafe { libc::dup2(high, target) } < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// A pipe whose ends close on exec: (read, write).
pub(super) fn pipe_pair() -> io::Result<(OwnedFd, OwnedFd)> {
    rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC).map_err(io::Error::from)
}

/// Keeps `fd` usable as a raw number in a pre_exec closure.
pub(super) fn raw(fd: &OwnedFd) -> i32 {
    fd.as_raw_fd()
}

/// Decodes what came through the result channel on a blocking thread: a frame near its cap
/// takes tens of milliseconds to decode, and that must not hold up the async workers that are
/// reading other cases' pipes. A panic in the decoder travels on to the caller, where the
/// session contains it to this one case.
pub(super) async fn parse_frame(frame: Captured) -> Result<protocol::Frame, protocol::FrameError> {
    match tokio::task::spawn_blocking(move || protocol::parse(&frame.bytes)).await {
        Ok(parsed) => parsed,
        Err(failed) => std::panic::resume_unwind(failed.into_panic()),
    }
}

/// The output of a run from what was captured: its frame decoded, whatever reached its real
/// stderr, how it ended and what it used. `used` is `None` when the CPU time and peak memory are
/// not known: a fresh box and a direct run always measure them, but a warm box's case that a
/// limit stopped knows only what could be sampled before its box went, which may be nothing.
pub(super) async fn run_output(
    frame: Captured,
    stderr: &Captured,
    exit: ProcessEnd,
    limit: Option<LimitHit>,
    wall: Duration,
    used: Option<ResourceUsage>,
) -> RunOutput {
    RunOutput {
        frame: parse_frame(frame).await,
        exit,
        limit,
        raw_stderr: String::from_utf8_lossy(&stderr.bytes).into_owned(),
        usage: Usage {
            wall,
            cpu: used.as_ref().map(|used| used.cpu),
            peak_memory_kb: used.map(|used| used.max_rss_kb),
            fuel: None,
        },
    }
}

/// The stdin text of a `stdin` case.
pub(super) fn stdin_text(request: &RunRequest) -> Option<String> {
    match &request.input {
        CaseInput::Stdin { text } => Some(text.clone()),
        _ => None,
    }
}

/// Writes a case's stdin in the background; a program that exits without reading all of it is
/// fine (EPIPE is ignored).
pub(super) fn feed_stdin(text: Option<String>, stdin: Option<OwnedFd>) {
    if let (Some(text), Some(stdin)) = (text, stdin) {
        tokio::spawn(async move {
            if let Ok(mut pipe) = pipe::Sender::from_owned_fd(stdin) {
                let _ = pipe.write_all(text.as_bytes()).await;
            }
        });
    }
}

/// The first capped stream that overflowed, if any.
pub(super) fn overflowed(
    stdout: &Captured,
    stderr: &Captured,
    frame: &Captured,
) -> Option<LimitHit> {
    [stdout.overflowed, stderr.overflowed, frame.overflowed]
        .into_iter()
        .zip([Stream::Stdout, Stream::Stderr, Stream::Frame])
        .find(|(overflowed, _)| *overflowed)
        .map(|(_, stream)| LimitHit::Output(stream))
}
