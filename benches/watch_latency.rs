//! Save-to-screen latency of `kata watch`: the time from a learner's file being saved to the
//! result being written to their terminal.
//!
//! kata runs in a pseudo-terminal of 80×24, as a learner would run it; the file is saved
//! (alternately a wrong and a right solution of `lru-cache`, so every save really changes it),
//! and the clock stops when the summary row of that result (`passed · run N (`) arrives on the
//! terminal's side of the pty. Reported: the median and spread over the saves, the part the
//! grader itself measured, and `kata check` of the same file for comparison.
//!
//! Run: `cargo bench --bench watch_latency` (optionally `-- SAVES`, default 30).

use std::fs;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use kata::exercise::{Catalogue, CatalogueSource};

const KATA: &str = env!("CARGO_BIN_EXE_kata");
/// Far longer than any save should take; only reached if something is broken.
const DEADLINE: Duration = Duration::from_secs(60);

fn main() {
    let saves: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(30);
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
    terminal.wait_for("not graded yet", 0);

    let mut latencies = Vec::new();
    let mut grading = Vec::new();
    for save in 0..saves {
        let from = terminal.len();
        fs::write(&file, &versions[save % 2]).unwrap();
        let saved = Instant::now();
        let marker = format!("passed · run {} (", save + 1);
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
        Command::new(KATA)
            .current_dir(&root)
            .args(["check", "lru_cache.py"])
            .env_remove("KATA_EXERCISES")
            .stdout(Stdio::null())
            .status()
            .unwrap();
        check.push(started.elapsed());
    }

    let grading: Vec<Duration> = grading.into_iter().map(Duration::from_millis).collect();
    // What watching adds to grading: noticing the save (debounce), reading the file, drawing.
    let mut overhead: Vec<Duration> = latencies
        .iter()
        .zip(&grading)
        .map(|(total, grading)| total.saturating_sub(*grading))
        .collect();
    let mut grading = grading;
    println!("kata watch, lru-cache (8 cases), {saves} saves, 80x24 pty:");
    println!("  save -> result on screen: {}", summary(&mut latencies));
    println!("  of which grading (as shown): {}", summary(&mut grading));
    println!("  of which watching (the rest): {}", summary(&mut overhead));
    println!("kata check of the same file: {}", summary(&mut check));
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

fn run(dir: &Path, args: &[&str]) {
    let status = Command::new(KATA)
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
        let mut command = Command::new(KATA);
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
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
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
                "kata watch never showed {text:?}"
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

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// A pseudo-terminal of `columns` × `rows`: (master, slave).
fn open_pty(columns: u16, rows: u16) -> (OwnedFd, OwnedFd) {
    let mut master = -1;
    let mut slave = -1;
    let size = libc::winsize {
        ws_row: rows,
        ws_col: columns,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors into the integers given, and reads the size.
    let result = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(result, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and are owned by nothing else.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}
