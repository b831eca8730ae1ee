//! The grader's side of a box: prepare the directory and the spec, start the helper
//! (`kata __box-helper`), read the box's pipes under their caps, stop it on overflow, and turn
//! the helper's report into a [`RunOutput`].

use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::box_dir::BoxDir;
use super::capture::{self, Child, read_outputs, spawn_reader};
use super::subprocess::{
    FILE_SIZE_LIMIT, OPEN_FILES_LIMIT, SubprocessRunner, cpu_seconds, feed_stdin, overflowed,
    python_env, stdin_text,
};
use super::{ExitStatus, LimitHit, RunOutput, RunRequest, RunnerError, Stream, Usage};
use crate::exercise::Capability;
use crate::isolation::Mode;
use crate::isolation::helper;
use crate::isolation::slots::{BASE_ID, Slot};
use crate::isolation::spec::{
    BoxDirs, BoxExit, BoxLimits, BoxSpec, CONTROL_FD, Enabled, FRAME_FD, Grants, KeeperReport,
    Layout, REPORT_FD, decode, encode,
};
use crate::isolation::starvation;

/// How long past the wall limit the helper may take to stop the box before it is killed.
pub(super) const HELPER_GRACE: Duration = Duration::from_secs(2);
/// The largest report the helper writes.
pub(super) const REPORT_CAP: u64 = 64 << 10;
/// Each writable tmpfs of a box (/tmp, /work, /dev/shm).
const TMPFS_BYTES: u64 = 16 << 20;
const TMPFS_INODES: u64 = 1024;
/// Processes and threads a box may add when the exercise requires threads, processes or
/// subprocesses; otherwise none.
const EXTRA_TASKS: u64 = 32;

/// Stage timestamps of one box, on CLOCK_MONOTONIC: `host-spawn`, the helper's stages (see
/// `isolation::helper::trace`), `host-done`.
pub type Trace = Vec<(String, u64)>;

