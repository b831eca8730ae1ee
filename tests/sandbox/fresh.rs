//! Warm boxes start every case fresh: the cases of one submission run, one after another, in
//! forks of one pre-initialised interpreter (a fork server per box), and a later case must not
//! see a file, a process, a module attribute, memory or an IPC object (System V shared memory,
//! a POSIX message queue: both outlive their process) that an earlier one left behind.
//!
//! The first case plants all of these and reports what it can see of them itself (everything:
//! so the checks can fail; an IPC object counts as planted when the sandbox refuses to make one); the second looks for them again and must find nothing. Both also
//! report whether they run in a warm box (a fork server, no `request.json`), so the test knows
//! it tested one. A planted process proves it is alive by recreating a file in `/tmp` every
//! 10 ms (each case has a `/proc` of its own PID namespace, where it would not be listed).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use super::host::{self, Setup};

#[test]
fn later_cases_see_nothing_of_earlier_ones_as_root() {
    later_cases_start_fresh(&host::ROOT);
}

#[test]
fn later_cases_see_nothing_of_earlier_ones_unprivileged() {
    later_cases_start_fresh(&host::USER_NAMESPACE);
}

const EXERCISE: &str = r#"
format = 1
requires = ["subprocess"]
title = "Fresh cases (sandbox suite)"
difficulty = "easy"
prompt = "Plant state, then look for it."
starter = '''
def plant():
    pass
'''
reference = '''
def plant():
    pass
'''

[limits]
cpu_ms = 3000
wall_ms = 10000
memory_mb = 256
output_kb = 64

[[case]]
name = "plants"
call = "plant()"
expect = "{'warm': True, 'cwd file': True, 'tmp file': True, 'process': True, 'sys attribute': True, 'builtins attribute': True, 'sys.modules entry': True, 'module global': True, 'memory': True, 'IPC object': True}"

[[case]]
name = "looks"
call = "look()"
expect = "{'warm': True, 'cwd file': False, 'tmp file': False, 'process': False, 'sys attribute': False, 'builtins attribute': False, 'sys.modules entry': False, 'module global': False, 'memory': False, 'IPC object': False}"

[[case]]
name = "looks again"
call = "look()"
expect = "{'warm': True, 'cwd file': False, 'tmp file': False, 'process': False, 'sys attribute': False, 'builtins attribute': False, 'sys.modules entry': False, 'module global': False, 'memory': False, 'IPC object': False}"
"#;

/// Plants everything, then looks (as every case does).
const SUBMISSION: &str = r#"
import builtins
import os
import subprocess
import sys
import time
import types

PLANTED = []
KEPT = None
# Built at run time, so that the marker's bytes are nowhere in the source or its constants.
PIECE = ("KATA" + "-FRESH-" + "MARKER-").encode()


