# kata: adv-shout
# verdict: runtime-error
# checks: fast
# attack: a fork bomb where no processes are allowed
import os


def shout(text):
    while True:
        os.fork()
