//! The native backend: one fresh `python3` process per case.
//!
//! Each case gets a fresh directory (see `box_dir`), a cleared environment with
//! `PYTHONHASHSEED=0`, its own process group, rlimits (CPU, address space, file size, open files,
//! core dumps), a wall-clock deadline, and capped readers on stdout, stderr and the result frame
//! (fd 3) that kill the whole group the moment a cap is hit. The process group is killed when the
//! case ends, whatever happened, before the leader is reaped (so its id cannot be reused first).
//!
//! This backend limits resources but does not isolate: the submission runs as the grader's user
//! and sees the grader's files. The wasm backend is the one for untrusted code.

use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::unix::pipe;
use tokio::sync::mpsc;

use super::box_dir::BoxDir;
use super::python::Interpreter;
use super::{
    ExitStatus, LimitHit, RunOutput, RunRequest, Runner, RunnerError, Stream, Usage, protocol,
};
use crate::exercise::CaseInput;

/// The descriptor the harness writes its frame to.
const FRAME_FD: i32 = 3;
/// How long to keep reading pipes after the process group is dead (a descendant that escaped
/// the group could hold them open forever).
const DRAIN_GRACE: Duration = Duration::from_millis(250);
/// Room for the frame's JSON around the captured output it carries.
const FRAME_OVERHEAD: u64 = 1 << 20;
/// Largest file a case may write.
const FILE_SIZE_LIMIT: u64 = 64 << 20;
const OPEN_FILES_LIMIT: u64 = 256;

/// Runs cases with a real CPython.
#[derive(Debug, Clone)]
pub struct SubprocessRunner {
    interpreter: Interpreter,
}

impl SubprocessRunner {
    pub fn new(interpreter: Interpreter) -> Self {
        SubprocessRunner { interpreter }
    }

    pub fn interpreter(&self) -> &Interpreter {
        &self.interpreter
    }

    fn command(&self, box_dir: &BoxDir) -> Command {
        let mut command = Command::new(&self.interpreter.path);
        // -S: no site (no .pth scanning, ~27 ms with pyenv); -s: no user site; -B: no .pyc.
        command.args(["-S", "-s", "-B"]);
        if self.interpreter.has_safe_path_flag() {
            command.arg("-P");
        }
        let work = box_dir.work_path();
        command
            .arg(box_dir.box_path().join("harness.py"))
            .arg(box_dir.box_path().join("request.json"))
            .arg(FRAME_FD.to_string())
            .current_dir(&work)
            .env_clear()
            .env("PYTHONHASHSEED", "0")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("PYTHONSAFEPATH", "1")
            .env("PYTHONNOUSERSITE", "1")
            .env("PYTHONUTF8", "1")
            .env("PYTHONIOENCODING", "utf-8")
            // One malloc arena: each extra arena reserves 64 MiB of address space, which would
            // eat the RLIMIT_AS budget of a threaded submission.
            .env("MALLOC_ARENA_MAX", "1")
            .env("LC_ALL", "C.UTF-8")
            .env("HOME", &work)
            .env("TMPDIR", &work)
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .process_group(0);
        command
    }
}

impl Runner for SubprocessRunner {
    fn name(&self) -> &'static str {
        "subprocess"
    }

    async fn run(&self, request: RunRequest) -> Result<RunOutput, RunnerError> {
        // The process sees the host's file system: the box is where it is.
        let box_dir = BoxDir::prepare(&request, None)?;
        run_in_box(self, &request, &box_dir).await
    }
}

