# kata: adv-shout
# verdict: time-limit-exceeded
# attack: ignore every signal that can be ignored and sleep
import signal
import time

for number in range(1, signal.NSIG):
    try:
        signal.signal(number, signal.SIG_IGN)
    except (OSError, ValueError, RuntimeError):
        pass


def shout(text):
    while True:
        time.sleep(1)
