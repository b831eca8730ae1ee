# kata: adv-processes
# verdict: wrong-answer
# checks: fast
# attack: leave behind a child that stopped itself (SIGSTOP) and one that ignores everything
import os
import signal
import time


def shout(text):
    if os.fork() == 0:
        os.kill(os.getpid(), signal.SIGSTOP)
        os._exit(0)
    if os.fork() == 0:
        for number in range(1, signal.NSIG):
            try:
                signal.signal(number, signal.SIG_IGN)
            except (OSError, ValueError, RuntimeError):
                pass
        while True:
            time.sleep(1)
    return "nope"
