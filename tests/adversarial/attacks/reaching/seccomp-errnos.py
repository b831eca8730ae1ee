# kata: adv-shout
# verdict: accepted
# verdict[wasm]: runtime-error
# gap[wasm]: WASI CPython has no ctypes, and no system calls beyond WASI
# attack: none: the sandbox answers each denied system call as specified (bubblewrap-style
#   errno test). Each call gets harmless or invalid arguments, so it fails with EBADF, EFAULT or
#   EINVAL if the filter lets it through; the filter must answer EPERM (ENOSYS for clone3).
import ctypes
import platform

libc = ctypes.CDLL(None, use_errno=True)
EPERM, ENOSYS = 1, 38

X86_64 = {
    "ptrace": 101, "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161,
    "unshare": 272, "setns": 308, "keyctl": 250, "add_key": 248, "request_key": 249,
    "bpf": 321, "perf_event_open": 298, "userfaultfd": 323, "io_uring_setup": 425,
    "io_uring_enter": 426, "io_uring_register": 427, "process_vm_readv": 310,
    "process_vm_writev": 311, "kcmp": 312, "pidfd_getfd": 438, "open_by_handle_at": 304,
    "kexec_load": 246, "init_module": 175, "finit_module": 313, "delete_module": 176,
    "reboot": 169, "swapon": 167, "swapoff": 168, "acct": 163, "settimeofday": 164,
    "clock_settime": 227, "syslog": 103, "move_mount": 429, "open_tree": 428, "fsopen": 430,
    "fsmount": 432, "fspick": 433, "mount_setattr": 442, "iopl": 172, "ioperm": 173,
}
CLONE3 = 435
CLONE_NEWUSER = 0x10000000


def errno_after(number, *args):
    ctypes.set_errno(0)
    result = libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in args])
    return 0 if result != -1 else ctypes.get_errno()


def shout(text):
    if platform.machine() != "x86_64":
        return text.upper() + "!"  # the numbers above are x86_64's
    wrong = {}
    for name, number in X86_64.items():
        # -1 everywhere: a bad fd, a bad pointer or bad flags, whatever the call.
        errno = errno_after(number, -1, -1, -1, -1, -1, -1)
        if errno != EPERM:
            wrong[name] = errno
    errno = errno_after(CLONE3, 0, 0)
    if errno != ENOSYS:
        wrong["clone3"] = errno
    # clone with a namespace flag (the filter reads clone's flags): refused before it forks.
    errno = errno_after(56, CLONE_NEWUSER | 17, 0, 0, 0, 0)
    if errno != EPERM:
        wrong["clone(CLONE_NEWUSER)"] = errno
    # personality: only the query and the default are allowed.
    if errno_after(135, 0x0008) != EPERM:  # PER_LINUX32_3GB-ish: any other persona
        wrong["personality"] = ctypes.get_errno()
    if wrong:
        raise RuntimeError("not refused as specified: %r" % wrong)
    return text.upper() + "!"
