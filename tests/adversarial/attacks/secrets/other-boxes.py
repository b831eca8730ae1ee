# kata: adv-secret
# verdict: wrong-answer
# attack: the other case runs at the same time: find its box (its request holds its input)
import glob
import os
import sys
import time


def answer(kind):
    mine = sys.argv[1]  # the harness's own request
    deadline = time.monotonic() + 0.5
    seen = set()
    while time.monotonic() < deadline:
        for pattern in ("/tmp/kata-box-*/box/request.json", "/tmp/*/box/request.json",
                        "/*/box/request.json", "/box/../*/box/request.json",
                        "/dev/shm/*", "/tmp/*", "../*/request.json", "../../*/box/request.json"):
            for path in glob.glob(pattern):
                if os.path.realpath(path) != os.path.realpath(mine):
                    seen.add(path)
        time.sleep(0.05)
    foreign = []
    for path in seen:
        try:
            with open(path, errors="replace") as handle:
                foreign.append(handle.read(300))
        except OSError:
            pass
    if foreign:
        print(foreign)
        raise RuntimeError("found another box: %r" % sorted(seen))
    return "nothing found"
