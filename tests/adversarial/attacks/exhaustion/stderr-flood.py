# kata: adv-shout
# verdict: output-limit-exceeded
# checks: fast
# attack: write to stderr without end
import sys


def shout(text):
    while True:
        sys.stderr.write("y" * 1000 + "\n")
