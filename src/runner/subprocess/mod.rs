//! The native backend: one fresh `python3` process per case.
//!
//! On Linux each case runs in a box built by kata's own helper process (see
//! [`crate::isolation`]): with namespaces where the machine allows them (a private read-only
//! root, no network, its own PIDs, one unprivileged uid per box when the grader is root), with
//! Landlock and seccomp on the host file system where it does not. Either way the program gets a
//! cleared environment with `PYTHONHASHSEED=0`, rlimits (CPU, address space, file size, open
//! files, processes), a wall-clock deadline and capped readers on stdout, stderr and the result
//! frame (fd 3); hitting a cap stops the whole box at once.
//!
//! `KATA_ISOLATION=off` runs the interpreter directly with rlimits only (its own session,
//! killed as a process group when the case ends): the baseline the isolation's cost is
//! measured against.

use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use tokio::io::AsyncWriteExt;
use tokio::net::unix::pipe;
use tokio::sync::mpsc;

use super::box_dir::BoxDir;
use super::bytecode::Bytecode;
use super::capture::{self, Child, read_outputs};
use super::python::Interpreter;
use super::warm::WarmPool;
use super::{
    ExitStatus, LimitHit, RunOutput, RunRequest, Runner, RunnerError, Stream, Usage, boxed, warm,
};
use crate::exercise::{CaseInput, Limits};
use crate::isolation::helper;
use crate::isolation::slots::SlotPool;
use crate::isolation::spec::{FRAME_FD, View};
use crate::isolation::{Isolation, IsolationError, Mode, starvation, view};

/// Largest file a case may write.
pub(super) const FILE_SIZE_LIMIT: u64 = 64 << 20;
pub(super) const OPEN_FILES_LIMIT: u64 = 256;

/// Runs cases with a real CPython.
#[derive(Debug, Clone)]
pub struct SubprocessRunner {
    interpreter: Interpreter,
    plan: Arc<Plan>,
    /// Warm boxes (namespaces only): see [`warm`].
    warm: Arc<WarmPool>,
    /// The fork server and the harness compiled, looked up (or made) for the first box.
    bytecode: Arc<OnceLock<Option<Bytecode>>>,
}

/// How this runner builds boxes, decided once.
#[derive(Debug)]
pub(super) struct Plan {
    pub isolation: Isolation,
    pub view: View,
    /// Box uids, when the grader is root.
    pub slots: Option<Arc<SlotPool>>,
}

/// Why the subprocess sandbox could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum SandboxSetupError {
    #[error(transparent)]
    Isolation(#[from] IsolationError),
    #[error("cannot work out what the sandbox may show of the interpreter: {0}")]
    View(#[source] io::Error),
    #[error(transparent)]
    Slots(#[from] crate::isolation::slots::SlotError),
    #[error(
        "the boxes run as an unprivileged uid and cannot reach the interpreter at {}, because \
         {} is not open to other users (without namespaces there is no private root to show it \
         in); point kata at a system-wide Python with --python",
        .interpreter.display(), .blocked.display()
    )]
    Unreachable {
        interpreter: PathBuf,
        blocked: PathBuf,
    },
}

impl SubprocessRunner {
    /// Detects what isolation this machine allows (see `kata sandbox status`) and prepares it.
    /// `hidden` are host paths a box must never see even if they lie inside the interpreter's
    /// tree (the exercises directory); the kata binary and the working directory always are.
    pub fn new(interpreter: Interpreter, hidden: &[PathBuf]) -> Result<Self, SandboxSetupError> {
        let isolation = Isolation::detect(PathBuf::from("/proc/self/exe"))?;
        Self::with_isolation(interpreter, isolation, hidden)
    }

