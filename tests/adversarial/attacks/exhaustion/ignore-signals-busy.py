# kata: adv-shout
# verdict: time-limit-exceeded
# attack: ignore every signal that can be ignored (SIGXCPU, SIGTERM, ...) and spin
import signal

for number in range(1, signal.NSIG):
    try:
        signal.signal(number, signal.SIG_IGN)
    except (OSError, ValueError, RuntimeError):
        pass


def shout(text):
    while True:
        pass
