# kata: adv-shout
# verdict: wrong-answer
# checks: fast
# attack: open files until the table is full
import os


def shout(text):
    opened = []
    try:
        while len(opened) < 1_000_000:
            opened.append(os.open("/dev/null", os.O_RDONLY))
    except OSError:
        pass
    if len(opened) > 10_000:
        raise RuntimeError("opened %d descriptors" % len(opened))
    return "nope"
