//! Save-to-screen latency of `kata watch`: the time from a learner's file being saved to the
//! result being written to their terminal.
//!
//! kata runs in a pseudo-terminal of 80×24, as a learner would run it; the file is saved
//! (alternately a wrong and a right solution of `lru-cache`, so every save really changes it),
//! and the clock stops when the summary row of that result (`passed · run N (`) arrives on the
//! terminal's side of the pty. Reported: the median and spread over the saves, the part the
//! grader itself measured, and `kata check` of the same file for comparison.
//!
//! The target is counted beyond the solution's own computing time: each version's
//! cases' CPU time, as kata measures it in the box (`cpu_ms` of `kata check --format json`,
//! summed over the cases), is subtracted from that save's latency. That sum counts the cases
//! of both workers one after another, so the figure left is, if anything, too small; the
//! "watching" line (latency less the grading shown) has no such caveat.
//!
//! Run: `cargo bench --bench watch_latency` (optionally `-- SAVES`, default 30; `--kata PATH`
//! times another build of kata, e.g. a copy of an older one, with this benchmark).

use std::fs;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use kata::exercise::{Catalogue, CatalogueSource};

/// The kata binary timed: `--kata PATH`, or the one built with this benchmark.
fn kata() -> PathBuf {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|arg| arg == "--kata")
        .and_then(|i| args.get(i + 1))
        .map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_kata")), PathBuf::from)
}
/// Far longer than any save should take; only reached if something is broken.
const DEADLINE: Duration = Duration::from_secs(20);

fn main() {
    let saves: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(30);
    println!("kata: {}", kata().display());
    println!("load: {} (1, 5, 15 min) at the start", load());
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("learn");
    run(dir.path(), &["init", "learn"]);
    run(&root, &["start", "lru-cache"]);
    let exercise = Catalogue::load(CatalogueSource::Embedded)
        .unwrap()
        .get("lru-cache")
        .unwrap()
        .clone();
    let wrong = &exercise
        .wrong_solutions
        .iter()
        .find(|w| w.name == "zero-is-a-miss")
        .unwrap()
        .code;
    let versions = [
        format!("# kata: lru-cache\n{wrong}"),
        format!("# kata: lru-cache\n{}", exercise.reference),
    ];
    let file = root.join("lru_cache.py");

    let terminal = Terminal::spawn(&root);
    // `kata watch` grades the file it opens (the starter): run 1.
    terminal.wait_for("passed · run 1 (", 0);

    let mut latencies = Vec::new();
    let mut grading = Vec::new();
    for save in 0..saves {
        let from = terminal.len();
        fs::write(&file, &versions[save % 2]).unwrap();
        let saved = Instant::now();
        let marker = format!("passed · run {} (", save + 2);
        let at = terminal.wait_for(&marker, from);
        latencies.push(saved.elapsed());
        grading.push(terminal.reported_ms(at + marker.len()));
        // Let the debouncer forget this save before the next one.
        std::thread::sleep(Duration::from_millis(300));
    }
    terminal.quit();

    let mut check = Vec::new();
    for _ in 0..saves.min(10) {
        let started = Instant::now();
        Command::new(kata())
            .current_dir(&root)
            .args(["check", "lru_cache.py"])
            .env_remove("KATA_EXERCISES")
            .stdout(Stdio::null())
            .status()
            .unwrap();
        check.push(started.elapsed());
    }

    // The cases' own CPU time for each version, from a grading outside `kata watch` (after
    // it: a passing `kata check` records progress, and `kata watch` would move on).
    let own_cpu: Vec<Duration> = versions
        .iter()
        .map(|text| {
            fs::write(&file, text).unwrap();
            cases_cpu(&root)
        })
        .collect();

    let grading: Vec<Duration> = grading.into_iter().map(Duration::from_millis).collect();
    // What watching adds to grading: noticing the save (debounce), reading the file, drawing.
    let mut overhead: Vec<Duration> = latencies
        .iter()
        .zip(&grading)
        .map(|(total, grading)| total.saturating_sub(*grading))
        .collect();
    let mut beyond: Vec<Duration> = latencies
        .iter()
        .enumerate()
        .map(|(save, total)| total.saturating_sub(own_cpu[save % 2]))
        .collect();
    let mut grading = grading;
    println!("kata watch, lru-cache (8 cases), {saves} saves, 80x24 pty:");
    println!("  save -> result on screen: {}", summary(&mut latencies));
    println!("  of which grading (as shown): {}", summary(&mut grading));
    println!("  of which watching (the rest): {}", summary(&mut overhead));
    println!(
        "  beyond the cases' own CPU ({} ms wrong, {} ms right): {}",
        own_cpu[0].as_millis(),
        own_cpu[1].as_millis(),
        summary(&mut beyond)
    );
    println!("kata check of the same file: {}", summary(&mut check));
    println!("load: {} (1, 5, 15 min) at the end", load());
}