pub(super) async fn run(
    runner: &SubprocessRunner,
    request: &RunRequest,
    trace: bool,
) -> Result<(RunOutput, Trace), RunnerError> {
    let began_at = monotonic_ns();
    let plan = runner.plan();
    let namespaces = matches!(plan.isolation.mode, Mode::Namespaces { .. });
    if !namespaces && request.requires.contains(&Capability::Sockets) {
        // Without a network namespace a socket reaches the host's loopback and beyond, and
        // Landlock can only refuse ports, not addresses.
        return Err(RunnerError::Sandbox(
            "this exercise requires sockets, which kata only allows inside a network \
             namespace, and none can be created here (`kata sandbox status` says why)"
                .into(),
        ));
    }
    let slot = match &plan.slots {
        Some(pool) => Some(
            pool.acquire()
                .map_err(|e| RunnerError::Sandbox(e.to_string()))?,
        ),
        None => None,
    };
    let box_dir = BoxDir::prepare(
        request,
        namespaces.then_some(Path::new(helper::BOX)),
        namespaces,
    )?;
    if slot.is_some() && !namespaces {
        // The box's uid reaches its files on the host through this directory.
        box_dir.open_to_others().map_err(RunnerError::Prepare)?;
    }
    box_dir
        .add_harness_bytecode(runner.bytecode())
        .map_err(RunnerError::Prepare)?;
    let mut spec = spec(runner, request, &box_dir, slot.as_ref());
    spec.trace = trace;

    let limits = request.limits;
    let (frame_read, frame_write) = capture::pipe_pair().map_err(RunnerError::Prepare)?;
    let (control_read, control_write) = capture::pipe_pair().map_err(RunnerError::Prepare)?;
    let (report_read, report_write) = capture::pipe_pair().map_err(RunnerError::Prepare)?;
    let message = encode(&spec);
    // The spec fits in the pipe's buffer, so this write never waits for the helper.
    if message.len() > 60 << 10 {
        return Err(RunnerError::Sandbox(format!(
            "the box spec is {} bytes, too large to pass",
            message.len()
        )));
    }
    rustix::io::write(&control_write, &message).map_err(|e| RunnerError::Prepare(e.into()))?;

    let stdin = stdin_text(request);
    let mut command = Command::new(&plan.isolation.helper);
    command
        .arg(helper::ARG)
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
    // SAFETY: only fcntl and dup2 run between fork and exec; all namespace and mount work
    // happens in the helper after its exec.
    unsafe {
        command.pre_exec(move || capture::place_fds(&fds));
    }
    let started = Instant::now();
    let spawned_at = monotonic_ns();
    let mut spawned = command.spawn().map_err(|source| RunnerError::Spawn {
        program: plan.isolation.helper.display().to_string(),
        source,
    })?;
    drop((frame_write, control_read, report_write));
    let keeper = Child::new(spawned.id() as libc::pid_t);
    let stopper = KeeperKiller { pid: keeper.pid };

    let (overflow_tx, mut overflow_rx) = mpsc::channel::<Stream>(4);
    let (stdout, stderr, frame) =
        read_outputs(&mut spawned, frame_read, limits.output_bytes, &overflow_tx);
    drop(overflow_tx);
    // The helper's report is ours, not the box's: its cap never stops the box.
    let (report_tx, _) = mpsc::channel::<Stream>(1);
    let report = spawn_reader(Some(report_read), REPORT_CAP, Stream::Frame, &report_tx);
    feed_stdin(stdin, spawned.stdin.take().map(OwnedFd::from));
    drop(spawned);

    // Closing the control pipe tells the helper to stop the box now.
    let mut control = Some(control_write);
    let mut limit = None;
    let mut helper_hung = false;
    // The helper may stretch the wall limit for a box that was kept waiting for a CPU.
    let backstop = tokio::time::sleep(limits.wall * starvation::MAX_STRETCH + HELPER_GRACE);
    tokio::pin!(backstop);
    let exited = {
        let exited = keeper.exited();
        tokio::pin!(exited);
        loop {
            tokio::select! {
                exited = &mut exited => break exited,
                Some(stream) = overflow_rx.recv(), if control.is_some() => {
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
    let wall = started.elapsed();
    exited.map_err(RunnerError::Wait)?;
    drop(control);
    let (helper_exit, _) = keeper.reap().map_err(RunnerError::Wait)?;
    std::mem::forget(stopper);
    drop(slot);

    let stdout = stdout.finish().await;
    let stderr = stderr.finish().await;
    let frame_bytes = frame.finish().await;
    let report = report.finish().await;
    let report: KeeperReport = match decode(&report.bytes) {
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
    if limit.is_none() && report.wall_exceeded {
        limit = Some(LimitHit::Wall);
    }
    if limit.is_none() {
        limit = overflowed(&stdout, &stderr, &frame_bytes);
    }
    let exit = match report.exit {
        BoxExit::Exited(code) => ExitStatus::Code(code),
        BoxExit::Signaled(signal) => ExitStatus::Signal(signal),
        BoxExit::Stopped => ExitStatus::Signal(libc::SIGKILL),
    };
    if report.exit == BoxExit::Stopped && limit.is_none() {
        return Err(RunnerError::Sandbox(
            "the box was stopped without a reason".into(),
        ));
    }
    let cpu = Duration::from_micros(report.cpu_us);
    let cpu = cpu_at_least_the_rlimit(cpu, exit, &limits);
    if limit.is_none() && (cpu > limits.cpu || exit == ExitStatus::Signal(libc::SIGXCPU)) {
        limit = Some(LimitHit::Cpu);
    }
    let mut stages = Vec::new();
    if trace {
        stages.push(("host-start".to_string(), began_at));
        stages.push(("host-spawn".to_string(), spawned_at));
        stages.extend(report.trace);
        stages.push(("host-done".to_string(), monotonic_ns()));
    }
    let output = RunOutput {
        frame: capture::parse_frame(frame_bytes).await,
        exit,
        limit,
        raw_stderr: String::from_utf8_lossy(&stderr.bytes).into_owned(),
        usage: Usage {
            wall,
            cpu: Some(cpu),
            peak_memory_kb: Some(report.max_rss_kb),
            fuel: None,
        },
    };
    Ok((output, stages))
}

/// A program killed by SIGXCPU used at least its `RLIMIT_CPU` (whole seconds), whatever the
/// usage figures (which can fall a little short of it) say: the report must not show less CPU
/// time than the limit it says was hit.
pub(super) fn cpu_at_least_the_rlimit(
    cpu: Duration,
    exit: ExitStatus,
    limits: &crate::exercise::Limits,
) -> Duration {
    if exit == ExitStatus::Signal(libc::SIGXCPU) {
        cpu.max(Duration::from_secs(cpu_seconds(limits)))
    } else {
        cpu
    }
}

/// Nanoseconds on CLOCK_MONOTONIC (what the helper's trace uses).
pub fn monotonic_ns() -> u64 {
    // SAFETY: plain data clock_gettime fills in.
    let mut time: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer.
    unsafe {
        libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut time);
    }
    time.tv_sec as u64 * 1_000_000_000 + time.tv_nsec as u64
}

/// The spec of one box.
pub(super) fn spec(
    runner: &SubprocessRunner,
    request: &RunRequest,
    box_dir: &BoxDir,
    slot: Option<&Slot>,
) -> BoxSpec {
    let plan = runner.plan();
    let isolation = &plan.isolation;
    let (layout, box_path, work, tmp) = match isolation.mode {
        Mode::Namespaces { user_namespace } => (
            Layout::Namespaces { user_namespace },
            Path::new(helper::BOX).to_path_buf(),
            Path::new(helper::WORK).to_path_buf(),
            Path::new(helper::TMP).to_path_buf(),
        ),
        Mode::HostFs | Mode::Off => (
            Layout::HostFs,
            box_dir.box_path(),
            box_dir.work_path(),
            box_dir.scratch_path(),
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
    let requires = |capability| request.requires.contains(&capability);
    let needs_tasks = [
        Capability::Threads,
        Capability::Processes,
        Capability::Subprocess,
    ]
    .into_iter()
    .any(requires);
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
            .unwrap_or_else(|| runner.interpreter().path.clone()),
        // The harness's bytecode when the box has it (see `BoxDir::add_harness_bytecode`).
        args: runner.python_args(&box_path, box_dir.has_harness_bytecode()),
        env: python_env(&work, &tmp),
        cwd: work,
        view: plan.view.clone(),
        dirs: BoxDirs {
            box_dir: box_dir.box_path(),
            work: box_dir.work_path(),
            scratch: box_dir.scratch_path(),
        },
        limits: BoxLimits {
            cpu_seconds: cpu_seconds(&limits),
            address_space: limits.memory_bytes,
            // On the host's disk no tmpfs caps the total: at least keep each file as small.
            file_size: if matches!(layout, Layout::HostFs) {
                TMPFS_BYTES
            } else {
                FILE_SIZE_LIMIT
            },
            open_files: OPEN_FILES_LIMIT,
            extra_tasks: if needs_tasks { EXTRA_TASKS } else { 0 },
            tmpfs_bytes: TMPFS_BYTES,
            tmpfs_inodes: TMPFS_INODES,
        },
        wall_ms: limits.wall.as_millis() as u64,
        grants: Grants {
            sockets: requires(Capability::Sockets),
            shared_memory: requires(Capability::Processes),
            threads: needs_tasks,
            processes: requires(Capability::Processes) || requires(Capability::Subprocess),
        },
        layers: Enabled {
            seccomp: isolation.seccomp,
            landlock_abi: isolation.landlock_abi,
        },
        trace: false,
        zygote: false,
    }
}

/// Kills the helper when dropped (a cancelled case), which takes the box with it: its PID 1
/// has a parent-death signal.
struct KeeperKiller {
    pid: libc::pid_t,
}

impl Drop for KeeperKiller {
    fn drop(&mut self) {
        // SAFETY: the helper is an unreaped child here, so its pid is still its own.
        unsafe {
            libc::kill(self.pid, libc::SIGKILL);
        }
    }
}
