# kata: adv-processes
# verdict: wrong-answer
# checks: fast
# attack: a child in its own session keeps stdout and stderr open, so EOF never comes
import os
import time


def shout(text):
    if os.fork() == 0:
        os.setsid()
        while True:
            os.write(1, b"still here\n")
            time.sleep(0.2)
    return "nope"
