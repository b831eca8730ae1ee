"""The fork server of a warm box (the subprocess sandbox): one per submission per worker.

Usage: python -S -s -B zygote.py HARNESS_PY SOCKET_FD UNSHARE_NR DISPLAY_NAME
(or zygote.pyc, its bytecode, and harness.pyc beside HARNESS_PY: see src/runner/subprocess/bytecode.rs)

kata's box helper starts this as the box's program instead of the harness. It imports the
harness (and with it everything a case needs), compiles the candidate's source, and from then
on never runs candidate code: each case is a fork of this pristine interpreter.

Start-up, before the first case: a user namespace of its own (where it holds the capabilities
that a PID namespace per case and its /proc need; the uid and gid map to themselves), then a
mount namespace of its own (once: the cases' /proc are mounted there, one at a time), an empty
bounding set, undumpable, a snapshot of the box's working directory (the fixtures). Then it
says {"ready": true}.

Per case, the grader sends one message on SOCKET_FD (a Unix socket) with the case's stdin,
stdout, stderr and frame pipe as SCM_RIGHTS. The zygote clones the case's reaper as PID 1 of a
new PID namespace; the reaper takes the four descriptors as 0-3, mounts a /proc of that PID
namespace over /proc and forks the case (PID 2, as in a cold box). The case, before any
candidate code: its own session, a parent-death signal, every capability dropped, rlimits set
afresh, no_new_privs, Landlock (only the interpreter may be executed), the seccomp filters kata
compiled for it (which refuse again what the zygote needed: unshare, clone(CLONE_NEWPID),
mount, umount2, and fork unless the exercise grants processes). When the reaper has reaped the
case it exits, and the kernel kills whatever the case left in its namespace. The zygote then
unmounts the case's /proc, empties /work, /tmp and /dev/shm, puts the fixtures back and answers
with the case's wait status (from the reaper) and the usage of the whole case tree.

Messages, both ways: 4-byte little-endian length, then UTF-8 JSON.
  grader -> zygote: {"request": {...}, "cpu_seconds": N, "tasks": N, "memory": N,
                     "file_size": N, "open_files": N, "filters": ["<hex>", ...],
                     "seccomp_nr": N, "clone_nr": N, "capset_nr": N,
                     "landlock_executables": [...], "landlock_nrs": [N, N, N]} + 4 descriptors
  zygote -> grader: {"status": <the case's raw wait status>, "cpu_us": N, "max_rss_kb": N}
                    or {"error": "..."} (the box is then discarded)
"""

import array
import ctypes
import gc
import marshal
import resource
import struct
import sys
import types

# The C modules, not `socket` and `signal`: those import `enum` and `selectors`, which would
# cost every box about 20 ms of start-up.
import _signal as signal
import _socket as socket
import posix as _os

# Loaded at every start-up already (the import system's own): its magic number says whether a
# .pyc is this interpreter's.
import _frozen_importlib_external as _bootstrap_external

CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNS = 0x00020000
MS_NOSUID_NODEV_NOEXEC = 2 | 4 | 8
MNT_DETACH = 2
LANDLOCK_ACCESS_FS_EXECUTE = 1
LANDLOCK_RULE_PATH_BENEATH = 1
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_READ = 23
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
SECCOMP_SET_MODE_FILTER = 1
SECCOMP_FILTER_FLAG_SPEC_ALLOW = 4
CAPABILITY_VERSION_3 = 0x20080522
WRITABLE = ("/work", "/tmp", "/dev/shm")

_libc = ctypes.CDLL(None, use_errno=True)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, "%s: %s" % (what, _os.strerror(errno)))


def _write_file(path, text):
    fd = _os.open(path, _os.O_WRONLY)
    try:
        _os.write(fd, text.encode())
    finally:
        _os.close(fd)


def own_user_namespace(unshare_nr):
    """Holds CAP_SYS_ADMIN over the PID namespaces it makes, with the same uid and gid inside."""
    uid, gid = _os.getuid(), _os.getgid()
    _check(_libc.syscall(unshare_nr, CLONE_NEWUSER), "unshare(CLONE_NEWUSER)")
    _write_file("/proc/self/setgroups", "deny")
    _write_file("/proc/self/uid_map", "%d %d 1" % (uid, uid))
    _write_file("/proc/self/gid_map", "%d %d 1" % (gid, gid))


