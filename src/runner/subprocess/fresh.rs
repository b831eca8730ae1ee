//! A fresh box per case, the grader's side: prepare the directory and the spec, start the box
//! helper (`kata __box-helper`), read the box's pipes under their caps, stop it on overflow,
//! and turn the helper's report into a [`RunOutput`]. A warm box (`warm/`) starts from the
//! same spec.

use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::bytecode;
use super::capture::{
    self, Captured, Child, Reader, ResourceUsage, feed_stdin, overflowed, read_outputs,
    spawn_reader, stdin_text,
};
use super::isolation::Mode;
use super::isolation::box_helper;
use super::isolation::slots::{BASE_ID, Slot};
use super::isolation::spec::{
    BoxDirs, BoxExit, BoxLimits, BoxSpec, CONTROL_FD, Enabled, FRAME_FD, Grants, KeeperReport,
    Layout, REPORT_FD, decode, encode,
};
use super::isolation::starvation;
use super::launch::{FILE_SIZE_LIMIT, OPEN_FILES_LIMIT, cpu_seconds, python_args, python_env};
use super::plan::Plan;
use crate::exercise::{Capability, Limits};
use crate::runner::case_dir::CaseDir;
use crate::runner::{LimitHit, ProcessEnd, RunOutput, RunRequest, RunnerError, Stream};

/// How long past the wall limit the helper may take to stop the box before it is killed.
pub(super) const HELPER_GRACE: Duration = Duration::from_secs(2);
/// The largest report the helper writes.
pub(super) const REPORT_CAP: u64 = 64 << 10;
/// The largest spec passed: it must fit in the control pipe's buffer, so that writing it
/// never waits for the helper.
pub(super) const SPEC_CAP: usize = 60 << 10;
/// Each writable tmpfs of a box (/tmp, /work, /dev/shm).
const TMPFS_BYTES: u64 = 16 << 20;
const TMPFS_INODES: u64 = 1024;
/// Processes and threads a box may add when the exercise requires threads, processes or
/// subprocesses; otherwise none.
const EXTRA_TASKS: u64 = 32;

/// Stage timestamps of one box, on CLOCK_MONOTONIC: `host-spawn`, the helper's stages (see
/// `isolation::box_helper::trace`), `host-done`.
pub type Trace = Vec<(String, u64)>;

/// Runs one case in a fresh box; with `trace`, also times each stage of it.
pub(super) async fn run(
    plan: &Plan,
    request: &RunRequest,
    trace: bool,
) -> Result<(RunOutput, Trace), RunnerError> {
    let began_at = monotonic_ns();
    let namespaces = matches!(plan.isolation.mode, Mode::Namespaces { .. });
    refuse_sockets_without_namespaces(namespaces, request)?;
    let slot = match &plan.slots {
        Some(pool) => Some(
            pool.acquire()
                .map_err(|e| RunnerError::Sandbox(e.to_string()))?,
        ),
        None => None,
    };
    let case_dir = prepare_case_dir(plan, request, namespaces, slot.is_some())?;
    let mut spec = spec(plan, request, &case_dir, slot.as_ref());
    spec.trace = trace;

    let started = Instant::now();
    let spawned_at = monotonic_ns();
    let helper = start_helper(plan, request, &spec)?;
    let watched = watch(
        helper.keeper,
        helper.overflows,
        helper.control,
        request.limits.wall,
    )
    .await?;
    let wall = watched.ended - started;
    drop(slot);

    let stdout = helper.stdout.finish().await;
    let stderr = helper.stderr.finish().await;
    let frame_bytes = helper.frame.finish().await;
    let report = helper.report.finish().await;
    let report = accept_report(&report, watched.helper_hung, &watched.helper_exit)?;
    let (exit, limit, cpu) = what_stopped_it(
        &report,
        watched.limit,
        [&stdout, &stderr, &frame_bytes],
        &request.limits,
    )?;
    let mut stages = Vec::new();
    if trace {
        stages.push(("host-start".to_string(), began_at));
        stages.push(("host-spawn".to_string(), spawned_at));
        stages.extend(report.trace);
        stages.push(("host-done".to_string(), monotonic_ns()));
    }
    let used = ResourceUsage {
        cpu,
        max_rss_kb: report.max_rss_kb,
    };
    let output = capture::run_output(frame_bytes, &stderr, exit, limit, wall, Some(used)).await;
    Ok((output, stages))
}

