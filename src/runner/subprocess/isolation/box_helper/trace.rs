//! Timestamps of a box's set-up stages, for the benchmark that attributes the sandbox's cost
//! to its layers (`benches/sandbox_overhead.rs`). Off unless the spec asks; when on, PID 1 and
//! the program write `stage<TAB>nanoseconds` lines to a pipe the keeper reads at the end.

use std::sync::atomic::{AtomicI32, Ordering};

use super::sys;

static FD: AtomicI32 = AtomicI32::new(-1);

/// Nanoseconds on the system-wide monotonic clock (comparable across processes).
pub(super) fn now_ns() -> u64 {
    let time = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
    time.tv_sec as u64 * 1_000_000_000 + time.tv_nsec as u64
}

/// Sends marks to `fd` from now on (in this process and the children it forks).
pub(super) fn to(fd: i32) {
    FD.store(fd, Ordering::Relaxed);
}

/// The trace pipe, when tracing.
pub(super) fn fd() -> Option<i32> {
    let fd = FD.load(Ordering::Relaxed);
    (fd >= 0).then_some(fd)
}

/// Records that `stage` just ended.
pub(super) fn mark(stage: &str) {
    let fd = FD.load(Ordering::Relaxed);
    if fd >= 0 {
        let _ = sys::write_all(fd, format!("{stage}\t{}\n", now_ns()).as_bytes());
    }
}

/// Parses what [`mark`] wrote.
pub(super) fn parse(bytes: &[u8]) -> Vec<(String, u64)> {
    String::from_utf8_lossy(bytes)
        .lines()
        .filter_map(|line| {
            let (stage, ns) = line.split_once('\t')?;
            Some((stage.to_string(), ns.parse().ok()?))
        })
        .collect()
}
