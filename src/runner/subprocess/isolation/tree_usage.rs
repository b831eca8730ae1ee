//! What a live process tree has used so far, read from `/proc`: for a case stopped by a limit,
//! whose processes are killed rather than reaped, so that no wait status reports their usage.
//! Without this, a report would show the helper's usage (about 1 ms and 2.5 MB) instead of the
//! learner's program.

use std::time::Duration;

use super::starvation;

/// The most processes looked at: enough for any box (their number is capped).
const MAX_PROCESSES: usize = 512;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TreeUsage {
    /// CPU time of every task of the tree and of the children it reaped.
    pub cpu: Duration,
    /// The largest peak resident size (`VmHWM`) of any process of the tree, in KiB.
    pub peak_kb: u64,
}

/// The usage of `root` and its descendants; zeros for what `/proc` cannot say.
pub(crate) fn of(root: i32) -> TreeUsage {
    let mut peak_kb = 0;
    let mut pending = vec![root];
    let mut seen = 0;
    while let Some(pid) = pending.pop() {
        seen += 1;
        if seen > MAX_PROCESSES {
            break;
        }
        peak_kb = peak_kb.max(high_water_kb(pid));
        pending.extend(children(pid));
    }
    TreeUsage {
        cpu: starvation::cpu_of(root),
        peak_kb,
    }
}

/// The children of every thread of `pid` (none if it is gone).
pub(crate) fn children(pid: i32) -> Vec<i32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|list| {
            list.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<i32>>()
        })
        .collect()
}

/// `VmHWM` of a process, in KiB (0 when unknown).
fn high_water_kb(pid: i32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| parse_high_water(&status))
        .unwrap_or(0)
}

fn parse_high_water(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_high_water_mark() {
        let status = "Name:\tpython3\nVmPeak:\t  20000 kB\nVmHWM:\t   12345 kB\nVmRSS:\t 9000 kB\n";
        assert_eq!(parse_high_water(status), Some(12345));
        assert_eq!(parse_high_water("Name:\tkthreadd\n"), None);
    }

    #[test]
    fn this_process_has_used_something() {
        // Burn a little CPU so that the figure cannot be zero by luck.
        let mut x = 0u64;
        for i in 0..2_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        assert_ne!(x, 1);
        let usage = of(std::process::id() as i32);
        assert!(usage.cpu > Duration::ZERO);
        assert!(usage.peak_kb > 1000, "{usage:?}");
    }
}
