//! The host side of the sandbox tests: the setups a submission runs under, a workspace the
//! boxes must not see, canaries they must not touch, and the check that nothing of theirs is
//! left running.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::net::{TcpListener, UdpSocket};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::{SocketAddr, UnixListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use super::fixtures::{ATTACKS, EXERCISES};

/// The tests in this binary start boxes and count processes: one at a time.
pub(crate) fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Where the boxes run: a sandbox, as which user, with which isolation.
#[derive(Debug, Clone)]
pub(crate) struct Setup {
    pub name: &'static str,
    /// `--sandbox`.
    pub sandbox: &'static str,
    /// Tags that `verdict[...]` overrides match.
    pub tags: &'static [&'static str],
    /// The uids of the two concurrent workers, when kata runs unprivileged.
    pub users: Option<[u32; 2]>,
    pub env: &'static [(&'static str, &'static str)],
}

/// The subprocess sandbox as the grader runs it here (root: namespaces, box uids).
pub(crate) const ROOT: Setup = Setup {
    name: "subprocess (root)",
    sandbox: "subprocess",
    tags: &["subprocess", "root"],
    users: None,
    env: &[],
};
/// As a learner without root: namespaces inside a user namespace.
pub(crate) const USER_NAMESPACE: Setup = Setup {
    name: "subprocess (unprivileged, user namespace)",
    sandbox: "subprocess",
    tags: &["subprocess", "userns"],
    users: Some([61990, 61991]),
    env: &[],
};
/// The wasm sandbox.
pub(crate) const WASM: Setup = Setup {
    name: "wasm",
    sandbox: "wasm",
    tags: &["wasm"],
    users: None,
    env: &[],
};
/// As a learner whose system forbids user namespaces: the Landlock fallback.
pub(crate) const LANDLOCK: Setup = Setup {
    name: "subprocess (unprivileged, no namespaces: Landlock)",
    sandbox: "subprocess",
    tags: &["subprocess", "landlock"],
    users: Some([61992, 61993]),
    env: &[("KATA_ISOLATION", "landlock")],
};

/// The suite's files, readable by the unprivileged test users, with a fresh token in every
/// exercise.
pub(crate) struct Workspace {
    pub dir: PathBuf,
    pub exercises: PathBuf,
    pub attacks: PathBuf,
    /// A copy of the kata binary other users can execute.
    pub kata: PathBuf,
    pub token: String,
}

pub(crate) fn workspace() -> &'static Workspace {
    static WORKSPACE: OnceLock<Workspace> = OnceLock::new();
    WORKSPACE.get_or_init(|| {
        // One fixed place, emptied at the start of every run (it holds a 60 MB copy of kata).
        let dir = std::env::temp_dir().join("kata-sandbox-tests");
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let token = random_token();
        let exercises = dir.join("exercises");
        fs::create_dir(&exercises).unwrap();
        for entry in fs::read_dir(EXERCISES).unwrap() {
            let path = entry.unwrap().path();
            let text = fs::read_to_string(&path)
                .unwrap()
                .replace("@TOKEN@", &token.to_uppercase())
                .replace("@token@", &token.to_lowercase());
            fs::write(exercises.join(path.file_name().unwrap()), text).unwrap();
        }
        let attacks = dir.join("attacks");
        for class in fs::read_dir(ATTACKS).unwrap() {
            let class = class.unwrap().path();
            let target = attacks.join(class.file_name().unwrap());
            fs::create_dir_all(&target).unwrap();
            for file in fs::read_dir(&class).unwrap() {
                let file = file.unwrap().path();
                fs::copy(&file, target.join(file.file_name().unwrap())).unwrap();
            }
        }
        let kata = dir.join("kata");
        fs::copy(env!("CARGO_BIN_EXE_kata"), &kata).unwrap();
        open_up(&dir);
        Workspace {
            dir,
            exercises,
            attacks,
            kata,
            token,
        }
    })
}

/// Makes a tree readable (and directories enterable) by everyone.
fn open_up(path: &Path) {
    let metadata = fs::metadata(path).unwrap();
    let mode = if metadata.is_dir() || metadata.mode() & 0o100 != 0 {
        0o755
    } else {
        0o644
    };
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    if metadata.is_dir() {
        for entry in fs::read_dir(path).unwrap() {
            open_up(&entry.unwrap().path());
        }
    }
}

fn random_token() -> String {
    let mut bytes = [0u8; 8];
    fs::File::open("/dev/urandom")
        .unwrap()
        .read_exact(&mut bytes)
        .unwrap();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What one run of kata did.
#[derive(Debug)]
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub wall: Duration,
    /// The CLI's peak memory.
    pub max_rss_kb: u64,
    /// The CPU time of the CLI and of every process it waited for (natively, the boxed
    /// interpreters; in the wasm sandbox the guests run inside the CLI).
    pub cpu: Duration,
}

