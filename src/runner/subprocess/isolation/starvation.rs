//! How long a case waited for a CPU, so that a busy machine cannot turn a wall-clock deadline
//! into a time verdict.
//!
//! The CPU limit decides whether a case was too slow; the wall limit is only a safety net for a
//! case that sleeps or blocks. When the wall deadline passes, the supervisor asks how long the
//! case's processes spent runnable but not running (the scheduler's `run_delay`, in
//! `/proc/<pid>/task/<tid>/schedstat`) and moves the deadline back by that much, less what the
//! case's own other tasks ran: a case starved by other work gets the time the machine took from
//! it, a sleeping case or one that starves itself gets almost nothing. The stretch is capped
//! whatever the figures say.

use std::path::Path;
use std::time::Duration;

/// A case never runs longer than this many times its wall limit, however long it waited.
pub(crate) const MAX_STRETCH: u32 = 2;

/// The most processes and threads looked at: enough for any box (their count is capped).
const MAX_TASKS: usize = 512;

/// The wall-clock budget of a case whose process tree starts at `root`: its wall limit plus
/// the time it waited for a CPU because of other work (see [`waited`]), at most
/// [`MAX_STRETCH`] × `wall`.
pub(crate) fn stretched(wall: Duration, root: i32) -> Duration {
    let credit = waited(root).min(wall * (MAX_STRETCH - 1));
    wall + credit
}

/// How long the case under `root` waited for a CPU because of work outside it: for each of
/// its tasks (threads of it and its descendants), the time it spent on a run queue less the
/// CPU time all its other tasks used (a case that starves itself with processes or threads of
/// its own earns nothing: every moment one of its tasks waited behind a sibling, that sibling
/// was running), and the longest of those. Zero when `/proc` cannot say (the wall limit then
/// applies as it is).
pub(crate) fn waited(root: i32) -> Duration {
    Duration::from_nanos(credit(&tasks_of(root)))
}

/// The CPU time the process tree under `root` has used so far: its live tasks and what its
/// reaped children used (the usage of a tree that is about to be killed, which no wait
/// status will report). Zero when `/proc` cannot say.
pub(crate) fn cpu_of(root: i32) -> Duration {
    Duration::from_nanos(tasks_of(root).iter().map(|t| t.run).sum())
}

fn credit(tasks: &[Task]) -> u64 {
    let total_run: u64 = tasks.iter().map(|t| t.run).sum();
    tasks
        .iter()
        .map(|t| t.delay.saturating_sub(total_run - t.run))
        .max()
        .unwrap_or(0)
}

/// What the scheduler says about one task, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Task {
    /// On a CPU.
    run: u64,
    /// Runnable, waiting on a run queue.
    delay: u64,
}

/// Every task of `root` and its descendants that could be read.
fn tasks_of(root: i32) -> Vec<Task> {
    let mut found = Vec::new();
    let mut pending = vec![root];
    while let Some(pid) = pending.pop() {
        let process = Path::new("/proc").join(pid.to_string());
        let Ok(entries) = std::fs::read_dir(process.join("task")) else {
            continue; // gone meanwhile
        };
        // The CPU its reaped children used, as a task that never waited: waiting behind
        // processes that have since ended earns nothing either.
        if let Some(run) = read_reaped_children_run(&process.join("stat")) {
            found.push(Task { run, delay: 0 });
        }
        for entry in entries.flatten() {
            if found.len() >= MAX_TASKS {
                return found;
            }
            let task = entry.path();
            if let Some(stat) = read_schedstat(&task.join("schedstat")) {
                found.push(stat);
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
    found
}

/// `cutime + cstime` of a `/proc/<pid>/stat` line, in nanoseconds.
fn read_reaped_children_run(path: &Path) -> Option<u64> {
    parse_reaped_children_run(&std::fs::read_to_string(path).ok()?)
}

fn parse_reaped_children_run(line: &str) -> Option<u64> {
    // Fields 16 and 17, counted after the command name, which may hold spaces and parentheses.
    let (_, after_name) = line.rsplit_once(')')?;
    let mut fields = after_name.split_whitespace().skip(13);
    let cutime: u64 = fields.next()?.parse().ok()?;
    let cstime: u64 = fields.next()?.parse().ok()?;
    let ticks = rustix::param::clock_ticks_per_second().max(1);
    Some((cutime + cstime) * (1_000_000_000 / ticks))
}

fn read_schedstat(path: &Path) -> Option<Task> {
    parse_schedstat(&std::fs::read_to_string(path).ok()?)
}

/// `<ns on a CPU> <ns waiting on a run queue> <time slices>`.
fn parse_schedstat(line: &str) -> Option<Task> {
    let mut fields = line.split_whitespace().map(str::parse::<u64>);
    match (fields.next(), fields.next()) {
        (Some(Ok(run)), Some(Ok(delay))) => Some(Task { run, delay }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_run_time_and_the_run_queue_delay() {
        assert_eq!(
            parse_schedstat("1011321 5711617 3\n"),
            Some(Task {
                run: 1_011_321,
                delay: 5_711_617
            })
        );
        assert_eq!(parse_schedstat("1011321"), None);
        let tick = 1_000_000_000 / rustix::param::clock_ticks_per_second();
        let stat = "42 (a) b) S 1 42 42 0 -1 4194560 100 0 0 0 5 6 30 40 20 0 1 0 9 0 0";
        assert_eq!(parse_reaped_children_run(stat), Some(70 * tick));
        assert_eq!(parse_reaped_children_run("42 (a) S 1"), None);
        assert_eq!(parse_schedstat(""), None);
    }

    const MS: u64 = 1_000_000;

    #[test]
    fn a_lone_starved_task_gets_its_whole_wait() {
        let tasks = [Task {
            run: 600 * MS,
            delay: 1800 * MS,
        }];
        assert_eq!(credit(&tasks), 1800 * MS);
    }

    #[test]
    fn waiting_behind_its_own_processes_earns_nothing() {
        // Four spinning processes of one case on one CPU: each waits while the others run.
        let tasks = [Task {
            run: 1000 * MS,
            delay: 3000 * MS,
        }; 4];
        assert_eq!(credit(&tasks), 0);
        // A sleeping parent with spinning children: still nothing beyond what others ran.
        let mut tasks = tasks.to_vec();
        tasks.push(Task { run: MS, delay: 0 });
        assert_eq!(credit(&tasks), 0);
    }

    #[test]
    fn waiting_beyond_what_its_siblings_ran_counts() {
        // Its keeper-side parent ran 10 ms; the case waited 2 s for other work.
        let tasks = [
            Task {
                run: 10 * MS,
                delay: MS,
            },
            Task {
                run: 500 * MS,
                delay: 2000 * MS,
            },
        ];
        assert_eq!(credit(&tasks), 1990 * MS);
        assert_eq!(credit(&[]), 0);
    }

    #[test]
    fn the_walk_reaches_threads_and_children() {
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        let tasks = tasks_of(std::process::id() as i32);
        let _ = child.kill();
        let _ = child.wait();
        // This test binary runs at least two threads (the harness's and this test's), plus
        // the child.
        assert!(tasks.len() >= 3, "{tasks:?}");
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
