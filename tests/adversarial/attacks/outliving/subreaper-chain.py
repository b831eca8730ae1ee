# kata: adv-processes
# verdict: wrong-answer
# checks: fast
# attack: become a child subreaper, then hide a chain of sleeping descendants under it
import ctypes
import os
import time

PR_SET_CHILD_SUBREAPER = 36


def shout(text):
    if os.fork() == 0:
        ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        for _ in range(3):
            if os.fork() != 0:
                break
        while True:
            time.sleep(1)
    return "nope"