/// `kata <args>` under `setup` as worker `worker` (0 or 1), ready to start.
pub(crate) fn command(
    setup: &Setup,
    worker: usize,
    args: &[&str],
    extra_env: &[(&str, &str)],
) -> Command {
    let space = workspace();
    let mut command = match setup.users {
        None => Command::new(env!("CARGO_BIN_EXE_kata")),
        Some(users) => {
            let uid = users[worker].to_string();
            let mut command = Command::new("setpriv");
            command
                .args(["--reuid", &uid, "--regid", &uid, "--clear-groups", "--"])
                .arg(&space.kata);
            command
        }
    };
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env(
            "HOME",
            if setup.users.is_some() {
                space.dir.clone()
            } else {
                home()
            },
        )
        .env("NO_COLOR", "1")
        .envs(setup.env.iter().copied())
        .envs(extra_env.iter().copied())
        .current_dir(&space.dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if setup.users.is_some() {
        // The unprivileged users cannot reach a Python under /root (pyenv): use the system's.
        command.env("KATA_PYTHON", "/usr/bin/python3");
    }
    command
}

/// Runs `kata <args>` under `setup` as worker `worker` (0 or 1) to the end.
pub(crate) fn kata(setup: &Setup, worker: usize, args: &[&str], extra_env: &[(&str, &str)]) -> Run {
    let started = Instant::now();
    let mut child = command(setup, worker, args, extra_env)
        .spawn()
        .expect("kata starts");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = err.read_to_string(&mut text);
        text
    });
    let mut stdout = String::new();
    let _ = out.read_to_string(&mut stdout);
    let stderr = reader.join().unwrap();
    let (code, max_rss_kb, cpu) = wait_with_usage(child.id() as i32);
    // Reaped above, with its resource usage: std must not wait for it again.
    std::mem::forget(child);
    Run {
        code,
        stdout,
        stderr,
        wall: started.elapsed(),
        max_rss_kb,
        cpu,
    }
}

fn home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from)
}

/// Reaps `pid`, returning its exit code (128 + signal), the peak memory of it and its
/// children, and the CPU time they used.
fn wait_with_usage(pid: i32) -> (i32, u64, Duration) {
    let mut status = 0;
    // SAFETY: plain data for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointers; `pid` is our unreaped child.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (
        code,
        usage.ru_maxrss as u64,
        time(usage.ru_utime) + time(usage.ru_stime),
    )
}

/// Box uids of a root grader (`kata::runner::subprocess::isolation::slots`).
pub(crate) const BOX_UIDS: std::ops::Range<u32> = 1_900_000_000..1_900_000_256;
const SLOT_LOCKS: &str = "/run/kata-boxes";

