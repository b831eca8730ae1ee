//! `kata watch` driven for real: in an 80×24 terminal (tmux: a real terminal emulator whose
//! screen can be read back), and as plain text through pipes.
//!
//! Waiting is by polling for what the screen should show, with a generous deadline: the test
//! says what must appear, never how fast (timings are measured by the benchmark instead).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::support::kata;
use crate::workspace::{Learner, lru_solution, lru_wrong};

/// Long enough for a loaded machine; only reached when something is wrong.
const DEADLINE: Duration = Duration::from_secs(60);

/// A tmux server of our own (its own socket and no user configuration), with one 80×24 pane.
struct Terminal {
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl Terminal {
    /// Runs `command` in `cwd` in a new 80×24 terminal.
    fn start(cwd: &Path, command: &str) -> Terminal {
        Terminal::sized(cwd, command, 80, 24)
    }

    /// Runs `command` in `cwd` in a new terminal of `columns` × `rows`.
    fn sized(cwd: &Path, command: &str, columns: u16, rows: u16) -> Terminal {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("tmux.conf");
        // No status line (all 24 rows are the program's); keep the pane after exit to read it.
        std::fs::write(&config, "set -g status off\nset -g remain-on-exit on\n").unwrap();
        let terminal = Terminal {
            socket: dir.path().join("socket"),
            _dir: dir,
        };
        let status = terminal
            .tmux()
            .arg("-f")
            .arg(&config)
            .args(["new-session", "-d", "-x", &columns.to_string()])
            .args(["-y", &rows.to_string(), "-c"])
            .arg(cwd)
            .arg(command)
            .status()
            .expect("tmux runs (it is installed by .ci/run)");
        assert!(status.success(), "tmux could not start a session");
        terminal
    }

    fn tmux(&self) -> Command {
        let mut command = Command::new("tmux");
        command.arg("-S").arg(&self.socket);
        command
    }

    /// The screen as text, one line per row.
    fn screen(&self) -> String {
        let output = self.tmux().args(["capture-pane", "-p"]).output().unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The screen and everything scrolled off it.
    fn history(&self) -> String {
        let output = self
            .tmux()
            .args(["capture-pane", "-p", "-S", "-"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn keys(&self, keys: &str) {
        let status = self.tmux().args(["send-keys", keys]).status().unwrap();
        assert!(status.success());
    }

    /// Waits until the screen satisfies `ready`, and returns it.
    fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "the screen never showed {what}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status();
    }
}

/// The last non-empty row: the summary.
fn bottom_row(screen: &str) -> &str {
    let rows: Vec<&str> = screen.lines().collect();
    assert_eq!(rows.len(), 24, "the pane has 24 rows:\n{screen}");
    rows[23]
}

fn kata_path() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_kata"))
}

#[test]
fn watch_in_a_terminal_grades_each_save_gives_hints_and_moves_on() {
    let learner = Learner::new();
    learner.kata(&["start", "lru-cache"]).success();
    // The shell says how kata exited once it has (and tmux has drawn all it printed).
    let command = format!(
        "env -u KATA_EXERCISES -u KATA_PYTHON {} watch; echo \"[kata exited $?]\"",
        kata_path().display()
    );
    let terminal = Terminal::start(&learner.root, &command);

    // The current exercise opens, with its prompt; the file `kata start` wrote is graded at
    // once, as the plain-text mode does (issue 18).
    let screen = terminal.wait_for("the exercise", |s| s.contains("0/9 passed · run 1"));
    assert!(
        screen.starts_with("lru-cache — LRU cache · medium"),
        "{screen}"
    );
    assert!(!screen.contains("not graded yet"), "{screen}");

    // A wrong solution: the failing case, its diff, the summary at the bottom.
    learner.write("lru_cache.py", &lru_wrong());
    let screen = terminal.wait_for("the wrong answer", |s| s.contains("8 of 9 cases passed"));
    assert!(
        screen.contains("── misses, zero and negative values · wrong answer"),
        "{screen}"
    );
    assert!(screen.contains("- expected  + actual"), "{screen}");
    assert!(screen.contains("- get(5)       ->  0\n"), "{screen}");
    assert!(screen.contains("+ get(5)       ->  -1\n"), "{screen}");
    assert!(
        bottom_row(&screen).starts_with("✗ 8/9 passed · run 2"),
        "{screen}"
    );
    assert!(
        bottom_row(&screen).contains("hint 0/3 · first failing: misses, zero"),
        "{screen}"
    );

    // A hint, and the counter.
    terminal.keys("h");
    let screen = terminal.wait_for("the first hint", |s| s.contains("Hint 1 of 3"));
    assert!(screen.contains("A dict finds a key in O(1)"), "{screen}");
    assert!(bottom_row(&screen).contains("hint 1/3"), "{screen}");

    // The right solution: solved, and the next exercise offered.
    learner.write("lru_cache.py", &lru_solution());
    let screen = terminal.wait_for("the solve", |s| s.contains("9 of 9 cases passed"));
    assert!(
        screen.contains("✓ lru-cache solved! 1 of 4 exercises done."),
        "{screen}"
    );
    assert!(screen.contains("Next: reverse-linked-list"), "{screen}");
    assert!(
        bottom_row(&screen).starts_with("✓ 9/9 passed · run 3"),
        "{screen}"
    );
    assert!(
        bottom_row(&screen).contains("solved! · n: next is reverse-linked-list"),
        "{screen}"
    );

    // The list marks it solved.
    terminal.keys("l");
    let screen = terminal.wait_for("the list", |s| s.contains("Exercises: 1 of 4 solved"));
    assert!(screen.contains("✓ solved   lru-cache"), "{screen}");
    terminal.keys("Escape");
    terminal.wait_for("the list to close", |s| {
        !s.contains("Exercises: 1 of 4 solved")
    });

    // n opens the next exercise, writing its starter.
    terminal.keys("n");
    let screen = terminal.wait_for("the next exercise", |s| {
        s.starts_with("reverse-linked-list — ")
    });
    assert!(screen.contains("1/4 solved"), "{screen}");
    assert!(learner.root.join("reverse_linked_list.py").is_file());

    terminal.keys("q");
    let screen = terminal.wait_for("kata's exit", |s| s.contains("[kata exited"));
    assert!(screen.contains("[kata exited 0]"), "{screen}");
    // Back on the normal screen, kata's last word is there (perhaps scrolled up by the shell).
    let history = terminal.history();
    assert!(
        history.contains("reverse-linked-list: attempted · 1/4 solved · `kata watch` carries on\n"),
        "{history}"
    );

    // Progress survives the session.
    learner
        .kata(&["list"])
        .success()
        .stdout(predicate::str::contains("✓ solved   lru-cache"));
}

/// `kata watch` with pipes for stdin and stdout: plain text, one command per line.
struct Piped {
    child: std::process::Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

/// A test that fails must not leave kata running.
impl Drop for Piped {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Piped {
    fn start(root: &Path, args: &[&str]) -> Piped {
        let mut child = Command::new(kata_path())
            .current_dir(root)
            .arg("watch")
            .args(args)
            .env_remove("KATA_EXERCISES")
            .env_remove("KATA_PYTHON")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Piped {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    fn send(&mut self, line: &str) {
        let stdin = self.child.stdin.as_mut().unwrap();
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }

    /// Reads lines until one contains `text`, and returns it.
    fn wait_for(&mut self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let left = DEADLINE.saturating_sub(started.elapsed());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(_) => panic!("never printed {text:?}; printed:\n{}", self.seen.join("\n")),
            }
        }
    }
}

#[test]
fn watch_without_a_terminal_prints_plain_text_and_grades_on_enter() {
    let learner = Learner::new();
    learner.kata(&["start", "lru-cache"]).success();
    let mut watch = Piped::start(&learner.root, &["--manual"]);
    watch.wait_for("Not watching files (--manual): press Enter or r after saving");
    watch.wait_for("save it, then press Enter to grade it");

    learner.write("lru_cache.py", &lru_wrong());
    watch.send("");
    watch.wait_for("Run 1: 8 of 9 cases passed");
    watch.wait_for("── misses, zero and negative values · wrong answer");
    let summary = watch.wait_for("✗ 8/9 passed · run 1");
    assert!(summary.contains("first failing: misses, zero"), "{summary}");

    watch.send("h");
    watch.wait_for("Hint 1 of 3");

    learner.write("lru_cache.py", &lru_solution());
    watch.send("r");
    watch.wait_for("✓ lru-cache solved!");
    watch.wait_for("✓ 9/9 passed · run 2");

    watch.send("q");
    let status = watch.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let all = watch.seen.join("\n");
    assert!(
        !all.contains('\x1b'),
        "no escape codes in plain text:\n{all}"
    );
}

#[test]
fn watch_without_a_terminal_still_grades_on_save() {
    let learner = Learner::new();
    let mut watch = Piped::start(&learner.root, &["lru-cache"]);
    // The starter is written when the exercise opens.
    watch.wait_for("save it: kata grades it each time");
    assert!(learner.root.join("lru_cache.py").is_file());
    learner.write("lru_cache.py", &lru_solution());
    watch.wait_for("✓ 9/9 passed · run 1");
    watch.send("q");
    assert_eq!(watch.child.wait().unwrap().code(), Some(0));
    learner
        .kata(&["list"])
        .success()
        .stdout(predicate::str::contains("✓ solved   lru-cache"));
}

#[test]
fn watch_needs_a_workspace_and_a_real_exercise() {
    let dir = tempfile::tempdir().unwrap();
    kata()
        .current_dir(dir.path())
        .arg("watch")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not inside a kata workspace"));
    let learner = Learner::new();
    learner
        .kata(&["watch", "lru-cach"])
        .code(2)
        .stderr(predicate::str::contains("did you mean `lru-cache`?"));
}

/// The exercise list uses the terminal's width: on 120 columns a 54-character title is shown
/// whole (it used to be cut at 36), and on 80 it is cut with `…` so the difficulty still shows.
#[test]
fn the_exercise_list_gives_titles_the_terminals_width() {
    let learner = Learner::new();
    let catalogue = learner.root.parent().unwrap().join("catalogue");
    let exercises = Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises");
    std::fs::copy(
        exercises.join("wraps-preserving-decorator.toml"),
        catalogue.join("wraps-preserving-decorator.toml"),
    )
    .unwrap();
    let title = "A logging decorator that keeps the function's identity";
    let command = format!(
        "env -u KATA_EXERCISES -u KATA_PYTHON {} watch reverse-linked-list",
        kata_path().display()
    );
    for (columns, whole) in [(120, true), (80, false)] {
        let terminal = Terminal::sized(&learner.root, &command, columns, 24);
        terminal.wait_for("the exercise", |s| s.contains("Reverse a linked list"));
        terminal.keys("l");
        let screen = terminal.wait_for("the list", |s| s.contains("Exercises:"));
        let row = screen
            .lines()
            .find(|row| row.contains("wraps-preserving-decorator"))
            .unwrap_or_else(|| panic!("the list shows the exercise:\n{screen}"));
        assert_eq!(row.contains(title), whole, "{columns} columns:\n{screen}");
        assert!(row.contains("easy"), "{columns} columns:\n{screen}");
        if !whole {
            assert!(row.contains("A logging decorator"), "{row}");
            assert!(row.contains('…'), "{row}");
        }
        // The difficulties line up: every row's starts in the same column.
        let columns_of_difficulty: Vec<usize> = screen
            .lines()
            .filter_map(|row| {
                ["easy", "medium", "hard"]
                    .iter()
                    .filter_map(|word| row.find(&format!("  {word}")))
                    .min()
                    .map(|byte| row[..byte].chars().count())
            })
            .collect();
        assert!(columns_of_difficulty.len() >= 5, "{screen}");
        assert!(
            columns_of_difficulty.windows(2).all(|w| w[0] == w[1]),
            "{columns} columns:\n{screen}"
        );
        terminal.keys("q");
    }
}

/// Runs `kata watch` in `cwd` on a pseudo-terminal that is not its controlling terminal (so no
/// hang-up signal reaches it), waits for its first screen, then closes the terminal; prints
/// `screen`, then `exited N` or `still running` (after `DEADLINE`, when it is killed).
const WITHOUT_HANGUP: &str = r#"
import fcntl, os, pty, select, struct, subprocess, sys, termios, time
kata, deadline = sys.argv[1], float(sys.argv[2])
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
env = {k: v for k, v in os.environ.items() if k not in ("KATA_EXERCISES", "KATA_PYTHON")}
child = subprocess.Popen([kata, "watch"], stdin=slave, stdout=slave, stderr=slave, env=env)
os.close(slave)
seen, started = b"", time.monotonic()
while b"passed" not in seen and time.monotonic() - started < deadline:
    if select.select([master], [], [], 0.1)[0]:
        try:
            seen += os.read(master, 65536)
        except OSError:
            break
print("screen" if b"passed" in seen else "no screen: %r" % seen[-300:])
os.close(master)
try:
    print("exited", child.wait(timeout=deadline))
except subprocess.TimeoutExpired:
    child.kill()
    print("still running")
"#;

#[test]
fn watch_ends_when_its_terminal_goes_away_without_a_hang_up() {
    let learner = Learner::new();
    learner.kata(&["start", "lru-cache"]).success();
    let output = Command::new("python3")
        .current_dir(&learner.root)
        .args(["-c", WITHOUT_HANGUP])
        .arg(kata_path())
        .arg(DEADLINE.as_secs().to_string())
        .output()
        .expect("python3 runs");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.starts_with("screen\n"), "{said}");
    assert!(
        said.ends_with("exited 0\n"),
        "kata watch kept running on a terminal that had gone away, or did not end cleanly: \
         {said}"
    );
}