    /// Uses `isolation` as detected elsewhere (with its helper program).
    pub fn with_isolation(
        interpreter: Interpreter,
        isolation: Isolation,
        hidden: &[PathBuf],
    ) -> Result<Self, SandboxSetupError> {
        let mut secrets: Vec<PathBuf> = hidden.to_vec();
        secrets.extend(std::env::current_exe().ok());
        secrets.extend(std::env::current_dir().ok());
        secrets.push(isolation.helper.clone());
        let view = match isolation.mode {
            Mode::Namespaces { .. } => view::for_namespaces(&interpreter, &secrets),
            Mode::HostFs => view::for_host_fs(&interpreter, &secrets),
            Mode::Off => Ok(View::default()),
        }
        .map_err(SandboxSetupError::View)?;
        let slots = if isolation.root && isolation.mode != Mode::Off {
            Some(SlotPool::new()?)
        } else {
            None
        };
        if slots.is_some() && isolation.mode == Mode::HostFs {
            for path in view.read_only.iter().chain(&view.executables) {
                if let Some(blocked) = closed_ancestor(path) {
                    return Err(SandboxSetupError::Unreachable {
                        interpreter: interpreter.path.clone(),
                        blocked,
                    });
                }
            }
        }
        Ok(SubprocessRunner {
            interpreter,
            plan: Arc::new(Plan {
                isolation,
                view,
                slots,
            }),
            warm: Arc::new(WarmPool::new()),
            bytecode: Arc::default(),
        })
    }

    pub fn interpreter(&self) -> &Interpreter {
        &self.interpreter
    }

    /// What isolation the boxes get.
    pub fn isolation(&self) -> &Isolation {
        &self.plan.isolation
    }

    /// Runs one case like [`Runner::run`], also timing each stage of the box's set-up and
    /// teardown (empty without isolation). For the overhead benchmark.
    pub async fn run_traced(
        &self,
        request: RunRequest,
    ) -> Result<(RunOutput, boxed::Trace), RunnerError> {
        match self.plan.isolation.mode {
            Mode::Off => {
                let started = boxed::monotonic_ns();
                let output = run_direct(self, &request).await?;
                let ended = boxed::monotonic_ns();
                // The interpreter's own time, to compare with a box's exec..program-ended.
                let spawned = ended.saturating_sub(output.usage.wall.as_nanos() as u64);
                let trace = [
                    ("host-start", started),
                    ("host-spawn", spawned),
                    ("program-ended", ended),
                ];
                Ok((output, trace.map(|(s, t)| (s.to_string(), t)).into()))
            }
            Mode::Namespaces { .. } | Mode::HostFs => boxed::run(self, &request, true).await,
        }
    }

    /// What of the host a box sees.
    pub fn view(&self) -> &View {
        &self.plan.view
    }

    pub(super) fn plan(&self) -> &Plan {
        &self.plan
    }

    pub(super) fn warm(&self) -> &WarmPool {
        &self.warm
    }

    /// The fork server's and the harness's bytecode (see [`super::bytecode`]); `None` when it
    /// cannot be had here (the boxes then compile the sources).
    pub(super) fn bytecode(&self) -> Option<&Bytecode> {
        self.bytecode
            .get_or_init(|| Bytecode::cached(&self.interpreter, Path::new(helper::BOX)))
            .as_ref()
    }

    /// Whether cases run in warm boxes (a fork server per submission) here: with namespaces,
    /// unless `KATA_WARM_BOXES=off` or a fork server failed to start.
    pub fn warm_boxes(&self) -> bool {
        matches!(self.plan.isolation.mode, Mode::Namespaces { .. }) && self.warm.enabled()
    }

    /// The interpreter's arguments for one case: the harness (its bytecode, `harness.pyc`,
    /// with `compiled`), its request, the frame fd.
    pub(super) fn python_args(&self, box_path: &Path, compiled: bool) -> Vec<std::ffi::OsString> {
        // -S: no site (no .pth scanning, ~27 ms with pyenv); -s: no user site; -B: no .pyc.
        let mut args: Vec<std::ffi::OsString> = ["-S", "-s", "-B"].map(Into::into).into();
        if self.interpreter.has_safe_path_flag() {
            args.push("-P".into());
        }
        let harness = if compiled {
            "harness.pyc"
        } else {
            "harness.py"
        };
        args.push(box_path.join(harness).into());
        args.push(box_path.join("request.json").into());
        args.push(FRAME_FD.to_string().into());
        args
    }

