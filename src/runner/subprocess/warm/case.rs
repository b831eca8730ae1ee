//! One case in a warm box: the message for the fork server, the case's pipes handed over, the
//! answer awaited under the case's limits, and the output read as for a cold box.

use std::os::fd::OwnedFd;
use std::path::Path;
use std::time::{Duration, Instant};

use tokio::net::UnixStream;
use tokio::sync::mpsc;

use super::super::capture::{
    self, Reader, ResourceUsage, feed_stdin, overflowed, spawn_reader, stdin_text,
};
use super::super::fresh;
use super::super::isolation::box_helper;
use super::super::isolation::{starvation, tree_usage};
use super::super::launch::{FILE_SIZE_LIMIT, OPEN_FILES_LIMIT, cpu_seconds};
use super::SERVER_TASKS;
use super::pool::{WarmBox, wait_for_exit};
use super::socket::{Answer, read_message, send_with_fds};
use crate::exercise::Limits;
use crate::runner::case_dir;
use crate::runner::{LimitHit, ProcessEnd, RunOutput, RunRequest, RunnerError, Stream};

/// Runs one case; also says whether the box may take another.
pub(super) async fn run_case(
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
    let (exit, used) = match answer {
        Some((status, cpu_us, max_rss_kb)) => {
            let exit = if libc::WIFSIGNALED(status) {
                ProcessEnd::Signal(libc::WTERMSIG(status))
            } else {
                ProcessEnd::Code(libc::WEXITSTATUS(status))
            };
            let cpu = fresh::cpu_at_least_the_rlimit(Duration::from_micros(cpu_us), exit, &limits);
            (exit, Some(ResourceUsage { cpu, max_rss_kb }))
        }
        // Stopped before it ended: what it had used when it was stopped.
        None => (ProcessEnd::Signal(libc::SIGKILL), sampled),
    };
    if limit.is_none()
        && (used.as_ref().is_some_and(|used| used.cpu > limits.cpu)
            || exit == ProcessEnd::Signal(libc::SIGXCPU))
    {
        limit = Some(LimitHit::Cpu);
    }
    let output = capture::run_output(frame_bytes, &stderr, exit, limit, wall, used).await;
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
fn case_usage(keeper: i32) -> Option<ResourceUsage> {
    let mut level = vec![keeper];
    for _ in 0..3 {
        level = level
            .iter()
            .flat_map(|&pid| tree_usage::children(pid))
            .collect();
    }
    let usage = tree_usage::of(*level.first()?);
    Some(ResourceUsage {
        cpu: usage.cpu,
        max_rss_kb: usage.peak_kb,
    })
}
