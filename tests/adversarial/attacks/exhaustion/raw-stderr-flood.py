# kata: adv-shout
# verdict: output-limit-exceeded
# checks: fast
# attack: flood the real stderr descriptor, past the harness's capture
import os


def shout(text):
    chunk = b"w" * 65536
    while True:
        os.write(2, chunk)
