# kata: adv-secret
# verdict: wrong-answer
# attack: read the grader's environment and command line through /proc
import os


def answer(kind):
    leaks = []
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        pids = []
    for pid in pids:
        if int(pid) == os.getpid():
            continue
        for name in ("environ", "cmdline"):
            try:
                with open("/proc/%s/%s" % (pid, name), "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            if b"KATA_TEST_SECRET" in data or b"--exercises" in data or b".toml" in data:
                leaks.append((pid, name, data[:200]))
    if leaks:
        print(leaks)
        raise RuntimeError("read the grader through /proc: %r" % leaks)
    return "nothing found"
