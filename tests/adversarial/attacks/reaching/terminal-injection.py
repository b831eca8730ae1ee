# kata: adv-shout
# verdict: wrong-answer
# verdict[wasm]: runtime-error
# gap[wasm]: WASI CPython has no ctypes, and the guest has no terminal
# attack: push keystrokes into the grader's terminal (TIOCSTI), with junk in the upper bits too
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
TIOCSTI = 0x5412


def shout(text):
    worked = []
    targets = list(range(3))
    try:
        targets.append(os.open("/dev/tty", os.O_RDWR))
    except OSError:
        pass
    for fd in targets:
        for request in (TIOCSTI, TIOCSTI | (1 << 32)):
            if libc.ioctl(fd, ctypes.c_ulong(request), ctypes.c_char_p(b"x")) == 0:
                worked.append((fd, hex(request)))
    if worked:
        raise RuntimeError("injected keystrokes: %r" % worked)
    return "nope"
