//! Warm boxes: with namespaces, one box per submission per worker instead of one per case.
//!
//! The box is built as usual (`kata __box-helper`), but its program is the fork server
//! `sandbox/zygote.py`: it imports the harness and compiles the submission once, then runs
//! each case in a fork of itself with its own PID namespace, descriptors, rlimits, capabilities
//! dropped and a seccomp filter of its own (see the module's docstring and docs/security.md).
//! The grader talks to it on a Unix socket: one message per case, with the case's stdin,
//! stdout, stderr and frame pipe passed as SCM_RIGHTS, and one answer (the case's wait status
//! and usage). Outputs and the frame are read and judged exactly as for a cold box.
//!
//! Any doubt ends the box: a wall-clock limit, an output cap, an answer that is missing,
//! malformed or an error, the fork server gone. The next case of the submission starts a fresh
//! box. Boxes are kept by the submission's source, support, limits, `requires` and fixtures;
//! idle ones beyond a few are stopped.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::IoSlice;
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rustix::io::Errno;
use rustix::net::{SendAncillaryBuffer, SendAncillaryMessage, SendFlags};
use rustix::process::{Pid, WaitId, WaitIdOptions, WaitOptions};
use serde::Deserialize;
use tokio::io::AsyncReadExt;
use tokio::net::UnixStream;
use tokio::sync::mpsc;

use super::bytecode;
use super::capture::{self, Reader, feed_stdin, overflowed, spawn_reader, stdin_text};
use super::fresh;
use super::isolation::box_helper::{self, seccomp};
use super::isolation::slots::Slot;
use super::isolation::spec::BoxSpec;
use super::isolation::spec::{CONTROL_FD, FRAME_FD, REPORT_FD, ZYGOTE_FD, encode};
use super::isolation::{starvation, tree_usage};
use super::launch::{self, FILE_SIZE_LIMIT, OPEN_FILES_LIMIT, cpu_seconds};
use super::plan::Plan;
use crate::exercise::Limits;
use crate::runner::case_dir::{self, CaseDir};
use crate::runner::{ExitStatus, LimitHit, RunOutput, RunRequest, RunnerError, Stream, Usage};

/// Idle warm boxes kept at most; the oldest is stopped first.
const MAX_IDLE: usize = 4;
/// How long a fork server may take to start (import the harness, compile the submission).
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// The largest answer a fork server sends.
const ANSWER_CAP: usize = 4096;
/// The box's own wall limit: the grader times each case and stops the box itself.
const BOX_LIFETIME: Duration = Duration::from_secs(3600);
/// The fork server's own CPU limit (its cases get theirs afresh).
const SERVER_CPU_SECONDS: u64 = 600;
/// Processes of the box's uid besides a case's own: the fork server and the case's PID 1 (the
/// case's process cap counts in the fork server's user namespace).
const SERVER_TASKS: u64 = 2;

/// The warm boxes of one runner.
#[derive(Debug, Default)]
pub(super) struct WarmPool {
    idle: Mutex<Vec<WarmBox>>,
    /// Set when a fork server could not start here: every case then gets a cold box.
    broken: AtomicBool,
    /// `KATA_WARM_BOXES=off`: cold boxes only (to compare, or to rule warm boxes out).
    disabled: bool,
}

impl WarmPool {
    pub fn new() -> WarmPool {
        WarmPool {
            disabled: std::env::var_os("KATA_WARM_BOXES").is_some_and(|v| v == "off"),
            ..WarmPool::default()
        }
    }

    pub fn enabled(&self) -> bool {
        !self.disabled && !self.broken.load(Ordering::Relaxed)
    }

    fn take(&self, key: u64) -> Option<WarmBox> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let index = idle.iter().position(|b| b.key == key)?;
        Some(idle.remove(index))
    }

    fn give_back(&self, warm: WarmBox) {
        let evicted = {
            let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
            idle.push(warm);
            (idle.len() > MAX_IDLE).then(|| idle.remove(0))
        };
        if let Some(old) = evicted {
            tokio::task::spawn_blocking(move || drop(old));
        }
    }
}

