# kata: adv-shout
# verdict: output-limit-exceeded
# checks: fast
# attack: flood the real stdout descriptor, past the harness's capture
import os


def shout(text):
    chunk = b"z" * 65536
    while True:
        os.write(1, chunk)
