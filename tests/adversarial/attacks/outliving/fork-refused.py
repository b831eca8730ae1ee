# kata: adv-shout
# verdict: wrong-answer
# verdict[wasm]: runtime-error
# gap[wasm]: WASI has no fork: os.fork does not exist
# attack: fork where no processes are allowed, and keep the child if it works
import os
import time


def shout(text):
    try:
        pid = os.fork()
    except OSError:
        return "nope"
    if pid == 0:
        time.sleep(3600)
    raise RuntimeError("forked a child")