async fn run_in_box(
    runner: &SubprocessRunner,
    request: &RunRequest,
    box_dir: &BoxDir,
) -> Result<RunOutput, RunnerError> {
    let limits = request.limits;
    let (frame_read, frame_write) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)
        .map_err(|e| RunnerError::Prepare(e.into()))?;
    let stdin_text = match &request.input {
        CaseInput::Stdin { text } => Some(text.clone()),
        _ => None,
    };
    let mut command = runner.command(box_dir);
    command
        .stdin(if stdin_text.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let rlimits = Rlimits::for_limits(&limits);
    let frame_write_fd = frame_write.as_raw_fd();
    // SAFETY: the closure runs between fork and exec and only makes async-signal-safe calls
    // (dup2, fcntl, setrlimit) on values prepared before the fork.
    unsafe {
        command.pre_exec(move || {
            move_fd(frame_write_fd, FRAME_FD)?;
            rlimits.apply()
        });
    }

    let started = Instant::now();
    let mut child = command.spawn().map_err(|source| RunnerError::Spawn {
        program: runner.interpreter.path.display().to_string(),
        source,
    })?;
    drop(frame_write);
    let pid = child.id() as libc::pid_t;
    let group = GroupKiller { pid };

    let (overflow_tx, mut overflow_rx) = mpsc::channel::<Stream>(3);
    let output_cap = limits.output_bytes;
    let stdout = spawn_reader(
        child.stdout.take().map(OwnedFd::from),
        output_cap,
        Stream::Stdout,
        &overflow_tx,
    );
    let stderr = spawn_reader(
        child.stderr.take().map(OwnedFd::from),
        output_cap,
        Stream::Stderr,
        &overflow_tx,
    );
    let frame = spawn_reader(
        Some(frame_read),
        2 * output_cap + FRAME_OVERHEAD,
        Stream::Frame,
        &overflow_tx,
    );
    drop(overflow_tx);
    if let (Some(text), Some(stdin)) = (stdin_text, child.stdin.take()) {
        tokio::spawn(async move {
            if let Ok(mut pipe) = pipe::Sender::from_owned_fd(OwnedFd::from(stdin)) {
                // A program that exits without reading all its input is fine: ignore EPIPE.
                let _ = pipe.write_all(text.as_bytes()).await;
            }
        });
    }
    // `child` is never waited through std: the pid is reaped below, with its resource usage.
    drop(child);

    let mut waiter = tokio::task::spawn_blocking(move || wait_exited(pid));
    let deadline = tokio::time::sleep(limits.wall);
    tokio::pin!(deadline);
    let mut limit = None;
    let exited = tokio::select! {
        exited = &mut waiter => exited,
        () = &mut deadline => {
            limit = Some(LimitHit::Wall);
            group.kill();
            waiter.await
        }
        Some(stream) = overflow_rx.recv() => {
            limit = Some(LimitHit::Output(stream));
            group.kill();
            waiter.await
        }
    };
    let wall = started.elapsed();
    exited
        .map_err(|e| RunnerError::Wait(io::Error::other(e)))?
        .map_err(RunnerError::Wait)?;
    // Kill what is left of the group while the leader is a zombie: its pid, which is also
    // the group id, cannot have been reused yet.
    group.kill();
    let (status, rusage) = reap(pid).map_err(RunnerError::Wait)?;
    std::mem::forget(group);

    let stdout = stdout.finish().await;
    let stderr = stderr.finish().await;
    let frame_bytes = frame.finish().await;
    if limit.is_none() {
        limit = [stdout.overflowed, stderr.overflowed, frame_bytes.overflowed]
            .into_iter()
            .zip([Stream::Stdout, Stream::Stderr, Stream::Frame])
            .find(|(overflowed, _)| *overflowed)
            .map(|(_, stream)| LimitHit::Output(stream));
    }
    let cpu = rusage.cpu;
    let exit = status;
    if limit.is_none() && (cpu > limits.cpu || exit == ExitStatus::Signal(libc::SIGXCPU)) {
        limit = Some(LimitHit::Cpu);
    }
    Ok(RunOutput {
        frame: protocol::parse(&frame_bytes.bytes),
        exit,
        limit,
        raw_stderr: String::from_utf8_lossy(&stderr.bytes).into_owned(),
        usage: Usage {
            wall,
            cpu: Some(cpu),
            peak_memory_kb: Some(rusage.max_rss_kb),
            fuel: None,
        },
    })
}