/// Processes a finished run left behind: any process of a box uid whose slot no kata process
/// holds, any process of the unprivileged `user`, and any kata process orphaned to PID 1.
pub(crate) fn leftovers(user: Option<u32>) -> Vec<String> {
    let katas = [
        fs::canonicalize(env!("CARGO_BIN_EXE_kata")).unwrap(),
        fs::canonicalize(&workspace().kata).unwrap(),
    ];
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(status) = fs::read_to_string(entry.path().join("status")) else {
            continue;
        };
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .map(|rest| {
                    rest.split_whitespace()
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        let uids: Vec<u32> = field("Uid:")
            .iter()
            .filter_map(|u| u.parse().ok())
            .collect();
        let parent = field("PPid:").first().and_then(|p| p.parse::<i32>().ok());
        if field("State:").first().is_some_and(|state| state == "Z") {
            continue; // exited, waiting for its new parent (this machine's init) to reap it
        }
        let name = field("Name:").join(" ");
        let describe = || format!("pid {pid} ({name}, uids {uids:?})");
        let box_uid = uids
            .iter()
            .any(|uid| BOX_UIDS.contains(uid) && slot_is_free(*uid));
        let users = user.is_some_and(|user| uids.contains(&user));
        let orphaned_kata = parent == Some(1)
            && fs::read_link(entry.path().join("exe")).is_ok_and(|exe| katas.contains(&exe));
        if box_uid || users || orphaned_kata {
            found.push(describe());
        }
    }
    found
}

/// Whether no kata process holds the lock of the box uid `uid`.
fn slot_is_free(uid: u32) -> bool {
    let path = Path::new(SLOT_LOCKS).join(format!("{}.lock", uid - BOX_UIDS.start));
    let Ok(file) = fs::File::open(path) else {
        return true;
    };
    // SAFETY: flock on a descriptor we own.
    let locked = unsafe {
        libc::flock(
            std::os::fd::AsRawFd::as_raw_fd(&file),
            libc::LOCK_EX | libc::LOCK_NB,
        )
    };
    locked == 0 // released when `file` closes
}

/// Host resources a box must never reach: files (hash, mode, mtime), a TCP and a UDP port on
/// loopback, an abstract and a path Unix socket.
pub(crate) struct Canaries {
    pub dir: PathBuf,
    contacts: &'static AtomicUsize,
    snapshot: BTreeMap<PathBuf, (Vec<u8>, u32, i64)>,
}

pub(crate) const CANARY_DIR: &str = "/tmp/kata-adversarial";
const TCP_PORTS: [u16; 3] = [47811, 47821, 47831];
const UDP_PORTS: [u16; 3] = [47812, 47822, 47832];

pub(crate) fn canaries() -> &'static Canaries {
    static CANARIES: OnceLock<Canaries> = OnceLock::new();
    CANARIES.get_or_init(|| {
        let dir = PathBuf::from(CANARY_DIR);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("canary.d")).unwrap();
        fs::write(dir.join("canary.txt"), "do not touch\n").unwrap();
        fs::write(dir.join("canary.d/keep.txt"), "do not touch either\n").unwrap();
        // Writable by everyone: only the sandbox stands between a box and these.
        for (path, mode) in [
            (dir.clone(), 0o777),
            (dir.join("canary.d"), 0o777),
            (dir.join("canary.txt"), 0o666),
            (dir.join("canary.d/keep.txt"), 0o666),
        ] {
            fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
        }
        let contacts: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
        let tcp = TCP_PORTS
            .iter()
            .find_map(|port| TcpListener::bind(("127.0.0.1", *port)).ok())
            .expect("one of the canary TCP ports is free");
        std::thread::spawn(move || {
            for connection in tcp.incoming() {
                if connection.is_ok() {
                    contacts.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
        let udp = UDP_PORTS
            .iter()
            .find_map(|port| UdpSocket::bind(("127.0.0.1", *port)).ok())
            .expect("one of the canary UDP ports is free");
        std::thread::spawn(move || {
            let mut buffer = [0u8; 512];
            while udp.recv(&mut buffer).is_ok() {
                contacts.fetch_add(1, Ordering::SeqCst);
            }
        });
        let abstract_name = SocketAddr::from_abstract_name(b"kata-adversarial-canary").unwrap();
        let unix = [
            UnixListener::bind_addr(&abstract_name).expect("the abstract canary socket"),
            UnixListener::bind(dir.join("canary.sock")).expect("the canary socket"),
        ];
        fs::set_permissions(dir.join("canary.sock"), fs::Permissions::from_mode(0o777)).unwrap();
        for listener in unix {
            std::thread::spawn(move || {
                for connection in listener.incoming() {
                    if connection.is_ok() {
                        contacts.fetch_add(1, Ordering::SeqCst);
                    }
                }
            });
        }
        let mut canaries = Canaries {
            dir,
            contacts,
            snapshot: BTreeMap::new(),
        };
        canaries.snapshot = canaries.state();
        canaries
    })
}

impl Canaries {
    fn state(&self) -> BTreeMap<PathBuf, (Vec<u8>, u32, i64)> {
        let mut state = BTreeMap::new();
        for path in [
            self.dir.clone(),
            self.dir.join("canary.txt"),
            self.dir.join("canary.d"),
            self.dir.join("canary.d/keep.txt"),
        ] {
            let metadata = fs::symlink_metadata(&path).unwrap_or_else(|_| {
                panic!("the canary {} is gone", path.display());
            });
            let contents = if metadata.is_dir() {
                let mut names: Vec<String> = fs::read_dir(&path)
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect();
                names.sort();
                names.join("\n").into_bytes()
            } else {
                fs::read(&path).unwrap()
            };
            state.insert(path, (contents, metadata.mode(), metadata.mtime()));
        }
        state
    }

    /// What changed since the canaries were set up (empty: nothing).
    pub(crate) fn damage(&self) -> Vec<String> {
        let mut damage: Vec<String> = self
            .state()
            .into_iter()
            .filter(|(path, now)| self.snapshot.get(path) != Some(now))
            .map(|(path, _)| format!("{} changed", path.display()))
            .collect();
        let contacts = self.contacts.load(Ordering::SeqCst);
        if contacts > 0 {
            damage.push(format!(
                "{contacts} connection(s) or datagram(s) reached the host's canary sockets"
            ));
        }
        damage
    }
}

/// Files under the workspace, with their contents: the grader's own files must not change.
pub(crate) fn workspace_files() -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(path: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(path).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.file_name().is_some_and(|n| n != "kata")
                && !path.starts_with(workspace().dir.join("tmp-0"))
                && !path.starts_with(workspace().dir.join("tmp-1"))
            {
                files.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(&workspace().dir, &mut files);
    files
}

/// The temporary directory of worker `worker` (kata's TMPDIR, where it makes box directories),
/// writable by the unprivileged users.
pub(crate) fn temp_dir(worker: usize) -> PathBuf {
    let dir = workspace().dir.join(format!("tmp-{worker}"));
    if !dir.is_dir() {
        fs::create_dir(&dir).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o1777)).unwrap();
    }
    dir
}

/// What is left in a temporary directory (each run must remove its box directories).
pub(crate) fn leftover_files(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect()
}
