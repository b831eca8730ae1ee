# kata's sandbox self-test, run by `kata sandbox status` inside a real box as a `script` case.
# It reports what it observes from inside, one JSON line on the real stderr (fd 2), and then
# tries to exec another program: a second line appears only if that was refused. The host
# compares the observations with what each layer promises. `HIDDEN` (host paths that must not
# be visible) is prepended by the host.
import ctypes
import json
import os
import resource
import socket

libc = ctypes.CDLL(None, use_errno=True)


def errno_of(call):
    """The errno a raw system call fails with (0 when it succeeds)."""
    ctypes.set_errno(0)
    result = call()
    return ctypes.get_errno() if result == -1 else 0


def capabilities():
    """Every capability set as a hex mask, from capget and prctl (no /proc needed)."""

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    header = Header(0x20080522, 0)
    data = (Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        return ["capget failed: errno %d" % ctypes.get_errno()]
    sets = []
    for field in ("inheritable", "permitted", "effective"):
        sets.append("%016x" % (getattr(data[0], field) | getattr(data[1], field) << 32))
    PR_CAPBSET_READ, PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET = 23, 47, 1
    bounding = ambient = 0
    for cap in range(64):
        if libc.prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1:
            bounding |= 1 << cap
        if libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) == 1:
            ambient |= 1 << cap
    return sets + ["%016x" % bounding, "%016x" % ambient]


def attempt(call):
    try:
        call()
        return 0
    except OSError as error:
        return error.errno or -1


def fork_and_wait():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def listing(path):
    """A hidden path that exists: what is in it ("file" if it is not a directory)."""
    try:
        return sorted(os.listdir(path)) if os.path.isdir(path) else "file"
    except OSError as error:
        return "unreadable (%s)" % error.strerror


def pids():
    try:
        return sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
    except OSError:
        return []


def report(line):
    os.write(2, ("KATA-SELFTEST " + json.dumps(line) + "\n").encode())


namespaces = {}
for kind in ("mnt", "pid", "net", "ipc", "uts", "user"):
    try:
        namespaces[kind] = os.readlink("/proc/self/ns/" + kind)
    except OSError as error:
        namespaces[kind] = "unreadable (%s)" % error.strerror
try:
    with open("/proc/self/net/dev") as handle:
        interfaces = [line.split(":")[0].strip() for line in handle.readlines()[2:]]
except OSError as error:
    interfaces = ["unreadable (%s)" % error.strerror]
PR_GET_PDEATHSIG, PR_GET_SECCOMP, PR_GET_NO_NEW_PRIVS = 2, 21, 39
death_signal = ctypes.c_int(0)
libc.prctl(PR_GET_PDEATHSIG, ctypes.byref(death_signal), 0, 0, 0)
CLONE_NEWUSER = 0x10000000
limits = {
    name: resource.getrlimit(getattr(resource, name))[0]
    for name in ("RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_NPROC")
}
report(
    {
        "uid": os.getuid(),
        "gid": os.getgid(),
        "pid": os.getpid(),
        "pids": pids(),
        "hostname": socket.gethostname(),
        "namespaces": namespaces,
        "interfaces": interfaces,
        "no_new_privs": str(libc.prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)),
        "seccomp": str(libc.prctl(PR_GET_SECCOMP, 0, 0, 0, 0)),
        "capabilities": capabilities(),
        "death_signal": death_signal.value,
        "limits": limits,
        "fork": attempt(fork_and_wait),
        "unshare": errno_of(lambda: libc.unshare(CLONE_NEWUSER)),
        "inet_socket": attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()),
        "visible": {path: listing(path) for path in HIDDEN if os.path.lexists(path)},
        "host_file": attempt(lambda: open("/etc/os-release", "rb").close()),
        "host_passwd": attempt(lambda: open("/etc/passwd", "rb").close()),
        "signal_parent": attempt(lambda: os.kill(os.getppid(), 0)),
    }
)
for program in ("/bin/sh", "/usr/bin/env", "/bin/true"):
    if os.path.exists(program):
        try:
            os.execv(program, [program, "-c", "true"])
        except OSError as error:
            report({"exec": error.errno})
        break
