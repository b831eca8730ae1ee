# kata: adv-shout
# verdict: wrong-answer
# verdict[wasm]: runtime-error
# gap[wasm]: WASI CPython has no ctypes
# attack: rebuild the sandbox from inside: new namespaces, mounts, chroot
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET = 0x00020000, 0x10000000, 0x40000000


def shout(text):
    worked = []
    for flags in (CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNS):
        if libc.unshare(flags) == 0:
            worked.append("unshare %#x" % flags)
    if libc.mount(b"tmpfs", b"/tmp", b"tmpfs", 0, None) == 0:
        worked.append("mount")
    if libc.umount2(b"/box", 2) == 0:
        worked.append("umount /box")
    if libc.chroot(b"/tmp") == 0:
        worked.append("chroot")
    fd = os.open("/proc/self/ns/net", os.O_RDONLY) if os.path.exists("/proc/self/ns/net") else -1
    if fd >= 0 and libc.setns(fd, 0) == 0:
        worked.append("setns")
    if worked:
        raise RuntimeError("rebuilt the sandbox: %r" % worked)
    return "nope"