    /// The arguments of a warm box's fork server (see `sandbox/zygote.py`); `compiled`: run
    /// its bytecode (`zygote.pyc`, see [`super::bytecode`]).
    pub(super) fn zygote_args(
        &self,
        box_path: &Path,
        socket: i32,
        unshare_nr: i64,
        display_name: &str,
        compiled: bool,
    ) -> Vec<std::ffi::OsString> {
        let mut args = self.python_args(box_path, false);
        args.truncate(args.len() - 3);
        let program = if compiled { "zygote.pyc" } else { "zygote.py" };
        args.push(box_path.join(program).into());
        args.push(box_path.join("harness.py").into());
        args.push(socket.to_string().into());
        args.push(unshare_nr.to_string().into());
        args.push(display_name.into());
        args
    }
}

/// The first directory on the way to `path` that other users cannot pass through, or `path`
/// itself if they cannot read it.
fn closed_ancestor(path: &Path) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.permissions().mode());
    if mode(path) & 0o004 == 0 {
        return Some(path.to_path_buf());
    }
    path.ancestors()
        .skip(1)
        .find(|dir| mode(dir) & 0o001 == 0)
        .map(Path::to_path_buf)
}

/// The program's environment: nothing of the grader's.
pub(super) fn python_env(home: &Path, tmp: &Path) -> Vec<(std::ffi::OsString, std::ffi::OsString)> {
    let pairs: [(&str, &std::ffi::OsStr); 11] = [
        ("PYTHONHASHSEED", "0".as_ref()),
        ("PYTHONDONTWRITEBYTECODE", "1".as_ref()),
        ("PYTHONSAFEPATH", "1".as_ref()),
        ("PYTHONNOUSERSITE", "1".as_ref()),
        ("PYTHONUTF8", "1".as_ref()),
        ("PYTHONIOENCODING", "utf-8".as_ref()),
        // One malloc arena: each extra arena reserves 64 MiB of address space, which would
        // eat the RLIMIT_AS budget of a threaded submission.
        ("MALLOC_ARENA_MAX", "1".as_ref()),
        ("LC_ALL", "C.UTF-8".as_ref()),
        ("HOME", home.as_os_str()),
        ("TMPDIR", tmp.as_os_str()),
        ("PATH", "/usr/local/bin:/usr/bin:/bin".as_ref()),
    ];
    pairs
        .into_iter()
        .map(|(key, value)| (key.into(), value.to_os_string()))
        .collect()
}

impl Runner for SubprocessRunner {
    fn name(&self) -> &'static str {
        "subprocess"
    }

    async fn run(&self, request: RunRequest) -> Result<RunOutput, RunnerError> {
        match self.plan.isolation.mode {
            Mode::Off => run_direct(self, &request).await,
            Mode::Namespaces { .. } if self.warm.enabled() => {
                match warm::run(self, &request).await {
                    Some(result) => result,
                    None => boxed::run(self, &request, false)
                        .await
                        .map(|(output, _)| output),
                }
            }
            Mode::Namespaces { .. } | Mode::HostFs => boxed::run(self, &request, false)
                .await
                .map(|(output, _)| output),
        }
    }
}