/// One running warm box.
struct WarmBox {
    key: u64,
    /// The keeper's pid, until it is reaped. Boxes outlive a tokio runtime (a command may run
    /// several), so nothing of a box is registered with one between cases.
    keeper: Option<libc::pid_t>,
    /// Closing it tells the keeper to stop the box.
    control: Option<OwnedFd>,
    socket: Option<std::os::unix::net::UnixStream>,
    filters: Vec<String>,
    /// The only files a case may execute (Landlock), or none when Landlock is not used.
    landlock_executables: Vec<std::path::PathBuf>,
    /// Processes and threads each case may add (`requires`).
    extra_tasks: u64,
    _case_dir: CaseDir,
    _slot: Option<Slot>,
}

impl std::fmt::Debug for WarmBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WarmBox").field("key", &self.key).finish()
    }
}

impl WarmBox {
    /// Stops the box and reaps its keeper, which first makes sure no process of the box is
    /// left (before the box's uid and directory are given back). Blocking, but short: the
    /// keeper kills the box's PID 1 at once.
    /// The socket, registered with the current runtime for one case.
    fn take_socket(&mut self) -> std::io::Result<UnixStream> {
        let socket = self
            .socket
            .take()
            .ok_or_else(|| std::io::Error::other("the fork server's socket is gone"))?;
        UnixStream::from_std(socket)
    }

    fn stop(&mut self) {
        self.control = None;
        if let Some(keeper) = self.keeper.take() {
            wait_for_exit(keeper, fresh::HELPER_GRACE * 2);
            // The keeper is our child, exited and not yet reaped.
            if let Some(pid) = Pid::from_raw(keeper) {
                let _ = rustix::process::waitpid(Some(pid), WaitOptions::empty());
            }
        }
    }
}