def load_harness(path):
    """The harness as a module, imported (not run): each case calls its Case. It is
    `__main__`, as in a cold box (named so only once run, or it would run a case now). Its
    bytecode, when the grader put it beside the source (compiled by the same interpreter)."""
    module = types.ModuleType("kata_harness")
    module.__file__ = path
    code = None
    try:
        with open(path + "c", "rb") as handle:
            data = handle.read()
        if data[:4] == _bootstrap_external.MAGIC_NUMBER:
            code = marshal.loads(memoryview(data)[16:])
    except FileNotFoundError:
        pass
    if code is None:
        with open(path, "rb") as handle:
            code = compile(handle.read(), path, "exec")
    exec(code, module.__dict__)
    module.__name__ = "__main__"
    return module


def snapshot(path):
    """The fixtures: every file and directory under `path`, to put back after each case."""
    entries = []
    for entry in _os.scandir(path):
        full = path + "/" + entry.name
        if entry.is_dir(follow_symlinks=False):
            entries.append((full, None))
            entries.extend(snapshot(full))
        elif entry.is_file(follow_symlinks=False):
            with open(full, "rb") as handle:
                entries.append((full, handle.read()))
    return entries


def wipe(path):
    """Removes everything under `path` without following symlinks (the case is gone: nothing
    can change the tree while this runs)."""
    try:
        fd = _os.open(path, _os.O_RDONLY | _os.O_DIRECTORY | _os.O_NOFOLLOW)
    except FileNotFoundError:
        return
    try:
        _wipe_at(fd)
    finally:
        _os.close(fd)


def _wipe_at(fd):
    for entry in _os.scandir(fd):
        name = entry.name
        if entry.is_dir(follow_symlinks=False):
            _os.chmod(name, 0o700, dir_fd=fd, follow_symlinks=False)
            child = _os.open(name, _os.O_RDONLY | _os.O_DIRECTORY | _os.O_NOFOLLOW, dir_fd=fd)
            try:
                _wipe_at(child)
            finally:
                _os.close(child)
            _os.rmdir(name, dir_fd=fd)
        else:
            _os.unlink(name, dir_fd=fd)


def restore(entries):
    for path, data in entries:
        if data is None:
            _os.mkdir(path, 0o755)
        else:
            fd = _os.open(path, _os.O_WRONLY | _os.O_CREAT | _os.O_EXCL, 0o644)
            try:
                view = memoryview(data)
                while view:
                    view = view[_os.write(fd, view):]
            finally:
                _os.close(fd)


def receive(control):
    """One case: its message and its descriptors, or None when the grader is done."""
    header = control.recv(4, socket.MSG_WAITALL)
    if len(header) < 4:
        return None
    (size,) = struct.unpack("<I", header)
    fds = array.array("i")
    data, ancillary, _, _ = control.recvmsg(size, socket.CMSG_SPACE(4 * fds.itemsize))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
    while len(data) < size:
        more = control.recv(size - len(data))
        if not more:
            return None
        data += more
    return data, list(fds)


def say(control, body):
    data = body.encode()
    control.sendall(struct.pack("<I", len(data)) + data)


