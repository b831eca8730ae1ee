//! How long a case waited for a CPU, so that a busy machine cannot turn a wall-clock deadline
//! into a time verdict.
//!
//! The CPU limit decides whether a case was too slow; the wall limit is only a safety net for a
//! case that sleeps or blocks. When the wall deadline passes, the supervisor asks how long the
//! case's processes spent runnable but not running (the scheduler's `run_delay`, in
//! `/proc/<pid>/task/<tid>/schedstat`) and moves the deadline back by that much: a case
//! starved by other work gets the time the machine took from it, a sleeping case gets almost
//! nothing. The stretch is capped, so a case that starves itself (with many processes of its
//! own) still ends.

use std::path::Path;
use std::time::Duration;

/// A case never runs longer than this many times its wall limit, however long it waited.
pub const MAX_STRETCH: u32 = 5;

/// The most processes and threads looked at: enough for any box (their count is capped).
const MAX_TASKS: usize = 512;

/// The wall-clock budget of a case whose process tree starts at `root`: its wall limit plus
/// the longest any of its tasks has waited for a CPU, at most [`MAX_STRETCH`] × `wall`.
pub fn stretched(wall: Duration, root: i32) -> Duration {
    let credit = waited(root).min(wall * (MAX_STRETCH - 1));
    wall + credit
}

/// The longest time any task (thread) of `root` and its descendants has spent waiting on a
/// run queue. Zero when `/proc` cannot say (the wall limit then applies as it is).
pub fn waited(root: i32) -> Duration {
    let mut longest = 0u64;
    let mut pending = vec![root];
    let mut seen = 0;
    while let Some(pid) = pending.pop() {
        let tasks = Path::new("/proc").join(pid.to_string()).join("task");
        let Ok(entries) = std::fs::read_dir(&tasks) else {
            continue; // gone meanwhile
        };
        for entry in entries.flatten() {
            seen += 1;
            if seen > MAX_TASKS {
                return Duration::from_nanos(longest);
            }
            let task = entry.path();
            if let Some(delay) = read_run_delay(&task.join("schedstat")) {
                longest = longest.max(delay);
            }
            if let Ok(children) = std::fs::read_to_string(task.join("children")) {
                pending.extend(
                    children
                        .split_whitespace()
                        .filter_map(|p| p.parse::<i32>().ok()),
                );
            }
        }
    }
    Duration::from_nanos(longest)
}

/// The second field of a schedstat line: nanoseconds spent waiting on a run queue.
fn read_run_delay(path: &Path) -> Option<u64> {
    parse_run_delay(&std::fs::read_to_string(path).ok()?)
}

fn parse_run_delay(line: &str) -> Option<u64> {
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_run_queue_delay_field() {
        assert_eq!(parse_run_delay("1011321 5711617 3\n"), Some(5_711_617));
        assert_eq!(parse_run_delay("1011321"), None);
        assert_eq!(parse_run_delay(""), None);
    }

    #[test]
    fn the_walk_reaches_threads_and_children() {
        // run_delay only grows, so what was read before the walk is a floor for what it finds,
        // for this thread and for a child process alike.
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        let me = std::process::id() as i32;
        let child_path = format!("/proc/{}/schedstat", child.id());
        let child_delay = read_run_delay(Path::new(&child_path)).expect("the child's schedstat");
        let own_delay =
            read_run_delay(Path::new("/proc/thread-self/schedstat")).expect("our schedstat");
        let found = waited(me).as_nanos() as u64;
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            found >= child_delay.max(own_delay),
            "{found} < {child_delay} or {own_delay}"
        );
    }

    #[test]
    fn the_stretch_is_capped() {
        let wall = Duration::from_millis(100);
        // Our own process has waited far less than 400 ms only on an idle machine, so check
        // the cap with a bound that holds either way.
        let budget = stretched(wall, std::process::id() as i32);
        assert!(budget >= wall);
        assert!(budget <= wall * MAX_STRETCH);
    }

    #[test]
    fn a_missing_process_gets_no_credit() {
        // Pid numbers stop well below this (pid_max is at most 2^22).
        assert_eq!(waited(i32::MAX - 1), Duration::ZERO);
        assert_eq!(
            stretched(Duration::from_secs(1), i32::MAX - 1),
            Duration::from_secs(1)
        );
    }
}
