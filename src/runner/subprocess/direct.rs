//! `KATA_ISOLATION=off`: the interpreter as a plain child with rlimits and its own process
//! group, no box. The baseline the isolation's cost is measured against; never for grading
//! strangers' code (see `isolation::policy`).

use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rustix::process::{Pid, Resource, Rlimit, Signal};
use tokio::sync::mpsc;

use super::bytecode;
use super::capture::{self, Child, feed_stdin, overflowed, read_outputs, stdin_text};
use super::isolation::spec::FRAME_FD;
use super::isolation::starvation;
use super::launch::{self, FILE_SIZE_LIMIT, OPEN_FILES_LIMIT, cpu_seconds, python_env};
use super::plan::Plan;
use crate::exercise::Limits;
use crate::runner::case_dir::CaseDir;
use crate::runner::{LimitHit, ProcessEnd, RunOutput, RunRequest, RunnerError, Stream};

/// Runs the interpreter as a plain child: rlimits and a process group, no isolation.
pub(super) async fn run(plan: &Plan, request: &RunRequest) -> Result<RunOutput, RunnerError> {
    // In memory like a box with its own root, so that the baseline pays the same for it.
    let case_dir = CaseDir::prepare(request, None, true)?;
    let compiled =
        bytecode::add_harness(&case_dir, plan.bytecode()).map_err(RunnerError::Prepare)?;
    let limits = request.limits;
    let (frame_read, frame_write) = capture::pipe_pair().map_err(RunnerError::Prepare)?;
    let stdin_text = stdin_text(request);
    let mut command = command(plan, &case_dir, compiled, stdin_text.is_some());
    let frame_write_fd = capture::raw(&frame_write);
    let rlimits = Rlimits::for_limits(&limits);
    // SAFETY: the closure runs between fork and exec and only makes async-signal-safe calls
    // (setsid, fcntl, dup2, setrlimit: plain system calls, no allocation, no locks) on values
    // prepared before the fork.
    unsafe {
        command.pre_exec(move || {
            // Its own session (and so its own process group, killed as one): no terminal,
            // and the same scheduling autogroup a box gets, so the baseline is fair.
            rustix::process::setsid()?;
            capture::place_fds(&[(frame_write_fd, FRAME_FD)])?;
            rlimits.apply()
        });
    }

    let started = Instant::now();
    let mut spawned = command.spawn().map_err(|source| RunnerError::Spawn {
        program: plan.interpreter.path.display().to_string(),
        source,
    })?;
    drop(frame_write);
    let child = Child::new(spawned.id() as libc::pid_t);
    let group = GroupKiller { pid: child.pid };
    let (overflow_tx, overflow_rx) = mpsc::channel::<Stream>(3);
    let (stdout, stderr, frame) =
        read_outputs(&mut spawned, frame_read, limits.output_bytes, &overflow_tx);
    drop(overflow_tx);
    feed_stdin(stdin_text, spawned.stdin.take().map(OwnedFd::from));
    // `spawned` is never waited through std: the pid is reaped below, with its resource usage.
    drop(spawned);

    let (exited, mut limit) = watch(&child, &group, overflow_rx, limits.wall, started).await;
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
    if limit.is_none() && (usage.cpu > limits.cpu || exit == ProcessEnd::Signal(libc::SIGXCPU)) {
        limit = Some(LimitHit::Cpu);
    }
    Ok(capture::run_output(frame_bytes, &stderr, exit, limit, wall, Some(usage)).await)
}

/// The interpreter's command line, environment, working directory and standard streams.
fn command(plan: &Plan, case_dir: &CaseDir, compiled: bool, has_stdin: bool) -> Command {
    let work = case_dir.work_path();
    let mut command = Command::new(&plan.interpreter.path);
    command
        .args(launch::python_args(
            &plan.interpreter,
            &case_dir.code_path(),
            compiled,
        ))
        .current_dir(&work)
        .env_clear()
        .envs(python_env(&work, &work))
        .stdin(if has_stdin {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Waits for the child to exit; kills its group when the wall clock (less the time it waited
/// for a CPU) runs out or an output overflows, and says which limit that was.
async fn watch(
    child: &Child,
    group: &GroupKiller,
    mut overflows: mpsc::Receiver<Stream>,
    wall: Duration,
    started: Instant,
) -> (io::Result<()>, Option<LimitHit>) {
    let deadline = tokio::time::sleep(wall);
    tokio::pin!(deadline);
    let exited = child.exited();
    tokio::pin!(exited);
    loop {
        tokio::select! {
            exited = &mut exited => return (exited, None),
            () = &mut deadline => {
                // Like a box's keeper: time spent waiting for a CPU does not count.
                let budget = starvation::stretched(wall, child.pid);
                if started.elapsed() < budget {
                    deadline.as_mut().reset((started + budget).into());
                    continue;
                }
                group.kill();
                return (exited.await, Some(LimitHit::Wall));
            }
            Some(stream) = overflows.recv() => {
                group.kill();
                return (exited.await, Some(LimitHit::Output(stream)));
            }
        }
    }
}

/// Kills the process group when dropped, so a cancelled case leaves nothing behind.
struct GroupKiller {
    pid: libc::pid_t,
}

impl GroupKiller {
    fn kill(&self) {
        if let Some(group) = Pid::from_raw(self.pid) {
            // ESRCH (already gone) is fine.
            let _ = rustix::process::kill_process_group(group, Signal::KILL);
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
        set_rlimit(Resource::Cpu, self.cpu_seconds, self.cpu_seconds + 1)?;
        set_rlimit(Resource::As, self.address_space, self.address_space)?;
        set_rlimit(Resource::Fsize, FILE_SIZE_LIMIT, FILE_SIZE_LIMIT)?;
        set_rlimit(Resource::Nofile, OPEN_FILES_LIMIT, OPEN_FILES_LIMIT)?;
        set_rlimit(Resource::Core, 0, 0)
    }
}

fn set_rlimit(resource: Resource, soft: u64, hard: u64) -> io::Result<()> {
    let limit = Rlimit {
        current: Some(soft),
        maximum: Some(hard),
    };
    Ok(rustix::process::setrlimit(resource, limit)?)
}
