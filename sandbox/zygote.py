"""PROTOTYPE (not wired into kata yet): a fork server for the subprocess sandbox.

Usage: python -S -s -B zygote.py HARNESS_PY CONTROL_FD

The zygote is started once per submission inside a box, imports the harness and everything a
case needs, and then never runs candidate code. For each case it receives, on CONTROL_FD (a
Unix socket the grader holds the other end of), one message with the case's request and, as
SCM_RIGHTS, the case's own stdin, stdout, stderr and frame pipe. It forks; the child enters a
PID namespace of its own (unshare(CLONE_NEWPID) and a second fork, so the case runs as PID 1
there and everything it starts dies with it), takes the case's descriptors as 0-3, closes every
other, moves into its own working directory, sets its rlimits, stacks the case's seccomp filter
(which refuses what the zygote still needed: fork, unshare, signals to other processes) and only
then runs the harness's Case. The zygote reaps it and answers with the wait status and the
resource usage.

Messages, both ways: 4-byte little-endian length, then UTF-8 JSON.
  grader -> zygote: {"request": {...harness request...}, "cwd": "/work/case-N",
                     "cpu_seconds": N, "filter": "<hex of a sock_fprog's instructions>"}
                    + 4 descriptors
  zygote -> grader: {"status": <raw wait status>, "cpu_us": N, "max_rss_kb": N}
"""

import array
import ctypes
import resource
import socket
import struct
import sys
import types

import posix as _os

CLONE_NEWPID = 0x20000000
PR_SET_NO_NEW_PRIVS = 38
PR_SET_PDEATHSIG = 1
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SIGKILL = 9

_libc = ctypes.CDLL(None, use_errno=True)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, "%s: %s" % (what, _os.strerror(errno)))


def load_harness(path):
    """The harness as a module, imported (not run): its functions are what each case calls."""
    module = types.ModuleType("kata_harness")
    module.__file__ = path
    with open(path, "rb") as handle:
        code = compile(handle.read(), path, "exec")
    exec(code, module.__dict__)
    return module


def receive(control):
    """One case: its message and its four descriptors, or None when the grader is done."""
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


def answer(control, status, usage):
    body = ('{"status":%d,"cpu_us":%d,"max_rss_kb":%d}' % (
        status,
        int((usage.ru_utime + usage.ru_stime) * 1_000_000),
        usage.ru_maxrss,
    )).encode()
    control.sendall(struct.pack("<I", len(body)) + body)


def confine_case(message, fds, control_fd):
    """In the forked child, before any candidate code: the case's own everything."""
    for target, fd in enumerate(fds):
        _os.dup2(fd, target)
    _os.closerange(4, control_fd)
    _os.closerange(control_fd, 1 << 16)
    _os.chdir(message["cwd"])
    cpu = message["cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    program = bytes.fromhex(message["filter"])
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.addressof(buffer))
    _check(_libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0), "seccomp")


def run_case(harness, message, fds, control_fd):
    """The child of the zygote; never returns."""
    try:
        _check(_libc.syscall(272, CLONE_NEWPID), "unshare(CLONE_NEWPID)")  # x86-64 unshare
        pid = _os.fork()
        if pid:
            # The namespace's creator: waits for its PID 1 and passes on how it ended.
            _, status = _os.waitpid(pid, 0)
            _os._exit(status >> 8 if status & 0x7F == 0 else 128 + (status & 0x7F))
        _libc.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0)
        confine_case(message, fds, control_fd)
    except BaseException:
        _os._exit(71)  # the box's fault, known before any candidate code ran
    harness.FRAME_FD = 3
    harness.DISPLAY_NAME = message["request"]["display_name"]
    try:
        harness.Case(message["request"]).run()
    except MemoryError:
        harness.send_out_of_memory()
    except BaseException:
        _os._exit(70)


def main():
    harness = load_harness(sys.argv[1])
    control_fd = int(sys.argv[2])
    control = socket.socket(fileno=control_fd)
    loads = harness._loads
    while True:
        received = receive(control)
        if received is None:
            return
        data, fds = received
        message = loads(data.decode("utf-8"))
        pid = _os.fork()
        if pid == 0:
            run_case(harness, message, fds, control_fd)
        for fd in fds:
            _os.close(fd)
        _, status, usage = _os.wait4(pid, 0)
        answer(control, status, usage)


if __name__ == "__main__":
    main()
