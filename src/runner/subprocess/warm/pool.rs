//! The warm boxes kept between cases, and stopping one.

use std::os::fd::OwnedFd;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rustix::process::{Pid, WaitId, WaitIdOptions, WaitOptions};
use tokio::net::UnixStream;

use super::super::capture;
use super::super::fresh;
use super::super::isolation::slots::Slot;
use crate::runner::case_dir::CaseDir;

/// Idle warm boxes kept at most; the oldest is stopped first.
const MAX_IDLE: usize = 4;

/// The warm boxes of one runner.
#[derive(Debug, Default)]
pub(in crate::runner::subprocess) struct WarmPool {
    idle: Mutex<Vec<WarmBox>>,
    /// Set when a fork server could not start here: every case then gets a cold box.
    pub(super) broken: AtomicBool,
    /// `KATA_WARM_BOXES=off`: cold boxes only (to compare, or to rule warm boxes out).
    disabled: bool,
}

impl WarmPool {
    pub(crate) fn new() -> WarmPool {
        WarmPool {
            disabled: std::env::var_os("KATA_WARM_BOXES").is_some_and(|v| v == "off"),
            ..WarmPool::default()
        }
    }

    pub(crate) fn enabled(&self) -> bool {
        !self.disabled && !self.broken.load(Ordering::Relaxed)
    }

    pub(super) fn take(&self, key: u64) -> Option<WarmBox> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let index = idle.iter().position(|b| b.key == key)?;
        Some(idle.remove(index))
    }

    pub(super) fn give_back(&self, warm: WarmBox) {
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
pub(super) struct WarmBox {
    pub(super) key: u64,
    /// The keeper's pid, until it is reaped. Boxes outlive a tokio runtime (a command may run
    /// several), so nothing of a box is registered with one between cases.
    pub(super) keeper: Option<libc::pid_t>,
    /// Closing it tells the keeper to stop the box.
    pub(super) control: Option<OwnedFd>,
    pub(super) socket: Option<std::os::unix::net::UnixStream>,
    pub(super) filters: Vec<String>,
    /// The only files a case may execute (Landlock), or none when Landlock is not used.
    pub(super) landlock_executables: Vec<std::path::PathBuf>,
    /// Processes and threads each case may add (`requires`).
    pub(super) extra_tasks: u64,
    pub(super) _case_dir: CaseDir,
    pub(super) _slot: Option<Slot>,
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
    pub(super) fn take_socket(&mut self) -> std::io::Result<UnixStream> {
        let socket = self
            .socket
            .take()
            .ok_or_else(|| std::io::Error::other("the fork server's socket is gone"))?;
        UnixStream::from_std(socket)
    }

    pub(super) fn stop(&mut self) {
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
pub(super) fn wait_for_exit(pid: libc::pid_t, grace: Duration) {
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