def marker_runs():
    """How many 64 KiB runs of the marker this process's writable memory holds (read in
    place, through ctypes)."""
    import ctypes

    needle = PIECE * (65536 // len(PIECE))
    runs = 0
    with open("/proc/self/maps") as maps:
        regions = [line.split() for line in maps]
    for region in regions:
        if not region[1].startswith("rw") or (len(region) > 5 and region[5].startswith("[v")):
            continue
        start, end = (int(x, 16) for x in region[0].split("-"))
        runs += ctypes.string_at(start, end - start).count(needle)
    # The needle itself, and the copy of its region just read, are two runs at most.
    return runs


def process_alive():
    """Whether a process planted by an earlier case still runs: it would recreate this file."""
    try:
        os.unlink("/tmp/sleeper-alive")
    except FileNotFoundError:
        pass
    time.sleep(0.3)
    return os.path.exists("/tmp/sleeper-alive")


IPC_KEY = 0x4B415441
MQUEUE = b"/kata-fresh"


def _libc():
    import ctypes

    return ctypes, ctypes.CDLL(None, use_errno=True)


def plant_ipc():
    """A System V shared-memory segment and a POSIX message queue: both outlive the process
    that made them, in its IPC namespace. True if both were made, or refused."""
    ctypes, libc = _libc()
    refused = (1, 38)  # EPERM (the seccomp filter), ENOSYS
    shm = libc.shmget(IPC_KEY, 4096, 0o1600)  # IPC_CREAT | 0600
    shm_ok = shm >= 0 or ctypes.get_errno() in refused
    queue = libc.mq_open(MQUEUE, os.O_CREAT | os.O_RDWR, 0o600, None)
    queue_ok = queue >= 0 or ctypes.get_errno() in refused
    return shm_ok and queue_ok


def ipc_left():
    """Whether an IPC object an earlier case made is still there."""
    ctypes, libc = _libc()
    return libc.shmget(IPC_KEY, 0, 0) >= 0 or libc.mq_open(MQUEUE, os.O_RDWR) >= 0


def look(planted_ipc=False):
    return {
        # A warm box has the fork server and no request.json in /box (a cold box the reverse).
        "warm": os.path.exists("/box/zygote.py") and not os.path.exists("/box/request.json"),
        "cwd file": os.path.exists("left-in-cwd.txt"),
        "tmp file": os.path.exists("/tmp/left-in-tmp.txt"),
        "process": process_alive(),
        "sys attribute": hasattr(sys, "kata_fresh_mark"),
        "builtins attribute": hasattr(builtins, "kata_fresh_mark"),
        "sys.modules entry": "kata_fresh_planted" in sys.modules,
        "module global": bool(PLANTED),
        "memory": marker_runs() > 8,
        "IPC object": planted_ipc or ipc_left(),
    }


def plant():
    global KEPT
    with open("left-in-cwd.txt", "w") as handle:
        handle.write("left")
    with open("/tmp/left-in-tmp.txt", "w") as handle:
        handle.write("left")
    sleeper = "import time\nwhile True:\n    open('/tmp/sleeper-alive', 'w').close()\n    time.sleep(0.01)\n"
    subprocess.Popen(
        [sys.executable, "-S", "-c", sleeper],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        if os.path.exists("/tmp/sleeper-alive"):
            break
        time.sleep(0.01)
    sys.kata_fresh_mark = True
    builtins.kata_fresh_mark = True
    sys.modules["kata_fresh_planted"] = types.ModuleType("kata_fresh_planted")
    PLANTED.append(True)
    KEPT = bytearray(PIECE * (4 * 1024 * 1024 // len(PIECE)))
    return look(planted_ipc=plant_ipc())
"#;

fn later_cases_start_fresh(setup: &Setup) {
    let _serial = host::serial();
    let space = host::workspace();
    let dir = space.dir.join("fresh");
    let exercises = dir.join("exercises");
    fs::create_dir_all(&exercises).unwrap();
    let submission: PathBuf = dir.join("fresh-cases.py");
    fs::write(exercises.join("fresh-cases.toml"), EXERCISE).unwrap();
    fs::write(&submission, SUBMISSION).unwrap();
    for path in [&dir, &exercises] {
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let temp = host::temp_dir(0);
    let run = host::kata(
        setup,
        0,
        &[
            "--exercises",
            &exercises.to_string_lossy(),
            "check",
            &submission.to_string_lossy(),
            "--jobs",
            "1",
        ],
        &[("TMPDIR", &temp.to_string_lossy())],
    );
    assert_eq!(
        run.code, 0,
        "{}: a later case saw what an earlier one left (or a check could not see it in the case \
         that planted it):\n{}\n{}",
        setup.name, run.stdout, run.stderr
    );
    assert!(
        run.stdout.contains("3 passed"),
        "{}: {}",
        setup.name,
        run.stdout
    );
    let left = host::leftovers(setup.users.map(|users| users[0]));
    assert!(left.is_empty(), "{}: left running: {left:?}", setup.name);
}
