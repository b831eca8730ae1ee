//! `kata validate` and `kata validate --mutants` over the whole catalogue (`exercises/`), as an
//! author or CI would run them, timed from the outside.
//!
//! Run: `cargo bench --bench validate_catalogue`. Options (after `--`):
//!
//! - `--sandbox S` (default subprocess): the sandbox kata validates in;
//! - `--jobs J` (default 2);
//! - `--no-mutants`: only the plain `validate`; `--only-mutants`: only `validate --mutants`;
//! - `--kata PATH`: time another kata binary (a copy of an older build) instead of this one.
//!
//! For each command it prints the wall time, the CPU time of kata and everything it ran (user
//! and system, from `getrusage` of the reaped children), the load average before and after, and
//! kata's own closing lines (how many exercises are valid; for `--mutants`, how many mutants in
//! how many sandbox runs, and the mutation phase's own time). An exit status other than 0 is
//! reported, not hidden: the catalogue is meant to validate.
//!
//! This is a measurement, not a test: nothing here asserts a time. The numbers in
//! docs/performance.md come from it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|arg| arg == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let sandbox = value("--sandbox").unwrap_or_else(|| "subprocess".to_string());
    let jobs = value("--jobs").unwrap_or_else(|| "2".to_string());
    let kata =
        value("--kata").map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_kata")), PathBuf::from);
    let mutants = !args.iter().any(|arg| arg == "--no-mutants");
    let catalogue = Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises");
    let exercises = std::fs::read_dir(&catalogue)
        .expect("the catalogue is there")
        .filter(|entry| {
            entry
                .as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "toml"))
        })
        .count();

    println!("kata:      {}", kata.display());
    println!(
        "catalogue: {} ({exercises} exercise files), sandbox {sandbox}, --jobs {jobs}, {} cpus",
        catalogue.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    let only_mutants = args.iter().any(|arg| arg == "--only-mutants");
    let mut commands = Vec::new();
    if !only_mutants {
        commands.push(vec!["validate"]);
    }
    if mutants {
        commands.push(vec!["validate", "--mutants"]);
    }
    for extra in commands {
        let load_before = load();
        let cpu_before = children_cpu();
        let started = Instant::now();
        let output = Command::new(&kata)
            .args(&extra)
            .args(["--sandbox", &sandbox, "--jobs", &jobs])
            .arg(&catalogue)
            .env("NO_COLOR", "1")
            .env_remove("KATA_EXERCISES")
            .stdin(Stdio::null())
            .output()
            .expect("kata starts");
        let wall = started.elapsed();
        let (user, system) = children_cpu();
        let stdout = String::from_utf8_lossy(&output.stdout);
        println!(
            "\nkata {} (load {load_before} before, {} after)",
            extra.join(" "),
            load()
        );
        println!(
            "  wall {:.1} s, CPU {:.1} s (user {:.1} s, sys {:.1} s), exit status {}",
            secs(wall),
            secs(user - cpu_before.0) + secs(system - cpu_before.1),
            secs(user - cpu_before.0),
            secs(system - cpu_before.1),
            output
                .status
                .code()
                .map_or("(a signal)".to_string(), |c| c.to_string())
        );
        for line in stdout
            .lines()
            .filter(|line| line.contains("graded in") || line.contains(" invalid"))
        {
            println!("  kata: {}", line.trim());
        }
        if !output.status.success() {
            println!("  stderr (last lines):");
            let stderr = String::from_utf8_lossy(&output.stderr);
            let lines: Vec<&str> = stderr.lines().collect();
            for line in &lines[lines.len().saturating_sub(10)..] {
                println!("    {line}");
            }
        }
    }
}

/// User and system CPU time of every reaped child so far.
fn children_cpu() -> (Duration, Duration) {
    // SAFETY: getrusage fills the struct given; a zeroed rusage is a valid value.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    (time(usage.ru_utime), time(usage.ru_stime))
}

fn secs(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_string())
}