/// Without a network namespace a socket reaches the host's loopback and beyond, and Landlock
/// can only refuse ports, not addresses: an exercise that requires sockets needs namespaces.
fn refuse_sockets_without_namespaces(
    namespaces: bool,
    request: &RunRequest,
) -> Result<(), RunnerError> {
    if !namespaces && request.requires.contains(&Capability::Sockets) {
        return Err(RunnerError::Sandbox(
            "this exercise requires sockets, which kata only allows inside a network \
             namespace, and none can be created here (`kata sandbox status` says why)"
                .into(),
        ));
    }
    Ok(())
}

/// The case's directory, as a box with this layout and uid sees it.
fn prepare_case_dir(
    plan: &Plan,
    request: &RunRequest,
    namespaces: bool,
    own_uid: bool,
) -> Result<CaseDir, RunnerError> {
    let case_dir = CaseDir::prepare(
        request,
        namespaces.then_some(Path::new(box_helper::BOX)),
        namespaces,
    )?;
    if own_uid && !namespaces {
        // The box's uid reaches its files on the host through this directory.
        case_dir.open_to_others().map_err(RunnerError::Prepare)?;
    }
    bytecode::add_harness(&case_dir, plan.bytecode()).map_err(RunnerError::Prepare)?;
    Ok(case_dir)
}

/// A started box helper and the readers on its pipes.
struct Helper {
    keeper: Child,
    /// Which capped stream overflowed first.
    overflows: mpsc::Receiver<Stream>,
    stdout: Reader,
    stderr: Reader,
    frame: Reader,
    /// The helper's own report.
    report: Reader,
    /// Closing it tells the helper to stop the box now.
    control: OwnedFd,
}

/// Passes the spec on the control pipe and starts `kata __box-helper` with the box's pipes.
fn start_helper(plan: &Plan, request: &RunRequest, spec: &BoxSpec) -> Result<Helper, RunnerError> {
    let (frame_read, frame_write) = capture::pipe_pair().map_err(RunnerError::Prepare)?;
    let (control_read, control_write) = capture::pipe_pair().map_err(RunnerError::Prepare)?;
    let (report_read, report_write) = capture::pipe_pair().map_err(RunnerError::Prepare)?;
    let message = encode(spec);
    if message.len() > SPEC_CAP {
        return Err(RunnerError::Sandbox(format!(
            "the box spec is {} bytes, too large to pass",
            message.len()
        )));
    }
    rustix::io::write(&control_write, &message).map_err(|e| RunnerError::Prepare(e.into()))?;

    let stdin = stdin_text(request);
    let mut command = Command::new(&plan.isolation.helper);
    command
        .arg(box_helper::ARG)
        .env_clear()
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let fds = [
        (capture::raw(&frame_write), FRAME_FD),
        (capture::raw(&control_read), CONTROL_FD),
        (capture::raw(&report_write), REPORT_FD),
    ];
    // SAFETY: the closure runs between fork and exec and only makes async-signal-safe calls
    // (fcntl and dup2) on descriptors numbered before the fork; all namespace and mount work
    // happens in the helper after its exec.
    unsafe {
        command.pre_exec(move || capture::place_fds(&fds));
    }
    let mut spawned = command.spawn().map_err(|source| RunnerError::Spawn {
        program: plan.isolation.helper.display().to_string(),
        source,
    })?;
    drop((frame_write, control_read, report_write));
    let keeper = Child::new(spawned.id() as libc::pid_t);

    let (overflow_tx, overflows) = mpsc::channel::<Stream>(4);
    let (stdout, stderr, frame) = read_outputs(
        &mut spawned,
        frame_read,
        request.limits.output_bytes,
        &overflow_tx,
    );
    // The helper's report is ours, not the box's: its cap never stops the box.
    let (report_tx, _) = mpsc::channel::<Stream>(1);
    let report = spawn_reader(Some(report_read), REPORT_CAP, Stream::Frame, &report_tx);
    feed_stdin(stdin, spawned.stdin.take().map(OwnedFd::from));
    // `spawned` is never waited through std: the keeper is reaped by pid, below.
    Ok(Helper {
        keeper,
        overflows,
        stdout,
        stderr,
        frame,
        report,
        control: control_write,
    })
}

/// How the wait for the helper went.
struct Watched {
    /// When the helper ended.
    ended: Instant,
    /// An output cap that stopped the box.
    limit: Option<LimitHit>,
    /// The helper outlived the backstop and was killed.
    helper_hung: bool,
    /// How the helper itself ended.
    helper_exit: ProcessEnd,
}