def empty_bounding_set():
    """Once, in the zygote: every case inherits an empty bounding set and no ambient
    capabilities. (The zygote keeps its effective capabilities, which it needs for the cases'
    namespaces and /proc; the bounding set only limits what an execve could grant.)"""
    for capability in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            break
    _check(_libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear ambient capabilities")
    if _libc.prctl(PR_CAPBSET_READ, 0, 0, 0, 0) != 0:
        raise OSError("the bounding set is not empty")


def drop_capabilities():
    """In the case: its permitted, effective and inheritable sets emptied (the bounding set and
    the ambient set already are, from the zygote)."""
    header = _CapHeader(CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    _check(_libc.syscall(MESSAGE["capset_nr"], ctypes.byref(header), ctypes.byref(data)), "capset")


def only_execute(executables, numbers):
    """Landlock, as for a cold box's program: only the interpreter and its loader may be
    executed. (The zygote itself runs without Landlock, which would refuse the reaper's mount.)"""
    create, add_rule, restrict = numbers
    attr = _RulesetAttr(LANDLOCK_ACCESS_FS_EXECUTE)
    ruleset = _libc.syscall(create, ctypes.byref(attr), ctypes.sizeof(attr), 0)
    if ruleset < 0:
        _check(ruleset, "landlock_create_ruleset")
    for path in executables:
        fd = _os.open(path, _os.O_PATH | _os.O_CLOEXEC)
        rule = _PathBeneath(LANDLOCK_ACCESS_FS_EXECUTE, fd)
        _check(_libc.syscall(add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, ctypes.byref(rule), 0), "landlock_add_rule")
        _os.close(fd)
    _check(_libc.syscall(restrict, ruleset, 0), "landlock_restrict_self")
    _os.close(ruleset)


_PROGRAMS = {}


def seccomp_programs(filters):
    """The filters as the kernel takes them, built once per box in the zygote (each case's
    message carries the same ones): a case only installs them."""
    key = tuple(filters)
    if key not in _PROGRAMS:
        programs = []
        for program in filters:
            program = bytes.fromhex(program)
            buffer = ctypes.create_string_buffer(program, len(program))
            programs.append((buffer, _SockFprog(len(program) // 8, ctypes.addressof(buffer))))
        _PROGRAMS.clear()
        _PROGRAMS[key] = programs
    return _PROGRAMS[key]


def confine_case(message):
    """The case's process, before any candidate code: everything of its own."""
    _os.setsid()
    _check(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "parent-death signal")
    if _os.getppid() != 1:
        _os._exit(71)
    drop_capabilities()
    # As in a cold box, the case's own /proc files are its own (its /proc shows its own
    # namespace: the reaper, which stays undumpable, and the case's processes).
    _check(_libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), "dumpable")
    cpu, memory = message["cpu_seconds"], message["memory"]
    for kind, soft, hard in (
        (resource.RLIMIT_CPU, cpu, cpu + 1),
        (resource.RLIMIT_AS, memory, memory),
        (resource.RLIMIT_FSIZE, message["file_size"], message["file_size"]),
        (resource.RLIMIT_NOFILE, message["open_files"], message["open_files"]),
        (resource.RLIMIT_CORE, 0, 0),
        (resource.RLIMIT_MEMLOCK, 0, 0),
        (resource.RLIMIT_MSGQUEUE, 0, 0),
        (resource.RLIMIT_NPROC, message["tasks"], message["tasks"]),
    ):
        resource.setrlimit(kind, (soft, hard))
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    if message["landlock_executables"]:
        only_execute(message["landlock_executables"], message["landlock_nrs"])
    for _, fprog in seccomp_programs(message["filters"]):
        _check(
            _libc.syscall(
                message["seccomp_nr"], SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_SPEC_ALLOW, ctypes.byref(fprog)
            ),
            "seccomp",
        )
    _os.chdir("/work")


def clone_reaper(clone_nr):
    """Forks the case's reaper as PID 1 of a PID namespace of its own: a clone with
    CLONE_NEWPID, straight from the zygote (os.fork cannot ask for a namespace, and unshare
    would fix the namespace of every later child of the zygote). Unlike os.fork it skips
    CPython's after-fork hooks in the child; the reaper needs none (one thread, no imports),
    and it forks the case with os.fork, which runs them for the case."""
    pid = _libc.syscall(clone_nr, CLONE_NEWPID | signal.SIGCHLD, 0, 0, 0, 0)
    if pid < 0:
        errno = ctypes.get_errno()
        raise OSError(errno, "clone(CLONE_NEWPID): %s" % _os.strerror(errno))
    return pid


def reaper(harness, message, fds, status_fd):
    """PID 1 of the case's namespace: forks the case, reaps everything, and writes the case's
    raw wait status on `status_fd` (PID 1 cannot end by the case's signal: it ignores them)."""
    try:
        for target, fd in enumerate(fds):
            _os.dup2(fd, target)
        _os.dup2(status_fd, 4)
        _os.closerange(5, 1 << 16)
        _check(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "parent-death signal")
        # A /proc of the case's own PID namespace, so that the case's pids and /proc agree and
        # the box's other processes are not even listed. It is mounted in the zygote's mount
        # namespace (one case at a time), and the zygote takes it away after the case.
        _check(_libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID_NODEV_NOEXEC, b"subset=pid"), "mount /proc")
        case = _os.fork()
    except BaseException as exc:
        # The box's fault, before any candidate code: the zygote reports it as an error.
        _os.write(4, ("reaper: %s: %s" % (type(exc).__name__, exc)).encode()[:200])
        _os._exit(71)
    if case == 0:
        run_case(harness, message)
    for fd in range(4):
        _os.close(fd)  # the grader must see the pipes close once the case tree is gone
    # Inside its namespace nothing may signal PID 1 except through handlers: install none.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    while True:
        try:
            pid, status = _os.waitpid(-1, 0)
        except ChildProcessError:
            _os._exit(71)
        if pid == case:
            _os.write(4, struct.pack("<i", status))
            # Whatever else is left dies with this process (PID 1 of the namespace).
            _os._exit(0)


def run_case(harness, message):
    """The case; never returns."""
    try:
        _os.close(4)
        confine_case(message)
    except BaseException:
        _os._exit(71)
    harness.FRAME_FD = 3
    harness.DISPLAY_NAME = message["request"]["display_name"]
    try:
        harness.Case(message["request"]).run()
    except MemoryError:
        harness.send_out_of_memory()
    except BaseException as exc:
        try:
            harness.send({"status": "harness-error", "message": harness.clean("%s: %s" % (type(exc).__name__, exc))})
        except BaseException:
            _os._exit(70)
    _os._exit(0)


MESSAGE = {}


def restore_proc(proc_dev):
    """Takes away the /proc the case's reaper mounted (its namespace is gone), back to the
    box's own."""
    for _ in range(4):
        if _os.stat("/proc").st_dev == proc_dev:
            return
        _check(_libc.umount2(b"/proc", MNT_DETACH), "unmount the case's /proc")
    raise OSError("/proc is still not the box's own")


def serve(harness, control, fixtures):
    loads = harness._loads
    proc_dev = _os.stat("/proc").st_dev
    while True:
        received = receive(control)
        if received is None:
            return
        data, fds = received
        if len(fds) != 4:
            say(control, '{"error":"%d descriptors instead of 4"}' % len(fds))
            return
        message = loads(data.decode("utf-8"))
        MESSAGE.clear()
        MESSAGE.update(message)
        seccomp_programs(message["filters"])  # here, so that every later case finds them built
        status_read, status_write = _os.pipe()
        pid = clone_reaper(message["clone_nr"])
        if pid == 0:
            try:
                reaper(harness, message, fds, status_write)
            finally:
                _os._exit(71)  # whatever happens, the reaper never returns into this loop
        for fd in fds + [status_write]:
            _os.close(fd)
        _, _, usage = _os.wait4(pid, 0)
        status = _os.read(status_read, 4)
        restore_proc(proc_dev)
        # The next case starts from the fixtures alone.
        for path in WRITABLE:
            wipe(path)
        _os.chmod("/work", 0o700)
        restore(fixtures)
        if len(status) != 4 or status.startswith(b"reap"):
            why = (status + _os.read(status_read, 256)).decode("utf-8", "replace") if status else ""
            say(control, '{"error":%s}' % _quote("the case ended without a status " + why))
            return
        _os.close(status_read)
        say(
            control,
            '{"status":%d,"cpu_us":%d,"max_rss_kb":%d}'
            % (struct.unpack("<i", status)[0], int((usage.ru_utime + usage.ru_stime) * 1_000_000), usage.ru_maxrss),
        )


def main():
    control = socket.socket(fileno=int(sys.argv[2]))  # the C type: no context manager needed
    try:
        _os.set_inheritable(control.fileno(), False)
        unshare_nr = int(sys.argv[3])
        own_user_namespace(unshare_nr)
        # One mount namespace for the box's cases, owned by the zygote's user namespace, where
        # each case's reaper may mount that case's /proc (and the zygote unmount it).
        _check(_libc.syscall(unshare_nr, CLONE_NEWNS), "unshare(CLONE_NEWNS)")
        empty_bounding_set()
        # Only now (an undumpable process cannot write its own uid_map): nothing in the box may
        # read this process's memory through /proc or ptrace.
        _check(_libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "undumpable")
        harness = load_harness(sys.argv[1])
        sys.modules["__main__"] = harness
        _precompile(harness, sys.argv[4])
        fixtures = snapshot("/work")
    except BaseException as exc:
        say(control, '{"error":%s}' % _quote("start the fork server: %s: %s" % (type(exc).__name__, exc)))
        return
    # Every object so far is permanent: a case's collections never walk (and so never copy)
    # the pages it shares with the zygote.
    gc.freeze()
    say(control, '{"ready":true}')
    try:
        serve(harness, control, fixtures)
    except BaseException as exc:
        say(control, '{"error":%s}' % _quote("%s: %s" % (type(exc).__name__, exc)))


def _quote(text):
    return '"%s"' % "".join(c if c.isalnum() or c in " :()_-.,/" else "?" for c in text)


def _precompile(harness, display_name):
    """The candidate's source compiled once, here, but not run (a syntax error is left for the
    case to report, as in a cold box)."""
    base = harness.Case

    class Case(base):
        compiled = None

        def compile_submission(self):
            if Case.compiled is None:
                return base.compile_submission(self)
            harness.SOURCE = Case.compiled[0]
            return Case.compiled[1]

    try:
        with open("/box/submission.py", "rb") as handle:
            source = handle.read().decode("utf-8", "replace")
        Case.compiled = (source, compile(source, display_name, "exec", dont_inherit=True))
    except BaseException:
        Case.compiled = None
    harness.Case = Case


if __name__ == "__main__":
    main()