/// Runs the interpreter as a plain child: rlimits and a process group, no isolation.
async fn run_direct(
    runner: &SubprocessRunner,
    request: &RunRequest,
) -> Result<RunOutput, RunnerError> {
    // In memory like a box with its own root, so that the baseline pays the same for it.
    let box_dir = BoxDir::prepare(request, None, true)?;
    let compiled = box_dir
        .add_harness_bytecode(runner.bytecode())
        .map_err(RunnerError::Prepare)?;
    let limits = request.limits;
    let (frame_read, frame_write) = capture::pipe_pair().map_err(RunnerError::Prepare)?;
    let stdin_text = stdin_text(request);
    let work = box_dir.work_path();
    let mut command = Command::new(&runner.interpreter.path);
    command
        .args(runner.python_args(&box_dir.box_path(), compiled))
        .current_dir(&work)
        .env_clear()
        .envs(python_env(&work, &work))
        .stdin(if stdin_text.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let rlimits = Rlimits::for_limits(&limits);
    let frame_write_fd = capture::raw(&frame_write);
    // SAFETY: the closure runs between fork and exec and only makes async-signal-safe calls
    // (setsid, fcntl, dup2, setrlimit) on values prepared before the fork.
    unsafe {
        command.pre_exec(move || {
            // Its own session (and so its own process group, killed as one): no terminal,
            // and the same scheduling autogroup a box gets, so the baseline is fair.
            if libc::setsid() < 0 {
                return Err(io::Error::last_os_error());
            }
            capture::place_fds(&[(frame_write_fd, FRAME_FD)])?;
            rlimits.apply()
        });
    }

    let started = Instant::now();
    let mut spawned = command.spawn().map_err(|source| RunnerError::Spawn {
        program: runner.interpreter.path.display().to_string(),
        source,
    })?;
    drop(frame_write);
    let child = Child::new(spawned.id() as libc::pid_t);
    let group = GroupKiller { pid: child.pid };
    let (overflow_tx, mut overflow_rx) = mpsc::channel::<Stream>(3);
    let (stdout, stderr, frame) =
        read_outputs(&mut spawned, frame_read, limits.output_bytes, &overflow_tx);
    drop(overflow_tx);
    feed_stdin(stdin_text, spawned.stdin.take().map(OwnedFd::from));
    // `spawned` is never waited through std: the pid is reaped below, with its resource usage.
    drop(spawned);

    let deadline = tokio::time::sleep(limits.wall);
    tokio::pin!(deadline);
    let mut limit = None;
    let exited = {
        let exited = child.exited();
        tokio::pin!(exited);
        loop {
            tokio::select! {
                exited = &mut exited => break exited,
                () = &mut deadline => {
                    // Like a box's keeper: time spent waiting for a CPU does not count.
                    let budget = starvation::stretched(limits.wall, child.pid);
                    if started.elapsed() < budget {
                        deadline.as_mut().reset((started + budget).into());
                        continue;
                    }
                    limit = Some(LimitHit::Wall);
                    group.kill();
                    break exited.await;
                }
                Some(stream) = overflow_rx.recv() => {
                    limit = Some(LimitHit::Output(stream));
                    group.kill();
                    break exited.await;
                }
            }
        }
    };
    let wall = started.elapsed();
    exited.map_err(RunnerError::Wait)?;
    // Kill what is left of the group while the leader is a zombie: its pid, which is also
    // the group id, cannot have been reused yet.
    group.kill();
    let (exit, usage) = child.reap().map_err(RunnerError::Wait)?;
    std::mem::forget(group);

    let stdout = stdout.finish().await;
    let stderr = stderr.finish().await;
    let frame_bytes = frame.finish().await;
    if limit.is_none() {
        limit = overflowed(&stdout, &stderr, &frame_bytes);
    }
    if limit.is_none() && (usage.cpu > limits.cpu || exit == ExitStatus::Signal(libc::SIGXCPU)) {
        limit = Some(LimitHit::Cpu);
    }
    Ok(RunOutput {
        frame: capture::parse_frame(frame_bytes).await,
        exit,
        limit,
        raw_stderr: String::from_utf8_lossy(&stderr.bytes).into_owned(),
        usage: Usage {
            wall,
            cpu: Some(usage.cpu),
            peak_memory_kb: Some(usage.max_rss_kb),
            fuel: None,
        },
    })
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
    stdout: &capture::Captured,
    stderr: &capture::Captured,
    frame: &capture::Captured,
) -> Option<LimitHit> {
    [stdout.overflowed, stderr.overflowed, frame.overflowed]
        .into_iter()
        .zip([Stream::Stdout, Stream::Stderr, Stream::Frame])
        .find(|(overflowed, _)| *overflowed)
        .map(|(_, stream)| LimitHit::Output(stream))
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

/// Resource limits applied in the child before exec (unisolated runs only).
#[derive(Clone, Copy)]
struct Rlimits {
    cpu_seconds: u64,
    address_space: u64,
}

impl Rlimits {
    fn for_limits(limits: &Limits) -> Self {
        Rlimits {
            cpu_seconds: cpu_seconds(limits),
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

/// RLIMIT_CPU counts whole seconds; the exact limit is checked against rusage after.
pub(super) fn cpu_seconds(limits: &Limits) -> u64 {
    limits.cpu.as_secs() + u64::from(limits.cpu.subsec_nanos() > 0)
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