/// Kills the process group when dropped, so a cancelled case leaves nothing behind.
struct GroupKiller {
    pid: libc::pid_t,
}

impl GroupKiller {
    fn kill(&self) {
        // SAFETY: killpg has no memory-safety preconditions; ESRCH (already gone) is fine.
        unsafe {
            libc::killpg(self.pid, libc::SIGKILL);
        }
    }
}

impl Drop for GroupKiller {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Resource limits applied in the child before exec.
#[derive(Clone, Copy)]
struct Rlimits {
    cpu_seconds: u64,
    address_space: u64,
}

impl Rlimits {
    fn for_limits(limits: &crate::exercise::Limits) -> Self {
        Rlimits {
            // RLIMIT_CPU counts whole seconds; the exact limit is checked against rusage after.
            cpu_seconds: limits.cpu.as_secs() + u64::from(limits.cpu.subsec_nanos() > 0),
            address_space: limits.memory_bytes,
        }
    }

    /// Async-signal-safe: only setrlimit calls.
    fn apply(&self) -> io::Result<()> {
        set_rlimit(libc::RLIMIT_CPU, self.cpu_seconds, self.cpu_seconds + 1)?;
        set_rlimit(libc::RLIMIT_AS, self.address_space, self.address_space)?;
        set_rlimit(libc::RLIMIT_FSIZE, FILE_SIZE_LIMIT, FILE_SIZE_LIMIT)?;
        set_rlimit(libc::RLIMIT_NOFILE, OPEN_FILES_LIMIT, OPEN_FILES_LIMIT)?;
        set_rlimit(libc::RLIMIT_CORE, 0, 0)
    }
}

fn set_rlimit(resource: libc::__rlimit_resource_t, soft: u64, hard: u64) -> io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: `limit` is a valid rlimit for the duration of the call.
    if unsafe { libc::setrlimit(resource, &limit) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Puts `fd` at `target` without close-on-exec (async-signal-safe).
fn move_fd(fd: i32, target: i32) -> io::Result<()> {
    // SAFETY: plain descriptor syscalls on descriptors this process owns.
    unsafe {
        if fd == target {
            let flags = libc::fcntl(fd, libc::F_GETFD);
            if flags < 0 || libc::fcntl(fd, libc::F_SETFD, flags & !libc::FD_CLOEXEC) < 0 {
                return Err(io::Error::last_os_error());
            }
        } else if libc::dup2(fd, target) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Blocks until `pid` has exited, without reaping it.
fn wait_exited(pid: libc::pid_t) -> io::Result<()> {
    loop {
        // SAFETY: `info` is zeroed plain data that waitid fills in.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let result = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if result == 0 {
            return Ok(());
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

struct ResourceUsage {
    cpu: Duration,
    max_rss_kb: u64,
}

/// Reaps an exited `pid`, returning how it ended and what it used.
fn reap(pid: libc::pid_t) -> io::Result<(ExitStatus, ResourceUsage)> {
    let mut status = 0;
    // SAFETY: `usage` is zeroed plain data that wait4 fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
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
        ExitStatus::Signal(libc::WTERMSIG(status))
    } else {
        ExitStatus::Code(libc::WEXITSTATUS(status))
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

/// A pipe being read into memory, up to a cap.
struct Reader {
    buffer: Arc<Mutex<Captured>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

#[derive(Default)]
struct Captured {
    bytes: Vec<u8>,
    overflowed: bool,
}

fn spawn_reader(
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
    async fn finish(mut self) -> Captured {
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(DRAIN_GRACE, task).await.is_err() {
                // Something outside the process group still holds the pipe; keep what arrived.
                abort.abort();
            }
        }
        std::mem::take(&mut *self.buffer.lock().expect("reader buffer lock"))
    }
}