fn summary(samples: &mut [Duration]) -> String {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize].as_millis();
    format!(
        "median {} ms (min {}, p90 {}, max {}; n = {})",
        at(0.5),
        at(0.0),
        at(0.9),
        at(1.0),
        samples.len()
    )
}

/// The sum of the cases' CPU time (`cpu_ms`) in `kata check --format json` of the file.
fn cases_cpu(root: &Path) -> Duration {
    let output = Command::new(kata())
        .current_dir(root)
        .args(["check", "--format", "json", "lru_cache.py"])
        .env_remove("KATA_EXERCISES")
        .output()
        .unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("kata check --format json prints JSON");
    let cases = report["cases"].as_array().expect("the report lists cases");
    Duration::from_millis(cases.iter().filter_map(|c| c["cpu_ms"].as_u64()).sum())
}

fn load() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_string())
}

fn run(dir: &Path, args: &[&str]) {
    let status = Command::new(kata())
        .current_dir(dir)
        .args(args)
        .env_remove("KATA_EXERCISES")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "kata {args:?} failed");
}

/// `kata watch` in a pseudo-terminal, with everything it writes collected.
struct Terminal {
    child: std::process::Child,
    output: Arc<(Mutex<Vec<u8>>, Condvar)>,
    master: OwnedFd,
}

impl Terminal {
    fn spawn(root: &PathBuf) -> Terminal {
        let (master, slave) = open_pty(80, 24);
        let stdio = || Stdio::from(slave.try_clone().unwrap());
        let mut command = Command::new(kata());
        command
            .current_dir(root)
            .arg("watch")
            .env_remove("KATA_EXERCISES")
            .env("TERM", "xterm-256color")
            .env("NO_COLOR", "1")
            .stdin(stdio())
            .stdout(stdio())
            .stderr(stdio());
        // SAFETY: between fork and exec, only async-signal-safe calls: a new session whose
        // controlling terminal is the pty (stdin), as a terminal emulator would set up.
        unsafe {
            command.pre_exec(|| {
                // `as _`: the request's type differs between Linux and macOS.
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().unwrap();
        drop(slave);
        let output = Arc::new((Mutex::new(Vec::new()), Condvar::new()));
        let sink = Arc::clone(&output);
        let mut reader = fs::File::from(master.try_clone().unwrap());
        std::thread::spawn(move || {
            let mut buffer = [0u8; 65536];
            while let Ok(read) = reader.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                let (bytes, arrived) = &*sink;
                bytes.lock().unwrap().extend_from_slice(&buffer[..read]);
                arrived.notify_all();
            }
        });
        Terminal {
            child,
            output,
            master,
        }
    }

    fn len(&self) -> usize {
        self.output.0.lock().unwrap().len()
    }

    /// Waits until `text` appears in the output after byte `from`; returns where it starts.
    fn wait_for(&self, text: &str, from: usize) -> usize {
        let (bytes, arrived) = &*self.output;
        let started = Instant::now();
        let mut bytes = bytes.lock().unwrap();
        loop {
            if let Some(at) = find(&bytes[from.min(bytes.len())..], text.as_bytes()) {
                return from + at;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "kata watch never showed {text:?}; its last output:\n{}",
                String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(2000)..])
            );
            bytes = arrived
                .wait_timeout(bytes, Duration::from_millis(100))
                .unwrap()
                .0;
        }
    }

    /// The milliseconds in `123 ms)` starting at byte `at`.
    fn reported_ms(&self, at: usize) -> u64 {
        self.wait_for(" ms)", at);
        let bytes = self.output.0.lock().unwrap();
        let digits: String = bytes[at..]
            .iter()
            .map(|&b| b as char)
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().unwrap()
    }

    fn quit(mut self) {
        let mut writer = fs::File::from(self.master.try_clone().unwrap());
        std::io::Write::write_all(&mut writer, b"q").unwrap();
        let status = self.child.wait().unwrap();
        assert!(status.success(), "kata watch exited with {status}");
    }
}

/// A benchmark that panics still stops its `kata watch` (which was seen to keep running, with
/// its warm boxes, after the pty's master side was gone), with SIGTERM so that it cleans up.
impl Drop for Terminal {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            // SAFETY: kill(2) on our own child, which has not been reaped (try_wait said so).
            unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
            let _ = self.child.wait();
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// A pseudo-terminal of `columns` × `rows`: (master, slave).
fn open_pty(columns: u16, rows: u16) -> (OwnedFd, OwnedFd) {
    let mut master = -1;
    let mut slave = -1;
    let mut size = libc::winsize {
        ws_row: rows,
        ws_col: columns,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors into the integers given, and reads the size.
    // (Mutable pointers, because macOS declares them so; Linux takes them as `const`.)
    let result = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            &raw mut size,
        )
    };
    assert_eq!(result, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and are owned by nothing else.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}
