//! Nothing outlives the grader: when kata is killed (SIGKILL, no chance to clean up) while
//! boxes are running, every process of every box dies with it.

use std::fs;
use std::time::{Duration, Instant};

use super::host::{self, Setup};

#[test]
fn killing_the_grader_kills_its_boxes_as_root() {
    killed_grader_leaves_nothing(&host::ROOT);
}

#[test]
fn killing_the_grader_kills_its_boxes_unprivileged() {
    killed_grader_leaves_nothing(&host::USER_NAMESPACE);
}

#[test]
fn killing_the_grader_kills_its_boxes_without_namespaces() {
    killed_grader_leaves_nothing(&host::LANDLOCK);
}

fn killed_grader_leaves_nothing(setup: &Setup) {
    let _serial = host::serial();
    let space = host::workspace();
    let attack = space.attacks.join("exhaustion/sleep-forever.py");
    let temp = host::temp_dir(0);
    let mut grader = host::command(
        setup,
        0,
        &[
            "--exercises",
            &space.exercises.to_string_lossy(),
            "check",
            &attack.to_string_lossy(),
            "--jobs",
            "2",
        ],
        &[("TMPDIR", &temp.to_string_lossy())],
    )
    .spawn()
    .expect("kata starts");
    let pid = grader.id() as i32;

    // Wait until both cases' interpreters are running somewhere below the grader.
    let deadline = Instant::now() + Duration::from_secs(20);
    let tree = loop {
        let tree = descendants(pid);
        let pythons = tree.iter().filter(|p| p.name.starts_with("python")).count();
        if pythons >= 2 {
            break tree;
        }
        assert!(
            Instant::now() < deadline,
            "the boxes never started: {tree:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    // SAFETY: kill has no memory-safety preconditions; `pid` is our unreaped child.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
    }
    let _ = grader.wait();

    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let alive: Vec<&Process> = tree.iter().filter(|p| p.is_alive()).collect();
        if alive.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{}: still running 3 s after the grader was killed: {alive:?}",
            setup.name
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let left = host::leftovers(setup.users.map(|users| users[0]));
    assert!(left.is_empty(), "{}: left running: {left:?}", setup.name);
    // The grader had no chance to remove its box directories; a later cleanup may.
    for dir in host::leftover_files(&temp) {
        let _ = fs::remove_dir_all(dir);
    }
}

/// A process, identified by pid and start time (so a recycled pid is not mistaken for it).
#[derive(Debug)]
struct Process {
    pid: i32,
    start: u64,
    name: String,
}

impl Process {
    fn read(pid: i32) -> Option<Process> {
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let open = stat.find('(')?;
        let close = stat.rfind(')')?;
        let name = stat[open + 1..close].to_string();
        // Field 22 (starttime); the fields after the name start at field 3.
        let start = stat[close + 1..].split_whitespace().nth(19)?.parse().ok()?;
        Some(Process { pid, start, name })
    }

    fn is_alive(&self) -> bool {
        Process::read(self.pid).is_some_and(|now| now.start == self.start && !is_zombie(self.pid))
    }
}

fn is_zombie(pid: i32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            stat.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().starts_with('Z'))
        })
        .unwrap_or(false)
}

/// Every process below `pid` (through the children lists of all its threads).
fn descendants(pid: i32) -> Vec<Process> {
    let mut found = Vec::new();
    let mut pending = vec![pid];
    while let Some(parent) = pending.pop() {
        let Ok(tasks) = fs::read_dir(format!("/proc/{parent}/task")) else {
            continue;
        };
        for task in tasks.flatten() {
            let Ok(children) = fs::read_to_string(task.path().join("children")) else {
                continue;
            };
            for child in children.split_whitespace().filter_map(|c| c.parse().ok()) {
                if let Some(process) = Process::read(child) {
                    found.push(process);
                    pending.push(child);
                }
            }
        }
    }
    found
}
