# kata: adv-secret
# verdict: wrong-answer
# attack: climb out of the working directory and the box towards the grader's files
import glob
import os


def answer(kind):
    candidates = []
    for up in range(1, 8):
        base = "/".join([".."] * up)
        candidates += glob.glob(base + "/*.toml") + glob.glob(base + "/*/*.toml")
        candidates += glob.glob(base + "/exercises/*") + glob.glob(base + "/*/exercises/*")
    candidates += glob.glob("/box/../*") + glob.glob("/proc/self/cwd/../*.toml")
    for path in candidates:
        try:
            with open(path, errors="replace") as handle:
                text = handle.read()
        except OSError:
            continue
        if "SECRET-" in text:
            raise RuntimeError("read the exercise through %s" % path)
    return "nothing found"