/// Blocks until the child `pid` has exited (without reaping it), killing it after `grace`.
fn wait_for_exit(pid: libc::pid_t, grace: Duration) {
    let Some(child) = Pid::from_raw(pid) else {
        return;
    };
    let deadline = Instant::now() + grace;
    loop {
        let options = WaitIdOptions::EXITED | WaitIdOptions::NOWAIT | WaitIdOptions::NOHANG;
        // Gone, or a failure that waiting longer would not mend; `None` while it runs.
        if !matches!(
            rustix::process::waitid(WaitId::Pid(child), options),
            Ok(None)
        ) {
            return;
        }
        if Instant::now() > deadline {
            // The pid is not reaped yet, so it is still this child's.
            capture::kill(pid);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

impl Drop for WarmBox {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs one case in a warm box of this submission, starting one if needed. `None`: no fork
/// server can run here (the caller uses a cold box).
pub(super) async fn run(
    plan: &Plan,
    pool: &WarmPool,
    request: &RunRequest,
) -> Option<Result<RunOutput, RunnerError>> {
    let key = key_of(request);
    let mut warm = match pool.take(key) {
        Some(warm) => warm,
        None => match start(plan, request, key).await {
            Ok(warm) => warm,
            Err(Start::Unsupported(why)) => {
                note_cold_fallback(&why);
                pool.broken.store(true, Ordering::Relaxed);
                return None;
            }
            Err(Start::Failed(error)) => return Some(Err(error)),
        },
    };
    let (result, healthy) = run_case(&mut warm, request).await;
    if healthy {
        pool.give_back(warm);
    } else {
        tokio::task::spawn_blocking(move || drop(warm));
    }
    Some(result)
}

/// Says once, on stderr with `KATA_DEBUG`, why warm boxes were given up.
fn note_cold_fallback(why: &str) {
    if std::env::var_os("KATA_DEBUG").is_some() {
        eprintln!("kata: warm boxes are off: {why}");
    }
}

/// What identifies a submission's box: anything that changes what the fork server holds or
/// what the box looks like.
fn key_of(request: &RunRequest) -> u64 {
    let mut hasher = DefaultHasher::new();
    request.program.source.hash(&mut hasher);
    request.program.display_name.hash(&mut hasher);
    request.support.modules.hash(&mut hasher);
    request.support.code.hash(&mut hasher);
    request.support.cases.hash(&mut hasher);
    format!("{:?}", request.limits).hash(&mut hasher);
    request.requires.hash(&mut hasher);
    format!("{:?}", request.fixtures).hash(&mut hasher);
    hasher.finish()
}

enum Start {
    /// The fork server cannot work on this machine: cold boxes from now on.
    Unsupported(String),
    /// This case failed for a reason of its own (its box could not be prepared).
    Failed(RunnerError),
}

/// Starts a warm box for this submission and waits until its fork server is ready.
async fn start(plan: &Plan, request: &RunRequest, key: u64) -> Result<WarmBox, Start> {
    let slot = match &plan.slots {
        Some(pool) => Some(
            pool.acquire()
                .map_err(|e| Start::Failed(RunnerError::Sandbox(e.to_string())))?,
        ),
        None => None,
    };
    let case_dir =
        CaseDir::prepare(request, Some(Path::new(box_helper::BOX)), true).map_err(Start::Failed)?;
    let bytecode = plan.bytecode();
    bytecode::add_zygote(&case_dir, bytecode)
        .map_err(|e| Start::Failed(RunnerError::Prepare(e)))?;
    let spec = server_spec(plan, request, &case_dir, slot.as_ref());
    let filters = case_filters(&spec)?;
    let helper = start_helper(plan, &spec)?;
    let mut warm = WarmBox {
        key,
        keeper: Some(helper.keeper),
        control: Some(helper.control),
        socket: Some(helper.socket),
        filters,
        landlock_executables: if spec.layers.landlock_abi > 0 {
            spec.view.executables.clone()
        } else {
            Vec::new()
        },
        // The case's own, without the fork server's.
        extra_tasks: spec.limits.extra_tasks - SERVER_TASKS,
        _case_dir: case_dir,
        _slot: slot,
    };
    match wait_until_ready(&mut warm).await {
        Ok(()) => Ok(warm),
        Err(Ready::Refused(why)) => Err(Start::Unsupported(why)),
        Err(Ready::Failed(error)) => Err(Start::Failed(RunnerError::Prepare(error))),
        Err(Ready::BoxFailed) => {
            // The box itself failed (or the fork server died at once): the keeper says why.
            warm.stop();
            Err(Start::Unsupported(read_report(helper.report)))
        }
    }
}

/// A cold box's spec, changed for a fork server: it runs `sandbox/zygote.py`, lives as long as
/// a warm box may, and has room for its own tasks and CPU time besides each case's.
fn server_spec(
    plan: &Plan,
    request: &RunRequest,
    case_dir: &CaseDir,
    slot: Option<&Slot>,
) -> BoxSpec {
    let mut spec = fresh::spec(plan, request, case_dir, slot);
    spec.zygote = true;
    spec.args = launch::zygote_args(
        &plan.interpreter,
        Path::new(box_helper::BOX),
        ZYGOTE_FD,
        libc::SYS_unshare,
        &request.program.display_name,
        plan.bytecode().is_some(),
    );
    spec.wall_ms = BOX_LIFETIME.as_millis() as u64;
    spec.limits.cpu_seconds = SERVER_CPU_SECONDS;
    spec.limits.extra_tasks += SERVER_TASKS;
    spec
}

/// The seccomp filters the fork server installs in each case, as hex; none without seccomp.
fn case_filters(spec: &BoxSpec) -> Result<Vec<String>, Start> {
    if !spec.layers.seccomp {
        return Ok(Vec::new());
    }
    let case_policy = seccomp::Policy {
        threads: spec.grants.threads || spec.grants.processes,
        processes: spec.grants.processes,
        // The box's IPC namespace outlives each case: a System V segment or a POSIX message
        // queue made by one case would still be there for the next. Python's multiprocessing
        // needs neither (its locks and shared memory are files in /dev/shm, wiped per case).
        ipc: false,
        inet_sockets: spec.grants.sockets,
        unix_sockets: true,
        no_group_signals: false,
        fork_server: false,
    };
    Ok(seccomp::filter_bytes(case_policy)
        .map_err(|e| Start::Failed(RunnerError::Sandbox(format!("compile seccomp: {e}"))))?
        .iter()
        .map(|bytes| hex(bytes))
        .collect())
}

/// A started box helper whose program is a fork server.
struct Helper {
    keeper: libc::pid_t,
    /// Closing it stops the box.
    control: OwnedFd,
    /// The grader's end of the fork server's socket.
    socket: std::os::unix::net::UnixStream,
    /// Kept only for a box that fails to start: a running warm box's keeper reports nothing
    /// the grader needs (each case has the fork server's answer).
    report: OwnedFd,
}

/// Passes the spec on the control pipe and starts `kata __box-helper`, with one end of a Unix
/// socket for the fork server.
fn start_helper(plan: &Plan, spec: &BoxSpec) -> Result<Helper, Start> {
    let prepare = |e: std::io::Error| Start::Failed(RunnerError::Prepare(e));
    let (control_read, control_write) = capture::pipe_pair().map_err(prepare)?;
    let (report_read, report_write) = capture::pipe_pair().map_err(prepare)?;
    let (ours, theirs) = std::os::unix::net::UnixStream::pair().map_err(prepare)?;
    let null = OwnedFd::from(std::fs::File::open("/dev/null").map_err(prepare)?);
    let message = encode(spec);
    if message.len() > fresh::SPEC_CAP {
        return Err(Start::Failed(RunnerError::Sandbox(format!(
            "the box spec is {} bytes, too large to pass",
            message.len()
        ))));
    }
    rustix::io::write(&control_write, &message).map_err(|e| prepare(e.into()))?;

    let mut command = Command::new(&plan.isolation.helper);
    command
        .arg(box_helper::ARG)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let fds = [
        (capture::raw(&null), FRAME_FD),
        (capture::raw(&control_read), CONTROL_FD),
        (capture::raw(&report_write), REPORT_FD),
        (theirs.as_raw_fd(), ZYGOTE_FD),
    ];
    // SAFETY: the closure runs between fork and exec and only makes async-signal-safe calls
    // (fcntl and dup2) on descriptors numbered before the fork.
    unsafe {
        command.pre_exec(move || capture::place_fds(&fds));
    }
    let spawned = command.spawn().map_err(|source| {
        Start::Failed(RunnerError::Spawn {
            program: plan.isolation.helper.display().to_string(),
            source,
        })
    })?;
    drop((control_read, report_write, theirs, null));
    let keeper = spawned.id() as libc::pid_t;
    drop(spawned);
    ours.set_nonblocking(true).map_err(prepare)?;
    Ok(Helper {
        keeper,
        control: control_write,
        socket: ours,
        report: report_read,
    })
}

/// Why a fork server is not ready.
enum Ready {
    /// It said why, or said something else than `ready`, or took too long.
    Refused(String),
    /// The box failed, or the fork server died at once.
    BoxFailed,
    /// The grader could not listen on the socket.
    Failed(std::io::Error),
}

/// Waits for the fork server's first message, `ready`.
async fn wait_until_ready(warm: &mut WarmBox) -> Result<(), Ready> {
    let mut socket = warm.take_socket().map_err(Ready::Failed)?;
    let ready = tokio::time::timeout(START_TIMEOUT, read_message(&mut socket)).await;
    warm.socket = socket.into_std().ok();
    match ready {
        Ok(Ok(bytes)) => match serde_json::from_slice::<Answer>(&bytes) {
            Ok(Answer { ready: true, .. }) if warm.socket.is_some() => Ok(()),
            Ok(Answer {
                error: Some(error), ..
            }) => Err(Ready::Refused(error)),
            _ => Err(Ready::Refused(
                "the fork server's first message is not `ready`".into(),
            )),
        },
        Ok(Err(_)) => Err(Ready::BoxFailed),
        Err(_) => Err(Ready::Refused(
            "the fork server did not start in time".into(),
        )),
    }
}

/// The keeper's report of a box that ended, as text for a message.
fn read_report(report: OwnedFd) -> String {
    let mut bytes = vec![0u8; fresh::REPORT_CAP as usize];
    let read = rustix::io::read(&report, &mut bytes).unwrap_or(0);
    String::from_utf8_lossy(&bytes[..read]).into_owned()
}

/// What a fork server says.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    #[serde(default)]
    ready: bool,
    status: Option<i32>,
    #[serde(default)]
    cpu_us: u64,
    #[serde(default)]
    max_rss_kb: u64,
    error: Option<String>,
}

/// One length-prefixed message from the fork server.
async fn read_message(socket: &mut UnixStream) -> std::io::Result<Vec<u8>> {
    let mut length = [0u8; 4];
    socket.read_exact(&mut length).await?;
    let length = u32::from_le_bytes(length) as usize;
    if length > ANSWER_CAP {
        return Err(std::io::Error::other(
            "the fork server's answer is too large",
        ));
    }
    let mut bytes = vec![0u8; length];
    socket.read_exact(&mut bytes).await?;
    Ok(bytes)
}

/// Runs one case; also says whether the box may take another.
async fn run_case(
    warm: &mut WarmBox,
    request: &RunRequest,
) -> (Result<RunOutput, RunnerError>, bool) {
    match try_case(warm, request).await {
        Ok((output, healthy)) => (Ok(output), healthy),
        Err(error) => (Err(error), false),
    }
}

async fn try_case(
    warm: &mut WarmBox,
    request: &RunRequest,
) -> Result<(RunOutput, bool), RunnerError> {
    let limits = request.limits;
    let body = case_message(warm, request)?;
    let started = Instant::now();
    let mut socket = warm.take_socket().map_err(RunnerError::Prepare)?;
    let mut case = hand_over(&socket, &body, request)?;
    let keeper_pid = warm.keeper.unwrap_or(0);
    let (answer, mut limit) = wait_for_answer(
        &mut socket,
        &mut case.overflows,
        &limits,
        keeper_pid,
        started,
    )
    .await;
    let wall = started.elapsed();
    // Stopped by a limit: what the case used until now, read before the box goes.
    let sampled = answer.is_none().then(|| case_usage(keeper_pid)).flatten();
    let answer = accept_answer(answer, limit)?;
    let healthy = answer.is_some();
    if answer.is_none() {
        // A limit stopped the case: the whole box goes, and with it every process of the case
        // (the pipes close, so the readers finish).
        warm.control = None;
        if let Some(keeper) = warm.keeper {
            let _ =
                tokio::task::spawn_blocking(move || wait_for_exit(keeper, fresh::HELPER_GRACE * 2))
                    .await;
        }
    } else {
        warm.socket = socket.into_std().ok();
    }
    let stdout = case.stdout.finish().await;
    let stderr = case.stderr.finish().await;
    let frame_bytes = case.frame.finish().await;
    if limit.is_none() {
        limit = overflowed(&stdout, &stderr, &frame_bytes);
    }
    let (exit, cpu, peak) = match answer {
        Some((status, cpu_us, max_rss_kb)) => {
            let exit = if libc::WIFSIGNALED(status) {
                ExitStatus::Signal(libc::WTERMSIG(status))
            } else {
                ExitStatus::Code(libc::WEXITSTATUS(status))
            };
            let cpu = fresh::cpu_at_least_the_rlimit(Duration::from_micros(cpu_us), exit, &limits);
            (exit, Some(cpu), Some(max_rss_kb))
        }
        // Stopped before it ended: what it had used when it was stopped.
        None => (
            ExitStatus::Signal(libc::SIGKILL),
            sampled.map(|(cpu, _)| cpu),
            sampled.map(|(_, peak)| peak),
        ),
    };
    if limit.is_none()
        && (cpu.is_some_and(|cpu| cpu > limits.cpu) || exit == ExitStatus::Signal(libc::SIGXCPU))
    {
        limit = Some(LimitHit::Cpu);
    }
    let output = RunOutput {
        frame: capture::parse_frame(frame_bytes).await,
        exit,
        limit,
        raw_stderr: String::from_utf8_lossy(&stderr.bytes).into_owned(),
        usage: Usage {
            wall,
            cpu,
            peak_memory_kb: peak,
            fuel: None,
        },
    };
    Ok((
        output,
        healthy && warm.socket.is_some() && !matches!(limit, Some(LimitHit::Output(_))),
    ))
}

/// What the fork server needs for one case: the harness's request, the limits, the case's
/// seccomp filters and Landlock rules, and the system call numbers it cannot look up itself.
fn case_message(warm: &WarmBox, request: &RunRequest) -> Result<Vec<u8>, RunnerError> {
    let limits = request.limits;
    let harness = case_dir::harness_request(request, Path::new(box_helper::BOX), true)
        .map_err(RunnerError::Prepare)?;
    let harness: serde_json::Value = serde_json::from_slice(&harness)
        .map_err(|e| RunnerError::Prepare(std::io::Error::other(e)))?;
    let message = serde_json::json!({
        "request": harness,
        "cpu_seconds": cpu_seconds(&limits),
        "memory": limits.memory_bytes,
        "file_size": FILE_SIZE_LIMIT,
        "open_files": OPEN_FILES_LIMIT,
        // Counted in the fork server's user namespace: the server, the case's PID 1, the case.
        "tasks": 1 + SERVER_TASKS + warm.extra_tasks,
        "filters": warm.filters,
        "seccomp_nr": libc::SYS_seccomp,
        "capset_nr": libc::SYS_capset,
        "clone_nr": libc::SYS_clone,
        "landlock_executables": warm.landlock_executables,
        "landlock_nrs": [
            libc::SYS_landlock_create_ruleset,
            libc::SYS_landlock_add_rule,
            libc::SYS_landlock_restrict_self,
        ],
    });
    serde_json::to_vec(&message).map_err(|e| RunnerError::Prepare(std::io::Error::other(e)))
}

/// A case handed to the fork server: the readers on its pipes.
struct HandedOver {
    /// Which capped stream overflowed first.
    overflows: mpsc::Receiver<Stream>,
    stdout: Reader,
    stderr: Reader,
    frame: Reader,
}

/// Sends the case with its own stdin, stdout, stderr and frame pipes, and starts reading them.
fn hand_over(
    socket: &UnixStream,
    body: &[u8],
    request: &RunRequest,
) -> Result<HandedOver, RunnerError> {
    let prepare = RunnerError::Prepare;
    let (stdout_read, stdout_write) = capture::pipe_pair().map_err(prepare)?;
    let (stderr_read, stderr_write) = capture::pipe_pair().map_err(prepare)?;
    let (frame_read, frame_write) = capture::pipe_pair().map_err(prepare)?;
    let stdin = stdin_text(request);
    let (stdin_case, stdin_ours) = if stdin.is_some() {
        let (read, write) = capture::pipe_pair().map_err(prepare)?;
        (read, Some(write))
    } else {
        let null = std::fs::File::open("/dev/null").map_err(prepare)?;
        (OwnedFd::from(null), None)
    };
    send_with_fds(
        socket,
        body,
        &[&stdin_case, &stdout_write, &stderr_write, &frame_write],
    )
    .map_err(|e| {
        RunnerError::Sandbox(format!("could not hand the case to the fork server: {e}"))
    })?;
    drop((stdin_case, stdout_write, stderr_write, frame_write));

    let (overflow_tx, overflows) = mpsc::channel::<Stream>(4);
    let cap = request.limits.output_bytes;
    let stdout = spawn_reader(Some(stdout_read), cap, Stream::Stdout, &overflow_tx);
    let stderr = spawn_reader(Some(stderr_read), cap, Stream::Stderr, &overflow_tx);
    let frame = spawn_reader(
        Some(frame_read),
        crate::runner::protocol::frame_cap(cap),
        Stream::Frame,
        &overflow_tx,
    );
    drop(overflow_tx);
    feed_stdin(stdin, stdin_ours);
    Ok(HandedOver {
        overflows,
        stdout,
        stderr,
        frame,
    })
}

/// Waits for the fork server's answer, unless an output cap or the wall clock stops the case
/// first (`None`, and the limit).
async fn wait_for_answer(
    socket: &mut UnixStream,
    overflows: &mut mpsc::Receiver<Stream>,
    limits: &Limits,
    keeper_pid: libc::pid_t,
    started: Instant,
) -> (Option<std::io::Result<Vec<u8>>>, Option<LimitHit>) {
    let deadline = tokio::time::sleep(limits.wall);
    tokio::pin!(deadline);
    let answer = read_message(socket);
    tokio::pin!(answer);
    loop {
        tokio::select! {
            answer = &mut answer => return (Some(answer), None),
            Some(stream) = overflows.recv() => {
                return (None, Some(LimitHit::Output(stream)));
            }
            () = &mut deadline => {
                // As in a cold box: time spent waiting for a CPU does not count.
                let budget = starvation::stretched(limits.wall, keeper_pid);
                if started.elapsed() < budget {
                    deadline.as_mut().reset((started + budget).into());
                    continue;
                }
                return (None, Some(LimitHit::Wall));
            }
        }
    }
}

/// The case's wait status, CPU time (µs) and peak memory (KiB) from the fork server's answer;
/// `None` when a limit stopped the case first. Anything else is the sandbox's failure.
fn accept_answer(
    answer: Option<std::io::Result<Vec<u8>>>,
    limit: Option<LimitHit>,
) -> Result<Option<(i32, u64, u64)>, RunnerError> {
    let answer = match answer {
        Some(Ok(bytes)) => serde_json::from_slice::<Answer>(&bytes).map_err(|e| e.to_string()),
        Some(Err(error)) => Err(format!("the fork server is gone ({error})")),
        None => Err(String::new()),
    };
    match answer {
        Ok(Answer {
            status: Some(status),
            cpu_us,
            max_rss_kb,
            error: None,
            ready: false,
        }) => Ok(Some((status, cpu_us, max_rss_kb))),
        Ok(Answer {
            error: Some(error), ..
        }) => Err(RunnerError::Sandbox(format!(
            "the fork server failed: {error}"
        ))),
        Ok(_) => Err(RunnerError::Sandbox(
            "the fork server's answer has no status".into(),
        )),
        Err(why) if limit.is_none() => Err(RunnerError::Sandbox(why)),
        Err(_) => Ok(None),
    }
}

/// The CPU time and peak memory (KiB) of the running case of a warm box: the tree under the
/// fork server's child (keeper → PID 1 of the box → fork server → the case's PID 1).
fn case_usage(keeper: i32) -> Option<(Duration, u64)> {
    let mut level = vec![keeper];
    for _ in 0..3 {
        level = level
            .iter()
            .flat_map(|&pid| tree_usage::children(pid))
            .collect();
    }
    let usage = tree_usage::of(*level.first()?);
    Some((usage.cpu, usage.peak_kb))
}

/// Sends `body` (length-prefixed) with `fds` attached as SCM_RIGHTS. The socket's buffer is
/// empty between cases, so this never waits.
fn send_with_fds(socket: &UnixStream, body: &[u8], fds: &[&OwnedFd]) -> std::io::Result<()> {
    let header = (body.len() as u32).to_le_bytes();
    write_all_nonblocking(socket.as_fd(), &header)?;
    let fds: Vec<BorrowedFd<'_>> = fds.iter().map(|fd| fd.as_fd()).collect();
    let mut space = vec![MaybeUninit::<u8>::uninit(); rustix::cmsg_space!(ScmRights(fds.len()))];
    let mut control = SendAncillaryBuffer::new(&mut space);
    if !control.push(SendAncillaryMessage::ScmRights(&fds)) {
        return Err(std::io::Error::other("no room for the descriptors"));
    }
    let sent = rustix::net::sendmsg(
        socket,
        &[IoSlice::new(body)],
        &mut control,
        SendFlags::NOSIGNAL,
    )?;
    if sent < body.len() {
        write_all_nonblocking(socket.as_fd(), &body[sent..])?;
    }
    Ok(())
}

/// Writes all of `bytes` to a non-blocking socket whose buffer has room (waits briefly if not).
fn write_all_nonblocking(socket: BorrowedFd<'_>, mut bytes: &[u8]) -> std::io::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !bytes.is_empty() {
        match rustix::net::send(socket, bytes, SendFlags::NOSIGNAL) {
            Ok(written) => bytes = &bytes[written..],
            Err(Errno::AGAIN) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