/// Waits for the helper to end: closes its control pipe (stop the box now) when an output
/// overflows, and kills it if it overruns its own deadline.
async fn watch(
    keeper: Child,
    mut overflows: mpsc::Receiver<Stream>,
    control: OwnedFd,
    wall: Duration,
) -> Result<Watched, RunnerError> {
    // Until the helper is reaped, dropping this (a cancelled case) kills it, which takes the
    // box with it: its PID 1 has a parent-death signal.
    let stopper = KeeperKiller { pid: keeper.pid };
    let mut control = Some(control);
    let mut limit = None;
    let mut helper_hung = false;
    // The helper may stretch the wall limit for a box that was kept waiting for a CPU.
    let backstop = tokio::time::sleep(wall * starvation::MAX_STRETCH + HELPER_GRACE);
    tokio::pin!(backstop);
    let exited = {
        let exited = keeper.exited();
        tokio::pin!(exited);
        loop {
            tokio::select! {
                exited = &mut exited => break exited,
                Some(stream) = overflows.recv(), if control.is_some() => {
                    limit.get_or_insert(LimitHit::Output(stream));
                    control = None;
                }
                () = &mut backstop, if !helper_hung => {
                    helper_hung = true;
                    keeper.kill();
                }
            }
        }
    };
    let ended = Instant::now();
    exited.map_err(RunnerError::Wait)?;
    drop(control);
    let (helper_exit, _) = keeper.reap().map_err(RunnerError::Wait)?;
    std::mem::forget(stopper);
    Ok(Watched {
        ended,
        limit,
        helper_hung,
        helper_exit,
    })
}

/// The helper's report, when it has one and the box was built and torn down cleanly.
fn accept_report(
    bytes: &Captured,
    helper_hung: bool,
    helper_exit: &ProcessEnd,
) -> Result<KeeperReport, RunnerError> {
    let report: KeeperReport = match decode(&bytes.bytes) {
        Ok(report) => report,
        Err(_) if helper_hung => {
            return Err(RunnerError::Sandbox(
                "the box helper did not stop the box in time and was killed".into(),
            ));
        }
        Err(why) => {
            return Err(RunnerError::Sandbox(format!(
                "the box helper ended ({helper_exit:?}) without a usable report: {why}"
            )));
        }
    };
    if let Some(error) = report.error {
        return Err(RunnerError::Sandbox(format!(
            "could not build the box: {error}"
        )));
    }
    if report.leftovers > 0 {
        return Err(RunnerError::Sandbox(format!(
            "{} process(es) of the box were still alive after it was torn down (now killed)",
            report.leftovers
        )));
    }
    Ok(report)
}

/// How the program ended, the limit that stopped it if one did (`limit`: an output cap the
/// grader saw overflow first), and the CPU time it used.
fn what_stopped_it(
    report: &KeeperReport,
    mut limit: Option<LimitHit>,
    [stdout, stderr, frame]: [&Captured; 3],
    limits: &Limits,
) -> Result<(ProcessEnd, Option<LimitHit>, Duration), RunnerError> {
    if limit.is_none() && report.wall_exceeded {
        limit = Some(LimitHit::Wall);
    }
    if limit.is_none() {
        limit = overflowed(stdout, stderr, frame);
    }
    let exit = match report.exit {
        BoxExit::Exited(code) => ProcessEnd::Code(code),
        BoxExit::Signaled(signal) => ProcessEnd::Signal(signal),
        BoxExit::Stopped => ProcessEnd::Signal(libc::SIGKILL),
    };
    if report.exit == BoxExit::Stopped && limit.is_none() {
        return Err(RunnerError::Sandbox(
            "the box was stopped without a reason".into(),
        ));
    }
    let cpu = Duration::from_micros(report.cpu_us);
    let cpu = cpu_at_least_the_rlimit(cpu, exit, limits);
    if limit.is_none() && (cpu > limits.cpu || exit == ProcessEnd::Signal(libc::SIGXCPU)) {
        limit = Some(LimitHit::Cpu);
    }
    Ok((exit, limit, cpu))
}

/// A program killed by SIGXCPU used at least its `RLIMIT_CPU` (whole seconds), whatever the
/// usage figures (which can fall a little short of it) say: the report must not show less CPU
/// time than the limit it says was hit.
pub(super) fn cpu_at_least_the_rlimit(
    cpu: Duration,
    exit: ProcessEnd,
    limits: &Limits,
) -> Duration {
    if exit == ProcessEnd::Signal(libc::SIGXCPU) {
        cpu.max(Duration::from_secs(cpu_seconds(limits)))
    } else {
        cpu
    }
}

