//! Starving a process for CPU on purpose, for the tests that prove load cannot flip a time
//! verdict (shared by the sandbox and wasm suites): the command under test and a few busy loops
//! all pinned to CPU 0.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};

/// Runs `command` on CPU 0 only, in a session of its own (so that it competes with each hog
/// as one scheduling group against another).
pub(crate) fn on_cpu_zero(command: &mut Command) {
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_SET(0, &mut set);
            if libc::sched_setaffinity(0, std::mem::size_of_val(&set), &set) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::setsid();
            Ok(())
        });
    }
}

/// Busy loops on CPU 0, killed when dropped.
pub(crate) struct Hogs(Vec<Child>);

impl Hogs {
    pub(crate) fn start(count: usize) -> Self {
        Hogs(
            (0..count)
                .map(|_| {
                    let mut command = Command::new("sh");
                    command
                        .args(["-c", "while :; do :; done"])
                        .stdin(Stdio::null())
                        .stdout(Stdio::null());
                    on_cpu_zero(&mut command);
                    command.spawn().expect("a hog starts")
                })
                .collect(),
        )
    }
}

impl Drop for Hogs {
    fn drop(&mut self) {
        for hog in &mut self.0 {
            let _ = hog.kill();
            let _ = hog.wait();
        }
    }
}
