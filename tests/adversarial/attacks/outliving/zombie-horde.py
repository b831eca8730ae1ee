# kata: adv-processes
# verdict: wrong-answer
# checks: fast
# attack: make children that exit at once and never reap them
import os


def shout(text):
    for _ in range(20):
        if os.fork() == 0:
            os._exit(0)
    return "nope"
