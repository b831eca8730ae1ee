//! Starting a warm box: a cold box's spec changed for a fork server, the box helper started
//! with one end of a socket, and the fork server's `ready` awaited.

use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::super::bytecode;
use super::super::capture;
use super::super::fresh;
use super::super::isolation::box_helper::{self, seccomp};
use super::super::isolation::slots::Slot;
use super::super::isolation::spec::BoxSpec;
use super::super::isolation::spec::{CONTROL_FD, FRAME_FD, REPORT_FD, ZYGOTE_FD, encode};
use super::super::launch;
use super::super::plan::Plan;
use super::SERVER_TASKS;
use super::pool::WarmBox;
use super::socket::{Answer, read_message};
use crate::runner::case_dir::CaseDir;
use crate::runner::{RunRequest, RunnerError};

/// How long a fork server may take to start (import the harness, compile the submission).
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// The box's own wall limit: the grader times each case and stops the box itself.
const BOX_LIFETIME: Duration = Duration::from_secs(3600);
/// The fork server's own CPU limit (its cases get theirs afresh).
const SERVER_CPU_SECONDS: u64 = 600;

pub(super) enum Start {
    /// The fork server cannot work on this machine: cold boxes from now on.
    Unsupported(String),
    /// This case failed for a reason of its own (its box could not be prepared).
    Failed(RunnerError),
}

/// Starts a warm box for this submission and waits until its fork server is ready.
pub(super) async fn start(plan: &Plan, request: &RunRequest, key: u64) -> Result<WarmBox, Start> {
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
