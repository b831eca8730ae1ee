# kata: adv-processes
# verdict: wrong-answer
# checks: fast
# attack: the classic daemon: fork, setsid, fork again, ignore hang-ups, live forever
import os
import signal
import time


def shout(text):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            while True:
                time.sleep(0.1)
        os._exit(0)
    return "nope"
