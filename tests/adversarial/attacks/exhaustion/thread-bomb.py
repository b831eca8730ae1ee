# kata: adv-threads
# verdict: wrong-answer
# checks: fast
# attack: start threads until it fails
import threading
import time


def shout(text):
    started = 0
    try:
        while started < 100_000:
            threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
            started += 1
    except RuntimeError:
        pass
    if started > 1000:
        raise RuntimeError("started %d threads" % started)
    return "nope"