/// Nanoseconds on CLOCK_MONOTONIC (what the helper's trace uses).
pub(super) fn monotonic_ns() -> u64 {
    let time = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
    time.tv_sec as u64 * 1_000_000_000 + time.tv_nsec as u64
}

/// The spec of one box.
pub(super) fn spec(
    plan: &Plan,
    request: &RunRequest,
    case_dir: &CaseDir,
    slot: Option<&Slot>,
) -> BoxSpec {
    let isolation = &plan.isolation;
    let (layout, code, work, tmp) = match isolation.mode {
        Mode::Namespaces { user_namespace } => (
            Layout::Namespaces { user_namespace },
            Path::new(box_helper::BOX).to_path_buf(),
            Path::new(box_helper::WORK).to_path_buf(),
            Path::new(box_helper::TMP).to_path_buf(),
        ),
        Mode::HostFs | Mode::Off => (
            Layout::HostFs,
            case_dir.code_path(),
            case_dir.work_path(),
            case_dir.scratch_path(),
        ),
    };
    let (uid, gid) = match (slot, layout) {
        (Some(slot), _) => (slot.uid, slot.gid),
        (None, Layout::Namespaces { .. }) => (BASE_ID, BASE_ID),
        (None, Layout::HostFs) => (
            rustix::process::geteuid().as_raw(),
            rustix::process::getegid().as_raw(),
        ),
    };
    let grants = grants(&request.requires);
    let limits = request.limits;
    BoxSpec {
        layout,
        host_pid: std::process::id() as i32,
        uid,
        gid,
        drop_to_box_ids: slot.is_some(),
        program: plan
            .view
            .executables
            .first()
            .cloned()
            .unwrap_or_else(|| plan.interpreter.path.clone()),
        // The harness's bytecode when the box has it (see `bytecode::add_harness`).
        args: python_args(&plan.interpreter, &code, bytecode::has_harness(case_dir)),
        env: python_env(&work, &tmp),
        cwd: work,
        view: plan.view.clone(),
        dirs: BoxDirs {
            code: case_dir.code_path(),
            work: case_dir.work_path(),
            scratch: case_dir.scratch_path(),
        },
        limits: box_limits(&limits, layout, grants.threads),
        wall_ms: limits.wall.as_millis() as u64,
        grants,
        layers: Enabled {
            seccomp: isolation.seccomp,
            landlock_abi: isolation.landlock_abi,
        },
        trace: false,
        zygote: false,
    }
}

/// What the box allows beyond computing, from what the exercise `requires`.
fn grants(requires: &[Capability]) -> Grants {
    let requires = |capability| requires.contains(&capability);
    // Threads come with processes and subprocesses too: each needs tasks of its own.
    let threads = [
        Capability::Threads,
        Capability::Processes,
        Capability::Subprocess,
    ]
    .into_iter()
    .any(requires);
    Grants {
        sockets: requires(Capability::Sockets),
        shared_memory: requires(Capability::Processes),
        threads,
        processes: requires(Capability::Processes) || requires(Capability::Subprocess),
    }
}

/// The box's rlimits and tmpfs sizes; `extra_tasks`: the exercise needs threads or processes.
fn box_limits(limits: &Limits, layout: Layout, extra_tasks: bool) -> BoxLimits {
    BoxLimits {
        cpu_seconds: cpu_seconds(limits),
        address_space: limits.memory_bytes,
        // On the host's disk no tmpfs caps the total: at least keep each file as small.
        file_size: if matches!(layout, Layout::HostFs) {
            TMPFS_BYTES
        } else {
            FILE_SIZE_LIMIT
        },
        open_files: OPEN_FILES_LIMIT,
        extra_tasks: if extra_tasks { EXTRA_TASKS } else { 0 },
        tmpfs_bytes: TMPFS_BYTES,
        tmpfs_inodes: TMPFS_INODES,
    }
}

/// Kills the helper when dropped (a cancelled case), which takes the box with it: its PID 1
/// has a parent-death signal.
struct KeeperKiller {
    pid: libc::pid_t,
}

impl Drop for KeeperKiller {
    fn drop(&mut self) {
        // The helper is an unreaped child here, so its pid is still its own.
        capture::kill(self.pid);
    }
}
