# kata: adv-secret
# verdict: wrong-answer | time-limit-exceeded
# attack: search every reachable file for the exercise (and its hidden expected value); it
#   stops itself after 0.6 s, but reading a large tree may spend the 1 s of CPU first
import os
import re
import time

PATTERN = re.compile(rb"SECRET-[0-9A-F]{8,}")
SKIP = {"/proc", "/sys", "/dev"}


def search(deadline):
    for top in ("/tmp", "/work", "/box", "/root", "/home", "/srv", "/opt", "/etc", "/"):
        for root, dirs, files in os.walk(top):
            if time.monotonic() > deadline:
                return None
            dirs[:] = [d for d in dirs if os.path.join(root, d) not in SKIP]
            for name in files:
                path = os.path.join(root, name)
                try:
                    if os.path.getsize(path) > 1 << 20:
                        continue
                    with open(path, "rb") as handle:
                        found = PATTERN.search(handle.read())
                except OSError:
                    continue
                if found:
                    return found.group().decode()
    return None


def answer(kind):
    if kind == "public":
        return "nothing found"
    return search(time.monotonic() + 0.6) or "nothing found"
